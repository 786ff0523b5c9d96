//! Governance's state and the operations behind its API: consent, erasure and access requests.
//! Every change is audited and published on `hr.governance.v1` in the transaction that makes it.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::Arc,
};

use hrmesh_kit::db::get_bool;
use hrmesh_kit::{
    ApiError, Violations,
    consent::{self, GOVERNANCE_TTL},
    error::{identifier, required_text},
    events::GOVERNANCE_TOPIC,
    outbox,
    privacy::ERASURE_PURPOSE,
    service::ServiceContext,
    time,
};
use hrmesh_proto::{
    governance::v1::{
        AccessExport, Consent, ConsentChanged, ErasedRecords, ErasureReport, ErasureRequested, ListConsentsResponse,
        ServiceErasure,
    },
    privacy::v1::{
        ErasedItem, ExportPersonDataRequest, PersonDataPart, person_data_service_client::PersonDataServiceClient,
    },
};
use prost::Name;
use sqlx::{AnyConnection, Row};

use crate::{
    audit::{self, Entry},
    chainhead::Signer,
    pseudonym::Pseudonymiser,
    purposes::{self, PURPOSES},
    verify::AuditError,
};

/// Governance's shared state.
pub struct Core {
    pub ctx: ServiceContext,
    pub pseudonymiser: Arc<Pseudonymiser>,
    /// Signs audit heads; knows the newest witnessed one.
    pub signer: Signer,
}

/// Whether a consent row grants, and why not.
pub struct ConsentState {
    pub allowed: bool,
    pub reason: String,
    pub consent_required: bool,
}

fn consent_from_row(row: &sqlx::any::AnyRow) -> Result<Consent, sqlx::Error> {
    Ok(Consent {
        subject: row.try_get(0)?,
        purpose: row.try_get(1)?,
        granted: get_bool(row, 2)?,
        notice_version: row.try_get(3)?,
        changed_at: Some(time::timestamp(row.try_get(4)?)),
        changed_by: row.try_get(5)?,
    })
}

/// Validates a person id and a purpose that rests on consent.
fn consent_request(subject: &str, purpose: &str) -> Result<(String, &'static purposes::Purpose), ApiError> {
    let mut v = Violations::default();
    let subject = v.check(identifier("subject", subject));
    let purpose = match purposes::find(purpose) {
        Some(p) if p.consent_required => Some(p),
        Some(p) => {
            v.add("purpose", format!("{} rests on {}, not on consent", p.id, p.legal_basis));
            None
        }
        None => {
            v.add("purpose", format!("unknown purpose {purpose:?} (see ListPurposes)"));
            None
        }
    };
    v.finish()?;
    match (subject, purpose) {
        (Some(s), Some(p)) => Ok((s, p)),
        _ => Err(ApiError::Internal(anyhow::anyhow!("validated request lost a field"))),
    }
}

impl Core {
    /// The pseudonym governance's own audit records use for a person.
    pub fn audit_pseudonym(&self, subject: &str) -> String {
        self.pseudonymiser.pseudonym(&self.ctx.config.tenant, "audit", subject)
    }

    /// How an actor appears in the audit trail: services by name, people by their audit
    /// pseudonym (the trail is append-only, so it must not hold ids an erasure has to remove;
    /// the DPO recomputes a person's pseudonym to find what they did).
    pub fn audit_actor(&self, actor: &str) -> String {
        if hrmesh_proto::registry::SERVICES.contains(&actor) || actor == hrmesh_kit::peers::SERVICE_SUBJECT {
            actor.to_owned()
        } else {
            self.audit_pseudonym(actor)
        }
    }

    /// Appends one audit record.
    pub async fn audit(&self, conn: &mut AnyConnection, mut entry: Entry) -> Result<(), AuditError> {
        entry.actor = self.audit_actor(&entry.actor);
        audit::append(conn, &self.signer, vec![entry]).await.map(|_| ())
    }

    /// Audits a refused call (in its own transaction, so it survives the refusal).
    pub async fn audit_denial(&self, actor: &str, rpc: &str, reason: &str) {
        let entry = Entry {
            actor: actor.to_owned(),
            action: "access.denied".into(),
            detail: format!("{rpc}: {reason}"),
            ..Entry::default()
        };
        let result = async {
            let mut tx = self.ctx.db.begin().await?;
            self.audit(&mut tx, entry).await?;
            tx.commit().await.map_err(AuditError::from)
        }
        .await;
        if let Err(e) = result {
            tracing::error!(error = %e, rpc, "could not audit a denied call");
        }
    }

    async fn publish<M: prost::Message + Name>(
        &self,
        conn: &mut AnyConnection,
        subject: &str,
        purpose: &str,
        payload: &M,
    ) -> Result<(), sqlx::Error> {
        let envelope = self.ctx.events.envelope(subject, purpose, payload);
        outbox::enqueue(conn, GOVERNANCE_TOPIC, &envelope).await
    }

    /// Records a grant or withdrawal; the cache every service reads is rewritten at once.
    pub async fn change_consent(
        &self,
        actor: &str,
        subject: &str,
        purpose: &str,
        granted: bool,
        notice_version: &str,
    ) -> Result<Consent, ApiError> {
        let (subject, purpose) = consent_request(subject, purpose)?;
        let key = consent::cache_key(&self.ctx.config.tenant, &subject, purpose.id);
        let mut tx = self.ctx.db.begin().await?;
        let current = sqlx::query(
            "SELECT subject, purpose, granted, notice_version, changed_at, changed_by FROM consents
             WHERE subject = $1 AND purpose = $2",
        )
        .bind(&subject)
        .bind(purpose.id)
        .fetch_optional(&mut *tx)
        .await?
        .as_ref()
        .map(consent_from_row)
        .transpose()?;
        let notice_version = if granted {
            required_text("notice_version", notice_version, 64).map_err(|v| ApiError::InvalidArgument(vec![v]))?
        } else {
            match &current {
                Some(c) => c.notice_version.clone(),
                None => {
                    return Err(ApiError::NotFound(format!("{subject} never consented to {}", purpose.id)));
                }
            }
        };
        if !granted {
            // Refuse at once everywhere, even before this transaction commits.
            self.write_cache(&key, false, "consent withdrawn").await;
        }
        let now = time::now_ms();
        let consent = Consent {
            subject: subject.clone(),
            purpose: purpose.id.into(),
            granted,
            notice_version: notice_version.clone(),
            changed_at: Some(time::timestamp(now)),
            changed_by: actor.to_owned(),
        };
        sqlx::query(
            "INSERT INTO consents (subject, purpose, granted, notice_version, changed_at, changed_by)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (subject, purpose) DO UPDATE SET granted = excluded.granted,
                 notice_version = excluded.notice_version, changed_at = excluded.changed_at,
                 changed_by = excluded.changed_by",
        )
        .bind(&subject)
        .bind(purpose.id)
        .bind(i64::from(granted))
        .bind(&notice_version)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO consent_history (id, subject, purpose, granted, notice_version, changed_at, changed_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&subject)
        .bind(purpose.id)
        .bind(i64::from(granted))
        .bind(&notice_version)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        let action = if granted { "consent.granted" } else { "consent.withdrawn" };
        let entry = Entry {
            actor: actor.to_owned(),
            action: action.into(),
            subject_pseudonym: self.audit_pseudonym(&subject),
            purpose: purpose.id.into(),
            legal_basis: purpose.legal_basis.into(),
            detail: format!("notice {notice_version}"),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        let changed = ConsentChanged { purpose: purpose.id.into(), granted, notice_version };
        self.publish(&mut tx, &subject, purpose.id, &changed).await?;
        self.ctx.commit(tx).await?;
        self.write_cache(&key, granted, if granted { "" } else { "consent withdrawn" }).await;
        Ok(consent)
    }

    async fn write_cache(&self, key: &str, allowed: bool, reason: &str) {
        if let Err(e) = self.ctx.cache.set(key, &consent::encode(allowed, reason), GOVERNANCE_TTL).await {
            tracing::error!(error = %e, "consent cache not updated; services may use a stale answer for minutes");
        }
    }

    /// Whether `purpose` may be applied to `subject` now.
    pub async fn consent_state(
        &self,
        conn: &mut AnyConnection,
        subject: &str,
        purpose: &purposes::Purpose,
    ) -> Result<ConsentState, sqlx::Error> {
        if !purpose.consent_required {
            return Ok(ConsentState { allowed: true, reason: String::new(), consent_required: false });
        }
        let row = sqlx::query("SELECT granted FROM consents WHERE subject = $1 AND purpose = $2")
            .bind(subject)
            .bind(purpose.id)
            .fetch_optional(conn)
            .await?;
        let (allowed, reason) = match row {
            Some(row) if get_bool(&row, 0)? => (true, String::new()),
            Some(_) => (false, "consent withdrawn".to_owned()),
            None => (false, "no consent given".to_owned()),
        };
        Ok(ConsentState { allowed, reason, consent_required: true })
    }

    /// A person's consents and their history.
    pub async fn list_consents(&self, subject: &str) -> Result<ListConsentsResponse, ApiError> {
        let mut conn = self.ctx.db.pool().acquire().await?;
        let consents = sqlx::query(
            "SELECT subject, purpose, granted, notice_version, changed_at, changed_by FROM consents
             WHERE subject = $1 ORDER BY purpose",
        )
        .bind(subject)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(consent_from_row)
        .collect::<Result<_, _>>()?;
        let history = sqlx::query(
            "SELECT subject, purpose, granted, notice_version, changed_at, changed_by FROM consent_history
             WHERE subject = $1 ORDER BY changed_at, id",
        )
        .bind(subject)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(consent_from_row)
        .collect::<Result<_, _>>()?;
        Ok(ListConsentsResponse { consents, history })
    }

    /// The person's pseudonym under every purpose (for services that only hold governed data).
    pub fn all_pseudonyms(&self, subject: &str) -> Vec<String> {
        PURPOSES.iter().map(|p| self.pseudonymiser.pseudonym(&self.ctx.config.tenant, p.id, subject)).collect()
    }

    /// The person's pseudonyms under purposes whose events reach governed streams.
    pub fn streamed_pseudonyms(&self, subject: &str) -> Vec<String> {
        PURPOSES
            .iter()
            .filter(|p| !p.events.is_empty())
            .map(|p| self.pseudonymiser.pseudonym(&self.ctx.config.tenant, p.id, subject))
            .collect()
    }

    /// Erases a person: governance's own records now, every other service through the event.
    pub async fn request_erasure(&self, actor: &str, subject: &str, reason: &str) -> Result<ErasureReport, ApiError> {
        let subject = identifier("subject", subject).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let request_id = uuid::Uuid::now_v7().to_string();
        let pseudonym = self.audit_pseudonym(&subject);
        // Refuse every consent-based function at once.
        for purpose in PURPOSES.iter().filter(|p| p.consent_required) {
            self.write_cache(
                &consent::cache_key(&self.ctx.config.tenant, &subject, purpose.id),
                false,
                "person erased",
            )
            .await;
        }
        let mut tx = self.ctx.db.begin().await?;
        let now = time::now_ms();
        sqlx::query(
            "INSERT INTO erasure_requests (request_id, subject_pseudonym, requested_at, requested_by, reason)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&request_id)
        .bind(&pseudonym)
        .bind(now)
        .bind(self.audit_actor(actor))
        .bind(reason.trim())
        .execute(&mut *tx)
        .await?;
        let items = self.erase_own(&mut tx, &subject, &pseudonym).await?;
        record_result(&mut tx, &request_id, crate::NAME, &items).await?;
        let entry = Entry {
            actor: actor.to_owned(),
            action: "erasure.requested".into(),
            subject_pseudonym: pseudonym,
            purpose: ERASURE_PURPOSE.into(),
            legal_basis: "GDPR art. 17: right to erasure".into(),
            detail: format!("request {request_id}"),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        // Only the pseudonyms that governed streams carry: the event log keeps this mapping for
        // its retention period, so it names no more of the person's pseudonyms than needed.
        let event = ErasureRequested { request_id: request_id.clone(), pseudonyms: self.streamed_pseudonyms(&subject) };
        self.publish(&mut tx, &subject, ERASURE_PURPOSE, &event).await?;
        self.ctx.commit(tx).await?;
        if let Err(e) = self.ctx.db.scrub_deleted().await {
            tracing::warn!(error = %e, "could not scrub erased records from the WAL");
        }
        self.erasure_report(&request_id).await
    }

    /// Deletes or anonymises what governance holds about a person: consents go, AI decisions
    /// stay (logging duty, EU AI Act art. 12) under the audit pseudonym, group attributes go
    /// with the person's key.
    async fn erase_own(
        &self,
        tx: &mut AnyConnection,
        subject: &str,
        pseudonym: &str,
    ) -> Result<Vec<ErasedItem>, ApiError> {
        let mut items = Vec::new();
        let mut count = |kind: &str, action: &str, n: u64| {
            if n > 0 {
                items.push(ErasedItem {
                    kind: kind.into(),
                    count: u32::try_from(n).unwrap_or(u32::MAX),
                    action: action.into(),
                });
            }
        };
        let n = sqlx::query("DELETE FROM consents WHERE subject = $1").bind(subject).execute(&mut *tx).await?;
        count("consents", "deleted", n.rows_affected());
        let n = sqlx::query("DELETE FROM consent_history WHERE subject = $1").bind(subject).execute(&mut *tx).await?;
        count("consent_history", "deleted", n.rows_affected());
        let n = sqlx::query("DELETE FROM group_attributes WHERE subject = $1").bind(subject).execute(&mut *tx).await?;
        count("group_attributes", "deleted", n.rows_affected());
        let n = sqlx::query("UPDATE decisions SET subject = $1 WHERE subject = $2")
            .bind(pseudonym)
            .bind(subject)
            .execute(&mut *tx)
            .await?;
        count("decisions", "anonymised", n.rows_affected());
        let n = sqlx::query("UPDATE review_tasks SET subject = $1, statement = '', rationale = '' WHERE subject = $2")
            .bind(pseudonym)
            .bind(subject)
            .execute(&mut *tx)
            .await?;
        count("review_tasks", "anonymised", n.rows_affected());
        if self.ctx.vault.destroy(tx, subject).await? {
            count("person_key", "key_destroyed", 1);
        }
        Ok(items)
    }

    /// What an erasure removed where, and which services have yet to confirm.
    pub async fn erasure_report(&self, request_id: &str) -> Result<ErasureReport, ApiError> {
        let mut conn = self.ctx.db.pool().acquire().await?;
        let request = sqlx::query(
            "SELECT subject_pseudonym, requested_at, requested_by FROM erasure_requests WHERE request_id = $1",
        )
        .bind(request_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no erasure request {request_id}")))?;
        let rows = sqlx::query(
            "SELECT service, completed_at, items FROM erasure_results WHERE request_id = $1 ORDER BY service",
        )
        .bind(request_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut services = Vec::with_capacity(rows.len());
        for row in &rows {
            let items: Vec<(String, u32, String)> = serde_json::from_str(&row.try_get::<String, _>(2)?)?;
            services.push(ServiceErasure {
                service: row.try_get(0)?,
                completed_at: Some(time::timestamp(row.try_get(1)?)),
                items: items.into_iter().map(|(kind, count, action)| ErasedRecords { kind, count, action }).collect(),
            });
        }
        let pending: Vec<String> = hrmesh_proto::registry::domain_services()
            .filter(|s| !services.iter().any(|d| d.service == *s))
            .map(str::to_owned)
            .collect();
        Ok(ErasureReport {
            request_id: request_id.to_owned(),
            subject_pseudonym: request.try_get(0)?,
            requested_at: Some(time::timestamp(request.try_get(1)?)),
            requested_by: request.try_get(2)?,
            complete: pending.is_empty(),
            services,
            pending,
        })
    }

    /// Every part of what every service holds about a person; the access is audited.
    pub async fn access_parts(&self, actor: &str, subject: &str) -> Result<(String, Vec<PersonDataPart>), ApiError> {
        let subject = identifier("subject", subject).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let pseudonyms = self.all_pseudonyms(&subject);
        let mut parts = Vec::new();
        for (endpoint, services) in self.ctx.peers.by_endpoint() {
            let unavailable = |s: tonic::Status| {
                ApiError::Unavailable(format!(
                    "{} did not answer the access request: {}",
                    services.join(", "),
                    s.message()
                ))
            };
            let channel = self.ctx.peers.channel(&endpoint)?;
            let request = self
                .ctx
                .peers
                .request(ExportPersonDataRequest { subject: subject.clone(), pseudonyms: pseudonyms.clone() })?;
            let mut stream = PersonDataServiceClient::new(channel)
                .stream_person_data(request)
                .await
                .map_err(unavailable)?
                .into_inner();
            while let Some(part) = stream.message().await.map_err(unavailable)? {
                parts.push(part);
            }
        }
        let services: BTreeSet<&str> = parts.iter().map(|p| p.service.as_str()).collect();
        let mut tx = self.ctx.db.begin().await?;
        let entry = Entry {
            actor: actor.to_owned(),
            action: "access.exported".into(),
            subject_pseudonym: self.audit_pseudonym(&subject),
            legal_basis: "GDPR art. 15 and 20: right of access and data portability".into(),
            detail: format!("{} services", services.len()),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        tx.commit().await?;
        Ok((subject, parts))
    }

    /// Everything held about a person, from every service, as one message. Data beyond what one
    /// message carries is refused with the way to get it (`StreamAccess`).
    pub async fn access_export(&self, actor: &str, subject: &str, language: &str) -> Result<AccessExport, ApiError> {
        let (subject, parts) = self.access_parts(actor, subject).await?;
        let summary = access_summary(&subject, language, &counts(&parts));
        let size: usize = parts.iter().map(|p| p.records_json.len()).sum();
        if size > MAX_UNARY_EXPORT_BYTES {
            return Err(ApiError::FailedPrecondition(format!(
                "the export holds {} MiB, more than one reply carries: use StreamAccess, which sends it in parts",
                size >> 20
            )));
        }
        let mut json: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
        for part in parts {
            let records: serde_json::Value = serde_json::from_str(&part.records_json)?;
            let kinds = json.entry(part.service).or_default();
            let entry = kinds.entry(part.kind).or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let (serde_json::Value::Array(all), serde_json::Value::Array(more)) = (entry, records) {
                all.extend(more);
            }
        }
        let json: serde_json::Map<String, serde_json::Value> =
            json.into_iter().map(|(service, kinds)| (service, serde_json::Value::Object(kinds))).collect();
        Ok(AccessExport {
            subject,
            generated_at: Some(time::timestamp(time::now_ms())),
            json: serde_json::Value::Object(json).to_string(),
            summary,
        })
    }
}

/// Largest access export answered as one message; larger ones are streamed.
const MAX_UNARY_EXPORT_BYTES: usize = 3 << 20;

/// Records per service and kind.
pub fn counts(parts: &[PersonDataPart]) -> BTreeMap<String, BTreeMap<String, u32>> {
    let mut out: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for part in parts {
        *out.entry(part.service.clone()).or_default().entry(part.kind.clone()).or_default() += part.record_count;
    }
    out
}

/// Stores one service's erasure confirmation (idempotent).
pub async fn record_result(
    conn: &mut AnyConnection,
    request_id: &str,
    service: &str,
    items: &[ErasedItem],
) -> Result<bool, sqlx::Error> {
    let items: Vec<(&str, u32, &str)> = items.iter().map(|i| (i.kind.as_str(), i.count, i.action.as_str())).collect();
    let done = sqlx::query(
        "INSERT INTO erasure_results (request_id, service, completed_at, items) VALUES ($1, $2, $3, $4)
         ON CONFLICT (request_id, service) DO NOTHING",
    )
    .bind(request_id)
    .bind(service)
    .bind(time::now_ms())
    .bind(serde_json::to_string(&items).unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The readable summary of an access export, in English, Dutch or German.
pub fn access_summary(subject: &str, language: &str, gathered: &BTreeMap<String, BTreeMap<String, u32>>) -> String {
    use std::fmt::Write;
    let (title, intro, records, none, rights) = match language {
        "nl" => (
            "Uw gegevens in hrmesh",
            "Dit overzicht toont alle gegevens die hrmesh over u bewaart, per dienst.",
            "gegevens",
            "Geen gegevens.",
            "U kunt deze gegevens laten corrigeren of wissen, en uw toestemmingen altijd intrekken.",
        ),
        "de" => (
            "Ihre Daten in hrmesh",
            "Diese Übersicht zeigt alle Daten, die hrmesh über Sie speichert, je Dienst.",
            "Datensätze",
            "Keine Daten.",
            "Sie können diese Daten berichtigen oder löschen lassen und Ihre Einwilligungen jederzeit widerrufen.",
        ),
        _ => (
            "Your data in hrmesh",
            "This overview lists everything hrmesh holds about you, per service.",
            "records",
            "No data.",
            "You can have this data corrected or erased, and withdraw your consents at any time.",
        ),
    };
    let mut out = format!("# {title}: {subject}\n\n{intro}\n\n");
    for (service, kinds) in gathered {
        let count: u32 = kinds.values().sum();
        let _ = writeln!(out, "## {service}: {count} {records}\n");
        if count == 0 {
            let _ = writeln!(out, "{none}");
        }
        for (kind, n) in kinds.iter().filter(|(_, n)| **n > 0) {
            let _ = writeln!(out, "- {kind}: {n}");
        }
        out.push('\n');
    }
    out.push_str(rights);
    out.push('\n');
    out
}
