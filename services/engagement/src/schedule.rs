//! The scheduler of recurring pulses: at start and every hour, opens each survey's first round
//! when its opening day has come, and the next round of a recurring pulse when it is due.

use std::time::Duration;

use hrmesh_kit::{ApiError, service::ServiceContext, time};
use tokio_util::sync::CancellationToken;

use crate::{grpc, surveys};

const INTERVAL: Duration = Duration::from_secs(3600);

/// Opens every round that is due today; returns how many were opened.
pub async fn open_due_rounds(ctx: &ServiceContext) -> Result<usize, ApiError> {
    let today = time::today();
    let day = time::format_date(today);
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT survey_id FROM surveys WHERE opens_on <= $1 AND closes_on >= $1 ORDER BY survey_id")
            .bind(&day)
            .fetch_all(ctx.db.pool())
            .await?;
    let mut opened = 0;
    for (id,) in ids {
        let mut conn = ctx.db.pool().acquire().await?;
        let survey = surveys::get(&mut conn, &id).await?;
        let due = match surveys::round(&mut conn, &id, 0).await {
            Ok(current) => surveys::next_round_due(&survey, &current)?.map(|d| (current.number() + 1, d)),
            Err(ApiError::NotFound(_)) => Some((
                1,
                time::parse_date("opens_on", &survey.opens_on).map_err(|v| ApiError::InvalidArgument(vec![v]))?,
            )),
            Err(e) => return Err(e),
        };
        drop(conn);
        if let Some((number, opens_on)) = due.filter(|(_, d)| *d <= today) {
            match grpc::open(ctx, &survey, number, opens_on).await {
                Ok(_) | Err(ApiError::AlreadyExists(_)) => opened += 1,
                Err(e) => {
                    tracing::warn!(survey = %id, error = %e, "could not open a due pulse round; retrying within the hour");
                }
            }
        }
    }
    Ok(opened)
}

/// Runs [`open_due_rounds`] at start and every hour until `stop`.
pub async fn run(ctx: ServiceContext, stop: CancellationToken) {
    let mut timer = tokio::time::interval(INTERVAL);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = timer.tick() => {
                if let Err(e) = open_due_rounds(&ctx).await {
                    tracing::warn!(error = %e, "pulse scheduler failed; retrying within the hour");
                }
            }
        }
    }
}
