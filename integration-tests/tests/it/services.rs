//! Every service's first API stores its change and emits an event that governance audits.

use std::collections::BTreeSet;

use hrmesh_kit::auth::Role;
use hrmesh_proto::{
    engagement::v1::{QuestionAnswer, SubmitPulseAnswerRequest, engagement_service_client::EngagementServiceClient},
    onboarding::v1::{
        GetOnboardingRequest, StartOnboardingRequest, onboarding_service_client::OnboardingServiceClient,
    },
    performance::v1::{RecordFeedbackRequest, performance_service_client::PerformanceServiceClient},
    selfservice::v1::{OpenConversationRequest, self_service_service_client::SelfServiceServiceClient},
    skills::v1::{DeclareSkillRequest, GetSkillProfileRequest, skills_service_client::SkillsServiceClient},
};
use tonic::Code;

use crate::{
    both_modes,
    flow::audit_trail,
    helpers::{PATIENCE, RunMode, TestApp, eventually},
};

async fn every_service_emits_governed_events(mode: RunMode) {
    let app = TestApp::spawn(mode).await;

    let mut onboarding = OnboardingServiceClient::new(app.authed("onboarding", "hr-1", &[Role::HrAdmin]).await);
    let start = StartOnboardingRequest {
        employee_id: "emp-1".into(),
        role: "Lasser".into(),
        start_date: "2027-01-04".into(),
        ..Default::default()
    };
    onboarding.start_onboarding(start.clone()).await.expect("start onboarding");
    assert_eq!(onboarding.start_onboarding(start).await.expect_err("twice").code(), Code::AlreadyExists);
    let plan = onboarding
        .get_onboarding(GetOnboardingRequest { employee_id: "emp-1".into(), ..Default::default() })
        .await
        .expect("get");
    assert_eq!(plan.into_inner().start_date, "2027-01-04");

    // Engagement: a pulse for emp-1's unit; answering records participation (never the answer).
    let survey = crate::engagement::answer_a_pulse(&app, "emp-1", "Eva Jansen", "").await;
    let mut engagement = EngagementServiceClient::new(app.authed("engagement", "emp-1", &[Role::Employee]).await);
    let answer = SubmitPulseAnswerRequest {
        survey_id: survey,
        employee_id: "emp-1".into(),
        answers: ["enps.recommend", "management.support", "workload.manageable"]
            .map(|q| QuestionAnswer { question_id: q.into(), score: 8, text: String::new() })
            .to_vec(),
    };
    assert_eq!(engagement.submit_pulse_answer(answer.clone()).await.expect_err("twice").code(), Code::AlreadyExists);
    let other = SubmitPulseAnswerRequest { employee_id: "emp-2".into(), ..answer };
    assert_eq!(engagement.submit_pulse_answer(other).await.expect_err("not own").code(), Code::PermissionDenied);

    let mut skills = SkillsServiceClient::new(app.authed("skills", "emp-1", &[Role::Employee]).await);
    skills
        .declare_skill(DeclareSkillRequest { employee_id: "emp-1".into(), skill_id: "trades.welding".into(), level: 2 })
        .await
        .expect("declare");
    let profile = skills
        .declare_skill(DeclareSkillRequest { employee_id: "emp-1".into(), skill_id: "trades.welding".into(), level: 4 })
        .await
        .expect("update")
        .into_inner();
    assert_eq!(profile.skills.len(), 1);
    assert_eq!(profile.skills[0].level, 4);
    let missing = skills
        .get_skill_profile(GetSkillProfileRequest { employee_id: "emp-9".into(), ..Default::default() })
        .await
        .expect_err("other");
    assert_eq!(missing.code(), Code::PermissionDenied);

    let mut performance = PerformanceServiceClient::new(app.authed("performance", "mgr-1", &[Role::Manager]).await);
    let feedback = RecordFeedbackRequest {
        employee_id: "emp-1".into(),
        author_id: "mgr-1".into(),
        text: "Sterke lasnaden.".into(),
        ..Default::default()
    };
    performance.record_feedback(feedback).await.expect("feedback");
    let forged = RecordFeedbackRequest {
        employee_id: "emp-1".into(),
        author_id: "mgr-2".into(),
        text: "x".into(),
        ..Default::default()
    };
    assert_eq!(performance.record_feedback(forged).await.expect_err("other author").code(), Code::PermissionDenied);

    let mut selfservice = SelfServiceServiceClient::new(app.authed("selfservice", "emp-1", &[Role::Employee]).await);
    let conversation = selfservice
        .open_conversation(OpenConversationRequest { employee_id: "emp-1".into(), language: "nl".into() })
        .await
        .expect("open")
        .into_inner();
    assert!(conversation.greeting.contains("HR-assistent"), "{}", conversation.greeting);

    let (purposes, denied) = eventually("eight forwarded events and three audited denials", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        let forwarded: Vec<_> = trail.iter().filter(|r| r.action == "event.forwarded").collect();
        let denied: Vec<_> = trail.iter().filter(|r| r.action == "access.denied").map(|r| r.detail.clone()).collect();
        let purposes: BTreeSet<String> = forwarded.iter().map(|r| r.purpose.clone()).collect();
        // Every refused call above reached the audit trail, from the service that refused it.
        // Two of people's (emp-1 put into the directory for the pulse's audience).
        (forwarded.len() == 8 && denied.len() == 3).then_some((purposes, denied))
    })
    .await;
    let expected: BTreeSet<String> = [
        "onboarding.plans",
        "people.directory",
        "engagement.surveys",
        "skills.profile",
        "performance.feedback",
        "selfservice.assistant",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(purposes, expected);
    assert!(denied.iter().any(|d| d.contains("SkillsService/GetSkillProfile (skills)")), "{denied:?}");
    app.stop().await;
}

both_modes!(every_service_emits_governed_events);
