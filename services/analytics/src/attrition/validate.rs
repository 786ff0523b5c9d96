//! Validation tools: stratified k-fold splits, ROC-AUC, log-loss, Brier score, expected calibration
//! error with reliability bins, Platt scaling, the leakage screen of single columns, and the tiny
//! deterministic generator used for every shuffle in this module tree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::table::{MISSING, is_missing, parse_number};

/// xorshift64*: deterministic, seedable, good enough for shuffles and subsamples.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so that small seeds give unrelated streams; never zero
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Self((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Fold number (0..k) of every row: each class is shuffled and dealt round-robin, so every fold
/// holds the same share of leavers (± 1).
pub fn stratified_folds(y: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    let mut fold = vec![0; y.len()];
    let mut next = 0;
    for class in [true, false] {
        let mut rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
        rng.shuffle(&mut rows);
        for i in rows {
            fold[i] = next % k;
            next += 1;
        }
    }
    fold
}

/// (training rows, held-out rows) of fold `k`.
pub fn split(fold: &[usize], k: usize) -> (Vec<usize>, Vec<usize>) {
    (0..fold.len()).partition(|&i| fold[i] != k)
}

pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 { 1.0 / (1.0 + (-z).exp()) } else { z.exp() / (1.0 + z.exp()) }
}

/// Area under the ROC curve (Mann–Whitney, ties counted half); `None` without both classes.
pub fn roc_auc(y: &[bool], score: &[f64]) -> Option<f64> {
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_by(|&a, &b| score[a].total_cmp(&score[b]));
    let (mut rank_sum, mut i) = (0.0, 0);
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mid_rank * order[i..=j].iter().filter(|&&r| y[r]).count() as f64;
        i = j + 1;
    }
    let pos = y.iter().filter(|&&v| v).count() as f64;
    let neg = y.len() as f64 - pos;
    (pos > 0.0 && neg > 0.0).then(|| (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Mean log-loss of probabilities, clamped away from 0 and 1.
pub fn log_loss(y: &[bool], p: &[f64]) -> f64 {
    let sum: f64 = y.iter().zip(p).map(|(&t, &q)| -(if t { q } else { 1.0 - q }).clamp(1e-15, 1.0).ln()).sum();
    sum / y.len().max(1) as f64
}

pub fn brier(y: &[bool], p: &[f64]) -> f64 {
    let sum: f64 = y.iter().zip(p).map(|(&t, &q)| (q - f64::from(u8::from(t))).powi(2)).sum();
    sum / y.len().max(1) as f64
}

/// Mean and sample standard deviation.
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n.max(1.0);
    let var = if xs.len() > 1 { xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (mean, var.sqrt())
}

/// One bin of a reliability diagram (equal-width bins of predicted probability; empty bins omitted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    pub mean_predicted: f64,
    pub observed_rate: f64,
}

/// How well predicted probabilities match observed rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub brier: f64,
    /// Expected calibration error: count-weighted mean |mean predicted − observed rate| over the bins.
    pub ece: f64,
    pub bins: Vec<ReliabilityBin>,
}

pub fn calibration(y: &[bool], p: &[f64], bins: usize) -> Calibration {
    let mut acc = vec![(0usize, 0.0, 0.0); bins];
    for (&t, &q) in y.iter().zip(p) {
        let b = ((q * bins as f64) as usize).min(bins - 1);
        acc[b].0 += 1;
        acc[b].1 += q;
        acc[b].2 += f64::from(u8::from(t));
    }
    let n = y.len().max(1) as f64;
    let mut ece = 0.0;
    let mut out = Vec::new();
    for (b, &(count, sum_p, sum_y)) in acc.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let (mean_predicted, observed_rate) = (sum_p / count as f64, sum_y / count as f64);
        ece += count as f64 / n * (mean_predicted - observed_rate).abs();
        out.push(ReliabilityBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            count,
            mean_predicted,
            observed_rate,
        });
    }
    Calibration { brier: brier(y, p), ece, bins: out }
}

/// Platt scaling: P(leave) = σ(a · log-odds + b), fitted by Newton's method on the log-loss with
/// a faint ridge (keeps it finite if the scores separate the classes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    pub fn fit(log_odds: &[f64], y: &[bool]) -> Self {
        let (mut a, mut b) = (1.0, 0.0);
        for _ in 0..100 {
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (1e-3 * (a - 1.0), 1e-3 * b, 1e-3, 0.0, 1e-3);
            for (&z, &t) in log_odds.iter().zip(y) {
                let p = sigmoid(a * z + b);
                let (r, w) = (p - f64::from(u8::from(t)), (p * (1.0 - p)).max(1e-12));
                ga += r * z;
                gb += r;
                haa += w * z * z;
                hab += w * z;
                hbb += w;
            }
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-300 {
                break;
            }
            let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            a -= da;
            b -= db;
            if da.abs().max(db.abs()) < 1e-10 {
                break;
            }
        }
        Self { a, b }
    }

    pub fn apply(&self, log_odds: f64) -> f64 {
        sigmoid(self.a * log_odds + self.b)
    }
}

/// Calibrated probabilities of out-of-fold scores without using a row's own label: the Platt map
/// for the rows of fold k is fitted on the other folds (cross-fitting), so the calibration
/// figures computed from them are not flattered by the calibrator having seen the rows.
pub fn cross_fitted_platt(log_odds: &[f64], y: &[bool], fold: &[usize], k: usize) -> Vec<f64> {
    let mut p = vec![0.0; y.len()];
    for f in 0..k {
        let (train, test) = split(fold, f);
        let z: Vec<f64> = train.iter().map(|&i| log_odds[i]).collect();
        let t: Vec<bool> = train.iter().map(|&i| y[i]).collect();
        let platt = Platt::fit(&z, &t);
        for i in test {
            p[i] = platt.apply(log_odds[i]);
        }
    }
    p
}

/// Per-fold ROC-AUC of out-of-fold scores.
pub fn fold_aucs(y: &[bool], score: &[f64], fold: &[usize], k: usize) -> Vec<f64> {
    (0..k)
        .filter_map(|f| {
            let (_, test) = split(fold, f);
            let t: Vec<bool> = test.iter().map(|&i| y[i]).collect();
            let s: Vec<f64> = test.iter().map(|&i| score[i]).collect();
            roc_auc(&t, &s)
        })
        .collect()
}

/// A column that alone reaches this ROC-AUC is taken for leakage (attrition is never that
/// predictable; an exit date or reason is).
pub const LEAK_AUC: f64 = 0.95;

/// max(AUC, 1 − AUC) of one column on its own: its gaps, its numbers (gaps left out), or its
/// categories scored by their smoothed leaver rate.
pub fn separation(y: &[bool], cells: &[&str], numeric: bool) -> f64 {
    let auc = |t: &[bool], s: &[f64]| roc_auc(t, s).map_or(0.5, |a| a.max(1.0 - a));
    let gaps: Vec<f64> = cells.iter().map(|c| f64::from(u8::from(is_missing(c)))).collect();
    if numeric {
        let (t, s): (Vec<bool>, Vec<f64>) =
            y.iter().zip(cells).filter_map(|(&t, c)| Some((t, parse_number(c)?))).unzip();
        return auc(y, &gaps).max(auc(&t, &s));
    }
    let prior = y.iter().filter(|&&t| t).count() as f64 / y.len().max(1) as f64;
    let mut counts: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (&t, c) in y.iter().zip(cells) {
        let e = counts.entry(if is_missing(c) { MISSING } else { c }).or_default();
        *e = (e.0 + f64::from(u8::from(t)), e.1 + 1.0);
    }
    let rate = |c: &str| {
        counts.get(if is_missing(c) { MISSING } else { c }).map_or(prior, |(p, n)| (p + 10.0 * prior) / (n + 10.0))
    };
    auc(y, &cells.iter().map(|c| rate(c)).collect::<Vec<_>>())
}
