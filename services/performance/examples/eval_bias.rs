//! Precision and recall of the bias checks on the team's labelled set, per language and per
//! check: `scripts/eval-bias.sh` (or `cargo run -p hrmesh-performance --example eval_bias -- DIR`);
//! `VERBOSE=1` lists the cases where the checks and the labels disagree.

// A report for the terminal.
#![allow(clippy::print_stdout)]

use hrmesh_kit::locale::Locale;
use hrmesh_performance::bias::{self, eval};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "services/performance/tests-data/bias".into());
    println!("bias checks {} on the labelled set in {dir}", bias::MODEL);
    println!("{:<4} {:<16} {:>4} {:>4} {:>4} {:>9} {:>7}", "lang", "check", "tp", "fp", "fn", "precision", "recall");
    for locale in Locale::ALL {
        let path = format!("{dir}/{}.tsv", locale.code());
        let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let cases = eval::cases(&data, locale);
        for f in eval::evaluate(&cases, locale) {
            let suffix = if f.check == "all" { format!("   ({} cases)", cases.len()) } else { String::new() };
            println!(
                "{:<4} {:<16} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}{suffix}",
                f.language, f.check, f.true_positives, f.false_positives, f.false_negatives, f.precision, f.recall
            );
        }
        if std::env::var_os("VERBOSE").is_some() {
            for case in cases.iter().filter(|c| c.expected != c.found) {
                println!("    expected {:?} found {:?}: {}", case.expected, case.found, case.text);
            }
        }
    }
}
