//! Bad configuration fails start-up with a message naming the key, what is allowed and how to set it.

use std::process::{Command, Stdio};

use hrmesh_kit::config::Config;

fn load_toml(toml: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hrmesh.toml");
    std::fs::write(&path, toml).expect("write config");
    Config::load(Some(&path)).expect_err("invalid config").to_string()
}

#[test]
fn non_numeric_port_names_the_key_and_its_variable() {
    let message = load_toml("[grpc]\nport = \"fifty\"\n");
    assert!(message.contains("grpc.port"), "{message}");
    assert!(message.contains("HRMESH_GRPC__PORT"), "{message}");
    assert!(message.contains("u16"), "{message}");
}

#[test]
fn unknown_mode_lists_the_allowed_values() {
    let message = load_toml("mode = \"cloud\"\n");
    assert!(message.contains("mode"), "{message}");
    assert!(message.contains("`embedded`") && message.contains("`platform`"), "{message}");
}

#[test]
fn misspelt_key_is_rejected() {
    let message = load_toml("[grpc]\nprot = 1\n");
    assert!(message.contains("prot"), "{message}");
}

/// Runs the real `hrmesh` binary, which must exit (with an error) within 20 s.
fn run_hrmesh(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let output = hrmesh_output(args, env);
    assert!(!output.status.success(), "hrmesh {args:?} should fail");
    output
}

/// Runs the real hrmesh binary to its end (at most 20 s).
pub(crate) fn hrmesh_output(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    // The test binary lives in target/<profile>/deps; the hrmesh binary one level up.
    let exe = std::env::current_exe().expect("test binary");
    let hrmesh = exe.parent().and_then(|deps| deps.parent()).expect("target dir").join("hrmesh");
    assert!(hrmesh.exists(), "build the hrmesh binary first (cargo build -p hrmesh): {}", hrmesh.display());
    let mut child = Command::new(&hrmesh)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hrmesh");
    // A binary that ignored the problem would keep serving: give it a bounded time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("hrmesh {args:?} kept running");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn out_of_range_value_from_the_environment_stops_the_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().to_str().expect("utf-8 path");
    let output = run_hrmesh(&["up", "--port", "0", "--data-dir", data_dir], &[("HRMESH_EVENTS__MAX_ATTEMPTS", "0")]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("events.max_attempts = 0 is not allowed: 1..=100000"), "{stderr}");
    assert!(stderr.contains("HRMESH_EVENTS__MAX_ATTEMPTS"), "{stderr}");
}

#[test]
fn unreachable_database_names_the_setting_to_fix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("platform.toml");
    std::fs::write(
        &path,
        "[database]\nurl = \"postgres://postgres@127.0.0.1:1/nowhere\"\n\
         [privacy]\nmaster_key = \"0123456789abcdef0123456789abcdef\"\n\
         [[auth.keys]]\nkid = \"k\"\nalgorithm = \"HS256\"\nkey = \"0123456789abcdef0123456789abcdef\"\n",
    )
    .expect("write config");
    let output = run_hrmesh(&["--config", path.to_str().expect("utf-8 path"), "serve", "analytics"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot reach PostgreSQL at database.url (HRMESH_DATABASE__URL)"), "{stderr}");
}

#[test]
fn unknown_service_lists_the_valid_names() {
    let output = run_hrmesh(&["serve", "payroll"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown service \"payroll\": choose one of governance, people, recruiting"), "{stderr}");
}

#[test]
fn example_config_file_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/hrmesh.example.toml");
    let config = Config::load(Some(std::path::Path::new(path))).expect("example config loads");
    assert_eq!(config.grpc.port, 50051);
}
