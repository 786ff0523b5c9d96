//! Outreach: personalised message drafts in the candidate's language that cite the skills that
//! really matched; a person approves (and may edit) before anything is sent, and the send is an
//! event for the mailer.

use hrmesh_kit::{ApiError, auth::Principal, events::raw_topic, outbox, service::ServiceContext, time};
use hrmesh_proto::recruiting::v1::{Job, OutreachDraft, OutreachSent};
use sqlx::Row;

use crate::matching::Scored;

/// Purpose of outreach; needs the candidate's consent.
pub const PURPOSE: &str = "recruiting.outreach";

/// What a draft may say about the candidate's skills.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cited {
    /// Required skills the CV itself shows.
    pub shown: Vec<String>,
    /// Required skills the CV does not show but related skills suggest: called "related", never
    /// claimed as experience.
    pub related: Vec<String>,
}

/// Skills to cite: met requirements as shown, inferred ones only as related experience.
pub fn cited(scored: &Scored) -> Cited {
    let of = |status: &str| -> Vec<String> {
        scored
            .requirements
            .iter()
            .filter(|r| r.kind == "skill" && r.status == status)
            .map(|r| r.requirement.clone())
            .collect()
    };
    Cited { shown: of("met"), related: of("inferred") }
}

fn list(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// The sentence about related experience, empty when there is none.
fn related_sentence(related: &[String], lang: &str) -> String {
    if related.is_empty() {
        return String::new();
    }
    match lang {
        "nl" => format!(
            " Uit uw cv leiden wij af (het noemt dit niet letterlijk) dat uw verwante ervaring ook past bij wat wij vragen op het gebied van {}.",
            list(related, "en")
        ),
        "de" => format!(
            " Aus Ihrem Lebenslauf schließen wir (er nennt es nicht ausdrücklich), dass Ihre verwandte Erfahrung auch zu unseren Anforderungen bei {} passt.",
            list(related, "und")
        ),
        _ => format!(
            " From your CV we infer (it does not name this) that your related experience also fits what we ask for in {}.",
            list(related, "and")
        ),
    }
}

/// Subject and body in `lang` (en, nl, de).
pub fn compose(name: &str, job: &Job, cited: &Cited, lang: &str) -> (String, String) {
    let place = if job.location.is_empty() { String::new() } else { format!(" ({})", job.location) };
    let skills = cited.shown.as_slice();
    let related = related_sentence(&cited.related, lang);
    match lang {
        "nl" => {
            let greeting = if name.is_empty() { "Beste kandidaat".to_owned() } else { format!("Beste {name}") };
            let skills = if skills.is_empty() {
                format!("Uw cv sprak ons aan.{related}")
            } else {
                format!(
                    "In uw cv zagen wij ervaring met {}, precies wat deze functie vraagt.{related}",
                    list(skills, "en")
                )
            };
            (
                format!("Vacature: {}", job.title),
                format!(
                    "{greeting},\n\nWij zoeken een {}{place}. {skills}\n\nHeeft u interesse? Antwoord op dit bericht, dan plannen wij graag een kennismaking.\n\nMet vriendelijke groet,\nHet recruitmentteam",
                    job.title
                ),
            )
        }
        "de" => {
            let greeting = if name.is_empty() { "Guten Tag".to_owned() } else { format!("Guten Tag {name}") };
            let skills = if skills.is_empty() {
                format!("Ihr Lebenslauf hat uns angesprochen.{related}")
            } else {
                format!(
                    "In Ihrem Lebenslauf haben wir Erfahrung mit {} gesehen – genau das, was diese Stelle verlangt.{related}",
                    list(skills, "und")
                )
            };
            (
                format!("Stellenangebot: {}", job.title),
                format!(
                    "{greeting},\n\nwir suchen eine/n {}{place}. {skills}\n\nHaben Sie Interesse? Antworten Sie auf diese Nachricht, dann vereinbaren wir gern ein Kennenlerngespräch.\n\nMit freundlichen Grüßen\nIhr Recruiting-Team",
                    job.title
                ),
            )
        }
        _ => {
            let greeting = if name.is_empty() { "Dear candidate".to_owned() } else { format!("Dear {name}") };
            let skills = if skills.is_empty() {
                format!("Your CV caught our attention.{related}")
            } else {
                format!(
                    "Your CV shows experience with {}, which is exactly what this role needs.{related}",
                    list(skills, "and")
                )
            };
            (
                format!("Job opening: {}", job.title),
                format!(
                    "{greeting},\n\nWe are looking for a {}{place}. {skills}\n\nInterested? Reply to this message and we will gladly arrange an introduction.\n\nKind regards,\nThe recruiting team",
                    job.title
                ),
            )
        }
    }
}

/// Stores a draft; subject and body are sealed (they carry the name).
pub async fn save_draft(ctx: &ServiceContext, draft: &OutreachDraft) -> Result<(), ApiError> {
    let mut tx = ctx.db.begin().await?;
    let subject = ctx.vault.seal(&mut tx, &draft.candidate_id, &draft.subject).await?;
    let body = ctx.vault.seal(&mut tx, &draft.candidate_id, &draft.body).await?;
    sqlx::query(
        "INSERT INTO outreach (draft_id, candidate_id, job_id, language, subject, body, cited_skills, status, approved_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', '', $8)",
    )
    .bind(&draft.draft_id)
    .bind(&draft.candidate_id)
    .bind(&draft.job_id)
    .bind(&draft.language)
    .bind(subject)
    .bind(body)
    .bind(serde_json::to_string(&draft.cited_skills)?)
    .bind(time::now_ms())
    .execute(&mut *tx)
    .await?;
    ctx.commit(tx).await?;
    Ok(())
}

/// A person approves the draft (optionally with their own text); it is then sent.
pub async fn approve(
    ctx: &ServiceContext,
    approver: &Principal,
    draft_id: &str,
    edited: &str,
) -> Result<OutreachDraft, ApiError> {
    if !approver.is_person() {
        return Err(ApiError::PermissionDenied(
            "outreach is approved by a person with their own token, not a service".into(),
        ));
    }
    if edited.len() > 10_000 {
        return Err(ApiError::InvalidArgument(vec![hrmesh_kit::FieldViolation::new("body", "at most 10000 bytes")]));
    }
    let mut tx = ctx.db.begin().await?;
    let row = sqlx::query(
        "SELECT candidate_id, job_id, language, subject, body, cited_skills, status FROM outreach WHERE draft_id = $1",
    )
    .bind(draft_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no outreach draft {draft_id}")))?;
    let (candidate, job, language, subject, body, cited, status): (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = (
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
        row.try_get(4)?,
        row.try_get(5)?,
        row.try_get(6)?,
    );
    if status != "draft" {
        return Err(ApiError::FailedPrecondition(format!("draft {draft_id} was already {status}")));
    }
    let subject = ctx.vault.open(&mut tx, &candidate, &subject).await?.unwrap_or_default();
    let mut body = ctx.vault.open(&mut tx, &candidate, &body).await?.unwrap_or_default();
    if !edited.trim().is_empty() {
        body = edited.trim().to_owned();
        let sealed = ctx.vault.seal(&mut tx, &candidate, &body).await?;
        sqlx::query("UPDATE outreach SET body = $1 WHERE draft_id = $2")
            .bind(sealed)
            .bind(draft_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE outreach SET status = 'sent', approved_by = $1, sent_at = $2 WHERE draft_id = $3")
        .bind(&approver.subject)
        .bind(time::now_ms())
        .bind(draft_id)
        .execute(&mut *tx)
        .await?;
    let event = OutreachSent { draft_id: draft_id.to_owned(), job_id: job.clone(), language: language.clone() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&candidate, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(OutreachDraft {
        draft_id: draft_id.to_owned(),
        candidate_id: candidate,
        job_id: job,
        language,
        subject,
        body,
        cited_skills: serde_json::from_str(&cited).unwrap_or_default(),
        status: "sent".into(),
        approved_by: approver.subject.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_speak_the_candidates_language_and_cite_the_skills() {
        let job = Job { title: "MIG/MAG-lasser".into(), location: "Tilburg".into(), ..Default::default() };
        let skills = Cited { shown: vec!["MIG/MAG-lassen".to_owned(), "TIG-lassen".to_owned()], related: vec![] };
        let (subject, body) = compose("Fatima", &job, &skills, "nl");
        assert_eq!(subject, "Vacature: MIG/MAG-lasser");
        assert!(body.starts_with("Beste Fatima,") && body.contains("MIG/MAG-lassen en TIG-lassen"), "{body}");
        let (_, de) = compose("", &job, &skills, "de");
        assert!(de.starts_with("Guten Tag,") && de.contains("MIG/MAG-lassen und TIG-lassen"), "{de}");
        let (_, en) = compose("Sam", &job, &Cited::default(), "en");
        assert!(en.contains("Your CV caught our attention"), "{en}");
    }

    #[test]
    fn inferred_skills_are_called_related_never_claimed_as_experience() {
        use hrmesh_proto::recruiting::v1::RequirementScore;
        let requirement = |name: &str, status: &str| RequirementScore {
            kind: "skill".into(),
            requirement: name.into(),
            status: status.into(),
            ..Default::default()
        };
        let scored = Scored {
            requirements: vec![requirement("AFAS", "met"), requirement("Exact Online", "inferred")],
            ..Default::default()
        };
        let cited = cited(&scored);
        assert_eq!(cited.shown, ["AFAS"]);
        let job = Job { title: "Boekhouder".into(), ..Default::default() };
        let (_, en) = compose("Sam", &job, &cited, "en");
        assert!(en.contains("Your CV shows experience with AFAS,"), "{en}");
        assert!(!en.contains("experience with AFAS and Exact Online"), "{en}");
        assert!(en.contains("related experience also fits what we ask for in Exact Online"), "{en}");
        assert!(en.contains("we infer"), "{en}");
        let (_, nl) = compose("Sam", &job, &cited, "nl");
        assert!(
            nl.contains("verwante ervaring") && nl.contains("Exact Online") && nl.contains("leiden wij af"),
            "{nl}"
        );
        let (_, de) = compose("Sam", &job, &cited, "de");
        assert!(de.contains("schließen wir") && de.contains("Exact Online"), "{de}");
    }
}
