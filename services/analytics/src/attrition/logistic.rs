//! L2-regularised logistic regression on standardised features, fitted by Newton's method (IRLS
//! with step halving; deterministic), the ridge strength chosen by inner stratified k-fold
//! cross-validation from a small grid. Explanations are exact: the log-odds is the intercept plus
//! coefficient × standardised value summed over features, grouped back to the raw column.

use serde::{Deserialize, Serialize};

use super::{
    table::{Encoder, Layout, Matrix},
    validate::{Rng, log_loss, sigmoid, split, stratified_folds},
};

/// Ridge strengths tried: penalty λ/2·‖w‖² on the summed log-loss of standardised features
/// (the intercept is not penalised).
pub const LAMBDAS: [f64; 7] = [300.0, 100.0, 30.0, 10.0, 3.0, 1.0, 0.3];
/// Folds of the inner cross-validation that picks λ.
pub const INNER_FOLDS: usize = 5;

/// Per-feature centring and scaling, fitted on training rows only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Scaler {
    pub fn fit(x: &Matrix) -> Self {
        let n = x.rows.max(1) as f64;
        let mut mean = vec![0.0; x.cols];
        for i in 0..x.rows {
            mean.iter_mut().zip(x.row(i)).for_each(|(m, v)| *m += v / n);
        }
        let mut var = vec![0.0; x.cols];
        for i in 0..x.rows {
            var.iter_mut().zip(x.row(i)).zip(&mean).for_each(|((s, v), m)| *s += (v - m).powi(2) / n);
        }
        let scale = var.into_iter().map(|v| if v.sqrt() > 1e-12 { v.sqrt() } else { 1.0 }).collect();
        Self { mean, scale }
    }

    pub fn apply(&self, x: &Matrix) -> Matrix {
        let mut data = x.data.clone();
        for row in data.chunks_mut(x.cols.max(1)) {
            row.iter_mut().zip(self.mean.iter().zip(&self.scale)).for_each(|(v, (m, s))| *v = (*v - m) / s);
        }
        Matrix { rows: x.rows, cols: x.cols, data }
    }
}

/// One point of the inner cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InnerCv {
    pub lambda: f64,
    pub log_loss: f64,
}

/// A fitted model: σ(intercept + Σ weight · (x − mean) / scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    pub scaler: Scaler,
    pub intercept: f64,
    /// Per standardised feature.
    pub weights: Vec<f64>,
    pub lambda: f64,
    /// Inner-CV mean log-loss of every setting tried; empty when λ was fixed.
    pub inner_cv: Vec<InnerCv>,
}

/// One coefficient, named as the encoder names the feature, with its raw column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coefficient {
    pub feature: String,
    pub column: String,
    /// Change in log-odds per standard deviation of the feature.
    pub per_sd: f64,
    /// Change in log-odds per unit of the feature (per level switch for one-hot features).
    pub per_unit: f64,
}

impl Logistic {
    /// Fits with a fixed λ (λ ≈ 0 gives the plain, "unregularised-ish" baseline).
    pub fn fit_fixed(x: &Matrix, y: &[bool], lambda: f64) -> Self {
        let scaler = Scaler::fit(x);
        let beta = newton(&scaler.apply(x), y, lambda, None);
        Self { scaler, intercept: beta[0], weights: beta[1..].to_vec(), lambda, inner_cv: Vec::new() }
    }

    /// Picks λ from [`LAMBDAS`] by inner stratified CV (pooled held-out log-loss; ties → the
    /// stronger λ) and refits on all rows. Each inner fold standardises with its own training rows;
    /// the fits run from strong to weak λ, each starting where the previous one ended.
    pub fn fit_cv(x: &Matrix, y: &[bool], seed: u64) -> Self {
        let folds = stratified_folds(y, INNER_FOLDS, seed);
        let mut grid: Vec<InnerCv> = LAMBDAS.iter().map(|&lambda| InnerCv { lambda, log_loss: 0.0 }).collect();
        for f in 0..INNER_FOLDS {
            let (train, test) = split(&folds, f);
            let (xt, yt) = subset(x, y, &train);
            let (xv, yv) = subset(x, y, &test);
            let scaler = Scaler::fit(&xt);
            let (zt, zv) = (scaler.apply(&xt), scaler.apply(&xv));
            let mut beta: Option<Vec<f64>> = None;
            for point in &mut grid {
                let b = newton(&zt, &yt, point.lambda, beta.as_deref());
                let p: Vec<f64> = (0..zv.rows).map(|i| sigmoid(eta(&b, zv.row(i)))).collect();
                point.log_loss += log_loss(&yv, &p) * yv.len() as f64 / y.len() as f64;
                beta = Some(b);
            }
        }
        let mut best = 0;
        for k in 1..grid.len() {
            if grid[k].log_loss < grid[best].log_loss - 1e-12 {
                best = k;
            }
        }
        let mut model = Self::fit_fixed(x, y, grid[best].lambda);
        model.inner_cv = grid;
        model
    }

    /// Uncalibrated log-odds of one encoded row.
    pub fn log_odds(&self, row: &[f64]) -> f64 {
        self.intercept + self.terms(row).map(|(_, t)| t).sum::<f64>()
    }

    /// (feature, weight × standardised value) per feature.
    fn terms<'a>(&'a self, row: &'a [f64]) -> impl Iterator<Item = (usize, f64)> + 'a {
        row.iter()
            .copied()
            .enumerate()
            .zip(&self.weights)
            .zip(self.scaler.mean.iter().zip(&self.scaler.scale))
            .map(|(((f, v), w), (m, s))| (f, w * (v - m) / s))
    }

    /// Exact additive explanation: (intercept, log-odds contribution per layout column), one-hot
    /// levels and missing indicators summed into their column.
    pub fn explain(&self, row: &[f64], feature_column: &[usize], columns: usize) -> (f64, Vec<f64>) {
        let mut out = vec![0.0; columns];
        for (f, t) in self.terms(row) {
            out[feature_column[f]] += t;
        }
        (self.intercept, out)
    }

    /// Coefficients mapped back to feature and raw column names, largest |per_sd| first.
    pub fn coefficients(&self, encoder: &Encoder, layout: &Layout) -> Vec<Coefficient> {
        let mut out: Vec<Coefficient> = encoder
            .features
            .iter()
            .zip(&self.weights)
            .zip(&self.scaler.scale)
            .map(|((f, &w), &s)| Coefficient {
                feature: f.name.clone(),
                column: layout.columns[f.column].name.clone(),
                per_sd: w,
                per_unit: w / s,
            })
            .collect();
        out.sort_by(|a, b| b.per_sd.abs().total_cmp(&a.per_sd.abs()));
        out
    }
}

/// Rows `rows` of x and y.
pub fn subset(x: &Matrix, y: &[bool], rows: &[usize]) -> (Matrix, Vec<bool>) {
    let mut data = Vec::with_capacity(rows.len() * x.cols);
    rows.iter().for_each(|&i| data.extend_from_slice(x.row(i)));
    (Matrix { rows: rows.len(), cols: x.cols, data }, rows.iter().map(|&i| y[i]).collect())
}

fn eta(beta: &[f64], z: &[f64]) -> f64 {
    beta[0] + beta[1..].iter().zip(z).map(|(b, v)| b * v).sum::<f64>()
}

/// log(1 + e^η) − y·η, stable for large |η|.
fn nll(eta: f64, y: bool) -> f64 {
    let softplus = if eta > 0.0 { eta + (-eta).exp().ln_1p() } else { eta.exp().ln_1p() };
    softplus - if y { eta } else { 0.0 }
}

fn objective(z: &Matrix, y: &[bool], beta: &[f64], lambda: f64) -> f64 {
    let data: f64 = (0..z.rows).map(|i| nll(eta(beta, z.row(i)), y[i])).sum();
    data + lambda / 2.0 * beta[1..].iter().map(|b| b * b).sum::<f64>()
}

/// Minimises Σ log-loss + λ/2·‖w‖² over [intercept, w] from `start` (or zero).
fn newton(z: &Matrix, y: &[bool], lambda: f64, start: Option<&[f64]>) -> Vec<f64> {
    let d = z.cols + 1;
    let mut beta = start.map_or_else(|| vec![0.0; d], <[f64]>::to_vec);
    let mut obj = objective(z, y, &beta, lambda);
    let mut v = vec![0.0; d];
    for _ in 0..100 {
        let mut grad: Vec<f64> = (0..d).map(|j| if j == 0 { 0.0 } else { lambda * beta[j] }).collect();
        let mut hess = vec![0.0; d * d];
        for j in 1..d {
            hess[j * d + j] = lambda.max(1e-9);
        }
        hess[0] = 1e-9;
        for (i, &yi) in y.iter().enumerate() {
            v[0] = 1.0;
            v[1..].copy_from_slice(z.row(i));
            let p = sigmoid(eta(&beta, z.row(i)));
            let (r, w) = (p - f64::from(u8::from(yi)), p * (1.0 - p));
            for a in 0..d {
                grad[a] += r * v[a];
                let wa = w * v[a];
                let row = &mut hess[a * d..(a + 1) * d];
                row[a..].iter_mut().zip(&v[a..]).for_each(|(h, vb)| *h += wa * vb);
            }
        }
        for a in 0..d {
            for b in 0..a {
                hess[a * d + b] = hess[b * d + a];
            }
        }
        let Some(step) = cholesky_solve(&mut hess, &grad, d) else { break };
        let mut t = 1.0;
        let mut accepted = false;
        for _ in 0..30 {
            let trial: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - t * s).collect();
            let o = objective(z, y, &trial, lambda);
            if o <= obj + 1e-12 * obj.abs() {
                let done = (obj - o).abs() <= 1e-10 * obj.abs().max(1.0) || step.iter().all(|s| (t * s).abs() < 1e-8);
                beta = trial;
                obj = o;
                accepted = !done;
                break;
            }
            t /= 2.0;
        }
        if !accepted {
            break;
        }
    }
    beta
}

/// Solves A x = b for symmetric positive definite A (overwritten by its Cholesky factor).
fn cholesky_solve(a: &mut [f64], b: &[f64], d: usize) -> Option<Vec<f64>> {
    for j in 0..d {
        let mut s = a[j * d + j] - (0..j).map(|k| a[j * d + k].powi(2)).sum::<f64>();
        if s <= 0.0 || !s.is_finite() {
            s = 1e-12;
        }
        let l = s.sqrt();
        a[j * d + j] = l;
        for i in j + 1..d {
            let dot: f64 = (0..j).map(|k| a[i * d + k] * a[j * d + k]).sum();
            a[i * d + j] = (a[i * d + j] - dot) / l;
        }
    }
    let mut x = b.to_vec();
    for i in 0..d {
        x[i] = (x[i] - (0..i).map(|k| a[i * d + k] * x[k]).sum::<f64>()) / a[i * d + i];
    }
    for i in (0..d).rev() {
        x[i] = (x[i] - (i + 1..d).map(|k| a[k * d + i] * x[k]).sum::<f64>()) / a[i * d + i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// A seed for the inner folds derived from an outer seed (so nested runs stay reproducible).
pub fn inner_seed(seed: u64) -> u64 {
    Rng::new(seed ^ 0x4c4f_4749_5354_4943).next_u64()
}
