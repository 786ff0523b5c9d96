//! The three languages hrmesh speaks, and the one way to read a language from a request: every
//! label, message and generated text exists in each.

use std::fmt;

use crate::FieldViolation;

/// English, Dutch or German.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    En,
    Nl,
    De,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Nl, Locale::De];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Nl => "nl",
            Locale::De => "de",
        }
    }

    /// Position in [`Locale::ALL`] (and in per-language arrays).
    pub fn index(self) -> usize {
        match self {
            Locale::En => 0,
            Locale::Nl => 1,
            Locale::De => 2,
        }
    }

    /// Parses an ISO 639-1 code or a BCP 47 tag (`nl-BE`, `de_AT`), case-insensitive.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "nl" => Some(Locale::Nl),
            "de" => Some(Locale::De),
            _ => None,
        }
    }

    /// The language a request names in `field`; English when empty.
    pub fn of_field(field: &str, value: &str) -> Result<Locale, FieldViolation> {
        if value.is_empty() {
            return Ok(Locale::En);
        }
        Locale::parse(value).ok_or_else(|| FieldViolation::new(field, "must be en, nl or de"))
    }

    /// The language a request names in `field`, if any (empty: let the service decide, e.g.
    /// detect it).
    pub fn optional(field: &str, value: &str) -> Result<Option<Locale>, FieldViolation> {
        if value.is_empty() {
            return Ok(None);
        }
        Locale::parse(value)
            .map(Some)
            .ok_or_else(|| FieldViolation::new(field, "must be en, nl or de (or empty to detect it)"))
    }

    /// The request's `locale` field, English when empty.
    pub fn of_locale(locale: &str) -> Result<Locale, FieldViolation> {
        Self::of_field("locale", locale)
    }
}

/// Frequent words per language, folded (lower case, no diacritics), for [`Locale::detect`].
const STOPWORDS: [(Locale, &[&str]); 3] = [
    (
        Locale::Nl,
        &[
            "de", "het", "een", "en", "van", "ik", "je", "met", "op", "voor", "is", "zijn", "heb", "als", "wij", "bij",
            "te", "aan", "geen", "niet", "ervaring", "jaar", "wel", "ook",
        ],
    ),
    (
        Locale::De,
        &[
            "der",
            "die",
            "das",
            "und",
            "ich",
            "mit",
            "fur",
            "ist",
            "sind",
            "ein",
            "eine",
            "einen",
            "im",
            "bei",
            "wir",
            "zu",
            "auf",
            "nicht",
            "kein",
            "keine",
            "erfahrung",
            "jahre",
            "sie",
            "auch",
        ],
    ),
    (
        Locale::En,
        &[
            "the",
            "and",
            "of",
            "with",
            "for",
            "is",
            "are",
            "a",
            "an",
            "in",
            "on",
            "i",
            "we",
            "you",
            "to",
            "at",
            "experience",
            "years",
            "no",
            "not",
            "as",
            "have",
            "also",
            "our",
        ],
    ),
];

/// Lower case with diacritics folded (ß → ss, ä → a, é → e): how words are compared across
/// spellings, here and in skill extraction.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => out.push_str("ss"),
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => out.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => out.push('u'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ï' | 'í' | 'ì' | 'î' | 'ı' => out.push('i'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => out.push(c),
        }
    }
    out
}

/// One text per language: `say!(locale, en: …, nl: …, de: …)` evaluates only the chosen one.
#[macro_export]
macro_rules! say {
    ($locale:expr, en: $en:expr, nl: $nl:expr, de: $de:expr $(,)?) => {
        match $locale {
            $crate::locale::Locale::En => $en,
            $crate::locale::Locale::Nl => $nl,
            $crate::locale::Locale::De => $de,
        }
    };
}

/// A sentence in English, Dutch and German, for results computed before the reader's language
/// is known (an explanation stored with a number): `Text::new(en, nl, de).get(locale)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text([String; 3]);

impl Text {
    pub fn new(en: impl Into<String>, nl: impl Into<String>, de: impl Into<String>) -> Text {
        Text([en.into(), nl.into(), de.into()])
    }

    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        &self.0[locale.index()]
    }
}

/// A number with a decimal comma, as Dutch and German write it (`80.66` → `80,66`).
pub fn decimal_comma(number: &str) -> String {
    number.replace('.', ",")
}

impl Locale {
    /// The language with most stop words among the first 2,000 words of `text` (English when
    /// none): the one detector every service uses.
    pub fn detect(text: &str) -> Locale {
        let mut counts = [0usize; 3];
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(2000) {
            let folded = fold(word);
            for (locale, words) in STOPWORDS {
                if words.contains(&folded.as_str()) {
                    counts[locale.index()] += 1;
                }
            }
        }
        let best = (0..3).max_by_key(|&i| (counts[i], usize::from(i == 0))).unwrap_or(0);
        Locale::ALL[best]
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_regional_tags() {
        assert_eq!(Locale::parse("nl-BE"), Some(Locale::Nl));
        assert_eq!(Locale::parse("DE_at"), Some(Locale::De));
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert!(Locale::of_locale("fr").is_err());
        assert_eq!(Locale::of_locale("").ok(), Some(Locale::En));
        assert_eq!(Locale::optional("language", "").ok(), Some(None));
        assert_eq!(Locale::of_field("language", "xx").expect_err("unknown").field, "language");
    }

    #[test]
    fn detects_the_language_by_its_frequent_words() {
        assert_eq!(Locale::detect("Ik heb vijf jaar ervaring met de heftruck"), Locale::Nl);
        assert_eq!(
            Locale::detect("Ich habe fünf Jahre Erfahrung mit dem Stapler und bin für die Wartung zuständig"),
            Locale::De
        );
        assert_eq!(Locale::detect("I have five years of experience with forklifts"), Locale::En);
        assert_eq!(Locale::detect(""), Locale::En);
    }
}
