//! Human decisions on applications: every stage change names the person who made it (and for
//! a rejection why), is logged in governance's decision log and adverse-impact monitor, and
//! can be explained to the candidate in plain language.

use hrmesh_kit::{
    ApiError, Violations, auth::Principal, error::identifier, events::raw_topic, outbox, service::ServiceContext, time,
};
use hrmesh_proto::{
    governance::v1::RecordDecisionRequest,
    recruiting::v1::{ChangeStageRequest, DecisionExplanation, StageChanged},
};
use sha2::{Digest, Sha256};
use sqlx::Row;

use hrmesh_proto::vocabulary::Stage;

use crate::{application::PURPOSE, matching, remote};

/// `rejected`, as stored.
pub const REJECTED: &str = "rejected";
/// Purpose of a decision where the matching model scored the candidate (consent given).
pub const SCREENING: &str = "recruiting.screening";

/// A decision's matching explanation in each language, as the decision-maker saw it (stored
/// as JSON; a plain string from before is English).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Explanations {
    #[serde(default)]
    en: String,
    #[serde(default)]
    nl: String,
    #[serde(default)]
    de: String,
    /// True when no automated assessment was part of the decision.
    #[serde(default)]
    human_only: bool,
}

impl Explanations {
    /// A decision without a model score.
    pub fn human_only() -> Self {
        Self { en: "decided by a person without an automated score".into(), human_only: true, ..Self::default() }
    }

    pub fn set(&mut self, lang: &str, text: &str) {
        let text = text.trim().trim_end_matches('.').to_owned();
        match lang {
            "nl" => self.nl = text,
            "de" => self.de = text,
            _ => self.en = text,
        }
    }

    /// The text in `lang`, English when that language is missing.
    pub fn get(&self, lang: &str) -> &str {
        let text = match lang {
            "nl" => &self.nl,
            "de" => &self.de,
            _ => &self.en,
        };
        if text.is_empty() { &self.en } else { text }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn from_stored(stored: &str) -> Self {
        serde_json::from_str(stored).unwrap_or_else(|_| Self {
            human_only: stored.starts_with("decided by a person"),
            en: stored.trim_end_matches('.').to_owned(),
            ..Self::default()
        })
    }
}

/// The selection step a decision taken at `from` belongs to, for adverse-impact monitoring.
fn selection_step(from: &str) -> &'static str {
    match Stage::parse(from) {
        Some(Stage::Applied) => "screening",
        Some(Stage::Screened) => "interview",
        Some(Stage::Interview) => "offer",
        _ => "hire",
    }
}

/// Validates a move from `current` to `next` and returns the stage moved to.
pub fn transition(current: &str, next: &str, rationale: &str) -> Result<Stage, ApiError> {
    let mut v = Violations::default();
    let current = Stage::parse(current).unwrap_or(Stage::Applied);
    let next = match Stage::parse(next) {
        Some(Stage::Applied) | None => {
            v.add("stage", "must be one of screened, interview, offer, hired, rejected");
            return Err(v.into_error());
        }
        Some(next) => next,
    };
    if current.is_final() {
        return Err(ApiError::FailedPrecondition(format!("the application is already {current}; its stage is final")));
    }
    if next != Stage::Rejected && next.rank() <= current.rank() {
        v.add("stage", format!("cannot move back from {current} to {next}"));
    }
    if next == Stage::Rejected && rationale.trim().chars().count() < 10 {
        v.add(
            "rationale",
            "a rejection needs the reviewer's reason (at least 10 characters), which the candidate can read",
        );
    }
    if rationale.len() > 2000 {
        v.add("rationale", "at most 2000 characters");
    }
    v.finish()?;
    Ok(next)
}

/// Moves the application and records the decision with governance. The decision is logged
/// before the stage changes, so no stage change exists without its record.
pub async fn change_stage(
    ctx: &ServiceContext,
    reviewer: &Principal,
    authorization: Option<&tonic::metadata::MetadataValue<tonic::metadata::Ascii>>,
    req: &ChangeStageRequest,
    screened_by_model: Option<(Explanations, String)>,
) -> Result<(), ApiError> {
    let id = identifier("application_id", &req.application_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let row = sqlx::query("SELECT candidate_id, job_id, stage FROM applications WHERE id = $1")
        .bind(&id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("application {id} does not exist")))?;
    let (candidate, job, current): (String, String, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    let next = transition(&current, &req.stage, &req.rationale)?;
    if !reviewer.is_person() {
        return Err(ApiError::PermissionDenied(
            "stage changes are decided by a person with their own token, not a service".into(),
        ));
    }
    let rejected = next == Stage::Rejected;
    // With screening consent the matching model's explanation is part of the decision record;
    // without it the decision is a purely human one about the application.
    let (purpose, model_id, model_version, explanations) = match &screened_by_model {
        Some((explanations, _)) => (SCREENING, matching::MODEL_ID, matching::MODEL_VERSION, explanations.clone()),
        None => (PURPOSE, "none", "n/a", Explanations::human_only()),
    };
    let explanation = explanations.get("en").to_owned();
    let input_hash = hex::encode(Sha256::digest(
        format!("{id}|{job}|{}", screened_by_model.as_ref().map_or("", |(_, input)| input.as_str())).as_bytes(),
    ));
    let decision = remote::record_decision(
        ctx,
        RecordDecisionRequest {
            subject: candidate.clone(),
            purpose: purpose.into(),
            model_id: model_id.into(),
            model_version: model_version.into(),
            input_hash,
            output: next.as_str().into(),
            explanation: explanation.clone(),
            legal_effect: rejected,
            reviewer: reviewer.subject.clone(),
            rationale: req.rationale.trim().into(),
            stage: selection_step(&current).into(),
            outcome: if rejected { "rejected" } else { "selected" }.into(),
        },
        authorization,
    )
    .await?;
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    let moved = sqlx::query("UPDATE applications SET stage = $1, stage_changed_at = $2 WHERE id = $3 AND stage = $4")
        .bind(next.as_str())
        .bind(now)
        .bind(&id)
        .bind(&current)
        .execute(&mut *tx)
        .await?;
    if moved.rows_affected() == 0 {
        return Err(ApiError::FailedPrecondition(format!(
            "application {id} changed stage meanwhile; reload and decide again"
        )));
    }
    sqlx::query(
        "INSERT INTO stage_history (id, application_id, candidate_id, stage, reviewer, rationale, decision_id, explanation, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&id)
    .bind(&candidate)
    .bind(next.as_str())
    .bind(&reviewer.subject)
    .bind(req.rationale.trim())
    .bind(&decision.decision_id)
    .bind(explanations.to_json())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let event = StageChanged { application_id: id.clone(), job_id: job.clone(), stage: next.as_str().into() };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&candidate, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(())
}

fn stage_words(stage: &str, lang: &str) -> &'static str {
    match (stage, lang) {
        ("screened", "nl") => "door de eerste selectie",
        ("screened", "de") => "in die engere Auswahl aufgenommen",
        ("screened", _) => "through the first selection",
        ("interview", "nl") => "uitgenodigd voor een gesprek",
        ("interview", "de") => "zu einem Gespräch eingeladen",
        ("interview", _) => "invited to an interview",
        ("offer", "nl") => "een aanbod gedaan",
        ("offer", "de") => "ein Angebot erhalten",
        ("offer", _) => "made an offer",
        ("hired", "nl") => "aangenomen",
        ("hired", "de") => "eingestellt",
        ("hired", _) => "hired",
        (_, "nl") => "niet verder in de procedure",
        (_, "de") => "nicht weiter im Verfahren",
        _ => "not taken further",
    }
}

/// The decisions on one application in plain language for the candidate.
pub async fn explain(
    ctx: &ServiceContext,
    application_id: &str,
    lang: &str,
) -> Result<(String, DecisionExplanation), ApiError> {
    let id = identifier("application_id", application_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let app = sqlx::query("SELECT a.candidate_id, a.stage, j.title FROM applications a LEFT JOIN jobs j ON j.job_id = a.job_id WHERE a.id = $1")
        .bind(&id)
        .fetch_optional(ctx.db.pool())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("application {id} does not exist")))?;
    let candidate: String = app.try_get(0)?;
    let stage: String = app.try_get(1)?;
    let title: Option<String> = app.try_get(2)?;
    let title = title.unwrap_or_else(|| match lang {
        "nl" => "deze vacature".into(),
        "de" => "diese Stelle".into(),
        _ => "this job".into(),
    });
    let rows = sqlx::query("SELECT stage, rationale, decision_id, explanation, changed_at FROM stage_history WHERE application_id = $1 ORDER BY changed_at, id")
        .bind(&id)
        .fetch_all(ctx.db.pool())
        .await?;
    let mut lines = Vec::new();
    let mut decision_ids = Vec::new();
    lines.push(match lang {
        "nl" => format!("Uw sollicitatie voor {title}:"),
        "de" => format!("Ihre Bewerbung für {title}:"),
        _ => format!("Your application for {title}:"),
    });
    if rows.is_empty() {
        lines.push(match lang {
            "nl" => {
                "Er is nog geen beslissing genomen. Een mens neemt elke beslissing over uw sollicitatie.".to_owned()
            }
            "de" => {
                "Es wurde noch keine Entscheidung getroffen. Jede Entscheidung über Ihre Bewerbung trifft ein Mensch."
                    .to_owned()
            }
            _ => "No decision has been made yet. A person takes every decision on your application.".to_owned(),
        });
    }
    // A rejection that was not reviewed again after a contest can still be contested.
    let mut contestable = false;
    for r in &rows {
        let (s, rationale, decision_id, explanation, at): (String, String, String, String, i64) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
        let date = time_of(at);
        if let Some(outcome) = s.strip_prefix("contest_") {
            lines.push(review_line(&date, outcome, &rationale, lang));
            contestable = false;
            continue;
        }
        let who = match lang {
            "nl" => "Een medewerker van HR besliste",
            "de" => "Eine Person aus dem Personalbereich entschied",
            _ => "A person in HR decided",
        };
        let mut line = format!("- {date}: {who}: {}.", stage_words(&s, lang));
        if !rationale.is_empty() {
            let rationale = rationale.trim().trim_end_matches('.');
            line.push_str(&match lang {
                "nl" => format!(" Reden: {rationale}."),
                "de" => format!(" Begründung: {rationale}."),
                _ => format!(" Reason: {rationale}."),
            });
        }
        let explanations = Explanations::from_stored(&explanation);
        if explanations.human_only {
            line.push_str(match lang {
                "nl" => " Er is geen automatische beoordeling gebruikt.",
                "de" => " Es wurde keine automatische Bewertung verwendet.",
                _ => " No automated assessment was used.",
            });
        } else if !explanations.get(lang).is_empty() {
            let seen = explanations.get(lang);
            line.push_str(&match lang {
                "nl" => format!(" De vergelijking van uw cv met de eisen, die de beslisser zag: {seen}."),
                "de" => format!(
                    " Der Abgleich Ihres Lebenslaufs mit den Anforderungen, den die entscheidende Person sah: {seen}."
                ),
                _ => format!(" The comparison of your CV with the requirements that the decision-maker saw: {seen}."),
            });
        }
        lines.push(line);
        contestable = s == REJECTED;
        decision_ids.push(decision_id);
    }
    if !decision_ids.is_empty() {
        lines.push(
            match lang {
                "nl" => "Een mens heeft beslist, niet een computer.",
                "de" => "Ein Mensch hat entschieden, nicht ein Computer.",
                _ => "A person decided, not a computer.",
            }
            .to_owned(),
        );
    }
    if contestable {
        lines.push(
            match lang {
                "nl" => "U kunt bezwaar maken; een andere medewerker beoordeelt het dan opnieuw.",
                "de" => "Sie können widersprechen; dann prüft eine andere Person erneut.",
                _ => "You can contest the decision; another person will then review it.",
            }
            .to_owned(),
        );
    }
    Ok((candidate, DecisionExplanation { application_id: id, stage, text: lines.join("\n"), decision_ids }))
}

/// The line about a second review after the candidate contested a decision.
fn review_line(date: &str, outcome: &str, rationale: &str, lang: &str) -> String {
    let rationale = rationale.trim().trim_end_matches('.');
    match (outcome, lang) {
        ("overturned", "nl") => format!(
            "- {date}: Na uw bezwaar heeft een andere medewerker de beslissing opnieuw beoordeeld en herroepen. \
             Reden: {rationale}. Uw sollicitatie is weer in behandeling."
        ),
        ("overturned", "de") => format!(
            "- {date}: Nach Ihrem Widerspruch hat eine andere Person die Entscheidung erneut geprüft und aufgehoben. \
             Begründung: {rationale}. Ihre Bewerbung ist wieder im Verfahren."
        ),
        ("overturned", _) => format!(
            "- {date}: After your objection another person reviewed the decision and reversed it. \
             Reason: {rationale}. Your application is back in the procedure."
        ),
        (_, "nl") => format!(
            "- {date}: Na uw bezwaar heeft een andere medewerker de beslissing opnieuw beoordeeld en gehandhaafd. \
             Reden: {rationale}."
        ),
        (_, "de") => format!(
            "- {date}: Nach Ihrem Widerspruch hat eine andere Person die Entscheidung erneut geprüft und bestätigt. \
             Begründung: {rationale}."
        ),
        _ => format!(
            "- {date}: After your objection another person reviewed the decision again and upheld it. \
             Reason: {rationale}."
        ),
    }
}

/// `YYYY-MM-DD` (UTC) of a millisecond timestamp.
fn time_of(ms: i64) -> String {
    time::format_date(time::date_of_ms(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_move_forward_and_rejection_needs_a_reason() {
        assert!(transition("applied", "screened", "").is_ok());
        assert!(transition("applied", "interview", "").is_ok(), "skipping ahead is a human's call");
        assert!(matches!(transition("interview", "screened", ""), Err(ApiError::InvalidArgument(_))));
        assert!(matches!(transition("screened", "rejected", "no"), Err(ApiError::InvalidArgument(_))));
        assert!(transition("screened", "rejected", "Geen rijbewijs C, vereist voor de functie").is_ok());
        assert!(matches!(
            transition("hired", "rejected", "changed our mind entirely"),
            Err(ApiError::FailedPrecondition(_))
        ));
        assert!(matches!(transition("applied", "promoted", ""), Err(ApiError::InvalidArgument(_))));
        assert_eq!(selection_step("applied"), "screening");
        assert_eq!(time_of(1_795_000_000_000), "2026-11-18");
    }
}
