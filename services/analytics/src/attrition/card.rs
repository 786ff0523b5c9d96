//! The model card stored and shown with every attrition-risk model: purpose, data, features,
//! algorithm and why, cross-validated discrimination per candidate, calibration, fairness figures
//! per voluntarily reported group attribute, and the limits of use.

use serde::{Deserialize, Serialize};

use super::{
    table::{Dropped, Kind, Layout, MISSING, Typed, is_missing, parse_number},
    validate::{Calibration, calibration, fold_aucs, mean_sd, sigmoid},
};

/// Groups with fewer rows than this are withheld from the fairness figures.
pub const MIN_GROUP: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub purpose: String,
    pub intended_use: String,
    pub version: String,
    pub trained_at: String,
    pub data: DataSummary,
    /// Encoded features (one-hot levels as `Column=level`, gaps as `Column (missing)`).
    pub features: Vec<String>,
    pub algorithm: AlgorithmChoice,
    pub cross_validation: CrossValidation,
    pub calibration: CalibrationSummary,
    pub fairness: Vec<GroupFairness>,
    pub limits: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    pub rows: usize,
    pub positives: usize,
    pub positive_rate: f64,
    pub target: String,
    pub columns_used: Vec<ColumnUsed>,
    pub columns_dropped: Vec<Dropped>,
}

impl DataSummary {
    pub fn new(layout: &Layout, typed: &Typed, y: &[bool]) -> Self {
        let positives = y.iter().filter(|&&t| t).count();
        let columns_used = (layout.columns.iter().zip(&typed.cells))
            .map(|(s, cells)| ColumnUsed {
                name: s.name.clone(),
                kind: s.kind,
                missing: cells.iter().filter(|c| *c == MISSING).count(),
            })
            .collect();
        Self {
            rows: y.len(),
            positives,
            positive_rate: positives as f64 / y.len().max(1) as f64,
            target: layout.target.clone(),
            columns_used,
            columns_dropped: layout.dropped.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnUsed {
    pub name: String,
    pub kind: Kind,
    /// Rows where the column is empty (imputed: numeric → median + indicator, categorical → level).
    pub missing: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlgorithmChoice {
    /// `logistic`, `boosting` or `ensemble` (mean of both log-odds).
    pub chosen: String,
    pub reason: String,
    /// Ridge strength of the logistic part (inner CV), if any.
    pub logistic_lambda: Option<f64>,
    /// Trees of the boosting part (early stopping), if any.
    pub boosting_rounds: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    pub folds: usize,
    pub seed: u64,
    pub candidates: Vec<CandidateCv>,
    pub note: String,
}

/// Out-of-fold figures of one candidate (probabilities uncalibrated: σ(log-odds)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateCv {
    pub name: String,
    pub roc_auc_mean: f64,
    pub roc_auc_sd: f64,
    pub roc_auc_folds: Vec<f64>,
    pub calibration: Calibration,
}

/// Figures of a candidate's out-of-fold log-odds `z` under the fold assignment `folds`.
pub fn candidate(name: &str, y: &[bool], z: &[f64], folds: &[usize], k: usize, bins: usize) -> CandidateCv {
    let aucs = fold_aucs(y, z, folds, k);
    let (roc_auc_mean, roc_auc_sd) = mean_sd(&aucs);
    let calibration = calibration(y, &z.iter().map(|&v| sigmoid(v)).collect::<Vec<_>>(), bins);
    CandidateCv { name: name.to_owned(), roc_auc_mean, roc_auc_sd, roc_auc_folds: aucs, calibration }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationSummary {
    /// `platt`: P = σ(a · log-odds + b), fitted on the chosen model's out-of-fold log-odds.
    pub method: String,
    pub a: f64,
    pub b: f64,
    /// Brier, ECE and reliability bins of out-of-fold probabilities, the Platt map cross-fitted
    /// (fitted without each fold's own rows).
    pub out_of_fold: Calibration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFairness {
    pub column: String,
    /// Rows are "flagged" when their out-of-fold probability is at least this: the cut that flags
    /// as many rows as there are leavers.
    pub flag_threshold: f64,
    pub groups: Vec<GroupFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub group: String,
    /// True for groups under [`MIN_GROUP`] rows: no figure (not even the count) is shown.
    pub withheld: bool,
    pub rows: Option<usize>,
    pub mean_predicted_risk: Option<f64>,
    /// Share of the group that left (observed).
    pub leaver_rate: Option<f64>,
    /// Share of the group flagged (predicted positive rate).
    pub flagged_rate: Option<f64>,
    /// Share of the group's leavers that were flagged; withheld under [`MIN_GROUP`] leavers.
    pub true_positive_rate: Option<f64>,
}

/// Group labels of a group column, and its groups in display order: categories as given (empty →
/// "(not reported)", listed last); a numeric column with many values is banded at its quartiles.
pub fn group_labels(cells: &[&str]) -> (Vec<String>, Vec<String>) {
    const NOT_REPORTED: &str = "(not reported)";
    let numbers: Option<Vec<f64>> = cells.iter().filter(|c| !is_missing(c)).map(|c| parse_number(c)).collect();
    let mut sorted = numbers.unwrap_or_default();
    sorted.sort_by(f64::total_cmp);
    let mut distinct = sorted.clone();
    distinct.dedup();
    let (labels, mut order): (Vec<String>, Vec<String>) = if distinct.len() <= 8 {
        let labels: Vec<String> = cells.iter().filter(|c| !is_missing(c)).map(|c| (*c).to_owned()).collect();
        let mut order = labels.clone();
        order.sort();
        order.dedup();
        let labels = cells.iter().map(|c| if is_missing(c) { NOT_REPORTED.to_owned() } else { (*c).to_owned() });
        (labels.collect(), order)
    } else {
        let mut edges: Vec<f64> = [1, 2, 3].iter().map(|q| sorted[q * sorted.len() / 4]).collect();
        edges.dedup();
        let band = |k: usize| match k {
            0 => format!("< {}", edges[0]),
            k if k < edges.len() => format!("{} to < {}", edges[k - 1], edges[k]),
            _ => format!("≥ {}", edges[edges.len() - 1]),
        };
        let labels = cells.iter().map(|c| match parse_number(c) {
            Some(v) => band(edges.iter().position(|&e| v < e).unwrap_or(edges.len())),
            None => NOT_REPORTED.to_owned(),
        });
        (labels.collect(), (0..=edges.len()).map(band).collect())
    };
    if labels.iter().any(|l| l == NOT_REPORTED) {
        order.push(NOT_REPORTED.to_owned());
    }
    (labels, order)
}

/// Fairness figures of one group column from out-of-fold probabilities.
pub fn fairness(column: &str, (labels, order): &(Vec<String>, Vec<String>), y: &[bool], p: &[f64]) -> GroupFairness {
    let leavers = y.iter().filter(|&&t| t).count();
    let mut sorted = p.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let flag_threshold = sorted.get(leavers.max(1) - 1).copied().unwrap_or(1.0);
    let groups = order
        .iter()
        .map(|g| {
            let rows: Vec<usize> = (0..labels.len()).filter(|&i| &labels[i] == g).collect();
            let n = rows.len();
            if n < MIN_GROUP {
                return GroupFigures {
                    group: g.clone(),
                    withheld: true,
                    rows: None,
                    mean_predicted_risk: None,
                    leaver_rate: None,
                    flagged_rate: None,
                    true_positive_rate: None,
                };
            }
            let share =
                |f: &dyn Fn(usize) -> bool, of: &[usize]| of.iter().filter(|&&i| f(i)).count() as f64 / of.len() as f64;
            let pos: Vec<usize> = rows.iter().copied().filter(|&i| y[i]).collect();
            GroupFigures {
                group: g.clone(),
                withheld: false,
                rows: Some(n),
                mean_predicted_risk: Some(rows.iter().map(|&i| p[i]).sum::<f64>() / n as f64),
                leaver_rate: Some(share(&|i| y[i], &rows)),
                flagged_rate: Some(share(&|i| p[i] >= flag_threshold, &rows)),
                true_positive_rate: (pos.len() >= MIN_GROUP).then(|| share(&|i| p[i] >= flag_threshold, &pos)),
            }
        })
        .collect();
    GroupFairness { column: column.to_owned(), flag_threshold, groups }
}

pub const INTENDED_USE: &str = "Decision support for HR professionals: an estimate of the chance that an employee leaves \
     within the period the training data covers, with the reasons behind it, to prompt a conversation about \
     retention. Not for decisions about individuals (pay, promotion, dismissal, selection) and never for \
     automated action.";

/// The limits of use stated on every card.
pub fn limits(rows: usize, group_columns: &[String]) -> Vec<String> {
    let groups = if group_columns.is_empty() { "none named".to_owned() } else { group_columns.join(", ") };
    vec![
        "Decision support only: every score needs human review in context; no action may follow from a score \
         automatically (GDPR art. 22). Employment uses are high-risk under the EU AI Act (Annex III, 4): keep \
         human oversight, logs and this card with the model."
            .to_owned(),
        format!(
            "Learnt from {rows} rows of one organisation's history: it repeats past patterns, including any unfair \
             ones, and drifts as the workforce and policies change. Retrain and recheck these figures at least yearly."
        ),
        "Contributions are associations in this model (log-odds relative to the average employee), not causes: \
         changing a value does not necessarily change whether someone leaves."
            .to_owned(),
        "Probabilities are calibrated on out-of-fold predictions of these rows; they are least reliable for \
         rare values and for rows unlike the training data (unseen categories fall into \"(other)\")."
            .to_owned(),
        format!(
            "Group attributes for fairness figures ({groups}) are never model inputs, but other columns can act as \
             proxies for them; groups under {MIN_GROUP} rows are withheld. Check that no used column is a protected \
             characteristic or special-category data (GDPR art. 9) that must be excluded."
        ),
    ]
}
