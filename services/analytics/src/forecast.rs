//! Headcount forecasting: Holt's linear exponential smoothing (level + trend) with prediction
//! intervals from the one-step-ahead residuals, and scenarios applied on top of the trend.
//!
//! The smoothing weights α and β are chosen on a grid by the sum of squared one-step errors. The
//! h-step variance is that of the additive-error model ETS(A,A,N):
//! σ² · (1 + Σ_{j=1}^{h−1} α²(1 + jβ)²), with σ² estimated from the residuals (n − 3 degrees of
//! freedom: level, trend and two weights are fitted, the first point only seeds the level).

/// Fewest months of history to fit a level and a trend and still have residuals.
pub const MIN_HISTORY: usize = 4;

const GRID: [f64; 19] =
    [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];

/// A fitted Holt model.
#[derive(Debug, Clone, PartialEq)]
pub struct Holt {
    pub alpha: f64,
    pub beta: f64,
    pub level: f64,
    pub trend: f64,
    pub residual_sd: f64,
}

/// Runs the recursions; returns the final level, trend and the one-step errors.
fn smooth(y: &[f64], alpha: f64, beta: f64) -> (f64, f64, Vec<f64>) {
    let mut level = y[0];
    let mut trend = y[1] - y[0];
    let mut errors = Vec::with_capacity(y.len() - 1);
    for &value in &y[1..] {
        let predicted = level + trend;
        errors.push(value - predicted);
        let previous = level;
        level = alpha * value + (1.0 - alpha) * predicted;
        trend = beta * (level - previous) + (1.0 - beta) * trend;
    }
    (level, trend, errors)
}

/// Fits α and β by least squares on a grid; `None` with fewer than [`MIN_HISTORY`] points or a
/// value that is not finite.
pub fn fit(y: &[f64]) -> Option<Holt> {
    if y.len() < MIN_HISTORY || y.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut best: Option<(f64, Holt)> = None;
    for &alpha in &GRID {
        for &beta in &GRID {
            let (level, trend, errors) = smooth(y, alpha, beta);
            let sse: f64 = errors.iter().map(|e| e * e).sum();
            if best.as_ref().is_none_or(|(b, _)| sse < *b - 1e-12) {
                let dof = (errors.len() as f64 - 2.0).max(1.0);
                let residual_sd = (sse / dof).sqrt();
                best = Some((sse, Holt { alpha, beta, level, trend, residual_sd }));
            }
        }
    }
    best.map(|(_, h)| h)
}

/// The two-sided normal quantile for a coverage of 0.8, 0.9 or 0.95.
pub fn z_for(confidence: f64) -> Option<f64> {
    [(0.8, 1.281_551_6), (0.9, 1.644_853_6), (0.95, 1.959_964)]
        .iter()
        .find(|(c, _)| (c - confidence).abs() < 1e-9)
        .map(|&(_, z)| z)
}

impl Holt {
    /// Point forecasts and interval half-widths for 1..=`horizon` steps ahead at quantile `z`.
    pub fn forecast(&self, horizon: usize, z: f64) -> Vec<(f64, f64)> {
        let mut spread = 0.0;
        (1..=horizon)
            .map(|h| {
                if h > 1 {
                    let j = (h - 1) as f64;
                    spread += (self.alpha * (1.0 + j * self.beta)).powi(2);
                }
                let point = self.level + h as f64 * self.trend;
                (point, z * self.residual_sd * (1.0 + spread).sqrt())
            })
            .collect()
    }
}

/// What-if settings on top of the fitted trend.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scenario {
    /// No hires: the headcount only shrinks by attrition.
    pub hiring_freeze: bool,
    /// Planned growth per year on top of the trend, in percent.
    pub growth_percent: f64,
    /// Annual attrition rate replacing the history's.
    pub attrition_rate: Option<f64>,
}

/// A forecast point: headcount with its lower and upper bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub headcount: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Applies `scenario` to the trend forecast `base` (points and half-widths) from the last
/// observed headcount `last`. `history_attrition` is the annual rate the history shows; a
/// freeze or a changed rate needs an attrition rate from one or the other (`None` otherwise).
///
/// - A changed attrition rate removes (or adds back) the extra leavers month by month.
/// - A hiring freeze replaces the trend: `last · (1 − rate/12)^k`.
/// - Growth multiplies by `(1 + g/100)^(k/12)`.
///
/// The interval keeps the trend model's half-width around the moved point: it says how
/// uncertain the trend is, not how uncertain the scenario is.
pub fn apply(
    base: &[(f64, f64)],
    last: f64,
    history_attrition: Option<f64>,
    scenario: &Scenario,
) -> Option<Vec<Point>> {
    let rate = scenario.attrition_rate.or(history_attrition);
    let needs_rate = scenario.hiring_freeze || scenario.attrition_rate.is_some();
    if needs_rate && rate.is_none() {
        return None;
    }
    let monthly = rate.unwrap_or(0.0) / 12.0;
    let extra = monthly - history_attrition.map_or(monthly, |r| r / 12.0);
    let mut previous = last;
    let mut removed = 0.0;
    let points = base
        .iter()
        .enumerate()
        .map(|(i, &(point, half))| {
            let k = (i + 1) as f64;
            let mut value = if scenario.hiring_freeze {
                last * (1.0 - monthly).powf(k)
            } else {
                removed += extra * previous;
                point - removed
            };
            value *= (1.0 + scenario.growth_percent / 100.0).powf(k / 12.0);
            let value = value.max(0.0);
            previous = value;
            Point { headcount: value, lower: (value - half).max(0.0), upper: value + half }
        })
        .collect();
    Some(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 100 + 2t with a small deterministic wobble.
    fn trend_series(n: usize) -> Vec<f64> {
        (0..n).map(|t| 100.0 + 2.0 * t as f64 + [0.8, -0.5, 0.3, -0.6][t % 4]).collect()
    }

    #[test]
    fn forecast_follows_a_known_trend_with_widening_intervals_that_cover_it() {
        let y = trend_series(36);
        let holt = fit(&y).expect("fits");
        assert!((holt.trend - 2.0).abs() < 0.25, "trend {holt:?}");
        let z = z_for(0.95).expect("z");
        let points = holt.forecast(12, z);
        for (h, &(point, half)) in points.iter().enumerate() {
            let truth = 100.0 + 2.0 * (36 + h) as f64;
            assert!((point - truth).abs() < 2.5, "step {}: {point} vs {truth}", h + 1);
            assert!(point - half <= truth && truth <= point + half, "step {}: interval misses {truth}", h + 1);
        }
        assert!(points.windows(2).all(|w| w[1].1 >= w[0].1), "intervals widen: {points:?}");
        assert!(points[0].1 > 0.0 && points[0].1 < 4.0, "one-step half-width {}", points[0].1);
    }

    #[test]
    fn flat_series_forecasts_flat_and_short_series_are_refused() {
        let holt = fit(&[40.0; 12]).expect("fits");
        let points = holt.forecast(3, 1.96);
        assert!(points.iter().all(|&(p, half)| (p - 40.0).abs() < 1e-9 && half.abs() < 1e-9), "{points:?}");
        assert_eq!(fit(&[1.0, 2.0, 3.0]), None);
        assert_eq!(z_for(0.5), None);
    }

    #[test]
    fn scenarios_freeze_grow_and_change_attrition() {
        let base: Vec<(f64, f64)> = (1..=12).map(|k| (100.0 + k as f64, 5.0)).collect();
        let freeze = Scenario { hiring_freeze: true, ..Scenario::default() };
        let frozen = apply(&base, 100.0, Some(0.12), &freeze).expect("rate known");
        assert!((frozen[11].headcount - 100.0 * 0.99_f64.powi(12)).abs() < 1e-9);
        assert!((frozen[0].upper - frozen[0].headcount - 5.0).abs() < 1e-9);
        assert_eq!(apply(&base, 100.0, None, &freeze), None, "a freeze needs an attrition rate");

        let grow = Scenario { growth_percent: 10.0, ..Scenario::default() };
        let grown = apply(&base, 100.0, None, &grow).expect("growth alone");
        assert!((grown[11].headcount - 112.0 * 1.1).abs() < 1e-9);

        let more_leavers = Scenario { attrition_rate: Some(0.24), ..Scenario::default() };
        let fewer = apply(&base, 100.0, Some(0.12), &more_leavers).expect("rates known");
        assert!((fewer[0].headcount - 100.0).abs() < 1e-9, "one extra leaver in month 1: {:?}", fewer[0]);
        assert!(fewer[11].headcount < base[11].0 - 11.0 && fewer[11].headcount > base[11].0 - 13.0);
    }
}
