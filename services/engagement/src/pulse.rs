//! Pulse answers: parse, store with their `PulseAnswered` event.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations, error::identifier, events::raw_topic, outbox, service::ServiceContext, time,
};
use hrmesh_proto::engagement::v1::{PulseAnswer, PulseAnswered, SubmitPulseAnswerRequest};

/// Processing purpose of pulse answers.
pub const PURPOSE: &str = "engagement.pulse";

fn score(value: u32) -> Result<u32, FieldViolation> {
    if value <= 10 { Ok(value) } else { Err(FieldViolation::new("score", "must be between 0 and 10")) }
}

fn comment(value: &str) -> Result<String, FieldViolation> {
    if value.chars().count() <= 2_000 {
        Ok(value.trim().to_owned())
    } else {
        Err(FieldViolation::new("comment", "must be at most 2000 characters"))
    }
}

/// Validates a request into an answer (without id and time).
pub fn parse(req: &SubmitPulseAnswerRequest) -> Result<PulseAnswer, ApiError> {
    let mut v = Violations::default();
    let survey_id = v.check(identifier("survey_id", &req.survey_id));
    let employee_id = v.check(identifier("employee_id", &req.employee_id));
    let score = v.check(score(req.score));
    let comment = v.check(comment(&req.comment));
    match (survey_id, employee_id, score, comment) {
        (Some(survey_id), Some(employee_id), Some(score), Some(comment)) => {
            Ok(PulseAnswer { answer_id: String::new(), survey_id, employee_id, score, comment, answered_at: None })
        }
        _ => Err(v.into_error()),
    }
}

/// Stores the answer and its event in one transaction; one answer per employee and survey.
pub async fn submit(ctx: &ServiceContext, mut answer: PulseAnswer) -> Result<PulseAnswer, ApiError> {
    let now = time::now_ms();
    answer.answer_id = uuid::Uuid::now_v7().to_string();
    answer.answered_at = Some(time::timestamp(now));
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "INSERT INTO pulse_answers (id, survey_id, employee_id, score, comment, answered_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&answer.answer_id)
    .bind(&answer.survey_id)
    .bind(&answer.employee_id)
    .bind(i64::from(answer.score))
    .bind(&answer.comment)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(|e| ApiError::on_conflict(e, || format!("survey {} was already answered", answer.survey_id)))?;
    let event =
        PulseAnswered { survey_id: answer.survey_id.clone(), score: answer.score, comment: answer.comment.clone() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&answer.employee_id, PURPOSE, &event))
        .await?;
    ctx.commit(tx).await?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_score_above_ten_and_overlong_comment() {
        let req = SubmitPulseAnswerRequest {
            survey_id: "s1".into(),
            employee_id: "e1".into(),
            score: 11,
            comment: "x".repeat(2_001),
        };
        let Err(ApiError::InvalidArgument(v)) = parse(&req) else { panic!("expected invalid") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["score", "comment"]);
    }

    #[test]
    fn accepts_zero_and_ten() {
        for score in [0, 10] {
            let req = SubmitPulseAnswerRequest {
                survey_id: "s1".into(),
                employee_id: "e1".into(),
                score,
                comment: String::new(),
            };
            assert!(parse(&req).is_ok());
        }
    }
}
