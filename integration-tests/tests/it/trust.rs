//! Regressions of what an outside probe found: idempotency keys scoped per caller, applications
//! only for open jobs and only once, candidates reading their own applications, contests that
//! reopen an application, explanations that do not contradict themselves, malformed requests,
//! refused logins in the audit trail, private data files and in-flight calls during shutdown.

use hrmesh_kit::auth::Role;
use hrmesh_proto::{
    governance::v1::{
        ContestDecisionRequest, ListDecisionsRequest, ResolveReviewTaskRequest,
        governance_service_client::GovernanceServiceClient,
    },
    recruiting::v1::{self as pb, recruiting_service_client::RecruitingServiceClient},
};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    flow::{application, audit_trail, ensure_job},
    governance::field_violations,
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually},
};

type Recruiting = RecruitingServiceClient<InterceptedService<Channel, Bearer>>;

async fn recruiting(app: &TestApp, subject: &str, roles: &[Role]) -> Recruiting {
    RecruitingServiceClient::new(app.authed("recruiting", subject, roles).await)
}

/// The id of `candidate`'s new application to `job`.
async fn apply(hr: &mut Recruiting, candidate: &str, job: &str) -> String {
    let stored = hr.submit_application(application(candidate, job)).await.expect("apply").into_inner();
    stored.application.expect("stored").application_id
}

async fn idempotency_keys_are_scoped_per_caller_and_bound_to_their_request(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    ensure_job(&app, "job-k").await;
    let mut anna = recruiting(&app, "cand-a", &[Role::Candidate]).await;
    let mut bob = recruiting(&app, "cand-b", &[Role::Candidate]).await;
    let keyed = |candidate: &str| pb::SubmitApplicationRequest {
        idempotency_key: "k-1".into(),
        full_name: format!("Name of {candidate}"),
        email: format!("{candidate}@example.org"),
        ..application(candidate, "job-k")
    };
    let a = anna.submit_application(keyed("cand-a")).await.expect("anna").into_inner().application.expect("a");
    // Bob reusing Anna's key gets his own application, never hers.
    let b = bob.submit_application(keyed("cand-b")).await.expect("bob").into_inner().application.expect("b");
    assert_ne!(a.application_id, b.application_id);
    assert_eq!((b.candidate_id.as_str(), b.email.as_str()), ("cand-b", "cand-b@example.org"));
    // Anna's retry gets her stored answer; the same key for a different request is refused.
    let again = anna.submit_application(keyed("cand-a")).await.expect("retry").into_inner().application.expect("a");
    assert_eq!(again.application_id, a.application_id);
    let changed = pb::SubmitApplicationRequest { source: "referral".into(), ..keyed("cand-a") };
    let refused = anna.submit_application(changed).await.expect_err("key reused");
    assert_eq!(field_violations(&refused), ["idempotency_key"]);
    app.stop().await;
}

async fn applications_need_an_open_job_and_are_taken_once(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    let unknown = hr.submit_application(application("cand-1", "no-such-job")).await.expect_err("unknown job");
    assert_eq!(unknown.code(), Code::NotFound);
    ensure_job(&app, "job-o").await;
    let first = hr.submit_application(application("cand-1", "job-o")).await.expect("first").into_inner();
    let twice = hr.submit_application(application("cand-1", "job-o")).await.expect_err("twice");
    assert_eq!(twice.code(), Code::AlreadyExists);

    // The candidate reads their own application and the job; not someone else's.
    let mut candidate = recruiting(&app, "cand-1", &[Role::Candidate]).await;
    let mine = candidate
        .list_my_applications(pb::ListMyApplicationsRequest { candidate_id: "cand-1".into() })
        .await
        .expect("own applications")
        .into_inner()
        .applications;
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].job_title.as_str(), mine[0].job_open), ("Welder", true));
    let id = first.application.expect("stored").application_id;
    let own = candidate.get_application(pb::GetApplicationRequest { application_id: id.clone() }).await;
    assert_eq!(own.expect("own application").into_inner().stage, "applied");
    let mut other = recruiting(&app, "cand-2", &[Role::Candidate]).await;
    let theirs = other.get_application(pb::GetApplicationRequest { application_id: id }).await;
    assert_eq!(theirs.expect_err("not theirs").code(), Code::PermissionDenied);
    candidate.get_job(pb::GetJobRequest { job_id: "job-o".into() }).await.expect("job as advertised");

    // A closed job takes no applications; the change is an audited event; reopening works.
    let close = pb::CloseJobRequest { job_id: "job-o".into(), reason: "filled".into() };
    let closed = hr.close_job(close.clone()).await.expect("close").into_inner();
    assert!(!closed.open && closed.closed_at.is_some());
    assert_eq!(hr.close_job(close).await.expect_err("closed twice").code(), Code::FailedPrecondition);
    let late = hr.submit_application(application("cand-3", "job-o")).await.expect_err("closed");
    assert_eq!(late.code(), Code::FailedPrecondition);
    let mut stranger = recruiting(&app, "cand-9", &[Role::Candidate]).await;
    let hidden = stranger.get_job(pb::GetJobRequest { job_id: "job-o".into() }).await.expect_err("closed job");
    assert_eq!(hidden.code(), Code::NotFound);
    hr.reopen_job(pb::ReopenJobRequest { job_id: "job-o".into(), reason: "new vacancy".into() }).await.expect("reopen");
    hr.submit_application(application("cand-3", "job-o")).await.expect("open again");
    eventually("the job events audited", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        let has = |t: &str| trail.iter().any(|r| r.detail == t);
        (has("hrmesh.recruiting.v1.JobClosed") && has("hrmesh.recruiting.v1.JobReopened")).then_some(())
    })
    .await;
    app.stop().await;
}

async fn a_job_can_be_corrected_with_a_reason(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    ensure_job(&app, "job-u").await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    let corrected = pb::CreateJobRequest {
        job_id: "job-u".into(),
        title: "TIG welder".into(),
        must: vec![pb::SkillRequirement { skill_id: "trades.tig_welding".into(), level: 3, inferred: false }],
        min_years_experience: 2,
        ..Default::default()
    };
    let reasonless = pb::UpdateJobRequest { job: Some(corrected.clone()), reason: String::new() };
    assert_eq!(field_violations(&hr.update_job(reasonless).await.expect_err("no reason")), ["reason"]);
    let update = pb::UpdateJobRequest { job: Some(corrected), reason: "the ad asked for the wrong process".into() };
    let job = hr.update_job(update).await.expect("update").into_inner();
    assert_eq!((job.title.as_str(), job.min_years_experience, job.open), ("TIG welder", 2, true));
    let stored = hr.get_job(pb::GetJobRequest { job_id: "job-u".into() }).await.expect("read back").into_inner();
    assert_eq!(stored.must, job.must);
    assert_eq!(stored.opened_at, job.opened_at, "the job keeps when it opened");
    let missing = pb::UpdateJobRequest {
        job: Some(pb::CreateJobRequest { job_id: "nope".into(), ..pb::CreateJobRequest::default() }),
        reason: "x".into(),
    };
    assert_eq!(hr.update_job(missing).await.expect_err("unknown").code(), Code::NotFound);
    app.stop().await;
}

async fn an_overturned_contest_reopens_the_application_and_every_explanation_says_so(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    ensure_job(&app, "job-c").await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    let id = apply(&mut hr, "cand-c", "job-c").await;
    let mut candidate = recruiting(&app, "cand-c", &[Role::Candidate]).await;
    let explain = |lang: &str| pb::ExplainDecisionRequest { application_id: id.clone(), locale: lang.into() };
    // No decision yet: nothing claims one was taken, nothing offers to contest it.
    let before = candidate.explain_decision(explain("nl")).await.expect("explain").into_inner().text;
    assert!(!before.contains("Een mens heeft beslist") && !before.contains("bezwaar"), "{before}");

    let reject = pb::ChangeStageRequest {
        application_id: id.clone(),
        stage: "rejected".into(),
        rationale: "Geen VCA-certificaat aangeleverd".into(),
    };
    hr.change_stage(reject).await.expect("reject");
    let rejected = candidate.explain_decision(explain("de")).await.expect("explain").into_inner();
    assert!(rejected.text.contains("Sie können widersprechen"), "{}", rejected.text);
    assert!(!rejected.text.contains(".."), "{}", rejected.text);

    // The candidate contests; the same HR person may not review, a colleague overturns.
    let mut own = GovernanceServiceClient::new(app.authed("governance", "cand-c", &[Role::Candidate]).await);
    let decision = own
        .list_decisions(ListDecisionsRequest { subject: "cand-c".into() })
        .await
        .expect("decisions")
        .into_inner()
        .decisions
        .into_iter()
        .find(|d| d.output == "rejected")
        .expect("rejection");
    assert_eq!(decision.reviewer, "hr-1", "the reviewer is who called");
    let contest =
        ContestDecisionRequest { decision_id: decision.decision_id, statement: "Ik heb VCA sinds mei".into() };
    let task = own.contest_decision(contest).await.expect("contest").into_inner();
    let mut colleague = GovernanceServiceClient::new(app.authed("governance", "hr-2", &[Role::HrAdmin]).await);
    let resolve = ResolveReviewTaskRequest {
        task_id: task.task_id,
        outcome: "overturned".into(),
        rationale: "VCA-diploma alsnog ontvangen".into(),
    };
    colleague.resolve_review_task(resolve).await.expect("overturn");

    let reopened = eventually("the application reopened", PATIENCE, || {
        let mut hr = hr.clone();
        let id = id.clone();
        async move {
            let app = hr.get_application(pb::GetApplicationRequest { application_id: id }).await.ok()?.into_inner();
            (app.stage == "applied").then_some(app)
        }
    })
    .await;
    assert_eq!(reopened.stage, "applied");
    let text = candidate.explain_decision(explain("en")).await.expect("explain").into_inner().text;
    assert!(text.contains("reviewed the decision and reversed it") && text.contains("VCA-diploma"), "{text}");
    assert!(!text.contains("You can contest"), "{text}");
    // The application moves on again.
    let screen = pb::ChangeStageRequest { application_id: id, stage: "screened".into(), rationale: String::new() };
    assert_eq!(hr.change_stage(screen).await.expect("moves on").into_inner().stage, "screened");
    app.stop().await;
}

both_modes!(
    idempotency_keys_are_scoped_per_caller_and_bound_to_their_request,
    applications_need_an_open_job_and_are_taken_once,
    a_job_can_be_corrected_with_a_reason,
    an_overturned_contest_reopens_the_application_and_every_explanation_says_so,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_token_cannot_change_a_stage_or_approve_outreach() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    ensure_job(&app, "job-s").await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    let id = apply(&mut hr, "cand-s", "job-s").await;
    let mut mixed = recruiting(&app, "hr-1", &[Role::HrAdmin, Role::Service]).await;
    let screen = pb::ChangeStageRequest { application_id: id, stage: "screened".into(), rationale: String::new() };
    assert_eq!(mixed.change_stage(screen).await.expect_err("service").code(), Code::PermissionDenied);
    let approve = pb::ApproveOutreachRequest { draft_id: "d-1".into(), body: String::new() };
    assert_eq!(mixed.approve_outreach(approve).await.expect_err("service").code(), Code::PermissionDenied);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_protobuf_is_invalid_argument_and_refused_logins_are_audited() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    // A varint where GetJobRequest has its string field 1: not a GetJobRequest at all.
    let channel = app.authed("recruiting", "hr-1", &[Role::HrAdmin]).await;
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.expect("ready");
    let path = http::uri::PathAndQuery::from_static("/hrmesh.recruiting.v1.RecruitingService/GetJob");
    let codec = tonic_prost::ProstCodec::<prost_types::Duration, pb::Job>::default();
    let garbage = tonic::Request::new(prost_types::Duration { seconds: 5, nanos: 0 });
    let status = grpc.unary(garbage, path, codec).await.expect_err("not a GetJobRequest");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");

    let mut anonymous = RecruitingServiceClient::new(app.channel("recruiting").await);
    let refused = anonymous.get_job(pb::GetJobRequest { job_id: "j".into() }).await.expect_err("no token");
    assert_eq!(refused.code(), Code::Unauthenticated);
    eventually("the refused login audited", PATIENCE, || async {
        audit_trail(&app)
            .await
            .iter()
            .any(|r| r.action == "access.denied" && r.detail.contains("RecruitingService/GetJob"))
            .then_some(())
    })
    .await;
    app.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let app = TestApp::spawn(RunMode::Embedded).await;
    ensure_job(&app, "job-p").await;
    let dir = app.config.data_dir.clone();
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "data directory");
    for entry in std::fs::read_dir(&dir).expect("data dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "db") {
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_in_flight_finish_their_calls_to_other_services_during_shutdown() {
    let app = TestApp::spawn_with(RunMode::Embedded, |c| c.grpc.drain_grace_ms = 0).await;
    let hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    // CV intake calls the skills service through this process; start several, then shut down.
    let body = "Ervaren lasser met MIG/MAG en VCA. ".repeat(3_000);
    let calls: Vec<_> = (0..6)
        .map(|i| {
            let mut hr = hr.clone();
            let content = format!("Kandidaat {i}\n\n{body}").into_bytes();
            tokio::spawn(async move {
                let cv = pb::SubmitCvRequest { candidate_id: format!("cand-{i}"), filename: "cv.txt".into(), content };
                hr.submit_cv(cv).await
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    let stopping = tokio::spawn(app.stop());
    for call in calls {
        match call.await.expect("task") {
            Ok(_) => {}
            // Refused at the door once shutdown began is fine; failing half-way (the call to
            // skills refused because the listener closed) is not.
            Err(status) => {
                assert_eq!(status.code(), Code::Unavailable, "{status:?}");
                assert!(!status.message().contains("cannot answer"), "failed half-way: {status:?}");
            }
        }
    }
    stopping.await.expect("stopped");
}
