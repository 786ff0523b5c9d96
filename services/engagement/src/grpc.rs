//! gRPC surface of engagement.

use hrmesh_kit::{
    auth::{Role, require},
    service::ServiceContext,
};
use hrmesh_proto::engagement::v1::{
    PulseAnswer, SubmitPulseAnswerRequest, engagement_service_server::EngagementService,
};
use tonic::{Request, Response, Status};

use crate::pulse;

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl EngagementService for Api {
    async fn submit_pulse_answer(
        &self,
        request: Request<SubmitPulseAnswerRequest>,
    ) -> Result<Response<PulseAnswer>, Status> {
        let caller = require(&request, &[Role::Employee, Role::Service])?;
        let answer = pulse::parse(request.get_ref())?;
        caller.acting_for(&answer.employee_id, &[Role::Service])?;
        Ok(Response::new(pulse::submit(&self.ctx, answer).await?))
    }
}
