//! Calls to other services: skills (extraction, competence graph, demand) and governance
//! (decision log). A peer that cannot answer makes the call UNAVAILABLE; nothing is half-done.

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::{
    governance::v1::{Decision, RecordDecisionRequest, governance_service_client::GovernanceServiceClient},
    skills::v1::skills_service_client::SkillsServiceClient,
};
use tonic::transport::Channel;

fn channel(ctx: &ServiceContext, service: &str) -> Result<Channel, ApiError> {
    ctx.peers.channel_to(service).map_err(ApiError::Internal)
}

pub fn skills(ctx: &ServiceContext) -> Result<SkillsServiceClient<Channel>, ApiError> {
    // CVs and job ads travel to skills in one message; allow them beyond tonic's 4 MiB default.
    Ok(SkillsServiceClient::new(channel(ctx, "skills")?).max_decoding_message_size(16 << 20))
}

pub fn request<T>(ctx: &ServiceContext, message: T) -> Result<tonic::Request<T>, ApiError> {
    ctx.peers.request(message).map_err(ApiError::Internal)
}

/// Maps a peer's refusal: its INVALID_ARGUMENT is the caller's input (passed on), anything
/// else means the peer cannot help right now.
pub fn peer_error(service: &str, status: &tonic::Status) -> ApiError {
    match status.code() {
        tonic::Code::InvalidArgument => {
            ApiError::InvalidArgument(vec![hrmesh_kit::FieldViolation::new(service, status.message().to_owned())])
        }
        tonic::Code::FailedPrecondition => ApiError::FailedPrecondition(status.message().to_owned()),
        tonic::Code::PermissionDenied => ApiError::PermissionDenied(status.message().to_owned()),
        _ => ApiError::Unavailable(format!("{service} cannot answer: {}", status.message())),
    }
}

/// Records a decision in governance's decision log (and its adverse-impact monitor). A person's
/// decision travels with that person's own credentials (`on_behalf`): governance takes the
/// reviewer from the token, never from a field; recommendations go with the service token.
pub async fn record_decision(
    ctx: &ServiceContext,
    decision: RecordDecisionRequest,
    on_behalf: Option<&tonic::metadata::MetadataValue<tonic::metadata::Ascii>>,
) -> Result<Decision, ApiError> {
    let mut client = GovernanceServiceClient::new(channel(ctx, "governance")?);
    let request = match on_behalf {
        Some(authorization) => {
            let mut request = tonic::Request::new(decision);
            request.metadata_mut().insert("authorization", authorization.clone());
            request
        }
        None => request(ctx, decision)?,
    };
    let answer = client.record_decision(request).await.map_err(|s| peer_error("governance", &s))?;
    Ok(answer.into_inner())
}
