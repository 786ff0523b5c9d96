//! Conversations with the assistant: opened in the employee's language (with
//! `ConversationOpened`), their messages sealed under the employee's key, and their history.

use hrmesh_kit::{
    ApiError, Violations, error::identifier, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time,
};
use hrmesh_proto::selfservice::v1::{self as pb, Conversation, ConversationOpened, OpenConversationRequest};
use sqlx::AnyConnection;

/// Processing purpose of assistant conversations.
pub const PURPOSE: &str = "selfservice.assistant";

/// Longest message an employee may send, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Employee,
    Assistant,
    Hr,
}

impl Author {
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Employee => "employee",
            Author::Assistant => "assistant",
            Author::Hr => "hr",
        }
    }
}

/// The assistant's first words.
pub fn greeting(locale: Locale) -> &'static str {
    match locale {
        Locale::Nl => "Hallo! Ik ben de HR-assistent. Waarmee kan ik je helpen?",
        Locale::De => "Hallo! Ich bin der HR-Assistent. Wobei kann ich Ihnen helfen?",
        Locale::En => "Hello! I am the HR assistant. How can I help you?",
    }
}

/// Validates a request: the employee, and the language if one is asked for.
pub fn parse(req: &OpenConversationRequest) -> Result<(String, Option<Locale>), ApiError> {
    let mut v = Violations::default();
    let employee_id = v.check(identifier("employee_id", &req.employee_id));
    let language = v.check(Locale::optional("language", &req.language));
    match (employee_id, language) {
        (Some(e), Some(l)) => Ok((e, l)),
        _ => Err(v.into_error()),
    }
}

/// Stores the conversation and its event in one transaction; `hints` (leave about to expire)
/// follow the greeting.
pub async fn open(
    ctx: &ServiceContext,
    employee_id: String,
    language: Locale,
    hints: &[String],
) -> Result<Conversation, ApiError> {
    let now = time::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "INSERT INTO conversations (id, employee_id, language, opened_at, last_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(&id)
    .bind(&employee_id)
    .bind(language.code())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let event = ConversationOpened { conversation_id: id.clone(), language: language.code().into() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&employee_id, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(Conversation {
        conversation_id: id,
        employee_id,
        language: language.code().into(),
        greeting: std::iter::once(greeting(language))
            .chain(hints.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        opened_at: Some(time::timestamp(now)),
    })
}

/// A stored conversation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Conv {
    pub id: String,
    pub employee_id: String,
    pub language: String,
    pub opened_at: i64,
    pub status: String,
    pub seen_seq: i64,
}

impl Conv {
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.language).unwrap_or(Locale::En)
    }
}

/// The conversation `id`, or NOT_FOUND.
pub async fn load(conn: &mut AnyConnection, id: &str) -> Result<Conv, ApiError> {
    sqlx::query_as("SELECT id, employee_id, language, opened_at, status, seen_seq FROM conversations WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no conversation {id}")))
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub author: Author,
    pub text: &'a str,
    pub intent: &'a str,
    pub confidence: f64,
}

/// Appends a message (its text sealed) and returns it with its sequence number.
pub async fn append(
    ctx: &ServiceContext,
    conn: &mut AnyConnection,
    conv: &Conv,
    message: &NewMessage<'_>,
) -> Result<(i64, pb::Message), ApiError> {
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation_id = $1")
        .bind(&conv.id)
        .fetch_one(&mut *conn)
        .await?;
    let sealed = ctx.vault.seal(conn, &conv.employee_id, message.text).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = time::now_ms();
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, employee_id, seq, author, text_sealed, intent, confidence, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&conv.id)
    .bind(&conv.employee_id)
    .bind(seq + 1)
    .bind(message.author.as_str())
    .bind(sealed)
    .bind(message.intent)
    .bind(message.confidence)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE conversations SET last_at = $2 WHERE id = $1").bind(&conv.id).bind(now).execute(conn).await?;
    let stored = pb::Message {
        message_id: id,
        author: message.author.as_str().into(),
        text: message.text.into(),
        intent: message.intent.into(),
        sent_at: Some(time::timestamp(now)),
    };
    Ok((seq + 1, stored))
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: String,
    seq: i64,
    author: String,
    text_sealed: String,
    intent: String,
    created_at: i64,
}

/// The messages of `conv` after `after_seq`, oldest first, with their sequence numbers; texts
/// opened (an erased person's show as `[erased]`).
pub async fn messages(
    ctx: &ServiceContext,
    conn: &mut AnyConnection,
    conv: &Conv,
    after_seq: i64,
) -> Result<Vec<(i64, pb::Message)>, ApiError> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, seq, author, text_sealed, intent, created_at FROM messages
         WHERE conversation_id = $1 AND seq > $2 ORDER BY seq, created_at",
    )
    .bind(&conv.id)
    .bind(after_seq)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let text =
            ctx.vault.open(conn, &conv.employee_id, &row.text_sealed).await?.unwrap_or_else(|| "[erased]".into());
        let message = pb::Message {
            message_id: row.id,
            author: row.author,
            text,
            intent: row.intent,
            sent_at: Some(time::timestamp(row.created_at)),
        };
        out.push((row.seq, message));
    }
    Ok(out)
}

/// Messages the employee has not seen yet (a decision reported back, HR's answer), and marks
/// everything up to now as seen.
pub async fn unseen(ctx: &ServiceContext, conn: &mut AnyConnection, conv: &Conv) -> Result<Vec<pb::Message>, ApiError> {
    let new = messages(ctx, conn, conv, conv.seen_seq).await?;
    mark_seen(conn, conv, new.last().map_or(conv.seen_seq, |(seq, _)| *seq)).await?;
    Ok(new.into_iter().filter(|(_, m)| m.author != Author::Employee.as_str()).map(|(_, m)| m).collect())
}

/// Records that the employee has seen every message up to `seq`.
pub async fn mark_seen(conn: &mut AnyConnection, conv: &Conv, seq: i64) -> Result<(), ApiError> {
    sqlx::query("UPDATE conversations SET seen_seq = $2 WHERE id = $1 AND seen_seq < $2")
        .bind(&conv.id)
        .bind(seq)
        .execute(conn)
        .await?;
    Ok(())
}

/// The whole conversation for its employee.
pub async fn history(
    ctx: &ServiceContext,
    conn: &mut AnyConnection,
    conv: &Conv,
) -> Result<pb::ConversationHistory, ApiError> {
    let all = messages(ctx, conn, conv, 0).await?;
    if let Some((seq, _)) = all.last() {
        mark_seen(conn, conv, *seq).await?;
    }
    Ok(pb::ConversationHistory {
        conversation_id: conv.id.clone(),
        employee_id: conv.employee_id.clone(),
        language: conv.language.clone(),
        opened_at: Some(time::timestamp(conv.opened_at)),
        status: conv.status.clone(),
        messages: all.into_iter().map(|(_, m)| m).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greets_in_dutch_german_and_english() {
        assert!(greeting(Locale::Nl).contains("Waarmee kan ik je helpen"));
        assert!(greeting(Locale::De).contains("Wobei kann ich"));
        assert!(greeting(Locale::En).contains("How can I help"));
    }

    #[test]
    fn rejects_unsupported_language_and_leaves_an_empty_one_to_the_employee() {
        let req = |language: &str| OpenConversationRequest { employee_id: "e1".into(), language: language.into() };
        assert!(matches!(parse(&req("fr")), Err(ApiError::InvalidArgument(_))));
        assert_eq!(parse(&req("")).expect("empty").1, None);
        assert_eq!(parse(&req("de")).expect("de").1, Some(Locale::De));
    }
}
