//! Early warning: a CUSUM change-point test per team over the survey's rounds, on every driver
//! score, eNPS and comment sentiment. Each round's value is standardised by the baseline's
//! per-person spread and the round's n (a mean of n answers has standard error σ/√n); the
//! two-sided CUSUM with allowance k = 0.5 raises an alert when it passes h = 4 standard errors.
//! The baseline is self-starting: the rounds before the shift (every round while the CUSUM
//! stayed at zero). Only rounds where the team was shown (5 respondents or more) are used.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_proto::engagement::v1 as pb;

use crate::{
    figures::{self, ALL},
    questions::Driver,
    results::{Round, order},
};

/// Allowance, in standard errors: shifts smaller than this are noise.
const K: f64 = 0.5;
/// Decision threshold, in standard errors.
const H: f64 = 4.0;

/// One round's value of a figure: mean, per-person variance, n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub round: u32,
    pub mean: f64,
    pub var: f64,
    pub n: u64,
}

/// A detected shift.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    pub baseline: f64,
    pub current: f64,
    pub since_round: u32,
    pub detected_round: u32,
}

/// Runs the CUSUM over `points` (oldest first); `floor` is the smallest per-person standard
/// deviation assumed (answers that never varied still vary).
pub fn cusum(points: &[Point], floor: f64) -> Option<Shift> {
    let first = points.first()?;
    let (mut sum, mut squares, mut weight) = (0.0, 0.0, 0.0);
    let add = |p: &Point, sum: &mut f64, squares: &mut f64, weight: &mut f64| {
        let n = p.n as f64;
        *sum += p.mean * n;
        *squares += (p.var + p.mean * p.mean) * n;
        *weight += n;
    };
    add(first, &mut sum, &mut squares, &mut weight);
    let (mut low, mut high) = (0.0_f64, 0.0_f64);
    let mut run_start: Option<u32> = None;
    let mut frozen: Option<f64> = None;
    // Rounds of a run that may still turn out to be noise.
    let mut pending: Vec<&Point> = Vec::new();
    for p in &points[1..] {
        if p.n == 0 {
            continue;
        }
        let mean = sum / weight;
        let sd = (squares / weight - mean * mean).max(0.0).sqrt().max(floor);
        let z = (p.mean - mean) / (sd / (p.n as f64).sqrt());
        low = (low - z - K).max(0.0);
        high = (high + z - K).max(0.0);
        if low == 0.0 && high == 0.0 {
            for q in pending.drain(..).chain(std::iter::once(p)) {
                add(q, &mut sum, &mut squares, &mut weight);
            }
            run_start = None;
            frozen = None;
            continue;
        }
        pending.push(p);
        let since = *run_start.get_or_insert(p.round);
        let baseline = *frozen.get_or_insert(mean);
        if low > H || high > H {
            let current = points.last().map_or(p.mean, |l| l.mean);
            return Some(Shift { baseline, current, since_round: since, detected_round: p.round });
        }
    }
    None
}

fn metric_label(metric: &str, driver: &str) -> [String; 3] {
    match metric {
        "enps" => ["eNPS".into(), "eNPS".into(), "eNPS".into()],
        "sentiment" => {
            ["comment sentiment".into(), "sentiment van opmerkingen".into(), "Stimmung der Kommentare".into()]
        }
        _ => [format!("{driver} score"), format!("score {driver}"), format!("Wert {driver}")],
    }
}

/// The alerts of the teams in `visible`, from the released `rounds` (oldest first).
pub fn alerts(rounds: &[Round], visible: &BTreeSet<String>) -> Vec<pb::EngagementAlert> {
    let Some(last) = rounds.last() else { return Vec::new() };
    let mut out = Vec::new();
    for id in order(&last.nodes).into_iter().filter(|id| visible.contains(id)) {
        // Series per figure, over the rounds where the team was shown.
        let mut series: BTreeMap<(String, String), Vec<Point>> = BTreeMap::new();
        for r in rounds {
            let Some(node) = r.nodes.get(&id) else { continue };
            if node.withheld.is_some() {
                continue;
            }
            let round = r.row.number();
            let asked = r.asked();
            for (driver, mean, var, n) in figures::drivers(node, &asked) {
                series.entry(("driver".into(), driver.as_str().into())).or_default().push(Point {
                    round,
                    mean,
                    var,
                    n,
                });
            }
            if let Some(q) = asked.iter().find(|q| q.driver == Driver::Enps)
                && let Some(counts) = node.counts.get(q.id)
            {
                let n: u64 = counts.iter().sum();
                let promoters = (counts[9] + counts[10]) as f64;
                let detractors = counts[..=6].iter().sum::<u64>() as f64;
                if n > 0 {
                    let nf = n as f64;
                    let mean = (promoters - detractors) * 100.0 / nf;
                    let second = (promoters + detractors) * 10_000.0 / nf;
                    series.entry(("enps".into(), String::new())).or_default().push(Point {
                        round,
                        mean,
                        var: second - mean * mean,
                        n,
                    });
                }
            }
            let (n, sum, squares) = node.sentiment;
            if n > 0 {
                let mean = sum / n as f64;
                series.entry(("sentiment".into(), String::new())).or_default().push(Point {
                    round,
                    mean,
                    var: squares / n as f64 - mean * mean,
                    n,
                });
            }
        }
        let name = last.nodes.get(&id).map(|n| n.name.clone()).unwrap_or_default();
        for ((metric, driver), points) in series {
            let floor = match metric.as_str() {
                "enps" => 20.0,
                "sentiment" => 0.2,
                _ => 1.0,
            };
            let Some(shift) = cusum(&points, floor) else { continue };
            let change = shift.current - shift.baseline;
            let [en, nl, de] = metric_label(&metric, &driver);
            let (from, to, by) =
                (figures::shown(shift.baseline), figures::shown(shift.current), figures::shown(change));
            let unit = if id == ALL { "company-wide".to_owned() } else { name.clone() };
            let since = shift.since_round;
            out.push(pb::EngagementAlert {
                org_unit_id: id.clone(),
                name: name.clone(),
                metric: metric.clone(),
                driver: driver.clone(),
                baseline: from,
                current: to,
                change: by,
                since_round: since,
                detected_round: shift.detected_round,
                n: points.last().map_or(0, |p| u32::try_from(p.n).unwrap_or(u32::MAX)),
                summary: format!(
                    "{unit}: {en} moved from {from} to {to} ({by:+}) since round {since} / {nl} ging van {from} naar {to} \
                     ({by:+}) sinds ronde {since} / {de} hat sich seit Runde {since} von {from} auf {to} verändert ({by:+})"
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(round: u32, mean: f64) -> Point {
        Point { round, mean, var: 1.0, n: 7 }
    }

    #[test]
    fn a_drop_is_detected_with_its_baseline_and_change_point() {
        let points = [p(1, 8.0), p(2, 8.2), p(3, 7.9), p(4, 5.0)];
        let shift = cusum(&points, 1.0).expect("a drop of three points is a shift");
        assert_eq!((shift.since_round, shift.detected_round), (4, 4));
        assert!((shift.baseline - 8.033).abs() < 0.01, "{shift:?}");
        assert_eq!(shift.current, 5.0);
    }

    #[test]
    fn noise_raises_nothing_and_a_slow_slide_is_dated_to_its_start() {
        assert_eq!(cusum(&[p(1, 7.0), p(2, 7.3), p(3, 6.8), p(4, 7.1), p(5, 6.9)], 1.0), None);
        let slide = [p(1, 8.0), p(2, 8.0), p(3, 7.3), p(4, 6.7), p(5, 6.2)];
        let shift = cusum(&slide, 1.0).expect("a steady slide adds up");
        assert_eq!(shift.since_round, 3);
        assert!(shift.detected_round >= 4);
        assert!(shift.current < shift.baseline);
    }

    #[test]
    fn one_round_or_a_rise_within_noise_is_no_alert() {
        assert_eq!(cusum(&[p(1, 8.0)], 1.0), None);
        assert_eq!(cusum(&[], 1.0), None);
        assert_eq!(cusum(&[p(1, 6.0), p(2, 6.4)], 1.0), None);
    }
}
