//! Skills: the competence model that recruiting, onboarding and performance reason about —
//! a curated nl/de/en taxonomy merged with the imported ESCO classification, extraction from
//! text, a competence graph, employee profiles, gap analysis, courses and learning paths, and
//! skill demand.

mod carry;
pub mod courses;
pub mod demand;
pub mod esco;
pub mod extract;
pub mod gap;
pub mod graph;
mod grpc;
pub use grpc::MAX_TEXT_BYTES;
pub mod lang;
pub mod learning;
mod merge;
pub mod model;
pub mod profile;
pub mod rank;
mod requisitions;
pub mod roles;
pub mod taxonomy;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    service::{Service, ServiceContext, ServiceDef, Worker},
};
use hrmesh_proto::skills::v1::{SkillRef, skills_service_server::SkillsServiceServer};
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

use crate::{lang::Lang, model::Catalog, taxonomy::Taxonomy};

/// Service name: database schema/file, raw topic `hr.skills.v1`, event source.
pub const NAME: &str = "skills";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables = Tables(&[
    Table { kind: "skill_profile", table: "profile_skills", column: "employee_id", erase: Erase::Delete },
    Table { kind: "skill_history", table: "skill_history", column: "employee_id", erase: Erase::Delete },
    Table {
        kind: "skills_recorded_for_others",
        table: "skill_history",
        column: "declared_by",
        erase: Erase::Anonymise,
    },
    Table {
        kind: "skills_recorded_for_others_current",
        table: "profile_skills",
        column: "changed_by",
        erase: Erase::Anonymise,
    },
    Table { kind: "learning_paths", table: "learning_paths", column: "employee_id", erase: Erase::Delete },
    Table {
        kind: "learning_paths_assigned_to_others",
        table: "learning_paths",
        column: "assigned_by",
        erase: Erase::Anonymise,
    },
]);

pub static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef {
        name: NAME,
        migrations: &MIGRATIONS,
        build: |ctx| Ok(Box::new(Skills { ctx, catalog: Arc::new(Catalog::builtin()?) })),
    }
}

struct Skills {
    ctx: ServiceContext,
    catalog: Arc<Catalog>,
}

impl Service for Skills {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        let api = grpc::Api::new(self.ctx.clone(), Arc::clone(&self.catalog));
        routes.add_service(SkillsServiceServer::with_interceptor(api, auth.interceptor()));
        vec![<SkillsServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn workers(&self) -> Vec<Worker> {
        let (ctx, catalog) = (self.ctx.clone(), Arc::clone(&self.catalog));
        vec![Box::new(move |shutdown| {
            Box::pin(async move {
                match courses::seed(&ctx, &catalog.get().taxonomy).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(courses = n, "starter course catalogue seeded"),
                    Err(e) => tracing::error!(error = %e, "could not seed the starter course catalogue"),
                }
                catalog.follow(ctx.db.clone(), shutdown).await;
            })
        })]
    }

    fn consumers(&self) -> Vec<hrmesh_kit::service::ConsumerDef> {
        vec![hrmesh_kit::service::ConsumerDef {
            name: format!("{NAME}.requisitions"),
            topics: vec![hrmesh_kit::events::governed_topic("recruiting")],
            handler: Arc::new(requisitions::RequisitionEvents { catalog: Arc::clone(&self.catalog) }),
        }]
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}

/// A skill as people see it; an id the taxonomy no longer knows is shown as is.
pub fn skill_ref(t: &Taxonomy, id: &str, lang: Lang) -> SkillRef {
    match t.skill(id) {
        Some(ix) => SkillRef {
            skill_id: t.get(ix).id.clone(),
            label: t.label(ix, lang).to_owned(),
            origin: match t.get(ix).origin {
                taxonomy::Origin::Builtin => "builtin",
                taxonomy::Origin::Esco => "esco",
            }
            .into(),
        },
        None => SkillRef { skill_id: id.to_owned(), label: id.to_owned(), origin: String::new() },
    }
}

/// The text for `lang` among three translations.
pub fn tr(lang: Lang, en: &'static str, nl: &'static str, de: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Nl => nl,
        Lang::De => de,
    }
}
