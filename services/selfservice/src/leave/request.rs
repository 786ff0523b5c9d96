//! A leave request through the assistant: proposed with the working days counted (by the
//! people service's own calendar) and the balance after it, then filed by the people service.

use hrmesh_kit::{locale::Locale, time as clock};
use hrmesh_people::{calendar, country::Country, reasons};
use hrmesh_proto::people::v1 as people_pb;
use time::Date;

use super::when;
use crate::{
    actions::{self, Action, Trouble},
    dialogue::{FollowUp, Outcome, Turn},
    say::{self, say},
    understand::{Intent, LeaveType, Understanding},
};

/// The people service's leave type for what the employee named; `None` for kinds it does not
/// book (parental, care, time in lieu), which HR handles.
fn leave_type(kind: Option<LeaveType>) -> Option<&'static str> {
    match kind {
        None | Some(LeaveType::Vacation) => Some("vacation"),
        Some(LeaveType::Special) => Some("special"),
        Some(LeaveType::Unpaid) => Some("unpaid"),
        Some(LeaveType::Parental | LeaveType::Care | LeaveType::TimeInLieu) => None,
    }
}

/// Working days of the range for the employee, and the holidays that are not counted.
fn count(employee: &people_pb::Employee, start: Date, end: Date) -> (u32, Vec<String>) {
    let country = Country::parse(&employee.work_country).unwrap_or(Country::Nl);
    let region = (country == Country::De && !employee.work_region.is_empty()).then_some(employee.work_region.as_str());
    let days_per_week = employee.contract.as_ref().map_or(5, |c| u8::try_from(c.days_per_week).unwrap_or(5));
    let days = calendar::working_days(country, region, start, end, days_per_week);
    let mut holidays = Vec::new();
    for year in start.year()..=end.year() {
        holidays.extend(
            calendar::holidays(country, region, year)
                .into_iter()
                .filter(|h| h.date >= start && h.date <= end && h.date.weekday() != time::Weekday::Sunday)
                .map(|h| h.name),
        );
    }
    (days, holidays.into_iter().map(str::to_owned).collect())
}

/// Proposes a leave request for the dates given, or asks for them.
pub async fn propose_request(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let Some(dates) = u.slots.dates else {
        let mut outcome = Outcome::say(say!(locale,
            en: "Which days would you like off? For example \"next Friday\" or \"from 8 to 10 March\".".into(),
            nl: "Welke dagen wil je vrij? Bijvoorbeeld \"volgende week vrijdag\" of \"van 8 t/m 10 maart\".".into(),
            de: "An welchen Tagen möchten Sie frei nehmen? Zum Beispiel „nächsten Freitag“ oder „vom 8. bis 10. März“.".into(),
        ));
        outcome.awaiting = Some(Intent::LeaveRequest);
        return outcome;
    };
    let Some(kind) = leave_type(u.slots.leave_type) else {
        return Outcome::hand_over("not_supported");
    };
    let employee_id = &turn.conv.employee_id;
    let employee = match turn.people.employee(employee_id).await {
        Ok(e) => e,
        Err(status) => return Outcome::say(actions::explain(locale, &Trouble::of(&status))),
    };
    let when = say::range(locale, dates.start, dates.end, turn.today);
    let (days, holidays) = count(&employee, dates.start, dates.end);
    if days == 0 {
        return Outcome::say(say!(locale,
            en: format!("There is no working day {when}: weekends and public holidays do not count."),
            nl: format!("Er valt geen werkdag {when}: weekenden en feestdagen tellen niet mee."),
            de: format!("{when} liegt kein Arbeitstag: Wochenenden und Feiertage zählen nicht."),
        ));
    }
    let balance = match turn.people.balance(employee_id, dates.start.year()).await {
        Ok(b) => b,
        Err(status) => return Outcome::say(actions::explain(locale, &Trouble::of(&status))),
    };
    let days = f64::from(days);
    let amount = match (&employee.contract, balance.unit.as_str()) {
        (Some(c), "hours") if c.days_per_week > 0 => {
            (days * c.weekly_hours / f64::from(c.days_per_week) * 100.0).round() / 100.0
        }
        _ => days,
    };
    let vacation = kind == "vacation";
    let action = Action::RequestLeave {
        start: clock::format_date(dates.start),
        end: clock::format_date(dates.end),
        leave_type: kind.into(),
        days,
        amount,
        unit: balance.unit.clone(),
        remaining: vacation.then_some(balance.remaining),
        idempotency_key: uuid::Uuid::now_v7().to_string(),
    };
    let what = leave_words(locale, kind, days, amount, &balance.unit);
    let mut text = say!(locale,
        en: format!("Shall I request {what} {when}?"),
        nl: format!("Zal ik {what} aanvragen {when}?"),
        de: format!("Soll ich {what} {when} beantragen?"),
    );
    if !holidays.is_empty() {
        let list = holidays.join(", ");
        text.push(' ');
        text.push_str(&say!(locale,
            en: format!("Public holidays are not counted ({list})."),
            nl: format!("Feestdagen tellen niet mee ({list})."),
            de: format!("Feiertage zählen nicht mit ({list})."),
        ));
    }
    if vacation {
        let after = balance.remaining - amount;
        let after_text = say::amount(locale, after, &balance.unit);
        text.push(' ');
        text.push_str(&say!(locale,
            en: format!("Your balance will then be {after_text}."),
            nl: format!("Je saldo is daarna {after_text}."),
            de: format!("Ihr Resturlaub beträgt danach {after_text}."),
        ));
        if after < 0.0 {
            let left = say::amount(locale, balance.remaining, &balance.unit);
            text.push(' ');
            text.push_str(&say!(locale,
                en: format!("Mind: you have only {left} left, so the request will probably be refused."),
                nl: format!("Let op: je hebt nog maar {left}, dus de aanvraag wordt waarschijnlijk geweigerd."),
                de: format!("Achtung: Sie haben nur noch {left}, der Antrag wird daher voraussichtlich abgelehnt."),
            ));
        }
    }
    if u.slots.half_day.is_some() {
        text.push(' ');
        text.push_str(say!(locale,
            en: "(Half days I cannot book: this is for whole days; HR can book half a day.)",
            nl: "(Halve dagen kan ik niet boeken: dit is voor hele dagen; HR kan een halve dag boeken.)",
            de: "(Halbe Tage kann ich nicht buchen: Dies gilt für ganze Tage; die Personalabteilung bucht halbe Tage.)",
        ));
    }
    Outcome::propose(text, action)
}

/// `3 dagen verlof`, `3 dagen verlof (24 uur)`, `2 Tage Sonderurlaub`.
fn leave_words(locale: Locale, kind: &str, days: f64, amount: f64, unit: &str) -> String {
    let counted = say::amount(locale, days, "days");
    let noun = match kind {
        "special" => say!(locale, en: "of special leave", nl: "bijzonder verlof", de: "Sonderurlaub"),
        "unpaid" => say!(locale, en: "of unpaid leave", nl: "onbetaald verlof", de: "unbezahlten Urlaub"),
        _ => say!(locale, en: "of leave", nl: "verlof", de: "Urlaub"),
    };
    if unit == "hours" {
        format!("{counted} {noun} ({})", say::amount(locale, amount, unit))
    } else {
        format!("{counted} {noun}")
    }
}

/// Files the confirmed request.
pub async fn execute_request(turn: &Turn<'_>, action: &Action) -> Outcome {
    let Action::RequestLeave { start, end, leave_type, days, amount, unit, remaining, idempotency_key } = action else {
        return Outcome::default();
    };
    let locale = turn.locale;
    let when = when(locale, start, end, turn.today);
    let request = people_pb::RequestLeaveRequest {
        employee_id: turn.conv.employee_id.clone(),
        start_date: start.clone(),
        end_date: end.clone(),
        leave_type: leave_type.clone(),
        note: String::new(),
        idempotency_key: idempotency_key.clone(),
    };
    match turn.people.request_leave(request).await {
        Ok(filed) => {
            let what = leave_words(
                locale,
                leave_type,
                filed.days,
                if unit == "hours" { filed.hours } else { filed.days },
                unit,
            );
            let text = say!(locale,
                en: format!("Done: I have requested {what} {when}. Your manager decides on it; I will let you know here."),
                nl: format!("Gedaan: ik heb {what} aangevraagd {when}. Je leidinggevende beslist erover; ik laat het je hier weten."),
                de: format!("Erledigt: Ich habe {what} {when} beantragt. Ihre Führungskraft entscheidet darüber; ich melde mich hier."),
            );
            let mut outcome = Outcome::resolved(text);
            outcome.result = Some(actions::done(&filed.request_id));
            outcome.follow_up = Some(FollowUp {
                request_id: filed.request_id,
                start: start.clone(),
                end: end.clone(),
                status: filed.status,
            });
            outcome
        }
        Err(status) => {
            let trouble = Trouble::of(&status);
            let text = match &trouble {
                Trouble::Refused { reason, .. } if reason == reasons::INSUFFICIENT_BALANCE => {
                    let needed = say::amount(locale, *amount, unit);
                    let left = say::amount(locale, remaining.unwrap_or(0.0).max(0.0), unit);
                    say!(locale,
                        en: format!("I could not request it: you do not have enough leave. {when} needs {needed} ({days} working days) and you have {left} left. You could ask for fewer days, or unpaid leave."),
                        nl: format!("Dat lukt helaas niet: je hebt niet genoeg verlof. Voor de periode {when} is {needed} nodig ({days} werkdagen) en je hebt nog {left}. Je kunt minder dagen aanvragen, of onbetaald verlof."),
                        de: format!("Das geht leider nicht: Ihr Urlaub reicht nicht aus. Für den Zeitraum {when} sind {needed} nötig ({days} Arbeitstage), Sie haben noch {left}. Sie können weniger Tage oder unbezahlten Urlaub beantragen."),
                    )
                }
                Trouble::Refused { reason, .. } if reason == reasons::LEAVE_OVERLAP => say!(locale,
                    en: format!("I could not request it: you already have leave requested {when}."),
                    nl: format!("Dat lukt niet: je hebt in de periode {when} al verlof aangevraagd."),
                    de: format!("Das geht nicht: Für den Zeitraum {when} haben Sie bereits Urlaub beantragt."),
                ),
                other => actions::explain(locale, other),
            };
            let mut outcome = Outcome::resolved(text);
            outcome.result = Some(actions::refused(&trouble, locale));
            outcome
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leave_the_people_service_books_is_proposed() {
        assert_eq!(leave_type(None), Some("vacation"));
        assert_eq!(leave_type(Some(LeaveType::Unpaid)), Some("unpaid"));
        assert_eq!(leave_type(Some(LeaveType::Parental)), None);
        assert_eq!(leave_words(Locale::Nl, "vacation", 3.0, 24.0, "hours"), "3 dagen verlof (24 uur)");
        assert_eq!(leave_words(Locale::De, "special", 2.0, 2.0, "days"), "2 Tage Sonderurlaub");
    }
}
