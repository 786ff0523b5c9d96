CREATE TABLE IF NOT EXISTS onboardings (
    employee_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    start_date TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
