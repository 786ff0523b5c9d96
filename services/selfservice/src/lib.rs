//! Self-service: the conversational HR assistant for employees. It answers from the people
//! service (leave balances, payslips) and the company handbook, and acts for the employee (leave,
//! sickness, address, certificates) after they confirm, with the employee's own authority; it
//! hands over to HR when asked or when it does not understand.

mod actions;
mod address;
mod certificate;
mod chat;
mod conversation;
mod dialogue;
mod explain;
mod figures;
mod follow_up;
mod grpc;
mod handbook;
mod leave;
mod payslips;
mod people;
mod privacy;
mod say;
mod sickness;
mod state;
mod tickets;
pub mod understand;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::PersonData,
    retention::RetentionRule,
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
    ServiceDef {
        name: NAME,
        migrations: &MIGRATIONS,
        build: |ctx| {
            // Train the language model now rather than on the first message.
            std::thread::spawn(understand::warm_up);
            Ok(Box::new(SelfService { ctx, knowledge: Arc::default() }))
        },
    }
}

struct SelfService {
    ctx: ServiceContext,
    knowledge: Arc<handbook::Knowledge>,
}

impl Service for SelfService {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(SelfServiceServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone(), Arc::clone(&self.knowledge)),
            auth.interceptor(),
        ));
        vec![<SelfServiceServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn retention(&self) -> Vec<RetentionRule> {
        privacy::retention()
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(privacy::PERSON_DATA))
    }
}
