//! People benchmark (embedded mode, every service in-process): import of a 250-employee company
//! with contracts, five years of leave and sickness through the API, and the leave balance of
//! every employee (entitlement under the statutory rules, holidays, carry-over and expiry).
//!
//! `scripts/bench-people.sh [employees]` (default 250).
#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

mod support;

use std::{fmt::Write as _, time::Instant};

use futures_util::StreamExt;
use hrmesh_kit::{auth::Role, runtime};
use hrmesh_proto::people::v1::{
    GetLeaveBalanceRequest, ImportEmployeesRequest, ReportRecoveryRequest, ReportSickRequest, RequestLeaveRequest,
    people_service_client::PeopleServiceClient,
};

/// A company of `n`: a CEO, four leads, everyone else below them; every fifth in Bavaria.
fn company(n: usize) -> String {
    let mut csv = String::from(
        "employee_id,full_name,work_email,work_country,work_region,org_unit_id,job_title,manager_id,postcode,street,\
         house_number,city,contract_start,weekly_hours,days_per_week\n",
    );
    for i in 0..n {
        let manager = match i {
            0 => String::new(),
            1..=4 => "e0000".into(),
            _ => format!("e{:04}", 1 + i % 4),
        };
        let (country, region, postcode) = if i % 5 == 0 { ("DE", "BY", "80331") } else { ("NL", "", "3511 LX") };
        writeln!(
            csv,
            "e{i:04},Person {i},e{i}@acme.example,{country},{region},,Operator,{manager},{postcode},Hoofdstraat,{},Stad,\
             2018-01-01,{},{}",
            i + 1,
            if i % 3 == 0 { 32 } else { 40 },
            if i % 3 == 0 { 4 } else { 5 },
        )
        .unwrap();
    }
    csv
}

/// The day of the month of the second Monday (Sakamoto's day-of-week method).
fn second_monday(year: i32, month: u8) -> u8 {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let weekday_of_first = (y + y / 4 - y / 100 + y / 400 + T[usize::from(month) - 1] + 1).rem_euclid(7); // 0 = Sunday
    let first_monday = (8 - weekday_of_first) % 7 + 1;
    u8::try_from(first_monday + 7).unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(250);
    let dir = tempfile::tempdir().unwrap();
    let config = support::embedded_config(dir.path());
    let running = runtime::start(config.clone(), &hrmesh::all_services()).await.unwrap();
    let (channel, auth) = support::connect(&config, &running, "hr-bench", &[Role::HrAdmin]).await;
    let hr = PeopleServiceClient::with_interceptor(channel, auth);

    let csv = company(n);
    let started = Instant::now();
    let report = hr
        .clone()
        .import_employees(ImportEmployeesRequest { content: csv.clone().into_bytes(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    let import_s = started.elapsed().as_secs_f64();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    println!(
        "import: {n} employees with contracts in {:.2} s ({:.0} rows/s, {} bytes)",
        import_s,
        n as f64 / import_s,
        csv.len()
    );
    let started = Instant::now();
    let again = hr
        .clone()
        .import_employees(ImportEmployeesRequest { content: csv.into_bytes(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    println!("re-import (unchanged {}): {:.2} s", again.unchanged, started.elapsed().as_secs_f64());

    // Five years (2021–2025) of history per employee: two sick spells and three leave requests a
    // year, in order per employee, 8 employees at a time.
    let started = Instant::now();
    futures_util::stream::iter((0..n).map(|i| {
        let mut hr = hr.clone();
        async move {
            let id = format!("e{i:04}");
            for year in 2021..=2025 {
                for (k, month) in [3u8, 7, 10].into_iter().enumerate() {
                    let day = 4 + (i % 3) as u8 + k as u8;
                    if month != 7 {
                        let first = format!("{year}-{month:02}-{day:02}");
                        let back = format!("{year}-{month:02}-{:02}", day + 3);
                        hr.report_sick(ReportSickRequest { employee_id: id.clone(), first_day: first }).await.unwrap();
                        let recovery = ReportRecoveryRequest { employee_id: id.clone(), recovered_on: back };
                        hr.report_recovery(recovery).await.unwrap();
                    }
                    // Monday to Wednesday of the second week of the next month.
                    let monday = second_monday(year, month + 1);
                    let request = RequestLeaveRequest {
                        employee_id: id.clone(),
                        start_date: format!("{year}-{:02}-{monday:02}", month + 1),
                        end_date: format!("{year}-{:02}-{:02}", month + 1, monday + 2),
                        ..Default::default()
                    };
                    hr.request_leave(request).await.unwrap();
                }
            }
        }
    }))
    .buffer_unordered(8)
    .collect::<Vec<()>>()
    .await;
    let history_s = started.elapsed().as_secs_f64();
    let (leave, spells) = (n * 15, n * 10);
    println!(
        "history: {leave} leave requests and {spells} sick spells (reported and recovered) in {history_s:.1} s \
         ({:.0} calls/s)",
        (leave + 2 * spells) as f64 / history_s
    );

    for year in [2025, 2026] {
        let started = Instant::now();
        let mut latencies = Vec::with_capacity(n);
        for i in 0..n {
            let one = Instant::now();
            let balance = hr
                .clone()
                .get_leave_balance(GetLeaveBalanceRequest {
                    employee_id: format!("e{i:04}"),
                    year,
                    language: String::new(),
                })
                .await
                .unwrap()
                .into_inner();
            std::hint::black_box(balance);
            latencies.push(one.elapsed().as_secs_f64() * 1000.0);
        }
        let total = started.elapsed().as_secs_f64();
        latencies.sort_by(f64::total_cmp);
        println!(
            "balance {year} of every employee: {:.2} s for {n} ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms",
            total,
            n as f64 / total,
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99)
        );
    }
    running.stop().await.unwrap();
}
