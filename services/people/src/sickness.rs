//! Statutory timelines for a sick report: what HR has to do, and by when, in NL, DE and BE.
//!
//! No diagnosis is ever stored, so every rule that depends on "the same illness" is applied
//! per spell and left to HR where the law would add spells up.
//!
//! A spell runs from `first_day` (day 1) up to, but not including, `recovered`: the first day
//! the employee is fit for work again, as on a Dutch *hersteldmelding*. A task is only listed
//! when the employee is still unfit on its due day, so a short spell yields few or no tasks.
//!
//! - **NL** (Wet verbetering poortwachter, counted in weeks from the first sick day): problem
//!   analysis at week 6, plan of action at week 8, UWV notification at week 42, first-year
//!   evaluation at week 52, WIA documents at week 91 (the employee must apply by week 93) and
//!   the end of the 104 weeks of continued pay (BW 7:629). Spells separated by less than four
//!   weeks count as one (BW 7:629 lid 10): when an earlier spell recovered fewer than 28 days
//!   before this one started, the timeline starts at that earlier spell's first day, in a chain.
//! - **DE**: the eAU is retrieved from the health insurer from day `eau_from_day` (EntgFG §5,
//!   by default day 4: incapacity longer than three calendar days); continued pay (EntgFG §3)
//!   lasts 42 days, so day 42 is the last paid day. Repeated spells of the same illness within
//!   6/12 months add up under §3(1), which needs the diagnosis: counted per spell, HR decides.
//!   A BEM offer (SGB IX §167(2)) is due once incapacity exceeds 42 days within 12 months,
//!   all spells counted.
//! - **BE** (bedienden): 30 days of guaranteed salary from the first day; the mutuality must
//!   be notified before it takes over on day 31. Workers (arbeiders) and employees with less
//!   than three months' service have other rules, which are not modelled here.

use time::{Date, Duration};

use crate::country::Country;
use hrmesh_kit::locale::Locale;

/// Days of incapacity within twelve months after which a BEM offer is due (six weeks).
const BEM_THRESHOLD_DAYS: u32 = 42;
/// How far back [`bem_due`] reports a crossing: an older one is history, not a task, and the bound
/// keeps the day-by-day count small even when a spell carries a placeholder date such as `Date::MIN`.
const BEM_LOOKBACK_DAYS: i64 = 3 * 366;

/// One period of incapacity for work, deliberately without any diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SickSpell {
    /// The first calendar day of incapacity (day 1).
    pub first_day: Date,
    /// The first day fit for work again (exclusive end); `None` while the employee is sick.
    pub recovered: Option<Date>,
}

/// Something HR has to do for a sick report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskKind {
    /// NL: problem analysis by the occupational physician (week 6).
    ProblemAnalysis,
    /// NL: plan of action agreed with the employee (week 8).
    PlanOfAction,
    /// NL: sickness notification to UWV (week 42).
    NotifyUwv,
    /// NL: first-year evaluation (week 52).
    FirstYearEvaluation,
    /// NL: documents for the employee's WIA application (week 91).
    WiaApplication,
    /// NL/DE: the last day of statutory continued pay.
    ContinuedPayEnds,
    /// DE: retrieve the electronic certificate of incapacity (eAU) from the health insurer.
    RetrieveEau,
    /// DE: offer occupational integration management (BEM).
    BemOffer,
    /// BE: notify the mutuality and send it the employer's declaration.
    NotifyMutuality,
    /// BE: the last day of guaranteed salary.
    GuaranteedPayEnds,
}

impl TaskKind {
    /// What to do, in the reader's language.
    pub fn text(self, locale: Locale) -> &'static str {
        let [en, nl, de] = match self {
            Self::ProblemAnalysis => [
                "Have the occupational physician draw up the problem analysis",
                "Probleemanalyse laten opstellen door de bedrijfsarts",
                "Problemanalyse durch den Betriebsarzt erstellen lassen",
            ],
            Self::PlanOfAction => [
                "Agree the plan of action with the employee",
                "Plan van aanpak opstellen met de werknemer",
                "Maßnahmenplan (plan van aanpak) mit dem Beschäftigten vereinbaren",
            ],
            Self::NotifyUwv => [
                "Report the sickness to UWV (ziekmelding)",
                "Ziekmelding doen bij UWV",
                "Krankmeldung beim UWV einreichen",
            ],
            Self::FirstYearEvaluation => [
                "Hold the first-year evaluation with the employee",
                "Eerstejaarsevaluatie houden met de werknemer",
                "Bilanz nach dem ersten Krankheitsjahr mit dem Beschäftigten ziehen",
            ],
            Self::WiaApplication => [
                "Send the WIA application documents",
                "Documenten voor de WIA-aanvraag aanleveren",
                "Unterlagen für den WIA-Antrag senden",
            ],
            Self::ContinuedPayEnds => [
                "Last day of statutory continued pay",
                "Laatste dag van de wettelijke loondoorbetaling",
                "Letzter Tag der Entgeltfortzahlung",
            ],
            Self::RetrieveEau => [
                "Retrieve the eAU from the health insurer",
                "eAU opvragen bij de zorgverzekeraar (Krankenkasse)",
                "eAU bei der Krankenkasse abrufen",
            ],
            Self::BemOffer => [
                "Offer occupational integration management (BEM)",
                "Re-integratietraject (BEM) aanbieden",
                "Betriebliches Eingliederungsmanagement (BEM) anbieten",
            ],
            Self::NotifyMutuality => [
                "Make sure the mutuality is notified and send it the employer's declaration",
                "Zorgen dat het ziekenfonds (mutualiteit) verwittigd is en de werkgeversaangifte sturen",
                "Sicherstellen, dass die Krankenkasse (mutualiteit) informiert ist, und die Arbeitgebererklärung senden",
            ],
            Self::GuaranteedPayEnds => [
                "Last day of guaranteed salary; the mutuality takes over from tomorrow",
                "Laatste dag gewaarborgd loon; vanaf morgen betaalt het ziekenfonds",
                "Letzter Tag der Lohnfortzahlung (gewaarborgd loon); ab morgen zahlt die Krankenkasse",
            ],
        };
        match locale {
            Locale::En => en,
            Locale::Nl => nl,
            Locale::De => de,
        }
    }
}

/// A dated statutory task for one sick report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Task {
    /// What to do.
    pub kind: TaskKind,
    /// The last day to do it.
    pub due: Date,
    /// The legal source, shown next to the task so HR can look it up.
    pub rule: &'static str,
}

/// The statutory tasks for `spell`, earliest first; `previous_spells` are the employee's earlier
/// spells (NL: adding up, DE: BEM), `eau_from_day` the contract's day of illness from which the
/// eAU is required (day 1 = `first_day`; 0 counts as 1).
pub fn tasks(country: Country, spell: &SickSpell, previous_spells: &[SickSpell], eau_from_day: u8) -> Vec<Task> {
    let mut out = Vec::new();
    let mut push = |kind, due: Option<Date>, rule| {
        if let Some(due) = due {
            out.push(Task { kind, due, rule });
        }
    };
    match country {
        Country::Nl => {
            let start = timeline_start(country, spell, previous_spells);
            let week = |n: i64| start.checked_add(Duration::weeks(n));
            push(TaskKind::ProblemAnalysis, week(6), "Wet verbetering poortwachter");
            push(TaskKind::PlanOfAction, week(8), "Wet verbetering poortwachter");
            push(TaskKind::NotifyUwv, week(42), "Wet verbetering poortwachter");
            push(TaskKind::FirstYearEvaluation, week(52), "Wet verbetering poortwachter");
            push(TaskKind::WiaApplication, week(91), "Wet WIA");
            push(TaskKind::ContinuedPayEnds, pay_end(Country::Nl, start), "BW 7:629");
        }
        Country::De => {
            let eau_day = i64::from(eau_from_day.max(1));
            push(TaskKind::RetrieveEau, day(spell.first_day, eau_day), "EntgFG §5");
            push(TaskKind::ContinuedPayEnds, pay_end(Country::De, spell.first_day), "EntgFG §3");
            // The 43rd day falls on day 43 of this spell at the latest, so counting further is
            // pointless; a crossing before this spell belongs to an earlier report.
            let horizon = day(spell.first_day, i64::from(BEM_THRESHOLD_DAYS) + 1);
            let last_sick = spell.recovered.and_then(Date::previous_day);
            let as_of = match (horizon, last_sick) {
                (Some(h), Some(l)) => Some(h.min(l)),
                (h, l) => h.or(l),
            };
            let mut spells = previous_spells.to_vec();
            spells.push(*spell);
            let bem = as_of.and_then(|as_of| bem_due(&spells, as_of)).filter(|due| *due >= spell.first_day);
            push(TaskKind::BemOffer, bem, "SGB IX §167(2)");
        }
        Country::Be => {
            push(TaskKind::NotifyMutuality, day(spell.first_day, 28), "GVU-wet 14 juli 1994");
            push(
                TaskKind::GuaranteedPayEnds,
                pay_end(Country::Be, spell.first_day),
                "Arbeidsovereenkomstenwet art. 70",
            );
        }
    }
    // A task is moot once the employee is back before its due day.
    out.retain(|task| spell.recovered.is_none_or(|back| task.due < back));
    out.sort_by_key(|task| (task.due, task.kind));
    out
}

/// The last day of statutory continued pay if the spell lasts that long: NL day 728 (104 weeks,
/// BW 7:629, 70 %), DE day 42 (EntgFG §3), BE day 30 (guaranteed salary); `None` when the
/// employee recovered earlier, because then the entitlement never runs out.
pub fn continued_pay_end(country: Country, spell: &SickSpell) -> Option<Date> {
    pay_end(country, spell.first_day).filter(|end| spell.recovered.is_none_or(|back| *end < back))
}

/// The day the employee's sickness timeline counts from: for NL the first day of the earliest
/// spell chained to this one by gaps of less than four weeks, elsewhere the spell's own first day.
pub fn timeline_start(country: Country, spell: &SickSpell, previous_spells: &[SickSpell]) -> Date {
    let mut start = spell.first_day;
    if country != Country::Nl {
        return start;
    }
    // Each pass can only move the start back to an earlier spell, so this ends.
    let mut moved = true;
    while moved {
        moved = false;
        for earlier in previous_spells {
            // A still-open earlier spell overlaps this one, which is the same as no gap.
            let joins = earlier.recovered.is_none_or(|back| (start - back).whole_days() < 28);
            if earlier.first_day < start && joins {
                start = earlier.first_day;
                moved = true;
            }
        }
    }
    start
}

/// The latest day on or before `as_of` on which incapacity within the preceding 12 months (that
/// day included, days of all `spells` counted once, open spells up to `as_of`) reached its 43rd
/// day, i.e. exceeded six weeks (SGB IX §167(2)); `None` if it never did. When the count fell
/// below the threshold and rose above it again, the later day wins: a new BEM offer is due then.
/// Only crossings in the three years up to `as_of` are reported.
pub fn bem_due(spells: &[SickSpell], as_of: Date) -> Option<Date> {
    let report_from = as_of.checked_sub(Duration::days(BEM_LOOKBACK_DAYS)).unwrap_or(Date::MIN);
    // One more year before `report_from`, so the count on that day sees its whole window.
    let counted_from = report_from.checked_sub(Duration::days(366)).unwrap_or(Date::MIN);
    let earliest = spells.iter().map(|s| s.first_day).filter(|d| *d <= as_of).min()?;
    let start = earliest.max(counted_from);
    let len = usize::try_from((as_of - start).whole_days() + 1).ok()?;
    let index = |d: Date| usize::try_from((d - start).whole_days()).map_or(0, |i| i.min(len));
    let mut sick = vec![false; len];
    for spell in spells {
        let end = spell.recovered.map_or(len, index);
        for slot in sick.iter_mut().take(end).skip(index(spell.first_day)) {
            *slot = true;
        }
    }
    // prefix[i] = sick days before index i, so any window's count is one subtraction.
    let mut prefix = Vec::with_capacity(len + 1);
    prefix.push(0u32);
    for (i, is_sick) in sick.iter().enumerate() {
        prefix.push(prefix[i] + u32::from(*is_sick));
    }
    let mut latest = None;
    let mut above = false;
    let mut today = start;
    for i in 0..len {
        let from = one_year_before(today).and_then(Date::next_day).map_or(0, index);
        let count = prefix[i + 1] - prefix[from.min(i + 1)];
        let now_above = count > BEM_THRESHOLD_DAYS;
        if now_above && !above && today >= report_from {
            latest = Some(today);
        }
        above = now_above;
        match today.next_day() {
            Some(next) => today = next,
            None => break,
        }
    }
    latest
}

/// Calendar day `n` of a period starting on `first_day` (day 1).
fn day(first_day: Date, n: i64) -> Option<Date> {
    first_day.checked_add(Duration::days(n - 1))
}

/// The last day of statutory pay for a timeline starting on `first_day`.
fn pay_end(country: Country, first_day: Date) -> Option<Date> {
    match country {
        Country::Nl => day(first_day, 104 * 7),
        Country::De => day(first_day, 42),
        Country::Be => day(first_day, 30),
    }
}

/// The same calendar date a year earlier (29 February becomes 28 February).
fn one_year_before(date: Date) -> Option<Date> {
    let year = date.year() - 1;
    date.replace_year(year).ok().or_else(|| Date::from_calendar_date(year, date.month(), 28).ok())
}

#[cfg(test)]
mod tests {
    use time::Month;

    use super::*;

    fn d(year: i32, month: u8, day: u8) -> Date {
        Date::from_calendar_date(year, Month::try_from(month).expect("month"), day).expect("valid date")
    }

    fn spell(first_day: Date, days: i64) -> SickSpell {
        SickSpell { first_day, recovered: Some(first_day + Duration::days(days)) }
    }

    fn due(tasks: &[Task], kind: TaskKind) -> Option<Date> {
        tasks.iter().find(|t| t.kind == kind).map(|t| t.due)
    }

    #[test]
    fn nl_open_spell_has_the_poortwachter_timeline() {
        let open = SickSpell { first_day: d(2026, 1, 5), recovered: None };
        let tasks = tasks(Country::Nl, &open, &[], 4);
        assert_eq!(due(&tasks, TaskKind::ProblemAnalysis), Some(d(2026, 2, 16)));
        assert_eq!(due(&tasks, TaskKind::PlanOfAction), Some(d(2026, 3, 2)));
        assert_eq!(due(&tasks, TaskKind::NotifyUwv), Some(d(2026, 10, 26)));
        assert_eq!(due(&tasks, TaskKind::FirstYearEvaluation), Some(d(2027, 1, 4)));
        assert_eq!(due(&tasks, TaskKind::WiaApplication), Some(d(2027, 10, 4)));
        assert_eq!(due(&tasks, TaskKind::ContinuedPayEnds), Some(d(2028, 1, 2)));
        assert_eq!(continued_pay_end(Country::Nl, &open), Some(d(2028, 1, 2)));
        let uwv = tasks.iter().find(|t| t.kind == TaskKind::NotifyUwv).expect("UWV task");
        assert_eq!(uwv.rule, "Wet verbetering poortwachter");
        assert!(tasks.windows(2).all(|w| w[0].due <= w[1].due));
    }

    #[test]
    fn nl_spells_less_than_four_weeks_apart_add_up() {
        // Back on 2 February, sick again on 2 March: 28 days apart, a new timeline.
        let first = SickSpell { first_day: d(2026, 1, 5), recovered: Some(d(2026, 2, 2)) };
        let apart = SickSpell { first_day: d(2026, 3, 2), recovered: None };
        assert_eq!(timeline_start(Country::Nl, &apart, &[first]), d(2026, 3, 2));
        // Sick again on 1 March: 27 days apart, the timeline counts from 5 January.
        let close = SickSpell { first_day: d(2026, 3, 1), recovered: None };
        assert_eq!(timeline_start(Country::Nl, &close, &[first]), d(2026, 1, 5));
        assert_eq!(due(&tasks(Country::Nl, &close, &[first], 4), TaskKind::NotifyUwv), Some(d(2026, 10, 26)));
        // Chains: a spell before `first` with a short gap moves the start back again.
        let before = SickSpell { first_day: d(2025, 12, 1), recovered: Some(d(2025, 12, 20)) };
        assert_eq!(timeline_start(Country::Nl, &close, &[before, first]), d(2025, 12, 1));
        // Germany counts per spell.
        assert_eq!(timeline_start(Country::De, &close, &[first]), d(2026, 3, 1));
    }

    #[test]
    fn nl_tasks_after_recovery_are_dropped() {
        let short = spell(d(2026, 1, 5), 50);
        let kinds: Vec<_> = tasks(Country::Nl, &short, &[], 4).iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TaskKind::ProblemAnalysis]);
        assert_eq!(continued_pay_end(Country::Nl, &short), None);
    }

    #[test]
    fn de_continued_pay_and_eau() {
        let open = SickSpell { first_day: d(2026, 3, 2), recovered: None };
        let tasks = tasks(Country::De, &open, &[], 4);
        assert_eq!(due(&tasks, TaskKind::RetrieveEau), Some(d(2026, 3, 5)));
        assert_eq!(due(&tasks, TaskKind::ContinuedPayEnds), Some(d(2026, 4, 12)));
        assert_eq!(continued_pay_end(Country::De, &open), Some(d(2026, 4, 12)));
        // An open spell reaches day 43 on its own, so the BEM offer is projected too.
        assert_eq!(due(&tasks, TaskKind::BemOffer), Some(d(2026, 4, 13)));
        // A contract requiring the eAU from day 1 (0 counts as 1).
        assert_eq!(due(&super::tasks(Country::De, &open, &[], 0), TaskKind::RetrieveEau), Some(d(2026, 3, 2)));
        // Three days of sickness need no eAU at all.
        assert!(super::tasks(Country::De, &spell(d(2026, 3, 2), 3), &[], 4).is_empty());
        // Sick exactly 42 days: paid throughout, the entitlement is used up on the last day.
        assert_eq!(continued_pay_end(Country::De, &spell(d(2026, 3, 2), 42)), Some(d(2026, 4, 12)));
        assert_eq!(continued_pay_end(Country::De, &spell(d(2026, 3, 2), 41)), None);
    }

    #[test]
    fn de_bem_after_two_spells_within_twelve_months() {
        let first = spell(d(2026, 1, 5), 25);
        let second = spell(d(2026, 3, 2), 20);
        // 25 days + the 18th day of the second spell = the 43rd day.
        assert_eq!(bem_due(&[first, second], d(2026, 6, 1)), Some(d(2026, 3, 19)));
        assert_eq!(bem_due(&[first, second], d(2026, 3, 18)), None);
        let tasks = tasks(Country::De, &second, &[first], 4);
        assert_eq!(due(&tasks, TaskKind::BemOffer), Some(d(2026, 3, 19)));
        let bem = tasks.iter().find(|t| t.kind == TaskKind::BemOffer).expect("BEM task");
        assert_eq!(bem.rule, "SGB IX §167(2)");
        // 25 + 17 days is exactly six weeks: not more than six weeks, no BEM.
        assert_eq!(bem_due(&[first, spell(d(2026, 3, 2), 17)], d(2026, 6, 1)), None);
        // The same spells more than a year apart do not add up.
        assert_eq!(bem_due(&[first, spell(d(2027, 3, 2), 20)], d(2027, 6, 1)), None);
        // Overlapping spells count each day once.
        assert_eq!(bem_due(&[first, first, spell(d(2026, 1, 20), 20)], d(2026, 6, 1)), None);
    }

    #[test]
    fn bem_reached_again_after_the_window_emptied() {
        let old = spell(d(2024, 1, 1), 50);
        let new = spell(d(2026, 1, 1), 50);
        assert_eq!(bem_due(&[old, new], d(2026, 6, 1)), Some(d(2026, 2, 12)));
        // A crossing before this spell is an earlier report's task.
        let later = spell(d(2024, 3, 1), 5);
        assert_eq!(due(&tasks(Country::De, &later, &[old], 4), TaskKind::BemOffer), None);
    }

    #[test]
    fn bem_looks_back_three_years_only() {
        // A placeholder first day (an unparsable row) must not make the count run for millennia.
        let placeholder = SickSpell { first_day: Date::MIN, recovered: Some(Date::MIN) };
        let long_ago = spell(d(2020, 1, 1), 60);
        let recent = spell(d(2026, 1, 5), 25);
        assert_eq!(bem_due(&[placeholder, long_ago, recent], d(2026, 6, 1)), None);
        assert_eq!(bem_due(&[long_ago], d(2021, 1, 1)), Some(d(2020, 2, 12)));
        // A spell that is still over the threshold when the look-back starts is no new crossing.
        let endless = SickSpell { first_day: d(2020, 1, 1), recovered: None };
        assert_eq!(bem_due(&[endless], d(2026, 6, 1)), None);
    }

    #[test]
    fn be_guaranteed_salary_and_mutuality() {
        let open = SickSpell { first_day: d(2026, 3, 2), recovered: None };
        let tasks = tasks(Country::Be, &open, &[], 4);
        assert_eq!(due(&tasks, TaskKind::NotifyMutuality), Some(d(2026, 3, 29)));
        assert_eq!(due(&tasks, TaskKind::GuaranteedPayEnds), Some(d(2026, 3, 31)));
        assert_eq!(tasks.len(), 2);
    }

    #[test]
    fn every_task_kind_speaks_three_languages() {
        assert_eq!(TaskKind::WiaApplication.text(Locale::En), "Send the WIA application documents");
        assert_eq!(TaskKind::NotifyUwv.text(Locale::Nl), "Ziekmelding doen bij UWV");
        assert_eq!(TaskKind::RetrieveEau.text(Locale::De), "eAU bei der Krankenkasse abrufen");
    }
}
