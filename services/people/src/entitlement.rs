//! Statutory yearly leave entitlement from a contract: how much, in which unit and when it lapses,
//! with one line per rule applied (in English, Dutch and German) so that HR and the employee can
//! check every number against the law.
//!
//! NL counts in hours (BW 7:634), DE and BE in working days. Contractual extra days are kept
//! apart from the statutory ones because they lapse on other terms.

use hrmesh_kit::locale::{Text, decimal_comma as c};
use time::{Date, Month, util::days_in_year};

use crate::country::Country;

/// The unit an entitlement is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Hours (NL).
    Hours,
    /// Working days (DE, BE).
    Days,
}

/// The terms of an employment contract that the leave entitlement depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractTerms {
    /// First day of employment.
    pub start: Date,
    /// Last day of employment, if the contract ends or has ended.
    pub end: Option<Date>,
    /// Contractual hours a week.
    pub weekly_hours: f64,
    /// Working days a week.
    pub days_per_week: u8,
    /// Contractual leave days a year on top of the statutory ones (0 if none).
    pub extra_days_per_year: f64,
}

/// One year's leave entitlement and when each part lapses.
#[derive(Debug, Clone, PartialEq)]
pub struct Entitlement {
    /// Statutory leave, in `unit`.
    pub statutory: f64,
    /// Contractual leave on top of the statutory leave, in `unit`.
    pub extra_statutory: f64,
    /// Hours (NL) or days (DE, BE).
    pub unit: Unit,
    /// When statutory leave lapses (NL: 1 July, the day it is gone; DE, BE: the last day to take it).
    pub statutory_expires: Option<Date>,
    /// When extra-statutory leave lapses, the last day to take it (None without such leave).
    pub extra_expires: Option<Date>,
    /// Which rule gave which number, one sentence a line.
    pub explanation: Vec<Text>,
}

/// The leave `contract` entitles to in `year` under the law of `country`.
pub fn yearly(country: Country, contract: &ContractTerms, year: i32) -> Entitlement {
    match country {
        Country::Nl => netherlands(contract, year),
        Country::De => germany(contract, year),
        Country::Be => belgium(contract, year),
    }
}

/// The unused leave of `ent` that lapses next and the date it lapses, as of `on`, after `used`
/// (in `ent.unit`) has been taken: taking leave uses up statutory leave before extra-statutory
/// leave, since statutory leave lapses first (or together with it). Leave lapsing on the same
/// date is added up; None when nothing is left to lapse.
pub fn expiring(country: Country, ent: &Entitlement, used: f64, on: Date) -> Option<(f64, Date)> {
    let used = used.max(0.0);
    let statutory_left = (ent.statutory - used).max(0.0);
    let extra_left = (ent.extra_statutory - (used - ent.statutory).max(0.0)).max(0.0);
    // NL's 1 July is the day the statutory leave is gone (BW 7:640a: six months after the year);
    // the other dates are the last days on which the leave can still be taken.
    let statutory_pending = |expires: Date| if country == Country::Nl { on < expires } else { on <= expires };
    let parts = [
        (statutory_left, ent.statutory_expires.filter(|expires| statutory_pending(*expires))),
        (extra_left, ent.extra_expires.filter(|expires| on <= *expires)),
    ];
    let next = parts.iter().filter(|(left, _)| *left > 0.0).filter_map(|(_, expires)| *expires).min()?;
    let amount = parts.iter().filter(|(_, expires)| *expires == Some(next)).map(|(left, _)| left).sum();
    Some((round2(amount), next))
}

/// BW 7:634 (4 × weekly hours), pro rata by day; 7:640a and 7:642 for lapsing.
fn netherlands(contract: &ContractTerms, year: i32) -> Entitlement {
    let weekly = contract.weekly_hours.max(0.0);
    let full = 4.0 * weekly;
    let (weekly_s, full_s) = (num(weekly), num(full));
    let mut lines = vec![Text::new(
        format!("BW 7:634: 4 × {weekly_s} h a week = {full_s} h for a full year."),
        format!("BW 7:634: 4 × {} uur per week = {} uur voor een volledig jaar.", c(&weekly_s), c(&full_s)),
        format!("BW 7:634 (NL): 4 × {} Std. pro Woche = {} Std. für ein volles Jahr.", c(&weekly_s), c(&full_s)),
    )];
    let Some((first, last)) = employed(contract, year) else {
        return finish(Unit::Hours, (0.0, None), (0.0, None), not_employed(lines, year));
    };
    let (days, in_year) = (inclusive_days(first, last), i64::from(days_in_year(year)));
    let share = days as f64 / in_year as f64;
    let statutory = round2(full * share);
    let pro_rata = if days < in_year { format!(" × {days} / {in_year}") } else { String::new() };
    if days < in_year {
        let statutory_s = num(statutory);
        lines.push(Text::new(
            format!("Employed {days} of the {in_year} days of {year}: {full_s}{pro_rata} = {statutory_s} h."),
            format!(
                "In dienst {days} van de {in_year} dagen van {year}: {}{pro_rata} = {} uur.",
                c(&full_s),
                c(&statutory_s)
            ),
            format!(
                "{days} von {in_year} Tagen des Jahres {year} beschäftigt: {}{pro_rata} = {} Std.",
                c(&full_s),
                c(&statutory_s)
            ),
        ));
    }
    let per_day = if contract.days_per_week > 0 { weekly / f64::from(contract.days_per_week) } else { 0.0 };
    let extra = round2(contract.extra_days_per_year.max(0.0) * per_day * share);
    if extra > 0.0 {
        let (days_s, per_day_s, extra_s) = (num(contract.extra_days_per_year), num(per_day), num(extra));
        let week = contract.days_per_week;
        lines.push(Text::new(
            format!(
                "Contract: {days_s} extra days × {per_day_s} h a day ({weekly_s} h / {week} days){pro_rata} = {extra_s} h."
            ),
            format!(
                "Contract: {} bovenwettelijke dagen × {} uur per dag ({} uur / {week} dagen){pro_rata} = {} uur.",
                c(&days_s),
                c(&per_day_s),
                c(&weekly_s),
                c(&extra_s)
            ),
            format!(
                "Vertrag: {} zusätzliche Tage × {} Std. pro Tag ({} Std. / {week} Tage){pro_rata} = {} Std.",
                c(&days_s),
                c(&per_day_s),
                c(&weekly_s),
                c(&extra_s)
            ),
        ));
    }
    let (statutory_expires, extra_expires) = (ymd(year + 1, Month::July, 1), ymd(year + 5, Month::December, 31));
    if let Some(expires) = statutory_expires.filter(|_| statutory > 0.0) {
        lines.push(Text::new(
            format!(
                "BW 7:640a: statutory leave of {year} lapses on {expires}, six months after the year, \
                 unless the employee could reasonably not take it."
            ),
            format!(
                "BW 7:640a: het wettelijk verlof van {year} vervalt op {expires}, zes maanden na het jaar, \
                 tenzij de werknemer het redelijkerwijs niet kon opnemen."
            ),
            format!(
                "BW 7:640a (NL): Der gesetzliche Urlaub aus {year} verfällt am {expires}, sechs Monate nach \
                 Jahresende, es sei denn, er konnte vernünftigerweise nicht genommen werden."
            ),
        ));
    }
    if let Some(expires) = extra_expires.filter(|_| extra > 0.0) {
        lines.push(Text::new(
            format!("BW 7:642: extra-statutory leave of {year} is time-barred five years on, on {expires}."),
            format!("BW 7:642: bovenwettelijk verlof van {year} verjaart na vijf jaar, op {expires}."),
            format!("BW 7:642 (NL): Übergesetzlicher Urlaub aus {year} verjährt nach fünf Jahren, am {expires}."),
        ));
    }
    finish(Unit::Hours, (statutory, statutory_expires), (extra, extra_expires), lines)
}

/// BUrlG §3 (24 working days on six days a week), §4 and §5 (waiting period and part years),
/// §7(3) (carry-over to 31 March).
fn germany(contract: &ContractTerms, year: i32) -> Entitlement {
    let week = contract.days_per_week;
    let full = 24.0 * f64::from(week) / 6.0;
    let full_s = num(full);
    let mut lines = vec![Text::new(
        format!("BUrlG §3: 24 working days on 6 days a week; 24 × {week} / 6 = {full_s} days on {week} days a week."),
        format!(
            "BUrlG §3 (DE): 24 werkdagen bij 6 dagen per week; 24 × {week} / 6 = {} dagen bij {week} dagen per week.",
            c(&full_s)
        ),
        format!(
            "BUrlG §3: 24 Werktage bei 6 Tagen pro Woche; 24 × {week} / 6 = {} Tage bei {week} Tagen pro Woche.",
            c(&full_s)
        ),
    )];
    let Some((first, last)) = employed(contract, year) else {
        return finish(Unit::Days, (0.0, None), (0.0, None), not_employed(lines, year));
    };
    // §4: the full entitlement arises after six months; this is their last day.
    let waiting = period_end(contract.start, 6).unwrap_or(Date::MAX);
    let half_year = ymd(year, Month::June, 30).unwrap_or(Date::MAX);
    let part = if contract.end.is_some_and(|end| end < waiting) {
        Some([
            "§5(1)(b): leaves before the six-month waiting period (§4) ends",
            "§5(1)(b): vertrekt voordat de wachttijd van zes maanden (§4) eindigt",
            "§5 Abs. 1 b: scheidet vor Ende der sechsmonatigen Wartezeit (§4) aus",
        ])
    } else if waiting.year() > year {
        Some([
            "§5(1)(a): the six-month waiting period (§4) does not end within the year",
            "§5(1)(a): de wachttijd van zes maanden (§4) eindigt niet binnen het jaar",
            "§5 Abs. 1 a: die sechsmonatige Wartezeit (§4) endet nicht im Kalenderjahr",
        ])
    } else if contract.end.is_some_and(|end| end <= half_year) {
        Some([
            "§5(1)(c): leaves in the first half of the year",
            "§5(1)(c): vertrekt in de eerste helft van het jaar",
            "§5 Abs. 1 c: scheidet in der ersten Jahreshälfte aus",
        ])
    } else {
        if waiting.year() == year {
            lines.push(Text::new(
                format!("BUrlG §4: the six-month waiting period ends on {waiting}: the full entitlement."),
                format!("BUrlG §4: de wachttijd van zes maanden eindigt op {waiting}: het volledige recht."),
                format!("BUrlG §4: Die sechsmonatige Wartezeit endet am {waiting}: voller Urlaubsanspruch."),
            ));
        }
        None
    };
    let (statutory, months) = match part {
        None => (full, 12),
        Some([en, nl, de]) => {
            let months = full_months(first, last);
            let exact = round2(full * f64::from(months) / 12.0);
            let exact_s = num(exact);
            let (full_c, exact_c) = (c(&full_s), c(&exact_s));
            lines.push(Text::new(
                format!("BUrlG {en}: 1/12 per full month, {months} in {year}: {full_s} × {months} / 12 = {exact_s}."),
                format!("BUrlG {nl}: 1/12 per volle maand, {months} in {year}: {full_c} × {months} / 12 = {exact_c}."),
                format!("BUrlG {de}: 1/12 je vollem Monat, {months} in {year}: {full_c} × {months} / 12 = {exact_c}."),
            ));
            // §5(2): a fraction of at least half a day rounds up; a smaller one stays (BAG), it is not dropped.
            let statutory = if exact - exact.floor() >= 0.5 { exact.ceil() } else { exact };
            if statutory != exact {
                lines.push(Text::new(
                    format!("BUrlG §5(2): at least half a day rounds up to a full day: {statutory} days."),
                    format!("BUrlG §5(2): minstens een halve dag wordt een hele dag: {statutory} dagen."),
                    format!("BUrlG §5 Abs. 2: Mindestens ein halber Tag wird auf einen vollen aufgerundet: {statutory} Tage."),
                ));
            }
            if waiting.year() > year {
                lines.push(Text::new(
                    "BUrlG §7(3): on request this leave is carried over into all of next year.",
                    "BUrlG §7(3): op verzoek wordt dit verlof naar het hele volgende jaar overgedragen.",
                    "BUrlG §7 Abs. 3: Auf Verlangen wird dieser Urlaub auf das ganze nächste Jahr übertragen.",
                ));
            }
            (statutory, months)
        }
    };
    let extra = round2(contract.extra_days_per_year.max(0.0) * f64::from(months) / 12.0);
    if extra > 0.0 {
        let pro_rata = if months < 12 { format!(" × {months} / 12") } else { String::new() };
        let (days_s, extra_s) = (num(contract.extra_days_per_year), num(extra));
        lines.push(Text::new(
            format!(
                "Contract: {days_s} extra days a year{pro_rata} = {extra_s} days, lapsing with the statutory days."
            ),
            format!(
                "Contract: {} extra dagen per jaar{pro_rata} = {} dagen, die met de wettelijke dagen vervallen.",
                c(&days_s),
                c(&extra_s)
            ),
            format!(
                "Vertrag: {} zusätzliche Tage pro Jahr{pro_rata} = {} Tage, die mit den gesetzlichen Tagen verfallen.",
                c(&days_s),
                c(&extra_s)
            ),
        ));
    }
    let expires = ymd(year + 1, Month::March, 31);
    if let Some(expires) = expires.filter(|_| statutory > 0.0) {
        lines.push(Text::new(
            format!("BUrlG §7(3): leave of {year} not taken in the year is carried over until {expires} at most."),
            format!(
                "BUrlG §7(3): verlof van {year} dat niet in het jaar is opgenomen, loopt uiterlijk tot {expires} door."
            ),
            format!(
                "BUrlG §7 Abs. 3: Im Jahr {year} nicht genommener Urlaub wird höchstens bis zum {expires} übertragen."
            ),
        ));
    }
    finish(Unit::Days, (statutory, expires), (extra, expires), lines)
}

/// Belgian annual leave: four weeks, earned by work in the year before (vakantiedienstjaar).
fn belgium(contract: &ContractTerms, year: i32) -> Entitlement {
    let week = contract.days_per_week;
    let full = 4.0 * f64::from(week);
    let (before, full_s) = (year - 1, num(full));
    let mut lines = vec![Text::new(
        format!(
            "Annual leave: 4 × {week} days a week = {full_s} days after a full year worked in {before} (its \
             vakantiedienstjaar)."
        ),
        format!(
            "Jaarlijkse vakantie: 4 × {week} dagen per week = {} dagen na een volledig gewerkt jaar {before} (het \
             vakantiedienstjaar).",
            c(&full_s)
        ),
        format!(
            "Jahresurlaub (BE): 4 × {week} Tage pro Woche = {} Tage nach einem voll gearbeiteten Jahr {before} \
             (dem Urlaubsdienstjahr).",
            c(&full_s)
        ),
    )];
    let Some((first, last)) = employed(contract, year) else {
        return finish(Unit::Days, (0.0, None), (0.0, None), not_employed(lines, year));
    };
    let statutory = if contract.start.year() >= year {
        lines.push(Text::new(
            format!(
                "Started in {year}: no statutory days for {year}, which depend on work in {before}; the European \
                 holiday (aanvullende vakantie) may apply but is not computed here."
            ),
            format!(
                "Begonnen in {year}: geen wettelijke dagen voor {year}, die van het werk in {before} afhangen; de \
                 Europese vakantie (aanvullende vakantie) kan gelden maar wordt hier niet berekend."
            ),
            format!(
                "Beginn {year}: keine gesetzlichen Tage für {year}, die von der Arbeit in {before} abhängen; der \
                 europäische Urlaub (ergänzender Urlaub) kann gelten, wird hier aber nicht berechnet."
            ),
        ));
        0.0
    } else if contract.start.year() < before {
        full
    } else {
        let months = ymd(before, Month::December, 31).map_or(0, |last| full_months(contract.start, last));
        // Rounded to the nearest half day, as leave is taken in half days at the least.
        let exact = full * f64::from(months) / 12.0;
        let statutory = (exact * 2.0).round() / 2.0;
        let (start, exact_s) = (contract.start, num(exact));
        let (full_c, exact_c, statutory_c) = (c(&full_s), c(&exact_s), c(&num(statutory)));
        lines.push(Text::new(
            format!(
                "Started on {start}: {months} full months in {before}, {full_s} × {months} / 12 = {exact_s}, \
                 to the nearest half day {statutory} days."
            ),
            format!(
                "Begonnen op {start}: {months} volle maanden in {before}, {full_c} × {months} / 12 = {exact_c}, \
                 afgerond op een halve dag {statutory_c} dagen."
            ),
            format!(
                "Beginn am {start}: {months} volle Monate in {before}, {full_c} × {months} / 12 = {exact_c}, \
                 auf halbe Tage gerundet {statutory_c} Tage."
            ),
        ));
        statutory
    };
    let (days, in_year) = (inclusive_days(first, last), i64::from(days_in_year(year)));
    let extra = round2(contract.extra_days_per_year.max(0.0) * days as f64 / in_year as f64);
    if extra > 0.0 {
        let part = |employed: &str| {
            if days < in_year { format!(" × {days} / {in_year} {employed}") } else { String::new() }
        };
        let (days_s, extra_s) = (num(contract.extra_days_per_year), num(extra));
        lines.push(Text::new(
            format!("Contract: {days_s} extra days a year{} = {extra_s} days.", part("days employed")),
            format!(
                "Contract: {} extra dagen per jaar{} = {} dagen.",
                c(&days_s),
                part("dagen in dienst"),
                c(&extra_s)
            ),
            format!(
                "Vertrag: {} zusätzliche Tage pro Jahr{} = {} Tage.",
                c(&days_s),
                part("Beschäftigungstage"),
                c(&extra_s)
            ),
        ));
    }
    let expires = ymd(year, Month::December, 31);
    if statutory > 0.0 || extra > 0.0 {
        lines.push(Text::new(
            format!("Leave of {year} must be taken within {year}: it lapses after 31 December."),
            format!("Verlof van {year} moet in {year} worden opgenomen: het vervalt na 31 december."),
            format!("Urlaub aus {year} ist im Jahr {year} zu nehmen: Er verfällt nach dem 31. Dezember."),
        ));
    }
    finish(Unit::Days, (statutory, expires), (extra, expires), lines)
}

fn not_employed(mut lines: Vec<Text>, year: i32) -> Vec<Text> {
    lines.push(Text::new(
        format!("Not employed in {year}: no leave."),
        format!("Niet in dienst in {year}: geen verlof."),
        format!("{year} nicht beschäftigt: kein Urlaub."),
    ));
    lines
}

/// The entitlement from (amount, lapse date) of statutory and of extra leave; no date without leave.
fn finish(unit: Unit, statutory: (f64, Option<Date>), extra: (f64, Option<Date>), lines: Vec<Text>) -> Entitlement {
    Entitlement {
        statutory: statutory.0,
        extra_statutory: extra.0,
        unit,
        statutory_expires: statutory.1.filter(|_| statutory.0 > 0.0),
        extra_expires: extra.1.filter(|_| extra.0 > 0.0),
        explanation: lines,
    }
}

/// The first and last day of `year` under the contract, if it runs at all in that year.
fn employed(contract: &ContractTerms, year: i32) -> Option<(Date, Date)> {
    let first = contract.start.max(ymd(year, Month::January, 1)?);
    let last = ymd(year, Month::December, 31)?;
    let last = contract.end.map_or(last, |end| end.min(last));
    (first <= last).then_some((first, last))
}

fn inclusive_days(first: Date, last: Date) -> i64 {
    (last - first).whole_days() + 1
}

/// The last day of a period of `months` months starting on `from` (BGB §188(2) and (3): the day
/// before the same day of the month, or the month's last day when it has no such day).
fn period_end(from: Date, months: u32) -> Option<Date> {
    let index = from.year() * 12 + i32::from(u8::from(from.month())) - 1 + i32::try_from(months).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let year = index.div_euclid(12);
    match ymd(year, month, from.day()) {
        Some(same_day) => same_day.previous_day(),
        None => ymd(year, month, month.length(year)),
    }
}

/// Full months of employment from `first` to `last`, counted from `first`'s day of the month.
fn full_months(first: Date, last: Date) -> u32 {
    (1..=13).take_while(|months| period_end(first, *months).is_some_and(|end| end <= last)).count() as u32
}

fn ymd(year: i32, month: Month, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, month, day).ok()
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A number as HR writes it: no decimals when whole, else two.
fn num(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.2}") }
}

#[cfg(test)]
mod tests {
    use hrmesh_kit::locale::Locale;

    use super::*;

    /// Whether a line of the explanation in `locale` contains `words`.
    fn said(ent: &Entitlement, locale: Locale, words: &str) -> bool {
        ent.explanation.iter().any(|line| line.get(locale).contains(words))
    }

    fn day(year: i32, month: u8, day: u8) -> Date {
        ymd(year, Month::try_from(month).expect("month"), day).expect("valid date")
    }

    fn terms(start: Date, weekly_hours: f64, days_per_week: u8) -> ContractTerms {
        ContractTerms { start, end: None, weekly_hours, days_per_week, extra_days_per_year: 0.0 }
    }

    #[test]
    fn nl_40_hours_a_week_for_a_full_year_gives_160_hours_lapsing_1_july_next_year() {
        let ent = yearly(Country::Nl, &terms(day(2020, 1, 1), 40.0, 5), 2026);
        assert_eq!((ent.statutory, ent.unit, ent.statutory_expires), (160.0, Unit::Hours, Some(day(2027, 7, 1))));
        assert_eq!((ent.extra_statutory, ent.extra_expires), (0.0, None));
        assert!(ent.explanation[0].get(Locale::En).contains("BW 7:634"), "{:?}", ent.explanation);
    }

    #[test]
    fn nl_start_on_1_july_is_pro_rata_by_days_employed() {
        let ent = yearly(Country::Nl, &terms(day(2026, 7, 1), 40.0, 5), 2026);
        // 1 July to 31 December is 184 of 365 days: 160 × 184 / 365 = 80.657… → 80.66 h.
        assert_eq!(ent.statutory, 80.66);
        assert!(said(&ent, Locale::En, "160 × 184 / 365 = 80.66 h"), "{:?}", ent.explanation);
        assert!(said(&ent, Locale::Nl, "160 × 184 / 365 = 80,66 uur"), "{:?}", ent.explanation);
        assert!(said(&ent, Locale::De, "160 × 184 / 365 = 80,66 Std."), "{:?}", ent.explanation);
    }

    #[test]
    fn nl_32_hours_on_4_days_gives_128_hours_and_extra_days_of_8_hours_lapsing_after_5_years() {
        let contract = ContractTerms { extra_days_per_year: 5.0, ..terms(day(2024, 3, 1), 32.0, 4) };
        let ent = yearly(Country::Nl, &contract, 2026);
        assert_eq!((ent.statutory, ent.extra_statutory), (128.0, 40.0));
        assert_eq!((ent.statutory_expires, ent.extra_expires), (Some(day(2027, 7, 1)), Some(day(2031, 12, 31))));
    }

    #[test]
    fn nl_leaving_during_the_year_is_pro_rata_and_no_employment_gives_nothing() {
        let contract = ContractTerms { end: Some(day(2026, 3, 31)), ..terms(day(2020, 1, 1), 40.0, 5) };
        // 90 of 365 days: 160 × 90 / 365 = 39.45 h.
        assert_eq!(yearly(Country::Nl, &contract, 2026).statutory, 39.45);
        let later = yearly(Country::Nl, &contract, 2027);
        assert_eq!((later.statutory, later.statutory_expires), (0.0, None));
    }

    #[test]
    fn de_5_day_week_full_year_gives_20_days_lapsing_31_march_next_year() {
        let ent = yearly(Country::De, &terms(day(2020, 1, 1), 40.0, 5), 2026);
        assert_eq!((ent.statutory, ent.unit, ent.statutory_expires), (20.0, Unit::Days, Some(day(2027, 3, 31))));
    }

    #[test]
    fn de_6_day_week_gives_24_days_and_4_day_week_16() {
        assert_eq!(yearly(Country::De, &terms(day(2020, 1, 1), 48.0, 6), 2026).statutory, 24.0);
        assert_eq!(yearly(Country::De, &terms(day(2020, 1, 1), 32.0, 4), 2026).statutory, 16.0);
    }

    #[test]
    fn de_start_on_1_september_gives_4_twelfths_rounded_up_to_7_days() {
        let ent = yearly(Country::De, &terms(day(2026, 9, 1), 40.0, 5), 2026);
        // Waiting period ends 28 February 2027: §5(1)(a), 20 × 4 / 12 = 6.67, §5(2) rounds up.
        assert_eq!(ent.statutory, 7.0);
        assert!(said(&ent, Locale::En, "20 × 4 / 12 = 6.67"), "{:?}", ent.explanation);
        assert!(said(&ent, Locale::De, "1/12 je vollem Monat, 4 in"), "{:?}", ent.explanation);
    }

    #[test]
    fn de_start_in_the_first_half_completes_the_waiting_period_and_gives_the_full_20_days() {
        assert_eq!(yearly(Country::De, &terms(day(2026, 3, 1), 40.0, 5), 2026).statutory, 20.0);
        // The waiting period from 1 July ends on 31 December, still within the year.
        assert_eq!(yearly(Country::De, &terms(day(2026, 7, 1), 40.0, 5), 2026).statutory, 20.0);
        // From 2 July it ends in 2027: 5 full months (2 July to 1 December), 8.33 days, not rounded.
        assert_eq!(yearly(Country::De, &terms(day(2026, 7, 2), 40.0, 5), 2026).statutory, 8.33);
    }

    #[test]
    fn de_leaving_in_the_first_half_is_pro_rata_and_in_the_second_half_full() {
        let leaving = |end| ContractTerms { end: Some(end), ..terms(day(2020, 1, 1), 40.0, 5) };
        // 5 full months: 20 × 5 / 12 = 8.33, a fraction below half a day stays.
        assert_eq!(yearly(Country::De, &leaving(day(2026, 5, 31)), 2026).statutory, 8.33);
        assert_eq!(yearly(Country::De, &leaving(day(2026, 7, 15)), 2026).statutory, 20.0);
        // Leaving before the waiting period ends: 1 March to 30 April is 2 months, 3.33 days.
        let short = ContractTerms { end: Some(day(2026, 4, 30)), ..terms(day(2026, 3, 1), 40.0, 5) };
        assert_eq!(yearly(Country::De, &short, 2026).statutory, 3.33);
    }

    #[test]
    fn de_contract_extra_days_lapse_with_the_statutory_days() {
        let contract = ContractTerms { extra_days_per_year: 10.0, ..terms(day(2020, 1, 1), 40.0, 5) };
        let ent = yearly(Country::De, &contract, 2026);
        assert_eq!((ent.statutory, ent.extra_statutory), (20.0, 10.0));
        assert_eq!(ent.extra_expires, Some(day(2027, 3, 31)));
    }

    #[test]
    fn be_full_previous_year_on_5_days_gives_20_days_lapsing_at_the_end_of_the_year() {
        let ent = yearly(Country::Be, &terms(day(2020, 1, 1), 38.0, 5), 2026);
        assert_eq!((ent.statutory, ent.unit, ent.statutory_expires), (20.0, Unit::Days, Some(day(2026, 12, 31))));
    }

    #[test]
    fn be_start_in_the_same_year_gives_no_statutory_days_and_mentions_the_european_holiday() {
        let ent = yearly(Country::Be, &terms(day(2026, 2, 1), 38.0, 5), 2026);
        assert_eq!((ent.statutory, ent.statutory_expires), (0.0, None));
        assert!(said(&ent, Locale::En, "European holiday"), "{:?}", ent.explanation);
        assert!(said(&ent, Locale::Nl, "Europese vakantie"), "{:?}", ent.explanation);
    }

    #[test]
    fn be_start_during_the_previous_year_is_pro_rata_by_month_to_the_nearest_half_day() {
        // 1 April to 31 December 2025: 9 months, 20 × 9 / 12 = 15.
        assert_eq!(yearly(Country::Be, &terms(day(2025, 4, 1), 38.0, 5), 2026).statutory, 15.0);
        // 10 February to 9 December 2025: 10 months, 16.67 → 16.5.
        assert_eq!(yearly(Country::Be, &terms(day(2025, 2, 10), 38.0, 5), 2026).statutory, 16.5);
    }

    #[test]
    fn full_months_count_from_the_start_day_and_end_on_the_last_day_of_a_short_month() {
        assert_eq!(full_months(day(2026, 9, 15), day(2026, 12, 31)), 3);
        assert_eq!(period_end(day(2026, 1, 31), 1), Some(day(2026, 2, 28)));
        assert_eq!(full_months(day(2026, 1, 1), day(2026, 12, 31)), 12);
    }

    #[test]
    fn expiring_uses_statutory_leave_first_and_reports_what_lapses_next() {
        let contract = ContractTerms { extra_days_per_year: 5.0, ..terms(day(2020, 1, 1), 40.0, 5) };
        let nl = yearly(Country::Nl, &contract, 2026);
        assert_eq!(expiring(Country::Nl, &nl, 60.0, day(2027, 3, 1)), Some((100.0, day(2027, 7, 1))));
        // On 1 July the statutory hours are gone; the 40 extra hours lapse next.
        assert_eq!(expiring(Country::Nl, &nl, 60.0, day(2027, 7, 1)), Some((40.0, day(2031, 12, 31))));
        // Beyond the statutory 160 h, the extra hours are used.
        assert_eq!(expiring(Country::Nl, &nl, 170.0, day(2027, 3, 1)), Some((30.0, day(2031, 12, 31))));
        assert_eq!(expiring(Country::Nl, &nl, 200.0, day(2027, 3, 1)), None);
        // DE: statutory and extra days lapse together on 31 March, the last day to take them.
        let de = yearly(Country::De, &contract, 2026);
        assert_eq!(expiring(Country::De, &de, 5.0, day(2027, 3, 31)), Some((20.0, day(2027, 3, 31))));
        assert_eq!(expiring(Country::De, &de, 5.0, day(2027, 4, 1)), None);
    }
}
