//! Applications: parsing a submission, storing it with its `CandidateApplied` event.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    crypto::Vault,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    privacy::{Erase, Person, PersonData, Table, Tables},
    service::ServiceContext,
    time,
};
use hrmesh_proto::privacy::v1::ErasedItem;
use hrmesh_proto::recruiting::v1::{Application, CandidateApplied, SubmitApplicationRequest};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row, any::AnyRow};

/// Processing purpose of everything an application sets in motion.
pub const PURPOSE: &str = "recruiting.applications";

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

const COLUMNS: &str = "id, candidate_id, job_id, full_name, email, source, applied_at, stage";

/// Shown in place of a personal field whose person key was destroyed.
const ERASED: &str = "[erased]";

/// An application row with its personal fields opened.
async fn from_row(conn: &mut AnyConnection, vault: &Vault, row: &AnyRow) -> Result<Application, ApiError> {
    let candidate_id: String = row.try_get(1)?;
    let mut open = async |column: usize| -> Result<String, ApiError> {
        let sealed: String = row.try_get(column)?;
        let plain = vault.open(conn, &candidate_id, &sealed).await?;
        Ok(plain.unwrap_or_else(|| ERASED.to_owned()))
    };
    let full_name = open(3).await?;
    let email = open(4).await?;
    Ok(Application {
        application_id: row.try_get(0)?,
        candidate_id,
        job_id: row.try_get(2)?,
        full_name,
        email,
        source: row.try_get(5)?,
        applied_at: Some(time::timestamp(row.try_get(6)?)),
        stage: row.try_get(7)?,
    })
}

/// The stored form of an idempotency key: scoped to the caller, so two callers never share one.
fn scoped_key(caller: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [caller, key] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

impl NewApplication {
    /// What a retry must repeat exactly to get the stored answer.
    fn request_hash(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [&self.candidate_id, &self.job_id, &self.full_name, &self.email, &self.source] {
            hasher.update((part.len() as u64).to_be_bytes());
            hasher.update(part.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// The stored answer to a retried key, or an error if the key was used for another request.
async fn replay(ctx: &ServiceContext, key: &str, request_hash: &str) -> Result<Option<Application>, ApiError> {
    let Some((application, stored_hash)) = find_by_key(ctx, key).await? else { return Ok(None) };
    // Keys stored before requests were remembered match any request.
    if !stored_hash.is_empty() && stored_hash != request_hash {
        return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
            "idempotency_key",
            "was already used for a different request; send a new key for a new request",
        )]));
    }
    Ok(Some(application))
}

/// Stores `new` and its `CandidateApplied` event in one transaction. The same caller repeating
/// an idempotency key with the same request gets the application stored the first time; the job
/// must exist and be open, and a candidate applies to a job once.
pub async fn submit(ctx: &ServiceContext, caller: &str, new: NewApplication) -> Result<Application, ApiError> {
    let request_hash = new.request_hash();
    let key = new.idempotency_key.as_deref().map(|k| scoped_key(caller, k));
    if let Some(key) = &key
        && let Some(existing) = replay(ctx, key, &request_hash).await?
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
        stage: "applied".into(),
    };
    let mut tx = ctx.db.begin().await?;
    if tx.backend_name() == "PostgreSQL" {
        // One submission per candidate at a time, so the duplicate check below cannot race.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(&application.candidate_id)
            .execute(&mut *tx)
            .await?;
    }
    crate::lifecycle::require_open(&mut tx, &application.job_id).await?;
    let earlier = sqlx::query("SELECT id FROM applications WHERE candidate_id = $1 AND job_id = $2")
        .bind(&application.candidate_id)
        .bind(&application.job_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(row) = earlier {
        return Err(ApiError::AlreadyExists(format!(
            "candidate {} already applied to job {} (application {})",
            application.candidate_id,
            application.job_id,
            row.try_get::<String, _>(0)?
        )));
    }
    let inserted = insert(&mut tx, &ctx.vault, &application, key.as_deref(), &request_hash).await;
    if let Err(e) = inserted {
        // A concurrent retry with the same key won the race: answer with its application.
        if let Some(key) = &key
            && let ApiError::Internal(inner) = &e
            && inner.downcast_ref::<sqlx::Error>().is_some_and(hrmesh_kit::db::is_unique_violation)
        {
            drop(tx);
            return replay(ctx, key, &request_hash).await?.ok_or(e);
        }
        return Err(e);
    }
    // Contact details stay sealed in this service; the event carries none.
    let event = CandidateApplied {
        application_id: application.application_id.clone(),
        job_id: application.job_id.clone(),
        source: application.source.clone(),
    };
    let envelope = ctx.events.envelope(&application.candidate_id, PURPOSE, &event);
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
    ctx.commit(tx).await?;
    tracing::info!(application_id = %application.application_id, event_id = %envelope.id, "application stored");
    Ok(application)
}

async fn insert(
    conn: &mut AnyConnection,
    vault: &Vault,
    a: &Application,
    key: Option<&str>,
    request_hash: &str,
) -> Result<(), ApiError> {
    let full_name = vault.seal(conn, &a.candidate_id, &a.full_name).await?;
    let email = vault.seal(conn, &a.candidate_id, &a.email).await?;
    sqlx::query(
        "INSERT INTO applications (id, candidate_id, job_id, full_name, email, source, idempotency_key, applied_at,
                                   request_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&a.application_id)
    .bind(&a.candidate_id)
    .bind(&a.job_id)
    .bind(full_name)
    .bind(email)
    .bind(&a.source)
    .bind(key)
    .bind(time::now_ms())
    .bind(request_hash)
    .execute(conn)
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(())
}

async fn find_by_key(ctx: &ServiceContext, key: &str) -> Result<Option<(Application, String)>, ApiError> {
    let Some(application) = find(ctx, "idempotency_key", key).await?.pop() else { return Ok(None) };
    let hash: String = sqlx::query("SELECT request_hash FROM applications WHERE idempotency_key = $1")
        .bind(key)
        .fetch_one(ctx.db.pool())
        .await?
        .try_get(0)?;
    Ok(Some((application, hash)))
}

/// Every application of one candidate, oldest first.
pub async fn of_candidate(ctx: &ServiceContext, candidate: &str) -> Result<Vec<Application>, ApiError> {
    find(ctx, "candidate_id", candidate).await
}

/// One application by id.
pub async fn get(ctx: &ServiceContext, id: &str) -> Result<Option<Application>, ApiError> {
    Ok(find(ctx, "id", id).await?.pop())
}

async fn find(ctx: &ServiceContext, column: &'static str, value: &str) -> Result<Vec<Application>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    select(&mut conn, &ctx.vault, column, value).await
}

async fn select(
    conn: &mut AnyConnection,
    vault: &Vault,
    column: &'static str,
    value: &str,
) -> Result<Vec<Application>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE {column} = $1 ORDER BY applied_at");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(from_row(conn, vault, row).await?);
    }
    Ok(out)
}

/// Candidate data besides applications. The CV document, contact details and outreach texts are
/// sealed with the candidate's key, which erasure destroys; the rows go too.
static OTHER_TABLES: Tables = Tables(&[
    Table { kind: "cv", table: "candidates", column: "candidate_id", erase: Erase::Delete },
    Table { kind: "cv_skills", table: "candidate_skills", column: "candidate_id", erase: Erase::Delete },
    Table { kind: "decisions", table: "stage_history", column: "candidate_id", erase: Erase::Delete },
    Table { kind: "outreach", table: "outreach", column: "candidate_id", erase: Erase::Delete },
    Table { kind: "hire_outcomes", table: "outcomes", column: "candidate_id", erase: Erase::Delete },
    Table { kind: "decisions_taken", table: "stage_history", column: "reviewer", erase: Erase::Anonymise },
    Table { kind: "outreach_approved", table: "outreach", column: "approved_by", erase: Erase::Anonymise },
]);

/// What recruiting holds about candidates, for access requests and erasure.
pub struct CandidateData;

#[tonic::async_trait]
impl PersonData for CandidateData {
    async fn export(
        &self,
        conn: &mut AnyConnection,
        vault: &Vault,
        person: &Person<'_>,
    ) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
        let applications =
            select(conn, vault, "candidate_id", person.subject).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let records = applications
            .iter()
            .map(|a| {
                serde_json::json!({
                    "application_id": a.application_id, "job_id": a.job_id, "full_name": a.full_name,
                    "email": a.email, "source": a.source, "applied_at": a.applied_at.as_ref().map(|t| t.seconds),
                })
            })
            .collect();
        let mut out = serde_json::Map::from_iter([("applications".to_owned(), serde_json::Value::Array(records))]);
        if let Some(profile) =
            crate::candidates::export(conn, vault, person.subject).await.map_err(|e| anyhow::anyhow!("{e}"))?
        {
            out.insert("cv_profile".into(), profile);
        }
        out.extend(OTHER_TABLES.export(conn, vault, person).await?);
        Ok(out)
    }

    async fn erase(&self, tx: &mut AnyConnection, person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>> {
        let done = sqlx::query("DELETE FROM applications WHERE candidate_id = $1")
            .bind(person.subject)
            .execute(&mut *tx)
            .await?;
        let mut erased = vec![ErasedItem {
            kind: "applications".into(),
            count: u32::try_from(done.rows_affected()).unwrap_or(u32::MAX),
            action: "deleted".into(),
        }];
        erased.extend(OTHER_TABLES.erase(tx, person).await?.into_iter().filter(|item| item.count > 0));
        Ok(erased)
    }
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
