//! Signed tree heads: governance periodically commits to the whole audit trail by signing the
//! Merkle tree hash of its records with Ed25519. Anyone holding the public key can then detect
//! a trail rewritten by someone with database access, even one who recomputed the hash chain,
//! and a truncated trail. Heads are also published on `hr.governance.v1`, so subscribers keep
//! copies outside governance's database.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hrmesh_kit::{config::Secret, time};
use hrmesh_proto::governance::v1::{AuditRecord, SignedTreeHead};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::{
    audit::{self, ChainError},
    merkle::{self, Hash},
};

/// The Ed25519 key derived from the configured signing secret.
pub fn signing_key(secret: &Secret) -> SigningKey {
    let seed: [u8; 32] =
        Sha256::digest([b"hrmesh-audit-signing\0".as_slice(), secret.expose().as_bytes()].concat()).into();
    SigningKey::from_bytes(&seed)
}

fn message(tree_size: u64, root_hash: &str, signed_at: i64) -> Vec<u8> {
    format!("hrmesh-audit-tree-head\n{tree_size}\n{root_hash}\n{signed_at}").into_bytes()
}

/// Leaf hashes of record hashes (hex).
pub fn leaves(record_hashes: &[String]) -> Vec<Hash> {
    record_hashes.iter().map(|h| merkle::leaf_hash(&hex::decode(h).unwrap_or_else(|_| h.as_bytes().to_vec()))).collect()
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<SignedTreeHead, sqlx::Error> {
    Ok(SignedTreeHead {
        tree_size: u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0),
        root_hash: row.try_get(1)?,
        signed_at: Some(time::timestamp(row.try_get(2)?)),
        signature: row.try_get(3)?,
        public_key: row.try_get(4)?,
    })
}

fn ms(head: &SignedTreeHead) -> i64 {
    head.signed_at.as_ref().map_or(0, |t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000))
}

/// The latest signed head, if any.
pub async fn latest(conn: &mut AnyConnection) -> Result<Option<SignedTreeHead>, sqlx::Error> {
    sqlx::query(
        "SELECT tree_size, root_hash, signed_at, signature, public_key FROM tree_heads ORDER BY tree_size DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Every signed head, oldest first.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<SignedTreeHead>, sqlx::Error> {
    sqlx::query("SELECT tree_size, root_hash, signed_at, signature, public_key FROM tree_heads ORDER BY tree_size")
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Signs the current tree if it grew since the last head; returns the new head if one was made.
pub async fn sign_if_grown(conn: &mut AnyConnection, key: &SigningKey) -> Result<Option<SignedTreeHead>, sqlx::Error> {
    let hashes = audit::hashes(conn, None).await?;
    let size = hashes.len() as u64;
    let last = latest(conn).await?.map_or(0, |h| h.tree_size);
    if size == 0 || size <= last {
        return Ok(None);
    }
    let root_hash = hex::encode(merkle::root(&leaves(&hashes)));
    let signed_at = time::now_ms();
    let signature = hex::encode(key.sign(&message(size, &root_hash, signed_at)).to_bytes());
    let public_key = hex::encode(key.verifying_key().to_bytes());
    sqlx::query(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, signature, public_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tree_size) DO NOTHING",
    )
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(&root_hash)
    .bind(signed_at)
    .bind(&signature)
    .bind(&public_key)
    .execute(&mut *conn)
    .await?;
    Ok(Some(SignedTreeHead {
        tree_size: size,
        root_hash,
        signed_at: Some(time::timestamp(signed_at)),
        signature,
        public_key,
    }))
}

/// Whether `head` carries a valid signature by `key`.
pub fn signature_valid(head: &SignedTreeHead, key: &VerifyingKey) -> bool {
    let Ok(bytes) = hex::decode(&head.signature) else { return false };
    let Ok(signature) = Signature::from_slice(&bytes) else { return false };
    key.verify(&message(head.tree_size, &head.root_hash, ms(head)), &signature).is_ok()
}

/// What `hrmesh audit verify` found wrong.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TrailError {
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error("tree head {tree_size}: signature is not valid for the configured signing key (forged head)")]
    BadSignature { tree_size: u64 },
    #[error(
        "tree head {tree_size}: the first {tree_size} records no longer hash to the signed root \
         (records modified, inserted, deleted or reordered)"
    )]
    RootMismatch { tree_size: u64 },
    #[error("tree head {tree_size} was signed over {tree_size} records, only {present} remain (records deleted)")]
    Truncated { tree_size: u64, present: u64 },
}

/// Checks a whole trail: the hash chain, then every signed head against the records.
pub fn verify_trail(records: &[AuditRecord], heads: &[SignedTreeHead], key: &VerifyingKey) -> Result<(), TrailError> {
    audit::verify_chain(records)?;
    let hashes: Vec<String> = records.iter().map(|r| r.hash.clone()).collect();
    let leaves = leaves(&hashes);
    for head in heads {
        if !signature_valid(head, key) {
            return Err(TrailError::BadSignature { tree_size: head.tree_size });
        }
        let size = usize::try_from(head.tree_size).unwrap_or(usize::MAX);
        if size > leaves.len() {
            return Err(TrailError::Truncated { tree_size: head.tree_size, present: leaves.len() as u64 });
        }
        if hex::encode(merkle::root(&leaves[..size])) != head.root_hash {
            return Err(TrailError::RootMismatch { tree_size: head.tree_size });
        }
    }
    Ok(())
}
