//! What performance keeps about a person, for access requests and erasure, and how long.
//!
//! Feedback, 360° answers, goals, agendas and reviews are about an employee and are found by
//! `employee_id`; their free text is sealed under that employee's key (an export opens it for
//! them, an erasure destroys the key). Where a person appears on someone else's record (as the
//! author of feedback, a rater, the approving manager) their id is replaced on erasure.

use hrmesh_kit::{
    ApiError,
    privacy::{Erase, Table, Tables},
    retention::{Age, RetentionRule},
};
use sqlx::AnyConnection;

use crate::purposes::{CYCLES, DRAFTING, FEEDBACK, REVIEWS};

/// Where this service keeps rows about people.
pub static PERSON_DATA: Tables = Tables(&[
    Table { kind: "feedback_received", table: "feedback", column: "employee_id", erase: Erase::Delete },
    Table { kind: "feedback_written", table: "feedback", column: "author_id", erase: Erase::Anonymise },
    Table { kind: "feedback_requests", table: "feedback_requests", column: "employee_id", erase: Erase::Delete },
    Table { kind: "feedback_requests_asked", table: "feedback_requests", column: "asked_of", erase: Erase::Anonymise },
    Table { kind: "goals", table: "goals", column: "employee_id", erase: Erase::Delete },
    Table { kind: "goal_check_ins", table: "goal_check_ins", column: "employee_id", erase: Erase::Delete },
    Table { kind: "agenda_items", table: "agenda_items", column: "employee_id", erase: Erase::Delete },
    Table { kind: "cycle_raters", table: "cycle_raters", column: "employee_id", erase: Erase::Delete },
    Table { kind: "rated_in_cycles", table: "cycle_raters", column: "rater_id", erase: Erase::Anonymise },
    Table { kind: "cycle_answers", table: "cycle_answers", column: "employee_id", erase: Erase::Delete },
    Table { kind: "cycles", table: "cycles", column: "employee_id", erase: Erase::Delete },
    Table { kind: "cycles_managed", table: "cycles", column: "manager_id", erase: Erase::Anonymise },
    Table { kind: "reviews", table: "reviews", column: "employee_id", erase: Erase::Delete },
    Table { kind: "reviews_approved", table: "reviews", column: "approved_by", erase: Erase::Anonymise },
]);

/// Days feedback, goals and agendas are kept (the purpose's retention).
const FEEDBACK_DAYS: u32 = 730;
/// Days 360° cycles and their answers are kept.
const CYCLE_DAYS: u32 = 730;
/// Days approved reviews (and unapproved drafts) are kept.
const REVIEW_DAYS: u32 = 1095;

/// What expires with its purpose's retention.
pub fn retention() -> Vec<RetentionRule> {
    let rule = |purpose, kind, days, statement| RetentionRule { purpose, kind, days, statement, age: Age::Millis };
    vec![
        rule(FEEDBACK, "feedback", FEEDBACK_DAYS, "DELETE FROM feedback WHERE recorded_at < $1"),
        rule(FEEDBACK, "feedback_requests", FEEDBACK_DAYS, "DELETE FROM feedback_requests WHERE asked_at < $1"),
        rule(FEEDBACK, "goal_check_ins", FEEDBACK_DAYS, "DELETE FROM goal_check_ins WHERE checked_at < $1"),
        rule(FEEDBACK, "goals", FEEDBACK_DAYS, "DELETE FROM goals WHERE status <> 'open' AND updated_at < $1"),
        rule(FEEDBACK, "agenda_items", FEEDBACK_DAYS, "DELETE FROM agenda_items WHERE added_at < $1"),
        rule(CYCLES, "cycle_answers", CYCLE_DAYS, "DELETE FROM cycle_answers WHERE answered_at < $1"),
        rule(
            CYCLES,
            "cycle_raters",
            CYCLE_DAYS,
            "DELETE FROM cycle_raters WHERE cycle_id IN (SELECT id FROM cycles WHERE opened_at < $1)",
        ),
        rule(CYCLES, "cycles", CYCLE_DAYS, "DELETE FROM cycles WHERE opened_at < $1"),
        rule(REVIEWS, "reviews", REVIEW_DAYS, "DELETE FROM reviews WHERE status = 'approved' AND approved_at < $1"),
        rule(DRAFTING, "review_drafts", REVIEW_DAYS, "DELETE FROM reviews WHERE status = 'draft' AND drafted_at < $1"),
    ]
}

/// Seals `text` under `subject`'s key.
pub async fn seal(
    ctx: &hrmesh_kit::service::ServiceContext,
    conn: &mut AnyConnection,
    subject: &str,
    text: &str,
) -> Result<String, ApiError> {
    ctx.vault.seal(conn, subject, text).await.map_err(|e| ApiError::Internal(e.into()))
}

/// Opens a value sealed under `subject`'s key; `[erased]` once the key is gone.
pub async fn open(
    ctx: &hrmesh_kit::service::ServiceContext,
    conn: &mut AnyConnection,
    subject: &str,
    sealed: &str,
) -> Result<String, ApiError> {
    if !sealed.starts_with("v1:") {
        return Ok(sealed.to_owned());
    }
    let plain = ctx.vault.open(conn, subject, sealed).await.map_err(|e| ApiError::Internal(e.into()))?;
    Ok(plain.unwrap_or_else(|| "[erased]".to_owned()))
}
