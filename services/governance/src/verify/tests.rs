//! The findings `verify_trail` reports for each way an intruder with database access has
//! rewritten the trail. `before_chain_heads` is what verification checked before chain heads
//! and the witness existed; for the attacks below it found nothing.

use ed25519_dalek::SigningKey;
use hrmesh_kit::time;

use super::*;
use crate::{
    audit::{GENESIS, record_hash},
    treehead,
};

fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

struct Trail {
    records: Vec<AuditRecord>,
    tree_heads: Vec<SignedTreeHead>,
    chain_heads: Vec<ChainHead>,
    witness: Witness,
}

/// Recomputes every chain hash, as an intruder covering an edit does.
fn rehash(records: &mut [AuditRecord]) {
    let mut previous = GENESIS.to_owned();
    for r in records {
        r.previous_hash = previous;
        r.hash = record_hash(&r.previous_hash, r);
        previous = r.hash.clone();
    }
}

/// What governance leaves behind: six records appended in batches of two (a chain head each),
/// a periodic tree head over the first four, and the witness at the last chain head.
fn trail() -> Trail {
    let mut records: Vec<AuditRecord> = (1..=6)
        .map(|sequence| AuditRecord {
            sequence,
            time: Some(time::timestamp(1_700_000_000_000)),
            actor: "governance".into(),
            action: "event.forwarded".into(),
            detail: format!("event {sequence}"),
            ..AuditRecord::default()
        })
        .collect();
    rehash(&mut records);
    let chain_heads: Vec<ChainHead> = [2, 4, 6]
        .iter()
        .map(|&size| ChainHead::sign(&key(), size, &records[size as usize - 1].hash, size - 2))
        .collect();
    let hashes: Vec<String> = records[..4].iter().map(|r| r.hash.clone()).collect();
    let tree_heads = vec![treehead::sign(&key(), &leaves(&hashes))];
    let witness = Witness { head: chain_heads[2].clone(), tree_head_size: 4 };
    Trail { records, tree_heads, chain_heads, witness }
}

fn findings(t: &Trail) -> Vec<TrailError> {
    verify_trail(&t.records, &t.tree_heads, &t.chain_heads, Some(&t.witness), &key().verifying_key())
}

fn before_chain_heads(t: &Trail) -> Vec<TrailError> {
    verify_trail(&t.records, &t.tree_heads, &[], None, &key().verifying_key())
}

#[test]
fn intact_trail_has_no_findings() {
    assert_eq!(findings(&trail()), vec![]);
}

#[test]
fn edit_after_the_last_tree_head_with_rehashed_chain_is_reported() {
    let mut t = trail();
    t.records[4].detail = "forged".into();
    rehash(&mut t.records);
    assert_eq!(before_chain_heads(&t), vec![]);
    assert_eq!(findings(&t), vec![TrailError::Rehashed { tree_size: 6 }, TrailError::WitnessMismatch { tree_size: 6 }]);

    // Deleting the chain head that gives it away leaves the witness and an unsigned tail.
    t.chain_heads.pop();
    assert_eq!(
        findings(&t),
        vec![
            TrailError::WitnessMismatch { tree_size: 6 },
            TrailError::HeadsMissing { witnessed: 6, latest: 4 },
            TrailError::UnsignedTail { signed: 4, present: 6 },
        ]
    );
}

#[test]
fn truncated_tail_is_reported() {
    let mut t = trail();
    t.records.truncate(4);
    assert_eq!(before_chain_heads(&t), vec![]);
    assert_eq!(
        findings(&t),
        vec![
            TrailError::Truncated { tree_size: 6, present: 4 },
            TrailError::TruncatedTail { witnessed: 6, present: 4 }
        ]
    );

    // Also deleting the heads over the cut-off records: the witness still knows.
    t.chain_heads.truncate(2);
    assert_eq!(
        findings(&t),
        vec![
            TrailError::TruncatedTail { witnessed: 6, present: 4 },
            TrailError::HeadsMissing { witnessed: 6, latest: 4 }
        ]
    );
}

#[test]
fn heads_deleted_after_an_edit_are_reported() {
    let mut t = trail();
    t.records[1].detail = "forged".into();
    rehash(&mut t.records);
    t.tree_heads.clear();
    t.chain_heads.clear();
    assert_eq!(before_chain_heads(&t), vec![]);
    assert_eq!(
        findings(&t),
        vec![
            TrailError::WitnessMismatch { tree_size: 6 },
            TrailError::HeadsMissing { witnessed: 6, latest: 0 },
            TrailError::TreeHeadsMissing { witnessed: 4, latest: 0 },
            TrailError::UnsignedTail { signed: 0, present: 6 },
        ]
    );

    // A head deleted from the middle leaves a gap in the chain of heads.
    let mut t = trail();
    t.chain_heads.remove(1);
    assert_eq!(findings(&t), vec![TrailError::HeadsDeleted { tree_size: 6, previous: 4 }]);
}

#[test]
fn both_tables_emptied_are_reported() {
    let mut t = trail();
    t.records.clear();
    t.tree_heads.clear();
    t.chain_heads.clear();
    assert_eq!(before_chain_heads(&t), vec![]);
    assert_eq!(findings(&t), vec![TrailError::Emptied { witnessed: 6 }]);
}

#[test]
fn modified_record_is_reported() {
    let mut t = trail();
    t.records[2].detail = "changed".into();
    assert_eq!(findings(&t).first(), Some(&TrailError::Chain(ChainError::Modified { sequence: 3 })));
}

#[test]
fn forged_heads_are_reported() {
    let intruder = SigningKey::from_bytes(&[9; 32]);
    let mut t = trail();
    t.records[5].detail = "forged".into();
    rehash(&mut t.records);
    t.chain_heads[2] = ChainHead::sign(&intruder, 6, &t.records[5].hash, 4);
    t.tree_heads[0] = treehead::sign(&intruder, &leaves(&[t.records[0].hash.clone()]));
    let found = findings(&t);
    assert!(found.contains(&TrailError::ForgedChainHead { tree_size: 6 }), "{found:?}");
    assert!(found.contains(&TrailError::BadSignature { tree_size: 1 }), "{found:?}");

    let mut t = trail();
    t.witness.head.tree_size = 4;
    assert_eq!(findings(&t), vec![TrailError::ForgedWitness { tree_size: 4 }]);
}
