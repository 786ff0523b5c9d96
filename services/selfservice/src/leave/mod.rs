//! Leave through the assistant: the balance with what expires when, a request proposed with
//! the working days counted and the balance after it, a cancellation, and their outcomes.
//!
//! The working days of a proposal are counted with the people service's own calendar
//! (`hrmesh_people::calendar`: weekends, the contract's working week, the public holidays of the
//! country and German state), so the proposal says what the people service will book; the
//! request itself is the people service's, which checks the balance and overlaps again.

mod cancel;
mod request;

use hrmesh_kit::{locale::Locale, time as clock};
use hrmesh_proto::people::v1 as people_pb;
use time::Date;

pub use cancel::{execute_cancel, propose_cancel};
pub use request::{execute_request, propose_request};

use crate::{
    actions::{self, Trouble},
    dialogue::{Outcome, Turn},
    say::{self, say},
    understand::Understanding,
};

fn parse(iso: &str) -> Option<Date> {
    clock::parse_date("date", iso).ok()
}

/// What a balance bucket is called.
fn bucket_label(locale: Locale, kind: &str) -> &'static str {
    match kind {
        "statutory" => say!(locale, en: "statutory leave", nl: "wettelijk verlof", de: "gesetzlicher Urlaub"),
        "extra_statutory" => say!(locale,
            en: "extra-statutory leave",
            nl: "bovenwettelijk verlof",
            de: "vertraglicher Zusatzurlaub",
        ),
        _ => say!(locale, en: "carried-over leave", nl: "meegenomen verlof", de: "übertragener Urlaub"),
    }
}

/// The balance of the year asked about (this year when none), with a hint for leave that expires.
pub async fn balance(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let year = u.slots.dates.map_or(turn.today.year(), |d| d.start.year());
    let balance = match turn.people.balance(&turn.conv.employee_id, year).await {
        Ok(b) => b,
        Err(status) => return Outcome::say(actions::explain(locale, &Trouble::of(&status))),
    };
    let left = say::amount(locale, balance.remaining, &balance.unit);
    let mut text = say!(locale,
        en: format!("Your leave balance for {year}: {left} left."),
        nl: format!("Je verlofsaldo voor {year}: nog {left}."),
        de: format!("Ihr Urlaubskonto für {year}: noch {left}."),
    );
    for hint in expiring(locale, &balance, turn.today, None) {
        text.push(' ');
        text.push_str(&hint);
    }
    Outcome::resolved(text)
}

/// Hints for leave in `balance` that expires (within `within_days` of `today` when given), so
/// it can still be planned: statutory leave lapses on 1 July (NL) or 31 March (DE) of the next year.
pub fn expiring(
    locale: Locale,
    balance: &people_pb::LeaveBalance,
    today: Date,
    within_days: Option<i64>,
) -> Vec<String> {
    let mut hints = Vec::new();
    for bucket in &balance.buckets {
        let Some(expires) = parse(&bucket.expires) else { continue };
        let soon = within_days.is_none_or(|days| (expires - today).whole_days() <= days);
        if bucket.remaining <= 0.0 || expires < today || !soon {
            continue;
        }
        let (amount, label, when) = (
            say::amount(locale, bucket.remaining, &balance.unit),
            bucket_label(locale, &bucket.kind),
            say::date(locale, expires),
        );
        hints.push(say!(locale,
            en: format!("Mind: {amount} of {label} expires on {when}; plan it before then."),
            nl: format!("Let op: {amount} {label} vervalt op {when}; plan het daarvoor in."),
            de: format!("Achtung: {amount} {label} verfallen am {when}; planen Sie sie vorher ein."),
        ));
    }
    hints
}

/// A leave request's status in words.
fn status_word(locale: Locale, status: &str) -> &'static str {
    match status {
        "approved" => say!(locale, en: "approved", nl: "goedgekeurd", de: "genehmigt"),
        "rejected" => say!(locale, en: "rejected", nl: "afgewezen", de: "abgelehnt"),
        "cancelled" => say!(locale, en: "cancelled", nl: "ingetrokken", de: "storniert"),
        _ => say!(locale, en: "awaiting approval", nl: "wacht op goedkeuring", de: "wartet auf Genehmigung"),
    }
}

/// A request's dates written out, or as they are when unreadable.
fn when(locale: Locale, start: &str, end: &str, today: Date) -> String {
    match (parse(start), parse(end)) {
        (Some(s), Some(e)) => say::range(locale, s, e, today),
        _ => format!("{start}..{end}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, time::Month::try_from(m).expect("month"), day).expect("date")
    }

    #[test]
    fn leave_about_to_lapse_is_pointed_out() {
        let bucket = |kind: &str, remaining: f64, expires: &str| people_pb::LeaveBucket {
            kind: kind.into(),
            remaining,
            expires: expires.into(),
            ..Default::default()
        };
        let balance = people_pb::LeaveBalance {
            unit: "days".into(),
            buckets: vec![
                bucket("statutory", 6.0, "2027-03-31"),
                bucket("extra_statutory", 5.0, ""),
                bucket("carried_over", 0.0, "2027-03-31"),
            ],
            ..Default::default()
        };
        let hints = expiring(Locale::De, &balance, d(2027, 1, 15), Some(92));
        assert_eq!(
            hints,
            ["Achtung: 6 Tage gesetzlicher Urlaub verfallen am 31. März 2027; planen Sie sie vorher ein."]
        );
        assert!(expiring(Locale::De, &balance, d(2026, 12, 3), Some(92)).is_empty(), "not yet");
        assert!(expiring(Locale::De, &balance, d(2027, 4, 1), None).is_empty(), "lapsed already");
    }
}
