//! Skills: the competence model that recruiting, onboarding and performance reason about.

mod grpc;
mod profile;

use hrmesh_kit::{
    auth::Authenticator,
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::skills::v1::skills_service_server::SkillsServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.skills.v1`, event source.
pub const NAME: &str = "skills";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Skills { ctx })) }
}

struct Skills {
    ctx: ServiceContext,
}

impl Service for Skills {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(SkillsServiceServer::with_interceptor(grpc::Api::new(self.ctx.clone()), auth.interceptor()));
        vec![<SkillsServiceServer<grpc::Api> as NamedService>::NAME]
    }
}
