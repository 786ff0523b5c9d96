//! Analytics: aggregates computed from governed (pseudonymised, minimised) streams only; this
//! service never subscribes to a raw topic. It keeps a feature store from the governed people
//! stream (`features`), trains and serves the attrition-risk model (`attrition`, `models`,
//! `risk`), forecasts headcount (`forecast`, `planning`) and reports KPIs (`kpis`), every
//! aggregate about people through the small-group guard.

pub mod attrition;
mod drift;
mod features;
pub mod forecast;
mod funnel;
mod grpc;
mod kpis;
mod models;
mod planning;
mod remote;
mod risk;
mod scope;
mod spans;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    events::governed_topic,
    retention::RetentionRule,
    service::{ConsumerDef, Service, ServiceContext, ServiceDef, Worker},
};
use hrmesh_proto::analytics::v1::analytics_service_server::AnalyticsServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file and consumer group.
pub const NAME: &str = "analytics";
/// Consumer group of the feature store (the governed people stream).
pub const FEATURES_GROUP: &str = "analytics.features";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Analytics { ctx })) }
}

struct Analytics {
    ctx: ServiceContext,
}

impl Service for Analytics {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(AnalyticsServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone()),
            auth.interceptor(),
        ));
        vec![<AnalyticsServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn consumers(&self) -> Vec<ConsumerDef> {
        vec![
            ConsumerDef {
                name: NAME.to_owned(),
                topics: vec![governed_topic("recruiting")],
                handler: Arc::new(funnel::FunnelProjection),
            },
            ConsumerDef {
                name: FEATURES_GROUP.to_owned(),
                topics: vec![governed_topic("people")],
                handler: Arc::new(features::FeatureProjection),
            },
        ]
    }

    fn workers(&self) -> Vec<Worker> {
        let ctx = self.ctx.clone();
        vec![Box::new(move |stop| Box::pin(drift::run(ctx, stop)))]
    }

    fn retention(&self) -> Vec<RetentionRule> {
        features::retention()
    }

    fn person_data(&self) -> Option<Arc<dyn hrmesh_kit::privacy::PersonData>> {
        Some(Arc::new(funnel::PseudonymousData))
    }
}
