//! gRPC surface of skills.

use hrmesh_kit::{ApiError, auth::Role, error::identifier, service::ServiceContext};
use hrmesh_proto::skills::v1::{
    DeclareSkillRequest, GetSkillProfileRequest, SkillProfile, skills_service_server::SkillsService,
};
use tonic::{Request, Response, Status};

use crate::profile::{self, Declaration};

/// Who may act on someone else's profile.
const PRIVILEGED: [Role; 3] = [Role::HrAdmin, Role::Manager, Role::Service];

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl SkillsService for Api {
    async fn declare_skill(&self, request: Request<DeclareSkillRequest>) -> Result<Response<SkillProfile>, Status> {
        let caller = self
            .ctx
            .authorize(
                &request,
                &[Role::HrAdmin, Role::Manager, Role::Employee, Role::Service],
                "hrmesh.skills.v1.SkillsService/DeclareSkill",
            )
            .await?;
        let declaration = Declaration::parse(request.get_ref())?;
        self.ctx
            .acting_for(&caller, &declaration.employee_id, &PRIVILEGED, "hrmesh.skills.v1.SkillsService/DeclareSkill")
            .await?;
        Ok(Response::new(profile::declare(&self.ctx, declaration, &caller.subject).await?))
    }

    async fn get_skill_profile(
        &self,
        request: Request<GetSkillProfileRequest>,
    ) -> Result<Response<SkillProfile>, Status> {
        let caller = self
            .ctx
            .authorize(
                &request,
                &[Role::HrAdmin, Role::Manager, Role::Employee, Role::Service],
                "hrmesh.skills.v1.SkillsService/GetSkillProfile",
            )
            .await?;
        let id = identifier("employee_id", &request.get_ref().employee_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        self.ctx.acting_for(&caller, &id, &PRIVILEGED, "hrmesh.skills.v1.SkillsService/GetSkillProfile").await?;
        match profile::profile(&self.ctx, &id).await.map_err(ApiError::from)? {
            Some(p) => Ok(Response::new(p)),
            None => Err(ApiError::NotFound(format!("employee {id} has no declared skills")).into()),
        }
    }
}
