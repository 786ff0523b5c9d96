//! A job's life after it opened: closing and reopening it (each an audited event), and the
//! rule that applications are taken only for an open job.

use hrmesh_kit::{
    ApiError,
    auth::Principal,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::recruiting::v1::{Job, JobClosed, JobReopened};
use sqlx::{AnyConnection, Row};

use crate::{application::PURPOSE, jobs};

/// Ok if `job_id` exists and takes applications.
pub async fn require_open(conn: &mut AnyConnection, job_id: &str) -> Result<(), ApiError> {
    let row = sqlx::query("SELECT closed_at FROM jobs WHERE job_id = $1")
        .bind(job_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no job {job_id}: apply to an existing job")))?;
    if row.try_get::<Option<i64>, _>(0)?.is_some() {
        return Err(ApiError::FailedPrecondition(format!("job {job_id} is closed and takes no applications")));
    }
    Ok(())
}

/// Closes (`open = false`) or reopens a job, with the event that says who did it and why.
pub async fn set_open(
    ctx: &ServiceContext,
    caller: &Principal,
    job_id: &str,
    reason: &str,
    open: bool,
) -> Result<Job, ApiError> {
    let job_id = identifier("job_id", job_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let reason = required_text("reason", reason, 500).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let mut tx = ctx.db.begin().await?;
    let row = sqlx::query("SELECT closed_at FROM jobs WHERE job_id = $1")
        .bind(&job_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no job {job_id}")))?;
    let is_open = row.try_get::<Option<i64>, _>(0)?.is_none();
    if is_open == open {
        let state = if open { "open" } else { "closed" };
        return Err(ApiError::FailedPrecondition(format!("job {job_id} is already {state}")));
    }
    let now = time::now_ms();
    sqlx::query("UPDATE jobs SET closed_at = $1, updated_at = $2 WHERE job_id = $3")
        .bind((!open).then_some(now))
        .bind(now)
        .bind(&job_id)
        .execute(&mut *tx)
        .await?;
    let envelope = if open {
        let event = JobReopened { job_id: job_id.clone(), reopened_by: caller.subject.clone(), reason };
        ctx.events.envelope(&job_id, PURPOSE, &event)
    } else {
        let event = JobClosed { job_id: job_id.clone(), closed_by: caller.subject.clone(), reason };
        ctx.events.envelope(&job_id, PURPOSE, &event)
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
    ctx.commit(tx).await?;
    jobs::get(ctx, &job_id).await
}

/// Whether `candidate` applied to `job_id`.
pub async fn applied(ctx: &ServiceContext, candidate: &str, job_id: &str) -> Result<bool, ApiError> {
    Ok(sqlx::query("SELECT 1 FROM applications WHERE candidate_id = $1 AND job_id = $2")
        .bind(candidate)
        .bind(job_id)
        .fetch_optional(ctx.db.pool())
        .await?
        .is_some())
}
