//! The gRPC server every hrmesh process runs: the services' routes plus health and reflection,
//! per-call spans (continuing the caller's W3C trace) and RPC metrics, and graceful shutdown:
//! health turns NOT_SERVING, the grace period lets load balancers notice, in-flight calls drain.

use std::{
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll},
    time::{Duration, Instant},
};

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tokio_util::sync::CancellationToken;
use tonic::{service::Routes, transport::Server};
use tonic_health::{ServingStatus, server::HealthReporter};

use crate::telemetry::{grpc_server_span, label, metrics};

/// A bound listener and the routes to serve on it.
pub struct GrpcServer {
    listener: TcpListener,
    routes: Routes,
    health: HealthReporter,
    /// Names of the gRPC services whose health is reported (besides the overall "").
    service_names: Vec<&'static str>,
}

impl GrpcServer {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn listen(addr: SocketAddr) -> anyhow::Result<TcpListener> {
        TcpListener::bind(addr).await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {addr}: {e} (set grpc.port / HRMESH_GRPC__PORT to a free port)")
        })
    }

    /// Serves `routes` on `listener`, with health and reflection.
    pub fn new(listener: TcpListener, routes: Routes, service_names: Vec<&'static str>) -> anyhow::Result<Self> {
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
        Ok(Self { listener, routes, health, service_names })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown`; then reports NOT_SERVING, waits `grace`, stops accepting and
    /// waits for in-flight calls.
    pub async fn serve(self, shutdown: CancellationToken, grace: Duration) -> anyhow::Result<()> {
        let health = self.health.clone();
        health.set_service_status("", ServingStatus::Serving).await;
        for name in &self.service_names {
            health.set_service_status(*name, ServingStatus::Serving).await;
        }
        let names = self.service_names.clone();
        let signal = async move {
            shutdown.cancelled().await;
            health.set_service_status("", ServingStatus::NotServing).await;
            for name in &names {
                health.set_service_status(*name, ServingStatus::NotServing).await;
            }
            tracing::info!(grace_ms = grace.as_millis() as u64, "shutting down: health is NOT_SERVING, draining");
            tokio::time::sleep(grace).await;
        };
        Server::builder()
            .trace_fn(grpc_server_span)
            .layer(tower::layer::layer_fn(|inner| RpcMetrics { inner }))
            .add_routes(self.routes)
            .serve_with_incoming_shutdown(TcpListenerStream::new(self.listener), signal)
            .await?;
        Ok(())
    }
}

/// Records `rpc.server.duration` for every call.
#[derive(Clone)]
struct RpcMetrics<S> {
    inner: S,
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
        Box::pin(async move {
            let response = future.await;
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
