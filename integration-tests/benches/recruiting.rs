//! Recruiting benchmark (embedded mode, every service in-process): CVs parsed per second by
//! the parser alone and through the full intake API (parse → skills extraction → sealed
//! storage), and shortlist latency for one job with 1,000 applicants (consent checks, blind
//! matching through the competence graph, ranking, recommendations logged with governance).
//!
//! `scripts/bench-recruiting.sh [candidates]` (default 1000).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hrmesh_kit::{
    auth::{Role, TokenIssuer},
    runtime,
};
use hrmesh_proto::{
    governance::v1::{GrantConsentRequest, governance_service_client::GovernanceServiceClient},
    recruiting::v1::{
        CreateJobRequest, GetShortlistRequest, LanguageRequirement, SkillRequirement, SubmitApplicationRequest,
        SubmitCvRequest, recruiting_service_client::RecruitingServiceClient,
    },
};
use hrmesh_recruiting::cv;
use tonic::Request;

const SKILLS: [&str; 12] = [
    "MIG/MAG-lassen",
    "TIG-lassen",
    "elektrodelassen",
    "VCA-certificaat",
    "heftruckcertificaat",
    "CNC-frezen",
    "technisch tekenen",
    "hydrauliek",
    "storingen verhelpen",
    "Excel",
    "SAP",
    "leidinggeven",
];

/// A realistic Dutch text CV; `i` varies skills, years and languages.
fn cv_text(i: usize) -> String {
    let skills: Vec<&str> = (0..5).map(|k| SKILLS[(i * 7 + k * 5) % SKILLS.len()]).collect();
    let start = 2000 + (i % 20);
    format!(
        "Kandidaat {i}\nkandidaat{i}@example.org\n+31 6 {:08}\n\nProfiel\nVakman met ervaring in de metaal.\n\n\
         Werkervaring\njan {start} - heden: lasser, Metaalbedrijf {i} BV\nIk werk met {}.\n\
         03/{} - 12/{}: productiemedewerker bij Fabriek {}\nTaken: {} en {}.\n\n\
         Opleiding\nMBO Metaal (niveau 3), ROC, {}\n\nTalen\nNederlands: moedertaal\nEngels: {}\n",
        i,
        skills[0..3].join(", "),
        start - 4,
        start - 1,
        i % 13,
        skills[3],
        skills[4],
        start - 5,
        if i.is_multiple_of(3) { "goed" } else { "redelijk" },
    )
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().unwrap();
    let config = support::embedded_config(dir.path());

    // The parser alone.
    let texts: Vec<String> = (0..n).map(cv_text).collect();
    let started = Instant::now();
    let mut months = 0;
    for t in &texts {
        months += cv::parse(t.as_bytes(), "cv.txt", cv::YearMonth::today()).unwrap().experience_months;
    }
    let parse_s = started.elapsed().as_secs_f64();
    println!(
        "CV parser (text, ~{} bytes each): {:.0} CVs/s ({months} months of experience read)",
        texts[0].len(),
        n as f64 / parse_s
    );

    // PDF and DOCX (the fixtures of the CV parser tests, one page each).
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../services/recruiting/tests/fixtures/cv/");
    for name in ["fatima_nl.pdf", "fatima_nl.docx"] {
        let bytes = std::fs::read(format!("{fixtures}{name}")).unwrap();
        let started = Instant::now();
        for _ in 0..n {
            std::hint::black_box(cv::parse(&bytes, name, cv::YearMonth::today()).unwrap());
        }
        println!("CV parser ({name}, {} bytes): {:.0} CVs/s", bytes.len(), n as f64 / started.elapsed().as_secs_f64());
    }

    let running = runtime::start(config.clone(), &hrmesh::all_services()).await.unwrap();
    let (channel, auth) = support::connect(&config, &running, "hr-bench", &[Role::HrAdmin]).await;
    let mut hr = RecruitingServiceClient::with_interceptor(channel.clone(), auth);
    let skill = |id: &str| SkillRequirement { skill_id: id.into(), level: 3, inferred: false };
    hr.create_job(CreateJobRequest {
        job_id: "bench-job".into(),
        title: "Lasser".into(),
        must: vec![skill("trades.mig_mag_welding"), skill("safety.vca")],
        nice: vec![skill("logistics.forklift"), skill("trades.technical_drawing")],
        languages: vec![LanguageRequirement { language: "nl".into(), level: "B2".into() }],
        min_years_experience: 5,
        education: "vocational".into(),
        ..Default::default()
    })
    .await
    .unwrap();

    // Intake through the API, 8 uploads in flight (as several recruiters or a batch import would).
    let started = Instant::now();
    let mut latencies: Vec<f64> = futures_util::stream::iter(texts.iter().enumerate().map(|(i, t)| {
        let mut hr = hr.clone();
        let request = SubmitCvRequest {
            candidate_id: format!("cand-{i}"),
            filename: "cv.txt".into(),
            content: t.clone().into_bytes(),
        };
        async move {
            let one = Instant::now();
            hr.submit_cv(request).await.unwrap();
            one.elapsed().as_secs_f64() * 1000.0
        }
    }))
    .buffer_unordered(8)
    .collect()
    .await;
    let intake_s = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "CV intake API (parse + skills extraction + sealed storage), 8 in flight: {:.0} CVs/s, latency p50 {:.0} ms, p99 {:.0} ms",
        n as f64 / intake_s,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );

    // Everyone applies; nine in ten consent to automated screening.
    // Consent is the candidate's own act: each grants it with their own token.
    let issuer = TokenIssuer::from_config(&config.auth).unwrap();
    let mut gov = GovernanceServiceClient::new(channel.clone());
    for i in 0..n {
        let application = SubmitApplicationRequest {
            candidate_id: format!("cand-{i}"),
            job_id: "bench-job".into(),
            full_name: format!("Kandidaat {i}"),
            email: format!("kandidaat{i}@example.org"),
            source: "website".into(),
            idempotency_key: String::new(),
        };
        hr.submit_application(application).await.unwrap();
        if !i.is_multiple_of(10) {
            let subject = format!("cand-{i}");
            let token = issuer.issue(&subject, &[Role::Candidate], Duration::from_secs(600)).unwrap();
            let consent =
                GrantConsentRequest { subject, purpose: "recruiting.screening".into(), notice_version: "v1".into() };
            let mut request = Request::new(consent);
            request.metadata_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
            gov.grant_consent(request).await.unwrap();
        }
    }
    let mut latencies = Vec::new();
    let mut shown = 0;
    for _ in 0..10 {
        let request = GetShortlistRequest { job_id: "bench-job".into(), limit: 20, locale: "nl".into() };
        let one = Instant::now();
        let list = hr.get_shortlist(request).await.unwrap().into_inner();
        latencies.push(one.elapsed().as_secs_f64() * 1000.0);
        shown = list.candidates.len() + list.manual_review.len();
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "shortlist for {n} applicants (top 20 ranked and logged, {} to manual review): p50 {:.0} ms, p99 {:.0} ms",
        shown - 20,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    running.shutdown_token().cancel();
}
