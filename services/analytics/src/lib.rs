//! Analytics: aggregates computed from governed (pseudonymised, minimised) streams only; this
//! service never subscribes to a raw topic.

pub mod attrition;
mod funnel;
mod grpc;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    events::governed_topic,
    service::{ConsumerDef, Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::analytics::v1::analytics_service_server::AnalyticsServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file and consumer group.
pub const NAME: &str = "analytics";

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
        vec![ConsumerDef {
            name: NAME.to_owned(),
            topics: vec![governed_topic("recruiting")],
            handler: Arc::new(funnel::FunnelProjection),
        }]
    }

    fn person_data(&self) -> Option<Arc<dyn hrmesh_kit::privacy::PersonData>> {
        Some(Arc::new(funnel::PseudonymousData))
    }
}
