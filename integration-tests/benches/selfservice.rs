//! Self-service assistant benchmark (embedded mode, every service in-process): employees of a
//! company each ask for leave in Dutch, German or English and confirm it, so every confirmation
//! runs an action through the people service (balance and overlap checks, the request and its
//! event, the audit). Prints replies per second and latency percentiles per kind of message.
//!
//! `scripts/bench-selfservice.sh [employees] [concurrency]` (defaults 200 and 8).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::{fmt::Write as _, time::Instant};

use futures_util::StreamExt;
use hrmesh_kit::{
    auth::{Role, TokenIssuer},
    runtime,
};
use hrmesh_proto::{
    people::v1::{ImportEmployeesRequest, people_service_client::PeopleServiceClient},
    selfservice::v1::{
        OpenConversationRequest, SendMessageRequest, self_service_service_client::SelfServiceServiceClient,
    },
};
use tonic::{service::interceptor::InterceptedService, transport::Channel};

type Assistant = SelfServiceServiceClient<InterceptedService<Channel, support::Bearer>>;

/// `n` employees under one manager: Dutch speakers in the Netherlands, German speakers in
/// Germany and English speakers in the Netherlands, a third each.
fn company(n: usize) -> String {
    let mut csv = String::from(
        "employee_id,full_name,work_email,work_country,preferred_language,manager_id,contract_start,weekly_hours,\
         days_per_week\n",
    );
    for i in 0..n {
        let manager = if i == 0 { String::new() } else { "e0000".into() };
        let (country, language) = [("NL", "nl"), ("DE", "de"), ("NL", "en")][i % 3];
        writeln!(csv, "e{i:04},Person {i},e{i}@acme.example,{country},{language},{manager},2020-01-01,40,5").unwrap();
    }
    csv
}

/// What employee `i` asks: a week-day of leave in the spring of next year, in their language.
fn ask(i: usize) -> String {
    let day = 2 + i % 20;
    match i % 3 {
        0 => format!("Ik wil graag verlof op {day} maart 2027"),
        1 => format!("Ich möchte am {day}. März 2027 Urlaub nehmen"),
        _ => format!("I'd like a day off on {day} March 2027"),
    }
}

fn confirm(i: usize) -> &'static str {
    ["ja", "ja bitte", "yes"][i % 3]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(kind: &str, mut ms: Vec<f64>, wall_s: f64) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{kind}: {} replies in {wall_s:.2} s = {:.0} replies/s; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms.len(),
        ms.len() as f64 / wall_s,
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or_default()
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).filter_map(|a| a.parse::<usize>().ok());
    let n = args.next().unwrap_or(200);
    let concurrency = args.next().unwrap_or(8);
    let dir = tempfile::tempdir().unwrap();
    let config = support::embedded_config(dir.path());
    let running = runtime::start(config.clone(), &hrmesh::all_services()).await.unwrap();
    let (channel, hr_auth) = support::connect(&config, &running, "hr-bench", &[Role::HrAdmin]).await;
    let report_import = PeopleServiceClient::with_interceptor(channel.clone(), hr_auth)
        .import_employees(ImportEmployeesRequest { content: company(n).into_bytes(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(report_import.errors.is_empty(), "{:?}", report_import.errors);

    let issuer = TokenIssuer::from_config(&config.auth).unwrap();
    let employees: Vec<(Assistant, String)> = futures_util::stream::iter(1..n)
        .map(|i| {
            let (channel, issuer) = (channel.clone(), &issuer);
            async move {
                let id = format!("e{i:04}");
                let token = issuer.issue(&id, &[Role::Employee], std::time::Duration::from_secs(3600)).unwrap();
                let bearer = support::Bearer::new(&token);
                let mut client = SelfServiceServiceClient::with_interceptor(channel, bearer);
                let open = OpenConversationRequest { employee_id: id, language: String::new() };
                let conversation = client.open_conversation(open).await.unwrap().into_inner().conversation_id;
                (client, conversation)
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;

    // Round 1: the request, understood and proposed with the balance after it (reads people).
    // Round 2: the confirmation, which files the request through people (writes, event, audit).
    for (round, kind) in [(0, "ask (understand, propose, read the balance)"), (1, "confirm (runs the leave request)")] {
        let started = Instant::now();
        let latencies: Vec<f64> = futures_util::stream::iter(employees.iter().enumerate())
            .map(|(k, (client, conversation))| {
                let mut client = client.clone();
                let i = k + 1;
                let text = if round == 0 { ask(i) } else { confirm(i).to_owned() };
                async move {
                    let one = Instant::now();
                    let request = SendMessageRequest { conversation_id: conversation.clone(), text };
                    let reply = client.send_message(request).await.unwrap().into_inner();
                    if round == 0 {
                        assert!(reply.pending_action.is_some(), "e{i:04} got no proposal: {}", reply.text);
                    } else {
                        let result = reply.action_result.unwrap_or_else(|| panic!("e{i:04}: {}", reply.text));
                        assert_eq!(result.outcome, "done", "e{i:04}: {}", reply.text);
                    }
                    one.elapsed().as_secs_f64() * 1000.0
                }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        report(kind, latencies, started.elapsed().as_secs_f64());
    }
    running.stop().await.unwrap();
}
