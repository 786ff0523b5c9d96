//! The event backbone: one [`EventBus`] trait, a Kafka implementation for platform mode and a
//! durable SQLite log for embedded mode. Services never talk to a bus directly: they write to
//! their outbox (see [`crate::outbox`]) and consume through [`crate::consumer`].

use std::sync::{Arc, atomic::AtomicBool};

pub mod embedded;
pub mod kafka;

/// One message on a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Logical topic name, e.g. `hr.recruiting.v1` (a bus adds its environment prefix).
    pub topic: String,
    /// Partitioning key: the event subject, so each person's events stay in order.
    pub key: String,
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

impl Record {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A record received by a subscription, with its position.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub record: Record,
    pub partition: i32,
    pub offset: i64,
}

/// Failure talking to the bus; callers retry.
#[derive(Debug, thiserror::Error)]
#[error("event bus: {0}")]
pub struct BusError(pub String);

impl BusError {
    pub fn new(e: impl std::fmt::Display) -> Self {
        Self(e.to_string())
    }
}

/// Publishes records and hands out subscriptions.
#[tonic::async_trait]
pub trait EventBus: Send + Sync + 'static {
    /// Creates the topics that do not exist yet.
    async fn ensure_topics(&self, topics: &[String]) -> Result<(), BusError>;
    /// Publishes `records` in order; returns once every record is durably accepted.
    async fn publish(&self, records: Vec<Record>) -> Result<(), BusError>;
    /// Periodic housekeeping (retention of a local log); the runtime calls it hourly.
    async fn maintain(&self) -> Result<(), BusError> {
        Ok(())
    }
    /// Joins consumer group `group` on `topics`.
    async fn subscribe(&self, group: &str, topics: &[String]) -> Result<Box<dyn Subscription>, BusError>;
}

/// A consumer group member's view of its topics.
#[tonic::async_trait]
pub trait Subscription: Send {
    /// Waits for at least one record and returns up to `max`.
    async fn next_batch(&mut self, max: usize) -> Result<Vec<Delivery>, BusError>;
    /// Marks `deliveries` as handled: the group resumes after them.
    async fn commit(&mut self, deliveries: &[Delivery]) -> Result<(), BusError>;
    /// Flushes committed positions and leaves the group.
    async fn close(&mut self);
    /// Records not yet delivered to this member, per topic, where the bus can tell.
    async fn lag(&mut self) -> Vec<(String, u64)>;
    /// Becomes true once the group gave this member its partitions (at once for the embedded log).
    fn assigned(&self) -> Arc<AtomicBool>;
}
