//! Worst-case text input (issue: one call must not stall the server). Embedded mode, every
//! service in-process: the latency of `ExtractSkills` on the largest hostile inputs it accepts,
//! and the p50/p99 of an unrelated call (`GetSkill`) alone and while 4 worst-case extractions
//! run at once.
//!
//! `scripts/bench-worst-case.sh [calls]` (default 200 unrelated calls per phase).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::time::{Duration, Instant};

use hrmesh_kit::{auth::Role, runtime};
use hrmesh_proto::skills::v1::{ExtractSkillsRequest, GetSkillRequest, skills_service_client::SkillsServiceClient};
use tonic::transport::Channel;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Pseudo-random lowercase words up to `bytes` long.
fn random_words(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 16);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = 3 + (x % 12) as usize;
        for i in 0..len {
            out.push(char::from(b'a' + ((x >> ((i * 5) % 60)) % 26) as u8));
        }
        out.push(' ');
    }
    out.truncate(bytes);
    out
}

type Client = SkillsServiceClient<tonic::service::interceptor::InterceptedService<Channel, support::Bearer>>;

async fn unrelated_calls(client: &Client, n: usize) -> Vec<f64> {
    let mut client = client.clone();
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let request = GetSkillRequest { skill_id: "trades.mig_mag_welding".into(), locale: "nl".into() };
        client.get_skill(request).await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let config = support::embedded_config(dir.path());
    let running = runtime::start(config.clone(), &hrmesh::all_services()).await.unwrap();
    let (channel, auth) = support::connect(&config, &running, "hr-bench", &[Role::HrAdmin]).await;
    let client: Client = SkillsServiceClient::with_interceptor(channel, auth).max_decoding_message_size(64 << 20);

    let max = hrmesh_skills::MAX_TEXT_BYTES;
    let cases: Vec<(&str, String, &str)> = vec![
        ("one word of the largest size, nl", "a".repeat(max), "nl"),
        ("one word of the largest size, de", "ß".repeat(max / 2), "de"),
        ("random words, largest size, nl", random_words(max), "nl"),
        ("compound-like words, largest size, nl", "heftruckcertificaatlasdiploma ".repeat(max / 30), "nl"),
        ("one clause of 'Python', largest size", "Python ".repeat(max / 7), "en"),
    ];
    println!("ExtractSkills worst cases ({} KiB each):", max >> 10);
    let mut worst = 0.0f64;
    for (name, text, language) in &cases {
        let mut client = client.clone();
        let started = Instant::now();
        let request =
            ExtractSkillsRequest { text: text.clone(), language: (*language).into(), locale: "en".into(), k: 0 };
        let found = client.extract_skills(request).await.unwrap().into_inner();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        worst = worst.max(ms);
        println!("  {name}: {ms:.1} ms ({} skills)", found.skills.len());
    }
    println!("  worst: {worst:.1} ms (target < 100 ms in release)");

    let alone = unrelated_calls(&client, n).await;
    let hostile = random_words(max);
    let stop = tokio_util::sync::CancellationToken::new();
    let mut load = Vec::new();
    for _ in 0..4 {
        let (mut client, text, stop) = (client.clone(), hostile.clone(), stop.clone());
        load.push(tokio::spawn(async move {
            let mut calls = 0;
            while !stop.is_cancelled() {
                let request =
                    ExtractSkillsRequest { text: text.clone(), language: "nl".into(), locale: "en".into(), k: 0 };
                client.extract_skills(request).await.unwrap();
                calls += 1;
            }
            calls
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let loaded = unrelated_calls(&client, n).await;
    stop.cancel();
    let mut extractions = 0;
    for task in load {
        extractions += task.await.unwrap();
    }
    println!(
        "GetSkill while idle: p50 {:.2} ms, p99 {:.2} ms ({n} calls)",
        percentile(&alone, 0.5),
        percentile(&alone, 0.99)
    );
    println!(
        "GetSkill while 4 worst-case extractions run: p50 {:.2} ms, p99 {:.2} ms ({extractions} extractions meanwhile)",
        percentile(&loaded, 0.5),
        percentile(&loaded, 0.99)
    );
    running.stop().await.unwrap();
}
