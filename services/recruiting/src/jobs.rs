//! Job requisitions: must-have and nice-to-have skills, languages, experience, education,
//! location and hours — entered as fields or extracted from the advertisement by the skills
//! service. Opening a job emits `JobOpened`, from which skills keeps its demand forecast.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::{
    recruiting::v1::{CreateJobRequest, Job, JobOpened, LanguageRequirement, SkillRequirement},
    skills::v1::{ExtractSkillsRequest, ExtractedSkill, GetSkillRequest},
};
use sqlx::Row;

use crate::{ad, application::PURPOSE, remote};

pub const EDUCATION: [&str; 6] = ["none", "secondary", "vocational", "bachelor", "master", "doctorate"];
pub const CEFR: [&str; 7] = ["A1", "A2", "B1", "B2", "C1", "C2", "native"];
/// Level assumed for a skill named in an advertisement.
const AD_LEVEL: u32 = 3;
/// Level assumed for a language named in an advertisement.
const AD_LANGUAGE_LEVEL: &str = "B2";

/// Ordinal of an education level (`none` = 0).
pub fn education_rank(level: &str) -> Option<usize> {
    EDUCATION.iter().position(|e| *e == level)
}

/// Ordinal of a CEFR level (A1 = 0 … C2 = 5, native = 6).
pub fn cefr_rank(level: &str) -> Option<usize> {
    CEFR.iter().position(|c| c.eq_ignore_ascii_case(level))
}

/// Taxonomy language skills that an advertisement may name, as ISO 639-1 codes.
const LANGUAGE_SKILLS: [(&str, &str); 12] = [
    ("lang.dutch", "nl"),
    ("lang.german", "de"),
    ("lang.english", "en"),
    ("lang.french", "fr"),
    ("lang.polish", "pl"),
    ("lang.turkish", "tr"),
    ("lang.arabic", "ar"),
    ("lang.spanish", "es"),
    ("lang.italian", "it"),
    ("lang.romanian", "ro"),
    ("lang.portuguese", "pt"),
    ("lang.russian", "ru"),
];

fn skills(field: &str, items: &[SkillRequirement], v: &mut Violations) -> Vec<SkillRequirement> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let id = v.check(identifier(&format!("{field}[{i}].skill_id"), &s.skill_id))?;
            let level = if s.level == 0 { AD_LEVEL } else { s.level };
            if !(1..=5).contains(&level) {
                v.add(&format!("{field}[{i}].level"), "must be between 1 and 5 (0 for the default 3)");
                return None;
            }
            Some(SkillRequirement { skill_id: id, level, inferred: false })
        })
        .collect()
}

fn languages(items: &[LanguageRequirement], v: &mut Violations) -> Vec<LanguageRequirement> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let code = l.language.trim().to_ascii_lowercase();
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_lowercase()) {
                v.add(&format!("languages[{i}].language"), "must be an ISO 639-1 code such as nl");
                return None;
            }
            let Some(rank) = cefr_rank(l.level.trim()) else {
                v.add(&format!("languages[{i}].level"), "must be a CEFR level A1…C2 or native");
                return None;
            };
            Some(LanguageRequirement { language: code, level: CEFR[rank].to_owned() })
        })
        .collect()
}

/// Skills an advertisement implies that become nice-to-haves, the confidence they need and the
/// level asked.
const AD_INFERRED: usize = 3;
const AD_INFERRED_CONFIDENCE: f64 = 0.6;
const AD_INFERRED_LEVEL: u32 = 2;

/// Requirements found in an advertisement by the skills service.
async fn from_ad(
    ctx: &ServiceContext,
    ad: &str,
) -> Result<(Vec<SkillRequirement>, Vec<SkillRequirement>, Vec<LanguageRequirement>), ApiError> {
    let mut client = remote::skills(ctx)?;
    // Only the requirement sections: a skill named in the company intro or the offer is not
    // asked of the candidate. Offsets into the blanked text are offsets into the ad.
    let text = ad::requirement_text(ad);
    let request = remote::request(ctx, ExtractSkillsRequest { text, ..Default::default() })?;
    let found = client.extract_skills(request).await.map_err(|s| remote::peer_error("skills", &s))?.into_inner();
    Ok(requirements_in(ad, found.skills))
}

/// Sorts the skills found in an advertisement into must-haves, nice-to-haves and languages.
fn requirements_in(
    ad: &str,
    found: Vec<ExtractedSkill>,
) -> (Vec<SkillRequirement>, Vec<SkillRequirement>, Vec<LanguageRequirement>) {
    let (mut must, mut nice, mut langs) = (Vec::new(), Vec::new(), Vec::new());
    let mut implied = 0;
    for s in found {
        let Some(skill) = s.skill else { continue };
        // What the ad implies without naming it is at most a nice-to-have, and only the
        // strongest few: the ranked answer ends with weak guesses.
        if s.inferred {
            if implied < AD_INFERRED && s.confidence >= AD_INFERRED_CONFIDENCE {
                implied += 1;
                nice.push(SkillRequirement { skill_id: skill.skill_id, level: AD_INFERRED_LEVEL, inferred: true });
            }
            continue;
        }
        let at = s.evidence.as_ref().map_or(0, |e| e.start as usize);
        let nice_to_have = ad::is_nice_to_have(&ad::sentence_around(ad, at));
        // A language requirement has no nice-to-have form: "Engels is een pre" is a nice skill.
        if let Some((_, code)) = LANGUAGE_SKILLS.iter().find(|(id, _)| *id == skill.skill_id)
            && !nice_to_have
        {
            langs.push(LanguageRequirement { language: (*code).to_owned(), level: AD_LANGUAGE_LEVEL.to_owned() });
            continue;
        }
        let requirement = SkillRequirement { skill_id: skill.skill_id, level: AD_LEVEL, inferred: false };
        if nice_to_have {
            nice.push(requirement);
        } else {
            must.push(requirement);
        }
    }
    (must, nice, langs)
}

/// A job definition parsed from a request, requirements extracted from the ad when none are
/// given; not stored yet.
pub async fn define(ctx: &ServiceContext, req: &CreateJobRequest) -> Result<Job, ApiError> {
    let mut v = Violations::default();
    let job_id = v.check(identifier("job_id", &req.job_id));
    let title = v.check(required_text("title", &req.title, 200));
    let hiring_manager_id = match req.hiring_manager_id.trim() {
        "" => String::new(),
        given => v.check(identifier("hiring_manager_id", given)).unwrap_or_default(),
    };
    let mut must = skills("must", &req.must, &mut v);
    let mut nice = skills("nice", &req.nice, &mut v);
    let mut langs = languages(&req.languages, &mut v);
    // Fields left empty are read from the advertisement when there is one.
    let education = match req.education.as_str() {
        "" => ad::education(&req.ad_text).unwrap_or("none"),
        given => given,
    };
    let min_years = match req.min_years_experience {
        0 => ad::min_years(&req.ad_text).unwrap_or(0),
        given => given,
    };
    if education_rank(education).is_none() {
        v.add("education", format!("must be one of {}", EDUCATION.join(", ")));
    }
    if min_years > 50 {
        v.add("min_years_experience", "at most 50");
    }
    if req.hours_per_week > 60 {
        v.add("hours_per_week", "at most 60");
    }
    if req.ad_text.len() > 100_000 {
        v.add("ad_text", "at most 100000 bytes");
    }
    let extract = must.is_empty() && nice.is_empty();
    if extract && req.ad_text.trim().is_empty() {
        v.add("must", "give skill requirements, or an ad_text to extract them from");
    }
    let (Some(job_id), Some(title)) = (job_id, title) else { return Err(v.into_error()) };
    v.finish()?;
    known_skills(ctx, &must, &nice).await?;
    if extract {
        let (m, n, l) = from_ad(ctx, &req.ad_text).await?;
        if m.is_empty() && n.is_empty() {
            return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
                "ad_text",
                "no skills recognised in the advertisement: name the requirements in must/nice",
            )]));
        }
        (must, nice) = (m, n);
        for l in l {
            if !langs.iter().any(|x| x.language == l.language) {
                langs.push(l);
            }
        }
    }
    // Stored and returned in one order (by id), so reading a job back gives what was answered.
    must.sort_by(|a, b| a.skill_id.cmp(&b.skill_id));
    nice.sort_by(|a, b| a.skill_id.cmp(&b.skill_id));
    langs.sort_by(|a, b| a.language.cmp(&b.language));
    Ok(Job {
        job_id,
        title,
        must,
        nice,
        languages: langs,
        min_years_experience: min_years,
        education: education.to_owned(),
        location: req.location.trim().to_owned(),
        hours_per_week: req.hours_per_week,
        ad_text: req.ad_text.clone(),
        extracted: extract,
        opened_at: None,
        open: true,
        closed_at: None,
        hiring_manager_id,
    })
}

/// Asks skills whether every given skill id exists (a read the user waits on); an unknown id is
/// INVALID_ARGUMENT naming its field.
async fn known_skills(
    ctx: &ServiceContext,
    must: &[SkillRequirement],
    nice: &[SkillRequirement],
) -> Result<(), ApiError> {
    let mut v = Violations::default();
    let named = must
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("must[{i}].skill_id"), s))
        .chain(nice.iter().enumerate().map(|(i, s)| (format!("nice[{i}].skill_id"), s)));
    let mut client = remote::skills(ctx)?;
    for (field, s) in named {
        let request = remote::request(ctx, GetSkillRequest { skill_id: s.skill_id.clone(), locale: String::new() })?;
        match client.get_skill(request).await {
            Ok(_) => {}
            Err(status) if status.code() == tonic::Code::NotFound => {
                v.add(&field, format!("unknown skill {:?} (see SearchSkills)", s.skill_id));
            }
            Err(status) => return Err(remote::peer_error("skills", &status)),
        }
    }
    v.finish()
}

/// The ids of every skill a job asks for.
pub fn skill_ids(job: &Job) -> Vec<String> {
    job.must.iter().chain(&job.nice).map(|s| s.skill_id.clone()).collect()
}

/// Opens a job: stored with its requirements and `JobOpened` in one transaction.
pub async fn create(ctx: &ServiceContext, req: &CreateJobRequest) -> Result<Job, ApiError> {
    let mut job = define(ctx, req).await?;
    let all = skill_ids(&job);
    let opened_at = time::now_ms();
    job.opened_at = Some(time::timestamp(opened_at));
    let extract = job.extracted;
    // Skill demand learns of the job from `JobOpened` on the governed stream, not from a call.
    let mut tx = ctx.db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO jobs (job_id, title, min_years, education, location, hours_per_week, ad_text, extracted, opened_at,
         hiring_manager_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&job.job_id)
    .bind(&job.title)
    .bind(i64::from(job.min_years_experience))
    .bind(&job.education)
    .bind(&job.location)
    .bind(i64::from(job.hours_per_week))
    .bind(&job.ad_text)
    .bind(i64::from(extract))
    .bind(opened_at)
    .bind(Some(job.hiring_manager_id.as_str()).filter(|m| !m.is_empty()))
    .execute(&mut *tx)
    .await;
    inserted.map_err(|e| ApiError::on_conflict(e, || format!("job {} already exists", job.job_id)))?;
    insert_requirements(&mut tx, &job).await?;
    let event = JobOpened { job_id: job.job_id.clone(), title: job.title.clone(), skill_ids: all };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&job.job_id, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(job)
}

/// Stores a job's skill and language requirements.
async fn insert_requirements(tx: &mut sqlx::AnyConnection, job: &Job) -> Result<(), ApiError> {
    for (s, essential) in job.must.iter().map(|s| (s, true)).chain(job.nice.iter().map(|s| (s, false))) {
        sqlx::query("INSERT INTO job_skills (job_id, skill_id, level, essential, inferred) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (job_id, skill_id) DO NOTHING")
            .bind(&job.job_id)
            .bind(&s.skill_id)
            .bind(i64::from(s.level))
            .bind(i64::from(essential))
            .bind(i64::from(s.inferred))
            .execute(&mut *tx)
            .await?;
    }
    for l in &job.languages {
        sqlx::query("INSERT INTO job_languages (job_id, language, level) VALUES ($1, $2, $3) ON CONFLICT (job_id, language) DO NOTHING")
            .bind(&job.job_id)
            .bind(&l.language)
            .bind(&l.level)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Replaces a job's definition (keeping when it opened and whether it is open) and emits
/// `JobUpdated` naming who changed it and why.
pub async fn update(
    ctx: &ServiceContext,
    caller: &hrmesh_kit::auth::Principal,
    req: &hrmesh_proto::recruiting::v1::UpdateJobRequest,
) -> Result<Job, ApiError> {
    let definition = req.job.clone().unwrap_or_default();
    let reason = required_text("reason", &req.reason, 500).map_err(|v| ApiError::InvalidArgument(vec![v]));
    let current = get(ctx, &definition.job_id).await?;
    let reason = reason?;
    let mut job = define(ctx, &definition).await?;
    (job.opened_at, job.open, job.closed_at) = (current.opened_at, current.open, current.closed_at);
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "UPDATE jobs SET title = $1, min_years = $2, education = $3, location = $4, hours_per_week = $5,
                         ad_text = $6, extracted = $7, updated_at = $8, hiring_manager_id = $10 WHERE job_id = $9",
    )
    .bind(&job.title)
    .bind(i64::from(job.min_years_experience))
    .bind(&job.education)
    .bind(&job.location)
    .bind(i64::from(job.hours_per_week))
    .bind(&job.ad_text)
    .bind(i64::from(job.extracted))
    .bind(time::now_ms())
    .bind(&job.job_id)
    .bind(Some(job.hiring_manager_id.as_str()).filter(|m| !m.is_empty()))
    .execute(&mut *tx)
    .await?;
    for table in ["job_skills", "job_languages"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE job_id = $1")))
            .bind(&job.job_id)
            .execute(&mut *tx)
            .await?;
    }
    insert_requirements(&mut tx, &job).await?;
    let event = hrmesh_proto::recruiting::v1::JobUpdated {
        job_id: job.job_id.clone(),
        title: job.title.clone(),
        skill_ids: skill_ids(&job),
        updated_by: caller.subject.clone(),
        reason,
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&job.job_id, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(job)
}

pub async fn get(ctx: &ServiceContext, job_id: &str) -> Result<Job, ApiError> {
    let id = identifier("job_id", job_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let pool = ctx.db.pool();
    let row = sqlx::query(
        "SELECT title, min_years, education, location, hours_per_week, ad_text, extracted, opened_at, closed_at,
         hiring_manager_id FROM jobs WHERE job_id = $1",
    )
    .bind(&id)
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no job {id}")))?;
    let mut job = Job {
        job_id: id.clone(),
        title: row.try_get(0)?,
        min_years_experience: u32::try_from(row.try_get::<i64, _>(1)?).unwrap_or(0),
        education: row.try_get(2)?,
        location: row.try_get(3)?,
        hours_per_week: u32::try_from(row.try_get::<i64, _>(4)?).unwrap_or(0),
        ad_text: row.try_get(5)?,
        extracted: hrmesh_kit::db::get_bool(&row, 6)?,
        opened_at: Some(time::timestamp(row.try_get(7)?)),
        ..Default::default()
    };
    let closed_at: Option<i64> = row.try_get(8)?;
    job.hiring_manager_id = row.try_get::<Option<String>, _>(9)?.unwrap_or_default();
    job.open = closed_at.is_none();
    job.closed_at = closed_at.map(time::timestamp);
    for r in
        sqlx::query("SELECT skill_id, level, essential, inferred FROM job_skills WHERE job_id = $1 ORDER BY skill_id")
            .bind(&id)
            .fetch_all(pool)
            .await?
    {
        let s = SkillRequirement {
            skill_id: r.try_get(0)?,
            level: u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(3),
            inferred: hrmesh_kit::db::get_bool(&r, 3)?,
        };
        if hrmesh_kit::db::get_bool(&r, 2)? { job.must.push(s) } else { job.nice.push(s) }
    }
    for r in sqlx::query("SELECT language, level FROM job_languages WHERE job_id = $1 ORDER BY language")
        .bind(&id)
        .fetch_all(pool)
        .await?
    {
        job.languages.push(LanguageRequirement { language: r.try_get(0)?, level: r.try_get(1)? });
    }
    Ok(job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nice_to_have_language_is_a_nice_skill_not_a_language_requirement() {
        let ad = "Wat vragen wij?\nMIG/MAG-lassen\nDuits vereist\nEngels is een pre\nAutoCAD is een pluspunt\n";
        let found = |id: &str, word: &str| ExtractedSkill {
            skill: Some(hrmesh_proto::skills::v1::SkillRef { skill_id: id.into(), ..Default::default() }),
            evidence: ad.find(word).map(|at| hrmesh_proto::skills::v1::Evidence {
                start: at as u32,
                end: (at + word.len()) as u32,
                text: word.into(),
            }),
            ..Default::default()
        };
        let (must, nice, langs) = requirements_in(
            ad,
            vec![
                found("weld.mig", "MIG/MAG"),
                found("lang.german", "Duits"),
                found("lang.english", "Engels"),
                found("cad.autocad", "AutoCAD"),
            ],
        );
        let ids = |r: &[SkillRequirement]| r.iter().map(|s| s.skill_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&must), ["weld.mig"]);
        assert_eq!(ids(&nice), ["lang.english", "cad.autocad"]);
        assert_eq!(langs, [LanguageRequirement { language: "de".into(), level: "B2".into() }]);
    }

    #[test]
    fn bad_requirements_are_named_by_field() {
        let mut v = Violations::default();
        let langs = languages(
            &[
                LanguageRequirement { language: "nl".into(), level: "c1".into() },
                LanguageRequirement { language: "dutch".into(), level: "B2".into() },
                LanguageRequirement { language: "de".into(), level: "fluent".into() },
            ],
            &mut v,
        );
        assert_eq!(langs.len(), 1);
        assert_eq!(langs[0].level, "C1");
        let Err(ApiError::InvalidArgument(violations)) = v.finish() else { panic!("must fail") };
        let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["languages[1].language", "languages[2].level"]);
        assert!(education_rank("bachelor") > education_rank("vocational"));
        assert_eq!(cefr_rank("native"), Some(6));
    }
}
