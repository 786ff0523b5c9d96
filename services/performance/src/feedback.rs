//! Continuous feedback: give (feedback, praise, a private note), request and read. The text is
//! sealed under the recipient's key; the recipient, their line and HR read feedback and praise,
//! a private note stays with its author. Every text gets a bias check for its author.

use hrmesh_kit::{
    ApiError, Violations,
    auth::Principal,
    error::{identifier, required_text},
    events::raw_topic,
    locale::Locale,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::performance::v1::{
    Feedback, FeedbackRecorded, FeedbackRequest, FeedbackRequested, RecordFeedbackRequest, RequestFeedbackRequest,
};
use sqlx::AnyConnection;

use crate::{bias, privacy, purposes::FEEDBACK};

/// Feedback for the recipient and their line.
pub const KIND_FEEDBACK: &str = "feedback";
/// Praise.
pub const KIND_PRAISE: &str = "praise";
/// A note only its author reads.
pub const KIND_PRIVATE: &str = "private_note";

/// A validated request to give feedback.
#[derive(Debug)]
pub struct NewFeedback {
    pub employee_id: String,
    pub author_id: String,
    pub text: String,
    pub kind: &'static str,
    pub request_id: String,
    pub locale: Option<Locale>,
}

/// Validates a request into feedback to record.
pub fn parse(req: &RecordFeedbackRequest) -> Result<NewFeedback, ApiError> {
    let mut v = Violations::default();
    let employee_id = v.check(identifier("employee_id", &req.employee_id));
    let author_id = v.check(identifier("author_id", &req.author_id));
    let text = v.check(required_text("text", &req.text, 5_000));
    let kind = match req.kind.as_str() {
        "" | KIND_FEEDBACK => Some(KIND_FEEDBACK),
        KIND_PRAISE => Some(KIND_PRAISE),
        KIND_PRIVATE => Some(KIND_PRIVATE),
        _ => {
            v.add("kind", "must be feedback, praise or private_note");
            None
        }
    };
    if !req.request_id.is_empty() {
        v.check(identifier("request_id", &req.request_id));
    }
    let locale = v.check(Locale::optional("language", &req.language));
    if let (Some(employee), Some(author)) = (&employee_id, &author_id)
        && employee == author
        && kind != Some(KIND_PRIVATE)
    {
        v.add("employee_id", "feedback is about someone else (keep notes about yourself as a private_note)");
    }
    match (employee_id, author_id, text, kind, locale) {
        (Some(employee_id), Some(author_id), Some(text), Some(kind), Some(locale)) if v.is_empty() => {
            Ok(NewFeedback { employee_id, author_id, text, kind, request_id: req.request_id.clone(), locale })
        }
        _ => Err(v.into_error()),
    }
}

/// The tone of a text, −1..1 (the engagement service's lexicon sentiment).
fn tone(text: &str) -> f64 {
    hrmesh_engagement::sentiment::analyse(text).score
}

/// Stores the feedback (sealed) and, unless it is a private note, its event.
pub async fn record(ctx: &ServiceContext, new: NewFeedback) -> Result<Feedback, ApiError> {
    let now = time::now_ms();
    let id = uuid::Uuid::now_v7().to_string();
    let (_, findings) = bias::check(&new.text, new.locale);
    let mut tx = ctx.db.begin().await?;
    if !new.request_id.is_empty() {
        let row: Option<(String, String, i64)> =
            sqlx::query_as("SELECT employee_id, asked_of, answered FROM feedback_requests WHERE id = $1")
                .bind(&new.request_id)
                .fetch_optional(&mut *tx)
                .await?;
        let (employee, asked_of, answered) =
            row.ok_or_else(|| ApiError::NotFound(format!("feedback request {} does not exist", new.request_id)))?;
        if asked_of != new.author_id || employee != new.employee_id {
            return Err(ApiError::FailedPrecondition("this feedback request was addressed to someone else".into()));
        }
        if answered != 0 {
            return Err(ApiError::FailedPrecondition("this feedback request is already answered".into()));
        }
        sqlx::query("UPDATE feedback_requests SET answered = 1 WHERE id = $1")
            .bind(&new.request_id)
            .execute(&mut *tx)
            .await?;
    }
    let sealed = privacy::seal(ctx, &mut tx, &new.employee_id, &new.text).await?;
    sqlx::query(
        "INSERT INTO feedback (id, employee_id, author_id, body, recorded_at, kind, request_id, tone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&new.employee_id)
    .bind(&new.author_id)
    .bind(&sealed)
    .bind(now)
    .bind(new.kind)
    .bind(&new.request_id)
    .bind(tone(&new.text))
    .execute(&mut *tx)
    .await?;
    if new.kind != KIND_PRIVATE {
        let event =
            FeedbackRecorded { feedback_id: id.clone(), author_id: new.author_id.clone(), kind: new.kind.into() };
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&new.employee_id, FEEDBACK, &event))
            .await?;
    }
    ctx.commit(tx).await?;
    Ok(Feedback {
        feedback_id: id,
        employee_id: new.employee_id,
        author_id: new.author_id,
        text: new.text,
        recorded_at: Some(time::timestamp(now)),
        kind: new.kind.into(),
        request_id: new.request_id,
        bias: findings,
    })
}

/// Asks each colleague in `req.from_ids` for feedback about the employee.
pub async fn request(
    ctx: &ServiceContext,
    caller: &Principal,
    req: &RequestFeedbackRequest,
) -> Result<Vec<FeedbackRequest>, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("employee_id", &req.employee_id));
    if req.from_ids.is_empty() || req.from_ids.len() > 20 {
        v.add("from_ids", "name 1 to 20 colleagues");
    }
    for (i, id) in req.from_ids.iter().enumerate() {
        v.check(identifier(&format!("from_ids[{i}]"), id));
        if *id == req.employee_id {
            v.add(&format!("from_ids[{i}]"), "ask someone other than the employee");
        }
    }
    v.check(required_text("topic", &req.topic, 500));
    v.finish()?;
    let now = time::now_ms();
    let mut out = Vec::new();
    let mut tx = ctx.db.begin().await?;
    for asked_of in &req.from_ids {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO feedback_requests (id, employee_id, asked_by, asked_of, topic, asked_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(&req.employee_id)
        .bind(&caller.subject)
        .bind(asked_of)
        .bind(req.topic.trim())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let event = FeedbackRequested { request_id: id.clone(), asked_of: asked_of.clone() };
        // The colleague who must act is the event's subject.
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(asked_of, FEEDBACK, &event)).await?;
        out.push(FeedbackRequest {
            request_id: id,
            employee_id: req.employee_id.clone(),
            asked_by: caller.subject.clone(),
            asked_of: asked_of.clone(),
            topic: req.topic.trim().into(),
            asked_at: Some(time::timestamp(now)),
            answered: false,
        });
    }
    ctx.commit(tx).await?;
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    employee_id: String,
    asked_by: String,
    asked_of: String,
    topic: String,
    asked_at: i64,
    answered: i64,
}

/// The open requests addressed to `person`.
pub async fn open_requests(ctx: &ServiceContext, person: &str) -> Result<Vec<FeedbackRequest>, ApiError> {
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT id, employee_id, asked_by, asked_of, topic, asked_at, answered FROM feedback_requests
         WHERE asked_of = $1 AND answered = 0 ORDER BY asked_at",
    )
    .bind(person)
    .fetch_all(ctx.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FeedbackRequest {
            request_id: r.id,
            employee_id: r.employee_id,
            asked_by: r.asked_by,
            asked_of: r.asked_of,
            topic: r.topic,
            asked_at: Some(time::timestamp(r.asked_at)),
            answered: r.answered != 0,
        })
        .collect())
}

/// One stored feedback item, text opened.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub author_id: String,
    pub kind: String,
    pub text: String,
    pub tone: f64,
    pub recorded_at: i64,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: String,
    author_id: String,
    kind: String,
    body: String,
    tone: f64,
    recorded_at: i64,
}

/// Feedback about `employee` recorded in `[from, to)` (Unix ms), oldest first: feedback and
/// praise, plus the private notes `reader` wrote (none when `reader` is `None`).
pub async fn items(
    ctx: &ServiceContext,
    conn: &mut AnyConnection,
    employee: &str,
    (from, to): (i64, i64),
    reader: Option<&str>,
) -> Result<Vec<Item>, ApiError> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT id, author_id, kind, body, tone, recorded_at FROM feedback
         WHERE employee_id = $1 AND recorded_at >= $2 AND recorded_at < $3
           AND (kind <> 'private_note' OR author_id = $4)
         ORDER BY recorded_at, id",
    )
    .bind(employee)
    .bind(from)
    .bind(to)
    .bind(reader.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let text = privacy::open(ctx, conn, employee, &r.body).await?;
        out.push(Item {
            id: r.id,
            author_id: r.author_id,
            kind: r.kind,
            text,
            tone: r.tone,
            recorded_at: r.recorded_at,
        });
    }
    Ok(out)
}

/// Start of `date` (UTC) in Unix ms.
pub fn date_ms(date: ::time::Date) -> i64 {
    date.midnight().assume_utc().unix_timestamp() * 1000
}

/// The date of a Unix ms instant (UTC).
pub fn ms_date(ms: i64) -> ::time::Date {
    ::time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).map(|t| t.date()).unwrap_or(::time::Date::MIN)
}

/// What `reader` may read about `employee` in the optional period, newest first.
pub async fn list(
    ctx: &ServiceContext,
    reader: &str,
    employee: &str,
    from_date: &str,
    to_date: &str,
) -> Result<Vec<Feedback>, ApiError> {
    let mut v = Violations::default();
    v.check(identifier("employee_id", employee));
    let from = v.check(time::parse_optional_date("from_date", from_date));
    let to = v.check(time::parse_optional_date("to_date", to_date));
    v.finish()?;
    let from = from.flatten().map_or(0, date_ms);
    let to = to.flatten().map_or(i64::MAX, |d| date_ms(d) + 86_400_000);
    let mut conn = ctx.db.pool().acquire().await?;
    let mut items = items(ctx, &mut conn, employee, (from, to), Some(reader)).await?;
    items.reverse();
    Ok(items
        .into_iter()
        .map(|i| Feedback {
            feedback_id: i.id,
            employee_id: employee.to_owned(),
            author_id: i.author_id,
            text: i.text,
            recorded_at: Some(time::timestamp(i.recorded_at)),
            kind: i.kind,
            request_id: String::new(),
            bias: Vec::new(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(text: String) -> RecordFeedbackRequest {
        RecordFeedbackRequest { employee_id: "e1".into(), author_id: "m1".into(), text, ..Default::default() }
    }

    #[test]
    fn rejects_empty_and_overlong_text() {
        for text in [String::new(), "x".repeat(5_001)] {
            assert!(matches!(parse(&req(text)), Err(ApiError::InvalidArgument(_))));
        }
    }

    #[test]
    fn rejects_unknown_kind_and_feedback_about_oneself() {
        let mut unknown = req("Good".into());
        unknown.kind = "rumour".into();
        assert!(matches!(parse(&unknown), Err(ApiError::InvalidArgument(_))));
        let mut own = req("Good".into());
        own.employee_id = "m1".into();
        assert!(matches!(parse(&own), Err(ApiError::InvalidArgument(_))));
        own.kind = KIND_PRIVATE.into();
        assert!(parse(&own).is_ok(), "a private note about oneself is fine");
    }
}
