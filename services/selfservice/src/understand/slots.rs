//! Slots: the details an intent needs (which days, which payslip, the new address, …), each
//! with the words that filled it.
//!
//! Dates come from [`super::dates`], addresses from [`super::address`]; the rest are word lists
//! over folded, typo-corrected tokens. The payslip month (`period`) is read only for payslip
//! intents, the certificate kind only for certificate requests and the address only for
//! address changes (elsewhere a month name, `employer` or a number mean something else).

use std::fmt;

use time::Date;

use super::address::{self, AddressSlot};
use super::cues::{Pat, compile, find_first};
use super::dates::DateRange;
use super::datewords::{self, DAY_PARTS};
use super::intents::Intent;
use super::text::{Kind, Lexicon, Token, span_text};

/// Half a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HalfDay {
    Morning,
    Afternoon,
    /// "a half day" without saying which half.
    Unspecified,
}

/// The kind of leave, when the employee names one (plain "leave"/"verlof"/"frei" names none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveType {
    Vacation,
    Unpaid,
    Parental,
    Care,
    Special,
    TimeInLieu,
}

/// The document a certificate request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateKind {
    /// Proof of employment (werkgeversverklaring, Arbeitgeberbescheinigung).
    Employment,
    /// Proof of income (salarisverklaring, Verdienstbescheinigung).
    Income,
    /// Reference letter (getuigschrift, Arbeitszeugnis).
    Reference,
    /// Annual tax statement (jaaropgaaf, Lohnsteuerbescheinigung, P60).
    AnnualStatement,
}

/// Which slot some evidence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotName {
    Dates,
    HalfDay,
    Days,
    Address,
    CertificateKind,
    Period,
    LeaveType,
}

macro_rules! names {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
names!(HalfDay { Morning => "morning", Afternoon => "afternoon", Unspecified => "unspecified" });
names!(LeaveType {
    Vacation => "vacation", Unpaid => "unpaid", Parental => "parental", Care => "care", Special => "special",
    TimeInLieu => "time_in_lieu",
});
names!(CertificateKind {
    Employment => "employment", Income => "income", Reference => "reference", AnnualStatement => "annual_statement",
});
names!(SlotName {
    Dates => "dates", HalfDay => "half_day", Days => "days", Address => "address",
    CertificateKind => "certificate", Period => "period", LeaveType => "leave_type",
});

/// Everything found in one utterance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slots {
    pub dates: Option<DateRange>,
    pub half_day: Option<HalfDay>,
    /// A number of days (`3 dagen`, `zwei Tage`, `anderhalve dag` = 1.5).
    pub days: Option<f64>,
    pub address: Option<AddressSlot>,
    pub certificate_kind: Option<CertificateKind>,
    /// Payslip month: (year, month 1–12).
    pub period: Option<(i32, u8)>,
    pub leave_type: Option<LeaveType>,
}

impl Slots {
    /// Flat `(name, value)` pairs as the labelled corpus writes them: `dates=2026-03-03..2026-03-07`,
    /// `half_day=morning`, `days=1.5`, `leave_type=time_in_lieu`, `period=2026-02`,
    /// `certificate=income`, `street`, `number`, `postcode` (`1234AB`), `city`.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(d) = self.dates {
            out.push(("dates", d.iso()));
        }
        if let Some(h) = self.half_day {
            out.push(("half_day", h.as_str().to_owned()));
        }
        if let Some(n) = self.days {
            out.push(("days", format!("{n}")));
        }
        if let Some(t) = self.leave_type {
            out.push(("leave_type", t.as_str().to_owned()));
        }
        if let Some((y, m)) = self.period {
            out.push(("period", format!("{y:04}-{m:02}")));
        }
        if let Some(c) = self.certificate_kind {
            out.push(("certificate", c.as_str().to_owned()));
        }
        if let Some(a) = &self.address {
            out.extend(a.pairs());
        }
        out
    }
}

/// Leave types by priority (a specific kind beats the plain vacation words it may contain).
const LEAVE_TYPES: [(LeaveType, &str); 6] = [
    (LeaveType::Special, "bijzonder verlof|buitengewoon verlof|sonderurlaub|special leave|compassionate leave"),
    (LeaveType::Unpaid, "onbetaald verlof|onbetaald|onbetaalde|unbezahlt*|unpaid"),
    (
        LeaveType::Parental,
        "ouderschapsverlof|geboorteverlof|vaderschapsverlof|zwangerschapsverlof|bevallingsverlof|elternzeit\
         |mutterschutz|parental|maternity leave|paternity leave",
    ),
    (
        LeaveType::Care,
        "zorgverlof|calamiteitenverlof|pflegezeit|familienpflegezeit|carer s leave|carers leave|care leave",
    ),
    (
        LeaveType::TimeInLieu,
        "adv|atv|compensatie*|tijd voor tijd|gleittag*|uberstunden ~ abbauen|uberstundenabbau|freizeitausgleich\
         |zeitausgleich|toil|in lieu|comp day|comp days|comp hours|comp time",
    ),
    (
        LeaveType::Vacation,
        "vakantie|vakantiedag|vakantiedagen|vakantieverlof|vakantieuren|*urlaub*|holiday|holidays|vacation\
         |vacations|annual leave",
    ),
];
/// Words that contain a vacation word without being about vacation days.
const NOT_VACATION: [&str; 6] = ["urlaubsgeld", "pay", "allowance", "public", "bank", "urlaubsgeldes"];

const CERTIFICATES: [(CertificateKind, &str); 4] = [
    (
        CertificateKind::AnnualStatement,
        "jaaropgaaf|jaaropgave|lohnsteuerbescheinigung|jahresbescheinigung|annual statement|p 60",
    ),
    (
        CertificateKind::Income,
        "salarisverklaring|inkomensverklaring|loonverklaring|inkomen*|verdienst*|gehaltsbescheinigung|gehaltsnachweis\
         |einkommens*|income|salary certificate",
    ),
    (CertificateKind::Reference, "getuigschrift|referentie*|*zeugnis|reference*|testimonial"),
    (
        CertificateKind::Employment,
        "werkgever*|arbeidsverklaring|in dienst|hier werk|arbeitgeber*|beschaftigung*|arbeitsbescheinigung\
         |hier arbeite|angestellt|employment|employed|employer|work here|werkgevers verklaring",
    ),
];

const HALF_DAYS: [(HalfDay, &str); 3] = [
    (HalfDay::Unspecified, "halve dag|halven dag|halbe tag|halben tag|halber tag|halbtags|half day|half a day"),
    (HalfDay::Morning, "ochtend|ochtends|voormiddag|vormittag|vormittags|morning|morgens"),
    (HalfDay::Afternoon, "middag|middags|namiddag|nachmittag|nachmittags|afternoon|mittag"),
];

const DAY_UNITS: [&str; 18] = [
    "dag",
    "dagen",
    "dagje",
    "dagjes",
    "tag",
    "tage",
    "tagen",
    "day",
    "days",
    "vakantiedag",
    "vakantiedagen",
    "verlofdag",
    "verlofdagen",
    "urlaubstag",
    "urlaubstage",
    "werkdagen",
    "arbeitstage",
    "werkdag",
];
/// Words that may stand between a count and its unit (`3 vrije dagen`, `2 vacation days`).
const BETWEEN: [&str; 9] = ["vrije", "freie", "freien", "free", "extra", "vacation", "holiday", "leave", "verlof"];
const NUMBER_WORDS: [(f64, &str); 11] = [
    (1.0, "een ein eine einen one"),
    (1.5, "anderhalve anderhalf anderthalb"),
    (2.0, "twee zwei two"),
    (3.0, "drie drei three"),
    (4.0, "vier four"),
    (5.0, "vijf funf five"),
    (6.0, "zes sechs six"),
    (7.0, "zeven sieben seven"),
    (8.0, "acht eight"),
    (9.0, "negen neun nine"),
    (10.0, "tien zehn ten"),
];

/// The slot words, for the typo lexicon.
pub fn add_words(lexicon: &mut Lexicon) {
    let tables = LEAVE_TYPES.iter().map(|(_, p)| *p).chain(CERTIFICATES.iter().map(|(_, p)| *p));
    for phrase in tables.chain(HALF_DAYS.iter().map(|(_, p)| *p)) {
        for word in phrase.split(['|', ' ']).filter(|w| !w.contains(['*', '~'])) {
            lexicon.add(word, 1);
        }
    }
    for w in DAY_UNITS.iter().chain(BETWEEN.iter()).copied().chain(NUMBER_WORDS.iter().flat_map(|(_, w)| w.split(' ')))
    {
        lexicon.add(w, 1);
    }
}

/// The first kind in `table` one of whose phrases occurs (`skip` vetoes a match's context).
fn first_kind<T: Copy>(
    table: &[(T, &'static str)],
    tokens: &[Token],
    skip: impl Fn(usize, usize) -> bool,
) -> Option<(T, (usize, usize))> {
    table.iter().find_map(|&(kind, phrases)| {
        phrases.split('|').find_map(|p| {
            let pats: Vec<Pat> = compile(p);
            find_first(&pats, tokens).filter(|&(a, b)| !skip(a, b)).map(|span| (kind, span))
        })
    })
}

/// Fills the slots of an utterance whose intent is `intent` and whose date expression (if any)
/// was already read.
pub fn extract(
    text: &str,
    tokens: &[Token],
    today: Date,
    intent: Intent,
    dates: Option<(DateRange, (usize, usize))>,
) -> (Slots, Vec<(SlotName, String)>) {
    let mut slots = Slots::default();
    let mut evidence = Vec::new();
    let mut note = |name: SlotName, (a, b): (usize, usize)| evidence.push((name, span_text(text, tokens, a, b)));
    let word = |i: usize| tokens.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.norm.as_str());
    if let Some((range, span)) = dates {
        slots.dates = Some(range);
        note(SlotName::Dates, span);
    }
    let not_vacation = |a: usize, b: usize| {
        (a..=b.min(tokens.len())).any(|i| word(i).is_some_and(|w| NOT_VACATION.contains(&w)))
            || a.checked_sub(1).and_then(word).is_some_and(|w| NOT_VACATION.contains(&w))
    };
    if let Some((kind, span)) = first_kind(&LEAVE_TYPES, tokens, not_vacation) {
        slots.leave_type = Some(kind);
        note(SlotName::LeaveType, span);
    }
    let greeting =
        |a: usize, _| a.checked_sub(1).and_then(word).is_some_and(|w| ["good", "goede", "guten"].contains(&w));
    if let Some((half, span)) = first_kind(&HALF_DAYS, tokens, greeting).or_else(|| compound_half_day(tokens)) {
        slots.half_day = Some(half);
        note(SlotName::HalfDay, span);
    }
    if let Some((n, span)) = day_count(tokens) {
        slots.days = Some(n);
        note(SlotName::Days, span);
    }
    if intent == Intent::CertificateRequest
        && let Some((kind, span)) = first_kind(&CERTIFICATES, tokens, |_, _| false)
    {
        slots.certificate_kind = Some(kind);
        note(SlotName::CertificateKind, span);
    }
    if matches!(intent, Intent::PayslipShow | Intent::PayslipExplain)
        && let Some((period, span)) = period(tokens, today)
    {
        slots.period = Some(period);
        note(SlotName::Period, span);
    }
    if intent == Intent::AddressChange
        && let Some((a, span)) = address::find(text, tokens)
    {
        slots.address = Some(a);
        note(SlotName::Address, span);
    }
    (slots, evidence)
}

/// `vrijdagmiddag`, `Mittwochvormittag`, `Freitagmorgen`.
fn compound_half_day(tokens: &[Token]) -> Option<(HalfDay, (usize, usize))> {
    tokens.iter().enumerate().find_map(|(i, t)| {
        datewords::weekday(&t.norm)?;
        let part = DAY_PARTS.iter().find(|p| t.norm.ends_with(*p) && t.norm.len() > p.len())?;
        let half = match *part {
            "ochtend" | "voormiddag" | "vormittag" | "morgen" => HalfDay::Morning,
            "middag" | "namiddag" | "nachmittag" | "mittag" => HalfDay::Afternoon,
            _ => return None,
        };
        Some((half, (i, i + 1)))
    })
}

/// A count followed by a day unit, at most one word apart: `3 dagen`, `zwei freie Tage`.
fn day_count(tokens: &[Token]) -> Option<(f64, (usize, usize))> {
    (0..tokens.len()).find_map(|i| {
        let t = &tokens[i];
        let (n, mut j) = match t.kind {
            Kind::Num if t.norm.len() <= 3 => {
                let whole: f64 = t.norm.parse().ok()?;
                let frac = tokens.get(i + 1).filter(|p| p.is_punct(',') || p.is_punct('.'));
                match (frac, tokens.get(i + 2).and_then(Token::num)) {
                    (Some(_), Some(5)) if !tokens[i + 1].spaced && !tokens[i + 2].spaced => (whole + 0.5, i + 3),
                    _ => (whole, i + 1),
                }
            }
            Kind::Word => (NUMBER_WORDS.iter().find(|(_, w)| w.split(' ').any(|w| w == t.norm))?.0, i + 1),
            Kind::Num | Kind::Punct => return None,
        };
        if tokens.get(j).is_some_and(|t| BETWEEN.contains(&t.norm.as_str())) {
            j += 1;
        }
        let unit = tokens.get(j).filter(|t| DAY_UNITS.contains(&t.norm.as_str()))?;
        (n > 0.0 && n <= 60.0 && unit.kind == Kind::Word).then_some((n, (i, j + 1)))
    })
}

/// A payslip month: a month name (with an optional year) that is not part of a date, or
/// `vorige maand`/`letzten Monat`/`last month`, `deze maand`/`diesen Monat`/`this month`. Without
/// a year, the latest such month that is not in the future.
fn period(tokens: &[Token], today: Date) -> Option<((i32, u8), (usize, usize))> {
    let current = (today.year(), u8::from(today.month()));
    let previous = if current.1 == 1 { (current.0 - 1, 12) } else { (current.0, current.1 - 1) };
    for (i, t) in tokens.iter().enumerate() {
        if t.kind != Kind::Word {
            continue;
        }
        let next = tokens.get(i + 1);
        if next.is_some_and(|n| ["maand", "monat", "month"].contains(&n.norm.as_str())) {
            if ["vorige", "afgelopen", "letzte", "letzten", "letzter", "vorigen", "last", "previous"]
                .contains(&t.norm.as_str())
            {
                return Some((previous, (i, i + 2)));
            }
            if ["deze", "diese", "diesen", "dieser", "this", "current"].contains(&t.norm.as_str()) {
                return Some((current, (i, i + 2)));
            }
        }
        let Some(m) = datewords::month(&t.norm) else { continue };
        let near_day =
            |k: Option<&Token>| k.is_some_and(|k| k.num().is_some_and(|n| (1..=31).contains(&n) && k.norm.len() <= 2));
        if near_day(next) || near_day(i.checked_sub(1).and_then(|p| tokens.get(p))) {
            continue;
        }
        let year = next.filter(|n| n.norm.len() == 4).and_then(Token::num).and_then(|y| i32::try_from(y).ok());
        if year.is_none() && ["may", "mar", "jan"].contains(&t.norm.as_str()) {
            continue; // English words and a name, unless a year follows
        }
        let y = year.unwrap_or(if m > current.1 { current.0 - 1 } else { current.0 });
        return Some(((y, m), (i, if year.is_some() { i + 2 } else { i + 1 })));
    }
    None
}
