//! gRPC surface of engagement.

use hrmesh_kit::{
    ApiError, Violations,
    auth::Role,
    error::{identifier, required_text},
    events::raw_topic,
    outbox,
    service::ServiceContext,
};
use hrmesh_proto::engagement::v1::{
    AnalyzeCommentRequest, CommentAnalysed, CommentSentiment, PulseAnswer, SubmitPulseAnswerRequest,
    engagement_service_server::EngagementService,
};
use tonic::{Request, Response, Status};

use crate::{pulse, sentiment};

/// Purpose of comment sentiment; needs the employee's consent.
const SENTIMENT_PURPOSE: &str = "engagement.sentiment";

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
        let caller = self
            .ctx
            .authorize(
                &request,
                &[Role::Employee, Role::Service],
                "hrmesh.engagement.v1.EngagementService/SubmitPulseAnswer",
            )
            .await?;
        let answer = pulse::parse(request.get_ref())?;
        self.ctx
            .acting_for(
                &caller,
                &answer.employee_id,
                &[Role::Service],
                "hrmesh.engagement.v1.EngagementService/SubmitPulseAnswer",
            )
            .await?;
        Ok(Response::new(pulse::submit(&self.ctx, answer).await?))
    }

    async fn analyze_comment(
        &self,
        request: Request<AnalyzeCommentRequest>,
    ) -> Result<Response<CommentSentiment>, Status> {
        let caller = self
            .ctx
            .authorize(
                &request,
                &[Role::Employee, Role::HrAdmin],
                "hrmesh.engagement.v1.EngagementService/AnalyzeComment",
            )
            .await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let text = v.check(required_text("text", &req.text, 2_000));
        v.finish()?;
        let (employee, text) = employee.zip(text).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("lost field")))?;
        self.ctx
            .acting_for(&caller, &employee, &[Role::HrAdmin], "hrmesh.engagement.v1.EngagementService/AnalyzeComment")
            .await?;
        self.ctx.consent.require(&employee, SENTIMENT_PURPOSE).await?;
        let result = sentiment::analyse(&text);
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let event = CommentAnalysed { label: result.label.clone(), score: result.score };
        let envelope = self.ctx.events.envelope(&employee, SENTIMENT_PURPOSE, &event);
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await.map_err(ApiError::from)?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(result))
    }
}
