//! Pulse surveys end to end: the 60-second rule, anonymous answers, results from 5 people with
//! the complement refused, names removed from comments, early warnings, and tables in which no
//! answer can be linked to a person.

use std::collections::BTreeSet;

use hrmesh_kit::{
    auth::Role,
    db::{Backend, Database},
};
use hrmesh_proto::{
    engagement::v1::{self as pb, engagement_service_client::EngagementServiceClient},
    people::v1::{UpsertEmployeeRequest, UpsertOrgUnitRequest, people_service_client::PeopleServiceClient},
};
use sqlx::{Column, Row};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    governance::{field_violations, grant},
    helpers::{Bearer, RunMode, TestApp},
};

type Client = EngagementServiceClient<InterceptedService<Channel, Bearer>>;

async fn client(app: &TestApp, subject: &str, roles: &[Role]) -> Client {
    EngagementServiceClient::new(app.authed("engagement", subject, roles).await)
}

/// Today plus `offset_days`, as YYYY-MM-DD.
fn date(offset_days: u32) -> String {
    let mut day = hrmesh_kit::time::today();
    for _ in 0..offset_days {
        day = day.next_day().expect("a later day");
    }
    hrmesh_kit::time::format_date(day)
}

/// Names of the warehouse team, wh-1 first.
const WAREHOUSE: [&str; 7] =
    ["Sanne de Vries", "Jan Jansen", "Fatima el Amrani", "Pieter Bakker", "Lotte Visser", "Daan Smit", "Emma Mulder"];

/// acme ⊃ ops ⊃ {wh: 7, tr: 5}, acme ⊃ sales: 4; mgr-ops leads ops, mgr-sales leads sales
/// (managers sit in no unit, so they are not asked).
async fn company(app: &TestApp) {
    let mut people = PeopleServiceClient::new(app.authed("people", "hr-setup", &[Role::HrAdmin]).await);
    for (id, name, parent) in [
        ("acme", "Acme", ""),
        ("ops", "Operations", "acme"),
        ("wh", "Warehouse", "ops"),
        ("tr", "Transport", "ops"),
        ("sales", "Sales", "acme"),
    ] {
        let unit = UpsertOrgUnitRequest { org_unit_id: id.into(), name: name.into(), parent_id: parent.into() };
        people.upsert_org_unit(unit).await.expect("org unit");
    }
    let mut staff: Vec<(String, String, &str, &str)> =
        vec![("mgr-ops".into(), "Mila Manager".into(), "", ""), ("mgr-sales".into(), "Sem Verkoop".into(), "", "")];
    staff
        .extend(WAREHOUSE.iter().enumerate().map(|(i, n)| (format!("wh-{}", i + 1), (*n).to_owned(), "wh", "mgr-ops")));
    staff.extend((1..=5).map(|i| (format!("tr-{i}"), format!("Chauffeur Nummer{i}"), "tr", "mgr-ops")));
    staff.extend((1..=4).map(|i| (format!("sales-{i}"), format!("Verkoper Nummer{i}"), "sales", "mgr-sales")));
    for (id, name, unit, manager) in staff {
        let request = UpsertEmployeeRequest {
            employee_id: id.clone(),
            full_name: name,
            work_email: format!("{id}@acme.example"),
            work_country: "NL".into(),
            preferred_language: "nl".into(),
            job_title: "Medewerker".into(),
            org_unit_id: unit.into(),
            manager_id: manager.into(),
            ..Default::default()
        };
        people.upsert_employee(request).await.expect("employee");
    }
}

fn survey_request(questions: &[&str]) -> pb::CreateSurveyRequest {
    pb::CreateSurveyRequest {
        title: "Pulse".into(),
        question_ids: questions.iter().map(|q| (*q).to_owned()).collect(),
        org_unit_ids: vec!["acme".into()],
        opens_on: date(0),
        closes_on: date(13),
        ..Default::default()
    }
}

fn answers(enps: u32, management: u32, workload: u32, comment: &str) -> Vec<pb::QuestionAnswer> {
    let a = |q: &str, score: u32, text: &str| pb::QuestionAnswer { question_id: q.into(), score, text: text.into() };
    vec![
        a("enps.recommend", enps, ""),
        a("management.support", management, ""),
        a("workload.manageable", workload, ""),
        a("workload.open", 0, comment),
    ]
}

async fn answer(app: &TestApp, survey: &str, employee: &str, given: Vec<pb::QuestionAnswer>) {
    let mut own = client(app, employee, &[Role::Employee]).await;
    let request =
        pb::SubmitPulseAnswerRequest { survey_id: survey.into(), employee_id: employee.into(), answers: given };
    own.submit_pulse_answer(request).await.unwrap_or_else(|e| panic!("{employee} answers: {e}"));
}

fn unit<'a>(results: &'a pb::SurveyResults, id: &str) -> &'a pb::UnitResults {
    results.units.iter().find(|u| u.org_unit_id == id).unwrap_or_else(|| panic!("no unit {id:?} in {results:?}"))
}

fn driver(unit: &pb::UnitResults, name: &str) -> (f64, u32) {
    let d = unit.drivers.iter().find(|d| d.driver == name).unwrap_or_else(|| panic!("no {name} in {unit:?}"));
    (d.score, d.n)
}

async fn pulse_round_results_are_anonymous_and_guarded(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    company(&app).await;
    let mut hr = client(&app, "hr-1", &[Role::HrAdmin]).await;

    // 5 s + eNPS 9 s + rating 7 s + two open questions of 20 s = 61 s: refused, and why.
    let too_long = survey_request(&["enps.recommend", "workload.manageable", "workload.open", "growth.open"]);
    let refused = hr.create_survey(too_long).await.expect_err("61 seconds");
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(field_violations(&refused), ["question_ids"]);
    assert!(refused.message().contains("estimated 61 s"), "{}", refused.message());
    let unknown_unit =
        pb::CreateSurveyRequest { org_unit_ids: vec!["nowhere".into()], ..survey_request(&["enps.recommend"]) };
    assert_eq!(field_violations(&hr.create_survey(unknown_unit).await.expect_err("unknown unit")), ["org_unit_ids[0]"]);
    let mut employee = client(&app, "wh-1", &[Role::Employee]).await;
    let denied = employee.create_survey(survey_request(&["enps.recommend"])).await.expect_err("HR only");
    assert_eq!(denied.code(), Code::PermissionDenied);

    let survey = hr
        .create_survey(survey_request(&[
            "enps.recommend",
            "management.support",
            "workload.manageable",
            "workload.open",
        ]))
        .await
        .expect("a 48-second pulse")
        .into_inner();
    assert_eq!(survey.estimated_seconds, 48);
    let round = survey.current_round.clone().expect("opened today");
    assert_eq!((round.round, round.invited), (1, 16), "managers without a unit are not asked");
    let dutch = employee
        .get_survey(pb::GetSurveyRequest { survey_id: survey.survey_id.clone(), language: "nl".into() })
        .await
        .expect("survey")
        .into_inner();
    let questions = dutch.current_round.expect("round").questions;
    assert_eq!(questions[0].text, "Hoe waarschijnlijk is het dat je dit bedrijf aanbeveelt als werkgever?");
    let reminders = hr
        .send_reminders(pb::SendRemindersRequest { survey_id: survey.survey_id.clone() })
        .await
        .expect("reminders")
        .into_inner();
    assert_eq!(reminders.reminders, 16);

    // Warehouse (7): eNPS 10 9 9 8 7 6 3, management 8 8 7 9 6 8 10, workload 5 6 4 7 5 6 5.
    // wh-3 consented to sentiment and names a colleague.
    grant(&app, "wh-3", "engagement.sentiment").await;
    let warehouse = [(10, 8, 5), (9, 8, 6), (9, 7, 4), (8, 9, 7), (7, 6, 5), (6, 8, 6), (3, 10, 5)];
    for (i, (e, m, w)) in warehouse.into_iter().enumerate() {
        let comment = if i == 2 { "Sanne de Vries helpt me altijd, maar de werkdruk is veel te hoog." } else { "" };
        answer(&app, &survey.survey_id, &format!("wh-{}", i + 1), answers(e, m, w, comment)).await;
    }
    // Transport (5): eNPS 9 10 6 5 8, management 7 6 8 9 5, workload 6 6 6 6 6.
    for (i, (e, m)) in [(9, 7), (10, 6), (6, 8), (5, 9), (8, 5)].into_iter().enumerate() {
        answer(&app, &survey.survey_id, &format!("tr-{}", i + 1), answers(e, m, 6, "")).await;
    }
    // Sales (4).
    for i in 1..=4 {
        answer(&app, &survey.survey_id, &format!("sales-{i}"), answers(2, 3, 2, "Te weinig mensen.")).await;
    }

    // Once per person and round; only for oneself; not by HR.
    let again = pb::SubmitPulseAnswerRequest {
        survey_id: survey.survey_id.clone(),
        employee_id: "wh-1".into(),
        answers: answers(10, 10, 10, ""),
    };
    assert_eq!(employee.submit_pulse_answer(again.clone()).await.expect_err("twice").code(), Code::AlreadyExists);
    let for_other = pb::SubmitPulseAnswerRequest { employee_id: "wh-2".into(), ..again.clone() };
    assert_eq!(employee.submit_pulse_answer(for_other).await.expect_err("other").code(), Code::PermissionDenied);
    assert_eq!(hr.submit_pulse_answer(again).await.expect_err("HR").code(), Code::PermissionDenied);
    let mut outsider = client(&app, "mgr-ops", &[Role::Employee]).await;
    let not_asked = pb::SubmitPulseAnswerRequest {
        survey_id: survey.survey_id.clone(),
        employee_id: "mgr-ops".into(),
        answers: answers(5, 5, 5, ""),
    };
    assert_eq!(
        outsider.submit_pulse_answer(not_asked).await.expect_err("not invited").code(),
        Code::FailedPrecondition
    );

    let results = hr
        .get_results(pb::GetResultsRequest { survey_id: survey.survey_id.clone(), round: 0 })
        .await
        .expect("results")
        .into_inner();
    // By hand. Warehouse: promoters 10 9 9, detractors 6 3 → (3 − 2) / 7 = +14.3;
    // management 56 / 7 = 8.0; workload 38 / 7 = 5.43.
    let wh = unit(&results, "wh");
    assert!(wh.shown, "{wh:?}");
    assert_eq!((wh.respondents, wh.invited), (7, 7));
    let enps = wh.enps.expect("eNPS");
    assert_eq!((enps.promoters, enps.passives, enps.detractors, enps.n), (3, 2, 2, 7));
    assert_eq!(enps.score, 14.3);
    assert_eq!(driver(wh, "management"), (8.0, 7));
    assert_eq!(driver(wh, "workload"), (5.43, 7));
    let management = wh.distributions.iter().find(|d| d.question_id == "management.support").expect("distribution");
    assert_eq!(management.counts, [0, 0, 0, 0, 0, 0, 1, 1, 3, 1, 1]);
    // Transport: promoters 9 10, detractors 6 5 → 0; management 35 / 5 = 7.0.
    let tr = unit(&results, "tr");
    assert_eq!(tr.enps.as_ref().map(|e| (e.score, e.n)), Some((0.0, 5)));
    assert_eq!(driver(tr, "management"), (7.0, 5));
    assert_eq!(driver(tr, "workload"), (6.0, 5));
    // Operations = both teams: promoters 5, detractors 4 of 12 → +8.3; management 91 / 12 = 7.58.
    let ops = unit(&results, "ops");
    assert_eq!((ops.respondents, ops.participation_rate), (12, 1.0));
    assert_eq!(ops.enps.as_ref().map(|e| (e.score, e.n)), Some((8.3, 12)));
    assert_eq!(driver(ops, "management"), (7.58, 12));
    // Sales has 4: withheld. Acme (16) and company-wide minus Operations (12) would be Sales.
    let sales = unit(&results, "sales");
    assert!(!sales.shown && sales.enps.is_none() && sales.respondents == 0, "{sales:?}");
    assert!(sales.withheld_reason.contains("fewer than 5"), "{}", sales.withheld_reason);
    for id in ["acme", ""] {
        let parent = unit(&results, id);
        assert!(!parent.shown && parent.drivers.is_empty(), "{parent:?}");
        assert!(parent.withheld_reason.contains("group of 4"), "{}", parent.withheld_reason);
    }
    assert_eq!(wh.trend.len(), 1);
    assert_eq!(wh.trend[0].enps.as_ref().map(|e| e.score), Some(14.3));

    // A manager sees the units of their line only; the manager of Sales sees a withheld unit.
    let mut mgr = client(&app, "mgr-ops", &[Role::Manager]).await;
    let own = mgr
        .get_results(pb::GetResultsRequest { survey_id: survey.survey_id.clone(), round: 0 })
        .await
        .expect("manager's results")
        .into_inner();
    let ids: BTreeSet<&str> = own.units.iter().map(|u| u.org_unit_id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["ops", "tr", "wh"]));
    let mut sales_mgr = client(&app, "mgr-sales", &[Role::Manager]).await;
    let theirs = sales_mgr
        .get_results(pb::GetResultsRequest { survey_id: survey.survey_id.clone(), round: 0 })
        .await
        .expect("sales results")
        .into_inner();
    assert_eq!(theirs.units.len(), 1);
    assert!(!theirs.units[0].shown);
    let heat = employee.get_heatmap(pb::GetHeatmapRequest { survey_id: survey.survey_id.clone(), round: 0 }).await;
    assert_eq!(heat.expect_err("HR only").code(), Code::PermissionDenied);

    // Heatmap: units × drivers, Sales' cells withheld.
    let heatmap = hr
        .get_heatmap(pb::GetHeatmapRequest { survey_id: survey.survey_id.clone(), round: 0 })
        .await
        .expect("heatmap")
        .into_inner();
    assert_eq!(heatmap.drivers, ["workload", "management", "enps"]);
    let row = |id: &str| heatmap.rows.iter().find(|r| r.org_unit_id == id).expect("row");
    assert!(row("sales").cells.iter().all(|c| !c.shown && c.n == 0));
    assert!(row("wh").cells.iter().all(|c| c.shown));
    assert_eq!(row("wh").cells[1].score, 8.0);

    // Comments: from 5 respondents, with the colleague's name removed; not for Sales.
    let listed = hr
        .list_comments(pb::ListCommentsRequest {
            survey_id: survey.survey_id.clone(),
            round: 0,
            org_unit_id: "wh".into(),
        })
        .await
        .expect("comments")
        .into_inner();
    assert_eq!(listed.comments.len(), 1);
    let comment = &listed.comments[0];
    assert_eq!(comment.text, "[naam] helpt me altijd, maar de werkdruk is veel te hoog.");
    assert!(comment.has_sentiment && comment.label == "negative", "{comment:?}");
    assert!(comment.topics.iter().any(|t| t == "workload"), "{comment:?}");
    let small = hr
        .list_comments(pb::ListCommentsRequest {
            survey_id: survey.survey_id.clone(),
            round: 0,
            org_unit_id: "sales".into(),
        })
        .await
        .expect_err("4 people");
    assert_eq!(small.code(), Code::FailedPrecondition);
    let sales_comments = sales_mgr
        .list_comments(pb::ListCommentsRequest {
            survey_id: survey.survey_id.clone(),
            round: 0,
            org_unit_id: "wh".into(),
        })
        .await
        .expect_err("not their line");
    assert_eq!(sales_comments.code(), Code::PermissionDenied);

    no_answer_links_to_a_person(&app).await;
    app.stop().await;
}

/// Reads every table of the engagement database: only `invitations` and `participation` (and
/// the kit's outbox, which carries the participation event) hold an employee id; the answer
/// tables hold no person, no time finer than the day and no sequence shared with participation.
async fn no_answer_links_to_a_person(app: &TestApp) {
    let people: Vec<String> = (1..=7)
        .map(|i| format!("wh-{i}"))
        .chain((1..=5).map(|i| format!("tr-{i}")))
        .chain((1..=4).map(|i| format!("sales-{i}")))
        .collect();
    let db = Database::connect(&app.config, "engagement").await.expect("engagement database");
    let tables_sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
        }
    };
    let tables: Vec<String> =
        sqlx::query(tables_sql).fetch_all(db.pool()).await.expect("tables").iter().map(|r| r.get(0)).collect();
    for table in ["answer_counts", "comments", "participation", "invitations"] {
        assert!(tables.iter().any(|t| t == table), "{table} in {tables:?}");
    }
    let mut holding_ids = BTreeSet::new();
    for table in tables.iter().filter(|t| !t.starts_with("_sqlx") && !t.ends_with("_migrations")) {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM \"{table}\"")))
            .fetch_all(db.pool())
            .await
            .expect("rows");
        let columns: Vec<String> =
            rows.first().map(|r| r.columns().iter().map(|c| c.name().to_owned()).collect()).unwrap_or_default();
        for row in &rows {
            for column in row.columns() {
                let i = column.ordinal();
                let text = match row.try_get::<Option<String>, _>(i) {
                    Ok(Some(text)) => text,
                    _ => row
                        .try_get::<Option<Vec<u8>>, _>(i)
                        .ok()
                        .flatten()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default(),
                };
                if people.iter().any(|p| text.contains(p.as_str())) {
                    holding_ids.insert(table.clone());
                }
                if ["answer_counts", "comments", "participation"].contains(&table.as_str())
                    && let Ok(Some(number)) = row.try_get::<Option<i64>, _>(i)
                {
                    assert!(
                        number < 1_000_000_000,
                        "{table}.{}: {number} looks like a time or a sequence",
                        column.name()
                    );
                }
            }
        }
        match table.as_str() {
            "answer_counts" => {
                assert_eq!(columns, ["survey_id", "round", "org_unit_id", "question_id", "score", "answers"]);
            }
            "comments" => assert_eq!(
                columns,
                [
                    "comment_id",
                    "survey_id",
                    "round",
                    "org_unit_id",
                    "question_id",
                    "body",
                    "sentiment",
                    "label",
                    "topics"
                ]
            ),
            "participation" => assert_eq!(columns, ["survey_id", "round", "employee_id"], "no time, no order"),
            _ => {}
        }
    }
    let expected: BTreeSet<String> = ["hrmesh_outbox", "invitations", "participation"].map(String::from).into();
    assert!(holding_ids.is_subset(&expected), "employee ids found in {holding_ids:?}");
    assert!(holding_ids.contains("participation") && holding_ids.contains("invitations"), "{holding_ids:?}");
    // Each answer is a count of one unit, never a row of one person: 16 people, 3 scored
    // questions, yet far fewer rows than answers where people agreed.
    let (rows, answers): (i64, i64) = {
        let row = sqlx::query("SELECT COUNT(*), CAST(SUM(answers) AS BIGINT) FROM answer_counts")
            .fetch_one(db.pool())
            .await
            .expect("counts");
        (row.get(0), row.get(1))
    };
    assert_eq!(answers, 16 * 3);
    assert!(rows < answers, "{rows} rows for {answers} answers");
    // Comment ids are random (UUID v4), not ordered by time like participation would be.
    let ids: Vec<String> = sqlx::query("SELECT comment_id FROM comments")
        .fetch_all(db.pool())
        .await
        .expect("ids")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(ids.iter().all(|id| uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)), "{ids:?}");
    db.close().await;
}

async fn early_warning_detects_a_drop(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    company(&app).await;
    let mut hr = client(&app, "hr-1", &[Role::HrAdmin]).await;
    let pulse = pb::CreateSurveyRequest {
        title: "Weekly pulse".into(),
        pinned_question_ids: vec!["enps.recommend".into()],
        question_ids: vec!["management.support".into(), "workload.manageable".into(), "growth.learning".into()],
        questions_per_round: 3,
        org_unit_ids: vec!["ops".into()],
        opens_on: date(0),
        closes_on: date(90),
        interval_days: 7,
    };
    let survey = hr.create_survey(pulse).await.expect("weekly pulse").into_inner();
    let mut rotated = Vec::new();
    for round in 1..=4 {
        if round > 1 {
            let opened = hr
                .open_next_round(pb::OpenNextRoundRequest { survey_id: survey.survey_id.clone() })
                .await
                .expect("next round")
                .into_inner();
            assert_eq!(opened.round, round);
        }
        let current = hr
            .get_survey(pb::GetSurveyRequest { survey_id: survey.survey_id.clone(), language: "en".into() })
            .await
            .expect("survey")
            .into_inner()
            .current_round
            .expect("round");
        let asked: Vec<String> = current.questions.iter().map(|q| q.question_id.clone()).collect();
        rotated.push(asked.clone());
        // The warehouse's management score holds at about 8, then falls to about 4 in round 4.
        let management: [u32; 7] = if round < 4 { [8, 9, 8, 7, 8, 9, 8] } else { [4, 5, 3, 4, 5, 4, 4] };
        for (i, m) in management.into_iter().enumerate() {
            let given = asked
                .iter()
                .map(|q| pb::QuestionAnswer {
                    question_id: q.clone(),
                    score: if q == "management.support" { m } else { 8 },
                    text: String::new(),
                })
                .collect();
            answer(&app, &survey.survey_id, &format!("wh-{}", i + 1), given).await;
        }
        for i in 1..=5 {
            let given = asked
                .iter()
                .map(|q| pb::QuestionAnswer { question_id: q.clone(), score: 7 + (i % 2), text: String::new() })
                .collect();
            answer(&app, &survey.survey_id, &format!("tr-{i}"), given).await;
        }
    }
    // eNPS every round; the pool of three rotates two at a time.
    assert!(rotated.iter().all(|r| r[0] == "enps.recommend" && r.len() == 3), "{rotated:?}");
    assert_eq!(rotated[0][1..], ["management.support", "workload.manageable"]);
    assert_eq!(rotated[1][1..], ["growth.learning", "management.support"]);
    assert_eq!(rotated[2][1..], ["workload.manageable", "growth.learning"]);

    let alerts = hr
        .list_alerts(pb::ListAlertsRequest { survey_id: survey.survey_id.clone() })
        .await
        .expect("alerts")
        .into_inner()
        .alerts;
    let wh: Vec<_> = alerts.iter().filter(|a| a.org_unit_id == "wh").collect();
    assert_eq!(wh.len(), 1, "only the warehouse's management score moved: {alerts:?}");
    let alert = wh[0];
    assert_eq!((alert.metric.as_str(), alert.driver.as_str()), ("driver", "management"));
    assert_eq!((alert.since_round, alert.detected_round, alert.n), (4, 4, 7));
    assert_eq!(alert.baseline, 8.14, "57 / 7 in the rounds that asked it");
    assert_eq!(alert.current, 4.14);
    assert_eq!(alert.change, -4.0);
    assert!(alert.summary.contains("Warehouse") && alert.summary.contains("sinds ronde 4"), "{}", alert.summary);
    assert!(alerts.iter().all(|a| a.org_unit_id != "tr"), "transport held steady: {alerts:?}");
    // The manager of Operations sees it too; the manager of Sales sees nothing of Operations.
    let mut mgr = client(&app, "mgr-ops", &[Role::Manager]).await;
    let theirs = mgr.list_alerts(pb::ListAlertsRequest { survey_id: survey.survey_id.clone() }).await.expect("alerts");
    assert!(theirs.into_inner().alerts.iter().any(|a| a.org_unit_id == "wh"));
    let mut other = client(&app, "mgr-sales", &[Role::Manager]).await;
    let none = other.list_alerts(pb::ListAlertsRequest { survey_id: survey.survey_id.clone() }).await.expect("alerts");
    assert!(none.into_inner().alerts.is_empty());
    app.stop().await;
}

/// A person who answered a pulse, with a comment (for the privacy tests): an org unit, the
/// person in it, a survey for the unit, the answer. Returns the survey id.
pub async fn answer_a_pulse(app: &TestApp, person: &str, full_name: &str, comment: &str) -> String {
    let mut people = PeopleServiceClient::new(app.authed("people", "hr-setup", &[Role::HrAdmin]).await);
    let unit = UpsertOrgUnitRequest { org_unit_id: "plant".into(), name: "Plant".into(), parent_id: String::new() };
    people.upsert_org_unit(unit).await.expect("org unit");
    let employee = UpsertEmployeeRequest {
        employee_id: person.into(),
        full_name: full_name.into(),
        work_email: format!("{person}@acme.example"),
        work_country: "NL".into(),
        job_title: "Lasser".into(),
        org_unit_id: "plant".into(),
        ..Default::default()
    };
    people.upsert_employee(employee).await.expect("employee");
    let mut hr = client(app, "hr-1", &[Role::HrAdmin]).await;
    let request = pb::CreateSurveyRequest {
        org_unit_ids: vec!["plant".into()],
        ..survey_request(&["enps.recommend", "management.support", "workload.manageable", "workload.open"])
    };
    let survey = hr.create_survey(request).await.expect("survey").into_inner();
    answer(app, &survey.survey_id, person, answers(6, 7, 4, comment)).await;
    survey.survey_id
}

both_modes!(pulse_round_results_are_anonymous_and_guarded, early_warning_detects_a_drop);
