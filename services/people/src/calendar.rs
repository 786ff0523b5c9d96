//! Public holidays and working days: leave is booked in working days, and which days those are
//! depends on the country and, in Germany, the state.
//!
//! The lists follow the PyPI `holidays` package's default ("public") category, pinned in
//! `tests-data/holidays.tsv` (scripts/gen-holiday-fixture.py) and checked by the unit test below,
//! so that hrmesh agrees with the reference payroll and HR tools use. Where that default differs
//! from what the statute alone would say, the rule's comment says so. The rules hold for NL from
//! 1980, for DE from 1991 (reunification), for BE throughout; the years that matter are 2020 on.

use time::{Date, Duration, Month, Weekday};

use crate::country::Country;

/// A public holiday: a day off in the country (and German state) it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    /// The day.
    pub date: Date,
    /// The English name, as the reference package spells it.
    pub name: &'static str,
}

/// How a holiday's date follows from the year.
#[derive(Clone, Copy)]
enum When {
    /// The same day every year.
    Fixed(Month, u8),
    /// Days after Easter Sunday (negative: before it).
    Easter(i64),
    /// The same day, moved to the Saturday before when it falls on a Sunday (NL Koningsdag).
    NotSunday(Month, u8),
    /// Buß- und Bettag: the Wednesday before 23 November.
    Repentance,
}

/// The years a rule holds in.
#[derive(Clone, Copy)]
enum Years {
    Always,
    Since(i32),
    Until(i32),
    Only(i32),
    /// Years divisible by five.
    Lustrum,
}

/// One holiday rule: when, its name, where (space-separated German state codes; empty for the
/// whole country) and in which years.
struct Rule(When, &'static str, &'static str, Years);

// The tables read as a calendar without the enum prefixes.
use {Month::*, When::*, Years::*};

const NL: &[Rule] = &[
    Rule(Fixed(January, 1), "New Year's Day", "", Always),
    // No statute gives Goede Vrijdag off in NL (collective agreements decide), but the reference
    // package lists it as public, so it counts here.
    Rule(Easter(-2), "Good Friday", "", Always),
    Rule(Easter(0), "Easter Sunday", "", Always),
    Rule(Easter(1), "Easter Monday", "", Always),
    Rule(NotSunday(April, 27), "King's Day", "", Since(2014)),
    Rule(NotSunday(April, 30), "Queen's Day", "", Until(2013)),
    // The Algemene termijnenwet names 5 May every year, but most collective agreements give it
    // off only every fifth year; the reference lists it as public in those years only.
    Rule(Fixed(May, 5), "Liberation Day", "", Lustrum),
    Rule(Easter(39), "Ascension Day", "", Always),
    Rule(Easter(49), "Pentecost", "", Always),
    Rule(Easter(50), "Pentecost Monday", "", Always),
    Rule(Fixed(December, 25), "Christmas Day", "", Always),
    Rule(Fixed(December, 26), "Second Day of Christmas", "", Always),
];

const BE: &[Rule] = &[
    Rule(Fixed(January, 1), "New Year's Day", "", Always),
    Rule(Easter(0), "Easter Sunday", "", Always),
    Rule(Easter(1), "Easter Monday", "", Always),
    Rule(Fixed(May, 1), "Labor Day", "", Always),
    Rule(Easter(39), "Ascension Day", "", Always),
    Rule(Easter(49), "Pentecost", "", Always),
    Rule(Easter(50), "Pentecost Monday", "", Always),
    Rule(Fixed(July, 21), "National Day", "", Always),
    Rule(Fixed(August, 15), "Assumption Day", "", Always),
    Rule(Fixed(November, 1), "All Saints' Day", "", Always),
    Rule(Fixed(November, 11), "Armistice Day", "", Always),
    Rule(Fixed(December, 25), "Christmas Day", "", Always),
];

// Left out, as in the reference's default: Fronleichnam in SN and TH and Mariä Himmelfahrt in BY
// (law makes them holidays only in mainly Catholic municipalities; the reference files them
// under "catholic"), and Augsburg's Hohes Friedensfest (a city, not a state).
const DE: &[Rule] = &[
    Rule(Fixed(January, 1), "New Year's Day", "", Always),
    Rule(Fixed(January, 6), "Epiphany", "BW BY ST", Always),
    Rule(Fixed(March, 8), "Women's Day", "BE", Since(2019)),
    Rule(Fixed(March, 8), "Women's Day", "MV", Since(2023)),
    Rule(Easter(-2), "Good Friday", "", Always),
    Rule(Easter(0), "Easter Sunday", "BB", Always),
    Rule(Easter(1), "Easter Monday", "", Always),
    Rule(Fixed(May, 1), "Labor Day", "", Always),
    // Berlin's one-off anniversaries (Feiertagsgesetz Berlin).
    Rule(
        Fixed(May, 8),
        "75th anniversary of the liberation from Nazism and the end of the Second World War in Europe",
        "BE",
        Only(2020),
    ),
    Rule(
        Fixed(May, 8),
        "80th anniversary of the liberation from Nazism and the end of the Second World War in Europe",
        "BE",
        Only(2025),
    ),
    Rule(Fixed(June, 17), "75th anniversary of the East German uprising of 1953", "BE", Only(2028)),
    Rule(Easter(39), "Ascension Day", "", Always),
    Rule(Easter(49), "Pentecost", "BB", Always),
    Rule(Easter(50), "Pentecost Monday", "", Always),
    Rule(Easter(60), "Corpus Christi", "BW BY HE NW RP SL", Always),
    Rule(Fixed(August, 15), "Assumption Day", "SL", Always),
    Rule(Fixed(September, 20), "World Children's Day", "TH", Since(2019)),
    Rule(Fixed(October, 3), "German Unity Day", "", Always),
    Rule(Fixed(October, 31), "Reformation Day", "", Only(2017)),
    Rule(Fixed(October, 31), "Reformation Day", "BB MV SN ST TH", Always),
    Rule(Fixed(October, 31), "Reformation Day", "HB HH NI SH", Since(2018)),
    Rule(Fixed(November, 1), "All Saints' Day", "BW BY NW RP SL", Always),
    // Nationwide until 1994, when it was given up to fund the care insurance; Saxony kept it.
    Rule(Repentance, "Repentance and Prayer Day", "", Until(1994)),
    Rule(Repentance, "Repentance and Prayer Day", "SN", Since(1995)),
    Rule(Fixed(December, 25), "Christmas Day", "", Always),
    Rule(Fixed(December, 26), "Second Day of Christmas", "", Always),
];

/// The public holidays of `year`, sorted by date: for DE the nationwide ones plus those of the
/// state `region` (a code such as `BY`, as `Country::region` gives; `None`: nationwide only).
pub fn holidays(country: Country, region: Option<&str>, year: i32) -> Vec<Holiday> {
    let (rules, region) = match country {
        Country::Nl => (NL, None),
        Country::Be => (BE, None),
        Country::De => (DE, region),
    };
    let easter = easter_sunday(year);
    let mut days: Vec<Holiday> = rules
        .iter()
        .filter(|Rule(_, _, states, years)| holds(*years, year) && applies(states, region))
        .filter_map(|Rule(when, name, _, _)| Some(Holiday { date: date_of(*when, year, easter?)?, name }))
        .collect();
    // Stable, so when two rules meet on one day (DE 2017: Reformation Day nationwide and in BB)
    // the table's first name stays.
    days.sort_by_key(|day| day.date);
    days.dedup_by_key(|day| day.date);
    days
}

/// Whether `date` is a working day for someone working `days_per_week` days: inside their working
/// week (the first `days_per_week` days from Monday) and not a public holiday.
pub fn is_working_day(country: Country, region: Option<&str>, date: Date, days_per_week: u8) -> bool {
    !is_weekend(date, days_per_week) && !holidays(country, region, date.year()).iter().any(|day| day.date == date)
}

/// The number of working days (see `is_working_day`) from `from` to `to_inclusive`; 0 when
/// `to_inclusive` is before `from`.
pub fn working_days(country: Country, region: Option<&str>, from: Date, to_inclusive: Date, days_per_week: u8) -> u32 {
    let mut count = 0;
    // Holidays of the year being walked, computed once per year rather than once per day.
    let mut off: (i32, Vec<Date>) = (from.year(), dates(country, region, from.year()));
    let mut day = from;
    while day <= to_inclusive {
        if off.0 != day.year() {
            off = (day.year(), dates(country, region, day.year()));
        }
        if !is_weekend(day, days_per_week) && !off.1.contains(&day) {
            count += 1;
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    count
}

fn dates(country: Country, region: Option<&str>, year: i32) -> Vec<Date> {
    holidays(country, region, year).into_iter().map(|day| day.date).collect()
}

/// A part-timer's days are not known from the count alone, so up to 5 days a week the working
/// days are taken to be Monday to Friday (leave is booked against those).
/// Whether `date` is outside the working week of someone working `days_per_week` days. The
/// working days are taken to be the first ones of the week (Monday to Thursday on four days,
/// Monday to Saturday on six): a contract without a work pattern says no more, and it keeps a
/// week off costing exactly the contract's weekly hours.
fn is_weekend(date: Date, days_per_week: u8) -> bool {
    date.weekday().number_days_from_monday() >= days_per_week
}

fn holds(years: Years, year: i32) -> bool {
    match years {
        Always => true,
        Since(first) => year >= first,
        Until(last) => year <= last,
        Only(only) => year == only,
        Lustrum => year.rem_euclid(5) == 0,
    }
}

/// An empty state list means the whole country; otherwise the region must be one of them.
fn applies(states: &str, region: Option<&str>) -> bool {
    states.is_empty() || region.is_some_and(|region| states.split(' ').any(|state| state.eq_ignore_ascii_case(region)))
}

fn date_of(when: When, year: i32, easter: Date) -> Option<Date> {
    match when {
        Fixed(month, day) => Date::from_calendar_date(year, month, day).ok(),
        Easter(offset) => easter.checked_add(Duration::days(offset)),
        NotSunday(month, day) => {
            let date = Date::from_calendar_date(year, month, day).ok()?;
            if date.weekday() == Weekday::Sunday { date.previous_day() } else { Some(date) }
        }
        Repentance => {
            let nov22 = Date::from_calendar_date(year, November, 22).ok()?;
            // Back from 22 November to the Wednesday on or before it.
            let back = (i64::from(nov22.weekday().number_days_from_monday()) + 5) % 7;
            nov22.checked_sub(Duration::days(back))
        }
    }
}

/// Easter Sunday by the Gregorian computus (the anonymous algorithm of Meeus, Jones and Butcher).
fn easter_sunday(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    let month = Month::try_from(u8::try_from(n / 31).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(n % 31 + 1).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::country::GERMAN_STATES;

    type Key = (String, String, i32);

    fn ymd(year: i32, month: u8, day: u8) -> Date {
        Date::from_calendar_date(year, Month::try_from(month).expect("month"), day).expect("valid date")
    }

    /// `YYYY-MM-DD`, without the `time` crate's parsing feature.
    fn parse(text: &str) -> Date {
        let number = |part: Option<&str>| part.and_then(|part| part.parse::<i32>().ok()).expect("a date number");
        let mut parts = text.split('-');
        let (year, month, day) = (number(parts.next()), number(parts.next()), number(parts.next()));
        ymd(year, u8::try_from(month).expect("month"), u8::try_from(day).expect("day"))
    }

    /// The reference fixture, grouped per (country, region, year).
    fn reference() -> BTreeMap<Key, Vec<(Date, String)>> {
        let mut groups: BTreeMap<Key, Vec<(Date, String)>> = BTreeMap::new();
        for line in include_str!("../tests-data/holidays.tsv").lines().filter(|line| !line.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "{line}");
            let date = parse(fields[2]);
            let key = (fields[0].to_owned(), fields[1].to_owned(), date.year());
            groups.entry(key).or_default().push((date, fields[3].to_owned()));
        }
        groups
    }

    #[test]
    fn holidays_match_the_reference_package_for_every_country_state_and_year_in_the_fixture() {
        let groups = reference();
        // NL, BE, DE nationwide and 16 states, for two years.
        assert_eq!(groups.len(), 2 * (3 + GERMAN_STATES.len()));
        for ((country, region, year), expected) in &groups {
            let country = Country::parse(country).expect("a country code");
            let region = (!region.is_empty()).then_some(region.as_str());
            let ours = holidays(country, region, *year);
            let want: Vec<Date> = expected.iter().map(|(date, _)| *date).collect();
            let got: Vec<Date> = ours.iter().map(|day| day.date).collect();
            assert_eq!(got, want, "{country} {region:?} {year}");
            for (day, (_, name)) in ours.iter().zip(expected) {
                // The reference joins the names of coinciding holidays with "; ".
                assert!(name.split("; ").any(|part| part == day.name), "{country} {region:?} {}: {name}", day.date);
            }
        }
    }

    #[test]
    fn easter_follows_the_gregorian_computus() {
        let known = [ymd(1943, 4, 25), ymd(2024, 3, 31), ymd(2025, 4, 20), ymd(2026, 4, 5)];
        let more = [ymd(2027, 3, 28), ymd(2038, 4, 25), ymd(2285, 3, 22)];
        for easter in known.into_iter().chain(more) {
            assert_eq!(easter_sunday(easter.year()), Some(easter));
        }
    }

    #[test]
    fn kings_day_moves_to_saturday_when_27_april_is_a_sunday() {
        let kings_day = |year| holidays(Country::Nl, None, year).into_iter().find(|day| day.name == "King's Day");
        assert_eq!(kings_day(2025).map(|day| day.date), Some(ymd(2025, 4, 26)));
        assert_eq!(kings_day(2026).map(|day| day.date), Some(ymd(2026, 4, 27)));
    }

    #[test]
    fn dutch_liberation_day_counts_only_every_fifth_year() {
        assert!(!is_working_day(Country::Nl, None, ymd(2025, 5, 5), 5));
        assert!(is_working_day(Country::Nl, None, ymd(2026, 5, 5), 5));
    }

    #[test]
    fn german_state_holidays_apply_only_in_their_state() {
        let epiphany = ymd(2026, 1, 6);
        assert!(!is_working_day(Country::De, Some("BY"), epiphany, 5));
        assert!(is_working_day(Country::De, Some("BE"), epiphany, 5));
        assert!(is_working_day(Country::De, None, epiphany, 5));
        assert!(!is_working_day(Country::De, Some("SN"), ymd(2026, 11, 18), 5));
        assert!(is_working_day(Country::De, Some("BY"), ymd(2026, 11, 18), 5));
    }

    #[test]
    fn dutch_and_belgian_regions_are_ignored() {
        assert_eq!(holidays(Country::Nl, Some("Utrecht"), 2026), holidays(Country::Nl, None, 2026));
        assert_eq!(holidays(Country::Be, Some("BE-VLG"), 2026), holidays(Country::Be, None, 2026));
    }

    #[test]
    fn a_six_day_week_works_on_saturday_but_not_on_sunday() {
        let (saturday, sunday) = (ymd(2026, 5, 2), ymd(2026, 5, 3));
        assert!(!is_working_day(Country::Nl, None, saturday, 5));
        assert!(is_working_day(Country::Nl, None, saturday, 6));
        assert!(!is_working_day(Country::Nl, None, sunday, 6));
    }

    #[test]
    fn working_days_of_may_2026_leave_out_weekends_and_holidays() {
        let (first, last) = (ymd(2026, 5, 1), ymd(2026, 5, 31));
        // 21 weekdays; NL: Ascension Day (14th) and Pentecost Monday (25th) off.
        assert_eq!(working_days(Country::Nl, None, first, last, 5), 19);
        // Five Saturdays more.
        assert_eq!(working_days(Country::Nl, None, first, last, 6), 24);
        // DE: Labour Day (1st) off as well.
        assert_eq!(working_days(Country::De, Some("BY"), first, last, 5), 18);
        assert_eq!(working_days(Country::De, None, last, first, 5), 0);
    }

    #[test]
    fn working_days_across_new_year_use_each_years_holidays() {
        // 29–31 Dec 2026 and 1–4 Jan 2027: Tue, Wed, Thu, (Fri holiday), Mon.
        assert_eq!(working_days(Country::Be, None, ymd(2026, 12, 29), ymd(2027, 1, 4), 5), 4);
    }
}
