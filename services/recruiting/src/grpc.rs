//! gRPC surface of recruiting: authorisation and mapping only; the work is in the domain modules.

use hrmesh_kit::{
    ApiError, FieldViolation,
    auth::{Principal, Role},
    error::identifier,
    locale::Locale,
    service::ServiceContext,
    time,
};
use hrmesh_proto::recruiting::v1::{self as pb, recruiting_service_server::RecruitingService};
use hrmesh_proto::vocabulary::Stage;
use sqlx::Row;
use tonic::{Request, Response, Status};

use crate::{
    application::{self, NewApplication},
    candidates, decisions, funnel, intake, jobs, lifecycle, matching, outreach, predictive, shortlist,
};

const HR: [Role; 2] = [Role::HrAdmin, Role::Manager];

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }

    async fn caller<T>(&self, request: &Request<T>, roles: &[Role], rpc: &str) -> Result<Principal, Status> {
        self.ctx.authorize(request, roles, &format!("hrmesh.recruiting.v1.RecruitingService/{rpc}")).await
    }

    async fn for_candidate(&self, caller: &Principal, candidate: &str, rpc: &str) -> Result<(), Status> {
        self.ctx
            .acting_for(
                caller,
                candidate,
                &[Role::HrAdmin, Role::Service],
                &format!("hrmesh.recruiting.v1.RecruitingService/{rpc}"),
            )
            .await
    }

    /// HR (and services) act on every job; a manager only on jobs whose hiring manager they are
    /// or have in their reporting line. A refusal is audited.
    async fn for_job(&self, caller: &Principal, job: &pb::Job, rpc: &str) -> Result<(), Status> {
        if caller.has(Role::HrAdmin) || caller.has(Role::Service) {
            return Ok(());
        }
        self.ctx
            .require_line(caller, &job.hiring_manager_id, &format!("hrmesh.recruiting.v1.RecruitingService/{rpc}"))
            .await
    }

    /// The application's candidate and job.
    async fn application(&self, id: &str) -> Result<(String, String), ApiError> {
        let id = identifier("application_id", id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let row = sqlx::query("SELECT candidate_id, job_id FROM applications WHERE id = $1")
            .bind(&id)
            .fetch_optional(self.ctx.db.pool())
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("application {id} does not exist")))?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// The candidate's current match explanation for the job in every language the candidate may
    /// read it in, with the hash of the matching input, if they consented to screening and have a CV.
    async fn screened(
        &self,
        candidate: &str,
        job_id: &str,
    ) -> Result<Option<(decisions::Explanations, String)>, ApiError> {
        let (allowed, _) = self.ctx.consent.check(candidate, decisions::SCREENING).await?;
        if !allowed {
            return Ok(None);
        }
        let Ok(job) = jobs::get(&self.ctx, job_id).await else { return Ok(None) };
        let profiles = candidates::blind_profiles(&self.ctx, &[candidate.to_owned()]).await?;
        let Some((profile, _)) = profiles.get(candidate) else { return Ok(None) };
        let input = [(candidate.to_owned(), profile.clone())];
        let mut explanations = decisions::Explanations::default();
        for locale in Locale::ALL {
            // Skill labels come from skills in the asked language: one scoring per language.
            let scored = matching::score(&self.ctx, &job, &input, locale.code()).await?;
            let Some(scored) = scored.into_iter().next() else { return Ok(None) };
            explanations.set(locale.code(), &scored.explanation);
        }
        Ok(Some((explanations, shortlist::input_hash(&job, profile))))
    }
}

fn locale(value: &str) -> Result<String, ApiError> {
    let locale = Locale::of_locale(value).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
    Ok(locale.code().to_owned())
}

#[tonic::async_trait]
impl RecruitingService for Api {
    async fn submit_application(
        &self,
        request: Request<pb::SubmitApplicationRequest>,
    ) -> Result<Response<pb::SubmitApplicationResponse>, Status> {
        let caller =
            self.caller(&request, &[Role::HrAdmin, Role::Candidate, Role::Service], "SubmitApplication").await?;
        let new = NewApplication::parse(request.get_ref())?;
        self.for_candidate(&caller, &new.candidate_id, "SubmitApplication").await?;
        let application = application::submit(&self.ctx, &caller.subject, new).await?;
        Ok(Response::new(pb::SubmitApplicationResponse { application: Some(application) }))
    }

    async fn get_application(
        &self,
        request: Request<pb::GetApplicationRequest>,
    ) -> Result<Response<pb::Application>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Candidate, Role::Service], "GetApplication").await?;
        let id = identifier("application_id", &request.get_ref().application_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let application = application::get(&self.ctx, &id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("application {id} does not exist")))?;
        self.for_candidate(&caller, &application.candidate_id, "GetApplication").await?;
        Ok(Response::new(application))
    }

    async fn list_my_applications(
        &self,
        request: Request<pb::ListMyApplicationsRequest>,
    ) -> Result<Response<pb::ListMyApplicationsResponse>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Candidate], "ListMyApplications").await?;
        let candidate = identifier("candidate_id", &request.get_ref().candidate_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        self.for_candidate(&caller, &candidate, "ListMyApplications").await?;
        let mut applications = Vec::new();
        for application in application::of_candidate(&self.ctx, &candidate).await? {
            let job = jobs::get(&self.ctx, &application.job_id).await.ok();
            applications.push(pb::MyApplication {
                job_title: job.as_ref().map(|j| j.title.clone()).unwrap_or_default(),
                job_open: job.is_some_and(|j| j.open),
                application: Some(application),
            });
        }
        Ok(Response::new(pb::ListMyApplicationsResponse { applications }))
    }

    async fn create_job(&self, request: Request<pb::CreateJobRequest>) -> Result<Response<pb::Job>, Status> {
        self.caller(&request, &[Role::HrAdmin], "CreateJob").await?;
        Ok(Response::new(jobs::create(&self.ctx, request.get_ref()).await?))
    }

    async fn get_job(&self, request: Request<pb::GetJobRequest>) -> Result<Response<pb::Job>, Status> {
        let roles = [Role::HrAdmin, Role::Manager, Role::Service, Role::Candidate];
        let caller = self.caller(&request, &roles, "GetJob").await?;
        let job = jobs::get(&self.ctx, &request.get_ref().job_id).await?;
        let staff = [Role::HrAdmin, Role::Manager, Role::Service].iter().any(|r| caller.has(*r));
        // A candidate sees a job as advertised, or one they applied to; no other closed job.
        if !staff && !job.open && !lifecycle::applied(&self.ctx, &caller.subject, &job.job_id).await? {
            return Err(ApiError::NotFound(format!("no job {}", job.job_id)).into());
        }
        Ok(Response::new(job))
    }

    async fn update_job(&self, request: Request<pb::UpdateJobRequest>) -> Result<Response<pb::Job>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin], "UpdateJob").await?;
        Ok(Response::new(jobs::update(&self.ctx, &caller, request.get_ref()).await?))
    }

    async fn close_job(&self, request: Request<pb::CloseJobRequest>) -> Result<Response<pb::Job>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin], "CloseJob").await?;
        let req = request.get_ref();
        Ok(Response::new(lifecycle::set_open(&self.ctx, &caller, &req.job_id, &req.reason, false).await?))
    }

    async fn reopen_job(&self, request: Request<pb::ReopenJobRequest>) -> Result<Response<pb::Job>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin], "ReopenJob").await?;
        let req = request.get_ref();
        Ok(Response::new(lifecycle::set_open(&self.ctx, &caller, &req.job_id, &req.reason, true).await?))
    }

    async fn submit_cv(&self, request: Request<pb::SubmitCvRequest>) -> Result<Response<pb::CandidateProfile>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Candidate, Role::Service], "SubmitCv").await?;
        let req = request.into_inner();
        let candidate =
            identifier("candidate_id", &req.candidate_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        self.for_candidate(&caller, &candidate, "SubmitCv").await?;
        let intake = intake::parse(req.content, &req.filename).await?;
        let skills = candidates::extract_skills(&self.ctx, &intake.text, &intake.structured.language).await?;
        let received = candidates::store(&self.ctx, &candidate, &intake, &skills).await?;
        let profile = candidates::to_proto(&candidate, intake.contact, intake.structured, skills, received);
        Ok(Response::new(profile))
    }

    async fn get_candidate_profile(
        &self,
        request: Request<pb::GetCandidateProfileRequest>,
    ) -> Result<Response<pb::CandidateProfile>, Status> {
        let caller =
            self.caller(&request, &[Role::HrAdmin, Role::Candidate, Role::Service], "GetCandidateProfile").await?;
        let candidate = identifier("candidate_id", &request.get_ref().candidate_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        self.for_candidate(&caller, &candidate, "GetCandidateProfile").await?;
        match candidates::profile(&self.ctx, &candidate).await? {
            Some(p) => Ok(Response::new(p)),
            None => Err(ApiError::NotFound(format!("no CV on file for {candidate}")).into()),
        }
    }

    async fn get_shortlist(
        &self,
        request: Request<pb::GetShortlistRequest>,
    ) -> Result<Response<pb::Shortlist>, Status> {
        let caller = self.caller(&request, &HR, "GetShortlist").await?;
        let req = request.get_ref();
        let lang = locale(&req.locale)?;
        let job = jobs::get(&self.ctx, &req.job_id).await?;
        self.for_job(&caller, &job, "GetShortlist").await?;
        let limit = if req.limit == 0 { 20 } else { req.limit.min(1000) } as usize;
        Ok(Response::new(shortlist::build(&self.ctx, &job, limit, &lang).await?))
    }

    async fn draft_outreach(
        &self,
        request: Request<pb::DraftOutreachRequest>,
    ) -> Result<Response<pb::OutreachDraft>, Status> {
        self.caller(&request, &[Role::HrAdmin], "DraftOutreach").await?;
        let req = request.get_ref();
        let candidate =
            identifier("candidate_id", &req.candidate_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let job = jobs::get(&self.ctx, &req.job_id).await?;
        self.ctx.consent.require(&candidate, outreach::PURPOSE).await?;
        let (name, language) = candidates::name_and_language(&self.ctx, &candidate)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no CV on file for {candidate}")))?;
        let profiles = candidates::blind_profiles(&self.ctx, std::slice::from_ref(&candidate)).await?;
        let profile = profiles.get(&candidate).map(|(p, _)| p.clone()).unwrap_or_default();
        let scored = matching::score(&self.ctx, &job, &[(candidate.clone(), profile)], &language).await?;
        let cited = scored.first().map(outreach::cited).unwrap_or_default();
        let (subject, body) = outreach::compose(&name, &job, &cited, &language);
        let cited = cited.shown;
        let draft = pb::OutreachDraft {
            draft_id: uuid::Uuid::now_v7().to_string(),
            candidate_id: candidate,
            job_id: job.job_id,
            language,
            subject,
            body,
            cited_skills: cited,
            status: "draft".into(),
            approved_by: String::new(),
        };
        outreach::save_draft(&self.ctx, &draft).await?;
        Ok(Response::new(draft))
    }

    async fn approve_outreach(
        &self,
        request: Request<pb::ApproveOutreachRequest>,
    ) -> Result<Response<pb::OutreachDraft>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin], "ApproveOutreach").await?;
        let req = request.get_ref();
        let id = identifier("draft_id", &req.draft_id).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        Ok(Response::new(outreach::approve(&self.ctx, &caller, &id, &req.body).await?))
    }

    async fn record_outcome(
        &self,
        request: Request<pb::RecordOutcomeRequest>,
    ) -> Result<Response<pb::RecordOutcomeResponse>, Status> {
        self.caller(&request, &[Role::HrAdmin], "RecordOutcome").await?;
        let req = request.get_ref();
        if !["probation_passed", "probation_failed"].contains(&req.outcome.as_str()) {
            return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
                "outcome",
                "must be probation_passed or probation_failed",
            )])
            .into());
        }
        let (candidate, job_id) = self.application(&req.application_id).await?;
        let stage: String = sqlx::query("SELECT stage FROM applications WHERE id = $1")
            .bind(&req.application_id)
            .fetch_one(self.ctx.db.pool())
            .await
            .map_err(ApiError::from)?
            .try_get(0)
            .map_err(ApiError::from)?;
        if Stage::parse(&stage) != Some(Stage::Hired) {
            return Err(ApiError::FailedPrecondition(format!(
                "application {} is {stage}; outcomes are recorded for hires",
                req.application_id
            ))
            .into());
        }
        let job = jobs::get(&self.ctx, &job_id).await?;
        let profiles = candidates::blind_profiles(&self.ctx, std::slice::from_ref(&candidate)).await?;
        let profile = profiles.get(&candidate).map(|(p, _)| p.clone()).unwrap_or_default();
        let scored = matching::score(&self.ctx, &job, &[(candidate.clone(), profile)], "en").await?;
        let features = scored.first().map_or([0.0; 4], |s| s.features);
        sqlx::query(
            "INSERT INTO outcomes (application_id, candidate_id, outcome, features, recorded_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (application_id) DO UPDATE SET outcome = excluded.outcome, features = excluded.features, recorded_at = excluded.recorded_at",
        )
        .bind(&req.application_id)
        .bind(&candidate)
        .bind(&req.outcome)
        .bind(serde_json::to_string(&features).map_err(ApiError::from)?)
        .bind(time::now_ms())
        .execute(self.ctx.db.pool())
        .await
        .map_err(ApiError::from)?;
        Ok(Response::new(pb::RecordOutcomeResponse {}))
    }

    async fn get_fit_model(&self, request: Request<pb::GetFitModelRequest>) -> Result<Response<pb::FitModel>, Status> {
        self.caller(&request, &HR, "GetFitModel").await?;
        Ok(Response::new(predictive::to_proto(&predictive::current(&self.ctx).await.map_err(ApiError::from)?)))
    }

    async fn change_stage(
        &self,
        request: Request<pb::ChangeStageRequest>,
    ) -> Result<Response<pb::Application>, Status> {
        let caller = self.caller(&request, &HR, "ChangeStage").await?;
        let authorization = request.metadata().get("authorization").cloned();
        let req = request.get_ref();
        let (candidate, job) = self.application(&req.application_id).await?;
        self.for_job(&caller, &jobs::get(&self.ctx, &job).await?, "ChangeStage").await?;
        // What the decision-maker saw, kept in every language the candidate may read it in.
        let screened = self.screened(&candidate, &job).await?;
        decisions::change_stage(&self.ctx, &caller, authorization.as_ref(), req, screened).await?;
        let app = application::get(&self.ctx, &req.application_id).await?;
        app.map(Response::new).ok_or_else(|| ApiError::NotFound(req.application_id.clone()).into())
    }

    async fn explain_decision(
        &self,
        request: Request<pb::ExplainDecisionRequest>,
    ) -> Result<Response<pb::DecisionExplanation>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Candidate], "ExplainDecision").await?;
        let req = request.get_ref();
        let lang = locale(&req.locale)?;
        let (candidate, _) = self.application(&req.application_id).await?;
        self.for_candidate(&caller, &candidate, "ExplainDecision").await?;
        let (_, explanation) = decisions::explain(&self.ctx, &req.application_id, &lang).await?;
        Ok(Response::new(explanation))
    }

    async fn get_funnel(&self, request: Request<pb::GetFunnelRequest>) -> Result<Response<pb::Funnel>, Status> {
        let caller = self.caller(&request, &HR, "GetFunnel").await?;
        let job = &request.get_ref().job_id;
        if !job.is_empty() {
            self.for_job(&caller, &jobs::get(&self.ctx, job).await?, "GetFunnel").await?;
        } else if !caller.has(Role::HrAdmin) {
            self.ctx.require_line(&caller, "", "hrmesh.recruiting.v1.RecruitingService/GetFunnel").await?;
        }
        let job = (!job.is_empty()).then_some(job.as_str());
        let journeys = funnel::journeys(&self.ctx, job).await.map_err(ApiError::from)?;
        Ok(Response::new(funnel::guarded(&self.ctx, job, &journeys).await.map_err(ApiError::from)?))
    }
}
