//! Onboarding end to end: a hire flows from recruiting through people into a plan from HR's
//! template; skips and re-timing explained; buddy matching behind consent with reasons; early
//! flags for HR and the manager line only; cohort figures behind the small-group guard.

use hrmesh_kit::{auth::Role, time};
use hrmesh_proto::{
    governance::v1::{ListDecisionsRequest, governance_service_client::GovernanceServiceClient},
    onboarding::v1::{self as pb, OwnerKind, Phase, onboarding_service_client::OnboardingServiceClient},
    people::v1::{
        ListPendingHiresRequest, RequestLeaveRequest, SetContractRequest, UpsertEmployeeRequest,
        people_service_client::PeopleServiceClient,
    },
    recruiting::v1::{self as rec, recruiting_service_client::RecruitingServiceClient},
    skills::v1::{DeclareSkillRequest, DefineRoleRequest, RoleRequirement, skills_service_client::SkillsServiceClient},
};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    governance::{field_violations, grant},
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually, org_chart},
};

type Client = OnboardingServiceClient<InterceptedService<Channel, Bearer>>;

async fn onboarding(app: &TestApp, subject: &str, roles: &[Role]) -> Client {
    OnboardingServiceClient::new(app.authed("onboarding", subject, roles).await)
}

fn days_from_today(days: i64) -> String {
    time::format_date(time::today().saturating_add(::time::Duration::days(days)))
}

fn task(key: &str, phase: Phase, owner: OwnerKind, offset: i32, deps: &[&str]) -> pb::TemplateTask {
    pb::TemplateTask {
        task_key: key.into(),
        title: format!("Taak {key}"),
        phase: phase as i32,
        owner: owner as i32,
        due_offset_days: offset,
        depends_on: deps.iter().map(|d| (*d).to_owned()).collect(),
    }
}

fn welder_template() -> pb::Template {
    pb::Template {
        template_id: "welder-nl".into(),
        role: "MIG/MAG-lasser".into(),
        location: "NL".into(),
        language: "nl".into(),
        skills_role_id: "mig-welder".into(),
        tasks: vec![
            task("contract", Phase::BeforeDayOne, OwnerKind::Hr, -7, &[]),
            task("ppe", Phase::BeforeDayOne, OwnerKind::It, -2, &[]),
            task("welcome", Phase::DayOne, OwnerKind::Manager, 0, &["contract"]),
            task("workshop-tour", Phase::WeekOne, OwnerKind::Buddy, 4, &["welcome"]),
            task("safety-module", Phase::MonthOne, OwnerKind::NewHire, 30, &["welcome"]),
            task("probation-talk", Phase::MonthThree, OwnerKind::Manager, 55, &["safety-module"]),
        ],
    }
}

/// Recruiting hires a candidate; HR completes the hire in people and records the contract.
async fn hire_through_recruiting(app: &TestApp, employee_id: &str, start: &str) {
    let mut recruiting = RecruitingServiceClient::new(app.authed("recruiting", "hr-1", &[Role::HrAdmin]).await);
    let job = rec::CreateJobRequest {
        job_id: "job-weld".into(),
        title: "MIG/MAG-lasser".into(),
        must: vec![rec::SkillRequirement { skill_id: "trades.mig_mag_welding".into(), level: 3, inferred: false }],
        languages: vec![rec::LanguageRequirement { language: "nl".into(), level: "B1".into() }],
        location: "Tilburg".into(),
        hours_per_week: 40,
        ..Default::default()
    };
    recruiting.create_job(job).await.expect("job");
    let cv =
        "Hanna\n\nProfiel\nErvaren lasser.\n\nWerkervaring\n2016 - heden: lasser, Staalbouw BV\nIk las met MIG/MAG.";
    let submitted = rec::SubmitCvRequest {
        candidate_id: "cand-hanna".into(),
        filename: "cv.txt".into(),
        content: cv.as_bytes().to_vec(),
    };
    recruiting.submit_cv(submitted).await.expect("cv");
    let application = rec::SubmitApplicationRequest {
        candidate_id: "cand-hanna".into(),
        job_id: "job-weld".into(),
        full_name: "Hanna".into(),
        email: "hanna@example.org".into(),
        source: "website".into(),
        idempotency_key: String::new(),
    };
    let application_id = recruiting
        .submit_application(application)
        .await
        .expect("apply")
        .into_inner()
        .application
        .expect("stored")
        .application_id;
    for stage in ["screened", "interview", "offer", "hired"] {
        let change = rec::ChangeStageRequest {
            application_id: application_id.clone(),
            stage: stage.into(),
            rationale: String::new(),
        };
        recruiting.change_stage(change).await.unwrap_or_else(|e| panic!("{stage}: {e}"));
    }
    let people = PeopleServiceClient::new(app.authed("people", "hr-1", &[Role::HrAdmin]).await);
    eventually("the hire in people", PATIENCE, || {
        let mut people = people.clone();
        let application_id = application_id.clone();
        async move {
            let hires = people.list_pending_hires(ListPendingHiresRequest {}).await.ok()?.into_inner().hires;
            hires.into_iter().find(|h| h.application_id == application_id)
        }
    })
    .await;
    let mut people = people;
    let employee = UpsertEmployeeRequest {
        employee_id: employee_id.into(),
        full_name: "Hanna".into(),
        work_email: format!("{employee_id}@acme.example"),
        work_country: "NL".into(),
        preferred_language: "nl".into(),
        job_title: "MIG/MAG-lasser".into(),
        manager_id: "lead-1".into(),
        application_id,
        ..Default::default()
    };
    let hanna = people.upsert_employee(employee).await.expect("complete the hire").into_inner();
    assert_eq!(hanna.status, "preboarding");
    let contract = SetContractRequest {
        employee_id: employee_id.into(),
        start_date: start.into(),
        // Three months agreed: more than the law allows for a permanent Dutch contract.
        probation_end: time::format_date(
            time::parse_date("s", start).expect("date").saturating_add(::time::Duration::days(90)),
        ),
        weekly_hours: 40.0,
        days_per_week: 5,
        kind: "permanent".into(),
        ..Default::default()
    };
    people.set_contract(contract).await.expect("contract");
}

async fn a_hire_flows_from_recruiting_through_people_into_an_adapted_plan(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("lead-1", ""), ("peer-1", "lead-1")]).await;
    let mut hr = onboarding(&app, "hr-1", &[Role::HrAdmin]).await;
    let mut cyclic = welder_template();
    cyclic.tasks[0].depends_on = vec!["probation-talk".into()];
    let refused = hr.upsert_template(cyclic).await.expect_err("cycle");
    assert_eq!(field_violations(&refused), ["tasks"]);
    assert!(refused.message().contains("cycle") || format!("{refused:?}").contains("contract -> probation-talk"));
    hr.upsert_template(welder_template()).await.expect("template");

    let start = days_from_today(14);
    hire_through_recruiting(&app, "emp-hanna", &start).await;
    let plan = eventually("the plan from the hire", PATIENCE, || {
        let mut hr = hr.clone();
        async move {
            let request = pb::GetOnboardingRequest { employee_id: "emp-hanna".into(), locale: "nl".into() };
            hr.get_onboarding(request).await.ok().map(tonic::Response::into_inner)
        }
    })
    .await;
    assert_eq!((plan.template_id.as_str(), plan.start_date.as_str()), ("welder-nl", start.as_str()));
    assert_eq!(plan.tasks.len(), 6);
    assert_eq!(plan.tasks[0].due_date, days_from_today(7), "seven days before the start");
    assert_eq!(plan.changes[0].actor, "people");
    assert!(plan.changes[0].why.contains("Plan uit sjabloon welder-nl"), "{:?}", plan.changes);
    // Agreed 90 days; a permanent Dutch contract allows two months.
    assert!(
        plan.probation_end > days_from_today(14 + 55) && plan.probation_end < days_from_today(14 + 62),
        "{}",
        plan.probation_end
    );
    assert!(
        plan.changes[1].why.contains("ingekort") && plan.changes[1].why.contains("2 maanden"),
        "{:?}",
        plan.changes[1]
    );

    // The new hire and their manager line read the plan; a peer does not.
    let mut hanna = onboarding(&app, "emp-hanna", &[Role::Employee]).await;
    let own = pb::GetOnboardingRequest { employee_id: "emp-hanna".into(), locale: "en".into() };
    hanna.get_onboarding(own.clone()).await.expect("own plan");
    let mut lead = onboarding(&app, "lead-1", &[Role::Manager, Role::Employee]).await;
    lead.get_onboarding(own.clone()).await.expect("the manager's report");
    let mut peer = onboarding(&app, "peer-1", &[Role::Employee]).await;
    assert_eq!(peer.get_onboarding(own.clone()).await.expect_err("a peer").code(), Code::PermissionDenied);

    // A skip needs a reason, is explained, and is for HR and the line, not the new hire.
    let skip = |key: &str, reason: &str| pb::UpdateTaskRequest {
        employee_id: "emp-hanna".into(),
        task_key: key.into(),
        action: "skip".into(),
        reason: reason.into(),
        locale: "nl".into(),
        ..Default::default()
    };
    assert_eq!(field_violations(&hr.update_task(skip("ppe", "")).await.expect_err("no reason")), ["reason"]);
    let denied = hanna.update_task(skip("ppe", "heb ik al")).await.expect_err("new hire skips");
    assert_eq!(denied.code(), Code::PermissionDenied);
    let reason = "Hanna brengt haar eigen gecertificeerde lasuitrusting mee";
    let skipped = lead.update_task(skip("ppe", reason)).await.expect("skip").into_inner();
    let ppe = skipped.tasks.iter().find(|t| t.task_key == "ppe").expect("ppe");
    assert_eq!((ppe.status.as_str(), ppe.reason.as_str()), ("skipped", reason));
    let change = skipped.changes.iter().find(|c| c.kind == "skipped").expect("change");
    assert_eq!(change.why, format!("Overgeslagen: {reason}"));
    assert_eq!(change.actor, "lead-1");
    // A task waits for its dependencies.
    let done = |key: &str, on: &str| pb::UpdateTaskRequest {
        employee_id: "emp-hanna".into(),
        task_key: key.into(),
        action: "done".into(),
        done_on: on.into(),
        locale: "nl".into(),
        ..Default::default()
    };
    let waits = hr.update_task(done("welcome", &start)).await.expect_err("contract open");
    assert_eq!(waits.code(), Code::FailedPrecondition);
    assert!(waits.message().contains("contract"), "{}", waits.message());

    // The learning part: the gap to the skills role, minus what Hanna already knows.
    let mut skills = SkillsServiceClient::new(app.authed("skills", "hr-1", &[Role::HrAdmin]).await);
    let req = |skill: &str, level: u32, essential: bool| RoleRequirement { skill_id: skill.into(), level, essential };
    let role = DefineRoleRequest {
        role_id: "mig-welder".into(),
        title: "MIG/MAG-lasser".into(),
        requirements: vec![
            req("trades.mig_mag_welding", 3, true),
            req("trades.welding", 3, true),
            req("safety.vca", 2, true),
            req("logistics.forklift", 2, false),
        ],
    };
    skills.define_role(role).await.expect("role");
    let declare = DeclareSkillRequest { employee_id: "emp-hanna".into(), skill_id: "trades.welding".into(), level: 4 };
    skills.declare_skill(declare).await.expect("declare");
    let learning = pb::PlanLearningRequest { employee_id: "emp-hanna".into(), locale: "nl".into() };
    let adapted = hanna.plan_learning(learning).await.expect("learning").into_inner();
    let steps: Vec<&pb::Task> = adapted.tasks.iter().filter(|t| t.learning).collect();
    let mut keys: Vec<&str> = steps.iter().map(|t| t.task_key.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["learn.logistics.forklift", "learn.safety.vca", "learn.trades.mig_mag_welding"]);
    // Essential skills within the first month, the rest later.
    let forklift_due = &steps.iter().find(|t| t.task_key == "learn.logistics.forklift").expect("step").due_date;
    assert!(steps.iter().filter(|t| t.phase == Phase::MonthOne as i32).all(|t| t.due_date < *forklift_due));
    let removed = adapted.changes.iter().find(|c| c.kind == "step_removed").expect("prior knowledge");
    assert_eq!(removed.task_key, "learn.trades.welding");
    assert!(removed.why.contains("al bekend op niveau 4 van 3"), "{}", removed.why);

    // A self-check removes a module Hanna knows.
    let check = pb::SubmitSelfCheckRequest {
        employee_id: "emp-hanna".into(),
        task_key: "learn.logistics.forklift".into(),
        score: 90,
        locale: "de".into(),
    };
    let checked = hanna.submit_self_check(check).await.expect("self-check").into_inner();
    let forklift = checked.tasks.iter().find(|t| t.task_key == "learn.logistics.forklift").expect("step");
    assert_eq!(forklift.status, "skipped");
    assert!(checked.changes.iter().any(|c| c.why.contains("Selbsttest 90 %")), "{:?}", checked.changes);

    // Faster than planned: the first step (due in two weeks) done on day 3 re-times the other.
    let mut essential: Vec<&pb::Task> = steps.iter().copied().filter(|t| t.phase == Phase::MonthOne as i32).collect();
    essential.sort_by(|a, b| a.due_date.cmp(&b.due_date));
    let (first, second) = (essential[0].task_key.clone(), essential[1].task_key.clone());
    let before = essential[1].due_date.clone();
    let day3 =
        time::format_date(time::parse_date("s", &start).expect("date").saturating_add(::time::Duration::days(3)));
    let fast = hanna.update_task(done(&first, &day3)).await.expect("done").into_inner();
    let after = fast.tasks.iter().find(|t| t.task_key == second).expect("second").due_date.clone();
    assert!(after < before, "{after} not before {before}");
    let retimed = fast.changes.iter().find(|c| c.kind == "retimed").expect("re-timed");
    assert!(retimed.why.contains("sneller dan gepland") && retimed.why.contains(&second), "{}", retimed.why);
    assert!(fast.pace > 1.25, "{}", fast.pace);
    app.stop().await;
}

async fn buddy_matching_needs_consent_and_explains_each_match(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(
        &app,
        &[("lead-1", ""), ("lead-2", ""), ("v-near", "lead-2"), ("v-team", "lead-1"), ("v-away", "lead-2")],
    )
    .await;
    let mut people = PeopleServiceClient::new(app.authed("people", "hr-1", &[Role::HrAdmin]).await);
    for v in ["v-near", "v-team", "v-away"] {
        let contract = SetContractRequest {
            employee_id: v.into(),
            start_date: "2020-01-01".into(),
            weekly_hours: 40.0,
            days_per_week: 5,
            kind: "permanent".into(),
            ..Default::default()
        };
        people.set_contract(contract).await.expect("contract");
    }
    let start = days_from_today(10);
    let mut away = PeopleServiceClient::new(app.authed("people", "v-away", &[Role::Employee]).await);
    let leave = RequestLeaveRequest {
        employee_id: "v-away".into(),
        start_date: days_from_today(12),
        end_date: days_from_today(16),
        ..Default::default()
    };
    away.request_leave(leave).await.expect("leave in the hire's first weeks");

    let mut hr = onboarding(&app, "hr-1", &[Role::HrAdmin]).await;
    for hire in ["h-1", "h-2"] {
        let request = pb::StartOnboardingRequest {
            employee_id: hire.into(),
            role: "Planner".into(),
            start_date: start.clone(),
            location: "NL".into(),
            language: "nl".into(),
            manager_id: "lead-1".into(),
            ..Default::default()
        };
        hr.start_onboarding(request).await.expect("start");
    }
    let volunteer = |id: &str| pb::SetBuddyVolunteerRequest {
        employee_id: id.into(),
        volunteer: true,
        capacity: 1,
        skills: vec!["planning".into()],
        interests: vec!["wielrennen".into(), "koken".into()],
    };
    let mut near = onboarding(&app, "v-near", &[Role::Employee]).await;
    let refused = near.set_buddy_volunteer(volunteer("v-near")).await.expect_err("no consent");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    for v in ["v-near", "v-team", "v-away"] {
        grant(&app, v, "onboarding.buddy_matching").await;
        let mut client = onboarding(&app, v, &[Role::Employee]).await;
        let set = client.set_buddy_volunteer(volunteer(v)).await.expect("volunteer").into_inner();
        assert_eq!(set.since, "2020-01-01");
    }
    let mut profiles = std::collections::HashMap::new();
    profiles
        .insert("h-1".to_owned(), pb::HireProfile { skills: vec!["planning".into()], interests: vec!["koken".into()] });
    let request =
        pb::MatchBuddiesRequest { employee_ids: vec!["h-1".into(), "h-2".into()], profiles, locale: "nl".into() };
    grant(&app, "h-1", "onboarding.buddy_matching").await;
    let refused = hr.match_buddies(request.clone()).await.expect_err("h-2 has not consented");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert!(refused.message().contains("h-2") && !refused.message().contains("h-1"), "{}", refused.message());
    grant(&app, "h-2", "onboarding.buddy_matching").await;
    let matched = hr.match_buddies(request).await.expect("match").into_inner();
    assert_eq!(matched.matches.len(), 2, "{matched:?}");
    assert!(matched.matches.iter().all(|m| m.buddy_id != "v-away"), "on leave in the first weeks: {matched:?}");
    let h1 = matched.matches.iter().find(|m| m.employee_id == "h-1").expect("h-1");
    // The volunteer with another manager and shared interests serves the hire with more in common.
    assert_eq!(h1.buddy_id, "v-near");
    assert!(h1.reasons.iter().any(|r| r.contains("een andere leidinggevende")), "{:?}", h1.reasons);
    assert!(h1.reasons.iter().any(|r| r.contains("gedeelde interesses (koken)")), "{:?}", h1.reasons);
    let h2 = matched.matches.iter().find(|m| m.employee_id == "h-2").expect("h-2");
    assert_eq!(h2.buddy_id, "v-team");
    assert!(!h2.reasons.iter().any(|r| r.contains("andere leidinggevende")), "same manager: {:?}", h2.reasons);
    assert!((matched.total_score - (h1.score + h2.score)).abs() < 1e-9);

    let no_reason =
        pb::OverrideBuddyRequest { employee_id: "h-2".into(), buddy_id: "v-away".into(), reason: String::new() };
    assert_eq!(field_violations(&hr.override_buddy(no_reason).await.expect_err("reason")), ["reason"]);
    let reason = "v-away kent de planning van de nachtploeg waar h-2 begint";
    let chosen =
        pb::OverrideBuddyRequest { employee_id: "h-2".into(), buddy_id: "v-away".into(), reason: reason.into() };
    hr.override_buddy(chosen).await.expect("override");
    let plan = hr
        .get_onboarding(pb::GetOnboardingRequest { employee_id: "h-2".into(), locale: "nl".into() })
        .await
        .expect("plan")
        .into_inner();
    let buddy = plan.buddy.expect("buddy");
    assert_eq!((buddy.buddy_id.as_str(), buddy.overridden_by.as_str()), ("v-away", "hr-1"));
    assert_eq!(buddy.reasons, [format!("Gekozen door HR (hr-1): {reason}")]);
    app.stop().await;
}

async fn an_overdue_and_negative_new_hire_is_flagged_to_hr_and_the_manager_only(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("lead-1", ""), ("new-1", "lead-1"), ("peer-1", "lead-1"), ("lead-2", "")]).await;
    let mut hr = onboarding(&app, "hr-1", &[Role::HrAdmin]).await;
    let mut template = welder_template();
    template.role = "Employee".into();
    template.skills_role_id = String::new();
    hr.upsert_template(template).await.expect("template");
    let start = days_from_today(-40);
    let request = pb::StartOnboardingRequest {
        employee_id: "new-1".into(),
        role: "Employee".into(),
        start_date: start.clone(),
        location: "NL".into(),
        language: "nl".into(),
        manager_id: "lead-1".into(),
        ..Default::default()
    };
    hr.start_onboarding(request).await.expect("start");
    grant(&app, "new-1", "engagement.sentiment").await;
    let mut new_hire = onboarding(&app, "new-1", &[Role::Employee]).await;
    let checkin = pb::SubmitCheckInRequest {
        employee_id: "new-1".into(),
        day: 7,
        ratings: vec![2, 3, 2],
        comment: "Ik voel me niet welkom, niemand helpt me en ik twijfel of ik blijf".into(),
        locale: "nl".into(),
    };
    let answered = new_hire.submit_check_in(checkin).await.expect("check-in").into_inner();
    assert_eq!(answered.respondent, "new_hire");
    assert!(answered.sentiment.is_some_and(|s| s < 0.0), "{answered:?}");
    assert!(answered.negative);

    let list = |who: &str| pb::ListFlagsRequest { employee_id: who.into(), locale: "nl".into() };
    let flags = hr.list_flags(list("")).await.expect("hr").into_inner().flags;
    let kinds: Vec<&str> = flags.iter().filter(|f| f.employee_id == "new-1").map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["overdue_tasks", "missed_checkin", "negative_checkin"]);
    let negative = flags.iter().find(|f| f.kind == "negative_checkin").expect("negative");
    assert!(
        negative.reasons[0].contains("gemiddeld 2.3 van 5") && negative.reasons[0].contains("toon"),
        "{:?}",
        negative.reasons
    );
    let overdue = flags.iter().find(|f| f.kind == "overdue_tasks").expect("overdue");
    assert!(
        overdue.reasons.iter().any(|r| r.contains("contract") && r.contains("dagen over tijd")),
        "{:?}",
        overdue.reasons
    );

    let mut lead = onboarding(&app, "lead-1", &[Role::Manager, Role::Employee]).await;
    let seen = lead.list_flags(list("")).await.expect("manager").into_inner().flags;
    assert_eq!(seen.len(), 3, "{seen:?}");
    lead.list_flags(list("new-1")).await.expect("manager, one person");
    let mut peer = onboarding(&app, "peer-1", &[Role::Employee]).await;
    assert_eq!(peer.list_flags(list("new-1")).await.expect_err("peer").code(), Code::PermissionDenied);
    let mut other = onboarding(&app, "lead-2", &[Role::Manager]).await;
    assert_eq!(other.list_flags(list("new-1")).await.expect_err("other line").code(), Code::PermissionDenied);
    assert!(other.list_flags(list("")).await.expect("own line").into_inner().flags.is_empty());
    assert_eq!(new_hire.list_flags(list("new-1")).await.expect_err("self").code(), Code::PermissionDenied);

    // Each flag is a recommendation in governance's decision log, logged once.
    hr.list_flags(list("")).await.expect("again");
    let mut dpo = GovernanceServiceClient::new(app.authed("governance", "dpo-1", &[Role::Dpo]).await);
    let decisions = dpo
        .list_decisions(ListDecisionsRequest { subject: "new-1".into() })
        .await
        .expect("decisions")
        .into_inner()
        .decisions;
    let flagged: Vec<_> = decisions.iter().filter(|d| d.purpose == "onboarding.risk_flags").collect();
    assert_eq!(flagged.len(), 3, "{decisions:?}");
    assert!(flagged.iter().all(|d| !d.legal_effect && d.output.contains("no automated action")));
    app.stop().await;
}

async fn a_cohort_of_four_is_withheld_and_of_five_shown(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = onboarding(&app, "hr-1", &[Role::HrAdmin]).await;
    let mut template = welder_template();
    template.role = "Planner".into();
    template.skills_role_id = String::new();
    hr.upsert_template(template).await.expect("template");
    let start = |i: usize| pb::StartOnboardingRequest {
        employee_id: format!("c-{i}"),
        role: "Planner".into(),
        start_date: format!("2026-09-{:02}", 1 + i),
        location: "NL".into(),
        language: "nl".into(),
        ..Default::default()
    };
    for i in 0..4 {
        hr.start_onboarding(start(i)).await.expect("start");
    }
    let figures = |hr: &mut Client| {
        let mut hr = hr.clone();
        async move {
            let request = pb::GetOnboardingFiguresRequest { locale: "nl".into() };
            hr.get_onboarding_figures(request).await.expect("figures").into_inner().cohorts
        }
    };
    let four = figures(&mut hr).await;
    assert_eq!(four.len(), 1);
    assert!(four[0].withheld && four[0].hires == 0 && four[0].completion_rate == 0.0, "{four:?}");
    assert!(four[0].reason.contains("groep kleiner dan 5"), "{}", four[0].reason);
    hr.start_onboarding(start(4)).await.expect("fifth");
    let done = pb::UpdateTaskRequest {
        employee_id: "c-0".into(),
        task_key: "contract".into(),
        action: "done".into(),
        done_on: "2026-08-25".into(),
        ..Default::default()
    };
    hr.update_task(done).await.expect("done");
    let outcome = pb::RecordOutcomeRequest {
        employee_id: "c-1".into(),
        outcome: "passed".into(),
        on: "2026-11-01".into(),
        rationale: "Goed ingewerkt, zelfstandig".into(),
    };
    hr.record_outcome(outcome).await.expect("outcome");
    let five = figures(&mut hr).await;
    assert!(!five[0].withheld, "{five:?}");
    assert_eq!((five[0].cohort.as_str(), five[0].hires, five[0].probation_passed), ("2026-09", 5, 1));
    assert!((five[0].completion_rate - 1.0 / 30.0).abs() < 1e-9, "{}", five[0].completion_rate);
    let mut manager = onboarding(&app, "lead-1", &[Role::Manager]).await;
    let denied = manager.get_onboarding_figures(pb::GetOnboardingFiguresRequest::default()).await;
    assert_eq!(denied.expect_err("HR only").code(), Code::PermissionDenied);
    app.stop().await;
}

both_modes!(
    a_hire_flows_from_recruiting_through_people_into_an_adapted_plan,
    buddy_matching_needs_consent_and_explains_each_match,
    an_overdue_and_negative_new_hire_is_flagged_to_hr_and_the_manager_only,
    a_cohort_of_four_is_withheld_and_of_five_shown,
);
