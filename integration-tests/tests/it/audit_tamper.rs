//! The audit trail against an intruder who rewrites governance's SQLite file while the server
//! is stopped: `hrmesh audit verify` names what was done, and governance refuses to start on
//! the forgery, so it never signs a head over it.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use hrmesh_kit::{config::Config, db::Database, runtime};
use sqlx::Row;

use crate::{
    flow::audit_trail,
    governance::grant,
    helpers::{PATIENCE, RunMode, TestApp, eventually},
};

/// Runs an embedded server on `data` until it audited a few consent grants, then stops it
/// gracefully (which writes the witness). The data directory outlives the server.
async fn stopped_server(data: &Path) -> Config {
    let app = TestApp::spawn_with(RunMode::Embedded, |c| c.data_dir = data.to_path_buf()).await;
    for i in 0..4 {
        grant(&app, &format!("emp-{i}"), "engagement.sentiment").await;
    }
    eventually("four audit records", PATIENCE, || async { (audit_trail(&app).await.len() >= 4).then_some(()) }).await;
    let config = app.config.clone();
    app.stop().await;
    config
}

fn hrmesh_binary() -> PathBuf {
    // The test binary lives in target/<profile>/deps; the hrmesh binary one level up.
    let exe = std::env::current_exe().expect("test binary");
    let hrmesh = exe.parent().and_then(|deps| deps.parent()).expect("target dir").join("hrmesh");
    assert!(hrmesh.exists(), "build the hrmesh binary first (cargo build -p hrmesh): {}", hrmesh.display());
    hrmesh
}

/// `hrmesh audit verify` on `config`'s data directory: exit code and everything it printed.
fn audit_verify(config: &Config) -> (Option<i32>, String) {
    let output = Command::new(hrmesh_binary())
        .args(["audit", "verify"])
        .env_clear()
        .env("HRMESH_DATA_DIR", &config.data_dir)
        .env("HRMESH_GOVERNANCE__SIGNING_KEY", config.governance.signing_key.expose())
        .output()
        .expect("run hrmesh audit verify");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

async fn count(db: &Database, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(db.pool()).await.expect("count").get(0)
}

/// Changes the last record and recomputes its chain hash, as an intruder covering an edit does.
async fn rewrite_last_record(db: &Database) {
    let mut records = hrmesh_governance::read_all(db).await.expect("trail");
    let last = records.last_mut().expect("records");
    last.detail = "consent withdrawn".into();
    last.hash = hrmesh_governance::record_hash(&last.previous_hash, last);
    sqlx::query("UPDATE audit_log SET detail = $1, hash = $2 WHERE sequence = $3")
        .bind(&last.detail)
        .bind(&last.hash)
        .bind(i64::try_from(last.sequence).expect("small"))
        .execute(db.pool())
        .await
        .expect("rewrite");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rehashed_trail_is_reported_and_governance_refuses_to_start_on_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let config = stopped_server(data.path()).await;
    let (code, text) = audit_verify(&config);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("audit trail intact") && text.contains("matches"), "{text}");

    let db = Database::connect(&config, hrmesh_governance::NAME).await.expect("governance database");
    rewrite_last_record(&db).await;
    let heads = (count(&db, "chain_heads").await, count(&db, "tree_heads").await);
    db.close().await;

    let (code, text) = audit_verify(&config);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("no longer has the signed hash"), "{text}");
    assert!(text.contains("no longer has the hash in the witness file"), "{text}");

    let Err(refused) = runtime::start(config.clone(), &hrmesh::all_services()).await else {
        panic!("governance started on a tampered trail");
    };
    let message = format!("{refused:#}");
    assert!(message.contains("governance cannot start"), "{message}");
    assert!(message.contains("hrmesh audit verify"), "{message}");

    // Nothing was signed over the forgery.
    let db = Database::connect(&config, hrmesh_governance::NAME).await.expect("governance database");
    assert_eq!((count(&db, "chain_heads").await, count(&db, "tree_heads").await), heads);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emptied_trail_is_reported_and_governance_refuses_to_start_on_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let config = stopped_server(data.path()).await;
    let db = Database::connect(&config, hrmesh_governance::NAME).await.expect("governance database");
    for table in ["audit_log", "tree_heads", "chain_heads"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(db.pool()).await.expect("delete");
    }
    db.close().await;

    let (code, text) = audit_verify(&config);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("(both tables emptied)"), "{text}");

    let Err(refused) = runtime::start(config.clone(), &hrmesh::all_services()).await else {
        panic!("governance started on a tampered trail");
    };
    assert!(format!("{refused:#}").contains("both tables emptied"), "{refused:#}");
}
