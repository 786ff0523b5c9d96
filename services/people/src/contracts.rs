//! Contracts with history: each version applies from its `effective_from` until the next one.

use hrmesh_kit::{
    ApiError, FieldViolation, Violations, error::identifier, events::raw_topic, outbox, service::ServiceContext, time,
};
use hrmesh_proto::people::v1::{self as pb, ContractChanged, HireStarting, SetContractRequest};
use sqlx::AnyConnection;

use crate::{entitlement::ContractTerms, purposes};

/// Permanent or fixed-term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Permanent,
    FixedTerm,
}

impl Kind {
    /// The wire and storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permanent => "permanent",
            Self::FixedTerm => "fixed_term",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "permanent" => Some(Self::Permanent),
            "fixed_term" => Some(Self::FixedTerm),
            _ => None,
        }
    }
}

/// One validated contract version.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub effective_from: ::time::Date,
    pub start: ::time::Date,
    pub end: Option<::time::Date>,
    pub probation_end: Option<::time::Date>,
    pub weekly_hours: f64,
    pub days_per_week: u8,
    pub kind: Kind,
    pub extra_leave_days: f64,
    pub sick_note_from_day: u8,
}

impl Contract {
    /// Parses a request (the employee id is checked by the caller).
    pub fn parse(req: &SetContractRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let start = v.check(time::parse_date("start_date", &req.start_date));
        let effective_from = if req.effective_from.trim().is_empty() {
            start
        } else {
            v.check(time::parse_date("effective_from", &req.effective_from))
        };
        let end = v.check(time::parse_optional_date("end_date", &req.end_date)).flatten();
        let probation_end = v.check(time::parse_optional_date("probation_end", &req.probation_end)).flatten();
        if !(req.weekly_hours > 0.0 && req.weekly_hours <= 60.0) {
            v.add("weekly_hours", "must be more than 0 and at most 60");
        }
        let days_per_week = u8::try_from(req.days_per_week).ok().filter(|d| (1..=6).contains(d));
        if days_per_week.is_none() {
            v.add("days_per_week", "must be 1 to 6");
        }
        let kind = match Kind::parse(&req.kind) {
            Some(k) => Some(k),
            None if req.kind.trim().is_empty() => Some(if end.is_some() { Kind::FixedTerm } else { Kind::Permanent }),
            None => {
                v.add("kind", "must be permanent or fixed_term");
                None
            }
        };
        if kind == Some(Kind::FixedTerm) && end.is_none() {
            v.add("end_date", "a fixed-term contract needs its end date");
        }
        if !(0.0..=100.0).contains(&req.extra_leave_days) {
            v.add("extra_leave_days", "must be 0 to 100");
        }
        let sick_note_from_day = match req.sick_note_from_day {
            0 => Some(4),
            d @ 1..=4 => u8::try_from(d).ok(),
            _ => {
                v.add("sick_note_from_day", "must be 1 to 4 (the law's latest is the fourth day)");
                None
            }
        };
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            v.add("end_date", "must not be before start_date");
        }
        if let (Some(start), Some(p)) = (start, probation_end)
            && p < start
        {
            v.add("probation_end", "must not be before start_date");
        }
        match (effective_from, start, days_per_week, kind, sick_note_from_day) {
            (Some(effective_from), Some(start), Some(days_per_week), Some(kind), Some(sick_note_from_day))
                if v.is_empty() =>
            {
                Ok(Self {
                    effective_from,
                    start,
                    end,
                    probation_end,
                    weekly_hours: req.weekly_hours,
                    days_per_week,
                    kind,
                    extra_leave_days: req.extra_leave_days,
                    sick_note_from_day,
                })
            }
            _ => Err(v.into_error()),
        }
    }

    /// The terms the leave rules need.
    pub fn terms(&self) -> ContractTerms {
        ContractTerms {
            start: self.start,
            end: self.end,
            weekly_hours: self.weekly_hours,
            days_per_week: self.days_per_week,
            extra_days_per_year: self.extra_leave_days,
        }
    }

    /// The wire form.
    pub fn to_proto(&self, employee_id: &str) -> pb::Contract {
        pb::Contract {
            employee_id: employee_id.to_owned(),
            effective_from: time::format_date(self.effective_from),
            start_date: time::format_date(self.start),
            end_date: self.end.map(time::format_date).unwrap_or_default(),
            probation_end: self.probation_end.map(time::format_date).unwrap_or_default(),
            weekly_hours: self.weekly_hours,
            days_per_week: u32::from(self.days_per_week),
            kind: self.kind.as_str().to_owned(),
            extra_leave_days: self.extra_leave_days,
            sick_note_from_day: u32::from(self.sick_note_from_day),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    effective_from: String,
    start_date: String,
    end_date: Option<String>,
    probation_end: Option<String>,
    weekly_hours: f64,
    days_per_week: i64,
    kind: String,
    extra_leave_days: f64,
    sick_note_from_day: i64,
}

impl Row {
    fn into_contract(self) -> Result<Contract, ApiError> {
        let date = |f: &str, v: &str| time::parse_date(f, v).map_err(|e| ApiError::Internal(anyhow::anyhow!("{e:?}")));
        Ok(Contract {
            effective_from: date("effective_from", &self.effective_from)?,
            start: date("start_date", &self.start_date)?,
            end: self.end_date.as_deref().map(|d| date("end_date", d)).transpose()?,
            probation_end: self.probation_end.as_deref().map(|d| date("probation_end", d)).transpose()?,
            weekly_hours: self.weekly_hours,
            days_per_week: u8::try_from(self.days_per_week).unwrap_or(5),
            kind: Kind::parse(&self.kind).unwrap_or(Kind::Permanent),
            extra_leave_days: self.extra_leave_days,
            sick_note_from_day: u8::try_from(self.sick_note_from_day).unwrap_or(4),
        })
    }
}

const COLUMNS: &str = "effective_from, start_date, end_date, probation_end, weekly_hours, days_per_week, kind,
    extra_leave_days, sick_note_from_day";

/// Every contract version of `employee_id`, newest first.
pub async fn history(conn: &mut AnyConnection, employee_id: &str) -> Result<Vec<Contract>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM contracts WHERE employee_id = $1 ORDER BY effective_from DESC");
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employee_id).fetch_all(conn).await?;
    rows.into_iter().map(Row::into_contract).collect()
}

/// The version in force on `on`: the latest that took effect by then (or the first one, for a
/// contract that starts later).
pub async fn current(
    conn: &mut AnyConnection,
    employee_id: &str,
    on: ::time::Date,
) -> Result<Option<Contract>, ApiError> {
    let all = history(conn, employee_id).await?;
    let in_force = all.iter().find(|c| c.effective_from <= on).or_else(|| all.last());
    Ok(in_force.cloned())
}

/// Records `contract` for `employee_id` with its event, inside `tx`; `false` when the same
/// version was stored already.
pub async fn record(
    ctx: &ServiceContext,
    tx: &mut AnyConnection,
    employee_id: &str,
    contract: &Contract,
) -> Result<bool, ApiError> {
    let existing = history(tx, employee_id).await?;
    if existing.iter().any(|c| c == contract) {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO contracts (employee_id, effective_from, start_date, end_date, probation_end, weekly_hours,
         days_per_week, kind, extra_leave_days, sick_note_from_day, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (employee_id, effective_from) DO UPDATE SET start_date = $3, end_date = $4, probation_end = $5,
         weekly_hours = $6, days_per_week = $7, kind = $8, extra_leave_days = $9, sick_note_from_day = $10,
         recorded_at = $11",
    )
    .bind(employee_id)
    .bind(time::format_date(contract.effective_from))
    .bind(time::format_date(contract.start))
    .bind(contract.end.map(time::format_date))
    .bind(contract.probation_end.map(time::format_date))
    .bind(contract.weekly_hours)
    .bind(i64::from(contract.days_per_week))
    .bind(contract.kind.as_str())
    .bind(contract.extra_leave_days)
    .bind(i64::from(contract.sick_note_from_day))
    .bind(time::now_ms())
    .execute(&mut *tx)
    .await?;
    let event = ContractChanged {
        effective_from: time::format_date(contract.effective_from),
        start_date: time::format_date(contract.start),
        end_date: contract.end.map(time::format_date).unwrap_or_default(),
        weekly_hours: contract.weekly_hours,
        kind: contract.kind.as_str().to_owned(),
    };
    let envelope = ctx.events.envelope(employee_id, purposes::CONTRACTS, &event);
    outbox::enqueue(tx, &raw_topic(crate::NAME), &envelope).await?;
    if existing.is_empty() {
        announce_hire(ctx, tx, employee_id, contract).await?;
    }
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct NewHire {
    job_title: String,
    work_country: String,
    preferred_language: String,
    manager_id: Option<String>,
}

/// A pre-boarding employee's first contract announces the hire to onboarding (`HireStarting`).
async fn announce_hire(
    ctx: &ServiceContext,
    tx: &mut AnyConnection,
    employee_id: &str,
    contract: &Contract,
) -> Result<(), ApiError> {
    let hire: Option<NewHire> = sqlx::query_as(
        "SELECT job_title, work_country, preferred_language, manager_id FROM employees
         WHERE employee_id = $1 AND status = 'preboarding'",
    )
    .bind(employee_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(hire) = hire else { return Ok(()) };
    let event = HireStarting {
        employee_id: employee_id.to_owned(),
        start_date: time::format_date(contract.start),
        end_date: contract.end.map(time::format_date).unwrap_or_default(),
        probation_end: contract.probation_end.map(time::format_date).unwrap_or_default(),
        kind: contract.kind.as_str().to_owned(),
        job_title: hire.job_title,
        work_country: hire.work_country,
        preferred_language: hire.preferred_language,
        manager_id: hire.manager_id.unwrap_or_default(),
    };
    let envelope = ctx.events.envelope(employee_id, purposes::NEW_HIRES, &event);
    outbox::enqueue(tx, &raw_topic(crate::NAME), &envelope).await?;
    Ok(())
}

/// The employee id of a contract request.
pub fn employee_id(req: &SetContractRequest) -> Result<String, ApiError> {
    identifier("employee_id", &req.employee_id).map_err(|v: FieldViolation| ApiError::InvalidArgument(vec![v]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> SetContractRequest {
        SetContractRequest {
            employee_id: "e1".into(),
            start_date: "2026-01-01".into(),
            weekly_hours: 40.0,
            days_per_week: 5,
            ..Default::default()
        }
    }

    #[test]
    fn a_contract_without_end_is_permanent_from_its_start() {
        let c = Contract::parse(&request()).expect("valid");
        assert_eq!(c.kind, Kind::Permanent);
        assert_eq!(c.effective_from, c.start);
        assert_eq!(c.sick_note_from_day, 4);
    }

    #[test]
    fn fixed_term_needs_an_end_after_the_start() {
        let req = SetContractRequest { kind: "fixed_term".into(), ..request() };
        let Err(ApiError::InvalidArgument(v)) = Contract::parse(&req) else { panic!("invalid") };
        assert_eq!(v[0].field, "end_date");
        let req = SetContractRequest { end_date: "2025-12-31".into(), ..request() };
        let Err(ApiError::InvalidArgument(v)) = Contract::parse(&req) else { panic!("invalid") };
        assert_eq!(v[0].field, "end_date");
    }

    #[test]
    fn reports_every_invalid_field() {
        let req = SetContractRequest { weekly_hours: 0.0, days_per_week: 7, kind: "zero_hours".into(), ..request() };
        let Err(ApiError::InvalidArgument(v)) = Contract::parse(&req) else { panic!("invalid") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["weekly_hours", "days_per_week", "kind"]);
    }
}
