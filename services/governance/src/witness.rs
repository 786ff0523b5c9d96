//! The witness: the newest signed chain head (and Merkle tree head size) governance has seen,
//! kept in a file in the data directory, outside the database an intruder rewrites. Heads in
//! the database can be deleted together with the records they cover; the witness cannot be
//! moved back that way, so `hrmesh audit verify` and start-up notice a truncated or emptied
//! trail and deleted heads.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use hrmesh_kit::{config::Config, db::Database};
use serde_json::{Value, json};
use sqlx::AnyConnection;

use crate::{
    audit,
    chainhead::{self, ChainHead, Signer},
    treehead,
    verify::{self, AuditError, TrailError},
};

const FILE: &str = "audit-witness.json";

/// What the witness file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    pub head: ChainHead,
    /// Size of the newest Merkle tree head at the time.
    pub tree_head_size: u64,
}

/// Why the witness file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error("audit witness {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("audit witness {path} is malformed: {reason}")]
    Malformed { path: PathBuf, reason: String },
}

/// Where the witness lives: the data directory (in platform mode, mount it on a volume that
/// survives restarts, or verification cannot detect a truncated trail across them).
pub fn path(config: &Config) -> PathBuf {
    config.data_dir.join(FILE)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WitnessError + '_ {
    move |source| WitnessError::Io { path: path.to_owned(), source }
}

/// The witness at `path`; `None` if there is none yet.
pub fn load(path: &Path) -> Result<Option<Witness>, WitnessError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path)(e)),
    };
    let malformed = |reason: &str| WitnessError::Malformed { path: path.to_owned(), reason: reason.to_owned() };
    let value: Value = serde_json::from_str(&text).map_err(|e| malformed(&e.to_string()))?;
    let number = |name: &str| value[name].as_u64().ok_or_else(|| malformed(&format!("{name} is not a number")));
    let text = |name: &str| {
        value[name].as_str().map(str::to_owned).ok_or_else(|| malformed(&format!("{name} is not a string")))
    };
    let signed_at = value["signed_at"].as_i64().ok_or_else(|| malformed("signed_at is not a number"))?;
    Ok(Some(Witness {
        head: ChainHead {
            tree_size: number("tree_size")?,
            record_hash: text("record_hash")?,
            previous_size: number("previous_size")?,
            signed_at,
            signature: text("signature")?,
        },
        tree_head_size: number("tree_head_size")?,
    }))
}

/// Replaces the witness at `path` atomically: a crash leaves the old one or the new one, never
/// a torn file.
pub fn store(path: &Path, witness: &Witness) -> Result<(), WitnessError> {
    let head = &witness.head;
    let text = json!({
        "tree_size": head.tree_size,
        "record_hash": head.record_hash,
        "previous_size": head.previous_size,
        "signed_at": head.signed_at,
        "signature": head.signature,
        "tree_head_size": witness.tree_head_size,
    })
    .to_string();
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let temp = path.with_extension("json.tmp");
    let mut file = std::fs::File::create(&temp).map_err(io(&temp))?;
    file.write_all(text.as_bytes()).map_err(io(&temp))?;
    file.sync_all().map_err(io(&temp))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(io(path))?;
    // The rename itself must reach the disk too.
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// Every record in chain order, read in the caller's transaction.
async fn all_records(conn: &mut AnyConnection) -> Result<Vec<hrmesh_proto::governance::v1::AuditRecord>, sqlx::Error> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |r: &hrmesh_proto::governance::v1::AuditRecord| r.sequence);
        let page = audit::list(&mut *conn, after, 1000).await?;
        if page.is_empty() {
            return Ok(all);
        }
        all.extend(page);
    }
}

/// Why governance would not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error(transparent)]
    Witness(#[from] WitnessError),
}

impl From<sqlx::Error> for StartError {
    fn from(e: sqlx::Error) -> Self {
        StartError::Audit(e.into())
    }
}

impl From<TrailError> for StartError {
    fn from(e: TrailError) -> Self {
        StartError::Audit(e.into())
    }
}

/// Checks the trail before governance serves: its tail against the latest chain head and the
/// witness (cheap), or, on the first start with chain heads (no head and no witness yet), the
/// whole trail once before the first chain head is signed over it. Teaches `signer` the
/// witnessed head.
pub async fn check_at_start(db: &Database, signer: &Signer, path: &Path) -> Result<(), StartError> {
    let key = signer.key().verifying_key();
    let witness = load(path)?;
    if let Some(w) = &witness
        && !w.head.signature_valid(&key)
    {
        return Err(TrailError::ForgedWitness { tree_size: w.head.tree_size }.into());
    }
    let mut tx = db.begin().await?;
    audit::lock(&mut tx).await?;
    let head = match (&witness, chainhead::latest(&mut tx).await?) {
        (None, None) => {
            let records = all_records(&mut tx).await?;
            let tree_heads = treehead::all(&mut tx).await?;
            if let Some(finding) = verify::verify_trail(&records, &tree_heads, &[], None, &key).into_iter().next() {
                return Err(finding.into());
            }
            match records.last() {
                Some(last) => {
                    let head = ChainHead::sign(signer.key(), last.sequence, &last.hash, 0);
                    chainhead::insert(&mut tx, &head).await?;
                    Some(head)
                }
                None => None,
            }
        }
        (witnessed, _) => {
            if witnessed.is_none() {
                tracing::warn!(path = %path.display(), "no audit witness file: a trail truncated together with its heads \
                    before this start would go unnoticed; keep the data directory on lasting storage");
            }
            let head = chainhead::check_tail(&mut tx, &key, witness.as_ref().map(|w| &w.head)).await?;
            let latest = treehead::latest(&mut tx).await?.map_or(0, |h| h.tree_size);
            if let Some(w) = &witness
                && latest < w.tree_head_size
            {
                return Err(TrailError::TreeHeadsMissing { witnessed: w.tree_head_size, latest }.into());
            }
            head
        }
    };
    tx.commit().await?;
    if let Some(head) = head {
        signer.witness(head);
    }
    Ok(())
}

/// Moves the witness file up to the latest chain head once the trail is checked to extend the
/// witnessed one; `written` is what the file holds.
pub async fn advance(
    db: &Database,
    signer: &Signer,
    path: &Path,
    written: &mut Option<Witness>,
) -> Result<(), StartError> {
    let mut tx = db.begin().await?;
    audit::lock(&mut tx).await?;
    let witnessed = signer.witnessed();
    let head = chainhead::check_tail(&mut tx, &signer.key().verifying_key(), witnessed.as_ref()).await?;
    let tree_head_size = treehead::latest(&mut tx).await?.map_or(0, |h| h.tree_size);
    tx.commit().await?;
    let Some(head) = head else { return Ok(()) };
    let witness = Witness { head, tree_head_size };
    if written.as_ref() == Some(&witness) {
        return Ok(());
    }
    let (file, copy) = (path.to_owned(), witness.clone());
    tokio::task::spawn_blocking(move || store(&file, &copy))
        .await
        .map_err(|e| WitnessError::Io { path: path.to_owned(), source: std::io::Error::other(e) })??;
    signer.witness(witness.head.clone());
    *written = Some(witness);
    Ok(())
}

#[cfg(test)]
mod tests;
