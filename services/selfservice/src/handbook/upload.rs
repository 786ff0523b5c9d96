//! HR uploads a handbook document: validated, split into passages off the request threads, and
//! stored in place of an earlier version with the same title and language.

use std::time::Duration;

use hrmesh_kit::{
    ApiError, Violations, cpu, error::required_text, locale::Locale, service::ServiceContext, time as clock,
};
use hrmesh_proto::selfservice::v1 as pb;

use super::passages::{self, Format};

/// Largest handbook document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 2 << 20;
/// Deadline for splitting a document off the request threads.
const CPU_DEADLINE: Duration = Duration::from_secs(10);

/// Validates and stores a handbook document, replacing an earlier one with its title and language.
pub async fn upload(
    ctx: &ServiceContext,
    req: &pb::UploadHandbookRequest,
    by: &str,
) -> Result<pb::HandbookDocument, ApiError> {
    let mut v = Violations::default();
    let title = v.check(required_text("title", &req.title, 200));
    let language = if req.language.is_empty() {
        v.add("language", "must be en, nl or de");
        None
    } else {
        v.check(Locale::of_field("language", &req.language))
    };
    let format = Format::parse(&req.format);
    if format.is_none() {
        v.add("format", "must be markdown or text (export PDF and DOCX documents as text)");
    }
    if req.content.len() > MAX_DOCUMENT_BYTES {
        v.add("content", format!("must be at most {MAX_DOCUMENT_BYTES} bytes"));
    }
    let text = match std::str::from_utf8(&req.content) {
        Ok(t) if !t.trim().is_empty() => Some(t.to_owned()),
        Ok(_) => {
            v.add("content", "must not be empty");
            None
        }
        Err(_) => {
            v.add("content", "must be UTF-8 text (Markdown or plain text; PDF and DOCX are not accepted)");
            None
        }
    };
    let (Some(title), Some(language), Some(format), Some(text), true) = (title, language, format, text, v.is_empty())
    else {
        return Err(v.into_error());
    };
    let split = cpu::run("handbook splitting", CPU_DEADLINE, move || passages::split(format, &text)).await?;
    if split.is_empty() {
        let mut v = Violations::default();
        v.add("content", "contains no text to answer from");
        return Err(v.into_error());
    }
    let now = clock::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.db.begin().await?;
    let earlier: Option<String> =
        sqlx::query_scalar("SELECT id FROM handbook_documents WHERE language = $1 AND title = $2")
            .bind(language.code())
            .bind(&title)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(earlier) = &earlier {
        sqlx::query("DELETE FROM handbook_passages WHERE document_id = $1").bind(earlier).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM handbook_documents WHERE id = $1").bind(earlier).execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO handbook_documents (id, title, language, format, passages, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&title)
    .bind(language.code())
    .bind(format.as_str())
    .bind(i64::try_from(split.len()).unwrap_or(i64::MAX))
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (position, passage) in split.iter().enumerate() {
        sqlx::query(
            "INSERT INTO handbook_passages (id, document_id, language, position, heading, body)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&id)
        .bind(language.code())
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&passage.heading)
        .bind(&passage.body)
        .execute(&mut *tx)
        .await?;
    }
    ctx.commit(tx).await?;
    Ok(pb::HandbookDocument {
        document_id: id,
        title,
        language: language.code().into(),
        format: format.as_str().into(),
        passages: u32::try_from(split.len()).unwrap_or(u32::MAX),
        uploaded_at: Some(clock::timestamp(now)),
        replaced: earlier.is_some(),
    })
}
