-- Surveys with anonymous answers. The old per-answer table named the employee next to the
-- score: it goes. Answers are now counts per round, org unit, question and score; comments are
-- kept without identity (and without order: see answers.rs); participation is recorded apart.
DROP TABLE IF EXISTS pulse_answers;

CREATE TABLE IF NOT EXISTS surveys (
    survey_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    pool TEXT NOT NULL,
    pinned TEXT NOT NULL,
    per_round BIGINT NOT NULL,
    org_units TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    interval_days BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS survey_rounds (
    survey_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    questions TEXT NOT NULL,
    PRIMARY KEY (survey_id, round)
);

-- The org tree as it was when the round opened, so a round's results keep their shape.
CREATE TABLE IF NOT EXISTS round_units (
    survey_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    org_unit_id TEXT NOT NULL,
    parent_id TEXT,
    name TEXT NOT NULL,
    PRIMARY KEY (survey_id, round, org_unit_id)
);

-- Who was asked (the audience when the round opened) and in which unit and language.
CREATE TABLE IF NOT EXISTS invitations (
    survey_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    employee_id TEXT NOT NULL,
    org_unit_id TEXT NOT NULL,
    language TEXT NOT NULL,
    PRIMARY KEY (survey_id, round, employee_id)
);

-- Who answered (never what): one row per person and round.
CREATE TABLE IF NOT EXISTS participation (
    survey_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    employee_id TEXT NOT NULL,
    PRIMARY KEY (survey_id, round, employee_id)
);

-- What was answered (never who): how many people of a unit gave a question a score.
CREATE TABLE IF NOT EXISTS answer_counts (
    survey_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    org_unit_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    score BIGINT NOT NULL,
    answers BIGINT NOT NULL,
    PRIMARY KEY (survey_id, round, org_unit_id, question_id, score)
);

-- Comments without identity; sentiment only when the author consented.
CREATE TABLE IF NOT EXISTS comments (
    comment_id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL,
    round BIGINT NOT NULL,
    org_unit_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    body TEXT NOT NULL,
    sentiment DOUBLE PRECISION,
    label TEXT,
    topics TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_by_round ON comments (survey_id, round, org_unit_id);
