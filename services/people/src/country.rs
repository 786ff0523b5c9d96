//! Work countries and their regions: the statutory rules and public holidays depend on them.

use std::fmt;

/// A country an employee works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Country {
    /// The Netherlands.
    Nl,
    /// Germany.
    De,
    /// Belgium.
    Be,
}

/// German states (Bundesländer) by their ISO 3166-2 codes without the `DE-` prefix.
pub const GERMAN_STATES: [&str; 16] =
    ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"];

impl Country {
    /// Parses `NL`, `DE` or `BE` (any case, surrounding spaces ignored).
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_uppercase().as_str() {
            "NL" => Some(Self::Nl),
            "DE" => Some(Self::De),
            "BE" => Some(Self::Be),
            _ => None,
        }
    }

    /// The ISO 3166-1 alpha-2 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "NL",
            Self::De => "DE",
            Self::Be => "BE",
        }
    }

    /// The region normalised to its code, if `region` is one of this country's: a German state
    /// code (`BY`, `DE-BY`) is required in Germany because holidays differ by state; Dutch and
    /// Belgian regions (provinces) are kept as given, since their holidays are national.
    pub fn region(self, region: &str) -> Option<String> {
        let region = region.trim();
        match self {
            Self::De => {
                let code = region.to_ascii_uppercase();
                let code = code.strip_prefix("DE-").unwrap_or(&code);
                GERMAN_STATES.contains(&code).then(|| code.to_owned())
            }
            Self::Nl | Self::Be => Some(region.to_owned()),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
