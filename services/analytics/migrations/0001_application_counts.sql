-- Applications per job, counted from the governed recruiting stream.
CREATE TABLE IF NOT EXISTS application_counts (
    job_id TEXT PRIMARY KEY,
    applications BIGINT NOT NULL
);
