//! Sentiment of short employee comments in Dutch, German and English, explained word by word.
//!
//! The comment's language is detected ([`Locale::detect`], with lexicon evidence for comments
//! too short for stop words); its words are scored with that language's lexicon (all three when
//! the comment is mixed): VADER for English, pattern's adjectives for Dutch, the German Polarity
//! Lexicon for German, and hrmesh's workplace words and phrases for all three ("werkdruk",
//! "innerlich gekündigt", "looking for another job"). Dutch and German words are found through
//! their inflections ("leuke", "schönen") and compounds ("Arbeits|belastung"). VADER's rules then
//! apply in every language: negation, boosters and dampeners, contrast ("maar", "aber", "but"),
//! capitals, exclamation and question marks, emoji. The sum of the valences is normalised as
//! VADER does, `sum / sqrt(sum² + 15)`, into −1..1.
//!
//! Data: `data/lexicons/` (licences and sources in its README), compiled in and loaded once.

mod lexicon;
mod morph;
mod phrases;
mod rules;
#[cfg(test)]
mod tests;
mod tokens;
mod topics;
mod words;

use hrmesh_kit::locale::{Locale, fold};
use hrmesh_proto::engagement::v1::{CommentSentiment, SentimentHit};

pub use topics::Topic;

/// Model id and version, as logged with every output.
pub const MODEL: &str = "engagement.sentiment-lexicon@2";

/// A score at or above this is positive, at or below minus this negative (VADER's convention).
pub const THRESHOLD: f64 = 0.05;

/// VADER's normalisation constant: the valence sum where the score reaches ±0.5 is about 2.2.
const ALPHA: f64 = 15.0;

/// A comment's sentiment with its language and topics.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Score, label, the words and phrases that drove it, model.
    pub sentiment: CommentSentiment,
    /// The language whose rules applied.
    pub language: Locale,
    /// No language dominated: the words were looked up in all three lexicons.
    pub mixed: bool,
    /// What the comment is about, in [`Topic::ALL`] order.
    pub topics: Vec<Topic>,
}

/// Sentiment of `text` with its explanation: each hit is a word or phrase with its valence in
/// VADER units (about −4..4, after negation, boosters and contrast) and whether it was negated.
pub fn analyse(text: &str) -> CommentSentiment {
    analyse_detailed(text, None).sentiment
}

/// Sentiment, language and topics of `text`; `locale` skips language detection.
pub fn analyse_detailed(text: &str, locale: Option<Locale>) -> Analysis {
    let lex = &*lexicon::LEXICONS;
    let tokens = tokens::tokenize(text, lex);
    let (language, mixed) = match locale {
        Some(locale) => (locale, false),
        None => detect(text, &tokens, lex),
    };
    let mut languages = vec![language];
    if mixed {
        languages.extend(Locale::ALL.into_iter().filter(|l| *l != language));
    }
    let cx = rules::Context { tokens: &tokens, lang: language, languages: &languages, lex };
    let scored = rules::score(&cx);

    let sum: f64 = scored.items.iter().map(|item| item.valence).sum();
    let (marks, emphasis) = punctuation(text);
    let total = if sum > 0.0 {
        sum + emphasis
    } else if sum < 0.0 {
        sum - emphasis
    } else {
        0.0
    };
    let score = round(normalize(total), 4);
    let label = if score >= THRESHOLD {
        "positive"
    } else if score <= -THRESHOLD {
        "negative"
    } else {
        "neutral"
    };
    let mut hits: Vec<SentimentHit> = scored
        .items
        .into_iter()
        .filter(|item| item.valence != 0.0)
        .map(|item| SentimentHit { word: item.text, weight: round(item.valence, 3), negated: item.negated })
        .collect();
    if sum != 0.0 && emphasis > 0.0 {
        hits.push(SentimentHit { word: marks, weight: round(emphasis.copysign(sum), 3), negated: false });
    }
    let topics = topics::tag(&tokens, &languages, &scored.topics);
    Analysis {
        sentiment: CommentSentiment { score, label: label.into(), hits, model: MODEL.into() },
        language,
        mixed,
        topics,
    }
}

/// VADER's normalisation into −1..1.
fn normalize(sum: f64) -> f64 {
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// VADER's emphasis from exclamation marks (up to four) and question marks (two or more), with
/// the marks as they count.
fn punctuation(text: &str) -> (String, f64) {
    let exclamations = text.matches('!').count().min(4);
    let questions = text.matches('?').count();
    let question_emphasis = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * 0.18,
        _ => 0.96,
    };
    let marks = "!".repeat(exclamations) + &"?".repeat(if questions > 1 { questions.min(4) } else { 0 });
    (marks, exclamations as f64 * 0.292 + question_emphasis)
}

/// The comment's language: [`Locale::detect`] (stop words). When it said English for want of any
/// stop word, as in "Tolle Kollegen!", the language whose lexicons, phrases and function words
/// know most of the words, with all lexicons as fallback (`mixed`).
fn detect(text: &str, tokens: &[tokens::Token], lex: &lexicon::Lexicons) -> (Locale, bool) {
    let detected = Locale::detect(text);
    if detected != Locale::En || tokens.iter().any(|t| words::ENGLISH_EVIDENCE.contains(t.folded.as_str())) {
        return (detected, false);
    }
    let mut support = [0usize; 3];
    for locale in Locale::ALL {
        let w = words::words(locale);
        let mut matches = Vec::new();
        lex.phrases[locale.index()].find(tokens, &mut matches);
        let in_phrase = |i: usize| matches.iter().any(|m| m.start <= i && i <= m.end);
        for (i, t) in tokens.iter().enumerate() {
            if t.emoji.is_some() || words::FALSE_FRIENDS.contains(t.folded.as_str()) {
                continue;
            }
            let known = in_phrase(i)
                || w.is_negator(&t.folded)
                || w.booster(&t.folded).is_some()
                || w.contrast.contains(t.folded.as_str())
                || w.conjunctions.contains(t.folded.as_str())
                || lex.lookup(locale, &t.lower, &t.folded).is_some();
            support[locale.index()] += usize::from(known);
        }
    }
    let best = Locale::ALL.into_iter().max_by_key(|l| (support[l.index()], *l == detected)).unwrap_or(detected);
    if support[best.index()] > support[detected.index()] { (best, true) } else { (detected, false) }
}
