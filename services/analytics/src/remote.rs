//! Reads a user waits on, from other services: governance's decision log (every individual
//! estimate is logged there before it is shown) and the people service's org tree and the
//! employees a manager may see (to decide which org units are entirely in their line).

use std::{
    collections::{BTreeMap, BTreeSet},
    time::Duration,
};

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::{
    governance::v1::{Decision, RecordDecisionRequest, governance_service_client::GovernanceServiceClient},
    people::v1::{ListEmployeesRequest, ListOrgUnitsRequest, people_service_client::PeopleServiceClient},
};
use tonic::{
    Request,
    metadata::{Ascii, MetadataValue},
};

/// How long one call to another service may take.
const DEADLINE: Duration = Duration::from_secs(5);
/// Employees read per page.
const PAGE: u32 = 500;

fn service_request<T>(ctx: &ServiceContext, message: T) -> Result<Request<T>, ApiError> {
    let mut request = ctx.peers.request(message)?;
    request.set_timeout(DEADLINE);
    Ok(request)
}

fn peer_error(service: &str, status: &tonic::Status) -> ApiError {
    match status.code() {
        tonic::Code::FailedPrecondition => ApiError::FailedPrecondition(status.message().to_owned()),
        tonic::Code::PermissionDenied => ApiError::PermissionDenied(status.message().to_owned()),
        _ => ApiError::Unavailable(format!("{service} cannot answer: {}", status.message())),
    }
}

/// Logs an AI output in governance's decision log with analytics' service token (a
/// recommendation, not a human decision: it stays unreviewed).
pub async fn record_decision(ctx: &ServiceContext, decision: RecordDecisionRequest) -> Result<Decision, ApiError> {
    let mut client = GovernanceServiceClient::new(ctx.peers.channel_to("governance")?);
    let answer = client.record_decision(service_request(ctx, decision)?).await;
    Ok(answer.map_err(|s| peer_error("governance", &s))?.into_inner())
}

/// The org tree: each unit's parent.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    parents: BTreeMap<String, String>,
}

impl OrgTree {
    pub fn new(units: impl IntoIterator<Item = (String, String)>) -> OrgTree {
        OrgTree { parents: units.into_iter().collect() }
    }

    pub fn contains(&self, unit: &str) -> bool {
        self.parents.contains_key(unit)
    }

    /// `unit` and every unit below it.
    pub fn subtree(&self, unit: &str) -> BTreeSet<String> {
        self.parents.keys().filter(|u| self.within(u, unit)).cloned().collect()
    }

    fn within(&self, unit: &str, ancestor: &str) -> bool {
        let mut current = unit;
        // The people service refuses cycles; the bound guards against a corrupt tree anyway.
        for _ in 0..=self.parents.len() {
            if current == ancestor {
                return true;
            }
            match self.parents.get(current) {
                Some(parent) if !parent.is_empty() => current = parent,
                _ => return false,
            }
        }
        false
    }
}

/// Every org unit, read with analytics' service token.
pub async fn org_tree(ctx: &ServiceContext) -> Result<OrgTree, ApiError> {
    let mut client = PeopleServiceClient::new(ctx.peers.channel_to("people")?);
    let answer = client.list_org_units(service_request(ctx, ListOrgUnitsRequest {})?).await;
    let units = answer.map_err(|s| peer_error("the people service", &s))?.into_inner().org_units;
    Ok(OrgTree::new(units.into_iter().map(|u| (u.org_unit_id, u.parent_id))))
}

/// How many active employees of `unit` (and below) the caller may see, read with the caller's
/// own token: the people service answers a manager with their line (and themself).
pub async fn visible_in_unit(
    ctx: &ServiceContext,
    authorization: &MetadataValue<Ascii>,
    unit: &str,
) -> Result<usize, ApiError> {
    let mut client = PeopleServiceClient::new(ctx.peers.channel_to("people")?);
    let mut count = 0;
    let mut page_token = String::new();
    loop {
        let mut request =
            Request::new(ListEmployeesRequest { page_size: PAGE, page_token, org_unit_id: unit.to_owned() });
        request.metadata_mut().insert("authorization", authorization.clone());
        request.set_timeout(DEADLINE);
        let page = client.list_employees(request).await.map_err(|s| peer_error("the people service", &s))?.into_inner();
        count += page.employees.iter().filter(|e| e.status.is_empty() || e.status == "active").count();
        if page.next_page_token.is_empty() {
            return Ok(count);
        }
        page_token = page.next_page_token;
    }
}
