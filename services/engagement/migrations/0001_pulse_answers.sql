CREATE TABLE IF NOT EXISTS pulse_answers (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    score BIGINT NOT NULL,
    comment TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    UNIQUE (survey_id, employee_id)
);
