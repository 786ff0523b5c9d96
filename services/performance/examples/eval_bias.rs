//! Precision and recall of the bias checks on the team's labelled set, per language and per
//! check: `scripts/eval-bias.sh` (or `cargo run -p hrmesh-performance --example eval_bias -- DIR`).

// A report for the terminal.
#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::locale::Locale;
use hrmesh_performance::bias;

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
}

fn ratio(a: u32, b: u32) -> String {
    if b == 0 { "  n/a".into() } else { format!("{:.3}", f64::from(a) / f64::from(b)) }
}

fn predicted(text: &str, extra: Option<&str>, locale: Locale) -> BTreeSet<String> {
    let (_, findings) = bias::check(text, Some(locale));
    let mut out: BTreeSet<String> = findings.into_iter().map(|f| f.check).collect();
    if let Some(spec) = extra {
        let mut period = None;
        let mut dates = Vec::new();
        for part in spec.split(';') {
            if let Some(p) = part.strip_prefix("period=") {
                let (a, b) = p.split_once("..").expect("period=a..b");
                period = Some((
                    hrmesh_kit::time::parse_date("start", a).expect("date"),
                    hrmesh_kit::time::parse_date("end", b).expect("date"),
                ));
            } else if let Some(d) = part.strip_prefix("dates=") {
                dates = d.split(',').map(|s| hrmesh_kit::time::parse_date("date", s).expect("date")).collect();
            }
        }
        if let Some(period) = period
            && bias::recency(period, &dates, locale).is_some()
        {
            out.insert(bias::RECENCY.into());
        }
    }
    out
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "services/performance/tests-data/bias".into());
    println!("bias checks {} on the labelled set in {dir}", bias::MODEL);
    println!("{:<4} {:<16} {:>4} {:>4} {:>4} {:>9} {:>7}", "lang", "check", "tp", "fp", "fn", "precision", "recall");
    for locale in Locale::ALL {
        let path = format!("{dir}/{}.tsv", locale.code());
        let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut counts: BTreeMap<&str, Counts> = bias::CHECKS.iter().map(|c| (*c, Counts::default())).collect();
        let mut cases = 0;
        let mut misses = Vec::new();
        for line in data.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let labels = cols.next().unwrap_or_default();
            let text = cols.next().unwrap_or_default();
            let extra = cols.next();
            let expected: BTreeSet<String> =
                labels.split(',').filter(|l| *l != "-" && !l.is_empty()).map(str::to_owned).collect();
            let got = predicted(text, extra, locale);
            cases += 1;
            for check in bias::CHECKS {
                let c = counts.get_mut(check).expect("check");
                match (expected.contains(check), got.contains(check)) {
                    (true, true) => c.tp += 1,
                    (false, true) => c.fp += 1,
                    (true, false) => c.fn_ += 1,
                    (false, false) => {}
                }
            }
            if expected != got {
                misses.push(format!("    expected {expected:?} got {got:?}: {text}"));
            }
        }
        let mut total = Counts::default();
        for (check, c) in &counts {
            println!(
                "{:<4} {:<16} {:>4} {:>4} {:>4} {:>9} {:>7}",
                locale.code(),
                check,
                c.tp,
                c.fp,
                c.fn_,
                ratio(c.tp, c.tp + c.fp),
                ratio(c.tp, c.tp + c.fn_)
            );
            total.tp += c.tp;
            total.fp += c.fp;
            total.fn_ += c.fn_;
        }
        println!(
            "{:<4} {:<16} {:>4} {:>4} {:>4} {:>9} {:>7}   ({cases} cases)",
            locale.code(),
            "ALL",
            total.tp,
            total.fp,
            total.fn_,
            ratio(total.tp, total.tp + total.fp),
            ratio(total.tp, total.tp + total.fn_)
        );
        if std::env::var_os("VERBOSE").is_some() {
            for m in misses {
                println!("{m}");
            }
        }
    }
}
