-- Append-only, hash-chained audit trail: every record hashes its predecessor.
CREATE TABLE IF NOT EXISTS audit_log (
    sequence BIGINT PRIMARY KEY,
    recorded_at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_pseudonym TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    event_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
