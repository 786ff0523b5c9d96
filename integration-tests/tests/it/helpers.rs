//! The one test harness: `TestApp` starts real hrmesh servers on free ports, in embedded mode
//! (temporary data directory) or platform mode (a fresh PostgreSQL database, a unique Kafka topic
//! prefix and Redis key prefix), and hands out tokens for any role.

use std::{
    collections::HashMap,
    future::Future,
    net::SocketAddr,
    process::{Command, Stdio},
    sync::OnceLock,
    time::Duration,
};

use hrmesh_kit::{
    auth::{Role, TokenIssuer},
    config::{AuthKey, Config, KeyAlgorithm, Mode, Secret},
    runtime::{self, Running},
};
use sqlx::{Connection, Executor};
use tonic::{Request, Status, metadata::MetadataValue, service::interceptor::InterceptedService, transport::Channel};

const TEST_SECRET: &str = "integration-test-secret-of-at-least-32-bytes";

/// PostgreSQL server used by platform-mode tests.
pub fn postgres_url(database: &str) -> String {
    let base = std::env::var("HRMESH_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    format!("{base}/{database}")
}

/// Kafka bootstrap servers: `HRMESH_TEST_KAFKA`, or a tansu broker this test binary starts.
pub fn kafka_brokers() -> String {
    static BROKERS: OnceLock<String> = OnceLock::new();
    BROKERS
        .get_or_init(|| {
            if let Ok(brokers) = std::env::var("HRMESH_TEST_KAFKA") {
                return brokers;
            }
            start_tansu()
        })
        .clone()
}

/// Starts the in-memory tansu broker installed by `scripts/test.sh`, watched by a shell that
/// stops it when this test process exits.
fn start_tansu() -> String {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let cache = std::env::var("HRMESH_CACHE").unwrap_or_else(|_| format!("{home}/.cache/hrmesh"));
    let tansu = format!("{cache}/bin/tansu");
    assert!(
        std::path::Path::new(&tansu).exists(),
        "no Kafka broker: set HRMESH_TEST_KAFKA=host:port or run scripts/test.sh once to install tansu into {cache}/bin"
    );
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port");
    let url = format!("tcp://127.0.0.1:{port}");
    let script = format!(
        "{tansu} broker --listener-url {url} --advertised-listener-url {url} --storage-engine memory://tansu/ \
         >/dev/null 2>&1 & child=$!; while kill -0 {parent} 2>/dev/null; do sleep 1; done; kill $child",
        parent = std::process::id()
    );
    // The watcher outlives this call on purpose: it runs as long as the test process.
    #[allow(clippy::zombie_processes)]
    let _watcher = Command::new("sh").arg("-c").arg(script).stdin(Stdio::null()).spawn().expect("start tansu");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return format!("127.0.0.1:{port}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("tansu did not start on port {port}");
}

/// How a TestApp runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    Embedded,
    Platform,
}

/// Real hrmesh servers for one test.
pub struct TestApp {
    pub mode: RunMode,
    pub config: Config,
    issuer: TokenIssuer,
    /// Running processes: one in embedded mode, one per service in platform mode.
    running: Vec<Running>,
    /// Address serving each service.
    addrs: HashMap<&'static str, SocketAddr>,
    /// Platform mode: the listening socket of each service.
    listeners: HashMap<&'static str, std::net::TcpListener>,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    /// Starts every service with a fresh database, topic prefix and data directory.
    pub async fn spawn(mode: RunMode) -> TestApp {
        Self::spawn_with(mode, |_| {}).await
    }

    /// Like [`TestApp::spawn`], after `adjust` changed the configuration.
    pub async fn spawn_with(mode: RunMode, adjust: impl FnOnce(&mut Config)) -> TestApp {
        // Spans carry trace context as in production; logs only when asked for:
        // HRMESH_TEST_LOG=info,hrmesh_kit=debug cargo test ...
        let log_filter = std::env::var("HRMESH_TEST_LOG").unwrap_or_else(|_| "off".into());
        let telemetry = hrmesh_kit::config::TelemetryConfig { log_filter, ..Config::default().telemetry };
        std::mem::forget(hrmesh_kit::telemetry::init("it", &telemetry).expect("telemetry"));
        let data_dir = tempfile::tempdir().expect("temp dir");
        let unique = uuid::Uuid::now_v7().simple().to_string();
        let mut config = Config { data_dir: data_dir.path().to_path_buf(), tenant: "acme".into(), ..Config::default() };
        config.grpc.port = 0;
        config.grpc.drain_grace_ms = 200;
        config.auth.keys =
            vec![AuthKey { kid: "test".into(), algorithm: KeyAlgorithm::HS256, key: Secret::new(TEST_SECRET) }];
        config.governance.pseudonym_key = Secret::new("integration-test-pseudonym-key-32-bytes!");
        config.governance.signing_key = Secret::new("integration-test-audit-signing-key-32-bytes");
        config.privacy.master_key = Secret::new("integration-test-person-key-master-32-bytes");
        config.events.retry_backoff_ms = 10;
        config.events.max_attempts = 3;
        config.events.relay_poll_ms = 50;
        if mode == RunMode::Platform {
            config.mode = Mode::Platform;
            let database = format!("hrmesh_it_{unique}");
            let mut admin =
                sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("connect to PostgreSQL");
            admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}"))).await.expect("create database");
            config.database.url = postgres_url(&database);
            // Nine services per app, two apps at a time and the deploy test's processes must stay
            // under PostgreSQL's default limit of 100 connections.
            config.database.max_connections = 4;
            config.kafka.brokers = kafka_brokers();
            config.kafka.topic_prefix = format!("it-{unique}.");
            config.kafka.partitions = 2;
            config.redis.key_prefix = format!("it-{unique}:");
        }
        adjust(&mut config);
        config.validate().expect("test configuration is valid");
        let issuer = TokenIssuer::from_config(&config.auth).expect("token issuer");
        let mut app = TestApp {
            mode,
            config,
            issuer,
            running: Vec::new(),
            addrs: HashMap::new(),
            listeners: HashMap::new(),
            _data_dir: data_dir,
        };
        app.start().await;
        app
    }

    async fn start(&mut self) {
        let groups: Vec<Vec<hrmesh_kit::service::ServiceDef>> = match self.mode {
            RunMode::Embedded => vec![hrmesh::all_services()],
            RunMode::Platform => hrmesh::all_services().into_iter().map(|d| vec![d]).collect(),
        };
        // Platform mode: one process per service, each on its own port, every peer known upfront
        // (as Kubernetes services would be), so services can call each other.
        // The listeners stay open for the TestApp's life, so restarts keep their ports.
        if self.mode == RunMode::Platform && self.listeners.is_empty() {
            for def in hrmesh::all_services() {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
                let port = listener.local_addr().expect("bound").port();
                self.config.peers.insert(def.name.to_owned(), format!("http://127.0.0.1:{port}"));
                self.listeners.insert(def.name, listener);
            }
        }
        for defs in groups {
            let listener = self.listeners.get(defs[0].name).map(|l| l.try_clone().expect("listener"));
            let running = runtime::start_with(self.config.clone(), &defs, listener).await.expect("start hrmesh");
            for def in &defs {
                self.addrs.insert(def.name, running.addr);
            }
            self.running.push(running);
        }
        // Kafka group joins take seconds (all at once); tests start once every consumer has partitions.
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !self.running.iter().all(Running::consumers_ready) {
            assert!(tokio::time::Instant::now() < deadline, "consumers did not join their groups");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Graceful stop and start again on the same storage, bus and topics.
    pub async fn restart(&mut self) {
        for running in self.running.drain(..) {
            running.stop().await.expect("graceful stop");
        }
        self.start().await;
    }

    /// Stops every process abruptly, as a crash would, then starts again.
    pub async fn crash_and_restart(&mut self) {
        for running in self.running.drain(..) {
            running.kill();
        }
        // Let aborted tasks drop their connections and transactions.
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.start().await;
    }

    /// Graceful stop of everything; drops the test's PostgreSQL database.
    pub async fn stop(mut self) {
        for running in self.running.drain(..) {
            running.stop().await.expect("graceful stop");
        }
        if self.mode == RunMode::Platform
            && let Some(database) = self.config.database.url.rsplit('/').next()
        {
            let mut admin = sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("connect");
            let drop = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            admin.execute(sqlx::AssertSqlSafe(drop)).await.expect("drop test database");
        }
    }

    /// The processes, e.g. to trigger a shutdown.
    pub fn running(&self) -> &[Running] {
        &self.running
    }

    /// A signed token for `subject` with `roles`.
    pub fn token(&self, subject: &str, roles: &[Role]) -> String {
        self.issuer.issue(subject, roles, Duration::from_secs(600)).expect("token")
    }

    /// A channel to the process serving `service`.
    /// Where `service` listens.
    pub fn addr(&self, service: &str) -> SocketAddr {
        *self.addrs.get(service).unwrap_or_else(|| panic!("no service {service}"))
    }

    pub async fn channel(&self, service: &str) -> Channel {
        let addr = self.addrs.get(service).unwrap_or_else(|| panic!("no service {service}"));
        Channel::from_shared(format!("http://{addr}")).expect("uri").connect().await.expect("connect")
    }

    /// A channel to `service` whose calls carry a token for `subject` with `roles`.
    pub async fn authed(&self, service: &str, subject: &str, roles: &[Role]) -> InterceptedService<Channel, Bearer> {
        let token = self.token(subject, roles);
        InterceptedService::new(self.channel(service).await, Bearer(format!("Bearer {token}")))
    }
}

/// Adds a bearer token to every call.
#[derive(Clone)]
pub struct Bearer(String);

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let value: MetadataValue<_> = self.0.parse().map_err(|_| Status::internal("bad token"))?;
        request.metadata_mut().insert("authorization", value);
        Ok(request)
    }
}

/// Polls `check` until it returns `Some`, failing the test after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How long asynchronous effects may take in tests (Kafka group joins take a few seconds).
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Puts people into the directory of the people service as (employee, manager) pairs, a manager
/// before their reports ("" for none), so that authorization by reporting line has a line to
/// follow.
pub async fn org_chart(app: &TestApp, lines: &[(&str, &str)]) {
    use hrmesh_proto::people::v1::{UpsertEmployeeRequest, people_service_client::PeopleServiceClient};
    let mut people = PeopleServiceClient::new(app.authed("people", "hr-setup", &[Role::HrAdmin]).await);
    for (employee, manager) in lines {
        let request = UpsertEmployeeRequest {
            employee_id: (*employee).into(),
            full_name: format!("Person {employee}"),
            work_email: format!("{employee}@acme.example"),
            work_country: "NL".into(),
            job_title: "Employee".into(),
            manager_id: (*manager).into(),
            ..Default::default()
        };
        people.upsert_employee(request).await.expect("put into the directory");
    }
}
