//! Stream enforcement: the handler governance runs on every raw event.

use std::sync::{Arc, LazyLock};

use hrmesh_kit::{
    consumer::{EventHandler, HandlerError},
    events::governed_topic,
    outbox,
};
use hrmesh_proto::events::v1::Envelope;
use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage};
use sqlx::AnyConnection;

use crate::{
    audit::{self, Entry},
    pseudonym::Pseudonymiser,
    purposes,
};

static DESCRIPTORS: LazyLock<Result<DescriptorPool, String>> =
    LazyLock::new(|| DescriptorPool::decode(hrmesh_proto::FILE_DESCRIPTOR_SET).map_err(|e| e.to_string()));

/// Checks, pseudonymises, minimises, audits and forwards raw events.
pub struct Enforcer {
    pseudonymiser: Arc<Pseudonymiser>,
}

/// Why an event is not forwarded. Audited; the event is not retried.
#[derive(Debug)]
struct Suppressed(String);

/// A governed event and the legal basis it travels under.
struct Governed {
    envelope: Envelope,
    legal_basis: &'static str,
}

impl Enforcer {
    pub fn new(pseudonymiser: Arc<Pseudonymiser>) -> Self {
        Self { pseudonymiser }
    }

    /// The governed copy of `event`, or why there is none. Err: the event cannot be read at all.
    fn govern(&self, topic: &str, event: &Envelope) -> Result<Result<Governed, Suppressed>, HandlerError> {
        let service = topic.strip_prefix("hr.").and_then(|t| t.strip_suffix(".v1")).unwrap_or_default();
        if event.source != service {
            return Ok(Err(Suppressed(format!("source {:?} may not publish on {topic}", event.source))));
        }
        if event.subject.is_empty() {
            return Ok(Err(Suppressed("event has no subject".into())));
        }
        let Some(purpose) = purposes::find(&event.purpose) else {
            return Ok(Err(Suppressed(format!("unknown purpose {:?}", event.purpose))));
        };
        let Some(allowed) = purpose.allowed_fields(&event.r#type) else {
            return Ok(Err(Suppressed(format!("purpose {} does not cover {}", purpose.id, event.r#type))));
        };
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
        let envelope = Envelope {
            subject: self.pseudonymiser.pseudonym(&event.tenant, purpose.id, &event.subject),
            data: payload.encode_to_vec(),
            pseudonym_key_version: self.pseudonymiser.version(),
            ..event.clone()
        };
        Ok(Ok(Governed { envelope, legal_basis: purpose.legal_basis }))
    }
}

impl Enforcer {
    /// The audit entry for `event` and, if it may travel on, its governed copy and topic.
    fn decide(&self, topic: &str, event: &Envelope) -> Result<(Entry, Option<(String, Envelope)>), HandlerError> {
        Ok(match self.govern(topic, event)? {
            Ok(Governed { envelope, legal_basis }) => {
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
            Err(Suppressed(reason)) => {
                tracing::warn!(event_id = %event.id, %topic, %reason, "event suppressed");
                let entry = Entry {
                    actor: "governance".into(),
                    action: "event.suppressed".into(),
                    // The subject may be forged: record a pseudonym, never the raw id.
                    subject_pseudonym: self.pseudonymiser.pseudonym(&event.tenant, "audit", &event.subject),
                    purpose: event.purpose.clone(),
                    event_id: event.id.clone(),
                    detail: reason,
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
            let (entry, forward) = self.decide(topic, event)?;
            entries.push(entry);
            governed.extend(forward);
        }
        audit::append(tx, entries).await?;
        outbox::enqueue_many(tx, &governed).await?;
        Ok(())
    }
}
