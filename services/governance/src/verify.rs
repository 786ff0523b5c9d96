//! Verifying the whole audit trail (`hrmesh audit verify`): the hash chain, every signed Merkle
//! tree head and chain head, and the witness kept outside the database. Every finding gets a
//! message of its own, so an investigator sees what was done, not only that something was.

use ed25519_dalek::VerifyingKey;
use hrmesh_kit::{ApiError, consumer::HandlerError};
use hrmesh_proto::governance::v1::{AuditRecord, SignedTreeHead};

use crate::{
    audit::{self, ChainError},
    chainhead::ChainHead,
    merkle,
    treehead::{leaves, signature_valid},
    witness::Witness,
};

/// One thing `hrmesh audit verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    #[error("head {tree_size} was signed over {tree_size} records, only {present} remain (records deleted)")]
    Truncated { tree_size: u64, present: u64 },
    #[error("chain head {tree_size}: signature is not valid for the configured signing key (forged head)")]
    ForgedChainHead { tree_size: u64 },
    #[error("the witness file's head {tree_size} has no valid signature (forged witness)")]
    ForgedWitness { tree_size: u64 },
    #[error(
        "chain head {tree_size}: record {tree_size} no longer has the signed hash \
         (records up to it were changed and the chain re-hashed)"
    )]
    Rehashed { tree_size: u64 },
    #[error(
        "record {tree_size} no longer has the hash in the witness file \
         (records changed and the chain re-hashed after the last head)"
    )]
    WitnessMismatch { tree_size: u64 },
    #[error(
        "records {first} to {present} are covered by no signed head (added, or changed and re-hashed, after the last head)",
        first = signed + 1
    )]
    UnsignedTail { signed: u64, present: u64 },
    #[error("the witness file holds a head over {witnessed} records, only {present} remain (tail truncated)")]
    TruncatedTail { witnessed: u64, present: u64 },
    #[error("chain head {tree_size} follows head {previous}, which is gone (heads deleted)")]
    HeadsDeleted { tree_size: u64, previous: u64 },
    #[error(
        "the witness file holds a head over {witnessed} records, the newest chain head in the database covers \
         {latest} (heads deleted)"
    )]
    HeadsMissing { witnessed: u64, latest: u64 },
    #[error(
        "the witness file saw a tree head over {witnessed} records, the newest in tree_heads covers {latest} \
         (tree heads deleted)"
    )]
    TreeHeadsMissing { witnessed: u64, latest: u64 },
    #[error(
        "audit_log and the head tables are empty, the witness file holds a head over {witnessed} records \
         (both tables emptied)"
    )]
    Emptied { witnessed: u64 },
}

/// Why an audit record could not be appended or a head signed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(
        "the audit trail was tampered with: {0}. Governance neither appends to it nor signs it; \
         run `hrmesh audit verify` for every finding and restore the trail from a backup"
    )]
    Tampered(#[from] TrailError),
}

impl From<AuditError> for ApiError {
    fn from(e: AuditError) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<AuditError> for HandlerError {
    fn from(e: AuditError) -> Self {
        // Retried, not dead-lettered: the events are fine, the trail must be repaired first.
        HandlerError::Transient(e.into())
    }
}

/// What `hrmesh audit verify` checked and found.
#[derive(Debug, Default)]
pub struct Report {
    pub records: usize,
    pub tree_heads: usize,
    pub chain_heads: usize,
    /// Size of the witnessed head; `None` without a witness file.
    pub witnessed: Option<u64>,
    /// Everything wrong, most telling first; empty for an intact trail.
    pub findings: Vec<TrailError>,
}

fn hash_at(records: &[AuditRecord], size: u64) -> Option<&str> {
    let index = usize::try_from(size).ok()?.checked_sub(1)?;
    records.get(index).map(|r| r.hash.as_str())
}

/// Checks a whole trail: the hash chain, every Merkle tree head, every chain head and the
/// witness. Returns every finding; none means intact.
pub fn verify_trail(
    records: &[AuditRecord],
    tree_heads: &[SignedTreeHead],
    chain_heads: &[ChainHead],
    witness: Option<&Witness>,
    key: &VerifyingKey,
) -> Vec<TrailError> {
    let mut findings = Vec::new();
    if let Err(e) = audit::verify_chain(records) {
        findings.push(e.into());
    }
    let present = records.len() as u64;
    let leaves = leaves(&records.iter().map(|r| r.hash.clone()).collect::<Vec<_>>());
    for head in tree_heads {
        if !signature_valid(head, key) {
            findings.push(TrailError::BadSignature { tree_size: head.tree_size });
        } else if head.tree_size > present {
            findings.push(TrailError::Truncated { tree_size: head.tree_size, present });
        } else if hex::encode(merkle::root(&leaves[..usize::try_from(head.tree_size).unwrap_or(0)])) != head.root_hash {
            findings.push(TrailError::RootMismatch { tree_size: head.tree_size });
        }
    }
    let mut previous = 0;
    let mut rehashed = false;
    for head in chain_heads {
        if !head.signature_valid(key) {
            findings.push(TrailError::ForgedChainHead { tree_size: head.tree_size });
            continue;
        }
        if head.previous_size != previous {
            findings.push(TrailError::HeadsDeleted { tree_size: head.tree_size, previous: head.previous_size });
        }
        match hash_at(records, head.tree_size) {
            None => findings.push(TrailError::Truncated { tree_size: head.tree_size, present }),
            // The first mismatch locates the change; later heads only repeat it.
            Some(hash) if hash != head.record_hash && !rehashed => {
                rehashed = true;
                findings.push(TrailError::Rehashed { tree_size: head.tree_size });
            }
            Some(_) => {}
        }
        previous = head.tree_size;
    }
    if let Some(w) = witness {
        verify_witness(records, tree_heads, chain_heads, w, key, &mut findings);
    }
    // Before chain heads existed, records after the last tree head were normal; once they
    // exist (or a witness does) every record is signed in its own transaction.
    let signed = chain_heads.last().map_or(0, |h| h.tree_size);
    if present > signed && (!chain_heads.is_empty() || witness.is_some()) {
        findings.push(TrailError::UnsignedTail { signed, present });
    }
    findings
}

fn verify_witness(
    records: &[AuditRecord],
    tree_heads: &[SignedTreeHead],
    chain_heads: &[ChainHead],
    w: &Witness,
    key: &VerifyingKey,
    findings: &mut Vec<TrailError>,
) {
    let witnessed = w.head.tree_size;
    if !w.head.signature_valid(key) {
        findings.push(TrailError::ForgedWitness { tree_size: witnessed });
        return;
    }
    if records.is_empty() && tree_heads.is_empty() && chain_heads.is_empty() {
        findings.push(TrailError::Emptied { witnessed });
        return;
    }
    match hash_at(records, witnessed) {
        None => findings.push(TrailError::TruncatedTail { witnessed, present: records.len() as u64 }),
        Some(hash) if hash != w.head.record_hash => findings.push(TrailError::WitnessMismatch { tree_size: witnessed }),
        Some(_) => {}
    }
    let latest = chain_heads.last().map_or(0, |h| h.tree_size);
    if latest < witnessed {
        findings.push(TrailError::HeadsMissing { witnessed, latest });
    }
    let latest = tree_heads.last().map_or(0, |h| h.tree_size);
    if latest < w.tree_head_size {
        findings.push(TrailError::TreeHeadsMissing { witnessed: w.tree_head_size, latest });
    }
}

#[cfg(test)]
mod tests;
