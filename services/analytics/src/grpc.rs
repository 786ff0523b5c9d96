//! gRPC surface of analytics.

use hrmesh_kit::{ApiError, auth::Role, error::identifier, service::ServiceContext};
use hrmesh_proto::analytics::v1::{
    GetApplicationCountsRequest, GetApplicationCountsResponse, analytics_service_server::AnalyticsService,
};
use tonic::{Request, Response, Status};

use crate::funnel;

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl AnalyticsService for Api {
    async fn get_application_counts(
        &self,
        request: Request<GetApplicationCountsRequest>,
    ) -> Result<Response<GetApplicationCountsResponse>, Status> {
        self.ctx
            .authorize(
                &request,
                &[Role::HrAdmin, Role::Manager],
                "hrmesh.analytics.v1.AnalyticsService/GetApplicationCounts",
            )
            .await?;
        let job = &request.get_ref().job_id;
        let job = if job.is_empty() {
            None
        } else {
            Some(identifier("job_id", job).map_err(|v| ApiError::InvalidArgument(vec![v]))?)
        };
        // Releases are recorded by the guard: one transaction per answer.
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let counts = funnel::counts(&mut tx, job.as_deref()).await.map_err(ApiError::from)?;
        tx.commit().await.map_err(ApiError::from)?;
        Ok(Response::new(counts))
    }
}
