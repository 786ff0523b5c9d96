//! The recruiting funnel projection: applications per job from `hr.governed.recruiting.v1`.

use hrmesh_kit::consumer::{EventHandler, HandlerError};
use hrmesh_proto::{
    analytics::v1::{GetApplicationCountsResponse, JobCount},
    events::v1::Envelope,
    recruiting::v1::CandidateApplied,
};
use prost::{Message, Name};
use sqlx::{AnyConnection, AnyPool, Row};

/// Keeps application counts up to date.
pub struct FunnelProjection;

#[tonic::async_trait]
impl EventHandler for FunnelProjection {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        if event.r#type != CandidateApplied::full_name() {
            return Ok(()); // other recruiting events do not change this projection
        }
        let applied = CandidateApplied::decode(event.data.as_slice())
            .map_err(|e| HandlerError::Permanent(format!("invalid CandidateApplied payload: {e}")))?;
        if applied.job_id.is_empty() {
            return Err(HandlerError::Permanent("CandidateApplied without job_id".into()));
        }
        sqlx::query(
            "INSERT INTO application_counts (job_id, applications) VALUES ($1, 1)
             ON CONFLICT (job_id) DO UPDATE SET applications = application_counts.applications + 1",
        )
        .bind(&applied.job_id)
        .execute(tx)
        .await?;
        Ok(())
    }
}

/// Counts overall and per job (one job when `job_id` is given).
pub async fn counts(pool: &AnyPool, job_id: Option<&str>) -> Result<GetApplicationCountsResponse, sqlx::Error> {
    let rows = match job_id {
        Some(job) => {
            sqlx::query("SELECT job_id, applications FROM application_counts WHERE job_id = $1")
                .bind(job)
                .fetch_all(pool)
                .await?
        }
        None => {
            sqlx::query("SELECT job_id, applications FROM application_counts ORDER BY job_id").fetch_all(pool).await?
        }
    };
    let mut jobs = Vec::with_capacity(rows.len());
    for row in rows {
        jobs.push(JobCount {
            job_id: row.try_get(0)?,
            applications: u64::try_from(row.try_get::<i64, _>(1)?).unwrap_or(0),
        });
    }
    Ok(GetApplicationCountsResponse { total: jobs.iter().map(|j| j.applications).sum(), jobs })
}
