//! The feature store: a projection of the governed people stream (`hr.governed.people.v1`) keyed
//! by pseudonym.
//!
//! Governance pseudonymises each event under the purpose it travels under, with a key per purpose,
//! so one person has unrelated pseudonyms on the directory (`people.directory`), contract
//! (`people.contracts`), leave (`people.leave`) and absence (`people.absence`) events. That is the
//! point of per-purpose pseudonyms, and this store keeps it: each table is keyed by its own
//! stream's pseudonym and no table is joined with another per person. Figures that need two
//! streams (absence per org unit, absence as a model input) are therefore not computed; figures
//! from one stream are, and company-wide figures may combine streams as aggregates.
//!
//! Nothing here is a raw id: spell and leave-request ids (people-service record ids that the
//! people service could resolve to a person) are kept only as hashes, to recognise later events
//! about the same record.

use hrmesh_kit::{
    consumer::{EventHandler, HandlerError, event_time_ms, payload},
    privacy::Person,
};
use hrmesh_proto::{
    events::v1::Envelope,
    people::v1::{
        ContractChanged, EmployeeUpserted, LeaveApproved, LeaveCancelled, LeaveRejected, LeaveRequested,
        RecoveryReported, SickReported,
    },
    privacy::v1::ErasedItem,
};
use prost::Name;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// Directory status of someone who has left.
pub const LEFT: &str = "left";
/// Directory status of someone working.
pub const ACTIVE: &str = "active";

/// Keeps the feature store up to date from the governed people stream.
pub struct FeatureProjection;

fn transient(e: sqlx::Error) -> HandlerError {
    HandlerError::Transient(e.into())
}

/// A people-service record id as kept here: a hash that recognises the record, never the id.
fn record_key(id: &str) -> String {
    hex::encode(&Sha256::digest(id.as_bytes())[..16])
}

#[tonic::async_trait]
impl EventHandler for FeatureProjection {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        let kind = event.r#type.as_str();
        let at = event_time_ms(event);
        if kind == EmployeeUpserted::full_name() {
            directory(tx, event, &payload(event)?, at).await
        } else if kind == ContractChanged::full_name() {
            contract(tx, &event.subject, &payload(event)?, at).await
        } else if kind == LeaveRequested::full_name() {
            let l: LeaveRequested = payload(event)?;
            leave(
                tx,
                &event.subject,
                &l.request_id,
                Some((&l.leave_type, &l.start_date, &l.end_date, l.days)),
                "requested",
                at,
            )
            .await
        } else if kind == LeaveApproved::full_name() {
            let l: LeaveApproved = payload(event)?;
            leave(tx, &event.subject, &l.request_id, Some(("", &l.start_date, &l.end_date, l.days)), "approved", at)
                .await
        } else if kind == LeaveRejected::full_name() {
            let l: LeaveRejected = payload(event)?;
            leave(tx, &event.subject, &l.request_id, None, "rejected", at).await
        } else if kind == LeaveCancelled::full_name() {
            let l: LeaveCancelled = payload(event)?;
            leave(tx, &event.subject, &l.request_id, None, "cancelled", at).await
        } else if kind == SickReported::full_name() {
            let s: SickReported = payload(event)?;
            spell(tx, &event.subject, &s.spell_id, &s.first_day, "", 0, at).await
        } else if kind == RecoveryReported::full_name() {
            let s: RecoveryReported = payload(event)?;
            spell(tx, &event.subject, &s.spell_id, &s.first_day, &s.recovered_on, i64::from(s.days), at).await
        } else {
            Ok(()) // other people events (reporting lines, addresses, payslips) are not features
        }
    }
}

#[derive(sqlx::FromRow)]
struct Current {
    org_unit_id: String,
    job_title: String,
    status: String,
    active_from: Option<i64>,
    left_at: Option<i64>,
    changes: i64,
    first_seen_at: i64,
}

async fn directory(
    tx: &mut AnyConnection,
    event: &Envelope,
    e: &EmployeeUpserted,
    at: i64,
) -> Result<(), HandlerError> {
    let subject = &event.subject;
    let fresh = sqlx::query(
        "INSERT INTO fs_directory_history (event_id, subject_pseudonym, org_unit_id, status, at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(subject)
    .bind(&e.org_unit_id)
    .bind(&e.status)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(transient)?;
    if fresh.rows_affected() == 0 {
        return Ok(()); // seen before
    }
    let current: Option<Current> = sqlx::query_as(
        "SELECT org_unit_id, job_title, status, active_from, left_at, changes, first_seen_at
         FROM fs_directory WHERE subject_pseudonym = $1",
    )
    .bind(subject)
    .fetch_optional(&mut *tx)
    .await
    .map_err(transient)?;
    let status = if e.status.is_empty() { ACTIVE } else { e.status.as_str() };
    let (active_from, left_at, changes, first_seen) = match &current {
        None => ((status != "preboarding").then_some(at), (status == LEFT).then_some(at), 0, at),
        Some(c) => {
            let moved = i64::from(c.org_unit_id != e.org_unit_id || c.job_title != e.job_title);
            // Back after leaving: a new employment starts now.
            let rehired = c.status == LEFT && status == ACTIVE;
            let active_from =
                if rehired { Some(at) } else { c.active_from.or((status != "preboarding").then_some(at)) };
            let left_at = if status == LEFT { c.left_at.or(Some(at)) } else { None };
            (active_from, left_at, c.changes + moved, c.first_seen_at)
        }
    };
    sqlx::query(
        "INSERT INTO fs_directory (subject_pseudonym, org_unit_id, job_title, work_country, status, active_from,
             left_at, changes, first_seen_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (subject_pseudonym) DO UPDATE SET org_unit_id = $2, job_title = $3, work_country = $4,
             status = $5, active_from = $6, left_at = $7, changes = $8, updated_at = $10",
    )
    .bind(subject)
    .bind(&e.org_unit_id)
    .bind(&e.job_title)
    .bind(&e.work_country)
    .bind(status)
    .bind(active_from)
    .bind(left_at)
    .bind(changes)
    .bind(first_seen)
    .bind(at)
    .execute(&mut *tx)
    .await
    .map_err(transient)?;
    Ok(())
}

async fn contract(tx: &mut AnyConnection, subject: &str, c: &ContractChanged, at: i64) -> Result<(), HandlerError> {
    if c.start_date.is_empty() {
        return Err(HandlerError::Permanent("ContractChanged without start_date".into()));
    }
    let effective = if c.effective_from.is_empty() { &c.start_date } else { &c.effective_from };
    sqlx::query(
        "INSERT INTO fs_contract_versions (subject_pseudonym, effective_from, start_date, end_date, weekly_hours, kind, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (subject_pseudonym, effective_from) DO UPDATE SET start_date = $3, end_date = $4,
             weekly_hours = $5, kind = $6",
    )
    .bind(subject)
    .bind(effective)
    .bind(&c.start_date)
    .bind(&c.end_date)
    .bind(c.weekly_hours)
    .bind(&c.kind)
    .bind(at)
    .execute(tx)
    .await
    .map_err(transient)?;
    Ok(())
}

/// Records a leave request's state; `details` (type, start, end, days) when the event carries them.
async fn leave(
    tx: &mut AnyConnection,
    subject: &str,
    request_id: &str,
    details: Option<(&str, &str, &str, f64)>,
    state: &str,
    at: i64,
) -> Result<(), HandlerError> {
    if request_id.is_empty() {
        return Err(HandlerError::Permanent("leave event without request_id".into()));
    }
    let key = record_key(request_id);
    let query = match details {
        Some((leave_type, start, end, days)) => sqlx::query(
            "INSERT INTO fs_leave (request_key, subject_pseudonym, leave_type, start_date, end_date, days, state, seen_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (request_key) DO UPDATE SET start_date = $4, end_date = $5, days = $6, state = $7",
        )
        .bind(key)
        .bind(subject)
        .bind(if leave_type.is_empty() { "vacation" } else { leave_type })
        .bind(start)
        .bind(end)
        .bind(days)
        .bind(state)
        .bind(at),
        None => sqlx::query("UPDATE fs_leave SET state = $2 WHERE request_key = $1").bind(key).bind(state),
    };
    query.execute(tx).await.map_err(transient)?;
    Ok(())
}

async fn spell(
    tx: &mut AnyConnection,
    subject: &str,
    spell_id: &str,
    first_day: &str,
    recovered_on: &str,
    days: i64,
    at: i64,
) -> Result<(), HandlerError> {
    if spell_id.is_empty() || first_day.is_empty() {
        return Err(HandlerError::Permanent("sickness event without spell_id or first_day".into()));
    }
    sqlx::query(
        "INSERT INTO fs_sick_spells (spell_key, subject_pseudonym, first_day, recovered_on, days, seen_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (spell_key) DO UPDATE SET first_day = $3, recovered_on = $4, days = $5",
    )
    .bind(record_key(spell_id))
    .bind(subject)
    .bind(first_day)
    .bind(recovered_on)
    .bind(days)
    .bind(at)
    .execute(tx)
    .await
    .map_err(transient)?;
    Ok(())
}

/// A directory record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DirectoryRow {
    pub subject_pseudonym: String,
    pub org_unit_id: String,
    pub job_title: String,
    pub work_country: String,
    pub status: String,
    pub active_from: Option<i64>,
    pub left_at: Option<i64>,
    pub changes: i64,
    pub first_seen_at: i64,
}

pub async fn directory_rows(conn: &mut AnyConnection) -> Result<Vec<DirectoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT subject_pseudonym, org_unit_id, job_title, work_country, status, active_from, left_at, changes,
                first_seen_at
         FROM fs_directory ORDER BY subject_pseudonym",
    )
    .fetch_all(conn)
    .await
}

/// One directory event: where a pseudonym was, in which status, from when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub subject_pseudonym: String,
    pub org_unit_id: String,
    pub status: String,
    pub at: i64,
}

/// The directory history, per pseudonym in time order.
pub async fn directory_history(conn: &mut AnyConnection) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT subject_pseudonym, org_unit_id, status, at FROM fs_directory_history
         ORDER BY subject_pseudonym, at, event_id",
    )
    .fetch_all(conn)
    .await
}

/// A contract version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContractRow {
    pub subject_pseudonym: String,
    pub effective_from: String,
    pub start_date: String,
    pub end_date: String,
    pub seen_at: i64,
}

/// Every contract version, per pseudonym in effective order.
pub async fn contract_versions(conn: &mut AnyConnection) -> Result<Vec<ContractRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT subject_pseudonym, effective_from, start_date, end_date, seen_at FROM fs_contract_versions
         ORDER BY subject_pseudonym, effective_from",
    )
    .fetch_all(conn)
    .await
}

/// A sickness spell.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpellRow {
    pub subject_pseudonym: String,
    pub first_day: String,
    pub recovered_on: String,
}

pub async fn sick_spells(conn: &mut AnyConnection) -> Result<Vec<SpellRow>, sqlx::Error> {
    sqlx::query_as("SELECT subject_pseudonym, first_day, recovered_on FROM fs_sick_spells ORDER BY subject_pseudonym")
        .fetch_all(conn)
        .await
}

/// Feature-store tables that hold a pseudonym, for access requests and erasure.
const TABLES: [&str; 5] =
    ["fs_directory", "fs_directory_history", "fs_contract_versions", "fs_leave", "fs_sick_spells"];

/// What the feature store holds under `person`'s pseudonyms, per table (dates and codes only).
pub async fn export(
    conn: &mut AnyConnection,
    person: &Person<'_>,
) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
    use sqlx::{Column, Row};
    let mut out = serde_json::Map::new();
    for table in TABLES {
        let mut records = Vec::new();
        for pseudonym in person.pseudonyms {
            let sql = format!("SELECT * FROM {table} WHERE subject_pseudonym = $1");
            for row in sqlx::query(sqlx::AssertSqlSafe(sql)).bind(pseudonym).fetch_all(&mut *conn).await? {
                let mut record = serde_json::Map::new();
                for (i, column) in row.columns().iter().enumerate() {
                    let value = match row.try_get::<Option<String>, _>(i) {
                        Ok(v) => serde_json::json!(v),
                        Err(_) => match row.try_get::<Option<i64>, _>(i) {
                            Ok(v) => serde_json::json!(v),
                            Err(_) => serde_json::json!(row.try_get::<Option<f64>, _>(i).ok().flatten()),
                        },
                    };
                    record.insert(column.name().to_owned(), value);
                }
                records.push(serde_json::Value::Object(record));
            }
        }
        if !records.is_empty() {
            out.insert(table.to_owned(), serde_json::Value::Array(records));
        }
    }
    Ok(out)
}

/// Deletes what the feature store holds under `person`'s pseudonyms.
pub async fn erase(tx: &mut AnyConnection, person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>> {
    let mut items = Vec::new();
    for table in TABLES {
        let mut count = 0;
        for pseudonym in person.pseudonyms {
            let sql = format!("DELETE FROM {table} WHERE subject_pseudonym = $1");
            count += sqlx::query(sqlx::AssertSqlSafe(sql)).bind(pseudonym).execute(&mut *tx).await?.rows_affected();
        }
        if count > 0 {
            items.push(ErasedItem {
                kind: table.to_owned(),
                count: u32::try_from(count).unwrap_or(u32::MAX),
                action: "deleted".into(),
            });
        }
    }
    Ok(items)
}

/// Retention of the feature store: each record kept as long as the purpose it arrived under
/// allows (governance's registry), counted from when it stopped changing.
pub fn retention() -> Vec<hrmesh_kit::retention::RetentionRule> {
    use hrmesh_kit::retention::{Age, RetentionRule};
    vec![
        RetentionRule {
            purpose: "people.directory",
            kind: "fs_directory",
            days: 730,
            statement: "DELETE FROM fs_directory WHERE left_at IS NOT NULL AND left_at < $1",
            age: Age::Millis,
        },
        RetentionRule {
            purpose: "people.directory",
            kind: "fs_directory_history",
            days: 730,
            statement: "DELETE FROM fs_directory_history WHERE at < $1
                        AND subject_pseudonym NOT IN (SELECT subject_pseudonym FROM fs_directory)",
            age: Age::Millis,
        },
        RetentionRule {
            purpose: "people.contracts",
            kind: "fs_contract_versions",
            days: 2555,
            statement: "DELETE FROM fs_contract_versions WHERE subject_pseudonym IN (SELECT subject_pseudonym
                        FROM fs_contract_versions GROUP BY subject_pseudonym
                        HAVING MAX(CASE WHEN end_date = '' THEN '9999-12-31' ELSE end_date END) < $1)",
            age: Age::Date,
        },
        RetentionRule {
            purpose: "people.leave",
            kind: "fs_leave",
            days: 1825,
            statement: "DELETE FROM fs_leave WHERE end_date <> '' AND end_date < $1",
            age: Age::Date,
        },
        RetentionRule {
            purpose: "people.absence",
            kind: "fs_sick_spells",
            days: 730,
            statement: "DELETE FROM fs_sick_spells WHERE recovered_on <> '' AND recovered_on < $1",
            age: Age::Date,
        },
    ]
}
