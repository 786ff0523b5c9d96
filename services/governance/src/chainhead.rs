//! Chain heads: a signed head per audit append batch, written in the batch's own transaction.
//! It signs the tree size and the last record's chain hash, which commits to every record
//! before it, so no accepted record is ever unsigned: an intruder who edits records and
//! re-hashes the chain, or cuts off its tail, cannot make a matching head. Each head names its
//! predecessor, so deleted heads leave a visible gap. Before anything is signed the tail is
//! checked against the latest head and the witnessed head, so governance never signs over a
//! forgery. (Merkle tree heads stay periodic, for inclusion and consistency proofs.)

use std::sync::Mutex;

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use hrmesh_kit::time;
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{
    audit,
    verify::{AuditError, TrailError},
};

/// A signature over the first `tree_size` records, through the last one's chain hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub tree_size: u64,
    pub record_hash: String,
    /// Size of the head signed before this one (0 for the first).
    pub previous_size: u64,
    pub signed_at: i64,
    pub signature: String,
}

fn message(tree_size: u64, record_hash: &str, previous_size: u64, signed_at: i64) -> Vec<u8> {
    // A prefix of its own, so a chain head can never pass for a Merkle tree head.
    format!("hrmesh-audit-chain-head\n{tree_size}\n{record_hash}\n{previous_size}\n{signed_at}").into_bytes()
}

impl ChainHead {
    /// Signs the chain up to `tree_size`, whose last record hashes to `record_hash`.
    pub fn sign(key: &SigningKey, tree_size: u64, record_hash: &str, previous_size: u64) -> Self {
        let signed_at = time::now_ms();
        let signature = key.sign(&message(tree_size, record_hash, previous_size, signed_at));
        ChainHead {
            tree_size,
            record_hash: record_hash.to_owned(),
            previous_size,
            signed_at,
            signature: hex::encode(signature.to_bytes()),
        }
    }

    /// Whether the head carries a valid signature by `key`.
    pub fn signature_valid(&self, key: &VerifyingKey) -> bool {
        let Ok(bytes) = hex::decode(&self.signature) else { return false };
        let Ok(signature) = Signature::from_slice(&bytes) else { return false };
        key.verify(&message(self.tree_size, &self.record_hash, self.previous_size, self.signed_at), &signature).is_ok()
    }
}

fn size(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn from_row(row: &AnyRow) -> Result<ChainHead, sqlx::Error> {
    Ok(ChainHead {
        tree_size: size(row.try_get(0)?),
        record_hash: row.try_get(1)?,
        previous_size: size(row.try_get(2)?),
        signed_at: row.try_get(3)?,
        signature: row.try_get(4)?,
    })
}

const COLUMNS: &str = "SELECT tree_size, record_hash, previous_size, signed_at, signature FROM chain_heads";

/// Stores a head (in the transaction that appended its records).
pub async fn insert(conn: &mut AnyConnection, head: &ChainHead) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO chain_heads (tree_size, record_hash, previous_size, signed_at, signature)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(i64::try_from(head.tree_size).unwrap_or(i64::MAX))
    .bind(&head.record_hash)
    .bind(i64::try_from(head.previous_size).unwrap_or(i64::MAX))
    .bind(head.signed_at)
    .bind(&head.signature)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The newest head, if any.
pub async fn latest(conn: &mut AnyConnection) -> Result<Option<ChainHead>, sqlx::Error> {
    let sql = format!("{COLUMNS} ORDER BY tree_size DESC LIMIT 1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

/// Every head, oldest first.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<ChainHead>, sqlx::Error> {
    let sql = format!("{COLUMNS} ORDER BY tree_size");
    sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await?.iter().map(from_row).collect()
}

/// The signing key and the newest head known to be genuine: the one last written to the
/// witness file. Shared by every appender and signer of one governance process.
#[derive(Debug)]
pub struct Signer {
    key: SigningKey,
    witnessed: Mutex<Option<ChainHead>>,
}

impl Signer {
    /// A signer that has not witnessed any head yet.
    pub fn new(key: SigningKey) -> Self {
        Signer { key, witnessed: Mutex::new(None) }
    }

    /// The key heads are signed with.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The newest witnessed head.
    pub fn witnessed(&self) -> Option<ChainHead> {
        self.witnessed.lock().map_or_else(|poisoned| poisoned.into_inner().clone(), |w| w.clone())
    }

    /// Records `head` as witnessed; the witness only moves forward.
    pub fn witness(&self, head: ChainHead) {
        let mut witnessed = self.witnessed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if witnessed.as_ref().is_none_or(|w| w.tree_size < head.tree_size) {
            *witnessed = Some(head);
        }
    }
}

/// Checks that the end of the trail is exactly what the latest head signed, and that the trail
/// still holds the `witnessed` head; returns the latest head. Cheap (a few indexed reads), so
/// it runs before every append and every signature. Call it inside a transaction holding
/// [`audit::lock`], so records and heads are read as one state.
pub async fn check_tail(
    conn: &mut AnyConnection,
    key: &VerifyingKey,
    witnessed: Option<&ChainHead>,
) -> Result<Option<ChainHead>, AuditError> {
    let last = audit::last(conn).await?;
    let head = latest(conn).await?;
    let present = last.as_ref().map_or(0, |r| r.sequence);
    if let Some(h) = &head
        && !h.signature_valid(key)
    {
        return Err(TrailError::ForgedChainHead { tree_size: h.tree_size }.into());
    }
    let signed = head.as_ref().map_or(0, |h| h.tree_size);
    if present > signed {
        return Err(TrailError::UnsignedTail { signed, present }.into());
    }
    if present < signed {
        return Err(TrailError::Truncated { tree_size: signed, present }.into());
    }
    if let (Some(h), Some(r)) = (&head, &last) {
        if r.hash != h.record_hash {
            return Err(TrailError::Rehashed { tree_size: h.tree_size }.into());
        }
        if audit::record_hash(&r.previous_hash, r) != r.hash {
            return Err(TrailError::Chain(audit::ChainError::Modified { sequence: r.sequence }).into());
        }
    }
    if let Some(w) = witnessed {
        if last.is_none() && head.is_none() {
            return Err(TrailError::Emptied { witnessed: w.tree_size }.into());
        }
        if present < w.tree_size {
            return Err(TrailError::TruncatedTail { witnessed: w.tree_size, present }.into());
        }
        let at = audit::at(conn, w.tree_size).await?;
        if at.is_none_or(|r| r.hash != w.record_hash) {
            return Err(TrailError::WitnessMismatch { tree_size: w.tree_size }.into());
        }
        let latest = head.as_ref().map_or(0, |h| h.tree_size);
        if latest < w.tree_size {
            return Err(TrailError::HeadsMissing { witnessed: w.tree_size, latest }.into());
        }
    }
    Ok(head)
}
