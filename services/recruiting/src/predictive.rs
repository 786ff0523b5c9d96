//! Predictive fit: once a company has enough hires with known outcomes (probation passed or
//! not), a logistic regression over the match features with per-feature contributions and a
//! model card. Below that threshold the API says it is not available and why.

use hrmesh_kit::service::ServiceContext;
use hrmesh_proto::recruiting::v1::{FeatureWeight, FitModel};
use sqlx::Row;

pub const FEATURES: [&str; 4] = ["skills", "experience", "languages", "education"];
/// Outcomes needed before a model is trained, and of each kind.
pub const MIN_OUTCOMES: usize = 30;
pub const MIN_PER_CLASS: usize = 5;
const ITERATIONS: usize = 3000;
const LEARNING_RATE: f64 = 0.5;
const L2: f64 = 0.01;

/// A trained model.
#[derive(Debug, Clone)]
pub struct Model {
    pub weights: [f64; 4],
    pub intercept: f64,
    pub trained_on: usize,
    pub accuracy: f64,
    pub positives: usize,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    /// Probability of a good outcome and each feature's contribution to the log-odds.
    pub fn predict(&self, x: &[f64; 4]) -> (f64, [f64; 4]) {
        let mut contributions = [0.0; 4];
        for i in 0..4 {
            contributions[i] = self.weights[i] * x[i];
        }
        (sigmoid(self.intercept + contributions.iter().sum::<f64>()), contributions)
    }
}

/// Why no model can be trained from `outcomes` (x, passed), or the model.
pub fn train(outcomes: &[([f64; 4], bool)]) -> Result<Model, String> {
    let positives = outcomes.iter().filter(|(_, y)| *y).count();
    let negatives = outcomes.len() - positives;
    if outcomes.len() < MIN_OUTCOMES || positives < MIN_PER_CLASS || negatives < MIN_PER_CLASS {
        return Err(format!(
            "{} outcomes recorded ({positives} passed, {negatives} not passed); the model needs at least \
             {MIN_OUTCOMES}, with at least {MIN_PER_CLASS} of each kind, before it can say anything reliable",
            outcomes.len()
        ));
    }
    let n = outcomes.len() as f64;
    let (mut w, mut b) = ([0.0; 4], 0.0);
    for _ in 0..ITERATIONS {
        let (mut gw, mut gb) = ([0.0; 4], 0.0);
        for (x, y) in outcomes {
            let p = sigmoid(b + (0..4).map(|i| w[i] * x[i]).sum::<f64>());
            let err = p - f64::from(u8::from(*y));
            for i in 0..4 {
                gw[i] += err * x[i];
            }
            gb += err;
        }
        for i in 0..4 {
            w[i] -= LEARNING_RATE * (gw[i] / n + L2 * w[i]);
        }
        b -= LEARNING_RATE * gb / n;
    }
    let model = Model { weights: w, intercept: b, trained_on: outcomes.len(), accuracy: 0.0, positives };
    let correct = outcomes.iter().filter(|(x, y)| (model.predict(x).0 >= 0.5) == *y).count();
    Ok(Model { accuracy: correct as f64 / n, ..model })
}

/// The recorded outcomes with their features.
pub async fn outcomes(ctx: &ServiceContext) -> Result<Vec<([f64; 4], bool)>, sqlx::Error> {
    let rows = sqlx::query("SELECT outcome, features FROM outcomes").fetch_all(ctx.db.pool()).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let outcome: String = r.try_get(0).ok()?;
            let x: [f64; 4] = serde_json::from_str(&r.try_get::<String, _>(1).ok()?).ok()?;
            Some((x, outcome == "probation_passed"))
        })
        .collect())
}

/// The model, or why it is not available.
pub async fn current(ctx: &ServiceContext) -> Result<Result<Model, String>, sqlx::Error> {
    Ok(train(&outcomes(ctx).await?))
}

pub fn to_proto(model: &Result<Model, String>) -> FitModel {
    match model {
        Err(reason) => FitModel { available: false, reason: reason.clone(), ..Default::default() },
        Ok(m) => FitModel {
            available: true,
            reason: String::new(),
            weights: FEATURES
                .iter()
                .zip(m.weights)
                .map(|(f, w)| FeatureWeight { feature: (*f).into(), weight: w })
                .collect(),
            intercept: m.intercept,
            trained_on: m.trained_on as u32,
            training_accuracy: m.accuracy,
            model_card: model_card(m),
        },
    }
}

fn model_card(m: &Model) -> String {
    let weights: Vec<String> = FEATURES.iter().zip(m.weights).map(|(f, w)| format!("| {f} | {w:+.3} |")).collect();
    format!(
        "# Model card: predictive fit (logistic regression)\n\n\
         **Purpose**: estimate how likely a new hire passes probation, as one more piece of information for \
         the recruiter. It never decides; it is shown next to the explained match.\n\n\
         **Data**: {n} past hires of this company with their probation outcome ({p} passed, {f} not). Features are \
         the match features at the time of the outcome: skill coverage, experience against the requirement, \
         language fit and education fit, each between 0 and 1. Name, photo, age, gender, nationality and \
         address are not features and are not available to the model.\n\n\
         **Weights** (log-odds per unit of feature; intercept {b:+.3}):\n\n| feature | weight |\n|---|---|\n{w}\n\n\
         **Metrics**: training accuracy {acc:.1} %. With few hires this is optimistic; no held-out evaluation is \
         possible below a few hundred outcomes.\n\n\
         **Limits**: a small company's history is small and reflects its past choices; outcomes exist only for \
         people who were hired, so the model knows nothing about those who were not. Adverse impact is monitored \
         by governance for every stage.\n\n\
         **Human oversight**: recruiters see each feature's contribution and decide; decisions are logged and \
         can be contested.\n",
        n = m.trained_on,
        p = m.positives,
        f = m.trained_on - m.positives,
        b = m.intercept,
        w = weights.join("\n"),
        acc = m.accuracy * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unavailable_below_threshold_with_the_reason() {
        let few: Vec<([f64; 4], bool)> = (0..12).map(|i| ([0.5; 4], i % 2 == 0)).collect();
        let err = train(&few).expect_err("too few");
        assert!(err.contains("12 outcomes") && err.contains("at least 30"), "{err}");
        let one_sided: Vec<([f64; 4], bool)> = (0..40).map(|_| ([0.5; 4], true)).collect();
        assert!(train(&one_sided).is_err());
    }

    #[test]
    fn learns_that_skill_coverage_predicts_success() {
        let data: Vec<([f64; 4], bool)> = (0..60)
            .map(|i| {
                let skills = f64::from(i % 10) / 10.0;
                ([skills, 0.5, 1.0, 1.0], skills >= 0.5)
            })
            .collect();
        let m = train(&data).expect("enough data");
        assert!(m.weights[0] > 1.0, "{:?}", m.weights);
        assert!(m.accuracy > 0.9, "{}", m.accuracy);
        let (p_high, contributions) = m.predict(&[0.9, 0.5, 1.0, 1.0]);
        let (p_low, _) = m.predict(&[0.1, 0.5, 1.0, 1.0]);
        assert!(p_high > 0.7 && p_low < 0.3, "{p_high} {p_low}");
        assert!(contributions[0] > 0.0);
        assert!(to_proto(&Ok(m)).model_card.contains("Human oversight"));
    }
}
