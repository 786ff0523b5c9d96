//! Performance: continuous feedback, 360° cycles with anonymity, AI-assisted review drafts a
//! manager edits and approves, bias checks and trends — support for managers, never a
//! replacement: every outcome is decided and signed by a person.

pub mod bias;
mod cards;
mod cycles;
mod drafting;
mod fairness;
mod feedback;
mod goals;
mod grpc;
mod privacy;
pub mod purposes;
mod questionnaire;
mod remote;
mod results;
mod reviews;
mod trends;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::PersonData,
    retention::RetentionRule,
    service::{Service, ServiceContext, ServiceDef, Worker},
};
use hrmesh_proto::performance::v1::performance_service_server::PerformanceServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.performance.v1`, event source.
pub const NAME: &str = "performance";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Performance { ctx })) }
}

struct Performance {
    ctx: ServiceContext,
}

impl Service for Performance {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(PerformanceServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone()),
            auth.interceptor(),
        ));
        vec![<PerformanceServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn workers(&self) -> Vec<Worker> {
        vec![cycles::reminder_worker(self.ctx.clone())]
    }

    fn retention(&self) -> Vec<RetentionRule> {
        privacy::retention()
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(privacy::PERSON_DATA))
    }
}

/// The retention rules, for the registry test in the binary crate.
pub fn retention_rules() -> Vec<RetentionRule> {
    privacy::retention()
}
