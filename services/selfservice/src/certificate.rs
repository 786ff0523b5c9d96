//! Employment certificates through the assistant: proposed, then issued by the people service
//! (a signed PDF with a verification code) and handed over in the reply. Other documents
//! (income statements, references, annual tax statements) are HR's: they are handed over.

use hrmesh_kit::locale::Locale;
use hrmesh_proto::selfservice::v1 as pb;

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
                Trouble::Refused(m) if m.contains("contract") => say!(locale,
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
