//! The one mapping from service errors to `tonic::Status`.
//!
//! Each service has its own error enum (thiserror) and converts it into [`ApiError`]; this file
//! is the only place that turns an [`ApiError`] into a gRPC status, so every service reports
//! bad input, missing consent or a denial the same way.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// One invalid request field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: String,
    pub description: String,
}

impl FieldViolation {
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self { field: field.into(), description: description.into() }
    }
}

/// Classified failure of an RPC.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid request: {}", describe(.0))]
    InvalidArgument(Vec<FieldViolation>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    AlreadyExists(String),
    #[error("{0}")]
    FailedPrecondition(String),
    /// A domain rule refused the request (FAILED_PRECONDITION) with a stable reason code in an
    /// `ErrorInfo` detail, so callers branch on the code, never on the message.
    #[error("{message}")]
    Refused { reason: &'static str, message: String },
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("deadline exceeded: {0}")]
    DeadlineExceeded(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The `ErrorInfo.domain` of hrmesh's reason codes.
pub const ERROR_DOMAIN: &str = "hrmesh";

/// The reason code of a refusal (`ApiError::Refused`) another service returned, if any.
pub fn reason(status: &Status) -> Option<String> {
    status.get_details_error_info().filter(|info| info.domain == ERROR_DOMAIN).map(|info| info.reason)
}

/// At most this many field violations are returned; the rest are counted.
const MAX_VIOLATIONS: usize = 20;
/// Longest field name or description returned, in characters: an error never echoes a large input.
const MAX_DETAIL_CHARS: usize = 200;
/// Longest message of any status, in characters.
const MAX_MESSAGE_CHARS: usize = 1000;

/// `text` cut to `max` characters, marked with an ellipsis when cut.
fn bounded(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// The violations a reply carries: bounded in number and size, the rest summarised.
fn bounded_violations(violations: &[FieldViolation]) -> Vec<FieldViolation> {
    let mut out: Vec<FieldViolation> = violations
        .iter()
        .take(MAX_VIOLATIONS)
        .map(|v| FieldViolation::new(bounded(&v.field, MAX_DETAIL_CHARS), bounded(&v.description, MAX_DETAIL_CHARS)))
        .collect();
    if violations.len() > MAX_VIOLATIONS {
        out.push(FieldViolation::new(
            "",
            format!("and {} more problems of the same kind", violations.len() - MAX_VIOLATIONS),
        ));
    }
    out
}

fn describe(violations: &[FieldViolation]) -> String {
    violations.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; ")
}

impl ApiError {
    /// A refusal by a domain rule with its stable reason code (`INSUFFICIENT_BALANCE`).
    pub fn refused(reason: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Refused { reason, message: message.into() }
    }

    /// A failed insert: a unique-key conflict becomes ALREADY_EXISTS saying `what` exists,
    /// anything else stays an internal error.
    pub fn on_conflict(err: sqlx::Error, what: impl FnOnce() -> String) -> ApiError {
        if crate::db::is_unique_violation(&err) { ApiError::AlreadyExists(what()) } else { err.into() }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(err: sqlx::Error) -> Self {
        ApiError::Internal(err.into())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(err: serde_json::Error) -> Self {
        ApiError::Internal(err.into())
    }
}

impl From<crate::crypto::VaultError> for ApiError {
    fn from(err: crate::crypto::VaultError) -> Self {
        ApiError::Internal(err.into())
    }
}

impl From<ApiError> for Status {
    fn from(err: ApiError) -> Self {
        match err {
            ApiError::InvalidArgument(violations) => {
                let violations = bounded_violations(&violations);
                let mut details = ErrorDetails::new();
                for v in &violations {
                    details.add_bad_request_violation(v.field.clone(), v.description.clone());
                }
                Status::with_error_details(
                    Code::InvalidArgument,
                    format!("invalid request: {}", describe(&violations)),
                    details,
                )
            }
            ApiError::NotFound(m) => Status::not_found(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::AlreadyExists(m) => Status::already_exists(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::FailedPrecondition(m) => Status::failed_precondition(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::Refused { reason, message } => {
                let mut details = ErrorDetails::new();
                details.set_error_info(reason, ERROR_DOMAIN, std::collections::HashMap::new());
                Status::with_error_details(Code::FailedPrecondition, bounded(&message, MAX_MESSAGE_CHARS), details)
            }
            ApiError::PermissionDenied(m) => Status::permission_denied(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::Unauthenticated(m) => Status::unauthenticated(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::Unavailable(m) => Status::unavailable(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::DeadlineExceeded(m) => Status::deadline_exceeded(bounded(&m, MAX_MESSAGE_CHARS)),
            ApiError::Internal(err) => {
                let trace_id = crate::telemetry::current_trace_id();
                tracing::error!(error = ?err, %trace_id, "internal error");
                Status::internal(format!("internal error (trace id {trace_id})"))
            }
        }
    }
}

/// Collects field violations while a request is parsed, so the caller learns every problem at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    /// Keeps the value of `result`, or records its violation and returns `None`.
    pub fn check<T>(&mut self, result: Result<T, FieldViolation>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(violation) => {
                self.0.push(violation);
                None
            }
        }
    }

    /// Records a violation directly.
    pub fn add(&mut self, field: &str, description: impl Into<String>) {
        self.0.push(FieldViolation::new(field, description));
    }

    /// The InvalidArgument error carrying every recorded violation.
    pub fn into_error(self) -> ApiError {
        ApiError::InvalidArgument(self.0)
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(InvalidArgument)` if anything was recorded.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() { Ok(()) } else { Err(ApiError::InvalidArgument(self.0)) }
    }
}

/// Parses a required, trimmed text field of at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, FieldViolation> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldViolation::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(FieldViolation::new(field, format!("must be at most {max} characters")));
    }
    Ok(value.to_owned())
}

/// Parses an identifier: 1..=128 characters of ASCII letters, digits, '-', '_', '.', ':' or '/'.
pub fn identifier(field: &str, value: &str) -> Result<String, FieldViolation> {
    if value.is_empty() {
        return Err(FieldViolation::new(field, "must not be empty"));
    }
    if value.len() > 128 {
        return Err(FieldViolation::new(field, "must be at most 128 characters"));
    }
    let ok = value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '/'));
    if !ok {
        return Err(FieldViolation::new(field, "may only contain ASCII letters, digits, '-', '_', '.', ':' and '/'"));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_carry_their_reason_code() {
        let status: Status = ApiError::refused("INSUFFICIENT_BALANCE", "2 days left").into();
        assert_eq!((status.code(), status.message()), (Code::FailedPrecondition, "2 days left"));
        assert_eq!(reason(&status).as_deref(), Some("INSUFFICIENT_BALANCE"));
        assert_eq!(reason(&Status::failed_precondition("no code")), None);
    }

    #[test]
    fn invalid_argument_carries_every_field_violation() {
        let mut v = Violations::default();
        v.add("email", "must contain '@'");
        v.add("job_id", "must not be empty");
        let status: Status = v.finish().expect_err("two violations").into();
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let fields: Vec<_> = details
            .bad_request()
            .expect("bad request details")
            .field_violations
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["email", "job_id"]);
    }

    #[test]
    fn errors_never_echo_a_large_input() {
        let mut v = Violations::default();
        for i in 0..10_000 {
            v.add(&format!("items[{i}].{}", "x".repeat(5000)), format!("unknown id {}", "y".repeat(5000)));
        }
        let status: Status = v.finish().expect_err("violations").into();
        assert!(status.message().len() < 10_000, "message of {} bytes", status.message().len());
        let details = status.get_error_details();
        let violations = &details.bad_request().expect("details").field_violations;
        assert_eq!(violations.len(), MAX_VIOLATIONS + 1);
        assert!(violations.last().expect("summary").description.contains("9980 more"));
        let status: Status = ApiError::NotFound(format!("no job {}", "z".repeat(1_000_000))).into();
        assert!(status.message().len() <= MAX_MESSAGE_CHARS * 4 + 3);
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let status: Status = ApiError::Internal(anyhow::anyhow!("password=hunter2")).into();
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("hunter2"));
    }

    #[test]
    fn identifiers_reject_whitespace_and_empty() {
        assert!(identifier("id", "cand-1").is_ok());
        assert!(identifier("id", "").is_err());
        assert!(identifier("id", "a b").is_err());
    }
}
