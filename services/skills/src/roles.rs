//! Roles: named sets of required skills. A role is defined by HR, or read from an ESCO
//! occupation (essential skills at level 3, optional ones at level 2 as nice-to-have).

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    service::ServiceContext,
    time,
};
use hrmesh_proto::skills::v1 as pb;
use sqlx::Row;

use crate::{gap::Requirement, lang::Lang, model::Model, profile::level, taxonomy::Taxonomy};

/// Level an ESCO occupation asks for: essential skills at working level, optional ones basic+.
const ESCO_ESSENTIAL_LEVEL: u32 = 3;
const ESCO_OPTIONAL_LEVEL: u32 = 2;
const MAX_REQUIREMENTS: usize = 500;

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub requirements: Vec<Requirement>,
    pub from_esco: bool,
}

impl Role {
    pub fn to_proto(&self, t: &Taxonomy, attribution: &str) -> pb::Role {
        pb::Role {
            role_id: self.id.clone(),
            title: self.title.clone(),
            requirements: self
                .requirements
                .iter()
                .map(|r| pb::RoleRequirement {
                    skill_id: t.get(r.skill).id.clone(),
                    level: r.level,
                    essential: r.essential,
                })
                .collect(),
            origin: if self.from_esco { "esco" } else { "defined" }.into(),
            attribution: if self.from_esco { attribution.to_owned() } else { String::new() },
        }
    }
}

/// Parses requirements, naming each bad entry by its index (`requirements[2].skill_id`).
pub fn requirements(
    t: &Taxonomy,
    field: &str,
    items: impl IntoIterator<Item = (String, u32, bool)>,
    v: &mut Violations,
) -> Vec<Requirement> {
    let mut out: Vec<Requirement> = Vec::new();
    for (i, (skill_id, lvl, essential)) in items.into_iter().enumerate() {
        let skill = match t.skill(&skill_id) {
            Some(s) => Some(s),
            None if skill_id.is_empty() => {
                v.add(&format!("{field}[{i}].skill_id"), "must not be empty");
                None
            }
            None => {
                v.add(
                    &format!("{field}[{i}].skill_id"),
                    format!("unknown skill {skill_id:?}: use SearchSkills to find ids"),
                );
                None
            }
        };
        let lvl = v.check(level(&format!("{field}[{i}].level"), lvl));
        if let (Some(skill), Some(level)) = (skill, lvl) {
            if out.iter().any(|r| r.skill == skill) {
                v.add(&format!("{field}[{i}].skill_id"), format!("{skill_id} is listed twice"));
            } else {
                out.push(Requirement { skill, level, essential });
            }
        }
    }
    if out.len() > MAX_REQUIREMENTS {
        v.add(field, format!("at most {MAX_REQUIREMENTS} entries"));
    }
    out
}

pub async fn define(ctx: &ServiceContext, model: &Model, req: &pb::DefineRoleRequest) -> Result<Role, ApiError> {
    let t = &model.taxonomy;
    let mut v = Violations::default();
    let id = v.check(identifier("role_id", &req.role_id));
    if req.role_id.starts_with("http") {
        v.add("role_id", "URIs are reserved for ESCO occupations; choose a short id such as `warehouse-lead`");
    }
    let title = v.check(required_text("title", &req.title, 200));
    if req.requirements.is_empty() {
        v.add("requirements", "a role needs at least one required skill");
    }
    let reqs = requirements(
        t,
        "requirements",
        req.requirements.iter().map(|r| (r.skill_id.clone(), r.level, r.essential)),
        &mut v,
    );
    let (Some(id), Some(title)) = (id, title) else { return Err(v.into_error()) };
    v.finish()?;
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "INSERT INTO roles (role_id, title, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (role_id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at",
    )
    .bind(&id)
    .bind(&title)
    .bind(time::now_ms())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM role_requirements WHERE role_id = $1").bind(&id).execute(&mut *tx).await?;
    for r in &reqs {
        sqlx::query("INSERT INTO role_requirements (role_id, skill_id, level, essential) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(&t.get(r.skill).id)
            .bind(i64::from(r.level))
            .bind(i64::from(r.essential))
            .execute(&mut *tx)
            .await?;
    }
    ctx.commit(tx).await?;
    Ok(Role { id, title, requirements: reqs, from_esco: false })
}

/// A defined role or an ESCO occupation.
pub async fn resolve(ctx: &ServiceContext, model: &Model, role_id: &str, lang: Lang) -> Result<Role, ApiError> {
    let t = &model.taxonomy;
    let id = identifier("role_id", role_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let row = sqlx::query("SELECT title FROM roles WHERE role_id = $1").bind(&id).fetch_optional(ctx.db.pool()).await?;
    if let Some(row) = row {
        let rows = sqlx::query(
            "SELECT skill_id, level, essential FROM role_requirements WHERE role_id = $1 ORDER BY essential DESC, skill_id",
        )
        .bind(&id)
        .fetch_all(ctx.db.pool())
        .await?;
        let mut requirements = Vec::new();
        for r in rows {
            // A skill dropped from a later ESCO import cannot be reasoned about; leave it out.
            if let Some(skill) = t.skill(&r.try_get::<String, _>(0)?) {
                let level = u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(1);
                requirements.push(Requirement { skill, level, essential: hrmesh_kit::db::get_bool(&r, 2)? });
            }
        }
        return Ok(Role { id, title: row.try_get(0)?, requirements, from_esco: false });
    }
    let Some(occ) = t.occupation(&id) else {
        return Err(ApiError::NotFound(format!(
            "no role {id:?}: define it with DefineRole or use an ESCO occupation URI"
        )));
    };
    let title = [occ.labels[lang.index()].as_str(), occ.labels[0].as_str(), occ.id.as_str()]
        .into_iter()
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned();
    let requirements = occ
        .essential
        .iter()
        .map(|&skill| Requirement { skill, level: ESCO_ESSENTIAL_LEVEL, essential: true })
        .chain(occ.optional.iter().map(|&skill| Requirement { skill, level: ESCO_OPTIONAL_LEVEL, essential: false }))
        .collect();
    Ok(Role { id, title, requirements, from_esco: true })
}
