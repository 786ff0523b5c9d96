//! Multi-word expressions the lexicons lack: quit intent ("ik overweeg om op te stappen"),
//! separable verbs ("ik zie er tegen op", "hört nie zu"), idioms ("burnt out", "die Nase voll").
//!
//! A pattern is words separated by spaces, compared with folded tokens: `word` must be equal,
//! `word*` a prefix (any inflection), and a lone `*` lets up to three tokens pass in between
//! ("ich suche * neue*" matches "ich suche gerade etwas Neues"). A phrase never spans a clause
//! boundary; a negator in a gap negates the phrase ("hört nie zu").

use std::collections::HashMap;

use super::fold;
use super::tokens::Token;
use super::topics::Topic;

/// Tokens a `*` gap may skip.
const MAX_GAP: usize = 3;

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Word(String),
    Prefix(String),
    Gap,
}

impl Part {
    fn matches(&self, token: &Token) -> bool {
        match self {
            Part::Word(w) => token.folded == *w,
            Part::Prefix(p) => token.folded.starts_with(p.as_str()),
            Part::Gap => true,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Phrase {
    parts: Vec<Part>,
    /// Valence in VADER units; 0 marks a neutral expression that hides its words ("bus stop").
    pub weight: f64,
    pub topic: Option<Topic>,
    /// Literal parts: how specific the phrase is (more wins).
    literals: usize,
}

/// One occurrence of a phrase in a comment.
#[derive(Debug, Clone)]
pub(super) struct Match<'a> {
    pub phrase: &'a Phrase,
    pub start: usize,
    /// Last token, inclusive.
    pub end: usize,
    /// Tokens inside gaps (not part of the phrase).
    pub gaps: Vec<usize>,
}

/// The phrases of one language, indexed by their first word (or its first three letters).
#[derive(Debug, Default)]
pub(super) struct PhraseSet {
    phrases: Vec<Phrase>,
    by_word: HashMap<String, Vec<usize>>,
    by_prefix: HashMap<String, Vec<usize>>,
}

fn head(s: &str) -> String {
    s.chars().take(3).collect()
}

impl PhraseSet {
    /// Adds a pattern; one that starts with a gap or has no words is ignored.
    pub(super) fn add(&mut self, pattern: &str, weight: f64, topic: Option<Topic>) {
        let parts: Vec<Part> = pattern
            .split_whitespace()
            .map(|p| match p {
                "*" => Part::Gap,
                _ => match p.strip_suffix('*') {
                    Some(prefix) => Part::Prefix(fold(prefix)),
                    None => Part::Word(fold(p)),
                },
            })
            .collect();
        let literals = parts.iter().filter(|p| **p != Part::Gap).count();
        let index = self.phrases.len();
        match parts.first() {
            Some(Part::Word(w)) => self.by_word.entry(w.clone()).or_default().push(index),
            Some(Part::Prefix(p)) if p.chars().count() >= 3 => self.by_prefix.entry(head(p)).or_default().push(index),
            _ => return,
        }
        if parts.last() == Some(&Part::Gap) {
            return;
        }
        self.phrases.push(Phrase { parts, weight, topic, literals });
    }

    /// Every phrase occurrence, the most specific per start token first.
    pub(super) fn find<'a>(&'a self, tokens: &[Token], out: &mut Vec<Match<'a>>) {
        for (start, token) in tokens.iter().enumerate() {
            if token.emoji.is_some() {
                continue;
            }
            let exact = self.by_word.get(&token.folded).into_iter().flatten();
            let prefixed = self.by_prefix.get(&head(&token.folded)).into_iter().flatten();
            for &index in exact.chain(prefixed) {
                let phrase = &self.phrases[index];
                let mut gaps = Vec::new();
                if let Some(end) = match_from(&phrase.parts, tokens, start, start, &mut gaps) {
                    out.push(Match { phrase, start, end, gaps });
                }
            }
        }
    }
}

/// Matches `parts` from token `at`; returns the last token of the match. `start` is the first
/// token of the phrase (no later token may start a clause).
fn match_from(parts: &[Part], tokens: &[Token], start: usize, at: usize, gaps: &mut Vec<usize>) -> Option<usize> {
    let (part, rest) = parts.split_first()?;
    let usable = |i: usize| tokens.get(i).filter(|t| t.emoji.is_none() && (i == start || !t.clause_start));
    if *part == Part::Gap {
        for skip in 0..=MAX_GAP {
            if skip > 0 && usable(at + skip - 1).is_none() {
                return None;
            }
            let before = gaps.len();
            gaps.extend(at..at + skip);
            if let Some(end) = match_from(rest, tokens, start, at + skip, gaps) {
                return Some(end);
            }
            gaps.truncate(before);
        }
        return None;
    }
    let token = usable(at)?;
    if !part.matches(token) {
        return None;
    }
    if rest.is_empty() { Some(at) } else { match_from(rest, tokens, start, at + 1, gaps) }
}

/// Chooses non-overlapping matches: more literal words first (the more specific phrase wins),
/// then the shorter span, then the earlier one; returned in text order.
pub(super) fn resolve(mut matches: Vec<Match<'_>>) -> Vec<Match<'_>> {
    matches.sort_by(|a, b| {
        (b.phrase.literals.cmp(&a.phrase.literals))
            .then((a.end - a.start).cmp(&(b.end - b.start)))
            .then(a.start.cmp(&b.start))
    });
    let mut chosen: Vec<Match<'_>> = Vec::new();
    for m in matches {
        if chosen.iter().all(|c| m.end < c.start || m.start > c.end) {
            chosen.push(m);
        }
    }
    chosen.sort_by_key(|m| m.start);
    chosen
}
