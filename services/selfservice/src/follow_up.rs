//! The manager's decision on leave requested in a conversation, brought back into it.
//!
//! Why pull and not an event consumer: the people service's leave events reach other services
//! only on the governed stream, where the subject is a pseudonym and no conversation is named,
//! so the assistant could not tell whose conversation a decision belongs to. Instead it keeps
//! the request ids it filed, and when the employee next reads the conversation or writes in it,
//! asks the people service (ListLeave, with the employee's own token) for their status and adds
//! a message for each change. A decision therefore shows up the next time the employee looks,
//! which is when it can be read; nothing is pushed.

use hrmesh_kit::{ApiError, locale::Locale, service::ServiceContext, time as clock};
use hrmesh_proto::people::v1 as people_pb;
use time::Date;

use crate::{
    conversation::{self, Author, Conv, NewMessage},
    people::People,
    say::{self, say},
};

/// The widest window one ListLeave call may ask about.
const MAX_SPAN_DAYS: i64 = 366;

#[derive(sqlx::FromRow)]
struct Watched {
    request_id: String,
    start_date: String,
    end_date: String,
    status: String,
}

/// Records that `request_id` (filed or cancelled in `conv`) has `status`: a pending one is
/// followed up, one the employee cancelled here is not reported back to them.
pub async fn watch(
    tx: &mut sqlx::AnyConnection,
    conv: &Conv,
    request_id: &str,
    start: &str,
    end: &str,
    status: &str,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO leave_follow_ups (request_id, conversation_id, employee_id, start_date, end_date, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (request_id) DO UPDATE SET status = excluded.status",
    )
    .bind(request_id)
    .bind(&conv.id)
    .bind(&conv.employee_id)
    .bind(start)
    .bind(end)
    .bind(status)
    .bind(clock::now_ms())
    .execute(tx)
    .await?;
    Ok(())
}

/// Adds a message to `conv` for every followed request whose status changed. A people service
/// that cannot be reached leaves the check for the next time.
pub async fn refresh(ctx: &ServiceContext, people: &People, conv: &Conv, today: Date) -> Result<(), ApiError> {
    let watched: Vec<Watched> = sqlx::query_as(
        "SELECT request_id, start_date, end_date, status FROM leave_follow_ups
         WHERE conversation_id = $1 AND status = 'pending' ORDER BY start_date",
    )
    .bind(&conv.id)
    .fetch_all(ctx.db.pool())
    .await?;
    let (Some(first), Some(last)) =
        (watched.iter().map(|w| w.start_date.as_str()).min(), watched.iter().map(|w| w.end_date.as_str()).max())
    else {
        return Ok(());
    };
    let from = clock::parse_date("from", first).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let to = clock::parse_date("to", last)
        .map_err(|v| ApiError::InvalidArgument(vec![v]))?
        .min(from.saturating_add(time::Duration::days(MAX_SPAN_DAYS)));
    let listed = match people.list_leave(&conv.employee_id, &clock::format_date(from), &clock::format_date(to)).await {
        Ok(listed) => listed,
        Err(status) => {
            tracing::warn!(code = ?status.code(), "could not follow up leave requests; next time");
            return Ok(());
        }
    };
    let locale = conv.locale();
    for w in &watched {
        let Some(now) = listed.iter().find(|r| r.request_id == w.request_id) else { continue };
        if now.status == w.status {
            continue;
        }
        let balance = if now.status == "approved" {
            let year = clock::parse_date("start", &now.start_date).map_or(today.year(), |d| d.year());
            people.balance(&conv.employee_id, year).await.ok().map(|b| say::amount(locale, b.remaining, &b.unit))
        } else {
            None
        };
        let Some(text) = decided(locale, now, today, balance) else { continue };
        let mut tx = ctx.db.begin().await?;
        // Compare-and-set: of two readers refreshing at once, one reports the change.
        let claimed = sqlx::query("UPDATE leave_follow_ups SET status = $2 WHERE request_id = $1 AND status = $3")
            .bind(&w.request_id)
            .bind(&now.status)
            .bind(&w.status)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 1 {
            let message = NewMessage { author: Author::Assistant, text: &text, intent: "", confidence: 0.0 };
            conversation::append(ctx, &mut tx, conv, &message).await?;
        }
        ctx.commit(tx).await?;
    }
    Ok(())
}

/// The message for a request the manager (or HR) decided since: `balance` is the new balance
/// text for an approval.
pub fn decided(
    locale: Locale,
    request: &people_pb::LeaveRequest,
    today: Date,
    balance: Option<String>,
) -> Option<String> {
    let parse = |iso: &str| clock::parse_date("date", iso).ok();
    let when = say::range(locale, parse(&request.start_date)?, parse(&request.end_date)?, today);
    Some(match request.status.as_str() {
        "approved" => {
            let mut text = say!(locale,
                en: format!("Good news: your leave {when} has been approved."),
                nl: format!("Goed nieuws: je verlof {when} is goedgekeurd."),
                de: format!("Gute Nachricht: Ihr Urlaub {when} wurde genehmigt."),
            );
            if let Some(balance) = balance {
                text.push(' ');
                text.push_str(&say!(locale,
                    en: format!("Your balance is now {balance}."),
                    nl: format!("Je saldo is nu {balance}."),
                    de: format!("Ihr Resturlaub beträgt jetzt {balance}."),
                ));
            }
            text
        }
        "rejected" => {
            let reason = &request.decision_reason;
            let mut text = say!(locale,
                en: format!("Your leave request {when} was not approved."),
                nl: format!("Je verlofaanvraag {when} is afgewezen."),
                de: format!("Ihr Urlaubsantrag {when} wurde abgelehnt."),
            );
            if !reason.is_empty() {
                text.push(' ');
                text.push_str(&say!(locale,
                    en: format!("Reason: {reason}"),
                    nl: format!("Reden: {reason}"),
                    de: format!("Begründung: {reason}"),
                ));
            }
            text
        }
        "cancelled" => say!(locale,
            en: format!("Your leave request {when} has been cancelled."),
            nl: format!("Je verlofaanvraag {when} is ingetrokken."),
            de: format!("Ihr Urlaubsantrag {when} wurde storniert."),
        ),
        _ => return None,
    })
}
