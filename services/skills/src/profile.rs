//! Skill profiles: declarations with history, each emitting `SkillProfileChanged`.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations, error::identifier, events::raw_topic, outbox, service::ServiceContext, time,
};
use hrmesh_proto::skills::v1::{DeclareSkillRequest, DeclaredSkill, SkillProfile, SkillProfileChanged};
use sqlx::Row;

/// Processing purpose of skill profile events.
pub const PURPOSE: &str = "skills.profile";

/// A validated declaration.
#[derive(Debug)]
pub struct Declaration {
    pub employee_id: String,
    pub skill_id: String,
    pub level: u32,
}

fn level(value: u32) -> Result<u32, FieldViolation> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err(FieldViolation::new("level", "must be between 1 (basic) and 5 (expert)"))
    }
}

impl Declaration {
    pub fn parse(req: &DeclareSkillRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let employee_id = v.check(identifier("employee_id", &req.employee_id));
        let skill_id = v.check(identifier("skill_id", &req.skill_id));
        let level = v.check(level(req.level));
        match (employee_id, skill_id, level) {
            (Some(employee_id), Some(skill_id), Some(level)) => Ok(Self { employee_id, skill_id, level }),
            _ => Err(v.into_error()),
        }
    }
}

/// Sets the current level, appends to the history and emits the event, in one transaction.
pub async fn declare(ctx: &ServiceContext, d: Declaration, declared_by: &str) -> Result<SkillProfile, ApiError> {
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "INSERT INTO declared_skills (employee_id, skill_id, level, declared_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (employee_id, skill_id) DO UPDATE SET level = excluded.level, declared_at = excluded.declared_at",
    )
    .bind(&d.employee_id)
    .bind(&d.skill_id)
    .bind(i64::from(d.level))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO skill_history (id, employee_id, skill_id, level, declared_by, declared_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&d.employee_id)
    .bind(&d.skill_id)
    .bind(i64::from(d.level))
    .bind(declared_by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let event = SkillProfileChanged { skill_id: d.skill_id.clone(), level: d.level };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&d.employee_id, PURPOSE, &event)).await?;
    ctx.commit(tx).await?;
    Ok(profile(ctx, &d.employee_id).await?.unwrap_or_default())
}

/// The current profile of `employee_id`; `None` if nothing was declared.
pub async fn profile(ctx: &ServiceContext, employee_id: &str) -> Result<Option<SkillProfile>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT skill_id, level, declared_at FROM declared_skills WHERE employee_id = $1 ORDER BY skill_id",
    )
    .bind(employee_id)
    .fetch_all(ctx.db.pool())
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let skills = rows
        .iter()
        .map(|r| {
            Ok(DeclaredSkill {
                skill_id: r.try_get(0)?,
                level: u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0),
                declared_at: Some(time::timestamp(r.try_get(2)?)),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(Some(SkillProfile { employee_id: employee_id.to_owned(), skills }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_level_outside_one_to_five_and_bad_skill_id() {
        for (skill, lvl) in [("it.sql", 0), ("it.sql", 6), ("has space", 3)] {
            let req = DeclareSkillRequest { employee_id: "e1".into(), skill_id: skill.into(), level: lvl };
            assert!(matches!(Declaration::parse(&req), Err(ApiError::InvalidArgument(_))), "{skill} {lvl}");
        }
    }
}
