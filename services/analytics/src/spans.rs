//! Employment spans and monthly figures from the feature store.
//!
//! A span is one stretch in which a pseudonym belongs to the population asked about:
//! - from the directory stream (an org unit and the units below it, or every unit): from the
//!   event that put the pseudonym there as active to the event that moved it away or marked it
//!   `left`. This history starts when hrmesh first saw the directory; the first day's records are
//!   the opening balance, not hires.
//! - from the contracts stream (the company only, as contracts carry no org unit): first contract
//!   start to the end date of the latest contract version. These are real dates as HR recorded
//!   them, so they reach back before hrmesh was introduced, but someone who left without an end
//!   date on their contract is not seen leaving.
//!
//! The company's months before the directory's first month are therefore taken from contracts,
//! and every month from then on from the directory ([`Sources`]).

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::FieldViolation;
use time::{Date, Duration, Month as CalendarMonth};

use crate::features::{ACTIVE, ContractRow, HistoryRow, LEFT};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    pub fn new(year: i32, month: u8) -> Month {
        Month(year * 12 + i32::from(month) - 1)
    }

    /// Parses `YYYY-MM`.
    pub fn parse(field: &str, value: &str) -> Result<Month, FieldViolation> {
        let invalid = || FieldViolation::new(field, "must be a month like 2026-03 (YYYY-MM)");
        let (y, m) = value.trim().split_once('-').ok_or_else(invalid)?;
        let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u8>()) else { return Err(invalid()) };
        if !(2000..=2100).contains(&y) || !(1..=12).contains(&m) {
            return Err(invalid());
        }
        Ok(Month::new(y, m))
    }

    pub fn of(date: Date) -> Month {
        Month::new(date.year(), u8::from(date.month()))
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    fn month(self) -> CalendarMonth {
        CalendarMonth::try_from(u8::try_from(self.0.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(CalendarMonth::January)
    }

    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year(), self.month(), 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.plus(1).first_day() - Duration::days(1)
    }

    pub fn days(self) -> i64 {
        i64::from(self.month().length(self.year()))
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// Months from `self` to `later` (negative when earlier).
    pub fn until(self, later: Month) -> i32 {
        later.0 - self.0
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year(), u8::from(self.month()))
    }
}

pub use hrmesh_kit::time::date_of_ms;

/// Parses a stored `YYYY-MM-DD`; `None` for an empty or malformed one.
pub fn parse_day(value: &str) -> Option<Date> {
    if value.is_empty() { None } else { hrmesh_kit::time::parse_date("date", value).ok() }
}

/// One stretch of a pseudonym in the population.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub member: String,
    /// When the member entered the data (Unix ms), for the small-group guard.
    pub since_ms: i64,
    pub start: Date,
    /// Last day in the population; `None` while ongoing.
    pub last: Option<Date>,
    /// Whether the span ended by leaving (not by a transfer or a contract that has yet to end).
    pub left: bool,
    /// Whether the span started as a hire (not the opening balance).
    pub hire: bool,
}

impl Span {
    /// In the population at the end of `day`.
    pub fn present_after(&self, day: Date) -> bool {
        self.start <= day && self.last.is_none_or(|l| l > day)
    }

    /// In the population on any day of `month`.
    pub fn present_in(&self, month: Month) -> bool {
        self.start <= month.last_day() && self.last.is_none_or(|l| l >= month.first_day())
    }
}

/// Company spans from contract versions (sorted by pseudonym, then effective date).
pub fn contract_spans(rows: &[ContractRow], today: Date) -> Vec<Span> {
    let mut by_member: BTreeMap<&str, Vec<&ContractRow>> = BTreeMap::new();
    for r in rows {
        by_member.entry(&r.subject_pseudonym).or_default().push(r);
    }
    by_member
        .into_iter()
        .filter_map(|(member, versions)| {
            let start = versions.iter().filter_map(|v| parse_day(&v.start_date)).min()?;
            let latest = versions.iter().max_by(|a, b| a.effective_from.cmp(&b.effective_from))?;
            let last = parse_day(&latest.end_date);
            Some(Span {
                member: member.to_owned(),
                since_ms: versions.iter().map(|v| v.seen_at).min().unwrap_or(0),
                start,
                last,
                left: last.is_some_and(|l| l < today),
                hire: true,
            })
        })
        .collect()
}

/// Spans in the units `scope` (an org unit and those below it; every unit when `None`) from
/// the directory history (sorted by pseudonym, then time).
pub fn directory_spans(history: &[HistoryRow], scope: Option<&BTreeSet<String>>) -> Vec<Span> {
    let opening = history.iter().map(|h| date_of_ms(h.at)).min();
    let inside = |h: &HistoryRow| h.status == ACTIVE && scope.is_none_or(|s| s.contains(&h.org_unit_id));
    let mut spans = Vec::new();
    let mut first_seen: BTreeMap<&str, i64> = BTreeMap::new();
    let mut open: Option<Span> = None;
    let mut previous: Option<&str> = None;
    for h in history {
        if previous != Some(h.subject_pseudonym.as_str()) {
            spans.extend(open.take());
            previous = Some(&h.subject_pseudonym);
        }
        let since = *first_seen.entry(&h.subject_pseudonym).or_insert(h.at);
        let day = date_of_ms(h.at);
        match (open.take(), inside(h)) {
            (Some(span), true) => open = Some(span),
            (Some(mut span), false) => {
                // The day before the event, or the first day when it came the same day.
                span.last = Some((day - Duration::days(1)).max(span.start));
                span.left = h.status == LEFT;
                spans.push(span);
            }
            (None, true) => {
                open = Some(Span {
                    member: h.subject_pseudonym.clone(),
                    since_ms: since,
                    start: day,
                    last: None,
                    left: false,
                    hire: Some(day) != opening,
                });
            }
            (None, false) => {}
        }
    }
    spans.extend(open);
    spans
}

/// Figures of one month over a set of spans.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthFigures {
    pub month: Month,
    pub headcount_end: usize,
    pub average: f64,
    pub hires: usize,
    pub leavers: usize,
    /// Everyone in the population on any day of the month.
    pub members: BTreeSet<String>,
}

pub fn month_figures(spans: &[Span], month: Month) -> MonthFigures {
    let end = month.last_day();
    let before = month.first_day() - Duration::days(1);
    let at_end = spans.iter().filter(|s| s.present_after(end)).count();
    let at_start = spans.iter().filter(|s| s.present_after(before)).count();
    let within = |d: Date| d >= month.first_day() && d <= end;
    MonthFigures {
        month,
        headcount_end: at_end,
        average: (at_start + at_end) as f64 / 2.0,
        hires: spans.iter().filter(|s| s.hire && within(s.start)).count(),
        leavers: spans.iter().filter(|s| s.left && s.last.is_some_and(within)).count(),
        members: spans.iter().filter(|s| s.present_in(month)).map(|s| s.member.clone()).collect(),
    }
}

/// Which spans describe a month.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Directory spans of the scope.
    pub directory: &'a [Span],
    /// The company's contract spans, for the months before the directory's first month.
    pub contracts: Option<&'a [Span]>,
}

impl<'a> Sources<'a> {
    /// The directory's first month (the opening balance); `None` without directory records.
    pub fn opening(&self) -> Option<Month> {
        self.directory.iter().map(|s| Month::of(s.start)).min()
    }

    pub fn for_month(&self, month: Month) -> &'a [Span] {
        match (self.contracts, self.opening()) {
            (Some(contracts), Some(opening)) if month < opening => contracts,
            (Some(contracts), None) => contracts,
            _ => self.directory,
        }
    }

    /// The first month any source knows of.
    pub fn first(&self) -> Option<Month> {
        let all = self.directory.iter().chain(self.contracts.unwrap_or_default());
        all.map(|s| Month::of(s.start)).min()
    }

    pub fn figures(&self, month: Month) -> MonthFigures {
        month_figures(self.for_month(month), month)
    }
}

/// Monthly headcount at month end from `from` to `to` (inclusive).
pub fn headcount_series(sources: &Sources<'_>, from: Month, to: Month) -> Vec<(Month, f64)> {
    (0..=from.until(to)).map(|k| from.plus(k)).map(|m| (m, sources.figures(m).headcount_end as f64)).collect()
}

/// Leavers over the twelve months up to `to` divided by the mean month-end headcount: the
/// annual attrition rate; `None` without people.
pub fn annual_attrition(sources: &Sources<'_>, to: Month) -> Option<f64> {
    let months: Vec<MonthFigures> = (0..12).map(|k| sources.figures(to.plus(-k))).collect();
    let average = months.iter().map(|m| m.average).sum::<f64>() / 12.0;
    let leavers: usize = months.iter().map(|m| m.leavers).sum();
    (average > 0.0).then(|| leavers as f64 / average)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(member: &str, events: &[(&str, &str, i64)]) -> Vec<HistoryRow> {
        events
            .iter()
            .map(|(unit, status, day)| HistoryRow {
                subject_pseudonym: member.into(),
                org_unit_id: (*unit).into(),
                status: (*status).into(),
                at: day * 86_400_000,
            })
            .collect()
    }

    #[test]
    fn months_parse_and_count_their_days() {
        let feb = Month::parse("m", "2028-02").expect("month");
        assert_eq!((feb.days(), feb.label(), feb.plus(11).label()), (29, "2028-02".to_owned(), "2029-01".to_owned()));
        assert_eq!(Month::parse("m", "2026-13").map_err(|v| v.field), Err("m".to_owned()));
        assert_eq!(feb.last_day(), Date::from_calendar_date(2028, CalendarMonth::February, 29).expect("date"));
    }

    #[test]
    fn directory_spans_split_transfers_from_leavers_and_open_with_a_balance() {
        let unit: BTreeSet<String> = ["ops".to_owned()].into();
        let mut rows = history("a", &[("ops", "active", 20_000), ("sales", "active", 20_040)]);
        rows.extend(history("b", &[("ops", "active", 20_000), ("ops", "left", 20_070)]));
        rows.extend(history("c", &[("ops", "preboarding", 20_010), ("ops", "active", 20_030)]));
        let spans = directory_spans(&rows, Some(&unit));
        let summary: Vec<(&str, bool, bool, bool)> =
            spans.iter().map(|s| (s.member.as_str(), s.hire, s.left, s.last.is_some())).collect();
        assert_eq!(summary, [("a", false, false, true), ("b", false, true, true), ("c", true, false, false)]);
        let month = Month::of(date_of_ms(20_070 * 86_400_000));
        let figures = month_figures(&spans, month);
        assert_eq!((figures.leavers, figures.headcount_end), (1, 1));
    }
}
