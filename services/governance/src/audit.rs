//! The audit trail: append-only records, each carrying the SHA-256 of its predecessor's hash and
//! its own content, so any change, removal, insertion or reordering breaks the chain.

use hrmesh_kit::time;
use hrmesh_proto::governance::v1::AuditRecord;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row, any::AnyRow};

use crate::{
    chainhead::{self, ChainHead, Signer},
    verify::AuditError,
};

/// Hash of the (virtual) record before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What is being recorded; the chain fields are filled in by [`append`].
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub actor: String,
    pub action: String,
    pub subject_pseudonym: String,
    pub purpose: String,
    pub legal_basis: String,
    pub event_id: String,
    pub detail: String,
}

/// The chain hash of `record` given its predecessor's hash.
pub fn record_hash(previous_hash: &str, r: &AuditRecord) -> String {
    let time_ms = r.time.as_ref().map_or(0, |t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000));
    let mut hasher = Sha256::new();
    let sequence = r.sequence.to_string();
    let time_ms = time_ms.to_string();
    // Length-prefixed fields: no two different records serialise alike.
    for field in [
        previous_hash,
        &sequence,
        &time_ms,
        &r.actor,
        &r.action,
        &r.subject_pseudonym,
        &r.purpose,
        &r.legal_basis,
        &r.event_id,
        &r.detail,
    ] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Serialises appenders and signers. PostgreSQL transactions would otherwise read the same
/// head; SQLite write transactions are serialised by BEGIN IMMEDIATE already.
pub async fn lock(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(7242687290)").execute(&mut *conn).await?;
    }
    Ok(())
}

/// Appends `entries` in order after the current head and signs a chain head over them, inside
/// the caller's transaction, with one insert per 500 records. Refuses to extend a trail whose
/// tail is not the one last signed and witnessed.
pub async fn append(
    conn: &mut AnyConnection,
    signer: &Signer,
    entries: Vec<Entry>,
) -> Result<Vec<AuditRecord>, AuditError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    lock(conn).await?;
    let head = chainhead::check_tail(conn, &signer.key().verifying_key(), signer.witnessed().as_ref()).await?;
    // check_tail has seen that the last record is the one the head signed.
    let (mut sequence, mut previous_hash) = match &head {
        Some(h) => (i64::try_from(h.tree_size).unwrap_or(i64::MAX), h.record_hash.clone()),
        None => (0, GENESIS.to_owned()),
    };
    let now = time::now_ms();
    let mut records = Vec::with_capacity(entries.len());
    for entry in entries {
        sequence += 1;
        let mut record = AuditRecord {
            sequence: u64::try_from(sequence).unwrap_or(0),
            time: Some(time::timestamp(now)),
            actor: entry.actor,
            action: entry.action,
            subject_pseudonym: entry.subject_pseudonym,
            purpose: entry.purpose,
            legal_basis: entry.legal_basis,
            event_id: entry.event_id,
            detail: entry.detail,
            hash: String::new(),
            previous_hash,
        };
        record.hash = record_hash(&record.previous_hash, &record);
        previous_hash = record.hash.clone();
        records.push(record);
    }
    for chunk in records.chunks(hrmesh_kit::db::rows_per_statement(conn, 10)) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 10;
                let params: Vec<String> = (1..=10).map(|k| format!("${}", p + k + 1)).collect();
                format!("({}, $1)", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (sequence, actor, action, subject_pseudonym, purpose, legal_basis, event_id, detail,
                                    previous_hash, hash, recorded_at) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
        for r in chunk {
            query = query
                .bind(i64::try_from(r.sequence).unwrap_or(i64::MAX))
                .bind(&r.actor)
                .bind(&r.action)
                .bind(&r.subject_pseudonym)
                .bind(&r.purpose)
                .bind(&r.legal_basis)
                .bind(&r.event_id)
                .bind(&r.detail)
                .bind(&r.previous_hash)
                .bind(&r.hash);
        }
        query.execute(&mut *conn).await?;
    }
    if let Some(last) = records.last() {
        let previous_size = head.map_or(0, |h| h.tree_size);
        chainhead::insert(conn, &ChainHead::sign(signer.key(), last.sequence, &last.hash, previous_size)).await?;
    }
    Ok(records)
}

fn from_row(row: &AnyRow) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        sequence: u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0),
        time: Some(time::timestamp(row.try_get(1)?)),
        actor: row.try_get(2)?,
        action: row.try_get(3)?,
        subject_pseudonym: row.try_get(4)?,
        purpose: row.try_get(5)?,
        legal_basis: row.try_get(6)?,
        event_id: row.try_get(7)?,
        detail: row.try_get(8)?,
        previous_hash: row.try_get(9)?,
        hash: row.try_get(10)?,
    })
}

/// The chain hashes of the first `size` records (all if `None`), in order.
pub async fn hashes(conn: &mut AnyConnection, size: Option<u64>) -> Result<Vec<String>, sqlx::Error> {
    let limit = size.map_or(i64::MAX, |s| i64::try_from(s).unwrap_or(i64::MAX));
    let rows = sqlx::query("SELECT hash FROM audit_log ORDER BY sequence LIMIT $1").bind(limit).fetch_all(conn).await?;
    rows.iter().map(|r| r.try_get::<String, _>(0)).collect()
}

const COLUMNS: &str = "SELECT sequence, recorded_at, actor, action, subject_pseudonym, purpose, legal_basis, event_id,
                              detail, previous_hash, hash FROM audit_log";

/// The record with `sequence`, if present.
pub async fn at(conn: &mut AnyConnection, sequence: u64) -> Result<Option<AuditRecord>, sqlx::Error> {
    let sql = format!("{COLUMNS} WHERE sequence = $1");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(i64::try_from(sequence).unwrap_or(i64::MAX));
    query.fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

/// The newest record, if any.
pub async fn last(conn: &mut AnyConnection) -> Result<Option<AuditRecord>, sqlx::Error> {
    let sql = format!("{COLUMNS} ORDER BY sequence DESC LIMIT 1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_optional(conn).await?.as_ref().map(from_row).transpose()
}

/// Up to `limit` records after `after_sequence`, in chain order.
pub async fn list<'c, E>(conn: E, after_sequence: u64, limit: u32) -> Result<Vec<AuditRecord>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("{COLUMNS} WHERE sequence > $1 ORDER BY sequence LIMIT $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(i64::try_from(after_sequence).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Where a chain stops being trustworthy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("record {sequence}: content does not match its hash (modified)")]
    Modified { sequence: u64 },
    #[error("record {sequence}: does not follow record {expected_previous} (deleted, inserted or reordered)")]
    Broken { sequence: u64, expected_previous: u64 },
}

/// Checks a complete chain from its first record.
pub fn verify_chain(records: &[AuditRecord]) -> Result<(), ChainError> {
    let mut previous_hash = GENESIS.to_owned();
    let mut previous_sequence = 0;
    for r in records {
        if r.sequence != previous_sequence + 1 || r.previous_hash != previous_hash {
            return Err(ChainError::Broken { sequence: r.sequence, expected_previous: previous_sequence });
        }
        if record_hash(&r.previous_hash, r) != r.hash {
            return Err(ChainError::Modified { sequence: r.sequence });
        }
        previous_hash = r.hash.clone();
        previous_sequence = r.sequence;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<AuditRecord> {
        let mut previous = GENESIS.to_owned();
        (1..=n)
            .map(|sequence| {
                let mut r = AuditRecord {
                    sequence,
                    time: Some(time::timestamp(1_700_000_000_000)),
                    actor: "governance".into(),
                    action: "event.forwarded".into(),
                    previous_hash: previous.clone(),
                    ..AuditRecord::default()
                };
                r.hash = record_hash(&previous, &r);
                previous = r.hash.clone();
                r
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify_chain(&chain(5)), Ok(()));
    }

    #[test]
    fn detects_modified_deleted_and_reordered_records() {
        let mut modified = chain(5);
        modified[2].detail = "changed".into();
        assert_eq!(verify_chain(&modified), Err(ChainError::Modified { sequence: 3 }));

        let mut deleted = chain(5);
        deleted.remove(2);
        assert_eq!(verify_chain(&deleted), Err(ChainError::Broken { sequence: 4, expected_previous: 2 }));

        let mut reordered = chain(5);
        reordered.swap(1, 2);
        assert!(matches!(verify_chain(&reordered), Err(ChainError::Broken { .. })));
    }
}
