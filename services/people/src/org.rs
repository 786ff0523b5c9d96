//! Org units as a tree.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    time,
};
use hrmesh_proto::people::v1::{OrgUnit, UpsertOrgUnitRequest};
use sqlx::AnyConnection;

/// A validated org unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrgUnit {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
}

impl NewOrgUnit {
    /// Parses a request.
    pub fn parse(req: &UpsertOrgUnitRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let id = v.check(identifier("org_unit_id", &req.org_unit_id));
        let name = v.check(required_text("name", &req.name, 200));
        let parent =
            if req.parent_id.trim().is_empty() { None } else { v.check(identifier("parent_id", req.parent_id.trim())) };
        match (id, name) {
            (Some(id), Some(name)) if v.is_empty() => Ok(Self { id, name, parent }),
            _ => Err(v.into_error()),
        }
    }
}

/// Every org unit → its parent.
pub async fn parents(conn: &mut AnyConnection) -> Result<BTreeMap<String, Option<String>>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT org_unit_id, parent_id FROM org_units").fetch_all(conn).await?;
    Ok(rows.into_iter().collect())
}

/// Why `unit` may not hang under its parent in `parents`, if it may not.
pub fn placement_problem(unit: &NewOrgUnit, parents: &BTreeMap<String, Option<String>>) -> Option<String> {
    let parent = unit.parent.as_deref()?;
    if !parents.contains_key(parent) {
        return Some(format!("no org unit {parent}"));
    }
    let mut at = Some(parent);
    let mut seen = BTreeSet::new();
    while let Some(u) = at {
        if u == unit.id || !seen.insert(u) {
            return Some(format!("{parent} is inside {}: the tree would be a cycle", unit.id));
        }
        at = parents.get(u).and_then(Option::as_deref);
    }
    None
}

/// Stores `unit` (placement checked).
pub async fn upsert(conn: &mut AnyConnection, unit: &NewOrgUnit) -> Result<bool, sqlx::Error> {
    let same: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT name, parent_id FROM org_units WHERE org_unit_id = $1")
            .bind(&unit.id)
            .fetch_optional(&mut *conn)
            .await?;
    if same.as_ref().is_some_and(|(name, parent)| *name == unit.name && *parent == unit.parent) {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO org_units (org_unit_id, name, parent_id, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_unit_id) DO UPDATE SET name = $2, parent_id = $3, updated_at = $4",
    )
    .bind(&unit.id)
    .bind(&unit.name)
    .bind(&unit.parent)
    .bind(time::now_ms())
    .execute(conn)
    .await?;
    Ok(true)
}

/// Every org unit.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<OrgUnit>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT org_unit_id, name, parent_id FROM org_units ORDER BY org_unit_id")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(org_unit_id, name, parent_id)| OrgUnit { org_unit_id, name, parent_id: parent_id.unwrap_or_default() })
        .collect())
}

/// `unit` and every unit below it.
pub fn subtree(parents: &BTreeMap<String, Option<String>>, unit: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([unit.to_owned()]);
    loop {
        let before = out.len();
        for (child, parent) in parents {
            if parent.as_ref().is_some_and(|p| out.contains(p)) {
                out.insert(child.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_hang_a_unit_below_itself() {
        let parents: BTreeMap<String, Option<String>> =
            [("ops".to_owned(), None), ("wh".to_owned(), Some("ops".to_owned()))].into();
        let unit = NewOrgUnit { id: "ops".into(), name: "Operations".into(), parent: Some("wh".into()) };
        assert!(placement_problem(&unit, &parents).is_some_and(|p| p.contains("cycle")));
        let unit = NewOrgUnit { id: "night".into(), name: "Night shift".into(), parent: Some("wh".into()) };
        assert_eq!(placement_problem(&unit, &parents), None);
        assert_eq!(subtree(&parents, "ops").len(), 2);
    }
}
