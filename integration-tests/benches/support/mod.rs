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
