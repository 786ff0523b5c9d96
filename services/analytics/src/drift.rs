//! Scheduled retraining and the drift check of the feature-store model: once a model is 30 days
//! old, today's active population is scored with it and the score distribution compared with the
//! training-time one (population stability index), then a new model is trained on today's
//! feature store. Both are recorded in `attrition_drift`; nothing else happens automatically.

use std::time::Duration;

use hrmesh_kit::{service::ServiceContext, time};
use sqlx::Row;
use tokio_util::sync::CancellationToken;

use crate::{
    attrition::table::RawTable,
    features,
    models::{self, Source, TrainInput},
};

/// How often the worker looks.
const INTERVAL: Duration = Duration::from_secs(24 * 3600);
/// Age at which the feature-store model is retrained.
const RETRAIN_AFTER_MS: i64 = 30 * 86_400_000;

/// Checks at start and then daily until `stop`.
pub async fn run(ctx: ServiceContext, stop: CancellationToken) {
    loop {
        if let Err(e) = check(&ctx).await {
            tracing::warn!(error = %e, "attrition drift check failed; retrying tomorrow");
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(INTERVAL) => {}
        }
    }
}

async fn check(ctx: &ServiceContext) -> anyhow::Result<()> {
    let mut conn = ctx.db.pool().acquire().await?;
    let latest = sqlx::query(
        "SELECT model_id, trained_at FROM attrition_models WHERE source = $1 ORDER BY trained_at DESC LIMIT 1",
    )
    .bind(Source::FeatureStore.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(latest) = latest else { return Ok(()) };
    let (model_id, trained_at): (String, i64) = (latest.try_get(0)?, latest.try_get(1)?);
    let now = time::now_ms();
    if now - trained_at < RETRAIN_AFTER_MS {
        return Ok(());
    }
    let stored = models::load(&mut conn, &model_id, None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let directory = features::directory_rows(&mut conn).await?;
    drop(conn);
    let header: Vec<String> = models::FS_COLUMNS.iter().map(|&c| c.to_owned()).collect();
    let active: Vec<Vec<String>> =
        directory.iter().filter(|r| r.status == features::ACTIVE).filter_map(|r| models::fs_row(r, now)).collect();
    let psi = match RawTable::from_rows(&header, &active).map(|raw| stored.model.score_table(&raw)) {
        Ok(Ok(scores)) if !scores.is_empty() && !stored.baseline.is_empty() => {
            models::psi(&stored.baseline, &models::deciles(&scores))
        }
        _ => f64::NAN,
    };
    let (header, rows) = models::fs_table(&directory, now);
    let retrained =
        match models::train(TrainInput::Rows(header, rows), models::options(models::FS_TARGET, &[], &[], now)).await {
            Ok((model, baseline)) => {
                let mut conn = ctx.db.pool().acquire().await?;
                models::save(&mut conn, Source::FeatureStore, &model, &baseline)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?
            }
            Err(e) => {
                tracing::warn!(error = %e, "attrition model not retrained");
                String::new()
            }
        };
    tracing::info!(%model_id, psi, %retrained, "attrition drift check");
    sqlx::query(
        "INSERT INTO attrition_drift (checked_at, model_id, psi, rows_scored, retrained_model_id) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now)
    .bind(&model_id)
    .bind(if psi.is_finite() { psi } else { -1.0 })
    .bind(i64::try_from(active.len()).unwrap_or(i64::MAX))
    .bind(retrained)
    .execute(ctx.db.pool())
    .await?;
    Ok(())
}
