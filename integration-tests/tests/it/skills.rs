//! Skills end to end: profiles from every source with history and consent-gated inference,
//! extraction over the API, gap analysis, transfer candidates and team plans, the course
//! catalogue and learning paths, demand forecasts, and the ESCO classification in a running service.

use std::{collections::HashMap, time::Duration};

use hrmesh_kit::{auth::Role, db::Database};
use hrmesh_proto::skills::v1::{self as pb, skills_service_client::SkillsServiceClient};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    flow::audit_trail,
    governance::{field_violations, grant},
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually, org_chart},
};

type Skills = SkillsServiceClient<InterceptedService<Channel, Bearer>>;

async fn skills(app: &TestApp, subject: &str, roles: &[Role]) -> Skills {
    SkillsServiceClient::new(app.authed("skills", subject, roles).await)
}

async fn declare(client: &mut Skills, employee: &str, skill: &str, level: u32) {
    let req = pb::DeclareSkillRequest { employee_id: employee.into(), skill_id: skill.into(), level };
    client.declare_skill(req).await.unwrap_or_else(|e| panic!("declare {skill} for {employee}: {e}"));
}

/// Waits until governance has forwarded an event of `purpose` (it audits every forward).
async fn forwarded(app: &TestApp, purpose: &str) {
    eventually(&format!("an event of {purpose} forwarded"), PATIENCE, || async {
        audit_trail(app).await.iter().any(|r| r.action == "event.forwarded" && r.purpose == purpose).then_some(())
    })
    .await;
}

fn ids(skills: &[pb::ExtractedSkill]) -> Vec<&str> {
    skills.iter().filter_map(|s| s.skill.as_ref().map(|s| s.skill_id.as_str())).collect()
}

async fn profiles_keep_every_source_history_and_consent_gated_inference(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("mgr-1", ""), ("emp-1", "mgr-1"), ("mgr-2", "")]).await;
    let mut own = skills(&app, "emp-1", &[Role::Employee]).await;
    let mut manager = skills(&app, "mgr-1", &[Role::Manager]).await;
    // A manager of another team neither reads nor changes the profile.
    let mut other = skills(&app, "mgr-2", &[Role::Manager]).await;
    let refused = other
        .get_skill_profile(pb::GetSkillProfileRequest { employee_id: "emp-1".into(), ..Default::default() })
        .await
        .expect_err("another team");
    assert_eq!(refused.code(), Code::PermissionDenied);
    declare(&mut own, "emp-1", "it.python", 3).await;
    declare(&mut manager, "emp-1", "it.python", 4).await;
    let verify = pb::VerifySkillRequest {
        employee_id: "emp-1".into(),
        skill_id: "it.python".into(),
        level: 3,
        evidence: "Assessment 2026-11".into(),
    };
    let denied = own.verify_skill(verify.clone()).await.expect_err("nobody verifies their own skills");
    assert_eq!(denied.code(), Code::PermissionDenied);
    let profile = manager.verify_skill(verify).await.expect("verify").into_inner();
    let python = &profile.skills[0];
    assert_eq!((python.declared_self, python.declared_manager, python.verified, python.level), (3, 4, 3, 3));
    assert_eq!(python.evidence, "Assessment 2026-11");

    let unknown = pb::DeclareSkillRequest { employee_id: "emp-1".into(), skill_id: "it.cobol9000".into(), level: 3 };
    let status = own.declare_skill(unknown).await.expect_err("unknown skill");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(field_violations(&status), ["skill_id"]);

    let cv = "Vijf jaar ervaring als MIG/MAG-lasser bij een constructiebedrijf. Ik heb geen ervaring met SAP, \
              wel met Exact Online.";
    let infer = pb::InferSkillsRequest {
        employee_id: "emp-1".into(),
        text: cv.into(),
        source: "cv".into(),
        locale: "nl".into(),
        ..Default::default()
    };
    let refused = own.infer_skills(infer.clone()).await.expect_err("no consent yet");
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");
    for (text, field) in [(String::new(), "text"), ("x".repeat((128 << 10) + 1), "text")] {
        let status = own.infer_skills(pb::InferSkillsRequest { text, ..infer.clone() }).await.expect_err("bad text");
        assert_eq!(field_violations(&status), [field]);
    }
    grant(&app, "emp-1", "skills.inference").await;
    let inferred = own.infer_skills(infer).await.expect("infer with consent").into_inner();
    let found = ids(&inferred.inferred);
    assert!(found.contains(&"trades.mig_mag_welding") && found.contains(&"office.exact"), "{found:?}");
    assert!(!found.contains(&"office.sap"), "negated: {found:?}");
    assert!(inferred.excluded.iter().any(|x| x.skill.as_ref().is_some_and(|s| s.skill_id == "office.sap")));
    for s in &inferred.inferred {
        let e = s.evidence.as_ref().expect("evidence");
        assert_eq!(&cv[e.start as usize..e.end as usize], e.text, "span points into the text");
        assert!(s.confidence > 0.0 && s.confidence <= 1.0);
    }
    let request =
        pb::GetSkillProfileRequest { employee_id: "emp-1".into(), include_history: true, locale: "de".into() };
    let profile = own.get_skill_profile(request).await.expect("profile").into_inner();
    let welding =
        profile.skills.iter().find(|s| s.skill.as_ref().is_some_and(|s| s.skill_id == "trades.mig_mag_welding"));
    let welding = welding.expect("inferred skill on the profile");
    assert_eq!((welding.inferred, welding.level, welding.evidence_source.as_str()), (2, 2, "cv"));
    assert_eq!(welding.skill.as_ref().map(|s| s.label.as_str()), Some("MIG/MAG-Schweißen"));
    let python_history: Vec<&str> =
        profile.history.iter().filter(|h| h.skill_id == "it.python").map(|h| h.source.as_str()).collect();
    assert_eq!(python_history, ["declared_self", "declared_manager", "verified"]);
    let other = pb::GetSkillProfileRequest { employee_id: "emp-2".into(), ..Default::default() };
    assert_eq!(own.get_skill_profile(other).await.expect_err("not own").code(), Code::PermissionDenied);
    forwarded(&app, "skills.inference").await;
    forwarded(&app, "skills.profile").await;
    app.stop().await;
}

async fn extraction_search_and_the_competence_graph_over_the_api(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut client = skills(&app, "recruiter-1", &[Role::HrAdmin]).await;
    let ad = "Wir suchen einen Staplerfahrer mit Staplerschein. SAP-Kenntnisse nicht erforderlich.";
    let request = pb::ExtractSkillsRequest { text: ad.into(), ..Default::default() };
    let extracted = client.extract_skills(request).await.expect("extract").into_inner();
    assert_eq!(extracted.language, "de");
    assert!(ids(&extracted.skills).contains(&"logistics.forklift"), "{:?}", ids(&extracted.skills));
    assert!(!ids(&extracted.skills).contains(&"office.sap"));
    let empty = client.extract_skills(pb::ExtractSkillsRequest::default()).await.expect_err("empty text");
    assert_eq!(field_violations(&empty), ["text"]);
    let bad_lang = pb::ExtractSkillsRequest { text: "Python".into(), language: "fr".into(), ..Default::default() };
    assert_eq!(field_violations(&client.extract_skills(bad_lang).await.expect_err("fr")), ["language"]);

    let too_many = pb::ExtractSkillsRequest { text: "Python".into(), k: 101, ..Default::default() };
    assert_eq!(field_violations(&client.extract_skills(too_many).await.expect_err("k")), ["k"]);
    let cv = "Kept our build pipeline green. Wrote Python scripts and SQL queries.";
    let ranked = pb::ExtractSkillsRequest { text: cv.into(), language: "en".into(), k: 3, ..Default::default() };
    let ranked = client.extract_skills(ranked).await.expect("ranked").into_inner().skills;
    assert!(!ranked.is_empty() && ranked.len() <= 3, "{ranked:?}");
    assert!(ranked.windows(2).all(|w| w[0].score >= w[1].score), "sorted by score");
    assert!(ranked.iter().any(|s| !s.inferred && s.evidence.as_ref().is_some_and(|e| !e.text.is_empty())));

    let search = pb::SearchSkillsRequest { query: "lassen".into(), locale: "nl".into(), limit: 5 };
    let found = client.search_skills(search).await.expect("search").into_inner().skills;
    assert!(!found.is_empty() && found.len() <= 5);
    assert!(found.iter().any(|s| s.skill_id == "trades.welding"), "{found:?}");
    // Words of a sentence, a partial word and another language's synonym all find skills.
    for (query, locale, expected) in [
        ("forklift truck driver", "nl", "logistics.forklift"),
        ("pyth", "en", "it.python"),
        ("Schweißen", "en", "trades.welding"),
    ] {
        let search = pb::SearchSkillsRequest { query: query.into(), locale: locale.into(), limit: 10 };
        let answer = client.search_skills(search).await.expect("search").into_inner();
        assert!(answer.skills.iter().any(|s| s.skill_id == expected), "{query}: {:?}", answer.skills);
        assert_eq!(answer.matches.len(), answer.skills.len());
    }
    let detail = client
        .get_skill(pb::GetSkillRequest { skill_id: "trades.mig_mag_welding".into(), locale: "en".into() })
        .await
        .expect("skill")
        .into_inner();
    assert!(detail.prerequisites.iter().any(|p| p.skill_id == "trades.welding"), "{detail:?}");
    assert!(detail.related.iter().all(|r| r.relatedness > 0.0 && !r.reason.is_empty()));
    let missing = client.get_skill(pb::GetSkillRequest { skill_id: "it.nope".into(), ..Default::default() }).await;
    assert_eq!(missing.expect_err("unknown").code(), Code::NotFound);
    app.stop().await;
}

async fn gap_analysis_transfer_candidates_and_team_plans(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = skills(&app, "hr-1", &[Role::HrAdmin]).await;
    let req = |skill: &str, level, essential| pb::RoleRequirement { skill_id: skill.into(), level, essential };
    let bad = pb::DefineRoleRequest {
        role_id: "mig-welder".into(),
        title: "MIG/MAG welder".into(),
        requirements: vec![
            req("trades.mig_mag_welding", 3, true),
            req("trades.nope", 3, true),
            req("trades.welding", 9, true),
        ],
    };
    let status = hr.define_role(bad).await.expect_err("bad requirements");
    assert_eq!(field_violations(&status), ["requirements[1].skill_id", "requirements[2].level"]);
    let role = pb::DefineRoleRequest {
        role_id: "mig-welder".into(),
        title: "MIG/MAG-lasser".into(),
        requirements: vec![
            req("trades.mig_mag_welding", 3, true),
            req("trades.welding", 3, true),
            req("logistics.forklift", 2, false),
        ],
    };
    hr.define_role(role).await.expect("define role");
    for (who, have) in [
        ("ana", vec![("trades.welding", 3), ("trades.tig_welding", 4)]),
        ("bob", vec![("office.afas", 5)]),
        ("cem", vec![("trades.welding", 3), ("trades.mig_mag_welding", 3), ("logistics.forklift", 2)]),
    ] {
        for (skill, level) in have {
            declare(&mut hr, who, skill, level).await;
        }
    }
    let gap = hr
        .analyze_gap(pb::AnalyzeGapRequest {
            employee_id: "ana".into(),
            role_id: "mig-welder".into(),
            locale: "nl".into(),
        })
        .await
        .expect("gap")
        .into_inner();
    let by_skill: HashMap<&str, &pb::RequirementGap> =
        gap.requirements.iter().map(|r| (r.skill.as_ref().map_or("", |s| s.skill_id.as_str()), r)).collect();
    assert_eq!(by_skill["trades.welding"].status, "met");
    let mig = by_skill["trades.mig_mag_welding"];
    assert_eq!(mig.status, "covered_by_related");
    assert_eq!(mig.related.as_ref().map(|s| s.skill_id.as_str()), Some("trades.tig_welding"));
    assert!(mig.explanation.contains("staat niet op het profiel"), "{}", mig.explanation);
    assert!(gap.coverage > 0.5 && gap.coverage < 1.0, "{}", gap.coverage);
    forwarded(&app, "skills.development").await;

    let unknown =
        pb::AnalyzeGapRequest { employee_id: "ana".into(), role_id: "astronaut".into(), ..Default::default() };
    assert_eq!(hr.analyze_gap(unknown).await.expect_err("no such role").code(), Code::NotFound);

    let transfer = pb::FindTransferCandidatesRequest { role_id: "mig-welder".into(), ..Default::default() };
    let ranked = hr.find_transfer_candidates(transfer).await.expect("transfer").into_inner().candidates;
    let order: Vec<&str> = ranked.iter().map(|c| c.employee_id.as_str()).collect();
    assert_eq!(order, ["cem", "ana", "bob"]);
    assert!(ranked[0].to_learn.is_empty() && (ranked[0].coverage - 1.0).abs() < 1e-9);
    assert!(
        ranked[1].to_learn.iter().any(|s| s.skill.as_ref().is_some_and(|s| s.skill_id == "trades.mig_mag_welding"))
    );

    // Candidates' skill sets scored the same way, statelessly (recruiting's matching uses this).
    let set = |id: &str, skills: &[(&str, u32)]| pb::SkillSet {
        id: id.into(),
        skills: skills.iter().map(|(s, l)| pb::CourseSkill { skill_id: (*s).into(), level: *l }).collect(),
    };
    let matched = hr
        .match_profiles(pb::MatchProfilesRequest {
            requirements: vec![req("trades.mig_mag_welding", 3, true)],
            profiles: vec![set("tig", &[("trades.tig_welding", 4)]), set("none", &[])],
            locale: "en".into(),
        })
        .await
        .expect("match")
        .into_inner()
        .matches;
    assert_eq!(matched[0].requirements[0].status, "covered_by_related");
    assert!(matched[0].requirements[0].credit > 1.0 && matched[1].coverage == 0.0, "{matched:?}");
    let bad = pb::MatchProfilesRequest {
        requirements: vec![req("trades.mig_mag_welding", 3, true)],
        profiles: vec![set("x", &[("it.nope", 3)])],
        ..Default::default()
    };
    assert_eq!(
        field_violations(&hr.match_profiles(bad).await.expect_err("unknown")),
        ["profiles[0].skills[0].skill_id"]
    );

    // A team of three is too small to describe; five (two without a profile yet) is not.
    let target = vec![pb::TeamTarget { skill_id: "trades.welding".into(), level: 3, headcount: 3 }];
    let small = pb::AnalyzeTeamGapRequest {
        employee_ids: vec!["ana".into(), "bob".into(), "cem".into()],
        targets: target.clone(),
        locale: "de".into(),
    };
    let withheld = hr.analyze_team_gap(small).await.expect("team gap").into_inner();
    assert!(withheld.targets.is_empty() && withheld.summary.contains("5"), "{withheld:?}");
    let team = pb::AnalyzeTeamGapRequest {
        employee_ids: ["ana", "bob", "cem", "dirk", "eva"].map(String::from).to_vec(),
        targets: target,
        locale: "de".into(),
    };
    let report = hr.analyze_team_gap(team).await.expect("team gap").into_inner();
    let t = &report.targets[0];
    assert_eq!((t.qualified, t.shortfall), (2, 1));
    assert!(t.explanation.contains("von 3"), "{}", t.explanation);
    let mut employee = skills(&app, "ana", &[Role::Employee]).await;
    let team = pb::AnalyzeTeamGapRequest { employee_ids: vec!["bob".into()], ..Default::default() };
    assert_eq!(employee.analyze_team_gap(team).await.expect_err("managers only").code(), Code::PermissionDenied);
    app.stop().await;
}

async fn course_catalogue_and_learning_paths(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = skills(&app, "hr-1", &[Role::HrAdmin]).await;
    let starter = hr.list_courses(pb::ListCoursesRequest::default()).await.expect("list").into_inner().courses;
    assert!(starter.len() >= 150, "starter catalogue seeded: {}", starter.len());
    let course = |id: &str, prereqs: &[&str]| pb::Course {
        course_id: id.into(),
        title_en: format!("Course {id}"),
        skills: vec![pb::CourseSkill { skill_id: "it.python".into(), level: 3 }],
        hours: 8,
        prerequisite_course_ids: prereqs.iter().map(|p| (*p).into()).collect(),
        ..Default::default()
    };
    hr.create_course(course("py-a", &[])).await.expect("a");
    hr.create_course(course("py-b", &["py-a"])).await.expect("b after a");
    assert_eq!(hr.create_course(course("py-a", &[])).await.expect_err("twice").code(), Code::AlreadyExists);
    let cyclic = hr.update_course(course("py-a", &["py-b"])).await.expect_err("cycle");
    assert_eq!(field_violations(&cyclic), ["prerequisite_course_ids"]);
    assert!(cyclic.message().contains("py-a → py-b → py-a"), "{}", cyclic.message());
    let mut unknown = course("py-c", &[]);
    unknown.skills[0].skill_id = "it.nope".into();
    assert_eq!(field_violations(&hr.create_course(unknown).await.expect_err("unknown skill")), ["skills[0].skill_id"]);
    let blocked =
        hr.delete_course(pb::DeleteCourseRequest { course_id: "py-a".into() }).await.expect_err("needed by b");
    assert_eq!(blocked.code(), Code::FailedPrecondition);
    hr.delete_course(pb::DeleteCourseRequest { course_id: "py-b".into() }).await.expect("delete b");
    let gone = hr.get_course(pb::GetCourseRequest { course_id: "py-b".into() }).await.expect_err("deleted");
    assert_eq!(gone.code(), Code::NotFound);
    let python = hr.list_courses(pb::ListCoursesRequest { skill_id: "it.python".into() }).await.expect("filter");
    assert!(python.into_inner().courses.iter().any(|c| c.course_id == "py-a"));

    declare(&mut hr, "ana", "it.python", 4).await;
    let plan = pb::PlanLearningPathRequest {
        employee_id: "ana".into(),
        targets: vec![
            pb::CourseSkill { skill_id: "trades.mig_mag_welding".into(), level: 3 },
            pb::CourseSkill { skill_id: "it.python".into(), level: 3 },
        ],
        locale: "de".into(),
        assign: true,
        ..Default::default()
    };
    let path = hr.plan_learning_path(plan.clone()).await.expect("path").into_inner();
    let order: Vec<&str> = path.steps.iter().filter_map(|s| s.skill.as_ref().map(|s| s.skill_id.as_str())).collect();
    let pos = |id| order.iter().position(|s| *s == id).unwrap_or_else(|| panic!("{id} in {order:?}"));
    assert!(pos("trades.welding") < pos("trades.mig_mag_welding"), "prerequisite first: {order:?}");
    assert!(!order.contains(&"it.python"), "mastered skills are skipped");
    assert!(path.skipped[0].reason.contains("Übersprungen"), "{}", path.skipped[0].reason);
    assert!(path.steps.iter().all(|s| !s.reason.is_empty()));
    assert!(path.assigned && path.total_hours > 0);
    forwarded(&app, "skills.development").await;
    let both = pb::PlanLearningPathRequest { role_id: "x".into(), ..plan };
    assert_eq!(field_violations(&hr.plan_learning_path(both).await.expect_err("one of two")), ["role_id"]);
    app.stop().await;
}

async fn demand_forecast_from_requisitions_and_hiring_plans(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = skills(&app, "hr-1", &[Role::HrAdmin]).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64;
    let month = 30 * 24 * 3600;
    // Python requisitions open at a rising rate over the last six months.
    let mut n = 0;
    for k in 0..6_i64 {
        for _ in 0..=k {
            n += 1;
            let opened = now - (5 - k) * month;
            let req = pb::RecordRequisitionRequest {
                requisition_id: format!("req-{n}"),
                skill_ids: vec!["it.python".into()],
                opened_at: Some(prost_types::Timestamp { seconds: opened, nanos: 0 }),
                closed_at: Some(prost_types::Timestamp { seconds: opened + 3600, nanos: 0 }),
            };
            hr.record_requisition(req).await.expect("requisition");
        }
    }
    let bad = pb::RecordRequisitionRequest {
        requisition_id: "req-x".into(),
        skill_ids: vec!["it.nope".into()],
        ..Default::default()
    };
    assert_eq!(field_violations(&hr.record_requisition(bad).await.expect_err("bad")), ["skill_ids[0]", "opened_at"]);
    let next = {
        let f = hr.get_demand_forecast(pb::GetDemandForecastRequest::default()).await.expect("forecast").into_inner();
        let first = f.from_month.clone();
        let (y, m) = first.split_once('-').expect("YYYY-MM");
        let idx = y.parse::<i32>().expect("year") * 12 + m.parse::<i32>().expect("month") - 1 + 12;
        format!("{:04}-{:02}", idx / 12, idx % 12 + 1)
    };
    let plan = pb::RecordHiringPlanRequest {
        plan_id: "plan-2027".into(),
        month: next,
        items: vec![pb::HiringPlanItem { skill_id: "logistics.forklift".into(), headcount: 3 }],
    };
    hr.record_hiring_plan(plan).await.expect("plan");
    let bad_month = pb::RecordHiringPlanRequest { plan_id: "p".into(), month: "2027-13".into(), items: vec![] };
    assert_eq!(field_violations(&hr.record_hiring_plan(bad_month).await.expect_err("bad")), ["month", "items"]);
    let request = pb::GetDemandForecastRequest { horizon_months: 3, history_months: 6, locale: "nl".into(), limit: 10 };
    let forecast = hr.get_demand_forecast(request).await.expect("forecast").into_inner();
    let python = forecast.skills.iter().find(|d| d.skill.as_ref().is_some_and(|s| s.skill_id == "it.python"));
    let python = python.expect("python demand");
    assert_eq!(python.direction, "rising", "{python:?}");
    assert_eq!(python.forecast.len(), 3);
    let forklift =
        forecast.skills.iter().find(|d| d.skill.as_ref().is_some_and(|s| s.skill_id == "logistics.forklift"));
    assert_eq!(forklift.map(|f| f.planned_hires), Some(3));
    assert!(
        forecast.report.contains("Prognose vraag naar vaardigheden") && forecast.report.contains("stijgend"),
        "{}",
        forecast.report
    );
    let mut employee = skills(&app, "emp-1", &[Role::Employee]).await;
    let denied = employee.get_demand_forecast(pb::GetDemandForecastRequest::default()).await.expect_err("hr only");
    assert_eq!(denied.code(), Code::PermissionDenied);
    app.stop().await;
}

/// The full ESCO classification imported into a running service's database is picked up,
/// usable as roles and in extraction, and attributed.
async fn esco_classification_in_a_running_service(mode: RunMode) {
    let dir = hrmesh_skills::esco::default_dir().expect("ESCO data (set HRMESH_ESCO_DIR to ../shared/data/esco)");
    let app = TestApp::spawn(mode).await;
    let db = Database::connect(&app.config, hrmesh_skills::NAME).await.expect("skills database");
    hrmesh_skills::esco::import(&db, &dir).await.expect("import");
    db.close().await;
    let mut client = skills(&app, "hr-1", &[Role::HrAdmin]).await;
    let info = eventually("the service loads the import", Duration::from_secs(90), || {
        let mut client = client.clone();
        async move {
            let info = client.get_taxonomy_info(pb::GetTaxonomyInfoRequest {}).await.ok()?.into_inner();
            (info.esco_skills > 13_000).then_some(info)
        }
    })
    .await;
    assert_eq!(info.attribution, "This service uses the ESCO classification of the European Commission.");
    assert!(info.occupations >= 3000, "{info:?}");
    // An ESCO occupation is usable as a role.
    let director = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34";
    let role = client.get_role(pb::GetRoleRequest { role_id: director.into(), ..Default::default() }).await;
    let role = role.expect("ESCO occupation as a role").into_inner();
    assert_eq!((role.origin.as_str(), role.title.as_str()), ("esco", "technical director"));
    assert!(role.requirements.iter().any(|r| r.essential) && role.attribution == info.attribution, "{role:?}");
    let text = "Experienced in welding and in managing musical staff.";
    let extracted = client.extract_skills(pb::ExtractSkillsRequest { text: text.into(), ..Default::default() }).await;
    let extracted = extracted.expect("extract").into_inner();
    assert_eq!(extracted.attribution, info.attribution);
    assert!(extracted.skills.iter().any(|s| s.skill.as_ref().is_some_and(|s| s.origin == "esco")), "{extracted:?}");
    app.stop().await;
}

both_modes!(
    profiles_keep_every_source_history_and_consent_gated_inference,
    extraction_search_and_the_competence_graph_over_the_api,
    gap_analysis_transfer_candidates_and_team_plans,
    course_catalogue_and_learning_paths,
    demand_forecast_from_requisitions_and_hiring_plans,
    esco_classification_in_a_running_service,
);
