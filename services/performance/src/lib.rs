//! Performance: continuous feedback and reviews, always decided by people.

mod feedback;
mod grpc;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::performance::v1::performance_service_server::PerformanceServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.performance.v1`, event source.
pub const NAME: &str = "performance";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables = Tables(&[
    Table { kind: "feedback_received", table: "feedback", column: "employee_id", erase: Erase::Delete },
    Table { kind: "feedback_written", table: "feedback", column: "author_id", erase: Erase::Anonymise },
]);

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

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
