//! Matching beyond keywords: a score per requirement combining direct skill matches, related
//! skills from the competence graph (hidden qualifications), experience, languages and
//! education — each with an explanation of what matched, what was inferred from what, and
//! what is missing.
//!
//! Blind by construction: a [`BlindProfile`] has no field for a name, photo, age, gender,
//! nationality or address, so none of them can influence a score.

use std::collections::HashMap;

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::{
    recruiting::v1::{Job, RequirementScore},
    skills::v1::{CourseSkill, MatchProfilesRequest, ProfileMatch, RoleRequirement, SkillSet},
};
use serde::{Deserialize, Serialize};

use crate::{
    jobs::{cefr_rank, education_rank},
    remote,
};

/// Model identity for the decision log.
pub const MODEL_ID: &str = "hrmesh-matching";
pub const MODEL_VERSION: &str = "1.0";

const W_MUST: f64 = 2.0;
const W_NICE: f64 = 1.0;
const W_LANGUAGE: f64 = 1.5;
const W_EXPERIENCE: f64 = 2.0;
const W_EDUCATION: f64 = 1.0;

/// What matching may see of a candidate — and nothing else.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BlindProfile {
    /// Skill id → level (3 for a skill the CV shows in use, 2 when the evidence is weak).
    pub skills: Vec<(String, u32)>,
    pub experience_months: u32,
    /// ISO 639-1 → CEFR rank (A1 = 0 … native = 6).
    pub languages: Vec<(String, usize)>,
    /// Highest education rank (`none` = 0).
    pub education: usize,
    /// Skills the CV shows without naming them (sorted by id), each with the skill or occupation
    /// that led to it (empty when its words did): credited at level 2 and explained as inferred,
    /// never as met.
    #[serde(default)]
    pub inferred: Vec<(String, String)>,
}

impl BlindProfile {
    /// Marks `skills` as inferred from the CV: they count at the level of weak evidence.
    pub fn mark_inferred(&mut self, mut skills: Vec<(String, String)>) {
        skills.sort();
        skills.dedup_by(|a, b| a.0 == b.0);
        for (id, level) in &mut self.skills {
            if skills.binary_search_by(|(s, _)| s.cmp(id)).is_ok() {
                *level = (*level).min(INFERRED_LEVEL);
            }
        }
        self.inferred = skills;
    }
}

/// Level credited to a skill the CV only implies.
const INFERRED_LEVEL: u32 = 2;

/// A candidate's score for a job with the reasons.
#[derive(Debug, Clone, Default)]
pub struct Scored {
    pub score: f64,
    pub requirements: Vec<RequirementScore>,
    pub explanation: String,
    /// Feature values for the predictive fit model: skills, experience, languages, education (0..1).
    pub features: [f64; 4],
}

fn tr<'a>(lang: &str, en: &'a str, nl: &'a str, de: &'a str) -> &'a str {
    match lang {
        "nl" => nl,
        "de" => de,
        _ => en,
    }
}

/// Scores every profile against the job; the skill part comes from the skills service's
/// competence graph in one call.
pub async fn score(
    ctx: &ServiceContext,
    job: &Job,
    profiles: &[(String, BlindProfile)],
    lang: &str,
) -> Result<Vec<Scored>, ApiError> {
    let requirements: Vec<RoleRequirement> = job
        .must
        .iter()
        .map(|s| RoleRequirement { skill_id: s.skill_id.clone(), level: s.level, essential: true })
        .chain(job.nice.iter().map(|s| RoleRequirement {
            skill_id: s.skill_id.clone(),
            level: s.level,
            essential: false,
        }))
        .collect();
    let mut skill_matches: Vec<Option<ProfileMatch>> = vec![None; profiles.len()];
    if !requirements.is_empty() {
        let mut client = remote::skills(ctx)?;
        for (chunk_no, chunk) in profiles.chunks(1000).enumerate() {
            let request = MatchProfilesRequest {
                requirements: requirements.clone(),
                profiles: chunk
                    .iter()
                    .map(|(id, p)| SkillSet {
                        id: id.clone(),
                        skills: p.skills.iter().map(|(s, l)| CourseSkill { skill_id: s.clone(), level: *l }).collect(),
                    })
                    .collect(),
                locale: lang.to_owned(),
            };
            let answer = client
                .match_profiles(remote::request(ctx, request)?)
                .await
                .map_err(|s| remote::peer_error("skills", &s))?
                .into_inner();
            for (i, m) in answer.matches.into_iter().enumerate() {
                skill_matches[chunk_no * 1000 + i] = Some(m);
            }
        }
    }
    Ok(profiles.iter().zip(skill_matches).map(|((_, p), m)| score_one(job, p, m.as_ref(), lang)).collect())
}

/// Combines the skill match with experience, languages and education.
pub fn score_one(job: &Job, p: &BlindProfile, skills: Option<&ProfileMatch>, lang: &str) -> Scored {
    let mut reqs: Vec<(f64, RequirementScore)> = Vec::new();
    let (mut skill_sum, mut skill_weight) = (0.0, 0.0);
    for r in skills.map(|m| m.requirements.as_slice()).unwrap_or_default() {
        let score = if r.required_level == 0 { 0.0 } else { (r.credit / f64::from(r.required_level)).clamp(0.0, 1.0) };
        let status = match r.status.as_str() {
            "met" => "met",
            "covered_by_related" => "inferred",
            "partial" => "partial",
            _ => "missing",
        };
        let w = if r.essential { W_MUST } else { W_NICE };
        skill_sum += w * score;
        skill_weight += w;
        let label = r.skill.as_ref().map_or_else(String::new, |s| s.label.clone());
        let id = r.skill.as_ref().map_or("", |s| s.skill_id.as_str());
        // A requirement the CV only implies is inferred, not met; one the ad only implies says so.
        let from_cv = p
            .inferred
            .binary_search_by(|(x, _)| x.as_str().cmp(id))
            .ok()
            .and_then(|i| p.inferred.get(i))
            .filter(|_| status != "missing");
        let status = if from_cv.is_some() { "inferred" } else { status };
        let mut explanation = r.explanation.clone();
        if let Some((_, via)) = from_cv {
            explanation = format!(
                "{label}: {}",
                tr(
                    lang,
                    "inferred from the CV, which shows it without naming it",
                    "afgeleid uit het cv, dat het laat zien zonder het te noemen",
                    "aus dem Lebenslauf abgeleitet, der es zeigt, ohne es zu nennen"
                )
            );
            if !via.is_empty() {
                explanation.push_str(&format!(" ({}: {via})", tr(lang, "via", "via", "über")));
            }
        }
        if job.must.iter().chain(&job.nice).any(|s| s.skill_id == id && s.inferred) {
            explanation.push_str(tr(
                lang,
                " (requirement inferred from the advertisement)",
                " (eis afgeleid uit de vacaturetekst)",
                " (Anforderung aus der Stellenanzeige abgeleitet)",
            ));
        }
        reqs.push((
            w,
            RequirementScore {
                kind: "skill".into(),
                requirement: label,
                essential: r.essential,
                score,
                status: status.into(),
                explanation,
            },
        ));
    }
    let skills_feature = if skill_weight > 0.0 { skill_sum / skill_weight } else { 1.0 };
    let (mut lang_sum, mut lang_n) = (0.0, 0.0);
    for l in &job.languages {
        let need = cefr_rank(&l.level).unwrap_or(3);
        let have = p.languages.iter().find(|(code, _)| *code == l.language).map(|(_, r)| *r);
        let (score, status) = match have {
            Some(h) if h >= need => (1.0, "met"),
            Some(h) if h + 1 == need => (0.5, "partial"),
            Some(_) => (0.25, "partial"),
            None => (0.0, "missing"),
        };
        let level_name = |r: usize| crate::jobs::CEFR.get(r).copied().unwrap_or("?");
        let explanation = match (have, lang) {
            (Some(h), "nl") => format!("{}: niveau {} (gevraagd {})", l.language, level_name(h), l.level),
            (Some(h), "de") => format!("{}: Niveau {} (gefordert {})", l.language, level_name(h), l.level),
            (Some(h), _) => format!("{}: level {} (required {})", l.language, level_name(h), l.level),
            (None, _) => format!(
                "{}: {} ({})",
                l.language,
                tr(lang, "not mentioned in the CV", "niet genoemd in het cv", "im Lebenslauf nicht genannt"),
                l.level
            ),
        };
        lang_sum += score;
        lang_n += 1.0;
        reqs.push((
            W_LANGUAGE,
            RequirementScore {
                kind: "language".into(),
                requirement: format!("{} {}", l.language, l.level),
                essential: true,
                score,
                status: status.into(),
                explanation,
            },
        ));
    }
    let language_feature = if lang_n > 0.0 { lang_sum / lang_n } else { 1.0 };
    let years = f64::from(p.experience_months) / 12.0;
    let experience_feature =
        if job.min_years_experience == 0 { 1.0 } else { (years / f64::from(job.min_years_experience)).min(1.0) };
    if job.min_years_experience > 0 {
        let status = if experience_feature >= 1.0 {
            "met"
        } else if experience_feature > 0.0 {
            "partial"
        } else {
            "missing"
        };
        let explanation = match lang {
            "nl" => format!("{years:.1} jaar werkervaring (gevraagd {})", job.min_years_experience),
            "de" => format!("{years:.1} Jahre Berufserfahrung (gefordert {})", job.min_years_experience),
            _ => format!("{years:.1} years of work experience (required {})", job.min_years_experience),
        };
        reqs.push((
            W_EXPERIENCE,
            RequirementScore {
                kind: "experience".into(),
                requirement: format!("{} years", job.min_years_experience),
                essential: true,
                score: experience_feature,
                status: status.into(),
                explanation,
            },
        ));
    }
    let need_edu = education_rank(&job.education).unwrap_or(0);
    let education_feature = match p.education {
        h if h >= need_edu => 1.0,
        h if h + 1 == need_edu => 0.5,
        _ => 0.0,
    };
    if need_edu > 0 {
        let status = if education_feature >= 1.0 {
            "met"
        } else if education_feature > 0.0 {
            "partial"
        } else {
            "missing"
        };
        let have = crate::jobs::EDUCATION.get(p.education).copied().unwrap_or("none");
        let explanation = match lang {
            "nl" => format!("opleiding: {have} (gevraagd {})", job.education),
            "de" => format!("Ausbildung: {have} (gefordert {})", job.education),
            _ => format!("education: {have} (required {})", job.education),
        };
        reqs.push((
            W_EDUCATION,
            RequirementScore {
                kind: "education".into(),
                requirement: job.education.clone(),
                essential: false,
                score: education_feature,
                status: status.into(),
                explanation,
            },
        ));
    }
    let total: f64 = reqs.iter().map(|(w, _)| w).sum();
    let score = if total > 0.0 { reqs.iter().map(|(w, r)| w * r.score).sum::<f64>() / total } else { 0.0 };
    let requirements: Vec<RequirementScore> = reqs.into_iter().map(|(_, r)| r).collect();
    let explanation = explain(&requirements, lang);
    Scored {
        score,
        requirements,
        explanation,
        features: [skills_feature, experience_feature, language_feature, education_feature],
    }
}

/// Matched, inferred and missing requirements in a few sentences.
pub fn explain(reqs: &[RequirementScore], lang: &str) -> String {
    let names = |status: &str| -> Vec<&str> {
        reqs.iter().filter(|r| r.status == status).map(|r| r.requirement.as_str()).collect()
    };
    let mut parts = Vec::new();
    let met = names("met");
    if !met.is_empty() {
        parts.push(format!("{}: {}", tr(lang, "Meets", "Voldoet aan", "Erfüllt"), met.join(", ")));
    }
    let inferred: Vec<&str> = reqs.iter().filter(|r| r.status == "inferred").map(|r| r.explanation.as_str()).collect();
    if !inferred.is_empty() {
        parts.push(format!(
            "{}: {}",
            tr(
                lang,
                "Inferred from related skills or from what the CV shows without naming it",
                "Afgeleid uit verwante vaardigheden of uit wat het cv laat zien zonder het te noemen",
                "Abgeleitet aus verwandten Kompetenzen oder aus dem, was der Lebenslauf zeigt, ohne es zu nennen"
            ),
            inferred.join("; ")
        ));
    }
    let partial = names("partial");
    if !partial.is_empty() {
        parts.push(format!("{}: {}", tr(lang, "Partly", "Gedeeltelijk", "Teilweise"), partial.join(", ")));
    }
    let missing = names("missing");
    if !missing.is_empty() {
        parts.push(format!("{}: {}", tr(lang, "Missing", "Ontbreekt", "Fehlt"), missing.join(", ")));
    }
    parts.join(". ")
}

/// Ranks scored candidates: highest score first, ties by id so the order is reproducible.
pub fn rank<T>(scored: &mut [(String, T, Scored)]) {
    scored.sort_by(|a, b| b.2.score.total_cmp(&a.2.score).then_with(|| a.0.cmp(&b.0)));
}

/// Level credited to a skill found in a CV, from the extractor's confidence.
pub fn cv_skill_level(confidence: f64) -> u32 {
    if confidence >= 0.7 { 3 } else { 2 }
}

/// Builds the blind view of a profile (language levels and education as ranks).
pub fn blind(
    skills: &HashMap<String, f64>,
    experience_months: u32,
    languages: &[(String, String)],
    education: &[String],
) -> BlindProfile {
    let mut skills: Vec<(String, u32)> = skills.iter().map(|(s, c)| (s.clone(), cv_skill_level(*c))).collect();
    skills.sort();
    let mut languages: Vec<(String, usize)> =
        languages.iter().filter_map(|(code, level)| Some((code.clone(), cefr_rank(level)?))).collect();
    languages.sort();
    let education = education.iter().filter_map(|e| education_rank(e)).max().unwrap_or(0);
    BlindProfile { skills, experience_months, languages, education, inferred: Vec::new() }
}

#[cfg(test)]
mod tests {
    use hrmesh_proto::{
        recruiting::v1::LanguageRequirement,
        skills::v1::{RequirementGap, SkillRef},
    };

    use super::*;

    fn job() -> Job {
        Job {
            job_id: "j".into(),
            min_years_experience: 4,
            education: "vocational".into(),
            languages: vec![LanguageRequirement { language: "nl".into(), level: "B2".into() }],
            ..Default::default()
        }
    }

    fn gap(label: &str, status: &str, credit: f64, essential: bool) -> RequirementGap {
        RequirementGap {
            skill: Some(SkillRef { skill_id: label.into(), label: label.into(), origin: "builtin".into() }),
            essential,
            required_level: 3,
            status: status.into(),
            credit,
            explanation: format!("{label} explained"),
            ..Default::default()
        }
    }

    #[test]
    fn every_requirement_is_scored_and_explained() {
        let m = ProfileMatch {
            requirements: vec![gap("MIG/MAG", "covered_by_related", 1.8, true), gap("Forklift", "missing", 0.0, false)],
            ..Default::default()
        };
        let p = BlindProfile {
            experience_months: 24,
            languages: vec![("nl".into(), 6)],
            education: 2,
            ..Default::default()
        };
        let s = score_one(&job(), &p, Some(&m), "en");
        let kinds: Vec<(&str, &str)> = s.requirements.iter().map(|r| (r.kind.as_str(), r.status.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("skill", "inferred"),
                ("skill", "missing"),
                ("language", "met"),
                ("experience", "partial"),
                ("education", "met")
            ]
        );
        assert!((s.requirements[0].score - 0.6).abs() < 1e-9);
        assert!(
            s.explanation.contains(
                "Inferred from related skills or from what the CV shows without naming it: MIG/MAG explained"
            ),
            "{}",
            s.explanation
        );
        assert!(s.explanation.contains("Missing: Forklift"), "{}", s.explanation);
        // (2×0.6 + 1×0 + 1.5×1 + 2×0.5 + 1×1) / 7.5
        assert!((s.score - 4.7 / 7.5).abs() < 1e-9, "{}", s.score);
    }

    #[test]
    fn the_profile_type_holds_nothing_personal() {
        let json = serde_json::to_value(BlindProfile::default()).expect("json");
        let fields: Vec<&String> = json.as_object().expect("object").keys().collect();
        assert_eq!(fields, ["education", "experience_months", "inferred", "languages", "skills"]);
    }

    #[test]
    fn a_requirement_the_cv_only_implies_is_inferred_not_met() {
        let m = ProfileMatch { requirements: vec![gap("it.ci_cd", "met", 2.0, true)], ..Default::default() };
        let mut p = BlindProfile { skills: vec![("it.ci_cd".into(), 3)], ..Default::default() };
        p.mark_inferred(vec![("it.ci_cd".into(), String::new())]);
        assert_eq!(p.skills, [("it.ci_cd".to_owned(), 2)]);
        for (lang, words) in [("en", "without naming it"), ("nl", "zonder het te noemen"), ("de", "ohne es zu nennen")]
        {
            let s = score_one(&job(), &p, Some(&m), lang);
            assert_eq!(s.requirements[0].status, "inferred");
            assert!(s.requirements[0].explanation.contains(words), "{}", s.requirements[0].explanation);
        }
    }
}
