-- Stages of an application; every change is a human decision kept in stage_history.
ALTER TABLE applications ADD COLUMN stage TEXT NOT NULL DEFAULT 'applied';
ALTER TABLE applications ADD COLUMN stage_changed_at BIGINT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS stage_history (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    stage TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    rationale TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    explanation TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS stage_history_application ON stage_history (application_id);
CREATE INDEX IF NOT EXISTS stage_history_candidate ON stage_history (candidate_id);

-- Job requisitions and their requirements.
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    min_years BIGINT NOT NULL,
    education TEXT NOT NULL,
    location TEXT NOT NULL,
    hours_per_week BIGINT NOT NULL,
    ad_text TEXT NOT NULL,
    extracted BIGINT NOT NULL,
    opened_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS job_skills (
    job_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    level BIGINT NOT NULL,
    essential BIGINT NOT NULL,
    PRIMARY KEY (job_id, skill_id)
);
CREATE TABLE IF NOT EXISTS job_languages (
    job_id TEXT NOT NULL,
    language TEXT NOT NULL,
    level TEXT NOT NULL,
    PRIMARY KEY (job_id, language)
);

-- Candidates' CVs: the document and contact details sealed with the candidate's key; the
-- structured profile (no contact details) as JSON; skills with their evidence.
CREATE TABLE IF NOT EXISTS candidates (
    candidate_id TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    format TEXT NOT NULL,
    filename TEXT NOT NULL,
    document TEXT NOT NULL,
    contact TEXT NOT NULL,
    profile TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS candidate_skills (
    candidate_id TEXT NOT NULL,
    skill_id TEXT NOT NULL,
    evidence TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (candidate_id, skill_id)
);

-- Outreach drafts; nothing is sent before a human approves.
CREATE TABLE IF NOT EXISTS outreach (
    draft_id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    cited_skills TEXT NOT NULL,
    status TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX IF NOT EXISTS outreach_candidate ON outreach (candidate_id);

-- How hires turned out, for the predictive fit model.
CREATE TABLE IF NOT EXISTS outcomes (
    application_id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    -- Match features at the time of the outcome (JSON array), the model's training input.
    features TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
