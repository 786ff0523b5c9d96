//! Ranking quality on the labelled set (`services/skills/eval/ranking.tsv`): RP@5, MRR,
//! precision@5, recall in the answer and false positives per sentence, per language, for the
//! product's ranker and for a TF-IDF ranking over the same labels (the baseline).
//!
//!     scripts/eval-ranking.sh [--builtin] [--errors] [--set PATH]
//!
//! With the shared ESCO export present (see `hrmesh_skills::esco::default_dir`) it is merged in
//! first, as the running service does; `--builtin` uses the curated set only.

#![allow(clippy::print_stdout)]

use hrmesh_skills::{
    esco,
    lang::Lang,
    model::Model,
    rank::{self, Metrics, evaluate, parse_cases, tfidf_baseline},
    taxonomy::Taxonomy,
};

fn print(name: &str, per: &[Metrics; 3], all: &Metrics) {
    for (label, m) in Lang::ALL.iter().map(|l| (l.code(), &per[l.index()])).chain([("all", all)]) {
        let (rp5, mrr, p5, recall, fp5, fp) = m.row();
        println!(
            "{name:<8} {label:<4} {:>5} {rp5:>6.3} {mrr:>6.3} {p5:>6.3} {recall:>7.3} {fp5:>7.2} {fp:>7.2}",
            m.sentences
        );
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let builtin_only = args.iter().any(|a| a == "--builtin");
    let show_errors = args.iter().any(|a| a == "--errors");
    let sets: Vec<String> = match args.iter().position(|a| a == "--set").and_then(|i| args.get(i + 1)) {
        Some(path) => vec![path.clone()],
        None => ["ranking.tsv", "ranking-heldout.tsv"]
            .iter()
            .map(|f| format!("{}/eval/{f}", env!("CARGO_MANIFEST_DIR")))
            .collect(),
    };
    let mut taxonomy = Taxonomy::builtin()?;
    match esco::default_dir().filter(|_| !builtin_only) {
        Some(dir) => {
            let (data, report) = esco::parse_dir(&dir)?;
            println!(
                "taxonomy: curated + ESCO ({} skills, {} occupations) from {}",
                report.counts.skills,
                report.counts.occupations,
                dir.display()
            );
            taxonomy = taxonomy.with_esco(&data, 1);
        }
        None => println!("taxonomy: curated only"),
    }
    let model = Model::new(taxonomy);
    let baseline = tfidf_baseline(&model.taxonomy);
    for path in &sets {
        let cases = parse_cases(&model.taxonomy, &std::fs::read_to_string(path)?).map_err(anyhow::Error::msg)?;
        println!("\nset: {path} ({} sentences)", cases.len());
        let (per, all) = evaluate(&cases, |c| {
            model.rank(&c.text, Some(c.lang), rank::DEFAULT_K).skills.iter().map(|s| s.skill).collect()
        });
        let (base_per, base_all) = evaluate(&cases, |c| baseline.rank(&c.text, rank::DEFAULT_K));
        println!(
            "{:<8} {:<4} {:>5} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "ranker", "lang", "n", "RP@5", "MRR", "P@5", "recall", "FP@5/s", "FP/s"
        );
        print("ranker", &per, &all);
        print("tf-idf", &base_per, &base_all);
        if show_errors {
            errors(&model, &cases);
        }
    }
    Ok(())
}

fn errors(model: &Model, cases: &[rank::RankingCase]) {
    {
        let t = &model.taxonomy;
        for c in cases {
            let r = model.rank(&c.text, Some(c.lang), 10);
            let missed: Vec<&str> = c
                .named
                .iter()
                .chain(&c.implied)
                .filter(|s| !r.skills.iter().take(10).any(|x| x.skill == **s))
                .map(|s| t.get(*s).id.as_str())
                .collect();
            let wrong: Vec<String> = r
                .skills
                .iter()
                .take(5)
                .filter(|s| !c.relevant(s.skill))
                .map(|s| format!("{} ({:.1})", t.label(s.skill, Lang::En), s.score))
                .collect();
            if !missed.is_empty() || !wrong.is_empty() {
                println!("\n[{}] {}\n  missed: {missed:?}\n  wrong in top 5: {wrong:?}", c.lang.code(), c.text);
            }
        }
    }
}
