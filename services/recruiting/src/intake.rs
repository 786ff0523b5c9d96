//! CV intake: document bytes → a parsed, structured profile (via `cv`), with bad files refused
//! with a reason code and what to do about it.

use hrmesh_kit::{ApiError, FieldViolation};
use tokio::sync::Semaphore;

use crate::{
    candidates::{Intake, StoredContact, StoredEducation, StoredJob, Structured},
    cv,
};

/// Largest gRPC request SubmitCv accepts (the CV limit plus room for the other fields), so an
/// oversized CV gets intake's own answer rather than a transport error.
pub const MAX_REQUEST_BYTES: usize = 3 * cv::MAX_CV_BYTES;

/// CVs parsed at once: each is bounded (pages, streams, text), and this bounds their sum, so
/// a burst of uploads queues instead of taking every core and its memory times the burst.
static PARSING: Semaphore = Semaphore::const_new(2);

/// Parses off the async runtime (PDF parsing is CPU work).
pub async fn parse(bytes: Vec<u8>, filename: &str) -> Result<Intake, ApiError> {
    let name = filename.trim().to_owned();
    if name.len() > 255 {
        return Err(ApiError::InvalidArgument(vec![FieldViolation::new("filename", "at most 255 characters")]));
    }
    let today = cv::YearMonth::today();
    let _permit = PARSING.acquire().await.map_err(|e| ApiError::Internal(e.into()))?;
    let (bytes, parsed) = tokio::task::spawn_blocking(move || {
        let parsed = cv::parse(&bytes, &name, today);
        (bytes, parsed)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?;
    let parsed = parsed
        .map_err(|e| ApiError::InvalidArgument(vec![FieldViolation::new("content", format!("{}: {e}", e.code()))]))?;
    let structured = Structured {
        language: parsed.language.to_string(),
        format: parsed.format.to_string(),
        work: parsed
            .work
            .iter()
            .map(|j| StoredJob {
                title: j.title.clone(),
                employer: j.employer.clone(),
                start: j.start.to_string(),
                end: j.end.map(|e| e.to_string()).unwrap_or_default(),
                months: j.months,
            })
            .collect(),
        experience_months: parsed.experience_months,
        education: parsed
            .education
            .iter()
            .map(|e| StoredEducation {
                degree: e.degree.clone(),
                institution: e.institution.clone(),
                level: e.level.to_string(),
                year: e.year.unwrap_or(0),
            })
            .collect(),
        languages: parsed.languages.iter().map(|l| (l.language.clone(), l.level.to_string())).collect(),
        warnings: parsed.warnings.clone(),
    };
    let c = &parsed.contact;
    let contact = StoredContact {
        name: c.name.clone().unwrap_or_default(),
        email: c.email.clone().unwrap_or_default(),
        phone: c.phone.clone().unwrap_or_default(),
        address: c.address.clone().unwrap_or_default(),
    };
    // The skills service sees the CV with names, employers, places and dates blanked: "Bakker"
    // the surname and "Bakkerij Hendriks" the employer are not evidence of baking.
    let text = parsed.skill_text();
    Ok(Intake { filename: filename.trim().to_owned(), document: bytes, text, contact, structured })
}
