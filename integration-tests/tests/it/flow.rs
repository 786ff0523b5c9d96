//! The first real flow: recruiting → outbox → governance (audit, pseudonymise, minimise) →
//! governed stream → analytics.

use hrmesh_kit::{auth::Role, bus::Record, db::Database, events::governed_topic, runtime};
use hrmesh_proto::{
    events::v1::Envelope,
    governance::v1::{AuditRecord, ListAuditRecordsRequest, governance_service_client::GovernanceServiceClient},
    recruiting::v1::{
        Application, CandidateApplied, SubmitApplicationRequest, recruiting_service_client::RecruitingServiceClient,
    },
};
use prost::Message;
use sqlx::Row;

use crate::{
    both_modes,
    helpers::{PATIENCE, RunMode, TestApp, eventually},
};

/// A valid application of `candidate` for `job`.
pub fn application(candidate: &str, job: &str) -> SubmitApplicationRequest {
    SubmitApplicationRequest {
        candidate_id: candidate.into(),
        job_id: job.into(),
        full_name: "Anna de Vries".into(),
        email: "anna@example.nl".into(),
        source: "website".into(),
        idempotency_key: String::new(),
    }
}

/// Opens `job` (a plain welding job) unless it exists: applications are taken for open jobs only.
pub async fn ensure_job(app: &TestApp, job: &str) {
    let mut client = RecruitingServiceClient::new(app.authed("recruiting", "hr-1", &[Role::HrAdmin]).await);
    let request = hrmesh_proto::recruiting::v1::CreateJobRequest {
        job_id: job.into(),
        title: "Welder".into(),
        must: vec![hrmesh_proto::recruiting::v1::SkillRequirement {
            skill_id: "trades.mig_mag_welding".into(),
            level: 3,
            inferred: false,
        }],
        ..Default::default()
    };
    match client.create_job(request).await {
        Ok(_) => {}
        Err(status) if status.code() == tonic::Code::AlreadyExists => {}
        Err(status) => panic!("cannot open job {job}: {status:?}"),
    }
}

/// Submits as HR (opening the job first when needed).
pub async fn submit(app: &TestApp, request: SubmitApplicationRequest) -> Application {
    ensure_job(app, &request.job_id).await;
    let mut client = RecruitingServiceClient::new(app.authed("recruiting", "hr-1", &[Role::HrAdmin]).await);
    client.submit_application(request).await.expect("submit").into_inner().application.expect("application")
}

/// Waits until analytics' projection holds exactly `expected` applications for `job`. Reads
/// analytics' own table: its API withholds groups under 5 (tested in `governance::small_groups`).
pub async fn wait_for_count(app: &TestApp, job: &str, expected: i64) {
    let db = Database::connect(&app.config, "analytics").await.expect("analytics database");
    eventually(&format!("{expected} applications for {job} in analytics"), PATIENCE, || {
        let pool = db.pool().clone();
        async move {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM applications_seen WHERE job_id = $1")
                .bind(job)
                .fetch_one(&pool)
                .await
                .ok()?
                .get(0);
            (n == expected).then_some(())
        }
    })
    .await;
    db.close().await;
}

/// The whole audit trail, as the DPO sees it.
pub async fn audit_trail(app: &TestApp) -> Vec<AuditRecord> {
    let mut client = GovernanceServiceClient::new(app.authed("governance", "dpo-1", &[Role::Dpo]).await);
    client
        .list_audit_records(ListAuditRecordsRequest { after_sequence: 0, page_size: 1000 })
        .await
        .expect("audit records")
        .into_inner()
        .records
}

/// How many `CandidateApplied` events governance forwarded, by its audit trail.
pub fn applications_forwarded(trail: &[AuditRecord]) -> usize {
    trail
        .iter()
        .filter(|r| r.action == "event.forwarded" && r.detail == "hrmesh.recruiting.v1.CandidateApplied")
        .count()
}

/// The first record on the governed recruiting topic, as an internal subscriber receives it.
async fn first_governed_recruiting_event(app: &TestApp) -> (Record, Envelope) {
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let group = format!("it-reader-{}", uuid::Uuid::now_v7().simple());
    let mut reader = bus.subscribe(&group, &[governed_topic("recruiting")]).await.expect("subscribe");
    // The job's own `JobOpened` comes first; the application follows.
    let applied = tokio::time::timeout(PATIENCE, async {
        loop {
            for delivery in reader.next_batch(10).await.expect("batch") {
                let envelope = Envelope::decode(delivery.record.payload.as_slice()).expect("envelope");
                if envelope.r#type == "hrmesh.recruiting.v1.CandidateApplied" {
                    return (delivery.record, envelope);
                }
            }
        }
    })
    .await
    .expect("governed application event");
    reader.close().await;
    applied
}

async fn application_flows_through_governance_to_analytics(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let stored = submit(&app, application("cand-1", "job-7")).await;
    assert_eq!(stored.job_id, "job-7");

    wait_for_count(&app, "job-7", 1).await;

    let trail = audit_trail(&app).await;
    assert_eq!(applications_forwarded(&trail), 1, "{trail:?}");
    let record = trail.iter().find(|r| r.detail == "hrmesh.recruiting.v1.CandidateApplied").expect("forwarded");
    assert_eq!(record.action, "event.forwarded");
    assert_eq!(record.purpose, "recruiting.applications");
    assert!(record.subject_pseudonym.starts_with("p1_"), "{record:?}");
    assert!(!record.subject_pseudonym.contains("cand-1"));
    hrmesh_governance::verify_chain(&trail).expect("intact chain");

    // What internal subscribers get: a pseudonym and only the fields the purpose allows.
    let (message, governed) = first_governed_recruiting_event(&app).await;
    assert_eq!(governed.subject, record.subject_pseudonym);
    assert_eq!(message.key, record.subject_pseudonym, "Kafka key is the pseudonym, not the person");
    assert_eq!(governed.pseudonym_key_version, 1);
    let payload = CandidateApplied::decode(governed.data.as_slice()).expect("payload");
    assert_eq!(payload.job_id, "job-7");
    assert_eq!(payload.application_id, stored.application_id);
    // Contact details never travel: recruiting keeps them sealed, with a key per candidate.
    let db = Database::connect(&app.config, "recruiting").await.expect("recruiting database");
    let (name, email): (String, String) = sqlx::query("SELECT full_name, email FROM applications WHERE id = $1")
        .bind(&stored.application_id)
        .fetch_one(db.pool())
        .await
        .map(|r| (r.get(0), r.get(1)))
        .expect("stored application");
    db.close().await;
    assert!(name.starts_with("v1:") && !name.contains("Anna"), "name sealed at rest: {name}");
    assert!(email.starts_with("v1:") && !email.contains("anna"), "e-mail sealed at rest: {email}");
    assert_eq!(stored.full_name, "Anna de Vries", "and opened for those who may read it");
    app.stop().await;
}

async fn idempotent_resubmission_stores_and_emits_once(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let request = SubmitApplicationRequest { idempotency_key: "retry-42".into(), ..application("cand-2", "job-i") };
    let first = submit(&app, request.clone()).await;
    let second = submit(&app, request).await;
    assert_eq!(first.application_id, second.application_id);
    submit(&app, application("cand-3", "job-i")).await;
    wait_for_count(&app, "job-i", 2).await;
    assert_eq!(applications_forwarded(&audit_trail(&app).await), 2);
    app.stop().await;
}

both_modes!(application_flows_through_governance_to_analytics, idempotent_resubmission_stores_and_emits_once);

async fn trace_context_travels_from_grpc_call_to_governed_event(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let traceparent = format!("00-{trace_id}-00f067aa0ba902b7-01");
    let token = app.token("hr-1", &[Role::HrAdmin]);
    let mut client =
        RecruitingServiceClient::with_interceptor(app.channel("recruiting").await, move |mut r: tonic::Request<()>| {
            r.metadata_mut().insert("authorization", format!("Bearer {token}").parse().expect("header"));
            r.metadata_mut().insert("traceparent", traceparent.parse().expect("header"));
            Ok(r)
        });
    ensure_job(&app, "job-trace").await;
    client.submit_application(application("cand-t", "job-trace")).await.expect("submit");

    let (record, governed) = first_governed_recruiting_event(&app).await;
    assert!(governed.traceparent.contains(trace_id), "{}", governed.traceparent);
    let header = record.header(hrmesh_kit::events::headers::TRACEPARENT).expect("traceparent header");
    assert!(header.contains(trace_id), "{header}");
    app.stop().await;
}

both_modes!(trace_context_travels_from_grpc_call_to_governed_event);
