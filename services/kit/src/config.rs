//! Configuration: built-in defaults < TOML file < `HRMESH_*` environment, validated at start.
//!
//! Nested keys use a double underscore in the environment: `HRMESH_GRPC__PORT=50051` sets
//! `grpc.port`. A value that does not parse or is out of range fails start-up with a message
//! naming the key, the offending value and what is allowed.

use std::{net::IpAddr, path::PathBuf, time::Duration};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

/// Environment prefix of every setting.
pub const ENV_PREFIX: &str = "HRMESH_";

/// Top-level keys of [`Config`]: the environment variables that configure hrmesh.
const SECTIONS: [&str; 14] = [
    "mode",
    "data_dir",
    "tenant",
    "employer_name",
    "grpc",
    "database",
    "kafka",
    "redis",
    "auth",
    "events",
    "telemetry",
    "governance",
    "privacy",
    "peers",
];

/// How hrmesh runs: everything in one process, or one process per service on real infrastructure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// One process, SQLite files and an embedded durable event log under `data_dir`.
    Embedded,
    /// PostgreSQL, Kafka and Redis.
    Platform,
}

/// The whole configuration of an hrmesh process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub mode: Mode,
    /// Directory for SQLite files and the embedded event log (embedded mode).
    pub data_dir: PathBuf,
    /// Employer (tenant) this deployment serves; stamped on every event.
    pub tenant: String,
    /// The employer's name as documents print it (certificates, letters); the tenant when empty.
    pub employer_name: String,
    pub grpc: GrpcConfig,
    pub database: DatabaseConfig,
    pub kafka: KafkaConfig,
    pub redis: RedisConfig,
    pub auth: AuthConfig,
    pub events: EventsConfig,
    pub telemetry: TelemetryConfig,
    pub governance: GovernanceConfig,
    pub privacy: PrivacyConfig,
    /// gRPC endpoints of services this process calls but does not run, by service name, e.g.
    /// `governance = "http://hrmesh-governance:50051"`. Unset: `http://hrmesh-<service>:50051`
    /// (the Helm chart's service names); services run by this process are called in-process.
    pub peers: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrpcConfig {
    pub host: IpAddr,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// How long health reports NOT_SERVING before the server stops taking requests, in ms,
    /// so load balancers can take the instance out of rotation.
    pub drain_grace_ms: u64,
    /// Longest any call may run, in ms (a client's shorter `grpc-timeout` wins): no single call
    /// holds a connection, a database transaction or a worker forever.
    pub request_timeout_ms: u64,
    /// After the grace period, how long calls in flight may take to finish, in ms, before the
    /// process stops anyway.
    pub drain_timeout_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// PostgreSQL URL (platform mode). Each service uses its own schema in this database.
    pub url: String,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaConfig {
    /// Comma-separated bootstrap servers (platform mode).
    pub brokers: String,
    /// Prepended to every topic and consumer group name (isolates tests and environments).
    pub topic_prefix: String,
    pub partitions: i32,
    pub replication_factor: i32,
    /// How clients talk to the brokers: plaintext, ssl, sasl_plaintext or sasl_ssl.
    pub security_protocol: KafkaSecurity,
    /// SASL mechanism with sasl_*: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
    pub sasl_mechanism: String,
    pub sasl_username: String,
    pub sasl_password: Secret,
    /// CA bundle (PEM) that signed the brokers' certificates; empty: the system's CAs.
    pub ssl_ca_location: String,
    /// Client certificate and key (PEM) for mutual TLS; both or neither.
    pub ssl_certificate_location: String,
    pub ssl_key_location: String,
}

/// Transport security towards Kafka (librdkafka's `security.protocol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KafkaSecurity {
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

impl KafkaSecurity {
    pub fn as_str(self) -> &'static str {
        match self {
            KafkaSecurity::Plaintext => "plaintext",
            KafkaSecurity::Ssl => "ssl",
            KafkaSecurity::SaslPlaintext => "sasl_plaintext",
            KafkaSecurity::SaslSsl => "sasl_ssl",
        }
    }

    pub fn uses_sasl(self) -> bool {
        matches!(self, KafkaSecurity::SaslPlaintext | KafkaSecurity::SaslSsl)
    }

    pub fn uses_tls(self) -> bool {
        matches!(self, KafkaSecurity::Ssl | KafkaSecurity::SaslSsl)
    }
}

/// SASL mechanisms hrmesh supports (GSSAPI/Kerberos is not built in).
pub const SASL_MECHANISMS: [&str; 3] = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisConfig {
    /// Redis URL (platform mode).
    pub url: String,
    /// Prepended to every key.
    pub key_prefix: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub issuer: String,
    pub audience: String,
    /// Verification keys by key id (`kid`). Tokens naming another kid are rejected.
    pub keys: Vec<AuthKey>,
    /// Token with the `service` role that this process presents to other services. Empty: one
    /// is signed with the first HS256 key in `keys` (and in embedded mode, the generated key).
    pub service_token: Secret,
}

/// A secret value: deserialised like a string, never printed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The secret itself; keep it out of logs and errors.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One token verification key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthKey {
    pub kid: String,
    pub algorithm: KeyAlgorithm,
    /// HS256: the shared secret (at least 32 bytes). EdDSA/RS256: the public key in PEM.
    pub key: Secret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyAlgorithm {
    HS256,
    RS256,
    EdDSA,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsConfig {
    /// Attempts to handle an event before it goes to the dead-letter topic.
    pub max_attempts: u32,
    /// First retry delay in ms; doubles per attempt.
    pub retry_backoff_ms: u64,
    /// Outbox rows published per relay round.
    pub relay_batch: u32,
    /// Relay poll interval in ms when nothing signals new rows.
    pub relay_poll_ms: u64,
    /// Events handled per consumer transaction.
    pub consumer_batch: u32,
    /// How long a consumer remembers handled event ids; must exceed how long a duplicate can
    /// arrive (the broker's retention).
    pub inbox_retention_hours: u64,
    /// Embedded mode: how long the event log keeps records (like Kafka's `retention.ms`).
    pub log_retention_hours: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetryConfig {
    /// `tracing` filter directive, e.g. `info,hrmesh_kit=debug`.
    pub log_filter: String,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// OTLP/gRPC endpoint; traces and metrics are exported only when set.
    pub otlp_endpoint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceConfig {
    /// Current pseudonymisation key (at least 32 bytes). Never logged. Empty in embedded mode
    /// means: generate one and keep it in the data directory.
    pub pseudonym_key: Secret,
    /// Version stamped on governed events so consumers know which key made a pseudonym.
    pub pseudonym_key_version: u32,
    /// Seed of the Ed25519 key that signs audit tree heads (at least 32 bytes). Never logged.
    /// Empty in embedded mode means: generate one and keep it in the data directory.
    pub signing_key: Secret,
    /// How often the audit Merkle tree head is signed, in seconds.
    pub tree_head_interval_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Key that wraps every per-person encryption key (at least 32 bytes). Never logged. Empty
    /// in embedded mode means: generate one and keep it in the data directory.
    pub master_key: Secret,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            mode: Mode::Embedded,
            data_dir: PathBuf::from("data"),
            tenant: "default".into(),
            employer_name: String::new(),
            grpc: GrpcConfig {
                host: IpAddr::from([127, 0, 0, 1]),
                port: 50051,
                drain_grace_ms: 2_000,
                request_timeout_ms: 30_000,
                drain_timeout_ms: 20_000,
            },
            database: DatabaseConfig { url: "postgres://postgres@127.0.0.1:5432/hrmesh".into(), max_connections: 10 },
            kafka: KafkaConfig {
                brokers: "127.0.0.1:9092".into(),
                topic_prefix: String::new(),
                partitions: 6,
                replication_factor: 1,
                security_protocol: KafkaSecurity::Plaintext,
                sasl_mechanism: String::new(),
                sasl_username: String::new(),
                sasl_password: Secret::default(),
                ssl_ca_location: String::new(),
                ssl_certificate_location: String::new(),
                ssl_key_location: String::new(),
            },
            redis: RedisConfig { url: "redis://127.0.0.1:6379".into(), key_prefix: "hrmesh:".into() },
            auth: AuthConfig {
                issuer: "hrmesh".into(),
                audience: "hrmesh".into(),
                keys: Vec::new(),
                service_token: Secret::default(),
            },
            events: EventsConfig {
                max_attempts: 5,
                retry_backoff_ms: 100,
                relay_batch: 500,
                relay_poll_ms: 200,
                consumer_batch: 500,
                inbox_retention_hours: 24 * 14,
                log_retention_hours: 24 * 7,
            },
            telemetry: TelemetryConfig { log_filter: "info".into(), log_format: LogFormat::Text, otlp_endpoint: None },
            governance: GovernanceConfig {
                pseudonym_key: Secret::default(),
                pseudonym_key_version: 1,
                signing_key: Secret::default(),
                tree_head_interval_secs: 60,
            },
            privacy: PrivacyConfig { master_key: Secret::default() },
            peers: std::collections::BTreeMap::new(),
        }
    }
}

/// A configuration that cannot be used; the message names the key and what is allowed.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(String);

impl Config {
    /// Loads defaults, then `file` (if any), then `HRMESH_*` variables, and validates the result.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError(format!(
                    "config file {} does not exist (pass an existing TOML file with --config or HRMESH_CONFIG)",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        // Only variables naming a configuration section are settings: HRMESH_CONFIG, and the
        // tools' own HRMESH_* variables (caches, test brokers), are not.
        let env = Env::prefixed(ENV_PREFIX)
            .filter(|key| {
                let section = key.as_str().split("__").next().unwrap_or_default().to_ascii_lowercase();
                SECTIONS.contains(&section.as_str())
            })
            .split("__");
        figment = figment.merge(env);
        let config: Config = figment.extract().map_err(describe_figment_error)?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the values that the types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, value: &dyn std::fmt::Display, allowed: &str| {
            Err(ConfigError(format!(
                "{key} = {value} is not allowed: {allowed} (set it in the config file or as {})",
                env_name(key)
            )))
        };
        if self.tenant.trim().is_empty() {
            return bad("tenant", &self.tenant, "a non-empty tenant name");
        }
        if !(100..=3_600_000).contains(&self.grpc.request_timeout_ms) {
            return bad("grpc.request_timeout_ms", &self.grpc.request_timeout_ms, "100..=3600000 ms");
        }
        if self.grpc.drain_timeout_ms > 600_000 {
            return bad("grpc.drain_timeout_ms", &self.grpc.drain_timeout_ms, "0..=600000 ms");
        }
        if !(1..=100_000).contains(&self.events.max_attempts) {
            return bad("events.max_attempts", &self.events.max_attempts, "1..=100000");
        }
        if !(1..=10_000).contains(&self.events.relay_batch) {
            return bad("events.relay_batch", &self.events.relay_batch, "1..=10000");
        }
        if !(1..=10_000).contains(&self.events.consumer_batch) {
            return bad("events.consumer_batch", &self.events.consumer_batch, "1..=10000");
        }
        if !(1..=60_000).contains(&self.events.relay_poll_ms) {
            return bad("events.relay_poll_ms", &self.events.relay_poll_ms, "1..=60000 ms");
        }
        if self.events.inbox_retention_hours <= self.events.log_retention_hours {
            return bad(
                "events.inbox_retention_hours",
                &self.events.inbox_retention_hours,
                "more than events.log_retention_hours, or duplicates could be applied twice",
            );
        }
        if !(1..=1_000).contains(&self.database.max_connections) {
            return bad("database.max_connections", &self.database.max_connections, "1..=1000");
        }
        let topic_ok =
            self.kafka.topic_prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !topic_ok {
            return bad("kafka.topic_prefix", &self.kafka.topic_prefix, "only ASCII letters, digits, '.', '_' and '-'");
        }
        if self.kafka.partitions < 1 {
            return bad("kafka.partitions", &self.kafka.partitions, "at least 1");
        }
        if self.kafka.replication_factor < 1 {
            return bad("kafka.replication_factor", &self.kafka.replication_factor, "at least 1");
        }
        let k = &self.kafka;
        if k.security_protocol.uses_sasl() {
            if !SASL_MECHANISMS.contains(&k.sasl_mechanism.as_str()) {
                return bad(
                    "kafka.sasl_mechanism",
                    &format!("{:?}", k.sasl_mechanism),
                    "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 with a sasl_* security_protocol",
                );
            }
            if k.sasl_username.trim().is_empty() {
                return bad("kafka.sasl_username", &"\"\"", "the SASL user name with a sasl_* security_protocol");
            }
            if k.sasl_password.expose().is_empty() {
                return bad("kafka.sasl_password", &"<empty>", "the SASL password with a sasl_* security_protocol");
            }
        } else if !k.sasl_mechanism.is_empty() || !k.sasl_username.is_empty() {
            return bad(
                "kafka.security_protocol",
                &k.security_protocol.as_str(),
                "sasl_plaintext or sasl_ssl when SASL credentials are set",
            );
        }
        let tls_files = [
            ("kafka.ssl_ca_location", &k.ssl_ca_location),
            ("kafka.ssl_certificate_location", &k.ssl_certificate_location),
            ("kafka.ssl_key_location", &k.ssl_key_location),
        ];
        for (key, path) in tls_files {
            if path.is_empty() {
                continue;
            }
            if !k.security_protocol.uses_tls() {
                return bad(
                    "kafka.security_protocol",
                    &k.security_protocol.as_str(),
                    &format!("ssl or sasl_ssl when {key} is set"),
                );
            }
            if !std::path::Path::new(path).is_file() {
                return bad(key, path, "an existing PEM file");
            }
        }
        if k.ssl_certificate_location.is_empty() != k.ssl_key_location.is_empty() {
            return bad(
                "kafka.ssl_key_location",
                &k.ssl_key_location,
                "set together with kafka.ssl_certificate_location (mutual TLS)",
            );
        }
        if self.mode == Mode::Platform {
            if self.kafka.brokers.trim().is_empty() {
                return bad("kafka.brokers", &self.kafka.brokers, "host:port[,host:port...] in platform mode");
            }
            if !self.database.url.starts_with("postgres://") && !self.database.url.starts_with("postgresql://") {
                return bad("database.url", &"<redacted>", "a postgres:// URL in platform mode");
            }
            if !self.redis.url.starts_with("redis://") && !self.redis.url.starts_with("rediss://") {
                return bad("redis.url", &"<redacted>", "a redis:// or rediss:// URL in platform mode");
            }
            if self.auth.keys.is_empty() {
                return bad("auth.keys", &"[]", "at least one token verification key in platform mode");
            }
        }
        if !(1..=86_400).contains(&self.governance.tree_head_interval_secs) {
            return bad("governance.tree_head_interval_secs", &self.governance.tree_head_interval_secs, "1..=86400 s");
        }
        for (service, endpoint) in &self.peers {
            if !endpoint.starts_with("http://") && !endpoint.starts_with("https://") {
                return bad(&format!("peers.{service}"), endpoint, "an http:// or https:// URL");
            }
        }
        for key in &self.auth.keys {
            if key.kid.is_empty() {
                return bad("auth.keys[].kid", &key.kid, "a non-empty key id");
            }
            if key.algorithm == KeyAlgorithm::HS256 && key.key.expose().len() < 32 {
                return bad("auth.keys[].key", &"<redacted>", "an HS256 secret of at least 32 bytes");
            }
        }
        Ok(())
    }

    /// A secret kept in the data directory (embedded mode), created on first use.
    pub fn local_secret(&self, name: &str) -> anyhow::Result<Secret> {
        let path = self.data_dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(s) => Ok(Secret(s.trim().to_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.data_dir)?;
                let secret = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
                write_private(&path, &secret)?;
                Ok(Secret(secret))
            }
            Err(e) => Err(anyhow::anyhow!("reading {}: {e}", path.display())),
        }
    }

    /// A secret from the configuration, or in embedded mode when it is empty one generated in the
    /// data directory under `local_name`; at least 32 bytes either way.
    pub fn secret(&self, configured: &Secret, key: &str, local_name: &str) -> anyhow::Result<Secret> {
        let secret = match (self.mode, configured.expose().is_empty()) {
            (Mode::Embedded, true) => self.local_secret(local_name)?,
            _ => configured.clone(),
        };
        if secret.expose().len() < 32 {
            anyhow::bail!(
                "invalid configuration: {key} must be a secret of at least 32 bytes (set it in the config file or as {})",
                env_name(key)
            );
        }
        Ok(secret)
    }

    /// The employer's name for documents: `employer_name`, or the tenant when it is empty.
    pub fn employer(&self) -> &str {
        if self.employer_name.trim().is_empty() { &self.tenant } else { self.employer_name.trim() }
    }

    /// Drain grace period as a [`Duration`].
    pub fn drain_grace(&self) -> Duration {
        Duration::from_millis(self.grpc.drain_grace_ms)
    }
}

/// Writes a secret readable by its owner only.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// The environment variable that sets `key`, e.g. `grpc.port` → `HRMESH_GRPC__PORT`.
pub fn env_name(key: &str) -> String {
    let path = key.replace("[]", "").replace('.', "__").to_uppercase();
    format!("{ENV_PREFIX}{path}")
}

fn describe_figment_error(errors: figment::Error) -> ConfigError {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| match &m.source {
                    Some(source) => format!(" (from {} {source})", m.name),
                    None => format!(" (from {})", m.name),
                })
                .unwrap_or_default();
            if key.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("{key}: {}{source}; set it in the config file or as {}", e.kind, env_name(&key))
            }
        })
        .collect();
    ConfigError(lines.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().expect("defaults validate");
    }

    #[test]
    fn kafka_security_settings_are_checked_with_the_key_to_fix() {
        let mut c = Config::default();
        c.kafka.security_protocol = KafkaSecurity::SaslSsl;
        c.kafka.sasl_mechanism = "SCRAM-SHA-256".into();
        c.kafka.sasl_username = "hrmesh".into();
        let err = c.validate().expect_err("password missing").to_string();
        assert!(err.contains("kafka.sasl_password") && err.contains("HRMESH_KAFKA__SASL_PASSWORD"), "{err}");
        c.kafka.sasl_password = Secret::new("pw");
        c.validate().expect("complete SASL settings");
        c.kafka.sasl_mechanism = "GSSAPI".into();
        assert!(c.validate().expect_err("unsupported").to_string().contains("kafka.sasl_mechanism"));
        c.kafka.sasl_mechanism = "PLAIN".into();
        c.kafka.ssl_ca_location = "/nonexistent/ca.pem".into();
        assert!(c.validate().expect_err("missing file").to_string().contains("kafka.ssl_ca_location"));
        c.kafka.ssl_ca_location = String::new();
        c.kafka.security_protocol = KafkaSecurity::Plaintext;
        let err = c.validate().expect_err("credentials without SASL").to_string();
        assert!(err.contains("kafka.security_protocol"), "{err}");
    }

    #[test]
    fn env_name_uses_double_underscore_for_nesting() {
        assert_eq!(env_name("grpc.port"), "HRMESH_GRPC__PORT");
        assert_eq!(env_name("auth.keys[].kid"), "HRMESH_AUTH__KEYS__KID");
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its own large error
    fn only_variables_naming_a_section_are_read() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("HRMESH_CACHE", "/tmp/not-a-setting");
            jail.set_env("HRMESH_GRPC__PORT", "6000");
            let config = Config::load(None).expect("loads");
            assert_eq!(config.grpc.port, 6000);
            jail.set_env("HRMESH_GRPC__PROT", "6000");
            let err = Config::load(None).expect_err("misspelt key").to_string();
            assert!(err.contains("prot"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn platform_mode_requires_keys() {
        let config = Config { mode: Mode::Platform, ..Config::default() };
        let err = config.validate().expect_err("no auth keys").to_string();
        assert!(err.contains("auth.keys"), "{err}");
    }
}
