//! Issued documents: employment certificates from the contract data, signed, with a code that
//! `VerifyDocument` checks for a landlord or a bank.

use ed25519_dalek::{SigningKey, VerifyingKey};
use hrmesh_kit::{ApiError, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time};
use hrmesh_proto::people::v1::{self as pb, DocumentIssued};
use sha2::{Digest, Sha256};

use crate::{
    certificate::{self, CertificateFacts, CertificateRecord},
    contracts, employees, purposes, reasons,
};

/// The kind of the one document issued so far.
const EMPLOYMENT_CERTIFICATE: &str = "employment_certificate";
/// How long a certificate counts as current: banks and landlords ask for one of at most three
/// months.
pub const VALID_DAYS: i64 = 90;

/// The last day a document issued at `issued_at_ms` is current.
fn valid_until(issued_at_ms: i64) -> ::time::Date {
    time::date_of_ms(issued_at_ms) + ::time::Duration::days(VALID_DAYS)
}

/// The service's document signing key, derived from the privacy master key so that every
/// replica signs alike and nothing else needs to be configured.
pub fn signing_key(master: &str) -> SigningKey {
    let mut hasher = Sha256::new();
    hasher.update(b"hrmesh/people/document-signing/v1\0");
    hasher.update(master.as_bytes());
    SigningKey::from_bytes(&hasher.finalize().into())
}

/// Issues an employment certificate for `employee_id` in `locale`.
pub async fn issue_certificate(
    ctx: &ServiceContext,
    key: &SigningKey,
    employee_id: &str,
    locale: Locale,
) -> Result<pb::Document, ApiError> {
    let mut tx = ctx.db.begin().await?;
    let employee = employees::get(&ctx.vault, &mut tx, employee_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no employee {employee_id}")))?;
    let versions = contracts::history(&mut tx, employee_id).await?;
    let today = time::today();
    let first = versions.iter().map(|c| c.start).min();
    let current = contracts::current(&mut tx, employee_id, today).await?;
    let (Some(start), Some(current)) = (first, current) else {
        return Err(ApiError::refused(
            reasons::NO_CONTRACT,
            format!(
                "{employee_id} has no contract to certify / heeft geen arbeidsovereenkomst / hat keinen Arbeitsvertrag"
            ),
        ));
    };
    let facts = CertificateFacts {
        employee_name: employee.full_name.clone(),
        birth_date: time::parse_optional_date("birth_date", &employee.birth_date).ok().flatten(),
        job_title: employee.job_title.clone(),
        employer_name: ctx.config.employer().to_owned(),
        start,
        end: current.end,
        weekly_hours: current.weekly_hours,
        permanent: current.kind == contracts::Kind::Permanent,
        issued_on: today,
        locale,
    };
    let document_id = uuid::Uuid::now_v7().to_string();
    let issued = certificate::issue(key, &document_id, &facts);
    let sealed = ctx.vault.seal(&mut tx, employee_id, &issued.record.facts_text).await?;
    let now = time::now_ms();
    sqlx::query(
        "INSERT INTO documents (document_id, employee_id, kind, language, code, statement_sealed, statement_signature,
         pdf_signature, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&document_id)
    .bind(employee_id)
    .bind(EMPLOYMENT_CERTIFICATE)
    .bind(locale.code())
    .bind(&issued.record.code)
    .bind(sealed)
    .bind(hex::encode(&issued.record.facts_signature))
    .bind(hex::encode(&issued.record.pdf_signature))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let event = DocumentIssued {
        document_id: document_id.clone(),
        kind: EMPLOYMENT_CERTIFICATE.into(),
        language: locale.code().into(),
    };
    outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &ctx.events.envelope(employee_id, purposes::DOCUMENTS, &event))
        .await?;
    ctx.commit(tx).await?;
    Ok(pb::Document {
        document_id,
        employee_id: employee_id.to_owned(),
        kind: EMPLOYMENT_CERTIFICATE.into(),
        language: locale.code().into(),
        verification_code: issued.record.code,
        pdf: issued.pdf,
        issued_at: Some(time::timestamp(now)),
        valid_until: time::format_date(valid_until(now)),
    })
}

#[derive(sqlx::FromRow)]
struct Listed {
    document_id: String,
    kind: String,
    language: String,
    code: String,
    issued_at: i64,
}

/// The documents issued to `employee_id`, newest first, without their PDFs.
pub async fn list(ctx: &ServiceContext, employee_id: &str) -> Result<Vec<pb::Document>, ApiError> {
    let rows: Vec<Listed> = sqlx::query_as(
        "SELECT document_id, kind, language, code, issued_at FROM documents WHERE employee_id = $1
         ORDER BY issued_at DESC, document_id DESC",
    )
    .bind(employee_id)
    .fetch_all(ctx.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| pb::Document {
            document_id: r.document_id,
            employee_id: employee_id.to_owned(),
            kind: r.kind,
            language: r.language,
            verification_code: r.code,
            pdf: Vec::new(),
            issued_at: Some(time::timestamp(r.issued_at)),
            valid_until: time::format_date(valid_until(r.issued_at)),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct Row {
    document_id: String,
    employee_id: String,
    code: String,
    statement_sealed: String,
    statement_signature: String,
    pdf_signature: String,
    issued_at: i64,
}

/// Checks `code` (and `pdf` when given) against the issued documents.
pub async fn verify(
    ctx: &ServiceContext,
    key: &VerifyingKey,
    code: &str,
    pdf: Option<&[u8]>,
) -> Result<pb::VerifyDocumentResponse, ApiError> {
    let Some(code) = certificate::normalize_code(code) else {
        return Err(ApiError::InvalidArgument(vec![hrmesh_kit::FieldViolation::new(
            "verification_code",
            "must be the 16-character code printed on the document, like 7K3M-Q9XD-2HFA-WB4R",
        )]));
    };
    let invalid =
        |reason: &str| pb::VerifyDocumentResponse { valid: false, reason: reason.into(), ..Default::default() };
    let mut conn = ctx.db.pool().acquire().await?;
    let row: Option<Row> = sqlx::query_as(
        "SELECT document_id, employee_id, code, statement_sealed, statement_signature, pdf_signature, issued_at
         FROM documents WHERE code = $1",
    )
    .bind(&code)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(invalid("unknown_code")) };
    let statement = ctx.vault.open(&mut conn, &row.employee_id, &row.statement_sealed).await?;
    let Some(statement) = statement else { return Ok(invalid("withdrawn")) };
    let record = CertificateRecord {
        document_id: row.document_id,
        code: row.code,
        facts_text: statement,
        facts_signature: hex::decode(&row.statement_signature).unwrap_or_default(),
        pdf_signature: hex::decode(&row.pdf_signature).unwrap_or_default(),
    };
    if !certificate::verify_document(key, &record, &code, None) {
        return Ok(invalid("changed_document"));
    }
    if pdf.is_some() && !certificate::verify_document(key, &record, &code, pdf) {
        return Ok(invalid("changed_document"));
    }
    let until = valid_until(row.issued_at);
    if time::today() > until {
        return Ok(pb::VerifyDocumentResponse {
            issued_at: Some(time::timestamp(row.issued_at)),
            valid_until: time::format_date(until),
            ..invalid("expired")
        });
    }
    Ok(pb::VerifyDocumentResponse {
        valid: true,
        statement: record.facts_text,
        issued_at: Some(time::timestamp(row.issued_at)),
        reason: String::new(),
        valid_until: time::format_date(until),
    })
}
