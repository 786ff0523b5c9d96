//! The employee directory: people, their org unit, job title and manager, with personal fields
//! sealed under each person's key and reporting lines kept with their history.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    crypto::Vault,
    error::{identifier, required_text},
    events::raw_topic,
    locale::Locale,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::people::v1::{self as pb, EmployeeUpserted, ReportingLineChanged, UpsertEmployeeRequest};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::{address::PostalAddress, country::Country, purposes};

/// Where an employee is in their employment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Hired, not started yet.
    Preboarding,
    Active,
    Left,
}

impl Status {
    /// The wire and storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preboarding => "preboarding",
            Self::Active => "active",
            Self::Left => "left",
        }
    }

    /// Parses the wire form; `active` when empty.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldViolation> {
        match value.trim() {
            "" | "active" => Ok(Self::Active),
            "preboarding" => Ok(Self::Preboarding),
            "left" => Ok(Self::Left),
            _ => Err(FieldViolation::new(field, "must be preboarding, active or left")),
        }
    }
}

/// A validated employee record as given by HR or an integration.
#[derive(Debug, Clone)]
pub struct NewEmployee {
    pub employee_id: String,
    pub full_name: String,
    pub private_email: Option<String>,
    pub phone: Option<String>,
    pub birth_date: Option<::time::Date>,
    pub address: Option<PostalAddress>,
    pub work_email: String,
    pub locale: Locale,
    pub country: Country,
    pub region: String,
    pub org_unit_id: Option<String>,
    pub job_title: String,
    pub manager_id: Option<String>,
    pub effective_from: ::time::Date,
    pub status: Status,
    /// The recruiting application this employee was hired from.
    pub application_id: Option<String>,
}

fn optional<T>(v: &mut Violations, value: &str, parse: impl FnOnce(&str) -> Result<T, FieldViolation>) -> Option<T> {
    if value.trim().is_empty() { None } else { v.check(parse(value.trim())) }
}

fn email(field: &str, value: &str) -> Result<String, FieldViolation> {
    let value = required_text(field, value, 254)?;
    match value.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') && !value.contains(char::is_whitespace) => {
            Ok(value)
        }
        _ => Err(FieldViolation::new(field, "must be an e-mail address like jan@example.nl")),
    }
}

impl NewEmployee {
    /// Parses a request; every invalid field is reported (prefixed with `prefix` for nested use).
    pub fn parse(req: &UpsertEmployeeRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let employee_id = v.check(identifier("employee_id", &req.employee_id));
        let full_name = v.check(required_text("full_name", &req.full_name, 200));
        let private_email = optional(&mut v, &req.private_email, |s| email("private_email", s));
        let phone = optional(&mut v, &req.phone, |s| phone("phone", s));
        let birth_date = optional(&mut v, &req.birth_date, |s| time::parse_date("birth_date", s));
        let address = req.private_address.as_ref().filter(|a| !PostalAddress::is_blank(a));
        let address = address.and_then(|a| v.check(PostalAddress::parse("private_address", a)));
        let work_email = v.check(email("work_email", &req.work_email));
        let locale = if req.preferred_language.trim().is_empty() {
            None
        } else {
            v.check(Locale::of_field("preferred_language", req.preferred_language.trim()))
        };
        let country = v.check(
            Country::parse(&req.work_country)
                .ok_or_else(|| FieldViolation::new("work_country", "must be NL, DE or BE")),
        );
        let region = country.and_then(|c| match c.region(&req.work_region) {
            Some(r) if c != Country::De || !r.is_empty() => Some(r),
            _ => {
                v.add("work_region", "must be a German state code (BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH, TH) for work in Germany");
                None
            }
        });
        let org_unit_id = optional(&mut v, &req.org_unit_id, |s| identifier("org_unit_id", s));
        let job_title = v.check(required_text("job_title", &req.job_title, 200));
        let manager_id = optional(&mut v, &req.manager_id, |s| identifier("manager_id", s));
        let effective_from = optional(&mut v, &req.effective_from, |s| time::parse_date("effective_from", s))
            .unwrap_or_else(time::today);
        let application_id = optional(&mut v, &req.application_id, |s| identifier("application_id", s));
        // A hire from recruiting starts before the first working day.
        let status = if application_id.is_some() && req.status.trim().is_empty() {
            Some(Status::Preboarding)
        } else {
            v.check(Status::parse("status", &req.status))
        };
        if manager_id.is_some() && manager_id == employee_id {
            v.add("manager_id", "an employee cannot be their own manager");
        }
        match (employee_id, full_name, work_email, country, region, job_title, status) {
            (
                Some(employee_id),
                Some(full_name),
                Some(work_email),
                Some(country),
                Some(region),
                Some(job_title),
                Some(status),
            ) if v.is_empty() => {
                let locale = locale.unwrap_or(match country {
                    Country::Nl => Locale::Nl,
                    Country::De => Locale::De,
                    Country::Be => Locale::Nl,
                });
                Ok(Self {
                    employee_id,
                    full_name,
                    private_email,
                    phone,
                    birth_date,
                    address,
                    work_email,
                    locale,
                    country,
                    region,
                    org_unit_id,
                    job_title,
                    manager_id,
                    effective_from,
                    status,
                    application_id,
                })
            }
            _ => Err(v.into_error()),
        }
    }

    /// A hash of every field, so that an identical upsert is recognised and changes nothing.
    fn fingerprint(&self) -> String {
        let text = format!(
            "{}\u{1f}{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{:?}\u{1f}{}\u{1f}{:?}\u{1f}{}",
            self.employee_id,
            self.full_name,
            self.private_email,
            self.phone,
            self.birth_date.map(time::format_date),
            self.address,
            self.work_email,
            self.locale.code(),
            self.country.code(),
            self.region,
            self.org_unit_id,
            self.job_title,
            self.manager_id,
            self.status.as_str(),
        );
        hex::encode(Sha256::digest(text.as_bytes()))
    }
}

fn phone(field: &str, value: &str) -> Result<String, FieldViolation> {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '/'));
    if allowed && (6..=15).contains(&digits) {
        Ok(value.to_owned())
    } else {
        Err(FieldViolation::new(field, "must be a phone number like +31 20 123 4567"))
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

#[derive(sqlx::FromRow)]
struct Current {
    fingerprint: String,
    manager_id: Option<String>,
}

/// Current managers of everyone: employee → manager.
pub async fn managers(conn: &mut AnyConnection) -> Result<BTreeMap<String, Option<String>>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT employee_id, manager_id FROM employees").fetch_all(conn).await?;
    Ok(rows.into_iter().collect())
}

/// Everyone below `manager` in `managers` (direct and indirect reports).
pub fn line_of(managers: &BTreeMap<String, Option<String>>, manager: &str) -> BTreeSet<String> {
    let mut reports: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (employee, boss) in managers {
        if let Some(boss) = boss {
            reports.entry(boss.as_str()).or_default().push(employee.as_str());
        }
    }
    let mut line = BTreeSet::new();
    let mut todo = vec![manager];
    while let Some(next) = todo.pop() {
        for &report in reports.get(next).map(Vec::as_slice).unwrap_or_default() {
            if report != manager && line.insert(report.to_owned()) {
                todo.push(report);
            }
        }
    }
    line
}

/// Validates references of `new` against the stored directory: its org unit and manager exist
/// (or are `pending`, i.e. created in the same import) and the new manager is not one of the
/// employee's own reports.
pub fn check_references(
    new: &NewEmployee,
    managers: &BTreeMap<String, Option<String>>,
    org_units: &BTreeSet<String>,
) -> Vec<FieldViolation> {
    let mut problems = Vec::new();
    if let Some(unit) = &new.org_unit_id
        && !org_units.contains(unit)
    {
        problems.push(FieldViolation::new("org_unit_id", format!("no org unit {unit}")));
    }
    if let Some(manager) = &new.manager_id {
        if !managers.contains_key(manager) {
            problems.push(FieldViolation::new("manager_id", format!("no employee {manager}")));
        } else if line_of(managers, &new.employee_id).contains(manager) {
            problems.push(FieldViolation::new(
                "manager_id",
                format!("{manager} reports to {} already: the line would be a cycle", new.employee_id),
            ));
        }
    }
    problems
}

async fn seal(
    vault: &Vault,
    conn: &mut AnyConnection,
    subject: &str,
    value: Option<&str>,
) -> Result<Option<String>, ApiError> {
    match value {
        Some(v) => Ok(Some(vault.seal(conn, subject, v).await?)),
        None => Ok(None),
    }
}

/// Stores `new` inside `tx` with its events; references must have been checked.
pub async fn upsert(
    ctx: &ServiceContext,
    tx: &mut AnyConnection,
    new: &NewEmployee,
    recorded_by: &str,
) -> Result<Outcome, ApiError> {
    let fingerprint = new.fingerprint();
    let current: Option<Current> =
        sqlx::query_as("SELECT fingerprint, manager_id FROM employees WHERE employee_id = $1")
            .bind(&new.employee_id)
            .fetch_optional(&mut *tx)
            .await?;
    if current.as_ref().is_some_and(|c| c.fingerprint == fingerprint) {
        return Ok(Outcome::Unchanged);
    }
    let id = new.employee_id.as_str();
    let name = seal(&ctx.vault, tx, id, Some(&new.full_name)).await?;
    let private_email = seal(&ctx.vault, tx, id, new.private_email.as_deref()).await?;
    let phone = seal(&ctx.vault, tx, id, new.phone.as_deref()).await?;
    let birth = new.birth_date.map(time::format_date);
    let birth_date = seal(&ctx.vault, tx, id, birth.as_deref()).await?;
    let address_json = new.address.as_ref().map(PostalAddress::to_json);
    let address = seal(&ctx.vault, tx, id, address_json.as_deref()).await?;
    let now = time::now_ms();
    let outcome = if current.is_some() { Outcome::Updated } else { Outcome::Created };
    let sql = if current.is_some() {
        "UPDATE employees SET name_sealed = $2, private_email_sealed = $3, phone_sealed = $4, birth_date_sealed = $5,
         address_sealed = $6, work_email = $7, preferred_language = $8, work_country = $9, work_region = $10,
         org_unit_id = $11, job_title = $12, manager_id = $13, status = $14, fingerprint = $15, updated_at = $16
         WHERE employee_id = $1"
    } else {
        "INSERT INTO employees (employee_id, name_sealed, private_email_sealed, phone_sealed, birth_date_sealed,
         address_sealed, work_email, preferred_language, work_country, work_region, org_unit_id, job_title, manager_id,
         status, fingerprint, updated_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(name)
        .bind(private_email)
        .bind(phone)
        .bind(birth_date)
        .bind(address)
        .bind(&new.work_email)
        .bind(new.locale.code())
        .bind(new.country.code())
        .bind(&new.region)
        .bind(&new.org_unit_id)
        .bind(&new.job_title)
        .bind(&new.manager_id)
        .bind(new.status.as_str())
        .bind(&fingerprint)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let topic = raw_topic(crate::NAME);
    let previous_manager = current.as_ref().and_then(|c| c.manager_id.clone());
    if current.is_none() || previous_manager != new.manager_id {
        sqlx::query(
            "INSERT INTO reporting_lines (employee_id, manager_id, effective_from, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (employee_id, effective_from) DO UPDATE SET manager_id = $2, recorded_by = $4, recorded_at = $5",
        )
        .bind(id)
        .bind(&new.manager_id)
        .bind(time::format_date(new.effective_from))
        .bind(recorded_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let changed = ReportingLineChanged {
            manager_id: new.manager_id.clone().unwrap_or_default(),
            effective_from: time::format_date(new.effective_from),
        };
        outbox::enqueue(tx, &topic, &ctx.events.envelope(id, purposes::DIRECTORY, &changed)).await?;
    }
    let upserted = EmployeeUpserted {
        org_unit_id: new.org_unit_id.clone().unwrap_or_default(),
        job_title: new.job_title.clone(),
        work_country: new.country.code().to_owned(),
        status: new.status.as_str().to_owned(),
        created: outcome == Outcome::Created,
    };
    outbox::enqueue(tx, &topic, &ctx.events.envelope(id, purposes::DIRECTORY, &upserted)).await?;
    Ok(outcome)
}

#[derive(sqlx::FromRow)]
struct Row {
    employee_id: String,
    name_sealed: Option<String>,
    private_email_sealed: Option<String>,
    phone_sealed: Option<String>,
    birth_date_sealed: Option<String>,
    address_sealed: Option<String>,
    work_email: String,
    preferred_language: String,
    work_country: String,
    work_region: String,
    org_unit_id: Option<String>,
    job_title: String,
    manager_id: Option<String>,
    status: String,
    updated_at: i64,
}

const COLUMNS: &str = "employee_id, name_sealed, private_email_sealed, phone_sealed, birth_date_sealed, address_sealed,
    work_email, preferred_language, work_country, work_region, org_unit_id, job_title, manager_id, status, updated_at";

async fn open(
    vault: &Vault,
    conn: &mut AnyConnection,
    subject: &str,
    sealed: Option<&str>,
) -> Result<String, ApiError> {
    match sealed {
        Some(s) => Ok(vault.open(conn, subject, s).await?.unwrap_or_default()),
        None => Ok(String::new()),
    }
}

async fn to_proto(vault: &Vault, conn: &mut AnyConnection, row: Row) -> Result<pb::Employee, ApiError> {
    let id = row.employee_id.as_str();
    let address = open(vault, conn, id, row.address_sealed.as_deref()).await?;
    let contract = crate::contracts::current(conn, id, time::today()).await?.map(|c| c.to_proto(id));
    let application_id: Option<String> =
        sqlx::query_scalar("SELECT application_id FROM pending_hires WHERE employee_id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(pb::Employee {
        application_id: application_id.unwrap_or_default(),
        full_name: open(vault, conn, id, row.name_sealed.as_deref()).await?,
        private_email: open(vault, conn, id, row.private_email_sealed.as_deref()).await?,
        phone: open(vault, conn, id, row.phone_sealed.as_deref()).await?,
        birth_date: open(vault, conn, id, row.birth_date_sealed.as_deref()).await?,
        private_address: PostalAddress::from_json(&address).map(|a| a.to_proto()),
        work_email: row.work_email,
        preferred_language: row.preferred_language,
        work_country: row.work_country,
        work_region: row.work_region,
        org_unit_id: row.org_unit_id.unwrap_or_default(),
        job_title: row.job_title,
        manager_id: row.manager_id.unwrap_or_default(),
        status: row.status,
        contract,
        updated_at: Some(time::timestamp(row.updated_at)),
        employee_id: row.employee_id,
    })
}

/// One employee with personal fields opened, or `None`.
pub async fn get(vault: &Vault, conn: &mut AnyConnection, employee_id: &str) -> Result<Option<pb::Employee>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM employees WHERE employee_id = $1");
    let row: Option<Row> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employee_id).fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => Ok(Some(to_proto(vault, conn, row).await?)),
        None => Ok(None),
    }
}

/// Employees among `visible` (all when `None`) with ids after `after`, at most `limit`.
pub async fn list(
    vault: &Vault,
    conn: &mut AnyConnection,
    visible: Option<&BTreeSet<String>>,
    after: &str,
    limit: usize,
) -> Result<Vec<pb::Employee>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM employees WHERE employee_id > $1 ORDER BY employee_id");
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(after).fetch_all(&mut *conn).await?;
    let mut out = Vec::new();
    for row in rows.into_iter().filter(|r| visible.is_none_or(|v| v.contains(&r.employee_id))).take(limit) {
        out.push(to_proto(vault, conn, row).await?);
    }
    Ok(out)
}

/// Facts other parts of the service need about an employee (no personal fields).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Placement {
    pub employee_id: String,
    pub work_country: String,
    pub work_region: String,
    pub preferred_language: String,
}

impl Placement {
    /// The work country (validated on the way in).
    pub fn country(&self) -> Country {
        Country::parse(&self.work_country).unwrap_or(Country::Nl)
    }

    /// The region as holidays need it: a German state, nothing elsewhere.
    pub fn holiday_region(&self) -> Option<&str> {
        (self.country() == Country::De && !self.work_region.is_empty()).then_some(self.work_region.as_str())
    }

    /// The employee's language.
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.preferred_language).unwrap_or(Locale::En)
    }
}

/// Where `employee_id` works, or NOT_FOUND.
pub async fn placement(conn: &mut AnyConnection, employee_id: &str) -> Result<Placement, ApiError> {
    sqlx::query_as(
        "SELECT employee_id, work_country, work_region, preferred_language FROM employees WHERE employee_id = $1",
    )
    .bind(employee_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no employee {employee_id}")))
}

/// Records a new private address of `employee_id` from `effective_from`, with its event.
pub async fn change_address(
    ctx: &ServiceContext,
    employee_id: &str,
    address: &PostalAddress,
    effective_from: ::time::Date,
    by: &str,
) -> Result<(), ApiError> {
    let mut tx = ctx.db.begin().await?;
    placement(&mut tx, employee_id).await?;
    let sealed = seal(&ctx.vault, &mut tx, employee_id, Some(&address.to_json())).await?;
    let now = time::now_ms();
    sqlx::query(
        "INSERT INTO address_changes (employee_id, effective_from, address_sealed, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (employee_id, effective_from) DO UPDATE SET address_sealed = $3, recorded_by = $4, recorded_at = $5",
    )
    .bind(employee_id)
    .bind(time::format_date(effective_from))
    .bind(&sealed)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE employees SET address_sealed = $2, updated_at = $3 WHERE employee_id = $1")
        .bind(employee_id)
        .bind(&sealed)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let event = hrmesh_proto::people::v1::AddressChanged {
        effective_from: time::format_date(effective_from),
        country: address.country.clone(),
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(employee_id, purposes::ADDRESS, &event))
        .await?;
    ctx.commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
        pairs.iter().map(|(e, m)| ((*e).to_owned(), m.map(str::to_owned))).collect()
    }

    #[test]
    fn line_holds_direct_and_indirect_reports_only() {
        let t = tree(&[("ceo", None), ("cto", Some("ceo")), ("dev", Some("cto")), ("cfo", Some("ceo"))]);
        assert_eq!(line_of(&t, "cto"), BTreeSet::from(["dev".to_owned()]));
        assert_eq!(line_of(&t, "ceo").len(), 3);
        assert!(line_of(&t, "dev").is_empty());
    }

    #[test]
    fn rejects_a_manager_from_the_own_line() {
        let t = tree(&[("ceo", None), ("cto", Some("ceo")), ("dev", Some("cto"))]);
        let req = UpsertEmployeeRequest {
            employee_id: "cto".into(),
            full_name: "Chris".into(),
            work_email: "chris@acme.nl".into(),
            work_country: "NL".into(),
            job_title: "CTO".into(),
            manager_id: "dev".into(),
            ..Default::default()
        };
        let new = NewEmployee::parse(&req).expect("valid");
        let problems = check_references(&new, &t, &BTreeSet::new());
        assert!(problems.iter().any(|p| p.description.contains("cycle")), "{problems:?}");
    }

    #[test]
    fn reports_every_invalid_field() {
        let req = UpsertEmployeeRequest {
            employee_id: "e 1".into(),
            work_email: "nope".into(),
            work_country: "FR".into(),
            birth_date: "1990-02-30".into(),
            ..Default::default()
        };
        let Err(ApiError::InvalidArgument(v)) = NewEmployee::parse(&req) else { panic!("expected invalid") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["employee_id", "full_name", "birth_date", "work_email", "work_country", "job_title"]);
    }

    #[test]
    fn german_employees_need_their_state() {
        let req = UpsertEmployeeRequest {
            employee_id: "e1".into(),
            full_name: "Jana".into(),
            work_email: "jana@acme.de".into(),
            work_country: "DE".into(),
            work_region: "Bavaria".into(),
            job_title: "Lagerist".into(),
            ..Default::default()
        };
        let Err(ApiError::InvalidArgument(v)) = NewEmployee::parse(&req) else { panic!("expected invalid") };
        assert_eq!(v[0].field, "work_region");
        let ok = UpsertEmployeeRequest { work_region: "de-by".into(), ..req };
        assert_eq!(NewEmployee::parse(&ok).expect("valid").region, "BY");
    }
}
