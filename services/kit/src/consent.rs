//! The consent client every service uses before running an AI function on a person.
//!
//! Answers come from the shared cache (Redis in platform mode) or, on a miss, from governance's
//! `CheckConsent`, and are cached for a short while. Governance writes the new state of a consent
//! into the cache the moment it changes, so a withdrawal is seen by every service at once; the
//! client only fills empty cache entries, so an answer fetched before a withdrawal can never
//! overwrite it.

use std::time::Duration;

use hrmesh_proto::governance::v1::{CheckConsentRequest, governance_service_client::GovernanceServiceClient};
use sha2::{Digest, Sha256};

use crate::{ApiError, cache::Cache, peers::Peers, telemetry};

/// How long a client keeps an answer it fetched itself.
const CLIENT_TTL: Duration = Duration::from_secs(300);
/// How long governance's own entries live (it rewrites them on every change).
pub const GOVERNANCE_TTL: Duration = Duration::from_secs(24 * 3600);

/// Cache key of one person's consent to one purpose (the person id is hashed, not stored).
pub fn cache_key(tenant: &str, subject: &str, purpose: &str) -> String {
    let subject = hex::encode(&Sha256::digest(subject.as_bytes())[..16]);
    format!("consent:{tenant}:{subject}:{purpose}")
}

/// The cached form of an answer.
pub fn encode(allowed: bool, reason: &str) -> Vec<u8> {
    if allowed { b"1".to_vec() } else { format!("0{reason}").into_bytes() }
}

fn decode(value: &[u8]) -> (bool, String) {
    match value.split_first() {
        Some((b'1', _)) => (true, String::new()),
        Some((_, reason)) => (false, String::from_utf8_lossy(reason).into_owned()),
        None => (false, "no consent".into()),
    }
}

/// Checks consent on behalf of one service.
#[derive(Clone)]
pub struct ConsentClient {
    service: &'static str,
    tenant: String,
    cache: Cache,
    peers: std::sync::Arc<Peers>,
}

impl std::fmt::Debug for ConsentClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsentClient").field("service", &self.service).finish_non_exhaustive()
    }
}

impl ConsentClient {
    pub fn new(service: &'static str, tenant: String, cache: Cache, peers: std::sync::Arc<Peers>) -> Self {
        Self { service, tenant, cache, peers }
    }

    /// Ok if `purpose` may be applied to `subject` now; FAILED_PRECONDITION naming the purpose
    /// and the reason otherwise.
    pub async fn require(&self, subject: &str, purpose: &str) -> Result<(), ApiError> {
        let (allowed, reason) = self.check(subject, purpose).await?;
        if allowed {
            return Ok(());
        }
        telemetry::metrics()
            .consent_denials
            .add(1, &[telemetry::label("service", self.service), telemetry::label("purpose", purpose.to_owned())]);
        Err(ApiError::FailedPrecondition(format!(
            "no consent for purpose {purpose}: {reason} / geen toestemming voor {purpose} / keine Einwilligung für {purpose}"
        )))
    }

    /// Whether `purpose` may be applied to `subject`, and why not.
    pub async fn check(&self, subject: &str, purpose: &str) -> Result<(bool, String), ApiError> {
        let key = cache_key(&self.tenant, subject, purpose);
        match self.cache.get(&key).await {
            Ok(Some(value)) => return Ok(decode(&value)),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "consent cache unavailable; asking governance"),
        }
        let channel = self.peers.channel_to(hrmesh_proto::registry::GOVERNANCE).map_err(ApiError::Internal)?;
        let request = self
            .peers
            .request(CheckConsentRequest { subject: subject.to_owned(), purpose: purpose.to_owned() })
            .map_err(ApiError::Internal)?;
        let answer =
            GovernanceServiceClient::new(channel).check_consent(request).await.map_err(|status| {
                match status.code() {
                    tonic::Code::InvalidArgument => ApiError::FailedPrecondition(status.message().to_owned()),
                    _ => ApiError::Unavailable(format!("governance cannot confirm consent: {}", status.message())),
                }
            })?;
        let answer = answer.into_inner();
        if let Err(e) = self.cache.set_if_absent(&key, &encode(answer.allowed, &answer.reason), CLIENT_TTL).await {
            tracing::warn!(error = %e, "consent cache unavailable");
        }
        Ok((answer.allowed, answer.reason))
    }
}
