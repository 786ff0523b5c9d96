//! Comment sentiment on the labelled employee-comment sets (`eval/sentiment-{nl,de,en}.tsv`):
//! accuracy and macro-F1 per language, for the analyser and for a plain lexicon-sum baseline
//! (the published lexicon of the comment's language, words summed, no rules), with a floor.
//! Run by `scripts/eval-sentiment.sh`; `SENTIMENT_EVAL_ERRORS=1` lists the misclassified comments.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Instant;

use hrmesh_engagement::sentiment::{THRESHOLD, analyse};

const LABELS: [&str; 3] = ["positive", "neutral", "negative"];

struct Set {
    language: &'static str,
    comments: &'static str,
    /// The published lexicon of the language and the scale onto VADER units (for the baseline).
    lexicon: &'static str,
    scale: f64,
    /// Measured accuracy and macro-F1 minus a margin: a drop below is a regression.
    floor: (f64, f64),
}

const SETS: [Set; 3] = [
    Set {
        language: "nl",
        comments: include_str!("../eval/sentiment-nl.tsv"),
        lexicon: include_str!("../data/lexicons/nl-pattern.tsv"),
        scale: 3.5,
        floor: (0.92, 0.91),
    },
    Set {
        language: "de",
        comments: include_str!("../eval/sentiment-de.tsv"),
        lexicon: include_str!("../data/lexicons/de-gpl.tsv"),
        scale: 2.2,
        floor: (0.93, 0.93),
    },
    Set {
        language: "en",
        comments: include_str!("../eval/sentiment-en.tsv"),
        lexicon: include_str!("../data/lexicons/en-vader.tsv"),
        scale: 1.0,
        floor: (0.88, 0.87),
    },
];

/// `label<TAB>text` rows after the header.
fn rows(data: &str) -> Vec<(&str, &str)> {
    data.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split_once('\t').unwrap()).collect()
}

/// The baseline: the sum of the lexicon valences of the comment's words.
fn lexicon_sum(text: &str, lexicon: &HashMap<String, f64>) -> &'static str {
    let sum: f64 =
        text.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter_map(|w| lexicon.get(&w.to_lowercase())).sum();
    if sum > 0.0 {
        "positive"
    } else if sum < 0.0 {
        "negative"
    } else {
        "neutral"
    }
}

/// Accuracy and macro-F1 over the three labels.
fn scores(pairs: &[(&str, &str)]) -> (f64, f64) {
    let correct = pairs.iter().filter(|(gold, predicted)| gold == predicted).count();
    let f1 = LABELS.map(|label| {
        let tp = pairs.iter().filter(|(g, p)| *g == label && *p == label).count() as f64;
        let fp = pairs.iter().filter(|(g, p)| *g != label && *p == label).count() as f64;
        let fn_ = pairs.iter().filter(|(g, p)| *g == label && *p != label).count() as f64;
        if tp == 0.0 { 0.0 } else { 2.0 * tp / (2.0 * tp + fp + fn_) }
    });
    (correct as f64 / pairs.len() as f64, f1.iter().sum::<f64>() / 3.0)
}

#[test]
fn labelled_sets_are_well_formed() {
    for set in &SETS {
        let rows = rows(set.comments);
        assert!(rows.len() >= 150, "{}: {} comments", set.language, rows.len());
        for (label, text) in &rows {
            assert!(LABELS.contains(label), "{}: label {label:?}", set.language);
            assert!(!text.trim().is_empty() && !text.contains('\t'), "{}: {text:?}", set.language);
        }
        for label in LABELS {
            assert!(rows.iter().filter(|(l, _)| *l == label).count() >= 30, "{}: few {label}", set.language);
        }
    }
}

#[test]
fn sentiment_beats_the_lexicon_baseline_per_language() {
    let show_errors = std::env::var_os("SENTIMENT_EVAL_ERRORS").is_some();
    println!("model threshold ±{THRESHOLD}");
    println!("{:<4} {:>4}  {:>9} {:>9}   {:>9} {:>9}", "lang", "n", "accuracy", "macro-F1", "base-acc", "base-F1");
    let mut failures = Vec::new();
    for set in &SETS {
        let lexicon: HashMap<String, f64> = set
            .lexicon
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .filter_map(|(w, v)| Some((w.to_string(), v.parse::<f64>().ok()? * set.scale)))
            .collect();
        let rows = rows(set.comments);
        let mut ours = Vec::new();
        let mut baseline = Vec::new();
        for (gold, text) in &rows {
            let result = analyse(text);
            let label: &str = LABELS.into_iter().find(|l| *l == result.label).unwrap();
            if show_errors && label != *gold {
                let hits: Vec<String> = result.hits.iter().map(|h| format!("{}={}", h.word, h.weight)).collect();
                println!(
                    "  {} gold={gold} got={label} {:+.3} [{}] {text}",
                    set.language,
                    result.score,
                    hits.join(", ")
                );
            }
            ours.push((*gold, label));
            baseline.push((*gold, lexicon_sum(text, &lexicon)));
        }
        let (accuracy, f1) = scores(&ours);
        let (base_accuracy, base_f1) = scores(&baseline);
        println!(
            "{:<4} {:>4}  {accuracy:>9.3} {f1:>9.3}   {base_accuracy:>9.3} {base_f1:>9.3}",
            set.language,
            rows.len()
        );
        if accuracy < set.floor.0 || f1 < set.floor.1 {
            failures.push(format!("{}: accuracy {accuracy:.3}, macro-F1 {f1:.3} below {:?}", set.language, set.floor));
        }
        if f1 <= base_f1 {
            failures.push(format!("{}: macro-F1 {f1:.3} not above the baseline's {base_f1:.3}", set.language));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn a_hundred_word_comment_takes_well_under_a_millisecond() {
    let comment = "De werkdruk is de laatste maanden echt veel te hoog geworden en ik voel me niet gewaardeerd \
        door mijn leidinggevende, maar de collega's zijn gelukkig super behulpzaam en de sfeer is goed. \
        Die Kollegen sind klasse, aber die Arbeitsbelastung ist enorm und ich habe keine Lust mehr. \
        Honestly I'm thinking of leaving because nobody notices the extra work we do :( even though \
        the pay is fine and I love my team 😊 but I can't keep doing overtime every single week, it \
        is not sustainable and I'm exhausted and burnt out and really need a break soon!!";
    assert!((90..=110).contains(&comment.split_whitespace().count()));
    analyse(comment);
    let runs = 200;
    let start = Instant::now();
    for _ in 0..runs {
        analyse(comment);
    }
    let per_comment = start.elapsed() / runs;
    println!("100-word comment: {per_comment:?}");
    let budget = if cfg!(debug_assertions) { 10_000 } else { 500 };
    assert!(per_comment.as_micros() < budget, "{per_comment:?}");
}
