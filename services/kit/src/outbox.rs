//! Transactional outbox and its relay.
//!
//! A service writes its state change and its events in one transaction ([`enqueue`]); the
//! [`Relay`] publishes committed rows in id order and deletes them only after the bus accepted
//! them. A crash between publish and delete republishes, and consumers de-duplicate by event id.

use std::{sync::Arc, time::Duration};

use hrmesh_proto::events::v1::Envelope;
use sqlx::{AnyConnection, Row};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::{
    bus::{EventBus, Record},
    db::{Backend, Database},
    telemetry::{label, metrics},
};

/// Adds `envelope` to the outbox of the transaction's database, destined for `topic`.
pub async fn enqueue(conn: &mut AnyConnection, topic: &str, envelope: &Envelope) -> Result<(), sqlx::Error> {
    enqueue_record(conn, &envelope.id, &crate::events::record(topic, envelope)).await
}

/// Adds several events to the outbox in one statement, each with its topic.
pub async fn enqueue_many(conn: &mut AnyConnection, events: &[(String, Envelope)]) -> Result<(), sqlx::Error> {
    let rows = crate::db::rows_per_statement(conn, 5);
    for chunk in events.chunks(rows) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 5;
                format!("(${}, ${}, ${}, ${}, ${}, $1)", p + 2, p + 3, p + 4, p + 5, p + 6)
            })
            .collect();
        let sql = format!(
            "INSERT INTO hrmesh_outbox (id, topic, msg_key, headers, payload, created_at) VALUES {} ON CONFLICT (id) DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(crate::time::now_ms());
        for (topic, envelope) in chunk {
            let record = crate::events::record(topic, envelope);
            let headers = serde_json::to_string(&record.headers).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            query =
                query.bind(envelope.id.clone()).bind(record.topic).bind(record.key).bind(headers).bind(record.payload);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds a raw record (e.g. a dead letter) to the outbox under `id`; a second row with the same
/// id is ignored.
pub async fn enqueue_record(conn: &mut AnyConnection, id: &str, record: &Record) -> Result<(), sqlx::Error> {
    let headers = serde_json::to_string(&record.headers).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO hrmesh_outbox (id, topic, msg_key, headers, payload, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(&record.topic)
    .bind(&record.key)
    .bind(headers)
    .bind(&record.payload)
    .bind(crate::time::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Publishes one service's outbox.
pub struct Relay {
    pub service: &'static str,
    pub db: Database,
    pub bus: Arc<dyn EventBus>,
    /// Pinged after commits that wrote to the outbox, so the relay does not wait for a poll.
    pub signal: Arc<Notify>,
    pub batch: u32,
    pub poll: Duration,
}

/// PostgreSQL advisory lock key that elects one relay per service. Advisory locks are
/// database-wide, and services share a database (a schema each), so the key names the service.
fn relay_lock_key(service: &str) -> i64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("hrmesh-outbox-relay:{service}"));
    let mut key = [0u8; 8];
    key.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(key)
}

impl Relay {
    /// Runs until `shutdown`, then publishes what is left and returns.
    pub async fn run(self, shutdown: CancellationToken) {
        // In PostgreSQL, replicas of a service share one outbox: a session-level advisory lock
        // makes one of them the publisher, which keeps per-subject order.
        let mut leader = None;
        loop {
            if self.db.backend() == Backend::Postgres && leader.is_none() {
                match self.try_lead().await {
                    Ok(Some(conn)) => leader = Some(conn),
                    Ok(None) => {
                        if wait(&shutdown, &self.signal, self.poll * 10).await {
                            return;
                        }
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(service = self.service, error = %e, "relay cannot reach its database");
                        if wait(&shutdown, &self.signal, self.poll).await {
                            return;
                        }
                        continue;
                    }
                }
            }
            match self.round().await {
                Ok(published) if published > 0 => {
                    if shutdown.is_cancelled() {
                        continue; // drain before exiting
                    }
                }
                Ok(_) => {
                    if shutdown.is_cancelled() || wait(&shutdown, &self.signal, self.poll).await {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(service = self.service, error = %e, "outbox relay round failed; retrying");
                    leader = None;
                    if wait(&shutdown, &self.signal, self.poll).await {
                        return;
                    }
                }
            }
        }
    }

    async fn try_lead(&self) -> Result<Option<AnyConnection>, sqlx::Error> {
        // A connection of its own, outside the pool: dropping it (relay stopped or crashed)
        // ends the session and so releases the lock; a pooled one would keep it held.
        let mut conn = self.db.pool().acquire().await?.detach();
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(relay_lock_key(self.service))
            .fetch_one(&mut conn)
            .await?;
        Ok(got.then_some(conn))
    }

    /// Publishes one batch; returns how many rows went out.
    pub async fn round(&self) -> anyhow::Result<usize> {
        let rows = sqlx::query("SELECT id, topic, msg_key, headers, payload FROM hrmesh_outbox ORDER BY id LIMIT $1")
            .bind(i64::from(self.batch))
            .fetch_all(self.db.pool())
            .await?;
        let service = [label("service", self.service)];
        if rows.is_empty() {
            metrics().outbox_backlog.record(0, &service);
            return Ok(0);
        }
        let mut ids = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(rows.len());
        for row in &rows {
            ids.push(row.try_get::<String, _>(0)?);
            let headers: String = row.try_get(3)?;
            records.push(Record {
                topic: row.try_get(1)?,
                key: row.try_get(2)?,
                headers: serde_json::from_str(&headers)?,
                payload: row.try_get(4)?,
            });
        }
        let count = records.len();
        self.bus.publish(records).await?;
        tracing::debug!(service = self.service, count, "outbox published");
        let mut conn = self.db.pool().acquire().await?;
        for chunk in ids.chunks(crate::db::rows_per_statement(&conn, 1)) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("DELETE FROM hrmesh_outbox WHERE id IN ({})", placeholders.join(", "));
            let mut delete = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                delete = delete.bind(id);
            }
            delete.execute(&mut *conn).await?;
        }
        drop(conn);
        metrics().outbox_published.add(count as u64, &service);
        let backlog: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hrmesh_outbox").fetch_one(self.db.pool()).await?;
        metrics().outbox_backlog.record(u64::try_from(backlog).unwrap_or(0), &service);
        Ok(count)
    }
}

/// Waits for a signal, the poll interval or shutdown; true if shutting down.
async fn wait(shutdown: &CancellationToken, signal: &Notify, poll: Duration) -> bool {
    tokio::select! {
        () = shutdown.cancelled() => true,
        () = signal.notified() => false,
        () = tokio::time::sleep(poll) => false,
    }
}
