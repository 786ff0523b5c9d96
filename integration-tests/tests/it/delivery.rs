//! Delivery guarantees: atomic outbox, nothing lost on a crash, duplicates applied once, poison
//! messages dead-lettered with their reason while the partition keeps flowing, a durable
//! embedded log.

use std::time::Duration;

use hrmesh_kit::{
    bus::Record,
    db::Database,
    events::{EventSource, dead_letter_topic, headers, raw_topic, record},
    outbox, runtime,
};
use hrmesh_proto::{events::v1::Envelope, recruiting::v1::CandidateApplied};
use sqlx::Row;

use crate::{
    both_modes,
    flow::{application, applications_forwarded, audit_trail, submit, wait_for_count},
    helpers::{PATIENCE, RunMode, TestApp},
};

/// A raw `CandidateApplied` as recruiting would emit it.
fn applied(candidate: &str, job: &str) -> Envelope {
    let source = EventSource { service: "recruiting", tenant: "acme".into() };
    let payload = CandidateApplied {
        application_id: uuid::Uuid::now_v7().to_string(),
        job_id: job.into(),
        source: "website".into(),
    };
    source.envelope(candidate, "recruiting.applications", &payload)
}

async fn count(db: &Database, sql: &'static str, bind: &str) -> i64 {
    sqlx::query(sql).bind(bind).fetch_one(db.pool()).await.expect("count").get::<i64, _>(0)
}

async fn event_commits_with_its_state_change_or_not_at_all(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let db = Database::connect(&app.config, "recruiting").await.expect("recruiting database");
    let insert = "INSERT INTO applications (id, candidate_id, job_id, full_name, email, source, applied_at)
                  VALUES ($1, 'cand-a', 'job-atomic', 'A', 'a@example.nl', 'website', 0)";

    // A transaction that dies before commit leaves neither the row nor the event.
    let event = applied("cand-a", "job-atomic");
    let mut tx = db.begin().await.expect("begin");
    sqlx::query(insert).bind(uuid::Uuid::now_v7().to_string()).execute(&mut *tx).await.expect("insert");
    outbox::enqueue(&mut tx, &raw_topic("recruiting"), &event).await.expect("enqueue");
    drop(tx);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM applications WHERE job_id = $1", "job-atomic").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM hrmesh_outbox WHERE id = $1", &event.id).await, 0);

    // Committed together, both exist and the event travels all the way.
    let event = applied("cand-a", "job-atomic");
    let mut tx = db.begin().await.expect("begin");
    sqlx::query(insert).bind(uuid::Uuid::now_v7().to_string()).execute(&mut *tx).await.expect("insert");
    outbox::enqueue(&mut tx, &raw_topic("recruiting"), &event).await.expect("enqueue");
    tx.commit().await.expect("commit");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM applications WHERE job_id = $1", "job-atomic").await, 1);
    wait_for_count(&app, "job-atomic", 1).await;
    db.close().await;
    app.stop().await;
}

async fn crash_mid_stream_loses_nothing_and_applies_each_event_once(mode: RunMode) {
    let mut app = TestApp::spawn(mode).await;
    for i in 0..20 {
        submit(&app, application(&format!("cand-{i}"), "job-crash")).await;
    }
    // Relays and consumers die wherever they are: between publish and delete, mid-transaction.
    app.crash_and_restart().await;
    for i in 20..25 {
        submit(&app, application(&format!("cand-{i}"), "job-crash")).await;
    }
    wait_for_count(&app, "job-crash", 25).await;
    // Redelivered events must not be counted again once everything settled.
    tokio::time::sleep(Duration::from_secs(2)).await;
    wait_for_count(&app, "job-crash", 25).await;
    assert_eq!(applications_forwarded(&audit_trail(&app).await), 25);
    app.stop().await;
}

async fn duplicate_deliveries_are_applied_once(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let event = record(&raw_topic("recruiting"), &applied("cand-d", "job-dup"));
    // What a relay that crashed between publishing and deleting would send again.
    bus.publish(vec![event.clone(), event.clone()]).await.expect("publish");
    bus.publish(vec![event]).await.expect("publish again");
    submit(&app, application("cand-e", "job-dup")).await;
    wait_for_count(&app, "job-dup", 2).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    wait_for_count(&app, "job-dup", 2).await;
    assert_eq!(applications_forwarded(&audit_trail(&app).await), 2);
    app.stop().await;
}

async fn poison_message_goes_to_dead_letters_and_partition_keeps_flowing(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let topic = raw_topic("recruiting");
    let garbage =
        Record { topic: topic.clone(), key: "cand-p".into(), headers: vec![], payload: vec![0xff, 0x00, 0x13, 0x37] };
    let mut bad_payload = applied("cand-p", "job-poison");
    bad_payload.data = vec![0xff, 0xff, 0xff];
    // Same key as the good event after them: same partition, so they would block it if stuck.
    bus.publish(vec![garbage, record(&topic, &bad_payload), record(&topic, &applied("cand-p", "job-poison"))])
        .await
        .expect("publish");
    wait_for_count(&app, "job-poison", 1).await;

    let mut dlq = bus.subscribe("it-dlq-reader", &[dead_letter_topic("governance")]).await.expect("subscribe");
    let mut letters = Vec::new();
    while letters.len() < 2 {
        let batch = tokio::time::timeout(PATIENCE, dlq.next_batch(10)).await.expect("dead letters").expect("batch");
        letters.extend(batch);
    }
    let reasons: Vec<&str> = letters.iter().filter_map(|d| d.record.header(headers::DLQ_REASON)).collect();
    assert_eq!(letters.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("not an event envelope"), "{reasons:?}");
    assert!(reasons[1].contains("payload is not a valid hrmesh.recruiting.v1.CandidateApplied"), "{reasons:?}");
    assert_eq!(letters[0].record.payload, vec![0xff, 0x00, 0x13, 0x37], "the original bytes are kept");
    assert!(letters[0].record.header(headers::DLQ_SOURCE).is_some_and(|s| s.starts_with("hr.recruiting.v1/")));
    dlq.close().await;
    app.stop().await;
}

async fn forged_or_unregistered_events_are_suppressed_and_audited(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let topic = raw_topic("recruiting");
    let mut forged = applied("cand-f", "job-forged");
    forged.source = "analytics".into();
    let mut unknown_purpose = applied("cand-f", "job-forged");
    unknown_purpose.purpose = "marketing.profiling".into();
    bus.publish(vec![record(&topic, &forged), record(&topic, &unknown_purpose)]).await.expect("publish");
    submit(&app, application("cand-g", "job-forged")).await;
    wait_for_count(&app, "job-forged", 1).await;
    let trail = audit_trail(&app).await;
    let suppressed: Vec<&str> =
        trail.iter().filter(|r| r.action == "event.suppressed").map(|r| r.detail.as_str()).collect();
    assert_eq!(suppressed.len(), 2, "{trail:?}");
    assert!(suppressed.iter().any(|d| d.contains("may not publish on hr.recruiting.v1")), "{suppressed:?}");
    assert!(suppressed.iter().any(|d| d.contains("unknown purpose \"marketing.profiling\"")), "{suppressed:?}");
    assert!(trail.iter().all(|r| !r.subject_pseudonym.contains("cand-f")));
    app.stop().await;
}

/// PostgreSQL drops every connection of the test database again and again (a failover, a
/// restart) while events arrive: consumers wait for the database instead of spending their
/// attempts, so every event is applied and none reaches a dead-letter topic.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_connection_loss_dead_letters_nothing() {
    use sqlx::{Connection, Executor};
    let app = TestApp::spawn(RunMode::Platform).await;
    let database = app.config.database.url.rsplit('/').next().expect("database name").to_owned();
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let chaos = tokio::spawn(async move {
        let mut admin = sqlx::PgConnection::connect(&crate::helpers::postgres_url("postgres")).await.expect("admin");
        let kill = format!(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        );
        let mut killed = 0;
        for _ in 0..40 {
            let row = admin.fetch_one(sqlx::AssertSqlSafe(kill.clone())).await.expect("terminate");
            killed += row.get::<i64, _>(0);
            tokio::time::sleep(Duration::from_millis(75)).await;
        }
        killed
    });
    let topic = raw_topic("recruiting");
    for i in 0..30 {
        let event = applied(&format!("cand-outage-{i}"), "job-outage");
        bus.publish(vec![record(&topic, &event)]).await.expect("publish");
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let killed = chaos.await.expect("chaos task");
    assert!(killed > 0, "connections were terminated");
    wait_for_count(&app, "job-outage", 30).await;
    for consumer in ["governance", "analytics"] {
        let mut dlq =
            bus.subscribe(&format!("it-dlq-{consumer}"), &[dead_letter_topic(consumer)]).await.expect("subscribe");
        let letters = tokio::time::timeout(Duration::from_secs(5), dlq.next_batch(10)).await;
        let count = letters.map(|b| b.map(|b| b.len()).unwrap_or(0)).unwrap_or(0);
        assert_eq!(count, 0, "{consumer} dead-lettered events during the outage");
        dlq.close().await;
    }
    app.stop().await;
}

both_modes!(
    event_commits_with_its_state_change_or_not_at_all,
    crash_mid_stream_loses_nothing_and_applies_each_event_once,
    duplicate_deliveries_are_applied_once,
    poison_message_goes_to_dead_letters_and_partition_keeps_flowing,
    forged_or_unregistered_events_are_suppressed_and_audited,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_log_survives_a_restart() {
    let mut app = TestApp::spawn(RunMode::Embedded).await;
    for i in 0..5 {
        submit(&app, application(&format!("cand-{i}"), "job-restart")).await;
    }
    wait_for_count(&app, "job-restart", 5).await;
    app.restart().await;
    wait_for_count(&app, "job-restart", 5).await;
    submit(&app, application("cand-5", "job-restart")).await;
    wait_for_count(&app, "job-restart", 6).await;
    let trail = audit_trail(&app).await;
    assert_eq!(applications_forwarded(&trail), 6);
    assert_eq!(trail.len(), 7, "six applications and the job they applied to");
    hrmesh_governance::verify_chain(&trail).expect("chain continues across the restart");

    // The log itself still holds every raw event, in order.
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let mut replay = bus.subscribe("it-replay", &[raw_topic("recruiting")]).await.expect("subscribe");
    let events = replay.next_batch(100).await.expect("replay");
    assert_eq!(events.len(), 7, "JobOpened and six applications");
    assert!(events.windows(2).all(|w| w[0].offset + 1 == w[1].offset));
    app.stop().await;
}
