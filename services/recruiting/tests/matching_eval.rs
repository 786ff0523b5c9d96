//! NDCG@10 of hrmesh's matching against plain keyword matching (BM25) on the labelled set in
//! `eval/matching/` (20 jobs × 10 candidates, graded 0–3, with candidates whose fit shows only
//! through related skills). The matching runs the production code path offline: CV structure
//! (`cv`), skill extraction and the competence graph (skills crate, built-in taxonomy) and the
//! requirement scoring of `matching`.
//!
//!     scripts/eval-matching.sh      # prints the table

#![allow(clippy::print_stdout)]

use std::collections::HashMap;

use hrmesh_proto::recruiting::v1::{Job, LanguageRequirement, SkillRequirement};
use hrmesh_recruiting::{
    bm25::{Bm25Index, ndcg_at},
    cv::{self, YearMonth},
    matching,
};
use hrmesh_skills::{
    gap::{self, Requirement},
    lang::Lang,
    model::Model,
    taxonomy::Taxonomy,
};

const SET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/eval/matching");
/// The set's CVs are dated relative to this month.
const TODAY: YearMonth = YearMonth { year: 2026, month: 11 };

struct Candidate {
    id: String,
    grade: u32,
    cv: String,
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(format!("{SET}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split('\t').map(str::to_owned).collect()).collect()
}

fn load(t: &Taxonomy) -> Vec<(Job, String, Vec<Candidate>)> {
    let mut jobs: Vec<(Job, String, Vec<Candidate>)> = rows("jobs.tsv")
        .into_iter()
        .map(|f| {
            assert_eq!(f.len(), 9, "jobs.tsv: {f:?}");
            let skills = |list: &str| -> Vec<SkillRequirement> {
                list.split('|')
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        assert!(t.skill(s).is_some(), "jobs.tsv {}: unknown skill {s}", f[0]);
                        SkillRequirement { skill_id: s.to_owned(), level: 3, inferred: false }
                    })
                    .collect()
            };
            let languages = f[5]
                .split('|')
                .filter(|s| !s.is_empty())
                .map(|l| {
                    let (language, level) = l.split_once(':').expect("lang:level");
                    LanguageRequirement { language: language.into(), level: level.into() }
                })
                .collect();
            let job = Job {
                job_id: f[0].clone(),
                title: f[2].clone(),
                must: skills(&f[3]),
                nice: skills(&f[4]),
                languages,
                min_years_experience: f[6].parse().expect("min_years"),
                education: f[7].clone(),
                ad_text: f[8].clone(),
                ..Default::default()
            };
            (job, f[1].clone(), Vec::new())
        })
        .collect();
    for f in rows("candidates.tsv") {
        assert_eq!(f.len(), 6, "candidates.tsv: {f:?}");
        let job = jobs.iter_mut().find(|j| j.0.job_id == f[0]).unwrap_or_else(|| panic!("unknown job {}", f[0]));
        let grade: u32 = f[2].parse().expect("grade");
        assert!(grade <= 3, "grade 0..=3");
        job.2.push(Candidate { id: f[1].clone(), grade, cv: f[4].replace("\\n", "\n") });
    }
    for (job, _, candidates) in &jobs {
        assert!(candidates.len() >= 10, "{}: {} candidates", job.job_id, candidates.len());
    }
    jobs
}

/// Our ranking: the production matching over the offline pipeline.
fn ours(model: &Model, job: &Job, lang: &str, candidates: &[Candidate]) -> Vec<String> {
    let t = &model.taxonomy;
    let reqs: Vec<Requirement> = job
        .must
        .iter()
        .map(|s| (s, true))
        .chain(job.nice.iter().map(|s| (s, false)))
        .filter_map(|(s, essential)| Some(Requirement { skill: t.skill(&s.skill_id)?, level: s.level, essential }))
        .collect();
    let supports = gap::supports(&model.graph, &reqs);
    let mut scored: Vec<(String, f64)> = candidates
        .iter()
        .map(|c| {
            let parsed = cv::parse_text(&c.cv, TODAY);
            let found: HashMap<String, f64> = model
                .extractor
                .extract(&c.cv, None)
                .hits
                .iter()
                .map(|h| (t.get(h.skill).id.clone(), f64::from(h.confidence)))
                .collect();
            let languages: Vec<(String, String)> =
                parsed.languages.iter().map(|l| (l.language.clone(), l.level.to_owned())).collect();
            let education: Vec<String> = parsed.education.iter().map(|e| e.level.to_owned()).collect();
            let blind = matching::blind(&found, parsed.experience_months, &languages, &education);
            let have = blind.skills.iter().filter_map(|(s, l)| Some((t.skill(s)?, *l))).collect();
            let pm = gap::match_profile(
                t,
                &model.graph,
                &supports,
                &have,
                &reqs,
                &c.id,
                Lang::parse(lang).unwrap_or(Lang::En),
            );
            (c.id.clone(), matching::score_one(job, &blind, Some(&pm), lang).score)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.into_iter().map(|(id, _)| id).collect()
}

fn bm25(job: &Job, candidates: &[Candidate]) -> Vec<String> {
    let index = Bm25Index::new(candidates.iter().map(|c| (c.id.as_str(), c.cv.as_str())));
    index.rank(&job.ad_text).into_iter().map(|(id, _)| id).collect()
}

#[test]
fn our_matching_beats_keyword_matching_on_the_labelled_set() {
    let model = Model::new(Taxonomy::builtin().expect("taxonomy"));
    let jobs = load(&model.taxonomy);
    let related_only =
        std::fs::read_to_string(format!("{SET}/candidates.tsv")).expect("set").matches("\trelated").count();
    println!(
        "{} jobs, {} candidates, {related_only} fit only through related skills\n",
        jobs.len(),
        jobs.iter().map(|j| j.2.len()).sum::<usize>()
    );
    println!("{:<5} {:<38} {:>9} {:>9}", "job", "title", "BM25", "hrmesh");
    let (mut sum_bm25, mut sum_ours) = (0.0, 0.0);
    for (job, lang, candidates) in &jobs {
        let grades: HashMap<String, u32> = candidates.iter().map(|c| (c.id.clone(), c.grade)).collect();
        let b = ndcg_at(10, &bm25(job, candidates), &grades);
        let o = ndcg_at(10, &ours(&model, job, lang, candidates), &grades);
        println!("{:<5} {:<38} {b:>9.3} {o:>9.3}", job.job_id, job.title);
        sum_bm25 += b;
        sum_ours += o;
    }
    let n = jobs.len() as f64;
    println!("\n{:<44} {:>9.3} {:>9.3}", "mean NDCG@10", sum_bm25 / n, sum_ours / n);
    assert!(sum_ours > sum_bm25, "hrmesh's matching must beat plain keywords");
}
