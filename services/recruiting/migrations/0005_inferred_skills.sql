-- Skills the skills service inferred (the CV or the advertisement shows them without naming them)
-- are kept apart from named ones, so every explanation and outreach draft can say so.
ALTER TABLE candidate_skills ADD COLUMN inferred BIGINT NOT NULL DEFAULT 0;
ALTER TABLE candidate_skills ADD COLUMN inferred_from TEXT NOT NULL DEFAULT '';
ALTER TABLE job_skills ADD COLUMN inferred BIGINT NOT NULL DEFAULT 0;
