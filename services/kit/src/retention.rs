//! Retention that is enforced: every service declares, per purpose, which records expire after
//! how many days, and a sweeper deletes or anonymises them and reports each sweep to the audit
//! trail. Records under a legal retention duty are declared with the duty's own date column (e.g.
//! a payslip's `retain_until`), so a duty holds them for as long as the law says and no longer.

use std::time::Duration;

use hrmesh_proto::events::v1::RetentionSwept;
use tokio_util::sync::CancellationToken;

use crate::{events::raw_topic, outbox, service::ServiceContext, time};

/// How often the sweeper runs (also once at start).
const INTERVAL: Duration = Duration::from_secs(3600);

/// How a rule's column tells a record's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    /// A `YYYY-MM-DD` text column: `$1` is the cutoff date.
    Date,
    /// Unix milliseconds: `$1` is the cutoff instant.
    Millis,
}

/// Records of one kind that expire `days` after the date their statement compares.
#[derive(Debug, Clone, Copy)]
pub struct RetentionRule {
    /// The purpose the records serve; its retention is declared in governance's registry.
    pub purpose: &'static str,
    /// The kind of record, as audits and erasure reports name it.
    pub kind: &'static str,
    /// Days after which a record expires (0: the column holds the expiry itself).
    pub days: u32,
    /// A DELETE or UPDATE (anonymisation) of the expired records, with `$1` the cutoff.
    pub statement: &'static str,
    pub age: Age,
}

impl RetentionRule {
    /// The cutoff for `today_ms`: records older than this are expired.
    fn cutoff(&self, now_ms: i64) -> (String, i64) {
        let cutoff_ms = now_ms - i64::from(self.days) * 86_400_000;
        let date = ::time::OffsetDateTime::from_unix_timestamp(cutoff_ms.div_euclid(1000))
            .map(|t| time::format_date(t.date()))
            .unwrap_or_default();
        (date, cutoff_ms)
    }
}

/// Applies every rule once; returns how many records each swept.
pub async fn sweep(ctx: &ServiceContext, rules: &[RetentionRule]) -> anyhow::Result<Vec<(&'static str, u64)>> {
    let mut done = Vec::new();
    for rule in rules {
        let (date, ms) = rule.cutoff(time::now_ms());
        let mut tx = ctx.db.begin().await?;
        let query = sqlx::query(rule.statement);
        let query = match rule.age {
            Age::Date => query.bind(date.clone()),
            Age::Millis => query.bind(ms),
        };
        let swept = query.execute(&mut *tx).await?.rows_affected();
        if swept > 0 {
            let event = RetentionSwept {
                purpose: rule.purpose.to_owned(),
                kind: rule.kind.to_owned(),
                count: u32::try_from(swept).unwrap_or(u32::MAX),
                cutoff: date,
            };
            let envelope = ctx.events.envelope(ctx.name, rule.purpose, &event);
            outbox::enqueue(&mut tx, &raw_topic(ctx.name), &envelope).await?;
            tracing::info!(service = ctx.name, kind = rule.kind, swept, "retention sweep");
        }
        ctx.commit(tx).await?;
        done.push((rule.kind, swept));
    }
    Ok(done)
}

/// Sweeps at start and then every hour until `stop`.
pub async fn run(ctx: ServiceContext, rules: Vec<RetentionRule>, stop: CancellationToken) {
    let mut timer = tokio::time::interval(INTERVAL);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = timer.tick() => {
                if let Err(e) = sweep(&ctx, &rules).await {
                    tracing::warn!(service = ctx.name, error = %e, "retention sweep failed; retrying within the hour");
                }
            }
        }
    }
}
