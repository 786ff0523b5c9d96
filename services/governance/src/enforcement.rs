//! Stream enforcement: the handler governance runs on every raw event. Each event is validated,
//! checked against the purposes registry and the person's consent, pseudonymised, minimised,
//! audited and forwarded to the governed topic, or suppressed with its reason audited.
//! Services' erasure confirmations arrive here too and fill in the erasure reports.

use std::sync::{Arc, LazyLock};

use hrmesh_kit::{
    consumer::{EventHandler, HandlerError},
    events::governed_topic,
    outbox,
    privacy::ERASURE_PURPOSE,
    telemetry,
};
use hrmesh_proto::{
    events::v1::{AccessDenied, Envelope, PersonDataExported, RetentionSwept},
    privacy::v1::ErasureCompleted,
};
use prost::{Message, Name};
use prost_reflect::{DescriptorPool, DynamicMessage};
use sqlx::AnyConnection;

use crate::{
    audit::{self, Entry},
    core::{self, Core},
    purposes,
};

static DESCRIPTORS: LazyLock<Result<DescriptorPool, String>> =
    LazyLock::new(|| DescriptorPool::decode(hrmesh_proto::FILE_DESCRIPTOR_SET).map_err(|e| e.to_string()));

/// Checks, pseudonymises, minimises, audits and forwards raw events.
pub struct Enforcer {
    core: Arc<Core>,
}

/// Why an event is not forwarded: a metric label and the audited reason.
#[derive(Debug)]
struct Suppressed(&'static str, String);

/// A governed event and the legal basis it travels under.
struct Governed {
    envelope: Envelope,
    legal_basis: &'static str,
}

impl Enforcer {
    pub fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// Envelope checks: who may publish on the topic, and that the attributes are well-formed.
    fn validate(&self, topic: &str, event: &Envelope) -> Result<(), Suppressed> {
        let service = topic.strip_prefix("hr.").and_then(|t| t.strip_suffix(".v1")).unwrap_or_default();
        if event.source != service {
            return Err(Suppressed("forged_source", format!("source {:?} may not publish on {topic}", event.source)));
        }
        let package = format!("hrmesh.{service}.v1.");
        let platform_event = event.r#type == ErasureCompleted::full_name()
            || event.r#type == AccessDenied::full_name()
            || event.r#type == PersonDataExported::full_name()
            || event.r#type == RetentionSwept::full_name();
        if !event.r#type.starts_with(&package) && !platform_event {
            return Err(Suppressed("forged_type", format!("{service} may not publish {}", event.r#type)));
        }
        if uuid::Uuid::parse_str(&event.id).is_err() {
            return Err(Suppressed("invalid_envelope", format!("id {:?} is not a UUID", event.id)));
        }
        if event.time.is_none() || event.schema_version == 0 {
            return Err(Suppressed("invalid_envelope", "envelope lacks time or schema_version".into()));
        }
        if event.tenant != self.core.ctx.config.tenant {
            return Err(Suppressed("foreign_tenant", format!("tenant {:?} is not served here", event.tenant)));
        }
        if event.subject.is_empty() {
            return Err(Suppressed("invalid_envelope", "event has no subject".into()));
        }
        Ok(())
    }

    /// The governed copy of `event`, or why there is none. Err: the event cannot be read at all.
    async fn govern(
        &self,
        tx: &mut AnyConnection,
        topic: &str,
        event: &Envelope,
    ) -> Result<Result<Governed, Suppressed>, HandlerError> {
        if let Err(suppressed) = self.validate(topic, event) {
            return Ok(Err(suppressed));
        }
        let Some(purpose) = purposes::find(&event.purpose) else {
            return Ok(Err(Suppressed("unknown_purpose", format!("unknown purpose {:?}", event.purpose))));
        };
        let Some(allowed) = purpose.allowed_fields(&event.r#type) else {
            return Ok(Err(Suppressed(
                "purpose_mismatch",
                format!("purpose {} does not cover {}", purpose.id, event.r#type),
            )));
        };
        let consent = self.core.consent_state(tx, &event.subject, purpose).await?;
        if !consent.allowed {
            return Ok(Err(Suppressed("no_consent", format!("{}: {}", purpose.id, consent.reason))));
        }
        let pool = DESCRIPTORS.as_ref().map_err(|e| HandlerError::Transient(anyhow::anyhow!("descriptors: {e}")))?;
        let descriptor = pool
            .get_message_by_name(&event.r#type)
            .ok_or_else(|| HandlerError::Permanent(format!("unknown event type {}", event.r#type)))?;
        let mut payload = DynamicMessage::decode(descriptor.clone(), event.data.as_slice())
            .map_err(|e| HandlerError::Permanent(format!("payload is not a valid {}: {e}", event.r#type)))?;
        for field in descriptor.fields() {
            if !allowed.contains(&field.name()) {
                payload.clear_field(&field);
            }
        }
        let pseudonymiser = &self.core.pseudonymiser;
        let envelope = Envelope {
            subject: pseudonymiser.pseudonym(&event.tenant, purpose.id, &event.subject),
            data: payload.encode_to_vec(),
            pseudonym_key_version: pseudonymiser.version(),
            ..event.clone()
        };
        Ok(Ok(Governed { envelope, legal_basis: purpose.legal_basis }))
    }

    /// A service confirmed an erasure: it goes into the report, not onto a governed stream.
    async fn erasure_completed(&self, tx: &mut AnyConnection, event: &Envelope) -> Result<Entry, HandlerError> {
        let done = ErasureCompleted::decode(event.data.as_slice())
            .map_err(|e| HandlerError::Permanent(format!("invalid ErasureCompleted: {e}")))?;
        core::record_result(tx, &done.request_id, &event.source, &done.items).await?;
        let summary: Vec<String> = done.items.iter().map(|i| format!("{} {} {}", i.kind, i.action, i.count)).collect();
        Ok(Entry {
            actor: event.source.clone(),
            action: "erasure.completed".into(),
            subject_pseudonym: self.core.audit_pseudonym(&event.subject),
            purpose: ERASURE_PURPOSE.into(),
            legal_basis: "GDPR art. 17: right to erasure".into(),
            event_id: event.id.clone(),
            detail: format!("request {}: {}", done.request_id, summary.join(", ")),
        })
    }

    /// The audit entry for `event` and, if it may travel on, its governed copy and topic.
    async fn decide(
        &self,
        tx: &mut AnyConnection,
        topic: &str,
        event: &Envelope,
    ) -> Result<(Entry, Option<(String, Envelope)>), HandlerError> {
        if event.r#type == ErasureCompleted::full_name() && self.validate(topic, event).is_ok() {
            return Ok((self.erasure_completed(tx, event).await?, None));
        }
        if event.r#type == AccessDenied::full_name() && self.validate(topic, event).is_ok() {
            let denied = AccessDenied::decode(event.data.as_slice())
                .map_err(|e| HandlerError::Permanent(format!("invalid AccessDenied: {e}")))?;
            let entry = Entry {
                actor: self.core.audit_actor(&event.subject),
                action: "access.denied".into(),
                purpose: event.purpose.clone(),
                event_id: event.id.clone(),
                detail: format!("{} ({}): {}", denied.rpc, event.source, denied.reason),
                ..Entry::default()
            };
            return Ok((entry, None));
        }
        if event.r#type == RetentionSwept::full_name() && self.validate(topic, event).is_ok() {
            let swept = RetentionSwept::decode(event.data.as_slice())
                .map_err(|e| HandlerError::Permanent(format!("invalid RetentionSwept: {e}")))?;
            let entry = Entry {
                actor: event.source.clone(),
                action: "retention.swept".into(),
                purpose: swept.purpose.clone(),
                event_id: event.id.clone(),
                detail: format!("{} {} older than {} ({})", swept.count, swept.kind, swept.cutoff, event.source),
                ..Entry::default()
            };
            return Ok((entry, None));
        }
        if event.r#type == PersonDataExported::full_name() && self.validate(topic, event).is_ok() {
            let exported = PersonDataExported::decode(event.data.as_slice())
                .map_err(|e| HandlerError::Permanent(format!("invalid PersonDataExported: {e}")))?;
            let entry = Entry {
                actor: self.core.audit_actor(&exported.exported_by),
                action: "access.exported_by_service".into(),
                subject_pseudonym: self.core.audit_pseudonym(&event.subject),
                purpose: event.purpose.clone(),
                event_id: event.id.clone(),
                detail: format!("{} ({})", exported.rpc, event.source),
                ..Entry::default()
            };
            return Ok((entry, None));
        }
        let metrics = telemetry::metrics();
        Ok(match self.govern(tx, topic, event).await? {
            Ok(Governed { envelope, legal_basis }) => {
                metrics
                    .governance_events
                    .add(1, &[telemetry::label("outcome", "forwarded"), telemetry::label("reason", "ok")]);
                let entry = Entry {
                    actor: event.source.clone(),
                    action: "event.forwarded".into(),
                    subject_pseudonym: envelope.subject.clone(),
                    purpose: event.purpose.clone(),
                    legal_basis: legal_basis.into(),
                    event_id: event.id.clone(),
                    detail: event.r#type.clone(),
                };
                (entry, Some((governed_topic(&event.source), envelope)))
            }
            Err(Suppressed(label, reason)) => {
                tracing::warn!(event_id = %event.id, %topic, %reason, "event suppressed");
                metrics
                    .governance_events
                    .add(1, &[telemetry::label("outcome", "suppressed"), telemetry::label("reason", label)]);
                let entry = Entry {
                    actor: crate::NAME.into(),
                    action: "event.suppressed".into(),
                    // The subject may be forged: record a pseudonym, never the raw id.
                    subject_pseudonym: self.core.audit_pseudonym(&event.subject),
                    purpose: event.purpose.clone(),
                    event_id: event.id.clone(),
                    detail: format!("{label}: {reason}"),
                    ..Entry::default()
                };
                (entry, None)
            }
        })
    }
}

#[tonic::async_trait]
impl EventHandler for Enforcer {
    async fn handle(&self, tx: &mut AnyConnection, topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        self.handle_batch(tx, &[(topic, event)]).await
    }

    async fn handle_batch(&self, tx: &mut AnyConnection, events: &[(&str, &Envelope)]) -> Result<(), HandlerError> {
        let mut entries = Vec::with_capacity(events.len());
        let mut governed = Vec::with_capacity(events.len());
        for (topic, event) in events {
            let (entry, forward) = self.decide(tx, topic, event).await?;
            entries.push(entry);
            governed.extend(forward);
        }
        audit::append(tx, &self.core.signer, entries).await?;
        outbox::enqueue_many(tx, &governed).await?;
        Ok(())
    }
}
