//! Embedded mode's event log: an append-only table per process in SQLite (WAL, fsync on commit),
//! one partition per topic, consumer positions stored beside it. Survives restarts.

use std::{collections::HashMap, path::Path, str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    Row,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous},
};
use tokio::sync::{Mutex, watch};

use super::{BusError, Delivery, EventBus, Record, Subscription};

/// The durable in-process log.
#[derive(Clone)]
pub struct EmbeddedBus {
    pool: SqlitePool,
    /// Serialises appends so offsets stay dense and ordered.
    append: Arc<Mutex<()>>,
    /// Bumped after every append; subscriptions wait on it instead of polling.
    appended: Arc<watch::Sender<u64>>,
    /// How long records are kept.
    retention: Duration,
}

impl std::fmt::Debug for EmbeddedBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedBus").finish_non_exhaustive()
    }
}

fn db_err(e: sqlx::Error) -> BusError {
    BusError::new(e)
}

impl EmbeddedBus {
    /// Opens (or creates) the log at `path`, keeping records for `retention`.
    pub async fn open(path: &Path, retention: Duration) -> Result<Self, BusError> {
        if let Some(dir) = path.parent() {
            crate::db::create_private_file(dir, path).map_err(BusError::new)?;
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(db_err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .pragma("secure_delete", "ON")
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await.map_err(db_err)?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS event_log (
                topic TEXT NOT NULL,
                offset INTEGER NOT NULL,
                msg_key TEXT NOT NULL,
                headers TEXT NOT NULL,
                payload BLOB NOT NULL,
                appended_at INTEGER NOT NULL,
                PRIMARY KEY (topic, offset)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS event_topics (
                name TEXT PRIMARY KEY,
                next_offset INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS consumer_offsets (
                consumer_group TEXT NOT NULL,
                topic TEXT NOT NULL,
                next_offset INTEGER NOT NULL,
                PRIMARY KEY (consumer_group, topic)
            );",
        )
        .execute(&pool)
        .await
        .map_err(db_err)?;
        let (appended, _) = watch::channel(0);
        let bus = Self { pool, append: Arc::new(Mutex::new(())), appended: Arc::new(appended), retention };
        bus.expire().await?;
        Ok(bus)
    }

    /// Deletes records older than the retention; offsets keep counting, as in Kafka.
    async fn expire(&self) -> Result<(), BusError> {
        let cutoff = crate::time::now_ms() - i64::try_from(self.retention.as_millis()).unwrap_or(i64::MAX);
        let deleted = sqlx::query("DELETE FROM event_log WHERE appended_at < ?")
            .bind(cutoff)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        if deleted.rows_affected() > 0 {
            tracing::info!(records = deleted.rows_affected(), "expired event log records");
        }
        Ok(())
    }
}

#[tonic::async_trait]
impl EventBus for EmbeddedBus {
    async fn maintain(&self) -> Result<(), BusError> {
        self.expire().await
    }

    async fn ensure_topics(&self, topics: &[String]) -> Result<(), BusError> {
        for topic in topics {
            sqlx::query("INSERT INTO event_topics (name, next_offset) VALUES (?, 0) ON CONFLICT DO NOTHING")
                .bind(topic)
                .execute(&self.pool)
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    async fn publish(&self, records: Vec<Record>) -> Result<(), BusError> {
        if records.is_empty() {
            return Ok(());
        }
        let _guard = self.append.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?;
        let mut next: HashMap<&str, i64> = HashMap::new();
        let now = crate::time::now_ms();
        // Offsets first, then one multi-row insert per chunk (6 parameters a row).
        let mut rows = Vec::with_capacity(records.len());
        for record in &records {
            let offset = match next.get(record.topic.as_str()) {
                Some(o) => *o,
                None => sqlx::query_scalar::<_, i64>("SELECT next_offset FROM event_topics WHERE name = ?")
                    .bind(&record.topic)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?
                    .ok_or_else(|| BusError(format!("topic {} does not exist", record.topic)))?,
            };
            next.insert(&record.topic, offset + 1);
            rows.push((record, offset, serde_json::to_string(&record.headers).map_err(BusError::new)?));
        }
        for chunk in rows.chunks(1_000) {
            let values = vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ");
            let sql = format!(
                "INSERT INTO event_log (topic, offset, msg_key, headers, payload, appended_at) VALUES {values}"
            );
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (record, offset, headers) in chunk {
                insert = insert
                    .bind(&record.topic)
                    .bind(*offset)
                    .bind(&record.key)
                    .bind(headers)
                    .bind(&record.payload)
                    .bind(now);
            }
            insert.execute(&mut *tx).await.map_err(db_err)?;
        }
        for (topic, offset) in &next {
            sqlx::query("UPDATE event_topics SET next_offset = ? WHERE name = ?")
                .bind(offset)
                .bind(topic)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        self.appended.send_modify(|v| *v += 1);
        Ok(())
    }

    async fn subscribe(&self, group: &str, topics: &[String]) -> Result<Box<dyn Subscription>, BusError> {
        let mut positions = HashMap::new();
        for topic in topics {
            let committed = sqlx::query_scalar::<_, i64>(
                "SELECT next_offset FROM consumer_offsets WHERE consumer_group = ? AND topic = ?",
            )
            .bind(group)
            .bind(topic)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
            positions.insert(topic.clone(), committed.unwrap_or(0));
        }
        Ok(Box::new(EmbeddedSubscription {
            pool: self.pool.clone(),
            group: group.to_owned(),
            positions,
            appended: self.appended.subscribe(),
        }))
    }
}

struct EmbeddedSubscription {
    pool: SqlitePool,
    group: String,
    /// Next offset to deliver, per topic.
    positions: HashMap<String, i64>,
    appended: watch::Receiver<u64>,
}

impl EmbeddedSubscription {
    /// Reads up to `max` records. Positions move only once every read has finished, with no
    /// await after: a caller that drops this future (a `select!` picking another branch) loses
    /// nothing, the records come again on the next call.
    async fn fetch(&mut self, max: usize) -> Result<Vec<Delivery>, BusError> {
        let mut out = Vec::new();
        let mut advanced: Vec<(String, i64)> = Vec::new();
        for (topic, position) in &self.positions {
            if out.len() >= max {
                break;
            }
            let rows = sqlx::query(
                "SELECT offset, msg_key, headers, payload FROM event_log
                 WHERE topic = ? AND offset >= ? ORDER BY offset LIMIT ?",
            )
            .bind(topic.as_str())
            .bind(*position)
            .bind(i64::try_from(max - out.len()).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            for row in rows {
                let offset: i64 = row.get(0);
                let headers: String = row.get(2);
                out.push(Delivery {
                    record: Record {
                        topic: topic.clone(),
                        key: row.get(1),
                        headers: serde_json::from_str(&headers).map_err(BusError::new)?,
                        payload: row.get(3),
                    },
                    partition: 0,
                    offset,
                });
                match advanced.last_mut() {
                    Some((t, next)) if t == topic => *next = offset + 1,
                    _ => advanced.push((topic.clone(), offset + 1)),
                }
            }
        }
        self.positions.extend(advanced);
        Ok(out)
    }
}

#[tonic::async_trait]
impl Subscription for EmbeddedSubscription {
    async fn next_batch(&mut self, max: usize) -> Result<Vec<Delivery>, BusError> {
        loop {
            // Mark the current version seen before reading, so an append racing the read wakes us.
            self.appended.borrow_and_update();
            let batch = self.fetch(max).await?;
            if !batch.is_empty() {
                return Ok(batch);
            }
            // A timeout bounds the wait in case another process appended to the same file.
            let _ = tokio::time::timeout(Duration::from_secs(1), self.appended.changed()).await;
        }
    }

    async fn commit(&mut self, deliveries: &[Delivery]) -> Result<(), BusError> {
        let mut next: HashMap<&str, i64> = HashMap::new();
        for d in deliveries {
            let e = next.entry(d.record.topic.as_str()).or_insert(0);
            *e = (*e).max(d.offset + 1);
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_err)?;
        for (topic, offset) in next {
            sqlx::query(
                "INSERT INTO consumer_offsets (consumer_group, topic, next_offset) VALUES (?, ?, ?)
                 ON CONFLICT (consumer_group, topic) DO UPDATE SET next_offset = MAX(next_offset, excluded.next_offset)",
            )
            .bind(&self.group)
            .bind(topic)
            .bind(offset)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn close(&mut self) {}

    fn assigned(&self) -> Arc<std::sync::atomic::AtomicBool> {
        Arc::new(std::sync::atomic::AtomicBool::new(true))
    }

    async fn lag(&mut self) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        for (topic, position) in &self.positions {
            let end = sqlx::query_scalar::<_, i64>("SELECT next_offset FROM event_topics WHERE name = ?")
                .bind(topic)
                .fetch_optional(&self.pool)
                .await
                .ok()
                .flatten()
                .unwrap_or(0);
            out.push((topic.clone(), u64::try_from(end - position).unwrap_or(0)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(topic: &str, n: u8) -> Record {
        Record { topic: topic.into(), key: "k".into(), headers: vec![("id".into(), n.to_string())], payload: vec![n] }
    }

    #[tokio::test]
    async fn log_and_positions_survive_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("events.db");
        let topics = vec!["t".to_owned()];
        {
            let bus = EmbeddedBus::open(&path, Duration::from_secs(3600)).await.expect("open");
            bus.ensure_topics(&topics).await.expect("topics");
            bus.publish(vec![record("t", 1), record("t", 2)]).await.expect("publish");
            let mut sub = bus.subscribe("g", &topics).await.expect("subscribe");
            let first = sub.next_batch(1).await.expect("batch");
            assert_eq!(first[0].record.payload, vec![1]);
            sub.commit(&first).await.expect("commit");
        }
        let bus = EmbeddedBus::open(&path, Duration::from_secs(3600)).await.expect("reopen");
        bus.publish(vec![record("t", 3)]).await.expect("publish after reopen");
        let mut sub = bus.subscribe("g", &topics).await.expect("subscribe");
        let rest = sub.next_batch(10).await.expect("batch");
        let payloads: Vec<u8> = rest.iter().map(|d| d.record.payload[0]).collect();
        assert_eq!(payloads, vec![2, 3]);
        assert_eq!(rest[1].offset, 2);
    }

    #[tokio::test]
    async fn expired_records_are_dropped_and_offsets_keep_counting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("events.db");
        let topics = vec!["t".to_owned()];
        {
            let bus = EmbeddedBus::open(&path, Duration::from_secs(3600)).await.expect("open");
            bus.ensure_topics(&topics).await.expect("topics");
            bus.publish(vec![record("t", 1), record("t", 2)]).await.expect("publish");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        let bus = EmbeddedBus::open(&path, Duration::ZERO).await.expect("reopen with no retention");
        bus.publish(vec![record("t", 3)]).await.expect("publish");
        let mut sub = bus.subscribe("g", &topics).await.expect("subscribe");
        let batch = sub.next_batch(10).await.expect("batch");
        assert_eq!(batch.len(), 1);
        assert_eq!(batch[0].offset, 2);
    }

    /// A consumer loop races `next_batch` against timers in `select!`; a batch abandoned at any
    /// point must come again, never be skipped.
    #[tokio::test]
    async fn abandoned_reads_lose_no_record() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bus = EmbeddedBus::open(&dir.path().join("e.db"), Duration::from_secs(3600)).await.expect("open");
        let topics: Vec<String> = (0..12).map(|t| format!("t{t}")).collect();
        bus.ensure_topics(&topics).await.expect("topics");
        let mut expected = 0;
        for (t, topic) in topics.iter().enumerate() {
            let records: Vec<Record> = (0..3).map(|n| record(topic, (t * 3 + n) as u8)).collect();
            expected += records.len();
            bus.publish(records).await.expect("publish");
        }
        let mut sub = bus.subscribe("g", &topics).await.expect("subscribe");
        let mut seen = std::collections::BTreeSet::new();
        for cut in 0..2000u64 {
            // Give up on the read after a few microseconds, at a different point every time; a
            // read spans several topics, so it is often abandoned between two of them.
            if let Ok(batch) = tokio::time::timeout(Duration::from_micros(cut % 60 * 10), sub.next_batch(8)).await {
                for d in batch.expect("batch") {
                    assert!(seen.insert(d.record.payload[0]), "delivered twice: {}", d.record.payload[0]);
                }
            }
            if seen.len() == expected {
                break;
            }
        }
        while seen.len() < expected {
            for d in tokio::time::timeout(Duration::from_secs(2), sub.next_batch(100))
                .await
                .expect("records left")
                .expect("batch")
            {
                assert!(seen.insert(d.record.payload[0]), "delivered twice");
            }
        }
        assert_eq!(seen.len(), expected, "every record delivered exactly once");
    }

    #[tokio::test]
    async fn publishing_to_an_unknown_topic_fails() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bus = EmbeddedBus::open(&dir.path().join("e.db"), Duration::from_secs(3600)).await.expect("open");
        assert!(bus.publish(vec![record("nope", 1)]).await.is_err());
    }
}
