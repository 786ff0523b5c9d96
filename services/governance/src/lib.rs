//! Governance: every raw stream passes through here. Events are checked against the purposes
//! registry and the person's consent, pseudonymised, reduced to the fields their purpose allows,
//! audited and republished on the governed topics that analytics and other internal systems
//! read. Governance also holds consent, runs erasure and access requests, keeps the
//! tamper-evident audit trail, the AI decision log under human control, and watches fairness.

mod audit;
mod chainhead;
mod core;
mod decisions;
mod enforcement;
mod fairness;
mod grpc;
pub mod merkle;
mod pseudonym;
pub mod purposes;
mod purposes_i18n;
pub mod treehead;
mod verify;
mod witness;

use std::{sync::Arc, time::Duration};

use hrmesh_kit::{
    ApiError,
    auth::Authenticator,
    config::Config,
    crypto::Vault,
    db::Database,
    events::{GOVERNANCE_TOPIC, raw_topic},
    outbox,
    privacy::{Person, PersonData},
    service::{ConsumerDef, Service, ServiceContext, ServiceDef, Worker},
};
use hrmesh_proto::{
    governance::v1::{AuditRecord, TreeHeadSigned, governance_service_server::GovernanceServiceServer},
    privacy::v1::ErasedItem,
};
use sqlx::{AnyConnection, migrate::Migrator};
use tokio_util::sync::CancellationToken;
use tonic::{server::NamedService, service::RoutesBuilder};

pub use audit::{ChainError, GENESIS, record_hash, verify_chain};
pub use verify::{Report, TrailError};

use crate::core::Core;

/// Service name: database schema/file and consumer group.
pub const NAME: &str = "governance";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef { name: NAME, migrations: &MIGRATIONS, build }
}

/// The key that signs audit tree heads, from the configuration (or the data directory in
/// embedded mode).
pub fn signing_key(config: &Config) -> anyhow::Result<ed25519_dalek::SigningKey> {
    let secret = config.secret(&config.governance.signing_key, "governance.signing_key", "audit-signing-key")?;
    Ok(treehead::signing_key(&secret))
}

fn build(ctx: ServiceContext) -> anyhow::Result<Box<dyn Service>> {
    let config = &ctx.config;
    let key = config.secret(&config.governance.pseudonym_key, "governance.pseudonym_key", "pseudonym-key")?;
    let pseudonymiser = pseudonym::Pseudonymiser::new(key, config.governance.pseudonym_key_version);
    let signer = chainhead::Signer::new(signing_key(config)?);
    // Refuse to serve, and so to append to or sign, a trail that was tampered with.
    block_on(witness::check_at_start(&ctx.db, &signer, &witness::path(config)))?
        .map_err(|e| anyhow::anyhow!("governance cannot start: {e}"))?;
    let core = Arc::new(Core { ctx, pseudonymiser: Arc::new(pseudonymiser), signer });
    Ok(Box::new(Governance { core }))
}

/// Runs start-up work from the synchronous service constructor.
fn block_on<F: Future>(future: F) -> anyhow::Result<F::Output> {
    let handle = tokio::runtime::Handle::try_current()?;
    if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread {
        anyhow::bail!("governance needs a multi-thread Tokio runtime: it checks the audit trail before it serves");
    }
    Ok(tokio::task::block_in_place(|| handle.block_on(future)))
}

struct Governance {
    core: Arc<Core>,
}

impl Service for Governance {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        let api = grpc::Api::new(Arc::clone(&self.core));
        routes.add_service(GovernanceServiceServer::with_interceptor(api, auth.interceptor()));
        vec![<GovernanceServiceServer<grpc::Api> as NamedService>::NAME]
    }

    fn consumers(&self) -> Vec<ConsumerDef> {
        vec![ConsumerDef {
            name: NAME.to_owned(),
            topics: hrmesh_proto::registry::domain_services().map(raw_topic).collect(),
            handler: Arc::new(enforcement::Enforcer::new(Arc::clone(&self.core))),
        }]
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(OwnData(Arc::clone(&self.core))))
    }

    fn workers(&self) -> Vec<Worker> {
        let core = Arc::clone(&self.core);
        vec![Box::new(move |stop: CancellationToken| Box::pin(keep_trail(core, stop)))]
    }
}

impl Core {
    /// Signs the current tree if it grew, and publishes the head on `hr.governance.v1`.
    pub async fn sign_tree_head(&self) -> Result<(), ApiError> {
        let mut tx = self.ctx.db.begin().await?;
        if let Some(head) = treehead::sign_if_grown(&mut tx, &self.signer).await? {
            let event = TreeHeadSigned { head: Some(head) };
            let envelope = self.ctx.events.envelope("", "governance.audit", &event);
            outbox::enqueue(&mut tx, GOVERNANCE_TOPIC, &envelope).await?;
        }
        self.ctx.commit(tx).await?;
        Ok(())
    }
}

/// How soon a committed chain head reaches the witness file.
const WITNESS_INTERVAL: Duration = Duration::from_secs(1);

/// Signs Merkle tree heads periodically and keeps the witness file up with the chain heads.
async fn keep_trail(core: Arc<Core>, stop: CancellationToken) {
    let path = witness::path(&core.ctx.config);
    let mut written = witness::load(&path).ok().flatten();
    let mut sign_every = tokio::time::interval(Duration::from_secs(core.ctx.config.governance.tree_head_interval_secs));
    let mut witness_every = tokio::time::interval(WITNESS_INTERVAL);
    // A tampered trail fails every round: say so when it starts, not every second.
    let mut last_error = None;
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            _ = sign_every.tick() => {
                if let Err(e) = core.sign_tree_head().await {
                    tracing::warn!(error = %e, "could not sign the audit tree head");
                }
            }
            _ = witness_every.tick() => {}
        }
        match witness::advance(&core.ctx.db, &core.signer, &path, &mut written).await {
            Ok(()) => last_error = None,
            Err(e) if last_error.as_ref() != Some(&e.to_string()) => {
                tracing::error!(error = %e, "audit witness not advanced");
                last_error = Some(e.to_string());
            }
            Err(_) => {}
        }
    }
    // Commit to everything audited up to shutdown.
    if let Err(e) = core.sign_tree_head().await {
        tracing::warn!(error = %e, "could not sign the final audit tree head");
    }
    if let Err(e) = witness::advance(&core.ctx.db, &core.signer, &path, &mut written).await {
        tracing::error!(error = %e, "audit witness not advanced at shutdown");
    }
}

/// What governance itself holds about a person.
struct OwnData(Arc<Core>);

#[tonic::async_trait]
impl PersonData for OwnData {
    async fn export(
        &self,
        conn: &mut AnyConnection,
        _vault: &Vault,
        person: &Person<'_>,
    ) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
        let core = &self.0;
        let consents = core.list_consents(person.subject).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let decisions = core.list_decisions(conn, person.subject).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let tasks = core.tasks_of(conn, person.subject).await?;
        let attributes = core.attributes(conn, Some(person.subject)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let consent = |c: &hrmesh_proto::governance::v1::Consent| {
            serde_json::json!({"purpose": c.purpose, "granted": c.granted, "notice_version": c.notice_version,
                               "changed_at": c.changed_at.as_ref().map(|t| t.seconds), "changed_by": c.changed_by})
        };
        let mut out = serde_json::Map::new();
        out.insert("consents".into(), consents.consents.iter().map(consent).collect());
        out.insert("consent_history".into(), consents.history.iter().map(consent).collect());
        out.insert(
            "ai_decisions".into(),
            decisions
                .iter()
                .map(|d| {
                    serde_json::json!({"decision_id": d.decision_id, "purpose": d.purpose, "model_id": d.model_id,
                        "model_version": d.model_version, "output": d.output, "explanation": d.explanation,
                        "legal_effect": d.legal_effect, "reviewer": d.reviewer, "rationale": d.rationale,
                        "stage": d.stage, "outcome": d.outcome})
                })
                .collect(),
        );
        out.insert(
            "review_tasks".into(),
            tasks
                .iter()
                .map(|t| {
                    serde_json::json!({"task_id": t.task_id, "decision_id": t.decision_id, "statement": t.statement,
                        "resolved": t.resolved, "outcome": t.outcome, "rationale": t.rationale})
                })
                .collect(),
        );
        out.insert(
            "group_attributes".into(),
            attributes.get(person.subject).map_or_else(|| serde_json::json!([]), |a| serde_json::json!([a])),
        );
        Ok(out)
    }

    async fn erase(&self, _tx: &mut AnyConnection, _person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>> {
        // Governance erases its own records when it takes the request (Core::request_erasure).
        Ok(Vec::new())
    }
}

/// The whole audit trail in chain order (for `hrmesh audit verify`).
pub async fn read_all(db: &Database) -> anyhow::Result<Vec<AuditRecord>> {
    let mut all = Vec::new();
    loop {
        let page = audit::list(db.pool(), all.last().map_or(0, |r: &AuditRecord| r.sequence), 1000).await?;
        if page.is_empty() {
            return Ok(all);
        }
        all.extend(page);
    }
}

/// Verifies the trail in `db` against the signing key in `config` and the witness file in its
/// data directory: the hash chain, every signed tree head and chain head.
pub async fn verify_report(db: &Database, config: &Config) -> anyhow::Result<Report> {
    let key = signing_key(config)?.verifying_key();
    let records = read_all(db).await?;
    let mut conn = db.pool().acquire().await?;
    let tree_heads = treehead::all(&mut conn).await?;
    let chain_heads = chainhead::all(&mut conn).await?;
    let witness = witness::load(&witness::path(config))?;
    let findings = verify::verify_trail(&records, &tree_heads, &chain_heads, witness.as_ref(), &key);
    Ok(Report {
        records: records.len(),
        tree_heads: tree_heads.len(),
        chain_heads: chain_heads.len(),
        witnessed: witness.map(|w| w.head.tree_size),
        findings,
    })
}

/// Like [`verify_report`], with only the most telling finding. Returns the number of records
/// and tree heads checked.
pub async fn verify(db: &Database, config: &Config) -> anyhow::Result<Result<(usize, usize), TrailError>> {
    let report = verify_report(db, config).await?;
    Ok(match report.findings.into_iter().next() {
        Some(finding) => Err(finding),
        None => Ok((report.records, report.tree_heads)),
    })
}

/// Where the witness file of `config` is.
pub fn witness_path(config: &Config) -> std::path::PathBuf {
    witness::path(config)
}
