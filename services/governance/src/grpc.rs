//! gRPC surface of governance. Every refused call is audited.

use std::sync::Arc;

use hrmesh_kit::{
    ApiError, Violations,
    auth::{Principal, Role, require},
    error::identifier,
};
use hrmesh_proto::governance::v1::{self as pb, governance_service_server::GovernanceService};
use tonic::{Request, Response, Status};

use crate::{audit, core::Core, merkle, purposes, treehead};

pub struct Api {
    core: Arc<Core>,
}

impl Api {
    pub fn new(core: Arc<Core>) -> Self {
        Self { core }
    }

    /// The caller if it holds one of `roles`; a refusal is audited.
    async fn caller<T>(&self, request: &Request<T>, roles: &[Role], rpc: &str) -> Result<Principal, Status> {
        match require(request, roles) {
            Ok(p) => Ok(p),
            Err(status) => {
                let actor = request.extensions().get::<Principal>().map_or("anonymous", |p| p.subject.as_str());
                self.core.audit_denial(actor, rpc, status.message()).await;
                Err(status)
            }
        }
    }

    /// The caller if it is `person` or holds one of `privileged`; a refusal is audited.
    async fn acting_for<T>(
        &self,
        request: &Request<T>,
        person: &str,
        privileged: &[Role],
        rpc: &str,
    ) -> Result<Principal, Status> {
        let all = [Role::HrAdmin, Role::Manager, Role::Employee, Role::Candidate, Role::Dpo, Role::Service];
        let principal = self.caller(request, &all, rpc).await?;
        if let Err(status) = principal.acting_for(person, privileged) {
            self.core.audit_denial(&principal.subject, rpc, status.message()).await;
            return Err(status);
        }
        Ok(principal)
    }
}

fn invalid(field: &str, description: impl Into<String>) -> Status {
    let mut v = Violations::default();
    v.add(field, description);
    v.into_error().into()
}

fn hexes(hashes: &[merkle::Hash]) -> Vec<String> {
    hashes.iter().map(hex::encode).collect()
}

#[tonic::async_trait]
impl GovernanceService for Api {
    async fn list_purposes(
        &self,
        _request: Request<pb::ListPurposesRequest>,
    ) -> Result<Response<pb::ListPurposesResponse>, Status> {
        Ok(Response::new(pb::ListPurposesResponse {
            purposes: purposes::PURPOSES.iter().map(purposes::Purpose::to_proto).collect(),
        }))
    }

    async fn get_records_of_processing(
        &self,
        request: Request<pb::GetRecordsOfProcessingRequest>,
    ) -> Result<Response<pb::GetRecordsOfProcessingResponse>, Status> {
        self.caller(&request, &[Role::Dpo], "GetRecordsOfProcessing").await?;
        let req = request.get_ref();
        let controller = &self.core.ctx.config.tenant;
        let language = export_language(&req.language)?;
        let (content_type, content) = match pb::ExportFormat::try_from(req.format) {
            Ok(pb::ExportFormat::Json) => ("application/json", purposes::records_json(controller)),
            Ok(pb::ExportFormat::Markdown) => ("text/markdown", purposes::records_markdown(controller, language)),
            _ => return Err(invalid("format", "must be EXPORT_FORMAT_JSON or EXPORT_FORMAT_MARKDOWN")),
        };
        Ok(Response::new(pb::GetRecordsOfProcessingResponse { content_type: content_type.into(), content }))
    }

    async fn grant_consent(&self, request: Request<pb::GrantConsentRequest>) -> Result<Response<pb::Consent>, Status> {
        let p = self.acting_for(&request, &request.get_ref().subject, &[Role::Dpo], "GrantConsent").await?;
        let r = request.into_inner();
        Ok(Response::new(self.core.change_consent(&p.subject, &r.subject, &r.purpose, true, &r.notice_version).await?))
    }

    async fn withdraw_consent(
        &self,
        request: Request<pb::WithdrawConsentRequest>,
    ) -> Result<Response<pb::Consent>, Status> {
        let p = self.acting_for(&request, &request.get_ref().subject, &[Role::Dpo], "WithdrawConsent").await?;
        let r = request.into_inner();
        Ok(Response::new(self.core.change_consent(&p.subject, &r.subject, &r.purpose, false, "").await?))
    }

    async fn list_consents(
        &self,
        request: Request<pb::ListConsentsRequest>,
    ) -> Result<Response<pb::ListConsentsResponse>, Status> {
        self.acting_for(&request, &request.get_ref().subject, &[Role::Dpo, Role::HrAdmin], "ListConsents").await?;
        Ok(Response::new(self.core.list_consents(&request.get_ref().subject).await?))
    }

    async fn check_consent(
        &self,
        request: Request<pb::CheckConsentRequest>,
    ) -> Result<Response<pb::CheckConsentResponse>, Status> {
        self.caller(&request, &[Role::Service], "CheckConsent").await?;
        let r = request.into_inner();
        let purpose = purposes::find(&r.purpose)
            .ok_or_else(|| invalid("purpose", format!("unknown purpose {:?} (see ListPurposes)", r.purpose)))?;
        identifier("subject", &r.subject).map_err(|v| Status::from(ApiError::InvalidArgument(vec![v])))?;
        let mut conn = self.core.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let state = self.core.consent_state(&mut conn, &r.subject, purpose).await.map_err(ApiError::from)?;
        Ok(Response::new(pb::CheckConsentResponse {
            allowed: state.allowed,
            reason: state.reason,
            consent_required: state.consent_required,
        }))
    }

    async fn request_erasure(
        &self,
        request: Request<pb::RequestErasureRequest>,
    ) -> Result<Response<pb::ErasureReport>, Status> {
        let p = self.acting_for(&request, &request.get_ref().subject, &[Role::Dpo], "RequestErasure").await?;
        let r = request.into_inner();
        Ok(Response::new(self.core.request_erasure(&p.subject, &r.subject, &r.reason).await?))
    }

    async fn get_erasure_report(
        &self,
        request: Request<pb::GetErasureReportRequest>,
    ) -> Result<Response<pb::ErasureReport>, Status> {
        self.caller(&request, &[Role::Dpo], "GetErasureReport").await?;
        Ok(Response::new(self.core.erasure_report(&request.get_ref().request_id).await?))
    }

    async fn request_access(
        &self,
        request: Request<pb::RequestAccessRequest>,
    ) -> Result<Response<pb::AccessExport>, Status> {
        let p = self.acting_for(&request, &request.get_ref().subject, &[Role::Dpo], "RequestAccess").await?;
        let r = request.into_inner();
        let language = export_language(&r.language)?;
        Ok(Response::new(self.core.access_export(&p.subject, &r.subject, language).await?))
    }

    type StreamAccessStream =
        std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<pb::AccessExportPart, Status>> + Send>>;

    async fn stream_access(
        &self,
        request: Request<pb::RequestAccessRequest>,
    ) -> Result<Response<Self::StreamAccessStream>, Status> {
        let p = self.acting_for(&request, &request.get_ref().subject, &[Role::Dpo], "StreamAccess").await?;
        let r = request.into_inner();
        let language = export_language(&r.language)?;
        let (subject, parts) = self.core.access_parts(&p.subject, &r.subject).await?;
        let summary = crate::core::access_summary(&subject, language, &crate::core::counts(&parts));
        let mut items: Vec<Result<pb::AccessExportPart, Status>> = parts
            .into_iter()
            .map(|part| Ok(pb::AccessExportPart { part: Some(pb::access_export_part::Part::Records(part)) }))
            .collect();
        items.push(Ok(pb::AccessExportPart { part: Some(pb::access_export_part::Part::Summary(summary)) }));
        Ok(Response::new(Box::pin(tokio_stream::iter(items))))
    }

    async fn list_audit_records(
        &self,
        request: Request<pb::ListAuditRecordsRequest>,
    ) -> Result<Response<pb::ListAuditRecordsResponse>, Status> {
        self.caller(&request, &[Role::Dpo], "ListAuditRecords").await?;
        let req = request.get_ref();
        let page_size = match req.page_size {
            0 => 100,
            n @ 1..=1000 => n,
            _ => return Err(invalid("page_size", "must be between 1 and 1000 (0 means 100)")),
        };
        let records =
            audit::list(self.core.ctx.db.pool(), req.after_sequence, page_size).await.map_err(ApiError::from)?;
        Ok(Response::new(pb::ListAuditRecordsResponse { records }))
    }

    async fn get_tree_head(
        &self,
        request: Request<pb::GetTreeHeadRequest>,
    ) -> Result<Response<pb::SignedTreeHead>, Status> {
        self.caller(&request, &[Role::Dpo, Role::Service], "GetTreeHead").await?;
        let mut conn = self.core.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        if request.get_ref().sign_now {
            self.core.sign_tree_head().await?;
        }
        let head = treehead::latest(&mut conn).await.map_err(ApiError::from)?;
        Ok(Response::new(head.ok_or_else(|| ApiError::FailedPrecondition("no tree head signed yet".into()))?))
    }

    async fn get_inclusion_proof(
        &self,
        request: Request<pb::GetInclusionProofRequest>,
    ) -> Result<Response<pb::InclusionProof>, Status> {
        self.caller(&request, &[Role::Dpo, Role::Service], "GetInclusionProof").await?;
        let r = request.into_inner();
        let mut conn = self.core.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let hashes = audit::hashes(&mut conn, Some(r.tree_size)).await.map_err(ApiError::from)?;
        if r.tree_size == 0 || hashes.len() as u64 != r.tree_size {
            return Err(invalid("tree_size", format!("must be between 1 and the trail's size {}", hashes.len())));
        }
        if r.sequence == 0 || r.sequence > r.tree_size {
            return Err(invalid("sequence", "must be between 1 and tree_size"));
        }
        let leaves = treehead::leaves(&hashes);
        let index = usize::try_from(r.sequence - 1).unwrap_or(usize::MAX);
        Ok(Response::new(pb::InclusionProof {
            sequence: r.sequence,
            tree_size: r.tree_size,
            leaf_hash: hex::encode(leaves[index]),
            path: hexes(&merkle::inclusion_path(index, &leaves)),
            root_hash: hex::encode(merkle::root(&leaves)),
        }))
    }

    async fn get_consistency_proof(
        &self,
        request: Request<pb::GetConsistencyProofRequest>,
    ) -> Result<Response<pb::ConsistencyProof>, Status> {
        self.caller(&request, &[Role::Dpo, Role::Service], "GetConsistencyProof").await?;
        let r = request.into_inner();
        let mut conn = self.core.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let hashes = audit::hashes(&mut conn, Some(r.second)).await.map_err(ApiError::from)?;
        if r.second == 0 || hashes.len() as u64 != r.second {
            return Err(invalid("second", format!("must be between 1 and the trail's size {}", hashes.len())));
        }
        if r.first == 0 || r.first > r.second {
            return Err(invalid("first", "must be between 1 and second"));
        }
        let leaves = treehead::leaves(&hashes);
        let first = usize::try_from(r.first).unwrap_or(usize::MAX);
        Ok(Response::new(pb::ConsistencyProof {
            first: r.first,
            second: r.second,
            path: hexes(&merkle::consistency_path(first, &leaves)),
            first_root: hex::encode(merkle::root(&leaves[..first])),
            second_root: hex::encode(merkle::root(&leaves)),
        }))
    }

    async fn record_decision(
        &self,
        request: Request<pb::RecordDecisionRequest>,
    ) -> Result<Response<pb::Decision>, Status> {
        let p = self.caller(&request, &[Role::Service, Role::HrAdmin, Role::Manager], "RecordDecision").await?;
        Ok(Response::new(self.core.record_decision(&p, request.into_inner()).await?))
    }

    async fn list_decisions(
        &self,
        request: Request<pb::ListDecisionsRequest>,
    ) -> Result<Response<pb::ListDecisionsResponse>, Status> {
        self.acting_for(&request, &request.get_ref().subject, &[Role::HrAdmin, Role::Dpo], "ListDecisions").await?;
        let mut conn = self.core.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let decisions = self.core.list_decisions(&mut conn, &request.get_ref().subject).await?;
        Ok(Response::new(pb::ListDecisionsResponse { decisions }))
    }

    async fn contest_decision(
        &self,
        request: Request<pb::ContestDecisionRequest>,
    ) -> Result<Response<pb::ReviewTask>, Status> {
        let mut conn = self.core.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let decision = self.core.decision(&mut conn, &request.get_ref().decision_id).await;
        drop(conn);
        // Only the person the decision is about may contest it; unknown ids look the same to others.
        let subject = decision.as_ref().map(|d| d.subject.clone()).unwrap_or_default();
        let p = self.acting_for(&request, &subject, &[], "ContestDecision").await?;
        let decision = decision?;
        Ok(Response::new(self.core.contest(&p.subject, &decision, &request.get_ref().statement).await?))
    }

    async fn list_review_tasks(
        &self,
        request: Request<pb::ListReviewTasksRequest>,
    ) -> Result<Response<pb::ListReviewTasksResponse>, Status> {
        self.caller(&request, &[Role::HrAdmin, Role::Dpo], "ListReviewTasks").await?;
        let tasks = self.core.review_tasks(request.get_ref().include_resolved).await?;
        Ok(Response::new(pb::ListReviewTasksResponse { tasks }))
    }

    async fn resolve_review_task(
        &self,
        request: Request<pb::ResolveReviewTaskRequest>,
    ) -> Result<Response<pb::ReviewTask>, Status> {
        let p = self.caller(&request, &[Role::HrAdmin, Role::Dpo], "ResolveReviewTask").await?;
        let r = request.into_inner();
        Ok(Response::new(self.core.resolve(&p, &r.task_id, &r.outcome, &r.rationale).await?))
    }

    async fn report_group_attributes(
        &self,
        request: Request<pb::ReportGroupAttributesRequest>,
    ) -> Result<Response<pb::ReportGroupAttributesResponse>, Status> {
        // Voluntary and personal: only the person themself reports.
        let p = self.acting_for(&request, &request.get_ref().subject, &[], "ReportGroupAttributes").await?;
        let r = request.into_inner();
        self.core.report_attributes(&p.subject, &r.subject, &r.attributes).await?;
        Ok(Response::new(pb::ReportGroupAttributesResponse {}))
    }

    async fn get_adverse_impact_report(
        &self,
        request: Request<pb::GetAdverseImpactReportRequest>,
    ) -> Result<Response<pb::AdverseImpactReport>, Status> {
        self.caller(&request, &[Role::Dpo, Role::HrAdmin], "GetAdverseImpactReport").await?;
        Ok(Response::new(self.core.adverse_impact_report().await?))
    }
}

/// The language of an export (English when empty), as its code.
fn export_language(language: &str) -> Result<&'static str, Status> {
    hrmesh_kit::locale::Locale::of_field("language", language)
        .map(hrmesh_kit::locale::Locale::code)
        .map_err(|v| ApiError::InvalidArgument(vec![v]).into())
}
