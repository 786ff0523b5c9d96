-- One row per governed application, keyed by the candidate's pseudonym, so every count can go
-- through the small-group guard (which needs the members of each group). Replaces the bare
-- per-job counters, which could not.
CREATE TABLE IF NOT EXISTS applications_seen (
    application_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    subject_pseudonym TEXT NOT NULL,
    source TEXT NOT NULL,
    seen_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_seen_job ON applications_seen (job_id);
CREATE INDEX IF NOT EXISTS applications_seen_subject ON applications_seen (subject_pseudonym);
DROP TABLE IF EXISTS application_counts;
