//! Governance end to end: purposes, consent and its enforcement in other services and on the
//! streams, erasure, access requests, the tamper-evident audit trail, AI decisions under human
//! control, adverse-impact monitoring and small-group protection.

use std::{collections::HashMap, time::Instant};

use hrmesh_governance::{TrailError, merkle};
use hrmesh_kit::{
    auth::Role,
    db::{Backend, Database},
    events::{EventSource, raw_topic, record},
    runtime,
};
use hrmesh_proto::{
    analytics::v1::{GetApplicationCountsRequest, analytics_service_client::AnalyticsServiceClient},
    engagement::v1::{
        AnalyzeCommentRequest, CommentAnalysed, PulseAnswered, engagement_service_client::EngagementServiceClient,
    },
    events::v1::Envelope,
    governance::v1::{self as pb, governance_service_client::GovernanceServiceClient},
    onboarding::v1::{StartOnboardingRequest, onboarding_service_client::OnboardingServiceClient},
    performance::v1::{RecordFeedbackRequest, performance_service_client::PerformanceServiceClient},
    recruiting::v1::CandidateApplied,
    selfservice::v1::{OpenConversationRequest, self_service_service_client::SelfServiceServiceClient},
    skills::v1::{DeclareSkillRequest, skills_service_client::SkillsServiceClient},
};
use sqlx::{Column, Row};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};
use tonic_types::StatusExt;

use crate::{
    both_modes,
    flow::{application, audit_trail, submit, wait_for_count},
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually},
};

type Gov = GovernanceServiceClient<InterceptedService<Channel, Bearer>>;

async fn governance(app: &TestApp, subject: &str, roles: &[Role]) -> Gov {
    GovernanceServiceClient::new(app.authed("governance", subject, roles).await)
}

pub(crate) async fn grant(app: &TestApp, subject: &str, purpose: &str) {
    let mut gov = governance(app, subject, &[Role::Employee]).await;
    let request =
        pb::GrantConsentRequest { subject: subject.into(), purpose: purpose.into(), notice_version: "2026-11".into() };
    gov.grant_consent(request).await.expect("grant consent");
}

pub(crate) fn field_violations(status: &tonic::Status) -> Vec<String> {
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
        .unwrap_or_default()
}

/// A raw event as `service` would emit it.
fn raw<M: prost::Message + prost::Name>(service: &'static str, subject: &str, purpose: &str, payload: &M) -> Envelope {
    EventSource { service, tenant: "acme".into() }.envelope(subject, purpose, payload)
}

async fn purposes_registry_and_records_of_processing(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut anyone = governance(&app, "emp-1", &[Role::Employee]).await;
    let purposes = anyone.list_purposes(pb::ListPurposesRequest {}).await.expect("purposes").into_inner().purposes;
    for id in ["recruiting.screening", "onboarding.risk_flags", "analytics.attrition_risk", "selfservice.assistant"] {
        let p = purposes.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("{id} registered"));
        assert!(!p.legal_basis.is_empty() && p.retention_days > 0 && !p.ai_act_risk.is_empty(), "{p:?}");
    }
    assert_eq!(purposes.iter().find(|p| p.id == "recruiting.screening").map(|p| p.ai_act_risk.as_str()), Some("high"));

    let request =
        pb::GetRecordsOfProcessingRequest { format: pb::ExportFormat::Markdown as i32, language: "de".into() };
    let denied = anyone.get_records_of_processing(request.clone()).await.expect_err("dpo only");
    assert_eq!(denied.code(), Code::PermissionDenied);
    let mut dpo = governance(&app, "dpo-1", &[Role::Dpo]).await;
    let md = dpo.get_records_of_processing(request).await.expect("markdown").into_inner();
    assert_eq!(md.content_type, "text/markdown");
    assert!(md.content.contains("Verzeichnis von Verarbeitungstätigkeiten"), "{}", md.content);
    let json = dpo
        .get_records_of_processing(pb::GetRecordsOfProcessingRequest {
            format: pb::ExportFormat::Json as i32,
            language: String::new(),
        })
        .await
        .expect("json")
        .into_inner();
    let value: serde_json::Value = serde_json::from_str(&json.content).expect("valid JSON");
    assert_eq!(value["activities"].as_array().map(Vec::len), Some(purposes.len()));

    // The refused call is in the audit trail.
    let trail = audit_trail(&app).await;
    // People appear under their audit pseudonym, so an erasure leaves nothing to remove there.
    assert!(trail.iter().any(|r| r.action == "access.denied" && r.actor.starts_with("p1_")), "{trail:?}");
    app.stop().await;
}

async fn consent_governs_services_and_streams(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut engagement = EngagementServiceClient::new(app.authed("engagement", "emp-1", &[Role::Employee]).await);
    let analyze = || AnalyzeCommentRequest { employee_id: "emp-1".into(), text: "Fijn team, niet druk".into() };

    // No consent yet: the AI function is refused, saying why.
    let refused = engagement.analyze_comment(analyze()).await.expect_err("no consent");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("engagement.sentiment"), "{}", refused.message());

    // Bad input and other people's consents are refused; the denial is audited.
    let mut own = governance(&app, "emp-1", &[Role::Employee]).await;
    let unknown = pb::GrantConsentRequest {
        subject: "emp-1".into(),
        purpose: "marketing.profiling".into(),
        notice_version: "2026-11".into(),
    };
    let status = own.grant_consent(unknown).await.expect_err("unknown purpose");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(field_violations(&status), ["purpose"]);
    let mut other = governance(&app, "emp-2", &[Role::Employee]).await;
    let forged = pb::GrantConsentRequest {
        subject: "emp-1".into(),
        purpose: "engagement.sentiment".into(),
        notice_version: "2026-11".into(),
    };
    assert_eq!(other.grant_consent(forged).await.expect_err("not own").code(), Code::PermissionDenied);

    grant(&app, "emp-1", "engagement.sentiment").await;
    let sentiment = engagement.analyze_comment(analyze()).await.expect("with consent").into_inner();
    assert_eq!(sentiment.label, "positive");
    assert!(sentiment.hits.iter().any(|h| h.word == "druk" && h.negated), "{sentiment:?}");
    eventually("the analysed comment forwarded", PATIENCE, || async {
        audit_trail(&app)
            .await
            .iter()
            .any(|r| r.action == "event.forwarded" && r.purpose == "engagement.sentiment")
            .then_some(())
    })
    .await;

    // Withdrawal: the next call in the other service is refused, well within a second.
    let started = Instant::now();
    own.withdraw_consent(pb::WithdrawConsentRequest {
        subject: "emp-1".into(),
        purpose: "engagement.sentiment".into(),
    })
    .await
    .expect("withdraw");
    let refused_after = loop {
        match engagement.analyze_comment(analyze()).await {
            Err(s) if s.code() == Code::FailedPrecondition => break started.elapsed(),
            _ => assert!(started.elapsed().as_secs() < 5, "withdrawal never took effect"),
        }
    };
    eprintln!("consent withdrawal → first refused call in engagement: {refused_after:?}");
    assert!(refused_after.as_millis() < 1000, "{refused_after:?}");

    let listed =
        own.list_consents(pb::ListConsentsRequest { subject: "emp-1".into() }).await.expect("list").into_inner();
    assert_eq!(listed.consents.len(), 1);
    assert!(!listed.consents[0].granted);
    assert_eq!(listed.history.iter().map(|c| c.granted).collect::<Vec<_>>(), [true, false]);

    // An event produced under the withdrawn consent does not reach the governed stream.
    let late =
        raw("engagement", "emp-1", "engagement.sentiment", &CommentAnalysed { label: "positive".into(), score: 0.7 });
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    bus.publish(vec![record(&raw_topic("engagement"), &late)]).await.expect("publish");
    let trail = eventually("the late event suppressed", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        trail.iter().any(|r| r.event_id == late.id).then_some(trail)
    })
    .await;
    let record = trail.iter().find(|r| r.event_id == late.id).expect("audited");
    assert_eq!(record.action, "event.suppressed");
    assert!(record.detail.starts_with("no_consent"), "{}", record.detail);
    for action in ["consent.granted", "consent.withdrawn", "access.denied"] {
        assert!(trail.iter().any(|r| r.action == action), "{action} audited: {trail:?}");
    }
    app.stop().await;
}

async fn forged_replayed_and_foreign_events_are_not_forwarded(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let bus = runtime::connect_bus(&app.config).await.expect("bus");
    let topic = raw_topic("engagement");
    let pulse = PulseAnswered { survey_id: "s-1".into(), round: 1 };
    let valid = raw("engagement", "emp-9", "engagement.surveys", &pulse);
    let applied = CandidateApplied { application_id: "a".into(), job_id: "j".into(), source: "website".into() };
    let forged_type = raw("engagement", "emp-9", "recruiting.applications", &applied);
    let mut foreign = raw("engagement", "emp-9", "engagement.surveys", &pulse);
    foreign.tenant = "other-employer".into();
    let mut bad_id = raw("engagement", "emp-9", "engagement.surveys", &pulse);
    bad_id.id = "not-a-uuid".into();
    let replayed = valid.clone();
    let records = [&valid, &forged_type, &foreign, &bad_id, &replayed].map(|e| record(&topic, e));
    bus.publish(records.to_vec()).await.expect("publish");

    let trail = eventually("five events decided", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        (trail.len() >= 4).then_some(trail)
    })
    .await;
    let forwarded: Vec<_> = trail.iter().filter(|r| r.action == "event.forwarded").collect();
    assert_eq!(forwarded.len(), 1, "the replay is applied once: {trail:?}");
    assert_eq!(forwarded[0].event_id, valid.id);
    let reasons: Vec<&str> = trail
        .iter()
        .filter(|r| r.action == "event.suppressed")
        .map(|r| r.detail.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(reasons, ["forged_type", "foreign_tenant", "invalid_envelope"], "{trail:?}");
    app.stop().await;
}

/// Every text or byte value in every table of every service that contains one of `needles`.
async fn readable_traces(app: &TestApp, needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for def in hrmesh::all_services() {
        let db = Database::connect(&app.config, def.name).await.expect("database");
        let tables_sql = match db.backend() {
            Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        let tables: Vec<String> =
            sqlx::query(tables_sql).fetch_all(db.pool()).await.expect("tables").iter().map(|r| r.get(0)).collect();
        for table in tables.into_iter().filter(|t| !t.starts_with("_sqlx") && !t.ends_with("_migrations")) {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM \"{table}\"")))
                .fetch_all(db.pool())
                .await
                .expect("rows");
            for row in &rows {
                for column in row.columns() {
                    let i = column.ordinal();
                    let bytes = match row.try_get::<Option<String>, _>(i) {
                        Ok(Some(text)) => text.into_bytes(),
                        _ => row.try_get::<Option<Vec<u8>>, _>(i).ok().flatten().unwrap_or_default(),
                    };
                    for needle in needles {
                        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                            found.push(format!("{}.{table}.{}", def.name, column.name()));
                        }
                    }
                }
            }
        }
        db.close().await;
    }
    found
}

/// Data about `person` in every service.
async fn populate(app: &TestApp, person: &str) {
    let mut request = application(person, "job-privacy");
    request.full_name = "Erika Mustermann".into();
    request.email = "erika.mustermann@example.de".into();
    submit(app, request).await;
    let mut onboarding = OnboardingServiceClient::new(app.authed("onboarding", "hr-1", &[Role::HrAdmin]).await);
    let start = StartOnboardingRequest {
        employee_id: person.into(),
        role: "Lasser".into(),
        start_date: "2027-01-04".into(),
        ..Default::default()
    };
    onboarding.start_onboarding(start).await.expect("onboarding");
    crate::engagement::answer_a_pulse(app, person, "Erika Mustermann", "Erika vindt het druk").await;
    let mut skills = SkillsServiceClient::new(app.authed("skills", person, &[Role::Employee]).await);
    let skill = DeclareSkillRequest { employee_id: person.into(), skill_id: "trades.welding".into(), level: 3 };
    skills.declare_skill(skill).await.expect("skill");
    let mut performance = PerformanceServiceClient::new(app.authed("performance", "mgr-1", &[Role::Manager]).await);
    let feedback = RecordFeedbackRequest {
        employee_id: person.into(),
        author_id: "mgr-1".into(),
        text: "Erika last netjes.".into(),
        ..Default::default()
    };
    performance.record_feedback(feedback).await.expect("feedback");
    let mut selfservice = SelfServiceServiceClient::new(app.authed("selfservice", person, &[Role::Employee]).await);
    selfservice
        .open_conversation(OpenConversationRequest { employee_id: person.into(), language: "de".into() })
        .await
        .expect("conversation");
    grant(app, person, "engagement.sentiment").await;
    let mut own = governance(app, person, &[Role::Employee]).await;
    let attributes = HashMap::from([("gender".to_owned(), "female".to_owned())]);
    own.report_group_attributes(pb::ReportGroupAttributesRequest { subject: person.into(), attributes })
        .await
        .expect("attributes");
    wait_for_count(app, "job-privacy", 1).await;
}

async fn erasure_leaves_no_readable_personal_data(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let person = "emp-erika";
    populate(&app, person).await;
    let needles = [person, "Erika", "erika.mustermann"];
    assert!(!readable_traces(&app, &needles).await.is_empty(), "the test must find data before erasure");

    let mut own = governance(&app, person, &[Role::Employee]).await;
    let other = own
        .request_erasure(pb::RequestErasureRequest { subject: "emp-other".into(), reason: String::new() })
        .await
        .expect_err("not own");
    assert_eq!(other.code(), Code::PermissionDenied);
    let report = own
        .request_erasure(pb::RequestErasureRequest { subject: person.into(), reason: "leaving".into() })
        .await
        .expect("erasure")
        .into_inner();
    assert!(report.services.iter().any(|s| s.service == "governance"), "{report:?}");

    let mut dpo = governance(&app, "dpo-1", &[Role::Dpo]).await;
    let report = eventually("every service confirmed", PATIENCE, || {
        let mut dpo = dpo.clone();
        let request_id = report.request_id.clone();
        async move {
            let report = dpo.get_erasure_report(pb::GetErasureReportRequest { request_id }).await.ok()?.into_inner();
            report.complete.then_some(report)
        }
    })
    .await;
    let recruiting = report.services.iter().find(|s| s.service == "recruiting").expect("recruiting confirmed");
    let kinds: Vec<(&str, u32, &str)> =
        recruiting.items.iter().map(|i| (i.kind.as_str(), i.count, i.action.as_str())).collect();
    assert_eq!(kinds, [("applications", 1, "deleted"), ("person_key", 1, "key_destroyed")]);
    let analytics = report.services.iter().find(|s| s.service == "analytics").expect("analytics confirmed");
    assert_eq!(analytics.items[0].count, 1, "governed copy found by pseudonym: {analytics:?}");

    let traces = readable_traces(&app, &needles).await;
    assert!(traces.is_empty(), "personal data left after erasure: {traces:?}");
    let _ = dpo.get_erasure_report(pb::GetErasureReportRequest { request_id: "nope".into() }).await.expect_err("404");
    app.stop().await;
}

async fn access_request_gathers_every_service(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let person = "emp-access";
    populate(&app, person).await;
    let mut other = governance(&app, "emp-nosy", &[Role::Employee]).await;
    let denied = other.request_access(pb::RequestAccessRequest { subject: person.into(), language: "nl".into() }).await;
    assert_eq!(denied.expect_err("not own").code(), Code::PermissionDenied);

    let mut own = governance(&app, person, &[Role::Employee]).await;
    let export = own
        .request_access(pb::RequestAccessRequest { subject: person.into(), language: "nl".into() })
        .await
        .expect("access")
        .into_inner();
    let json: serde_json::Value = serde_json::from_str(&export.json).expect("json");
    assert_eq!(json["recruiting"]["applications"][0]["full_name"], "Erika Mustermann", "opened for the person");
    for (service, kind) in [
        ("onboarding", "onboardings"),
        ("engagement", "survey_participation"),
        ("skills", "skill_profile"),
        ("performance", "feedback_received"),
        ("selfservice", "conversations"),
        ("governance", "consents"),
        ("analytics", "applications_seen"),
    ] {
        assert_eq!(json[service][kind].as_array().map(Vec::len), Some(1), "{service}.{kind}: {json}");
    }
    assert!(export.summary.contains("Uw gegevens in hrmesh"), "{}", export.summary);
    assert!(audit_trail(&app).await.iter().any(|r| r.action == "access.exported"));
    app.stop().await;
}

/// Re-hashes the chain from `from` on, as an intruder with database access would.
fn rechain(records: &mut [pb::AuditRecord]) {
    let mut previous = hrmesh_governance::GENESIS.to_owned();
    for (i, r) in records.iter_mut().enumerate() {
        r.sequence = i as u64 + 1;
        r.previous_hash = previous.clone();
        r.hash = hrmesh_governance::record_hash(&previous, r);
        previous = r.hash.clone();
    }
}

/// Replaces the stored trail with `records`.
async fn store_trail(db: &Database, records: &[pb::AuditRecord]) {
    let mut tx = db.begin().await.expect("begin");
    sqlx::query("DELETE FROM audit_log").execute(&mut *tx).await.expect("delete");
    for r in records {
        let ms = r.time.as_ref().map_or(0, |t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000));
        sqlx::query(
            "INSERT INTO audit_log (sequence, recorded_at, actor, action, subject_pseudonym, purpose, legal_basis,
                                    event_id, detail, previous_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(i64::try_from(r.sequence).expect("sequence"))
        .bind(ms)
        .bind(&r.actor)
        .bind(&r.action)
        .bind(&r.subject_pseudonym)
        .bind(&r.purpose)
        .bind(&r.legal_basis)
        .bind(&r.event_id)
        .bind(&r.detail)
        .bind(&r.previous_hash)
        .bind(&r.hash)
        .execute(&mut *tx)
        .await
        .expect("insert");
    }
    tx.commit().await.expect("commit");
}

fn hash(hex_text: &str) -> merkle::Hash {
    hex::decode(hex_text).expect("hex").try_into().expect("32 bytes")
}

async fn audit_trail_proves_inclusion_and_detects_tampering(mode: RunMode) {
    // No periodic signing during the test: heads are signed when asked.
    let app = TestApp::spawn_with(mode, |c| c.governance.tree_head_interval_secs = 86_400).await;
    // The job's JobOpened and four applications: five records.
    for i in 0..4 {
        submit(&app, application(&format!("cand-{i}"), "job-audit")).await;
    }
    wait_for_count(&app, "job-audit", 4).await;
    eventually("five audit records", PATIENCE, || async { (audit_trail(&app).await.len() == 5).then_some(()) }).await;
    let mut dpo = governance(&app, "dpo-1", &[Role::Dpo]).await;
    let first = dpo.get_tree_head(pb::GetTreeHeadRequest { sign_now: true }).await.expect("head").into_inner();
    assert_eq!(first.tree_size, 5);
    let proof = dpo
        .get_inclusion_proof(pb::GetInclusionProofRequest { sequence: 3, tree_size: 5 })
        .await
        .expect("inclusion")
        .into_inner();
    let path: Vec<_> = proof.path.iter().map(|h| hash(h)).collect();
    assert!(merkle::verify_inclusion(2, 5, &hash(&proof.leaf_hash), &path, &hash(&first.root_hash)));

    for i in 4..7 {
        submit(&app, application(&format!("cand-{i}"), "job-audit")).await;
    }
    eventually("eight audit records", PATIENCE, || async { (audit_trail(&app).await.len() == 8).then_some(()) }).await;
    let second = dpo.get_tree_head(pb::GetTreeHeadRequest { sign_now: true }).await.expect("head").into_inner();
    assert_eq!(second.tree_size, 8);
    let consistency = dpo
        .get_consistency_proof(pb::GetConsistencyProofRequest { first: 5, second: 8 })
        .await
        .expect("consistency")
        .into_inner();
    let path: Vec<_> = consistency.path.iter().map(|h| hash(h)).collect();
    assert!(merkle::verify_consistency(5, 8, &hash(&first.root_hash), &hash(&second.root_hash), &path));
    let bad = dpo.get_inclusion_proof(pb::GetInclusionProofRequest { sequence: 9, tree_size: 8 }).await;
    assert_eq!(field_violations(&bad.expect_err("out of range")), ["sequence"]);

    let db = Database::connect(&app.config, "governance").await.expect("governance database");
    let verify = || async { hrmesh_governance::verify(&db, &app.config).await.expect("verify") };
    assert_eq!(verify().await, Ok((8, 2)));
    let original = hrmesh_governance::read_all(&db).await.expect("trail");

    let mut modified = original.clone();
    modified[1].detail = "nothing to see".into();
    store_trail(&db, &modified).await;
    assert!(matches!(verify().await, Err(TrailError::Chain(_))), "modified record");
    rechain(&mut modified);
    store_trail(&db, &modified).await;
    assert_eq!(verify().await, Err(TrailError::RootMismatch { tree_size: 5 }), "modified and re-hashed");

    let mut deleted = original.clone();
    deleted.remove(2);
    store_trail(&db, &deleted).await;
    assert!(matches!(verify().await, Err(TrailError::Chain(_))), "deleted record");
    rechain(&mut deleted);
    store_trail(&db, &deleted).await;
    assert_eq!(verify().await, Err(TrailError::RootMismatch { tree_size: 5 }), "deleted and re-hashed");
    let truncated = &original[..7];
    store_trail(&db, truncated).await;
    assert_eq!(verify().await, Err(TrailError::Truncated { tree_size: 8, present: 7 }), "last record deleted");

    let mut inserted = original.clone();
    let mut forged = original[1].clone();
    forged.detail = "forged".into();
    inserted.insert(2, forged);
    rechain(&mut inserted);
    store_trail(&db, &inserted).await;
    assert_eq!(verify().await, Err(TrailError::RootMismatch { tree_size: 5 }), "inserted record");

    let mut reordered = original.clone();
    reordered.swap(1, 3);
    (reordered[1].sequence, reordered[3].sequence) = (2, 4);
    store_trail(&db, &reordered).await;
    assert!(matches!(verify().await, Err(TrailError::Chain(_))), "reordered records");
    rechain(&mut reordered);
    store_trail(&db, &reordered).await;
    assert_eq!(verify().await, Err(TrailError::RootMismatch { tree_size: 5 }), "reordered and re-hashed");

    store_trail(&db, &original).await;
    assert_eq!(verify().await, Ok((8, 2)));
    db.close().await;
    app.stop().await;
}

fn decision(subject: &str) -> pb::RecordDecisionRequest {
    pb::RecordDecisionRequest {
        subject: subject.into(),
        purpose: "recruiting.applications".into(),
        model_id: "recruiting.matcher".into(),
        model_version: "1.0.0".into(),
        input_hash: "ab".repeat(32),
        output: "reject".into(),
        explanation: "Mist de vereiste VCA-certificering".into(),
        legal_effect: true,
        reviewer: "hr-1".into(),
        rationale: "Certificate is a legal requirement for the site".into(),
        stage: "screening".into(),
        outcome: "rejected".into(),
    }
}

async fn decisions_need_a_human_and_can_be_contested(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    // A service cannot take a decision with legal effect, whatever reviewer it names.
    let mut service = governance(&app, "recruiting", &[Role::Service]).await;
    let bot = pb::RecordDecisionRequest { reviewer: "bot".into(), ..decision("cand-1") };
    assert_eq!(service.record_decision(bot).await.expect_err("a service").code(), Code::PermissionDenied);
    let mut both = governance(&app, "hr-1", &[Role::HrAdmin, Role::Service]).await;
    assert_eq!(both.record_decision(decision("cand-1")).await.expect_err("mixed").code(), Code::PermissionDenied);

    let mut manager = governance(&app, "mgr-1", &[Role::Manager]).await;
    let someone_else = pb::RecordDecisionRequest { reviewer: "hr-1".into(), ..decision("cand-1") };
    assert_eq!(field_violations(&manager.record_decision(someone_else).await.expect_err("not you")), ["reviewer"]);
    let mut hr = governance(&app, "hr-1", &[Role::HrAdmin]).await;
    let reasonless =
        pb::RecordDecisionRequest { reviewer: String::new(), rationale: String::new(), ..decision("cand-1") };
    let refused = hr.record_decision(reasonless).await.expect_err("no reason");
    assert_eq!(field_violations(&refused), ["rationale", "rationale"]);
    let unexplained = pb::RecordDecisionRequest { explanation: String::new(), ..decision("cand-1") };
    assert_eq!(field_violations(&hr.record_decision(unexplained).await.expect_err("no why")), ["explanation"]);
    let without_consent = pb::RecordDecisionRequest { purpose: "recruiting.screening".into(), ..decision("cand-1") };
    assert_eq!(hr.record_decision(without_consent).await.expect_err("consent").code(), Code::FailedPrecondition);

    // The reviewer is whoever called, not a request field.
    let anonymous = pb::RecordDecisionRequest { reviewer: String::new(), ..decision("cand-1") };
    let recorded = hr.record_decision(anonymous).await.expect("human decision").into_inner();
    assert_eq!(recorded.review_state, pb::ReviewState::HumanDecided as i32);
    assert_eq!(recorded.reviewer, "hr-1");

    let mut stranger = governance(&app, "cand-2", &[Role::Candidate]).await;
    let contest =
        pb::ContestDecisionRequest { decision_id: recorded.decision_id.clone(), statement: "Ik heb VCA".into() };
    assert_eq!(
        stranger.contest_decision(contest.clone()).await.expect_err("not theirs").code(),
        Code::PermissionDenied
    );
    let mut candidate = governance(&app, "cand-1", &[Role::Candidate]).await;
    let task = candidate.contest_decision(contest.clone()).await.expect("contest").into_inner();
    assert_eq!(candidate.contest_decision(contest).await.expect_err("twice").code(), Code::FailedPrecondition);

    let open = hr.list_review_tasks(pb::ListReviewTasksRequest { include_resolved: false }).await.expect("tasks");
    assert_eq!(open.into_inner().tasks.len(), 1);
    let resolve = pb::ResolveReviewTaskRequest {
        task_id: task.task_id.clone(),
        outcome: "overturned".into(),
        rationale: "VCA-diploma alsnog aangeleverd".into(),
    };
    let same = hr.resolve_review_task(resolve.clone()).await.expect_err("four eyes");
    assert_eq!(same.code(), Code::FailedPrecondition);
    let mut themselves = governance(&app, "cand-1", &[Role::HrAdmin]).await;
    let own = themselves.resolve_review_task(resolve.clone()).await.expect_err("own contest");
    assert_eq!(own.code(), Code::PermissionDenied);
    let mut other_hr = governance(&app, "hr-2", &[Role::HrAdmin]).await;
    let resolved = other_hr.resolve_review_task(resolve).await.expect("resolve").into_inner();
    assert!(resolved.resolved);
    let decisions = candidate
        .list_decisions(pb::ListDecisionsRequest { subject: "cand-1".into() })
        .await
        .expect("own decisions")
        .into_inner()
        .decisions;
    assert_eq!(decisions[0].review_state, pb::ReviewState::ReviewedAfterContest as i32);
    let trail = audit_trail(&app).await;
    for action in ["decision.recorded", "decision.contested", "review.resolved"] {
        assert!(trail.iter().any(|r| r.action == action), "{action}: {trail:?}");
    }
    let logged = trail.iter().find(|r| r.action == "decision.recorded").expect("logged");
    assert!(logged.detail.contains("recruiting.matcher") && logged.detail.contains(&"ab".repeat(32)), "{logged:?}");
    app.stop().await;
}

async fn adverse_impact_is_monitored_over_groups_of_five_or_more(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut service = governance(&app, "hr-1", &[Role::HrAdmin]).await;
    // 10 women (8 selected), 10 men (3 selected), 4 people in a third group (too small to count).
    let people = (0..10)
        .map(|i| (format!("f-{i}"), "female", i < 8))
        .chain((0..10).map(|i| (format!("m-{i}"), "male", i < 3)))
        .chain((0..4).map(|i| (format!("x-{i}"), "nonbinary", i < 1)));
    for (person, group, selected) in people {
        let mut own = governance(&app, &person, &[Role::Candidate]).await;
        let attributes = HashMap::from([("gender".to_owned(), group.to_owned())]);
        own.report_group_attributes(pb::ReportGroupAttributesRequest { subject: person.clone(), attributes })
            .await
            .expect("report");
        let outcome = if selected { "selected" } else { "rejected" };
        let request = pb::RecordDecisionRequest { outcome: outcome.into(), ..decision(&person) };
        service.record_decision(request).await.expect("decision");
    }
    let mut dpo = governance(&app, "dpo-1", &[Role::Dpo]).await;
    let report =
        dpo.get_adverse_impact_report(pb::GetAdverseImpactReportRequest {}).await.expect("report").into_inner();
    assert_eq!(report.suppressed_groups, 1, "the group of 4 is left out: {report:?}");
    assert_eq!(report.rows.len(), 2);
    let male = report.rows.iter().find(|r| r.group == "male").expect("male row");
    assert!((male.impact_ratio - 0.375).abs() < 1e-9, "{male:?}");
    assert!(male.alert);
    assert!(!report.rows.iter().find(|r| r.group == "female").expect("female row").alert);
    let alerts: Vec<_> = audit_trail(&app).await.into_iter().filter(|r| r.action == "adverse_impact.alert").collect();
    assert_eq!(alerts.len(), 1, "raised once, not on every decision: {alerts:?}");
    assert!(alerts[0].detail.contains("gender=male"), "{alerts:?}");
    app.stop().await;
}

async fn aggregates_withhold_small_groups_and_differencing(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    for i in 0..4 {
        submit(&app, application(&format!("a-{i}"), "job-small")).await;
    }
    for i in 0..5 {
        submit(&app, application(&format!("b-{i}"), "job-big")).await;
    }
    wait_for_count(&app, "job-small", 4).await;
    wait_for_count(&app, "job-big", 5).await;
    let mut analytics = AnalyticsServiceClient::new(app.authed("analytics", "hr-1", &[Role::HrAdmin]).await);
    let counts = analytics
        .get_application_counts(GetApplicationCountsRequest { job_id: String::new() })
        .await
        .expect("counts")
        .into_inner();
    let small = counts.jobs.iter().find(|j| j.job_id == "job-small").expect("small job");
    assert_eq!(small.applications, 0, "a group of 4 is withheld");
    assert!(small.withheld.contains("smaller than 5"), "{small:?}");
    let big = counts.jobs.iter().find(|j| j.job_id == "job-big").expect("big job");
    assert_eq!((big.applications, big.withheld.as_str()), (5, ""));
    // 9 in total minus the 5 of job-big would reveal the 4 of job-small.
    assert_eq!(counts.total, 0);
    assert!(counts.total_withheld.contains("earlier result"), "{counts:?}");

    // A job that grows stays visible: one more applicant is growth, not differencing.
    submit(&app, application("b-5", "job-big")).await;
    wait_for_count(&app, "job-big", 6).await;
    let request = GetApplicationCountsRequest { job_id: "job-big".into() };
    let grown = analytics.get_application_counts(request).await.expect("counts").into_inner();
    let big = grown.jobs.iter().find(|j| j.job_id == "job-big").expect("big job");
    assert_eq!((big.applications, big.withheld.as_str()), (6, ""), "{grown:?}");
    app.stop().await;
}

both_modes!(
    purposes_registry_and_records_of_processing,
    consent_governs_services_and_streams,
    forged_replayed_and_foreign_events_are_not_forwarded,
    erasure_leaves_no_readable_personal_data,
    access_request_gathers_every_service,
    audit_trail_proves_inclusion_and_detects_tampering,
    decisions_need_a_human_and_can_be_contested,
    adverse_impact_is_monitored_over_groups_of_five_or_more,
    aggregates_withhold_small_groups_and_differencing,
);
