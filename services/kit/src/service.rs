//! What a service crate hands the runtime, and what the runtime hands a service.

use std::sync::Arc;

use sqlx::{Any, Transaction, migrate::Migrator};
use tokio::sync::Notify;
use tonic::service::RoutesBuilder;

use crate::{
    auth::Authenticator, bus::EventBus, cache::Cache, config::Config, consent::ConsentClient, consumer::EventHandler,
    crypto::Vault, db::Database, directory::DirectoryClient, events::EventSource, peers::Peers, privacy::PersonData,
};

/// Everything a service needs from its environment; the service does not know the run mode.
#[derive(Clone)]
pub struct ServiceContext {
    pub name: &'static str,
    pub config: Arc<Config>,
    pub db: Database,
    pub bus: Arc<dyn EventBus>,
    pub cache: Cache,
    /// Stamps the service's events with its name and tenant.
    pub events: EventSource,
    /// Other services' endpoints and the token to call them with.
    pub peers: Arc<Peers>,
    /// Consent checks before an AI function runs on a person.
    pub consent: ConsentClient,
    /// Seals personal fields at rest with per-person keys.
    pub vault: Vault,
    /// Reporting lines, for authorization by the organisation.
    pub directory: DirectoryClient,
    outbox_signal: Arc<Notify>,
}

impl std::fmt::Debug for ServiceContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceContext").field("name", &self.name).finish_non_exhaustive()
    }
}

impl ServiceContext {
    pub fn new(
        name: &'static str,
        config: Arc<Config>,
        db: Database,
        bus: Arc<dyn EventBus>,
        cache: Cache,
        peers: Arc<Peers>,
        vault: Vault,
    ) -> Self {
        let events = EventSource { service: name, tenant: config.tenant.clone() };
        let consent = ConsentClient::new(name, config.tenant.clone(), cache.clone(), Arc::clone(&peers));
        let directory = DirectoryClient::new(config.tenant.clone(), cache.clone(), Arc::clone(&peers));
        Self {
            name,
            config,
            db,
            bus,
            cache,
            events,
            peers,
            consent,
            vault,
            directory,
            outbox_signal: Arc::new(Notify::new()),
        }
    }

    /// Commits a transaction that may have written outbox rows and wakes the relay.
    pub async fn commit(&self, tx: Transaction<'static, Any>) -> Result<(), sqlx::Error> {
        tx.commit().await?;
        self.outbox_signal.notify_one();
        Ok(())
    }

    /// The caller if it holds one of `roles`; otherwise PERMISSION_DENIED, and the denial is
    /// published for governance's audit trail.
    pub async fn authorize<T>(
        &self,
        request: &tonic::Request<T>,
        roles: &[crate::auth::Role],
        rpc: &str,
    ) -> Result<crate::auth::Principal, tonic::Status> {
        match crate::auth::require(request, roles) {
            Ok(principal) => Ok(principal),
            Err(status) => {
                let actor = request.extensions().get::<crate::auth::Principal>().map(|p| p.subject.clone());
                self.record_denial(actor.as_deref().unwrap_or("anonymous"), rpc, status.message()).await;
                Err(status)
            }
        }
    }

    /// Ok if `caller` is `person` or holds one of `privileged`; a refusal is published for the
    /// audit trail.
    pub async fn acting_for(
        &self,
        caller: &crate::auth::Principal,
        person: &str,
        privileged: &[crate::auth::Role],
        rpc: &str,
    ) -> Result<(), tonic::Status> {
        if let Err(status) = caller.acting_for(person, privileged) {
            self.record_denial(&caller.subject, rpc, status.message()).await;
            return Err(status);
        }
        Ok(())
    }

    /// Ok if `caller` may act on `person`'s records by the organisation (self, their line as a
    /// manager, everyone as HR or a service); otherwise PERMISSION_DENIED, audited.
    pub async fn require_line(
        &self,
        caller: &crate::auth::Principal,
        person: &str,
        rpc: &str,
    ) -> Result<(), tonic::Status> {
        if self.directory.may_act_on(caller, person).await? {
            return Ok(());
        }
        let reason = "you may only act on your own records or your reports' records";
        self.record_denial(&caller.subject, rpc, reason).await;
        Err(tonic::Status::permission_denied(reason))
    }

    /// The people a request about several people may cover: each of `asked` must be in the
    /// caller's reach (see [`Self::require_line`]); when none are named, HR and services cover
    /// everyone (`None`) and anyone else their own line and themself.
    pub async fn scope_people(
        &self,
        caller: &crate::auth::Principal,
        asked: &[String],
        rpc: &str,
    ) -> Result<Option<Vec<String>>, tonic::Status> {
        use crate::auth::Role;
        if asked.is_empty() {
            if caller.has(Role::HrAdmin) || caller.has(Role::Service) {
                return Ok(None);
            }
            let mut line: Vec<String> = self.directory.reports(&caller.subject).await?.into_iter().collect();
            line.push(caller.subject.clone());
            return Ok(Some(line));
        }
        for person in asked {
            self.require_line(caller, person, rpc).await?;
        }
        Ok(Some(asked.to_vec()))
    }

    /// Publishes that `by` exported `person`'s data through `rpc`, for the audit trail.
    pub async fn record_export(&self, by: &str, person: &str, rpc: &str) {
        let exported = hrmesh_proto::events::v1::PersonDataExported { rpc: rpc.to_owned(), exported_by: by.to_owned() };
        self.publish_for_audit(person, &exported, rpc).await;
    }

    /// Publishes a call refused for missing or invalid credentials, for the audit trail.
    pub async fn record_refusal(&self, rpc: &str, reason: &str) {
        self.record_denial("unauthenticated", rpc, reason).await;
    }

    async fn record_denial(&self, actor: &str, rpc: &str, reason: &str) {
        let denied = hrmesh_proto::events::v1::AccessDenied { rpc: rpc.to_owned(), reason: reason.to_owned() };
        self.publish_for_audit(actor, &denied, rpc).await;
    }

    /// Publishes a security event about `subject` on the service's raw topic for governance.
    async fn publish_for_audit<M: prost::Message + prost::Name>(&self, subject: &str, event: &M, rpc: &str) {
        let envelope = self.events.envelope(subject, "security.access_control", event);
        let result = async {
            let mut tx = self.db.begin().await?;
            crate::outbox::enqueue(&mut tx, &crate::events::raw_topic(self.name), &envelope).await?;
            self.commit(tx).await
        }
        .await;
        if let Err(e) = result {
            tracing::error!(error = %e, rpc, "could not record a security event for the audit trail");
        }
    }

    /// The signal the relay waits on.
    pub fn outbox_signal(&self) -> Arc<Notify> {
        Arc::clone(&self.outbox_signal)
    }
}

/// A background task of a service (e.g. periodic signing), run until the token is cancelled.
pub type Worker =
    Box<dyn FnOnce(tokio_util::sync::CancellationToken) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// A consumer group a service runs.
pub struct ConsumerDef {
    /// Group name, e.g. `governance`; unique per service.
    pub name: String,
    /// Logical topics, e.g. `hr.recruiting.v1`.
    pub topics: Vec<String>,
    pub handler: Arc<dyn EventHandler>,
}

/// A running service's contribution to its process.
pub trait Service: Send + Sync + 'static {
    /// Adds the service's gRPC endpoints (each wrapped in `auth`'s interceptor) and returns
    /// their fully-qualified names for health reporting.
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str>;

    /// The consumer groups the service runs.
    fn consumers(&self) -> Vec<ConsumerDef> {
        Vec::new()
    }

    /// Background tasks the runtime runs next to the server.
    fn workers(&self) -> Vec<Worker> {
        Vec::new()
    }

    /// Records that expire with their purpose's retention period; the runtime sweeps them.
    fn retention(&self) -> Vec<crate::retention::RetentionRule> {
        Vec::new()
    }

    /// What the service holds about people, for access requests and erasure; `None` if nothing.
    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        None
    }
}

/// How to build a service: its name, its migrations and its constructor.
#[derive(Clone, Copy)]
pub struct ServiceDef {
    pub name: &'static str,
    pub migrations: &'static Migrator,
    pub build: fn(ServiceContext) -> anyhow::Result<Box<dyn Service>>,
}

impl std::fmt::Debug for ServiceDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}
