//! Reporting sick and back through the assistant, and what happens next in the employee's work
//! country, read from the statutory tasks the people service attaches to the sickness spell:
//! DE continued pay until day 42 and the eAU from the contract's day N, NL the company doctor
//! and the Poortwachter steps, BE guaranteed salary and the mutuality.

use hrmesh_kit::{locale::Locale, time as clock};
use hrmesh_people::reasons;
use hrmesh_proto::people::v1 as people_pb;
use time::Date;

use crate::{
    actions::{self, Action, Trouble},
    dialogue::{Outcome, Turn},
    say::{self, say},
    understand::Understanding,
};

fn parse(iso: &str) -> Option<Date> {
    clock::parse_date("date", iso).ok()
}

/// Proposes a sick report from the day named (today when none).
pub fn propose_sick(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let first = u.slots.dates.map_or(turn.today, |d| d.start);
    let day = say::day(locale, first, turn.today);
    let text = say!(locale,
        en: format!("Sorry to hear that. Shall I report you sick from {day}?"),
        nl: format!("Vervelend dat je ziek bent. Zal ik je ziek melden vanaf {day}?"),
        de: format!("Das tut mir leid. Soll ich Sie ab {day} krankmelden?"),
    );
    Outcome::propose(text, Action::ReportSick { first_day: clock::format_date(first) })
}

/// Proposes a recovery report with the first day back (today when none is named).
pub fn propose_recovery(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let back = u.slots.dates.map_or(turn.today, |d| d.start);
    let day = say::day(locale, back, turn.today);
    let text = say!(locale,
        en: format!("Good to hear! Shall I report you fit for work, with {day} as your first day back?"),
        nl: format!("Fijn om te horen! Zal ik je beter melden, met {day} als eerste werkdag?"),
        de: format!("Schön zu hören! Soll ich Sie gesundmelden, mit {day} als erstem Arbeitstag?"),
    );
    Outcome::propose(text, Action::ReportRecovery { recovered_on: clock::format_date(back) })
}

fn due(spell: &people_pb::SickSpell, kind: &str) -> Option<Date> {
    spell.tasks.iter().find(|t| t.kind == kind).and_then(|t| parse(&t.due))
}

/// What happens next after a sick report, for the spell's country (told by its tasks).
pub fn next_steps(locale: Locale, spell: &people_pb::SickSpell, today: Date) -> String {
    let first = parse(&spell.first_day).unwrap_or(today);
    let d = |date: Date| say::day(locale, date, today);
    let mut parts = Vec::new();
    if let Some(eau) = due(spell, "eau_retrieval") {
        // DE (EntgFG §§3, 5).
        let n = (eau - first).whole_days() + 1;
        if let Some(pay) = due(spell, "continued_pay_ends") {
            parts.push(say!(locale,
                en: format!("Your pay continues until {} (Entgeltfortzahlung, six weeks under EntgFG §3).", d(pay)),
                nl: format!("Je loon wordt doorbetaald tot en met {} (Entgeltfortzahlung, zes weken volgens EntgFG §3).", d(pay)),
                de: format!("Ihr Entgelt wird bis zum {} fortgezahlt (Entgeltfortzahlung, sechs Wochen nach EntgFG §3).", d(pay)),
            ));
        }
        parts.push(say!(locale,
            en: format!("From day {n} of your illness ({}) a medical certificate is needed: see your doctor, who sends the eAU to your health insurer; we retrieve it there.", d(eau)),
            nl: format!("Vanaf dag {n} van je ziekte ({}) is een doktersverklaring nodig: ga naar je arts, die de eAU naar je zorgverzekeraar stuurt; wij halen hem daar op.", d(eau)),
            de: format!("Ab dem {n}. Krankheitstag ({}) brauchen wir eine Arbeitsunfähigkeitsbescheinigung: Lassen Sie sich ärztlich krankschreiben; die Praxis übermittelt die eAU an Ihre Krankenkasse, wir rufen sie dort ab.", d(eau)),
        ));
    } else if let Some(analysis) = due(spell, "problem_analysis") {
        // NL (Wet verbetering poortwachter).
        parts.push(say!(locale,
            en: "Your manager knows and will keep in touch with you. If it takes longer, the company doctor will contact you.".into(),
            nl: "Je leidinggevende weet het en houdt contact met je. Duurt het langer, dan neemt de bedrijfsarts contact met je op.".into(),
            de: "Ihre Führungskraft weiß Bescheid und hält Kontakt mit Ihnen. Dauert es länger, meldet sich der Betriebsarzt (bedrijfsarts).".into(),
        ));
        let plan = due(spell, "plan_of_action").map(d).unwrap_or_default();
        parts.push(say!(locale,
            en: format!("Under the Poortwachter rules the company doctor makes a problem analysis by {} and we agree a plan of action together by {plan}.", d(analysis)),
            nl: format!("Volgens de Wet verbetering poortwachter maakt de bedrijfsarts uiterlijk {} een probleemanalyse en stellen we samen uiterlijk {plan} een plan van aanpak op.", d(analysis)),
            de: format!("Nach dem Gesetz Wet verbetering poortwachter erstellt der Betriebsarzt bis {} eine Problemanalyse, und bis {plan} vereinbaren wir gemeinsam einen Maßnahmenplan.", d(analysis)),
        ));
    } else if let Some(pay) = due(spell, "guaranteed_pay_ends") {
        // BE (guaranteed salary, mutuality).
        parts.push(say!(locale,
            en: format!("You receive your guaranteed salary until {}. Notify your mutuality (health fund) as well; it takes over after that.", d(pay)),
            nl: format!("Je krijgt gewaarborgd loon tot en met {}. Verwittig ook je ziekenfonds (mutualiteit); dat neemt het daarna over.", d(pay)),
            de: format!("Sie erhalten Ihren garantierten Lohn bis zum {}. Informieren Sie auch Ihre Krankenkasse (mutualiteit); sie übernimmt danach.", d(pay)),
        ));
    }
    parts.push(say!(locale,
        en: "Tell me here when you are back at work.".into(),
        nl: "Meld je hier beter zodra je weer aan het werk gaat.".into(),
        de: "Melden Sie sich hier gesund, sobald Sie wieder arbeiten.".into(),
    ));
    parts.join(" ")
}

/// Reports the employee sick.
pub async fn execute_sick(turn: &Turn<'_>, first_day: &str) -> Outcome {
    let locale = turn.locale;
    match turn.people.report_sick(&turn.conv.employee_id, first_day).await {
        Ok(spell) => {
            let day =
                parse(&spell.first_day).map_or_else(|| spell.first_day.clone(), |d| say::day(locale, d, turn.today));
            let mut text = say!(locale,
                en: format!("Done: you are reported sick from {day}. Get well soon!"),
                nl: format!("Gedaan: je bent ziek gemeld vanaf {day}. Beterschap!"),
                de: format!("Erledigt: Sie sind ab {day} krankgemeldet. Gute Besserung!"),
            );
            text.push(' ');
            text.push_str(&next_steps(locale, &spell, turn.today));
            let mut outcome = Outcome::resolved(text);
            outcome.result = Some(actions::done(&spell.spell_id));
            outcome
        }
        Err(status) => {
            let trouble = Trouble::of(&status);
            let text = match &trouble {
                Trouble::Refused { reason, .. } if reason == reasons::ALREADY_SICK => say!(locale,
                    en: "You are already reported sick; nothing changed. Tell me when you are back at work.".into(),
                    nl: "Je bent al ziek gemeld; er is niets veranderd. Meld je hier beter zodra je weer werkt.".into(),
                    de: "Sie sind bereits krankgemeldet; es hat sich nichts geändert. Melden Sie sich hier gesund, sobald Sie wieder arbeiten.".into(),
                ),
                other => actions::explain(locale, other),
            };
            let mut outcome = Outcome::resolved(text);
            outcome.result = Some(actions::refused(&trouble, locale));
            outcome
        }
    }
}

/// Reports the employee fit for work again.
pub async fn execute_recovery(turn: &Turn<'_>, recovered_on: &str) -> Outcome {
    let locale = turn.locale;
    match turn.people.report_recovery(&turn.conv.employee_id, recovered_on).await {
        Ok(spell) => {
            let day = parse(&spell.recovered_on)
                .map_or_else(|| spell.recovered_on.clone(), |d| say::day(locale, d, turn.today));
            let mut outcome = Outcome::resolved(say!(locale,
                en: format!("Welcome back! You are reported fit for work from {day}."),
                nl: format!("Welkom terug! Je bent beter gemeld per {day}."),
                de: format!("Willkommen zurück! Sie sind ab {day} gesundgemeldet."),
            ));
            outcome.result = Some(actions::done(&spell.spell_id));
            outcome
        }
        Err(status) => {
            let trouble = Trouble::of(&status);
            let text = match &trouble {
                Trouble::Refused { reason, .. } if reason == reasons::NOT_SICK => say!(locale,
                    en: "You are not reported sick, so there is nothing to end.".into(),
                    nl: "Je staat niet ziek gemeld, dus er is niets af te melden.".into(),
                    de: "Sie sind nicht krankgemeldet, es gibt also nichts zu beenden.".into(),
                ),
                Trouble::Refused { reason, .. } if reason == reasons::RECOVERY_BEFORE_SICKNESS => say!(locale,
                    en: "Your first day back must come after your first day of illness. Tell me which day you start again, e.g. \"I am back tomorrow\".".into(),
                    nl: "Je eerste werkdag moet na je eerste ziektedag liggen. Noem de dag waarop je weer begint, bijvoorbeeld \"ik ben morgen weer beter\".".into(),
                    de: "Ihr erster Arbeitstag muss nach dem ersten Krankheitstag liegen. Nennen Sie den Tag, an dem Sie wieder anfangen, z. B. „ich bin ab morgen wieder gesund“.".into(),
                ),
                other => actions::explain(locale, other),
            };
            let mut outcome = Outcome::resolved(text);
            outcome.result = Some(actions::refused(&trouble, locale));
            outcome
        }
    }
}
