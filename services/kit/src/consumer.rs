//! The one consumer loop: inbox de-duplication, bounded retries, dead letters, offsets stored
//! only after the handler's transaction committed.
//!
//! A batch is first applied in one transaction. If any event in it fails, the transaction is
//! rolled back and the batch is replayed one event at a time, each with up to
//! `events.max_attempts` attempts; an event that still fails (or is permanently bad, such as an
//! undecodable payload) is written to `hr.dlq.<consumer>.v1` with the reason, in the same
//! transaction that marks it handled, and the partition moves on.
//!
//! An outage of the service's own database (connection lost, pool exhausted, SQLite busy,
//! PostgreSQL failover or serialization conflict) is not the event's fault: it does not use up
//! attempts. The partition waits and retries until the database answers again, so a restart or
//! failover never sends good events to the dead-letter topic.

use std::{
    sync::{Arc, OnceLock, atomic::AtomicBool},
    time::Duration,
};

use hrmesh_proto::events::v1::Envelope;
use prost::Message;
use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::{
    bus::{Delivery, EventBus, Record, Subscription},
    config::EventsConfig,
    db::Database,
    events::{dead_letter_topic, headers},
    outbox,
    telemetry::{label, metrics},
};

/// Why a handler could not apply an event.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The event can never be applied (invalid content): dead-lettered at once.
    #[error("{0}")]
    Permanent(String),
    /// Might work on a later attempt (database busy, dependency down).
    #[error(transparent)]
    Transient(#[from] anyhow::Error),
}

/// The typed payload of `event`; an undecodable one can never be applied (dead-lettered).
pub fn payload<M: Message + Default>(event: &Envelope) -> Result<M, HandlerError> {
    M::decode(event.data.as_slice()).map_err(|e| HandlerError::Permanent(format!("invalid {}: {e}", event.r#type)))
}

/// When `event` happened, in Unix milliseconds (now if it carries no time).
pub fn event_time_ms(event: &Envelope) -> i64 {
    event.time.as_ref().map_or_else(crate::time::now_ms, |t| t.seconds * 1000 + i64::from(t.nanos / 1_000_000))
}

/// Whether `error` means the database is unavailable or contended rather than the event bad.
pub fn is_database_outage(error: &anyhow::Error) -> bool {
    error.chain().filter_map(|e| e.downcast_ref::<sqlx::Error>()).any(|e| match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // SQLite: BUSY (5) and LOCKED (6) with their extended codes; PostgreSQL: connection
            // exceptions (08…), serialization failure, deadlock, resources, admin shutdown.
            matches!(code.as_ref(), "5" | "6" | "261" | "262" | "517" | "40001" | "40P01")
                || code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57P")
        }),
        _ => false,
    })
}

impl From<sqlx::Error> for HandlerError {
    fn from(e: sqlx::Error) -> Self {
        HandlerError::Transient(e.into())
    }
}

/// The envelope of a delivery; permanently bad if it is not one.
fn decode(delivery: &Delivery) -> Result<Envelope, HandlerError> {
    match Envelope::decode(delivery.record.payload.as_slice()) {
        Ok(e) if !e.id.is_empty() && !e.r#type.is_empty() => Ok(e),
        Ok(_) => Err(HandlerError::Permanent("envelope has no id or type".into())),
        Err(e) => Err(HandlerError::Permanent(format!("payload is not an event envelope: {e}"))),
    }
}

/// Applies events to a service's state.
#[tonic::async_trait]
pub trait EventHandler: Send + Sync + 'static {
    /// Applies `event`, received on logical `topic`, within `tx`; anything it writes (including
    /// outbox rows) commits with the inbox entry or not at all.
    async fn handle(&self, tx: &mut AnyConnection, topic: &str, event: &Envelope) -> Result<(), HandlerError>;

    /// Applies several new events, each with its topic, within one transaction. Handlers that
    /// can write a batch in fewer statements override this.
    async fn handle_batch(&self, tx: &mut AnyConnection, events: &[(&str, &Envelope)]) -> Result<(), HandlerError> {
        for (topic, event) in events {
            self.handle(tx, topic, event).await?;
        }
        Ok(())
    }

    /// Runs after a transaction of this handler committed (e.g. to scrub deleted bytes).
    async fn after_commit(&self, _db: &Database) {}
}

/// A consumer group member of one service.
pub struct Consumer {
    /// Group name; also names the dead-letter topic and the inbox rows.
    pub name: String,
    pub topics: Vec<String>,
    pub handler: Arc<dyn EventHandler>,
    pub db: Database,
    pub bus: Arc<dyn EventBus>,
    pub config: EventsConfig,
    /// Woken after a commit that may have written outbox rows.
    pub outbox_signal: Arc<Notify>,
    /// Filled once subscribed: tells whether the group assigned this member its partitions.
    pub ready: Arc<OnceLock<Arc<AtomicBool>>>,
}

enum Outcome {
    Applied,
    Duplicate,
    DeadLetter,
}

impl Consumer {
    /// Consumes until `shutdown`; the batch in hand is finished and its offsets stored first.
    pub async fn run(self, shutdown: CancellationToken) {
        let mut subscription = loop {
            match self.bus.subscribe(&self.name, &self.topics).await {
                Ok(s) => break s,
                Err(e) => {
                    tracing::warn!(consumer = %self.name, error = %e, "cannot subscribe; retrying");
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                }
            }
        };
        let _ = self.ready.set(subscription.assigned());
        let mut lag_report = tokio::time::interval(Duration::from_secs(10));
        let mut prune = tokio::time::interval(Duration::from_secs(3600));
        loop {
            let batch = tokio::select! {
                () = shutdown.cancelled() => break,
                _ = lag_report.tick() => {
                    self.report_lag(subscription.as_mut()).await;
                    continue;
                }
                _ = prune.tick() => {
                    self.prune_inbox().await;
                    continue;
                }
                batch = subscription.next_batch(self.config.consumer_batch as usize) => batch,
            };
            let batch = match batch {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(consumer = %self.name, error = %e, "receive failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            };
            tracing::debug!(consumer = %self.name, events = batch.len(), "batch received");
            // The batch is retried until it is applied or dead-lettered: nothing is skipped. On
            // shutdown it is left uncommitted and redelivered after the restart.
            let mut backoff = Duration::from_millis(self.config.retry_backoff_ms.max(100));
            while let Err(e) = self.process(&batch).await {
                tracing::error!(consumer = %self.name, error = %format!("{e:#}"), "cannot apply batch; retrying");
                tokio::select! {
                    () = shutdown.cancelled() => {
                        subscription.close().await;
                        return;
                    }
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
            if let Err(e) = subscription.commit(&batch).await {
                tracing::warn!(consumer = %self.name, error = %e, "offset commit failed; events will be redelivered and de-duplicated");
            }
        }
        subscription.close().await;
    }

    /// Forgets handled ids older than the inbox retention: no duplicate can arrive that late.
    async fn prune_inbox(&self) {
        let hours = i64::try_from(self.config.inbox_retention_hours).unwrap_or(i64::MAX / 3_600_000);
        let cutoff = crate::time::now_ms() - hours * 3_600_000;
        let pruned = sqlx::query("DELETE FROM hrmesh_inbox WHERE consumer = $1 AND handled_at < $2")
            .bind(&self.name)
            .bind(cutoff)
            .execute(self.db.pool())
            .await;
        match pruned {
            Ok(r) if r.rows_affected() > 0 => {
                tracing::info!(consumer = %self.name, rows = r.rows_affected(), "inbox pruned");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(consumer = %self.name, error = %e, "inbox pruning failed"),
        }
    }

    async fn report_lag(&self, subscription: &mut dyn Subscription) {
        for (topic, lag) in subscription.lag().await {
            metrics().consumer_lag.record(lag, &[label("consumer", self.name.clone()), label("topic", topic)]);
        }
    }

    /// Applies a batch: all in one transaction, or one by one if any event fails.
    pub async fn process(&self, batch: &[Delivery]) -> anyhow::Result<()> {
        if batch.len() > 1 {
            let decoded: Result<Vec<Envelope>, _> = batch.iter().map(decode).collect();
            if let Ok(events) = decoded {
                let mut tx = self.db.begin().await?;
                match self.apply_batch(&mut tx, batch, &events).await {
                    Ok(applied) => {
                        tx.commit().await?;
                        self.outbox_signal.notify_one();
                        self.handler.after_commit(&self.db).await;
                        for _ in 0..applied {
                            self.count(&Outcome::Applied);
                        }
                        for _ in applied..batch.len() {
                            self.count(&Outcome::Duplicate);
                        }
                        return Ok(());
                    }
                    Err(e) => {
                        tracing::debug!(consumer = %self.name, error = %e, "batch failed; applying one by one");
                        tx.rollback().await?;
                    }
                }
            }
        }
        for delivery in batch {
            let outcome = self.process_one(delivery).await?;
            self.count(&outcome);
        }
        self.outbox_signal.notify_one();
        Ok(())
    }

    /// De-duplicates a decoded batch with one inbox statement and hands the new events to the
    /// handler at once; returns how many were new.
    async fn apply_batch(
        &self,
        tx: &mut Transaction<'static, Any>,
        batch: &[Delivery],
        events: &[Envelope],
    ) -> Result<usize, HandlerError> {
        let span = tracing::info_span!(
            "event.process_batch",
            otel.kind = "consumer",
            messaging.system = "kafka",
            messaging.consumer.group.name = %self.name,
            messaging.batch.message_count = events.len(),
        );
        async {
            let mut new_ids = self.mark_handled_many(tx, events).await?;
            // Keep the first copy of each new id: a batch may carry the same event twice.
            let fresh: Vec<(&str, &Envelope)> = batch
                .iter()
                .zip(events)
                .filter(|(_, e)| new_ids.remove(e.id.as_str()))
                .map(|(d, e)| (d.record.topic.as_str(), e))
                .collect();
            self.handler.handle_batch(tx, &fresh).await?;
            Ok(fresh.len())
        }
        .instrument(span)
        .await
    }

    /// Records the batch's ids in the inbox with multi-row statements; returns the ids that were new.
    async fn mark_handled_many(
        &self,
        conn: &mut AnyConnection,
        events: &[Envelope],
    ) -> Result<std::collections::HashSet<String>, sqlx::Error> {
        let mut new_ids = std::collections::HashSet::new();
        for chunk in events.chunks(crate::db::rows_per_statement(conn, 1)) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, ${}, $2)", i + 3)).collect();
            let sql = format!(
                "INSERT INTO hrmesh_inbox (consumer, event_id, handled_at) VALUES {} ON CONFLICT DO NOTHING RETURNING event_id",
                values.join(", ")
            );
            let mut query =
                sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(&self.name).bind(crate::time::now_ms());
            for event in chunk {
                query = query.bind(&event.id);
            }
            new_ids.extend(query.fetch_all(&mut *conn).await?);
        }
        Ok(new_ids)
    }

    fn count(&self, outcome: &Outcome) {
        let outcome = match outcome {
            Outcome::Applied => "ok",
            Outcome::Duplicate => "duplicate",
            Outcome::DeadLetter => "dead_letter",
        };
        metrics().events_handled.add(1, &[label("consumer", self.name.clone()), label("outcome", outcome)]);
    }

    async fn process_one(&self, delivery: &Delivery) -> anyhow::Result<Outcome> {
        let mut last_error = String::new();
        let mut backoff = Duration::from_millis(self.config.retry_backoff_ms);
        for attempt in 1..=self.config.max_attempts {
            let mut tx = self.db.begin().await?;
            match self.apply(&mut tx, delivery).await {
                Ok(outcome) => {
                    tx.commit().await?;
                    self.handler.after_commit(&self.db).await;
                    return Ok(outcome);
                }
                Err(HandlerError::Permanent(reason)) => {
                    tx.rollback().await?;
                    return self.dead_letter(delivery, &reason, attempt).await;
                }
                Err(HandlerError::Transient(e)) if is_database_outage(&e) => {
                    // Not the event's fault: the caller retries the batch once the database is back.
                    let _ = tx.rollback().await;
                    return Err(e.context("database unavailable"));
                }
                Err(HandlerError::Transient(e)) => {
                    tx.rollback().await?;
                    last_error = format!("{e:#}");
                    metrics().event_retries.add(1, &[label("consumer", self.name.clone())]);
                    tracing::warn!(consumer = %self.name, attempt, error = %last_error, "handler failed");
                    if attempt < self.config.max_attempts {
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(30));
                    }
                }
            }
        }
        self.dead_letter(
            delivery,
            &format!("gave up after {} attempts: {last_error}", self.config.max_attempts),
            self.config.max_attempts,
        )
        .await
    }

    /// Decodes, de-duplicates and hands one event to the handler inside `tx`.
    async fn apply(&self, tx: &mut Transaction<'static, Any>, delivery: &Delivery) -> Result<Outcome, HandlerError> {
        let envelope = decode(delivery)?;
        let span = tracing::info_span!(
            "event.process",
            otel.name = %format!("{} process", delivery.record.topic),
            otel.kind = "consumer",
            messaging.system = "kafka",
            messaging.destination.name = %delivery.record.topic,
            messaging.consumer.group.name = %self.name,
            messaging.message.id = %envelope.id,
        );
        crate::telemetry::set_remote_parent(&span, &envelope.traceparent);
        async {
            if !self.mark_handled(tx, &envelope.id).await? {
                return Ok(Outcome::Duplicate);
            }
            self.handler.handle(tx, &delivery.record.topic, &envelope).await?;
            Ok(Outcome::Applied)
        }
        .instrument(span)
        .await
    }

    /// Records `event_id` in the inbox; false if it was already there.
    async fn mark_handled(&self, conn: &mut AnyConnection, event_id: &str) -> Result<bool, sqlx::Error> {
        let inserted = sqlx::query(
            "INSERT INTO hrmesh_inbox (consumer, event_id, handled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(&self.name)
        .bind(event_id)
        .bind(crate::time::now_ms())
        .execute(conn)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Sends `delivery` to the dead-letter topic with `reason`, marking it handled in the same transaction.
    async fn dead_letter(&self, delivery: &Delivery, reason: &str, attempts: u32) -> anyhow::Result<Outcome> {
        let source = format!("{}/{}/{}", delivery.record.topic, delivery.partition, delivery.offset);
        // The position identifies the record even when its payload has no readable id; the
        // padding keeps outbox (id) order equal to offset order.
        let id =
            format!("dlq:{}:{}/{:010}/{:020}", self.name, delivery.record.topic, delivery.partition, delivery.offset);
        tracing::warn!(consumer = %self.name, %source, %reason, "event dead-lettered");
        let mut record = Record {
            topic: dead_letter_topic(&self.name),
            key: delivery.record.key.clone(),
            headers: delivery.record.headers.clone(),
            payload: delivery.record.payload.clone(),
        };
        record.headers.push((headers::DLQ_REASON.into(), reason.to_owned()));
        record.headers.push((headers::DLQ_SOURCE.into(), source));
        record.headers.push((headers::DLQ_ATTEMPTS.into(), attempts.to_string()));
        let mut tx = self.db.begin().await?;
        if self.mark_handled(&mut tx, &id).await? {
            outbox::enqueue_record(&mut tx, &id, &record).await?;
        }
        tx.commit().await?;
        Ok(Outcome::DeadLetter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_outages_are_told_apart_from_bad_events() {
        assert!(is_database_outage(&anyhow::Error::new(sqlx::Error::PoolTimedOut)));
        assert!(is_database_outage(&anyhow::Error::new(sqlx::Error::PoolTimedOut).context("inserting")));
        assert!(!is_database_outage(&anyhow::Error::new(sqlx::Error::RowNotFound)));
        assert!(!is_database_outage(&anyhow::anyhow!("descriptor pool missing")));
    }
}
