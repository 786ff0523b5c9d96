CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    body TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_employee ON feedback (employee_id);
