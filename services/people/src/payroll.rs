//! Payroll results: imported per period from a payroll provider's export, sealed, kept for the
//! statutory retention period (also against erasure: GDPR art. 17(3)(b)), read and explained by
//! the employee.
//!
//! Payslips are sealed under the person's payroll key (`payroll:<employee id>`), not their
//! personal key: erasure destroys the personal key at once, while the payroll key lives until the
//! retention sweeper has deleted the last payslip it protects.

use hrmesh_kit::{ApiError, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time};
use hrmesh_proto::people::v1::{self as pb, PayslipImported, RowError};
use sqlx::AnyConnection;

use crate::{
    country::Country,
    employees,
    payslip::{self, Payslip},
    purposes,
};

/// The subject whose key seals `employee_id`'s payroll records.
pub fn payroll_subject(employee_id: &str) -> String {
    format!("payroll:{employee_id}")
}

/// Years payroll records must be kept after the period, by work country, with the rule.
pub fn retention(country: Country) -> (i32, &'static str) {
    match country {
        Country::Nl => (7, "NL: Algemene wet inzake rijksbelastingen art. 52 (7 years)"),
        Country::De => (10, "DE: Abgabenordnung §147 (up to 10 years)"),
        Country::Be => (5, "BE: KB 8 augustus 1980 sociale documenten (5 years)"),
    }
}

fn period_text((year, month): (i32, u8)) -> String {
    format!("{year:04}-{month:02}")
}

/// Imports an export; all-or-nothing, and a period imported again replaces the earlier one.
pub async fn import(ctx: &ServiceContext, content: &[u8], dry_run: bool) -> Result<pb::ImportPayslipsReport, ApiError> {
    let invalid = |why: String| ApiError::InvalidArgument(vec![hrmesh_kit::FieldViolation::new("content", why)]);
    if content.len() > crate::import::MAX_BYTES {
        return Err(invalid("must be at most 10 MiB".into()));
    }
    let text = std::str::from_utf8(content).map_err(|e| invalid(format!("must be UTF-8 text: {e}")))?;
    let slips = match payslip::parse_export(text) {
        Ok(slips) => slips,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|e| RowError {
                    line: u32::try_from(e.line).unwrap_or(u32::MAX),
                    field: String::new(),
                    reason: e.reason,
                })
                .collect();
            return Ok(pb::ImportPayslipsReport { payslips: 0, errors, dry_run });
        }
    };
    let mut tx = ctx.db.begin().await?;
    let mut errors = Vec::new();
    let mut placements = Vec::new();
    for slip in &slips {
        match employees::placement(&mut tx, &slip.employee_ref).await {
            Ok(p) => placements.push(p),
            Err(ApiError::NotFound(_)) => errors.push(RowError {
                line: 0,
                field: "employee".into(),
                reason: format!("no employee {} (payslip {})", slip.employee_ref, period_text(slip.period)),
            }),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() || dry_run {
        tx.rollback().await?;
        return Ok(pb::ImportPayslipsReport {
            payslips: u32::try_from(slips.len()).unwrap_or(u32::MAX),
            errors,
            dry_run,
        });
    }
    let topic = raw_topic(crate::NAME);
    for (slip, placement) in slips.iter().zip(&placements) {
        let json = serde_json::to_string(slip)?;
        let sealed = ctx.vault.seal(&mut tx, &payroll_subject(&slip.employee_ref), &json).await?;
        let (years, _) = retention(placement.country());
        let (year, month) = slip.period;
        let retain_until = format!("{:04}-{month:02}-28", year + years);
        sqlx::query(
            "INSERT INTO payslips (employee_id, period, payslip_sealed, retain_until, imported_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (employee_id, period) DO UPDATE SET payslip_sealed = $3, retain_until = $4, imported_at = $5",
        )
        .bind(&slip.employee_ref)
        .bind(period_text(slip.period))
        .bind(sealed)
        .bind(retain_until)
        .bind(time::now_ms())
        .execute(&mut *tx)
        .await?;
        let event = PayslipImported { period: period_text(slip.period) };
        outbox::enqueue(&mut tx, &topic, &ctx.events.envelope(&slip.employee_ref, purposes::PAYROLL, &event)).await?;
    }
    ctx.commit(tx).await?;
    Ok(pb::ImportPayslipsReport { payslips: u32::try_from(slips.len()).unwrap_or(u32::MAX), errors, dry_run })
}

/// Every payslip of `employee_id`, oldest first.
async fn all(ctx: &ServiceContext, conn: &mut AnyConnection, employee_id: &str) -> Result<Vec<Payslip>, ApiError> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT payslip_sealed FROM payslips WHERE employee_id = $1 ORDER BY period")
            .bind(employee_id)
            .fetch_all(&mut *conn)
            .await?;
    let subject = payroll_subject(employee_id);
    let mut out = Vec::new();
    for (sealed,) in rows {
        let Some(json) = ctx.vault.open(conn, &subject, &sealed).await? else {
            continue;
        };
        out.push(serde_json::from_str(&json)?);
    }
    Ok(out)
}

/// The periods with a payslip, newest first.
pub async fn list(ctx: &ServiceContext, employee_id: &str) -> Result<Vec<pb::PayslipSummary>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let slips = all(ctx, &mut conn, employee_id).await?;
    Ok(slips
        .iter()
        .rev()
        .map(|s| pb::PayslipSummary { period: period_text(s.period), gross: s.gross, net: s.net })
        .collect())
}

/// The payslip of `period` (the latest when `None`) explained in `locale`.
pub async fn explain(
    ctx: &ServiceContext,
    employee_id: &str,
    period: Option<(i32, u8)>,
    locale: Locale,
) -> Result<pb::PayslipExplanation, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let slips = all(ctx, &mut conn, employee_id).await?;
    let at = match period {
        Some(p) => slips.iter().position(|s| s.period == p),
        None => slips.len().checked_sub(1),
    }
    .ok_or_else(|| ApiError::NotFound(format!("no payslip of {employee_id} for that period")))?;
    let slip = &slips[at];
    let previous = at.checked_sub(1).map(|i| &slips[i]);
    let text = payslip::explain(slip, previous, locale);
    Ok(pb::PayslipExplanation {
        period: period_text(slip.period),
        gross: slip.gross,
        net: slip.net,
        lines: slip
            .lines
            .iter()
            .map(|l| pb::PayslipLine {
                code: l.code.clone(),
                label: l.label.clone(),
                kind: l.kind.as_str().to_owned(),
                amount: l.amount_cents,
            })
            .collect(),
        explanations: text.lines,
        difference: text.difference,
        previous_period: previous.map(|p| period_text(p.period)).unwrap_or_default(),
    })
}

/// Parses a period `YYYY-MM`.
pub fn parse_period(field: &str, value: &str) -> Result<Option<(i32, u8)>, hrmesh_kit::FieldViolation> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let bad = || hrmesh_kit::FieldViolation::new(field, "must be a month like 2026-03 (YYYY-MM)");
    let (y, m) = value.split_once('-').ok_or_else(bad)?;
    let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u8>()) else { return Err(bad()) };
    if y.to_string().len() != 4 || !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok(Some((y, m)))
}

/// The person's payslips, opened, for an access request.
pub async fn export(
    conn: &mut AnyConnection,
    vault: &hrmesh_kit::crypto::Vault,
    employee_id: &str,
) -> anyhow::Result<serde_json::Value> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT period, payslip_sealed, retain_until FROM payslips WHERE employee_id = $1 ORDER BY period",
    )
    .bind(employee_id)
    .fetch_all(&mut *conn)
    .await?;
    let subject = payroll_subject(employee_id);
    let mut out = Vec::new();
    for (period, sealed, retain_until) in rows {
        let slip = vault.open(conn, &subject, &sealed).await?;
        let slip: serde_json::Value = slip.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
        out.push(serde_json::json!({ "period": period, "payslip": slip, "retained_until": retain_until }));
    }
    Ok(serde_json::Value::Array(out))
}

/// What erasure must leave in place: the person's payslips, under their retention duty.
pub async fn held(
    conn: &mut AnyConnection,
    employee_id: &str,
) -> anyhow::Result<Option<hrmesh_proto::privacy::v1::ErasedItem>> {
    let (count, until): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(retain_until) FROM payslips WHERE employee_id = $1")
            .bind(employee_id)
            .fetch_one(&mut *conn)
            .await?;
    if count == 0 {
        return Ok(None);
    }
    let country: Option<(String,)> = sqlx::query_as("SELECT work_country FROM employees WHERE employee_id = $1")
        .bind(employee_id)
        .fetch_optional(&mut *conn)
        .await?;
    let country = country.and_then(|(c,)| Country::parse(&c)).unwrap_or(Country::Nl);
    let (_, rule) = retention(country);
    Ok(Some(hrmesh_proto::privacy::v1::ErasedItem {
        kind: "payslips".into(),
        count: u32::try_from(count).unwrap_or(u32::MAX),
        action: format!(
            "held: legal retention duty, GDPR art. 17(3)(b); {rule}; deleted after {}",
            until.unwrap_or_default()
        ),
    }))
}
