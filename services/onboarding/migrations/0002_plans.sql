-- Plans from templates, learning steps, buddies, check-ins and flags.
ALTER TABLE onboardings ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE onboardings ADD COLUMN template_id TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN skills_role_id TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN manager_id TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN contract_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN contract_end TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN probation_end TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN pace DOUBLE PRECISION NOT NULL DEFAULT 1.0;
-- '' while on probation, then passed, failed or left (with left_on).
ALTER TABLE onboardings ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN left_on TEXT NOT NULL DEFAULT '';
ALTER TABLE onboardings ADD COLUMN reminded INTEGER NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS templates (
    template_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    location TEXT NOT NULL,
    language TEXT NOT NULL,
    skills_role_id TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS template_tasks (
    template_id TEXT NOT NULL,
    task_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    phase INTEGER NOT NULL,
    owner INTEGER NOT NULL,
    due_offset_days INTEGER NOT NULL,
    -- Comma-separated task keys.
    depends_on TEXT NOT NULL,
    PRIMARY KEY (template_id, task_key)
);

CREATE TABLE IF NOT EXISTS tasks (
    employee_id TEXT NOT NULL,
    task_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    phase INTEGER NOT NULL,
    owner INTEGER NOT NULL,
    assignee TEXT NOT NULL,
    due_date TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    -- open, done or skipped.
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    learning INTEGER NOT NULL,
    closed_on TEXT NOT NULL,
    PRIMARY KEY (employee_id, task_key)
);

CREATE TABLE IF NOT EXISTS plan_changes (
    change_id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    task_key TEXT NOT NULL,
    actor TEXT NOT NULL,
    why_en TEXT NOT NULL,
    why_nl TEXT NOT NULL,
    why_de TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS plan_changes_employee ON plan_changes (employee_id, at);

CREATE TABLE IF NOT EXISTS buddy_volunteers (
    employee_id TEXT PRIMARY KEY,
    volunteer INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    location TEXT NOT NULL,
    language TEXT NOT NULL,
    manager_id TEXT NOT NULL,
    since TEXT NOT NULL,
    skills TEXT NOT NULL,
    interests TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS buddy_matches (
    employee_id TEXT PRIMARY KEY,
    buddy_id TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    -- JSON: [[en, nl, de], ...].
    reasons TEXT NOT NULL,
    overridden_by TEXT NOT NULL,
    override_reason TEXT NOT NULL,
    matched_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS checkins (
    employee_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    respondent TEXT NOT NULL,
    rating DOUBLE PRECISION NOT NULL,
    sentiment DOUBLE PRECISION,
    negative INTEGER NOT NULL,
    comment_sealed TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, day, respondent)
);

CREATE TABLE IF NOT EXISTS flags (
    employee_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    raised_at BIGINT NOT NULL,
    PRIMARY KEY (employee_id, kind)
);
