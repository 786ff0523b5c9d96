//! Stored attrition-risk models: training (off the request threads), storage with the card, the
//! training table the feature store yields, and the score distribution kept for the drift check.

use std::time::Duration;

use hrmesh_kit::{ApiError, FieldViolation, cpu, time};
use hrmesh_proto::analytics::v1 as pb;
use sqlx::AnyConnection;

use crate::{
    attrition::{self, Score, TrainError, TrainOptions, TrainedModel, table::RawTable},
    features::{ACTIVE, DirectoryRow, LEFT},
};

/// Longest a training may take (5-fold CV of two candidates on up to [`MAX_ROWS`] rows).
pub const TRAIN_DEADLINE: Duration = Duration::from_secs(900);
/// Most rows a training or scoring request may carry.
pub const MAX_ROWS: usize = 50_000;
/// Most columns a training or scoring request may carry.
pub const MAX_COLUMNS: usize = 300;

/// Where a model's training rows came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A historical HR export (CSV).
    Import,
    /// The feature store's directory stream.
    FeatureStore,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Import => "import",
            Source::FeatureStore => "feature_store",
        }
    }
}

/// The leaver column of the feature-store table.
pub const FS_TARGET: &str = "left";
/// Columns of the feature-store table, without the leaver column.
pub const FS_COLUMNS: [&str; 5] = ["org_unit", "job_title", "work_country", "months_known", "directory_changes"];

const MONTH_MS: f64 = 30.436_875 * 86_400_000.0;

/// The feature-store row of a directory record (without the leaver column); `None` for someone
/// who never started.
pub fn fs_row(r: &DirectoryRow, now_ms: i64) -> Option<Vec<String>> {
    let from = r.active_from?;
    let until = r.left_at.unwrap_or(now_ms);
    let months = ((until - from).max(0) as f64 / MONTH_MS).floor();
    Some(vec![
        if r.org_unit_id.is_empty() { String::new() } else { r.org_unit_id.clone() },
        r.job_title.clone(),
        r.work_country.clone(),
        format!("{months}"),
        r.changes.to_string(),
    ])
}

/// The training table of the feature store: everyone who started, with whether they left.
pub fn fs_table(rows: &[DirectoryRow], now_ms: i64) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = FS_COLUMNS.iter().map(|&c| c.to_owned()).collect();
    header.push(FS_TARGET.to_owned());
    let table = rows
        .iter()
        .filter(|r| r.status == ACTIVE || r.status == LEFT)
        .filter_map(|r| {
            let mut row = fs_row(r, now_ms)?;
            row.push(if r.status == LEFT { "yes" } else { "no" }.to_owned());
            Some(row)
        })
        .collect();
    (header, table)
}

/// What to train on.
pub enum TrainInput {
    Csv(String),
    Rows(Vec<String>, Vec<Vec<String>>),
}

/// An RFC 3339 instant of Unix milliseconds (UTC, whole seconds).
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let day = time::format_date(crate::spans::date_of_ms(ms));
    let t = secs.rem_euclid(86_400);
    format!("{day}T{:02}:{:02}:{:02}Z", t / 3600, t % 3600 / 60, t % 60)
}

fn training_error(e: &TrainError) -> ApiError {
    let field = match e {
        TrainError::Table(t) => t.column.as_deref().map_or("csv".to_owned(), |c| format!("csv.{c}")),
        TrainError::TooFewRows { .. } => "csv".to_owned(),
    };
    ApiError::InvalidArgument(vec![FieldViolation::new(field, e.to_string())])
}

/// Trains off the request threads; also returns the training rows' score distribution.
pub async fn train(input: TrainInput, opts: TrainOptions) -> Result<(TrainedModel, Vec<f64>), ApiError> {
    cpu::run("attrition training", TRAIN_DEADLINE, move || {
        let raw = match &input {
            TrainInput::Csv(csv) => RawTable::from_csv(csv),
            TrainInput::Rows(header, rows) => RawTable::from_rows(header, rows),
        }
        .map_err(|e| training_error(&TrainError::Table(e)))?;
        if raw.rows.len() > MAX_ROWS || raw.header.len() > MAX_COLUMNS {
            return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
                "csv",
                format!("at most {MAX_ROWS} rows and {MAX_COLUMNS} columns"),
            )]));
        }
        let model = attrition::train_table(&raw, &opts).map_err(|e| training_error(&e))?;
        let scores = model.score_table(&raw).map_err(|e| training_error(&TrainError::Table(e)))?;
        Ok((model, deciles(&scores)))
    })
    .await?
}

/// Share of scores per probability decile ([0, 0.1), …, [0.9, 1]).
pub fn deciles(scores: &[Score]) -> Vec<f64> {
    let mut bins = [0.0; 10];
    for s in scores {
        bins[((s.probability * 10.0).floor() as usize).min(9)] += 1.0;
    }
    let n = scores.len().max(1) as f64;
    bins.iter().map(|b| b / n).collect()
}

/// Population stability index of `actual` against `expected` decile shares (empty bins floored
/// at 0.1 %): under 0.1 stable, 0.1–0.25 moderate shift, above 0.25 a significant shift.
pub fn psi(expected: &[f64], actual: &[f64]) -> f64 {
    expected
        .iter()
        .zip(actual)
        .map(|(&e, &a)| {
            let (e, a) = (e.max(0.001), a.max(0.001));
            (a - e) * (a / e).ln()
        })
        .sum()
}

/// A stored model.
pub struct Stored {
    pub model_id: String,
    pub source: String,
    pub model: TrainedModel,
    pub baseline: Vec<f64>,
}

/// Stores `model` as the newest of its source.
pub async fn save(
    conn: &mut AnyConnection,
    source: Source,
    model: &TrainedModel,
    baseline: &[f64],
) -> Result<String, ApiError> {
    let model_id = uuid::Uuid::now_v7().to_string();
    let json = model.to_json().map_err(|e| ApiError::Internal(e.into()))?;
    let auc = model.card().cross_validation.candidates.iter().find(|c| c.name == model.algorithm().name());
    sqlx::query(
        "INSERT INTO attrition_models (model_id, source, trained_at, algorithm, cv_roc_auc, rows_used, model_json,
             baseline_bins)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&model_id)
    .bind(source.as_str())
    .bind(time::now_ms())
    .bind(model.algorithm().name())
    .bind(auc.map_or(0.0, |c| c.roc_auc_mean))
    .bind(i64::try_from(model.card().data.rows).unwrap_or(i64::MAX))
    .bind(json)
    .bind(serde_json::to_string(baseline)?)
    .execute(conn)
    .await?;
    Ok(model_id)
}

#[derive(sqlx::FromRow)]
struct ModelRow {
    model_id: String,
    source: String,
    model_json: String,
    baseline_bins: String,
}

/// The model `model_id`, or the newest of `source` (of any source when `None`, imports first).
pub async fn load(conn: &mut AnyConnection, model_id: &str, source: Option<Source>) -> Result<Stored, ApiError> {
    const COLUMNS: &str = "model_id, source, model_json, baseline_bins";
    let row: Option<ModelRow> = if !model_id.is_empty() {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM attrition_models WHERE model_id = $1")))
            .bind(model_id)
            .fetch_optional(conn)
            .await?
    } else {
        let order = "ORDER BY CASE WHEN source = 'import' THEN 0 ELSE 1 END, trained_at DESC, model_id DESC LIMIT 1";
        let sql = match source {
            Some(_) => format!("SELECT {COLUMNS} FROM attrition_models WHERE source = $1 {order}"),
            None => format!("SELECT {COLUMNS} FROM attrition_models WHERE source <> $1 {order}"),
        };
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(source.map_or("", Source::as_str)).fetch_optional(conn).await?
    };
    let row = row.ok_or_else(|| {
        ApiError::NotFound(match (model_id.is_empty(), source) {
            (false, _) => format!("no attrition model {model_id}"),
            (true, Some(s)) => format!("no attrition model trained from {} yet (TrainAttritionModel)", s.as_str()),
            (true, None) => "no attrition model trained yet (TrainAttritionModel)".to_owned(),
        })
    })?;
    let model = TrainedModel::from_json(&row.model_json).map_err(|e| ApiError::Internal(e.into()))?;
    let baseline = serde_json::from_str(&row.baseline_bins).unwrap_or_default();
    Ok(Stored { model_id: row.model_id, source: row.source, model, baseline })
}

/// The card as the API shows it.
pub fn card(stored: &Stored) -> Result<pb::ModelCard, ApiError> {
    let card = stored.model.card();
    let chosen = card.cross_validation.candidates.iter().find(|c| c.name == card.algorithm.chosen);
    Ok(pb::ModelCard {
        model_id: stored.model_id.clone(),
        source: stored.source.clone(),
        purpose: card.purpose.clone(),
        version: card.version.clone(),
        trained_at: card.trained_at.clone(),
        algorithm: card.algorithm.chosen.clone(),
        cv_roc_auc: chosen.map_or(0.0, |c| c.roc_auc_mean),
        rows: card.data.rows as u64,
        leavers: card.data.positives as u64,
        intended_use: card.intended_use.clone(),
        limits: card.limits.clone(),
        card_json: serde_json::to_string(card)?,
    })
}

/// Scores rows with a stored model; a column the model uses that is missing is the caller's error.
pub fn score(model: &TrainedModel, raw: &RawTable) -> Result<Vec<Score>, ApiError> {
    model.score_table(raw).map_err(|e| {
        let field = e.column.as_deref().map_or("csv".to_owned(), |c| format!("csv.{c}"));
        ApiError::InvalidArgument(vec![FieldViolation::new(field, e.to_string())])
    })
}

/// Training options for a request.
pub fn options(target: &str, groups: &[String], exclude: &[String], now_ms: i64) -> TrainOptions {
    TrainOptions {
        target: target.to_owned(),
        group_columns: groups.to_vec(),
        exclude_columns: exclude.to_vec(),
        trained_at: rfc3339(now_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_print_as_rfc3339_and_psi_sees_a_shift() {
        assert_eq!(rfc3339(1_790_000_000_123), "2026-09-21T14:13:20Z");
        let even = vec![0.1; 10];
        assert!(psi(&even, &even).abs() < 1e-12);
        let shifted = [0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.2, 0.2, 0.2, 0.2];
        assert!(psi(&even, &shifted) > 0.25);
    }
}
