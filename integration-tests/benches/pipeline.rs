//! Pipeline benchmark: N events through outbox → bus → governance (check, pseudonymise,
//! minimise, audit, republish). Prints events/s and end-to-end latency for embedded and Kafka
//! mode, plus the bus alone, to show where the time goes.
//!
//! `scripts/bench-pipeline.sh` runs it; or:
//! `cargo bench -p hrmesh-integration-tests --bench pipeline -- [embedded|platform] [events]`
//! (platform needs HRMESH_BENCH_KAFKA=host:port and PostgreSQL on 127.0.0.1:5432).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use hrmesh_kit::{
    auth::Role,
    config::{Config, Mode},
    db::Database,
    events::{EventSource, governed_topic, raw_topic, record},
    outbox, runtime,
};
use hrmesh_proto::{
    engagement::v1::CommentAnalysed,
    events::v1::Envelope,
    recruiting::v1::{CandidateApplied, SubmitApplicationRequest, recruiting_service_client::RecruitingServiceClient},
};
use prost::Message;
use sqlx::{Connection, Executor, Row};

fn event(source: &EventSource, i: usize) -> Envelope {
    let payload = CandidateApplied {
        application_id: format!("app-{i}"),
        job_id: format!("job-{}", i % 50),
        source: "website".into(),
    };
    source.envelope(&format!("cand-{i}"), "recruiting.applications", &payload)
}

async fn config(mode: Mode, dir: &std::path::Path) -> Config {
    let mut config = support::embedded_config(dir);
    if mode == Mode::Platform {
        let unique = uuid::Uuid::now_v7().simple().to_string();
        let base =
            std::env::var("HRMESH_BENCH_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres")).await.unwrap();
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE bench_{unique}"))).await.unwrap();
        config.mode = Mode::Platform;
        config.database.url = format!("{base}/bench_{unique}");
        config.kafka.brokers = std::env::var("HRMESH_BENCH_KAFKA").expect("HRMESH_BENCH_KAFKA=host:port");
        config.kafka.topic_prefix = format!("bench-{unique}.");
        config.kafka.partitions = 6;
    }
    config
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank]
}

/// Waits until governance audited `n` events; returns latencies (ms) per event.
async fn wait_audited(gov: &Database, created: &HashMap<String, i64>, n: usize) -> Vec<i64> {
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(gov.pool()).await.unwrap();
        if count as usize >= n {
            break;
        }
        assert!(Instant::now() < deadline, "only {count} of {n} events audited");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rows = sqlx::query("SELECT event_id, recorded_at FROM audit_log").fetch_all(gov.pool()).await.unwrap();
    let mut latencies: Vec<i64> =
        rows.iter().filter_map(|r| created.get(&r.get::<String, _>(0)).map(|t| r.get::<i64, _>(1) - t)).collect();
    latencies.sort_unstable();
    latencies
}

async fn bench_bus(config: &Config, n: usize) {
    let bus = runtime::connect_bus(config).await.unwrap();
    let topic = "bench.bus.v1".to_owned();
    bus.ensure_topics(std::slice::from_ref(&topic)).await.unwrap();
    let source = EventSource { service: "recruiting", tenant: "acme".into() };
    let records: Vec<_> = (0..n).map(|i| record(&topic, &event(&source, i))).collect();
    let started = Instant::now();
    for chunk in records.chunks(500) {
        bus.publish(chunk.to_vec()).await.unwrap();
    }
    let publish = started.elapsed();
    let mut sub = bus.subscribe("bench-bus-reader", std::slice::from_ref(&topic)).await.unwrap();
    let mut seen = 0;
    let mut first = None;
    while seen < n {
        let batch = sub.next_batch(500).await.unwrap();
        first.get_or_insert_with(Instant::now);
        seen += batch.len();
        sub.commit(&batch).await.unwrap();
    }
    let consume = first.map(|f| f.elapsed()).unwrap_or_default();
    sub.close().await;
    println!(
        "  bus alone:     publish {:>8.0} events/s   consume+commit {:>8.0} events/s",
        n as f64 / publish.as_secs_f64(),
        n as f64 / consume.as_secs_f64().max(1e-9)
    );
}

async fn bench_pipeline(mode: Mode, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let config = config(mode, dir.path()).await;
    println!("{mode:?} mode, {n} events");
    bench_bus(&config, n).await;

    let defs = [hrmesh_governance::definition(), hrmesh::service("recruiting").unwrap()];
    let running = runtime::start(config.clone(), &defs).await.unwrap();
    // Measure the pipeline, not the consumer group join (seconds with Kafka).
    while !running.consumers_ready() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let source = EventSource { service: "recruiting", tenant: "acme".into() };
    let recruiting = Database::connect(&config, "recruiting").await.unwrap();
    let governance = Database::connect(&config, "governance").await.unwrap();

    // Throughput: a burst of outbox rows (500 per transaction), drained by relay and governance.
    let events: Vec<Envelope> = (0..n).map(|i| event(&source, i)).collect();
    let started = Instant::now();
    let mut created = HashMap::new();
    for chunk in events.chunks(500) {
        let mut tx = recruiting.begin().await.unwrap();
        let now = hrmesh_kit::time::now_ms();
        for e in chunk {
            outbox::enqueue(&mut tx, &raw_topic("recruiting"), e).await.unwrap();
            created.insert(e.id.clone(), now);
        }
        tx.commit().await.unwrap();
    }
    let written = started.elapsed();
    let stages = stage_times(&recruiting, &governance, n, started).await;
    wait_audited(&governance, &created, n).await;
    let elapsed = started.elapsed();
    println!(
        "  pipeline:      {:>8.0} events/s   (outbox writes {:.2}s, end to end {:.2}s)",
        n as f64 / elapsed.as_secs_f64(),
        written.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    println!(
        "  where the time goes (s after start, when each stage finished):\n    \
         recruiting relay drained outbox {:.2}   governance audited all {:.2}   governance relay drained outbox {:.2}",
        stages[0], stages[1], stages[2]
    );

    // Latency: the real path at a steady 200 applications/s — SubmitApplication RPC → outbox
    // → relay → bus → governance → audit — from the event's creation to its audit record.
    let paced = 1_000.min(n);
    let (channel, auth) = support::connect(&config, &running, "bench", &[Role::HrAdmin]).await;
    let mut client = RecruitingServiceClient::with_interceptor(channel, auth);
    let paced_from = hrmesh_kit::time::now_ms();
    let mut tick = tokio::time::interval(Duration::from_millis(5));
    for i in 0..paced {
        tick.tick().await;
        let request = SubmitApplicationRequest {
            candidate_id: format!("cand-p{i}"),
            job_id: "job-latency".into(),
            full_name: "Jan Jansen".into(),
            email: "jan@example.nl".into(),
            source: "website".into(),
            idempotency_key: String::new(),
        };
        client.submit_application(request).await.unwrap();
    }
    let created = event_times(&config, n + paced, paced_from).await;
    let latencies = wait_audited(&governance, &created, n + paced).await;
    println!(
        "  latency:       p50 {} ms   p99 {} ms   max {} ms   ({paced} RPCs at 200/s, event created → audited)",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0),
    );

    // Full enforcement with a consent lookup per event: comment sentiment (engagement.sentiment
    // needs opt-in consent) for people who granted it, half of them withdrawn again.
    let m = n / 2;
    let mut tx = governance.begin().await.unwrap();
    for chunk in (0..m).collect::<Vec<_>>().chunks(200) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| format!("('emp-{i}', 'engagement.sentiment', {}, '2026-11', 0, 'bench')", i64::from(i % 2 == 0)))
            .collect();
        let sql = format!(
            "INSERT INTO consents (subject, purpose, granted, notice_version, changed_at, changed_by) VALUES {}",
            values.join(", ")
        );
        tx.execute(sqlx::AssertSqlSafe(sql)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let engagement = EventSource { service: "engagement", tenant: "acme".into() };
    let comments: Vec<Envelope> = (0..m)
        .map(|i| {
            let payload = CommentAnalysed { label: "positive".into(), score: 0.6 };
            engagement.envelope(&format!("emp-{i}"), "engagement.sentiment", &payload)
        })
        .collect();
    let audited_before = n + paced;
    let started = Instant::now();
    let mut created = HashMap::new();
    for chunk in comments.chunks(500) {
        let mut tx = recruiting.begin().await.unwrap();
        let now = hrmesh_kit::time::now_ms();
        for e in chunk {
            outbox::enqueue(&mut tx, &raw_topic("engagement"), e).await.unwrap();
            created.insert(e.id.clone(), now);
        }
        tx.commit().await.unwrap();
    }
    wait_audited(&governance, &created, audited_before + m).await;
    let elapsed = started.elapsed();
    let suppressed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'event.suppressed'")
        .fetch_one(governance.pool())
        .await
        .unwrap();
    println!(
        "  with consent:  {:>8.0} events/s   ({m} events, one consent lookup each; {suppressed} refused for withdrawn consent)",
        m as f64 / elapsed.as_secs_f64()
    );
    recruiting.close().await;
    governance.close().await;
    running.stop().await.unwrap();
    if mode == Mode::Platform {
        let (base, database) = config.database.url.rsplit_once('/').unwrap();
        let mut admin = sqlx::PgConnection::connect(&format!("{base}/postgres")).await.unwrap();
        admin.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE {database} WITH (FORCE)"))).await.unwrap();
    }
}

/// When (seconds after `started`) the recruiting outbox was drained, governance had audited `n`
/// events, and governance's outbox was drained.
async fn stage_times(recruiting: &Database, governance: &Database, n: usize, started: Instant) -> [f64; 3] {
    let mut done = [None; 3];
    let deadline = Instant::now() + Duration::from_secs(600);
    while done.iter().any(Option::is_none) && Instant::now() < deadline {
        let counts = [
            ("SELECT COUNT(*) FROM hrmesh_outbox", recruiting, 0),
            ("SELECT COALESCE(MAX(sequence), 0) FROM audit_log", governance, n as i64),
            ("SELECT COUNT(*) FROM hrmesh_outbox", governance, 0),
        ];
        for (i, (sql, db, target)) in counts.into_iter().enumerate() {
            if done[i].is_some() || (i == 2 && done[1].is_none()) {
                continue;
            }
            let count: i64 = sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap();
            if count == target {
                done[i] = Some(started.elapsed().as_secs_f64());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    done.map(|d| d.unwrap_or(f64::NAN))
}

/// Creation times (ms) of the events created since `since`, read back from the governed stream.
async fn event_times(config: &Config, total: usize, since: i64) -> HashMap<String, i64> {
    let bus = runtime::connect_bus(config).await.unwrap();
    let group = format!("bench-times-{}", uuid::Uuid::now_v7().simple());
    let mut sub = bus.subscribe(&group, &[governed_topic("recruiting")]).await.unwrap();
    let mut seen = 0;
    let mut times = HashMap::new();
    while seen < total {
        let batch = tokio::time::timeout(Duration::from_secs(120), sub.next_batch(1000)).await.unwrap().unwrap();
        seen += batch.len();
        for d in batch {
            let e = Envelope::decode(d.record.payload.as_slice()).unwrap();
            let t = e.time.map_or(0, |t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000));
            if t >= since {
                times.insert(e.id, t);
            }
        }
    }
    sub.close().await;
    times
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    // Spans as in production; logs only when asked for (HRMESH_BENCH_LOG=hrmesh_kit=debug).
    let log_filter = std::env::var("HRMESH_BENCH_LOG").unwrap_or_else(|_| "off".into());
    let telemetry = hrmesh_kit::config::TelemetryConfig { log_filter, ..Config::default().telemetry };
    let _telemetry = hrmesh_kit::telemetry::init("bench", &telemetry).unwrap();
    match args.first().map(String::as_str) {
        Some("platform") => bench_pipeline(Mode::Platform, n).await,
        Some("embedded") | None => bench_pipeline(Mode::Embedded, n).await,
        Some(other) => panic!("unknown mode {other}: embedded or platform"),
    }
}
