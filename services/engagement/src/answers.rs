//! Answering a round, anonymous by construction. Participation (employee, round) is written
//! apart from the answers; the answers only raise counts per round, org unit, question and
//! score, so no row holds one person's answer, and no timestamp or sequence is kept. A comment
//! is stored without identity (colleagues' names removed, the author's own included) and
//! reshuffled with the other comments of its unit and round, so
//! not even the order rows were written in links it to the participation table.

use std::collections::BTreeMap;

use hrmesh_kit::{ApiError, Violations, error::identifier, events::raw_topic, outbox, service::ServiceContext, time};
use hrmesh_proto::engagement::v1::{PulseAnswered, PulseReceipt, SubmitPulseAnswerRequest};
use sqlx::AnyConnection;

use crate::{
    purposes,
    questions::{Kind, Question},
    sentiment,
    surveys::RoundRow,
};

/// Longest comment, in characters.
const MAX_COMMENT: usize = 2_000;

/// A request's identifiers, parsed.
pub fn parse_ids(req: &SubmitPulseAnswerRequest) -> Result<(String, String), ApiError> {
    let mut v = Violations::default();
    let survey = v.check(identifier("survey_id", &req.survey_id));
    let employee = v.check(identifier("employee_id", &req.employee_id));
    match (survey, employee) {
        (Some(s), Some(e)) => Ok((s, e)),
        _ => Err(v.into_error()),
    }
}

/// One validated answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Score { question: &'static str, score: u32 },
    Comment { question: &'static str, text: String },
}

/// Checks the answers against the round's questions: every scored question once with 0..10,
/// open questions optional.
pub fn parse_answers(req: &SubmitPulseAnswerRequest, asked: &[&'static Question]) -> Result<Vec<Answer>, ApiError> {
    let mut v = Violations::default();
    let mut given: BTreeMap<&str, Answer> = BTreeMap::new();
    for (i, answer) in req.answers.iter().enumerate() {
        let field = format!("answers[{i}]");
        let Some(question) = asked.iter().find(|q| q.id == answer.question_id) else {
            v.add(&format!("{field}.question_id"), format!("{} is not asked in this round", answer.question_id));
            continue;
        };
        if given.contains_key(question.id) {
            v.add(&format!("{field}.question_id"), format!("{} is answered twice", question.id));
            continue;
        }
        let parsed = match question.kind {
            Kind::Rating | Kind::Enps if answer.score > 10 => {
                v.add(&format!("{field}.score"), "must be between 0 and 10");
                continue;
            }
            Kind::Rating | Kind::Enps => Answer::Score { question: question.id, score: answer.score },
            Kind::Open if answer.text.chars().count() > MAX_COMMENT => {
                v.add(&format!("{field}.text"), format!("must be at most {MAX_COMMENT} characters"));
                continue;
            }
            Kind::Open => Answer::Comment { question: question.id, text: answer.text.trim().to_owned() },
        };
        given.insert(question.id, parsed);
    }
    for question in asked.iter().filter(|q| q.kind.scored()) {
        if !given.contains_key(question.id) {
            v.add("answers", format!("{} needs a score from 0 to 10", question.id));
        }
    }
    v.finish()?;
    Ok(given.into_values().filter(|a| !matches!(a, Answer::Comment { text, .. } if text.is_empty())).collect())
}

/// The unit `employee` was invited from, or FAILED_PRECONDITION when they were not invited.
pub async fn invitation(conn: &mut AnyConnection, round: &RoundRow, employee: &str) -> Result<String, ApiError> {
    let unit: Option<(String,)> =
        sqlx::query_as("SELECT org_unit_id FROM invitations WHERE survey_id = $1 AND round = $2 AND employee_id = $3")
            .bind(&round.survey_id)
            .bind(round.round)
            .bind(employee)
            .fetch_optional(conn)
            .await?;
    unit.map(|(u,)| u).ok_or_else(|| {
        ApiError::FailedPrecondition(format!(
            "you are not in the audience of round {} of this survey / je hoort niet bij de doelgroep van deze ronde / \
             du gehörst nicht zur Zielgruppe dieser Runde",
            round.number()
        ))
    })
}

/// Records `employee`'s participation and their anonymous answers in one transaction.
/// `analyse` says whether comment sentiment may be computed (consent was checked).
pub async fn submit(
    ctx: &ServiceContext,
    round: &RoundRow,
    employee: &str,
    answers: &[Answer],
    analyse: bool,
    names: &crate::comments::Names,
) -> Result<PulseReceipt, ApiError> {
    if !round.open_on(&time::format_date(time::today())) {
        return Err(ApiError::FailedPrecondition(format!(
            "round {} takes answers from {} to {} / ronde {} is open van {} tot en met {} / Runde {} läuft vom {} bis {}",
            round.number(),
            round.opens_on,
            round.closes_on,
            round.number(),
            round.opens_on,
            round.closes_on,
            round.number(),
            round.opens_on,
            round.closes_on,
        )));
    }
    // Sentiment is computed before the transaction (CPU work off the write lock).
    let analysed: Vec<Option<sentiment::Analysis>> = answers
        .iter()
        .map(|a| match a {
            Answer::Comment { text, .. } if analyse => Some(sentiment::analyse_detailed(text, None)),
            _ => None,
        })
        .collect();
    let mut tx = ctx.db.begin().await?;
    let unit = invitation(&mut tx, round, employee).await?;
    sqlx::query("INSERT INTO participation (survey_id, round, employee_id) VALUES ($1, $2, $3)")
        .bind(&round.survey_id)
        .bind(round.round)
        .bind(employee)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            ApiError::on_conflict(e, || {
                format!(
                    "you answered round {} already / je hebt ronde {} al beantwoord / du hast Runde {} schon beantwortet",
                    round.number(),
                    round.number(),
                    round.number()
                )
            })
        })?;
    let mut commented = false;
    for (answer, analysis) in answers.iter().zip(&analysed) {
        match answer {
            Answer::Score { question, score } => {
                sqlx::query(
                    "INSERT INTO answer_counts (survey_id, round, org_unit_id, question_id, score, answers)
                     VALUES ($1, $2, $3, $4, $5, 1)
                     ON CONFLICT (survey_id, round, org_unit_id, question_id, score)
                     DO UPDATE SET answers = answer_counts.answers + 1",
                )
                .bind(&round.survey_id)
                .bind(round.round)
                .bind(&unit)
                .bind(*question)
                .bind(i64::from(*score))
                .execute(&mut *tx)
                .await?;
            }
            Answer::Comment { question, text } => {
                let (score, label, topics) = match analysis {
                    Some(a) => (
                        Some(a.sentiment.score),
                        Some(a.sentiment.label.clone()),
                        a.topics.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(","),
                    ),
                    None => (None, None, String::new()),
                };
                sqlx::query(
                    "INSERT INTO comments (comment_id, survey_id, round, org_unit_id, question_id, body, sentiment, label, topics)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(&round.survey_id)
                .bind(round.round)
                .bind(&unit)
                .bind(*question)
                .bind(crate::comments::redact(text, names))
                .bind(score)
                .bind(label)
                .bind(topics)
                .execute(&mut *tx)
                .await?;
                commented = true;
            }
        }
    }
    if commented {
        shuffle_comments(&mut tx, round, &unit).await?;
    }
    let event = PulseAnswered { survey_id: round.survey_id.clone(), round: round.number() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(employee, purposes::SURVEYS, &event))
        .await?;
    ctx.commit(tx).await?;
    Ok(PulseReceipt {
        survey_id: round.survey_id.clone(),
        round: round.number(),
        sentiment_analysed: analysed.iter().any(Option::is_some),
    })
}

/// A comment row as stored.
#[derive(Debug, sqlx::FromRow)]
struct StoredComment {
    question_id: String,
    body: String,
    sentiment: Option<f64>,
    label: Option<String>,
    topics: String,
}

/// Rewrites the comments of one unit and round in random order with fresh random ids, so the
/// position a comment was written at (SQLite's rowid, PostgreSQL's heap order) says nothing of
/// when it was written.
async fn shuffle_comments(conn: &mut AnyConnection, round: &RoundRow, unit: &str) -> Result<(), sqlx::Error> {
    let rows: Vec<StoredComment> = sqlx::query_as(
        "SELECT question_id, body, sentiment, label, topics FROM comments
         WHERE survey_id = $1 AND round = $2 AND org_unit_id = $3",
    )
    .bind(&round.survey_id)
    .bind(round.round)
    .bind(unit)
    .fetch_all(&mut *conn)
    .await?;
    // Fresh random ids, written in their order: a uniformly random permutation.
    let mut rows: Vec<(String, StoredComment)> =
        rows.into_iter().map(|r| (uuid::Uuid::new_v4().to_string(), r)).collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    sqlx::query("DELETE FROM comments WHERE survey_id = $1 AND round = $2 AND org_unit_id = $3")
        .bind(&round.survey_id)
        .bind(round.round)
        .bind(unit)
        .execute(&mut *conn)
        .await?;
    for (id, row) in rows {
        sqlx::query(
            "INSERT INTO comments (comment_id, survey_id, round, org_unit_id, question_id, body, sentiment, label, topics)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(&round.survey_id)
        .bind(round.round)
        .bind(unit)
        .bind(row.question_id)
        .bind(row.body)
        .bind(row.sentiment)
        .bind(row.label)
        .bind(row.topics)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::find;
    use hrmesh_proto::engagement::v1::QuestionAnswer;

    fn asked() -> Vec<&'static Question> {
        ["enps.recommend", "workload.manageable", "workload.open"].iter().filter_map(|id| find(id)).collect()
    }

    fn answer(question: &str, score: u32, text: &str) -> QuestionAnswer {
        QuestionAnswer { question_id: question.into(), score, text: text.into() }
    }

    #[test]
    fn every_scored_question_needs_a_score_and_open_ones_are_optional() {
        let req = SubmitPulseAnswerRequest {
            survey_id: "s".into(),
            employee_id: "e".into(),
            answers: vec![
                answer("enps.recommend", 9, ""),
                answer("workload.manageable", 6, ""),
                answer("workload.open", 0, "  "),
            ],
        };
        let parsed = parse_answers(&req, &asked()).expect("valid");
        assert_eq!(parsed.len(), 2, "an empty comment is no comment");
        let bad = SubmitPulseAnswerRequest {
            answers: vec![
                answer("enps.recommend", 11, ""),
                answer("pay.fair", 5, ""),
                answer("workload.open", 0, &"x".repeat(2001)),
            ],
            ..req
        };
        let Err(ApiError::InvalidArgument(v)) = parse_answers(&bad, &asked()) else { panic!("invalid") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["answers[0].score", "answers[1].question_id", "answers[2].text", "answers", "answers"]);
    }
}
