//! Precision, recall and F1 of skill extraction on the labelled set
//! (`services/skills/eval/extraction.tsv`), overall and per language.
//!
//!     scripts/eval-extraction.sh [--errors]

#![allow(clippy::print_stdout)]

use hrmesh_skills::{
    extract::{Extractor, evaluate},
    lang::Lang,
    taxonomy::Taxonomy,
};

fn main() -> anyhow::Result<()> {
    let show_errors = std::env::args().any(|a| a == "--errors");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/eval/extraction.tsv");
    let tsv = std::fs::read_to_string(path)?;
    let taxonomy = Taxonomy::builtin()?;
    let extractor = Extractor::new(taxonomy.terms());
    let scores = evaluate(&taxonomy, &extractor, &tsv);
    println!("{:<8} {:>9} {:>7} {:>6} {:>6} {:>6} {:>6}", "set", "precision", "recall", "F1", "tp", "fp", "fn");
    for lang in Lang::ALL {
        let (p, r, f) = scores.language(lang);
        let (tp, fp, fn_) = scores.counts[lang.index()];
        println!("{:<8} {p:>9.3} {r:>7.3} {f:>6.3} {tp:>6} {fp:>6} {fn_:>6}", lang.code());
    }
    let (p, r, f) = scores.overall();
    let sum = scores.counts.iter().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    println!("{:<8} {p:>9.3} {r:>7.3} {f:>6.3} {:>6} {:>6} {:>6}", "all", sum.0, sum.1, sum.2);
    if show_errors {
        for (lang, text, fps, fns) in &scores.errors {
            println!("\n[{}] {text}\n  false positives: {fps:?}\n  missed: {fns:?}", lang.code());
        }
    }
    Ok(())
}
