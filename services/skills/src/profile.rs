//! Skill profiles: per employee and skill one level per source (declared by the employee,
//! declared by a manager, inferred from text, verified), every change kept in the history and
//! published as `SkillProfileChanged`.

use std::collections::HashMap;

use hrmesh_kit::{ApiError, FieldViolation, events::raw_topic, outbox, service::ServiceContext, time};
use hrmesh_proto::skills::v1::{ProfileChange, ProfileSkill, SkillProfile, SkillProfileChanged};
use sqlx::Row;

use crate::{
    lang::Lang,
    taxonomy::{SkillIx, Taxonomy},
};

/// Purpose of declared and verified skills.
pub const PURPOSE: &str = "skills.profile";
/// Purpose of skills inferred from text; needs the employee's consent.
pub const INFERENCE_PURPOSE: &str = "skills.inference";
/// Level an inference records: a text shows a skill was used, not how well.
pub const INFERRED_LEVEL: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    DeclaredSelf,
    DeclaredManager,
    Inferred,
    Verified,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::DeclaredSelf => "declared_self",
            Source::DeclaredManager => "declared_manager",
            Source::Inferred => "inferred",
            Source::Verified => "verified",
        }
    }

    fn parse(s: &str) -> Option<Source> {
        [Source::DeclaredSelf, Source::DeclaredManager, Source::Inferred, Source::Verified]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    fn purpose(self) -> &'static str {
        if self == Source::Inferred { INFERENCE_PURPOSE } else { PURPOSE }
    }
}

/// Proficiency 1 (basic) ..= 5 (expert).
pub fn level(field: &str, value: u32) -> Result<u32, FieldViolation> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err(FieldViolation::new(field, "must be between 1 (basic) and 5 (expert)"))
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change {
    pub skill_id: String,
    pub source: Source,
    pub level: u32,
    pub evidence: String,
    pub evidence_source: String,
}

/// Applies `changes` in one transaction; unchanged entries are left alone (no history, no event).
/// Returns how many entries changed.
pub async fn record(ctx: &ServiceContext, employee: &str, changes: &[Change], actor: &str) -> Result<usize, ApiError> {
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    let mut changed = 0;
    for c in changes {
        let previous = sqlx::query(
            "SELECT level, evidence FROM profile_skills WHERE employee_id = $1 AND skill_id = $2 AND source = $3",
        )
        .bind(employee)
        .bind(&c.skill_id)
        .bind(c.source.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let previous_level = match &previous {
            Some(row) => {
                let (lvl, evidence): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
                if lvl == i64::from(c.level) && evidence == c.evidence {
                    continue;
                }
                u32::try_from(lvl).unwrap_or(0)
            }
            None => 0,
        };
        sqlx::query(
            "INSERT INTO profile_skills (employee_id, skill_id, source, level, evidence, evidence_source, changed_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (employee_id, skill_id, source) DO UPDATE SET level = excluded.level,
               evidence = excluded.evidence, evidence_source = excluded.evidence_source,
               changed_by = excluded.changed_by, updated_at = excluded.updated_at",
        )
        .bind(employee)
        .bind(&c.skill_id)
        .bind(c.source.as_str())
        .bind(i64::from(c.level))
        .bind(&c.evidence)
        .bind(&c.evidence_source)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO skill_history (id, employee_id, skill_id, level, declared_by, declared_at, source, previous_level)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(employee)
        .bind(&c.skill_id)
        .bind(i64::from(c.level))
        .bind(actor)
        .bind(now)
        .bind(c.source.as_str())
        .bind(i64::from(previous_level))
        .execute(&mut *tx)
        .await?;
        let event = SkillProfileChanged {
            skill_id: c.skill_id.clone(),
            level: c.level,
            source: c.source.as_str().to_owned(),
            previous_level,
        };
        let envelope = ctx.events.envelope(employee, c.source.purpose(), &event);
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
        changed += 1;
    }
    ctx.commit(tx).await?;
    Ok(changed)
}

/// A profile entry as stored.
#[derive(Debug, Clone)]
struct Entry {
    skill_id: String,
    source: Source,
    level: u32,
    evidence: String,
    evidence_source: String,
    updated_at: i64,
}

async fn entries(ctx: &ServiceContext, employee: &str) -> Result<Vec<Entry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT skill_id, source, level, evidence, evidence_source, updated_at FROM profile_skills
         WHERE employee_id = $1 ORDER BY skill_id, source",
    )
    .bind(employee)
    .fetch_all(ctx.db.pool())
    .await?;
    rows.iter()
        .filter_map(|r| {
            let source = r.try_get::<String, _>(1).map(|s| Source::parse(&s));
            match source {
                Ok(Some(source)) => Some(Ok(Entry {
                    skill_id: r.try_get(0).ok()?,
                    source,
                    level: u32::try_from(r.try_get::<i64, _>(2).ok()?).unwrap_or(0),
                    evidence: r.try_get(3).ok()?,
                    evidence_source: r.try_get(4).ok()?,
                    updated_at: r.try_get(5).ok()?,
                })),
                Ok(None) => None,
                Err(e) => Some(Err(e)),
            }
        })
        .collect()
}

/// The level the platform reasons with: verified, else the highest declaration, else inferred.
fn effective(levels: &HashMap<Source, u32>) -> u32 {
    let get = |s| levels.get(&s).copied().unwrap_or(0);
    if get(Source::Verified) > 0 {
        get(Source::Verified)
    } else if get(Source::DeclaredSelf).max(get(Source::DeclaredManager)) > 0 {
        get(Source::DeclaredSelf).max(get(Source::DeclaredManager))
    } else {
        get(Source::Inferred)
    }
}

/// Effective level per skill of one employee (skills the taxonomy no longer knows are left out).
pub async fn levels(ctx: &ServiceContext, t: &Taxonomy, employee: &str) -> Result<HashMap<SkillIx, u32>, sqlx::Error> {
    let mut by_skill: HashMap<String, HashMap<Source, u32>> = HashMap::new();
    for e in entries(ctx, employee).await? {
        by_skill.entry(e.skill_id).or_default().insert(e.source, e.level);
    }
    Ok(by_skill.into_iter().filter_map(|(id, l)| Some((t.skill(&id)?, effective(&l)))).collect())
}

/// Effective levels of every employee with a profile (or only of `only`, when not empty).
pub async fn all_levels(
    ctx: &ServiceContext,
    t: &Taxonomy,
    only: &[String],
) -> Result<HashMap<String, HashMap<SkillIx, u32>>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT employee_id, skill_id, source, level FROM profile_skills").fetch_all(ctx.db.pool()).await?;
    let mut raw: HashMap<String, HashMap<String, HashMap<Source, u32>>> = HashMap::new();
    for r in rows {
        let employee: String = r.try_get(0)?;
        if !only.is_empty() && !only.contains(&employee) {
            continue;
        }
        let Some(source) = Source::parse(&r.try_get::<String, _>(2)?) else { continue };
        let level = u32::try_from(r.try_get::<i64, _>(3)?).unwrap_or(0);
        raw.entry(employee).or_default().entry(r.try_get(1)?).or_default().insert(source, level);
    }
    Ok(raw
        .into_iter()
        .map(|(e, skills)| {
            let levels = skills.into_iter().filter_map(|(id, l)| Some((t.skill(&id)?, effective(&l)))).collect();
            (e, levels)
        })
        .collect())
}

/// The profile as the API shows it; `None` if the employee has no entries.
pub async fn profile(
    ctx: &ServiceContext,
    t: &Taxonomy,
    employee: &str,
    lang: Lang,
    include_history: bool,
) -> Result<Option<SkillProfile>, sqlx::Error> {
    let entries = entries(ctx, employee).await?;
    if entries.is_empty() {
        return Ok(None);
    }
    let mut skills: Vec<ProfileSkill> = Vec::new();
    let mut levels: HashMap<Source, u32> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        levels.insert(e.source, e.level);
        let slot = match skills.last_mut() {
            Some(last) if last.skill.as_ref().is_some_and(|s| s.skill_id == e.skill_id) => last,
            _ => {
                skills.push(ProfileSkill { skill: Some(crate::skill_ref(t, &e.skill_id, lang)), ..Default::default() });
                skills.last_mut().expect("just pushed")
            }
        };
        match e.source {
            Source::DeclaredSelf => slot.declared_self = e.level,
            Source::DeclaredManager => slot.declared_manager = e.level,
            Source::Inferred => slot.inferred = e.level,
            Source::Verified => slot.verified = e.level,
        }
        if !e.evidence.is_empty() && (slot.evidence.is_empty() || e.source == Source::Verified) {
            slot.evidence.clone_from(&e.evidence);
            slot.evidence_source.clone_from(&e.evidence_source);
        }
        let newest = slot.updated_at.as_ref().map_or(i64::MIN, |t| t.seconds * 1000);
        if e.updated_at > newest {
            slot.updated_at = Some(time::timestamp(e.updated_at));
        }
        if entries.get(i + 1).is_none_or(|n| n.skill_id != e.skill_id) {
            slot.level = effective(&levels);
            levels.clear();
        }
    }
    let history = if include_history { history(ctx, employee).await? } else { Vec::new() };
    Ok(Some(SkillProfile { employee_id: employee.to_owned(), skills, history }))
}

async fn history(ctx: &ServiceContext, employee: &str) -> Result<Vec<ProfileChange>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT skill_id, source, level, previous_level, declared_by, declared_at FROM skill_history
         WHERE employee_id = $1 ORDER BY declared_at, id",
    )
    .bind(employee)
    .fetch_all(ctx.db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ProfileChange {
                skill_id: r.try_get(0)?,
                source: r.try_get(1)?,
                level: u32::try_from(r.try_get::<i64, _>(2)?).unwrap_or(0),
                previous_level: u32::try_from(r.try_get::<i64, _>(3)?).unwrap_or(0),
                changed_by: r.try_get(4)?,
                changed_at: Some(time::timestamp(r.try_get(5)?)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verified_beats_declared_beats_inferred() {
        let mut l = HashMap::from([(Source::Inferred, 2)]);
        assert_eq!(effective(&l), 2);
        l.insert(Source::DeclaredSelf, 4);
        l.insert(Source::DeclaredManager, 3);
        assert_eq!(effective(&l), 4);
        l.insert(Source::Verified, 3);
        assert_eq!(effective(&l), 3);
    }

    #[test]
    fn levels_outside_one_to_five_are_rejected() {
        assert!(level("level", 0).is_err());
        assert!(level("level", 6).is_err());
        assert_eq!(level("level", 5), Ok(5));
    }
}
