-- The feature store: what the governed people stream carries, keyed by the pseudonym of the
-- stream's purpose. Pseudonyms differ per purpose (people.directory, people.contracts,
-- people.leave, people.absence), so these tables cannot be joined per person; no raw employee id,
-- name or people-service record id is kept (spell and leave request ids only as hashes).

-- Directory (people.directory): the current record of each directory pseudonym.
CREATE TABLE IF NOT EXISTS fs_directory (
    subject_pseudonym TEXT PRIMARY KEY,
    org_unit_id TEXT NOT NULL,
    job_title TEXT NOT NULL,
    work_country TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Event time (Unix ms) the pseudonym was first seen active; NULL while pre-boarding.
    active_from BIGINT,
    -- Event time the status became `left`; NULL otherwise.
    left_at BIGINT,
    -- Changes of org unit or job title after the first record.
    changes BIGINT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS fs_directory_unit ON fs_directory (org_unit_id);

-- Directory history: every EmployeeUpserted, for membership of org units over time.
CREATE TABLE IF NOT EXISTS fs_directory_history (
    event_id TEXT PRIMARY KEY,
    subject_pseudonym TEXT NOT NULL,
    org_unit_id TEXT NOT NULL,
    status TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS fs_directory_history_subject ON fs_directory_history (subject_pseudonym);

-- Contracts (people.contracts): every contract version of each contract pseudonym.
CREATE TABLE IF NOT EXISTS fs_contract_versions (
    subject_pseudonym TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    start_date TEXT NOT NULL,
    -- '' for a permanent contract.
    end_date TEXT NOT NULL,
    weekly_hours DOUBLE PRECISION NOT NULL,
    kind TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (subject_pseudonym, effective_from)
);

-- Leave (people.leave): requests by hashed request id.
CREATE TABLE IF NOT EXISTS fs_leave (
    request_key TEXT PRIMARY KEY,
    subject_pseudonym TEXT NOT NULL,
    leave_type TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    days DOUBLE PRECISION NOT NULL,
    -- requested, approved, rejected or cancelled.
    state TEXT NOT NULL,
    seen_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS fs_leave_subject ON fs_leave (subject_pseudonym);

-- Absence (people.absence): sickness spells by hashed spell id; no diagnosis ever arrives.
CREATE TABLE IF NOT EXISTS fs_sick_spells (
    spell_key TEXT PRIMARY KEY,
    subject_pseudonym TEXT NOT NULL,
    first_day TEXT NOT NULL,
    -- '' while the spell is open.
    recovered_on TEXT NOT NULL,
    -- Calendar days of a closed spell.
    days BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS fs_sick_spells_subject ON fs_sick_spells (subject_pseudonym);
