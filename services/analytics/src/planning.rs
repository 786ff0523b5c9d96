//! Workforce planning: the monthly headcount history of a scope (from the feature store, behind
//! the small-group guard, or given by the caller) and its forecast with intervals and a scenario.

use std::collections::BTreeMap;

use hrmesh_kit::{ApiError, FieldViolation, Violations, groups, time};
use hrmesh_proto::analytics::v1 as pb;
use sqlx::AnyConnection;

use crate::{
    features,
    forecast::{self, MIN_HISTORY, Scenario},
    scope::Scope,
    spans::{self, Month, Sources},
};

/// Audience of headcount figures for the differencing check.
const AUDIENCE: &str = "analytics.headcount";
/// Longest history fitted, in months.
const MAX_HISTORY: i32 = 60;

/// A parsed forecast request.
#[derive(Debug, Clone)]
pub struct Plan {
    pub horizon: usize,
    pub confidence: f64,
    z: f64,
    /// Given by the caller; empty: from the feature store.
    pub history: Vec<(Month, f64)>,
    pub scenario: Scenario,
}

pub fn parse(req: &pb::ForecastHeadcountRequest) -> Result<Plan, ApiError> {
    let mut v = Violations::default();
    let horizon = if req.horizon_months == 0 { 12 } else { req.horizon_months as usize };
    if horizon > 36 {
        v.add("horizon_months", "must be 1 to 36 (12 when 0)");
    }
    let confidence = if req.confidence == 0.0 { 0.95 } else { req.confidence };
    let z = forecast::z_for(confidence);
    if z.is_none() {
        v.add("confidence", "must be 0.8, 0.9 or 0.95 (0.95 when 0)");
    }
    let mut history = Vec::with_capacity(req.history.len());
    for (i, h) in req.history.iter().enumerate() {
        let month = v.check(Month::parse(&format!("history[{i}].month"), &h.month));
        if !h.headcount.is_finite() || h.headcount < 0.0 {
            v.add(&format!("history[{i}].headcount"), "must be a number of at least 0");
        }
        if let Some(m) = month {
            if history.last().is_some_and(|&(last, _): &(Month, f64)| last.plus(1) != m) {
                v.add(&format!("history[{i}].month"), "months must be consecutive, oldest first");
            }
            history.push((m, h.headcount));
        }
    }
    if history.len() > MAX_HISTORY as usize {
        v.add("history", format!("at most {MAX_HISTORY} months"));
    }
    let s = req.scenario.unwrap_or_default();
    if !s.growth_percent.is_finite() || !(-100.0..=1000.0).contains(&s.growth_percent) {
        v.add("scenario.growth_percent", "must be between -100 and 1000");
    }
    if !s.attrition_rate.is_finite() || !(0.0..=1.0).contains(&s.attrition_rate) {
        v.add("scenario.attrition_rate", "must be a share between 0 and 1 (0: the history's)");
    }
    v.finish()?;
    Ok(Plan {
        horizon,
        confidence,
        z: z.unwrap_or(1.96),
        history,
        scenario: Scenario {
            hiring_freeze: s.hiring_freeze,
            growth_percent: s.growth_percent,
            attrition_rate: (s.attrition_rate > 0.0).then_some(s.attrition_rate),
        },
    })
}

/// The monthly headcount history of `scope` up to this month and its annual attrition, or why it
/// is withheld. It comes from the directory stream, and for the company's months before hrmesh
/// saw the directory from contract dates; the guard compares the directory pseudonyms present
/// this month.
pub async fn observed(
    conn: &mut AnyConnection,
    scope: &Scope,
) -> Result<Result<(Vec<(Month, f64)>, Option<f64>), String>, ApiError> {
    let today = time::today();
    let now = Month::of(today);
    let history = features::directory_history(&mut *conn).await?;
    let directory = spans::directory_spans(&history, scope.units());
    let contracts = match scope {
        Scope::Company => Some(spans::contract_spans(&features::contract_versions(&mut *conn).await?, today)),
        Scope::Unit { .. } => None,
    };
    let sources = Sources { directory: &directory, contracts: contracts.as_deref() };
    let mut members: BTreeMap<String, i64> = BTreeMap::new();
    for s in directory.iter().filter(|s| s.present_in(now)) {
        let since = members.entry(s.member.clone()).or_insert(s.since_ms);
        *since = (*since).min(s.since_ms);
    }
    let release = groups::release(conn, AUDIENCE, &scope.query(), &members).await?;
    if let Some(reason) = release.reason() {
        return Ok(Err(reason));
    }
    let first = sources.first().unwrap_or(now).max(now.plus(-(MAX_HISTORY - 1)));
    Ok(Ok((spans::headcount_series(&sources, first, now), spans::annual_attrition(&sources, now))))
}

/// Fits and forecasts `history` under the plan's scenario.
pub fn forecast(
    plan: &Plan,
    history: &[(Month, f64)],
    attrition: Option<f64>,
) -> Result<pb::HeadcountForecast, ApiError> {
    let values: Vec<f64> = history.iter().map(|&(_, h)| h).collect();
    let holt = forecast::fit(&values).ok_or_else(|| {
        ApiError::FailedPrecondition(format!(
            "a forecast needs at least {MIN_HISTORY} months of history; {} available",
            values.len()
        ))
    })?;
    let base = holt.forecast(plan.horizon, plan.z);
    let last = values.last().copied().unwrap_or(0.0);
    let points = forecast::apply(&base, last, attrition, &plan.scenario).ok_or_else(|| {
        ApiError::InvalidArgument(vec![FieldViolation::new(
            "scenario.attrition_rate",
            "a hiring freeze or a changed rate needs an attrition rate: the history shows none (give one)",
        )])
    })?;
    let last_month = history.last().map_or(Month::of(time::today()), |&(m, _)| m);
    let rate = plan.scenario.attrition_rate.or(attrition).unwrap_or(0.0);
    Ok(pb::HeadcountForecast {
        org_unit_id: String::new(),
        history: history.iter().map(|&(m, h)| pb::MonthlyHeadcount { month: m.label(), headcount: h }).collect(),
        points: points
            .iter()
            .enumerate()
            .map(|(k, p)| pb::ForecastPoint {
                month: last_month.plus(i32::try_from(k + 1).unwrap_or(i32::MAX)).label(),
                headcount: p.headcount,
                lower: p.lower,
                upper: p.upper,
            })
            .collect(),
        alpha: holt.alpha,
        beta: holt.beta,
        residual_sd: holt.residual_sd,
        confidence: plan.confidence,
        attrition_rate: rate,
        method: format!(
            "Holt's linear exponential smoothing (alpha {:.2}, beta {:.2}, least squares on a grid) over {} months; \
             {:.0} % prediction intervals from the one-step residuals (ETS(A,A,N) variance); scenario applied on top \
             of the trend. The trend repeats past hiring and leaving: planned reorganisations, known contract ends \
             and retirements are not in it.",
            holt.alpha,
            holt.beta,
            values.len(),
            plan.confidence * 100.0
        ),
        withheld: String::new(),
    })
}
