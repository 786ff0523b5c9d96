//! What every benchmark starts from: an embedded-mode configuration in `dir` with fixed keys
//! and a free port.

use hrmesh_kit::config::{AuthKey, Config, KeyAlgorithm, Secret};

/// Embedded mode in `dir`, port 0, no drain grace, fixed signing, pseudonym and master keys.
pub fn embedded_config(dir: &std::path::Path) -> Config {
    let mut config = Config { data_dir: dir.to_path_buf(), tenant: "acme".into(), ..Config::default() };
    config.grpc.port = 0;
    config.grpc.drain_grace_ms = 0;
    config.auth.keys =
        vec![AuthKey { kid: "b".into(), algorithm: KeyAlgorithm::HS256, key: Secret::new("b".repeat(32)) }];
    config.governance.pseudonym_key = Secret::new("p".repeat(32));
    config.governance.signing_key = Secret::new("s".repeat(32));
    config.privacy.master_key = Secret::new("m".repeat(32));
    config
}

/// Adds a bearer token to every call.
#[derive(Clone)]
pub struct Bearer(tonic::metadata::MetadataValue<tonic::metadata::Ascii>);

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        request.metadata_mut().insert("authorization", self.0.clone());
        Ok(request)
    }
}

/// A channel to `running` and a token for `subject` with `roles`, signed with `config`'s key.
pub async fn connect(
    config: &Config,
    running: &hrmesh_kit::runtime::Running,
    subject: &str,
    roles: &[hrmesh_kit::auth::Role],
) -> (tonic::transport::Channel, Bearer) {
    let token = hrmesh_kit::auth::TokenIssuer::from_config(&config.auth)
        .expect("issuer")
        .issue(subject, roles, std::time::Duration::from_secs(3600))
        .expect("token");
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", running.addr))
        .expect("address")
        .connect()
        .await
        .expect("connect");
    (channel, Bearer(format!("Bearer {token}").parse().expect("header")))
}

impl Bearer {
    /// The header value for `token`.
    #[allow(dead_code)]
    pub fn new(token: &str) -> Bearer {
        Bearer(format!("Bearer {token}").parse().expect("header"))
    }
}
