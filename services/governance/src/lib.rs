//! Governance: every raw stream passes through here. Events are checked against the purposes
//! registry, pseudonymised, reduced to the fields their purpose allows, audited and republished
//! on the governed topics that analytics and other internal systems read.

mod audit;
mod enforcement;
mod grpc;
mod pseudonym;
mod purposes;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    config::Mode,
    events::raw_topic,
    runtime::DOMAIN_SERVICES,
    service::{ConsumerDef, Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::governance::v1::governance_service_server::GovernanceServiceServer;
use sqlx::migrate::Migrator;
use tonic::{server::NamedService, service::RoutesBuilder};

pub use audit::{ChainError, verify_chain};

/// Service name: database schema/file and consumer group.
pub const NAME: &str = "governance";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build }
}

fn build(ctx: ServiceContext) -> anyhow::Result<Box<dyn Service>> {
    let key = match (&ctx.config.mode, ctx.config.governance.pseudonym_key.expose().is_empty()) {
        (Mode::Embedded, true) => ctx.config.local_secret("pseudonym-key")?,
        _ => ctx.config.governance.pseudonym_key.clone(),
    };
    if key.expose().len() < 32 {
        anyhow::bail!(
            "invalid configuration: governance.pseudonym_key must be a secret of at least 32 bytes \
             (set it in the config file or as HRMESH_GOVERNANCE__PSEUDONYM_KEY)"
        );
    }
    let pseudonymiser = pseudonym::Pseudonymiser::new(key, ctx.config.governance.pseudonym_key_version);
    Ok(Box::new(Governance { ctx, pseudonymiser: Arc::new(pseudonymiser) }))
}

struct Governance {
    ctx: ServiceContext,
    pseudonymiser: Arc<pseudonym::Pseudonymiser>,
}

impl Service for Governance {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        let api = grpc::Api::new(self.ctx.clone());
        routes.add_service(GovernanceServiceServer::with_interceptor(api, auth.interceptor()));
        vec![<GovernanceServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn consumers(&self) -> Vec<ConsumerDef> {
        vec![ConsumerDef {
            name: NAME.to_owned(),
            topics: DOMAIN_SERVICES.iter().map(|s| raw_topic(s)).collect(),
            handler: Arc::new(enforcement::Enforcer::new(Arc::clone(&self.pseudonymiser))),
        }]
    }
}

/// The whole audit trail in chain order (for `hrmesh audit verify`).
pub async fn read_all(db: &hrmesh_kit::db::Database) -> anyhow::Result<Vec<hrmesh_proto::governance::v1::AuditRecord>> {
    let mut all = Vec::new();
    loop {
        let page = audit::list(
            db.pool(),
            all.last().map_or(0, |r: &hrmesh_proto::governance::v1::AuditRecord| r.sequence),
            1000,
        )
        .await?;
        if page.is_empty() {
            return Ok(all);
        }
        all.extend(page);
    }
}
