//! Calls to other hrmesh services: where they are and the `service` token to present.
//!
//! A service run by this process is called through this process's own listener; any other
//! through `peers.<service>` in the configuration, or `http://hrmesh-<service>:50051`, the name
//! the Helm chart gives it.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::Mutex,
    time::Duration,
};

use tonic::{
    Request,
    metadata::MetadataValue,
    transport::{Channel, Endpoint},
};

use crate::{
    auth::{Role, TokenIssuer},
    config::Config,
};

/// Token subject of calls between services.
pub const SERVICE_SUBJECT: &str = "hrmesh-service";

/// Endpoints of the other services and the credentials to call them.
pub struct Peers {
    endpoints: BTreeMap<String, String>,
    token: TokenSource,
    channels: Mutex<HashMap<String, Channel>>,
}

enum TokenSource {
    Fixed(String),
    Issuer(TokenIssuer),
    None,
}

impl std::fmt::Debug for Peers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Peers").field("endpoints", &self.endpoints).finish_non_exhaustive()
    }
}

impl Peers {
    /// Peers of a process listening on `local` and running `local_services`.
    pub fn new(
        config: &Config,
        auth: &crate::config::AuthConfig,
        local: std::net::SocketAddr,
        local_services: &[&str],
    ) -> Self {
        let local_services: BTreeSet<&str> = local_services.iter().copied().collect();
        let host = if local.ip().is_unspecified() { "127.0.0.1".to_owned() } else { local.ip().to_string() };
        let own = format!("http://{host}:{}", local.port());
        let endpoints = hrmesh_proto::registry::SERVICES
            .iter()
            .map(|&s| {
                let endpoint = if local_services.contains(s) {
                    own.clone()
                } else {
                    config.peers.get(s).cloned().unwrap_or_else(|| format!("http://hrmesh-{s}:50051"))
                };
                (s.to_owned(), endpoint)
            })
            .collect();
        let token = if !auth.service_token.expose().is_empty() {
            TokenSource::Fixed(auth.service_token.expose().to_owned())
        } else {
            TokenIssuer::from_config(auth).map_or(TokenSource::None, TokenSource::Issuer)
        };
        Self { endpoints, token, channels: Mutex::default() }
    }

    /// The endpoint of `service`.
    pub fn endpoint(&self, service: &str) -> Option<&str> {
        self.endpoints.get(service).map(String::as_str)
    }

    /// Distinct endpoints with the services behind each (one in embedded mode).
    pub fn by_endpoint(&self) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (service, endpoint) in &self.endpoints {
            out.entry(endpoint.clone()).or_default().push(service.clone());
        }
        out
    }

    /// A channel to `endpoint`, connected lazily and reused.
    pub fn channel(&self, endpoint: &str) -> anyhow::Result<Channel> {
        let mut channels = self.channels.lock().map_err(|_| anyhow::anyhow!("peer channels lock poisoned"))?;
        if let Some(channel) = channels.get(endpoint) {
            return Ok(channel.clone());
        }
        let channel = Endpoint::from_shared(endpoint.to_owned())?
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(10))
            .connect_lazy();
        channels.insert(endpoint.to_owned(), channel.clone());
        Ok(channel)
    }

    /// A channel to `service`.
    pub fn channel_to(&self, service: &str) -> anyhow::Result<Channel> {
        let endpoint = self.endpoint(service).ok_or_else(|| anyhow::anyhow!("unknown service {service}"))?.to_owned();
        self.channel(&endpoint)
    }

    /// `message` as a request carrying this process's `service` token and the trace context.
    pub fn request<T>(&self, message: T) -> anyhow::Result<Request<T>> {
        let token = match &self.token {
            TokenSource::Fixed(t) => t.clone(),
            TokenSource::Issuer(issuer) => issuer.issue(SERVICE_SUBJECT, &[Role::Service], Duration::from_secs(300))?,
            TokenSource::None => anyhow::bail!(
                "no service token: set auth.service_token (HRMESH_AUTH__SERVICE_TOKEN) or an HS256 key in auth.keys"
            ),
        };
        let mut request = Request::new(message);
        request.metadata_mut().insert("authorization", MetadataValue::try_from(format!("Bearer {token}"))?);
        let traceparent = crate::telemetry::current_traceparent();
        if !traceparent.is_empty() {
            request.metadata_mut().insert("traceparent", MetadataValue::try_from(traceparent)?);
        }
        Ok(request)
    }
}
