//! Dates and date ranges in Dutch, German and English chat messages.
//!
//! Reads the first date expression of a text, relative to `today`:
//! - days: `vandaag`/`heute`/`today`, `morgen`/`tomorrow`, `overmorgen`/`übermorgen`/`the day
//!   after tomorrow`, `gisteren`/`gestern`/`yesterday`;
//! - weekdays (`vrijdag`, `Fr`, `fri`, `vrijdagmiddag`): the next occurrence, today excluded;
//!   `next`/`volgende`/`nächsten`/`this` before a weekday change nothing. `volgende week vrijdag`,
//!   `Freitag nächste Woche`: the weekday in that week. After `sinds`/`seit`/`since` a weekday is
//!   the last occurrence and the range runs to today;
//! - weeks: `deze week`, `volgende week`, `nächste Woche`, `de week na volgende week`,
//!   `übernächste Woche`, `the week after next`, `in two weeks`, `week 13`/`KW 13`: Monday to
//!   Friday of that week;
//! - calendar dates: `3 maart`, `3. März`, `March 3`, `3rd of March`, `12/03`, `12.03.`,
//!   `12.03.2026`, `20-03-2026`, ISO `2026-03-12`. Numeric dates are day first everywhere,
//!   English included (EU users: `12/03` is 12 March). Without a year a date is the next one
//!   not in the past (the last one not in the future after `since`);
//! - ranges: `van 3 t/m 7 maart`, `3-7 maart`, `3 tot en met 7 maart`, `vom 3. bis 7. März`,
//!   `3.–7.3.`, `from March 3 to 7`, `3rd to 7th of March`, `ma t/m wo`, `nächsten Montag bis
//!   Mittwoch`, and joins (`donderdag en vrijdag`: the days between them included). A range word
//!   without a start (`ziek tot vrijdag`, `bis Mittwoch`) starts today.
//!
//! Two-letter weekday abbreviations that are also words (`do`, `so`, `ma`, `wo`) count only next
//! to a range or join word, after `week`/`op`/`am`/`on`/`vanaf`/`ab`, or as part of a range.

use std::sync::OnceLock;

use hrmesh_kit::locale::Locale;
use time::Date;

use super::datewords::{
    self as w, BEFORE_SHORT, FILLERS, LAST, NEXT, SINCE, THIS, UNTIL, WEEK, add_days, among, iso_week, last_weekday,
    monday, next_weekday, resolve_day_month, weekday_on_or_after, ymd,
};
use super::text::{self, Kind, Lexicon, Token, span_text};

/// An inclusive range of days (`start == end` for one day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: Date,
    pub end: Date,
}

impl DateRange {
    /// `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{}..{}", w::iso(self.start), w::iso(self.end))
    }
}

#[derive(Debug, Clone, Copy)]
enum Point {
    Date(Date),
    DayMonth {
        day: u8,
        month: u8,
        year: Option<i32>,
    },
    /// A day number that takes its month from the other end of a range.
    Day(u8),
    Weekday(u8),
    /// Monday of a week.
    Week(Date),
}

/// The first date expression of `text`: the range and the words that said it.
pub fn parse_dates(text: &str, today: Date, locale: Locale) -> Option<(DateRange, Vec<String>)> {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    let lexicon = LEXICON.get_or_init(|| {
        let mut l = Lexicon::default();
        w::add_to(&mut l);
        l.finish();
        l
    });
    let mut tokens = text::tokenize(text);
    lexicon.correct_tokens(&mut tokens);
    let (range, (from, to)) = parse_tokens(&tokens, today, locale)?;
    Some((range, vec![span_text(text, &tokens, from, to)]))
}

/// The first date expression among (already typo-corrected) `tokens` and its token span.
pub fn parse_tokens(tokens: &[Token], today: Date, locale: Locale) -> Option<(DateRange, (usize, usize))> {
    let p = Parser { t: tokens, today, locale };
    (0..tokens.len()).find_map(|i| p.expression(i))
}

struct Parser<'a> {
    t: &'a [Token],
    today: Date,
    locale: Locale,
}

impl Parser<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        self.t.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.norm.as_str())
    }

    fn is(&self, i: usize, word: &str) -> bool {
        self.word(i) == Some(word)
    }

    fn in_list(&self, i: usize, list: &str) -> bool {
        self.word(i).is_some_and(|w| among(list, w))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.t.get(i).is_some_and(|t| t.is_punct(c))
    }

    fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.spaced)
    }

    fn num(&self, i: usize) -> Option<u32> {
        self.t.get(i).and_then(Token::num)
    }

    fn digits(&self, i: usize) -> usize {
        self.t.get(i).map_or(0, |t| t.norm.len())
    }

    fn skip_fillers(&self, mut i: usize) -> usize {
        while self.in_list(i, FILLERS) {
            i += 1;
        }
        i
    }

    /// A range word at `i` (`t/m`, `tot en met`, `bis`, `to`, `-`): the index after it.
    fn range_word(&self, i: usize) -> Option<usize> {
        if self.is(i, "t") && self.punct(i + 1, '/') && self.is(i + 2, "m") {
            return Some(if self.punct(i + 3, '.') { i + 4 } else { i + 3 });
        }
        if self.is(i, "tot") && self.is(i + 1, "en") && self.is(i + 2, "met") {
            return Some(i + 3);
        }
        let single = self.in_list(i, UNTIL) || self.in_list(i, "to tm thru");
        (single || self.punct(i, '-') || self.punct(i, '–') || self.punct(i, '—')).then_some(i + 1)
    }

    fn join_word(&self, i: usize) -> Option<usize> {
        (self.in_list(i, "en und and") || self.punct(i, '&')).then_some(i + 1)
    }

    /// Whether a range word ends right before `i`.
    fn after_range_word(&self, i: usize) -> bool {
        i >= 1
            && (self.punct(i - 1, '-')
                || self.punct(i - 1, '–')
                || (self.is(i - 1, "m") && i >= 2 && self.punct(i - 2, '/'))
                || self.in_list(i - 1, "to en und and met thru"))
    }

    fn weekday(&self, i: usize) -> Option<u8> {
        let word = self.word(i)?;
        if let Some(d) = w::weekday(word) {
            return Some(d);
        }
        let d = w::short_weekday(word, self.locale)?;
        let context = self.range_word(i + 1).is_some()
            || self.join_word(i + 1).is_some()
            || self.after_range_word(i)
            || (i >= 1 && self.in_list(i - 1, BEFORE_SHORT));
        context.then_some(d)
    }

    /// An optional year after a date (`, 2026`).
    fn year_after(&self, mut j: usize) -> (Option<i32>, usize) {
        let k = if self.punct(j, ',') { j + 1 } else { j };
        if self.digits(k) == 4
            && let Some(y) = self.num(k).filter(|y| (1900..=2200).contains(y))
        {
            j = k + 1;
            return (i32::try_from(y).ok(), j);
        }
        (None, j)
    }

    fn point_at(&self, i: usize) -> Option<(Point, usize)> {
        match self.t.get(i)?.kind {
            Kind::Num => self.numeric(i),
            Kind::Word => self.wordy(i),
            Kind::Punct => None,
        }
    }

    fn numeric(&self, i: usize) -> Option<(Point, usize)> {
        let n = self.num(i)?;
        let glued_num = |k: usize| if self.glued(k) { self.num(k) } else { None };
        if self.digits(i) == 4 && self.punct(i + 1, '-') && self.punct(i + 3, '-') {
            let (m, d) = (glued_num(i + 2)?, glued_num(i + 4)?);
            let date = ymd(i32::try_from(n).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)?;
            return Some((Point::Date(date), i + 5));
        }
        if !(1..=31).contains(&n) || self.digits(i) > 2 {
            return None;
        }
        let day = u8::try_from(n).ok()?;
        for sep in ['/', '.', '-'] {
            let Some(m) =
                glued_num(i + 2).filter(|m| self.punct(i + 1, sep) && self.glued(i + 1) && (1..=12).contains(m))
            else {
                continue;
            };
            let (mut j, mut year) = (i + 3, None);
            if self.punct(j, sep) && self.glued(j) {
                j += 1;
                if let Some(y) = glued_num(j).filter(|_| matches!(self.digits(j), 2 | 4)) {
                    year = i32::try_from(if y < 100 { 2000 + y } else { y }).ok();
                    j += 1;
                }
            }
            if sep == '-' && year.is_none() {
                continue; // `3-7 maart` is a range of days, `20-03-2026` a date
            }
            return Some((Point::DayMonth { day, month: u8::try_from(m).ok()?, year }, j));
        }
        let mut j = i + 1;
        if self.t.get(j).is_some_and(w::ordinal_suffix) || (self.punct(j, '.') && self.glued(j)) {
            j += 1;
        }
        let k = if self.in_list(j, "of van") { j + 1 } else { j };
        if let Some(month) = self.word(k).and_then(w::month) {
            let (year, next) = self.year_after(k + 1);
            return Some((Point::DayMonth { day, month, year }, next));
        }
        Some((Point::Day(day), j))
    }

    fn wordy(&self, i: usize) -> Option<(Point, usize)> {
        let word = self.word(i)?;
        let today = self.today;
        if let Some(month) = w::month(word) {
            let d = self.num(i + 1).filter(|d| (1..=31).contains(d) && self.digits(i + 1) <= 2)?;
            let mut j = i + 2;
            if self.t.get(j).is_some_and(w::ordinal_suffix) || (self.punct(j, '.') && self.glued(j)) {
                j += 1;
            }
            let (year, next) = self.year_after(j);
            return Some((Point::DayMonth { day: u8::try_from(d).ok()?, month, year }, next));
        }
        let relative = match word {
            "vandaag" | "heute" | "today" => Some((0, i + 1)),
            "morgen" | "tomorrow" | "tmrw" | "tmr" => {
                let greeting = i >= 1 && self.in_list(i - 1, "guten goede goeie good am jeden");
                (!greeting).then_some((1, i + 1))
            }
            "overmorgen" | "ubermorgen" => Some((2, i + 1)),
            "gisteren" | "gestern" | "yesterday" => Some((-1, i + 1)),
            "day" if self.is(i + 1, "after") && self.is(i + 2, "tomorrow") => Some((2, i + 3)),
            _ => None,
        };
        if let Some((days, next)) = relative {
            return Some((Point::Date(add_days(today, days)), next));
        }
        if let Some(found) = self.week(i) {
            return Some(found);
        }
        let at = if among(NEXT, word) || among(THIS, word) { i + 1 } else { i };
        let wd = self.weekday(at)?;
        let k = self.skip_fillers(at + 1);
        if self.num(k).is_some()
            && let Some(found) = self.numeric(k)
        {
            return Some(found); // `vrijdag 13 maart`: the date says it
        }
        Some((Point::Weekday(wd), at + 1))
    }

    fn week(&self, i: usize) -> Option<(Point, usize)> {
        let word = self.word(i)?;
        let this = monday(self.today);
        let offset = |n: i64| Point::Week(add_days(this, 7 * n));
        if among("week kw wk woche", word)
            && let Some(n) = self.num(i + 1).filter(|n| (1..=53).contains(n))
        {
            return Some((Point::Week(iso_week(self.today, u8::try_from(n).ok()?)?), i + 2));
        }
        if among(WEEK, word) && self.in_list(i + 1, "na nach after") {
            let j = self.skip_fillers(i + 2);
            if self.in_list(j, NEXT) {
                let end = if self.in_list(j + 1, WEEK) { j + 2 } else { j + 1 };
                return Some((offset(2), end));
            }
        }
        if among("ubernachste ubernachsten", word) && self.in_list(i + 1, WEEK) {
            return Some((offset(2), i + 2));
        }
        if among("over in", word)
            && (self.in_list(i + 1, "twee zwei two") || self.num(i + 1) == Some(2))
            && self.in_list(i + 2, "weken wochen weeks")
        {
            return Some((offset(2), i + 3));
        }
        let n = if among(NEXT, word) {
            1
        } else if among(THIS, word) {
            0
        } else if among(LAST, word) {
            -1
        } else {
            return None;
        };
        self.in_list(i + 1, WEEK).then(|| (offset(n), i + 2))
    }

    /// The word before `i` that says how to read the expression starting there.
    /// Also where that word starts (`t/m` and `tot en met` read as `tot`).
    fn lead(&self, i: usize) -> Option<(&str, usize)> {
        let mut k = i.checked_sub(1)?;
        while self.in_list(k, FILLERS) {
            k = k.checked_sub(1)?;
        }
        if self.is(k, "m") && k >= 2 && self.punct(k - 1, '/') && self.is(k - 2, "t") {
            return Some(("tot", k - 2));
        }
        if self.is(k, "met") && k >= 2 && self.is(k - 2, "tot") {
            return Some(("tot", k - 2));
        }
        self.word(k).map(|w| (w, k))
    }

    fn expression(&self, i: usize) -> Option<(DateRange, (usize, usize))> {
        let (mut p1, mut j) = self.point_at(i)?;
        let mut week = None;
        if let Point::Week(m) = p1 {
            match self.point_at(self.skip_fillers(j)) {
                Some((Point::Weekday(a), j2)) => (p1, j, week) = (Point::Weekday(a), j2, Some(m)),
                _ => return Some((DateRange { start: m, end: add_days(m, 4) }, (i, j))),
            }
        }
        let mut second = None;
        if let Some(k) = self.range_word(j).or_else(|| self.join_word(j))
            && let Some((q, j2)) = self.point_at(self.skip_fillers(k))
            && !matches!(q, Point::Week(_))
        {
            (second, j) = (Some(q), j2);
        }
        if week.is_none() && matches!(p1, Point::Weekday(_)) {
            let mut k = self.skip_fillers(j);
            if self.in_list(k, "van in of der") {
                k += 1;
            }
            if let Some((Point::Week(m), j2)) = self.week(k) {
                (week, j) = (Some(m), j2);
            }
        }
        let lead = self.lead(i);
        let since = lead.is_some_and(|(l, _)| among(SINCE, l));
        let until = lead.is_some_and(|(l, _)| among(UNTIL, l));
        let start = match p1 {
            Point::Date(d) => d,
            Point::DayMonth { day, month, year } => self.day_month(day, month, year, self.today, since)?,
            Point::Day(day) => match second {
                Some(Point::DayMonth { month, year, .. }) => self.day_month(day, month, year, self.today, since)?,
                _ => return None,
            },
            Point::Weekday(a) => match week {
                Some(m) => add_days(m, i64::from(a)),
                None if since => last_weekday(self.today, a),
                None => next_weekday(self.today, a),
            },
            Point::Week(_) => return None,
        };
        let end = match second {
            None => start,
            Some(Point::Date(d)) => d,
            Some(Point::DayMonth { day, month, year }) => self.day_month(day, month, year, start, false)?,
            Some(Point::Day(day)) => {
                let same = ymd(start.year(), u8::from(start.month()), day)?;
                if same >= start {
                    same
                } else {
                    resolve_day_month(day, u8::from(start.month()) % 12 + 1, start, false)?
                }
            }
            Some(Point::Weekday(b)) => match week {
                Some(m) if add_days(m, i64::from(b)) >= start => add_days(m, i64::from(b)),
                _ => weekday_on_or_after(start, b),
            },
            Some(Point::Week(_)) => start,
        };
        let range = if since && second.is_none() && start <= self.today {
            DateRange { start, end: self.today }
        } else if until && second.is_none() && start >= self.today {
            DateRange { start: self.today, end: start }
        } else {
            DateRange { start: start.min(end), end: start.max(end) }
        };
        let from = match lead {
            Some((_, k)) if since || until => k,
            _ => i,
        };
        Some((range, (from, j)))
    }

    fn day_month(&self, day: u8, month: u8, year: Option<i32>, not_before: Date, past: bool) -> Option<Date> {
        match year {
            Some(y) => ymd(y, month, day),
            None => resolve_day_month(day, month, if past { self.today } else { not_before }, past),
        }
    }
}

#[cfg(test)]
#[path = "dates_tests.rs"]
mod tests;
