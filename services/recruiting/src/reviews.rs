//! Second reviews after a candidate contested a decision (`ReviewResolved` from governance): an
//! overturned rejection reopens the application at the stage it had before, and every outcome
//! becomes part of the candidate's explanation.

use hrmesh_kit::{
    consumer::{EventHandler, HandlerError},
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::{events::v1::Envelope, governance::v1::ReviewResolved, recruiting::v1::StageChanged};
use prost::{Message, Name};
use sqlx::{AnyConnection, Row};

use crate::{application::PURPOSE, decisions::REJECTED};

/// Applies review outcomes to the applications whose decisions were contested.
pub struct ReviewOutcomes {
    pub ctx: ServiceContext,
}

#[tonic::async_trait]
impl EventHandler for ReviewOutcomes {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        if event.r#type != ReviewResolved::full_name() {
            return Ok(());
        }
        let review = ReviewResolved::decode(event.data.as_slice())
            .map_err(|e| HandlerError::Permanent(format!("invalid ReviewResolved: {e}")))?;
        if !review.purpose.starts_with("recruiting.") {
            return Ok(()); // another service's decision
        }
        let Some(row) = sqlx::query("SELECT application_id, stage FROM stage_history WHERE decision_id = $1")
            .bind(&review.decision_id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(()); // a recommendation, not a stage decision, or the person was erased
        };
        let (application, decided): (String, String) = (row.try_get(0)?, row.try_get(1)?);
        let app = sqlx::query("SELECT candidate_id, job_id, stage FROM applications WHERE id = $1")
            .bind(&application)
            .fetch_one(&mut *tx)
            .await?;
        let (candidate, job, current): (String, String, String) = (app.try_get(0)?, app.try_get(1)?, app.try_get(2)?);
        let overturned = review.outcome == "overturned";
        let now = time::now_ms();
        if overturned && decided == REJECTED && current == REJECTED {
            let before: Option<String> = sqlx::query(
                "SELECT stage FROM stage_history WHERE application_id = $1 AND stage NOT LIKE 'contest_%'
                 AND stage <> $2 ORDER BY changed_at DESC, id DESC LIMIT 1",
            )
            .bind(&application)
            .bind(REJECTED)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
            let reopened = before.unwrap_or_else(|| "applied".to_owned());
            sqlx::query("UPDATE applications SET stage = $1, stage_changed_at = $2 WHERE id = $3")
                .bind(&reopened)
                .bind(now)
                .bind(&application)
                .execute(&mut *tx)
                .await?;
            let changed = StageChanged { application_id: application.clone(), job_id: job, stage: reopened };
            outbox::enqueue(
                &mut *tx,
                &raw_topic(crate::NAME),
                &self.ctx.events.envelope(&candidate, PURPOSE, &changed),
            )
            .await?;
        }
        let outcome = if overturned { "contest_overturned" } else { "contest_upheld" };
        sqlx::query(
            "INSERT INTO stage_history (id, application_id, candidate_id, stage, reviewer, rationale, decision_id,
                                        explanation, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&application)
        .bind(&candidate)
        .bind(outcome)
        .bind("governance review")
        .bind(&review.rationale)
        .bind(&review.decision_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}
