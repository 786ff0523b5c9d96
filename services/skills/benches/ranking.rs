//! Ranked skill recognition with the full ESCO set loaded: ranked answers per second on a
//! one-sentence and a two-page input (nl and en CVs), and resident memory with ESCO loaded.
//!
//!     scripts/bench-ranking.sh

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use hrmesh_skills::{esco, lang::Lang, model::Model, rank, taxonomy::Taxonomy};

/// Resident set size of this process in MiB (Linux).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Calls per second of `f` over about `budget`.
fn per_second(budget: Duration, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let started = Instant::now();
    let (mut calls, mut found) = (0_u64, 0);
    while started.elapsed() < budget {
        found = f();
        calls += 1;
    }
    (calls as f64 / started.elapsed().as_secs_f64(), found)
}

fn main() -> anyhow::Result<()> {
    let before = rss_mib();
    let dir = esco::default_dir().ok_or_else(|| anyhow::anyhow!("no ESCO export: set {}", esco::DIR_VARIABLE))?;
    let started = Instant::now();
    let (data, _) = esco::parse_dir(&dir)?;
    let taxonomy = Taxonomy::builtin()?.with_esco(&data, 1);
    drop(data);
    let parsed = started.elapsed();
    let started = Instant::now();
    let model = Model::new(taxonomy);
    let built = started.elapsed();
    let loaded = rss_mib();
    println!(
        "ESCO loaded: {} skills, {} occupations; parse+merge {:.1} s, model (extractor, graph, ranking index) {:.1} s",
        model.taxonomy.skills.len(),
        model.taxonomy.occupations.len(),
        parsed.as_secs_f64(),
        built.as_secs_f64()
    );
    println!("resident memory: {loaded:.0} MiB with ESCO loaded (process start {before:.0} MiB)");
    let budget = Duration::from_secs(3);
    let cases = [
        ("1 sentence, en", "Kept our build pipeline green and wrote Python scripts for the sales data.", Lang::En),
        ("1 sentence, nl", "Verzorgde bewoners met dementie en hielp hen bij het wassen en aankleden.", Lang::Nl),
        ("2-page CV, en", include_str!("data/cv_en.txt"), Lang::En),
        ("2-page CV, nl", include_str!("data/cv_nl.txt"), Lang::Nl),
    ];
    for (name, text, lang) in cases {
        let (rate, found) = per_second(budget, || model.rank(text, Some(lang), rank::DEFAULT_K).skills.len());
        let words = text.split_whitespace().count();
        println!(
            "{name:<16} {words:>5} words: {rate:>9.1} ranked answers/s ({:.2} ms each, {found} skills)",
            1000.0 / rate
        );
    }
    println!("resident memory after the runs: {:.0} MiB", rss_mib());
    Ok(())
}
