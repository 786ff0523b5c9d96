//! BM25 retrieval over stemmed words (Snowball stemmers for Dutch, German and English), with a
//! threshold that says when the knowledge base does not answer a question.
//!
//! BM25's raw score grows with the size of the collection, so it cannot be compared with a
//! fixed threshold across handbooks. Whether a passage answers is decided by its *coverage*: the
//! share of the question's informative weight (the IDF of its content words, words the
//! handbook never uses weighing most) that the passage contains. A question whose key words are
//! absent from the best passage is not answered by it, whatever its score.

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use hrmesh_kit::locale::{Locale, fold};
use rust_stemmers::{Algorithm, Stemmer};

/// BM25 term-frequency saturation and length normalisation (the usual values).
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A passage answers when it covers at least this share of the question's weight.
pub const MIN_COVERAGE: f64 = 0.6;

/// Function words, question words and generic verbs (bring, take along) that say nothing about
/// the topic.
/// One string per language (en, nl, de), folded, separated by spaces.
const STOPWORDS: [&str; 3] = [
    "a an the and or of to in on at for with by from is are was be been do does did can could may might \
     must shall should will would i me my we our you your it its this that there what which who how when \
     where why much many often if am have has not no any about as so get please pls allowed bring take go come \
     use like want need",
    "de het een en of van in op aan voor met bij naar uit om over is zijn was ben bent wordt worden kan \
     kun kunnen mag mogen moet moeten wil zal ik mij me mijn je jij jou jouw u uw we wij ons onze het dit \
     dat die deze er wat welke wie hoe hoeveel vaak wanneer waar waarom als dan niet geen wel ook nog te heb \
     hebben heeft doe doen krijg krijgen graag even eigenlijk meenemen nemen gaan komen gebruiken willen \
     nodig toegestaan",
    "der die das den dem des ein eine einen einem einer und oder von zu in im auf an am fur mit bei nach \
     aus uber ist sind war bin bist wird werden kann konnen darf durfen muss mussen will soll ich mich \
     mir mein meine meinen meinem du dein sie ihr ihre ihren wir uns unser es dies diese dieser was \
     welche welcher wer wie viel viele oft wann wo warum wenn dann nicht kein keine auch noch habe haben hat \
     bitte eigentlich mitnehmen mitbringen nehmen gehen kommen benutzen erlaubt brauche brauchen",
];

static STOPWORD_SETS: LazyLock<[HashSet<&'static str>; 3]> =
    LazyLock::new(|| STOPWORDS.map(|words| words.split_whitespace().collect()));

/// The stemmed content words of `text`.
pub fn terms(locale: Locale, text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(match locale {
        Locale::En => Algorithm::English,
        Locale::Nl => Algorithm::Dutch,
        Locale::De => Algorithm::German,
    });
    let stop = &STOPWORD_SETS[locale.index()];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .filter(|w| !stop.contains(w.as_str()) && (w.chars().count() > 1 || w.chars().all(|c| c.is_ascii_digit())))
        .map(|w| stemmer.stem(&w).into_owned())
        .collect()
}

/// A searchable collection of passages in one language.
#[derive(Debug, Default)]
pub struct Index {
    locale: Option<Locale>,
    /// Term frequencies per passage.
    docs: Vec<HashMap<String, u32>>,
    lengths: Vec<f64>,
    average_length: f64,
    /// Passages containing each term.
    df: HashMap<String, u32>,
}

/// One passage's score for a question.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Position of the passage in the indexed order.
    pub passage: usize,
    pub score: f64,
    /// Share of the question's IDF weight the passage contains, 0..=1.
    pub coverage: f64,
}

impl Index {
    /// Indexes `passages` (already joined with their headings) in `locale`.
    pub fn build<S: AsRef<str>>(locale: Locale, passages: impl IntoIterator<Item = S>) -> Index {
        let mut index = Index { locale: Some(locale), ..Index::default() };
        for text in passages {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let words = terms(locale, text.as_ref());
            for w in &words {
                *tf.entry(w.clone()).or_default() += 1;
            }
            for w in tf.keys() {
                *index.df.entry(w.clone()).or_default() += 1;
            }
            index.lengths.push(words.len() as f64);
            index.docs.push(tf);
        }
        let n = index.docs.len().max(1) as f64;
        index.average_length = (index.lengths.iter().sum::<f64>() / n).max(1.0);
        index
    }

    fn idf(&self, term: &str) -> f64 {
        let n = self.docs.len() as f64;
        let df = f64::from(self.df.get(term).copied().unwrap_or(0));
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The `limit` best passages for `question`, best first; passages sharing no word are left out.
    pub fn search(&self, question: &str, limit: usize) -> Vec<Hit> {
        let Some(locale) = self.locale else { return Vec::new() };
        let mut asked = terms(locale, question);
        asked.sort();
        asked.dedup();
        let weights: Vec<(String, f64)> = asked.into_iter().map(|t| (t.clone(), self.idf(&t))).collect();
        let total: f64 = weights.iter().map(|(_, w)| w).sum();
        if total <= 0.0 {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, tf)| {
                let mut score = 0.0;
                let mut covered = 0.0;
                for (term, idf) in &weights {
                    let Some(&f) = tf.get(term) else { continue };
                    let f = f64::from(f);
                    score += idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * self.lengths[i] / self.average_length));
                    covered += idf;
                }
                (score > 0.0).then_some(Hit { passage: i, score, coverage: covered / total })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.passage.cmp(&b.passage)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook() -> Index {
        Index::build(
            Locale::Nl,
            [
                "Thuiswerken. Je mag maximaal twee dagen per week thuiswerken, in overleg met je leidinggevende.",
                "Reiskosten. Woon-werkverkeer wordt vergoed met 23 cent per kilometer.",
                "Verlof. Vakantiedagen vraag je minimaal twee weken van tevoren aan.",
                "Kantoor. Het kantoor is open van 7 tot 19 uur.",
            ],
        )
    }

    #[test]
    fn finds_the_passage_through_inflected_words() {
        let hits = handbook().search("Hoeveel dagen mag ik thuis werken per week? Thuiswerk regeling", 3);
        assert_eq!(hits[0].passage, 0, "{hits:?}");
        let hits = handbook().search("Krijg ik een vergoeding voor mijn reiskosten?", 3);
        assert_eq!(hits[0].passage, 1, "{hits:?}");
        assert!(hits[0].coverage >= MIN_COVERAGE, "{hits:?}");
    }

    #[test]
    fn generic_verbs_do_not_decide_coverage() {
        let faq = Index::build(Locale::Nl, ["Mag mijn hond mee naar kantoor? Honden zijn niet toegestaan."]);
        let hits = faq.search("Mag ik mijn hond meenemen naar kantoor?", 1);
        assert!(hits[0].coverage >= MIN_COVERAGE, "{hits:?}");
    }

    #[test]
    fn a_question_about_something_else_is_not_covered() {
        let hits = handbook().search("Mag mijn hond mee naar kantoor?", 3);
        assert!(hits.iter().all(|h| h.coverage < MIN_COVERAGE), "{hits:?}");
        assert!(handbook().search("wat is het", 3).is_empty(), "stop words only");
    }

    #[test]
    fn stems_german_and_english() {
        assert_eq!(terms(Locale::De, "Urlaubstage beantragen"), ["urlaubstag", "beantrag"]);
        assert_eq!(terms(Locale::En, "How many holidays do I get?"), ["holiday"]);
    }
}
