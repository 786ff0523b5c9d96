//! Starts a set of services in one process: storage and migrations, the event bus and its
//! topics, one outbox relay and the consumers per service, and one gRPC server for all of them.
//! Embedded mode runs every service this way; platform mode runs one service per process.

use std::{
    collections::BTreeSet,
    net::SocketAddr,
    sync::{
        Arc, OnceLock,
        atomic::{AtomicBool, Ordering},
    },
};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tonic::service::RoutesBuilder;

use crate::{
    auth::Authenticator,
    bus::{EventBus, embedded::EmbeddedBus, kafka::KafkaBus},
    cache::Cache,
    config::{Config, Mode},
    consumer::Consumer,
    crypto::Vault,
    db::Database,
    events::{GOVERNANCE_TOPIC, dead_letter_topic, governed_topic, raw_topic},
    outbox::Relay,
    peers::Peers,
    privacy::{ErasureHandler, ExportApi, Holder},
    server::GrpcServer,
    service::{ConsumerDef, ServiceContext, ServiceDef},
};
use hrmesh_proto::{privacy::v1::person_data_service_server::PersonDataServiceServer, registry};

/// Every raw and governed topic plus governance's own stream.
pub fn platform_topics() -> Vec<String> {
    let mut topics: Vec<String> = registry::domain_services().flat_map(|s| [raw_topic(s), governed_topic(s)]).collect();
    topics.push(GOVERNANCE_TOPIC.to_owned());
    topics
}

/// Opens the bus of the configured mode.
pub async fn connect_bus(config: &Config) -> anyhow::Result<Arc<dyn EventBus>> {
    Ok(match config.mode {
        Mode::Embedded => Arc::new(
            EmbeddedBus::open(
                &config.data_dir.join("events.db"),
                std::time::Duration::from_secs(config.events.log_retention_hours * 3600),
            )
            .await?,
        ),
        Mode::Platform => Arc::new(KafkaBus::new(&config.kafka)?),
    })
}

/// Runs migrations of `defs` and returns (used by `hrmesh migrate`).
pub async fn migrate(config: &Config, defs: &[ServiceDef]) -> anyhow::Result<()> {
    for def in defs {
        let db = Database::connect(config, def.name).await?;
        db.migrate(def.migrations).await.map_err(|e| anyhow::anyhow!("migrating {}: {e}", def.name))?;
        tracing::info!(service = def.name, "migrations applied");
        db.close().await;
    }
    Ok(())
}

/// A running process.
pub struct Running {
    /// Where the gRPC server listens.
    pub addr: SocketAddr,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
    workers_stop: CancellationToken,
    workers: JoinSet<()>,
    databases: Vec<Database>,
    consumer_ready: Vec<Arc<OnceLock<Arc<AtomicBool>>>>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running").field("addr", &self.addr).finish_non_exhaustive()
    }
}

/// Starts `defs` with `config` and returns once the server accepts calls.
pub async fn start(config: Config, defs: &[ServiceDef]) -> anyhow::Result<Running> {
    start_with(config, defs, None).await
}

/// Like [`start`], serving on `listener` (already bound) instead of `grpc.host:grpc.port`.
pub async fn start_with(
    config: Config,
    defs: &[ServiceDef],
    listener: Option<std::net::TcpListener>,
) -> anyhow::Result<Running> {
    let config = Arc::new(config);
    let mut auth_config = config.auth.clone();
    if config.mode == Mode::Embedded && auth_config.keys.is_empty() {
        auth_config.keys.push(crate::auth::embedded_key(&config)?);
    }
    let auth = Authenticator::new(&auth_config)?;
    let bus = connect_bus(&config).await?;
    let cache = Cache::connect(&config)
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach Redis at redis.url (HRMESH_REDIS__URL): {e}"))?;

    let workers_stop = CancellationToken::new();
    let mut workers = JoinSet::new();
    let mut routes = RoutesBuilder::default();
    let mut names = Vec::new();
    let mut topics: BTreeSet<String> = platform_topics().into_iter().collect();
    let mut consumers = Vec::new();
    let mut databases = Vec::new();
    let mut consumer_ready = Vec::new();
    let mut holders = Vec::new();

    // Listen first: services learn this process's own address for calls between them.
    let listener = match listener {
        Some(listener) => {
            listener.set_nonblocking(true)?;
            tokio::net::TcpListener::from_std(listener)?
        }
        None => GrpcServer::listen(SocketAddr::new(config.grpc.host, config.grpc.port)).await?,
    };
    let internal = GrpcServer::listen_internal().await?;
    let local_names: Vec<&str> = defs.iter().map(|d| d.name).collect();
    let peers = Arc::new(Peers::new(&config, &auth_config, internal.local_addr()?, &local_names));
    let (refusals, mut refused) = tokio::sync::mpsc::channel::<crate::server::Refusal>(1024);
    let mut first_context = None;
    let vault = Vault::new(&config.secret(&config.privacy.master_key, "privacy.master_key", "person-key-master")?);

    for def in defs {
        let db = Database::connect(&config, def.name).await.map_err(|e| database_error(&config, e))?;
        db.migrate(def.migrations).await.map_err(|e| anyhow::anyhow!("migrating {}: {e}", def.name))?;
        databases.push(db.clone());
        let ctx = ServiceContext::new(
            def.name,
            Arc::clone(&config),
            db.clone(),
            Arc::clone(&bus),
            cache.clone(),
            Arc::clone(&peers),
            vault.clone(),
        );
        // Denials travel on a domain service's raw topic, which governance audits; governance's
        // own topic is not one it audits from.
        if raw_topic(def.name) != GOVERNANCE_TOPIC {
            first_context.get_or_insert_with(|| ctx.clone());
        }
        let service = (def.build)(ctx.clone())?;
        names.extend(service.register(&mut routes, &auth));
        for worker in service.workers() {
            workers.spawn(worker(workers_stop.clone()));
        }
        let rules = service.retention();
        if !rules.is_empty() {
            workers.spawn(crate::retention::run(ctx.clone(), rules, workers_stop.clone()));
        }
        let mut service_consumers = service.consumers();
        if let Some(data) = service.person_data() {
            let holder = Holder { service: def.name, data, db: db.clone(), vault: vault.clone() };
            // Governance erases its own records inline when it takes the request.
            if def.name != registry::GOVERNANCE {
                service_consumers.push(ConsumerDef {
                    name: format!("{}.privacy", def.name),
                    topics: vec![GOVERNANCE_TOPIC.to_owned()],
                    handler: Arc::new(ErasureHandler {
                        holder: holder.clone(),
                        events: ctx.events.clone(),
                        erased: false.into(),
                    }),
                });
            }
            holders.push(holder);
        }
        for c in service_consumers {
            topics.insert(dead_letter_topic(&c.name));
            consumers.push(Consumer {
                name: c.name,
                topics: c.topics,
                handler: c.handler,
                db: db.clone(),
                bus: Arc::clone(&bus),
                config: config.events.clone(),
                outbox_signal: ctx.outbox_signal(),
                ready: ready_flag(&mut consumer_ready),
            });
        }
        let relay = Relay {
            service: def.name,
            db,
            bus: Arc::clone(&bus),
            signal: ctx.outbox_signal(),
            batch: config.events.relay_batch,
            poll: std::time::Duration::from_millis(config.events.relay_poll_ms),
        };
        workers.spawn(relay.run(workers_stop.clone()));
    }
    if !holders.is_empty() {
        let api = ExportApi { holders, audit: first_context.clone() };
        routes.add_service(PersonDataServiceServer::with_interceptor(api, auth.interceptor()));
        names.push(<PersonDataServiceServer<ExportApi> as tonic::server::NamedService>::NAME);
    }
    let topics: Vec<String> = topics.into_iter().collect();
    bus.ensure_topics(&topics).await.map_err(|e| anyhow::anyhow!("creating topics: {e}"))?;
    for consumer in consumers {
        workers.spawn(consumer.run(workers_stop.clone()));
    }
    workers.spawn(maintain(Arc::clone(&bus), workers_stop.clone()));
    if let Some(ctx) = first_context {
        // Refused logins reach governance's audit trail like any other denial.
        let stop = workers_stop.clone();
        workers.spawn(async move {
            loop {
                tokio::select! {
                    () = stop.cancelled() => return,
                    Some(refusal) = refused.recv() => ctx.record_refusal(&refusal.rpc, &refusal.reason).await,
                }
            }
        });
    }

    let server = GrpcServer::new(listener, internal, routes.routes(), names, Some(refusals))?;
    let addr = server.local_addr()?;
    let shutdown = CancellationToken::new();
    let timing = crate::server::Timing {
        request_timeout: std::time::Duration::from_millis(config.grpc.request_timeout_ms),
        grace: config.drain_grace(),
        drain: std::time::Duration::from_millis(config.grpc.drain_timeout_ms),
    };
    let server = tokio::spawn(server.serve(shutdown.clone(), timing));
    tracing::info!(%addr, mode = ?config.mode, services = ?defs, "hrmesh is serving");
    Ok(Running { addr, shutdown, server, workers_stop, workers, databases, consumer_ready })
}

fn database_error(config: &Config, e: anyhow::Error) -> anyhow::Error {
    match config.mode {
        Mode::Embedded => e.context(format!("cannot open the database in {}", config.data_dir.display())),
        Mode::Platform => e.context("cannot reach PostgreSQL at database.url (HRMESH_DATABASE__URL)"),
    }
}

/// Runs the bus's housekeeping every hour until `stop`.
async fn maintain(bus: Arc<dyn EventBus>, stop: CancellationToken) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    hourly.tick().await; // the bus did it when it opened
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = hourly.tick() => {
                if let Err(e) = bus.maintain().await {
                    tracing::warn!(error = %e, "bus housekeeping failed");
                }
            }
        }
    }
}

/// A new readiness slot for one consumer, also kept in `flags`.
fn ready_flag(flags: &mut Vec<Arc<OnceLock<Arc<AtomicBool>>>>) -> Arc<OnceLock<Arc<AtomicBool>>> {
    let flag = Arc::new(OnceLock::new());
    flags.push(Arc::clone(&flag));
    flag
}

impl Running {
    /// Whether every consumer has joined its group and received partitions.
    pub fn consumers_ready(&self) -> bool {
        self.consumer_ready.iter().all(|f| f.get().is_some_and(|a| a.load(Ordering::Acquire)))
    }

    /// The token that starts a graceful shutdown when cancelled.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Waits for shutdown to be requested, then stops in order: health NOT_SERVING and drain
    /// the server, stop consumers (storing offsets) and relays (publishing what is left), close storage.
    pub async fn wait(mut self) -> anyhow::Result<()> {
        let served = (&mut self.server).await;
        self.workers_stop.cancel();
        while self.workers.join_next().await.is_some() {}
        for db in &self.databases {
            db.close().await;
        }
        tracing::info!("hrmesh stopped");
        served?
    }

    /// Graceful stop: [`Running::shutdown_token`] + [`Running::wait`].
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.wait().await
    }

    /// Stops everything at once, as a crash would: no drain, no final commits.
    pub fn kill(mut self) {
        self.server.abort();
        self.workers.abort_all();
    }
}
