//! Onboarding benchmark (embedded mode, every service in-process): plans for 250 hires from a
//! 12-task template, then an optimal buddy assignment of 50 hires to 200 volunteers (capacity 1
//! or 2, consent on both sides, leave read from the people service), compared with a greedy
//! assignment of the same scores.
//!
//! `scripts/bench-onboarding.sh [hires] [volunteers] [matched]` (default 250 200 50).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::{collections::HashMap, fmt::Write as _, time::Instant};

use futures_util::StreamExt;
use hrmesh_kit::{auth::Role, runtime};
use hrmesh_proto::{
    governance::v1::{GrantConsentRequest, governance_service_client::GovernanceServiceClient},
    onboarding::v1::{self as pb, OwnerKind, Phase, onboarding_service_client::OnboardingServiceClient},
    people::v1::{ImportEmployeesRequest, people_service_client::PeopleServiceClient},
};

const INTERESTS: [&str; 8] =
    ["wielrennen", "koken", "schaken", "muziek", "voetbal", "lezen", "fotografie", "tuinieren"];
const SKILLS: [&str; 6] = ["planning", "sql", "rust", "forklift", "excel", "welding"];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn template() -> pb::Template {
    let phases = [
        (Phase::BeforeDayOne, OwnerKind::Hr, -7),
        (Phase::BeforeDayOne, OwnerKind::It, -2),
        (Phase::DayOne, OwnerKind::Manager, 0),
        (Phase::DayOne, OwnerKind::Buddy, 0),
        (Phase::WeekOne, OwnerKind::NewHire, 3),
        (Phase::WeekOne, OwnerKind::Buddy, 5),
        (Phase::MonthOne, OwnerKind::NewHire, 14),
        (Phase::MonthOne, OwnerKind::Manager, 30),
        (Phase::MonthOne, OwnerKind::NewHire, 30),
        (Phase::MonthThree, OwnerKind::Manager, 60),
        (Phase::MonthThree, OwnerKind::Hr, 80),
        (Phase::MonthThree, OwnerKind::Manager, 85),
    ];
    pb::Template {
        template_id: "operator-nl".into(),
        role: "Operator".into(),
        location: "NL".into(),
        language: "nl".into(),
        skills_role_id: String::new(),
        tasks: phases
            .iter()
            .enumerate()
            .map(|(i, (phase, owner, offset))| pb::TemplateTask {
                task_key: format!("t{i:02}"),
                title: format!("Taak {i}"),
                phase: *phase as i32,
                owner: *owner as i32,
                due_offset_days: *offset,
                depends_on: if i == 0 { Vec::new() } else { vec![format!("t{:02}", i - 1)] },
            })
            .collect(),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (hires, volunteers, matched) =
        (args.first().copied().unwrap_or(250), args.get(1).copied().unwrap_or(200), args.get(2).copied().unwrap_or(50));
    let dir = tempfile::tempdir().unwrap();
    let config = support::embedded_config(dir.path());
    let running = runtime::start(config.clone(), &hrmesh::all_services()).await.unwrap();
    let (channel, auth) = support::connect(&config, &running, "hr-bench", &[Role::HrAdmin]).await;
    let people = PeopleServiceClient::with_interceptor(channel.clone(), auth.clone());
    let hr = OnboardingServiceClient::with_interceptor(channel.clone(), auth);

    // Volunteers in people: 4 managers, every fourth in Germany, tenure 1-8 years.
    let mut csv = String::from(
        "employee_id,full_name,work_email,work_country,work_region,org_unit_id,job_title,manager_id,postcode,street,\
         house_number,city,contract_start,weekly_hours,days_per_week\n",
    );
    for i in 0..volunteers {
        let manager = if i < 4 { String::new() } else { format!("v{:04}", i % 4) };
        let (country, region, postcode) = if i % 4 == 3 { ("DE", "BY", "80331") } else { ("NL", "", "3511 LX") };
        writeln!(
            csv,
            "v{i:04},Person {i},v{i}@acme.example,{country},{region},,Operator,{manager},{postcode},Hoofdstraat,1,Stad,\
             {}-03-01,40,5",
            2018 + i % 8
        )
        .unwrap();
    }
    let report = people
        .clone()
        .import_employees(ImportEmployeesRequest { content: csv.into_bytes(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    hr.clone().upsert_template(template()).await.unwrap();
    // Hires elsewhere get the template for any location.
    let any = pb::Template { template_id: "operator-any".into(), location: String::new(), ..template() };
    hr.clone().upsert_template(any).await.unwrap();

    // Plans for every hire, 8 at a time.
    let started = Instant::now();
    let mut latencies: Vec<f64> = futures_util::stream::iter((0..hires).map(|i| {
        let mut hr = hr.clone();
        async move {
            let request = pb::StartOnboardingRequest {
                employee_id: format!("h{i:04}"),
                role: "Operator".into(),
                start_date: format!("2027-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                location: if i % 4 == 3 { "DE".into() } else { "NL".into() },
                language: "nl".into(),
                manager_id: format!("v{:04}", i % 4),
                contract_kind: "permanent".into(),
                probation_end: format!("2027-{:02}-{:02}", 1 + (i + 2) % 12, 1 + i % 28),
                ..Default::default()
            };
            let t = Instant::now();
            let plan = hr.start_onboarding(request).await.unwrap().into_inner();
            assert_eq!(plan.tasks.len(), 12);
            t.elapsed().as_secs_f64() * 1000.0
        }
    }))
    .buffer_unordered(8)
    .collect()
    .await;
    let plans_s = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "plans: {hires} hires × 12 tasks in {plans_s:.2} s ({:.0} plans/s), StartOnboarding p50 {:.1} ms, p95 {:.1} ms",
        hires as f64 / plans_s,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95)
    );

    // Consent on both sides, then volunteering (placement and tenure read from people).
    let subjects: Vec<String> =
        (0..volunteers).map(|i| format!("v{i:04}")).chain((0..matched).map(|i| format!("h{i:04}"))).collect();
    futures_util::stream::iter(subjects.into_iter().map(|s| {
        let config = config.clone();
        let running = &running;
        async move {
            let (channel, auth) = support::connect(&config, running, &s, &[Role::Employee]).await;
            let mut gov = GovernanceServiceClient::with_interceptor(channel, auth);
            let grant = GrantConsentRequest {
                subject: s.clone(),
                purpose: "onboarding.buddy_matching".into(),
                notice_version: "2026-11".into(),
            };
            gov.grant_consent(grant).await.unwrap();
        }
    }))
    .buffer_unordered(8)
    .collect::<Vec<()>>()
    .await;
    let started = Instant::now();
    futures_util::stream::iter((0..volunteers).map(|i| {
        let mut hr = hr.clone();
        async move {
            let request = pb::SetBuddyVolunteerRequest {
                employee_id: format!("v{i:04}"),
                volunteer: true,
                capacity: 1 + u32::from(i % 3 == 0),
                skills: vec![SKILLS[i % 6].into(), SKILLS[(i / 6) % 6].into()],
                interests: vec![INTERESTS[i % 8].into(), INTERESTS[(i / 8) % 8].into()],
            };
            hr.set_buddy_volunteer(request).await.unwrap();
        }
    }))
    .buffer_unordered(8)
    .collect::<Vec<()>>()
    .await;
    println!("volunteers: {volunteers} opted in in {:.2} s", started.elapsed().as_secs_f64());

    let ids: Vec<String> = (0..matched).map(|i| format!("h{i:04}")).collect();
    let profiles: HashMap<String, pb::HireProfile> = (0..matched)
        .map(|i| {
            let profile = pb::HireProfile {
                skills: vec![SKILLS[(i * 7) % 6].into()],
                interests: vec![INTERESTS[(i * 3) % 8].into(), INTERESTS[(i * 5) % 8].into()],
            };
            (format!("h{i:04}"), profile)
        })
        .collect();
    let request = pb::MatchBuddiesRequest { employee_ids: ids, profiles, locale: "en".into() };
    let started = Instant::now();
    let answer = hr.clone().match_buddies(request).await.unwrap().into_inner();
    let match_s = started.elapsed().as_secs_f64();
    let places: usize = (0..volunteers).map(|i| 1 + usize::from(i % 3 == 0)).sum();
    println!(
        "buddy matching: {matched} hires × {volunteers} volunteers ({places} places) in {:.0} ms (consent, leave, \
         scores, Hungarian assignment, storage); {} matched, {} unmatched, total score {:.1}, mean {:.1}",
        match_s * 1000.0,
        answer.matches.len(),
        answer.unmatched.len(),
        answer.total_score,
        answer.total_score / answer.matches.len().max(1) as f64
    );
    if let Some(m) = answer.matches.first() {
        println!("example: {} ↔ {} ({:.0}): {}", m.employee_id, m.buddy_id, m.score, m.reasons.join("; "));
    }

    // The Hungarian step alone on a random 50 × 200 matrix, against a greedy choice.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 100) as f64
    };
    let score: Vec<Vec<f64>> = (0..matched).map(|_| (0..places).map(|_| next()).collect()).collect();
    let started = Instant::now();
    let optimal = hrmesh_onboarding::hungarian::maximise(&score);
    let hungarian_ms = started.elapsed().as_secs_f64() * 1000.0;
    let best: f64 = optimal.iter().enumerate().filter_map(|(i, j)| j.map(|j| score[i][j])).sum();
    let mut taken = vec![false; places];
    let mut greedy = 0.0;
    for row in &score {
        let (j, s) = row.iter().enumerate().filter(|(j, _)| !taken[*j]).max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        taken[j] = true;
        greedy += s;
    }
    println!("hungarian alone: {matched} × {places} in {hungarian_ms:.1} ms; optimum {best:.0} vs greedy {greedy:.0}");
    running.stop().await.unwrap();
}
