//! The recruiting funnel projection: applications per job from `hr.governed.recruiting.v1`,
//! kept per candidate pseudonym so every count can pass the small-group guard.

use std::collections::BTreeMap;

use hrmesh_kit::{
    consumer::{EventHandler, HandlerError},
    crypto::Vault,
    groups,
    privacy::{Person, PersonData},
    time,
};
use hrmesh_proto::{
    analytics::v1::{GetApplicationCountsResponse, JobCount},
    events::v1::Envelope,
    privacy::v1::ErasedItem,
    recruiting::v1::CandidateApplied,
};
use prost::{Message, Name};
use sqlx::{AnyConnection, Row};

/// Audience of funnel figures for the differencing check: every caller sees the same history.
const AUDIENCE: &str = "analytics.funnel";

/// Keeps the applications seen up to date.
pub struct FunnelProjection;

#[tonic::async_trait]
impl EventHandler for FunnelProjection {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        if event.r#type != CandidateApplied::full_name() {
            return Ok(()); // other recruiting events do not change this projection
        }
        let applied = CandidateApplied::decode(event.data.as_slice())
            .map_err(|e| HandlerError::Permanent(format!("invalid CandidateApplied payload: {e}")))?;
        if applied.job_id.is_empty() || applied.application_id.is_empty() {
            return Err(HandlerError::Permanent("CandidateApplied without job_id or application_id".into()));
        }
        sqlx::query(
            "INSERT INTO applications_seen (application_id, job_id, subject_pseudonym, source, seen_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (application_id) DO NOTHING",
        )
        .bind(&applied.application_id)
        .bind(&applied.job_id)
        .bind(&event.subject)
        .bind(&applied.source)
        .bind(time::now_ms())
        .execute(tx)
        .await?;
        Ok(())
    }
}

/// Counts overall and per job (one job when `job_id` is given), each released through the
/// small-group guard.
pub async fn counts(
    conn: &mut AnyConnection,
    job_id: Option<&str>,
) -> Result<GetApplicationCountsResponse, sqlx::Error> {
    let rows = match job_id {
        Some(job) => {
            sqlx::query("SELECT job_id, subject_pseudonym, seen_at FROM applications_seen WHERE job_id = $1")
                .bind(job)
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            sqlx::query("SELECT job_id, subject_pseudonym, seen_at FROM applications_seen")
                .fetch_all(&mut *conn)
                .await?
        }
    };
    // Applications per job, and the candidates behind them.
    // Each candidate with when they first entered these figures.
    let mut per_job: BTreeMap<String, (u64, BTreeMap<String, i64>)> = BTreeMap::new();
    let mut everyone: BTreeMap<String, i64> = BTreeMap::new();
    let mut total = 0;
    for row in rows {
        let (job, member, seen): (String, String, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        let entry = per_job.entry(job).or_default();
        entry.0 += 1;
        let since = entry.1.entry(member.clone()).or_insert(seen);
        *since = (*since).min(seen);
        let since = everyone.entry(member).or_insert(seen);
        *since = (*since).min(seen);
        total += 1;
    }
    let mut response = GetApplicationCountsResponse::default();
    for (job_id, (applications, members)) in per_job {
        let release = groups::release(conn, AUDIENCE, &format!("job:{job_id}"), &members).await?;
        response.jobs.push(JobCount {
            job_id,
            applications: if release.is_allowed() { applications } else { 0 },
            withheld: release.reason().unwrap_or_default(),
        });
    }
    let release = groups::release(conn, AUDIENCE, "total", &everyone).await?;
    response.total = if release.is_allowed() { total } else { 0 };
    response.total_withheld = release.reason().unwrap_or_default();
    Ok(response)
}

/// Analytics holds only pseudonyms (funnel and feature store); an erasure names the person's pseudonyms.
pub struct PseudonymousData;

#[tonic::async_trait]
impl PersonData for PseudonymousData {
    async fn export(
        &self,
        conn: &mut AnyConnection,
        _vault: &Vault,
        person: &Person<'_>,
    ) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
        let mut records = Vec::new();
        for pseudonym in person.pseudonyms {
            let rows = sqlx::query(
                "SELECT application_id, job_id, source FROM applications_seen WHERE subject_pseudonym = $1",
            )
            .bind(pseudonym)
            .fetch_all(&mut *conn)
            .await?;
            for row in rows {
                records.push(serde_json::json!({
                    "application_id": row.try_get::<String, _>(0)?,
                    "job_id": row.try_get::<String, _>(1)?,
                    "source": row.try_get::<String, _>(2)?,
                }));
            }
        }
        let mut out = serde_json::Map::from_iter([("applications_seen".to_owned(), serde_json::Value::Array(records))]);
        out.extend(crate::features::export(conn, person).await?);
        Ok(out)
    }

    async fn erase(&self, tx: &mut AnyConnection, person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>> {
        let mut count = 0;
        for pseudonym in person.pseudonyms {
            let done = sqlx::query("DELETE FROM applications_seen WHERE subject_pseudonym = $1")
                .bind(pseudonym)
                .execute(&mut *tx)
                .await?;
            count += done.rows_affected();
        }
        let mut items = vec![ErasedItem {
            kind: "applications_seen".into(),
            count: u32::try_from(count).unwrap_or(u32::MAX),
            action: "deleted".into(),
        }];
        items.extend(crate::features::erase(tx, person).await?);
        Ok(items)
    }
}
