//! The three languages hrmesh speaks: every label, synonym and generated text exists in each.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Nl,
    De,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::De];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::De => "de",
        }
    }

    /// Position in [`Lang::ALL`] (and in per-language arrays).
    pub fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Nl => 1,
            Lang::De => 2,
        }
    }

    /// Parses an ISO 639-1 code or a BCP 47 tag (`nl-BE`, `de_AT`), case-insensitive.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// The language of a request: its `locale` field if set, else English.
    pub fn of_locale(locale: &str) -> Result<Lang, hrmesh_kit::FieldViolation> {
        if locale.is_empty() {
            return Ok(Lang::En);
        }
        Lang::parse(locale).ok_or_else(|| hrmesh_kit::FieldViolation::new("locale", "must be one of en, nl, de"))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_regional_tags() {
        assert_eq!(Lang::parse("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::parse("DE_at"), Some(Lang::De));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert!(Lang::of_locale("fr").is_err());
        assert_eq!(Lang::of_locale("").ok(), Some(Lang::En));
    }
}
