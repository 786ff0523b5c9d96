//! Calls to other services: people (the employee's language) and governance (the decision log
//! and its adverse-impact monitor). A peer that cannot answer makes the call UNAVAILABLE.

use hrmesh_kit::{ApiError, locale::Locale, service::ServiceContext};
use hrmesh_proto::{
    governance::v1::{
        AdverseImpactReport, Decision, GetAdverseImpactReportRequest, RecordDecisionRequest,
        governance_service_client::GovernanceServiceClient,
    },
    people::v1::{GetEmployeeRequest, people_service_client::PeopleServiceClient},
};
use tonic::metadata::{Ascii, MetadataValue};

/// Maps a peer's refusal: its INVALID_ARGUMENT, FAILED_PRECONDITION and PERMISSION_DENIED are
/// passed on; anything else means the peer cannot help right now.
fn peer_error(service: &str, status: &tonic::Status) -> ApiError {
    match status.code() {
        tonic::Code::InvalidArgument => {
            ApiError::InvalidArgument(vec![hrmesh_kit::FieldViolation::new(service, status.message().to_owned())])
        }
        tonic::Code::FailedPrecondition => ApiError::FailedPrecondition(status.message().to_owned()),
        tonic::Code::PermissionDenied => ApiError::PermissionDenied(status.message().to_owned()),
        _ => ApiError::Unavailable(format!("{service} cannot answer: {}", status.message())),
    }
}

/// A request carrying the person's own credentials.
fn on_behalf<T>(message: T, authorization: &MetadataValue<Ascii>) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request.metadata_mut().insert("authorization", authorization.clone());
    request
}

/// The employee's preferred language from the people service, if it knows one.
pub async fn employee_language(ctx: &ServiceContext, employee: &str) -> Option<Locale> {
    let channel = ctx.peers.channel_to("people").ok()?;
    let request = ctx.peers.request(GetEmployeeRequest { employee_id: employee.to_owned() }).ok()?;
    match PeopleServiceClient::new(channel).get_employee(request).await {
        Ok(answer) => Locale::parse(&answer.into_inner().preferred_language),
        Err(status) => {
            tracing::debug!(code = ?status.code(), "no preferred language from the people service");
            None
        }
    }
}

/// Records a person's decision in governance's decision log with that person's credentials:
/// governance takes the reviewer from the token, never from a field.
pub async fn record_decision(
    ctx: &ServiceContext,
    decision: RecordDecisionRequest,
    authorization: &MetadataValue<Ascii>,
) -> Result<Decision, ApiError> {
    let channel = ctx.peers.channel_to("governance").map_err(ApiError::Internal)?;
    let answer = GovernanceServiceClient::new(channel)
        .record_decision(on_behalf(decision, authorization))
        .await
        .map_err(|s| peer_error("governance", &s))?;
    Ok(answer.into_inner())
}

/// Governance's adverse-impact report, asked with HR's own credentials.
pub async fn adverse_impact(
    ctx: &ServiceContext,
    authorization: &MetadataValue<Ascii>,
) -> Result<AdverseImpactReport, ApiError> {
    let channel = ctx.peers.channel_to("governance").map_err(ApiError::Internal)?;
    let answer = GovernanceServiceClient::new(channel)
        .get_adverse_impact_report(on_behalf(GetAdverseImpactReportRequest {}, authorization))
        .await
        .map_err(|s| peer_error("governance", &s))?;
    Ok(answer.into_inner())
}
