//! Deployment artefacts against the code they describe:
//! - every metric (and label, and label value) the Grafana dashboards in `deploy/grafana` and
//!   the alerting rules in `deploy/prometheus` query is really emitted: every service runs as its own `hrmesh serve` process in platform mode,
//!   exporting OTLP to a receiver in this test, while the test drives traffic, refusals, consent
//!   denials, suppressed events, retries, dead letters and an adverse-impact alert;
//! - `deploy/asyncapi.yaml` has a channel for exactly the topics the services create and lists
//!   exactly the event types the protos declare on each, with their field numbers and types; the
//!   governed variants carry exactly the fields the running governance service's purposes
//!   registry keeps;
//! - the configuration the Helm chart renders (`deploy/kustomize/base`) is accepted by `hrmesh`.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use hrmesh_kit::{
    auth::{Role, TokenIssuer},
    bus::Record,
    config::{AuthConfig, AuthKey, Config, KeyAlgorithm, Mode, Secret},
    events::{EventSource, raw_topic, record},
    runtime,
};
use hrmesh_proto::{
    analytics::v1::{GetApplicationCountsRequest, analytics_service_client::AnalyticsServiceClient},
    engagement::v1::{AnalyzeCommentRequest, engagement_service_client::EngagementServiceClient},
    governance::v1::{self as pb, governance_service_client::GovernanceServiceClient},
    recruiting::v1::{CandidateApplied, SubmitApplicationRequest, recruiting_service_client::RecruitingServiceClient},
};
use prost::Message;
use serde_json::Value;
use sqlx::{Connection, Executor};
use tonic::{Code, Request, Status, metadata::MetadataValue, transport::Channel};

use crate::helpers::{PATIENCE, RunMode, TestApp, eventually, kafka_brokers, postgres_url};

/// Metrics a dashboard may use before the code emits them, each listed in `deploy/METRICS.md`
/// under "Not emitted yet". Empty: every dashboard metric is proven below.
const NOT_YET_EMITTED: &[&str] = &[];

const SECRET: &str = "deploy-test-hs256-secret-of-at-least-32-bytes";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("repository root").to_path_buf()
}

fn hrmesh_binary() -> PathBuf {
    // The test binary lives in target/<profile>/deps; the hrmesh binary one level up.
    let exe = std::env::current_exe().expect("test binary");
    let hrmesh = exe.parent().and_then(|deps| deps.parent()).expect("target dir").join("hrmesh");
    assert!(hrmesh.exists(), "build the hrmesh binary first (cargo build -p hrmesh): {}", hrmesh.display());
    hrmesh
}

// ------------------------------------------------------------------------ OTLP receiver

/// The part of the OTLP metrics protocol the test reads (prost skips every other field).
mod otlp {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ExportMetricsServiceRequest {
        #[prost(message, repeated, tag = "1")]
        pub resource_metrics: Vec<ResourceMetrics>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ResourceMetrics {
        #[prost(message, optional, tag = "1")]
        pub resource: Option<Resource>,
        #[prost(message, repeated, tag = "2")]
        pub scope_metrics: Vec<ScopeMetrics>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Resource {
        #[prost(message, repeated, tag = "1")]
        pub attributes: Vec<KeyValue>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ScopeMetrics {
        #[prost(message, repeated, tag = "2")]
        pub metrics: Vec<Metric>,
    }
    /// `data` is a oneof on the wire: gauge (5), sum (7), histogram (9).
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Metric {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(string, tag = "3")]
        pub unit: String,
        #[prost(message, optional, tag = "5")]
        pub gauge: Option<Gauge>,
        #[prost(message, optional, tag = "7")]
        pub sum: Option<Sum>,
        #[prost(message, optional, tag = "9")]
        pub histogram: Option<Histogram>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Gauge {
        #[prost(message, repeated, tag = "1")]
        pub data_points: Vec<NumberDataPoint>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Sum {
        #[prost(message, repeated, tag = "1")]
        pub data_points: Vec<NumberDataPoint>,
        #[prost(bool, tag = "3")]
        pub is_monotonic: bool,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Histogram {
        #[prost(message, repeated, tag = "1")]
        pub data_points: Vec<HistogramDataPoint>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct NumberDataPoint {
        #[prost(message, repeated, tag = "7")]
        pub attributes: Vec<KeyValue>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct HistogramDataPoint {
        #[prost(message, repeated, tag = "9")]
        pub attributes: Vec<KeyValue>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct KeyValue {
        #[prost(string, tag = "1")]
        pub key: String,
        #[prost(message, optional, tag = "2")]
        pub value: Option<AnyValue>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct AnyValue {
        #[prost(string, optional, tag = "1")]
        pub string_value: Option<String>,
        #[prost(bool, optional, tag = "2")]
        pub bool_value: Option<bool>,
        #[prost(int64, optional, tag = "3")]
        pub int_value: Option<i64>,
    }

    impl AnyValue {
        pub fn text(&self) -> String {
            match (&self.string_value, self.bool_value, self.int_value) {
                (Some(s), _, _) => s.clone(),
                (_, Some(b), _) => b.to_string(),
                (_, _, Some(i)) => i.to_string(),
                _ => String::new(),
            }
        }
    }
}

/// Passes request bytes through untouched: the receiver decodes them itself.
#[derive(Debug, Clone, Copy, Default)]
struct RawCodec;

impl tonic::codec::Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;
    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }
    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl tonic::codec::Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut tonic::codec::EncodeBuf<'_>) -> Result<(), Status> {
        prost::bytes::BufMut::put_slice(dst, &item);
        Ok(())
    }
}

impl tonic::codec::Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn decode(&mut self, src: &mut tonic::codec::DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let len = prost::bytes::Buf::remaining(src);
        Ok(Some(prost::bytes::Buf::copy_to_bytes(src, len).to_vec()))
    }
}

type Sink = Arc<Mutex<Vec<Vec<u8>>>>;

struct Export(Option<Sink>);

impl tonic::server::UnaryService<Vec<u8>> for Export {
    type Response = Vec<u8>;
    type Future = std::future::Ready<Result<tonic::Response<Vec<u8>>, Status>>;
    fn call(&mut self, request: Request<Vec<u8>>) -> Self::Future {
        if let Some(sink) = &self.0 {
            sink.lock().expect("sink").push(request.into_inner());
        }
        // An empty Export*ServiceResponse.
        std::future::ready(Ok(tonic::Response::new(Vec::new())))
    }
}

/// OTLP/gRPC collector endpoint: keeps metric exports, accepts (and drops) trace exports.
#[derive(Clone)]
struct Collector<const TRACES: bool> {
    metrics: Sink,
}

impl<const TRACES: bool, B> tonic::codegen::Service<http::Request<B>> for Collector<TRACES>
where
    B: tonic::codegen::Body + Send + 'static,
    B::Error: Into<tonic::codegen::StdError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = std::convert::Infallible;
    type Future = tonic::codegen::BoxFuture<Self::Response, Self::Error>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let sink = (!TRACES).then(|| Arc::clone(&self.metrics));
        Box::pin(async move { Ok(tonic::server::Grpc::new(RawCodec).unary(Export(sink), request).await) })
    }
}

impl tonic::server::NamedService for Collector<false> {
    const NAME: &'static str = "opentelemetry.proto.collector.metrics.v1.MetricsService";
}

impl tonic::server::NamedService for Collector<true> {
    const NAME: &'static str = "opentelemetry.proto.collector.trace.v1.TraceService";
}

/// Starts the receiver; returns its endpoint and the raw metric exports it received.
async fn start_collector() -> (String, Sink) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind collector");
    let endpoint = format!("http://{}", listener.local_addr().expect("collector address"));
    let sink: Sink = Arc::default();
    let server = tonic::transport::Server::builder()
        .add_service(Collector::<false> { metrics: Arc::clone(&sink) })
        .add_service(Collector::<true> { metrics: Arc::default() })
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    tokio::spawn(server);
    (endpoint, sink)
}

/// What was emitted: per Prometheus series name (as the Collector's prometheus exporter names
/// it), every label with the values seen.
#[derive(Debug, Default)]
struct Emitted {
    series: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
}

impl Emitted {
    fn from_exports(exports: &[Vec<u8>]) -> Self {
        let mut emitted = Emitted::default();
        for bytes in exports {
            let request = otlp::ExportMetricsServiceRequest::decode(bytes.as_slice()).expect("OTLP metrics export");
            for rm in request.resource_metrics {
                // resource_to_telemetry_conversion: resource attributes become labels as well.
                let resource: Vec<otlp::KeyValue> = rm.resource.map(|r| r.attributes).unwrap_or_default();
                for metric in rm.scope_metrics.into_iter().flat_map(|s| s.metrics) {
                    emitted.add(&metric, &resource);
                }
            }
        }
        emitted
    }

    fn add(&mut self, metric: &otlp::Metric, resource: &[otlp::KeyValue]) {
        let base = format!("{}{}", metric.name.replace('.', "_"), unit_suffix(&metric.unit));
        let (names, points): (Vec<String>, Vec<&Vec<otlp::KeyValue>>) = if let Some(h) = &metric.histogram {
            (
                ["_bucket", "_sum", "_count"].iter().map(|s| format!("{base}{s}")).collect(),
                h.data_points.iter().map(|p| &p.attributes).collect(),
            )
        } else if let Some(s) = &metric.sum {
            let name = if s.is_monotonic { format!("{base}_total") } else { base };
            (vec![name], s.data_points.iter().map(|p| &p.attributes).collect())
        } else if let Some(g) = &metric.gauge {
            (vec![base], g.data_points.iter().map(|p| &p.attributes).collect())
        } else {
            return;
        };
        for name in names {
            let labels = self.series.entry(name.clone()).or_default();
            for attributes in &points {
                for kv in attributes.iter().chain(resource) {
                    let value = kv.value.as_ref().map(otlp::AnyValue::text).unwrap_or_default();
                    labels.entry(kv.key.replace('.', "_")).or_default().insert(value);
                }
            }
            for extra in ["job", "instance"] {
                labels.entry(extra.to_owned()).or_default();
            }
            if name.ends_with("_bucket") {
                labels.entry("le".to_owned()).or_default();
            }
        }
    }
}

/// The unit suffix the Collector's Prometheus translation appends.
fn unit_suffix(unit: &str) -> &'static str {
    match unit {
        "ms" => "_milliseconds",
        "s" => "_seconds",
        "By" => "_bytes",
        _ => "",
    }
}

// --------------------------------------------------------------------- dashboard queries

/// One metric use in a dashboard query: the labels it is grouped or filtered by, and the
/// label values it must match exactly.
#[derive(Debug, Default)]
struct Use {
    labels: BTreeSet<String>,
    values: BTreeSet<(String, String)>,
    panels: BTreeSet<String>,
}

/// Every metric the dashboards and alerting rules query, from panel targets, template variables
/// and rule expressions.
fn dashboard_uses() -> BTreeMap<String, Use> {
    let mut uses: BTreeMap<String, Use> = BTreeMap::new();
    let dir = repo_root().join("deploy/grafana");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("deploy/grafana").map(|e| e.expect("entry").path()).collect();
    files.retain(|f| f.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert!(!files.is_empty(), "no dashboards in {}", dir.display());
    for file in files {
        let dashboard: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("read dashboard"))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let title = dashboard["title"].as_str().unwrap_or_default().to_owned();
        let mut queries = Vec::new();
        for panel in dashboard["panels"].as_array().into_iter().flatten() {
            for target in panel["targets"].as_array().into_iter().flatten() {
                if let Some(expr) = target["expr"].as_str() {
                    queries
                        .push((format!("{title} / {}", panel["title"].as_str().unwrap_or_default()), expr.to_owned()));
                }
            }
        }
        for variable in dashboard["templating"]["list"].as_array().into_iter().flatten() {
            if let Some(query) = variable["definition"].as_str() {
                queries
                    .push((format!("{title} / ${}", variable["name"].as_str().unwrap_or_default()), query.to_owned()));
            }
        }
        for (panel, query) in queries {
            parse_query(&query, &panel, &mut uses);
        }
    }
    // The alerting rules watch the same series.
    let rules = repo_root().join("deploy/prometheus/hrmesh-rules.yaml");
    let rules = parse_yaml(&std::fs::read_to_string(&rules).expect("deploy/prometheus/hrmesh-rules.yaml"));
    for group in rules["groups"].as_array().expect("rule groups") {
        for rule in group["rules"].as_array().expect("rules") {
            let name = format!("alert {}", rule["alert"].as_str().expect("alert name"));
            parse_query(rule["expr"].as_str().expect("expr"), &name, &mut uses);
        }
    }
    uses
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// A small PromQL reader: metric names (hrmesh_*, rpc_*), `by (...)` labels, `{k op "v"}`
/// matchers and `label_values(metric, label)`.
fn parse_query(query: &str, panel: &str, uses: &mut BTreeMap<String, Use>) {
    let chars: Vec<char> = query.chars().collect();
    let mut metrics = Vec::new();
    let mut grouping = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '$' {
            // Grafana variables: $__rate_interval, ${datasource}, $consumer.
            i += 1;
            while i < chars.len() && (is_ident(chars[i]) || chars[i] == '{' || chars[i] == '}') {
                i += 1;
            }
        } else if c == '[' {
            while i < chars.len() && chars[i] != ']' {
                i += 1;
            }
        } else if is_ident_start(c) {
            let start = i;
            while i < chars.len() && is_ident(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if matches!(word.as_str(), "by" | "without") && j < chars.len() && chars[j] == '(' {
                let end = chars[j..].iter().position(|&c| c == ')').map(|p| p + j).expect("closing parenthesis");
                let list: String = chars[j + 1..end].iter().collect();
                grouping.extend(list.split(',').map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()));
                i = end + 1;
            } else if word == "label_values" {
                let end = chars[j..].iter().position(|&c| c == ')').map(|p| p + j).expect("closing parenthesis");
                let args: String = chars[j + 1..end].iter().collect();
                let (metric, label) = args.split_once(',').expect("label_values(metric, label)");
                let entry = uses.entry(metric.trim().to_owned()).or_default();
                entry.labels.insert(label.trim().to_owned());
                entry.panels.insert(panel.to_owned());
                i = end + 1;
            } else if word.starts_with("hrmesh_") || word.starts_with("rpc_") {
                let mut matchers = Vec::new();
                if j < chars.len() && chars[j] == '{' {
                    let end = chars[j..].iter().position(|&c| c == '}').map(|p| p + j).expect("closing brace");
                    let body: String = chars[j + 1..end].iter().collect();
                    for matcher in body.split(',') {
                        let op_at = matcher.find(['=', '!']).expect("label matcher");
                        let key = matcher[..op_at].trim().to_owned();
                        let rest = &matcher[op_at..];
                        let value = rest.trim_start_matches(['=', '!', '~']).trim().trim_matches('"').to_owned();
                        matchers.push((key, rest.starts_with("=\"") || rest.starts_with("= \""), value));
                    }
                    i = end + 1;
                }
                metrics.push((word, matchers));
            }
        } else {
            i += 1;
        }
    }
    for (metric, matchers) in metrics {
        let entry = uses.entry(metric).or_default();
        entry.panels.insert(panel.to_owned());
        entry.labels.extend(grouping.iter().cloned());
        for (key, exact, value) in matchers {
            entry.labels.insert(key.clone());
            if exact {
                entry.values.insert((key, value));
            }
        }
    }
}

#[test]
fn dashboard_query_reader_understands_the_queries() {
    let mut uses = BTreeMap::new();
    parse_query(
        r#"histogram_quantile(0.99, sum by (le, rpc_service) (rate(rpc_x_bucket{rpc_service=~"$s", code!="0"}[$__rate_interval]))) / sum(hrmesh_y_total{outcome="dead_letter"})"#,
        "p",
        &mut uses,
    );
    parse_query("label_values(hrmesh_z, consumer)", "v", &mut uses);
    assert_eq!(uses.keys().collect::<Vec<_>>(), ["hrmesh_y_total", "hrmesh_z", "rpc_x_bucket"]);
    assert_eq!(uses["rpc_x_bucket"].labels, ["code", "le", "rpc_service"].map(String::from).into());
    assert!(uses["rpc_x_bucket"].values.is_empty());
    assert_eq!(uses["hrmesh_y_total"].values, [("outcome".to_owned(), "dead_letter".to_owned())].into());
    assert_eq!(uses["hrmesh_z"].labels, ["consumer".to_owned()].into());
}

// --------------------------------------------------------------- the platform, for real

const SERVICES: [&str; 9] = hrmesh_proto::registry::SERVICES;

/// Every service as its own `hrmesh serve` process, as the Helm chart runs them.
struct Platform {
    children: Vec<(&'static str, Child)>,
    ports: BTreeMap<&'static str, u16>,
    logs: tempfile::TempDir,
    database: String,
    /// Where the test publishes records itself (same brokers and topic prefix).
    bus_config: Config,
    issuer: TokenIssuer,
}

impl Platform {
    async fn start(otlp_endpoint: &str) -> Platform {
        let unique = uuid::Uuid::now_v7().simple().to_string();
        let database = format!("hrmesh_it_deploy_{unique}");
        let mut admin = sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("connect to PostgreSQL");
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}"))).await.expect("create database");
        let mut ports = BTreeMap::new();
        for service in SERVICES {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            ports.insert(service, listener.local_addr().expect("bound").port());
        }
        let brokers = kafka_brokers();
        let prefix = format!("it-deploy-{unique}.");
        let keys = format!("[{{kid=\"deploy\",algorithm=\"HS256\",key=\"{SECRET}\"}}]");
        let mut env: Vec<(String, String)> = vec![
            ("HRMESH_TENANT".into(), "acme".into()),
            ("HRMESH_DATABASE__URL".into(), postgres_url(&database)),
            ("HRMESH_DATABASE__MAX_CONNECTIONS".into(), "3".into()),
            ("HRMESH_KAFKA__BROKERS".into(), brokers.clone()),
            ("HRMESH_KAFKA__TOPIC_PREFIX".into(), prefix.clone()),
            ("HRMESH_KAFKA__PARTITIONS".into(), "1".into()),
            ("HRMESH_REDIS__KEY_PREFIX".into(), format!("it-deploy-{unique}:")),
            ("HRMESH_AUTH__KEYS".into(), keys),
            ("HRMESH_GOVERNANCE__PSEUDONYM_KEY".into(), "deploy-test-pseudonym-key-of-32-bytes!!".into()),
            ("HRMESH_GOVERNANCE__SIGNING_KEY".into(), "deploy-test-audit-signing-seed-32-bytes!".into()),
            ("HRMESH_PRIVACY__MASTER_KEY".into(), "deploy-test-person-key-master-32-bytes!!".into()),
            ("HRMESH_EVENTS__MAX_ATTEMPTS".into(), "2".into()),
            ("HRMESH_EVENTS__RETRY_BACKOFF_MS".into(), "10".into()),
            ("HRMESH_EVENTS__RELAY_POLL_MS".into(), "50".into()),
            ("HRMESH_GRPC__DRAIN_GRACE_MS".into(), "100".into()),
            ("HRMESH_TELEMETRY__LOG_FILTER".into(), "warn".into()),
            ("HRMESH_TELEMETRY__OTLP_ENDPOINT".into(), otlp_endpoint.into()),
            ("OTEL_METRIC_EXPORT_INTERVAL".into(), "500".into()),
        ];
        for (service, port) in &ports {
            env.push((format!("HRMESH_PEERS__{}", service.to_uppercase()), format!("http://127.0.0.1:{port}")));
        }
        let logs = tempfile::tempdir().expect("log dir");
        let binary = hrmesh_binary();
        let mut children = Vec::new();
        for service in SERVICES {
            let log = std::fs::File::create(logs.path().join(format!("{service}.log"))).expect("log file");
            let child = Command::new(&binary)
                .args(["serve", service])
                .env_clear()
                .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .env("HRMESH_GRPC__PORT", ports[service].to_string())
                .env("HRMESH_DATA_DIR", logs.path().join(service))
                // As the Helm chart sets them: per-pod series in every panel.
                .env("OTEL_RESOURCE_ATTRIBUTES", format!("service.namespace=hrmesh,k8s.pod.name=hrmesh-{service}-0"))
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log)
                .spawn()
                .expect("start hrmesh serve");
            children.push((service, child));
        }
        let mut bus_config = Config { mode: Mode::Platform, tenant: "acme".into(), ..Config::default() };
        bus_config.kafka.brokers = brokers;
        bus_config.kafka.topic_prefix = prefix;
        let auth = AuthConfig {
            keys: vec![AuthKey { kid: "deploy".into(), algorithm: KeyAlgorithm::HS256, key: Secret::new(SECRET) }],
            ..Config::default().auth
        };
        let issuer = TokenIssuer::from_config(&auth).expect("token issuer");
        let mut platform = Platform { children, ports, logs, database, bus_config, issuer };
        platform.wait_serving().await;
        platform
    }

    async fn wait_serving(&mut self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        for (service, port) in self.ports.clone() {
            loop {
                if let Some((_, child)) = self.children.iter_mut().find(|(s, _)| *s == service)
                    && let Some(status) = child.try_wait().expect("child status")
                {
                    panic!("hrmesh serve {service} exited with {status}:\n{}", self.log(service));
                }
                if health(port).await {
                    break;
                }
                assert!(tokio::time::Instant::now() < deadline, "{service} not SERVING:\n{}", self.log(service));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    fn log(&self, service: &str) -> String {
        std::fs::read_to_string(self.logs.path().join(format!("{service}.log"))).unwrap_or_default()
    }

    async fn channel(&self, service: &str, subject: &str, roles: &[Role]) -> Authed {
        let channel = Channel::from_shared(format!("http://127.0.0.1:{}", self.ports[service]))
            .expect("uri")
            .connect()
            .await
            .expect("connect");
        let token = self.issuer.issue(subject, roles, Duration::from_secs(600)).expect("token");
        let value: MetadataValue<_> = format!("Bearer {token}").parse().expect("header value");
        tonic::service::interceptor::InterceptedService::new(
            channel,
            Box::new(move |mut request: Request<()>| {
                request.metadata_mut().insert("authorization", value.clone());
                Ok(request)
            }) as BearerFn,
        )
    }

    async fn stop(mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let mut admin = sqlx::PgConnection::connect(&postgres_url("postgres")).await.expect("connect");
        let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.database);
        admin.execute(sqlx::AssertSqlSafe(drop)).await.expect("drop test database");
    }
}

impl Drop for Platform {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

type BearerFn = Box<dyn FnMut(Request<()>) -> Result<Request<()>, Status> + Send + Sync>;
type Authed = tonic::service::interceptor::InterceptedService<Channel, BearerFn>;

async fn health(port: u16) -> bool {
    let Ok(channel) = Channel::from_shared(format!("http://127.0.0.1:{port}")).expect("uri").connect().await else {
        return false;
    };
    let mut client = tonic_health::pb::health_client::HealthClient::new(channel);
    let request = tonic_health::pb::HealthCheckRequest { service: String::new() };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), client.check(request)).await,
        Ok(Ok(r)) if r.get_ref().status == tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    )
}

fn application(candidate: &str, job: &str) -> SubmitApplicationRequest {
    SubmitApplicationRequest {
        candidate_id: candidate.into(),
        job_id: job.into(),
        full_name: "Anna de Vries".into(),
        email: "anna@example.nl".into(),
        source: "website".into(),
        idempotency_key: String::new(),
    }
}

/// What the dashboards need that `emitted` lacks, one line each.
fn missing(uses: &BTreeMap<String, Use>, emitted: &Emitted) -> Vec<String> {
    let mut missing = Vec::new();
    for (metric, used) in uses {
        if NOT_YET_EMITTED.contains(&metric.as_str()) {
            continue;
        }
        let Some(labels) = emitted.series.get(metric) else {
            missing.push(format!("{metric} (used by {:?}) was never emitted", used.panels));
            continue;
        };
        for label in &used.labels {
            if !labels.contains_key(label) {
                missing.push(format!("{metric} has no label {label} (has {:?})", labels.keys().collect::<Vec<_>>()));
            }
        }
        for (label, value) in &used.values {
            if !labels.get(label).is_some_and(|values| values.contains(value)) {
                missing.push(format!("{metric} never had {label}=\"{value}\" (saw {:?})", labels.get(label)));
            }
        }
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_a_dashboard_queries_is_emitted_with_its_labels() {
    let uses = dashboard_uses();
    for name in NOT_YET_EMITTED {
        let listed = std::fs::read_to_string(repo_root().join("deploy/METRICS.md")).expect("deploy/METRICS.md");
        assert!(listed.contains(name), "{name} is skipped but not listed in deploy/METRICS.md");
    }
    let (endpoint, exports) = start_collector().await;
    let platform = Platform::start(&endpoint).await;

    // Traffic: applications travel recruiting → governance → analytics.
    let mut recruiting = RecruitingServiceClient::new(platform.channel("recruiting", "hr-1", &[Role::HrAdmin]).await);
    let job = hrmesh_proto::recruiting::v1::CreateJobRequest {
        job_id: "job-metrics".into(),
        title: "Welder".into(),
        must: vec![hrmesh_proto::recruiting::v1::SkillRequirement {
            skill_id: "trades.mig_mag_welding".into(),
            level: 3,
            inferred: false,
        }],
        ..Default::default()
    };
    recruiting.create_job(job).await.expect("job");
    for i in 0..6 {
        recruiting.submit_application(application(&format!("cand-{i}"), "job-metrics")).await.expect("submit");
    }
    // A refused call (candidates may not read analytics).
    let mut analytics = AnalyticsServiceClient::new(platform.channel("analytics", "cand-0", &[Role::Candidate]).await);
    let refused = analytics.get_application_counts(GetApplicationCountsRequest::default()).await;
    assert_eq!(refused.expect_err("candidate reads analytics").code(), Code::PermissionDenied);
    // A consent denial: sentiment analysis needs the employee's opt-in.
    let mut engagement = EngagementServiceClient::new(platform.channel("engagement", "emp-1", &[Role::Employee]).await);
    let request = AnalyzeCommentRequest { employee_id: "emp-1".into(), text: "Het werk is fijn".into() };
    let denied = engagement.analyze_comment(request).await.expect_err("no consent");
    assert_eq!(denied.code(), Code::FailedPrecondition);

    // A suppressed event (forged source) and a poison record (dead letter) on a raw topic.
    let bus = runtime::connect_bus(&platform.bus_config).await.expect("bus");
    let topic = raw_topic("recruiting");
    let payload = CandidateApplied { application_id: "a-1".into(), job_id: "job-forged".into(), source: "x".into() };
    let forged = EventSource { service: "analytics", tenant: "acme".into() }.envelope(
        "cand-f",
        "recruiting.applications",
        &payload,
    );
    let poison = Record { topic: topic.clone(), key: "cand-p".into(), headers: vec![], payload: vec![0xff, 0x13] };
    bus.publish(vec![record(&topic, &forged), poison]).await.expect("publish");

    // Retries: analytics cannot write while its table is away, retries, then dead-letters.
    let db = sqlx::PgPool::connect(&postgres_url(&platform.database)).await.expect("connect");
    eventually("analytics to see the applications", PATIENCE, || {
        let db = db.clone();
        async move {
            let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM analytics.applications_seen")
                .fetch_one(&db)
                .await
                .expect("count");
            (seen >= 6).then_some(())
        }
    })
    .await;
    db.execute("ALTER TABLE analytics.applications_seen RENAME TO applications_seen_away").await.expect("rename");
    recruiting.submit_application(application("cand-r", "job-metrics")).await.expect("submit");
    eventually("analytics to retry", PATIENCE, || {
        let emitted = Emitted::from_exports(&exports.lock().expect("exports"));
        let retried = emitted.series.contains_key("hrmesh_events_retries_total");
        let dead = emitted
            .series
            .get("hrmesh_events_handled_total")
            .and_then(|l| l.get("outcome"))
            .is_some_and(|v| v.contains("dead_letter"));
        std::future::ready((retried && dead).then_some(()))
    })
    .await;
    db.execute("ALTER TABLE analytics.applications_seen_away RENAME TO applications_seen").await.expect("rename back");
    db.close().await;

    // Fairness: 10 women (8 selected) and 10 men (3 selected) at one stage raise an alert.
    let mut service = GovernanceServiceClient::new(platform.channel("governance", "hr-1", &[Role::HrAdmin]).await);
    for (i, group, selected) in (0..10).map(|i| (i, "female", i < 8)).chain((0..10).map(|i| (i, "male", i < 3))) {
        let person = format!("{group}-{i}");
        let mut own = GovernanceServiceClient::new(platform.channel("governance", &person, &[Role::Candidate]).await);
        let attributes = std::collections::HashMap::from([("gender".to_owned(), group.to_owned())]);
        own.report_group_attributes(pb::ReportGroupAttributesRequest { subject: person.clone(), attributes })
            .await
            .expect("report group");
        let decision = pb::RecordDecisionRequest {
            subject: person,
            purpose: "recruiting.applications".into(),
            model_id: "recruiting.matcher".into(),
            model_version: "1.0.0".into(),
            input_hash: "ab".repeat(32),
            output: "recommendation".into(),
            explanation: "skills match".into(),
            legal_effect: true,
            reviewer: "hr-1".into(),
            rationale: "interviewed".into(),
            stage: "screening".into(),
            outcome: if selected { "selected" } else { "rejected" }.into(),
        };
        service.record_decision(decision).await.expect("decision");
    }

    // Consumer lag is reported every 10 s, metrics exported every 0.5 s.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let gaps = loop {
        let emitted = Emitted::from_exports(&exports.lock().expect("exports"));
        let gaps = missing(&uses, &emitted);
        if gaps.is_empty() || tokio::time::Instant::now() > deadline {
            break gaps;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    platform.stop().await;
    assert!(gaps.is_empty(), "dashboards query what the code does not emit:\n{}", gaps.join("\n"));
    // Resource attributes arrive too: every series can be split per service and pod.
    let emitted = Emitted::from_exports(&exports.lock().expect("exports"));
    let rpc = &emitted.series["rpc_server_duration_milliseconds_count"];
    for service in SERVICES {
        assert!(rpc["service_name"].contains(&format!("hrmesh-{service}")), "{service}: {:?}", rpc["service_name"]);
        assert!(rpc["k8s_pod_name"].contains(&format!("hrmesh-{service}-0")), "{service}: {:?}", rpc["k8s_pod_name"]);
    }
}

// ------------------------------------------------------------------------------ AsyncAPI

/// The part of `google.protobuf.FileDescriptorSet` the test reads.
mod descriptor {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct FileDescriptorSet {
        #[prost(message, repeated, tag = "1")]
        pub file: Vec<FileDescriptorProto>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct FileDescriptorProto {
        #[prost(string, tag = "2")]
        pub package: String,
        #[prost(message, repeated, tag = "4")]
        pub message_type: Vec<DescriptorProto>,
        #[prost(message, optional, tag = "9")]
        pub source_code_info: Option<SourceCodeInfo>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct DescriptorProto {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(message, repeated, tag = "2")]
        pub field: Vec<FieldDescriptorProto>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct FieldDescriptorProto {
        #[prost(string, tag = "1")]
        pub name: String,
        #[prost(int32, tag = "3")]
        pub number: i32,
        #[prost(int32, tag = "4")]
        pub label: i32,
        #[prost(int32, tag = "5")]
        pub r#type: i32,
        #[prost(string, tag = "6")]
        pub type_name: String,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct SourceCodeInfo {
        #[prost(message, repeated, tag = "1")]
        pub location: Vec<Location>,
    }
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Location {
        #[prost(int32, repeated, tag = "1")]
        pub path: Vec<i32>,
        #[prost(string, tag = "3")]
        pub leading_comments: String,
        #[prost(string, repeated, tag = "6")]
        pub leading_detached_comments: Vec<String>,
    }
}

/// One top-level message of the compiled protos.
#[derive(Debug)]
struct ProtoMessage {
    package: String,
    /// (name, number, type as written in the .proto, repeated)
    fields: Vec<(String, i64, String, bool)>,
    comment: String,
    detached: Vec<String>,
}

fn proto_messages() -> Vec<(String, ProtoMessage)> {
    let set = descriptor::FileDescriptorSet::decode(hrmesh_proto::FILE_DESCRIPTOR_SET).expect("descriptor set");
    let mut out = Vec::new();
    for file in set.file {
        let locations = file.source_code_info.map(|s| s.location).unwrap_or_default();
        for (index, message) in file.message_type.into_iter().enumerate() {
            let path = [4, i32::try_from(index).expect("index")];
            let location = locations.iter().find(|l| l.path == path);
            let fields = message
                .field
                .iter()
                .map(|f| (f.name.clone(), i64::from(f.number), proto_type(f), f.label == 3))
                .collect();
            out.push((
                format!("{}.{}", file.package, message.name),
                ProtoMessage {
                    package: file.package.clone(),
                    fields,
                    comment: location.map(|l| l.leading_comments.trim().to_owned()).unwrap_or_default(),
                    detached: location.map(|l| l.leading_detached_comments.clone()).unwrap_or_default(),
                },
            ));
        }
    }
    out
}

/// The field's type as the .proto spells it (message types by their short name within the package).
fn proto_type(field: &descriptor::FieldDescriptorProto) -> String {
    const SCALARS: [&str; 19] = [
        "", "double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string", "group", "message",
        "bytes", "uint32", "enum", "sfixed32", "sfixed64", "sint32", "sint64",
    ];
    match field.r#type {
        11 | 14 => field.type_name.trim_start_matches('.').to_owned(),
        t => SCALARS[usize::try_from(t).expect("type")].to_owned(),
    }
}

/// Reads the block-style YAML `scripts/gen-asyncapi.py` writes: maps, lists, plain or
/// JSON-quoted scalars, `{}` and `[]`.
fn parse_yaml(text: &str) -> Value {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| (l.len() - l.trim_start().len(), l.trim_start()))
        .collect();
    let mut pos = 0;
    parse_block(&lines, &mut pos, 0)
}

fn parse_block(lines: &[(usize, &str)], pos: &mut usize, indent: usize) -> Value {
    if lines[*pos].1.starts_with('-') {
        let mut items = Vec::new();
        while *pos < lines.len() && lines[*pos].0 == indent && lines[*pos].1.starts_with('-') {
            let rest = lines[*pos].1[1..].trim();
            *pos += 1;
            if rest.is_empty() {
                let child = lines[*pos].0;
                items.push(parse_block(lines, pos, child));
            } else {
                items.push(yaml_scalar(rest));
            }
        }
        return Value::Array(items);
    }
    let mut map = serde_json::Map::new();
    while *pos < lines.len() && lines[*pos].0 == indent {
        let line = lines[*pos].1;
        let (key, rest) = if line.starts_with('"') {
            let mut de = serde_json::Deserializer::from_str(line).into_iter::<String>();
            let key = de.next().expect("quoted key").expect("valid quoted key");
            let rest = line[de.byte_offset()..].trim_start_matches(':').trim();
            (key, rest)
        } else {
            let (key, rest) = line.split_once(':').expect("key: value");
            (key.to_owned(), rest.trim())
        };
        *pos += 1;
        let value = if !rest.is_empty() {
            yaml_scalar(rest)
        } else if *pos < lines.len() && lines[*pos].0 > indent {
            let child = lines[*pos].0;
            parse_block(lines, pos, child)
        } else {
            Value::Null
        };
        map.insert(key, value);
    }
    Value::Object(map)
}

fn yaml_scalar(text: &str) -> Value {
    match text {
        "{}" => Value::Object(serde_json::Map::new()),
        "[]" => Value::Array(Vec::new()),
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ if text.starts_with('"') => Value::String(serde_json::from_str(text).expect("quoted scalar")),
        _ => text.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(text.to_owned())),
    }
}

#[test]
fn yaml_reader_reads_what_the_generator_writes() {
    let doc = parse_yaml("# c\na: 1\nb:\n  - x\n  -\n    c: \"d: e\"\n    \"f.g\": []\nh: {}\n");
    assert_eq!(doc, serde_json::json!({"a": 1, "b": ["x", {"c": "d: e", "f.g": []}], "h": {}}));
}

/// The component message names a channel carries (their `name`: the protobuf type).
fn channel_types(doc: &Value, address: &str) -> BTreeSet<String> {
    let channel = doc["channels"]
        .as_object()
        .expect("channels")
        .values()
        .find(|c| c["address"] == address)
        .unwrap_or_else(|| panic!("no channel {address}"));
    channel["messages"]
        .as_object()
        .expect("messages")
        .values()
        .map(|m| {
            let reference = m["$ref"].as_str().expect("$ref");
            let key = reference.strip_prefix("#/components/messages/").expect("component message");
            doc["components"]["messages"][key]["name"].as_str().expect("message name").to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asyncapi_matches_the_protos_and_the_purposes_registry() {
    let doc = parse_yaml(&std::fs::read_to_string(repo_root().join("deploy/asyncapi.yaml")).expect("asyncapi.yaml"));
    assert_eq!(doc["asyncapi"], "3.0.0");
    let messages = proto_messages();
    let by_name: BTreeMap<&str, &ProtoMessage> = messages.iter().map(|(n, m)| (n.as_str(), m)).collect();

    // Which messages are events, as the protos document them.
    let mut raw: BTreeMap<String, BTreeSet<String>> =
        hrmesh_proto::registry::domain_services().map(|s| (s.to_owned(), BTreeSet::new())).collect();
    let mut governance_topic = BTreeSet::new();
    let mut in_governance_section = false;
    for (name, message) in &messages {
        let service = message.package.split('.').nth(1).expect("hrmesh.<service>.v1");
        if message.detached.iter().any(|d| d.contains("events on hr.governance.v1")) {
            in_governance_section = true;
        }
        if service == "governance" && in_governance_section {
            governance_topic.insert(name.clone());
        } else if message.comment.starts_with("Event (each service's raw topic)") {
            raw.values_mut().for_each(|types| {
                types.insert(name.clone());
            });
        } else if message.comment.starts_with("Event:")
            && let Some(types) = raw.get_mut(service)
        {
            types.insert(name.clone());
        }
    }
    assert!(governance_topic.contains("hrmesh.governance.v1.AdverseImpactAlert"), "{governance_topic:?}");
    for (service, types) in &raw {
        assert_eq!(channel_types(&doc, &raw_topic(service)), *types, "hr.{service}.v1");
    }
    assert_eq!(channel_types(&doc, hrmesh_kit::events::GOVERNANCE_TOPIC), governance_topic);

    // Governed topics: exactly what the running governance service forwards, with its fields.
    let app = TestApp::spawn(RunMode::Embedded).await;
    let mut gov = GovernanceServiceClient::new(app.authed("governance", "dpo-1", &[Role::Dpo]).await);
    let purposes = gov.list_purposes(pb::ListPurposesRequest {}).await.expect("purposes").into_inner().purposes;
    // Every topic the services create is in the catalogue (dead letters: one per consumer group).
    let log = format!("sqlite://{}?mode=ro", app.config.data_dir.join("events.db").display());
    let mut log = sqlx::SqliteConnection::connect(&log).await.expect("embedded event log");
    let created: BTreeSet<String> = sqlx::query_scalar("SELECT name FROM event_topics")
        .fetch_all(&mut log)
        .await
        .expect("topics")
        .into_iter()
        .collect();
    log.close().await.expect("close event log");
    app.stop().await;
    let mut catalogued = BTreeSet::new();
    for channel in doc["channels"].as_object().expect("channels").values() {
        let address = channel["address"].as_str().expect("address");
        match channel["parameters"].as_object() {
            Some(parameters) => {
                let (name, parameter) = parameters.iter().next().expect("one parameter");
                for value in parameter["enum"].as_array().expect("parameter enum") {
                    let value = value.as_str().expect("enum value");
                    catalogued.insert(address.replace(&format!("{{{name}}}"), value));
                }
            }
            None => {
                catalogued.insert(address.to_owned());
            }
        }
    }
    assert_eq!(catalogued, created, "AsyncAPI channels vs the topics hrmesh creates");
    let mut governed: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for purpose in &purposes {
        for event in &purpose.events {
            let service = event.r#type.split('.').nth(1).expect("hrmesh.<service>.v1.Type").to_owned();
            assert!(
                raw[&service].contains(&event.r#type),
                "{} is governed but no raw event of {service}",
                event.r#type
            );
            governed.entry(service).or_default().insert(event.r#type.clone(), event.fields.iter().cloned().collect());
        }
    }
    for service in hrmesh_proto::registry::domain_services() {
        let expected: BTreeSet<String> = governed.get(service).map(|t| t.keys().cloned().collect()).unwrap_or_default();
        assert_eq!(
            channel_types(&doc, &hrmesh_kit::events::governed_topic(service)),
            expected,
            "hr.governed.{service}.v1"
        );
    }

    // Every schema with a protobuf message matches it field by field.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut checked = 0;
    for (key, schema) in schemas {
        let Some(full) = schema["x-protobuf-message"].as_str() else { continue };
        let message = by_name.get(full).unwrap_or_else(|| panic!("{key}: no proto message {full}"));
        let properties = schema["properties"].as_object().expect("properties");
        let documented: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
        let declared: BTreeSet<&str> = message.fields.iter().map(|f| f.0.as_str()).collect();
        if key.ends_with(".governed") {
            let service = full.split('.').nth(1).expect("service");
            let kept = &governed[service][full];
            assert_eq!(documented, kept.iter().map(String::as_str).collect(), "{key}: governed fields");
        } else {
            assert_eq!(documented, declared, "{key}: fields");
        }
        for (name, number, ty, repeated) in &message.fields {
            let Some(property) = properties.get(name) else { continue };
            assert_eq!(property["x-protobuf-field"], *number, "{key}.{name}: field number");
            let written = property["x-protobuf-type"].as_str().expect("x-protobuf-type");
            let written_type = written.trim_start_matches("repeated ");
            let same_type = written_type == ty
                || (ty.ends_with(&format!(".{written_type}")) && !written_type.contains('<'))
                || (written_type.starts_with("map<") && ty.ends_with("Entry"));
            assert!(same_type, "{key}.{name}: {written} in AsyncAPI, {ty} in the proto");
            assert_eq!(
                written.starts_with("repeated "),
                *repeated && !written_type.starts_with("map<"),
                "{key}.{name}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} protobuf schemas in the AsyncAPI document");
}

// ------------------------------------------------------------------------- chart config

/// The ConfigMap's `hrmesh.toml` and the governance container's `HRMESH_AUTH__KEYS` from the
/// rendered chart.
fn rendered_chart() -> (String, String) {
    let base = std::fs::read_to_string(repo_root().join("deploy/kustomize/base/hrmesh.yaml")).expect("kustomize base");
    config_and_keys(&base)
}

/// The ConfigMap's hrmesh.toml and the HRMESH_AUTH__KEYS value of a rendered chart.
fn config_and_keys(base: &str) -> (String, String) {
    let mut lines = base.lines();
    lines.find(|l| l.trim() == "hrmesh.toml: |").expect("ConfigMap with hrmesh.toml");
    let toml: Vec<&str> = lines.take_while(|l| l.starts_with("    ") || l.trim().is_empty()).collect();
    let toml = toml.iter().map(|l| l.get(4..).unwrap_or_default()).collect::<Vec<_>>().join("\n");
    let mut lines = base.lines();
    lines.find(|l| l.trim() == "- name: HRMESH_AUTH__KEYS").expect("HRMESH_AUTH__KEYS");
    let value = lines.next().expect("value line").trim().strip_prefix("value: ").expect("value: \"...\"");
    (toml, serde_json::from_str::<String>(value).expect("quoted value"))
}

#[test]
fn helm_chart_configuration_is_accepted_by_hrmesh() {
    let (toml, keys) = rendered_chart();
    assert!(toml.contains("mode = \"platform\""), "{toml}");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hrmesh.toml");
    std::fs::write(&path, &toml).expect("write config");
    // Kubernetes substitutes $(SECRET_AUTH_KEY_0) from the Secret before hrmesh starts.
    let keys = keys.replace("$(SECRET_AUTH_KEY_0)", SECRET);
    let output = Command::new(hrmesh_binary())
        .args(["token", "--role", "hr_admin"])
        .env_clear()
        .env("HRMESH_CONFIG", &path)
        .env("HRMESH_AUTH__KEYS", keys)
        .output()
        .expect("run hrmesh token");
    assert!(
        output.status.success(),
        "hrmesh rejects the chart's configuration:\n{}\n{toml}",
        String::from_utf8_lossy(&output.stderr)
    );
    let config = Config::load(Some(&path));
    // Without the keys from Secrets the file alone is incomplete, and says which key is missing.
    assert!(config.expect_err("no auth keys in the file").to_string().contains("auth.keys"));
}

/// The chart with every feature (Kafka over SASL_SSL with a CA from a Secret, EdDSA and HS256
/// keys, …) renders a configuration hrmesh accepts once the pod's Secrets are in place — and
/// without the SASL password from the Secret hrmesh names what is missing.
#[test]
fn helm_all_features_configuration_is_accepted_by_hrmesh() {
    let cache = std::env::var("HRMESH_CACHE")
        .unwrap_or_else(|_| format!("{}/.cache/hrmesh", std::env::var("HOME").unwrap_or_else(|_| "/root".into())));
    let helm = PathBuf::from(cache).join("bin/helm");
    assert!(
        helm.exists(),
        "helm is installed by scripts/lint-deploy.sh (run scripts/test.sh once): {}",
        helm.display()
    );
    let root = repo_root();
    let rendered = Command::new(&helm)
        .args(["template", "hrmesh"])
        .arg(root.join("helm/hrmesh"))
        .arg("-f")
        .arg(root.join("helm/hrmesh/ci/all-features-values.yaml"))
        .output()
        .expect("helm template");
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    let (toml, keys) = config_and_keys(&String::from_utf8_lossy(&rendered.stdout));
    assert!(
        toml.contains("security_protocol = \"sasl_ssl\"") && toml.contains("sasl_mechanism = \"SCRAM-SHA-512\""),
        "{toml}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    // The pod mounts the CA Secret at this path; here a file stands in for it.
    let ca = dir.path().join("ca.crt");
    std::fs::write(&ca, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n").expect("ca");
    let toml = toml.replace("/etc/hrmesh/kafka/ca/ca.crt", &ca.display().to_string());
    let path = dir.path().join("hrmesh.toml");
    std::fs::write(&path, &toml).expect("write config");
    let keys = (0..4).fold(keys, |k, i| k.replace(&format!("$(SECRET_AUTH_KEY_{i})"), SECRET));
    let run = |password: Option<&str>| {
        let mut command = Command::new(hrmesh_binary());
        command
            .args(["token", "--role", "hr_admin"])
            .env_clear()
            .env("HRMESH_CONFIG", &path)
            .env("HRMESH_AUTH__KEYS", &keys)
            .env("HRMESH_PRIVACY__MASTER_KEY", SECRET)
            .env("HRMESH_KAFKA__SASL_USERNAME", "hrmesh-recruiting");
        if let Some(p) = password {
            command.env("HRMESH_KAFKA__SASL_PASSWORD", p);
        }
        command.output().expect("run hrmesh token")
    };
    let accepted = run(Some("from-the-secret"));
    assert!(
        accepted.status.success(),
        "hrmesh rejects the chart's configuration:\n{}\n{toml}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    let refused = run(None);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("HRMESH_KAFKA__SASL_PASSWORD"), "{stderr}");
}
