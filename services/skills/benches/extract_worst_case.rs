//! Worst-case skill extraction latency: hostile inputs of the largest size `ExtractSkills`
//! accepts (`MAX_TEXT_BYTES`, 128 KiB) and a long Dutch CV, with the built-in taxonomy and, when ESCO data is found,
//! with ESCO merged in (as the service runs). Every case should stay under 100 ms in release.
//!
//! Run: `cargo bench -p hrmesh-skills --bench extract_worst_case` (ESCO from $HRMESH_ESCO_DIR
//! or ../shared/data/esco; without it only the built-in taxonomy is measured).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use hrmesh_skills::{esco, extract::Extractor, lang::Lang, taxonomy::Taxonomy};

/// The largest text `ExtractSkills` accepts.
const MIB: usize = hrmesh_skills::MAX_TEXT_BYTES;
const RUNS: usize = 5;

/// Deterministic pseudo-random numbers (no dependency, same figures every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

/// `unit` repeated to `bytes` (cut at a character boundary).
fn fill(unit: &str, bytes: usize) -> String {
    let mut s = unit.repeat(bytes / unit.len() + 1);
    let mut end = bytes;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s
}

/// Random lower-case words of 2–14 letters, one space apart, `bytes` long.
fn random_words(bytes: usize) -> String {
    let mut rng = Lcg(7);
    let mut s = String::with_capacity(bytes + 16);
    while s.len() < bytes {
        for _ in 0..2 + rng.below(13) {
            s.push((b'a' + rng.below(26) as u8) as char);
        }
        s.push(' ');
    }
    s.truncate(bytes);
    s
}

fn cases() -> Vec<(&'static str, String, Option<Lang>)> {
    let cv_nl = include_str!("data/cv_nl.txt");
    let mut cv = String::new();
    while cv.len() < 13 * 1024 {
        cv.push_str(cv_nl);
        cv.push('\n');
    }
    let compounds = "lasservaringkennisdiplomaschweissenerfahrungpas ";
    vec![
        ("128 KiB single word, nl", fill("lassen", MIB), Some(Lang::Nl)),
        ("128 KiB single word, de", fill("schweißen", MIB), Some(Lang::De)),
        ("128 KiB single word, detected", fill("a", MIB), None),
        ("128 KiB random words, nl", random_words(MIB), Some(Lang::Nl)),
        ("128 KiB random words, detected", random_words(MIB), None),
        ("13 KB Dutch CV, detected", cv, None),
        ("128 KiB compound-like words (47 letters), nl", fill(compounds, MIB), Some(Lang::Nl)),
        ("128 KiB compound-like words (47 letters), de", fill(compounds, MIB), Some(Lang::De)),
        ("128 KiB heftruckcertificaat, nl", fill("heftruckcertificaat ", MIB), Some(Lang::Nl)),
        ("128 KiB one clause of 'Python', en", fill("Python ", MIB), Some(Lang::En)),
        ("128 KiB 'geen ervaring met SAP', nl", fill("geen ervaring met SAP, ", MIB), Some(Lang::Nl)),
    ]
}

fn measure(name: &str, x: &Extractor) {
    println!("{name}:");
    let mut worst_all: f64 = 0.0;
    for (case, text, hint) in cases() {
        let mut latencies = Vec::with_capacity(RUNS);
        let mut found = 0;
        let mut work = Default::default();
        for _ in 0..RUNS {
            let started = Instant::now();
            let e = x.extract(&text, hint);
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            found = e.hits.len();
            work = e.work;
        }
        latencies.sort_by(f64::total_cmp);
        let worst = latencies.last().copied().unwrap_or(0.0);
        worst_all = worst_all.max(worst);
        println!(
            "  {case:<46} {:>8} bytes  median {:>7.1} ms  worst {:>7.1} ms  {found:>3} skills  {work:?}",
            text.len(),
            latencies[RUNS / 2],
            worst
        );
    }
    println!("  worst case overall: {worst_all:.1} ms (target < 100 ms)");
}

fn main() {
    let builtin = Taxonomy::builtin().unwrap();
    measure("built-in taxonomy", &Extractor::new(builtin.terms()));
    match esco::default_dir().filter(|d| d.exists()) {
        Some(dir) => {
            let (data, _) = esco::parse_dir(&dir).expect("parse ESCO");
            let merged = Taxonomy::builtin().unwrap().with_esco(&data, 1);
            measure("built-in taxonomy with ESCO merged", &Extractor::new(merged.terms()));
        }
        None => println!("ESCO data not found: set HRMESH_ESCO_DIR to include the merged taxonomy"),
    }
}
