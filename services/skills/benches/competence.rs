//! Competence-model benchmark with the full ESCO classification loaded: model build time, gap
//! analysis of 250 employees against every skill (a team plan over the whole taxonomy), and
//! transfer-candidate ranking of 250 employees for every ESCO occupation.
//!
//! Run: `scripts/bench-skills.sh` (release build; ESCO from $HRMESH_ESCO_DIR or ../shared/data/esco).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::{collections::HashMap, time::Instant};

use hrmesh_skills::{
    esco,
    gap::{self, Requirement},
    model::Model,
    taxonomy::{SkillIx, Taxonomy},
};

const EMPLOYEES: usize = 250;
const SKILLS_PER_EMPLOYEE: usize = 25;

/// Deterministic pseudo-random numbers (no dependency, same figures every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let dir = esco::default_dir().expect("ESCO data: set HRMESH_ESCO_DIR to the ESCO CSV directory");
    let started = Instant::now();
    let (data, _) = esco::parse_dir(&dir).expect("parse ESCO");
    let parsed = started.elapsed();
    let started = Instant::now();
    let model = Model::new(Taxonomy::builtin().unwrap().with_esco(&data, 1));
    let built = started.elapsed();
    let t = &model.taxonomy;
    println!(
        "model: {} skills, {} occupations, {} relations; ESCO parsed in {:.2} s, graph + extractor built in {:.2} s",
        t.skills.len(),
        t.occupations.len(),
        t.relations.len(),
        parsed.as_secs_f64(),
        built.as_secs_f64()
    );

    // Extraction of a two-page CV (the sample CV twice, ~970 words) against the full taxonomy.
    let one = include_str!("data/cv_en.txt");
    let cv = format!("{one}\n{one}");
    let mut latencies = Vec::with_capacity(500);
    let started = Instant::now();
    let mut found = 0;
    for _ in 0..500 {
        let one = Instant::now();
        found = model.extractor.extract(&cv, None).hits.len();
        latencies.push(one.elapsed().as_secs_f64() * 1000.0);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "extraction: two-page CV ({} words, {} bytes) → {found} skills; {:.0} CVs/s ({:.1} MB/s), latency p50 {:.2} ms, p99 {:.2} ms",
        cv.split_whitespace().count(),
        cv.len(),
        500.0 / elapsed,
        500.0 * cv.len() as f64 / elapsed / 1e6,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );

    // Employees hold skills the way occupations bundle them: most from one occupation, some random.
    let mut rng = Lcg(42);
    let people: HashMap<String, HashMap<SkillIx, u32>> = (0..EMPLOYEES)
        .map(|i| {
            let occ = &t.occupations[rng.below(t.occupations.len())];
            let pool: Vec<SkillIx> = occ.essential.iter().chain(&occ.optional).copied().collect();
            let mut have = HashMap::new();
            while have.len() < SKILLS_PER_EMPLOYEE {
                let skill = if !pool.is_empty() && rng.below(4) > 0 {
                    pool[rng.below(pool.len())]
                } else {
                    rng.below(t.skills.len()) as SkillIx
                };
                have.insert(skill, 1 + rng.below(5) as u32);
            }
            (format!("emp-{i}"), have)
        })
        .collect();

    let targets: Vec<(Requirement, u32)> =
        (0..t.skills.len()).map(|s| (Requirement { skill: s as SkillIx, level: 3, essential: true }, 2)).collect();
    let team: Vec<&HashMap<SkillIx, u32>> = people.values().collect();
    let started = Instant::now();
    let gaps = gap::team_gap(&model.graph, &team, &targets);
    let elapsed = started.elapsed();
    let short: u32 = gaps.iter().map(gap::TargetGap::shortfall).sum();
    println!(
        "team gap: {EMPLOYEES} employees × {} skills ({} person-skill checks) in {:.2} s ({:.0} checks/s); total shortfall {short}",
        targets.len(),
        EMPLOYEES * targets.len(),
        elapsed.as_secs_f64(),
        (EMPLOYEES * targets.len()) as f64 / elapsed.as_secs_f64()
    );

    let mut latencies = Vec::with_capacity(t.occupations.len());
    let started = Instant::now();
    for occ in &t.occupations {
        let reqs: Vec<Requirement> = occ
            .essential
            .iter()
            .map(|&skill| Requirement { skill, level: 3, essential: true })
            .chain(occ.optional.iter().map(|&skill| Requirement { skill, level: 2, essential: false }))
            .collect();
        let one = Instant::now();
        let ranked = gap::transfer_ranking(&model.graph, &reqs, &people);
        std::hint::black_box(ranked.first().map(|r| r.1.gap));
        latencies.push(one.elapsed().as_secs_f64() * 1000.0);
    }
    let total = started.elapsed();
    latencies.sort_by(f64::total_cmp);
    println!(
        "transfer candidates: {EMPLOYEES} employees ranked for each of {} ESCO occupations in {:.2} s; per role p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        total.as_secs_f64(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0)
    );
}
