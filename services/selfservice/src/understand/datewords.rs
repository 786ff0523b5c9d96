//! The calendar words of Dutch, German and English (folded), and date arithmetic.

use hrmesh_kit::locale::Locale;
use time::{Date, Duration, Month, Weekday};

use super::text::{Kind, Lexicon, Token};

/// Full weekday names (and unambiguous English abbreviations) by weekday, 0 = Monday.
const WEEKDAYS: [&str; 7] = [
    "maandag montag monday",
    "dinsdag dienstag tuesday tues",
    "woensdag mittwoch wednesday",
    "donderdag donnerstag thursday thur thurs",
    "vrijdag freitag friday fri",
    "zaterdag samstag sonnabend saturday",
    "zondag sonntag sunday",
];

/// Abbreviations that are also ordinary words (`do`, `so`, `wed`, `sun`), Monday first: read as
/// weekdays only next to a range word or another weekday (see [`super::dates`]). The Dutch and
/// German ones only when the text is not English; the English ones in any text.
const SHORT_WEEKDAYS: [(Locale, &str); 3] = [
    (Locale::Nl, "ma di wo do vr za zo"),
    (Locale::De, "mo di mi do fr sa so"),
    (Locale::En, "mon tue wed thu fri sat sun"),
];

/// Month names and abbreviations (folded: `märz` → `marz`, `mär` → `mar`), January first.
const MONTHS: [&str; 12] = [
    "jan januari januar january janner",
    "feb febr februari februar february",
    "mrt maart mar marz maerz march",
    "apr april",
    "mei mai may",
    "jun juni june",
    "jul juli july",
    "aug augustus august",
    "sep sept september",
    "okt oktober oct october",
    "nov november",
    "dec dez december dezember",
];

/// Parts of a day a weekday can be compounded with (`vrijdagmiddag`, `Freitagnachmittag`).
pub const DAY_PARTS: [&str; 11] = [
    "ochtend",
    "middag",
    "namiddag",
    "voormiddag",
    "avond",
    "morgen",
    "vormittag",
    "nachmittag",
    "mittag",
    "abend",
    "nacht",
];

/// Other words the date parser reads, for the typo lexicon.
const OTHER_WORDS: &str = "vandaag heute today morgen tomorrow overmorgen ubermorgen gisteren gestern yesterday \
    week woche weken wochen weeks sinds seit since until vanaf through after";

/// Words that make `volgende week`, `nächsten Montag`: the next one.
pub const NEXT: &str = "volgende komende aanstaande nachste nachsten nachster nachstes kommende kommenden next \
    coming upcoming";
/// … this one (`deze week`, `the whole week`).
pub const THIS: &str = "deze dit diese diesen dieser this hele ganze whole all gesamte";
/// … the previous one.
pub const LAST: &str = "vorige afgelopen letzte letzten vergangene last";
pub const WEEK: &str = "week woche weekje wk";
pub const SINCE: &str = "sinds seit since";
pub const UNTIL: &str = "tot bis until till til through";
/// Words that may stand between the parts of a date expression.
pub const FILLERS: &str = "de den der dem the op on am zum zur einschliesslich inclusive";
/// Words after which a short weekday form is read as a weekday.
pub const BEFORE_SHORT: &str = "week woche op am on vanaf ab van vom from tot bis until tm";

/// Whether `word` is one of the space-separated `words`.
pub fn among(words: &str, word: &str) -> bool {
    words.split_ascii_whitespace().any(|w| w == word)
}

/// The weekday a (folded) word names, 0 = Monday: full names, also compounded with a day part.
pub fn weekday(word: &str) -> Option<u8> {
    let day = |names: &str| {
        names
            .split(' ')
            .filter(|w| w.len() > 5)
            .any(|w| word.strip_prefix(w).is_some_and(|rest| DAY_PARTS.contains(&rest)))
    };
    let found =
        WEEKDAYS.iter().position(|names| among(names, word)).or_else(|| WEEKDAYS.iter().position(|n| day(n)))?;
    u8::try_from(found).ok()
}

/// The weekday an ambiguous short form names, if allowed in `locale`.
pub fn short_weekday(word: &str, locale: Locale) -> Option<u8> {
    SHORT_WEEKDAYS
        .iter()
        .filter(|(l, _)| *l == Locale::En || locale != Locale::En)
        .find_map(|(_, names)| names.split(' ').position(|w| w == word))
        .and_then(|d| u8::try_from(d).ok())
}

/// The month (1–12) a folded word names.
pub fn month(word: &str) -> Option<u8> {
    MONTHS.iter().position(|names| among(names, word)).and_then(|m| u8::try_from(m + 1).ok())
}

/// Adds the calendar words to a typo lexicon.
pub fn add_to(lexicon: &mut Lexicon) {
    let lists = WEEKDAYS.iter().chain(MONTHS.iter()).chain(SHORT_WEEKDAYS.iter().map(|(_, w)| w));
    for words in lists.chain([&OTHER_WORDS, &NEXT, &THIS, &LAST]) {
        for w in words.split_ascii_whitespace() {
            lexicon.add(w, 1);
        }
    }
    for w in DAY_PARTS {
        lexicon.add(w, 1);
    }
}

/// An ordinal suffix glued to a number: `3rd`, `1st`, `3e`, `2de`, `1ste`.
pub fn ordinal_suffix(t: &Token) -> bool {
    !t.spaced
        && t.kind == Kind::Word
        && ["st", "nd", "rd", "th", "e", "de", "ste", "te", "ten", "er"].contains(&t.norm.as_str())
}

pub fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(Duration::days(n)).unwrap_or(d)
}

/// The Monday of `d`'s week.
pub fn monday(d: Date) -> Date {
    add_days(d, -i64::from(d.weekday().number_days_from_monday()))
}

fn wd_index(d: Date) -> i64 {
    i64::from(d.weekday().number_days_from_monday())
}

/// The next day after `today` that is weekday `wd` (today itself is excluded).
pub fn next_weekday(today: Date, wd: u8) -> Date {
    let delta = (i64::from(wd) - wd_index(today)).rem_euclid(7);
    add_days(today, if delta == 0 { 7 } else { delta })
}

/// The first day on or after `from` that is weekday `wd`.
pub fn weekday_on_or_after(from: Date, wd: u8) -> Date {
    add_days(from, (i64::from(wd) - wd_index(from)).rem_euclid(7))
}

/// The last day on or before `today` that is weekday `wd`.
pub fn last_weekday(today: Date, wd: u8) -> Date {
    add_days(today, -(wd_index(today) - i64::from(wd)).rem_euclid(7))
}

/// A calendar date, if it exists.
pub fn ymd(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Day `day` of month `month` without a year: the first such date on or after `not_before`
/// (`past`: the last one on or before it).
pub fn resolve_day_month(day: u8, month: u8, not_before: Date, past: bool) -> Option<Date> {
    let y = not_before.year();
    let candidates = if past { [y, y - 1] } else { [y, y + 1] };
    candidates
        .into_iter()
        .filter_map(|y| ymd(y, month, day))
        .find(|&d| if past { d <= not_before } else { d >= not_before })
}

/// The Monday of ISO week `week` of this year, or of next year once this year's has passed.
pub fn iso_week(today: Date, week: u8) -> Option<Date> {
    [today.year(), today.year() + 1]
        .into_iter()
        .filter_map(|y| Date::from_iso_week_date(y, week, Weekday::Monday).ok())
        .find(|&m| add_days(m, 4) >= today)
}

/// `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}
