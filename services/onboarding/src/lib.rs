//! Onboarding: plans that bring a new hire from signed contract to productive colleague.

mod grpc;
mod plan;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::onboarding::v1::onboarding_service_server::OnboardingServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.onboarding.v1`, event source.
pub const NAME: &str = "onboarding";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables =
    Tables(&[Table { kind: "onboardings", table: "onboardings", column: "employee_id", erase: Erase::Delete }]);

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Onboarding { ctx })) }
}

struct Onboarding {
    ctx: ServiceContext,
}

impl Service for Onboarding {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(OnboardingServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone()),
            auth.interceptor(),
        ));
        vec![<OnboardingServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
