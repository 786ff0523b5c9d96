//! What the assistant can do for an employee, proposed first and run only after a yes: each
//! action is a call to the people service with the employee's own token. How a refusal from the
//! people service is explained, and the `ActionTaken` event every run action leaves.

use std::collections::HashMap;

use hrmesh_kit::locale::Locale;
use hrmesh_proto::selfservice::v1 as pb;
use serde::{Deserialize, Serialize};
use tonic::{Code, Status};

use crate::{
    address, certificate,
    dialogue::{Outcome, Turn},
    leave, say, sickness,
};

/// An action awaiting the employee's confirmation, with everything needed to run it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    RequestLeave {
        start: String,
        end: String,
        leave_type: String,
        /// Working days counted, and the amount in the balance's unit.
        days: f64,
        amount: f64,
        unit: String,
        /// The balance before the request (vacation only).
        remaining: Option<f64>,
        idempotency_key: String,
    },
    CancelLeave {
        request_id: String,
        start: String,
        end: String,
    },
    ReportSick {
        first_day: String,
    },
    ReportRecovery {
        recovered_on: String,
    },
    ChangeAddress {
        street: String,
        number: String,
        postcode: String,
        city: String,
        country: String,
        effective_from: String,
    },
    IssueCertificate {
        language: String,
    },
}

impl Action {
    /// The action's name, as `PendingAction.kind` and `ActionTaken.action` give it.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::RequestLeave { .. } => "request_leave",
            Action::CancelLeave { .. } => "cancel_leave",
            Action::ReportSick { .. } => "report_sick",
            Action::ReportRecovery { .. } => "report_recovery",
            Action::ChangeAddress { .. } => "change_address",
            Action::IssueCertificate { .. } => "issue_certificate",
        }
    }

    /// The parameters, for `PendingAction.details`.
    pub fn details(&self) -> HashMap<String, String> {
        let pairs: Vec<(&str, String)> = match self {
            Action::RequestLeave { start, end, leave_type, days, amount, unit, remaining, .. } => {
                let mut v = vec![
                    ("start_date", start.clone()),
                    ("end_date", end.clone()),
                    ("leave_type", leave_type.clone()),
                    ("days", days.to_string()),
                    ("amount", amount.to_string()),
                    ("unit", unit.clone()),
                ];
                if let Some(r) = remaining {
                    v.push(("balance_after", (r - amount).to_string()));
                }
                v
            }
            Action::CancelLeave { request_id, start, end } => {
                vec![("request_id", request_id.clone()), ("start_date", start.clone()), ("end_date", end.clone())]
            }
            Action::ReportSick { first_day } => vec![("first_day", first_day.clone())],
            Action::ReportRecovery { recovered_on } => vec![("recovered_on", recovered_on.clone())],
            Action::ChangeAddress { street, number, postcode, city, country, effective_from } => vec![
                ("street", street.clone()),
                ("house_number", number.clone()),
                ("postcode", postcode.clone()),
                ("city", city.clone()),
                ("country", country.clone()),
                ("effective_from", effective_from.clone()),
            ],
            Action::IssueCertificate { language } => vec![("language", language.clone())],
        };
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

/// Runs a confirmed action through the people service.
pub async fn execute(turn: &Turn<'_>, action: &Action) -> Outcome {
    let mut outcome = match action {
        Action::RequestLeave { .. } => leave::execute_request(turn, action).await,
        Action::CancelLeave { request_id, start, end } => leave::execute_cancel(turn, request_id, start, end).await,
        Action::ReportSick { first_day } => sickness::execute_sick(turn, first_day).await,
        Action::ReportRecovery { recovered_on } => sickness::execute_recovery(turn, recovered_on).await,
        Action::ChangeAddress { .. } => address::execute(turn, action).await,
        Action::IssueCertificate { language } => certificate::execute(turn, language).await,
    };
    if let Some(result) = outcome.result.as_mut() {
        result.kind = action.kind().into();
    }
    outcome.resolved = true;
    outcome
}

/// How the people service answered an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trouble {
    /// It refused by its rules (balance, overlap, not sick, no contract): `reason` is its code
    /// (`hrmesh_people::reasons`), `message` says why.
    Refused { reason: String, message: String },
    /// It found the input invalid (an address): the detail names the fields.
    Invalid(String),
    /// The employee may not do this.
    NotAllowed,
    /// It could not be reached or failed; nothing happened.
    Unavailable,
}

impl Trouble {
    pub fn of(status: &Status) -> Trouble {
        match status.code() {
            Code::FailedPrecondition | Code::NotFound | Code::AlreadyExists => Trouble::Refused {
                reason: hrmesh_kit::error::reason(status).unwrap_or_default(),
                message: status.message().to_owned(),
            },
            Code::InvalidArgument => Trouble::Invalid(status.message().to_owned()),
            Code::PermissionDenied | Code::Unauthenticated => Trouble::NotAllowed,
            _ => {
                tracing::warn!(code = ?status.code(), message = status.message(), "people service call failed");
                Trouble::Unavailable
            }
        }
    }

    /// `refused` or `failed`, as `ActionResult.outcome` reports it.
    pub fn outcome(&self) -> &'static str {
        if *self == Trouble::Unavailable { "failed" } else { "refused" }
    }

    /// The people service's message, in the reader's language when it carries one (its
    /// messages give English, Dutch and German separated by ` / `).
    pub fn detail(&self, locale: Locale) -> String {
        match self {
            Trouble::Refused { message: d, .. } | Trouble::Invalid(d) => localized(d, locale),
            Trouble::NotAllowed | Trouble::Unavailable => String::new(),
        }
    }
}

/// The part of a `en / nl / de` message in `locale`; the message itself otherwise.
pub fn localized(message: &str, locale: Locale) -> String {
    let parts: Vec<&str> = message.split(" / ").collect();
    match parts.as_slice() {
        [_, _, _] => parts[locale.index()].trim().to_owned(),
        _ => message.to_owned(),
    }
}

/// A refusal or failure explained in general terms, for cases without a specific explanation.
pub fn explain(locale: Locale, trouble: &Trouble) -> String {
    match trouble {
        Trouble::Refused { .. } | Trouble::Invalid(_) => {
            let detail = trouble.detail(locale);
            say::say!(locale,
                en: format!("That did not work: the HR records refused it ({detail})."),
                nl: format!("Dat is niet gelukt: de personeelsadministratie weigerde het ({detail})."),
                de: format!("Das hat nicht geklappt: Die Personalverwaltung hat es abgelehnt ({detail})."),
            )
        }
        Trouble::NotAllowed => say::say!(locale,
            en: "I am not allowed to do that on your behalf. Someone from HR can help.".into(),
            nl: "Dat mag ik niet namens jou doen. Iemand van HR kan je helpen.".into(),
            de: "Das darf ich nicht in Ihrem Namen tun. Die Personalabteilung hilft Ihnen weiter.".into(),
        ),
        Trouble::Unavailable => say::unavailable(locale),
    }
}

/// The result of an action the people service refused or could not run.
pub fn refused(trouble: &Trouble, locale: Locale) -> pb::ActionResult {
    pb::ActionResult {
        kind: String::new(),
        outcome: trouble.outcome().into(),
        reference: String::new(),
        detail: trouble.detail(locale),
    }
}

/// The result of an action that was done.
pub fn done(reference: &str) -> pb::ActionResult {
    pb::ActionResult { kind: String::new(), outcome: "done".into(), reference: reference.into(), detail: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_told_in_the_readers_language() {
        let message = "insufficient leave: 40 hours asked, 16.00 hours available on 2027-03-08 / onvoldoende verlofsaldo / nicht genügend Urlaub";
        assert_eq!(localized(message, Locale::Nl), "onvoldoende verlofsaldo");
        assert_eq!(localized(message, Locale::De), "nicht genügend Urlaub");
        assert!(localized(message, Locale::En).starts_with("insufficient leave: 40 hours"));
        assert_eq!(localized("plain message", Locale::Nl), "plain message");
        let refused = Trouble::of(&Status::failed_precondition(message));
        assert_eq!(refused.outcome(), "refused");
        assert_eq!(Trouble::of(&Status::unavailable("down")).outcome(), "failed");
    }

    #[test]
    fn proposals_survive_the_round_trip_through_the_dialogue_state() {
        let action = Action::ChangeAddress {
            street: "Oudegracht".into(),
            number: "12a".into(),
            postcode: "3511AB".into(),
            city: "Utrecht".into(),
            country: "NL".into(),
            effective_from: "2027-01-04".into(),
        };
        let json = serde_json::to_string(&action).expect("json");
        assert!(json.contains("\"kind\":\"change_address\""), "{json}");
        assert_eq!(serde_json::from_str::<Action>(&json).expect("back"), action);
        assert_eq!(action.details()["postcode"], "3511AB");
    }
}
