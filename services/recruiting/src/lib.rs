//! Recruiting: applications, matching and hiring decisions. High-risk under the EU AI Act:
//! the service recommends and explains, people decide.

mod ad;
mod application;
pub mod bm25;
mod candidates;
pub mod cv;
mod decisions;
mod funnel;
mod grpc;
mod intake;
pub mod jobs;
mod lifecycle;
pub mod matching;
mod outreach;
pub mod predictive;
mod remote;
mod reviews;
mod shortlist;

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
        // CVs up to intake's limit (10 MiB) must reach the handler, which answers with a clear reason.
        let server = RecruitingServiceServer::new(api).max_decoding_message_size(intake::MAX_REQUEST_BYTES);
        routes.add_service(tonic::service::interceptor::InterceptedService::new(server, auth.interceptor()));
        vec![<RecruitingServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn consumers(&self) -> Vec<hrmesh_kit::service::ConsumerDef> {
        vec![hrmesh_kit::service::ConsumerDef {
            name: format!("{NAME}.reviews"),
            topics: vec![hrmesh_kit::events::GOVERNANCE_TOPIC.to_owned()],
            handler: std::sync::Arc::new(reviews::ReviewOutcomes { ctx: self.ctx.clone() }),
        }]
    }

    fn person_data(&self) -> Option<std::sync::Arc<dyn hrmesh_kit::privacy::PersonData>> {
        Some(std::sync::Arc::new(application::CandidateData))
    }
}
