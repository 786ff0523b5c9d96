//! The witness file, and governance refusing to start on, append to or sign a trail rewritten
//! in its SQLite database.

use ed25519_dalek::SigningKey;
use hrmesh_proto::governance::v1::AuditRecord;

use super::*;
use crate::audit::{Entry, GENESIS, record_hash};

#[test]
fn stored_witness_reads_back_and_replaces_the_old_one() {
    let dir = std::env::temp_dir().join(format!("hrmesh-witness-{}", uuid::Uuid::new_v4().simple()));
    let path = dir.join(FILE);
    assert!(load(&path).expect("no witness yet").is_none());
    let mut witness = Witness {
        head: ChainHead {
            tree_size: 3,
            record_hash: "ab".repeat(32),
            previous_size: 2,
            signed_at: 1_700_000_000_000,
            signature: "cd".repeat(64),
        },
        tree_head_size: 2,
    };
    store(&path, &witness).expect("store");
    witness.head.tree_size = 4;
    store(&path, &witness).expect("replace");
    assert_eq!(load(&path).expect("load"), Some(witness));
    std::fs::write(&path, "{}").expect("corrupt");
    assert!(matches!(load(&path), Err(WitnessError::Malformed { .. })));
    let _ = std::fs::remove_dir_all(dir);
}

/// A governance database in a fresh data directory.
struct Fixture {
    db: Database,
    path: PathBuf,
    dir: PathBuf,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn signer() -> Signer {
    Signer::new(SigningKey::from_bytes(&[7; 32]))
}

/// Governance as it runs: started on an empty trail, three batches appended, witness written.
async fn running() -> (Fixture, Signer) {
    let dir = std::env::temp_dir().join(format!("hrmesh-trail-{}", uuid::Uuid::new_v4().simple()));
    let config = Config { data_dir: dir.clone(), ..Config::default() };
    let db = Database::connect(&config, crate::NAME).await.expect("database");
    db.migrate(&crate::MIGRATIONS).await.expect("migrate");
    let fixture = Fixture { db, path: path(&config), dir };
    let signer = signer();
    check_at_start(&fixture.db, &signer, &fixture.path).await.expect("empty trail starts");
    for batch in 0..3 {
        append(&fixture, &signer, batch).await.expect("append");
    }
    advance(&fixture.db, &signer, &fixture.path, &mut None).await.expect("witness");
    (fixture, signer)
}

async fn append(f: &Fixture, signer: &Signer, batch: u32) -> Result<(), AuditError> {
    let entry = |i| Entry { actor: "governance".into(), action: format!("test.{batch}.{i}"), ..Entry::default() };
    let mut tx = f.db.begin().await?;
    audit::append(&mut tx, signer, vec![entry(0), entry(1)]).await?;
    tx.commit().await?;
    Ok(())
}

async fn records(f: &Fixture) -> Vec<AuditRecord> {
    let mut conn = f.db.pool().acquire().await.expect("connection");
    all_records(&mut conn).await.expect("records")
}

/// Changes record `sequence` and re-hashes the chain from there, in the database.
async fn rewrite(f: &Fixture, sequence: u64) {
    let mut records = records(f).await;
    records[usize::try_from(sequence).expect("small") - 1].detail = "forged".into();
    let mut previous = GENESIS.to_owned();
    for r in &mut records {
        r.previous_hash = previous;
        r.hash = record_hash(&r.previous_hash, r);
        previous = r.hash.clone();
        sqlx::query("UPDATE audit_log SET detail = $1, previous_hash = $2, hash = $3 WHERE sequence = $4")
            .bind(&r.detail)
            .bind(&r.previous_hash)
            .bind(&r.hash)
            .bind(i64::try_from(r.sequence).expect("small"))
            .execute(f.db.pool())
            .await
            .expect("rewrite");
    }
}

async fn execute(f: &Fixture, sql: &'static str) {
    sqlx::query(sql).execute(f.db.pool()).await.expect(sql);
}

fn tampered(result: Result<(), StartError>) -> TrailError {
    match result {
        Err(StartError::Audit(AuditError::Tampered(finding))) => finding,
        other => panic!("expected a tampered trail, got {other:?}"),
    }
}

#[tokio::test]
async fn start_refuses_a_trail_rehashed_after_its_last_head() {
    let (f, running_signer) = running().await;
    rewrite(&f, 5).await;
    let refused = check_at_start(&f.db, &signer(), &f.path).await;
    assert!(refused.as_ref().is_err_and(|e| e.to_string().contains("hrmesh audit verify")), "{refused:?}");
    assert_eq!(tampered(refused), TrailError::Rehashed { tree_size: 6 });

    // The running process neither appends to nor signs the forgery.
    assert!(matches!(append(&f, &running_signer, 3).await, Err(AuditError::Tampered(_))));
    let mut tx = f.db.begin().await.expect("transaction");
    let signed = treehead::sign_if_grown(&mut tx, &running_signer).await;
    assert!(matches!(signed, Err(AuditError::Tampered(TrailError::Rehashed { tree_size: 6 }))), "{signed:?}");
}

#[tokio::test]
async fn start_refuses_a_trail_truncated_together_with_its_heads() {
    let (f, _) = running().await;
    execute(&f, "DELETE FROM audit_log WHERE sequence > 4").await;
    execute(&f, "DELETE FROM chain_heads WHERE tree_size > 4").await;
    let refused = check_at_start(&f.db, &signer(), &f.path).await;
    assert_eq!(tampered(refused), TrailError::TruncatedTail { witnessed: 6, present: 4 });
}

#[tokio::test]
async fn start_refuses_emptied_tables() {
    let (f, _) = running().await;
    execute(&f, "DELETE FROM audit_log").await;
    execute(&f, "DELETE FROM chain_heads").await;
    execute(&f, "DELETE FROM tree_heads").await;
    assert_eq!(tampered(check_at_start(&f.db, &signer(), &f.path).await), TrailError::Emptied { witnessed: 6 });
}

#[tokio::test]
async fn start_on_an_intact_trail_goes_on_appending() {
    let (f, _) = running().await;
    let signer = signer();
    check_at_start(&f.db, &signer, &f.path).await.expect("intact trail starts");
    append(&f, &signer, 3).await.expect("append after restart");
    assert_eq!(records(&f).await.len(), 8);
}

#[tokio::test]
async fn trail_from_before_chain_heads_is_checked_whole_and_signed_once() {
    let (f, _) = running().await;
    execute(&f, "DELETE FROM chain_heads").await;
    std::fs::remove_file(&f.path).expect("no witness yet");
    let upgraded = signer();
    check_at_start(&f.db, &upgraded, &f.path).await.expect("intact legacy trail starts");
    assert_eq!(upgraded.witnessed().map(|h| h.tree_size), Some(6));
    append(&f, &upgraded, 3).await.expect("append after upgrade");

    // A legacy trail is verified in full before its first chain head is signed.
    execute(&f, "DELETE FROM chain_heads").await;
    execute(&f, "UPDATE audit_log SET detail = 'changed' WHERE sequence = 2").await;
    let refused = check_at_start(&f.db, &signer(), &f.path).await;
    assert_eq!(tampered(refused), TrailError::Chain(audit::ChainError::Modified { sequence: 2 }));
}
