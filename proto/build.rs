//! Compiles every `.proto` under `hrmesh/` with protox (no system `protoc` needed) and writes
//! the descriptor set that server reflection serves.

use std::{env, fs, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "hrmesh/events/v1/events.proto",
        "hrmesh/recruiting/v1/recruiting.proto",
        "hrmesh/onboarding/v1/onboarding.proto",
        "hrmesh/analytics/v1/analytics.proto",
        "hrmesh/engagement/v1/engagement.proto",
        "hrmesh/skills/v1/skills.proto",
        "hrmesh/performance/v1/performance.proto",
        "hrmesh/selfservice/v1/selfservice.proto",
        "hrmesh/governance/v1/governance.proto",
        "hrmesh/privacy/v1/privacy.proto",
    ];
    println!("cargo:rerun-if-changed=hrmesh");
    let descriptors = protox::compile(files, ["."])?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    fs::write(out.join("hrmesh_descriptor.bin"), prost::Message::encode_to_vec(&descriptors))?;
    let mut prost_config = tonic_prost_build::Config::new();
    // `prost::Name` gives every message its full name: the event `type` attribute.
    prost_config.enable_type_names();
    tonic_prost_build::configure().compile_fds_with_config(descriptors, prost_config)?;
    Ok(())
}
