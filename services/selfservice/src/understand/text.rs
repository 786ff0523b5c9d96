//! Tokens and typo tolerance.
//!
//! A text becomes words (runs of letters), numbers (runs of ASCII digits) and single punctuation
//! characters; `1234AB` is a number and a word, `3rd` a number and a word. Words are folded with
//! the kit's [`fold`] (lower case, no diacritics: `Übermorgen` → `ubermorgen`).
//!
//! Typo tolerance: a word the [`Lexicon`] does not know is read as the closest word it does know
//! within a bounded Damerau–Levenshtein distance (adjacent transpositions count once): distance 1
//! when the vocabulary word has at least 4 letters, 2 when it has at least 8, and never for typed
//! words shorter than 3 letters (a 3-letter word may only have lost a letter: `vrj` → `vrij`).
//! The candidate also has to start with the same letter (or the typo swaps the first two):
//! first letters are rarely mistyped, and the rule keeps unrelated words apart. Ties go to the
//! more frequent word, then the alphabetically first, so the result is deterministic.

use std::collections::HashMap;

use hrmesh_kit::locale::fold;

/// At most this many tokens of a text are read (a chat message is far shorter): bounds the work.
pub const MAX_TOKENS: usize = 256;
/// Words longer than this are never corrected (compounds this long are not typos of our words).
const MAX_CORRECT_CHARS: usize = 32;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Num,
    Punct,
}

/// One token of a text.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: Kind,
    /// Byte range in the text (for evidence and for original case).
    pub start: usize,
    pub end: usize,
    /// Whether whitespace precedes it (`12a` vs `12 a`).
    pub spaced: bool,
    /// Folded text, after typo correction for words.
    pub norm: String,
    /// The folded text as typed, when a correction replaced it.
    pub typed: Option<String>,
}

impl Token {
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.norm == w
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.norm.starts_with(c)
    }

    /// The numeric value of a number token.
    pub fn num(&self) -> Option<u32> {
        if self.kind == Kind::Num && self.norm.len() <= 9 { self.norm.parse().ok() } else { None }
    }

    /// The token as typed, with its original case.
    pub fn raw<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or_default()
    }

    /// Whether it was typed with a capital first letter.
    pub fn capitalised(&self, text: &str) -> bool {
        self.raw(text).chars().next().is_some_and(char::is_uppercase)
    }
}

/// Splits `text` into at most [`MAX_TOKENS`] tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut spaced = true;
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if out.len() >= MAX_TOKENS {
            break;
        }
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let kind = if c.is_alphabetic() {
            Kind::Word
        } else if c.is_ascii_digit() {
            Kind::Num
        } else {
            Kind::Punct
        };
        let mut end = start + c.len_utf8();
        if kind != Kind::Punct {
            while let Some(&(i, n)) = iter.peek() {
                let same = if kind == Kind::Word { n.is_alphabetic() } else { n.is_ascii_digit() };
                if !same {
                    break;
                }
                end = i + n.len_utf8();
                iter.next();
            }
        }
        let slice = &text[start..end];
        let norm = if kind == Kind::Word { fold(slice) } else { slice.to_owned() };
        out.push(Token { kind, start, end, spaced, norm, typed: None });
        spaced = false;
    }
    out
}

/// The text of tokens `from..to`.
pub fn span_text(text: &str, tokens: &[Token], from: usize, to: usize) -> String {
    match (tokens.get(from), tokens.get(to.saturating_sub(1))) {
        (Some(a), Some(b)) => text.get(a.start..b.end).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

/// Known words with their frequency, indexed by first letter for typo lookup.
#[derive(Debug, Default)]
pub struct Lexicon {
    counts: HashMap<String, u32>,
    by_first: HashMap<char, Vec<(Vec<char>, u32, String)>>,
}

impl Lexicon {
    /// Counts a (folded) word; call [`Lexicon::finish`] after the last one.
    pub fn add(&mut self, word: &str, count: u32) {
        if word.chars().all(char::is_alphabetic) && !word.is_empty() {
            *self.counts.entry(word.to_owned()).or_default() += count;
        }
    }

    /// Builds the lookup index (sorted, so corrections do not depend on insertion order).
    pub fn finish(&mut self) {
        let mut words: Vec<(&String, &u32)> = self.counts.iter().collect();
        words.sort();
        self.by_first.clear();
        for (w, &n) in words {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() >= 4
                && let Some(&first) = chars.first()
            {
                self.by_first.entry(first).or_default().push((chars, n, w.clone()));
            }
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.counts.contains_key(word)
    }

    /// The known word `word` is a typo of, if any (see the module docs for the rules).
    pub fn correct(&self, word: &str) -> Option<&str> {
        if self.contains(word) {
            return None;
        }
        let typed: Vec<char> = word.chars().collect();
        if typed.len() < 3 || typed.len() > MAX_CORRECT_CHARS || !typed.iter().all(|c| c.is_alphabetic()) {
            return None;
        }
        let mut firsts = vec![typed[0]];
        if typed[1] != typed[0] {
            firsts.push(typed[1]);
        }
        let mut best: Option<(usize, u32, &str)> = None;
        for first in firsts {
            for (cand, count, w) in self.by_first.get(&first).map(Vec::as_slice).unwrap_or_default() {
                let max = if cand.len() >= 8 { 2 } else { 1 };
                if typed.len() == 3 && cand.len() != 4 {
                    continue; // a 3-letter word may only have lost one letter
                }
                if cand.len().abs_diff(typed.len()) > max || (cand[0] != typed[0] && cand[0] != typed[1]) {
                    continue;
                }
                let Some(d) = distance(&typed, cand, max) else { continue };
                let better = match best {
                    None => true,
                    Some((bd, bc, bw)) => d < bd || (d == bd && (*count > bc || (*count == bc && w.as_str() < bw))),
                };
                if better {
                    best = Some((d, *count, w));
                }
            }
        }
        best.map(|(_, _, w)| w)
    }

    /// Corrects every unknown word of `tokens` in place.
    pub fn correct_tokens(&self, tokens: &mut [Token]) {
        for t in tokens.iter_mut().filter(|t| t.kind == Kind::Word) {
            if let Some(w) = self.correct(&t.norm) {
                let w = w.to_owned();
                t.typed = Some(std::mem::replace(&mut t.norm, w));
            }
        }
    }
}

/// Optimal-string-alignment distance between `a` and `b` if it is at most `max`, else `None`.
/// Three rolling rows on the stack; stops as soon as a whole row exceeds `max`. Words longer than
/// [`MAX_CORRECT_CHARS`] are not compared.
pub fn distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    const W: usize = MAX_CORRECT_CHARS + 1;
    if a.len().abs_diff(b.len()) > max || a.len() > MAX_CORRECT_CHARS || b.len() > MAX_CORRECT_CHARS {
        return None;
    }
    let (mut before, mut prev, mut cur) = ([0usize; W], [0usize; W], [0usize; W]);
    for (j, cell) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        (before, prev) = (prev, cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(words: &[&str]) -> Lexicon {
        let mut l = Lexicon::default();
        for w in words {
            l.add(w, 1);
        }
        l.finish();
        l
    }

    #[test]
    fn splits_words_numbers_and_punctuation() {
        let t = tokenize("Kerkstraat 12a, 3511AB t/m 3rd Übermorgen");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["kerkstraat", "12", "a", ",", "3511", "ab", "t", "/", "m", "3", "rd", "ubermorgen"]);
        assert!(!t[2].spaced && t[1].spaced);
        assert_eq!(t[0].raw("Kerkstraat 12a"), "Kerkstraat");
    }

    #[test]
    fn corrects_within_the_length_bounds() {
        let l = lexicon(&["vrij", "vrijdag", "loonstrook", "krank", "annuleren", "ziek", "dag"]);
        assert_eq!(l.correct("vrj"), Some("vrij"));
        assert_eq!(l.correct("vrijdga"), Some("vrijdag"));
        assert_eq!(l.correct("lonstrok"), Some("loonstrook"));
        assert_eq!(l.correct("krnak"), Some("krank"));
        assert_eq!(l.correct("anuleren"), Some("annuleren"));
        assert_eq!(l.correct("zeik"), Some("ziek"));
        assert_eq!(l.correct("dg"), None, "never on short words");
        assert_eq!(l.correct("dax"), None, "vocabulary words under 4 letters are not targets");
        assert_eq!(l.correct("vrijdxyz"), None, "too far");
        assert_eq!(l.correct("vrij"), None, "known words stay");
    }

    #[test]
    fn distance_is_bounded_damerau_levenshtein() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(distance(&c("cancle"), &c("cancel"), 1), Some(1));
        assert_eq!(distance(&c("abc"), &c("abc"), 1), Some(0));
        assert_eq!(distance(&c("abcdef"), &c("badcfe"), 2), None);
        assert_eq!(distance(&c("kitten"), &c("sitting"), 3), Some(3));
    }
}
