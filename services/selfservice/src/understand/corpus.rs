//! The labelled utterances in `eval/dialogues-{nl,de,en}.tsv`: the classifier learns from the
//! `train` rows at start-up, and `tests/understand_eval.rs` measures it on the `test` rows.
//!
//! Format: `#` comment lines, a header row, then `split<TAB>intent<TAB>slots<TAB>text`, where
//! `slots` is `-` or `name=value;name=value` (see [`super::Slots::pairs`] for the names and how
//! values are written) and relative dates are resolved against [`REFERENCE_DATE`].

use hrmesh_kit::locale::Locale;
use time::{Date, Month};

use super::intents::Intent;

/// The files, embedded.
pub const SOURCES: [(Locale, &str); 3] = [
    (Locale::Nl, include_str!("../../eval/dialogues-nl.tsv")),
    (Locale::De, include_str!("../../eval/dialogues-de.tsv")),
    (Locale::En, include_str!("../../eval/dialogues-en.tsv")),
];

/// The "today" of the corpus: Monday 2 March 2026.
pub const REFERENCE_DATE: Date = match Date::from_calendar_date(2026, Month::March, 2) {
    Ok(d) => d,
    Err(_) => panic!("valid date"),
};

/// Train or test row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

/// One labelled utterance.
#[derive(Debug, Clone)]
pub struct Example {
    pub locale: Locale,
    pub split: Split,
    pub intent: Intent,
    /// `(name, value)` as written in the file.
    pub slots: Vec<(String, String)>,
    pub text: String,
}

/// Parses one file; errors name the line.
pub fn parse(locale: Locale, tsv: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    let mut header = false;
    for (n, line) in tsv.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !header {
            header = true;
            if line.starts_with("split\t") {
                continue;
            }
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [split, intent, slots, text] = fields[..] else {
            return Err(format!("{locale} line {}: expected 4 tab-separated fields", n + 1));
        };
        let split = match split {
            "train" => Split::Train,
            "test" => Split::Test,
            other => return Err(format!("{locale} line {}: split {other:?}", n + 1)),
        };
        let intent = Intent::parse(intent).ok_or_else(|| format!("{locale} line {}: intent {intent:?}", n + 1))?;
        let slots = if slots == "-" {
            Vec::new()
        } else {
            slots
                .split(';')
                .map(|kv| kv.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("{locale} line {}: slots {slots:?}", n + 1))?
        };
        out.push(Example { locale, split, intent, slots, text: text.to_owned() });
    }
    Ok(out)
}

/// Every row of the three files (rows that do not parse are skipped; a unit test keeps them
/// parsing).
pub fn examples() -> Vec<Example> {
    SOURCES.iter().flat_map(|&(locale, tsv)| parse(locale, tsv).unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_covers_every_intent_in_both_splits() {
        for (locale, tsv) in SOURCES {
            let rows = parse(locale, tsv).unwrap_or_else(|e| panic!("{e}"));
            assert!(rows.len() >= 200, "{locale}: {} rows", rows.len());
            for intent in Intent::ALL {
                for split in [Split::Train, Split::Test] {
                    assert!(rows.iter().any(|r| r.intent == intent && r.split == split), "{locale} {intent} {split:?}");
                }
            }
        }
    }
}
