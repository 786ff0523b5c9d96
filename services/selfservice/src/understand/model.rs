//! The intent classifier: multinomial logistic regression over bag-of-words features, trained
//! at start-up on the `train` rows of the labelled corpus.
//!
//! Features of an utterance (all binary):
//! - `w:<stem>`: each word, folded, typo-corrected and Snowball-stemmed in the utterance's
//!   language; `b:<stem> <stem>`: each pair of adjacent words;
//! - `cue:<intent>`: a hand-written cue phrase of that intent matched (see `intents`);
//! - `#date` (a date expression was read), `#num` (a number), `#oov` (a word the vocabulary does
//!   not know). In training, words seen in only one training utterance also fire `#oov`, so the
//!   model learns what unseen words say (mostly: out of domain).
//!
//! Training: softmax regression, AdaGrad stochastic gradient descent ([`EPOCHS`] passes in a
//! fixed pseudo-random order, step [`RATE`], L2 penalty [`L2`] on the weights touched). It is
//! deterministic: same corpus, same weights. The learned weight of a feature for an intent is
//! what [`super::Evidence::Feature`] reports.

use std::collections::HashMap;

use super::intents::{Intent, N};

pub const EPOCHS: usize = 20;
pub const RATE: f64 = 0.5;
pub const L2: f64 = 2e-3;
/// Gradients smaller than this are not applied (saves most of the work, changes nothing
/// measurable).
const SKIP_GRADIENT: f64 = 1e-4;

/// A feature of one utterance: its name and the words that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub name: String,
    pub words: String,
    /// The cue phrase, for `cue:` features.
    pub cue: Option<&'static str>,
}

/// Trained weights.
#[derive(Debug)]
pub struct Model {
    index: HashMap<String, usize>,
    weights: Vec<[f64; N]>,
    bias: [f64; N],
}

/// A scored utterance: class probabilities and, per known feature, its position in the input.
#[derive(Debug)]
pub struct Scores {
    pub probs: [f64; N],
    /// `(feature position, model id)` of the features the model knows.
    pub known: Vec<(usize, usize)>,
}

impl Model {
    /// Trains on `(features, intent)` examples.
    pub fn train(examples: &[(Vec<Feature>, Intent)]) -> Model {
        let mut df: HashMap<&str, usize> = HashMap::new();
        for (features, _) in examples {
            for f in features.iter().filter(|f| f.name.starts_with("w:")) {
                *df.entry(f.name.as_str()).or_default() += 1;
            }
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut id = |name: &str| {
            let next = index.len();
            *index.entry(name.to_owned()).or_insert(next)
        };
        let data: Vec<(Vec<usize>, usize)> = examples
            .iter()
            .map(|(features, intent)| {
                let mut ids: Vec<usize> = features.iter().map(|f| id(&f.name)).collect();
                if features.iter().any(|f| df.get(f.name.as_str()) == Some(&1)) {
                    ids.push(id("#oov"));
                }
                ids.sort_unstable();
                ids.dedup();
                (ids, intent.index())
            })
            .collect();
        let mut model = Model { weights: vec![[0.0; N]; index.len()], index, bias: [0.0; N] };
        let mut g2 = vec![[0.0; N]; model.weights.len()];
        let mut g2_bias = [0.0; N];
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..EPOCHS {
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &e in &order {
                let (ids, y) = &data[e];
                let probs = model.probs(ids.iter().copied());
                for c in 0..N {
                    let g = probs[c] - if c == *y { 1.0 } else { 0.0 };
                    if g.abs() < SKIP_GRADIENT {
                        continue; // already right for this class: most updates after a few passes
                    }
                    g2_bias[c] += g * g;
                    model.bias[c] -= RATE * g / (g2_bias[c].sqrt() + 1e-8);
                    for &f in ids {
                        let grad = g + L2 * model.weights[f][c];
                        g2[f][c] += grad * grad;
                        model.weights[f][c] -= RATE * grad / (g2[f][c].sqrt() + 1e-8);
                    }
                }
            }
        }
        model
    }

    fn probs(&self, ids: impl Iterator<Item = usize>) -> [f64; N] {
        let mut logits = self.bias;
        for f in ids {
            for (l, w) in logits.iter_mut().zip(self.weights[f]) {
                *l += w;
            }
        }
        let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for l in &mut logits {
            *l = (*l - max).exp();
            sum += *l;
        }
        logits.map(|e| e / sum)
    }

    /// Scores an utterance's features (unknown ones are skipped; repeated ones count once).
    pub fn score(&self, features: &[Feature]) -> Scores {
        let mut known: Vec<(usize, usize)> = Vec::new();
        for (pos, f) in features.iter().enumerate() {
            if let Some(&id) = self.index.get(&f.name)
                && !known.iter().any(|&(_, k)| k == id)
            {
                known.push((pos, id));
            }
        }
        Scores { probs: self.probs(known.iter().map(|&(_, id)| id)), known }
    }

    /// The learned weight of model feature `id` for `intent`.
    pub fn weight(&self, id: usize, intent: Intent) -> f64 {
        self.weights.get(id).map_or(0.0, |w| w[intent.index()])
    }
}
