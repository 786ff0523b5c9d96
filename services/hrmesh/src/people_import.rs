//! `hrmesh people import`: sends an HRIS export to the people service's `ImportEmployees` and
//! prints the report, every bad row with its line.

use std::{collections::HashMap, path::Path, process::ExitCode};

use anyhow::Context;
use hrmesh_proto::people::v1::{ImportEmployeesRequest, people_service_client::PeopleServiceClient};
use tonic_types::StatusExt;

use crate::print_line;

/// Parses `FIELD=COLUMN` pairs.
fn mapping(pairs: &[String]) -> anyhow::Result<HashMap<String, String>> {
    pairs
        .iter()
        .map(|pair| {
            let (field, column) = pair.split_once('=').with_context(|| {
                format!("--map {pair:?}: write it as FIELD=COLUMN, e.g. employee_id=Personeelsnummer")
            })?;
            Ok((field.trim().to_owned(), column.trim().to_owned()))
        })
        .collect()
}

/// Imports `file` through `endpoint`; exit code 1 when the file had bad rows.
pub async fn run(
    endpoint: &str,
    token: &str,
    file: &Path,
    mappings: &[String],
    format: &str,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let content = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let column_mapping = mapping(mappings)?;
    let channel = tonic::transport::Endpoint::from_shared(endpoint.to_owned())
        .with_context(|| format!("invalid endpoint {endpoint:?}"))?
        .connect()
        .await
        .with_context(|| format!("cannot reach the people service at {endpoint} (is `hrmesh up` running?)"))?;
    let bearer: tonic::metadata::MetadataValue<_> =
        format!("Bearer {token}").parse().context("the token is not valid header text")?;
    let mut client = PeopleServiceClient::with_interceptor(channel, move |mut request: tonic::Request<()>| {
        request.metadata_mut().insert("authorization", bearer.clone());
        Ok(request)
    });
    let request = ImportEmployeesRequest { content, format: format.to_owned(), column_mapping, dry_run };
    let report = match client.import_employees(request).await {
        Ok(report) => report.into_inner(),
        Err(status) => {
            let details = status.get_details_bad_request();
            let fields: Vec<String> = details
                .map(|d| d.field_violations.iter().map(|v| format!("{}: {}", v.field, v.description)).collect())
                .unwrap_or_default();
            anyhow::bail!(
                "the import was refused: {}{}",
                status.message(),
                if fields.is_empty() { String::new() } else { format!(" ({})", fields.join("; ")) }
            );
        }
    };
    if !report.errors.is_empty() {
        eprintln!("{}: {} rows, {} invalid — nothing was written:", file.display(), report.rows, report.errors.len());
        for e in &report.errors {
            eprintln!(
                "  line {}: {}{}",
                e.line,
                if e.field.is_empty() { String::new() } else { format!("{}: ", e.field) },
                e.reason
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    print_line(&format!(
        "{}{}: {} rows — {} created, {} updated, {} unchanged, {} contract versions recorded",
        if dry_run { "dry run, nothing written — " } else { "" },
        file.display(),
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.contracts_recorded
    ));
    Ok(ExitCode::SUCCESS)
}
