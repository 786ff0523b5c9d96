//! Inflection: the dictionary forms a word may come from ("leuke", "leuker" → "leuk"; "grote" →
//! "groot"; "schönen" → "schön"; "gewaardeerd" → "waardeer"). Candidates are only looked up, never
//! trusted on their own, so generating a few wrong ones costs nothing.

use super::Locale;

/// Candidate dictionary forms of `word` (lower case; folded for Dutch), most likely first.
pub(super) fn inflections(locale: Locale, word: &str, out: &mut Vec<String>) {
    match locale {
        Locale::Nl => dutch(word, out),
        Locale::De => german(word, out),
        Locale::En => english(word, out),
    }
}

fn strip<'a>(word: &'a str, suffix: &str, min_stem: usize) -> Option<&'a str> {
    let stem = word.strip_suffix(suffix)?;
    (stem.chars().count() >= min_stem).then_some(stem)
}

const VOWELS: &[char] = &['a', 'e', 'i', 'o', 'u', 'y'];

fn is_vowel(c: char) -> bool {
    VOWELS.contains(&c)
}

fn dutch(word: &str, out: &mut Vec<String>) {
    const SUFFIXES: &[&str] = &["ste", "st", "ere", "er", "e", "en", "s", "'s", "t", "de", "te", "den", "ten", "d"];
    for suffix in SUFFIXES {
        if let Some(stem) = strip(word, suffix, 3) {
            dutch_stem(stem, out);
        }
    }
    // Past participles: ge-waardeer-d, ge-stress-t.
    if let Some(inner) = word.strip_prefix("ge").and_then(|w| w.strip_suffix(['d', 't']))
        && inner.chars().count() >= 3
    {
        dutch_stem(inner, out);
        out.push(format!("{inner}en"));
    }
}

/// A Dutch stem with its spelling restored: "drukk" → "druk", "grot" → "groot", "liev" → "lief".
fn dutch_stem(stem: &str, out: &mut Vec<String>) {
    out.push(stem.to_string());
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n >= 2 && chars[n - 1] == chars[n - 2] && !is_vowel(chars[n - 1]) {
        out.push(chars[..n - 1].iter().collect());
        return;
    }
    let mut base: Vec<char> = chars.clone();
    match base.last() {
        Some('v') => base[n - 1] = 'f',
        Some('z') => base[n - 1] = 's',
        _ => {}
    }
    if base != chars {
        out.push(base.iter().collect());
    }
    // Open syllable: one vowel between consonants was long ("grote" ← "groot").
    if n >= 3 && !is_vowel(base[n - 1]) && is_vowel(base[n - 2]) && !is_vowel(base[n - 3]) && base[n - 2] != 'i' {
        let mut long: Vec<char> = base[..n - 1].to_vec();
        long.push(base[n - 2]);
        long.push(base[n - 1]);
        out.push(long.into_iter().collect());
    }
}

fn german(word: &str, out: &mut Vec<String>) {
    const SUFFIXES: &[&str] = &[
        "sten", "ster", "stes", "stem", "ste", "eren", "erer", "eres", "erem", "ere", "innen", "nen", "en", "em", "er",
        "es", "e", "n", "s", "st", "t", "et", "te", "ten", "test", "tet",
    ];
    for suffix in SUFFIXES {
        if let Some(stem) = strip(word, suffix, 3) {
            out.push(stem.to_string());
            out.push(format!("{stem}en"));
            out.push(format!("{stem}n"));
            if let Some(plain) = without_umlaut(stem) {
                out.push(format!("{plain}en"));
                out.push(format!("{plain}n"));
                out.push(plain);
            }
        }
    }
    // Past participles: ge-lob-t → loben, ge-ärger-t → ärgern.
    if let Some(inner) = word.strip_prefix("ge").and_then(|w| w.strip_suffix('t'))
        && inner.chars().count() >= 3
    {
        out.push(format!("{inner}en"));
        out.push(format!("{inner}n"));
    }
    if word.contains("ss") {
        out.push(word.replace("ss", "ß"));
    }
}

/// The stem with its last umlaut undone ("größ" → "groß", "ält" → "alt").
fn without_umlaut(stem: &str) -> Option<String> {
    let (at, c) = stem.char_indices().rev().find(|(_, c)| matches!(c, 'ä' | 'ö' | 'ü'))?;
    let plain = match c {
        'ä' => 'a',
        'ö' => 'o',
        _ => 'u',
    };
    Some(format!("{}{plain}{}", &stem[..at], &stem[at + c.len_utf8()..]))
}

/// English: plural and verb endings only ("complaints" → "complaint"); VADER's lexicon lists most
/// other forms itself.
fn english(word: &str, out: &mut Vec<String>) {
    if word.contains('\'') {
        return;
    }
    for (suffix, min) in [("ies", 3), ("es", 3), ("s", 3), ("ed", 3), ("ing", 3)] {
        let Some(stem) = strip(word, suffix, min) else { continue };
        if suffix == "s" && stem.ends_with('s') {
            continue;
        }
        if suffix == "ies" {
            out.push(format!("{stem}y"));
            continue;
        }
        out.push(stem.to_string());
        if suffix == "ed" || suffix == "ing" {
            out.push(format!("{stem}e"));
            let chars: Vec<char> = stem.chars().collect();
            let n = chars.len();
            if n >= 2 && chars[n - 1] == chars[n - 2] && !is_vowel(chars[n - 1]) {
                out.push(chars[..n - 1].iter().collect());
            }
        }
    }
}
