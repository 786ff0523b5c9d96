-- Hires announced by recruiting's governed stream, waiting for HR to complete them into employees.
-- The governed stream carries no identity, so the link is the application id.
CREATE TABLE IF NOT EXISTS pending_hires (
    application_id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    hired_at BIGINT NOT NULL,
    employee_id TEXT
);

-- Job titles from the governed job events, to show what a hire was hired as.
CREATE TABLE IF NOT EXISTS job_titles (
    job_id TEXT PRIMARY KEY,
    title TEXT NOT NULL
);
