//! Figures for HR by cohort (start month): completion of the core plan, time to complete it,
//! probation outcomes and first-year attrition. Every cohort goes through the small-group guard
//! (`kit::groups`): fewer than five hires, or a difference of fewer than five with an earlier
//! answer, and the cohort's figures are withheld with the reason.

use std::collections::BTreeMap;

use hrmesh_kit::{ApiError, Violations, groups, locale::Locale, service::ServiceContext, time};
use hrmesh_proto::onboarding::v1 as pb;
use sqlx::AnyConnection;

/// The audience of the guard's memory.
const AUDIENCE: &str = "onboarding.figures";

#[derive(sqlx::FromRow)]
struct PlanRow {
    employee_id: String,
    start_date: String,
    created_at: i64,
    outcome: String,
    left_on: String,
}

#[derive(sqlx::FromRow)]
struct CoreTask {
    employee_id: String,
    status: String,
    closed_on: String,
}

/// The figures of one cohort's plans (before the guard).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Cohort {
    pub hires: u32,
    pub completion_rate: f64,
    pub median_days: f64,
    pub passed: u32,
    pub failed: u32,
    pub left_first_year: u32,
}

/// The median of `v` (0 when empty).
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] }
}

/// Computes the figures for each cohort from plan rows and core tasks.
fn compute(plans: &[PlanRow], core: &[CoreTask]) -> BTreeMap<String, (Cohort, BTreeMap<String, i64>)> {
    let mut out: BTreeMap<String, (Cohort, BTreeMap<String, i64>)> = BTreeMap::new();
    let mut durations: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut closed_share: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for p in plans {
        let cohort = p.start_date.get(..7).unwrap_or_default().to_owned();
        let entry = out.entry(cohort.clone()).or_default();
        entry.0.hires += 1;
        entry.1.insert(p.employee_id.clone(), p.created_at);
        match p.outcome.as_str() {
            "passed" => entry.0.passed += 1,
            "failed" => entry.0.failed += 1,
            _ => {}
        }
        let start = time::parse_date("start", &p.start_date).ok();
        let left = time::parse_optional_date("left_on", &p.left_on).ok().flatten();
        if let (Some(s), Some(l)) = (start, left)
            && (l - s).whole_days() < 365
        {
            entry.0.left_first_year += 1;
        }
        let mine: Vec<&CoreTask> = core.iter().filter(|t| t.employee_id == p.employee_id).collect();
        let closed = mine.iter().filter(|t| t.status != "open").count();
        let share = closed_share.entry(cohort.clone()).or_default();
        share.0 += closed;
        share.1 += mine.len();
        if !mine.is_empty() && closed == mine.len() {
            let last = mine.iter().filter_map(|t| time::parse_date("closed_on", &t.closed_on).ok()).max();
            if let (Some(s), Some(l)) = (start, last) {
                durations.entry(cohort).or_default().push((l - s).whole_days().max(0) as f64);
            }
        }
    }
    for (cohort, (figures, _)) in &mut out {
        let (closed, total) = closed_share.get(cohort).copied().unwrap_or_default();
        figures.completion_rate = if total == 0 { 0.0 } else { closed as f64 / total as f64 };
        figures.median_days = median(durations.get_mut(cohort).map(Vec::as_mut_slice).unwrap_or(&mut []));
    }
    out
}

/// Every cohort's figures, each released by the small-group guard or withheld with the reason.
pub async fn figures(conn: &mut AnyConnection, locale: Locale) -> Result<pb::OnboardingFigures, ApiError> {
    let plans: Vec<PlanRow> = sqlx::query_as(
        "SELECT employee_id, start_date, created_at, outcome, left_on FROM onboardings ORDER BY start_date",
    )
    .fetch_all(&mut *conn)
    .await?;
    let core: Vec<CoreTask> = sqlx::query_as("SELECT employee_id, status, closed_on FROM tasks WHERE learning = 0")
        .fetch_all(&mut *conn)
        .await?;
    let mut cohorts = Vec::new();
    for (cohort, (f, members)) in compute(&plans, &core) {
        let release = groups::release(conn, AUDIENCE, &format!("cohort:{cohort}"), &members).await?;
        if let Some(reason) = release.reason() {
            // The guard's reason carries all three languages; keep the caller's.
            let part = reason.split(" / ").nth(locale.index()).unwrap_or(&reason).to_owned();
            cohorts.push(pb::CohortFigures { cohort, withheld: true, reason: part, ..Default::default() });
            continue;
        }
        cohorts.push(pb::CohortFigures {
            cohort,
            hires: f.hires,
            withheld: false,
            reason: String::new(),
            completion_rate: f.completion_rate,
            median_days_to_complete: f.median_days,
            probation_passed: f.passed,
            probation_failed: f.failed,
            first_year_attrition: f64::from(f.left_first_year) / f64::from(f.hires.max(1)),
        });
    }
    Ok(pb::OnboardingFigures { cohorts })
}

/// A validated outcome.
#[derive(Debug)]
pub struct Outcome {
    pub outcome: String,
    pub on: ::time::Date,
    pub rationale: String,
}

impl Outcome {
    pub fn parse(req: &pb::RecordOutcomeRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        if !["passed", "failed", "left"].contains(&req.outcome.as_str()) {
            v.add("outcome", "passed, failed or left");
        }
        let on = v.check(time::parse_optional_date("on", &req.on)).flatten().unwrap_or_else(time::today);
        if req.rationale.trim().is_empty() || req.rationale.len() > 2000 {
            v.add("rationale", "required: why, in at most 2000 characters");
        }
        v.finish()?;
        Ok(Self { outcome: req.outcome.clone(), on, rationale: req.rationale.trim().to_owned() })
    }
}

/// Stores the outcome. The decision is logged in governance with the caller's own token
/// (`authorization`), so the reviewer is the person who decided: a failed probation has legal
/// effect and governance accepts it only from a person (GDPR art. 22).
pub async fn record(
    ctx: &ServiceContext,
    authorization: tonic::metadata::MetadataValue<tonic::metadata::Ascii>,
    employee_id: &str,
    reviewer: &str,
    o: &Outcome,
) -> Result<(), ApiError> {
    use hrmesh_proto::governance::v1::{RecordDecisionRequest, governance_service_client::GovernanceServiceClient};
    let mut conn = ctx.db.pool().acquire().await?;
    crate::plan::require(&mut conn, employee_id).await?;
    drop(conn);
    if o.outcome != "left" {
        let mut client = GovernanceServiceClient::new(ctx.peers.channel_to("governance")?);
        let mut request = tonic::Request::new(RecordDecisionRequest {
            subject: employee_id.to_owned(),
            purpose: crate::purposes::PLANS.into(),
            model_id: "onboarding.human-decision".into(),
            model_version: "1".into(),
            output: format!("probation {}", o.outcome),
            explanation: "decided by a person; onboarding progress and check-ins were available to them".into(),
            legal_effect: o.outcome == "failed",
            reviewer: reviewer.to_owned(),
            rationale: o.rationale.clone(),
            input_hash: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
                format!("{employee_id}|{}|{}", o.outcome, o.rationale).as_bytes(),
            )),
            ..Default::default()
        });
        request.metadata_mut().insert("authorization", authorization);
        request.set_timeout(std::time::Duration::from_secs(5));
        client
            .record_decision(request)
            .await
            .map_err(|s| ApiError::Unavailable(format!("governance cannot log the decision: {}", s.message())))?;
    }
    let mut tx = ctx.db.begin().await?;
    let (sql, value) = if o.outcome == "left" {
        ("UPDATE onboardings SET left_on = $2 WHERE employee_id = $1", time::format_date(o.on))
    } else {
        ("UPDATE onboardings SET outcome = $2 WHERE employee_id = $1", o.outcome.clone())
    };
    sqlx::query(sql).bind(employee_id).bind(value).execute(&mut *tx).await?;
    let d = time::format_date(o.on);
    let why = [
        format!("{} on {d} by {reviewer}: {}", o.outcome, o.rationale),
        format!("{} op {d} door {reviewer}: {}", o.outcome, o.rationale),
        format!("{} am {d} durch {reviewer}: {}", o.outcome, o.rationale),
    ];
    crate::plan::record_change(&mut tx, employee_id, "outcome", "", reviewer, &why).await?;
    ctx.commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: &str, start: &str, outcome: &str, left: &str) -> PlanRow {
        PlanRow {
            employee_id: id.into(),
            start_date: start.into(),
            created_at: 0,
            outcome: outcome.into(),
            left_on: left.into(),
        }
    }

    fn core(id: &str, status: &str, closed: &str) -> CoreTask {
        CoreTask { employee_id: id.into(), status: status.into(), closed_on: closed.into() }
    }

    #[test]
    fn cohorts_by_start_month_with_completion_time_outcomes_and_attrition() {
        let plans = [
            plan("a", "2027-01-04", "passed", ""),
            plan("b", "2027-01-11", "failed", "2027-03-01"),
            plan("c", "2027-02-01", "", ""),
        ];
        let tasks = [
            core("a", "done", "2027-01-14"),
            core("a", "skipped", "2027-01-24"),
            core("b", "open", ""),
            core("b", "done", "2027-01-12"),
            core("c", "open", ""),
        ];
        let out = compute(&plans, &tasks);
        let jan = &out["2027-01"].0;
        assert_eq!((jan.hires, jan.passed, jan.failed, jan.left_first_year), (2, 1, 1, 1));
        assert!((jan.completion_rate - 0.75).abs() < 1e-9);
        assert!((jan.median_days - 20.0).abs() < 1e-9, "only a completed: 20 days");
        assert_eq!(out["2027-02"].0.completion_rate, 0.0);
    }
}
