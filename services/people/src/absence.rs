//! Sickness absence: sick and recovery reports (never a diagnosis) and the statutory tasks the
//! work country attaches to them, computed from the spells whenever they are read.

use ::time::Date;
use hrmesh_kit::{ApiError, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time};
use hrmesh_proto::people::v1::{self as pb, AbsenceTask, RecoveryReported, SickReported};
use sqlx::AnyConnection;

use crate::{
    contracts, employees, purposes, reasons,
    sickness::{self, SickSpell, TaskKind},
};

/// The wire code of a task.
pub fn code(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::ProblemAnalysis => "problem_analysis",
        TaskKind::PlanOfAction => "plan_of_action",
        TaskKind::NotifyUwv => "uwv_notification",
        TaskKind::FirstYearEvaluation => "first_year_evaluation",
        TaskKind::WiaApplication => "wia_application",
        TaskKind::ContinuedPayEnds => "continued_pay_ends",
        TaskKind::RetrieveEau => "eau_retrieval",
        TaskKind::BemOffer => "bem_offer",
        TaskKind::NotifyMutuality => "mutuality_notification",
        TaskKind::GuaranteedPayEnds => "guaranteed_pay_ends",
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    spell_id: String,
    first_day: String,
    recovered_on: Option<String>,
}

impl Row {
    fn spell(&self) -> SickSpell {
        SickSpell {
            first_day: time::parse_date("first_day", &self.first_day).unwrap_or(Date::MIN),
            recovered: self.recovered_on.as_deref().and_then(|d| time::parse_date("recovered_on", d).ok()),
        }
    }
}

async fn spells(conn: &mut AnyConnection, employee_id: &str) -> Result<Vec<Row>, ApiError> {
    Ok(sqlx::query_as(
        "SELECT spell_id, first_day, recovered_on FROM sick_spells WHERE employee_id = $1 ORDER BY first_day",
    )
    .bind(employee_id)
    .fetch_all(conn)
    .await?)
}

/// Every spell of `employee_id` with its tasks, described in `locale`.
pub async fn list(conn: &mut AnyConnection, employee_id: &str, locale: Locale) -> Result<Vec<pb::SickSpell>, ApiError> {
    let placement = employees::placement(conn, employee_id).await?;
    let eau_day = contracts::current(conn, employee_id, time::today()).await?.map_or(4, |c| c.sick_note_from_day);
    let rows = spells(conn, employee_id).await?;
    let all: Vec<SickSpell> = rows.iter().map(Row::spell).collect();
    Ok(rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let tasks = sickness::tasks(placement.country(), &all[i], &all[..i], eau_day)
                .into_iter()
                .map(|t| AbsenceTask {
                    kind: code(t.kind).to_owned(),
                    due: time::format_date(t.due),
                    rule: t.rule.to_owned(),
                    description: t.kind.text(locale).to_owned(),
                })
                .collect();
            pb::SickSpell {
                spell_id: row.spell_id.clone(),
                employee_id: employee_id.to_owned(),
                first_day: row.first_day.clone(),
                recovered_on: row.recovered_on.clone().unwrap_or_default(),
                tasks,
            }
        })
        .collect())
}

async fn spell_reply(
    ctx: &ServiceContext,
    employee_id: &str,
    spell_id: &str,
    locale: Locale,
) -> Result<pb::SickSpell, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    list(&mut conn, employee_id, locale)
        .await?
        .into_iter()
        .find(|s| s.spell_id == spell_id)
        .ok_or_else(|| ApiError::NotFound(format!("no sickness spell {spell_id}")))
}

/// Reports `employee_id` sick from `first_day`.
pub async fn report_sick(
    ctx: &ServiceContext,
    employee_id: &str,
    first_day: Date,
    by: &str,
    locale: Locale,
) -> Result<pb::SickSpell, ApiError> {
    let mut tx = ctx.db.begin().await?;
    employees::placement(&mut tx, employee_id).await?;
    let rows = spells(&mut tx, employee_id).await?;
    if let Some(open) = rows.iter().find(|r| r.recovered_on.is_none()) {
        return Err(ApiError::refused(
            reasons::ALREADY_SICK,
            format!(
                "{employee_id} is reported sick since {} already / is al ziek gemeld / ist bereits krankgemeldet",
                open.first_day
            ),
        ));
    }
    if let Some(overlap) = rows.iter().find(|r| r.spell().recovered.is_some_and(|back| back > first_day)) {
        return Err(ApiError::refused(
            reasons::SPELL_OVERLAP,
            format!(
                "a spell from {} to {} covers that day",
                overlap.first_day,
                overlap.recovered_on.as_deref().unwrap_or_default()
            ),
        ));
    }
    let spell_id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO sick_spells (spell_id, employee_id, first_day, reported_by, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&spell_id)
        .bind(employee_id)
        .bind(time::format_date(first_day))
        .bind(by)
        .bind(time::now_ms())
        .execute(&mut *tx)
        .await?;
    let event = SickReported { spell_id: spell_id.clone(), first_day: time::format_date(first_day) };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(employee_id, purposes::ABSENCE, &event))
        .await?;
    ctx.commit(tx).await?;
    spell_reply(ctx, employee_id, &spell_id, locale).await
}

/// Ends the open spell of `employee_id`: `recovered_on` is the first day back.
pub async fn report_recovery(
    ctx: &ServiceContext,
    employee_id: &str,
    recovered_on: Date,
    locale: Locale,
) -> Result<pb::SickSpell, ApiError> {
    let mut tx = ctx.db.begin().await?;
    let rows = spells(&mut tx, employee_id).await?;
    let open = rows.iter().find(|r| r.recovered_on.is_none()).ok_or_else(|| {
        ApiError::refused(
            reasons::NOT_SICK,
            format!("{employee_id} is not reported sick / is niet ziek gemeld / ist nicht krankgemeldet"),
        )
    })?;
    let first = open.spell().first_day;
    if recovered_on <= first {
        return Err(ApiError::refused(
            reasons::RECOVERY_BEFORE_SICKNESS,
            format!("recovered_on must be after the first sick day {}", open.first_day),
        ));
    }
    sqlx::query("UPDATE sick_spells SET recovered_on = $2 WHERE spell_id = $1")
        .bind(&open.spell_id)
        .bind(time::format_date(recovered_on))
        .execute(&mut *tx)
        .await?;
    let days = u32::try_from((recovered_on - first).whole_days()).unwrap_or(u32::MAX);
    let event = RecoveryReported {
        spell_id: open.spell_id.clone(),
        first_day: open.first_day.clone(),
        recovered_on: time::format_date(recovered_on),
        days,
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(employee_id, purposes::ABSENCE, &event))
        .await?;
    ctx.commit(tx).await?;
    spell_reply(ctx, employee_id, &open.spell_id, locale).await
}
