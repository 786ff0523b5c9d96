//! Compiles every `.proto` under `hrmesh/` with protox (no system `protoc` needed) and writes
//! the descriptor set that server reflection serves.

use std::{env, fs, path::PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Every `hrmesh/<package>/v1/*.proto`: a new service's proto needs no line here.
    let mut files = Vec::new();
    for package in fs::read_dir("hrmesh")? {
        let dir = package?.path().join("v1");
        for file in fs::read_dir(&dir)? {
            let path = file?.path();
            if path.extension().is_some_and(|e| e == "proto") {
                files.push(path.to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
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
