//! Handover to HR: when the employee asks for a person, or the assistant failed twice to
//! understand, or it cannot do what is asked, the conversation becomes an HR ticket. HR reads the
//! conversation with the ticket and answers; the answer appears in the employee's conversation.

use hrmesh_kit::{ApiError, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time as clock};
use hrmesh_proto::selfservice::v1::{self as pb, HandoverRequested, TicketAnswered};
use sqlx::AnyConnection;

use crate::{
    conversation::{self, Author, Conv, NewMessage, PURPOSE},
    say::say,
};

/// The ticket as the employee sees it referred to.
fn short(ticket_id: &str) -> &str {
    ticket_id.get(ticket_id.len().saturating_sub(8)..).unwrap_or(ticket_id)
}

/// What the assistant says when it hands over.
pub fn handed_over(locale: Locale, reason: &str, ticket_id: &str) -> String {
    let t = short(ticket_id);
    let passed = match reason {
        "not_understood" => say!(locale,
            en: format!("I am not managing to help you, so I have passed your conversation to HR (ticket {t})."),
            nl: format!("Het lukt me niet goed om je te helpen, dus ik heb je gesprek doorgezet naar HR (ticket {t})."),
            de: format!("Ich kann Ihnen hier leider nicht richtig helfen, daher habe ich Ihr Gespräch an die Personalabteilung weitergegeben (Ticket {t})."),
        ),
        "not_supported" => say!(locale,
            en: format!("That is something I cannot arrange myself, so I have passed your question to HR (ticket {t})."),
            nl: format!("Dat kan ik niet zelf regelen, dus ik heb je vraag doorgezet naar HR (ticket {t})."),
            de: format!("Das kann ich nicht selbst erledigen, daher habe ich Ihre Frage an die Personalabteilung weitergegeben (Ticket {t})."),
        ),
        _ => say!(locale,
            en: format!("I have passed your conversation to HR (ticket {t})."),
            nl: format!("Ik heb je gesprek doorgezet naar HR (ticket {t})."),
            de: format!("Ich habe Ihr Gespräch an die Personalabteilung weitergegeben (Ticket {t})."),
        ),
    };
    let then = say!(locale,
        en: "A colleague will answer you here in this conversation.",
        nl: "Een collega antwoordt je hier in dit gesprek.",
        de: "Eine Kollegin oder ein Kollege antwortet Ihnen hier in diesem Gespräch.",
    );
    format!("{passed} {then}")
}

/// What the assistant says when a ticket is open already.
pub fn already_open(locale: Locale, ticket_id: &str) -> String {
    let t = short(ticket_id);
    say!(locale,
        en: format!("Your question is with HR already (ticket {t}); the answer will appear here."),
        nl: format!("Je vraag ligt al bij HR (ticket {t}); het antwoord verschijnt hier."),
        de: format!("Ihre Frage liegt bereits bei der Personalabteilung (Ticket {t}); die Antwort erscheint hier."),
    )
}

/// The open ticket of a conversation, if any.
pub async fn open_for(conn: &mut AnyConnection, conversation_id: &str) -> Result<Option<String>, ApiError> {
    Ok(sqlx::query_scalar("SELECT id FROM tickets WHERE conversation_id = $1 AND status = 'open'")
        .bind(conversation_id)
        .fetch_optional(conn)
        .await?)
}

/// Opens ticket `ticket_id` for `conv` with its event.
pub async fn open(
    ctx: &ServiceContext,
    tx: &mut AnyConnection,
    conv: &Conv,
    ticket_id: &str,
    reason: &str,
) -> Result<(), ApiError> {
    let now = clock::now_ms();
    sqlx::query(
        "INSERT INTO tickets (id, conversation_id, employee_id, language, reason, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6)",
    )
    .bind(ticket_id)
    .bind(&conv.id)
    .bind(&conv.employee_id)
    .bind(&conv.language)
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE conversations SET status = 'handed_over', handed_over = 1 WHERE id = $1")
        .bind(&conv.id)
        .execute(&mut *tx)
        .await?;
    let event =
        HandoverRequested { ticket_id: ticket_id.into(), conversation_id: conv.id.clone(), reason: reason.into() };
    outbox::enqueue(tx, &raw_topic(crate::NAME), &ctx.events.envelope(&conv.employee_id, PURPOSE, &event)).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct TicketRow {
    id: String,
    conversation_id: String,
    employee_id: String,
    language: String,
    reason: String,
    status: String,
    created_at: i64,
    answered_at: Option<i64>,
    answered_by: Option<String>,
    answer_sealed: Option<String>,
}

const COLUMNS: &str =
    "id, conversation_id, employee_id, language, reason, status, created_at, answered_at, answered_by, answer_sealed";

async fn to_proto(ctx: &ServiceContext, conn: &mut AnyConnection, row: TicketRow) -> Result<pb::Ticket, ApiError> {
    let conv = conversation::load(conn, &row.conversation_id).await?;
    let transcript = conversation::messages(ctx, conn, &conv, 0).await?.into_iter().map(|(_, m)| m).collect();
    let answer = match &row.answer_sealed {
        Some(sealed) => ctx.vault.open(conn, &row.employee_id, sealed).await?.unwrap_or_else(|| "[erased]".into()),
        None => String::new(),
    };
    Ok(pb::Ticket {
        ticket_id: row.id,
        conversation_id: row.conversation_id,
        employee_id: row.employee_id,
        language: row.language,
        reason: row.reason,
        status: row.status,
        transcript,
        created_at: Some(clock::timestamp(row.created_at)),
        answer,
        answered_by: row.answered_by.unwrap_or_default(),
        answered_at: row.answered_at.map(clock::timestamp),
    })
}

/// Tickets with `status` (every one when `None`), oldest first, at most 200.
pub async fn list(ctx: &ServiceContext, status: Option<&str>) -> Result<Vec<pb::Ticket>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE ($1 = '' OR status = $1) ORDER BY created_at LIMIT 200");
    let rows: Vec<TicketRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(status.unwrap_or_default()).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(to_proto(ctx, &mut conn, row).await?);
    }
    Ok(out)
}

/// HR's answer: stored on the ticket and added to the conversation, with `TicketAnswered`.
pub async fn answer(ctx: &ServiceContext, ticket_id: &str, text: &str, by: &str) -> Result<pb::Ticket, ApiError> {
    let mut tx = ctx.db.begin().await?;
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE id = $1");
    let row: TicketRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(ticket_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no ticket {ticket_id}")))?;
    if row.status != "open" {
        return Err(ApiError::FailedPrecondition(format!("ticket {ticket_id} is answered already")));
    }
    let conv = conversation::load(&mut tx, &row.conversation_id).await?;
    let sealed = ctx.vault.seal(&mut tx, &row.employee_id, text).await?;
    let now = clock::now_ms();
    sqlx::query(
        "UPDATE tickets SET status = 'answered', answered_at = $2, answered_by = $3, answer_sealed = $4
         WHERE id = $1 AND status = 'open'",
    )
    .bind(ticket_id)
    .bind(now)
    .bind(by)
    .bind(&sealed)
    .execute(&mut *tx)
    .await?;
    let message = NewMessage { author: Author::Hr, text, intent: "", confidence: 0.0 };
    conversation::append(ctx, &mut tx, &conv, &message).await?;
    sqlx::query("UPDATE conversations SET status = 'resolved', resolved_at = COALESCE(resolved_at, $2) WHERE id = $1")
        .bind(&conv.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = TicketAnswered { ticket_id: ticket_id.into(), conversation_id: conv.id.clone() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&row.employee_id, PURPOSE, &event)).await?;
    let answered = TicketRow {
        status: "answered".into(),
        answered_at: Some(now),
        answered_by: Some(by.to_owned()),
        answer_sealed: Some(sealed),
        ..row
    };
    let ticket = to_proto(ctx, &mut tx, answered).await?;
    ctx.commit(tx).await?;
    Ok(ticket)
}
