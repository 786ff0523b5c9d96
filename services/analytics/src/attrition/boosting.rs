//! Gradient-boosted decision trees for log-loss: depth-limited trees grown on histograms (≤ 32
//! quantile bins per feature), Newton leaf values with an L2 penalty, shrinkage, row and feature
//! subsampling from a fixed-seed xorshift, a minimum of rows per leaf, and the number of rounds set
//! by early stopping on an inner stratified validation split (then refitted on all rows).
//!
//! Explanations are exact TreeSHAP (path-dependent: an unknown split averages its branches by
//! their training cover) with the raw columns as players, so one-hot levels and missing
//! indicators of a column share one value. Base + Σ contributions equals the model's log-odds.

use serde::{Deserialize, Serialize};

use super::{
    table::Matrix,
    validate::{Rng, sigmoid, split, stratified_folds},
};

/// Settings; the defaults are deliberately conservative for 1–5k rows of HR data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub learning_rate: f64,
    pub max_depth: usize,
    pub min_leaf: usize,
    pub l2: f64,
    pub subsample: f64,
    pub colsample: f64,
    pub max_bins: usize,
    pub max_rounds: usize,
    pub patience: usize,
    /// Share of rows held out for early stopping (1/share folds, fold 0 held out).
    pub validation_share: f64,
    pub seed: u64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            learning_rate: 0.05,
            max_depth: 3,
            min_leaf: 10,
            l2: 1.0,
            subsample: 0.8,
            colsample: 0.5,
            max_bins: 32,
            max_rounds: 1000,
            patience: 60,
            validation_share: 0.2,
            seed: 0x6762_6474,
        }
    }
}

/// A tree node; leaves have `feature == None`. `value` of an inner node is the cover-weighted
/// mean of its leaves (what TreeSHAP needs); rows with x ≤ threshold go left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub feature: Option<usize>,
    pub threshold: f64,
    pub left: usize,
    pub right: usize,
    pub value: f64,
    pub cover: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    fn predict(&self, row: &[f64]) -> f64 {
        let mut n = 0;
        while let Some(f) = self.nodes[n].feature {
            n = if row[f] <= self.nodes[n].threshold { self.nodes[n].left } else { self.nodes[n].right };
        }
        self.nodes[n].value
    }

    /// Adds this tree's TreeSHAP values to `out` (per layout column). The tree's output in a
    /// game where the columns in S are known is a sum over leaves of value × Π over the leaf's path
    /// of [x goes this way] (column in S) or the branch's cover share (column not in S); Shapley
    /// values are linear in the game, so each leaf's term is split among its path's few columns.
    fn shap(&self, row: &[f64], feature_column: &[usize], out: &mut [f64]) {
        // (column, product of indicators, product of cover shares) along the current path
        let mut path: Vec<(usize, f64, f64)> = Vec::with_capacity(8);
        self.walk(0, row, feature_column, &mut path, out);
    }

    fn walk(&self, n: usize, row: &[f64], fc: &[usize], path: &mut Vec<(usize, f64, f64)>, out: &mut [f64]) {
        let node = &self.nodes[n];
        let Some(f) = node.feature else {
            leaf_shapley(node.value, path, out);
            return;
        };
        let goes_left = row[f] <= node.threshold;
        for (child, on_path) in [(node.left, goes_left), (node.right, !goes_left)] {
            let share = self.nodes[child].cover / node.cover;
            let saved = path.clone();
            match path.iter_mut().find(|p| p.0 == fc[f]) {
                Some(p) => {
                    p.1 *= f64::from(u8::from(on_path));
                    p.2 *= share;
                }
                None => path.push((fc[f], f64::from(u8::from(on_path)), share)),
            }
            self.walk(child, row, fc, path, out);
            *path = saved;
        }
    }
}

/// Shapley values of g(S) = value · Π_{c ∈ S} known_c · Π_{c ∉ S} share_c over the path's columns.
fn leaf_shapley(value: f64, path: &[(usize, f64, f64)], out: &mut [f64]) {
    let d = path.len();
    if d == 0 {
        return;
    }
    let g = |mask: usize| {
        value * path.iter().enumerate().map(|(k, p)| if mask & (1 << k) != 0 { p.1 } else { p.2 }).product::<f64>()
    };
    let games: Vec<f64> = (0..1usize << d).map(g).collect();
    for (j, p) in path.iter().enumerate() {
        let bit = 1 << j;
        let phi: f64 = (0..1usize << d)
            .filter(|mask| mask & bit == 0)
            .map(|mask| (games[mask | bit] - games[mask]) / (d as f64 * binomial(d - 1, mask.count_ones() as usize)))
            .sum();
        out[p.0] += phi;
    }
}

/// A fitted ensemble: log-odds = base + Σ trees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Boosting {
    pub params: Params,
    pub base: f64,
    pub trees: Vec<Tree>,
    /// Best round on the early-stopping split (the refit uses this many trees).
    pub best_round: usize,
}

/// Bin codes of a matrix: code = number of thresholds below the value, so code ≤ k ⇔ x ≤ t_k.
struct Binned {
    thresholds: Vec<Vec<f64>>,
    codes: Vec<u8>,
    cols: usize,
}

fn thresholds(x: &Matrix, rows: &[usize], max_bins: usize) -> Vec<Vec<f64>> {
    (0..x.cols)
        .map(|f| {
            let mut v: Vec<f64> = rows.iter().map(|&i| x.data[i * x.cols + f]).collect();
            v.sort_by(f64::total_cmp);
            let mut distinct = v.clone();
            distinct.dedup();
            let mut t: Vec<f64> = if distinct.len() <= max_bins {
                distinct.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect()
            } else {
                (1..max_bins).map(|k| v[k * v.len() / max_bins]).collect()
            };
            t.dedup();
            t.retain(|&c| c < distinct[distinct.len() - 1]);
            t
        })
        .collect()
}

fn bin(x: &Matrix, rows: &[usize], thresholds: Vec<Vec<f64>>) -> Binned {
    let mut codes = Vec::with_capacity(rows.len() * x.cols);
    for &i in rows {
        for (f, t) in thresholds.iter().enumerate() {
            let v = x.data[i * x.cols + f];
            codes.push(u8::try_from(t.partition_point(|&c| c < v)).unwrap_or(u8::MAX));
        }
    }
    Binned { thresholds, codes, cols: x.cols }
}

struct Grower<'a> {
    p: &'a Params,
    data: &'a Binned,
    grad: &'a [f64],
    hess: &'a [f64],
    features: Vec<usize>,
    nodes: Vec<Node>,
    /// Split bin of each node (training only: rows with code ≤ bin go left).
    bins: Vec<usize>,
}

impl Grower<'_> {
    /// Grows the subtree for `rows` and returns its node index.
    fn grow(&mut self, rows: Vec<usize>, depth: usize) -> usize {
        let g: f64 = rows.iter().map(|&i| self.grad[i]).sum();
        let h: f64 = rows.iter().map(|&i| self.hess[i]).sum();
        let id = self.nodes.len();
        let value = -g / (h + self.p.l2) * self.p.learning_rate;
        let cover = rows.len() as f64;
        self.nodes.push(Node { feature: None, threshold: 0.0, left: 0, right: 0, value, cover });
        self.bins.push(0);
        if depth >= self.p.max_depth || rows.len() < 2 * self.p.min_leaf {
            return id;
        }
        let Some((f, k)) = self.best_split(&rows, g, h) else { return id };
        let cols = self.data.cols;
        let (left, right): (Vec<usize>, Vec<usize>) =
            rows.into_iter().partition(|&i| usize::from(self.data.codes[i * cols + f]) <= k);
        let l = self.grow(left, depth + 1);
        let r = self.grow(right, depth + 1);
        let (cl, cr) = (self.nodes[l].cover, self.nodes[r].cover);
        let value = (cl * self.nodes[l].value + cr * self.nodes[r].value) / (cl + cr);
        let threshold = self.data.thresholds[f][k];
        self.nodes[id] = Node { feature: Some(f), threshold, left: l, right: r, value, cover };
        self.bins[id] = k;
        id
    }

    fn best_split(&self, rows: &[usize], g: f64, h: f64) -> Option<(usize, usize)> {
        let (cols, lambda) = (self.data.cols, self.p.l2);
        let parent = g * g / (h + lambda);
        let mut best: Option<(f64, usize, usize)> = None;
        let mut hist = vec![(0.0, 0.0, 0usize); 256];
        for &f in &self.features {
            let bins = self.data.thresholds[f].len() + 1;
            if bins < 2 {
                continue;
            }
            hist[..bins].fill((0.0, 0.0, 0));
            for &i in rows {
                let e = &mut hist[usize::from(self.data.codes[i * cols + f])];
                e.0 += self.grad[i];
                e.1 += self.hess[i];
                e.2 += 1;
            }
            let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0);
            for (k, &(gb, hb, nb)) in hist[..bins - 1].iter().enumerate() {
                gl += gb;
                hl += hb;
                nl += nb;
                let nr = rows.len() - nl;
                if nl < self.p.min_leaf || nr < self.p.min_leaf || nb == 0 && k > 0 {
                    continue;
                }
                let (gr, hr) = (g - gl, h - hl);
                let gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
                if gain > 1e-9 && best.is_none_or(|(b, _, _)| gain > b) {
                    best = Some((gain, f, k));
                }
            }
        }
        best.map(|(_, f, k)| (f, k))
    }
}

fn tree_on_codes(tree: &[Node], bins: &[usize], codes: &[u8]) -> f64 {
    let mut n = 0;
    while let Some(f) = tree[n].feature {
        n = if usize::from(codes[f]) <= bins[n] { tree[n].left } else { tree[n].right };
    }
    tree[n].value
}

/// Grows exactly `rounds` trees (or, with a validation set, stops `patience` rounds after the best
/// validation log-loss) and returns the trees with the best round.
fn boost(
    p: &Params,
    x: &Matrix,
    y: &[bool],
    train: &[usize],
    valid: &[usize],
    rounds: usize,
) -> (f64, Vec<Tree>, usize) {
    let data = bin(x, train, thresholds(x, train, p.max_bins));
    let vdata = bin(x, valid, data.thresholds.clone());
    let pos = train.iter().filter(|&&i| y[i]).count() as f64;
    let base = ((pos + 0.5) / (train.len() as f64 - pos + 0.5)).ln();
    let yt: Vec<f64> = train.iter().map(|&i| f64::from(u8::from(y[i]))).collect();
    let mut margin = vec![base; train.len()];
    let mut vmargin = vec![base; valid.len()];
    let (mut grad, mut hess) = (vec![0.0; train.len()], vec![0.0; train.len()]);
    let mut rng = Rng::new(p.seed);
    let mut trees = Vec::new();
    let (mut best, mut best_loss) = (0, f64::INFINITY);
    for round in 0..rounds {
        for i in 0..train.len() {
            let q = sigmoid(margin[i]);
            grad[i] = q - yt[i];
            hess[i] = (q * (1.0 - q)).max(1e-12);
        }
        let rows: Vec<usize> = (0..train.len()).filter(|_| rng.next_f64() < p.subsample).collect();
        let mut features: Vec<usize> = (0..x.cols).filter(|_| rng.next_f64() < p.colsample).collect();
        if features.is_empty() {
            features.push(rng.below(x.cols.max(1)));
        }
        let mut grower =
            Grower { p, data: &data, grad: &grad, hess: &hess, features, nodes: Vec::new(), bins: Vec::new() };
        grower.grow(rows, 0);
        let (nodes, bins) = (grower.nodes, grower.bins);
        for (i, m) in margin.iter_mut().enumerate() {
            *m += tree_on_codes(&nodes, &bins, &data.codes[i * x.cols..(i + 1) * x.cols]);
        }
        if valid.is_empty() {
            trees.push(Tree { nodes });
            best = round + 1;
            continue;
        }
        let mut loss = 0.0;
        for (i, m) in vmargin.iter_mut().enumerate() {
            *m += tree_on_codes(&nodes, &bins, &vdata.codes[i * x.cols..(i + 1) * x.cols]);
            let q = sigmoid(*m).clamp(1e-15, 1.0 - 1e-15);
            loss -= if y[valid[i]] { q.ln() } else { (1.0 - q).ln() };
        }
        trees.push(Tree { nodes });
        if loss < best_loss - 1e-9 {
            (best, best_loss) = (round + 1, loss);
        } else if round + 1 - best >= p.patience {
            break;
        }
    }
    trees.truncate(best);
    (base, trees, best)
}

impl Boosting {
    /// Early stopping on a stratified validation split of the rows, then a refit on all rows with
    /// the best number of rounds.
    pub fn fit(x: &Matrix, y: &[bool], params: &Params) -> Self {
        let k = (1.0 / params.validation_share).round().max(2.0) as usize;
        let folds = stratified_folds(y, k, params.seed);
        let (train, valid) = split(&folds, 0);
        let (_, _, best) = boost(params, x, y, &train, &valid, params.max_rounds);
        let all: Vec<usize> = (0..x.rows).collect();
        let (base, trees, _) = boost(params, x, y, &all, &[], best.max(1));
        Self { params: params.clone(), base, trees, best_round: best }
    }

    /// Uncalibrated log-odds of one encoded row.
    pub fn log_odds(&self, row: &[f64]) -> f64 {
        self.base + self.trees.iter().map(|t| t.predict(row)).sum::<f64>()
    }

    /// TreeSHAP with layout columns as players: (expected log-odds, contribution per column).
    pub fn explain(&self, row: &[f64], feature_column: &[usize], columns: usize) -> (f64, Vec<f64>) {
        let mut out = vec![0.0; columns];
        for tree in &self.trees {
            tree.shap(row, feature_column, &mut out);
        }
        (self.base + self.trees.iter().map(|t| t.nodes[0].value).sum::<f64>(), out)
    }
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}
