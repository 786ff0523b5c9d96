//! From hire to employee: recruiting's governed `StageChanged` to `hired` records a pending hire,
//! which HR completes into a pre-boarding employee (UpsertEmployee with the application id). The
//! governed stream carries a pseudonym, never the candidate's identity, so the person is named
//! by HR, who sees the candidate in recruiting; the CV's skills follow only with the person's
//! consent to `skills.inference`, which the skills service checks.

use hrmesh_kit::{
    ApiError,
    consumer::{EventHandler, HandlerError, event_time_ms, payload},
    time,
};
use hrmesh_proto::{
    events::v1::Envelope,
    people::v1::PendingHire,
    recruiting::v1::{JobOpened, JobUpdated, StageChanged},
    vocabulary::Stage,
};
use prost::Name;
use sqlx::AnyConnection;

/// Consumes the governed recruiting stream.
pub struct HireEvents;

#[tonic::async_trait]
impl EventHandler for HireEvents {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        let kind = event.r#type.as_str();
        if kind == JobOpened::full_name() {
            let job: JobOpened = payload(event)?;
            title(tx, &job.job_id, &job.title).await
        } else if kind == JobUpdated::full_name() {
            let job: JobUpdated = payload(event)?;
            title(tx, &job.job_id, &job.title).await
        } else if kind == StageChanged::full_name() {
            let change: StageChanged = payload(event)?;
            if Stage::parse(&change.stage) != Some(Stage::Hired) {
                return Ok(());
            }
            sqlx::query(
                "INSERT INTO pending_hires (application_id, job_id, hired_at) VALUES ($1, $2, $3)
                 ON CONFLICT (application_id) DO NOTHING",
            )
            .bind(&change.application_id)
            .bind(&change.job_id)
            .bind(event_time_ms(event))
            .execute(&mut *tx)
            .await
            .map_err(|e| HandlerError::Transient(e.into()))?;
            Ok(())
        } else {
            Ok(())
        }
    }
}

async fn title(tx: &mut AnyConnection, job_id: &str, title: &str) -> Result<(), HandlerError> {
    sqlx::query("INSERT INTO job_titles (job_id, title) VALUES ($1, $2) ON CONFLICT (job_id) DO UPDATE SET title = $2")
        .bind(job_id)
        .bind(title)
        .execute(tx)
        .await
        .map_err(|e| HandlerError::Transient(e.into()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    application_id: String,
    job_id: String,
    title: Option<String>,
    hired_at: i64,
    employee_id: Option<String>,
}

/// Pending hires, oldest first, with the ones already completed.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<PendingHire>, ApiError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.application_id, h.job_id, t.title, h.hired_at, h.employee_id FROM pending_hires h
         LEFT JOIN job_titles t ON t.job_id = h.job_id ORDER BY h.hired_at",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PendingHire {
            application_id: r.application_id,
            job_id: r.job_id,
            job_title: r.title.unwrap_or_default(),
            hired_at: Some(time::timestamp(r.hired_at)),
            employee_id: r.employee_id.unwrap_or_default(),
        })
        .collect())
}

/// Links `application_id`'s pending hire to `employee_id`; NOT_FOUND when recruiting announced
/// no such hire, FAILED_PRECONDITION when another employee completed it.
pub async fn complete(conn: &mut AnyConnection, application_id: &str, employee_id: &str) -> Result<(), ApiError> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT employee_id FROM pending_hires WHERE application_id = $1")
            .bind(application_id)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        None => Err(ApiError::NotFound(format!("no hire from application {application_id} (yet)"))),
        Some((Some(other),)) if other != employee_id => {
            Err(ApiError::FailedPrecondition(format!("application {application_id} was completed as {other}")))
        }
        Some(_) => {
            sqlx::query("UPDATE pending_hires SET employee_id = $2 WHERE application_id = $1")
                .bind(application_id)
                .bind(employee_id)
                .execute(conn)
                .await?;
            Ok(())
        }
    }
}
