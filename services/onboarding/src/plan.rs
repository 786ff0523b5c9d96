//! Starting an onboarding: parse, store with its `OnboardingStarted` event.

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::onboarding::v1::{Onboarding, OnboardingStarted, StartOnboardingRequest};
use sqlx::Row;

/// Processing purpose of onboarding events.
pub const PURPOSE: &str = "onboarding.learning_path";

/// A validated start request.
#[derive(Debug)]
pub struct NewOnboarding {
    pub employee_id: String,
    pub role: String,
    pub start_date: String,
}

impl NewOnboarding {
    pub fn parse(req: &StartOnboardingRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let employee_id = v.check(identifier("employee_id", &req.employee_id));
        let role = v.check(required_text("role", &req.role, 200));
        let start_date = v.check(time::parse_date("start_date", &req.start_date).map(time::format_date));
        match (employee_id, role, start_date) {
            (Some(employee_id), Some(role), Some(start_date)) => Ok(Self { employee_id, role, start_date }),
            _ => Err(v.into_error()),
        }
    }
}

/// Stores the onboarding and its event in one transaction.
pub async fn start(ctx: &ServiceContext, new: NewOnboarding) -> Result<Onboarding, ApiError> {
    let now = time::now_ms();
    let mut tx = ctx.db.begin().await?;
    sqlx::query("INSERT INTO onboardings (employee_id, role, start_date, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&new.employee_id)
        .bind(&new.role)
        .bind(&new.start_date)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| ApiError::on_conflict(e, || format!("employee {} is already onboarding", new.employee_id)))?;
    let event = OnboardingStarted { role: new.role.clone(), start_date: new.start_date.clone() };
    let envelope = ctx.events.envelope(&new.employee_id, PURPOSE, &event);
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
    ctx.commit(tx).await?;
    Ok(Onboarding {
        employee_id: new.employee_id,
        role: new.role,
        start_date: new.start_date,
        created_at: Some(time::timestamp(now)),
    })
}

/// The onboarding of `employee_id`.
pub async fn get(ctx: &ServiceContext, employee_id: &str) -> Result<Option<Onboarding>, sqlx::Error> {
    let row = sqlx::query("SELECT employee_id, role, start_date, created_at FROM onboardings WHERE employee_id = $1")
        .bind(employee_id)
        .fetch_optional(ctx.db.pool())
        .await?;
    row.map(|r| {
        Ok(Onboarding {
            employee_id: r.try_get(0)?,
            role: r.try_get(1)?,
            start_date: r.try_get(2)?,
            created_at: Some(time::timestamp(r.try_get(3)?)),
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_invalid_field() {
        let req = StartOnboardingRequest { employee_id: String::new(), role: " ".into(), start_date: "soon".into() };
        let Err(ApiError::InvalidArgument(v)) = NewOnboarding::parse(&req) else { panic!("expected invalid") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["employee_id", "role", "start_date"]);
    }
}
