//! Data-subject rights in every service: export (access requests, GDPR art. 15/20) over gRPC,
//! and erasure (art. 17) as an event. A service that holds personal data implements
//! [`PersonData`]; the runtime serves its exports and runs its erasure consumer on
//! `hr.governance.v1`, which erases in the consumer's transaction, destroys the person's key
//! (crypto-shredding) and confirms with `ErasureCompleted` on the service's raw topic.

use std::sync::Arc;

use hrmesh_proto::{
    events::v1::Envelope,
    governance::v1::ErasureRequested,
    privacy::v1::{
        ErasedItem, ErasureCompleted, ExportPersonDataRequest, ExportPersonDataResponse, PersonDataPart, ServiceExport,
        person_data_service_server::PersonDataService,
    },
};
use prost::{Message, Name};
use sqlx::AnyConnection;
use tonic::{Request, Response, Status};

use crate::{
    ApiError, Violations,
    auth::Role,
    consumer::{EventHandler, HandlerError},
    crypto::Vault,
    db::Database,
    events::{EventSource, raw_topic},
    outbox,
};

/// Purpose under which privacy events travel.
pub const ERASURE_PURPOSE: &str = "privacy.erasure";

/// Who a request is about: the internal id and, for services that only see governed streams,
/// the person's pseudonyms.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    pub subject: &'a str,
    pub pseudonyms: &'a [String],
}

/// What a service holds about people, for access and erasure.
#[tonic::async_trait]
pub trait PersonData: Send + Sync + 'static {
    /// Everything held about `person`, as a JSON object of record kind → records; personal
    /// fields opened with `vault`.
    async fn export(
        &self,
        conn: &mut AnyConnection,
        vault: &Vault,
        person: &Person<'_>,
    ) -> anyhow::Result<serde_json::Map<String, serde_json::Value>>;

    /// Deletes or anonymises what is held about `person` inside `tx`; the runtime destroys the
    /// person's key afterwards.
    async fn erase(&self, tx: &mut AnyConnection, person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>>;
}

/// One service's person data as the runtime holds it.
#[derive(Clone)]
pub struct Holder {
    pub service: &'static str,
    pub data: Arc<dyn PersonData>,
    pub db: Database,
    pub vault: Vault,
}

/// Serves exports for every service of this process.
pub struct ExportApi {
    pub holders: Vec<Holder>,
    /// Publishes refused calls for governance's audit trail (a governance-only process logs
    /// them on the `hrmesh::audit` target).
    pub audit: Option<crate::service::ServiceContext>,
}

impl ExportApi {
    /// The caller if it is a service; otherwise PERMISSION_DENIED, audited. An allowed export
    /// is audited too: who took whose data.
    async fn service_caller(&self, request: &Request<ExportPersonDataRequest>, rpc: &str) -> Result<(), Status> {
        let rpc = format!("hrmesh.privacy.v1.PersonDataService/{rpc}");
        match &self.audit {
            Some(ctx) => {
                let caller = ctx.authorize(request, &[Role::Service], &rpc).await?;
                ctx.record_export(&caller.subject, &request.get_ref().subject, &rpc).await;
                Ok(())
            }
            None => crate::auth::require(request, &[Role::Service]).map(|_| ()),
        }
    }
}

/// Largest JSON of one streamed part, in bytes (well under gRPC's 4 MiB message default).
const PART_BYTES: usize = 1 << 20;

/// Opens every value sealed for `subject` in `value`; a value sealed for someone else (a
/// colleague's data in the same row) is left out, and one whose key is gone says so.
async fn open_sealed(
    conn: &mut AnyConnection,
    vault: &Vault,
    subject: &str,
    value: &mut serde_json::Value,
) -> Result<(), ApiError> {
    match value {
        serde_json::Value::String(s) if s.starts_with("v1:") => {
            *s = match vault.open(conn, subject, s).await {
                Ok(Some(plain)) => plain,
                Ok(None) => "[erased]".to_owned(),
                Err(_) => "[sealed: another person's data]".to_owned(),
            };
        }
        serde_json::Value::Array(items) => {
            for item in items {
                Box::pin(open_sealed(conn, vault, subject, item)).await?;
            }
        }
        serde_json::Value::Object(fields) => {
            for (_, item) in fields.iter_mut() {
                Box::pin(open_sealed(conn, vault, subject, item)).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Splits one kind's records into parts of at most about [`PART_BYTES`] of JSON each.
fn parts(service: &str, kind: &str, records: Vec<serde_json::Value>) -> Vec<PersonDataPart> {
    let mut out = Vec::new();
    let (mut batch, mut size) = (Vec::new(), 2);
    let flush = |batch: &mut Vec<serde_json::Value>, out: &mut Vec<PersonDataPart>| {
        out.push(PersonDataPart {
            service: service.to_owned(),
            kind: kind.to_owned(),
            record_count: u32::try_from(batch.len()).unwrap_or(u32::MAX),
            records_json: serde_json::Value::Array(std::mem::take(batch)).to_string(),
        });
    };
    for record in records {
        let len = record.to_string().len() + 1;
        if !batch.is_empty() && size + len > PART_BYTES {
            flush(&mut batch, &mut out);
            size = 2;
        }
        size += len;
        batch.push(record);
    }
    if !batch.is_empty() || out.is_empty() {
        flush(&mut batch, &mut out);
    }
    out
}

impl ExportApi {
    /// One service's records about `person`, sealed values opened.
    async fn records(
        &self,
        holder: &Holder,
        person: &Person<'_>,
    ) -> Result<serde_json::Map<String, serde_json::Value>, ApiError> {
        let mut conn = holder.db.pool().acquire().await?;
        let mut records = holder.data.export(&mut conn, &holder.vault, person).await?;
        for (_, value) in records.iter_mut() {
            open_sealed(&mut conn, &holder.vault, person.subject, value).await?;
        }
        Ok(records)
    }

    async fn export(&self, person: &Person<'_>) -> Result<Vec<ServiceExport>, ApiError> {
        let mut out = Vec::with_capacity(self.holders.len());
        for holder in &self.holders {
            let records = self.records(holder, person).await?;
            let record_count = records.values().map(|v| v.as_array().map_or(1, Vec::len)).sum::<usize>();
            out.push(ServiceExport {
                service: holder.service.to_owned(),
                json: serde_json::Value::Object(records).to_string(),
                record_count: u32::try_from(record_count).unwrap_or(u32::MAX),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod part_tests {
    use super::*;

    #[test]
    fn large_record_sets_are_split_into_bounded_parts() {
        let records: Vec<serde_json::Value> =
            (0..900).map(|i| serde_json::json!({"id": i, "text": "x".repeat(5_000)})).collect();
        let split = parts("performance", "feedback_received", records);
        assert!(split.len() >= 4, "{} parts", split.len());
        assert!(split.iter().all(|p| p.records_json.len() <= PART_BYTES + 6_000));
        assert_eq!(split.iter().map(|p| p.record_count).sum::<u32>(), 900);
        assert_eq!(parts("s", "none", Vec::new()).len(), 1, "an empty kind is still listed");
    }
}

/// The request, if it names a person.
fn named_person(req: ExportPersonDataRequest) -> Result<ExportPersonDataRequest, Status> {
    if req.subject.trim().is_empty() {
        let mut v = Violations::default();
        v.add("subject", "must name the person");
        return Err(v.into_error().into());
    }
    Ok(req)
}

#[tonic::async_trait]
impl PersonDataService for ExportApi {
    async fn export_person_data(
        &self,
        request: Request<ExportPersonDataRequest>,
    ) -> Result<Response<ExportPersonDataResponse>, Status> {
        self.service_caller(&request, "ExportPersonData").await?;
        let req = named_person(request.into_inner())?;
        let person = Person { subject: &req.subject, pseudonyms: &req.pseudonyms };
        Ok(Response::new(ExportPersonDataResponse { services: self.export(&person).await? }))
    }

    type StreamPersonDataStream =
        std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<PersonDataPart, Status>> + Send>>;

    async fn stream_person_data(
        &self,
        request: Request<ExportPersonDataRequest>,
    ) -> Result<Response<Self::StreamPersonDataStream>, Status> {
        self.service_caller(&request, "StreamPersonData").await?;
        let req = named_person(request.into_inner())?;
        let person = Person { subject: &req.subject, pseudonyms: &req.pseudonyms };
        // Parts of at most ~1 MiB each: no single message grows with the person's data.
        let mut all = Vec::new();
        for holder in &self.holders {
            let records = self.records(holder, &person).await?;
            for (kind, value) in records {
                let items = match value {
                    serde_json::Value::Array(items) => items,
                    other => vec![other],
                };
                all.extend(parts(holder.service, &kind, items));
            }
        }
        Ok(Response::new(Box::pin(tokio_stream::iter(all.into_iter().map(Ok)))))
    }
}

/// Honours `ErasureRequested` for one service.
pub struct ErasureHandler {
    pub holder: Holder,
    pub events: EventSource,
    /// Set when an erasure was applied and the deleted bytes still need scrubbing.
    pub erased: std::sync::atomic::AtomicBool,
}

#[tonic::async_trait]
impl EventHandler for ErasureHandler {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        if event.r#type != ErasureRequested::full_name() {
            return Ok(());
        }
        let request = ErasureRequested::decode(event.data.as_slice())
            .map_err(|e| HandlerError::Permanent(format!("invalid ErasureRequested: {e}")))?;
        if event.subject.is_empty() {
            return Err(HandlerError::Permanent("ErasureRequested without a subject".into()));
        }
        let person = Person { subject: &event.subject, pseudonyms: &request.pseudonyms };
        let mut items = self.holder.data.erase(tx, &person).await?;
        if self.holder.vault.destroy(tx, &event.subject).await.map_err(|e| HandlerError::Transient(e.into()))? {
            items.push(ErasedItem { kind: "person_key".into(), count: 1, action: "key_destroyed".into() });
        }
        self.erased.store(true, std::sync::atomic::Ordering::Release);
        tracing::info!(service = self.holder.service, request_id = %request.request_id, "person erased");
        let done = ErasureCompleted { request_id: request.request_id, service: self.holder.service.to_owned(), items };
        let envelope = self.events.envelope(&event.subject, ERASURE_PURPOSE, &done);
        outbox::enqueue(tx, &raw_topic(self.holder.service), &envelope).await?;
        Ok(())
    }

    async fn after_commit(&self, db: &Database) {
        if self.erased.swap(false, std::sync::atomic::Ordering::AcqRel)
            && let Err(e) = db.scrub_deleted().await
        {
            // The WAL is checkpointed automatically later; the erased data is unreadable already
            // because the person's key is gone.
            tracing::warn!(service = self.holder.service, error = %e, "could not scrub erased data from the WAL");
        }
    }
}

/// What happens to a table's rows about an erased person.
#[derive(Debug, Clone, Copy)]
pub enum Erase {
    Delete,
    /// The row stays (it is someone else's record too) with the person's id replaced.
    Anonymise,
}

/// A table holding rows about people, found by `column`.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Name of the kind of record in exports and erasure reports.
    pub kind: &'static str,
    pub table: &'static str,
    pub column: &'static str,
    pub erase: Erase,
}

/// [`PersonData`] for services whose personal data is plain rows keyed by person id.
#[derive(Debug, Clone, Copy)]
pub struct Tables(pub &'static [Table]);

fn json_value(row: &sqlx::any::AnyRow, index: usize) -> serde_json::Value {
    use sqlx::Row;
    if let Ok(v) = row.try_get::<Option<i64>, _>(index) {
        return v.map_or(serde_json::Value::Null, Into::into);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(index) {
        return v.map_or(serde_json::Value::Null, Into::into);
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(index) {
        return v.map_or(serde_json::Value::Null, Into::into);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(index) {
        return v.map_or(serde_json::Value::Null, Into::into);
    }
    row.try_get::<Option<Vec<u8>>, _>(index).ok().flatten().map_or(serde_json::Value::Null, |b| hex::encode(b).into())
}

#[tonic::async_trait]
impl PersonData for Tables {
    async fn export(
        &self,
        conn: &mut AnyConnection,
        _vault: &Vault,
        person: &Person<'_>,
    ) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
        use sqlx::{Column, Row};
        let mut out = serde_json::Map::new();
        for t in self.0 {
            let sql = format!("SELECT * FROM {} WHERE {} = $1", t.table, t.column);
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.subject).fetch_all(&mut *conn).await?;
            let records = rows
                .iter()
                .map(|row| {
                    let fields = row.columns().iter().map(|c| (c.name().to_owned(), json_value(row, c.ordinal())));
                    serde_json::Value::Object(fields.collect())
                })
                .collect();
            out.insert(t.kind.to_owned(), serde_json::Value::Array(records));
        }
        Ok(out)
    }

    async fn erase(&self, tx: &mut AnyConnection, person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>> {
        let mut items = Vec::new();
        for t in self.0 {
            let (sql, action) = match t.erase {
                Erase::Delete => (format!("DELETE FROM {} WHERE {} = $1", t.table, t.column), "deleted"),
                Erase::Anonymise => {
                    (format!("UPDATE {} SET {} = '[erased]' WHERE {} = $1", t.table, t.column, t.column), "anonymised")
                }
            };
            let done = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person.subject).execute(&mut *tx).await?;
            items.push(ErasedItem {
                kind: t.kind.to_owned(),
                count: u32::try_from(done.rows_affected()).unwrap_or(u32::MAX),
                action: action.to_owned(),
            });
        }
        Ok(items)
    }
}
