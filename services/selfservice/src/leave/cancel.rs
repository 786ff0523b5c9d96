//! Cancelling leave through the assistant: the request that has not started yet is found
//! (asking which when there are several), proposed and cancelled by the people service.

use hrmesh_kit::time as clock;
use hrmesh_proto::people::v1 as people_pb;
use time::{Date, Duration};

use super::{parse, status_word, when};
use crate::{
    actions::{self, Action, Trouble},
    dialogue::{FollowUp, Outcome, Turn},
    say::{self, say},
    understand::{Intent, Understanding},
};

/// Proposes cancelling a request that has not started (the one on the dates given, or the
/// only one), or asks which.
pub async fn propose_cancel(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let from = clock::format_date(turn.today);
    let to = clock::format_date(turn.today.saturating_add(Duration::days(365)));
    let requests = match turn.people.list_leave(&turn.conv.employee_id, &from, &to).await {
        Ok(r) => r,
        Err(status) => return Outcome::say(actions::explain(locale, &Trouble::of(&status))),
    };
    let open: Vec<(Date, Date, &people_pb::LeaveRequest)> = requests
        .iter()
        .filter(|r| r.status == "pending" || r.status == "approved")
        .filter_map(|r| Some((parse(&r.start_date)?, parse(&r.end_date)?, r)))
        .filter(|(s, _, _)| *s > turn.today)
        .filter(|(s, e, _)| u.slots.dates.is_none_or(|d| *s <= d.end && *e >= d.start))
        .collect();
    match open.as_slice() {
        [] => Outcome::say(say!(locale,
            en: "I see no leave that you can still cancel.".into(),
            nl: "Ik zie geen verlof dat je nog kunt intrekken.".into(),
            de: "Ich sehe keinen Urlaub, den Sie noch stornieren können.".into(),
        )),
        [(s, e, r)] => {
            let when = say::range(locale, *s, *e, turn.today);
            let status = status_word(locale, &r.status);
            let text = say!(locale,
                en: format!("Shall I cancel your leave {when} ({status})?"),
                nl: format!("Zal ik je verlof {when} ({status}) intrekken?"),
                de: format!("Soll ich Ihren Urlaub {when} ({status}) stornieren?"),
            );
            let action = Action::CancelLeave {
                request_id: r.request_id.clone(),
                start: r.start_date.clone(),
                end: r.end_date.clone(),
            };
            Outcome::propose(text, action)
        }
        several => {
            let list: Vec<String> = several
                .iter()
                .map(|(s, e, r)| {
                    format!("{} ({})", say::range(locale, *s, *e, turn.today), status_word(locale, &r.status))
                })
                .collect();
            let list = list.join("; ");
            let mut outcome = Outcome::say(say!(locale,
                en: format!("Which leave shall I cancel? {list}. Tell me its date."),
                nl: format!("Welk verlof wil je intrekken? {list}. Noem de datum."),
                de: format!("Welchen Urlaub soll ich stornieren? {list}. Nennen Sie das Datum."),
            ));
            outcome.awaiting = Some(Intent::LeaveCancel);
            outcome
        }
    }
}

/// Cancels the confirmed request.
pub async fn execute_cancel(turn: &Turn<'_>, request_id: &str, start: &str, end: &str) -> Outcome {
    let locale = turn.locale;
    let when = when(locale, start, end, turn.today);
    match turn.people.cancel_leave(request_id).await {
        Ok(cancelled) => {
            let mut outcome = Outcome::resolved(say!(locale,
                en: format!("Done: your leave {when} is cancelled and back in your balance."),
                nl: format!("Gedaan: je verlof {when} is ingetrokken en weer bijgeschreven op je saldo."),
                de: format!("Erledigt: Ihr Urlaub {when} ist storniert und wieder Ihrem Konto gutgeschrieben."),
            ));
            outcome.result = Some(actions::done(&cancelled.request_id));
            outcome.follow_up = Some(FollowUp {
                request_id: cancelled.request_id,
                start: start.to_owned(),
                end: end.to_owned(),
                status: cancelled.status,
            });
            outcome
        }
        Err(status) => {
            let trouble = Trouble::of(&status);
            let mut outcome = Outcome::resolved(actions::explain(locale, &trouble));
            outcome.result = Some(actions::refused(&trouble, locale));
            outcome
        }
    }
}
