//! Tracing, OpenTelemetry and W3C trace-context propagation, set up once per process.
//!
//! Spans always carry OpenTelemetry context (so logs and internal errors name a trace id and
//! events carry a `traceparent`); traces and metrics are exported over OTLP only when
//! `telemetry.otlp_endpoint` is set.

use std::{collections::HashMap, sync::OnceLock};

use opentelemetry::{
    Context, KeyValue, global,
    metrics::{Counter, Gauge, Histogram},
    propagation::{Extractor, Injector, TextMapPropagator},
    trace::{TraceContextExt, TracerProvider as _},
};
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::{
    Resource, metrics::SdkMeterProvider, propagation::TraceContextPropagator, trace::SdkTracerProvider,
};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::{EnvFilter, Layer, layer::SubscriberExt, util::SubscriberInitExt};

use crate::config::{LogFormat, TelemetryConfig};

/// Keeps exporters alive; flushes them when dropped at the end of `main`.
#[derive(Debug, Default)]
pub struct TelemetryGuard {
    tracer: Option<SdkTracerProvider>,
    meter: Option<SdkMeterProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(t) = self.tracer.take() {
            let _ = t.shutdown();
        }
        if let Some(m) = self.meter.take() {
            let _ = m.shutdown();
        }
    }
}

/// Installs the global subscriber. Calling it again (tests) is a no-op returning an empty guard.
pub fn init(service_name: &str, config: &TelemetryConfig) -> anyhow::Result<TelemetryGuard> {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.set(()).is_err() {
        return Ok(TelemetryGuard::default());
    }
    global::set_text_map_propagator(TraceContextPropagator::new());
    let resource = Resource::builder().with_service_name(service_name.to_owned()).build();

    let mut tracer_builder = SdkTracerProvider::builder().with_resource(resource.clone());
    let mut meter = None;
    if let Some(endpoint) = &config.otlp_endpoint {
        let spans = opentelemetry_otlp::SpanExporter::builder().with_tonic().with_endpoint(endpoint).build()?;
        tracer_builder = tracer_builder.with_batch_exporter(spans);
        let metrics = opentelemetry_otlp::MetricExporter::builder().with_tonic().with_endpoint(endpoint).build()?;
        let provider = SdkMeterProvider::builder().with_resource(resource).with_periodic_exporter(metrics).build();
        global::set_meter_provider(provider.clone());
        meter = Some(provider);
    }
    let tracer_provider = tracer_builder.build();
    let tracer = tracer_provider.tracer("hrmesh");
    global::set_tracer_provider(tracer_provider.clone());

    let filter = EnvFilter::try_new(&config.log_filter)
        .map_err(|e| anyhow::anyhow!("telemetry.log_filter {:?} is not a valid filter: {e}", config.log_filter))?;
    // Spans always feed OpenTelemetry (trace ids in errors, traceparent on events); the log
    // filter only decides what is printed.
    let otel =
        tracing_opentelemetry::layer().with_tracer(tracer).with_filter(tracing_subscriber::filter::LevelFilter::INFO);
    let registry = tracing_subscriber::registry().with(otel);
    match config.log_format {
        LogFormat::Text => registry.with(tracing_subscriber::fmt::layer().with_filter(filter)).try_init()?,
        LogFormat::Json => registry.with(tracing_subscriber::fmt::layer().json().with_filter(filter)).try_init()?,
    }
    Ok(TelemetryGuard { tracer: Some(tracer_provider), meter })
}

/// Trace id of the current span, for log lines and error messages.
pub fn current_trace_id() -> String {
    tracing::Span::current().context().span().span_context().trace_id().to_string()
}

/// W3C `traceparent` of the current span, if it is being traced.
pub fn current_traceparent() -> String {
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&tracing::Span::current().context(), &mut carrier);
    carrier.remove("traceparent").unwrap_or_default()
}

/// Makes `span` a child of the remote operation named by `traceparent` (ignored if malformed).
pub fn set_remote_parent(span: &tracing::Span, traceparent: &str) {
    if traceparent.is_empty() {
        return;
    }
    let carrier = HashMap::from([("traceparent".to_owned(), traceparent.to_owned())]);
    let cx: Context = TraceContextPropagator::new().extract(&carrier);
    let _ = span.set_parent(cx);
}

/// Reads the trace context from gRPC/HTTP headers.
pub struct HeaderExtractor<'a>(pub &'a http::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

/// Writes the current trace context into outgoing gRPC metadata.
pub fn inject_grpc(metadata: &mut tonic::metadata::MetadataMap) {
    struct MetadataInjector<'a>(&'a mut tonic::metadata::MetadataMap);
    impl Injector for MetadataInjector<'_> {
        fn set(&mut self, key: &str, value: String) {
            if let (Ok(k), Ok(v)) = (
                tonic::metadata::MetadataKey::from_bytes(key.as_bytes()),
                tonic::metadata::MetadataValue::try_from(value.as_str()),
            ) {
                self.0.insert(k, v);
            }
        }
    }
    TraceContextPropagator::new().inject_context(&tracing::Span::current().context(), &mut MetadataInjector(metadata));
}

/// Span for one incoming gRPC call, child of the caller's trace when it sent a `traceparent`.
pub fn grpc_server_span(request: &http::Request<()>) -> tracing::Span {
    let path = request.uri().path();
    let (service, method) = path.trim_start_matches('/').split_once('/').unwrap_or((path, ""));
    let span = tracing::info_span!(
        "grpc.request",
        otel.name = %path,
        otel.kind = "server",
        rpc.system = "grpc",
        rpc.service = %service,
        rpc.method = %method,
    );
    let cx = TraceContextPropagator::new().extract(&HeaderExtractor(request.headers()));
    let _ = span.set_parent(cx);
    span
}

/// The instruments hrmesh records; names follow OpenTelemetry semantic conventions where one exists.
#[derive(Debug)]
pub struct Metrics {
    /// `rpc.server.duration` (ms) by `rpc.service`, `rpc.method`, `rpc.grpc.status_code`.
    pub rpc_duration: Histogram<f64>,
    /// `hrmesh.outbox.backlog`: rows waiting in a service's outbox, by `service`.
    pub outbox_backlog: Gauge<u64>,
    /// `hrmesh.outbox.published`: events handed to the bus, by `service`.
    pub outbox_published: Counter<u64>,
    /// `hrmesh.events.handled`: consumed events by `consumer` and `outcome` (`ok`, `duplicate`, `dead_letter`).
    pub events_handled: Counter<u64>,
    /// `hrmesh.events.retries`: handler attempts that failed and were retried, by `consumer`.
    pub event_retries: Counter<u64>,
    /// `hrmesh.consumer.lag`: events not yet handled, by `consumer` and `topic`.
    pub consumer_lag: Gauge<u64>,
    /// `hrmesh.access.denied`: calls refused for a missing role.
    pub access_denied: Counter<u64>,
    /// `hrmesh.governance.events`: raw events governance decided on, by `outcome`
    /// (`forwarded`, `suppressed`) and `reason` (`ok`, `unknown_purpose`, `no_consent`, ...).
    pub governance_events: Counter<u64>,
    /// `hrmesh.consent.denials`: AI functions refused for missing consent, by `service` and `purpose`.
    pub consent_denials: Counter<u64>,
    /// `hrmesh.adverse_impact.ratio`: four-fifths ratio by `stage`, `attribute` and `group`.
    pub adverse_impact_ratio: Gauge<f64>,
    /// `hrmesh.adverse_impact.alerts`: ratios that fell below 0.8, by `stage` and `attribute`.
    pub adverse_impact_alerts: Counter<u64>,
}

/// The process-wide instruments (no-ops until an OTLP endpoint is configured).
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let meter = global::meter("hrmesh");
        Metrics {
            rpc_duration: meter.f64_histogram("rpc.server.duration").with_unit("ms").build(),
            outbox_backlog: meter.u64_gauge("hrmesh.outbox.backlog").build(),
            outbox_published: meter.u64_counter("hrmesh.outbox.published").build(),
            events_handled: meter.u64_counter("hrmesh.events.handled").build(),
            event_retries: meter.u64_counter("hrmesh.events.retries").build(),
            consumer_lag: meter.u64_gauge("hrmesh.consumer.lag").build(),
            access_denied: meter.u64_counter("hrmesh.access.denied").build(),
            governance_events: meter.u64_counter("hrmesh.governance.events").build(),
            consent_denials: meter.u64_counter("hrmesh.consent.denials").build(),
            adverse_impact_ratio: meter.f64_gauge("hrmesh.adverse_impact.ratio").build(),
            adverse_impact_alerts: meter.u64_counter("hrmesh.adverse_impact.alerts").build(),
        }
    })
}

/// Shorthand for one metric label.
pub fn label(key: &'static str, value: impl Into<opentelemetry::Value>) -> KeyValue {
    KeyValue::new(key, value)
}
