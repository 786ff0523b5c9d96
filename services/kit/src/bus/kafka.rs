//! Platform mode's event bus on Apache Kafka (rdkafka): an idempotent producer, consumer groups
//! whose offsets are stored only after the handler's transaction committed, topics created at start.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use rdkafka::{
    ClientConfig, Message, Offset, TopicPartitionList,
    admin::{AdminClient, AdminOptions, NewTopic, TopicReplication},
    client::{ClientContext, DefaultClientContext},
    consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer},
    error::RDKafkaErrorCode,
    message::{Header, Headers, OwnedHeaders},
    producer::{FutureProducer, FutureRecord},
    statistics::Statistics,
};

use super::{BusError, Delivery, EventBus, Record, Subscription};
use crate::config::KafkaConfig;

/// Kafka-backed bus. Topic and group names get `kafka.topic_prefix` prepended.
pub struct KafkaBus {
    config: KafkaConfig,
    producer: FutureProducer,
}

impl std::fmt::Debug for KafkaBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaBus").field("brokers", &self.config.brokers).finish_non_exhaustive()
    }
}

/// The connection settings every client (producer, consumer, admin) shares: brokers, TLS and
/// SASL. Secrets go to librdkafka only, never to logs.
pub fn client_config(config: &KafkaConfig) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", &config.brokers).set("security.protocol", config.security_protocol.as_str());
    if config.security_protocol.uses_sasl() {
        c.set("sasl.mechanisms", &config.sasl_mechanism)
            .set("sasl.username", &config.sasl_username)
            .set("sasl.password", config.sasl_password.expose());
    }
    for (key, value) in [
        ("ssl.ca.location", &config.ssl_ca_location),
        ("ssl.certificate.location", &config.ssl_certificate_location),
        ("ssl.key.location", &config.ssl_key_location),
    ] {
        if config.security_protocol.uses_tls() && !value.is_empty() {
            c.set(key, value);
        }
    }
    c
}

impl KafkaBus {
    pub fn new(config: &KafkaConfig) -> Result<Self, BusError> {
        let producer = client_config(config)
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("linger.ms", "5")
            .set("message.timeout.ms", "30000")
            .create()
            .map_err(BusError::new)?;
        Ok(Self { config: config.clone(), producer })
    }

    fn full(&self, name: &str) -> String {
        format!("{}{name}", self.config.topic_prefix)
    }
}

#[tonic::async_trait]
impl EventBus for KafkaBus {
    async fn ensure_topics(&self, topics: &[String]) -> Result<(), BusError> {
        let admin: AdminClient<DefaultClientContext> = client_config(&self.config).create().map_err(BusError::new)?;
        let names: Vec<String> = topics.iter().map(|t| self.full(t)).collect();
        let new: Vec<NewTopic<'_>> = names
            .iter()
            .map(|n| NewTopic::new(n, self.config.partitions, TopicReplication::Fixed(self.config.replication_factor)))
            .collect();
        let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
        for result in admin.create_topics(&new, &options).await.map_err(BusError::new)? {
            match result {
                Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
                Err((topic, code)) => {
                    return Err(BusError(format!("creating topic {topic}: {code}")));
                }
            }
        }
        Ok(())
    }

    async fn publish(&self, records: Vec<Record>) -> Result<(), BusError> {
        // Enqueue everything first (librdkafka keeps the order per partition), then wait for acks.
        let topics: Vec<String> = records.iter().map(|r| self.full(&r.topic)).collect();
        let mut pending = Vec::with_capacity(records.len());
        for (record, topic) in records.iter().zip(&topics) {
            let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
            for (k, v) in &record.headers {
                headers = headers.insert(Header { key: k, value: Some(v.as_bytes()) });
            }
            let future = FutureRecord::to(topic).key(&record.key).payload(&record.payload).headers(headers);
            pending.push(self.producer.send(future, Duration::from_secs(30)));
        }
        for result in futures_util::future::join_all(pending).await {
            result.map_err(|(e, _)| BusError::new(e))?;
        }
        Ok(())
    }

    async fn subscribe(&self, group: &str, topics: &[String]) -> Result<Box<dyn Subscription>, BusError> {
        let context = LagContext::default();
        let lag = Arc::clone(&context.lag);
        let assigned = Arc::clone(&context.assigned);
        let consumer: StreamConsumer<LagContext> = client_config(&self.config)
            .set("group.id", self.full(group))
            .set("enable.auto.commit", "true")
            .set("auto.commit.interval.ms", "1000")
            // Offsets are stored by `commit` only after the handler's transaction committed.
            .set("enable.auto.offset.store", "false")
            .set("auto.offset.reset", "earliest")
            .set("session.timeout.ms", "10000")
            // Bounds how long an idle fetch waits; brokers answer earlier when data arrives.
            .set("fetch.wait.max.ms", "100")
            .set("statistics.interval.ms", "5000")
            .create_with_context(context)
            .map_err(BusError::new)?;
        let full: Vec<String> = topics.iter().map(|t| self.full(t)).collect();
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        consumer.subscribe(&refs).map_err(BusError::new)?;
        Ok(Box::new(KafkaSubscription {
            consumer,
            prefix: self.config.topic_prefix.clone(),
            lag,
            assigned,
            pending: Vec::new(),
        }))
    }
}

/// Collects consumer lag from librdkafka's periodic statistics (without blocking calls) and
/// notes when the group assigned partitions.
#[derive(Default)]
struct LagContext {
    lag: Arc<Mutex<HashMap<String, u64>>>,
    assigned: Arc<AtomicBool>,
}

impl ClientContext for LagContext {
    fn stats(&self, statistics: Statistics) {
        let mut per_topic = HashMap::new();
        for (topic, t) in statistics.topics {
            let lag: i64 = t.partitions.values().map(|p| p.consumer_lag.max(0)).sum();
            per_topic.insert(topic, u64::try_from(lag).unwrap_or(0));
        }
        if let Ok(mut lag) = self.lag.lock() {
            *lag = per_topic;
        }
    }
}

impl ConsumerContext for LagContext {
    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(_) = rebalance {
            self.assigned.store(true, Ordering::Release);
        }
    }
}

struct KafkaSubscription {
    consumer: StreamConsumer<LagContext>,
    prefix: String,
    lag: Arc<Mutex<HashMap<String, u64>>>,
    assigned: Arc<AtomicBool>,
    /// Received but not yet handed out (see `next_batch`).
    pending: Vec<Delivery>,
}

impl KafkaSubscription {
    fn delivery(&self, message: &rdkafka::message::BorrowedMessage<'_>) -> Delivery {
        let headers = message
            .headers()
            .map(|hs| {
                hs.iter()
                    .map(|h| (h.key.to_owned(), String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let topic = message.topic();
        Delivery {
            record: Record {
                topic: topic.strip_prefix(&self.prefix).unwrap_or(topic).to_owned(),
                key: String::from_utf8_lossy(message.key().unwrap_or_default()).into_owned(),
                headers,
                payload: message.payload().unwrap_or_default().to_vec(),
            },
            partition: message.partition(),
            offset: message.offset(),
        }
    }
}

#[tonic::async_trait]
impl Subscription for KafkaSubscription {
    async fn next_batch(&mut self, max: usize) -> Result<Vec<Delivery>, BusError> {
        // Records received are kept in `pending` until returned: if the caller drops this future
        // (a `select!` picking another branch) they come with the next call instead of being
        // skipped — librdkafka has already moved past them.
        if self.pending.is_empty() {
            let first = self.consumer.recv().await.map_err(BusError::new)?;
            self.pending.push(self.delivery(&first));
        }
        // Under load more records follow within moments: a short linger fills the batch (one
        // database transaction for many events) at the cost of at most 2 ms when idle.
        while self.pending.len() < max {
            match tokio::time::timeout(Duration::from_millis(2), self.consumer.recv()).await {
                Ok(Ok(message)) => {
                    let delivery = self.delivery(&message);
                    self.pending.push(delivery);
                }
                Ok(Err(e)) => return Err(BusError::new(e)),
                Err(_) => break,
            }
        }
        Ok(std::mem::take(&mut self.pending))
    }

    async fn commit(&mut self, deliveries: &[Delivery]) -> Result<(), BusError> {
        let mut list = TopicPartitionList::new();
        for d in deliveries {
            let topic = format!("{}{}", self.prefix, d.record.topic);
            // Kafka commits the offset of the next record to read.
            list.add_partition_offset(&topic, d.partition, Offset::Offset(d.offset + 1)).map_err(BusError::new)?;
        }
        self.consumer.store_offsets(&list).map_err(BusError::new)
    }

    async fn close(&mut self) {
        if let Err(e) = self.consumer.commit_consumer_state(CommitMode::Sync) {
            tracing::debug!(error = %e, "final offset commit");
        }
        self.consumer.unsubscribe();
    }

    fn assigned(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.assigned)
    }

    async fn lag(&mut self) -> Vec<(String, u64)> {
        let Ok(lag) = self.lag.lock() else {
            return Vec::new();
        };
        lag.iter().map(|(topic, lag)| (topic.strip_prefix(&self.prefix).unwrap_or(topic).to_owned(), *lag)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, KafkaSecurity, Secret};

    #[test]
    fn security_settings_reach_every_client() {
        let mut k = Config::default().kafka;
        let plain = client_config(&k);
        assert_eq!(plain.get("security.protocol"), Some("plaintext"));
        assert_eq!(plain.get("sasl.username"), None);
        k.security_protocol = KafkaSecurity::SaslSsl;
        k.sasl_mechanism = "SCRAM-SHA-512".into();
        k.sasl_username = "hrmesh".into();
        k.sasl_password = Secret::new("s3cret");
        k.ssl_ca_location = "/etc/hrmesh/kafka/ca.crt".into();
        let c = client_config(&k);
        assert_eq!(c.get("security.protocol"), Some("sasl_ssl"));
        assert_eq!(c.get("sasl.mechanisms"), Some("SCRAM-SHA-512"));
        assert_eq!((c.get("sasl.username"), c.get("sasl.password")), (Some("hrmesh"), Some("s3cret")));
        assert_eq!(c.get("ssl.ca.location"), Some("/etc/hrmesh/kafka/ca.crt"));
        assert!(!format!("{k:?}").contains("s3cret"), "the password never appears in debug output");
    }
}
