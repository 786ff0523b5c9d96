-- Per-person data keys (crypto-shredding): each wrapped with the process's master key.
-- Deleting a row makes every value sealed for that person unreadable, wherever it was copied.
CREATE TABLE IF NOT EXISTS _hrmesh_person_keys (
    subject TEXT PRIMARY KEY,
    wrapped_key TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Member sets of released aggregates, per audience, so a later query cannot reveal a small
-- group by difference (see kit::groups).
CREATE TABLE IF NOT EXISTS _hrmesh_released_groups (
    audience TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    members TEXT NOT NULL,
    released_at BIGINT NOT NULL,
    PRIMARY KEY (audience, fingerprint)
);
