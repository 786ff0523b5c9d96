//! Every phrase the date parser promises, against a fixed Monday.

use super::*;

/// Monday 2 March 2026.
fn today() -> Date {
    ymd(2026, 3, 2).expect("date")
}

fn range(text: &str, locale: Locale) -> Option<String> {
    parse_dates(text, today(), locale).map(|(r, _)| r.iso())
}

#[track_caller]
fn check(locale: Locale, cases: &[(&str, &str)]) {
    for (text, want) in cases {
        let want = if want.contains("..") { (*want).to_owned() } else { format!("{want}..{want}") };
        assert_eq!(range(text, locale).as_deref(), Some(want.as_str()), "{text:?}");
    }
}

#[test]
fn dutch() {
    check(
        Locale::Nl,
        &[
            ("morgen", "2026-03-03"),
            ("overmorgen vrij", "2026-03-04"),
            ("ben vandaag ziek", "2026-03-02"),
            ("kan ik vrijdag vrij?", "2026-03-06"),
            ("maandag", "2026-03-09"),
            ("volgende week vrijdag", "2026-03-13"),
            ("van 3 t/m 7 maart", "2026-03-03..2026-03-07"),
            ("3-7 maart", "2026-03-03..2026-03-07"),
            ("3 tot en met 7 maart", "2026-03-03..2026-03-07"),
            ("mag ik volgende week ma t/m wo vrij", "2026-03-09..2026-03-11"),
            ("ma t/m wo", "2026-03-09..2026-03-11"),
            ("volgende week", "2026-03-09..2026-03-13"),
            ("de week na volgende week", "2026-03-16..2026-03-20"),
            ("deze week", "2026-03-02..2026-03-06"),
            ("vrijdagmiddag", "2026-03-06"),
            ("vrijdag 13 maart", "2026-03-13"),
            ("van 30 maart tot 3 april", "2026-03-30..2026-04-03"),
            ("op 12/03", "2026-03-12"),
            ("20-03-2026", "2026-03-20"),
            ("vrij in week 13", "2026-03-23..2026-03-27"),
            ("donderdag en vrijdag", "2026-03-05..2026-03-06"),
            ("ziek tot vrijdag", "2026-03-02..2026-03-06"),
            ("sinds gisteren ziek", "2026-03-01..2026-03-02"),
            ("al sinds zaterdag ziek", "2026-02-28..2026-03-02"),
            ("op 1 maart", "2027-03-01"),
            ("14 t/m 18 april", "2026-04-14..2026-04-18"),
            ("kan ik vrijdga vrij nemen", "2026-03-06"),
            ("3 mrt", "2026-03-03"),
            ("12 okt", "2026-10-12"),
            ("3 feb", "2027-02-03"),
            ("za en zo", "2026-03-07..2026-03-08"),
            ("ziek t/m woensdag", "2026-03-02..2026-03-04"),
        ],
    );
}

#[test]
fn german() {
    check(
        Locale::De,
        &[
            ("morgen", "2026-03-03"),
            ("übermorgen", "2026-03-04"),
            ("heute krank", "2026-03-02"),
            ("nächsten Montag bis Mittwoch", "2026-03-09..2026-03-11"),
            ("vom 3. bis 7. März", "2026-03-03..2026-03-07"),
            ("3.–7.3.", "2026-03-03..2026-03-07"),
            ("nächste Woche", "2026-03-09..2026-03-13"),
            ("übernächste Woche", "2026-03-16..2026-03-20"),
            ("Freitag nächste Woche", "2026-03-13"),
            ("Mo-Mi nächste Woche frei", "2026-03-09..2026-03-11"),
            ("am 12.03.", "2026-03-12"),
            ("am 20.03.2026", "2026-03-20"),
            ("vom 30.3. bis 2.4.", "2026-03-30..2026-04-02"),
            ("am freitag den 13. märz", "2026-03-13"),
            ("Urlaub in KW 13", "2026-03-23..2026-03-27"),
            ("bis Freitag krankgeschrieben", "2026-03-02..2026-03-06"),
            ("seit gestern krank", "2026-03-01..2026-03-02"),
            ("ab 1. Juni", "2026-06-01"),
            ("Mittwochvormittag", "2026-03-04"),
            ("Urlaub 14.–18.4.", "2026-04-14..2026-04-18"),
            ("15. Mär", "2026-03-15"),
        ],
    );
}

#[test]
fn english() {
    check(
        Locale::En,
        &[
            ("tomorrow", "2026-03-03"),
            ("the day after tomorrow", "2026-03-04"),
            ("the week after next", "2026-03-16..2026-03-20"),
            ("next Friday", "2026-03-06"),
            ("friday next week", "2026-03-13"),
            ("next week", "2026-03-09..2026-03-13"),
            ("from March 3 to 7", "2026-03-03..2026-03-07"),
            ("3rd to 7th of March", "2026-03-03..2026-03-07"),
            ("on 12/03", "2026-03-12"),
            ("2026-04-10", "2026-04-10"),
            ("tue and wed next week", "2026-03-10..2026-03-11"),
            ("next week mon to wed", "2026-03-09..2026-03-11"),
            ("April 27 to May 1", "2026-04-27..2026-05-01"),
            ("since yesterday", "2026-03-01..2026-03-02"),
            ("until friday", "2026-03-02..2026-03-06"),
            ("friday the 13th of march", "2026-03-13"),
            ("in two weeks", "2026-03-16..2026-03-20"),
            ("March 3, 2027", "2027-03-03"),
        ],
    );
}

#[test]
fn words_that_only_look_like_dates_are_not_dates() {
    for text in [
        "guten Morgen",
        "hoeveel dagen heb ik nog",
        "do we get a 13th month",
        "3 vakantiedagen opnemen in april",
        "Kerkstraat 12, 3511 AB Utrecht",
        "wat is 2+2",
        "mijn loonstrook van december 2025",
        "so what",
        "may I take leave",
        "wo ist meine Abrechnung",
    ] {
        assert_eq!(range(text, Locale::Nl), None, "{text:?}");
        assert_eq!(range(text, Locale::En), None, "{text:?}");
    }
}

#[test]
fn evidence_names_the_words() {
    let (_, words) = parse_dates("ik wil vrij van 3 t/m 7 maart graag", today(), Locale::Nl).expect("range");
    assert_eq!(words, ["3 t/m 7 maart"]);
    let (_, words) = parse_dates("ziek tot vrijdag", today(), Locale::Nl).expect("range");
    assert_eq!(words, ["tot vrijdag"]);
    let (_, words) = parse_dates("ziek t/m vrijdag", today(), Locale::Nl).expect("range");
    assert_eq!(words, ["t/m vrijdag"]);
}
