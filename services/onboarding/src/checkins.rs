//! Check-ins at day 7, 30 and 60: the new hire and their manager answer three questions (1..5)
//! and may add a comment. The comment is sealed under the new hire's key. Its sentiment (the
//! engagement service's lexicon model, used as a library) is computed only with the new hire's
//! consent for `engagement.sentiment`; without it only the ratings count.

use hrmesh_engagement::sentiment;
use hrmesh_kit::{ApiError, Violations, service::ServiceContext, time};
use hrmesh_proto::onboarding::v1::{self as pb};

use crate::{plan, purposes};

/// The days a check-in is due after the start.
pub const DAYS: [u32; 3] = [7, 30, 60];
/// An average rating at or below this is negative.
pub const NEGATIVE_RATING: f64 = 2.5;

/// A validated check-in.
#[derive(Debug, Clone)]
pub struct Answers {
    pub day: u32,
    pub rating: f64,
    pub comment: String,
}

impl Answers {
    pub fn parse(req: &pb::SubmitCheckInRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        if !DAYS.contains(&req.day) {
            v.add("day", "7, 30 or 60");
        }
        if req.ratings.is_empty() || req.ratings.len() > 3 || req.ratings.iter().any(|r| !(1..=5).contains(r)) {
            v.add("ratings", "one to three answers, each 1..5");
        }
        if req.comment.len() > 2000 {
            v.add("comment", "at most 2000 characters");
        }
        v.finish()?;
        let rating = req.ratings.iter().map(|r| f64::from(*r)).sum::<f64>() / req.ratings.len() as f64;
        Ok(Self { day: req.day, rating, comment: req.comment.trim().to_owned() })
    }
}

/// Whether a check-in is negative: a low rating, or a negative comment where sentiment was allowed.
pub fn is_negative(rating: f64, sentiment: Option<f64>) -> bool {
    rating <= NEGATIVE_RATING || sentiment.is_some_and(|s| s <= -sentiment::THRESHOLD)
}

/// Stores a check-in by `respondent` (`new_hire` or `manager`), replacing an earlier one for the day.
pub async fn submit(
    ctx: &ServiceContext,
    employee_id: &str,
    respondent: &str,
    answers: &Answers,
) -> Result<pb::CheckIn, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    plan::require(&mut conn, employee_id).await?;
    drop(conn);
    let sentiment = if respondent == "new_hire" && !answers.comment.is_empty() {
        let (allowed, _) = ctx.consent.check(employee_id, purposes::SENTIMENT).await?;
        let comment = answers.comment.clone();
        if allowed {
            // CPU work off the request threads.
            let scored = tokio::task::spawn_blocking(move || sentiment::analyse(&comment).score)
                .await
                .map_err(|e| ApiError::Internal(e.into()))?;
            Some(scored)
        } else {
            None
        }
    } else {
        None
    };
    let negative = is_negative(answers.rating, sentiment);
    let mut tx = ctx.db.begin().await?;
    let sealed = if answers.comment.is_empty() {
        String::new()
    } else {
        ctx.vault.seal(&mut tx, employee_id, &answers.comment).await.map_err(|e| ApiError::Internal(e.into()))?
    };
    sqlx::query(
        "INSERT INTO checkins (employee_id, day, respondent, rating, sentiment, negative, comment_sealed, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (employee_id, day, respondent) DO UPDATE SET rating = $4, sentiment = $5, negative = $6,
         comment_sealed = $7, submitted_at = $8",
    )
    .bind(employee_id)
    .bind(i64::from(answers.day))
    .bind(respondent)
    .bind(answers.rating)
    .bind(sentiment)
    .bind(i64::from(negative))
    .bind(sealed)
    .bind(time::now_ms())
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(pb::CheckIn {
        employee_id: employee_id.to_owned(),
        day: answers.day,
        respondent: respondent.to_owned(),
        rating: answers.rating,
        sentiment,
        negative,
    })
}

/// A stored check-in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub day: i64,
    pub respondent: String,
    pub rating: f64,
    pub sentiment: Option<f64>,
    pub negative: i64,
}

/// The check-ins of a plan.
pub async fn of(conn: &mut sqlx::AnyConnection, employee_id: &str) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as(
        "SELECT day, respondent, rating, sentiment, negative FROM checkins WHERE employee_id = $1 ORDER BY day",
    )
    .bind(employee_id)
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_day_and_ratings() {
        let req = pb::SubmitCheckInRequest { day: 14, ratings: vec![0, 6], ..Default::default() };
        let Err(ApiError::InvalidArgument(v)) = Answers::parse(&req) else { panic!("invalid accepted") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["day", "ratings"]);
        let ok = Answers::parse(&pb::SubmitCheckInRequest { day: 7, ratings: vec![4, 5, 3], ..Default::default() });
        assert!((ok.expect("valid").rating - 4.0).abs() < 1e-9);
    }

    #[test]
    fn a_low_rating_or_a_negative_comment_is_negative() {
        assert!(is_negative(2.0, None));
        assert!(!is_negative(4.0, None));
        assert!(is_negative(4.0, Some(-0.6)));
        let score = sentiment::analyse("Ik voel me niet welkom en niemand helpt me").score;
        assert!(score < 0.0, "{score}");
    }
}
