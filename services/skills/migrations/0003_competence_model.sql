-- Profiles keep one row per employee, skill and source (declared by the employee, declared by a
-- manager, inferred from text, verified), so every source stays visible next to the others.
CREATE TABLE IF NOT EXISTS profile_skills (
    employee_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    source TEXT NOT NULL,
    level BIGINT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    evidence_source TEXT NOT NULL DEFAULT '',
    changed_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, skill_id, source)
);
INSERT INTO profile_skills (employee_id, skill_id, source, level, changed_by, updated_at)
SELECT d.employee_id, d.skill_id,
       CASE WHEN EXISTS (SELECT 1 FROM skill_history h WHERE h.employee_id = d.employee_id
                         AND h.skill_id = d.skill_id AND h.declared_by <> d.employee_id)
            THEN 'declared_manager' ELSE 'declared_self' END,
       d.level, d.employee_id, d.declared_at
FROM declared_skills d;
DROP TABLE declared_skills;
ALTER TABLE skill_history ADD COLUMN source TEXT NOT NULL DEFAULT 'declared_self';
ALTER TABLE skill_history ADD COLUMN previous_level BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS profile_skills_skill ON profile_skills (skill_id);

-- Roles: named sets of required skills (ESCO occupations are read as roles without a row here).
CREATE TABLE IF NOT EXISTS roles (
    role_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS role_requirements (
    role_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    level BIGINT NOT NULL,
    essential BIGINT NOT NULL,
    PRIMARY KEY (role_id, skill_id)
);

-- Course catalogue; the built-in courses are seeded once and are then the customer's to edit.
CREATE TABLE IF NOT EXISTS courses (
    course_id TEXT PRIMARY KEY,
    title_en TEXT NOT NULL,
    title_nl TEXT NOT NULL,
    title_de TEXT NOT NULL,
    hours BIGINT NOT NULL,
    provider TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS course_skills (
    course_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    level BIGINT NOT NULL,
    PRIMARY KEY (course_id, skill_id)
);
CREATE INDEX IF NOT EXISTS course_skills_skill ON course_skills (skill_id);
CREATE TABLE IF NOT EXISTS course_prerequisites (
    course_id TEXT NOT NULL,
    prerequisite_id TEXT NOT NULL,
    PRIMARY KEY (course_id, prerequisite_id)
);
CREATE TABLE IF NOT EXISTS catalogue_seeds (
    name TEXT PRIMARY KEY,
    seeded_at BIGINT NOT NULL
);

-- Assigned learning paths (the steps as JSON: they are a snapshot of the plan at assignment).
CREATE TABLE IF NOT EXISTS learning_paths (
    path_id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    role_id TEXT NOT NULL,
    steps TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS learning_paths_employee ON learning_paths (employee_id);

-- Demand inputs.
CREATE TABLE IF NOT EXISTS requisitions (
    requisition_id TEXT PRIMARY KEY,
    opened_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE TABLE IF NOT EXISTS requisition_skills (
    requisition_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    PRIMARY KEY (requisition_id, skill_id)
);
CREATE TABLE IF NOT EXISTS hiring_plan_items (
    plan_id TEXT NOT NULL,
    month TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    headcount BIGINT NOT NULL,
    PRIMARY KEY (plan_id, skill_id)
);
