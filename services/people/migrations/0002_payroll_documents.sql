-- Payroll results: sealed under the payroll retention key of the person (`payroll:<id>`), which
-- erasure does not destroy while the statutory retention period runs.
CREATE TABLE IF NOT EXISTS payslips (
    employee_id TEXT NOT NULL,
    period TEXT NOT NULL,
    payslip_sealed TEXT NOT NULL,
    retain_until TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, period)
);

CREATE TABLE IF NOT EXISTS address_changes (
    employee_id TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    address_sealed TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, effective_from)
);

-- Issued documents: the signed statement is sealed under the person's key, so an erased
-- person's certificates can no longer be confirmed.
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    statement_sealed TEXT NOT NULL,
    statement_signature TEXT NOT NULL,
    pdf_signature TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_employee ON documents (employee_id);
