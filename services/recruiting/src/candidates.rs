//! Candidate profiles from CVs: the document and contact details sealed with the candidate's
//! key, the structured profile (work, education, languages — no contact details) as JSON, and
//! the skills the skills service found, each with its evidence.

use std::collections::HashMap;

use hrmesh_kit::{ApiError, crypto::Vault, service::ServiceContext, time};
use hrmesh_proto::{
    recruiting::v1::{CandidateProfile, CandidateSkill, Contact, EducationEntry, LanguageSkill, WorkEntry},
    skills::v1::ExtractSkillsRequest,
};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::{matching::BlindProfile, remote};

/// The structured part of a profile as stored (contact details are kept apart, sealed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Structured {
    pub language: String,
    pub format: String,
    pub work: Vec<StoredJob>,
    pub experience_months: u32,
    pub education: Vec<StoredEducation>,
    /// (ISO 639-1, CEFR level or `native`).
    pub languages: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredJob {
    pub title: String,
    pub employer: String,
    pub start: String,
    pub end: String,
    pub months: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredEducation {
    pub degree: String,
    pub institution: String,
    pub level: String,
    pub year: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredContact {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

/// A parsed CV ready to store.
#[derive(Debug, Clone)]
pub struct Intake {
    pub filename: String,
    pub document: Vec<u8>,
    /// The CV's text for skill extraction: facts about the person blanked, offsets kept.
    pub text: String,
    pub contact: StoredContact,
    pub structured: Structured,
}

/// Most skills taken from one CV: a long CV names many, and the ranked answer ends with the
/// weakest inferred ones.
const CV_SKILLS: u32 = 60;

/// Asks the skills service for the skills in the CV text, named and inferred (ranked).
pub async fn extract_skills(ctx: &ServiceContext, text: &str, language: &str) -> Result<Vec<CandidateSkill>, ApiError> {
    let mut client = remote::skills(ctx)?;
    let request = ExtractSkillsRequest {
        text: text.to_owned(),
        language: language.to_owned(),
        locale: language.to_owned(),
        k: CV_SKILLS,
    };
    let found = client
        .extract_skills(remote::request(ctx, request)?)
        .await
        .map_err(|s| remote::peer_error("skills", &s))?
        .into_inner();
    Ok(found
        .skills
        .into_iter()
        .filter_map(|s| {
            let skill = s.skill?;
            Some(CandidateSkill {
                skill_id: skill.skill_id,
                label: skill.label,
                evidence: s.evidence.map(|e| e.text).unwrap_or_default(),
                confidence: s.confidence,
                inferred: s.inferred,
                inferred_from: s.via.map(|v| v.label).unwrap_or_default(),
            })
        })
        .collect())
}

fn hex_of(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Replaces the candidate's profile (a new CV supersedes the old one) in one transaction.
pub async fn store(
    ctx: &ServiceContext,
    candidate: &str,
    intake: &Intake,
    skills: &[CandidateSkill],
) -> Result<i64, ApiError> {
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    let document = ctx.vault.seal(&mut tx, candidate, &hex_of(&intake.document)).await?;
    let contact_json = serde_json::to_string(&intake.contact)?;
    let contact = ctx.vault.seal(&mut tx, candidate, &contact_json).await?;
    let profile = serde_json::to_string(&intake.structured)?;
    sqlx::query(
        "INSERT INTO candidates (candidate_id, language, format, filename, document, contact, profile, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (candidate_id) DO UPDATE SET language = excluded.language, format = excluded.format,
           filename = excluded.filename, document = excluded.document, contact = excluded.contact,
           profile = excluded.profile, received_at = excluded.received_at",
    )
    .bind(candidate)
    .bind(&intake.structured.language)
    .bind(&intake.structured.format)
    .bind(&intake.filename)
    .bind(document)
    .bind(contact)
    .bind(profile)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM candidate_skills WHERE candidate_id = $1").bind(candidate).execute(&mut *tx).await?;
    for s in skills {
        sqlx::query(
            "INSERT INTO candidate_skills (candidate_id, skill_id, evidence, confidence, inferred, inferred_from)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(candidate)
        .bind(&s.skill_id)
        .bind(&s.evidence)
        .bind(s.confidence)
        .bind(i64::from(s.inferred))
        .bind(&s.inferred_from)
        .execute(&mut *tx)
        .await?;
    }
    ctx.commit(tx).await?;
    Ok(now)
}

async fn contact(
    conn: &mut AnyConnection,
    vault: &Vault,
    candidate: &str,
    sealed: &str,
) -> Result<StoredContact, ApiError> {
    let opened = vault.open(conn, candidate, sealed).await?;
    Ok(opened.and_then(|json| serde_json::from_str(&json).ok()).unwrap_or_default())
}

/// The full profile (contact details opened) for the candidate and HR.
pub async fn profile(ctx: &ServiceContext, candidate: &str) -> Result<Option<CandidateProfile>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let Some(row) = sqlx::query("SELECT contact, profile, received_at FROM candidates WHERE candidate_id = $1")
        .bind(candidate)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let c = contact(&mut conn, &ctx.vault, candidate, &row.try_get::<String, _>(0)?).await?;
    let s: Structured = serde_json::from_str(&row.try_get::<String, _>(1)?)?;
    let received_at: i64 = row.try_get(2)?;
    let skills = sqlx::query(
        "SELECT skill_id, evidence, confidence, inferred, inferred_from FROM candidate_skills
         WHERE candidate_id = $1 ORDER BY skill_id",
    )
    .bind(candidate)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(CandidateSkill {
            skill_id: r.try_get(0)?,
            label: String::new(),
            evidence: r.try_get(1)?,
            confidence: r.try_get(2)?,
            inferred: hrmesh_kit::db::get_bool(r, 3)?,
            inferred_from: r.try_get(4)?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(to_proto(candidate, c, s, skills, received_at)))
}

pub fn to_proto(
    candidate: &str,
    c: StoredContact,
    s: Structured,
    skills: Vec<CandidateSkill>,
    received_at: i64,
) -> CandidateProfile {
    CandidateProfile {
        candidate_id: candidate.to_owned(),
        language: s.language,
        contact: Some(Contact { name: c.name, email: c.email, phone: c.phone, address: c.address }),
        work: s
            .work
            .into_iter()
            .map(|w| WorkEntry { title: w.title, employer: w.employer, start: w.start, end: w.end, months: w.months })
            .collect(),
        experience_months: s.experience_months,
        education: s
            .education
            .into_iter()
            .map(|e| EducationEntry { degree: e.degree, institution: e.institution, level: e.level, year: e.year })
            .collect(),
        languages: s.languages.into_iter().map(|(language, level)| LanguageSkill { language, level }).collect(),
        skills,
        format: s.format,
        warnings: s.warnings,
        received_at: Some(time::timestamp(received_at)),
    }
}

/// Blind profiles (no contact details, by type) of the given candidates that have a CV on file.
pub async fn blind_profiles(
    ctx: &ServiceContext,
    candidates: &[String],
) -> Result<HashMap<String, (BlindProfile, String)>, ApiError> {
    let mut out = HashMap::new();
    if candidates.is_empty() {
        return Ok(out);
    }
    let wanted: std::collections::HashSet<&String> = candidates.iter().collect();
    let mut skills: HashMap<String, HashMap<String, f64>> = HashMap::new();
    let mut inferred: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for r in sqlx::query("SELECT candidate_id, skill_id, confidence, inferred, inferred_from FROM candidate_skills")
        .fetch_all(ctx.db.pool())
        .await?
    {
        let c: String = r.try_get(0)?;
        if wanted.contains(&c) {
            let skill: String = r.try_get(1)?;
            if hrmesh_kit::db::get_bool(&r, 3)? {
                inferred.entry(c.clone()).or_default().push((skill.clone(), r.try_get(4)?));
            }
            skills.entry(c).or_default().insert(skill, r.try_get(2)?);
        }
    }
    for r in sqlx::query("SELECT candidate_id, profile, language FROM candidates").fetch_all(ctx.db.pool()).await? {
        let c: String = r.try_get(0)?;
        if !wanted.contains(&c) {
            continue;
        }
        let s: Structured = serde_json::from_str(&r.try_get::<String, _>(1)?)?;
        let education: Vec<String> = s.education.iter().map(|e| e.level.clone()).collect();
        let mut blind = crate::matching::blind(
            &skills.remove(&c).unwrap_or_default(),
            s.experience_months,
            &s.languages,
            &education,
        );
        blind.mark_inferred(inferred.remove(&c).unwrap_or_default());
        out.insert(c, (blind, r.try_get(2)?));
    }
    Ok(out)
}

/// The candidate's name (opened) and CV language, for outreach.
pub async fn name_and_language(ctx: &ServiceContext, candidate: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(profile(ctx, candidate).await?.map(|p| (p.contact.map(|c| c.name).unwrap_or_default(), p.language)))
}

/// The CV profile with contact details opened, for an access request.
pub async fn export(
    conn: &mut AnyConnection,
    vault: &Vault,
    candidate: &str,
) -> Result<Option<serde_json::Value>, ApiError> {
    let Some(row) =
        sqlx::query("SELECT contact, profile, filename, received_at FROM candidates WHERE candidate_id = $1")
            .bind(candidate)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(None);
    };
    let c = contact(conn, vault, candidate, &row.try_get::<String, _>(0)?).await?;
    let s: Structured = serde_json::from_str(&row.try_get::<String, _>(1)?)?;
    Ok(Some(serde_json::json!({
        "contact": c, "profile": s, "filename": row.try_get::<String, _>(2)?, "received_at": row.try_get::<i64, _>(3)?,
    })))
}
