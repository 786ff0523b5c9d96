-- ESCO's description of each skill, per language (at most one): skill ranking reads them with a low weight.
CREATE TABLE IF NOT EXISTS esco_descriptions (
    concept TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (concept, lang)
);
