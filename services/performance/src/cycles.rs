//! 360° cycles: opened by the manager (or HR naming the manager) with a deadline; the employee
//! answers as `self`, the manager as `manager`; peers and reports are nominated (by the employee:
//! proposed, waiting for the manager or HR; by the manager or HR: approved) and answer
//! anonymously — an answer row keeps the rater's kind, never the rater. Raters who have not
//! answered are reminded through the outbox when the deadline is near.

use std::time::Duration;

use hrmesh_kit::{
    ApiError, Violations,
    auth::Principal,
    error::identifier,
    events::raw_topic,
    outbox,
    service::{ServiceContext, Worker},
    time,
};
use hrmesh_proto::performance::v1::{
    Cycle, CycleOpened, NominateRaterRequest, OpenCycleRequest, Rater, RaterReminded, SubmitAnswersRequest,
};
use tokio_util::sync::CancellationToken;

use crate::{privacy, purposes::CYCLES, questionnaire};

/// Days before the deadline from which raters are reminded.
const REMIND_DAYS: i64 = 3;
/// A rater is reminded at most once per this many milliseconds.
const REMIND_EVERY_MS: i64 = 20 * 3600 * 1000;

/// A validated new cycle.
#[derive(Debug)]
pub struct NewCycle {
    pub employee_id: String,
    pub period_start: String,
    pub period_end: String,
    pub deadline: String,
}

/// Validates dates and ids of a new cycle.
pub fn parse(req: &OpenCycleRequest) -> Result<NewCycle, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("employee_id", &req.employee_id));
    let start = v.check(time::parse_date("period_start", &req.period_start));
    let end = v.check(time::parse_date("period_end", &req.period_end));
    let deadline = v.check(time::parse_date("deadline", &req.deadline));
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        v.add("period_end", "must not be before period_start");
    }
    if let Some(deadline) = deadline
        && deadline < time::today()
    {
        v.add("deadline", "must not be in the past");
    }
    v.finish()?;
    Ok(NewCycle {
        employee_id: req.employee_id.clone(),
        period_start: req.period_start.clone(),
        period_end: req.period_end.clone(),
        deadline: req.deadline.clone(),
    })
}

/// Stores the cycle with the employee (self) and manager as approved raters.
pub async fn open(ctx: &ServiceContext, by: &str, manager: &str, new: NewCycle) -> Result<Cycle, ApiError> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "INSERT INTO cycles (id, employee_id, manager_id, period_start, period_end, deadline, opened_by, opened_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&new.employee_id)
    .bind(manager)
    .bind(&new.period_start)
    .bind(&new.period_end)
    .bind(&new.deadline)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (rater, kind) in [(new.employee_id.as_str(), "self"), (manager, "manager")] {
        sqlx::query(
            "INSERT INTO cycle_raters (cycle_id, employee_id, rater_id, kind, status, nominated_by)
             VALUES ($1, $2, $3, $4, 'approved', $5)",
        )
        .bind(&id)
        .bind(&new.employee_id)
        .bind(rater)
        .bind(kind)
        .bind(by)
        .execute(&mut *tx)
        .await?;
    }
    let event = CycleOpened { cycle_id: id.clone(), deadline: new.deadline.clone() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&new.employee_id, CYCLES, &event)).await?;
    ctx.commit(tx).await?;
    load(ctx, &id).await
}

#[derive(sqlx::FromRow)]
struct CycleRow {
    id: String,
    employee_id: String,
    manager_id: String,
    period_start: String,
    period_end: String,
    deadline: String,
}

#[derive(sqlx::FromRow)]
struct RaterRow {
    rater_id: String,
    kind: String,
    status: String,
    nominated_by: String,
    answered_at: i64,
}

/// A cycle with its raters.
pub async fn load(ctx: &ServiceContext, cycle_id: &str) -> Result<Cycle, ApiError> {
    let id = identifier("cycle_id", cycle_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let row: CycleRow = sqlx::query_as(
        "SELECT id, employee_id, manager_id, period_start, period_end, deadline FROM cycles WHERE id = $1",
    )
    .bind(&id)
    .fetch_optional(ctx.db.pool())
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("cycle {id} does not exist")))?;
    let raters: Vec<RaterRow> = sqlx::query_as(
        "SELECT rater_id, kind, status, nominated_by, answered_at FROM cycle_raters WHERE cycle_id = $1
         ORDER BY kind, rater_id",
    )
    .bind(&id)
    .fetch_all(ctx.db.pool())
    .await?;
    Ok(Cycle {
        cycle_id: row.id,
        employee_id: row.employee_id,
        manager_id: row.manager_id,
        period_start: row.period_start,
        period_end: row.period_end,
        deadline: row.deadline,
        raters: raters
            .into_iter()
            .map(|r| Rater {
                rater_id: r.rater_id,
                kind: r.kind,
                status: r.status,
                nominated_by: r.nominated_by,
                answered: r.answered_at > 0,
            })
            .collect(),
    })
}

/// Adds a peer or report; approved at once unless the employee nominated.
pub async fn nominate(
    ctx: &ServiceContext,
    caller: &Principal,
    cycle: &Cycle,
    req: &NominateRaterRequest,
) -> Result<Cycle, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("rater_id", &req.rater_id));
    if !matches!(req.kind.as_str(), "peer" | "report") {
        v.add("kind", "must be peer or report");
    }
    if req.rater_id == cycle.employee_id || req.rater_id == cycle.manager_id {
        v.add("rater_id", "the employee and the manager answer as self and manager already");
    }
    v.finish()?;
    let status = if caller.subject == cycle.employee_id { "proposed" } else { "approved" };
    let inserted = sqlx::query(
        "INSERT INTO cycle_raters (cycle_id, employee_id, rater_id, kind, status, nominated_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&cycle.cycle_id)
    .bind(&cycle.employee_id)
    .bind(&req.rater_id)
    .bind(&req.kind)
    .bind(status)
    .bind(&caller.subject)
    .execute(ctx.db.pool())
    .await;
    inserted.map_err(|e| ApiError::on_conflict(e, || format!("{} is already nominated", req.rater_id)))?;
    load(ctx, &cycle.cycle_id).await
}

/// Approves or declines a proposed rater.
pub async fn decide(ctx: &ServiceContext, cycle: &Cycle, rater_id: &str, approve: bool) -> Result<Cycle, ApiError> {
    let status = if approve { "approved" } else { "declined" };
    let done = sqlx::query(
        "UPDATE cycle_raters SET status = $1 WHERE cycle_id = $2 AND rater_id = $3 AND kind IN ('peer', 'report')",
    )
    .bind(status)
    .bind(&cycle.cycle_id)
    .bind(rater_id)
    .execute(ctx.db.pool())
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("{rater_id} is not nominated in cycle {}", cycle.cycle_id)));
    }
    load(ctx, &cycle.cycle_id).await
}

/// Stores the caller's answers without their identity; returns the kind they answered as.
pub async fn submit(
    ctx: &ServiceContext,
    caller: &str,
    cycle: &Cycle,
    req: &SubmitAnswersRequest,
) -> Result<(String, u32), ApiError> {
    let rater = cycle
        .raters
        .iter()
        .find(|r| r.rater_id == caller && r.status == "approved")
        .ok_or_else(|| ApiError::PermissionDenied("you are not an approved rater of this cycle".into()))?;
    if rater.answered {
        return Err(ApiError::FailedPrecondition("you have answered this cycle already".into()));
    }
    if time::format_date(time::today()) > cycle.deadline {
        return Err(ApiError::FailedPrecondition(format!("the cycle's deadline {} has passed", cycle.deadline)));
    }
    let mut v = Violations::default();
    let mut seen = std::collections::BTreeSet::new();
    for (i, a) in req.answers.iter().enumerate() {
        let field = format!("answers[{i}]");
        match questionnaire::find(&a.question_id, hrmesh_kit::locale::Locale::En) {
            None => v.add(&format!("{field}.question_id"), "unknown question"),
            Some((questionnaire::RATING, _)) if !(1..=5).contains(&a.rating) => {
                v.add(&format!("{field}.rating"), "must be 1 to 5");
            }
            Some((questionnaire::OPEN, _)) if a.text.chars().count() > 2_000 => {
                v.add(&format!("{field}.text"), "must be at most 2000 characters");
            }
            _ => {}
        }
        if !seen.insert(a.question_id.as_str()) {
            v.add(&format!("{field}.question_id"), "answered twice");
        }
    }
    if req.answers.is_empty() {
        v.add("answers", "answer at least one question");
    }
    v.finish()?;
    let now = time::now_ms();
    let slot = uuid::Uuid::new_v4().to_string();
    let mut tx = ctx.db.begin().await?;
    let mut stored = 0;
    for a in &req.answers {
        let (kind, _) = questionnaire::find(&a.question_id, hrmesh_kit::locale::Locale::En).unwrap_or_default();
        let body = if kind == questionnaire::OPEN && !a.text.trim().is_empty() {
            privacy::seal(ctx, &mut tx, &cycle.employee_id, a.text.trim()).await?
        } else if kind == questionnaire::OPEN {
            continue;
        } else {
            String::new()
        };
        let rating = if kind == questionnaire::RATING { i64::from(a.rating) } else { 0 };
        // Answers of anonymous raters carry no time finer than the day, so the order of
        // submissions does not reveal who answered.
        let answered_at = if rater.kind == "peer" || rater.kind == "report" { now - now % 86_400_000 } else { now };
        sqlx::query(
            "INSERT INTO cycle_answers (id, cycle_id, employee_id, rater_kind, slot, question_id, rating, body, answered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&cycle.cycle_id)
        .bind(&cycle.employee_id)
        .bind(&rater.kind)
        .bind(&slot)
        .bind(&a.question_id)
        .bind(rating)
        .bind(body)
        .bind(answered_at)
        .execute(&mut *tx)
        .await?;
        stored += 1;
    }
    sqlx::query("UPDATE cycle_raters SET answered_at = $1 WHERE cycle_id = $2 AND rater_id = $3")
        .bind(now)
        .bind(&cycle.cycle_id)
        .bind(caller)
        .execute(&mut *tx)
        .await?;
    ctx.commit(tx).await?;
    Ok((rater.kind.clone(), stored))
}

/// Reminds every approved rater without an answer whose cycle's deadline is within
/// [`REMIND_DAYS`] (only `cycle`, when given); returns who was reminded.
pub async fn remind(ctx: &ServiceContext, cycle: Option<&str>) -> Result<Vec<String>, ApiError> {
    let today = time::today();
    let until = time::format_date(today + ::time::Duration::days(REMIND_DAYS));
    let now = time::now_ms();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT r.cycle_id, r.rater_id, c.deadline FROM cycle_raters r JOIN cycles c ON c.id = r.cycle_id
         WHERE r.status = 'approved' AND r.answered_at = 0 AND r.reminded_at < $1
           AND c.deadline >= $2 AND c.deadline <= $3 AND (c.id = $4 OR $4 = '')
         ORDER BY r.cycle_id, r.rater_id",
    )
    .bind(now - REMIND_EVERY_MS)
    .bind(time::format_date(today))
    .bind(&until)
    .bind(cycle.unwrap_or(""))
    .fetch_all(ctx.db.pool())
    .await?;
    let mut tx = ctx.db.begin().await?;
    let mut reminded = Vec::with_capacity(rows.len());
    for (cycle_id, rater_id, deadline) in rows {
        sqlx::query("UPDATE cycle_raters SET reminded_at = $1 WHERE cycle_id = $2 AND rater_id = $3")
            .bind(now)
            .bind(&cycle_id)
            .bind(&rater_id)
            .execute(&mut *tx)
            .await?;
        let event = RaterReminded { cycle_id, rater_id: rater_id.clone(), deadline };
        // The rater who must act is the event's subject.
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&rater_id, CYCLES, &event)).await?;
        reminded.push(rater_id);
    }
    ctx.commit(tx).await?;
    Ok(reminded)
}

/// Hourly reminders for every cycle.
pub fn reminder_worker(ctx: ServiceContext) -> Worker {
    Box::new(move |stop: CancellationToken| {
        Box::pin(async move {
            loop {
                if let Err(e) = remind(&ctx, None).await {
                    tracing::warn!(error = %e, "could not send 360° reminders; retrying next hour");
                }
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(Duration::from_secs(3600)) => {}
                }
            }
        })
    })
}
