//! The gRPC surface every process shares: authentication, roles, field errors, health during
//! shutdown, reflection.

use std::time::Duration;

use hrmesh_kit::auth::Role;
use hrmesh_proto::recruiting::v1::{GetApplicationRequest, recruiting_service_client::RecruitingServiceClient};
use tokio_stream::StreamExt;
use tonic::Code;
use tonic_health::pb::{HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient};
use tonic_reflection::pb::v1::{
    ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
    server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
};
use tonic_types::StatusExt;

use crate::{
    flow::application,
    helpers::{PATIENCE, RunMode, TestApp, eventually},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_without_token_is_unauthenticated() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    let mut client = RecruitingServiceClient::new(app.channel("recruiting").await);
    let status = client.submit_application(application("cand-1", "job-1")).await.expect_err("no token");
    assert_eq!(status.code(), Code::Unauthenticated);
    assert!(status.message().contains("Bearer"), "{}", status.message());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_token_is_unauthenticated() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    let mut client =
        RecruitingServiceClient::with_interceptor(app.channel("recruiting").await, |mut r: tonic::Request<()>| {
            r.metadata_mut().insert("authorization", "Bearer eyJhbGciOiJub25lIn0.e30.".parse().expect("header"));
            Ok(r)
        });
    let status = client.submit_application(application("cand-1", "job-1")).await.expect_err("forged");
    assert_eq!(status.code(), Code::Unauthenticated);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_role_is_permission_denied() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    let mut as_candidate = RecruitingServiceClient::new(app.authed("recruiting", "cand-1", &[Role::Candidate]).await);
    let status = as_candidate
        .get_funnel(hrmesh_proto::recruiting::v1::GetFunnelRequest::default())
        .await
        .expect_err("candidates cannot read the funnel");
    assert_eq!(status.code(), Code::PermissionDenied);
    assert!(status.message().contains("hr_admin"), "{}", status.message());
    crate::flow::ensure_job(&app, "job-1").await;

    let status =
        as_candidate.submit_application(application("cand-2", "job-1")).await.expect_err("not their own application");
    assert_eq!(status.code(), Code::PermissionDenied);
    as_candidate.submit_application(application("cand-1", "job-1")).await.expect("own application");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_request_lists_every_bad_field() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    let mut client = RecruitingServiceClient::new(app.authed("recruiting", "hr-1", &[Role::HrAdmin]).await);
    let mut request = application("cand-1", "");
    request.email = "not-an-address".into();
    let status = client.submit_application(request).await.expect_err("invalid");
    assert_eq!(status.code(), Code::InvalidArgument);
    let details = status.get_error_details();
    let fields: Vec<&str> =
        details.bad_request().expect("field violations").field_violations.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["job_id", "email"]);

    let missing = client
        .get_application(GetApplicationRequest { application_id: "does-not-exist".into() })
        .await
        .expect_err("unknown id");
    assert_eq!(missing.code(), Code::NotFound);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_turns_not_serving_on_shutdown() {
    let app = TestApp::spawn_with(RunMode::Embedded, |c| c.grpc.drain_grace_ms = 3_000).await;
    let mut health = HealthClient::new(app.channel("recruiting").await);
    for service in ["", "hrmesh.recruiting.v1.RecruitingService", "hrmesh.governance.v1.GovernanceService"] {
        let status = health.check(HealthCheckRequest { service: service.into() }).await.expect("health").into_inner();
        assert_eq!(status.status(), ServingStatus::Serving, "{service:?}");
    }
    app.running()[0].shutdown_token().cancel();
    eventually("NOT_SERVING during the drain period", Duration::from_secs(2), || {
        let mut health = health.clone();
        async move {
            let status = health.check(HealthCheckRequest { service: String::new() }).await.ok()?.into_inner();
            (status.status() == ServingStatus::NotServing).then_some(())
        }
    })
    .await;
    tokio::time::timeout(PATIENCE, app.stop()).await.expect("drains and exits");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflection_lists_every_service() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    let mut reflection = ServerReflectionClient::new(app.channel("recruiting").await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses =
        reflection.server_reflection_info(tokio_stream::iter([request])).await.expect("reflection").into_inner();
    let Some(Ok(response)) = responses.next().await else { panic!("no reflection response") };
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected response {response:?}")
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in [
        "grpc.health.v1.Health",
        "hrmesh.recruiting.v1.RecruitingService",
        "hrmesh.onboarding.v1.OnboardingService",
        "hrmesh.analytics.v1.AnalyticsService",
        "hrmesh.engagement.v1.EngagementService",
        "hrmesh.skills.v1.SkillsService",
        "hrmesh.performance.v1.PerformanceService",
        "hrmesh.selfservice.v1.SelfServiceService",
        "hrmesh.governance.v1.GovernanceService",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    app.stop().await;
}
