//! gRPC surface of onboarding: authorize → parse → domain function → response.

use hrmesh_kit::{
    ApiError, FieldViolation,
    auth::{Principal, Role},
    error::{identifier, required_text},
    locale::Locale,
    service::ServiceContext,
    time,
};
use hrmesh_proto::onboarding::v1::{
    self as pb, OwnerKind,
    onboarding_service_server::{OnboardingService, SERVICE_NAME},
};
use tonic::{Request, Response, Status};

use crate::{
    buddy, checkins, figures, flags, learning,
    plan::{self, Action, NewOnboarding},
    templates,
};

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }

    /// The caller, if they hold one of `roles` and may act on `person` by the organisation.
    async fn caller_for<T>(
        &self,
        request: &Request<T>,
        roles: &[Role],
        method: &str,
        person: &str,
    ) -> Result<Principal, Status> {
        let rpc = rpc(method);
        let caller = self.ctx.authorize(request, roles, &rpc).await?;
        self.ctx.require_line(&caller, person, &rpc).await?;
        Ok(caller)
    }

    async fn plan(&self, employee_id: &str, locale: Option<Locale>) -> Result<pb::Onboarding, Status> {
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        match plan::load(&mut conn, employee_id, locale).await? {
            Some(o) => Ok(o),
            None => Err(ApiError::NotFound(format!("employee {employee_id} has no onboarding")).into()),
        }
    }
}

fn rpc(method: &str) -> String {
    format!("{SERVICE_NAME}/{method}")
}

fn invalid(v: FieldViolation) -> Status {
    ApiError::InvalidArgument(vec![v]).into()
}

fn employee(value: &str) -> Result<String, Status> {
    identifier("employee_id", value).map_err(invalid)
}

fn locale(value: &str) -> Result<Option<Locale>, Status> {
    Locale::optional("locale", value).map_err(invalid)
}

const LINE: &[Role] = &[Role::HrAdmin, Role::Manager, Role::Employee];

#[tonic::async_trait]
impl OnboardingService for Api {
    async fn start_onboarding(
        &self,
        request: Request<pb::StartOnboardingRequest>,
    ) -> Result<Response<pb::Onboarding>, Status> {
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin, Role::Service], &rpc("StartOnboarding")).await?;
        let new = NewOnboarding::parse(request.get_ref())?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        plan::start(&mut tx, &self.ctx.events, &new, &caller.subject).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(self.plan(&new.employee_id, None).await?))
    }

    async fn get_onboarding(
        &self,
        request: Request<pb::GetOnboardingRequest>,
    ) -> Result<Response<pb::Onboarding>, Status> {
        let id = employee(&request.get_ref().employee_id)?;
        // The new hire, their manager line and HR; a peer is refused (and the refusal audited).
        self.caller_for(&request, LINE, "GetOnboarding", &id).await?;
        Ok(Response::new(self.plan(&id, locale(&request.get_ref().locale)?).await?))
    }

    async fn upsert_template(&self, request: Request<pb::Template>) -> Result<Response<pb::Template>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("UpsertTemplate")).await?;
        let template = templates::parse(request.get_ref())?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        templates::upsert(&mut tx, &template).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(template))
    }

    async fn list_templates(
        &self,
        request: Request<pb::ListTemplatesRequest>,
    ) -> Result<Response<pb::ListTemplatesResponse>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("ListTemplates")).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(Response::new(pb::ListTemplatesResponse { templates: templates::list(&mut conn).await? }))
    }

    async fn update_task(&self, request: Request<pb::UpdateTaskRequest>) -> Result<Response<pb::Onboarding>, Status> {
        let req = request.get_ref();
        let id = employee(&req.employee_id)?;
        let caller = self.caller_for(&request, LINE, "UpdateTask", &id).await?;
        let task_key = required_text("task_key", &req.task_key, 128).map_err(invalid)?;
        let action = Action::parse(req)?;
        // The new hire closes their own tasks only; skipping and reassigning is for HR and the line.
        let privileged = caller.has(Role::HrAdmin) || (caller.has(Role::Manager) && caller.subject != id);
        if !privileged {
            let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
            let own = plan::tasks(&mut conn, &id)
                .await
                .map_err(ApiError::from)?
                .iter()
                .any(|t| t.task_key == task_key && t.owner == OwnerKind::NewHire as i64);
            drop(conn);
            if !own || !matches!(action, Action::Done { .. }) {
                let reason = "a new hire marks their own tasks done; HR and the manager skip and reassign";
                self.ctx.record_refusal(&rpc("UpdateTask"), reason).await;
                return Err(Status::permission_denied(reason));
            }
        }
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        plan::update_task(&mut tx, &self.ctx.events, &id, &task_key, &action, &caller.subject).await?;
        if let Action::Done { on } = action {
            learning::remeasure(&mut tx, &self.ctx.events, &id, on).await?;
        }
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(self.plan(&id, locale(&req.locale)?).await?))
    }

    async fn plan_learning(
        &self,
        request: Request<pb::PlanLearningRequest>,
    ) -> Result<Response<pb::Onboarding>, Status> {
        let req = request.get_ref();
        let id = employee(&req.employee_id)?;
        let caller = self.caller_for(&request, LINE, "PlanLearning", &id).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let header = plan::require(&mut conn, &id).await?;
        drop(conn);
        if header.skills_role_id.is_empty() {
            return Err(ApiError::FailedPrecondition(format!(
                "the plan's template names no skills role for {}; HR adds one to the template",
                header.role
            ))
            .into());
        }
        let report = learning::gap(&self.ctx, &id, &header.skills_role_id, header.locale().code()).await?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        learning::add_steps(&mut tx, &self.ctx.events, &id, &report, &caller.subject).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(self.plan(&id, locale(&req.locale)?).await?))
    }

    async fn submit_self_check(
        &self,
        request: Request<pb::SubmitSelfCheckRequest>,
    ) -> Result<Response<pb::Onboarding>, Status> {
        let req = request.get_ref();
        let id = employee(&req.employee_id)?;
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin], &rpc("SubmitSelfCheck")).await?;
        self.ctx.acting_for(&caller, &id, &[Role::HrAdmin], &rpc("SubmitSelfCheck")).await?;
        if req.score > 100 {
            return Err(invalid(FieldViolation::new("score", "0..100")));
        }
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        learning::self_check(&mut tx, &self.ctx.events, &id, &req.task_key, req.score, &caller.subject).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(self.plan(&id, locale(&req.locale)?).await?))
    }

    async fn set_buddy_volunteer(
        &self,
        request: Request<pb::SetBuddyVolunteerRequest>,
    ) -> Result<Response<pb::BuddyVolunteer>, Status> {
        let id = employee(&request.get_ref().employee_id)?;
        let caller = self
            .ctx
            .authorize(&request, &[Role::Employee, Role::Manager, Role::HrAdmin], &rpc("SetBuddyVolunteer"))
            .await?;
        self.ctx.acting_for(&caller, &id, &[Role::HrAdmin], &rpc("SetBuddyVolunteer")).await?;
        Ok(Response::new(buddy::set_volunteer(&self.ctx, request.get_ref()).await?))
    }

    async fn match_buddies(
        &self,
        request: Request<pb::MatchBuddiesRequest>,
    ) -> Result<Response<pb::MatchBuddiesResponse>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("MatchBuddies")).await?;
        let req = request.get_ref();
        if req.employee_ids.is_empty() || req.employee_ids.len() > 500 {
            return Err(invalid(FieldViolation::new("employee_ids", "1..500 new hires")));
        }
        for id in &req.employee_ids {
            employee(id)?;
        }
        let locale = locale(&req.locale)?.unwrap_or(Locale::En);
        Ok(Response::new(buddy::match_hires(&self.ctx, req, locale).await?))
    }

    async fn override_buddy(
        &self,
        request: Request<pb::OverrideBuddyRequest>,
    ) -> Result<Response<pb::BuddyMatch>, Status> {
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("OverrideBuddy")).await?;
        let req = request.get_ref();
        let hire = employee(&req.employee_id)?;
        let buddy_id = identifier("buddy_id", &req.buddy_id).map_err(invalid)?;
        let reason = required_text("reason", &req.reason, 1000).map_err(invalid)?;
        Ok(Response::new(buddy::override_match(&self.ctx, &caller.subject, &hire, &buddy_id, &reason).await?))
    }

    async fn submit_check_in(
        &self,
        request: Request<pb::SubmitCheckInRequest>,
    ) -> Result<Response<pb::CheckIn>, Status> {
        let id = employee(&request.get_ref().employee_id)?;
        let caller = self.caller_for(&request, LINE, "SubmitCheckIn", &id).await?;
        let answers = checkins::Answers::parse(request.get_ref())?;
        let respondent = if caller.subject == id { "new_hire" } else { "manager" };
        Ok(Response::new(checkins::submit(&self.ctx, &id, respondent, &answers).await?))
    }

    async fn list_flags(
        &self,
        request: Request<pb::ListFlagsRequest>,
    ) -> Result<Response<pb::ListFlagsResponse>, Status> {
        let method = rpc("ListFlags");
        // HR and the manager line only: a new hire does not see flags about themself.
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin, Role::Manager], &method).await?;
        let req = request.get_ref();
        let asked: Vec<String> =
            if req.employee_id.is_empty() { Vec::new() } else { vec![employee(&req.employee_id)?] };
        if asked.contains(&caller.subject) && !caller.has(Role::HrAdmin) {
            let reason = "flags about you are for HR and your manager";
            self.ctx.record_refusal(&method, reason).await;
            return Err(Status::permission_denied(reason));
        }
        let scope = self.ctx.scope_people(&caller, &asked, &method).await?;
        let scope = scope.map(|people| {
            people.into_iter().filter(|p| caller.has(Role::HrAdmin) || *p != caller.subject).collect::<Vec<_>>()
        });
        let locale = locale(&req.locale)?.unwrap_or(Locale::En);
        Ok(Response::new(pb::ListFlagsResponse { flags: flags::list(&self.ctx, scope, time::today(), locale).await? }))
    }

    async fn record_outcome(
        &self,
        request: Request<pb::RecordOutcomeRequest>,
    ) -> Result<Response<pb::Onboarding>, Status> {
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("RecordOutcome")).await?;
        let id = employee(&request.get_ref().employee_id)?;
        let outcome = figures::Outcome::parse(request.get_ref())?;
        let authorization = request
            .metadata()
            .get("authorization")
            .cloned()
            .ok_or_else(|| ApiError::Unauthenticated("missing credentials".into()))?;
        figures::record(&self.ctx, authorization, &id, &caller.subject, &outcome).await?;
        Ok(Response::new(self.plan(&id, None).await?))
    }

    async fn get_onboarding_figures(
        &self,
        request: Request<pb::GetOnboardingFiguresRequest>,
    ) -> Result<Response<pb::OnboardingFigures>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("GetOnboardingFigures")).await?;
        let locale = locale(&request.get_ref().locale)?.unwrap_or(Locale::En);
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(Response::new(figures::figures(&mut conn, locale).await?))
    }
}
