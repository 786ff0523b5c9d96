//! Performance end to end: feedback read by the recipient's line and refused to a manager of
//! another team (audited), 360° cycles whose peer answers show only from three raters, review
//! drafts that cite evidence in every sentence and reach the employee only once approved (the
//! outcome logged in governance as a human decision), biased wording flagged with its words,
//! rating gaps between reported groups flagged with small groups withheld — in both modes.

use std::collections::HashMap;

use hrmesh_kit::auth::Role;
use hrmesh_proto::{
    governance::v1::{
        GetErasureReportRequest, ListDecisionsRequest, ReportGroupAttributesRequest, RequestAccessRequest,
        RequestErasureRequest, governance_service_client::GovernanceServiceClient,
    },
    performance::v1::{
        AddAgendaItemRequest, Answer, ApproveReviewRequest, CheckBiasRequest, CheckInGoalRequest,
        DecideNominationRequest, DraftReviewRequest, EditReviewRequest, GetCycleResultsRequest, GetModelCardsRequest,
        GetPersonTrendRequest, GetRatingGapsRequest, GetReviewRequest, GetTeamTrendRequest, ListAgendaRequest,
        ListFeedbackRequest, ListReviewsRequest, NominateRaterRequest, OpenCycleRequest, RecordFeedbackRequest,
        RequestFeedbackRequest, SendRemindersRequest, SetGoalRequest, SubmitAnswersRequest,
        performance_service_client::PerformanceServiceClient,
    },
};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    flow::audit_trail,
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually, org_chart},
};

type Performance = PerformanceServiceClient<InterceptedService<Channel, Bearer>>;

async fn performance(app: &TestApp, subject: &str, roles: &[Role]) -> Performance {
    PerformanceServiceClient::new(app.authed("performance", subject, roles).await)
}

async fn manager(app: &TestApp, subject: &str) -> Performance {
    performance(app, subject, &[Role::Manager, Role::Employee]).await
}

async fn employee(app: &TestApp, subject: &str) -> Performance {
    performance(app, subject, &[Role::Employee]).await
}

async fn give(app: &TestApp, author: &str, about: &str, kind: &str, text: &str) -> String {
    let req = RecordFeedbackRequest {
        employee_id: about.into(),
        author_id: author.into(),
        text: text.into(),
        kind: kind.into(),
        ..Default::default()
    };
    employee(app, author).await.record_feedback(req).await.expect("feedback").into_inner().feedback_id
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn day(offset: i64) -> String {
    hrmesh_kit::time::format_date(today() + time::Duration::days(offset))
}

async fn feedback_is_read_by_the_line_and_refused_to_another_team(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("mgr-a", ""), ("emp-a1", "mgr-a"), ("emp-a2", "mgr-a"), ("mgr-b", ""), ("emp-b1", "mgr-b")])
        .await;
    let given = give(&app, "emp-a2", "emp-a1", "praise", "Thanks for pairing on the login bug on Tuesday.").await;
    let note = give(&app, "mgr-a", "emp-a1", "private_note", "Ask about the training budget.").await;

    let list = |reader: Performance| async move {
        let mut reader = reader;
        let req = ListFeedbackRequest { employee_id: "emp-a1".into(), ..Default::default() };
        reader
            .list_feedback(req)
            .await
            .map(|r| r.into_inner().feedback.into_iter().map(|f| f.feedback_id).collect::<Vec<_>>())
    };
    let by_manager = list(manager(&app, "mgr-a").await).await.expect("own line");
    assert!(by_manager.contains(&given) && by_manager.contains(&note), "{by_manager:?}");
    let by_recipient = list(employee(&app, "emp-a1").await).await.expect("own feedback");
    assert_eq!(by_recipient, vec![given.clone()], "a private note stays with its author");
    let by_hr = list(performance(&app, "hr-1", &[Role::HrAdmin]).await).await.expect("HR");
    assert_eq!(by_hr, vec![given.clone()]);
    let refused = list(manager(&app, "mgr-b").await).await.expect_err("another team");
    assert_eq!(refused.code(), Code::PermissionDenied);
    let colleague = list(employee(&app, "emp-a2").await).await.expect_err("a colleague reads nothing");
    assert_eq!(colleague.code(), Code::PermissionDenied);

    let mut other = manager(&app, "mgr-b").await;
    let draft = DraftReviewRequest {
        employee_id: "emp-a1".into(),
        period_start: day(-30),
        period_end: day(0),
        ..Default::default()
    };
    assert_eq!(other.draft_review(draft).await.expect_err("not my line").code(), Code::PermissionDenied);

    // Requests, goals and the 1:1 agenda follow the same line.
    let mut own = employee(&app, "emp-a1").await;
    let asked = own
        .request_feedback(RequestFeedbackRequest {
            employee_id: "emp-a1".into(),
            from_ids: vec!["emp-a2".into()],
            topic: "My demo on Friday".into(),
        })
        .await
        .expect("request")
        .into_inner();
    let answer = RecordFeedbackRequest {
        employee_id: "emp-a1".into(),
        author_id: "emp-a2".into(),
        text: "The demo on Friday was clear; show the error cases too.".into(),
        request_id: asked.requests[0].request_id.clone(),
        ..Default::default()
    };
    employee(&app, "emp-a2").await.record_feedback(answer.clone()).await.expect("answer");
    let again = employee(&app, "emp-a2").await.record_feedback(answer).await.expect_err("answered");
    assert_eq!(again.code(), Code::FailedPrecondition);
    let goal = own
        .set_goal(SetGoalRequest {
            employee_id: "emp-a1".into(),
            title: "Ship the SSO login".into(),
            ..Default::default()
        })
        .await
        .expect("goal")
        .into_inner();
    let mut line = manager(&app, "mgr-a").await;
    let checked = line
        .check_in_goal(CheckInGoalRequest { goal_id: goal.goal_id.clone(), progress: 40, note: "Design done".into() })
        .await
        .expect("check-in")
        .into_inner();
    assert_eq!((checked.progress, checked.check_ins[0].note.as_str()), (40, "Design done"));
    let refused = other
        .check_in_goal(CheckInGoalRequest { goal_id: goal.goal_id, progress: 90, note: String::new() })
        .await
        .expect_err("another team");
    assert_eq!(refused.code(), Code::PermissionDenied);
    line.add_agenda_item(AddAgendaItemRequest {
        employee_id: "emp-a1".into(),
        text: "Training budget".into(),
        ..Default::default()
    })
    .await
    .expect("agenda");
    let agenda = own
        .list_agenda(ListAgendaRequest { employee_id: "emp-a1".into(), include_closed: false })
        .await
        .expect("agenda");
    assert_eq!(agenda.into_inner().items[0].text, "Training budget");

    eventually("the refusals are in the audit trail", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        let denied =
            trail.iter().filter(|r| r.action == "access.denied" && r.detail.contains("PerformanceService")).count();
        (denied >= 4).then_some(())
    })
    .await;
    app.stop().await;
}

async fn answer(app: &TestApp, rater: &str, cycle: &str, rating: u32, text: &str) {
    let answers = vec![
        Answer { question_id: "results".into(), rating, text: String::new() },
        Answer { question_id: "collaboration".into(), rating, text: String::new() },
        Answer { question_id: "strengths".into(), rating: 0, text: text.into() },
    ];
    let req = SubmitAnswersRequest { cycle_id: cycle.into(), answers };
    employee(app, rater).await.submit_answers(req).await.expect("answers");
}

/// A cycle for `emp-c1` by `mgr-c` with `peers` peers approved; each answers.
async fn cycle_with_peers(app: &TestApp, peers: &[&str]) -> String {
    let mut mgr = manager(app, "mgr-c").await;
    let open = OpenCycleRequest {
        employee_id: "emp-c1".into(),
        period_start: day(-180),
        period_end: day(0),
        deadline: day(2),
        ..Default::default()
    };
    let cycle = mgr.open_cycle(open).await.expect("open").into_inner().cycle_id;
    let mut own = employee(app, "emp-c1").await;
    for peer in peers {
        let nominate = NominateRaterRequest { cycle_id: cycle.clone(), rater_id: (*peer).into(), kind: "peer".into() };
        let proposed = own.nominate_rater(nominate).await.expect("nominate").into_inner();
        assert!(proposed.raters.iter().any(|r| r.rater_id == *peer && r.status == "proposed"));
        let decide = DecideNominationRequest { cycle_id: cycle.clone(), rater_id: (*peer).into(), approve: true };
        let refused = own.decide_nomination(decide.clone()).await.expect_err("not one's own raters");
        assert_eq!(refused.code(), Code::PermissionDenied);
        mgr.decide_nomination(decide).await.expect("approve");
    }
    let reminded = mgr.send_reminders(SendRemindersRequest { cycle_id: cycle.clone() }).await.expect("remind");
    let reminded = reminded.into_inner().reminded;
    assert!(reminded.contains(&"emp-c1".to_owned()) && reminded.len() == peers.len() + 2, "{reminded:?}");
    for (i, peer) in peers.iter().enumerate() {
        answer(app, peer, &cycle, 4, &format!("Peer {i}: ran the March planning session well")).await;
    }
    answer(app, "mgr-c", &cycle, 3, "Owned the billing release in May").await;
    cycle
}

async fn peer_answers_show_only_from_three_raters(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(
        &app,
        &[("mgr-c", ""), ("emp-c1", "mgr-c"), ("emp-c2", "mgr-c"), ("emp-c3", "mgr-c"), ("emp-c4", "mgr-c")],
    )
    .await;
    let results = |cycle: String| {
        let app = &app;
        async move {
            let mut own = employee(app, "emp-c1").await;
            own.get_cycle_results(GetCycleResultsRequest { cycle_id: cycle, language: "nl".into() })
                .await
                .expect("results")
                .into_inner()
        }
    };
    let two = cycle_with_peers(&app, &["emp-c2", "emp-c3"]).await;
    let shown = results(two).await;
    let peer = shown.groups.iter().find(|g| g.kind == "peer").expect("peer group listed");
    assert_eq!((peer.visibility.as_str(), peer.respondents), ("withheld", 2));
    assert!(peer.questions.is_empty() && peer.reason.contains("Niet getoond"), "{peer:?}");
    let mgr = shown.groups.iter().find(|g| g.kind == "manager").expect("manager");
    assert_eq!((mgr.visibility.as_str(), mgr.rater_id.as_str()), ("attributed", "mgr-c"));
    assert_eq!(mgr.questions[0].mean, 3.0);

    let three = cycle_with_peers(&app, &["emp-c2", "emp-c3", "emp-c4"]).await;
    let shown = results(three.clone()).await;
    let peer = shown.groups.iter().find(|g| g.kind == "peer").expect("peer");
    assert_eq!((peer.visibility.as_str(), peer.respondents), ("shown", 3));
    assert_eq!(peer.questions[0].mean, 4.0);
    let strengths = peer.questions.iter().find(|q| q.question_id == "strengths").expect("open answers");
    assert_eq!(strengths.texts.len(), 3);
    assert!(peer.rater_id.is_empty(), "peers stay anonymous");

    let twice = SubmitAnswersRequest {
        cycle_id: three.clone(),
        answers: vec![Answer { question_id: "results".into(), rating: 1, text: String::new() }],
    };
    let refused = employee(&app, "emp-c2").await.submit_answers(twice).await.expect_err("answered");
    assert_eq!(refused.code(), Code::FailedPrecondition);
    let outsider = SubmitAnswersRequest {
        cycle_id: three,
        answers: vec![Answer { question_id: "results".into(), rating: 1, text: String::new() }],
    };
    let refused = employee(&app, "emp-x").await.submit_answers(outsider).await.expect_err("not a rater");
    assert_eq!(refused.code(), Code::PermissionDenied);
    app.stop().await;
}

async fn drafts_cite_evidence_and_reach_the_employee_only_approved(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("mgr-d", ""), ("emp-d1", "mgr-d"), ("emp-d2", "mgr-d")]).await;
    let praise =
        give(&app, "emp-d2", "emp-d1", "praise", "Great demo of the billing release to the customer on Monday.").await;
    let critical =
        give(&app, "emp-d2", "emp-d1", "feedback", "The migration plan reached the team too late and caused stress.")
            .await;
    let biased = give(&app, "mgr-d", "emp-d1", "feedback", "She is bossy and abrasive in meetings.").await;
    let mut mgr = manager(&app, "mgr-d").await;
    let draft = mgr
        .draft_review(DraftReviewRequest {
            employee_id: "emp-d1".into(),
            period_start: day(-200),
            period_end: day(1),
            language: "en".into(),
        })
        .await
        .expect("draft")
        .into_inner();
    assert!(draft.ai_assisted && draft.status == "draft");
    assert!(draft.sentences.len() >= 4, "{:?}", draft.sentences);
    let evidence = [praise.as_str(), critical.as_str(), biased.as_str()];
    for sentence in &draft.sentences {
        assert!(!sentence.citations.is_empty(), "uncited: {}", sentence.text);
        assert!(sentence.citations.iter().all(|c| evidence.contains(&c.as_str())), "{sentence:?}");
    }
    for id in evidence {
        assert!(draft.sentences.iter().any(|s| s.citations.iter().any(|c| c == id)), "{id} not cited");
    }
    let personality = draft.bias.iter().find(|f| f.check == "personality").expect("the biased review is flagged");
    assert_eq!(personality.words, vec!["bossy".to_owned(), "abrasive".to_owned()]);
    assert!(!personality.explanation.is_empty());

    // The employee cannot see the draft.
    let mut own = employee(&app, "emp-d1").await;
    let hidden = own.get_review(GetReviewRequest { review_id: draft.review_id.clone() }).await.expect_err("draft");
    assert_eq!(hidden.code(), Code::NotFound);
    let listed = own.list_reviews(ListReviewsRequest { employee_id: "emp-d1".into() }).await.expect("list");
    assert!(listed.into_inner().reviews.is_empty());

    // The manager edits: a sentence without evidence is refused; an edit with citations is kept.
    let mut sentences = draft.sentences.clone();
    sentences.retain(|s| !s.citations.contains(&biased));
    let mut uncited = sentences.clone();
    uncited.push(hrmesh_proto::performance::v1::ReviewSentence { text: "A fine year.".into(), ..Default::default() });
    let refused = mgr
        .edit_review(EditReviewRequest { review_id: draft.review_id.clone(), sentences: uncited })
        .await
        .expect_err("uncited");
    assert_eq!(refused.code(), Code::InvalidArgument);
    sentences[0].text = "In the demo on Monday the billing release was shown clearly to the customer.".into();
    sentences[0].citations = vec![praise.clone()];
    let edited = mgr
        .edit_review(EditReviewRequest { review_id: draft.review_id.clone(), sentences })
        .await
        .expect("edit")
        .into_inner();
    assert!(edited.sentences[0].edited && !edited.sentences[1].edited);
    assert!(edited.bias.iter().all(|f| f.check != "personality"), "{:?}", edited.bias);

    let approve = ApproveReviewRequest {
        review_id: draft.review_id.clone(),
        overall_rating: 2,
        outcome: "improvement_plan".into(),
        rationale: "Planning must improve: two late migration plans this half year.".into(),
    };
    let approved = mgr.approve_review(approve.clone()).await.expect("approve").into_inner();
    assert_eq!((approved.status.as_str(), approved.approved_by.as_str()), ("approved", "mgr-d"));
    assert!(!approved.decision_id.is_empty());
    assert_eq!(mgr.approve_review(approve).await.expect_err("twice").code(), Code::FailedPrecondition);
    let seen = own.get_review(GetReviewRequest { review_id: draft.review_id.clone() }).await.expect("approved");
    assert_eq!(seen.into_inner().sentences[0].text, edited.sentences[0].text);

    let mut governance = GovernanceServiceClient::new(app.authed("governance", "emp-d1", &[Role::Employee]).await);
    let decisions = governance
        .list_decisions(ListDecisionsRequest { subject: "emp-d1".into() })
        .await
        .expect("decisions")
        .into_inner()
        .decisions;
    let decision = decisions.iter().find(|d| d.decision_id == approved.decision_id).expect("logged");
    assert!(decision.legal_effect && decision.reviewer == "mgr-d" && decision.purpose == "performance.reviews");
    assert!(decision.rationale.contains("late migration plans"), "{decision:?}");

    // The bias check on any text, explained in its language.
    let report = own
        .check_bias(CheckBiasRequest { text: "Sie ist zickig und sehr einfühlsam.".into(), ..Default::default() })
        .await
        .expect("check")
        .into_inner();
    assert_eq!(report.language, "de");
    let checks: Vec<&str> = report.findings.iter().map(|f| f.check.as_str()).collect();
    assert!(checks.contains(&"personality") && checks.contains(&"feminine_coded"), "{checks:?}");
    let cards = own.get_model_cards(GetModelCardsRequest { language: "nl".into() }).await.expect("cards").into_inner();
    let drafter = cards.cards.iter().find(|c| c.purpose == "performance.feedback_drafting").expect("drafter card");
    assert!(drafter.intended_use.contains("leidinggevende"), "{drafter:?}");
    let bias = cards.cards.iter().find(|c| c.purpose == "performance.bias_check").expect("bias card");
    assert_eq!(bias.evaluation.len(), 18, "5 checks and all, in 3 languages");
    app.stop().await;
}

async fn rating_gaps_are_flagged_and_small_groups_withheld(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let women: Vec<String> = (1..=6).map(|i| format!("emp-w{i}")).collect();
    let men: Vec<String> = (1..=5).map(|i| format!("emp-m{i}")).collect();
    let small: Vec<String> = (1..=2).map(|i| format!("emp-x{i}")).collect();
    let mut chart = vec![("mgr-g", "")];
    for p in women.iter().chain(&men).chain(&small) {
        chart.push((p.as_str(), "mgr-g"));
    }
    chart.push(("mgr-s", ""));
    chart.push(("emp-s1", "mgr-s"));
    org_chart(&app, &chart).await;
    let mut mgr = manager(&app, "mgr-g").await;
    let groups = women
        .iter()
        .map(|p| (p, "female"))
        .chain(men.iter().map(|p| (p, "male")))
        .chain(small.iter().map(|p| (p, "nonbinary")));
    for (i, (person, gender)) in groups.enumerate() {
        let mut own = GovernanceServiceClient::new(app.authed("governance", person, &[Role::Employee]).await);
        let attributes = HashMap::from([("gender".to_owned(), gender.to_owned())]);
        own.report_group_attributes(ReportGroupAttributesRequest { subject: person.clone(), attributes })
            .await
            .expect("attributes");
        give(&app, "mgr-g", person, "feedback", "Closed the March release tickets on time.").await;
        let draft = mgr
            .draft_review(DraftReviewRequest {
                employee_id: person.clone(),
                period_start: day(-90),
                period_end: day(1),
                language: "nl".into(),
            })
            .await
            .expect("draft")
            .into_inner();
        // Men all rated 4; of six women only two rated 3 or higher.
        let rating = if gender == "female" && i >= 2 { 2 } else { 4 };
        let approve = ApproveReviewRequest {
            review_id: draft.review_id,
            overall_rating: rating,
            outcome: "none".into(),
            rationale: "Rating based on the cited feedback of this period.".into(),
        };
        mgr.approve_review(approve).await.expect("approve");
    }
    let mut hr = performance(&app, "hr-1", &[Role::HrAdmin]).await;
    let gaps = hr.get_rating_gaps(GetRatingGapsRequest {}).await.expect("gaps").into_inner();
    let female = gaps.gaps.iter().find(|g| g.group == "female").expect("women shown (6)");
    let male = gaps.gaps.iter().find(|g| g.group == "male").expect("men shown (5)");
    assert_eq!((female.reviewed, female.rated_well), (6, 2));
    assert!(female.flagged && !male.flagged, "{gaps:?}");
    assert!(gaps.gaps.iter().all(|g| g.group != "nonbinary"), "a group of 2 is withheld");
    assert_eq!(gaps.withheld_groups, 1);
    let refused = mgr.get_rating_gaps(GetRatingGapsRequest {}).await.expect_err("HR only");
    assert_eq!(refused.code(), Code::PermissionDenied);

    // Team aggregates only for a line of 5 or more.
    let team = mgr.get_team_trend(GetTeamTrendRequest { manager_id: "mgr-g".into() }).await.expect("team").into_inner();
    assert!(team.released && team.people == 13, "{team:?}");
    let mut small_team = manager(&app, "mgr-s").await;
    let withheld =
        small_team.get_team_trend(GetTeamTrendRequest { manager_id: "mgr-s".into() }).await.expect("team").into_inner();
    assert!(!withheld.released && withheld.withheld_reason.contains("5"), "{withheld:?}");
    let other =
        small_team.get_team_trend(GetTeamTrendRequest { manager_id: "mgr-g".into() }).await.expect_err("not mine");
    assert_eq!(other.code(), Code::PermissionDenied);
    app.stop().await;
}

async fn a_run_of_critical_feedback_is_an_early_warning(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("mgr-t", ""), ("emp-t1", "mgr-t"), ("emp-t2", "mgr-t")]).await;
    give(&app, "emp-t2", "emp-t1", "praise", "Great help with the release, thank you!").await;
    let mut critical = Vec::new();
    for text in [
        "The report was late again and full of errors.",
        "The customer call went badly; you were unprepared and frustrated.",
        "Missed the deadline for the migration, a disappointing result.",
    ] {
        critical.push(give(&app, "mgr-t", "emp-t1", "feedback", text).await);
    }
    let mut mgr = manager(&app, "mgr-t").await;
    let mut reviews = Vec::new();
    for rating in [4, 3, 2] {
        let draft = DraftReviewRequest {
            employee_id: "emp-t1".into(),
            period_start: day(-60),
            period_end: day(1),
            language: "nl".into(),
        };
        let review_id = mgr.draft_review(draft).await.expect("draft").into_inner().review_id;
        let approve = ApproveReviewRequest {
            review_id: review_id.clone(),
            overall_rating: rating,
            outcome: "none".into(),
            rationale: "Based on the cited feedback of the period.".into(),
        };
        mgr.approve_review(approve).await.expect("approve");
        reviews.push(review_id);
    }
    let trend = employee(&app, "emp-t1")
        .await
        .get_person_trend(GetPersonTrendRequest { employee_id: "emp-t1".into(), language: "nl".into() })
        .await
        .expect("own trend")
        .into_inner();
    let run = trend.signals.iter().find(|s| s.kind == "negative_feedback_run").expect("warning");
    assert_eq!(run.evidence, critical);
    assert!(run.explanation.contains("kritisch"), "{}", run.explanation);
    let declining = trend.signals.iter().find(|s| s.kind == "declining_ratings").expect("declining ratings");
    assert_eq!(declining.evidence, reviews);
    let line = mgr
        .get_person_trend(GetPersonTrendRequest { employee_id: "emp-t1".into(), language: "de".into() })
        .await
        .expect("the line reads it")
        .into_inner();
    assert_eq!(line.signals.len(), 2);
    let refused = employee(&app, "emp-t2")
        .await
        .get_person_trend(GetPersonTrendRequest { employee_id: "emp-t1".into(), language: String::new() })
        .await
        .expect_err("a colleague");
    assert_eq!(refused.code(), Code::PermissionDenied);
    app.stop().await;
}

async fn a_persons_performance_data_is_exported_and_erased(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    org_chart(&app, &[("mgr-e", ""), ("emp-e1", "mgr-e"), ("emp-e2", "mgr-e")]).await;
    give(&app, "emp-e2", "emp-e1", "praise", "Erika fixed the payroll export on 3 March.").await;
    let mut mgr = manager(&app, "mgr-e").await;
    mgr.set_goal(SetGoalRequest { employee_id: "emp-e1".into(), title: "Lead the audit".into(), ..Default::default() })
        .await
        .expect("goal");
    let draft = mgr
        .draft_review(DraftReviewRequest {
            employee_id: "emp-e1".into(),
            period_start: day(-30),
            period_end: day(1),
            language: "de".into(),
        })
        .await
        .expect("draft")
        .into_inner();
    assert!(draft.sentences[0].text.starts_with("Am "), "German draft: {:?}", draft.sentences);

    let mut own = GovernanceServiceClient::new(app.authed("governance", "emp-e1", &[Role::Employee]).await);
    let export = own
        .request_access(RequestAccessRequest { subject: "emp-e1".into(), language: "en".into() })
        .await
        .expect("access")
        .into_inner();
    let json: serde_json::Value = serde_json::from_str(&export.json).expect("json");
    let performance = &json["performance"];
    assert_eq!(performance["feedback_received"][0]["body"], "Erika fixed the payroll export on 3 March.", "{json}");
    assert!(performance["reviews"][0]["body"].as_str().is_some_and(|b| b.contains("payroll export")), "{json}");
    assert_eq!(performance["goals"][0]["title"], "Lead the audit");

    let request_id = own
        .request_erasure(RequestErasureRequest { subject: "emp-e1".into(), reason: "leaving".into() })
        .await
        .expect("erasure")
        .into_inner()
        .request_id;
    let dpo = GovernanceServiceClient::new(app.authed("governance", "dpo-1", &[Role::Dpo]).await);
    let report = eventually("every service confirmed", PATIENCE, || {
        let mut dpo = dpo.clone();
        let request_id = request_id.clone();
        async move {
            let report = dpo.get_erasure_report(GetErasureReportRequest { request_id }).await.ok()?.into_inner();
            report.complete.then_some(report)
        }
    })
    .await;
    let erased = report.services.iter().find(|s| s.service == "performance").expect("performance confirmed");
    let deleted: Vec<(&str, u32)> =
        erased.items.iter().filter(|i| i.count > 0).map(|i| (i.kind.as_str(), i.count)).collect();
    for kind in [("feedback_received", 1), ("goals", 1), ("reviews", 1), ("person_key", 1)] {
        assert!(deleted.contains(&kind), "{kind:?} in {deleted:?}");
    }
    let left = mgr
        .list_feedback(ListFeedbackRequest { employee_id: "emp-e1".into(), ..Default::default() })
        .await
        .expect("list")
        .into_inner();
    assert!(left.feedback.is_empty());
    app.stop().await;
}

both_modes!(
    feedback_is_read_by_the_line_and_refused_to_another_team,
    peer_answers_show_only_from_three_raters,
    drafts_cite_evidence_and_reach_the_employee_only_approved,
    rating_gaps_are_flagged_and_small_groups_withheld,
    a_run_of_critical_feedback_is_an_early_warning,
    a_persons_performance_data_is_exported_and_erased,
);
