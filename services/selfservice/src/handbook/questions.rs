//! Questions the knowledge base could not answer, queued for HR (sealed under the asker's key,
//! listed without who asked), and the question–answer pairs HR adds in reply.

use hrmesh_kit::{ApiError, Violations, error::required_text, locale::Locale, service::ServiceContext, time as clock};
use hrmesh_proto::selfservice::v1 as pb;
use sqlx::AnyConnection;

/// Adds a question–answer pair, marking the queued question it answers.
pub async fn add_faq(ctx: &ServiceContext, req: &pb::AddFaqRequest, by: &str) -> Result<pb::Faq, ApiError> {
    let mut v = Violations::default();
    let language = if req.language.is_empty() {
        v.add("language", "must be en, nl or de");
        None
    } else {
        v.check(Locale::of_field("language", &req.language))
    };
    let question = v.check(required_text("question", &req.question, 500));
    let answer = v.check(required_text("answer", &req.answer, 4000));
    if !req.question_id.is_empty() {
        v.check(hrmesh_kit::error::identifier("question_id", &req.question_id));
    }
    let (Some(language), Some(question), Some(answer), true) = (language, question, answer, v.is_empty()) else {
        return Err(v.into_error());
    };
    let now = clock::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.db.begin().await?;
    if !req.question_id.is_empty() {
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM unanswered_questions WHERE id = $1")
            .bind(&req.question_id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(ApiError::NotFound(format!("no queued question {}", req.question_id)));
        }
        sqlx::query("UPDATE unanswered_questions SET answered_by_faq = $2 WHERE id = $1 AND answered_by_faq IS NULL")
            .bind(&req.question_id)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO faqs (id, language, question, answer, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(language.code())
    .bind(&question)
    .bind(&answer)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(pb::Faq {
        faq_id: id,
        language: language.code().into(),
        question,
        answer,
        added_at: Some(clock::timestamp(now)),
    })
}

/// Queues a question the knowledge base did not answer (sealed under the asker's key).
pub async fn queue(
    ctx: &ServiceContext,
    conn: &mut AnyConnection,
    conversation: &crate::conversation::Conv,
    locale: Locale,
    question: &str,
) -> Result<(), ApiError> {
    let sealed = ctx.vault.seal(conn, &conversation.employee_id, question).await?;
    sqlx::query(
        "INSERT INTO unanswered_questions (id, employee_id, conversation_id, language, text_sealed, asked_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&conversation.employee_id)
    .bind(&conversation.id)
    .bind(locale.code())
    .bind(sealed)
    .bind(clock::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: String,
    employee_id: String,
    language: String,
    text_sealed: String,
    asked_at: i64,
}

/// The questions still waiting for an answer, oldest first (at most 500), without who asked.
pub async fn unanswered(
    ctx: &ServiceContext,
    language: Option<Locale>,
) -> Result<Vec<pb::UnansweredQuestion>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let rows: Vec<QueuedRow> = sqlx::query_as(
        "SELECT id, employee_id, language, text_sealed, asked_at FROM unanswered_questions
         WHERE answered_by_faq IS NULL AND ($1 = '' OR language = $1) ORDER BY asked_at LIMIT 500",
    )
    .bind(language.map_or("", Locale::code))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(text) = ctx.vault.open(&mut conn, &row.employee_id, &row.text_sealed).await? else {
            continue; // the asker was erased
        };
        out.push(pb::UnansweredQuestion {
            question_id: row.id,
            language: row.language,
            text,
            asked_at: Some(clock::timestamp(row.asked_at)),
        });
    }
    Ok(out)
}
