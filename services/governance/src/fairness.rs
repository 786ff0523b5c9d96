//! Adverse-impact monitoring (four-fifths rule): for every selection stage and every voluntarily
//! reported group attribute, each group's selection rate divided by the best group's rate. Only
//! groups of at least [`MIN_GROUP_SIZE`] people count; a ratio under 0.8 raises an alert event,
//! a metric and an audit record, once, until it recovers.
//!
//! Group attributes are sealed with the person's key, held by governance alone and used for
//! nothing else; erasing the person destroys them.

use std::collections::{BTreeMap, HashMap};

use hrmesh_kit::{ApiError, Violations, events::GOVERNANCE_TOPIC, groups::MIN_GROUP_SIZE, outbox, telemetry, time};
use hrmesh_proto::governance::v1::{AdverseImpactAlert, AdverseImpactReport, ImpactRow};
use sqlx::{AnyConnection, Row};

use crate::{audit::Entry, core::Core};

/// The four-fifths threshold.
pub const THRESHOLD: f64 = 0.8;

const ATTRIBUTES: &[&str] = &["gender", "age_band", "nationality_group", "disability", "ethnicity"];

/// Purpose under which monitoring runs.
pub const PURPOSE: &str = "performance.bias_check";

impl Core {
    /// Stores (or removes, for an empty value) a person's self-reported group attributes.
    pub async fn report_attributes(
        &self,
        actor: &str,
        subject: &str,
        attributes: &HashMap<String, String>,
    ) -> Result<(), ApiError> {
        let mut v = Violations::default();
        for (attribute, group) in attributes {
            if !ATTRIBUTES.contains(&attribute.as_str()) {
                v.add(
                    &format!("attributes[{attribute}]"),
                    format!("unknown attribute; one of {}", ATTRIBUTES.join(", ")),
                );
            }
            if group.chars().count() > 64 {
                v.add(&format!("attributes[{attribute}]"), "must be at most 64 characters");
            }
        }
        if attributes.is_empty() {
            v.add("attributes", "must report at least one attribute");
        }
        v.finish()?;
        let mut tx = self.ctx.db.begin().await?;
        for (attribute, group) in attributes {
            let group = group.trim().to_lowercase();
            if group.is_empty() {
                sqlx::query("DELETE FROM group_attributes WHERE subject = $1 AND attribute = $2")
                    .bind(subject)
                    .bind(attribute)
                    .execute(&mut *tx)
                    .await?;
                continue;
            }
            let sealed = self.ctx.vault.seal(&mut tx, subject, &group).await?;
            sqlx::query(
                "INSERT INTO group_attributes (subject, attribute, sealed_group, reported_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (subject, attribute) DO UPDATE SET sealed_group = excluded.sealed_group,
                     reported_at = excluded.reported_at",
            )
            .bind(subject)
            .bind(attribute)
            .bind(sealed)
            .bind(time::now_ms())
            .execute(&mut *tx)
            .await?;
        }
        let entry = Entry {
            actor: actor.to_owned(),
            action: "group_attributes.reported".into(),
            subject_pseudonym: self.audit_pseudonym(subject),
            purpose: PURPOSE.into(),
            legal_basis: "GDPR art. 9(2)(a): explicit consent, voluntary report".into(),
            detail: attributes.keys().cloned().collect::<Vec<_>>().join(","),
            ..Entry::default()
        };
        self.audit(&mut tx, entry).await?;
        self.ctx.commit(tx).await?;
        Ok(())
    }

    /// Opened group attributes per person: subject → attribute → group.
    pub async fn attributes(
        &self,
        conn: &mut AnyConnection,
        subject: Option<&str>,
    ) -> Result<HashMap<String, BTreeMap<String, String>>, ApiError> {
        let rows = match subject {
            Some(s) => {
                sqlx::query("SELECT subject, attribute, sealed_group FROM group_attributes WHERE subject = $1")
                    .bind(s)
                    .fetch_all(&mut *conn)
                    .await?
            }
            None => {
                sqlx::query("SELECT subject, attribute, sealed_group FROM group_attributes")
                    .fetch_all(&mut *conn)
                    .await?
            }
        };
        let mut out: HashMap<String, BTreeMap<String, String>> = HashMap::new();
        for row in rows {
            let subject: String = row.try_get(0)?;
            let sealed: String = row.try_get(2)?;
            let group = self.ctx.vault.open(conn, &subject, &sealed).await?;
            if let Some(group) = group {
                out.entry(subject).or_default().insert(row.try_get(1)?, group);
            }
        }
        Ok(out)
    }

    /// Four-fifths ratios of one stage (latest outcome per person).
    async fn stage_rows(
        &self,
        conn: &mut AnyConnection,
        stage: &str,
        attributes: &HashMap<String, BTreeMap<String, String>>,
    ) -> Result<(Vec<ImpactRow>, u32), ApiError> {
        let rows = sqlx::query("SELECT subject, outcome FROM decisions WHERE stage = $1 ORDER BY decided_at")
            .bind(stage)
            .fetch_all(&mut *conn)
            .await?;
        let mut latest: HashMap<String, bool> = HashMap::new();
        for row in rows {
            latest.insert(row.try_get(0)?, row.try_get::<String, _>(1)? == "selected");
        }
        // attribute -> group -> (considered, selected)
        let mut tally: BTreeMap<&str, BTreeMap<&str, (u32, u32)>> = BTreeMap::new();
        for (subject, selected) in &latest {
            let Some(groups) = attributes.get(subject) else { continue };
            for (attribute, group) in groups {
                let entry = tally.entry(attribute.as_str()).or_default().entry(group.as_str()).or_default();
                entry.0 += 1;
                entry.1 += u32::from(*selected);
            }
        }
        let mut out = Vec::new();
        let mut suppressed = 0;
        for (attribute, groups) in tally {
            let eligible: Vec<(&str, u32, u32)> = groups
                .iter()
                .filter(|(_, (n, _))| *n as usize >= MIN_GROUP_SIZE)
                .map(|(g, (n, s))| (*g, *n, *s))
                .collect();
            suppressed += u32::try_from(groups.len() - eligible.len()).unwrap_or(0);
            let best = eligible.iter().map(|(_, n, s)| f64::from(*s) / f64::from(*n)).fold(0.0, f64::max);
            for (group, considered, selected) in eligible {
                let rate = f64::from(selected) / f64::from(considered);
                let ratio = if best > 0.0 { rate / best } else { 1.0 };
                out.push(ImpactRow {
                    stage: stage.to_owned(),
                    attribute: attribute.to_owned(),
                    group: group.to_owned(),
                    considered,
                    selected,
                    selection_rate: rate,
                    impact_ratio: ratio,
                    alert: ratio < THRESHOLD,
                });
            }
        }
        Ok((out, suppressed))
    }

    /// The report over every stage.
    pub async fn adverse_impact_report(&self) -> Result<AdverseImpactReport, ApiError> {
        let mut conn = self.ctx.db.pool().acquire().await?;
        let attributes = self.attributes(&mut conn, None).await?;
        let stages = sqlx::query("SELECT DISTINCT stage FROM decisions WHERE stage <> '' ORDER BY stage")
            .fetch_all(&mut *conn)
            .await?;
        let mut report = AdverseImpactReport { minimum_group_size: MIN_GROUP_SIZE as u32, ..Default::default() };
        for row in stages {
            let stage: String = row.try_get(0)?;
            let (rows, suppressed) = self.stage_rows(&mut conn, &stage, &attributes).await?;
            report.rows.extend(rows);
            report.suppressed_groups += suppressed;
            if suppressed > 0 {
                report.suppressed_by_stage.insert(stage, suppressed);
            }
        }
        Ok(report)
    }
}

/// Recomputes one stage inside the transaction that recorded a decision; raises alerts for
/// ratios that newly fell under the threshold and clears recovered ones.
pub async fn monitor_stage(core: &Core, tx: &mut AnyConnection, stage: &str) -> Result<(), ApiError> {
    let attributes = core.attributes(tx, None).await?;
    let (rows, _) = core.stage_rows(tx, stage, &attributes).await?;
    for row in rows {
        let labels = [
            telemetry::label("stage", row.stage.clone()),
            telemetry::label("attribute", row.attribute.clone()),
            telemetry::label("group", row.group.clone()),
        ];
        telemetry::metrics().adverse_impact_ratio.record(row.impact_ratio, &labels);
        if row.alert {
            let raised = sqlx::query(
                "INSERT INTO impact_alerts (stage, attribute, grp, impact_ratio, raised_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (stage, attribute, grp) DO NOTHING",
            )
            .bind(&row.stage)
            .bind(&row.attribute)
            .bind(&row.group)
            .bind(row.impact_ratio)
            .bind(time::now_ms())
            .execute(&mut *tx)
            .await?;
            if raised.rows_affected() == 0 {
                continue;
            }
            tracing::warn!(stage = %row.stage, attribute = %row.attribute, group = %row.group,
                ratio = row.impact_ratio, "adverse impact: selection ratio below four-fifths");
            telemetry::metrics().adverse_impact_alerts.add(
                1,
                &[telemetry::label("stage", row.stage.clone()), telemetry::label("attribute", row.attribute.clone())],
            );
            let alert = AdverseImpactAlert {
                stage: row.stage.clone(),
                attribute: row.attribute.clone(),
                group: row.group.clone(),
                impact_ratio: row.impact_ratio,
            };
            let envelope = core.ctx.events.envelope("", PURPOSE, &alert);
            outbox::enqueue(tx, GOVERNANCE_TOPIC, &envelope).await?;
            let entry = Entry {
                actor: crate::NAME.into(),
                action: "adverse_impact.alert".into(),
                purpose: PURPOSE.into(),
                detail: format!(
                    "stage {} {}={} ratio {:.3} ({} of {} selected)",
                    row.stage, row.attribute, row.group, row.impact_ratio, row.selected, row.considered
                ),
                ..Entry::default()
            };
            core.audit(tx, entry).await?;
        } else {
            sqlx::query("DELETE FROM impact_alerts WHERE stage = $1 AND attribute = $2 AND grp = $3")
                .bind(&row.stage)
                .bind(&row.attribute)
                .bind(&row.group)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}
