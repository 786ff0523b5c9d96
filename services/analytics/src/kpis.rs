//! HR KPIs per month with their n: headcount, hires, leavers, turnover, absence rate; first-year
//! turnover and the Bradford factor distribution. Every figure is about people, so the report as a
//! whole goes through the small-group guard (with the directory pseudonyms of its scope, so that a
//! company figure and an org unit's figure are compared in one space) and each figure over fewer
//! than 5 people is withheld.
//!
//! Sources (see `spans`): headcount, hires, leavers and turnover come from the directory stream
//! (for the company's months before hrmesh saw the directory: from contract dates); first-year
//! turnover from contract dates; absence (sickness spells) is only known company-wide, as its
//! events carry no org unit and its pseudonyms join nothing.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::groups::{self, MIN_GROUP_SIZE, Release};
use hrmesh_proto::analytics::v1 as pb;
use sqlx::AnyConnection;
use time::{Date, Duration};

use crate::{
    features::SpellRow,
    spans::{Month, Sources, Span, parse_day},
};

/// Audience of KPI figures for the differencing check.
const AUDIENCE: &str = "analytics.kpi";

/// What the report is about.
pub struct KpiData<'a> {
    /// `company` or `org:<unit>`, the guard's query.
    pub scope: String,
    /// Spans the figures count; the directory's are the members the guard compares.
    pub sources: Sources<'a>,
    /// Company only: sickness spells.
    pub spells: Option<&'a [SpellRow]>,
}

fn withheld(reason: String) -> pb::KpiFigure {
    pb::KpiFigure { value: 0.0, n: 0, withheld: reason }
}

fn too_small() -> String {
    Release::TooSmall { size: 0 }.reason().unwrap_or_default()
}

/// A figure about `n` people; withheld under the group size.
fn figure(value: f64, n: usize) -> pb::KpiFigure {
    if n < MIN_GROUP_SIZE {
        return withheld(too_small());
    }
    pb::KpiFigure { value, n: u32::try_from(n).unwrap_or(u32::MAX), withheld: String::new() }
}

/// Sick calendar days of `spell` within `from..=to` (a spell ends the day before recovery; an
/// open one runs through `today`).
fn sick_days(spell: &SpellRow, from: Date, to: Date, today: Date) -> i64 {
    let Some(first) = parse_day(&spell.first_day) else { return 0 };
    let last = parse_day(&spell.recovered_on).map_or(today, |r| r - Duration::days(1));
    let (start, end) = (first.max(from), last.min(to));
    if end < start { 0 } else { (end - start).whole_days() + 1 }
}

/// Bradford band of a factor.
fn band(factor: i64) -> &'static str {
    match factor {
        0 => "0",
        1..=50 => "1-50",
        51..=200 => "51-200",
        201..=400 => "201-400",
        _ => "401+",
    }
}

const BANDS: [&str; 5] = ["0", "1-50", "51-200", "201-400", "401+"];

/// Bradford factor (spells² × days over the 52 weeks to `today`) per absence pseudonym.
pub fn bradford(spells: &[SpellRow], today: Date) -> BTreeMap<&str, i64> {
    let from = today - Duration::days(364);
    let mut per: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for s in spells {
        let days = sick_days(s, from, today, today);
        if days > 0 {
            let entry = per.entry(&s.subject_pseudonym).or_default();
            entry.0 += 1;
            entry.1 += days;
        }
    }
    per.into_iter().map(|(p, (spells, days))| (p, spells * spells * days)).collect()
}

/// The KPI report from `from` to `to`.
pub async fn report(
    conn: &mut AnyConnection,
    data: &KpiData<'_>,
    from: Month,
    to: Month,
    today: Date,
) -> Result<pb::KpiReport, sqlx::Error> {
    let months: Vec<Month> = (0..=from.until(to)).map(|k| from.plus(k)).collect();
    let mut everyone: BTreeMap<String, i64> = BTreeMap::new();
    for s in data.sources.directory.iter().filter(|s| months.iter().any(|&m| s.present_in(m))) {
        let since = everyone.entry(s.member.clone()).or_insert(s.since_ms);
        *since = (*since).min(s.since_ms);
    }
    let release = groups::release(conn, AUDIENCE, &data.scope, &everyone).await?;
    let mut out = pb::KpiReport::default();
    if let Some(reason) = release.reason() {
        out.months = months
            .iter()
            .map(|m| pb::KpiMonth {
                month: m.label(),
                headcount: Some(withheld(reason.clone())),
                hires: Some(withheld(reason.clone())),
                leavers: Some(withheld(reason.clone())),
                turnover: Some(withheld(reason.clone())),
                absence_rate: Some(withheld(reason.clone())),
            })
            .collect();
        out.first_year_turnover = Some(withheld(reason.clone()));
        out.bradford_withheld = reason;
        return Ok(out);
    }
    let company_only = "not available per org unit: sickness and contract events carry no org unit, and their \
                        pseudonyms cannot be joined with the directory's"
        .to_owned();
    for &m in &months {
        let f = data.sources.figures(m);
        let n = f.members.len();
        let absence = match data.spells {
            Some(spells) if f.average > 0.0 => {
                let days: i64 = spells.iter().map(|s| sick_days(s, m.first_day(), m.last_day(), today)).sum();
                figure(days as f64 / (f.average * m.days() as f64), n)
            }
            Some(_) => withheld(too_small()),
            None => withheld(company_only.clone()),
        };
        out.months.push(pb::KpiMonth {
            month: m.label(),
            headcount: Some(figure(f.headcount_end as f64, n)),
            hires: Some(figure(f.hires as f64, n)),
            leavers: Some(figure(f.leavers as f64, n)),
            turnover: Some(if f.average > 0.0 {
                figure(f.leavers as f64 / f.average, n)
            } else {
                withheld(too_small())
            }),
            absence_rate: Some(absence),
        });
    }
    match (data.spells, data.sources.contracts) {
        (Some(spells), Some(contracts)) => {
            out.first_year_turnover = Some(first_year(contracts, today));
            let present: BTreeSet<&str> =
                data.sources.directory.iter().filter(|s| s.present_after(today)).map(|s| s.member.as_str()).collect();
            if present.len() < MIN_GROUP_SIZE {
                out.bradford_withheld = too_small();
            } else {
                out.bradford = bradford_bands(&bradford(spells, today), present.len());
            }
        }
        _ => {
            out.first_year_turnover = Some(withheld(company_only.clone()));
            out.bradford_withheld = company_only;
        }
    }
    Ok(out)
}

/// Share of the people who started 12 to 24 months before `today` that left within a year.
fn first_year(spans: &[Span], today: Date) -> pb::KpiFigure {
    let (earliest, latest) = (today - Duration::days(730), today - Duration::days(365));
    let cohort: Vec<&Span> = spans.iter().filter(|s| s.hire && s.start >= earliest && s.start <= latest).collect();
    let left = cohort.iter().filter(|s| s.left && s.last.is_some_and(|l| l < s.start + Duration::days(365))).count();
    figure(left as f64 / cohort.len().max(1) as f64, cohort.len())
}

/// The distribution over the bands; `population` people in all, those without sickness in band 0.
fn bradford_bands(factors: &BTreeMap<&str, i64>, population: usize) -> Vec<pb::BradfordBand> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &f in factors.values() {
        *counts.entry(band(f)).or_default() += 1;
    }
    counts.insert("0", population.saturating_sub(factors.len()));
    BANDS
        .iter()
        .map(|&b| {
            let people = counts.get(b).copied().unwrap_or(0);
            // An empty band names no one; 1 to 4 people would describe a small group.
            if (1..MIN_GROUP_SIZE).contains(&people) {
                pb::BradfordBand { band: b.to_owned(), people: 0, withheld: too_small() }
            } else {
                pb::BradfordBand {
                    band: b.to_owned(),
                    people: u32::try_from(people).unwrap_or(u32::MAX),
                    withheld: String::new(),
                }
            }
        })
        .collect()
}

/// The report as CSV: month, scope, kpi, value, n, withheld.
pub fn csv(report: &pb::KpiReport, scope: &str) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["month", "scope", "kpi", "value", "n", "withheld"])?;
    let mut put = |month: &str, kpi: &str, f: &pb::KpiFigure| {
        let value =
            if f.withheld.is_empty() { format!("{}", (f.value * 10_000.0).round() / 10_000.0) } else { String::new() };
        w.write_record([month, scope, kpi, &value, &f.n.to_string(), &f.withheld])
    };
    for m in &report.months {
        for (kpi, f) in [
            ("headcount", &m.headcount),
            ("hires", &m.hires),
            ("leavers", &m.leavers),
            ("turnover", &m.turnover),
            ("absence_rate", &m.absence_rate),
        ] {
            put(&m.month, kpi, &f.clone().unwrap_or_default())?;
        }
    }
    let last = report.months.last().map_or("", |m| m.month.as_str()).to_owned();
    put(&last, "first_year_turnover", &report.first_year_turnover.clone().unwrap_or_default())?;
    for b in &report.bradford {
        let f = pb::KpiFigure { value: f64::from(b.people), n: b.people, withheld: b.withheld.clone() };
        put(&last, &format!("bradford:{}", b.band), &f)?;
    }
    if !report.bradford_withheld.is_empty() {
        put(&last, "bradford", &withheld(report.bradford_withheld.clone()))?;
    }
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(p: &str, first: &str, back: &str) -> SpellRow {
        SpellRow { subject_pseudonym: p.into(), first_day: first.into(), recovered_on: back.into() }
    }

    #[test]
    fn bradford_counts_spells_squared_times_days_in_the_last_52_weeks() {
        let today = hrmesh_kit::time::parse_date("d", "2026-06-30").expect("date");
        let spells = [
            spell("a", "2026-01-05", "2026-01-08"), // 3 days
            spell("a", "2026-03-02", "2026-03-04"), // 2 days
            spell("b", "2026-06-29", ""),           // open: 2 days through today
            spell("c", "2024-01-01", "2024-02-01"), // outside the window
        ];
        let f = bradford(&spells, today);
        assert_eq!(f.get("a"), Some(&(2 * 2 * 5)));
        assert_eq!(f.get("b"), Some(&2));
        assert_eq!(f.get("c"), None);
        let bands = bradford_bands(&f, 12);
        let shown: Vec<(&str, u32, bool)> =
            bands.iter().map(|b| (b.band.as_str(), b.people, b.withheld.is_empty())).collect();
        assert_eq!(shown[0], ("0", 10, true));
        assert_eq!(shown[1], ("1-50", 0, false), "two people in a band are not shown");
        assert_eq!(shown[2], ("51-200", 0, true), "an empty band names no one");
    }
}
