//! Topic names and the event envelope every service emits.

use hrmesh_proto::events::v1::Envelope;
use prost::Message;

use crate::bus::Record;

/// Raw topic of `service`; readable by governance only.
pub fn raw_topic(service: &str) -> String {
    format!("hr.{service}.v1")
}

/// Governed (pseudonymised, minimised) topic of `service`.
pub fn governed_topic(service: &str) -> String {
    format!("hr.governed.{service}.v1")
}

/// Governance's own stream: consent changes, erasures, decisions.
pub const GOVERNANCE_TOPIC: &str = "hr.governance.v1";

/// Dead-letter topic of consumer (group) `consumer`.
pub fn dead_letter_topic(consumer: &str) -> String {
    format!("hr.dlq.{consumer}.v1")
}

/// Header names on every event record.
pub mod headers {
    pub const ID: &str = "ce_id";
    pub const TYPE: &str = "ce_type";
    pub const TRACEPARENT: &str = "traceparent";
    pub const DLQ_REASON: &str = "dlq_reason";
    pub const DLQ_SOURCE: &str = "dlq_source";
    pub const DLQ_ATTEMPTS: &str = "dlq_attempts";
}

/// Who emits an event and for which processing purpose.
#[derive(Debug, Clone)]
pub struct EventSource {
    pub service: &'static str,
    pub tenant: String,
}

impl EventSource {
    /// A new envelope (UUIDv7 id, current time and trace context) around `payload`.
    pub fn envelope<M: Message + prost::Name>(&self, subject: &str, purpose: &str, payload: &M) -> Envelope {
        Envelope {
            id: uuid::Uuid::now_v7().to_string(),
            source: self.service.to_owned(),
            r#type: M::full_name(),
            subject: subject.to_owned(),
            time: Some(crate::time::timestamp(crate::time::now_ms())),
            tenant: self.tenant.clone(),
            purpose: purpose.to_owned(),
            schema_version: 1,
            traceparent: crate::telemetry::current_traceparent(),
            data: payload.encode_to_vec(),
            pseudonym_key_version: 0,
        }
    }
}

/// The bus record of an envelope: keyed by subject, with id, type and trace context as headers.
pub fn record(topic: &str, envelope: &Envelope) -> Record {
    let mut headers =
        vec![(headers::ID.to_owned(), envelope.id.clone()), (headers::TYPE.to_owned(), envelope.r#type.clone())];
    if !envelope.traceparent.is_empty() {
        headers.push((headers::TRACEPARENT.to_owned(), envelope.traceparent.clone()));
    }
    Record { topic: topic.to_owned(), key: envelope.subject.clone(), headers, payload: envelope.encode_to_vec() }
}
