//! gRPC surface of performance.

use hrmesh_kit::{
    auth::{Role, require},
    service::ServiceContext,
};
use hrmesh_proto::performance::v1::{Feedback, RecordFeedbackRequest, performance_service_server::PerformanceService};
use tonic::{Request, Response, Status};

use crate::feedback;

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl PerformanceService for Api {
    async fn record_feedback(&self, request: Request<RecordFeedbackRequest>) -> Result<Response<Feedback>, Status> {
        let caller = require(&request, &[Role::HrAdmin, Role::Manager, Role::Employee])?;
        let new = feedback::parse(request.get_ref())?;
        // Feedback is given in one's own name.
        caller.acting_for(&new.author_id, &[Role::HrAdmin])?;
        Ok(Response::new(feedback::record(&self.ctx, new).await?))
    }
}
