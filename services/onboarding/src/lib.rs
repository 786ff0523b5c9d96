//! Onboarding: plans that bring a new hire from signed contract to productive colleague — from
//! HR's templates, started by a hire in the people service, adapted to prior knowledge and pace,
//! with a buddy by optimal assignment, check-ins, early flags for HR and the manager line, and
//! cohort figures behind the small-group guard.

mod buddy;
mod checkins;
mod figures;
mod flags;
mod grpc;
mod hires;
pub mod hungarian;
mod learning;
mod plan;
mod probation;
pub mod purposes;
mod templates;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    events::governed_topic,
    privacy::{Erase, PersonData, Table, Tables},
    retention::{Age, RetentionRule},
    service::{ConsumerDef, Service, ServiceContext, ServiceDef, Worker},
};
use hrmesh_proto::onboarding::v1::onboarding_service_server::OnboardingServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.onboarding.v1`, event source.
pub const NAME: &str = "onboarding";

/// The consumer group that turns hires into plans.
pub const HIRES_GROUP: &str = "onboarding.hires";

/// Where this service keeps rows about people (access requests and erasure).
static PERSON_DATA: Tables = Tables(&[
    Table { kind: "onboardings", table: "onboardings", column: "employee_id", erase: Erase::Delete },
    Table { kind: "onboarding_tasks", table: "tasks", column: "employee_id", erase: Erase::Delete },
    Table { kind: "plan_changes", table: "plan_changes", column: "employee_id", erase: Erase::Delete },
    Table { kind: "buddy_volunteering", table: "buddy_volunteers", column: "employee_id", erase: Erase::Delete },
    Table { kind: "buddy_matches", table: "buddy_matches", column: "employee_id", erase: Erase::Delete },
    Table { kind: "buddy_of", table: "buddy_matches", column: "buddy_id", erase: Erase::Anonymise },
    Table { kind: "checkins", table: "checkins", column: "employee_id", erase: Erase::Delete },
    Table { kind: "flags", table: "flags", column: "employee_id", erase: Erase::Delete },
]);

/// What expires when, with the retention of each purpose in governance's registry.
pub static RETENTION: &[RetentionRule] = &[
    RetentionRule {
        purpose: purposes::CHECKINS,
        kind: "checkins",
        days: 365,
        statement: "DELETE FROM checkins WHERE submitted_at < $1",
        age: Age::Millis,
    },
    RetentionRule {
        purpose: purposes::RISK_FLAGS,
        kind: "flags",
        days: 365,
        statement: "DELETE FROM flags WHERE raised_at < $1",
        age: Age::Millis,
    },
    RetentionRule {
        purpose: purposes::BUDDY_MATCHING,
        kind: "buddy_matches",
        days: 365,
        statement: "DELETE FROM buddy_matches WHERE matched_at < $1",
        age: Age::Millis,
    },
    RetentionRule {
        purpose: purposes::PLANS,
        kind: "plan_changes",
        days: 730,
        statement: "DELETE FROM plan_changes WHERE at < $1",
        age: Age::Millis,
    },
];

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build: |ctx| Ok(Box::new(Onboarding { ctx })) }
}

struct Onboarding {
    ctx: ServiceContext,
}

impl Service for Onboarding {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(OnboardingServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone()),
            auth.interceptor(),
        ));
        vec![<OnboardingServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn consumers(&self) -> Vec<ConsumerDef> {
        vec![ConsumerDef {
            name: HIRES_GROUP.to_owned(),
            topics: vec![governed_topic("people")],
            handler: Arc::new(hires::HireEvents { events: self.ctx.events.clone() }),
        }]
    }

    fn workers(&self) -> Vec<Worker> {
        let ctx = self.ctx.clone();
        vec![Box::new(move |stop| Box::pin(probation::run(ctx, stop)))]
    }

    fn retention(&self) -> Vec<RetentionRule> {
        RETENTION.to_vec()
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
