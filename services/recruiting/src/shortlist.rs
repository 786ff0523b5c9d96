//! Shortlists: the applicants for a job ranked by the explained match. Only applicants who
//! consented to automated screening are scored; the others are listed for manual review with
//! the reason. Each recommendation shown is logged with governance; people decide.

use futures_util::{StreamExt, stream};
use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::{
    governance::v1::RecordDecisionRequest,
    recruiting::v1::{Job, ManualReview, RankedCandidate, Shortlist},
};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{
    candidates,
    decisions::SCREENING,
    matching::{self, BlindProfile, Scored},
    predictive, remote,
};

/// Concurrent calls to governance while logging recommendations.
const LOG_CONCURRENCY: usize = 8;

/// Hash of what the model saw: the blind profile and the job's requirements.
pub fn input_hash(job: &Job, profile: &BlindProfile) -> String {
    let input = serde_json::json!({"job": job.job_id, "must": job.must.iter().map(|s| (&s.skill_id, s.level)).collect::<Vec<_>>(),
        "nice": job.nice.iter().map(|s| (&s.skill_id, s.level)).collect::<Vec<_>>(), "profile": profile});
    hex::encode(Sha256::digest(input.to_string().as_bytes()))
}

fn manual_reason(lang: &str, why: &str) -> String {
    match lang {
        "nl" => format!("Handmatig beoordelen: {why}"),
        "de" => format!("Manuell prüfen: {why}"),
        _ => format!("Review manually: {why}"),
    }
}

pub async fn build(ctx: &ServiceContext, job: &Job, limit: usize, lang: &str) -> Result<Shortlist, ApiError> {
    let rows = sqlx::query(
        "SELECT id, candidate_id FROM applications WHERE job_id = $1 AND stage <> 'rejected' ORDER BY applied_at, id",
    )
    .bind(&job.job_id)
    .fetch_all(ctx.db.pool())
    .await?;
    let applications: Vec<(String, String)> =
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_, sqlx::Error>>()?;
    let mut manual_review = Vec::new();
    let mut consented = Vec::new();
    for (application, candidate) in &applications {
        let (allowed, reason) = ctx.consent.check(candidate, SCREENING).await?;
        if allowed {
            consented.push((application.clone(), candidate.clone()));
        } else {
            let why = match lang {
                "nl" => format!("geen toestemming voor geautomatiseerde screening (recruiting.screening): {reason}"),
                "de" => format!("keine Einwilligung in automatisierte Vorauswahl (recruiting.screening): {reason}"),
                _ => format!("no consent to automated screening (recruiting.screening): {reason}"),
            };
            manual_review.push(ManualReview {
                application_id: application.clone(),
                candidate_id: candidate.clone(),
                reason: manual_reason(lang, &why),
            });
        }
    }
    let ids: Vec<String> = consented.iter().map(|(_, c)| c.clone()).collect();
    let mut profiles = candidates::blind_profiles(ctx, &ids).await?;
    let mut to_score: Vec<(String, String, BlindProfile)> = Vec::new();
    for (application, candidate) in consented {
        match profiles.remove(&candidate) {
            Some((profile, _)) => to_score.push((application, candidate, profile)),
            None => manual_review.push(ManualReview {
                application_id: application,
                candidate_id: candidate,
                reason: manual_reason(
                    lang,
                    match lang {
                        "nl" => "er staat geen cv in het dossier",
                        "de" => "es liegt kein Lebenslauf vor",
                        _ => "no CV on file",
                    },
                ),
            }),
        }
    }
    let inputs: Vec<(String, BlindProfile)> = to_score.iter().map(|(a, _, p)| (a.clone(), p.clone())).collect();
    let scores = matching::score(ctx, job, &inputs, lang).await?;
    let mut ranked: Vec<(String, (String, BlindProfile), Scored)> =
        to_score.into_iter().zip(scores).map(|((a, c, p), s)| (a, (c, p), s)).collect();
    matching::rank(&mut ranked);
    let model = predictive::current(ctx).await?.ok();
    let total = ranked.len();
    let shown: Vec<(RankedCandidate, String)> = ranked
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(i, (application, (candidate, profile), s))| {
            let mut explanation = s.explanation.clone();
            let predicted_fit = match &model {
                Some(m) => {
                    let (p, contributions) = m.predict(&s.features);
                    let parts: Vec<String> =
                        predictive::FEATURES.iter().zip(contributions).map(|(f, c)| format!("{f} {c:+.2}")).collect();
                    explanation.push_str(&format!(". Predicted fit {:.0}% ({})", p * 100.0, parts.join(", ")));
                    p
                }
                None => -1.0,
            };
            let hash = input_hash(job, &profile);
            let candidate = RankedCandidate {
                application_id: application,
                candidate_id: candidate,
                rank: (i + 1) as u32,
                score: s.score,
                requirements: s.requirements,
                explanation,
                predicted_fit,
            };
            (candidate, hash)
        })
        .collect();
    log_recommendations(ctx, job, &shown, total).await?;
    let candidates = shown.into_iter().map(|(c, _)| c).collect();
    let notice = match lang {
        "nl" => {
            "Aanbeveling, geen beslissing: een mens beslist over elke kandidaat. Kandidaten zonder toestemming staan onder handmatige beoordeling."
        }
        "de" => {
            "Empfehlung, keine Entscheidung: über jede Person entscheidet ein Mensch. Personen ohne Einwilligung stehen unter manueller Prüfung."
        }
        _ => {
            "A recommendation, not a decision: a person decides about every candidate. Candidates without consent are listed for manual review."
        }
    };
    Ok(Shortlist {
        job_id: job.job_id.clone(),
        candidates,
        manual_review,
        model_id: matching::MODEL_ID.into(),
        model_version: matching::MODEL_VERSION.into(),
        notice: notice.into(),
    })
}

/// Every recommendation shown to a person goes to governance's decision log, once: showing the
/// same ranking input for the same job again logs nothing new.
async fn log_recommendations(
    ctx: &ServiceContext,
    job: &Job,
    shown: &[(RankedCandidate, String)],
    total: usize,
) -> Result<(), ApiError> {
    // What was logged for this job already, read once (a shortlist can show 1,000 candidates).
    let logged: std::collections::HashSet<(String, String)> =
        sqlx::query("SELECT candidate_id, input_hash FROM logged_recommendations WHERE job_id = $1")
            .bind(&job.job_id)
            .fetch_all(ctx.db.pool())
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let fresh = shown.iter().filter(|(c, hash)| !logged.contains(&(c.candidate_id.clone(), hash.clone())));
    let requests: Vec<(String, String, RecordDecisionRequest)> = fresh
        .map(|(c, hash)| {
            let request = RecordDecisionRequest {
                subject: c.candidate_id.clone(),
                purpose: SCREENING.into(),
                model_id: matching::MODEL_ID.into(),
                model_version: matching::MODEL_VERSION.into(),
                input_hash: hash.clone(),
                output: format!("recommended: rank {} of {total} for job {}, score {:.2}", c.rank, job.job_id, c.score),
                explanation: c.explanation.clone(),
                ..Default::default()
            };
            (c.candidate_id.clone(), hash.clone(), request)
        })
        .collect();
    let results: Vec<Result<_, ApiError>> = stream::iter(requests)
        .map(|(candidate, hash, request)| {
            let ctx = ctx.clone();
            async move { remote::record_decision(&ctx, request, None).await.map(|d| (candidate, hash, d.decision_id)) }
        })
        .buffer_unordered(LOG_CONCURRENCY)
        .collect()
        .await;
    for result in results {
        let (candidate, hash, decision_id) = result?;
        sqlx::query(
            "INSERT INTO logged_recommendations (job_id, candidate_id, input_hash, decision_id, logged_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id, candidate_id, input_hash) DO NOTHING",
        )
        .bind(&job.job_id)
        .bind(&candidate)
        .bind(&hash)
        .bind(&decision_id)
        .bind(hrmesh_kit::time::now_ms())
        .execute(ctx.db.pool())
        .await?;
    }
    Ok(())
}
