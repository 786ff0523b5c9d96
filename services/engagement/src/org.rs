//! Reads from the people service a user waits on: the org tree, who is in which unit, and
//! colleagues' names (to remove them from comments). Called with this service's token.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::people::v1::{ListEmployeesRequest, ListOrgUnitsRequest, people_service_client::PeopleServiceClient};

/// One org unit of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
}

/// An employee as surveys need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub employee_id: String,
    pub org_unit_id: String,
    pub language: String,
    pub full_name: String,
}

fn unavailable(status: &tonic::Status) -> ApiError {
    ApiError::Unavailable(format!("the people service cannot answer: {}", status.message()))
}

fn client(ctx: &ServiceContext) -> Result<PeopleServiceClient<tonic::transport::Channel>, ApiError> {
    Ok(PeopleServiceClient::new(ctx.peers.channel_to("people").map_err(ApiError::Internal)?))
}

/// Every org unit.
pub async fn units(ctx: &ServiceContext) -> Result<Vec<Unit>, ApiError> {
    let request = ctx.peers.request(ListOrgUnitsRequest {}).map_err(ApiError::Internal)?;
    let units = client(ctx)?.list_org_units(request).await.map_err(|s| unavailable(&s))?.into_inner().org_units;
    Ok(units
        .into_iter()
        .map(|u| Unit { id: u.org_unit_id, name: u.name, parent: (!u.parent_id.is_empty()).then_some(u.parent_id) })
        .collect())
}

/// Active employees of `unit` and every unit below it (the people service resolves the tree).
pub async fn members(ctx: &ServiceContext, unit: &str) -> Result<Vec<Member>, ApiError> {
    let mut out = Vec::new();
    let mut page_token = String::new();
    let mut people = client(ctx)?;
    loop {
        let request = ctx
            .peers
            .request(ListEmployeesRequest {
                page_size: 500,
                page_token: page_token.clone(),
                org_unit_id: unit.to_owned(),
            })
            .map_err(ApiError::Internal)?;
        let page = people.list_employees(request).await.map_err(|s| unavailable(&s))?.into_inner();
        out.extend(page.employees.into_iter().filter(|e| e.status == "active" && !e.org_unit_id.is_empty()).map(|e| {
            Member {
                employee_id: e.employee_id,
                org_unit_id: e.org_unit_id,
                language: e.preferred_language,
                full_name: e.full_name,
            }
        }));
        if page.next_page_token.is_empty() {
            return Ok(out);
        }
        page_token = page.next_page_token;
    }
}

/// Everyone's names, for removing them from comments: every first, last and full name.
pub async fn names(ctx: &ServiceContext, units: &[String]) -> Result<BTreeSet<String>, ApiError> {
    let mut names = BTreeSet::new();
    for unit in units {
        for member in members(ctx, unit).await? {
            let full = member.full_name.trim();
            if full.is_empty() {
                continue;
            }
            names.insert(full.to_owned());
            names.extend(full.split_whitespace().filter(|w| w.chars().count() >= 2).map(str::to_owned));
        }
    }
    Ok(names)
}

/// `unit` and every unit below it in `parents`.
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

/// How long a cached name list is used without a directory change.
const NAMES_TTL: std::time::Duration = std::time::Duration::from_secs(600);

/// [`names`], cached per directory generation (the people service bumps it on every change) so
/// that answering a pulse does not list the company each time.
pub async fn cached_names(ctx: &ServiceContext, units: &[String]) -> Result<BTreeSet<String>, ApiError> {
    use sha2::{Digest, Sha256};
    let tenant = &ctx.config.tenant;
    let generation = match ctx.cache.get(&hrmesh_kit::directory::generation_key(tenant)).await {
        Ok(Some(v)) => String::from_utf8_lossy(&v).into_owned(),
        _ => "0".to_owned(),
    };
    let scope = hex::encode(&Sha256::digest(units.join(",").as_bytes())[..12]);
    let key = format!("engagement:{tenant}:{generation}:names:{scope}");
    let cached = || async {
        match ctx.cache.get(&key).await {
            Ok(Some(value)) => Some(String::from_utf8_lossy(&value).lines().map(str::to_owned).collect()),
            _ => None,
        }
    };
    if let Some(names) = cached().await {
        return Ok(names);
    }
    // One lookup at a time: answers arriving together wait for it instead of each listing the
    // company.
    static LOOKUP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = LOOKUP.lock().await;
    if let Some(names) = cached().await {
        return Ok(names);
    }
    let names = names(ctx, units).await?;
    let value = names.iter().cloned().collect::<Vec<_>>().join("\n");
    if let Err(e) = ctx.cache.set(&key, value.as_bytes(), NAMES_TTL).await {
        tracing::warn!(error = %e, "name cache unavailable");
    }
    Ok(names)
}
