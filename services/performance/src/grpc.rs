//! gRPC surface of performance.

use hrmesh_kit::{auth::Role, service::ServiceContext};
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
        let caller = self
            .ctx
            .authorize(
                &request,
                &[Role::HrAdmin, Role::Manager, Role::Employee],
                "hrmesh.performance.v1.PerformanceService/RecordFeedback",
            )
            .await?;
        let new = feedback::parse(request.get_ref())?;
        // Feedback is given in one's own name.
        self.ctx
            .acting_for(
                &caller,
                &new.author_id,
                &[Role::HrAdmin],
                "hrmesh.performance.v1.PerformanceService/RecordFeedback",
            )
            .await?;
        Ok(Response::new(feedback::record(&self.ctx, new).await?))
    }
}
