//! Figures about the assistant for HR: how many conversations it resolved without handing over,
//! what employees ask, what the handbook does not answer and how long resolution takes. They
//! describe people, so they pass the small-group guard: withheld when fewer than five employees
//! are behind them, or when they and an earlier answer for another period would single out a
//! small group.

use std::collections::BTreeMap;

use hrmesh_kit::{ApiError, Violations, groups, service::ServiceContext, time as clock};
use hrmesh_proto::selfservice::v1 as pb;
use time::{Date, Duration};

/// Audience under which released member sets are remembered.
const AUDIENCE: &str = "selfservice.figures";
/// Longest period one call may cover.
const MAX_DAYS: i64 = 366;
/// The period when none is asked for.
const DEFAULT_DAYS: i64 = 30;

/// The period asked for: the last 30 days when empty.
pub fn period(req: &pb::GetAssistantFiguresRequest, today: Date) -> Result<(Date, Date), ApiError> {
    let mut v = Violations::default();
    let from = v.check(clock::parse_optional_date("from", &req.from));
    let to = v.check(clock::parse_optional_date("to", &req.to));
    let (Some(from), Some(to)) = (from, to) else { return Err(v.into_error()) };
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    if to < from || (to - from).whole_days() >= MAX_DAYS {
        v.add("to", format!("must be on or after from, at most {MAX_DAYS} days later"));
        return Err(v.into_error());
    }
    Ok((from, to))
}

fn start_ms(date: Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp() * 1000
}

#[derive(sqlx::FromRow)]
struct Row {
    employee_id: String,
    opened_at: i64,
    first_message_at: Option<i64>,
    resolved_at: Option<i64>,
    handed_over: i64,
}

/// The median of `values` (0 when empty).
fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) { f64::midpoint(values[mid - 1], values[mid]) } else { values[mid] }
}

/// The figures over the conversations opened from `from` to `to` (inclusive).
pub async fn figures(ctx: &ServiceContext, from: Date, to: Date) -> Result<pb::AssistantFigures, ApiError> {
    let (lo, hi) = (start_ms(from), start_ms(to + Duration::days(1)));
    let mut conn = ctx.db.pool().acquire().await?;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT employee_id, opened_at, first_message_at, resolved_at, handed_over FROM conversations
         WHERE opened_at >= $1 AND opened_at < $2",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    let mut members: BTreeMap<String, i64> = BTreeMap::new();
    for row in &rows {
        let since = members.entry(row.employee_id.clone()).or_insert(row.opened_at);
        *since = (*since).min(row.opened_at);
    }
    let mut out = pb::AssistantFigures {
        from: clock::format_date(from),
        to: clock::format_date(to),
        ..pb::AssistantFigures::default()
    };
    let query = format!("{}..{}", out.from, out.to);
    let release = groups::release(&mut conn, AUDIENCE, &query, &members).await?;
    if let Some(reason) = release.reason() {
        out.withheld_reason = reason;
        return Ok(out);
    }
    let active: Vec<&Row> = rows.iter().filter(|r| r.first_message_at.is_some()).collect();
    let automated = active.iter().filter(|r| r.resolved_at.is_some() && r.handed_over == 0).count();
    let durations: Vec<f64> = active
        .iter()
        .filter_map(|r| Some((r.resolved_at? - r.first_message_at?) as f64 / 1000.0))
        .map(|s| s.max(0.0))
        .collect();
    let intents: Vec<(String, i64)> = sqlx::query_as(
        "SELECT intent, COUNT(*) FROM messages WHERE author = 'employee' AND created_at >= $1 AND created_at < $2
         GROUP BY intent ORDER BY COUNT(*) DESC, intent",
    )
    .bind(lo)
    .bind(hi)
    .fetch_all(&mut *conn)
    .await?;
    let unanswered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM unanswered_questions WHERE answered_by_faq IS NULL AND asked_at >= $1 AND asked_at < $2",
    )
    .bind(lo)
    .bind(hi)
    .fetch_one(&mut *conn)
    .await?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    out.released = true;
    out.conversations = count(rows.len());
    out.automation_rate = if active.is_empty() { 0.0 } else { automated as f64 / active.len() as f64 };
    out.handovers = count(rows.iter().filter(|r| r.handed_over != 0).count());
    out.intents = intents
        .into_iter()
        .map(|(intent, n)| pb::IntentCount { intent, count: u32::try_from(n).unwrap_or(u32::MAX) })
        .collect();
    out.unanswered_questions = u32::try_from(unanswered).unwrap_or(u32::MAX);
    out.median_seconds_to_resolution = median(durations);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![30.0, 10.0, 20.0]), 20.0);
        assert_eq!(median(vec![40.0, 10.0, 20.0, 30.0]), 25.0);
        assert_eq!(median(Vec::new()), 0.0);
    }

    #[test]
    fn the_period_defaults_to_the_last_thirty_days_and_is_bounded() {
        let today = Date::from_calendar_date(2026, time::Month::December, 3).expect("date");
        let (from, to) = period(&pb::GetAssistantFiguresRequest::default(), today).expect("default");
        assert_eq!((clock::format_date(from), clock::format_date(to)), ("2026-11-04".into(), "2026-12-03".into()));
        let long = pb::GetAssistantFiguresRequest { from: "2025-01-01".into(), to: "2026-12-01".into() };
        assert!(matches!(period(&long, today), Err(ApiError::InvalidArgument(_))));
    }
}
