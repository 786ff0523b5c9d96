//! One turn of the conversation: read the message, decide, act or ask, and record it.
//!
//! The rules, in order:
//! 1. A proposed action runs on a yes (`ja`, `yes`, `ja bitte`) and is dropped on a no; any other
//!    message lets the proposal lapse and is read on its own. Nothing runs without a yes.
//! 2. A message that gives the detail the assistant just asked for (dates, an address) continues
//!    that request.
//! 3. Below the confidence threshold the assistant first tries the handbook (a question it
//!    answers needs no clarification), then asks a clarifying question offering the likeliest
//!    readings; the second such message in a row is handed over to HR.
//! 4. Otherwise the intent is served: information is answered at once, actions are proposed.

use std::time::Duration;

use hrmesh_kit::{ApiError, cpu, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time as clock};
use hrmesh_proto::selfservice::v1::{self as pb, ActionTaken};
use time::Date;

use crate::{
    actions::{self, Action},
    address, certificate,
    conversation::{self, Author, Conv, NewMessage, PURPOSE},
    explain, follow_up,
    handbook::{self, Knowledge},
    leave, payslips,
    people::People,
    say::{self, say},
    sickness,
    state::{self, Pending, State},
    tickets,
    understand::{self, Evidence, Intent, Understanding},
};

/// How long reading one message may take.
const UNDERSTAND_DEADLINE: Duration = Duration::from_secs(2);
/// A clarifying question offers only readings at least this likely.
const MIN_OFFER: f64 = 0.15;
/// A detected language replaces the conversation's only for messages of at least this many words.
const LANGUAGE_SWITCH_WORDS: usize = 3;

/// What a turn works with.
pub struct Turn<'a> {
    pub ctx: &'a ServiceContext,
    pub people: &'a People,
    pub conv: &'a Conv,
    /// The language to answer in.
    pub locale: Locale,
    pub today: Date,
}

/// A leave request filed (or cancelled) in the conversation: a pending one is followed up.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub request_id: String,
    pub start: String,
    pub end: String,
    pub status: String,
}

/// What a feature answers, and what is to be recorded with it.
#[derive(Debug, Default)]
pub struct Outcome {
    pub text: String,
    /// An action proposed for confirmation.
    pub pending: Option<Action>,
    pub result: Option<pb::ActionResult>,
    pub citations: Vec<pb::Citation>,
    pub document: Option<pb::IssuedDocument>,
    /// Whether the employee's request was dealt with (for the figures).
    pub resolved: bool,
    /// Hand the conversation over to HR, for this reason.
    pub handover: Option<&'static str>,
    pub follow_up: Option<FollowUp>,
    /// Queue the message as a question the knowledge base did not answer.
    pub unanswered: bool,
    /// The intent whose details were asked for.
    pub awaiting: Option<Intent>,
}

impl Outcome {
    pub fn say(text: String) -> Outcome {
        Outcome { text, ..Outcome::default() }
    }

    pub fn resolved(text: String) -> Outcome {
        Outcome { text, resolved: true, ..Outcome::default() }
    }

    pub fn propose(text: String, action: Action) -> Outcome {
        Outcome { text, pending: Some(action), ..Outcome::default() }
    }

    pub fn hand_over(reason: &'static str) -> Outcome {
        Outcome { handover: Some(reason), ..Outcome::default() }
    }
}

/// Whole messages that mean yes or no even where the classifier hesitates.
const YES: [&str; 12] =
    ["ja", "yes", "ja bitte", "jawohl", "ok", "oke", "okay", "yep", "klopt", "doe maar", "graag", "sure"];
const NO: [&str; 8] = ["nee", "neen", "no", "nein", "niet doen", "lieber nicht", "nope", "stop"];

fn whole(text: &str) -> String {
    hrmesh_kit::locale::fold(text.trim().trim_end_matches(['!', '.', ' ']))
}

fn says_yes(u: &Understanding, text: &str) -> bool {
    (u.intent == Intent::Confirm && u.is_confident()) || YES.contains(&whole(text).as_str())
}

fn says_no(u: &Understanding, text: &str) -> bool {
    (u.intent == Intent::Deny && u.is_confident()) || NO.contains(&whole(text).as_str())
}

/// Whether `u` gives the details `awaiting` asked for, and nothing that reads as another request.
fn continues(awaiting: Intent, u: &Understanding) -> bool {
    let filled = match awaiting {
        Intent::LeaveRequest | Intent::LeaveCancel | Intent::SickReport | Intent::RecoveryReport => {
            u.slots.dates.is_some()
        }
        Intent::AddressChange => u.slots.address.is_some(),
        _ => false,
    };
    filled && (!u.is_confident() || u.intent == awaiting)
}

fn thanks(locale: Locale) -> String {
    say!(locale,
        en: "You're welcome! Anything else I can do for you?".into(),
        nl: "Graag gedaan! Kan ik nog iets voor je doen?".into(),
        de: "Gern geschehen! Kann ich sonst noch etwas für Sie tun?".into(),
    )
}

fn nothing_pending(locale: Locale) -> String {
    say!(locale,
        en: "There is nothing waiting for your confirmation. How can I help you?".into(),
        nl: "Er staat niets klaar om te bevestigen. Waarmee kan ik je helpen?".into(),
        de: "Es wartet nichts auf Ihre Bestätigung. Wobei kann ich Ihnen helfen?".into(),
    )
}

fn declined(locale: Locale) -> String {
    say!(locale,
        en: "All right, I have not done anything. Anything else?".into(),
        nl: "Goed, ik heb niets gedaan. Kan ik je ergens anders mee helpen?".into(),
        de: "In Ordnung, ich habe nichts unternommen. Kann ich sonst helfen?".into(),
    )
}

fn policy(answer: handbook::Answer, locale: Locale) -> Outcome {
    let text = handbook::reply(locale, &answer);
    let answered = answer.answered;
    Outcome { text, citations: answer.citations, resolved: answered, unanswered: !answered, ..Outcome::default() }
}

async fn decide(
    turn: &Turn<'_>,
    kb: &Knowledge,
    u: &Understanding,
    text: &str,
    state: &mut State,
) -> Result<Outcome, ApiError> {
    let locale = turn.locale;
    if let Some(pending) = state.pending.take() {
        if pending.expires_ms > clock::now_ms() && says_yes(u, text) {
            state.failures = 0;
            return Ok(actions::execute(turn, &pending.action).await);
        }
        if says_no(u, text) {
            state.failures = 0;
            return Ok(Outcome::say(declined(locale)));
        }
    }
    let awaiting = state.awaiting();
    state.awaiting = None;
    let intent = match awaiting {
        Some(awaiting) if continues(awaiting, u) => awaiting,
        _ => u.intent,
    };
    if intent == u.intent && !u.is_confident() {
        let answer = kb.ask(turn.ctx, locale, text).await?;
        if answer.answered {
            state.failures = 0;
            return Ok(policy(answer, locale));
        }
        state.failures += 1;
        if state.failures >= 2 {
            state.failures = 0;
            return Ok(Outcome::hand_over("not_understood"));
        }
        let readings = std::iter::once((u.intent, u.confidence)).chain(u.alternatives.iter().copied());
        let offers: Vec<&str> = readings
            .filter(|(_, p)| *p >= MIN_OFFER)
            .filter_map(|(i, _)| say::intent_label(locale, i))
            .take(2)
            .collect();
        return Ok(Outcome::say(say::clarify(locale, &offers)));
    }
    state.failures = 0;
    Ok(match intent {
        Intent::Greeting => Outcome::say(conversation::greeting(locale).into()),
        Intent::Thanks => Outcome::say(thanks(locale)),
        Intent::Confirm | Intent::Deny | Intent::Unknown => Outcome::say(nothing_pending(locale)),
        Intent::Handover => Outcome::hand_over("asked_for_person"),
        Intent::LeaveBalance => leave::balance(turn, u).await,
        Intent::LeaveRequest => leave::propose_request(turn, u).await,
        Intent::LeaveCancel => leave::propose_cancel(turn, u).await,
        Intent::SickReport => sickness::propose_sick(turn, u),
        Intent::RecoveryReport => sickness::propose_recovery(turn, u),
        Intent::PayslipShow => payslips::show(turn, u).await,
        Intent::PayslipExplain => payslips::explain(turn, u).await,
        Intent::AddressChange => address::propose(turn, u),
        Intent::CertificateRequest => certificate::propose(turn, u),
        Intent::PolicyQuestion => policy(kb.ask(turn.ctx, locale, text).await?, locale),
    })
}

/// The language to answer `text` in: the one read from it when the evidence is clear, the
/// conversation's otherwise. Clear means one more stop word of the conversation's language would
/// not tip the detector back (`Mijn adres is …` shares `is` with English and stays Dutch).
fn reply_locale(u: &Understanding, text: &str, default: Locale) -> Locale {
    let detected = u.evidence.iter().any(|e| matches!(e, Evidence::Locale { detected: true, .. }));
    if !detected || u.locale == default {
        return default;
    }
    let own_word = say!(default, en: "the", nl: "het", de: "und");
    if Locale::detect(&format!("{text} {own_word}")) == u.locale { u.locale } else { default }
}

/// What a turn leaves to record.
struct Recorded<'a> {
    u: &'a Understanding,
    text: &'a str,
    outcome: &'a Outcome,
    new_ticket: Option<(String, &'static str)>,
    locale: Locale,
    /// Whether the conversation continues in `locale` from now on.
    switch: bool,
    now: i64,
}

/// Records the turn in one transaction: both messages, the conversation's progress (for the
/// figures), a ticket, a request to follow up, a question for HR and `ActionTaken`.
async fn record(ctx: &ServiceContext, conv: &Conv, r: Recorded<'_>) -> Result<(), ApiError> {
    let mut tx = ctx.db.begin().await?;
    let asked =
        NewMessage { author: Author::Employee, text: r.text, intent: r.u.intent.as_str(), confidence: r.u.confidence };
    conversation::append(ctx, &mut tx, conv, &asked).await?;
    let answer = NewMessage { author: Author::Assistant, text: &r.outcome.text, intent: "", confidence: 0.0 };
    let (seq, _) = conversation::append(ctx, &mut tx, conv, &answer).await?;
    sqlx::query("UPDATE conversations SET first_message_at = $2 WHERE id = $1 AND first_message_at IS NULL")
        .bind(&conv.id)
        .bind(r.now)
        .execute(&mut *tx)
        .await?;
    if r.outcome.resolved {
        sqlx::query(
            "UPDATE conversations SET resolved_at = COALESCE(resolved_at, $2),
             status = CASE WHEN status = 'handed_over' THEN status ELSE 'resolved' END WHERE id = $1",
        )
        .bind(&conv.id)
        .bind(r.now)
        .execute(&mut *tx)
        .await?;
    }
    if r.switch {
        sqlx::query("UPDATE conversations SET language = $2 WHERE id = $1")
            .bind(&conv.id)
            .bind(r.locale.code())
            .execute(&mut *tx)
            .await?;
    }
    if let Some((id, reason)) = &r.new_ticket {
        tickets::open(ctx, &mut tx, conv, id, reason).await?;
    }
    if let Some(f) = &r.outcome.follow_up {
        follow_up::watch(&mut tx, conv, &f.request_id, &f.start, &f.end, &f.status).await?;
    }
    if r.outcome.unanswered {
        handbook::queue(ctx, &mut tx, conv, r.locale, r.text).await?;
    }
    if let Some(result) = &r.outcome.result {
        let event = ActionTaken {
            conversation_id: conv.id.clone(),
            action: result.kind.clone(),
            outcome: result.outcome.clone(),
            reference: result.reference.clone(),
        };
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&conv.employee_id, PURPOSE, &event))
            .await?;
    }
    conversation::mark_seen(&mut tx, conv, seq).await?;
    ctx.commit(tx).await?;
    Ok(())
}

/// Answers the employee's message in `conv` and records both.
pub async fn respond(
    ctx: &ServiceContext,
    kb: &Knowledge,
    people: &People,
    conv: Conv,
    text: String,
) -> Result<pb::Reply, ApiError> {
    let today = clock::today();
    follow_up::refresh(ctx, people, &conv, today).await?;
    let mut conn = ctx.db.pool().acquire().await?;
    let updates = conversation::unseen(ctx, &mut conn, &conv).await?;
    drop(conn);
    let default = conv.locale();
    let message = text.clone();
    let u = cpu::run("message understanding", UNDERSTAND_DEADLINE, move || {
        understand::understand(&message, today, default)
    })
    .await?;
    let locale = reply_locale(&u, &text, default);
    let switch = locale != default && text.split_whitespace().count() >= LANGUAGE_SWITCH_WORDS;
    let mut state = state::load(ctx, &conv).await;
    let turn = Turn { ctx, people, conv: &conv, locale, today };
    let mut outcome = decide(&turn, kb, &u, &text, &mut state).await?;

    let mut conn = ctx.db.pool().acquire().await?;
    let open_ticket = tickets::open_for(&mut conn, &conv.id).await?;
    drop(conn);
    let mut new_ticket = None;
    let ticket_id = match (outcome.handover, open_ticket) {
        (Some(_), Some(open)) => {
            outcome.text = tickets::already_open(locale, &open);
            Some(open)
        }
        (Some(reason), None) => {
            let id = uuid::Uuid::now_v7().to_string();
            outcome.text = tickets::handed_over(locale, reason, &id);
            new_ticket = Some((id.clone(), reason));
            Some(id)
        }
        (None, _) => None,
    };
    let now = clock::now_ms();
    let pending = outcome.pending.take().map(|action| {
        let expires_ms = now + i64::try_from(state::TTL.as_millis()).unwrap_or(i64::MAX);
        let shown = pb::PendingAction {
            kind: action.kind().into(),
            summary: outcome.text.clone(),
            details: action.details(),
            expires_at: Some(clock::timestamp(expires_ms)),
        };
        state.pending = Some(Pending { action, expires_ms });
        shown
    });
    state.awaiting = outcome.awaiting.map(|i| i.as_str().to_owned());

    let turn = Recorded { u: &u, text: &text, outcome: &outcome, new_ticket, locale, switch, now };
    record(ctx, &conv, turn).await?;
    if let Err(e) = state::save(ctx, &conv, &state).await {
        tracing::warn!(error = %e, "could not keep the dialogue state");
    }
    Ok(pb::Reply {
        conversation_id: conv.id.clone(),
        text: outcome.text,
        intent: u.intent.as_str().into(),
        confidence: u.confidence,
        explanation: Some(explain::explanation(&u)),
        pending_action: pending,
        action_result: outcome.result,
        handover_ticket_id: ticket_id.unwrap_or_default(),
        citations: outcome.citations,
        language: locale.code().into(),
        updates,
        document: outcome.document,
        done: true,
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conversation_language_holds_unless_the_message_clearly_is_another() {
        let today = Date::from_calendar_date(2026, time::Month::December, 3).expect("date");
        let locale =
            |text: &str, default: Locale| reply_locale(&understand::understand(text, today, default), text, default);
        assert_eq!(locale("Mijn nieuwe adres is Oudegracht 12a, 3511 AB Utrecht", Locale::Nl), Locale::Nl);
        assert_eq!(locale("ja", Locale::De), Locale::De);
        assert_eq!(locale("I'd like to take leave from 6 to 10 December, is that possible?", Locale::Nl), Locale::En);
        assert_eq!(locale("Ich bin krank und kann heute nicht arbeiten", Locale::En), Locale::De);
    }

    #[test]
    fn yes_and_no_are_understood_in_each_language() {
        let today = Date::from_calendar_date(2026, time::Month::December, 3).expect("date");
        for yes in ["ja", "yes", "ja bitte", "Ja!", "doe maar"] {
            let u = understand::understand(yes, today, Locale::Nl);
            assert!(says_yes(&u, yes), "{yes}: {u:?}");
        }
        for no in ["nee", "nein", "no"] {
            let u = understand::understand(no, today, Locale::Nl);
            assert!(says_no(&u, no) && !says_yes(&u, no), "{no}");
        }
    }
}
