//! The word lists of the bias checks (`data/bias/`, sources in its README), compiled in and
//! parsed once.

use std::sync::LazyLock;

use hrmesh_kit::locale::{Locale, fold};

/// One list entry: a sequence of folded tokens; the last may be a stem (prefix).
#[derive(Debug, Clone)]
pub struct Entry {
    tokens: Vec<String>,
    stem: bool,
}

/// The lists of one language.
#[derive(Debug)]
pub struct Lists {
    pub masculine: Vec<Entry>,
    pub feminine: Vec<Entry>,
    pub personality: Vec<Entry>,
    pub concrete: Vec<Entry>,
    pub evaluative: Vec<Entry>,
}

/// Splits text into words (letters, digits and inner hyphens), keeping each word's original form.
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn parse(data: &str) -> Vec<Entry> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let stem = l.ends_with('*');
            let tokens = words(l.trim_end_matches('*')).into_iter().map(fold).collect();
            Entry { tokens, stem }
        })
        .filter(|e: &Entry| !e.tokens.is_empty())
        .collect()
}

impl Entry {
    /// Whether the entry matches `folded` starting at `at`; the number of words it covers.
    fn matches_at(&self, folded: &[String], at: usize) -> Option<usize> {
        let n = self.tokens.len();
        if at + n > folded.len() {
            return None;
        }
        for (i, token) in self.tokens.iter().enumerate() {
            let word = &folded[at + i];
            let last = i + 1 == n;
            let ok = if last && self.stem { word.starts_with(token.as_str()) } else { word == token };
            if !ok {
                return None;
            }
        }
        Some(n)
    }
}

/// The words of `original` (folded alongside in `folded`) that any entry of `list` matches.
pub fn hits(list: &[Entry], original: &[&str], folded: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < folded.len() {
        match list.iter().filter_map(|e| e.matches_at(folded, at)).max() {
            Some(n) => {
                out.push(original[at..at + n].join(" "));
                at += n;
            }
            None => at += 1,
        }
    }
    out
}

macro_rules! lists {
    ($lang:literal) => {
        Lists {
            masculine: parse(include_str!(concat!("../../data/bias/", $lang, ".masculine.txt"))),
            feminine: parse(include_str!(concat!("../../data/bias/", $lang, ".feminine.txt"))),
            personality: parse(include_str!(concat!("../../data/bias/", $lang, ".personality.txt"))),
            concrete: parse(include_str!(concat!("../../data/bias/", $lang, ".concrete.txt"))),
            evaluative: parse(include_str!(concat!("../../data/bias/", $lang, ".evaluative.txt"))),
        }
    };
}

static LISTS: LazyLock<[Lists; 3]> = LazyLock::new(|| [lists!("en"), lists!("nl"), lists!("de")]);

/// The lists of `locale`.
pub fn of(locale: Locale) -> &'static Lists {
    &LISTS[locale.index()]
}
