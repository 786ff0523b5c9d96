//! Employment certificates through the assistant: proposed, then issued by the people service
//! (a signed PDF with a verification code) and handed over in the reply. Other documents
//! (income statements, references, annual tax statements) are HR's: they are handed over.

use hrmesh_kit::{locale::Locale, time as clock};
use hrmesh_people::reasons;
use hrmesh_proto::{people::v1 as people_pb, selfservice::v1 as pb};
use time::Date;

use crate::{
    actions::{self, Action, Trouble},
    dialogue::{Outcome, Turn},
    say::say,
    understand::{CertificateKind, Understanding},
};

fn name(locale: Locale) -> &'static str {
    say!(locale,
        en: "an employment certificate",
        nl: "een werkgeversverklaring",
        de: "eine Arbeitgeberbescheinigung",
    )
}

/// How many days before a certificate stops counting as current the assistant mentions it.
pub const EXPIRY_HINT_DAYS: i64 = 14;

/// A hint when the newest employment certificate stops counting as current within
/// [`EXPIRY_HINT_DAYS`] of `today` (banks and landlords want a recent one), so a new one can be
/// asked for in time. Certificates that lapsed earlier are not mentioned again.
pub fn expiring(locale: Locale, documents: &[people_pb::Document], today: Date) -> Option<String> {
    let newest = documents
        .iter()
        .filter(|d| d.kind == "employment_certificate")
        .filter_map(|d| clock::parse_date("valid_until", &d.valid_until).ok())
        .max()?;
    let left = (newest - today).whole_days();
    if !(0..=EXPIRY_HINT_DAYS).contains(&left) {
        return None;
    }
    let when = crate::say::date(locale, newest);
    Some(say!(locale,
        en: format!("Mind: your employment certificate counts as current until {when}. Need it after that? Ask me for a new one."),
        nl: format!("Let op: je werkgeversverklaring is geldig tot {when}. Heb je hem daarna nog nodig? Vraag me om een nieuwe."),
        de: format!("Hinweis: Ihre Arbeitgeberbescheinigung gilt bis {when}. Brauchen Sie sie danach noch? Fragen Sie mich nach einer neuen."),
    ))
}

/// Proposes issuing an employment certificate in the conversation's language.
pub fn propose(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    if u.slots.certificate_kind.is_some_and(|k| k != CertificateKind::Employment) {
        return Outcome::hand_over("not_supported");
    }
    let what = name(locale);
    let text = say!(locale,
        en: format!("Shall I issue {what} in English? It is signed and carries a code the recipient can check it with."),
        nl: format!("Zal ik {what} voor je opmaken, in het Nederlands? Hij is ondertekend en heeft een code waarmee de ontvanger hem kan controleren."),
        de: format!("Soll ich Ihnen {what} auf Deutsch ausstellen? Sie ist signiert und trägt einen Code, mit dem der Empfänger sie prüfen kann."),
    );
    Outcome::propose(text, Action::IssueCertificate { language: locale.code().into() })
}

/// Issues the confirmed certificate; the PDF travels in the reply.
pub async fn execute(turn: &Turn<'_>, language: &str) -> Outcome {
    let locale = turn.locale;
    match turn.people.issue_certificate(&turn.conv.employee_id, language).await {
        Ok(document) => {
            let code = &document.verification_code;
            let mut outcome = Outcome::resolved(say!(locale,
                en: format!("Here is your employment certificate (PDF attached). Verification code: {code}; the recipient can check the document with it."),
                nl: format!("Hier is je werkgeversverklaring (pdf bijgevoegd). Verificatiecode: {code}; daarmee kan de ontvanger het document controleren."),
                de: format!("Hier ist Ihre Arbeitgeberbescheinigung (PDF anbei). Prüfcode: {code}; damit kann der Empfänger das Dokument prüfen."),
            ));
            outcome.result = Some(actions::done(&document.document_id));
            outcome.document = Some(pb::IssuedDocument {
                document_id: document.document_id,
                kind: document.kind,
                verification_code: document.verification_code,
                pdf: document.pdf,
            });
            outcome
        }
        Err(status) => {
            let trouble = Trouble::of(&status);
            let text = match &trouble {
                Trouble::Refused { reason, .. } if reason == reasons::NO_CONTRACT => say!(locale,
                    en: "I cannot issue it: there is no contract on record for you. HR can help.".into(),
                    nl: "Dat lukt niet: er staat geen contract van je geregistreerd. HR kan je helpen.".into(),
                    de: "Das geht nicht: Für Sie ist kein Vertrag hinterlegt. Die Personalabteilung hilft weiter.".into(),
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

    fn certificate(valid_until: &str) -> people_pb::Document {
        people_pb::Document {
            kind: "employment_certificate".into(),
            valid_until: valid_until.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_certificate_about_to_lapse_is_mentioned_once_in_each_language() {
        let today = clock::parse_date("today", "2027-05-20").expect("date");
        let soon = [certificate("2027-02-01"), certificate("2027-05-30")];
        let hint = expiring(Locale::Nl, &soon, today).expect("within 14 days");
        assert!(hint.contains("werkgeversverklaring") && hint.contains("30 mei 2027"), "{hint}");
        assert!(expiring(Locale::De, &soon, today).is_some_and(|h| h.contains("Arbeitgeberbescheinigung")));
        // A newer certificate replaces the one that lapses; a lapsed one is not repeated.
        assert_eq!(expiring(Locale::En, &[certificate("2027-05-30"), certificate("2027-08-01")], today), None);
        assert_eq!(expiring(Locale::En, &[certificate("2027-05-19")], today), None);
        assert_eq!(expiring(Locale::En, &[], today), None);
    }
}
