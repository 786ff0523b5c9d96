CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    source TEXT NOT NULL,
    -- Client-chosen retry key; NULL when the client did not send one.
    idempotency_key TEXT UNIQUE,
    applied_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_candidate ON applications (candidate_id);
CREATE INDEX IF NOT EXISTS applications_job ON applications (job_id);
