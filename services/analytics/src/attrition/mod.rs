//! Attrition risk (`analytics.attrition_risk`): a model of who may leave, trained on an HR export
//! with a leaver column, for decision support only. Every score comes with per-column
//! contributions (base + Σ contributions = the uncalibrated log-odds) and every model with a card.
//!
//! Training: the columns are typed and screened ([`table`]); two candidates, L2-regularised
//! logistic regression ([`logistic`], λ by inner CV) and gradient-boosted trees ([`boosting`],
//! rounds by early stopping), and the mean of their log-odds are compared by 5-fold stratified CV
//! ROC-AUC ([`validate`]), every fold encoding and standardising with its own training rows only.
//! Logistic regression is kept unless another candidate beats it by [`MIN_GAIN`] (it is the simpler
//! model to explain); a Platt map fitted on the chosen model's out-of-fold log-odds calibrates the
//! probability. Group attributes the caller names are used for the card's fairness figures only.

pub mod boosting;
pub mod card;
pub mod logistic;
pub mod table;
pub mod validate;

#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

use self::{
    boosting::{Boosting, Params},
    card::{AlgorithmChoice, CalibrationSummary, CandidateCv, CrossValidation, DataSummary, ModelCard},
    logistic::{Coefficient, Logistic, inner_seed},
    table::{Encoder, Layout, Matrix, RawTable, TableError, Typed},
    validate::{Platt, calibration, cross_fitted_platt, split, stratified_folds},
};

pub const PURPOSE: &str = "analytics.attrition_risk";
/// Version of the stored model format; [`TrainedModel::from_json`] refuses others.
pub const MODEL_FORMAT: u32 = 1;
pub const FOLDS: usize = 5;
pub const CV_SEED: u64 = 20_261_101;
/// Boosting or the ensemble replaces logistic regression only with a mean CV ROC-AUC this much higher.
pub const MIN_GAIN: f64 = 0.002;
/// Fewest leavers and stayers to train on.
pub const MIN_PER_CLASS: usize = 20;
const BINS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    Logistic,
    Boosting,
    /// Mean of the logistic and boosting log-odds.
    Ensemble,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Self::Logistic => "logistic",
            Self::Boosting => "boosting",
            Self::Ensemble => "ensemble",
        }
    }
}

/// How much one raw column moved a score, in log-odds (positive = more likely to leave).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The raw column.
    pub feature: String,
    /// The row's value as given ("(missing)" for an empty cell).
    pub value: String,
    pub contribution: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Calibrated probability of leaving.
    pub probability: f64,
    /// Uncalibrated log-odds = `base` + Σ contributions.
    pub log_odds: f64,
    /// Log-odds of the average training row (intercept / expected tree output).
    pub base: f64,
    /// One per used column, largest |contribution| first.
    pub contributions: Vec<Contribution>,
}

#[derive(Debug)]
pub enum TrainError {
    Table(TableError),
    TooFewRows { leavers: usize, stayers: usize },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Table(e) => e.fmt(f),
            Self::TooFewRows { leavers, stayers } => write!(
                f,
                "too few rows to train and validate: {leavers} leavers and {stayers} stayers, at least \
                 {MIN_PER_CLASS} of each are needed"
            ),
        }
    }
}

impl std::error::Error for TrainError {}

impl From<TableError> for TrainError {
    fn from(e: TableError) -> Self {
        Self::Table(e)
    }
}

#[derive(Debug)]
pub enum LoadError {
    Json(serde_json::Error),
    Format { found: u32 },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "stored attrition model is not valid: {e}"),
            Self::Format { found } => write!(f, "stored attrition model has format {found}, expected {MODEL_FORMAT}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// What to train on; [`train`] and [`train_rows`] fill it in.
#[derive(Debug, Clone, Default)]
pub struct TrainOptions {
    /// The leaver column.
    pub target: String,
    /// Voluntarily reported group attributes: fairness figures only, never model inputs.
    pub group_columns: Vec<String>,
    /// Further columns the caller keeps out of the model.
    pub exclude_columns: Vec<String>,
    /// Recorded on the card as given (e.g. RFC 3339).
    pub trained_at: String,
}

/// A trained model: layout, encoder, the chosen algorithm's parameters, calibration and card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedModel {
    format: u32,
    layout: Layout,
    encoder: Encoder,
    algorithm: Algorithm,
    logistic: Option<Logistic>,
    boosting: Option<Boosting>,
    calibration: Platt,
    card: ModelCard,
}

/// Trains on CSV text with a header row.
pub fn train(csv: &str, target: &str, group_columns: &[&str], trained_at: &str) -> Result<TrainedModel, TrainError> {
    train_table(&RawTable::from_csv(csv)?, &options(target, group_columns, trained_at))
}

/// Trains on rows of cells (e.g. from the feature store) under a header.
pub fn train_rows(
    header: &[String],
    rows: &[Vec<String>],
    target: &str,
    group_columns: &[&str],
    trained_at: &str,
) -> Result<TrainedModel, TrainError> {
    train_table(&RawTable::from_rows(header, rows)?, &options(target, group_columns, trained_at))
}

fn options(target: &str, group_columns: &[&str], trained_at: &str) -> TrainOptions {
    TrainOptions {
        target: target.to_owned(),
        group_columns: group_columns.iter().map(|&g| g.to_owned()).collect(),
        exclude_columns: Vec::new(),
        trained_at: trained_at.to_owned(),
    }
}

/// Out-of-fold log-odds of the two candidates under 5-fold stratified CV.
struct OutOfFold {
    logistic: Vec<f64>,
    boosting: Vec<f64>,
}

fn fit_candidates(x: &Matrix, y: &[bool], seed: u64) -> (Logistic, Boosting) {
    (Logistic::fit_cv(x, y, inner_seed(seed)), Boosting::fit(x, y, &Params::default()))
}

fn cross_validate(layout: &Layout, typed: &Typed, y: &[bool], folds: &[usize]) -> OutOfFold {
    let mut oof = OutOfFold { logistic: vec![0.0; y.len()], boosting: vec![0.0; y.len()] };
    for k in 0..FOLDS {
        let (train, test) = split(folds, k);
        let encoder = Encoder::fit(layout, typed, &train);
        let yt: Vec<bool> = train.iter().map(|&i| y[i]).collect();
        let (l, b) = fit_candidates(&encoder.transform(typed, &train), &yt, k as u64);
        let xv = encoder.transform(typed, &test);
        for (j, &i) in test.iter().enumerate() {
            oof.logistic[i] = l.log_odds(xv.row(j));
            oof.boosting[i] = b.log_odds(xv.row(j));
        }
    }
    oof
}

/// Trains from a table: screen and type the columns, cross-validate, choose, calibrate, refit on
/// all rows, write the card.
pub fn train_table(raw: &RawTable, opts: &TrainOptions) -> Result<TrainedModel, TrainError> {
    let mut group_idx = Vec::new();
    for g in &opts.group_columns {
        let c = raw.column(g).ok_or_else(|| TableError::new(Some(1), Some(g), "group column not found"))?;
        group_idx.push(c);
    }
    const GROUP: &str = "group attribute: for fairness figures only, never a model input";
    let excluded: Vec<(&str, &str)> = (opts.group_columns.iter().map(|g| (g.as_str(), GROUP)))
        .chain(opts.exclude_columns.iter().map(|c| (c.as_str(), "excluded by the caller")))
        .collect();
    let (layout, y) = Layout::plan(raw, &opts.target, &excluded)?;
    let leavers = y.iter().filter(|&&t| t).count();
    if leavers < MIN_PER_CLASS || y.len() - leavers < MIN_PER_CLASS {
        return Err(TrainError::TooFewRows { leavers, stayers: y.len() - leavers });
    }
    let typed = layout.read(raw)?;
    let folds = stratified_folds(&y, FOLDS, CV_SEED);
    let oof = cross_validate(&layout, &typed, &y, &folds);
    let ensemble: Vec<f64> = oof.logistic.iter().zip(&oof.boosting).map(|(a, b)| (a + b) / 2.0).collect();
    let candidates: Vec<(Algorithm, &[f64])> = vec![
        (Algorithm::Logistic, &oof.logistic),
        (Algorithm::Boosting, &oof.boosting),
        (Algorithm::Ensemble, &ensemble),
    ];
    let cv: Vec<CandidateCv> =
        candidates.iter().map(|&(a, z)| card::candidate(a.name(), &y, z, &folds, FOLDS, BINS)).collect();
    let mut chosen = 0;
    let mut reason = format!(
        "logistic regression: the simplest candidate to explain, and no other has a mean 5-fold CV ROC-AUC higher \
         by {MIN_GAIN} or more"
    );
    for c in 1..cv.len() {
        if cv[c].roc_auc_mean >= cv[chosen].roc_auc_mean + MIN_GAIN {
            reason = format!(
                "{}: mean 5-fold CV ROC-AUC {:.3} against {:.3} for {} (at least {MIN_GAIN} higher is required to \
                 prefer a less directly explainable model)",
                cv[c].name, cv[c].roc_auc_mean, cv[chosen].roc_auc_mean, cv[chosen].name
            );
            chosen = c;
        }
    }
    let (algorithm, z) = candidates[chosen];
    let platt = Platt::fit(z, &y);
    let p_oof = cross_fitted_platt(z, &y, &folds, FOLDS);

    let all: Vec<usize> = (0..y.len()).collect();
    let encoder = Encoder::fit(&layout, &typed, &all);
    let x = encoder.transform(&typed, &all);
    let (logistic, boosting) = match algorithm {
        Algorithm::Logistic => (Some(Logistic::fit_cv(&x, &y, inner_seed(FOLDS as u64))), None),
        Algorithm::Boosting => (None, Some(Boosting::fit(&x, &y, &Params::default()))),
        Algorithm::Ensemble => {
            let (l, b) = fit_candidates(&x, &y, FOLDS as u64);
            (Some(l), Some(b))
        }
    };

    let fairness = group_idx
        .iter()
        .map(|&c| {
            let cells: Vec<&str> = raw.rows.iter().map(|r| r[c].as_str()).collect();
            card::fairness(&raw.header[c], &card::group_labels(&cells), &y, &p_oof)
        })
        .collect();
    let card = ModelCard {
        purpose: PURPOSE.to_owned(),
        intended_use: card::INTENDED_USE.to_owned(),
        version: format!("attrition-risk/{MODEL_FORMAT} (hrmesh-analytics {})", env!("CARGO_PKG_VERSION")),
        trained_at: opts.trained_at.clone(),
        data: DataSummary::new(&layout, &typed, &y),
        features: encoder.features.iter().map(|f| f.name.clone()).collect(),
        algorithm: AlgorithmChoice {
            chosen: algorithm.name().to_owned(),
            reason,
            logistic_lambda: logistic.as_ref().map(|l| l.lambda),
            boosting_rounds: boosting.as_ref().map(|b| b.trees.len()),
        },
        cross_validation: CrossValidation {
            folds: FOLDS,
            seed: CV_SEED,
            candidates: cv,
            note: "Out-of-fold figures; the chosen candidate's are slightly optimistic, as it was picked on \
                   these folds."
                .to_owned(),
        },
        calibration: CalibrationSummary {
            method: "platt".to_owned(),
            a: platt.a,
            b: platt.b,
            out_of_fold: calibration(&y, &p_oof, BINS),
        },
        fairness,
        limits: card::limits(y.len(), &opts.group_columns),
    };
    Ok(TrainedModel { format: MODEL_FORMAT, layout, encoder, algorithm, logistic, boosting, calibration: platt, card })
}

impl TrainedModel {
    /// Scores CSV rows in the training layout (matched by column name; the leaver column and
    /// unknown columns are ignored).
    pub fn score_csv(&self, csv: &str) -> Result<Vec<Score>, TableError> {
        self.score_table(&RawTable::from_csv(csv)?)
    }

    /// Scores rows of cells under a header.
    pub fn score_rows(&self, header: &[String], rows: &[Vec<String>]) -> Result<Vec<Score>, TableError> {
        self.score_table(&RawTable::from_rows(header, rows)?)
    }

    pub fn score_table(&self, raw: &RawTable) -> Result<Vec<Score>, TableError> {
        let typed = self.layout.read(raw)?;
        let rows: Vec<usize> = (0..typed.rows).collect();
        let x = self.encoder.transform(&typed, &rows);
        let feature_column = self.encoder.feature_columns();
        let columns = self.layout.columns.len();
        Ok(rows
            .iter()
            .map(|&i| {
                let (base, per_column) = self.explain(x.row(i), &feature_column, columns);
                let log_odds = self.log_odds(x.row(i));
                let mut contributions: Vec<Contribution> = per_column
                    .into_iter()
                    .enumerate()
                    .map(|(c, contribution)| Contribution {
                        feature: self.layout.columns[c].name.clone(),
                        value: typed.cells[c][i].clone(),
                        contribution,
                    })
                    .collect();
                contributions.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
                Score { probability: self.calibration.apply(log_odds), log_odds, base, contributions }
            })
            .collect())
    }

    fn log_odds(&self, row: &[f64]) -> f64 {
        match (&self.logistic, &self.boosting) {
            (Some(l), Some(b)) => (l.log_odds(row) + b.log_odds(row)) / 2.0,
            (Some(l), None) => l.log_odds(row),
            (None, Some(b)) => b.log_odds(row),
            (None, None) => 0.0,
        }
    }

    fn explain(&self, row: &[f64], feature_column: &[usize], columns: usize) -> (f64, Vec<f64>) {
        let parts: Vec<(f64, Vec<f64>)> = [
            self.logistic.as_ref().map(|l| l.explain(row, feature_column, columns)),
            self.boosting.as_ref().map(|b| b.explain(row, feature_column, columns)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let k = parts.len().max(1) as f64;
        let mut out = (0.0, vec![0.0; columns]);
        for (base, per_column) in parts {
            out.0 += base / k;
            out.1.iter_mut().zip(per_column).for_each(|(o, v)| *o += v / k);
        }
        out
    }

    pub fn card(&self) -> &ModelCard {
        &self.card
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Logistic coefficients mapped back to features and raw columns (None for boosting alone).
    pub fn coefficients(&self) -> Option<Vec<Coefficient>> {
        self.logistic.as_ref().map(|l| l.coefficients(&self.encoder, &self.layout))
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    pub fn from_json(json: &str) -> Result<Self, LoadError> {
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        let Format { format } = serde_json::from_str(json).map_err(LoadError::Json)?;
        if format != MODEL_FORMAT {
            return Err(LoadError::Format { found: format });
        }
        serde_json::from_str(json).map_err(LoadError::Json)
    }
}
