//! Import of an HRIS export (CSV or JSON): employees with their org unit, manager and contract.
//! The whole file is checked first; every bad row is named with its line and reason and nothing
//! is written unless every row is valid. The import runs in one transaction, so a dry run is the
//! same import rolled back, and re-running a file changes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use hrmesh_kit::{ApiError, FieldViolation, service::ServiceContext};
use hrmesh_proto::people::v1::{
    Address, ImportReport, RowError, SetContractRequest, UpsertEmployeeRequest, UpsertOrgUnitRequest,
};

use crate::{
    contracts::{self, Contract},
    employees::{self, NewEmployee, Outcome},
    org::{self, NewOrgUnit},
};

/// Largest file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The fields a file may carry (our names); a column mapping names the file's columns for them.
pub const FIELDS: &[&str] = &[
    "employee_id",
    "full_name",
    "private_email",
    "phone",
    "birth_date",
    "street",
    "house_number",
    "postcode",
    "city",
    "address_country",
    "work_email",
    "preferred_language",
    "work_country",
    "work_region",
    "org_unit_id",
    "org_unit_name",
    "org_unit_parent_id",
    "job_title",
    "manager_id",
    "status",
    "effective_from",
    "contract_start",
    "contract_end",
    "probation_end",
    "weekly_hours",
    "days_per_week",
    "contract_kind",
    "extra_leave_days",
];

/// A file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// The format named in a request, or guessed from the content.
    pub fn of(name: &str, content: &str) -> Result<Self, FieldViolation> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            "" if content.trim_start().starts_with('[') => Ok(Self::Json),
            "" => Ok(Self::Csv),
            _ => Err(FieldViolation::new("format", "must be csv or json (or empty to guess)")),
        }
    }
}

/// One data row: its line in the file and its values by our field name.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u32,
    pub values: HashMap<String, String>,
}

impl Row {
    fn get(&self, field: &str) -> &str {
        self.values.get(field).map_or("", |v| v.trim())
    }
}

fn row_error(line: u32, field: &str, reason: impl Into<String>) -> RowError {
    RowError { line, field: field.to_owned(), reason: reason.into() }
}

/// Reads the file into rows keyed by our field names. CSV lines count from the header (line 1);
/// JSON rows are numbered by their position in the array (the first object is line 1).
pub fn read(content: &[u8], format: &str, mapping: &BTreeMap<String, String>) -> Result<Vec<Row>, ApiError> {
    let invalid = |field: &str, why: String| ApiError::InvalidArgument(vec![FieldViolation::new(field, why)]);
    if content.len() > MAX_BYTES {
        return Err(invalid("content", format!("must be at most {} MiB", MAX_BYTES / 1024 / 1024)));
    }
    let text = std::str::from_utf8(content).map_err(|e| invalid("content", format!("must be UTF-8 text: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(invalid("content", "is empty".into()));
    }
    for ours in mapping.keys() {
        if !FIELDS.contains(&ours.as_str()) {
            return Err(invalid("column_mapping", format!("{ours} is not a field; choose from {}", FIELDS.join(", "))));
        }
    }
    // The file's column → our field.
    let rename: HashMap<String, String> = FIELDS
        .iter()
        .map(|f| (mapping.get(*f).cloned().unwrap_or_else(|| (*f).to_owned()).to_ascii_lowercase(), (*f).to_owned()))
        .collect();
    let ours = |column: &str| rename.get(&column.trim().to_ascii_lowercase()).cloned();
    let format = Format::of(format, text).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    let mut rows = Vec::new();
    match format {
        Format::Csv => {
            let delimiter = if text.lines().next().is_some_and(|h| h.matches(';').count() > h.matches(',').count()) {
                b';'
            } else {
                b','
            };
            let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
            let headers =
                reader.headers().map_err(|e| invalid("content", format!("unreadable CSV header: {e}")))?.clone();
            let columns: Vec<Option<String>> = headers.iter().map(ours).collect();
            if !columns.iter().any(|c| c.as_deref() == Some("employee_id")) {
                return Err(invalid(
                    "content",
                    "the header has no employee_id column (map yours with column_mapping)".into(),
                ));
            }
            for record in reader.records() {
                let record = record.map_err(|e| invalid("content", format!("unreadable CSV: {e}")))?;
                let line = record.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                let values = columns
                    .iter()
                    .zip(record.iter())
                    .filter_map(|(c, v)| c.as_ref().map(|c| (c.clone(), v.to_owned())))
                    .collect();
                rows.push(Row { line, values });
            }
        }
        Format::Json => {
            let items: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(text)
                .map_err(|e| invalid("content", format!("must be a JSON array of objects: {e}")))?;
            for (i, item) in items.into_iter().enumerate() {
                let values = item
                    .into_iter()
                    .filter_map(|(k, v)| {
                        let v = match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        ours(&k).map(|k| (k, v))
                    })
                    .collect();
                rows.push(Row { line: u32::try_from(i + 1).unwrap_or(u32::MAX), values });
            }
        }
    }
    Ok(rows)
}

/// A row turned into what it writes.
#[derive(Debug)]
struct Parsed {
    line: u32,
    employee: NewEmployee,
    unit: Option<NewOrgUnit>,
    contract: Option<Contract>,
}

fn parse_row(row: &Row) -> Result<Parsed, Vec<RowError>> {
    let g = |f: &str| row.get(f).to_owned();
    let address = Address {
        street: g("street"),
        house_number: g("house_number"),
        postcode: g("postcode"),
        city: g("city"),
        country: if row.get("address_country").is_empty() { g("work_country") } else { g("address_country") },
    };
    let has_address = !(address.street.is_empty() && address.postcode.is_empty() && address.city.is_empty());
    let request = UpsertEmployeeRequest {
        employee_id: g("employee_id"),
        full_name: g("full_name"),
        private_email: g("private_email"),
        phone: g("phone"),
        birth_date: g("birth_date"),
        private_address: has_address.then_some(address),
        work_email: g("work_email"),
        preferred_language: g("preferred_language"),
        work_country: g("work_country"),
        work_region: g("work_region"),
        org_unit_id: g("org_unit_id"),
        job_title: g("job_title"),
        manager_id: g("manager_id"),
        effective_from: g("effective_from"),
        status: g("status"),
        application_id: String::new(),
    };
    let mut errors = Vec::new();
    let violations = |e: ApiError, errors: &mut Vec<RowError>| match e {
        ApiError::InvalidArgument(v) => {
            errors.extend(v.into_iter().map(|v| row_error(row.line, &v.field, v.description)));
        }
        other => errors.push(row_error(row.line, "", other.to_string())),
    };
    let employee = NewEmployee::parse(&request).map_err(|e| violations(e, &mut errors)).ok();
    let unit = if row.get("org_unit_name").is_empty() {
        None
    } else {
        let req = UpsertOrgUnitRequest {
            org_unit_id: g("org_unit_id"),
            name: g("org_unit_name"),
            parent_id: g("org_unit_parent_id"),
        };
        NewOrgUnit::parse(&req).map_err(|e| violations(e, &mut errors)).ok()
    };
    let contract = if row.get("contract_start").is_empty() {
        None
    } else {
        let number = |field: &str, errors: &mut Vec<RowError>| -> f64 {
            let raw = row.get(field).replace(',', ".");
            if raw.is_empty() {
                return 0.0;
            }
            raw.parse().unwrap_or_else(|_| {
                errors.push(row_error(row.line, field, "must be a number"));
                0.0
            })
        };
        let weekly_hours = number("weekly_hours", &mut errors);
        let days_per_week = number("days_per_week", &mut errors);
        let extra_leave_days = number("extra_leave_days", &mut errors);
        let req = SetContractRequest {
            employee_id: g("employee_id"),
            effective_from: String::new(),
            start_date: g("contract_start"),
            end_date: g("contract_end"),
            probation_end: g("probation_end"),
            weekly_hours,
            days_per_week: if days_per_week.fract() == 0.0 && (0.0..=7.0).contains(&days_per_week) {
                days_per_week as u32
            } else {
                99
            },
            kind: g("contract_kind"),
            extra_leave_days,
            sick_note_from_day: 0,
        };
        Contract::parse(&req).map_err(|e| violations(e, &mut errors)).ok()
    };
    match employee {
        Some(employee) if errors.is_empty() => Ok(Parsed { line: row.line, employee, unit, contract }),
        _ => Err(errors),
    }
}

/// Runs an import; with `dry_run` (or when any row is invalid) nothing is kept.
pub async fn run(ctx: &ServiceContext, rows: Vec<Row>, dry_run: bool, by: &str) -> Result<ImportReport, ApiError> {
    let mut report =
        ImportReport { rows: u32::try_from(rows.len()).unwrap_or(u32::MAX), dry_run, ..Default::default() };
    let mut parsed = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for row in &rows {
        match parse_row(row) {
            Ok(p) => {
                if let Some(first) = seen.insert(p.employee.employee_id.clone(), p.line) {
                    report.errors.push(row_error(
                        p.line,
                        "employee_id",
                        format!("{} is also on line {first}", p.employee.employee_id),
                    ));
                }
                parsed.push(p);
            }
            Err(errors) => report.errors.extend(errors),
        }
    }
    let mut tx = ctx.db.begin().await?;
    // The directory as it will be after the import: stored rows overlaid with the file's.
    let mut managers = employees::managers(&mut tx).await?;
    let mut units = org::parents(&mut tx).await?;
    for p in &parsed {
        managers.insert(p.employee.employee_id.clone(), p.employee.manager_id.clone());
        if let Some(u) = &p.unit {
            units.insert(u.id.clone(), u.parent.clone());
        }
    }
    let unit_ids: BTreeSet<String> = units.keys().cloned().collect();
    for p in &parsed {
        for v in employees::check_references(&p.employee, &managers, &unit_ids) {
            report.errors.push(row_error(p.line, &v.field, v.description));
        }
        if let Some(problem) = p.unit.as_ref().and_then(|u| org::placement_problem(u, &units)) {
            report.errors.push(row_error(p.line, "org_unit_parent_id", problem));
        }
    }
    if !report.errors.is_empty() {
        report.errors.sort_by_key(|e| e.line);
        tx.rollback().await?;
        return Ok(report);
    }
    // Parents before children, managers before their reports.
    let mut placed_units = BTreeSet::new();
    let mut pending: Vec<&NewOrgUnit> = parsed.iter().filter_map(|p| p.unit.as_ref()).collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut later = Vec::new();
        for unit in pending {
            let ready = unit.parent.as_ref().is_none_or(|p| {
                placed_units.contains(p) || !parsed.iter().any(|x| x.unit.as_ref().is_some_and(|u| &u.id == p))
            });
            if ready {
                org::upsert(&mut tx, unit).await?;
                placed_units.insert(unit.id.clone());
            } else {
                later.push(unit);
            }
        }
        if later.len() == before {
            break;
        }
        pending = later;
    }
    let in_file: BTreeSet<&str> = parsed.iter().map(|p| p.employee.employee_id.as_str()).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<&Parsed> = parsed.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut later = Vec::new();
        for p in pending {
            let ready = p.employee.manager_id.as_deref().is_none_or(|m| done.contains(m) || !in_file.contains(m));
            if !ready {
                later.push(p);
                continue;
            }
            match employees::upsert(ctx, &mut tx, &p.employee, by).await? {
                Outcome::Created => report.created += 1,
                Outcome::Updated => report.updated += 1,
                Outcome::Unchanged => report.unchanged += 1,
            }
            if let Some(c) = &p.contract
                && contracts::record(ctx, &mut tx, &p.employee.employee_id, c).await?
            {
                report.contracts_recorded += 1;
            }
            done.insert(p.employee.employee_id.clone());
        }
        if later.len() == before {
            return Err(ApiError::Internal(anyhow::anyhow!("reporting lines in the file form a cycle")));
        }
        pending = later;
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        ctx.commit(tx).await?;
        if report.created + report.updated > 0 {
            ctx.directory.invalidate().await;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_by_file_line_and_mapped() {
        let csv = "Personeelsnummer;Naam;work_country\nE1;Jan;NL\nE2;Piet;NL\n";
        let mapping = BTreeMap::from([
            ("employee_id".to_owned(), "Personeelsnummer".to_owned()),
            ("full_name".to_owned(), "Naam".to_owned()),
        ]);
        let rows = read(csv.as_bytes(), "", &mapping).expect("readable");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].get("full_name"), "Piet");
    }

    #[test]
    fn a_file_without_ids_is_refused_with_the_fix() {
        let Err(ApiError::InvalidArgument(v)) = read(b"name,email\nJan,j@x.nl\n", "csv", &BTreeMap::new()) else {
            panic!("invalid")
        };
        assert!(v[0].description.contains("column_mapping"));
    }

    #[test]
    fn bad_rows_name_their_line_and_field() {
        let rows = read(
            b"employee_id,full_name,work_email,work_country,job_title,contract_start,weekly_hours,days_per_week\n\
              E1,Jan,jan@acme.nl,NL,Driver,2026-01-01,forty,5\n",
            "csv",
            &BTreeMap::new(),
        )
        .expect("readable");
        let errors = parse_row(&rows[0]).expect_err("bad hours");
        assert_eq!((errors[0].line, errors[0].field.as_str()), (2, "weekly_hours"));
    }
}
