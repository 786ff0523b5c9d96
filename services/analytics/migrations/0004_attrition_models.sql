-- Trained attrition-risk models with their cards. No rows of the training data are kept.
CREATE TABLE IF NOT EXISTS attrition_models (
    model_id TEXT PRIMARY KEY,
    -- `import` (a historical HR export) or `feature_store`.
    source TEXT NOT NULL,
    trained_at BIGINT NOT NULL,
    algorithm TEXT NOT NULL,
    cv_roc_auc DOUBLE PRECISION NOT NULL,
    rows_used BIGINT NOT NULL,
    -- The model (layout, encoder, parameters, calibration, card) as JSON.
    model_json TEXT NOT NULL,
    -- Share of scored rows per probability decile at training time (JSON array of 10), for the
    -- drift check; '' when not known.
    baseline_bins TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attrition_models_latest ON attrition_models (source, trained_at);

-- Drift checks of the feature-store model: population stability index of today's scores
-- against the training-time distribution.
CREATE TABLE IF NOT EXISTS attrition_drift (
    checked_at BIGINT PRIMARY KEY,
    model_id TEXT NOT NULL,
    psi DOUBLE PRECISION NOT NULL,
    rows_scored BIGINT NOT NULL,
    retrained_model_id TEXT NOT NULL
);
