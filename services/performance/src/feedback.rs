//! Feedback: parse, store with its `FeedbackRecorded` event.

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::performance::v1::{Feedback, FeedbackRecorded, RecordFeedbackRequest};

/// Processing purpose of feedback events.
pub const PURPOSE: &str = "performance.feedback_drafting";

/// Validates a request into feedback (without id and time).
pub fn parse(req: &RecordFeedbackRequest) -> Result<Feedback, ApiError> {
    let mut v = Violations::default();
    let employee_id = v.check(identifier("employee_id", &req.employee_id));
    let author_id = v.check(identifier("author_id", &req.author_id));
    let text = v.check(required_text("text", &req.text, 5_000));
    match (employee_id, author_id, text) {
        (Some(employee_id), Some(author_id), Some(text)) => {
            Ok(Feedback { feedback_id: String::new(), employee_id, author_id, text, recorded_at: None })
        }
        _ => Err(v.into_error()),
    }
}

/// Stores the feedback and its event in one transaction.
pub async fn record(ctx: &ServiceContext, mut feedback: Feedback) -> Result<Feedback, ApiError> {
    let now = time::now_ms();
    feedback.feedback_id = uuid::Uuid::now_v7().to_string();
    feedback.recorded_at = Some(time::timestamp(now));
    let mut tx = ctx.db.begin().await?;
    sqlx::query("INSERT INTO feedback (id, employee_id, author_id, body, recorded_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&feedback.feedback_id)
        .bind(&feedback.employee_id)
        .bind(&feedback.author_id)
        .bind(&feedback.text)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = FeedbackRecorded { feedback_id: feedback.feedback_id.clone(), author_id: feedback.author_id.clone() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&feedback.employee_id, PURPOSE, &event))
        .await?;
    ctx.commit(tx).await?;
    Ok(feedback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_overlong_text() {
        for text in [String::new(), "x".repeat(5_001)] {
            let req = RecordFeedbackRequest { employee_id: "e1".into(), author_id: "m1".into(), text };
            assert!(matches!(parse(&req), Err(ApiError::InvalidArgument(_))));
        }
    }
}
