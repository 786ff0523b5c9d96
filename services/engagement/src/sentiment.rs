//! Lexicon sentiment for short comments in Dutch, German and English, with negation: a
//! negator ("niet", "nicht", "not", ...) within the three words before a lexicon word flips it.
//! Every score comes with the words that produced it.

use hrmesh_proto::engagement::v1::{CommentSentiment, SentimentHit};

/// Model id and version, as logged with every output.
pub const MODEL: &str = "engagement.sentiment-lexicon@1";

const LEXICON: &[(&str, f64)] = &[
    // English
    ("good", 1.0),
    ("great", 1.5),
    ("excellent", 2.0),
    ("happy", 1.5),
    ("helpful", 1.0),
    ("fun", 1.0),
    ("supportive", 1.5),
    ("love", 2.0),
    ("enjoy", 1.5),
    ("appreciated", 1.5),
    ("bad", -1.0),
    ("terrible", -2.0),
    ("stress", -1.5),
    ("stressful", -1.5),
    ("tired", -1.0),
    ("unfair", -1.5),
    ("boring", -1.0),
    ("angry", -1.5),
    ("overworked", -2.0),
    ("chaotic", -1.5),
    ("toxic", -2.0),
    // Dutch
    ("goed", 1.0),
    ("fijn", 1.5),
    ("prettig", 1.5),
    ("uitstekend", 2.0),
    ("blij", 1.5),
    ("tevreden", 1.5),
    ("leuk", 1.0),
    ("behulpzaam", 1.0),
    ("gewaardeerd", 1.5),
    ("slecht", -1.0),
    ("vreselijk", -2.0),
    ("druk", -1.0),
    ("stressvol", -1.5),
    ("moe", -1.0),
    ("oneerlijk", -1.5),
    ("saai", -1.0),
    ("boos", -1.5),
    ("chaotisch", -1.5),
    ("overbelast", -2.0),
    // German
    ("gut", 1.0),
    ("toll", 1.5),
    ("super", 1.5),
    ("ausgezeichnet", 2.0),
    ("zufrieden", 1.5),
    ("froh", 1.5),
    ("hilfsbereit", 1.0),
    ("geschätzt", 1.5),
    ("schlecht", -1.0),
    ("schrecklich", -2.0),
    ("stressig", -1.5),
    ("müde", -1.0),
    ("unfair", -1.5),
    ("langweilig", -1.0),
    ("wütend", -1.5),
    ("chaotisch", -1.5),
    ("überlastet", -2.0),
];

const NEGATORS: &[&str] =
    &["not", "never", "no", "isn't", "don't", "niet", "geen", "nooit", "nicht", "kein", "keine", "nie"];

/// Sentiment of `text` with its explanation.
pub fn analyse(text: &str) -> CommentSentiment {
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut hits = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let Some((_, weight)) = LEXICON.iter().find(|(w, _)| w == word) else { continue };
        let negated = words[i.saturating_sub(3)..i].iter().any(|w| NEGATORS.contains(&w.as_str()));
        hits.push(SentimentHit { word: word.clone(), weight: if negated { -weight } else { *weight }, negated });
    }
    let sum: f64 = hits.iter().map(|h| h.weight).sum();
    // Squash into -1..1; a single strong word gives about ±0.7.
    let score = sum / (sum.abs() + 1.0);
    let label = if score > 0.2 {
        "positive"
    } else if score < -0.2 {
        "negative"
    } else {
        "neutral"
    };
    CommentSentiment { score, label: label.into(), hits, model: MODEL.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_three_languages_and_explains_itself() {
        assert_eq!(analyse("Fijn team, ik ben tevreden").label, "positive");
        assert_eq!(analyse("Es ist stressig und chaotisch").label, "negative");
        let s = analyse("Great colleagues");
        assert_eq!(s.hits.len(), 1);
        assert_eq!(s.hits[0].word, "great");
        assert_eq!(analyse("De vergadering was om tien uur").label, "neutral");
    }

    #[test]
    fn negation_flips_the_following_word() {
        let s = analyse("Ik ben niet tevreden");
        assert_eq!(s.label, "negative");
        assert!(s.hits[0].negated);
        assert_eq!(analyse("Das Team ist nicht schlecht").label, "positive");
        assert_eq!(analyse("not bad at all").label, "positive");
    }
}
