//! Leave: balances from the contract and the statutory rules of the work country, requests with
//! balance and overlap checks, approval by the line, cancellation, and the team calendar.
//!
//! A balance is a set of buckets — each year's statutory and extra-statutory leave with the day
//! it lapses. Approved and pending vacation is taken from the bucket that lapses first among
//! those granted by the request's year and still valid on its first day, so carry-over and
//! expiry follow from the same rule.

use ::time::{Date, Month};
use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    error::identifier,
    events::raw_topic,
    locale::{Locale, Text},
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::people::v1::{
    self as pb, LeaveApproved, LeaveBucket, LeaveCancelled, LeaveRejected, LeaveRequested, RequestLeaveRequest,
};
use sqlx::AnyConnection;

use crate::{
    calendar, contracts,
    employees::{self, Placement},
    entitlement::{self, Unit},
    purposes, reasons,
};

/// How many years back unused leave can still count (NL extra-statutory leave lapses after 5).
const YEARS_BACK: i32 = 5;

/// Kinds of leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveType {
    /// Paid vacation, taken from the balance.
    Vacation,
    /// Special leave (e.g. a wedding, a funeral), granted by law or agreement, not from the balance.
    Special,
    /// Unpaid leave, not from the balance.
    Unpaid,
}

impl LeaveType {
    /// The wire and storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vacation => "vacation",
            Self::Special => "special",
            Self::Unpaid => "unpaid",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "" | "vacation" => Some(Self::Vacation),
            "special" => Some(Self::Special),
            "unpaid" => Some(Self::Unpaid),
            _ => None,
        }
    }
}

/// A request's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Pending,
    Approved,
    Rejected,
    Cancelled,
}

impl State {
    /// The wire and storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "cancelled" => Self::Cancelled,
            _ => Self::Pending,
        }
    }

    /// Whether the request holds leave (counts against the balance and blocks overlaps).
    pub fn holds(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

/// A validated leave request.
#[derive(Debug, Clone)]
pub struct NewLeave {
    pub employee_id: String,
    pub start: Date,
    pub end: Date,
    pub leave_type: LeaveType,
    pub note: Option<String>,
    pub idempotency_key: Option<String>,
}

impl NewLeave {
    /// Parses a request.
    pub fn parse(req: &RequestLeaveRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let employee_id = v.check(identifier("employee_id", &req.employee_id));
        let start = v.check(time::parse_date("start_date", &req.start_date));
        let end = v.check(time::parse_date("end_date", &req.end_date));
        let leave_type = LeaveType::parse(&req.leave_type);
        if leave_type.is_none() {
            v.add("leave_type", "must be vacation, special or unpaid");
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                v.add("end_date", "must not be before start_date");
            } else if e.year() != s.year() {
                v.add("end_date", "must be in the same year as start_date: request each year's part separately");
            }
        }
        if req.note.chars().count() > 1000 {
            v.add("note", "must be at most 1000 characters");
        }
        let key = req.idempotency_key.trim();
        if !key.is_empty() && identifier("idempotency_key", key).is_err() {
            v.add(
                "idempotency_key",
                "may only contain ASCII letters, digits, '-', '_', '.', ':' and '/' (at most 128)",
            );
        }
        match (employee_id, start, end, leave_type) {
            (Some(employee_id), Some(start), Some(end), Some(leave_type)) if v.is_empty() => Ok(Self {
                employee_id,
                start,
                end,
                leave_type,
                note: Some(req.note.trim().to_owned()).filter(|n| !n.is_empty()),
                idempotency_key: Some(key.to_owned()).filter(|k| !k.is_empty()),
            }),
            _ => Err(v.into_error()),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    request_id: String,
    employee_id: String,
    leave_type: String,
    start_date: String,
    end_date: String,
    days: f64,
    hours: f64,
    status: String,
    decided_by: Option<String>,
    decision_reason_sealed: Option<String>,
    created_at: i64,
    decided_at: Option<i64>,
}

const COLUMNS: &str = "request_id, employee_id, leave_type, start_date, end_date, days, hours, status, decided_by,
    decision_reason_sealed, created_at, decided_at";

impl Row {
    fn state(&self) -> State {
        State::parse(&self.status)
    }

    fn start(&self) -> Date {
        time::parse_date("start_date", &self.start_date).unwrap_or(Date::MIN)
    }

    fn end(&self) -> Date {
        time::parse_date("end_date", &self.end_date).unwrap_or(Date::MIN)
    }

    async fn to_proto(&self, ctx: &ServiceContext, conn: &mut AnyConnection) -> Result<pb::LeaveRequest, ApiError> {
        let reason = match &self.decision_reason_sealed {
            Some(sealed) => ctx.vault.open(conn, &self.employee_id, sealed).await?,
            None => None,
        };
        Ok(pb::LeaveRequest {
            request_id: self.request_id.clone(),
            employee_id: self.employee_id.clone(),
            leave_type: self.leave_type.clone(),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            days: self.days,
            hours: self.hours,
            status: self.status.clone(),
            decided_by: self.decided_by.clone().unwrap_or_default(),
            decision_reason: reason.unwrap_or_default(),
            created_at: Some(time::timestamp(self.created_at)),
            decided_at: self.decided_at.map(time::timestamp),
            holidays_excluded: Vec::new(),
        })
    }
}

async fn requests_of(conn: &mut AnyConnection, employee_id: &str, from: &str) -> Result<Vec<Row>, ApiError> {
    let sql =
        format!("SELECT {COLUMNS} FROM leave_requests WHERE employee_id = $1 AND end_date >= $2 ORDER BY start_date");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employee_id).bind(from).fetch_all(conn).await?)
}

async fn request_by_id(conn: &mut AnyConnection, request_id: &str) -> Result<Row, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM leave_requests WHERE request_id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(request_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no leave request {request_id}")))
}

/// One year's grant of leave and what is left of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub year: i32,
    /// `statutory` or `extra_statutory`.
    pub kind: &'static str,
    pub amount: f64,
    pub expires: Option<Date>,
    pub taken: f64,
    pub planned: f64,
}

impl Bucket {
    fn left(&self) -> f64 {
        self.amount - self.taken - self.planned
    }

    fn valid_on(&self, day: Date) -> bool {
        self.expires.is_none_or(|e| day < e)
    }
}

/// A balance computed from the contracts and the requests that hold leave.
#[derive(Debug, Clone)]
pub struct Balance {
    pub unit: Unit,
    pub buckets: Vec<Bucket>,
    pub explanation: Vec<Text>,
    /// Leave asked beyond every bucket (only possible for history imported that way).
    pub overdrawn: f64,
}

/// Computes buckets for the years up to `year` and takes `requests` (ordered by start) from them.
fn compute(
    placement: &Placement,
    versions: &[contracts::Contract],
    requests: &[(Date, f64, bool)],
    year: i32,
    today: Date,
) -> Balance {
    let country = placement.country();
    let mut buckets = Vec::new();
    let mut explanation = Vec::new();
    let mut unit = if country == crate::country::Country::Nl { Unit::Hours } else { Unit::Days };
    for y in (year - YEARS_BACK)..=year {
        let Some(ent) = year_entitlement(country, versions, y) else { continue };
        unit = ent.unit;
        if y == year {
            explanation.extend(ent.explanation.iter().cloned());
        }
        buckets.push(Bucket {
            year: y,
            kind: "statutory",
            amount: ent.statutory,
            expires: ent.statutory_expires,
            taken: 0.0,
            planned: 0.0,
        });
        if ent.extra_statutory > 0.0 {
            buckets.push(Bucket {
                year: y,
                kind: "extra_statutory",
                amount: ent.extra_statutory,
                expires: ent.extra_expires,
                taken: 0.0,
                planned: 0.0,
            });
        }
    }
    let mut overdrawn = 0.0;
    for &(start, amount, taken) in requests {
        let mut left = amount;
        let mut order: Vec<usize> =
            (0..buckets.len()).filter(|&i| buckets[i].year <= start.year() && buckets[i].valid_on(start)).collect();
        order.sort_by_key(|&i| (buckets[i].expires.unwrap_or(Date::MAX), buckets[i].year));
        for i in order {
            let b = &mut buckets[i];
            let part = left.min(b.left().max(0.0));
            if taken {
                b.taken += part;
            } else {
                b.planned += part;
            }
            left -= part;
            if left <= 1e-9 {
                break;
            }
        }
        overdrawn += left.max(0.0);
    }
    // Only what can still be used on `today` (or was granted for `year`) is shown.
    buckets.retain(|b| b.year == year || (b.left() > 1e-9 && b.valid_on(today.max(first_day(year)))));
    Balance { unit, buckets, explanation, overdrawn }
}

fn first_day(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

fn last_day(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// The entitlement of `year` over every contract version in force that year: each version's
/// yearly figure weighted by the share of the employed days it covered.
fn year_entitlement(
    country: crate::country::Country,
    versions: &[contracts::Contract],
    year: i32,
) -> Option<entitlement::Entitlement> {
    let (from, to) = (first_day(year), last_day(year));
    // Oldest first; a version applies until the next one takes effect.
    let mut ordered: Vec<&contracts::Contract> = versions.iter().collect();
    ordered.sort_by_key(|c| c.effective_from);
    let mut parts = Vec::new();
    for (i, c) in ordered.iter().enumerate() {
        let valid_from = c.effective_from.max(c.start).max(from);
        let next = ordered.get(i + 1).map(|n| n.effective_from.previous_day().unwrap_or(n.effective_from));
        let valid_to = [Some(to), c.end, next].into_iter().flatten().min().unwrap_or(to);
        if valid_from <= valid_to {
            parts.push((c, (valid_to - valid_from).whole_days() + 1));
        }
    }
    let total: i64 = parts.iter().map(|(_, d)| d).sum();
    if total == 0 {
        return None;
    }
    let mut sum: Option<entitlement::Entitlement> = None;
    for (c, days) in parts {
        let share = days as f64 / total as f64;
        let e = entitlement::yearly(country, &c.terms(), year);
        sum = Some(match sum {
            None => entitlement::Entitlement {
                statutory: e.statutory * share,
                extra_statutory: e.extra_statutory * share,
                ..e
            },
            Some(mut acc) => {
                acc.statutory += e.statutory * share;
                acc.extra_statutory += e.extra_statutory * share;
                acc.explanation.extend(e.explanation);
                acc
            }
        });
    }
    sum.map(|mut e| {
        e.statutory = round2(e.statutory);
        e.extra_statutory = round2(e.extra_statutory);
        e
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Hours => "hours",
        Unit::Days => "days",
    }
}

/// The balance of `employee_id` for `year` as of `today`.
pub async fn balance(
    conn: &mut AnyConnection,
    employee_id: &str,
    year: i32,
    today: Date,
) -> Result<(Placement, Balance), ApiError> {
    let placement = employees::placement(conn, employee_id).await?;
    let versions = contracts::history(conn, employee_id).await?;
    if year_entitlement(placement.country(), &versions, year).is_none() {
        return Err(ApiError::refused(reasons::NO_CONTRACT, format!("{employee_id} has no contract in {year}")));
    }
    let from = time::format_date(first_day(year - YEARS_BACK));
    let rows = requests_of(conn, employee_id, &from).await?;
    let nl = placement.country() == crate::country::Country::Nl;
    let requests: Vec<(Date, f64, bool)> = rows
        .iter()
        .filter(|r| r.state().holds() && r.leave_type == LeaveType::Vacation.as_str() && r.start().year() <= year)
        .map(|r| (r.start(), if nl { r.hours } else { r.days }, r.state() == State::Approved && r.start() <= today))
        .collect();
    let balance = compute(&placement, &versions, &requests, year, today);
    Ok((placement, balance))
}

/// The wire form of a balance, explained in `locale`.
pub fn to_proto(employee_id: &str, year: i32, balance: &Balance, locale: Locale) -> pb::LeaveBalance {
    let buckets: Vec<LeaveBucket> = balance
        .buckets
        .iter()
        .map(|b| LeaveBucket {
            kind: if b.year < year { "carried_over".to_owned() } else { b.kind.to_owned() },
            entitlement: round2(b.amount),
            taken: round2(b.taken),
            planned: round2(b.planned),
            remaining: round2(b.left()),
            expires: b.expires.map(time::format_date).unwrap_or_default(),
        })
        .collect();
    pb::LeaveBalance {
        employee_id: employee_id.to_owned(),
        year,
        unit: unit_name(balance.unit).to_owned(),
        remaining: round2(buckets.iter().map(|b| b.remaining).sum::<f64>() - balance.overdrawn),
        buckets,
        explanation: balance.explanation.iter().map(|line| line.get(locale).to_owned()).collect(),
    }
}

/// Working days and hours of a range for `placement` under the contract in force at its start,
/// and the holidays that were not counted.
async fn measure(
    conn: &mut AnyConnection,
    placement: &Placement,
    start: Date,
    end: Date,
) -> Result<(f64, f64, Vec<String>), ApiError> {
    let contract = contracts::current(conn, &placement.employee_id, start)
        .await?
        .ok_or_else(|| ApiError::refused(reasons::NO_CONTRACT, format!("{} has no contract", placement.employee_id)))?;
    let (country, region) = (placement.country(), placement.holiday_region());
    let days = f64::from(calendar::working_days(country, region, start, end, contract.days_per_week));
    let holidays = calendar::holidays(country, region, start.year())
        .into_iter()
        .filter(|h| h.date >= start && h.date <= end && h.date.weekday() != ::time::Weekday::Sunday)
        .map(|h| format!("{} {}", time::format_date(h.date), h.name))
        .collect();
    let hours = round2(days * contract.weekly_hours / f64::from(contract.days_per_week));
    Ok((days, hours, holidays))
}

/// Files a leave request after the balance and overlap checks, with its event.
pub async fn request(ctx: &ServiceContext, new: NewLeave, by: &str) -> Result<pb::LeaveRequest, ApiError> {
    let mut tx = ctx.db.begin().await?;
    if let Some(key) = &new.idempotency_key {
        let sql = format!("SELECT {COLUMNS} FROM leave_requests WHERE requested_by = $1 AND idempotency_key = $2");
        let earlier: Option<Row> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(by).bind(key).fetch_optional(&mut *tx).await?;
        if let Some(row) = earlier {
            let same = row.employee_id == new.employee_id
                && row.start() == new.start
                && row.end() == new.end
                && row.leave_type == new.leave_type.as_str();
            if !same {
                return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
                    "idempotency_key",
                    "was used for a different request",
                )]));
            }
            return row.to_proto(ctx, &mut tx).await;
        }
    }
    let placement = employees::placement(&mut tx, &new.employee_id).await?;
    let (days, hours, holidays) = measure(&mut tx, &placement, new.start, new.end).await?;
    if days == 0.0 {
        return Err(ApiError::refused(
            reasons::NO_WORKING_DAY,
            "no working day in that range (weekends and public holidays are not counted) / geen werkdag in die periode / kein Arbeitstag in diesem Zeitraum",
        ));
    }
    let existing = requests_of(&mut tx, &new.employee_id, &time::format_date(new.start)).await?;
    if let Some(clash) = existing.iter().find(|r| r.state().holds() && r.start() <= new.end && r.end() >= new.start) {
        return Err(ApiError::refused(
            reasons::LEAVE_OVERLAP,
            format!(
                "overlaps leave request {} ({} to {}, {})",
                clash.request_id, clash.start_date, clash.end_date, clash.status
            ),
        ));
    }
    if new.leave_type == LeaveType::Vacation {
        let (_, bal) = balance(&mut tx, &new.employee_id, new.start.year(), time::today()).await?;
        let usable: f64 = bal
            .buckets
            .iter()
            .filter(|b| b.year <= new.start.year() && b.valid_on(new.start))
            .map(Bucket::left)
            .sum::<f64>()
            - bal.overdrawn;
        let asked = if bal.unit == Unit::Hours { hours } else { days };
        if asked > usable + 1e-9 {
            return Err(ApiError::refused(
                reasons::INSUFFICIENT_BALANCE,
                format!(
                    "insufficient leave: {asked} {unit} asked, {usable:.2} {unit} available on {start} / onvoldoende verlofsaldo / nicht genügend Urlaub",
                    unit = unit_name(bal.unit),
                    usable = usable.max(0.0),
                    start = time::format_date(new.start),
                ),
            ));
        }
    }
    let request_id = uuid::Uuid::now_v7().to_string();
    let note = match &new.note {
        Some(n) => Some(ctx.vault.seal(&mut tx, &new.employee_id, n).await?),
        None => None,
    };
    let now = time::now_ms();
    sqlx::query(
        "INSERT INTO leave_requests (request_id, employee_id, leave_type, start_date, end_date, leave_year, days, hours,
         status, note_sealed, requested_by, idempotency_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12)",
    )
    .bind(&request_id)
    .bind(&new.employee_id)
    .bind(new.leave_type.as_str())
    .bind(time::format_date(new.start))
    .bind(time::format_date(new.end))
    .bind(i64::from(new.start.year()))
    .bind(days)
    .bind(hours)
    .bind(note)
    .bind(by)
    .bind(&new.idempotency_key)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let event = LeaveRequested {
        request_id: request_id.clone(),
        leave_type: new.leave_type.as_str().to_owned(),
        start_date: time::format_date(new.start),
        end_date: time::format_date(new.end),
        days,
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(&new.employee_id, purposes::LEAVE, &event))
        .await?;
    let row = request_by_id(&mut tx, &request_id).await?;
    let mut out = row.to_proto(ctx, &mut tx).await?;
    ctx.commit(tx).await?;
    out.holidays_excluded = holidays;
    Ok(out)
}

/// The employee a request is about (for authorization before acting on it).
pub async fn owner(ctx: &ServiceContext, request_id: &str) -> Result<String, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    Ok(request_by_id(&mut conn, request_id).await?.employee_id)
}

/// Approves or rejects a pending request; `by` is the authenticated approver.
pub async fn decide(
    ctx: &ServiceContext,
    request_id: &str,
    approve: bool,
    reason: &str,
    by: &str,
) -> Result<pb::LeaveRequest, ApiError> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
            "reason",
            "a rejection needs a reason the employee can read",
        )]));
    }
    if reason.chars().count() > 1000 {
        return Err(ApiError::InvalidArgument(vec![FieldViolation::new("reason", "must be at most 1000 characters")]));
    }
    let mut tx = ctx.db.begin().await?;
    let row = request_by_id(&mut tx, request_id).await?;
    if row.employee_id == by {
        return Err(ApiError::refused(reasons::OWN_REQUEST, "you cannot decide on your own leave request"));
    }
    if row.state() != State::Pending {
        return Err(ApiError::refused(
            reasons::ALREADY_DECIDED,
            format!("leave request {request_id} is {} already", row.status),
        ));
    }
    let sealed = if reason.is_empty() { None } else { Some(ctx.vault.seal(&mut tx, &row.employee_id, reason).await?) };
    let state = if approve { State::Approved } else { State::Rejected };
    sqlx::query(
        "UPDATE leave_requests SET status = $2, decided_by = $3, decision_reason_sealed = $4, decided_at = $5
         WHERE request_id = $1 AND status = 'pending'",
    )
    .bind(request_id)
    .bind(state.as_str())
    .bind(by)
    .bind(sealed)
    .bind(time::now_ms())
    .execute(&mut *tx)
    .await?;
    let topic = raw_topic(crate::NAME);
    let envelope = if approve {
        let e = LeaveApproved {
            request_id: request_id.to_owned(),
            start_date: row.start_date.clone(),
            end_date: row.end_date.clone(),
            days: row.days,
        };
        ctx.events.envelope(&row.employee_id, purposes::LEAVE, &e)
    } else {
        ctx.events.envelope(&row.employee_id, purposes::LEAVE, &LeaveRejected { request_id: request_id.to_owned() })
    };
    outbox::enqueue(&mut tx, &topic, &envelope).await?;
    let out = request_by_id(&mut tx, request_id).await?.to_proto(ctx, &mut tx).await?;
    ctx.commit(tx).await?;
    Ok(out)
}

/// Cancels a request that holds leave and has not started.
pub async fn cancel(ctx: &ServiceContext, request_id: &str) -> Result<pb::LeaveRequest, ApiError> {
    let mut tx = ctx.db.begin().await?;
    let row = request_by_id(&mut tx, request_id).await?;
    if !row.state().holds() {
        return Err(ApiError::refused(
            reasons::ALREADY_DECIDED,
            format!("leave request {request_id} is {} already", row.status),
        ));
    }
    if row.start() <= time::today() {
        return Err(ApiError::refused(reasons::LEAVE_STARTED, "leave that has started can only be corrected by HR"));
    }
    sqlx::query("UPDATE leave_requests SET status = 'cancelled' WHERE request_id = $1")
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
    let envelope =
        ctx.events.envelope(&row.employee_id, purposes::LEAVE, &LeaveCancelled { request_id: request_id.to_owned() });
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await?;
    let out = request_by_id(&mut tx, request_id).await?.to_proto(ctx, &mut tx).await?;
    ctx.commit(tx).await?;
    Ok(out)
}

/// Requests of `employees` overlapping `from..=to`.
pub async fn calendar_of(
    ctx: &ServiceContext,
    employees: &[String],
    from: Date,
    to: Date,
) -> Result<Vec<pb::LeaveRequest>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let mut out = Vec::new();
    for employee in employees {
        for row in requests_of(&mut conn, employee, &time::format_date(from)).await? {
            if row.start() <= to {
                out.push(row.to_proto(ctx, &mut conn).await?);
            }
        }
    }
    out.sort_by(|a, b| (&a.start_date, &a.employee_id).cmp(&(&b.start_date, &b.employee_id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).expect("month"), d).expect("date")
    }

    fn placement(country: &str, region: &str) -> Placement {
        Placement {
            employee_id: "e1".into(),
            work_country: country.into(),
            work_region: region.into(),
            preferred_language: "en".into(),
        }
    }

    fn contract(start: Date, hours: f64, days: u8) -> contracts::Contract {
        contracts::Contract {
            effective_from: start,
            start,
            end: None,
            probation_end: None,
            weekly_hours: hours,
            days_per_week: days,
            kind: contracts::Kind::Permanent,
            extra_leave_days: 0.0,
            sick_note_from_day: 4,
        }
    }

    #[test]
    fn dutch_statutory_hours_carry_over_until_the_first_of_july() {
        let p = placement("NL", "");
        let c = [contract(date(2024, 1, 1), 40.0, 5)];
        // 40 hours of 2025's 160 taken; on 2026-05-01 the rest of 2025 is still usable.
        let b = compute(&p, &c, &[(date(2025, 8, 4), 40.0, true)], 2026, date(2026, 5, 1));
        let carried: Vec<_> = b.buckets.iter().filter(|x| x.year == 2025).collect();
        assert_eq!(carried.len(), 1);
        assert_eq!(carried[0].left(), 120.0);
        assert_eq!(carried[0].expires, Some(date(2026, 7, 1)));
        // After 1 July it has lapsed.
        let b = compute(&p, &c, &[(date(2025, 8, 4), 40.0, true)], 2026, date(2026, 7, 2));
        assert!(b.buckets.iter().all(|x| x.year == 2026));
    }

    #[test]
    fn leave_is_taken_from_the_bucket_that_lapses_first() {
        let p = placement("DE", "BY");
        let c = [contract(date(2024, 1, 1), 40.0, 5)];
        // 5 days in March 2026 come from 2025's leave (lapses 31 March), not 2026's.
        let b = compute(&p, &c, &[(date(2026, 3, 2), 5.0, false)], 2026, date(2026, 2, 1));
        let old = b.buckets.iter().find(|x| x.year == 2025).expect("carried");
        assert_eq!((old.planned, old.left()), (5.0, 15.0));
        let new = b.buckets.iter().find(|x| x.year == 2026).expect("current");
        assert_eq!(new.left(), 20.0);
    }

    #[test]
    fn a_mid_year_change_of_hours_weights_each_contract_by_its_days() {
        let mut later = contract(date(2024, 1, 1), 20.0, 5);
        later.effective_from = date(2026, 7, 1);
        let versions = [contract(date(2024, 1, 1), 40.0, 5), later];
        let e = year_entitlement(crate::country::Country::Nl, &versions, 2026).expect("employed");
        // 181 days at 160 h and 184 days at 80 h.
        assert!((e.statutory - round2(160.0 * 181.0 / 365.0 + 80.0 * 184.0 / 365.0)).abs() < 0.01, "{}", e.statutory);
    }
}
