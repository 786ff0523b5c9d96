CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    language TEXT NOT NULL,
    opened_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_employee ON conversations (employee_id);
