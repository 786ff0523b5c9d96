//! Skills: the competence model that recruiting, onboarding and performance reason about.

pub mod esco;
mod grpc;
pub mod lang;
mod profile;
pub mod taxonomy;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    service::{Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::skills::v1::skills_service_server::SkillsServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.skills.v1`, event source.
pub const NAME: &str = "skills";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables = Tables(&[
    Table { kind: "declared_skills", table: "declared_skills", column: "employee_id", erase: Erase::Delete },
    Table { kind: "skill_history", table: "skill_history", column: "employee_id", erase: Erase::Delete },
    Table {
        kind: "skills_declared_for_others",
        table: "skill_history",
        column: "declared_by",
        erase: Erase::Anonymise,
    },
]);

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

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
