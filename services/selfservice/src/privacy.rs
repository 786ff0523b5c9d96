//! What self-service keeps about a person, for access requests and erasure, and how long.
//!
//! Every row about an employee is found by `employee_id` and deleted on erasure: conversations,
//! their messages (sealed under the person's key; an export opens them), handover tickets (HR's
//! answer sealed too), leave requests being followed up and questions queued for HR. The dialogue
//! state in the cache is sealed under the same key, so destroying the key makes it unreadable
//! until it expires. Handbook documents and question–answer pairs are the company's, not personal.

use hrmesh_kit::{
    privacy::{Erase, Table, Tables},
    retention::{Age, RetentionRule},
};

use crate::conversation::PURPOSE;

/// Where this service keeps rows about people.
pub static PERSON_DATA: Tables = Tables(&[
    Table { kind: "conversations", table: "conversations", column: "employee_id", erase: Erase::Delete },
    Table { kind: "messages", table: "messages", column: "employee_id", erase: Erase::Delete },
    Table { kind: "tickets", table: "tickets", column: "employee_id", erase: Erase::Delete },
    Table { kind: "leave_follow_ups", table: "leave_follow_ups", column: "employee_id", erase: Erase::Delete },
    Table { kind: "unanswered_questions", table: "unanswered_questions", column: "employee_id", erase: Erase::Delete },
]);

/// Days conversations are kept after their last message (the purpose's retention).
const RETENTION_DAYS: u32 = 90;

/// What expires with the purpose's retention; a conversation with an open ticket is kept.
pub fn retention() -> Vec<RetentionRule> {
    let rule =
        |kind, statement| RetentionRule { purpose: PURPOSE, kind, days: RETENTION_DAYS, statement, age: Age::Millis };
    vec![
        rule("messages", "DELETE FROM messages WHERE created_at < $1"),
        rule(
            "conversations",
            "DELETE FROM conversations WHERE last_at < $1
             AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.conversation_id = conversations.id AND t.status = 'open')",
        ),
        rule("tickets", "DELETE FROM tickets WHERE status = 'answered' AND answered_at < $1"),
        rule("leave_follow_ups", "DELETE FROM leave_follow_ups WHERE created_at < $1"),
        rule("unanswered_questions", "DELETE FROM unanswered_questions WHERE asked_at < $1"),
    ]
}
