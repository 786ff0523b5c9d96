-- Current declared level per employee and skill.
CREATE TABLE IF NOT EXISTS declared_skills (
    employee_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    level BIGINT NOT NULL,
    declared_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, skill_id)
);
-- Every declaration ever made, so a profile's history can be shown.
CREATE TABLE IF NOT EXISTS skill_history (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    level BIGINT NOT NULL,
    declared_by TEXT NOT NULL,
    declared_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS skill_history_employee ON skill_history (employee_id);
