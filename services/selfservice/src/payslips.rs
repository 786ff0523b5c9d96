//! Payslip questions: the latest (or named) payslip's totals, and "why is my net lower than
//! last month?" answered from the people service's explanation of the payslip lines.

use hrmesh_kit::locale::Locale;
use tonic::Code;

use crate::{
    actions::{self, Trouble},
    dialogue::{Outcome, Turn},
    say::{self, say},
    understand::Understanding,
};

fn asked_period(u: &Understanding) -> Option<String> {
    u.slots.period.map(|(y, m)| format!("{y:04}-{m:02}"))
}

fn none_found(locale: Locale, period: Option<&str>) -> String {
    match period {
        Some(p) => {
            let month = say::period(locale, p);
            say!(locale,
                en: format!("I find no payslip for {month}."),
                nl: format!("Ik vind geen loonstrook over {month}."),
                de: format!("Für {month} finde ich keine Gehaltsabrechnung."),
            )
        }
        None => say!(locale,
            en: "I find no payslips for you yet.".into(),
            nl: "Ik vind nog geen loonstroken voor je.".into(),
            de: "Ich finde noch keine Gehaltsabrechnungen für Sie.".into(),
        ),
    }
}

/// The totals of the payslip asked for (the latest when no month is named).
pub async fn show(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let period = asked_period(u);
    let slips = match turn.people.payslips(&turn.conv.employee_id).await {
        Ok(s) => s,
        Err(status) => return Outcome::say(actions::explain(locale, &Trouble::of(&status))),
    };
    let slip = match &period {
        Some(p) => slips.iter().find(|s| &s.period == p),
        None => slips.first(),
    };
    let Some(slip) = slip else { return Outcome::resolved(none_found(locale, period.as_deref())) };
    let (month, gross, net) =
        (say::period(locale, &slip.period), say::money(locale, slip.gross), say::money(locale, slip.net));
    Outcome::resolved(say!(locale,
        en: format!("Your payslip for {month}: gross {gross}, net {net}. Ask me \"why is my net different?\" for an explanation."),
        nl: format!("Je loonstrook over {month}: bruto {gross}, netto {net}. Vraag \"waarom is mijn netto anders?\" voor uitleg."),
        de: format!("Ihre Gehaltsabrechnung für {month}: brutto {gross}, netto {net}. Fragen Sie „warum ist mein Netto anders?“ für eine Erklärung."),
    ))
}

/// What changed from the previous payslip, the main cause first; line by line for a first one.
pub async fn explain(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let period = asked_period(u);
    let explained = match turn
        .people
        .explain_payslip(&turn.conv.employee_id, period.as_deref().unwrap_or_default(), locale.code())
        .await
    {
        Ok(e) => e,
        Err(status) if status.code() == Code::NotFound => {
            return Outcome::resolved(none_found(locale, period.as_deref()));
        }
        Err(status) => return Outcome::say(actions::explain(locale, &Trouble::of(&status))),
    };
    let (month, net) = (say::period(locale, &explained.period), say::money(locale, explained.net));
    let text = if explained.difference.is_empty() {
        let lines = explained.explanations.join(" ");
        say!(locale,
            en: format!("Your payslip for {month} (net {net}), line by line: {lines}"),
            nl: format!("Je loonstrook over {month} (netto {net}), regel voor regel: {lines}"),
            de: format!("Ihre Gehaltsabrechnung für {month} (netto {net}), Zeile für Zeile: {lines}"),
        )
    } else {
        let previous = say::period(locale, &explained.previous_period);
        let why = explained.difference.join(" ");
        say!(locale,
            en: format!("Your net pay for {month} is {net}. Compared with {previous}: {why}"),
            nl: format!("Je netto over {month} is {net}. Vergeleken met {previous}: {why}"),
            de: format!("Ihr Nettogehalt für {month} beträgt {net}. Im Vergleich zu {previous}: {why}"),
        )
    };
    Outcome::resolved(text)
}
