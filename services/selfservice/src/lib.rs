//! Self-service: the conversational HR assistant for employees.

mod conversation;
mod grpc;
pub mod understand;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::selfservice::v1::self_service_service_server::SelfServiceServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.selfservice.v1`, event source.
pub const NAME: &str = "selfservice";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables =
    Tables(&[Table { kind: "conversations", table: "conversations", column: "employee_id", erase: Erase::Delete }]);

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

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
