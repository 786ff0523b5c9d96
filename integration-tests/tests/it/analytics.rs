//! Analytics on governed streams (issue 18): people events reach the feature store through
//! governance under pseudonyms only; the attrition model trains on an HR export and scores with
//! contributions; individual risk is for HR with consent and logged; team figures are for groups
//! of 5 or more; headcount forecasts carry intervals — through the real servers, in both modes.

use std::fmt::Write as _;

use hrmesh_kit::{
    auth::Role,
    db::{Backend, Database},
};
use hrmesh_proto::{
    analytics::v1::{self as pb, analytics_service_client::AnalyticsServiceClient},
    governance::v1::{ListDecisionsRequest, governance_service_client::GovernanceServiceClient},
    people::v1::{
        GetEmployeeRequest, ImportEmployeesRequest, ReportRecoveryRequest, ReportSickRequest, UpsertEmployeeRequest,
        people_service_client::PeopleServiceClient,
    },
};
use sqlx::{Column, Row};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    governance::grant,
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually},
};

type Client = AnalyticsServiceClient<InterceptedService<Channel, Bearer>>;

async fn analytics(app: &TestApp, subject: &str, roles: &[Role]) -> Client {
    AnalyticsServiceClient::new(app.authed("analytics", subject, roles).await)
}

const HEADER: &str = "employee_id,full_name,work_email,work_country,work_region,org_unit_id,org_unit_name,\
org_unit_parent_id,job_title,manager_id,street,house_number,postcode,city,birth_date,contract_start,weekly_hours,days_per_week";

/// `YYYY-MM-01` of the month `back` months before this one.
fn month_start(back: i32) -> String {
    let today = hrmesh_kit::time::format_date(hrmesh_kit::time::today());
    let (year, month): (i32, i32) = (today[..4].parse().expect("year"), today[5..7].parse().expect("month"));
    let index = year * 12 + month - 1 - back;
    format!("{:04}-{:02}-01", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// Who works where: (id, unit, manager, job title).
fn staff() -> Vec<(String, &'static str, String, &'static str)> {
    let mut people = vec![
        ("emp-000".to_owned(), "acme", String::new(), "Director"),
        ("emp-001".to_owned(), "ops", "emp-000".to_owned(), "Team lead"),
        ("emp-002".to_owned(), "acme", "emp-000".to_owned(), "Team lead"),
    ];
    // Operations: six reports of emp-001 (seven people in the unit with the lead).
    people.extend((10..16).map(|i| (format!("emp-{i:03}"), "ops", "emp-001".to_owned(), "Planner")));
    // A small team of four under emp-002.
    people.extend((20..24).map(|i| (format!("emp-{i:03}"), "small", "emp-002".to_owned(), "Analyst")));
    // The plant: 44 operators, of whom emp-030..emp-051 leave.
    people.extend((30..74).map(|i| (format!("emp-{i:03}"), "plant", "emp-000".to_owned(), "Operator")));
    people
}

fn leavers() -> Vec<String> {
    (30..52).map(|i| format!("emp-{i:03}")).collect()
}

/// Imports the company (contracts started over the last 30 months), marks the plant's leavers
/// and reports two sickness spells; waits until all of it reached the feature store.
async fn populate(app: &TestApp) {
    let mut people = PeopleServiceClient::new(app.authed("people", "hr-1", &[Role::HrAdmin]).await);
    let mut csv = format!("{HEADER}\n");
    for (i, (id, unit, manager, title)) in staff().into_iter().enumerate() {
        let (name, parent) = match unit {
            "acme" => ("Acme", ""),
            other => (other, "acme"),
        };
        let country = if i % 3 == 0 { "DE" } else { "NL" };
        let (region, postcode, city) =
            if country == "DE" { ("BY", "80331", "München") } else { ("", "3511 LX", "Utrecht") };
        let start = month_start(i32::try_from(i % 30).expect("small"));
        writeln!(
            csv,
            "{id},Person {id},{id}@acme.example,{country},{region},{unit},{name},{parent},{title},{manager},\
             Hoofdstraat,{},{postcode},{city},1985-04-{:02},{start},40,5",
            i + 1,
            1 + i % 28
        )
        .expect("write");
    }
    let report = people
        .import_employees(ImportEmployeesRequest { content: csv.into_bytes(), dry_run: false, ..Default::default() })
        .await
        .expect("import")
        .into_inner();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for id in leavers() {
        let e = people.get_employee(GetEmployeeRequest { employee_id: id.clone() }).await.expect("get").into_inner();
        let upsert = UpsertEmployeeRequest {
            employee_id: e.employee_id,
            full_name: e.full_name,
            work_email: e.work_email,
            work_country: e.work_country,
            work_region: e.work_region,
            org_unit_id: e.org_unit_id,
            job_title: e.job_title,
            manager_id: e.manager_id,
            status: "left".into(),
            ..Default::default()
        };
        people.upsert_employee(upsert).await.expect("leaves");
    }
    let (sick, back) = (month_start(1), month_start(0));
    people.report_sick(ReportSickRequest { employee_id: "emp-010".into(), first_day: sick }).await.expect("sick");
    people
        .report_recovery(ReportRecoveryRequest { employee_id: "emp-010".into(), recovered_on: back })
        .await
        .expect("back");
    people
        .report_sick(ReportSickRequest { employee_id: "emp-011".into(), first_day: String::new() })
        .await
        .expect("sick");

    let db = Database::connect(&app.config, "analytics").await.expect("analytics database");
    let expected = [
        ("SELECT COUNT(*) FROM fs_directory", staff().len() as i64),
        ("SELECT COUNT(*) FROM fs_directory WHERE status = 'left'", leavers().len() as i64),
        ("SELECT COUNT(DISTINCT subject_pseudonym) FROM fs_contract_versions", staff().len() as i64),
        ("SELECT COUNT(*) FROM fs_sick_spells WHERE recovered_on <> ''", 1),
        ("SELECT COUNT(*) FROM fs_sick_spells", 2),
    ];
    eventually("the people events in the feature store", PATIENCE, || {
        let pool = db.pool().clone();
        async move {
            for (sql, n) in expected {
                let count: i64 = sqlx::query(sql).fetch_one(&pool).await.ok()?.get(0);
                if count != n {
                    return None;
                }
            }
            Some(())
        }
    })
    .await;
    db.close().await;
}

/// Every readable cell of every analytics table that contains one of `needles`.
async fn raw_identities_in_analytics(app: &TestApp, needles: &[String]) -> Vec<String> {
    let db = Database::connect(&app.config, "analytics").await.expect("analytics database");
    // Refused calls are published for the audit trail through the outbox (with the caller's id);
    // the relay empties it, so only what analytics keeps is looked at.
    eventually("the outbox relayed", PATIENCE, || {
        let pool = db.pool().clone();
        async move {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM hrmesh_outbox").fetch_one(&pool).await.ok()?.get(0);
            (n == 0).then_some(())
        }
    })
    .await;
    let tables_sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()"
        }
    };
    let tables: Vec<String> =
        sqlx::query(tables_sql).fetch_all(db.pool()).await.expect("tables").iter().map(|r| r.get(0)).collect();
    assert!(tables.iter().any(|t| t == "fs_directory"), "{tables:?}");
    let mut found = Vec::new();
    // Migration bookkeeping holds no data (and timestamps the Any driver cannot read).
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
                        found.push(format!("{table}.{} holds {needle}", column.name()));
                    }
                }
            }
        }
    }
    db.close().await;
    found
}

fn identities() -> Vec<String> {
    let mut needles: Vec<String> = staff().into_iter().map(|(id, ..)| id).collect();
    needles.extend(["Person emp".to_owned(), "acme.example".to_owned(), "emp-risk".to_owned()]);
    needles
}

async fn governed_people_events_reach_the_feature_store_under_pseudonyms_only(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    populate(&app).await;
    let leaked = raw_identities_in_analytics(&app, &identities()).await;
    assert!(leaked.is_empty(), "raw ids in analytics: {leaked:?}");

    // KPIs from the store, each with its n.
    let mut hr = analytics(&app, "hr-1", &[Role::HrAdmin]).await;
    let kpis = hr.get_kpis(pb::GetKpisRequest::default()).await.expect("kpis").into_inner();
    assert_eq!(kpis.months.len(), 12);
    // This month, from the directory: everyone was here, the plant's leavers left.
    let (everyone, stay) = (staff().len(), staff().len() - leavers().len());
    let now = kpis.months.last().expect("this month");
    let figure = |f: &Option<pb::KpiFigure>| f.clone().map(|f| (f.value, f.n)).expect("figure");
    assert_eq!(figure(&now.headcount), (stay as f64, everyone as u32), "{now:?}");
    assert_eq!(figure(&now.leavers), (leavers().len() as f64, everyone as u32), "{now:?}");
    assert_eq!(figure(&now.hires), (0.0, everyone as u32), "the directory's first day is its opening balance");
    // Last month, before hrmesh saw the directory: from contract dates (two start this month).
    let last_month = &kpis.months[10];
    assert_eq!(figure(&last_month.headcount), ((everyone - 2) as f64, everyone as u32 - 2), "{last_month:?}");
    let absence = last_month.absence_rate.clone().expect("absence");
    assert!(absence.value > 0.0 && absence.withheld.is_empty(), "{last_month:?}");
    let bands: Vec<(&str, u32, bool)> =
        kpis.bradford.iter().map(|b| (b.band.as_str(), b.people, b.withheld.is_empty())).collect();
    assert_eq!(bands[0], ("0", stay as u32 - 2, true), "{bands:?}");
    // Two people with sickness in the last 52 weeks, both in 1-50: a group too small to show.
    assert_eq!(bands[1], ("1-50", 0, false), "{bands:?}");
    assert!(bands[2..].iter().all(|&(_, people, shown)| people == 0 && shown), "{bands:?}");

    let export = hr.export_kpis(pb::ExportKpisRequest::default()).await.expect("export").into_inner();
    assert_eq!(export.content_type, "text/csv");
    let mut lines = export.csv.lines();
    assert_eq!(lines.next(), Some("month,scope,kpi,value,n,withheld"));
    assert!(export.csv.contains(&format!(",company,headcount,{stay},{everyone},")), "{}", export.csv);

    // A unit's own figures: withheld for the team of four.
    let small = hr.get_kpis(pb::GetKpisRequest { org_unit_id: "small".into(), ..Default::default() }).await;
    let small = small.expect("small unit").into_inner();
    assert!(small.months.iter().all(|m| !m.headcount.clone().unwrap_or_default().withheld.is_empty()), "{small:?}");

    // The company's headcount forecast from contract dates, with intervals.
    let forecast = hr.forecast_headcount(pb::ForecastHeadcountRequest::default()).await.expect("forecast").into_inner();
    assert!(forecast.withheld.is_empty(), "{forecast:?}");
    assert!(forecast.history.len() >= 12, "{forecast:?}");
    assert_eq!(forecast.points.len(), 12);
    for p in &forecast.points {
        assert!(p.lower <= p.headcount && p.headcount <= p.upper, "{p:?}");
    }
    // (The lower bound stops at 0, so the upper half shows the widening.)
    let widths: Vec<f64> = forecast.points.iter().map(|p| p.upper - p.headcount).collect();
    assert!(widths.windows(2).all(|w| w[1] + 1e-9 >= w[0]), "intervals widen: {widths:?}");
    app.stop().await;
}

/// The first `rows` data rows of the synthetic HR export (and the rows after them, to score).
fn export(skip: usize, rows: usize) -> String {
    let data = include_str!("../../../services/analytics/eval/attrition-synthetic.csv");
    let mut lines = data.lines();
    let header = lines.next().expect("header");
    let body: Vec<&str> = lines.skip(skip).take(rows).collect();
    format!("{header}\n{}\n", body.join("\n"))
}

async fn attrition_model_trains_on_an_export_scores_with_contributions_and_serves_hr_only(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = analytics(&app, "hr-1", &[Role::HrAdmin]).await;
    let none = hr.get_model_card(pb::GetModelCardRequest::default()).await.expect_err("nothing trained");
    assert_eq!(none.code(), Code::NotFound);
    let request = pb::TrainAttritionModelRequest {
        csv: export(0, 500),
        target: "Attrition".into(),
        group_columns: vec!["Gender".into()],
        exclude_columns: vec!["EmployeeNumber".into()],
        from_feature_store: false,
    };
    let trained = hr.train_attrition_model(request).await.expect("train").into_inner();
    let card = trained.card.expect("card");
    assert_eq!((card.source.as_str(), card.rows, card.purpose.as_str()), ("import", 500, "analytics.attrition_risk"));
    assert!(card.cv_roc_auc > 0.65, "{card:?}");
    let full: serde_json::Value = serde_json::from_str(&card.card_json).expect("card json");
    assert_eq!(full["fairness"][0]["column"], "Gender");
    assert!(!full["data"]["columns_used"].as_array().expect("columns").iter().any(|c| c["name"] == "Gender"));

    let bad = hr
        .train_attrition_model(pb::TrainAttritionModelRequest {
            csv: export(0, 30),
            target: "Nope".into(),
            ..Default::default()
        })
        .await
        .expect_err("unknown target");
    assert_eq!(bad.code(), Code::InvalidArgument);

    // Rows in, probabilities and contributions out: base + Σ contributions = log-odds.
    let scored = hr
        .score_attrition(pb::ScoreAttritionRequest { model_id: String::new(), csv: export(500, 25) })
        .await
        .expect("score")
        .into_inner();
    assert_eq!((scored.model_id.as_str(), scored.scores.len()), (trained.model_id.as_str(), 25));
    for s in &scored.scores {
        assert!(s.probability > 0.0 && s.probability < 1.0, "{s:?}");
        let sum: f64 = s.base + s.contributions.iter().map(|c| c.contribution).sum::<f64>();
        assert!((sum - s.log_odds).abs() < 1e-6, "{s:?}");
        assert!(s.contributions.windows(2).all(|w| w[0].contribution.abs() >= w[1].contribution.abs()));
        assert!(!s.contributions.iter().any(|c| c.feature == "Attrition" || c.feature == "Gender"));
    }

    // The card for the DPO (and so the works council), not for managers.
    let mut dpo = analytics(&app, "dpo-1", &[Role::Dpo]).await;
    assert_eq!(
        dpo.get_model_card(pb::GetModelCardRequest::default()).await.expect("dpo").into_inner().model_id,
        trained.model_id
    );
    let mut lead = analytics(&app, "emp-001", &[Role::Manager]).await;
    let refused = lead.get_model_card(pb::GetModelCardRequest::default()).await.expect_err("manager");
    assert_eq!(refused.code(), Code::PermissionDenied);

    // Individual risk: HR only, with the person's consent, logged in governance.
    let row: std::collections::HashMap<String, String> = {
        let text = export(600, 1);
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().expect("header").split(',').collect();
        let cells: Vec<&str> = lines.next().expect("row").split(',').collect();
        header
            .into_iter()
            .zip(cells)
            .filter(|(h, _)| *h != "Attrition")
            .map(|(h, c)| (h.to_owned(), c.to_owned()))
            .collect()
    };
    let ask = |language: &str| pb::GetIndividualRiskRequest {
        employee_id: "emp-risk".into(),
        row: row.clone(),
        language: language.into(),
        model_id: String::new(),
    };
    let manager = lead.get_individual_risk(ask("en")).await.expect_err("a manager asks");
    assert_eq!(manager.code(), Code::PermissionDenied);
    let no_consent = hr.get_individual_risk(ask("en")).await.expect_err("no consent");
    assert_eq!(no_consent.code(), Code::FailedPrecondition, "{no_consent:?}");
    grant(&app, "emp-risk", "analytics.attrition_risk").await;
    let risk = hr.get_individual_risk(ask("nl")).await.expect("with consent").into_inner();
    assert!(risk.probability > 0.0 && risk.probability < 1.0);
    assert!(["low", "elevated", "high"].contains(&risk.band.as_str()));
    assert!(!risk.conversation_topics.is_empty() && !risk.decision_id.is_empty(), "{risk:?}");
    assert!(risk.notice.contains("geen automatische actie"), "{}", risk.notice);
    assert!(risk.reasons.iter().all(|r| r.contribution > 0.0 && r.text.contains("verhoogt")), "{risk:?}");
    let mut gov = GovernanceServiceClient::new(app.authed("governance", "hr-1", &[Role::HrAdmin]).await);
    let decisions = gov
        .list_decisions(ListDecisionsRequest { subject: "emp-risk".into() })
        .await
        .expect("decisions")
        .into_inner()
        .decisions;
    let logged = decisions.iter().find(|d| d.decision_id == risk.decision_id).expect("logged in governance");
    assert_eq!((logged.purpose.as_str(), logged.legal_effect), ("analytics.attrition_risk", false));
    assert!(logged.explanation.contains("log-odds"), "{logged:?}");

    let leaked = raw_identities_in_analytics(&app, &["emp-risk".to_owned()]).await;
    assert!(leaked.is_empty(), "the scored employee's id stayed in analytics: {leaked:?}");
    app.stop().await;
}

async fn team_risk_needs_five_people_and_a_line_and_managers_never_see_individuals(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    populate(&app).await;
    let mut ops_lead = analytics(&app, "emp-001", &[Role::Manager, Role::Employee]).await;
    let mut small_lead = analytics(&app, "emp-002", &[Role::Manager, Role::Employee]).await;
    let mut hr = analytics(&app, "hr-1", &[Role::HrAdmin]).await;
    let team = |unit: &str| pb::GetTeamRiskRequest { org_unit_id: unit.into() };

    // A team of four is withheld, whoever asks.
    let small = small_lead.get_team_risk(team("small")).await.expect("own team").into_inner();
    assert_eq!(small.n, 0);
    assert!(small.withheld.contains("smaller than 5"), "{small:?}");
    // No model from the feature store yet.
    assert_eq!(ops_lead.get_team_risk(team("ops")).await.expect_err("no model").code(), Code::NotFound);
    let trained = hr
        .train_attrition_model(pb::TrainAttritionModelRequest { from_feature_store: true, ..Default::default() })
        .await
        .expect("train from the feature store")
        .into_inner();
    let card = trained.card.expect("card");
    assert_eq!((card.source.as_str(), card.rows, card.leavers), ("feature_store", staff().len() as u64, 22));

    let ops = ops_lead.get_team_risk(team("ops")).await.expect("own team of seven").into_inner();
    assert_eq!(ops.n, 7, "{ops:?}");
    assert!(ops.withheld.is_empty() && ops.mean_probability > 0.0 && ops.mean_probability < 1.0, "{ops:?}");
    assert!(!ops.drivers.is_empty());
    // Another team, and the company, are not the lead's.
    let plant = ops_lead.get_team_risk(team("plant")).await.expect_err("not in the line");
    assert_eq!(plant.code(), Code::PermissionDenied);
    let company = ops_lead.get_kpis(pb::GetKpisRequest::default()).await.expect_err("company figures");
    assert_eq!(company.code(), Code::PermissionDenied);
    ops_lead.get_kpis(pb::GetKpisRequest { org_unit_id: "ops".into(), ..Default::default() }).await.expect("own unit");
    // Individual risk is never a manager's.
    let individual = pb::GetIndividualRiskRequest {
        employee_id: "emp-010".into(),
        row: [("org_unit".to_owned(), "ops".to_owned())].into(),
        ..Default::default()
    };
    let refused = ops_lead.get_individual_risk(individual).await.expect_err("a manager asks about a report");
    assert_eq!(refused.code(), Code::PermissionDenied);
    app.stop().await;
}

async fn forecast_from_a_given_history_follows_its_trend_within_intervals(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = analytics(&app, "hr-1", &[Role::HrAdmin]).await;
    let history: Vec<pb::MonthlyHeadcount> = (0..24)
        .map(|t| pb::MonthlyHeadcount {
            month: format!("{}-{:02}", 2024 + t / 12, t % 12 + 1),
            headcount: 100.0 + 2.0 * f64::from(t) + if t % 2 == 0 { 0.5 } else { -0.5 },
        })
        .collect();
    let request = |scenario: Option<pb::Scenario>| pb::ForecastHeadcountRequest {
        org_unit_id: String::new(),
        horizon_months: 12,
        confidence: 0.9,
        history: history.clone(),
        scenario,
    };
    let trend = hr.forecast_headcount(request(None)).await.expect("forecast").into_inner();
    assert_eq!(trend.points.first().map(|p| p.month.as_str()), Some("2026-01"));
    for (h, p) in trend.points.iter().enumerate() {
        let truth = 100.0 + 2.0 * (24 + h) as f64;
        assert!((p.headcount - truth).abs() < 3.0, "{p:?} vs {truth}");
        assert!(p.lower <= truth && truth <= p.upper, "{p:?} misses {truth}");
    }
    let freeze = pb::Scenario { hiring_freeze: true, attrition_rate: 0.12, growth_percent: 0.0 };
    let frozen = hr.forecast_headcount(request(Some(freeze))).await.expect("freeze").into_inner();
    assert!(frozen.points.windows(2).all(|w| w[1].headcount < w[0].headcount), "{frozen:?}");
    let short = pb::ForecastHeadcountRequest { history: history[..3].to_vec(), ..request(None) };
    assert_eq!(hr.forecast_headcount(short).await.expect_err("three months").code(), Code::FailedPrecondition);
    app.stop().await;
}

both_modes!(
    governed_people_events_reach_the_feature_store_under_pseudonyms_only,
    attrition_model_trains_on_an_export_scores_with_contributions_and_serves_hr_only,
    team_risk_needs_five_people_and_a_line_and_managers_never_see_individuals,
    forecast_from_a_given_history_follows_its_trend_within_intervals,
);
