//! Applications: parsing a submission, storing it with its `CandidateApplied` event.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::recruiting::v1::{Application, CandidateApplied, SubmitApplicationRequest};
use sqlx::{AnyConnection, Row, any::AnyRow};

/// Processing purpose of everything an application sets in motion.
pub const PURPOSE: &str = "recruiting.screening";

/// Where candidates come from.
const SOURCES: [&str; 5] = ["website", "referral", "job_board", "agency", "other"];

/// A validated submission.
#[derive(Debug)]
pub struct NewApplication {
    pub candidate_id: String,
    pub job_id: String,
    pub full_name: String,
    pub email: String,
    pub source: String,
    pub idempotency_key: Option<String>,
}

fn email(value: &str) -> Result<String, FieldViolation> {
    let value = value.trim();
    let valid = value.len() <= 254
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !value.chars().any(char::is_whitespace);
    if valid {
        Ok(value.to_lowercase())
    } else {
        Err(FieldViolation::new("email", "must be an e-mail address like name@example.com"))
    }
}

fn source(value: &str) -> Result<String, FieldViolation> {
    let value = if value.is_empty() { "other" } else { value };
    if SOURCES.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(FieldViolation::new("source", format!("must be one of {}", SOURCES.join(", "))))
    }
}

impl NewApplication {
    /// Parses a request, reporting every invalid field at once.
    pub fn parse(req: &SubmitApplicationRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let candidate_id = v.check(identifier("candidate_id", &req.candidate_id));
        let job_id = v.check(identifier("job_id", &req.job_id));
        let full_name = v.check(required_text("full_name", &req.full_name, 200));
        let email = v.check(email(&req.email));
        let source = v.check(source(&req.source));
        let idempotency_key = if req.idempotency_key.is_empty() {
            Some(None)
        } else {
            v.check(identifier("idempotency_key", &req.idempotency_key)).map(Some)
        };
        match (candidate_id, job_id, full_name, email, source, idempotency_key) {
            (Some(candidate_id), Some(job_id), Some(full_name), Some(email), Some(source), Some(idempotency_key)) => {
                Ok(Self { candidate_id, job_id, full_name, email, source, idempotency_key })
            }
            _ => Err(v.into_error()),
        }
    }
}

const COLUMNS: &str = "id, candidate_id, job_id, full_name, email, source, applied_at";

fn from_row(row: &AnyRow) -> Result<Application, sqlx::Error> {
    Ok(Application {
        application_id: row.try_get(0)?,
        candidate_id: row.try_get(1)?,
        job_id: row.try_get(2)?,
        full_name: row.try_get(3)?,
        email: row.try_get(4)?,
        source: row.try_get(5)?,
        applied_at: Some(time::timestamp(row.try_get(6)?)),
    })
}

/// Stores `new` and its `CandidateApplied` event in one transaction. A repeated idempotency
/// key returns the application stored the first time.
pub async fn submit(ctx: &ServiceContext, new: NewApplication) -> Result<Application, ApiError> {
    if let Some(key) = &new.idempotency_key
        && let Some(existing) = find_by_key(ctx, key).await?
    {
        return Ok(existing);
    }
    let application = Application {
        application_id: uuid::Uuid::now_v7().to_string(),
        candidate_id: new.candidate_id,
        job_id: new.job_id,
        full_name: new.full_name,
        email: new.email,
        source: new.source,
        applied_at: Some(time::timestamp(time::now_ms())),
    };
    let mut tx = ctx.db.begin().await?;
    let inserted = insert(&mut tx, &application, new.idempotency_key.as_deref()).await;
    if let Err(e) = inserted {
        // A concurrent retry with the same key won the race: answer with its application.
        if let Some(key) = &new.idempotency_key
            && hrmesh_kit::db::is_unique_violation(&e)
        {
            drop(tx);
            return find_by_key(ctx, key).await?.ok_or_else(|| ApiError::Internal(e.into()));
        }
        return Err(e.into());
    }
    let event = CandidateApplied {
        application_id: application.application_id.clone(),
        job_id: application.job_id.clone(),
        source: application.source.clone(),
        full_name: application.full_name.clone(),
        email: application.email.clone(),
    };
    let envelope = ctx.events.envelope(&application.candidate_id, PURPOSE, &event);
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
    ctx.commit(tx).await?;
    tracing::info!(application_id = %application.application_id, event_id = %envelope.id, "application stored");
    Ok(application)
}

async fn insert(conn: &mut AnyConnection, a: &Application, key: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO applications (id, candidate_id, job_id, full_name, email, source, idempotency_key, applied_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&a.application_id)
    .bind(&a.candidate_id)
    .bind(&a.job_id)
    .bind(&a.full_name)
    .bind(&a.email)
    .bind(&a.source)
    .bind(key)
    .bind(time::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

async fn find_by_key(ctx: &ServiceContext, key: &str) -> Result<Option<Application>, sqlx::Error> {
    find(ctx, "idempotency_key", key).await
}

/// One application by id.
pub async fn get(ctx: &ServiceContext, id: &str) -> Result<Option<Application>, sqlx::Error> {
    find(ctx, "id", id).await
}

async fn find(ctx: &ServiceContext, column: &'static str, value: &str) -> Result<Option<Application>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE {column} = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(value)
        .fetch_optional(ctx.db.pool())
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SubmitApplicationRequest {
        SubmitApplicationRequest {
            candidate_id: "cand-1".into(),
            job_id: "job-7".into(),
            full_name: "Anna de Vries".into(),
            email: "Anna@Example.nl".into(),
            source: "referral".into(),
            idempotency_key: String::new(),
        }
    }

    #[test]
    fn parses_a_valid_submission_and_normalises_email() {
        let new = NewApplication::parse(&request()).expect("valid");
        assert_eq!(new.email, "anna@example.nl");
        assert_eq!(new.idempotency_key, None);
    }

    #[test]
    fn reports_every_invalid_field() {
        let req =
            SubmitApplicationRequest { job_id: String::new(), email: "nope".into(), source: "tv".into(), ..request() };
        let Err(ApiError::InvalidArgument(violations)) = NewApplication::parse(&req) else {
            panic!("expected invalid")
        };
        let fields: Vec<_> = violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["job_id", "email", "source"]);
    }
}
