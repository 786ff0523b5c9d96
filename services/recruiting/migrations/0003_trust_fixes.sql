-- Idempotency keys are scoped per caller (stored as a hash of caller and key) and remember the
-- request they answered, so a reused key never returns another person's application.
ALTER TABLE applications ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';
-- Jobs can be closed and reopened; applications are taken only while open.
ALTER TABLE jobs ADD COLUMN closed_at BIGINT;
ALTER TABLE jobs ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
-- One logged recommendation per job, candidate and input: viewing a shortlist again does not
-- log the same recommendation again.
CREATE TABLE IF NOT EXISTS logged_recommendations (
    job_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    input_hash TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    logged_at BIGINT NOT NULL,
    PRIMARY KEY (job_id, candidate_id, input_hash)
);
