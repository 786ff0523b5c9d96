//! Signed Merkle tree heads: governance periodically commits to the whole audit trail by signing the
//! Merkle tree hash of its records with Ed25519. Anyone holding the public key can then detect
//! a trail rewritten by someone with database access, even one who recomputed the hash chain,
//! and a truncated trail. Heads are also published on `hr.governance.v1`, so subscribers keep
//! copies outside governance's database. Between two tree heads every append batch is covered
//! by a chain head (`chainhead`), so no record waits for the next tree head to be signed.

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use hrmesh_kit::{config::Secret, time};
use hrmesh_proto::governance::v1::SignedTreeHead;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::{
    audit,
    chainhead::{self, Signer},
    merkle::{self, Hash},
    verify::{AuditError, TrailError},
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
/// Refuses, rather than sign a forgery, if the trail's tail is not the one the latest chain
/// head signed or the new tree does not extend the last signed one.
pub async fn sign_if_grown(conn: &mut AnyConnection, signer: &Signer) -> Result<Option<SignedTreeHead>, AuditError> {
    let key = signer.key();
    audit::lock(conn).await?;
    chainhead::check_tail(conn, &key.verifying_key(), signer.witnessed().as_ref()).await?;
    let hashes = audit::hashes(conn, None).await?;
    let size = hashes.len() as u64;
    let last = latest(conn).await?;
    if size == 0 || last.as_ref().is_some_and(|h| size <= h.tree_size) {
        return Ok(None);
    }
    let leaves = leaves(&hashes);
    if let Some(last) = &last {
        // The chain check above saw the tail; this sees rewrites before the last tree head.
        if !signature_valid(last, &key.verifying_key()) {
            return Err(TrailError::BadSignature { tree_size: last.tree_size }.into());
        }
        let prefix = &leaves[..usize::try_from(last.tree_size).unwrap_or(0)];
        if hex::encode(merkle::root(prefix)) != last.root_hash {
            return Err(TrailError::RootMismatch { tree_size: last.tree_size }.into());
        }
    }
    let head = sign(key, &leaves);
    sqlx::query(
        "INSERT INTO tree_heads (tree_size, root_hash, signed_at, signature, public_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tree_size) DO NOTHING",
    )
    .bind(i64::try_from(head.tree_size).unwrap_or(i64::MAX))
    .bind(&head.root_hash)
    .bind(ms(&head))
    .bind(&head.signature)
    .bind(&head.public_key)
    .execute(&mut *conn)
    .await?;
    Ok(Some(head))
}

/// A head signed by `key` over the tree of `leaves`.
pub fn sign(key: &SigningKey, leaves: &[Hash]) -> SignedTreeHead {
    let tree_size = leaves.len() as u64;
    let root_hash = hex::encode(merkle::root(leaves));
    let signed_at = time::now_ms();
    let signature = hex::encode(key.sign(&message(tree_size, &root_hash, signed_at)).to_bytes());
    SignedTreeHead {
        tree_size,
        root_hash,
        signed_at: Some(time::timestamp(signed_at)),
        signature,
        public_key: hex::encode(key.verifying_key().to_bytes()),
    }
}

/// Whether `head` carries a valid signature by `key`.
pub fn signature_valid(head: &SignedTreeHead, key: &VerifyingKey) -> bool {
    let Ok(bytes) = hex::decode(&head.signature) else { return false };
    let Ok(signature) = Signature::from_slice(&bytes) else { return false };
    key.verify(&message(head.tree_size, &head.root_hash, ms(head)), &signature).is_ok()
}
