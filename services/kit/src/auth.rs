//! JWT bearer authentication and role checks.
//!
//! The interceptor verifies the token (signature by a configured `kid`, issuer, audience,
//! expiry; `alg=none` and unknown keys are rejected) and stores the [`Principal`] in the request
//! extensions. Every RPC then states which roles may call it with [`require`].

use std::{collections::HashMap, fmt, sync::Arc, time::Duration};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use tonic::{Request, Status};

use crate::config::{AuthConfig, AuthKey, KeyAlgorithm};

/// Who may do what. Every RPC lists the roles it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    HrAdmin,
    Manager,
    Employee,
    Candidate,
    /// Data protection officer.
    Dpo,
    /// Another hrmesh service or an internal system.
    Service,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::HrAdmin, Role::Manager, Role::Employee, Role::Candidate, Role::Dpo, Role::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::HrAdmin => "hr_admin",
            Role::Manager => "manager",
            Role::Employee => "employee",
            Role::Candidate => "candidate",
            Role::Dpo => "dpo",
            Role::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Token subject: a user id or a service name.
    pub subject: String,
    pub roles: Vec<Role>,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether a person (not a service or an internal system) is calling: only a person can
    /// take or review a decision with legal effect, or approve what is sent to someone.
    pub fn is_person(&self) -> bool {
        !self.has(Role::Service) && self.subject != crate::peers::SERVICE_SUBJECT
    }

    /// May this caller act on `person`'s data: it is that person, or holds one of `privileged`.
    /// Otherwise PERMISSION_DENIED naming what is missing.
    pub fn acting_for(&self, person: &str, privileged: &[Role]) -> Result<(), Status> {
        if self.subject == person || privileged.iter().any(|r| self.has(*r)) {
            return Ok(());
        }
        tracing::warn!(target: "hrmesh::audit", actor = %self.subject, "access to another person's data denied");
        Err(Status::permission_denied("you may only act on your own data"))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    exp: u64,
    iat: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<u64>,
    #[serde(default)]
    roles: Vec<String>,
}

/// Clock skew tolerated between the token issuer and this process, in seconds.
const LEEWAY_SECS: u64 = 60;

/// Refuses a header that names extensions (`crit`, RFC 7515 §4.1.11): hrmesh understands none,
/// so a token that depends on one must not be accepted.
fn reject_critical_extensions(token: &str) -> Result<(), Status> {
    use base64::Engine;
    let header = token.split('.').next().unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .map_err(|_| Status::unauthenticated("malformed bearer token"))?;
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| Status::unauthenticated("malformed bearer token"))?;
    if fields.contains_key("crit") {
        return Err(Status::unauthenticated("token requires extensions (crit) this service does not support"));
    }
    Ok(())
}

/// Verifies bearer tokens against the configured keys.
#[derive(Clone)]
pub struct Authenticator {
    keys: Arc<HashMap<String, (DecodingKey, Algorithm)>>,
    issuer: String,
    audience: String,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("kids", &self.keys.keys().collect::<Vec<_>>())
            .field("issuer", &self.issuer)
            .finish()
    }
}

fn algorithm(a: KeyAlgorithm) -> Algorithm {
    match a {
        KeyAlgorithm::HS256 => Algorithm::HS256,
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
    }
}

impl Authenticator {
    pub fn new(config: &AuthConfig) -> anyhow::Result<Self> {
        let mut keys = HashMap::new();
        for AuthKey { kid, algorithm: alg, key } in &config.keys {
            let decoding = match alg {
                KeyAlgorithm::HS256 => DecodingKey::from_secret(key.expose().as_bytes()),
                KeyAlgorithm::RS256 => DecodingKey::from_rsa_pem(key.expose().as_bytes())?,
                KeyAlgorithm::EdDSA => DecodingKey::from_ed_pem(key.expose().as_bytes())?,
            };
            keys.insert(kid.clone(), (decoding, algorithm(*alg)));
        }
        Ok(Self { keys: Arc::new(keys), issuer: config.issuer.clone(), audience: config.audience.clone() })
    }

    /// Verifies a compact JWT and returns its principal.
    pub fn verify(&self, token: &str) -> Result<Principal, Status> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| Status::unauthenticated("malformed bearer token"))?;
        reject_critical_extensions(token)?;
        let kid = header.kid.ok_or_else(|| Status::unauthenticated("token has no key id (kid)"))?;
        let (key, alg) =
            self.keys.get(&kid).ok_or_else(|| Status::unauthenticated("token signed with an unknown key"))?;
        if header.alg != *alg {
            return Err(Status::unauthenticated("token algorithm does not match its key"));
        }
        let mut validation = Validation::new(*alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        let data = jsonwebtoken::decode::<Claims>(token, key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            let why = match e.kind() {
                ErrorKind::ExpiredSignature => "token has expired",
                ErrorKind::InvalidIssuer => "token has the wrong issuer",
                ErrorKind::InvalidAudience => "token has the wrong audience",
                ErrorKind::InvalidSignature => "token signature is invalid",
                ErrorKind::ImmatureSignature => "token is not valid yet (nbf)",
                _ => "token is invalid",
            };
            Status::unauthenticated(why)
        })?;
        if data.claims.iat > jsonwebtoken::get_current_timestamp() + LEEWAY_SECS {
            return Err(Status::unauthenticated("token was issued in the future (iat)"));
        }
        if data.claims.sub.trim().is_empty() {
            return Err(Status::unauthenticated("token has no subject (sub)"));
        }
        let roles = data.claims.roles.iter().filter_map(|r| Role::parse(r)).collect();
        Ok(Principal { subject: data.claims.sub, roles })
    }

    /// A tonic interceptor that authenticates every call of the service it wraps.
    pub fn interceptor(&self) -> impl FnMut(Request<()>) -> Result<Request<()>, Status> + Clone + use<> {
        let auth = self.clone();
        move |mut request: Request<()>| {
            let header = request
                .metadata()
                .get("authorization")
                .ok_or_else(|| Status::unauthenticated("missing credentials: send `authorization: Bearer <token>`"))?;
            let token = header
                .to_str()
                .ok()
                .and_then(|h| h.strip_prefix("Bearer "))
                .ok_or_else(|| Status::unauthenticated("authorization must be `Bearer <token>`"))?;
            let principal = auth.verify(token.trim())?;
            request.extensions_mut().insert(principal);
            Ok(request)
        }
    }
}

/// Returns the caller if it holds one of `allowed`, otherwise PERMISSION_DENIED (and the
/// denial is recorded on the audit log target).
pub fn require<T>(request: &Request<T>, allowed: &[Role]) -> Result<Principal, Status> {
    let principal = request
        .extensions()
        .get::<Principal>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("request was not authenticated"))?;
    if allowed.iter().any(|r| principal.has(*r)) {
        return Ok(principal);
    }
    let allowed_names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
    tracing::warn!(
        target: "hrmesh::audit",
        actor = %principal.subject,
        roles = ?principal.roles,
        allowed = ?allowed_names,
        "access denied"
    );
    crate::telemetry::metrics().access_denied.add(1, &[]);
    Err(Status::permission_denied(format!("this call needs one of the roles {}", allowed_names.join(", "))))
}

/// Signs tokens with an HS256 key: used by `hrmesh token` and the tests.
#[derive(Clone)]
pub struct TokenIssuer {
    kid: String,
    key: EncodingKey,
    issuer: String,
    audience: String,
}

impl fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenIssuer").field("kid", &self.kid).finish()
    }
}

impl TokenIssuer {
    /// Uses the first HS256 key of `config`.
    pub fn from_config(config: &AuthConfig) -> anyhow::Result<Self> {
        let key = config
            .keys
            .iter()
            .find(|k| k.algorithm == KeyAlgorithm::HS256)
            .ok_or_else(|| anyhow::anyhow!("no HS256 key configured (auth.keys) to sign tokens with"))?;
        Ok(Self {
            kid: key.kid.clone(),
            key: EncodingKey::from_secret(key.key.expose().as_bytes()),
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
        })
    }

    /// A signed token for `subject` with `roles`, valid for `ttl`.
    pub fn issue(&self, subject: &str, roles: &[Role], ttl: Duration) -> anyhow::Result<String> {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: subject.to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: None,
            exp: now + ttl.as_secs(),
            roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.kid.clone());
        Ok(jsonwebtoken::encode(&header, &claims, &self.key)?)
    }
}

/// Embedded mode without configured keys: a signing secret generated once and kept in the
/// data directory, so `hrmesh token` and the running server agree.
pub fn embedded_key(config: &crate::config::Config) -> anyhow::Result<AuthKey> {
    Ok(AuthKey { kid: "embedded".into(), algorithm: KeyAlgorithm::HS256, key: config.local_secret("dev-signing-key")? })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn config() -> AuthConfig {
        AuthConfig {
            issuer: "hrmesh".into(),
            audience: "hrmesh".into(),
            keys: vec![AuthKey { kid: "k1".into(), algorithm: KeyAlgorithm::HS256, key: Secret::new("x".repeat(32)) }],
            service_token: Secret::default(),
        }
    }

    #[test]
    fn accepts_a_valid_token_with_its_roles() {
        let issuer = TokenIssuer::from_config(&config()).expect("issuer");
        let token = issuer.issue("alice", &[Role::Dpo], Duration::from_secs(60)).expect("token");
        let principal = Authenticator::new(&config()).expect("auth").verify(&token).expect("valid");
        assert_eq!(principal, Principal { subject: "alice".into(), roles: vec![Role::Dpo] });
    }

    #[test]
    fn rejects_alg_none() {
        // {"alg":"none","kid":"k1"}.{"sub":"x",...}. with an empty signature
        let header = "eyJhbGciOiJub25lIiwia2lkIjoiazEifQ";
        let body = "eyJzdWIiOiJ4IiwiaXNzIjoiaHJtZXNoIiwiYXVkIjoiaHJtZXNoIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQiOjB9";
        let token = format!("{header}.{body}.");
        let err = Authenticator::new(&config()).expect("auth").verify(&token).expect_err("alg none");
        assert_eq!(err.code(), tonic::Code::Unauthenticated);
    }

    fn signed(claims: &serde_json::Value, header: &serde_json::Value) -> String {
        use base64::Engine;
        use hmac::Mac;
        let b64 = |v: &serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).expect("json"))
        };
        let input = format!("{}.{}", b64(header), b64(claims));
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice("x".repeat(32).as_bytes()).expect("key");
        mac.update(input.as_bytes());
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{input}.{sig}")
    }

    fn claims(now: u64) -> serde_json::Value {
        serde_json::json!({"sub": "alice", "iss": "hrmesh", "aud": "hrmesh", "iat": now, "exp": now + 600})
    }

    #[test]
    fn rejects_not_yet_valid_future_issued_critical_and_subjectless_tokens() {
        let auth = Authenticator::new(&config()).expect("auth");
        let header = serde_json::json!({"alg": "HS256", "typ": "JWT", "kid": "k1"});
        let now = jsonwebtoken::get_current_timestamp();
        assert!(auth.verify(&signed(&claims(now), &header)).is_ok(), "a plain token passes");
        let mut c = claims(now);
        c["nbf"] = (now + 3600).into();
        assert_eq!(auth.verify(&signed(&c, &header)).expect_err("nbf").message(), "token is not valid yet (nbf)");
        let mut c = claims(now);
        c["iat"] = (now + 3600).into();
        c["exp"] = (now + 7200).into();
        assert!(auth.verify(&signed(&c, &header)).expect_err("iat").message().contains("future"));
        let mut c = claims(now);
        c["sub"] = "".into();
        assert!(auth.verify(&signed(&c, &header)).expect_err("sub").message().contains("subject"));
        let crit = serde_json::json!({"alg": "HS256", "kid": "k1", "crit": ["exp-ext"], "exp-ext": true});
        assert!(auth.verify(&signed(&claims(now), &crit)).expect_err("crit").message().contains("crit"));
    }

    #[test]
    fn rejects_unknown_key_and_wrong_audience() {
        let mut other = config();
        other.keys[0].kid = "k2".into();
        let token = TokenIssuer::from_config(&other).expect("issuer").issue("a", &[], Duration::from_secs(60));
        let auth = Authenticator::new(&config()).expect("auth");
        assert!(auth.verify(&token.expect("token")).is_err());
        let mut aud = config();
        aud.audience = "elsewhere".into();
        let token = TokenIssuer::from_config(&aud).expect("issuer").issue("a", &[], Duration::from_secs(60));
        assert_eq!(auth.verify(&token.expect("token")).expect_err("aud").message(), "token has the wrong audience");
    }
}
