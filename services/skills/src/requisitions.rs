//! Open requisitions for the demand forecast, kept from recruiting's governed events: a job
//! opens (`JobOpened`), changes (`JobUpdated`), closes (`JobClosed`, or a hire: `StageChanged` to
//! `hired`) and reopens (`JobReopened`). Events, not calls: a skills outage while a job opens
//! and fills only delays the forecast, it loses nothing.

use std::sync::Arc;

use hrmesh_kit::consumer::{EventHandler, HandlerError};
use hrmesh_proto::vocabulary::Stage;
use hrmesh_proto::{
    events::v1::Envelope,
    recruiting::v1::{JobClosed, JobOpened, JobReopened, JobUpdated, StageChanged},
};
use prost::Name;
use sqlx::AnyConnection;

use crate::model::Catalog;

/// Applies recruiting's job events to `requisitions`.
pub struct RequisitionEvents {
    pub catalog: Arc<Catalog>,
}

use hrmesh_kit::consumer::{event_time_ms as time_of, payload as decode};

impl RequisitionEvents {
    /// Opens (or re-opens with new skills) a requisition; skills the taxonomy does not know are
    /// left out rather than failing the event.
    async fn open(
        &self,
        tx: &mut AnyConnection,
        job_id: &str,
        skill_ids: &[String],
        at: i64,
    ) -> Result<(), HandlerError> {
        let model = self.catalog.get();
        let known: Vec<&String> = skill_ids.iter().filter(|s| model.taxonomy.skill(s).is_some()).collect();
        sqlx::query(
            "INSERT INTO requisitions (requisition_id, opened_at, closed_at) VALUES ($1, $2, NULL)
             ON CONFLICT (requisition_id) DO NOTHING",
        )
        .bind(job_id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM requisition_skills WHERE requisition_id = $1").bind(job_id).execute(&mut *tx).await?;
        for skill in known {
            sqlx::query(
                "INSERT INTO requisition_skills (requisition_id, skill_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(job_id)
            .bind(skill)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    async fn set_closed(&self, tx: &mut AnyConnection, job_id: &str, closed: Option<i64>) -> Result<(), HandlerError> {
        sqlx::query("UPDATE requisitions SET closed_at = $1 WHERE requisition_id = $2")
            .bind(closed)
            .bind(job_id)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }
}

#[tonic::async_trait]
impl EventHandler for RequisitionEvents {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        let at = time_of(event);
        let kind = event.r#type.as_str();
        if kind == JobOpened::full_name() {
            let job: JobOpened = decode(event)?;
            self.open(tx, &job.job_id, &job.skill_ids, at).await
        } else if kind == JobUpdated::full_name() {
            let job: JobUpdated = decode(event)?;
            self.open(tx, &job.job_id, &job.skill_ids, at).await
        } else if kind == JobClosed::full_name() {
            let job: JobClosed = decode(event)?;
            self.set_closed(tx, &job.job_id, Some(at)).await
        } else if kind == JobReopened::full_name() {
            let job: JobReopened = decode(event)?;
            self.set_closed(tx, &job.job_id, None).await
        } else if kind == StageChanged::full_name() {
            let change: StageChanged = decode(event)?;
            if Stage::parse(&change.stage) == Some(Stage::Hired) {
                self.set_closed(tx, &change.job_id, Some(at)).await?;
            }
            Ok(())
        } else {
            Ok(()) // other recruiting events do not change demand
        }
    }
}
