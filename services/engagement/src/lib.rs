//! Engagement: pulse surveys of at most 60 seconds, anonymous results from 5 people, eNPS,
//! comment sentiment with consent, and early warnings per team.

mod answers;
mod comments;
pub mod figures;
mod grpc;
mod org;
pub mod purposes;
pub mod questions;
mod results;
mod schedule;
pub mod sentiment;
mod surveys;
pub mod warning;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    privacy::{Erase, PersonData, Table, Tables},
    retention::{Age, RetentionRule},
    service::{Service, ServiceContext, ServiceDef, Worker},
};
use hrmesh_proto::engagement::v1::engagement_service_server::EngagementServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.engagement.v1`, event source.
pub const NAME: &str = "engagement";

/// Where this service keeps rows about people (access requests and erasure): who was invited
/// and who took part. Answers and comments name nobody, so there is nothing of a person there.
static PERSON_DATA: Tables = Tables(&[
    Table { kind: "survey_invitations", table: "invitations", column: "employee_id", erase: Erase::Delete },
    Table { kind: "survey_participation", table: "participation", column: "employee_id", erase: Erase::Delete },
]);

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// What expires when: participation a year after its round closed; answers and comments (no
/// person in them) after two years.
pub static RETENTION: &[RetentionRule] = &[
    RetentionRule {
        purpose: purposes::SURVEYS,
        kind: "survey_invitations",
        days: 365,
        statement: "DELETE FROM invitations WHERE EXISTS (SELECT 1 FROM survey_rounds r WHERE r.survey_id = invitations.survey_id
                    AND r.round = invitations.round AND r.closes_on < $1)",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::SURVEYS,
        kind: "survey_participation",
        days: 365,
        statement: "DELETE FROM participation WHERE EXISTS (SELECT 1 FROM survey_rounds r WHERE r.survey_id = participation.survey_id
                    AND r.round = participation.round AND r.closes_on < $1)",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::PULSE,
        kind: "answer_counts",
        days: 730,
        statement: "DELETE FROM answer_counts WHERE EXISTS (SELECT 1 FROM survey_rounds r WHERE r.survey_id = answer_counts.survey_id
                    AND r.round = answer_counts.round AND r.closes_on < $1)",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::PULSE,
        kind: "comments",
        days: 730,
        statement: "DELETE FROM comments WHERE EXISTS (SELECT 1 FROM survey_rounds r WHERE r.survey_id = comments.survey_id
                    AND r.round = comments.round AND r.closes_on < $1)",
        age: Age::Date,
    },
];

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

    fn workers(&self) -> Vec<Worker> {
        let ctx = self.ctx.clone();
        vec![Box::new(move |stop| Box::pin(schedule::run(ctx, stop)))]
    }

    fn retention(&self) -> Vec<RetentionRule> {
        RETENTION.to_vec()
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PERSON_DATA))
    }
}
