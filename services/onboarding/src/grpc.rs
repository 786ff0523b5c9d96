//! gRPC surface of onboarding.

use hrmesh_kit::{ApiError, auth::Role, error::identifier, service::ServiceContext};
use hrmesh_proto::onboarding::v1::{
    GetOnboardingRequest, Onboarding, StartOnboardingRequest, onboarding_service_server::OnboardingService,
};
use tonic::{Request, Response, Status};

use crate::plan::{self, NewOnboarding};

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl OnboardingService for Api {
    async fn start_onboarding(&self, request: Request<StartOnboardingRequest>) -> Result<Response<Onboarding>, Status> {
        self.ctx
            .authorize(
                &request,
                &[Role::HrAdmin, Role::Service],
                "hrmesh.onboarding.v1.OnboardingService/StartOnboarding",
            )
            .await?;
        let new = NewOnboarding::parse(request.get_ref())?;
        Ok(Response::new(plan::start(&self.ctx, new).await?))
    }

    async fn get_onboarding(&self, request: Request<GetOnboardingRequest>) -> Result<Response<Onboarding>, Status> {
        let rpc = "hrmesh.onboarding.v1.OnboardingService/GetOnboarding";
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin, Role::Manager], rpc).await?;
        let id = identifier("employee_id", &request.get_ref().employee_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        // A manager reads the onboarding of their own line only.
        self.ctx.require_line(&caller, &id, rpc).await?;
        match plan::get(&self.ctx, &id).await.map_err(ApiError::from)? {
            Some(o) => Ok(Response::new(o)),
            None => Err(ApiError::NotFound(format!("employee {id} has no onboarding")).into()),
        }
    }
}
