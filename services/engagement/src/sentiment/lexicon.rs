//! The word lists, compiled in and loaded once: VADER (English, with its emoji descriptions),
//! pattern's Dutch adjectives, the German Polarity Lexicon, and hrmesh's own workplace words and
//! phrases per language. Lookup goes exact form → inflected form → negating prefix ("on-", "un-")
//! → compound head ("werk|druk", "Arbeits|belastung").

use std::collections::HashMap;
use std::sync::LazyLock;

use super::phrases::PhraseSet;
use super::topics::Topic;
use super::words::words;
use super::{Locale, fold, morph};

const EN_VADER: &str = include_str!("../../data/lexicons/en-vader.tsv");
const EN_EMOJI: &str = include_str!("../../data/lexicons/en-vader-emoji.tsv");
const NL_PATTERN: &str = include_str!("../../data/lexicons/nl-pattern.tsv");
const DE_GPL: &str = include_str!("../../data/lexicons/de-gpl.tsv");
/// Workplace words and phrases per language, in [`Locale::ALL`] order.
const WORKPLACE: [&str; 3] = [
    include_str!("../../data/lexicons/en-workplace.tsv"),
    include_str!("../../data/lexicons/nl-workplace.tsv"),
    include_str!("../../data/lexicons/de-workplace.tsv"),
];

/// Polarity −1..1 of the Dutch and German lexicons onto VADER's −4..4 valence.
const NL_SCALE: f64 = 3.5;
const DE_SCALE: f64 = 2.2;
/// Weaker Dutch polarities are near-neutral senses ("hoog" 0.1) and only add noise.
const NL_MIN_POLARITY: f64 = 0.15;

/// A word's valence and, for workplace words, the topic it signals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Found {
    pub valence: f64,
    pub topic: Option<Topic>,
}

pub(super) struct Lexicons {
    /// The published lexicons, by [`Locale::index`]: English by lower case, Dutch folded,
    /// German lower case with umlauts (folding would make "schön" "schon").
    base: [HashMap<String, f64>; 3],
    /// hrmesh's workplace words, folded; they override the published lexicons.
    work: [HashMap<String, Found>; 3],
    pub phrases: [PhraseSet; 3],
    emoji: HashMap<&'static str, &'static str>,
    emoji_max_chars: usize,
}

/// Loaded on first use.
pub(super) static LEXICONS: LazyLock<Lexicons> = LazyLock::new(Lexicons::load);

/// Rows of `word<TAB>number[<TAB>...]`, skipping blank and `#` lines.
fn rows(data: &'static str) -> impl Iterator<Item = (&'static str, f64, Option<&'static str>)> {
    data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).filter_map(|line| {
        let mut cols = line.split('\t');
        let word = cols.next()?.trim();
        let value = cols.next()?.trim().parse().ok()?;
        Some((word, value, cols.next().map(str::trim).filter(|t| !t.is_empty())))
    })
}

impl Lexicons {
    fn load() -> Lexicons {
        let en = rows(EN_VADER).map(|(w, v, _)| (w.to_string(), v)).collect();
        let nl = rows(NL_PATTERN)
            .filter(|(_, p, _)| p.abs() >= NL_MIN_POLARITY)
            .map(|(w, p, _)| (fold(w), p * NL_SCALE))
            .collect();
        let de = rows(DE_GPL).map(|(w, p, _)| (w.to_string(), p * DE_SCALE)).collect();
        let mut work: [HashMap<String, Found>; 3] = Default::default();
        let mut phrases: [PhraseSet; 3] = Default::default();
        for locale in Locale::ALL {
            let i = locale.index();
            for (term, valence, topic) in rows(WORKPLACE[i]) {
                let topic = topic.and_then(Topic::parse);
                if term.contains(' ') {
                    phrases[i].add(term, valence, topic);
                } else {
                    work[i].insert(fold(term), Found { valence, topic });
                }
            }
        }
        let emoji: HashMap<&'static str, &'static str> = EN_EMOJI
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(e, d)| !e.is_empty() && !d.trim().is_empty())
            .map(|(e, d)| (e, d.trim()))
            .collect();
        let emoji_max_chars = emoji.keys().map(|e| e.chars().count()).max().unwrap_or(1);
        Lexicons { base: [en, nl, de], work, phrases, emoji, emoji_max_chars }
    }

    pub(super) fn emoji(&self, s: &str) -> Option<(&'static str, &'static str)> {
        self.emoji.get_key_value(s).map(|(e, d)| (*e, *d))
    }

    pub(super) fn emoji_max_chars(&self) -> usize {
        self.emoji_max_chars
    }

    pub(super) fn is_emoticon(&self, lower: &str) -> bool {
        self.base[Locale::En.index()].contains_key(lower)
    }

    /// Whether VADER's lexicon has `lower` (its rules treat lexicon words specially).
    pub(super) fn in_vader(&self, lower: &str) -> bool {
        self.base[Locale::En.index()].contains_key(lower)
    }

    /// The form of a token each lexicon is keyed by.
    fn key<'a>(locale: Locale, lower: &'a str, folded: &'a str) -> &'a str {
        if locale == Locale::Nl { folded } else { lower }
    }

    /// Exact lookup of `key` (see [`Lexicons::key`]).
    fn exact(&self, locale: Locale, key: &str) -> Option<Found> {
        let i = locale.index();
        let work = if key.is_ascii() { self.work[i].get(key) } else { self.work[i].get(&fold(key)) };
        work.copied().or_else(|| self.base[i].get(key).map(|&valence| Found { valence, topic: None }))
    }

    /// Exact or inflected form.
    fn inflected(&self, locale: Locale, key: &str) -> Option<Found> {
        if let Some(found) = self.exact(locale, key) {
            return Some(found);
        }
        if key.chars().count() < 4 {
            return None;
        }
        let mut candidates = Vec::new();
        morph::inflections(locale, key, &mut candidates);
        candidates.iter().find_map(|c| self.exact(locale, c))
    }

    /// The valence of a token in `locale`'s lexicons, through inflection, negating prefixes and
    /// compounds. A workplace word of valence 0 hides a misleading lexicon entry ("naar").
    pub(super) fn lookup(&self, locale: Locale, lower: &str, folded: &str) -> Option<Found> {
        self.find(locale, Self::key(locale, lower, folded)).filter(|found| found.valence != 0.0)
    }

    fn find(&self, locale: Locale, key: &str) -> Option<Found> {
        if let Some(found) = self.inflected(locale, key) {
            return Some(found);
        }
        if locale == Locale::En {
            return None;
        }
        if let Some((_, last)) = key.rsplit_once('-') {
            return self.inflected(locale, last);
        }
        self.negated_prefix(locale, key).or_else(|| self.compound(locale, key))
    }

    /// "ontevreden", "unfreundlich", "Misstrauen": a negating prefix before a positive word.
    fn negated_prefix(&self, locale: Locale, key: &str) -> Option<Found> {
        let prefixes: &[&str] = if locale == Locale::Nl { &["on", "mis", "wan"] } else { &["un", "miss", "miß"] };
        prefixes.iter().find_map(|p| {
            let rest = key.strip_prefix(p)?;
            if rest.chars().count() < 4 {
                return None;
            }
            let found = self.inflected(locale, rest)?;
            (found.valence > 0.0).then_some(Found { valence: -0.8 * found.valence, topic: found.topic })
        })
    }

    /// A compound whose head is a lexicon word: the longest head of at least four letters, taken
    /// when it is long (six or more) or the modifier is a known word, so that "verschil" is not
    /// read as "ver|schil".
    fn compound(&self, locale: Locale, key: &str) -> Option<Found> {
        let starts: Vec<usize> = key.char_indices().map(|(i, _)| i).collect();
        let n = starts.len();
        if n < 7 {
            return None;
        }
        let w = words(locale);
        for &at in &starts[3..=n - 4] {
            let (modifier, head) = key.split_at(at);
            let folded = fold(modifier);
            if w.particles.contains(folded.as_str()) || folded.ends_with("zu") || head.starts_with("ge") {
                continue;
            }
            let head_len = n - modifier.chars().count();
            if head_len < 6 && !self.known_modifier(locale, modifier) {
                continue;
            }
            if let Some(found) = self.head(locale, head) {
                return Some(Found { valence: 0.9 * found.valence, topic: found.topic });
            }
        }
        None
    }

    /// A compound head as written or with a plural or case ending ("Belastung|en").
    fn head(&self, locale: Locale, head: &str) -> Option<Found> {
        self.exact(locale, head).or_else(|| {
            ["en", "e", "n", "s", "es", "er"].iter().find_map(|e| {
                head.strip_suffix(e).filter(|h| h.chars().count() >= 4).and_then(|h| self.exact(locale, h))
            })
        })
    }

    fn known_modifier(&self, locale: Locale, modifier: &str) -> bool {
        let folded = fold(modifier);
        let known = |m: &str| words(locale).compound_modifiers.contains(m) || self.work[locale.index()].contains_key(m);
        known(&folded)
            || ["s", "es", "en", "n", "e"]
                .iter()
                .any(|l| folded.strip_suffix(l).is_some_and(|m| m.len() >= 3 && known(m)))
    }
}
