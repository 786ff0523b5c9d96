//! Self-service: the conversational HR assistant for employees.

mod conversation;
mod grpc;

use hrmesh_kit::{
    auth::Authenticator,
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::selfservice::v1::self_service_service_server::SelfServiceServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.selfservice.v1`, event source.
pub const NAME: &str = "selfservice";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(SelfService { ctx })) }
}

struct SelfService {
    ctx: ServiceContext,
}

impl Service for SelfService {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(SelfServiceServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone()),
            auth.interceptor(),
        ));
        vec![<SelfServiceServiceServer<grpc::Api> as NamedService>::NAME]
    }
}
