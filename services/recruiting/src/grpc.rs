//! gRPC surface of recruiting: authorisation and mapping only; the work is in the domain modules.

use hrmesh_kit::{ApiError, auth::Role, error::identifier, service::ServiceContext};
use hrmesh_proto::recruiting::v1::{
    Application, GetApplicationRequest, SubmitApplicationRequest, SubmitApplicationResponse,
    recruiting_service_server::RecruitingService,
};
use tonic::{Request, Response, Status};

use crate::application::{self, NewApplication};

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl RecruitingService for Api {
    async fn submit_application(
        &self,
        request: Request<SubmitApplicationRequest>,
    ) -> Result<Response<SubmitApplicationResponse>, Status> {
        let caller = self
            .ctx
            .authorize(
                &request,
                &[Role::HrAdmin, Role::Candidate, Role::Service],
                "hrmesh.recruiting.v1.RecruitingService/SubmitApplication",
            )
            .await?;
        let new = NewApplication::parse(request.get_ref())?;
        self.ctx
            .acting_for(
                &caller,
                &new.candidate_id,
                &[Role::HrAdmin, Role::Service],
                "hrmesh.recruiting.v1.RecruitingService/SubmitApplication",
            )
            .await?;
        let application = application::submit(&self.ctx, new).await?;
        Ok(Response::new(SubmitApplicationResponse { application: Some(application) }))
    }

    async fn get_application(&self, request: Request<GetApplicationRequest>) -> Result<Response<Application>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], "hrmesh.recruiting.v1.RecruitingService/GetApplication").await?;
        let id = identifier("application_id", &request.get_ref().application_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        match application::get(&self.ctx, &id).await? {
            Some(a) => Ok(Response::new(a)),
            None => Err(ApiError::NotFound(format!("application {id} does not exist")).into()),
        }
    }
}
