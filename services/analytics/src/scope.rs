//! Which population an aggregate request is about, and whether the caller may see it: HR sees
//! the company and every org unit; a manager only an org unit (with the units below it) whose
//! active people are all in their reporting line.
//!
//! Analytics cannot ask "is pseudonym X in manager M's line?", as pseudonyms are not ids. It asks
//! the people service, with the manager's own token, how many active people of the unit the
//! manager may see, and compares that with how many the directory stream holds there: if the
//! stream holds more, the unit has people outside the manager's line. (While events are in
//! flight the stream can briefly hold fewer; the people service's answer is then the larger.)

use std::collections::BTreeSet;

use hrmesh_kit::{
    ApiError,
    auth::{Principal, Role},
    error::identifier,
    events::raw_topic,
    outbox,
    service::ServiceContext,
};
use hrmesh_proto::events::v1::AccessDenied;
use tonic::{Request, Status};

use crate::{features::DirectoryRow, remote};

/// The population of an aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Company,
    /// An org unit and the units below it.
    Unit {
        id: String,
        units: BTreeSet<String>,
    },
}

impl Scope {
    /// The small-group guard's query name.
    pub fn query(&self) -> String {
        match self {
            Scope::Company => "company".to_owned(),
            Scope::Unit { id, .. } => format!("org:{id}"),
        }
    }

    pub fn unit_id(&self) -> &str {
        match self {
            Scope::Company => "",
            Scope::Unit { id, .. } => id,
        }
    }

    /// The units of the scope; `None` for the company.
    pub fn units(&self) -> Option<&BTreeSet<String>> {
        match self {
            Scope::Company => None,
            Scope::Unit { units, .. } => Some(units),
        }
    }

    /// Whether a directory record is in the scope now (active).
    pub fn holds(&self, r: &DirectoryRow) -> bool {
        r.status == crate::features::ACTIVE && self.units().is_none_or(|u| u.contains(&r.org_unit_id))
    }
}

/// Refuses `caller` with `reason`, published for governance's audit trail.
pub async fn deny(ctx: &ServiceContext, caller: &Principal, rpc: &str, reason: &str) -> Status {
    let denied = AccessDenied { rpc: rpc.to_owned(), reason: reason.to_owned() };
    let envelope = ctx.events.envelope(&caller.subject, "security.access_control", &denied);
    let recorded = async {
        let mut tx = ctx.db.begin().await?;
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
        ctx.commit(tx).await
    }
    .await;
    if let Err(e) = recorded {
        tracing::error!(error = %e, rpc, "could not record a denial for the audit trail");
    }
    Status::permission_denied(reason.to_owned())
}

/// The scope `org_unit_id` names, if `caller` may see it. `directory` is the feature store's
/// directory (for the manager check).
pub async fn resolve<T>(
    ctx: &ServiceContext,
    request: &Request<T>,
    caller: &Principal,
    org_unit_id: &str,
    directory: &[DirectoryRow],
    rpc: &str,
) -> Result<Scope, Status> {
    let hr = caller.has(Role::HrAdmin);
    if org_unit_id.is_empty() {
        if hr {
            return Ok(Scope::Company);
        }
        return Err(deny(ctx, caller, rpc, "company-wide figures are for HR; name an org unit of your team").await);
    }
    let id = identifier("org_unit_id", org_unit_id).map_err(|v| Status::from(ApiError::InvalidArgument(vec![v])))?;
    let tree = remote::org_tree(ctx).await?;
    if !tree.contains(&id) {
        return Err(ApiError::NotFound(format!("no org unit {id}")).into());
    }
    let scope = Scope::Unit { units: tree.subtree(&id), id: id.clone() };
    if hr {
        return Ok(scope);
    }
    let authorization = request
        .metadata()
        .get("authorization")
        .ok_or_else(|| Status::from(ApiError::Unauthenticated("missing credentials".into())))?;
    let visible = remote::visible_in_unit(ctx, authorization, &id).await?;
    let held = directory.iter().filter(|r| scope.holds(r)).count();
    if held > visible {
        let reason = format!("org unit {id} has people outside your reporting line");
        return Err(deny(ctx, caller, rpc, &reason).await);
    }
    Ok(scope)
}
