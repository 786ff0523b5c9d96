//! Engagement benchmark (embedded mode, every service in-process): a company of 10,000 in 40
//! teams of 250 under 4 departments answers a pulse through the API (every tenth with a
//! comment), then HR asks for the results of the round again and again: GetResults p50/p99.
//!
//! `scripts/bench-engagement.sh [answers] [teams]` (default 10000 40).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::{fmt::Write as _, time::Instant};

use futures_util::StreamExt;
use hrmesh_kit::{
    auth::{Role, TokenIssuer},
    runtime,
};
use hrmesh_proto::{
    engagement::v1::{
        CreateSurveyRequest, GetHeatmapRequest, GetResultsRequest, QuestionAnswer, SubmitPulseAnswerRequest,
        engagement_service_client::EngagementServiceClient,
    },
    people::v1::{ImportEmployeesRequest, UpsertOrgUnitRequest, people_service_client::PeopleServiceClient},
};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// `n` employees spread over `teams` teams (`team-00`..), four departments above them.
fn company(n: usize, teams: usize) -> String {
    let mut csv = String::from(
        "employee_id,full_name,work_email,work_country,work_region,org_unit_id,job_title,manager_id,postcode,street,\
         house_number,city,contract_start,weekly_hours,days_per_week\n",
    );
    for i in 0..n {
        writeln!(
            csv,
            "e{i:05},Person Nummer{i},e{i}@acme.example,NL,,team-{:02},Operator,,3511 LX,Hoofdstraat,{},Stad,2018-01-01,40,5",
            i % teams,
            i + 1,
        )
        .unwrap();
    }
    csv
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).filter_map(|a| a.parse::<usize>().ok());
    let n = args.next().unwrap_or(10_000);
    let teams = args.next().unwrap_or(40).max(1);
    let dir = tempfile::tempdir().unwrap();
    let config = support::embedded_config(dir.path());
    let running = runtime::start(config.clone(), &hrmesh::all_services()).await.unwrap();
    let (channel, auth) = support::connect(&config, &running, "hr-bench", &[Role::HrAdmin]).await;
    let mut people = PeopleServiceClient::with_interceptor(channel.clone(), auth.clone());
    let mut hr = EngagementServiceClient::with_interceptor(channel.clone(), auth);

    let started = Instant::now();
    let unit = |id: &str, name: &str, parent: &str| UpsertOrgUnitRequest {
        org_unit_id: id.into(),
        name: name.into(),
        parent_id: parent.into(),
    };
    people.upsert_org_unit(unit("acme", "Acme", "")).await.unwrap();
    for d in 0..4 {
        people.upsert_org_unit(unit(&format!("dept-{d}"), &format!("Department {d}"), "acme")).await.unwrap();
    }
    for t in 0..teams {
        let id = format!("team-{t:02}");
        people.upsert_org_unit(unit(&id, &format!("Team {t}"), &format!("dept-{}", t % 4))).await.unwrap();
    }
    let report = people
        .import_employees(ImportEmployeesRequest { content: company(n, teams).into_bytes(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    println!("company: {n} employees in {teams} teams imported in {:.1} s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let today = hrmesh_kit::time::today();
    let survey = hr
        .create_survey(CreateSurveyRequest {
            title: "Pulse".into(),
            question_ids: [
                "enps.recommend",
                "management.support",
                "workload.manageable",
                "growth.learning",
                "workload.open",
            ]
            .map(String::from)
            .to_vec(),
            org_unit_ids: vec!["acme".into()],
            opens_on: hrmesh_kit::time::format_date(today),
            closes_on: hrmesh_kit::time::format_date(today.next_day().unwrap()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let invited = survey.current_round.as_ref().map_or(0, |r| r.invited);
    println!("survey: {invited} invited in {:.2} s", started.elapsed().as_secs_f64());

    // Everyone answers with their own token, 16 at a time.
    let issuer = TokenIssuer::from_config(&config.auth).unwrap();
    let started = Instant::now();
    let mut submit_ms: Vec<f64> = futures_util::stream::iter((0..n).map(|i| {
        let client = EngagementServiceClient::new(channel.clone());
        let issuer = &issuer;
        let survey_id = survey.survey_id.clone();
        async move {
            let id = format!("e{i:05}");
            let token = issuer.issue(&id, &[Role::Employee], std::time::Duration::from_secs(3600)).unwrap();
            let score = |k: usize| u32::try_from((i * 7 + k * 3) % 11).unwrap();
            let answers = vec![
                QuestionAnswer { question_id: "enps.recommend".into(), score: score(0), text: String::new() },
                QuestionAnswer { question_id: "management.support".into(), score: score(1), text: String::new() },
                QuestionAnswer { question_id: "workload.manageable".into(), score: score(2), text: String::new() },
                QuestionAnswer { question_id: "growth.learning".into(), score: score(3), text: String::new() },
                QuestionAnswer {
                    question_id: "workload.open".into(),
                    score: 0,
                    text: if i % 10 == 0 { "De werkdruk is hoog, maar het team is top.".into() } else { String::new() },
                },
            ];
            let mut request = tonic::Request::new(SubmitPulseAnswerRequest { survey_id, employee_id: id, answers });
            request.metadata_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
            let one = Instant::now();
            client.clone().submit_pulse_answer(request).await.unwrap();
            one.elapsed().as_secs_f64() * 1000.0
        }
    }))
    .buffer_unordered(16)
    .collect()
    .await;
    let answer_s = started.elapsed().as_secs_f64();
    submit_ms.sort_by(f64::total_cmp);
    println!(
        "answers: {n} in {answer_s:.1} s ({:.0}/s), SubmitPulseAnswer p50 {:.2} ms, p99 {:.2} ms (16 in flight)",
        n as f64 / answer_s,
        percentile(&submit_ms, 0.5),
        percentile(&submit_ms, 0.99)
    );

    let request = || GetResultsRequest { survey_id: survey.survey_id.clone(), round: 0 };
    let results = hr.get_results(request()).await.unwrap().into_inner();
    let shown = results.units.iter().filter(|u| u.shown).count();
    let all = results.units.iter().find(|u| u.org_unit_id.is_empty()).unwrap();
    println!(
        "results: {} units ({shown} shown), company-wide n = {}, eNPS {:?}",
        results.units.len(),
        all.respondents,
        all.enps.map(|e| e.score)
    );
    let rounds = 200;
    let mut latencies = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let one = Instant::now();
        std::hint::black_box(hr.get_results(request()).await.unwrap());
        latencies.push(one.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "GetResults over {n} answers in {teams} teams: {rounds} calls, p50 {:.2} ms, p99 {:.2} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    let one = Instant::now();
    let heatmap =
        hr.get_heatmap(GetHeatmapRequest { survey_id: survey.survey_id.clone(), round: 0 }).await.unwrap().into_inner();
    println!("GetHeatmap: {} rows in {:.2} ms", heatmap.rows.len(), one.elapsed().as_secs_f64() * 1000.0);
    running.stop().await.unwrap();
}
