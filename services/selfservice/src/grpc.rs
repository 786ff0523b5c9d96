//! gRPC surface of self-service.

use hrmesh_kit::{auth::Role, service::ServiceContext};
use hrmesh_proto::selfservice::v1::{
    Conversation, OpenConversationRequest, self_service_service_server::SelfServiceService,
};
use tonic::{Request, Response, Status};

use crate::conversation;

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl SelfServiceService for Api {
    async fn open_conversation(
        &self,
        request: Request<OpenConversationRequest>,
    ) -> Result<Response<Conversation>, Status> {
        let caller = self
            .ctx
            .authorize(&request, &[Role::Employee], "hrmesh.selfservice.v1.SelfServiceService/OpenConversation")
            .await?;
        let (employee_id, language) = conversation::parse(request.get_ref())?;
        self.ctx
            .acting_for(&caller, &employee_id, &[], "hrmesh.selfservice.v1.SelfServiceService/OpenConversation")
            .await?;
        Ok(Response::new(conversation::open(&self.ctx, employee_id, language).await?))
    }
}
