//! Precision and recall of the bias checks on the team's labelled set
//! (`tests-data/bias/<lang>.tsv`, format in its README): for the model card and
//! `scripts/eval-bias.sh`.

use std::collections::BTreeSet;

use hrmesh_kit::locale::Locale;
use hrmesh_proto::performance::v1::CheckFigures;

use super::{CHECKS, RECENCY, check, recency};

/// The labelled set of `locale`, compiled in.
pub fn labelled_set(locale: Locale) -> &'static str {
    match locale {
        Locale::En => include_str!("../../tests-data/bias/en.tsv"),
        Locale::Nl => include_str!("../../tests-data/bias/nl.tsv"),
        Locale::De => include_str!("../../tests-data/bias/de.tsv"),
    }
}

/// One labelled case and what the checks found.
#[derive(Debug, Clone)]
pub struct Case {
    pub text: String,
    pub expected: BTreeSet<String>,
    pub found: BTreeSet<String>,
}

fn date(s: &str) -> Option<::time::Date> {
    hrmesh_kit::time::parse_date("date", s.trim()).ok()
}

/// The checks' findings on one case; `extra` is the optional `period=a..b;dates=...` column.
fn found(text: &str, extra: Option<&str>, locale: Locale) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = check(text, Some(locale)).1.into_iter().map(|f| f.check).collect();
    if let Some(spec) = extra {
        let mut period = None;
        let mut dates = Vec::new();
        for part in spec.split(';') {
            if let Some((a, b)) = part.strip_prefix("period=").and_then(|p| p.split_once("..")) {
                period = date(a).zip(date(b));
            } else if let Some(d) = part.strip_prefix("dates=") {
                dates = d.split(',').filter_map(date).collect();
            }
        }
        if let Some(period) = period
            && recency(period, &dates, locale).is_some()
        {
            out.insert(RECENCY.into());
        }
    }
    out
}

/// Every case of `data` with its expected and found checks.
pub fn cases(data: &str, locale: Locale) -> Vec<Case> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut cols = line.split('\t');
            let labels = cols.next().unwrap_or_default();
            let text = cols.next().unwrap_or_default();
            let extra = cols.next();
            Case {
                text: text.to_owned(),
                expected: labels.split(',').filter(|l| *l != "-" && !l.is_empty()).map(str::to_owned).collect(),
                found: found(text, extra, locale),
            }
        })
        .collect()
}

fn figures(language: &str, check: &str, tp: u32, fp: u32, fn_: u32) -> CheckFigures {
    let ratio = |a: u32, b: u32| if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) };
    CheckFigures {
        language: language.into(),
        check: check.into(),
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
    }
}

/// Figures per check and over all checks (`all`) for `locale`'s cases.
pub fn evaluate(cases: &[Case], locale: Locale) -> Vec<CheckFigures> {
    let mut out = Vec::new();
    let (mut all_tp, mut all_fp, mut all_fn) = (0, 0, 0);
    for check in CHECKS {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        for case in cases {
            match (case.expected.contains(check), case.found.contains(check)) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                (false, false) => {}
            }
        }
        all_tp += tp;
        all_fp += fp;
        all_fn += fn_;
        out.push(figures(locale.code(), check, tp, fp, fn_));
    }
    out.push(figures(locale.code(), "all", all_tp, all_fp, all_fn));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_forty_labelled_sentences_with_positives_and_negatives() {
        for locale in Locale::ALL {
            let cases = cases(labelled_set(locale), locale);
            assert!(cases.len() >= 40, "{locale:?}: {}", cases.len());
            assert!(cases.iter().filter(|c| c.expected.is_empty()).count() >= 10, "{locale:?} negatives");
            for check in CHECKS {
                assert!(cases.iter().any(|c| c.expected.contains(check)), "{locale:?} has no {check} positive");
            }
            let all = evaluate(&cases, locale).pop().expect("all");
            assert!(all.precision >= 0.8 && all.recall >= 0.8, "{locale:?}: {all:?}");
        }
    }
}
