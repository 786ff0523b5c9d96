//! A hire starts onboarding by itself: the people service announces a pre-boarding employee's
//! first contract (`HireStarting`, purpose `people.new_hires`) on its governed stream, and this
//! consumer builds the plan from the best template in the same transaction as its inbox record.
//!
//! Why that event and not `EmployeeUpserted`/`ContractChanged`: governed streams name the person
//! by a pseudonym per purpose, so those two events cannot be linked to each other nor to the
//! employee; the one purpose whose recipient must know who starts carries the id in its payload.

use hrmesh_kit::{
    ApiError,
    consumer::{EventHandler, HandlerError, payload},
    events::EventSource,
    locale::Locale,
    time,
};
use hrmesh_proto::{events::v1::Envelope, people::v1::HireStarting};
use prost::Name;
use sqlx::AnyConnection;

use crate::plan::{self, NewOnboarding};

/// Consumes the governed people stream.
pub struct HireEvents {
    pub events: EventSource,
}

#[tonic::async_trait]
impl EventHandler for HireEvents {
    async fn handle(&self, tx: &mut AnyConnection, _topic: &str, event: &Envelope) -> Result<(), HandlerError> {
        if event.r#type != HireStarting::full_name() {
            return Ok(());
        }
        let hire: HireStarting = payload(event)?;
        let Ok(start_date) = time::parse_date("start_date", &hire.start_date) else {
            return Err(HandlerError::Permanent("HireStarting without a valid start date".into()));
        };
        let date = |v: &str| time::parse_optional_date("date", v).ok().flatten();
        let location = hire.work_country.trim().to_uppercase();
        let new = NewOnboarding {
            employee_id: hire.employee_id.clone(),
            role: hire.job_title.clone(),
            start_date,
            location: if ["NL", "DE", "BE"].contains(&location.as_str()) { location } else { String::new() },
            language: Locale::parse(&hire.preferred_language).unwrap_or(Locale::En),
            manager_id: hire.manager_id.clone(),
            contract_kind: hire.kind.clone(),
            contract_end: date(&hire.end_date),
            probation_end: date(&hire.probation_end),
        };
        match plan::start(tx, &self.events, &new, "people").await {
            // Started by hand before the hire reached us: nothing to do.
            Ok(()) | Err(ApiError::AlreadyExists(_)) => Ok(()),
            Err(ApiError::InvalidArgument(v)) => Err(HandlerError::Permanent(format!("invalid hire: {v:?}"))),
            Err(e) => Err(HandlerError::Transient(anyhow::anyhow!("{e}"))),
        }
    }
}
