//! Engagement: pulse surveys and how people feel about their work.

mod grpc;
mod pulse;
pub mod sentiment;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::engagement::v1::engagement_service_server::EngagementServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.engagement.v1`, event source.
pub const NAME: &str = "engagement";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables =
    Tables(&[Table { kind: "pulse_answers", table: "pulse_answers", column: "employee_id", erase: Erase::Delete }]);

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Engagement { ctx })) }
}

struct Engagement {
    ctx: ServiceContext,
}

impl Service for Engagement {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(EngagementServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone()),
            auth.interceptor(),
        ));
        vec![<EngagementServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
