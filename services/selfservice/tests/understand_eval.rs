//! Intent accuracy and slot precision/recall/F1 of the assistant's language understanding, per
//! language, on the held-out `test` rows of `eval/dialogues-{nl,de,en}.tsv` (the classifier
//! learns from the `train` rows only). Also: how often the assistant would act (confidence at or
//! above `ACT_THRESHOLD`) and how often it is right when it does, how out-of-domain messages
//! fare, and the time per message.
//!
//!     scripts/eval-assistant.sh      # prints the table and every miss

#![allow(clippy::print_stdout)]

use std::time::Instant;

use hrmesh_kit::locale::{Locale, fold};
use hrmesh_selfservice::understand::{self, ACT_THRESHOLD, Intent, REFERENCE_DATE, Split};

/// Floors: (language, intent accuracy, slot F1) as measured on the test rows (nl 0.956/0.964,
/// de 0.946/0.968, en 0.957/1.000) minus a margin of about three messages.
const FLOORS: [(Locale, f64, f64); 3] = [(Locale::Nl, 0.92, 0.93), (Locale::De, 0.91, 0.93), (Locale::En, 0.92, 0.96)];
/// Mean time per message in a release build, after warm-up (best of three passes).
const MAX_SECONDS_PER_MESSAGE: f64 = 1e-3;

#[derive(Default)]
struct Tally {
    n: usize,
    correct: usize,
    tp: usize,
    fp: usize,
    missed: usize,
    acted: usize,
    acted_right: usize,
    ood: usize,
    ood_handled: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn normalise(name: &str, value: &str) -> String {
    match name {
        "street" | "city" => fold(value),
        "postcode" => value.replace(' ', "").to_uppercase(),
        _ => value.to_owned(),
    }
}

#[test]
fn understands_the_held_out_dialogues() {
    let examples = understand::examples();
    let started = Instant::now();
    understand::warm_up();
    let training = started.elapsed();
    println!("trained in {:.1} ms\n", training.as_secs_f64() * 1e3);
    println!(
        "{:<4} {:>4} {:>8} {:>7} {:>7} {:>7} {:>7} {:>9} {:>6}",
        "lang", "n", "intent", "slot P", "slot R", "slot F1", "acts", "act prec", "OOD ok"
    );
    let mut misses = Vec::new();
    for (locale, min_accuracy, min_f1) in FLOORS {
        let mut t = Tally::default();
        for e in examples.iter().filter(|e| e.locale == locale && e.split == Split::Test) {
            let u = understand::understand(&e.text, REFERENCE_DATE, locale);
            t.n += 1;
            let right = u.intent == e.intent;
            t.correct += usize::from(right);
            if u.is_confident() {
                t.acted += 1;
                t.acted_right += usize::from(right);
            }
            if e.intent == Intent::Unknown {
                t.ood += 1;
                t.ood_handled += usize::from(u.intent == Intent::Unknown || u.confidence < ACT_THRESHOLD);
            }
            let gold: Vec<(String, String)> = e.slots.iter().map(|(k, v)| (k.clone(), normalise(k, v))).collect();
            let got: Vec<(String, String)> =
                u.slots.pairs().into_iter().map(|(k, v)| (k.to_owned(), normalise(k, &v))).collect();
            let hits = got.iter().filter(|p| gold.contains(p)).count();
            t.tp += hits;
            t.fp += got.len() - hits;
            t.missed += gold.iter().filter(|p| !got.contains(p)).count();
            if !right || got.len() != hits || gold.len() != hits {
                let fmt =
                    |p: &[(String, String)]| p.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(";");
                misses.push(format!(
                    "{locale} {:<60} want {} [{}] got {} {:.2} [{}]",
                    e.text,
                    e.intent,
                    fmt(&gold),
                    u.intent,
                    u.confidence,
                    fmt(&got)
                ));
            }
        }
        let (p, r) = (ratio(t.tp, t.tp + t.fp), ratio(t.tp, t.tp + t.missed));
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        let accuracy = ratio(t.correct, t.n);
        println!(
            "{:<4} {:>4} {:>8.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9.3} {:>3}/{:<2}",
            locale.code(),
            t.n,
            accuracy,
            p,
            r,
            f1,
            ratio(t.acted, t.n),
            ratio(t.acted_right, t.acted),
            t.ood_handled,
            t.ood
        );
        assert!(accuracy >= min_accuracy, "{locale}: intent accuracy {accuracy:.3} < {min_accuracy}");
        assert!(f1 >= min_f1, "{locale}: slot F1 {f1:.3} < {min_f1}");
    }
    println!("\nmisses:\n{}", misses.join("\n"));
    let test: Vec<_> = examples.iter().filter(|e| e.split == Split::Test).collect();
    let per_message = (0..3)
        .map(|_| {
            let clock = Instant::now();
            for e in &test {
                std::hint::black_box(understand::understand(&e.text, REFERENCE_DATE, e.locale));
            }
            clock.elapsed().as_secs_f64() / test.len() as f64
        })
        .fold(f64::INFINITY, f64::min);
    println!("\n{:.3} ms per message (best of 3 passes over {} messages)", per_message * 1e3, test.len());
    if !cfg!(debug_assertions) {
        assert!(per_message < MAX_SECONDS_PER_MESSAGE, "{per_message:.6} s per message");
    }
}
