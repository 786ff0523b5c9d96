//! Recruiting end to end: jobs from fields and from an advertisement, CV intake, explainable
//! blind matching and consent-gated shortlists, outreach approved by a person, human decisions
//! logged with governance and explained to the candidate, funnel figures and the predictive fit
//! model's threshold.

use hrmesh_kit::auth::Role;
use hrmesh_proto::people::v1::{
    GetEmployeeRequest, ListPendingHiresRequest, UpsertEmployeeRequest, people_service_client::PeopleServiceClient,
};
use hrmesh_proto::{
    governance::v1::{ListDecisionsRequest, governance_service_client::GovernanceServiceClient},
    recruiting::v1::{self as pb, recruiting_service_client::RecruitingServiceClient},
};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    flow::audit_trail,
    governance::{field_violations, grant},
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually, org_chart},
};

type Recruiting = RecruitingServiceClient<InterceptedService<Channel, Bearer>>;

async fn recruiting(app: &TestApp, subject: &str, roles: &[Role]) -> Recruiting {
    RecruitingServiceClient::new(app.authed("recruiting", subject, roles).await)
}

fn skill(id: &str) -> pb::SkillRequirement {
    pb::SkillRequirement { skill_id: id.into(), level: 3, inferred: false }
}

fn welder_job(id: &str) -> pb::CreateJobRequest {
    pb::CreateJobRequest {
        job_id: id.into(),
        title: "MIG/MAG-lasser".into(),
        must: vec![skill("trades.mig_mag_welding"), skill("safety.vca")],
        nice: vec![skill("logistics.forklift")],
        languages: vec![pb::LanguageRequirement { language: "nl".into(), level: "B1".into() }],
        min_years_experience: 3,
        education: "vocational".into(),
        location: "Tilburg".into(),
        hours_per_week: 40,
        ad_text: String::new(),
        hiring_manager_id: String::new(),
    }
}

/// A plain-text CV; `personal` lines vary only what matching must not see.
fn cv(personal: &str, body: &str) -> Vec<u8> {
    format!("{personal}\n\n{body}").into_bytes()
}

const STRONG: &str = "Profiel\nErvaren lasser.\n\nWerkervaring\n2016 - heden: MIG/MAG-lasser, Staalbouw Brabant BV\n\
                      Ik las met MIG/MAG en heb een VCA-certificaat. Heftruckcertificaat aanwezig.\n\n\
                      Opleiding\nMBO Metaal, 2015\n\nTalen\nNederlands: moedertaal";
const RELATED: &str = "Profiel\nLasser.\n\nWerkervaring\n2018 - heden: TIG-lasser, RVS Techniek\n\
                       TIG-lassen van RVS en elektrodelassen. VCA-certificaat.\n\nOpleiding\nMBO Metaal, 2017\n\n\
                       Talen\nNederlands: moedertaal";
const OFFICE: &str = "Profiel\nBoekhouder.\n\nWerkervaring\n2015 - heden: boekhouder, Kantoor BV\nExact Online en AFAS.\n\n\
                      Opleiding\nHBO Accountancy, 2014\n\nTalen\nNederlands: moedertaal";

async fn apply(hr: &mut Recruiting, candidate: &str, job: &str, content: Vec<u8>) -> String {
    let submitted = pb::SubmitCvRequest { candidate_id: candidate.into(), filename: "cv.txt".into(), content };
    hr.submit_cv(submitted).await.unwrap_or_else(|e| panic!("cv of {candidate}: {e}"));
    let application = pb::SubmitApplicationRequest {
        candidate_id: candidate.into(),
        job_id: job.into(),
        full_name: format!("Kandidaat {candidate}"),
        email: format!("{candidate}@example.org"),
        source: "website".into(),
        idempotency_key: String::new(),
    };
    hr.submit_application(application).await.expect("apply").into_inner().application.expect("stored").application_id
}

async fn jobs_from_fields_and_from_an_advertisement(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    let job = hr.create_job(welder_job("job-1")).await.expect("job").into_inner();
    assert_eq!(job.must.len(), 2);
    assert!(!job.extracted);
    assert_eq!(hr.create_job(welder_job("job-1")).await.expect_err("twice").code(), Code::AlreadyExists);
    let mut bad = welder_job("job-2");
    bad.must[0].skill_id = "trades.underwater_basket_weaving".into();
    bad.languages[0].level = "fluent".into();
    let status = hr.create_job(bad).await.expect_err("bad fields");
    assert_eq!(field_violations(&status), ["languages[0].level"]);
    let mut unknown = welder_job("job-2");
    unknown.must[0].skill_id = "trades.underwater_basket_weaving".into();
    let status = hr.create_job(unknown).await.expect_err("unknown skill");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("trades.underwater_basket_weaving"), "{}", status.message());

    let ad = pb::CreateJobRequest {
        job_id: "job-ad".into(),
        title: "Lasser".into(),
        ad_text: "Wij zoeken een ervaren MIG/MAG-lasser met VCA. Een heftruckcertificaat is een pre. \
                  Je spreekt goed Nederlands."
            .into(),
        ..Default::default()
    };
    let extracted = hr.create_job(ad).await.expect("job from ad").into_inner();
    let must: Vec<&str> = extracted.must.iter().map(|s| s.skill_id.as_str()).collect();
    let nice: Vec<&str> = extracted.nice.iter().map(|s| s.skill_id.as_str()).collect();
    assert!(extracted.extracted);
    assert!(must.contains(&"trades.mig_mag_welding") && must.contains(&"safety.vca"), "{must:?}");
    // Named nice-to-haves, then what the ad implies (marked inferred, a low level, never a must).
    let named_nice: Vec<&str> = extracted.nice.iter().filter(|s| !s.inferred).map(|s| s.skill_id.as_str()).collect();
    assert_eq!(named_nice, ["logistics.forklift"], "{nice:?}");
    assert!(extracted.nice.iter().filter(|s| s.inferred).all(|s| s.level == 2));
    assert!(extracted.must.iter().all(|s| !s.inferred));
    assert!(extracted.languages.iter().any(|l| l.language == "nl"), "{:?}", extracted.languages);
    let empty = pb::CreateJobRequest { job_id: "job-3".into(), title: "Iets".into(), ..Default::default() };
    assert_eq!(field_violations(&hr.create_job(empty).await.expect_err("no requirements")), ["must"]);
    let mut manager = recruiting(&app, "mgr-1", &[Role::Manager]).await;
    let fetched = manager.get_job(pb::GetJobRequest { job_id: "job-ad".into() }).await.expect("get").into_inner();
    assert_eq!(fetched.must, extracted.must);
    app.stop().await;
}

async fn hiring_managers_see_only_their_jobs(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("director", ""), ("mgr-1", "director"), ("mgr-2", "director")]).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    let job = pb::CreateJobRequest { hiring_manager_id: "mgr-1".into(), ..welder_job("job-1") };
    assert_eq!(hr.create_job(job).await.expect("job").into_inner().hiring_manager_id, "mgr-1");
    let shortlist = || pb::GetShortlistRequest { job_id: "job-1".into(), ..Default::default() };
    let funnel = || pb::GetFunnelRequest { job_id: "job-1".into() };
    for (manager, allowed) in [("mgr-1", true), ("director", true), ("mgr-2", false)] {
        let mut client = recruiting(&app, manager, &[Role::Manager]).await;
        let answer = client.get_shortlist(shortlist()).await;
        assert_eq!(answer.is_ok(), allowed, "{manager}: {answer:?}");
        if !allowed {
            assert_eq!(answer.expect_err("refused").code(), Code::PermissionDenied);
        }
        assert_eq!(client.get_funnel(funnel()).await.is_ok(), allowed, "{manager}");
    }
    // The company-wide funnel is HR's.
    let mut lead = recruiting(&app, "mgr-1", &[Role::Manager]).await;
    let all = lead.get_funnel(pb::GetFunnelRequest::default()).await.expect_err("company-wide");
    assert_eq!(all.code(), Code::PermissionDenied);
    app.stop().await;
}

async fn shortlists_are_explained_blind_and_consent_gated(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    hr.create_job(welder_job("job-1")).await.expect("job");
    // The same CV under two identities: only what matching must ignore differs.
    let twins = [
        (
            "cand-a",
            "Jan de Vries\njan@example.org\nKerkstraat 1, Tilburg\nGeboren 12-03-1980, man, Nederlandse nationaliteit",
        ),
        (
            "cand-b",
            "Aylin Yılmaz\naylin@example.org\nMarktplein 9, Rotterdam\nGeboren 02-11-1996, vrouw, Turkse nationaliteit",
        ),
    ];
    for (candidate, personal) in twins {
        apply(&mut hr, candidate, "job-1", cv(personal, STRONG)).await;
        grant(&app, candidate, "recruiting.screening").await;
    }
    apply(&mut hr, "cand-related", "job-1", cv("Piet Jansen", RELATED)).await;
    grant(&app, "cand-related", "recruiting.screening").await;
    apply(&mut hr, "cand-office", "job-1", cv("Els Bakker", OFFICE)).await;
    grant(&app, "cand-office", "recruiting.screening").await;
    apply(&mut hr, "cand-no-consent", "job-1", cv("Kees Smit", STRONG)).await;

    let request = pb::GetShortlistRequest { job_id: "job-1".into(), limit: 10, locale: "en".into() };
    let shortlist = hr.get_shortlist(request).await.expect("shortlist").into_inner();
    let order: Vec<&str> = shortlist.candidates.iter().map(|c| c.candidate_id.as_str()).collect();
    assert_eq!(order.len(), 4, "{order:?}");
    let score = |id: &str| shortlist.candidates.iter().find(|c| c.candidate_id == id).map(|c| c.score).expect(id);
    assert_eq!(score("cand-a"), score("cand-b"), "name, address, age, gender and nationality change nothing");
    assert!(score("cand-b") > score("cand-related") && score("cand-related") > score("cand-office"), "{order:?}");
    let related = shortlist.candidates.iter().find(|c| c.candidate_id == "cand-related").expect("related");
    let mig = related.requirements.iter().find(|r| r.kind == "skill" && r.status == "inferred");
    assert!(
        mig.is_some_and(|r| r.explanation.contains("TIG")),
        "hidden qualification explained: {:?}",
        related.requirements
    );
    assert!(related.explanation.contains("Inferred from related skills"), "{}", related.explanation);
    let office = shortlist.candidates.iter().find(|c| c.candidate_id == "cand-office").expect("office");
    assert!(office.explanation.contains("Missing"), "{}", office.explanation);
    assert_eq!(shortlist.manual_review.len(), 1);
    assert_eq!(shortlist.manual_review[0].candidate_id, "cand-no-consent");
    assert!(
        shortlist.manual_review[0].reason.contains("recruiting.screening"),
        "{}",
        shortlist.manual_review[0].reason
    );
    assert!(shortlist.candidates.iter().all(|c| c.predicted_fit < 0.0), "no fit model without outcomes");

    let mut gov = GovernanceServiceClient::new(app.authed("governance", "dpo-1", &[Role::Dpo]).await);
    let logged =
        gov.list_decisions(ListDecisionsRequest { subject: "cand-a".into() }).await.expect("decisions").into_inner();
    assert!(
        logged.decisions.iter().any(|d| d.model_id == "hrmesh-matching" && d.output.starts_with("recommended")),
        "{logged:?}"
    );

    for (content, code) in [(Vec::new(), "CV_EMPTY"), (vec![0x25, 0x50, 0x44, 0x46, 0x2d, 0x00, 0x13], "CV_CORRUPT")] {
        let request = pb::SubmitCvRequest { candidate_id: "cand-x".into(), filename: "cv.pdf".into(), content };
        let status = hr.submit_cv(request).await.expect_err("bad file");
        assert_eq!(status.code(), Code::InvalidArgument);
        assert!(status.message().contains(code), "{}", status.message());
    }
    let missing = hr.get_candidate_profile(pb::GetCandidateProfileRequest { candidate_id: "cand-x".into() }).await;
    assert_eq!(missing.expect_err("nothing stored").code(), Code::NotFound);
    let mut candidate = recruiting(&app, "cand-a", &[Role::Candidate]).await;
    let own = candidate.get_candidate_profile(pb::GetCandidateProfileRequest { candidate_id: "cand-a".into() }).await;
    let own = own.expect("own profile").into_inner();
    assert_eq!(own.contact.map(|c| c.email), Some("jan@example.org".to_owned()));
    assert!(
        own.skills.iter().any(|s| s.skill_id == "trades.mig_mag_welding" && !s.evidence.is_empty()),
        "{:?}",
        own.skills
    );
    let other = candidate.get_candidate_profile(pb::GetCandidateProfileRequest { candidate_id: "cand-b".into() }).await;
    assert_eq!(other.expect_err("not own").code(), Code::PermissionDenied);
    // Everyone's CV again with other personal details (a photo reference, another name, age,
    // gender, nationality, address): the ranking and every score stay the same.
    let others = [
        ("cand-a", STRONG, "Maria Rossi\nFoto: pasfoto.jpg\nViale Roma 3, Milaan\n62 jaar, vrouw, Italiaanse"),
        ("cand-b", STRONG, "Jan Jansen\nFoto: portret.png\nDorpsweg 8, Assen\n19 jaar, man, Nederlandse"),
        ("cand-related", RELATED, "Olu Adeyemi\n45 jaar, Nigeriaanse, Amsterdam"),
        ("cand-office", OFFICE, "Zeynep Demir\n23 jaar, vrouw, Turkse, Utrecht"),
    ];
    for (candidate, body, personal) in others {
        let request = pb::SubmitCvRequest {
            candidate_id: candidate.into(),
            filename: "cv.txt".into(),
            content: cv(personal, body),
        };
        hr.submit_cv(request).await.expect("replacement CV");
    }
    let request = pb::GetShortlistRequest { job_id: "job-1".into(), limit: 10, locale: "en".into() };
    let again = hr.get_shortlist(request).await.expect("shortlist again").into_inner();
    let ranked = |s: &pb::Shortlist| s.candidates.iter().map(|c| (c.candidate_id.clone(), c.score)).collect::<Vec<_>>();
    let (before, after) = (ranked(&shortlist), ranked(&again));
    let same_order = |v: &[(String, f64)]| v.iter().map(|(_, s)| (s * 1e9).round() as i64).collect::<Vec<_>>();
    assert_eq!(same_order(&before), same_order(&after), "{before:?} vs {after:?}");
    let ids = |v: &[(String, f64)]| v.iter().map(|(id, _)| id.clone()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(ids(&before), ids(&after));
    for (id, score) in &before {
        assert_eq!(after.iter().find(|(a, _)| a == id).map(|(_, s)| *s), Some(*score), "{id}");
    }
    app.stop().await;
}

async fn outreach_needs_consent_and_a_person_to_approve(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    hr.create_job(welder_job("job-1")).await.expect("job");
    let personal = "Fatima el Amrani\nfatima@example.org";
    hr.submit_cv(pb::SubmitCvRequest {
        candidate_id: "cand-f".into(),
        filename: "cv.txt".into(),
        content: cv(personal, STRONG),
    })
    .await
    .expect("cv");
    let draft_request = pb::DraftOutreachRequest { candidate_id: "cand-f".into(), job_id: "job-1".into() };
    let refused = hr.draft_outreach(draft_request.clone()).await.expect_err("no consent");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    grant(&app, "cand-f", "recruiting.outreach").await;
    let draft = hr.draft_outreach(draft_request).await.expect("draft").into_inner();
    assert_eq!((draft.language.as_str(), draft.status.as_str()), ("nl", "draft"));
    assert!(draft.body.contains("MIG/MAG-lassen"), "cites the real matching skills: {}", draft.body);
    assert!(draft.cited_skills.iter().all(|s| draft.body.contains(s.as_str())));
    let mut service = recruiting(&app, hrmesh_kit::peers::SERVICE_SUBJECT, &[Role::HrAdmin, Role::Service]).await;
    let approve = pb::ApproveOutreachRequest { draft_id: draft.draft_id.clone(), body: String::new() };
    let by_machine = service.approve_outreach(approve.clone()).await.expect_err("a person approves");
    assert_eq!(by_machine.code(), Code::PermissionDenied);
    let edited =
        pb::ApproveOutreachRequest { body: format!("{}\n\nPS: graag tot ziens!", draft.body), ..approve.clone() };
    let sent = hr.approve_outreach(edited).await.expect("approve").into_inner();
    assert_eq!((sent.status.as_str(), sent.approved_by.as_str()), ("sent", "hr-1"));
    assert!(sent.body.ends_with("graag tot ziens!"));
    assert_eq!(hr.approve_outreach(approve).await.expect_err("sent once").code(), Code::FailedPrecondition);
    eventually("the send is an event governance forwards", PATIENCE, || async {
        audit_trail(&app)
            .await
            .iter()
            .any(|r| r.action == "event.forwarded" && r.purpose == "recruiting.outreach")
            .then_some(())
    })
    .await;
    app.stop().await;
}

async fn human_decisions_are_logged_explained_and_counted(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    hr.create_job(welder_job("job-1")).await.expect("job");
    let hired = apply(&mut hr, "cand-h", "job-1", cv("Hanna", STRONG)).await;
    grant(&app, "cand-h", "recruiting.screening").await;
    let rejected = apply(&mut hr, "cand-r", "job-1", cv("Rob", OFFICE)).await;
    let stage = |id: &str, stage: &str, rationale: &str| pb::ChangeStageRequest {
        application_id: id.into(),
        stage: stage.into(),
        rationale: rationale.into(),
    };
    for s in ["screened", "interview", "offer", "hired"] {
        let moved = hr.change_stage(stage(&hired, s, "")).await.unwrap_or_else(|e| panic!("{s}: {e}")).into_inner();
        assert_eq!(moved.stage, s);
    }
    // The hire filled the requisition: skill demand, fed by the governed events (JobOpened,
    // then StageChanged to hired), no longer counts it as open.
    let skills = hrmesh_proto::skills::v1::skills_service_client::SkillsServiceClient::new(
        app.authed("skills", "hr-1", &[Role::HrAdmin]).await,
    );
    eventually("the filled requisition in skill demand", PATIENCE, || {
        let mut skills = skills.clone();
        async move {
            let forecast = skills
                .get_demand_forecast(hrmesh_proto::skills::v1::GetDemandForecastRequest::default())
                .await
                .ok()?
                .into_inner();
            let welding = forecast
                .skills
                .iter()
                .find(|d| d.skill.as_ref().is_some_and(|s| s.skill_id == "trades.mig_mag_welding"))?;
            (welding.open_requisitions == 0).then_some(())
        }
    })
    .await;
    // The hire reaches the people service through the governed stream as a pending hire, which
    // HR completes into a pre-boarding employee.
    let mut people = PeopleServiceClient::new(app.authed("people", "hr-1", &[Role::HrAdmin]).await);
    let pending = eventually("the hire in people", PATIENCE, || {
        let mut people = people.clone();
        let hired = hired.clone();
        async move {
            let hires = people.list_pending_hires(ListPendingHiresRequest {}).await.ok()?.into_inner().hires;
            hires.into_iter().find(|h| h.application_id == hired)
        }
    })
    .await;
    assert_eq!((pending.job_id.as_str(), pending.job_title.as_str()), ("job-1", "MIG/MAG-lasser"));
    let employee = |id: &str| UpsertEmployeeRequest {
        employee_id: id.into(),
        full_name: "Hanna".into(),
        work_email: format!("{id}@acme.example"),
        work_country: "NL".into(),
        job_title: pending.job_title.clone(),
        application_id: hired.clone(),
        ..Default::default()
    };
    let hanna = people.upsert_employee(employee("emp-hanna")).await.expect("complete the hire").into_inner();
    assert_eq!(hanna.status, "preboarding");
    // With her consent, her CV's skills become inferred skills on her employee profile.
    assert_eq!(
        people
            .get_employee(GetEmployeeRequest { employee_id: "emp-hanna".into() })
            .await
            .expect("read")
            .into_inner()
            .application_id,
        hired
    );
    let mut own_skills = hrmesh_proto::skills::v1::skills_service_client::SkillsServiceClient::new(
        app.authed("skills", "emp-hanna", &[Role::Employee]).await,
    );
    let carry =
        || hrmesh_proto::skills::v1::CarryOverCvSkillsRequest { employee_id: "emp-hanna".into(), locale: "nl".into() };
    let refused = own_skills.carry_over_cv_skills(carry()).await.expect_err("no consent yet");
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");
    grant(&app, "emp-hanna", "skills.inference").await;
    let carried = own_skills.carry_over_cv_skills(carry()).await.expect("carried over").into_inner();
    assert!(carried.skill_ids.iter().any(|id| id == "trades.mig_mag_welding"), "{carried:?}");
    let profile = carried.profile.expect("profile").skills;
    let welding = profile.iter().find(|s| s.skill.as_ref().is_some_and(|r| r.skill_id == "trades.mig_mag_welding"));
    let welding = welding.expect("on the profile");
    assert!(welding.inferred > 0 && welding.declared_self == 0 && welding.evidence_source == "cv", "{welding:?}");
    let twice = people.upsert_employee(employee("emp-other")).await.expect_err("completed already");
    assert_eq!(twice.code(), Code::FailedPrecondition);
    let no_reason = hr.change_stage(stage(&rejected, "rejected", "")).await.expect_err("rationale required");
    assert_eq!(field_violations(&no_reason), ["rationale"]);
    let back = hr.change_stage(stage(&hired, "interview", "")).await.expect_err("final");
    assert_eq!(back.code(), Code::FailedPrecondition);
    let reason = "Geen laservaring; de functie vraagt MIG/MAG-lassen op niveau 3";
    hr.change_stage(stage(&rejected, "rejected", reason)).await.expect("reject with rationale");

    let mut gov = GovernanceServiceClient::new(app.authed("governance", "dpo-1", &[Role::Dpo]).await);
    let decisions = gov
        .list_decisions(ListDecisionsRequest { subject: "cand-r".into() })
        .await
        .expect("log")
        .into_inner()
        .decisions;
    let rejection = decisions.iter().find(|d| d.output == "rejected").expect("rejection logged");
    assert_eq!(
        (rejection.reviewer.as_str(), rejection.rationale.as_str(), rejection.stage.as_str()),
        ("hr-1", reason, "screening")
    );
    assert!(rejection.legal_effect);

    let mut candidate = recruiting(&app, "cand-r", &[Role::Candidate]).await;
    let request = pb::ExplainDecisionRequest { application_id: rejected.clone(), locale: "nl".into() };
    let explained = candidate.explain_decision(request).await.expect("explanation").into_inner();
    assert_eq!(explained.stage, "rejected");
    assert!(explained.text.contains(reason) && explained.text.contains("Een mens heeft beslist"), "{}", explained.text);
    assert!(explained.text.contains("geen automatische beoordeling"), "no consent, no score: {}", explained.text);
    assert_eq!(explained.decision_ids, std::slice::from_ref(&rejection.decision_id));
    let request = pb::ExplainDecisionRequest { application_id: hired.clone(), locale: "de".into() };
    assert_eq!(candidate.explain_decision(request).await.expect_err("not own").code(), Code::PermissionDenied);

    let funnel = hr.get_funnel(pb::GetFunnelRequest { job_id: "job-1".into() }).await.expect("funnel").into_inner();
    // Two applicants: every figure describes fewer than 5 people and is withheld, saying why.
    let reached: Vec<u32> = funnel.stages.iter().map(|s| s.reached).collect();
    assert_eq!(reached, [0, 0, 0, 0, 0]);
    assert!(funnel.stages.iter().all(|s| s.withheld.contains("5")), "{:?}", funnel.stages);
    assert_eq!((funnel.hires, funnel.hires_withheld.is_empty()), (0, false));
    assert_eq!(funnel.sources[0].source, "website");
    assert_eq!((funnel.sources[0].applications, funnel.sources[0].withheld.is_empty()), (0, false));

    let not_hired = pb::RecordOutcomeRequest { application_id: rejected, outcome: "probation_passed".into() };
    assert_eq!(hr.record_outcome(not_hired).await.expect_err("not hired").code(), Code::FailedPrecondition);
    hr.record_outcome(pb::RecordOutcomeRequest { application_id: hired, outcome: "probation_passed".into() })
        .await
        .expect("outcome");
    let model = hr.get_fit_model(pb::GetFitModelRequest {}).await.expect("model").into_inner();
    assert!(!model.available);
    assert!(model.reason.contains("1 outcomes recorded") && model.reason.contains("at least 30"), "{}", model.reason);
    app.stop().await;
}

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../services/recruiting/tests/fixtures/cv/");
    std::fs::read(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn cv_intake_reads_pdf_and_docx_and_refuses_unreadable_files(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = recruiting(&app, "hr-1", &[Role::HrAdmin]).await;
    for (candidate, file) in
        [("cand-pdf", "fatima_nl.pdf"), ("cand-docx", "fatima_nl.docx"), ("cand-de", "jonas_de.docx")]
    {
        let request =
            pb::SubmitCvRequest { candidate_id: candidate.into(), filename: file.into(), content: fixture(file) };
        let profile = hr.submit_cv(request).await.unwrap_or_else(|e| panic!("{file}: {e}")).into_inner();
        assert_eq!(profile.format, file.rsplit('.').next().unwrap_or_default(), "{file}");
        assert!(!profile.work.is_empty() && profile.experience_months > 0, "{file}: {profile:?}");
        assert!(!profile.skills.is_empty(), "{file}: skills found with evidence");
    }
    let pdf = hr.get_candidate_profile(pb::GetCandidateProfileRequest { candidate_id: "cand-pdf".into() }).await;
    let pdf = pdf.expect("stored").into_inner();
    assert_eq!(pdf.contact.as_ref().map(|c| c.email.as_str()), Some("fatima@example.org"));
    assert_eq!(pdf.language, "nl");
    assert!(pdf.skills.iter().any(|s| s.skill_id == "trades.mig_mag_welding"), "{:?}", pdf.skills);
    let big = vec![b'a'; 10 * 1024 * 1024 + 1];
    for (file, content, code) in [
        ("scanned.pdf", fixture("scanned.pdf"), "CV_SCANNED_IMAGE"),
        ("protected.pdf", fixture("protected.pdf"), "CV_PASSWORD_PROTECTED"),
        ("empty.txt", fixture("empty.txt"), "CV_EMPTY"),
        ("half.docx", fixture("fatima_nl.docx")[..10_000].to_vec(), "CV_CORRUPT"),
        ("huge.txt", big, "CV_TOO_LARGE"),
    ] {
        let request = pb::SubmitCvRequest { candidate_id: "cand-bad".into(), filename: file.into(), content };
        let status = hr.submit_cv(request).await.expect_err(file);
        assert_eq!(status.code(), Code::InvalidArgument, "{file}");
        assert!(status.message().contains(code), "{file}: {}", status.message());
    }
    let none = hr.get_candidate_profile(pb::GetCandidateProfileRequest { candidate_id: "cand-bad".into() }).await;
    assert_eq!(none.expect_err("nothing stored from a refused file").code(), Code::NotFound);
    app.stop().await;
}

both_modes!(
    cv_intake_reads_pdf_and_docx_and_refuses_unreadable_files,
    jobs_from_fields_and_from_an_advertisement,
    shortlists_are_explained_blind_and_consent_gated,
    outreach_needs_consent_and_a_person_to_approve,
    human_decisions_are_logged_explained_and_counted,
    hiring_managers_see_only_their_jobs,
);
