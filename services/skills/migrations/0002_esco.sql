-- The imported ESCO classification (European Commission). An import replaces every esco_* row
-- below in one transaction; esco_imports keeps one row per successful import.
CREATE TABLE IF NOT EXISTS esco_imports (
    id BIGINT PRIMARY KEY,
    imported_at BIGINT NOT NULL,
    source TEXT NOT NULL,
    skill_count BIGINT NOT NULL,
    group_count BIGINT NOT NULL,
    broader_count BIGINT NOT NULL,
    relation_count BIGINT NOT NULL,
    occupation_count BIGINT NOT NULL,
    occupation_skill_count BIGINT NOT NULL,
    label_count BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS esco_skills (
    uri TEXT PRIMARY KEY,
    skill_type TEXT NOT NULL,
    reuse_level TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS esco_groups (
    uri TEXT PRIMARY KEY,
    code TEXT NOT NULL
);
-- Labels of skills, groups and occupations (ESCO URIs are unique across them); position orders a
-- concept's labels: by language, preferred first.
CREATE TABLE IF NOT EXISTS esco_labels (
    concept TEXT NOT NULL,
    position BIGINT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    preferred BIGINT NOT NULL,
    PRIMARY KEY (concept, position)
);
-- concept (a skill or group) is narrower than broader.
CREATE TABLE IF NOT EXISTS esco_broader (
    concept TEXT NOT NULL,
    broader TEXT NOT NULL,
    PRIMARY KEY (concept, broader)
);
CREATE TABLE IF NOT EXISTS esco_skill_relations (
    from_skill TEXT NOT NULL,
    to_skill TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (from_skill, to_skill)
);
CREATE TABLE IF NOT EXISTS esco_occupations (
    uri TEXT PRIMARY KEY,
    code TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS esco_occupation_skills (
    occupation TEXT NOT NULL,
    skill TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (occupation, skill)
);
