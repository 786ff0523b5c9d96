//! gRPC surface of governance.

use hrmesh_kit::{
    ApiError, Violations,
    auth::{Role, require},
    service::ServiceContext,
};
use hrmesh_proto::governance::v1::{
    ListAuditRecordsRequest, ListAuditRecordsResponse, governance_service_server::GovernanceService,
};
use tonic::{Request, Response, Status};

use crate::audit;

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

#[tonic::async_trait]
impl GovernanceService for Api {
    async fn list_audit_records(
        &self,
        request: Request<ListAuditRecordsRequest>,
    ) -> Result<Response<ListAuditRecordsResponse>, Status> {
        require(&request, &[Role::Dpo])?;
        let req = request.get_ref();
        let page_size = match req.page_size {
            0 => 100,
            n @ 1..=1000 => n,
            _ => {
                let mut v = Violations::default();
                v.add("page_size", "must be between 1 and 1000 (0 means 100)");
                return Err(v.into_error().into());
            }
        };
        let records = audit::list(self.ctx.db.pool(), req.after_sequence, page_size).await.map_err(ApiError::from)?;
        Ok(Response::new(ListAuditRecordsResponse { records }))
    }
}
