//! The gRPC server every hrmesh process runs: the services' routes plus health and reflection,
//! per-call spans (continuing the caller's W3C trace) and RPC metrics, a deadline on every call,
//! and graceful shutdown: health turns NOT_SERVING, the grace period lets load balancers notice,
//! in-flight calls drain until the drain deadline.
//!
//! The same routes are also served on a loopback listener that the process's own services call
//! each other through. It closes only after the public listener has drained, so a call in flight
//! that calls another service of this process still reaches it during shutdown.

use std::{
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll},
    time::{Duration, Instant},
};

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tonic::{
    service::Routes,
    transport::{Server, server::TcpIncoming},
};
use tonic_health::{ServingStatus, server::HealthReporter};

use crate::telemetry::{grpc_server_span, label, metrics};

/// A bound listener and the routes to serve on it.
pub struct GrpcServer {
    listener: TcpListener,
    internal: TcpListener,
    routes: Routes,
    health: HealthReporter,
    /// Names of the gRPC services whose health is reported (besides the overall "").
    service_names: Vec<&'static str>,
    refusals: Option<tokio::sync::mpsc::Sender<Refusal>>,
}

/// A call refused before it reached a service (no or an invalid token), for the audit trail.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// `/package.Service/Method`.
    pub rpc: String,
    pub reason: String,
}

/// Timing of shutdown.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Deadline of every call.
    pub request_timeout: Duration,
    /// NOT_SERVING before the listener closes.
    pub grace: Duration,
    /// How long calls in flight may still take after the listener closed.
    pub drain: Duration,
}

impl GrpcServer {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn listen(addr: SocketAddr) -> anyhow::Result<TcpListener> {
        TcpListener::bind(addr).await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {addr}: {e} (set grpc.port / HRMESH_GRPC__PORT to a free port)")
        })
    }

    /// The loopback listener the process's services call each other through.
    pub async fn listen_internal() -> anyhow::Result<TcpListener> {
        Self::listen(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Serves `routes` on `listener` and `internal`, with health and reflection; refused logins
    /// are sent to `refusals`.
    pub fn new(
        listener: TcpListener,
        internal: TcpListener,
        routes: Routes,
        service_names: Vec<&'static str>,
        refusals: Option<tokio::sync::mpsc::Sender<Refusal>>,
    ) -> anyhow::Result<Self> {
        let (health, health_service) = tonic_health::server::health_reporter();
        // Reflection lists only what this process serves (platform mode runs one service each).
        let reflection = || {
            let mut builder = tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(hrmesh_proto::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
                .with_service_name("grpc.health.v1.Health");
            for name in &service_names {
                builder = builder.with_service_name(*name);
            }
            builder
        };
        let reflection_v1 = reflection().build_v1()?;
        let reflection_v1alpha = reflection().build_v1alpha()?;
        let routes = routes.add_service(health_service).add_service(reflection_v1).add_service(reflection_v1alpha);
        Ok(Self { listener, internal, routes, health, service_names, refusals })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown`; then reports NOT_SERVING, waits the grace period, stops
    /// accepting and waits for in-flight calls until the drain deadline.
    pub async fn serve(self, shutdown: CancellationToken, timing: Timing) -> anyhow::Result<()> {
        let health = self.health.clone();
        health.set_service_status("", ServingStatus::Serving).await;
        for name in &self.service_names {
            health.set_service_status(*name, ServingStatus::Serving).await;
        }
        let names = self.service_names.clone();
        let grace = timing.grace;
        let stopping = shutdown.clone();
        let signal = async move {
            stopping.cancelled().await;
            health.set_service_status("", ServingStatus::NotServing).await;
            for name in &names {
                health.set_service_status(*name, ServingStatus::NotServing).await;
            }
            tracing::info!(grace_ms = grace.as_millis() as u64, "shutting down: health is NOT_SERVING, draining");
            tokio::time::sleep(grace).await;
        };
        let builder = || {
            Server::builder()
                .timeout(timing.request_timeout)
                .trace_fn(grpc_server_span)
                .layer(tower::layer::layer_fn({
                    let refusals = self.refusals.clone();
                    move |inner| RpcMetrics { inner, refusals: refusals.clone() }
                }))
                .add_routes(self.routes.clone())
        };
        let public_done = CancellationToken::new();
        let internal_stop = public_done.clone();
        // Without TCP_NODELAY a small response waits for the peer's delayed ACK (~40 ms a call).
        let incoming = |listener: TcpListener| TcpIncoming::from(listener).with_nodelay(Some(true));
        let internal = builder().serve_with_incoming_shutdown(incoming(self.internal), internal_stop.cancelled_owned());
        let internal = tokio::spawn(internal);
        let public = builder().serve_with_incoming_shutdown(incoming(self.listener), signal);
        let deadline = async {
            shutdown.cancelled().await;
            tokio::time::sleep(timing.grace + timing.drain).await;
        };
        let served = tokio::select! {
            served = public => served.map_err(anyhow::Error::from),
            () = deadline => {
                tracing::warn!(
                    drain_ms = timing.drain.as_millis() as u64,
                    "drain deadline passed: stopping with calls still in flight"
                );
                Ok(())
            }
        };
        public_done.cancel();
        // The internal listener's calls belong to public calls that have finished or been given up.
        match tokio::time::timeout(Duration::from_secs(1), internal).await {
            Ok(Ok(Err(e))) => tracing::warn!(error = %e, "internal listener failed"),
            Ok(_) => {}
            Err(_) => tracing::warn!("internal listener did not drain in time"),
        }
        served
    }
}

/// Records `rpc.server.duration` for every call, reports refused logins, and answers a request
/// that is not valid protobuf with INVALID_ARGUMENT (tonic reports it as INTERNAL, which would
/// blame the server for the client's bytes).
#[derive(Clone)]
struct RpcMetrics<S> {
    inner: S,
    refusals: Option<tokio::sync::mpsc::Sender<Refusal>>,
}

/// How tonic's codec begins its message when the request bytes do not decode.
const DECODE_FAILURES: [&str; 3] =
    ["failed to decode Protobuf message", "protocol error:", "Unexpected EOF decoding stream"];

/// Rewrites a trailers-only INTERNAL decode failure to INVALID_ARGUMENT.
fn classify_decode_failure(headers: &mut http::HeaderMap) {
    let is_internal = headers.get("grpc-status").is_some_and(|v| v.as_bytes() == b"13");
    let message = headers.get("grpc-message").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let decoded = percent_decoded(message);
    if is_internal && DECODE_FAILURES.iter().any(|p| decoded.starts_with(p)) {
        headers.insert("grpc-status", http::HeaderValue::from_static("3"));
        headers.insert(
            "grpc-message",
            http::HeaderValue::from_static("the request is not a valid protobuf message for this method"),
        );
    }
}

/// `grpc-message` is percent-encoded (gRPC over HTTP/2, "Status-Message").
fn percent_decoded(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl<S, B, R> tower::Service<http::Request<B>> for RpcMetrics<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>> + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let path = request.uri().path().to_owned();
        let started = Instant::now();
        let future = self.inner.call(request);
        let refusals = self.refusals.clone();
        Box::pin(async move {
            let mut response = future.await;
            if let Ok(r) = &mut response {
                classify_decode_failure(r.headers_mut());
                let unauthenticated = r.headers().get("grpc-status").is_some_and(|v| v.as_bytes() == b"16");
                if unauthenticated && let Some(sink) = &refusals {
                    let reason = r.headers().get("grpc-message").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    let refusal = Refusal { rpc: path.clone(), reason: percent_decoded(reason) };
                    tracing::warn!(target: "hrmesh::audit", rpc = %refusal.rpc, reason = %refusal.reason, "login refused");
                    // A flood of bad tokens must not queue without bound: beyond the buffer they
                    // are counted in the log and metrics only.
                    if sink.try_send(refusal).is_err() {
                        metrics().access_denied.add(1, &[]);
                    }
                }
            }
            let (service, method) = path.trim_start_matches('/').split_once('/').unwrap_or((&path, ""));
            // Errors are sent trailers-only, so the code is in the headers; success has none there.
            let code = match &response {
                Ok(r) => r.headers().get("grpc-status").and_then(|v| v.to_str().ok()).unwrap_or("0").to_owned(),
                Err(_) => "13".to_owned(),
            };
            metrics().rpc_duration.record(
                started.elapsed().as_secs_f64() * 1000.0,
                &[
                    label("rpc.system", "grpc"),
                    label("rpc.service", service.to_owned()),
                    label("rpc.method", method.to_owned()),
                    label("rpc.grpc.status_code", code),
                ],
            );
            response
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undecodable_request_is_invalid_argument_not_internal() {
        let mut headers = http::HeaderMap::new();
        headers.insert("grpc-status", http::HeaderValue::from_static("13"));
        headers.insert(
            "grpc-message",
            http::HeaderValue::from_static("failed%20to%20decode%20Protobuf%20message:%20invalid%20wire%20type"),
        );
        classify_decode_failure(&mut headers);
        assert_eq!(headers["grpc-status"], "3");
        let mut internal = http::HeaderMap::new();
        internal.insert("grpc-status", http::HeaderValue::from_static("13"));
        internal.insert("grpc-message", http::HeaderValue::from_static("internal%20error%20(trace%20id%20x)"));
        classify_decode_failure(&mut internal);
        assert_eq!(internal["grpc-status"], "13", "a server fault stays INTERNAL");
    }

    #[test]
    fn percent_decoding_follows_the_grpc_spec() {
        assert_eq!(percent_decoded("a%20b%25c%E2%82%AC"), "a b%c€");
        assert_eq!(percent_decoded("100%"), "100%");
    }
}
