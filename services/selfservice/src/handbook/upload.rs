//! HR uploads a handbook document (Markdown, text, PDF or DOCX): validated, read and split into
//! passages off the request threads, and
//! stored in place of an earlier version with the same title and language.

use std::time::Duration;

use hrmesh_kit::{
    ApiError, Violations, cpu,
    document::{self, DocumentError, Limits},
    error::required_text,
    locale::Locale,
    service::ServiceContext,
    time as clock,
};
use hrmesh_proto::selfservice::v1 as pb;

use super::passages::{self, Format};

/// How much of a handbook file is read: a PDF or DOCX handbook of a few hundred pages.
const LIMITS: Limits = Limits { max_file_bytes: 10 << 20, max_text_bytes: 2 << 20, max_pages: 400 };
/// Deadline for reading and splitting a document off the request threads.
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
    // PDF and DOCX are recognised by their content; `format` says how plain text is structured.
    let declared = Format::parse(&req.format);
    if declared.is_none() && !matches!(req.format.trim().to_ascii_lowercase().as_str(), "pdf" | "docx") {
        v.add("format", "must be markdown, text, pdf or docx");
    }
    let (Some(title), Some(language), true) = (title, language, v.is_empty()) else {
        return Err(v.into_error());
    };
    let content = req.content.clone();
    let (source, split) = cpu::run("handbook reading", CPU_DEADLINE, move || {
        let (source, text) = document::read(&content, LIMITS)?;
        let (format, text) = match source {
            document::Format::Text => (declared.unwrap_or(Format::Markdown), text),
            // A DOCX has a line per paragraph: a paragraph is a block, so headings stand alone.
            document::Format::Docx => (Format::Text, text.lines().collect::<Vec<_>>().join("\n\n")),
            document::Format::Pdf => (Format::Text, text),
        };
        let source = if source == document::Format::Text { format.as_str() } else { source.as_str() };
        Ok::<_, DocumentError>((source, passages::split(format, &text)))
    })
    .await?
    .map_err(|e| {
        let mut v = Violations::default();
        v.add("content", format!("DOCUMENT_{}: {e}", e.reason()));
        v.into_error()
    })?;
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
    .bind(source)
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
        format: source.into(),
        passages: u32::try_from(split.len()).unwrap_or(u32::MAX),
        uploaded_at: Some(clock::timestamp(now)),
        replaced: earlier.is_some(),
    })
}
