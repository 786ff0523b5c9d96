//! Recruiting: applications, matching and hiring decisions. High-risk under the EU AI Act:
//! the service recommends and explains, people decide.

mod application;
mod grpc;

use hrmesh_kit::{
    auth::Authenticator,
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::recruiting::v1::recruiting_service_server::RecruitingServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.recruiting.v1`, event source.
pub const NAME: &str = "recruiting";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Recruiting { ctx })) }
}

struct Recruiting {
    ctx: ServiceContext,
}

impl Service for Recruiting {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        let api = grpc::Api::new(self.ctx.clone());
        routes.add_service(RecruitingServiceServer::with_interceptor(api, auth.interceptor()));
        vec![<RecruitingServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn person_data(&self) -> Option<std::sync::Arc<dyn hrmesh_kit::privacy::PersonData>> {
        Some(std::sync::Arc::new(application::CandidateData))
    }
}
