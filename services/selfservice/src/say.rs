//! How the assistant writes dates, amounts and money in Dutch, German and English, and the
//! sentences every feature shares. Dutch addresses the employee as `je`, German as `Sie`.

use hrmesh_kit::locale::Locale;
use time::Date;

use crate::understand::Intent;

pub(crate) use hrmesh_kit::say;

const MONTHS: [[&str; 12]; 3] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
];
const WEEKDAYS: [[&str; 7]; 3] = [
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    ["ma", "di", "wo", "do", "vr", "za", "zo"],
    ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."],
];

fn month_name(locale: Locale, month: u8) -> &'static str {
    MONTHS[locale.index()][usize::from(month.clamp(1, 12) - 1)]
}

/// A day as people write it in chat: `ma 8 maart`, `Mo., 8. März`, `Mon 8 March`; the year is
/// added when it is not this year.
pub fn day(locale: Locale, date: Date, today: Date) -> String {
    let weekday = WEEKDAYS[locale.index()][usize::from(date.weekday().number_days_from_monday())];
    let month = month_name(locale, u8::from(date.month()));
    let year = if date.year() == today.year() { String::new() } else { format!(" {}", date.year()) };
    say!(locale,
        en: format!("{weekday} {} {month}{year}", date.day()),
        nl: format!("{weekday} {} {month}{year}", date.day()),
        de: format!("{weekday}, {}. {month}{year}", date.day()),
    )
}

/// A date without the weekday: `1 juli 2027`, `1. Juli 2027`, `1 July 2027`.
pub fn date(locale: Locale, date: Date) -> String {
    let month = month_name(locale, u8::from(date.month()));
    say!(locale,
        en: format!("{} {month} {}", date.day(), date.year()),
        nl: format!("{} {month} {}", date.day(), date.year()),
        de: format!("{}. {month} {}", date.day(), date.year()),
    )
}

/// An ISO date (`YYYY-MM-DD`) written out; unreadable text is shown as it is.
pub fn iso_date(locale: Locale, iso: &str) -> String {
    hrmesh_kit::time::parse_date("date", iso).map_or_else(|_| iso.to_owned(), |d| date(locale, d))
}

/// A range of days: `van ma 8 maart t/m wo 10 maart`, or one day on its own.
pub fn range(locale: Locale, start: Date, end: Date, today: Date) -> String {
    let (a, b) = (day(locale, start, today), day(locale, end, today));
    if start == end {
        return say!(locale, en: format!("on {a}"), nl: format!("op {a}"), de: format!("am {a}"));
    }
    say!(locale,
        en: format!("from {a} to {b}"),
        nl: format!("van {a} t/m {b}"),
        de: format!("von {a} bis {b}"),
    )
}

/// A month: `maart 2027`.
pub fn month(locale: Locale, year: i32, month: u8) -> String {
    format!("{} {year}", month_name(locale, month))
}

/// A `YYYY-MM` period written out.
pub fn period(locale: Locale, period: &str) -> String {
    let mut parts = period.split('-');
    match (parts.next().and_then(|y| y.parse().ok()), parts.next().and_then(|m| m.parse().ok())) {
        (Some(y), Some(m)) if (1..=12).contains(&m) => month(locale, y, m),
        _ => period.to_owned(),
    }
}

/// A number with at most two decimals and the language's decimal separator.
pub fn number(locale: Locale, value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.2}") };
    let text = if text.contains('.') { text.trim_end_matches('0').to_owned() } else { text };
    if locale == Locale::En { text } else { text.replace('.', ",") }
}

/// Leave in the balance's unit (`hours` or `days`): `24 uur`, `3 Tage`, `1 day`.
pub fn amount(locale: Locale, value: f64, unit: &str) -> String {
    let n = number(locale, value);
    let one = (value - 1.0).abs() < 1e-9;
    if unit == "hours" {
        return say!(locale,
            en: format!("{n} {}", if one { "hour" } else { "hours" }),
            nl: format!("{n} uur"),
            de: format!("{n} {}", if one { "Stunde" } else { "Stunden" }),
        );
    }
    say!(locale,
        en: format!("{n} {}", if one { "day" } else { "days" }),
        nl: format!("{n} {}", if one { "dag" } else { "dagen" }),
        de: format!("{n} {}", if one { "Tag" } else { "Tage" }),
    )
}

/// Cents as money: `€ 3.500,00`, `3.500,00 €`, `€3,500.00`.
pub fn money(locale: Locale, cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let (whole, rest) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(if locale == Locale::En { ',' } else { '.' });
        }
        grouped.push(c);
    }
    say!(locale,
        en: format!("{sign}€{grouped}.{rest:02}"),
        nl: format!("{sign}€ {grouped},{rest:02}"),
        de: format!("{sign}{grouped},{rest:02} €"),
    )
}

/// What an intent is about, as the clarifying question offers it.
pub fn intent_label(locale: Locale, intent: Intent) -> Option<&'static str> {
    let [en, nl, de] = match intent {
        Intent::LeaveBalance => ["your leave balance", "je verlofsaldo", "Ihr Urlaubskonto"],
        Intent::LeaveRequest => ["requesting leave", "verlof aanvragen", "Urlaub beantragen"],
        Intent::LeaveCancel => ["cancelling leave", "verlof intrekken", "Urlaub stornieren"],
        Intent::SickReport => ["reporting sick", "je ziek melden", "sich krankmelden"],
        Intent::RecoveryReport => ["reporting back to work", "je beter melden", "sich gesund melden"],
        Intent::PayslipShow => ["your payslip", "je loonstrook", "Ihre Gehaltsabrechnung"],
        Intent::PayslipExplain => {
            ["an explanation of your payslip", "uitleg bij je loonstrook", "eine Erklärung Ihrer Gehaltsabrechnung"]
        }
        Intent::AddressChange => ["changing your address", "een adreswijziging", "eine Adressänderung"],
        Intent::CertificateRequest => {
            ["an employment certificate", "een werkgeversverklaring", "eine Arbeitgeberbescheinigung"]
        }
        Intent::PolicyQuestion => {
            ["a question about the company rules", "een vraag over de regels", "eine Frage zu den Regelungen"]
        }
        Intent::Handover => {
            ["talking to someone from HR", "iemand van HR spreken", "mit der Personalabteilung sprechen"]
        }
        Intent::Greeting | Intent::Thanks | Intent::Confirm | Intent::Deny | Intent::Unknown => return None,
    };
    Some(say!(locale, en: en, nl: nl, de: de))
}

/// Asks again, offering the likeliest readings.
pub fn clarify(locale: Locale, offers: &[&str]) -> String {
    match offers {
        [a, b, ..] => say!(locale,
            en: format!("I am not sure I understand. Do you mean {a} or {b}? You can also say it in other words."),
            nl: format!("Dat begrijp ik niet helemaal. Bedoel je {a} of {b}? Je mag het ook anders zeggen."),
            de: format!("Das habe ich nicht ganz verstanden. Meinen Sie {a} oder {b}? Sie können es auch anders formulieren."),
        ),
        [a] => say!(locale,
            en: format!("I am not sure I understand. Do you mean {a}?"),
            nl: format!("Dat begrijp ik niet helemaal. Bedoel je {a}?"),
            de: format!("Das habe ich nicht ganz verstanden. Meinen Sie {a}?"),
        ),
        [] => say!(locale,
            en: "I am not sure I understand. Could you say it in other words? I can help with leave, sickness, payslips, your address, certificates and questions about the handbook.".into(),
            nl: "Dat begrijp ik niet helemaal. Kun je het anders zeggen? Ik help je met verlof, ziekmelden, loonstroken, je adres, verklaringen en vragen over het personeelshandboek.".into(),
            de: "Das habe ich nicht ganz verstanden. Können Sie es anders formulieren? Ich helfe bei Urlaub, Krankmeldung, Gehaltsabrechnungen, Ihrer Adresse, Bescheinigungen und Fragen zum Handbuch.".into(),
        ),
    }
}

/// The people service could not be reached or failed: nothing was done.
pub fn unavailable(locale: Locale) -> String {
    say!(locale,
        en: "I cannot reach the HR records right now, so nothing was done. Please try again in a few minutes.".into(),
        nl: "Ik kan de personeelsadministratie nu niet bereiken, dus er is niets gebeurd. Probeer het over een paar minuten opnieuw.".into(),
        de: "Ich erreiche die Personalverwaltung gerade nicht, es wurde also nichts erledigt. Bitte versuchen Sie es in ein paar Minuten erneut.".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, time::Month::try_from(m).expect("month"), day).expect("date")
    }

    #[test]
    fn days_and_ranges_read_naturally_in_each_language() {
        let today = d(2027, 1, 4);
        assert_eq!(range(Locale::Nl, d(2027, 3, 8), d(2027, 3, 10), today), "van ma 8 maart t/m wo 10 maart");
        assert_eq!(range(Locale::De, d(2027, 3, 8), d(2027, 3, 8), today), "am Mo., 8. März");
        assert_eq!(day(Locale::En, d(2028, 3, 8), today), "Wed 8 March 2028");
    }

    #[test]
    fn amounts_and_money_use_the_local_separators() {
        assert_eq!(amount(Locale::Nl, 136.0, "hours"), "136 uur");
        assert_eq!(amount(Locale::De, 1.0, "days"), "1 Tag");
        assert_eq!(amount(Locale::En, 7.5, "days"), "7.5 days");
        assert_eq!(amount(Locale::Nl, 7.5, "days"), "7,5 dagen");
        assert_eq!(money(Locale::Nl, 350_000), "€ 3.500,00");
        assert_eq!(money(Locale::De, 272_240), "2.722,40 €");
        assert_eq!(money(Locale::En, -4_260), "-€42.60");
    }
}
