-- The HR core. Personal fields (`*_sealed`) are AES-GCM sealed under the person's key.
CREATE TABLE IF NOT EXISTS org_units (
    org_unit_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    parent_id TEXT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS employees (
    employee_id TEXT PRIMARY KEY,
    name_sealed TEXT,
    private_email_sealed TEXT,
    phone_sealed TEXT,
    birth_date_sealed TEXT,
    address_sealed TEXT,
    work_email TEXT NOT NULL,
    preferred_language TEXT NOT NULL,
    work_country TEXT NOT NULL,
    work_region TEXT NOT NULL,
    org_unit_id TEXT,
    job_title TEXT NOT NULL,
    manager_id TEXT,
    status TEXT NOT NULL,
    -- Fingerprint of the last upsert's fields, so that re-importing the same file changes nothing.
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS employees_manager ON employees (manager_id);

-- Reporting lines with history: who reported to whom from when.
CREATE TABLE IF NOT EXISTS reporting_lines (
    employee_id TEXT NOT NULL,
    manager_id TEXT,
    effective_from TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, effective_from)
);

CREATE TABLE IF NOT EXISTS contracts (
    employee_id TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    probation_end TEXT,
    weekly_hours DOUBLE PRECISION NOT NULL,
    days_per_week BIGINT NOT NULL,
    kind TEXT NOT NULL,
    extra_leave_days DOUBLE PRECISION NOT NULL,
    sick_note_from_day BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, effective_from)
);

CREATE TABLE IF NOT EXISTS leave_requests (
    request_id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    leave_type TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    leave_year BIGINT NOT NULL,
    days DOUBLE PRECISION NOT NULL,
    hours DOUBLE PRECISION NOT NULL,
    status TEXT NOT NULL,
    note_sealed TEXT,
    decided_by TEXT,
    decision_reason_sealed TEXT,
    requested_by TEXT NOT NULL,
    idempotency_key TEXT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX IF NOT EXISTS leave_requests_employee ON leave_requests (employee_id, start_date);
CREATE UNIQUE INDEX IF NOT EXISTS leave_requests_idempotency ON leave_requests (requested_by, idempotency_key);

CREATE TABLE IF NOT EXISTS sick_spells (
    spell_id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    first_day TEXT NOT NULL,
    recovered_on TEXT,
    reported_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS sick_spells_employee ON sick_spells (employee_id, first_day);
