//! The directory client every service uses to authorize by reporting line: "is this employee in
//! this manager's line?". Authorization follows the organisation: an employee acts on self, a
//! manager on their direct and indirect reports, HR on everyone.
//!
//! Answers come from the shared cache (Redis in platform mode) or, on a miss, from the people
//! service's `GetReports`. Cache entries are keyed by a generation number that the people
//! service increments whenever a reporting line changes, so a change is seen by every service at
//! once; the entries also expire after a short while in case an increment was lost.

use std::{collections::BTreeSet, time::Duration};

use hrmesh_proto::people::v1::{GetReportsRequest, people_service_client::PeopleServiceClient};
use sha2::{Digest, Sha256};

use crate::{
    ApiError,
    auth::{Principal, Role},
    cache::Cache,
    peers::Peers,
};

/// How long a cached reporting line is trusted without a generation change.
const TTL: Duration = Duration::from_secs(120);

/// The service that owns reporting lines.
const PEOPLE: &str = "people";

/// Cache key of the directory generation of `tenant`.
pub fn generation_key(tenant: &str) -> String {
    format!("directory:{tenant}:generation")
}

/// Answers reporting-line questions on behalf of one service.
#[derive(Clone)]
pub struct DirectoryClient {
    tenant: String,
    cache: Cache,
    peers: std::sync::Arc<Peers>,
}

impl std::fmt::Debug for DirectoryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryClient").field("tenant", &self.tenant).finish_non_exhaustive()
    }
}

impl DirectoryClient {
    /// A client for `tenant`.
    pub fn new(tenant: String, cache: Cache, peers: std::sync::Arc<Peers>) -> Self {
        Self { tenant, cache, peers }
    }

    /// Everyone in `manager`'s line (direct and indirect reports).
    pub async fn reports(&self, manager: &str) -> Result<BTreeSet<String>, ApiError> {
        let generation = self.generation().await;
        let hashed = hex::encode(&Sha256::digest(manager.as_bytes())[..16]);
        let key = format!("directory:{}:{generation}:reports:{hashed}", self.tenant);
        match self.cache.get(&key).await {
            Ok(Some(value)) => return Ok(decode(&value)),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "directory cache unavailable; asking the people service"),
        }
        let channel = self.peers.channel_to(PEOPLE).map_err(ApiError::Internal)?;
        let request =
            self.peers.request(GetReportsRequest { manager_id: manager.to_owned() }).map_err(ApiError::Internal)?;
        let answer = PeopleServiceClient::new(channel).get_reports(request).await.map_err(|status| {
            ApiError::Unavailable(format!("the people service cannot confirm the reporting line: {}", status.message()))
        })?;
        let reports: BTreeSet<String> = answer.into_inner().employee_ids.into_iter().collect();
        if let Err(e) = self.cache.set_if_absent(&key, &encode(&reports), TTL).await {
            tracing::warn!(error = %e, "directory cache unavailable");
        }
        Ok(reports)
    }

    /// Whether `employee` is in `manager`'s line.
    pub async fn in_line(&self, manager: &str, employee: &str) -> Result<bool, ApiError> {
        Ok(manager != employee && self.reports(manager).await?.contains(employee))
    }

    /// Whether `caller` may read or act on `person`'s records: HR and services on everyone, a
    /// person on self, a manager on their line. `Ok(false)` when not; errors only when the
    /// directory cannot answer.
    pub async fn may_act_on(&self, caller: &Principal, person: &str) -> Result<bool, ApiError> {
        if caller.has(Role::HrAdmin) || caller.has(Role::Service) || caller.subject == person {
            return Ok(true);
        }
        if caller.has(Role::Manager) {
            return self.in_line(&caller.subject, person).await;
        }
        Ok(false)
    }

    /// Tells every service that reporting lines changed (called by the people service after a
    /// commit that changed one).
    pub async fn invalidate(&self) {
        let key = generation_key(&self.tenant);
        let next = self.generation().await.wrapping_add(1);
        if let Err(e) = self.cache.set(&key, next.to_string().as_bytes(), Duration::from_secs(30 * 24 * 3600)).await {
            tracing::warn!(error = %e, "could not invalidate cached reporting lines; they expire within {TTL:?}");
        }
    }

    async fn generation(&self) -> u64 {
        match self.cache.get(&generation_key(&self.tenant)).await {
            Ok(Some(value)) => std::str::from_utf8(&value).ok().and_then(|s| s.parse().ok()).unwrap_or(0),
            _ => 0,
        }
    }
}

fn encode(ids: &BTreeSet<String>) -> Vec<u8> {
    // Ids never contain a newline (they are parsed by `error::identifier`).
    let mut out = b"v1\n".to_vec();
    for id in ids {
        out.extend_from_slice(id.as_bytes());
        out.push(b'\n');
    }
    out
}

fn decode(value: &[u8]) -> BTreeSet<String> {
    String::from_utf8_lossy(value).lines().skip(1).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_reports_round_trip() {
        let ids: BTreeSet<String> = ["emp-1".to_owned(), "emp-20".to_owned()].into();
        assert_eq!(decode(&encode(&ids)), ids);
        assert!(decode(&encode(&BTreeSet::new())).is_empty());
    }
}
