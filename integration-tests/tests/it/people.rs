//! The people core: import, reporting-line authorization, leave years, requests and approvals,
//! sickness timelines — through the real servers, in both modes.

use std::fmt::Write as _;

use hrmesh_kit::{
    auth::Role,
    error::reason,
    time::{date_of_ms, format_date, now_ms},
};
use hrmesh_proto::people::v1::{
    Address, ChangeAddressRequest, DecideLeaveRequest, ExplainPayslipRequest, GetEmployeeRequest,
    GetLeaveBalanceRequest, ImportEmployeesRequest, ImportPayslipsRequest, ImportReport, IssueCertificateRequest,
    ListDocumentsRequest, ListEmployeesRequest, ListLeaveRequest, ListPayslipsRequest, ListSicknessRequest,
    ReportRecoveryRequest, ReportSickRequest, RequestLeaveRequest, SetContractRequest, UpsertEmployeeRequest,
    VerifyDocumentRequest, document_verification_service_client::DocumentVerificationServiceClient,
    people_service_client::PeopleServiceClient,
};
use hrmesh_proto::{
    governance::v1::{
        GetErasureReportRequest, RequestErasureRequest, governance_service_client::GovernanceServiceClient,
    },
    onboarding::v1::{
        GetOnboardingRequest, StartOnboardingRequest, onboarding_service_client::OnboardingServiceClient,
    },
    skills::v1::{GetSkillProfileRequest, skills_service_client::SkillsServiceClient},
};
use tonic::{Code, service::interceptor::InterceptedService, transport::Channel};

use crate::{
    both_modes,
    flow::audit_trail,
    helpers::{Bearer, PATIENCE, RunMode, TestApp, eventually},
};

type Client = PeopleServiceClient<InterceptedService<Channel, Bearer>>;

async fn people(app: &TestApp, subject: &str, roles: &[Role]) -> Client {
    PeopleServiceClient::new(app.authed("people", subject, roles).await)
}

const HEADER: &str = "employee_id,full_name,work_email,work_country,work_region,org_unit_id,org_unit_name,\
org_unit_parent_id,job_title,manager_id,street,house_number,postcode,city,birth_date,contract_start,weekly_hours,days_per_week";

/// A company of `n` people: a CEO, four department heads, team leads of 8 and drivers/warehouse
/// staff below them; Dutch in NL, German in Bavaria for the Munich depot.
pub fn company_csv(n: usize) -> String {
    let mut csv = format!("{HEADER}\n");
    for i in 0..n {
        let id = format!("emp-{i:03}");
        let (unit, unit_name, parent, manager) = match i {
            0 => ("company", "Acme Logistics", "", String::new()),
            1..=4 => ("ops", "Operations", "company", "emp-000".to_owned()),
            _ => {
                let lead = 1 + (i % 4);
                ("ops", "Operations", "company", format!("emp-{lead:03}"))
            }
        };
        let german = i % 5 == 0 && i > 0;
        let (country, region, postcode, city) =
            if german { ("DE", "BY", "80331", "München") } else { ("NL", "", "3511 LX", "Utrecht") };
        writeln!(
            csv,
            "{id},Person {i},{id}@acme.example,{country},{region},{unit},{unit_name},{parent},Driver,{manager},\
             Hoofdstraat,{},{postcode},{city},1985-04-{:02},2020-01-01,{},5",
            i + 1,
            1 + i % 28,
            if i % 3 == 0 { 32 } else { 40 },
        )
        .expect("write");
    }
    csv
}

async fn import(client: &mut Client, csv: &str, dry_run: bool) -> ImportReport {
    let request = ImportEmployeesRequest { content: csv.as_bytes().to_vec(), dry_run, ..Default::default() };
    client.import_employees(request).await.expect("import").into_inner()
}

async fn import_of_a_company_names_bad_rows_and_is_idempotent(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    let good = company_csv(250);
    let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
    // Five bad rows (file lines 11, 21, 31, 41, 51): a postcode, a manager, a date, a duplicate, a country.
    lines[10] = lines[10].replace("3511 LX", "35 LX");
    lines[20] = lines[20]
        .replace(",emp-001,", ",emp-999,")
        .replace(",emp-002,", ",emp-999,")
        .replace(",emp-003,", ",emp-999,")
        .replace(",emp-004,", ",emp-999,");
    lines[30] = lines[30].replace("1985-04-", "1985-13-");
    lines[40] = lines[40].replacen("emp-039", "emp-038", 1);
    lines[50] = lines[50].replace(",NL,", ",FR,");
    let bad = lines.join("\n");

    let report = import(&mut hr, &bad, false).await;
    let named: Vec<(u32, &str)> = report.errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        named,
        [
            (11, "private_address.postcode"),
            (21, "manager_id"),
            (31, "birth_date"),
            (41, "employee_id"),
            (51, "private_address.country"),
            (51, "work_country")
        ],
        "{:?}",
        report.errors
    );
    assert_eq!(report.created, 0);
    let listed = hr.list_employees(ListEmployeesRequest::default()).await.expect("list").into_inner();
    assert!(listed.employees.is_empty(), "an invalid file writes nothing");

    let dry = import(&mut hr, &good, true).await;
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!((dry.created, dry.contracts_recorded, dry.dry_run), (250, 250, true));
    assert!(hr.list_employees(ListEmployeesRequest::default()).await.expect("list").into_inner().employees.is_empty());

    let first = import(&mut hr, &good, false).await;
    assert_eq!((first.created, first.updated, first.unchanged, first.contracts_recorded), (250, 0, 0, 250));
    let again = import(&mut hr, &good, false).await;
    assert_eq!((again.created, again.updated, again.unchanged, again.contracts_recorded), (0, 0, 250, 0));

    let mut all = Vec::new();
    let mut token = String::new();
    loop {
        let page = hr
            .list_employees(ListEmployeesRequest { page_size: 100, page_token: token.clone(), ..Default::default() })
            .await
            .expect("page")
            .into_inner();
        all.extend(page.employees);
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    assert_eq!(all.len(), 250);
    let munich = all.iter().find(|e| e.employee_id == "emp-005").expect("emp-005");
    assert_eq!(
        (munich.work_country.as_str(), munich.work_region.as_str(), munich.preferred_language.as_str()),
        ("DE", "BY", "de")
    );
    assert_eq!(munich.private_address.as_ref().map(|a| a.city.as_str()), Some("München"));
    assert_eq!(munich.contract.as_ref().map(|c| c.weekly_hours), Some(40.0));
}

async fn managers_act_only_on_their_line(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    assert!(import(&mut hr, &company_csv(20), false).await.errors.is_empty());
    // emp-001 leads emp-008, emp-012 and emp-016; emp-003 leads emp-006.
    let mut lead = people(&app, "emp-001", &[Role::Manager, Role::Employee]).await;
    let own = lead.get_employee(GetEmployeeRequest { employee_id: "emp-008".into() }).await.expect("own report");
    assert_eq!(own.into_inner().manager_id, "emp-001");
    let other = lead.get_employee(GetEmployeeRequest { employee_id: "emp-006".into() }).await.expect_err("other team");
    assert_eq!(other.code(), Code::PermissionDenied);
    let listed = lead.list_employees(ListEmployeesRequest::default()).await.expect("list").into_inner();
    let ids: Vec<&str> = listed.employees.iter().map(|e| e.employee_id.as_str()).collect();
    assert_eq!(ids, ["emp-001", "emp-008", "emp-012", "emp-016"]);
    // The CEO reads everyone below, indirectly too.
    let mut ceo = people(&app, "emp-000", &[Role::Manager]).await;
    ceo.get_employee(GetEmployeeRequest { employee_id: "emp-017".into() }).await.expect("indirect report");
    // An employee reads only themself.
    let mut worker = people(&app, "emp-009", &[Role::Employee]).await;
    worker.get_employee(GetEmployeeRequest { employee_id: "emp-009".into() }).await.expect("self");
    let denied =
        worker.get_employee(GetEmployeeRequest { employee_id: "emp-013".into() }).await.expect_err("colleague");
    assert_eq!(denied.code(), Code::PermissionDenied);

    // The same line holds in every service that reads about people.
    let mut onboarding = OnboardingServiceClient::new(app.authed("onboarding", "hr-1", &[Role::HrAdmin]).await);
    for employee in ["emp-008", "emp-006"] {
        let start = StartOnboardingRequest {
            employee_id: employee.into(),
            role: "Driver".into(),
            start_date: "2027-01-04".into(),
            ..Default::default()
        };
        onboarding.start_onboarding(start).await.expect("start onboarding");
    }
    let mut lead_onboarding = OnboardingServiceClient::new(app.authed("onboarding", "emp-001", &[Role::Manager]).await);
    lead_onboarding
        .get_onboarding(GetOnboardingRequest { employee_id: "emp-008".into(), ..Default::default() })
        .await
        .expect("own report");
    let refused = lead_onboarding
        .get_onboarding(GetOnboardingRequest { employee_id: "emp-006".into(), ..Default::default() })
        .await;
    assert_eq!(refused.expect_err("other team").code(), Code::PermissionDenied);
    let mut lead_skills = SkillsServiceClient::new(app.authed("skills", "emp-001", &[Role::Manager]).await);
    let profile = |id: &str| GetSkillProfileRequest { employee_id: id.into(), ..Default::default() };
    // Allowed, and nothing on record yet.
    assert_eq!(lead_skills.get_skill_profile(profile("emp-012")).await.expect_err("empty").code(), Code::NotFound);
    assert_eq!(
        lead_skills.get_skill_profile(profile("emp-006")).await.expect_err("other").code(),
        Code::PermissionDenied
    );

    // A new manager takes effect for every service at once (the directory cache is invalidated).
    let mut moved =
        hr.get_employee(GetEmployeeRequest { employee_id: "emp-006".into() }).await.expect("get").into_inner();
    moved.manager_id = "emp-001".into();
    let upsert = UpsertEmployeeRequest {
        employee_id: moved.employee_id.clone(),
        full_name: moved.full_name.clone(),
        work_email: moved.work_email.clone(),
        work_country: moved.work_country.clone(),
        work_region: moved.work_region.clone(),
        org_unit_id: moved.org_unit_id.clone(),
        job_title: moved.job_title.clone(),
        manager_id: "emp-001".into(),
        ..Default::default()
    };
    hr.upsert_employee(upsert).await.expect("move");
    lead.get_employee(GetEmployeeRequest { employee_id: "emp-006".into() }).await.expect("now in the line");
    lead_onboarding
        .get_onboarding(GetOnboardingRequest { employee_id: "emp-006".into(), ..Default::default() })
        .await
        .expect("now in the line");

    eventually("refusals audited", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        let denied = trail.iter().filter(|r| r.action == "access.denied" && r.detail.contains("GetEmployee")).count();
        (denied >= 2).then_some(())
    })
    .await;
}

fn contract(employee: &str, start: &str, hours: f64, days: u32) -> SetContractRequest {
    SetContractRequest {
        employee_id: employee.into(),
        start_date: start.into(),
        weekly_hours: hours,
        days_per_week: days,
        ..Default::default()
    }
}

async fn hire(hr: &mut Client, id: &str, country: &str, region: &str, manager: &str) {
    let request = UpsertEmployeeRequest {
        employee_id: id.into(),
        full_name: format!("Person {id}"),
        work_email: format!("{id}@acme.example"),
        work_country: country.into(),
        work_region: region.into(),
        job_title: "Planner".into(),
        manager_id: manager.into(),
        ..Default::default()
    };
    hr.upsert_employee(request).await.expect("hire");
}

async fn leave_years_follow_each_countrys_law(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    hire(&mut hr, "boss", "NL", "", "").await;
    hire(&mut hr, "nl-1", "NL", "Utrecht", "boss").await;
    hire(&mut hr, "de-1", "DE", "BY", "boss").await;
    hire(&mut hr, "de-2", "DE", "NW", "boss").await;
    hr.set_contract(contract("nl-1", "2020-01-01", 40.0, 5)).await.expect("nl contract");
    hr.set_contract(contract("de-1", "2020-01-01", 40.0, 5)).await.expect("de contract");
    hr.set_contract(contract("de-2", "2026-09-01", 40.0, 5)).await.expect("pro rata start");

    let balance = |id: &str, year: i32| GetLeaveBalanceRequest { employee_id: id.into(), year, language: "en".into() };
    // NL: 4 × 40 hours, statutory leave of 2026 lapses on 1 July 2027.
    let nl = hr.get_leave_balance(balance("nl-1", 2026)).await.expect("nl").into_inner();
    assert_eq!(nl.unit, "hours");
    let statutory = nl.buckets.iter().find(|b| b.kind == "statutory").expect("statutory");
    assert_eq!((statutory.entitlement, statutory.expires.as_str()), (160.0, "2027-07-01"));
    // DE: 20 days on a 5-day week; 2026's leave lapses on 31 March 2027 (BUrlG §7(3)).
    let de = hr.get_leave_balance(balance("de-1", 2026)).await.expect("de").into_inner();
    assert_eq!(de.unit, "days");
    let statutory = de.buckets.iter().find(|b| b.kind == "statutory").expect("statutory");
    assert_eq!((statutory.entitlement, statutory.expires.as_str()), (20.0, "2027-03-31"));
    // DE start on 1 September: 4 full months → 20 × 4/12 = 6.67 → 7 days (BUrlG §5).
    let start = hr.get_leave_balance(balance("de-2", 2026)).await.expect("pro rata").into_inner();
    assert_eq!(start.buckets.iter().find(|b| b.kind == "statutory").map(|b| b.entitlement), Some(7.0));
    assert!(start.explanation.iter().any(|line| line.contains("20 × 4 / 12 = 6.67")), "{:?}", start.explanation);
    // The same explanation in German, with German numbers.
    let german = GetLeaveBalanceRequest { language: "de".into(), ..balance("de-2", 2026) };
    let german = hr.get_leave_balance(german).await.expect("German").into_inner().explanation;
    assert!(german.iter().any(|line| line.contains("1/12 je vollem Monat") && line.contains("6,67")), "{german:?}");

    // 2–6 March 2026 in Bavaria: five working days; 14–18 May includes Ascension Day (14 May).
    let mut de1 = people(&app, "de-1", &[Role::Employee]).await;
    let request = |start: &str, end: &str| RequestLeaveRequest {
        employee_id: "de-1".into(),
        start_date: start.into(),
        end_date: end.into(),
        ..Default::default()
    };
    let may = de1.request_leave(request("2026-05-14", "2026-05-18")).await.expect("may").into_inner();
    assert_eq!(may.days, 2.0, "Thu 14 May is Ascension Day, 16–17 May a weekend: {may:?}");
    assert!(may.holidays_excluded.iter().any(|h| h.starts_with("2026-05-14")), "{:?}", may.holidays_excluded);
    let overlap = de1.request_leave(request("2026-05-18", "2026-05-19")).await.expect_err("overlap");
    assert_eq!(overlap.code(), Code::FailedPrecondition);
    assert_eq!(reason(&overlap).as_deref(), Some("LEAVE_OVERLAP"), "{overlap:?}");
    let too_much = de1.request_leave(request("2026-06-01", "2026-07-31")).await.expect_err("no balance");
    assert_eq!(too_much.code(), Code::FailedPrecondition);
    assert_eq!(reason(&too_much).as_deref(), Some("INSUFFICIENT_BALANCE"));
    assert!(too_much.message().contains("insufficient"), "{}", too_much.message());
}

async fn leave_is_approved_by_the_line_and_updates_the_balance(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    hire(&mut hr, "boss", "NL", "", "").await;
    hire(&mut hr, "lead-a", "NL", "", "boss").await;
    hire(&mut hr, "lead-b", "NL", "", "boss").await;
    hire(&mut hr, "jan", "NL", "", "lead-a").await;
    hr.set_contract(contract("jan", "2020-01-01", 32.0, 4)).await.expect("contract");
    let year = 2027;
    let mut jan = people(&app, "jan", &[Role::Employee]).await;
    let before = jan
        .get_leave_balance(GetLeaveBalanceRequest { employee_id: "jan".into(), year, language: String::new() })
        .await
        .expect("b")
        .into_inner();
    // 1–5 March 2027 on a 4-day week (Mon–Thu): four days of 8 hours.
    let request = RequestLeaveRequest {
        employee_id: "jan".into(),
        start_date: "2027-03-01".into(),
        end_date: "2027-03-05".into(),
        idempotency_key: "k-1".into(),
        ..Default::default()
    };
    let asked = jan.request_leave(request.clone()).await.expect("request").into_inner();
    assert_eq!((asked.days, asked.hours, asked.status.as_str()), (4.0, 32.0, "pending"));
    let retried = jan.request_leave(request).await.expect("idempotent").into_inner();
    assert_eq!(retried.request_id, asked.request_id);

    // Another team's lead may neither see nor decide it; the own lead does, with the calendar.
    let mut other = people(&app, "lead-b", &[Role::Manager]).await;
    let decide =
        |approve: bool| DecideLeaveRequest { request_id: asked.request_id.clone(), approve, reason: String::new() };
    assert_eq!(other.decide_leave(decide(true)).await.expect_err("other team").code(), Code::PermissionDenied);
    let mut lead = people(&app, "lead-a", &[Role::Manager]).await;
    let calendar = lead
        .list_leave(ListLeaveRequest { from: "2027-03-01".into(), to: "2027-03-31".into(), ..Default::default() })
        .await
        .expect("team calendar")
        .into_inner();
    assert_eq!(calendar.requests.len(), 1);
    assert_eq!(lead.decide_leave(decide(false)).await.expect_err("reason").code(), Code::InvalidArgument);
    let approved = lead.decide_leave(decide(true)).await.expect("approve").into_inner();
    assert_eq!((approved.status.as_str(), approved.decided_by.as_str()), ("approved", "lead-a"));
    assert_eq!(lead.decide_leave(decide(true)).await.expect_err("twice").code(), Code::FailedPrecondition);

    let after = jan
        .get_leave_balance(GetLeaveBalanceRequest { employee_id: "jan".into(), year, language: String::new() })
        .await
        .expect("a")
        .into_inner();
    assert!((before.remaining - after.remaining - 32.0).abs() < 1e-9, "{before:?} → {after:?}");

    eventually("leave events governed", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        let forwarded = trail.iter().filter(|r| r.action == "event.forwarded" && r.purpose == "people.leave").count();
        (forwarded >= 2).then_some(())
    })
    .await;
}

async fn sickness_creates_the_statutory_tasks(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    hire(&mut hr, "boss", "NL", "", "").await;
    hire(&mut hr, "nl-1", "NL", "", "boss").await;
    hire(&mut hr, "de-1", "DE", "HE", "boss").await;
    hr.set_contract(contract("nl-1", "2020-01-01", 40.0, 5)).await.expect("contract");
    hr.set_contract(contract("de-1", "2020-01-01", 40.0, 5)).await.expect("contract");

    let mut nl = people(&app, "nl-1", &[Role::Employee]).await;
    let spell = nl
        .report_sick(ReportSickRequest { employee_id: "nl-1".into(), first_day: "2026-01-05".into() })
        .await
        .expect("sick")
        .into_inner();
    let uwv = spell.tasks.iter().find(|t| t.kind == "uwv_notification").expect("week 42");
    assert_eq!(uwv.due, "2026-10-26");
    assert!(spell.tasks.iter().any(|t| t.kind == "plan_of_action" && t.due == "2026-03-02"), "{:?}", spell.tasks);
    assert!(!uwv.description.is_empty());
    let twice = nl.report_sick(ReportSickRequest { employee_id: "nl-1".into(), first_day: "2026-01-06".into() }).await;
    let twice = twice.expect_err("already sick");
    assert_eq!((twice.code(), reason(&twice).as_deref()), (Code::FailedPrecondition, Some("ALREADY_SICK")));

    let mut boss = people(&app, "boss", &[Role::Manager]).await;
    let de = boss
        .report_sick(ReportSickRequest { employee_id: "de-1".into(), first_day: "2026-03-02".into() })
        .await
        .expect("sick")
        .into_inner();
    let due = |kind: &str| de.tasks.iter().find(|t| t.kind == kind).map(|t| t.due.clone());
    assert_eq!(due("eau_retrieval").as_deref(), Some("2026-03-05"));
    assert_eq!(due("continued_pay_ends").as_deref(), Some("2026-04-12"));
    // Back after 7 weeks: the BEM offer was due when the 43rd day was reached.
    let back = boss
        .report_recovery(ReportRecoveryRequest { employee_id: "de-1".into(), recovered_on: "2026-04-20".into() })
        .await
        .expect("recovered")
        .into_inner();
    assert_eq!(back.recovered_on, "2026-04-20");
    assert!(back.tasks.iter().any(|t| t.kind == "bem_offer" && t.due == "2026-04-13"), "{:?}", back.tasks);
    let listed = hr.list_sickness(ListSicknessRequest { employee_id: "de-1".into() }).await.expect("list").into_inner();
    assert_eq!(listed.spells.len(), 1);
}

async fn payslips_are_explained_and_certificates_verified(mode: RunMode) {
    let app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    hire(&mut hr, "boss", "NL", "", "").await;
    hire(&mut hr, "jan", "NL", "", "boss").await;
    hr.set_contract(contract("jan", "2021-04-01", 40.0, 5)).await.expect("contract");
    let export = "employee,period,code,label,kind,amount\n\
        jan,2026-03,SALARIS,Salaris,earning,3500.00\n\
        jan,2026-03,OVERWERK,Overwerk,earning,150.00\n\
        jan,2026-03,LH,Loonheffing,deduction,820.00\n\
        jan,2026-04,SALARIS,Salaris,earning,3500.00\n\
        jan,2026-04,LH,Loonheffing,deduction,777.60\n";
    let bad = export.replace("777.60", "zeven");
    let refused = hr
        .import_payslips(ImportPayslipsRequest { content: bad.into_bytes(), dry_run: false })
        .await
        .expect("report")
        .into_inner();
    assert_eq!(refused.errors.len(), 1, "{refused:?}");
    assert_eq!(refused.errors[0].line, 6);
    let report = hr
        .import_payslips(ImportPayslipsRequest { content: export.as_bytes().to_vec(), dry_run: false })
        .await
        .expect("import")
        .into_inner();
    assert_eq!((report.payslips, report.errors.len()), (2, 0));

    let mut jan = people(&app, "jan", &[Role::Employee]).await;
    let nl = jan
        .explain_payslip(ExplainPayslipRequest { employee_id: "jan".into(), ..Default::default() })
        .await
        .expect("explain")
        .into_inner();
    assert_eq!((nl.period.as_str(), nl.previous_period.as_str(), nl.net), ("2026-04", "2026-03", 272_240));
    assert_eq!(nl.explanations.len(), 2);
    let why = nl.difference.join(" ");
    assert!(why.contains("lager") && why.contains("Overwerk"), "{why}");
    let en = jan
        .explain_payslip(ExplainPayslipRequest {
            employee_id: "jan".into(),
            period: "2026-04".into(),
            language: "en".into(),
        })
        .await
        .expect("explain en")
        .into_inner();
    assert!(en.difference.join(" ").contains("lower"), "{:?}", en.difference);
    // Pay is private: not even the manager reads it.
    let mut boss = people(&app, "boss", &[Role::Manager]).await;
    let denied = boss.explain_payslip(ExplainPayslipRequest { employee_id: "jan".into(), ..Default::default() }).await;
    assert_eq!(denied.expect_err("manager").code(), Code::PermissionDenied);

    // A new address, validated per country.
    let address = |postcode: &str| Address {
        street: "Oudegracht".into(),
        house_number: "12a".into(),
        postcode: postcode.into(),
        city: "Utrecht".into(),
        country: "NL".into(),
    };
    let change = |postcode: &str| ChangeAddressRequest {
        employee_id: "jan".into(),
        address: Some(address(postcode)),
        effective_from: "2026-05-01".into(),
    };
    let bad = jan.change_address(change("12345")).await.expect_err("German postcode in NL");
    assert_eq!(bad.code(), Code::InvalidArgument);
    let moved = jan.change_address(change("3511ab")).await.expect("moved").into_inner();
    assert_eq!(moved.private_address.map(|a| a.postcode), Some("3511 AB".to_owned()));

    // A certificate in German, verified with and without its PDF; a changed PDF is refused.
    let document = jan
        .issue_certificate(IssueCertificateRequest { employee_id: "jan".into(), language: "de".into() })
        .await
        .expect("certificate")
        .into_inner();
    assert!(document.pdf.starts_with(b"%PDF"));
    // A landlord or bank verifies without an account: no token at all.
    let mut bank = DocumentVerificationServiceClient::new(app.channel("people").await);
    let verify =
        |pdf: Vec<u8>| VerifyDocumentRequest { verification_code: document.verification_code.to_lowercase(), pdf };
    let ok = bank.verify_document(verify(Vec::new())).await.expect("verify").into_inner();
    assert!(ok.valid, "{ok:?}");
    let until = date_of_ms(now_ms() + 90 * 86_400_000);
    assert_eq!((document.valid_until.as_str(), ok.valid_until.as_str()), (&*format_date(until), &*format_date(until)));
    let listed = jan.list_documents(ListDocumentsRequest { employee_id: "jan".into() }).await.expect("list");
    let listed = listed.into_inner().documents;
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].verification_code.as_str(), listed[0].pdf.is_empty()), (&*document.verification_code, true));
    assert!(ok.statement.contains("Person jan") && ok.statement.contains("2021-04-01"), "{}", ok.statement);
    assert!(bank.verify_document(verify(document.pdf.clone())).await.expect("verify pdf").into_inner().valid);
    let mut tampered = document.pdf.clone();
    let at = tampered.windows(2).position(|w| w == b"40").expect("hours in the PDF");
    tampered[at] = b'4';
    tampered[at + 1] = b'8';
    let refused = bank.verify_document(verify(tampered)).await.expect("verify tampered").into_inner();
    assert_eq!((refused.valid, refused.reason.as_str()), (false, "changed_document"));
    let unknown = VerifyDocumentRequest { verification_code: "0000-0000-0000-0000".into(), pdf: Vec::new() };
    assert_eq!(bank.verify_document(unknown).await.expect("unknown").into_inner().reason, "unknown_code");
}

async fn retention_sweeps_expired_records_and_payroll_is_held_against_erasure(mode: RunMode) {
    let mut app = TestApp::spawn(mode).await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    hire(&mut hr, "boss", "NL", "", "").await;
    hire(&mut hr, "piet", "NL", "", "boss").await;
    hr.set_contract(contract("piet", "2015-01-01", 40.0, 5)).await.expect("contract");
    let sick = |first: &str| ReportSickRequest { employee_id: "piet".into(), first_day: first.into() };
    let back = |day: &str| ReportRecoveryRequest { employee_id: "piet".into(), recovered_on: day.into() };
    hr.report_sick(sick("2019-01-07")).await.expect("old spell");
    hr.report_recovery(back("2019-02-01")).await.expect("back");
    hr.report_sick(sick("2026-09-07")).await.expect("recent spell");
    hr.report_recovery(back("2026-09-10")).await.expect("back");
    let export = "employee,period,code,label,kind,amount\n\
        piet,2018-01,SALARIS,Salaris,earning,3000.00\n\
        piet,2026-10,SALARIS,Salaris,earning,3200.00\n";
    let report = hr
        .import_payslips(ImportPayslipsRequest { content: export.as_bytes().to_vec(), dry_run: false })
        .await
        .expect("payslips")
        .into_inner();
    assert!(report.errors.is_empty(), "{report:?}");

    // The sweeper runs at start: the 2019 spell passed its two years, the 2018 payslip its 7.
    app.restart().await;
    let mut hr = people(&app, "hr-1", &[Role::HrAdmin]).await;
    let spells = hr.list_sickness(ListSicknessRequest { employee_id: "piet".into() }).await.expect("list").into_inner();
    let firsts: Vec<&str> = spells.spells.iter().map(|s| s.first_day.as_str()).collect();
    assert_eq!(firsts, ["2026-09-07"]);
    let slips = hr.list_payslips(ListPayslipsRequest { employee_id: "piet".into() }).await.expect("slips").into_inner();
    let periods: Vec<&str> = slips.payslips.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(periods, ["2026-10"]);
    eventually("sweeps audited", PATIENCE, || async {
        let trail = audit_trail(&app).await;
        let swept: Vec<&str> =
            trail.iter().filter(|r| r.action == "retention.swept").map(|r| r.purpose.as_str()).collect();
        (swept.contains(&"people.absence") && swept.contains(&"people.payroll")).then_some(())
    })
    .await;

    // Erasure takes everything but the payslips, which the law makes the employer keep.
    let mut own = GovernanceServiceClient::new(app.authed("governance", "piet", &[Role::Employee]).await);
    let request = RequestErasureRequest { subject: "piet".into(), reason: "left the company".into() };
    let request_id = own.request_erasure(request).await.expect("erasure").into_inner().request_id;
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
    let people_items = &report.services.iter().find(|s| s.service == "people").expect("people confirmed").items;
    let held = people_items.iter().find(|i| i.kind == "payslips").expect("payslips held");
    assert_eq!(held.count, 1);
    assert!(
        held.action.starts_with("held: legal retention duty") && held.action.contains("art. 52"),
        "{}",
        held.action
    );
    assert!(
        people_items.iter().any(|i| i.kind == "employee" && i.count == 1 && i.action == "deleted"),
        "{people_items:?}"
    );
    let gone = hr.get_employee(GetEmployeeRequest { employee_id: "piet".into() }).await.expect_err("erased");
    assert_eq!(gone.code(), Code::NotFound);
    let kept = hr.list_payslips(ListPayslipsRequest { employee_id: "piet".into() }).await.expect("held").into_inner();
    assert_eq!(kept.payslips.len(), 1, "HR can still produce the payroll record the law requires");
}

/// `hrmesh people import` against a running server: bad rows listed with their line and exit
/// code 1, then the fixed file imported, with the HRIS's own column names mapped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_imports_an_hris_export_and_names_bad_rows() {
    let app = TestApp::spawn(RunMode::Embedded).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("afas-export.csv");
    let endpoint = format!("http://{}", app.addr("people"));
    let token = app.token("hr-1", &[Role::HrAdmin]);
    let import = move |csv: &'static str| {
        let (file, endpoint, token) = (file.clone(), endpoint.clone(), token.clone());
        async move {
            std::fs::write(&file, csv).expect("write export");
            let path = file.to_str().expect("utf-8").to_owned();
            tokio::task::spawn_blocking(move || {
                let args =
                    ["people", "import", &path, "--map", "employee_id=Personeelsnummer", "--map", "full_name=Naam"];
                let mut args: Vec<&str> = args.to_vec();
                args.extend(["--endpoint", &endpoint, "--token", &token]);
                crate::config::hrmesh_output(&args, &[])
            })
            .await
            .expect("run")
        }
    };
    let bad = import(
        "Personeelsnummer;Naam;work_email;work_country;job_title\n\
         P1;Jan Jansen;jan@acme.nl;NL;Chauffeur\n\
         P2;Piet;piet-at-acme;NL;Chauffeur\n\
         P3;Klaas;klaas@acme.nl;FR;Planner\n",
    )
    .await;
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("line 3: work_email") && stderr.contains("line 4: work_country"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    let good = import(
        "Personeelsnummer;Naam;work_email;work_country;job_title\n\
         P1;Jan Jansen;jan@acme.nl;NL;Chauffeur\n\
         P2;Piet;piet@acme.nl;NL;Chauffeur\n",
    )
    .await;
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    assert!(stdout.contains("2 rows — 2 created"), "{stdout}");
}

both_modes!(
    import_of_a_company_names_bad_rows_and_is_idempotent,
    managers_act_only_on_their_line,
    leave_years_follow_each_countrys_law,
    leave_is_approved_by_the_line_and_updates_the_balance,
    sickness_creates_the_statutory_tasks,
    payslips_are_explained_and_certificates_verified,
    retention_sweeps_expired_records_and_payroll_is_held_against_erasure,
);
