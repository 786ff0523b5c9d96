-- Continuous feedback: kind and the request answered; the body is sealed under the recipient.
ALTER TABLE feedback ADD COLUMN kind TEXT NOT NULL DEFAULT 'feedback';
ALTER TABLE feedback ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE feedback ADD COLUMN tone DOUBLE PRECISION NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS feedback_author ON feedback (author_id);

CREATE TABLE IF NOT EXISTS feedback_requests (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    asked_by TEXT NOT NULL,
    asked_of TEXT NOT NULL,
    topic TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    answered BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS feedback_requests_of ON feedback_requests (asked_of);

CREATE TABLE IF NOT EXISTS goals (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    title TEXT NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL,
    progress BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS goals_employee ON goals (employee_id);

CREATE TABLE IF NOT EXISTS goal_check_ins (
    id TEXT PRIMARY KEY,
    goal_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    progress BIGINT NOT NULL,
    note TEXT NOT NULL,
    checked_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS goal_check_ins_goal ON goal_check_ins (goal_id);

CREATE TABLE IF NOT EXISTS agenda_items (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    added_by TEXT NOT NULL,
    body TEXT NOT NULL,
    meeting_date TEXT NOT NULL,
    closed BIGINT NOT NULL DEFAULT 0,
    added_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS agenda_items_employee ON agenda_items (employee_id);

CREATE TABLE IF NOT EXISTS cycles (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    manager_id TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    deadline TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS cycles_employee ON cycles (employee_id);

CREATE TABLE IF NOT EXISTS cycle_raters (
    cycle_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    rater_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    nominated_by TEXT NOT NULL,
    answered_at BIGINT NOT NULL DEFAULT 0,
    reminded_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (cycle_id, rater_id)
);

-- One row per answer; the rater is not stored with it (participation lives in cycle_raters).
-- `slot` groups one rater's answers without naming them (a random id per submission).
CREATE TABLE IF NOT EXISTS cycle_answers (
    id TEXT PRIMARY KEY,
    cycle_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    rater_kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    question_id TEXT NOT NULL,
    rating BIGINT NOT NULL,
    body TEXT NOT NULL,
    answered_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS cycle_answers_cycle ON cycle_answers (cycle_id);

CREATE TABLE IF NOT EXISTS reviews (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    model TEXT NOT NULL,
    body TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    drafted_by TEXT NOT NULL,
    drafted_at BIGINT NOT NULL,
    overall_rating BIGINT NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    approved_by TEXT NOT NULL DEFAULT '',
    approved_at BIGINT NOT NULL DEFAULT 0,
    decision_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS reviews_employee ON reviews (employee_id);
