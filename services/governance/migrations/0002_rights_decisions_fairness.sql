-- Booleans are BIGINT 0/1: the one type both SQLite and PostgreSQL read back through sqlx's Any driver.

-- Consent: the current state per person and purpose, and every change (append-only).
CREATE TABLE IF NOT EXISTS consents (
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    granted BIGINT NOT NULL,
    notice_version TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (subject, purpose)
);
CREATE TABLE IF NOT EXISTS consent_history (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    granted BIGINT NOT NULL,
    notice_version TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS consent_history_subject ON consent_history (subject, changed_at);

-- Erasure requests and each service's confirmation.
CREATE TABLE IF NOT EXISTS erasure_requests (
    request_id TEXT PRIMARY KEY,
    subject_pseudonym TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    requested_by TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS erasure_results (
    request_id TEXT NOT NULL,
    service TEXT NOT NULL,
    completed_at BIGINT NOT NULL,
    items TEXT NOT NULL,
    PRIMARY KEY (request_id, service)
);

-- AI decisions and the human review of contested ones.
CREATE TABLE IF NOT EXISTS decisions (
    decision_id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    model_id TEXT NOT NULL,
    model_version TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    output TEXT NOT NULL,
    explanation TEXT NOT NULL,
    legal_effect BIGINT NOT NULL,
    reviewer TEXT NOT NULL,
    rationale TEXT NOT NULL,
    review_state INTEGER NOT NULL,
    stage TEXT NOT NULL,
    outcome TEXT NOT NULL,
    decided_at BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_subject ON decisions (subject, decided_at);
CREATE INDEX IF NOT EXISTS decisions_stage ON decisions (stage);
CREATE TABLE IF NOT EXISTS review_tasks (
    task_id TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    statement TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    reviewer TEXT NOT NULL,
    outcome TEXT NOT NULL,
    rationale TEXT NOT NULL,
    resolved_at BIGINT NOT NULL
);

-- Voluntarily reported group attributes, sealed with the person's key; monitoring only.
CREATE TABLE IF NOT EXISTS group_attributes (
    subject TEXT NOT NULL,
    attribute TEXT NOT NULL,
    sealed_group TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    PRIMARY KEY (subject, attribute)
);
-- Which (stage, attribute, group) currently stands below the four-fifths threshold.
CREATE TABLE IF NOT EXISTS impact_alerts (
    stage TEXT NOT NULL,
    attribute TEXT NOT NULL,
    grp TEXT NOT NULL,
    impact_ratio DOUBLE PRECISION NOT NULL,
    raised_at BIGINT NOT NULL,
    PRIMARY KEY (stage, attribute, grp)
);

-- Signed heads of the audit Merkle tree.
CREATE TABLE IF NOT EXISTS tree_heads (
    tree_size BIGINT PRIMARY KEY,
    root_hash TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    signature TEXT NOT NULL,
    public_key TEXT NOT NULL
);
