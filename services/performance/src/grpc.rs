//! gRPC surface of performance: authorize → parse → domain function → response. Anything about a
//! person goes through `require_line` (self, the manager's line, HR), which audits refusals.

use hrmesh_kit::{
    ApiError, FieldViolation,
    auth::{Principal, Role},
    error::identifier,
    locale::Locale,
    service::ServiceContext,
};
use hrmesh_proto::performance::v1::{
    self as pb,
    performance_service_server::{PerformanceService, SERVICE_NAME},
};
use tonic::{
    Request, Response, Status,
    metadata::{Ascii, MetadataValue},
};

use crate::{bias, cards, cycles, fairness, feedback, goals, questionnaire, results, reviews, trends};

/// The fully qualified RPC name, as audits record it.
fn rpc(method: &str) -> String {
    format!("{SERVICE_NAME}/{method}")
}

fn invalid(v: FieldViolation) -> Status {
    ApiError::InvalidArgument(vec![v]).into()
}

fn id(field: &str, value: &str) -> Result<String, Status> {
    identifier(field, value).map_err(invalid)
}

fn language(value: &str) -> Result<Locale, Status> {
    Locale::of_field("language", value).map_err(invalid)
}

const EVERYONE: &[Role] = &[Role::HrAdmin, Role::Manager, Role::Employee];
const LINE: &[Role] = &[Role::HrAdmin, Role::Manager];

/// The performance service's gRPC handlers.
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

    /// As [`Self::caller_for`], for acts a person may not do about themself (reviewing,
    /// approving their own raters): the manager or HR.
    async fn line_above<T>(&self, request: &Request<T>, method: &str, person: &str) -> Result<Principal, Status> {
        let caller = self.caller_for(request, LINE, method, person).await?;
        if caller.subject == person {
            return Err(ApiError::PermissionDenied(
                "this is done by your manager or HR, not about yourself / dit doet je leidinggevende of HR / das \
                 übernimmt Ihre Führungskraft oder HR"
                    .into(),
            )
            .into());
        }
        Ok(caller)
    }
}

fn authorization<T>(request: &Request<T>) -> Result<MetadataValue<Ascii>, Status> {
    request.metadata().get("authorization").cloned().ok_or_else(|| Status::unauthenticated("missing bearer token"))
}

#[tonic::async_trait]
impl PerformanceService for Api {
    async fn record_feedback(
        &self,
        request: Request<pb::RecordFeedbackRequest>,
    ) -> Result<Response<pb::Feedback>, Status> {
        let rpc = rpc("RecordFeedback");
        let caller = self.ctx.authorize(&request, EVERYONE, &rpc).await?;
        let new = feedback::parse(request.get_ref())?;
        // Anyone may give a colleague feedback, in their own name only.
        self.ctx.acting_for(&caller, &new.author_id, &[], &rpc).await?;
        Ok(Response::new(feedback::record(&self.ctx, new).await?))
    }

    async fn request_feedback(
        &self,
        request: Request<pb::RequestFeedbackRequest>,
    ) -> Result<Response<pb::RequestFeedbackResponse>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let caller = self.caller_for(&request, EVERYONE, "RequestFeedback", &employee).await?;
        let requests = feedback::request(&self.ctx, &caller, request.get_ref()).await?;
        Ok(Response::new(pb::RequestFeedbackResponse { requests }))
    }

    async fn list_feedback_requests(
        &self,
        request: Request<pb::ListFeedbackRequestsRequest>,
    ) -> Result<Response<pb::ListFeedbackRequestsResponse>, Status> {
        let rpc = rpc("ListFeedbackRequests");
        let caller = self.ctx.authorize(&request, EVERYONE, &rpc).await?;
        let person = id("person_id", &request.get_ref().person_id)?;
        self.ctx.acting_for(&caller, &person, &[Role::HrAdmin], &rpc).await?;
        let requests = feedback::open_requests(&self.ctx, &person).await?;
        Ok(Response::new(pb::ListFeedbackRequestsResponse { requests }))
    }

    async fn list_feedback(
        &self,
        request: Request<pb::ListFeedbackRequest>,
    ) -> Result<Response<pb::ListFeedbackResponse>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let caller = self.caller_for(&request, EVERYONE, "ListFeedback", &employee).await?;
        let req = request.get_ref();
        let feedback = feedback::list(&self.ctx, &caller.subject, &employee, &req.from_date, &req.to_date).await?;
        Ok(Response::new(pb::ListFeedbackResponse { feedback }))
    }

    async fn set_goal(&self, request: Request<pb::SetGoalRequest>) -> Result<Response<pb::Goal>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let caller = self.caller_for(&request, EVERYONE, "SetGoal", &employee).await?;
        Ok(Response::new(goals::set(&self.ctx, &caller.subject, request.get_ref()).await?))
    }

    async fn check_in_goal(&self, request: Request<pb::CheckInGoalRequest>) -> Result<Response<pb::Goal>, Status> {
        let rpc = rpc("CheckInGoal");
        self.ctx.authorize(&request, EVERYONE, &rpc).await?;
        let employee = goals::owner_of_goal(&self.ctx, &request.get_ref().goal_id).await?;
        let caller = self.caller_for(&request, EVERYONE, "CheckInGoal", &employee).await?;
        Ok(Response::new(goals::check_in(&self.ctx, &caller.subject, &employee, request.get_ref()).await?))
    }

    async fn list_goals(
        &self,
        request: Request<pb::ListGoalsRequest>,
    ) -> Result<Response<pb::ListGoalsResponse>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        self.caller_for(&request, EVERYONE, "ListGoals", &employee).await?;
        Ok(Response::new(pb::ListGoalsResponse { goals: goals::list(&self.ctx, &employee).await? }))
    }

    async fn add_agenda_item(
        &self,
        request: Request<pb::AddAgendaItemRequest>,
    ) -> Result<Response<pb::AgendaItem>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let caller = self.caller_for(&request, EVERYONE, "AddAgendaItem", &employee).await?;
        Ok(Response::new(goals::add_item(&self.ctx, &caller.subject, request.get_ref()).await?))
    }

    async fn list_agenda(
        &self,
        request: Request<pb::ListAgendaRequest>,
    ) -> Result<Response<pb::ListAgendaResponse>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        self.caller_for(&request, EVERYONE, "ListAgenda", &employee).await?;
        let items = goals::agenda(&self.ctx, &employee, request.get_ref().include_closed).await?;
        Ok(Response::new(pb::ListAgendaResponse { items }))
    }

    async fn close_agenda_item(
        &self,
        request: Request<pb::CloseAgendaItemRequest>,
    ) -> Result<Response<pb::AgendaItem>, Status> {
        self.ctx.authorize(&request, EVERYONE, &rpc("CloseAgendaItem")).await?;
        let employee = goals::owner_of_item(&self.ctx, &request.get_ref().item_id).await?;
        self.caller_for(&request, EVERYONE, "CloseAgendaItem", &employee).await?;
        Ok(Response::new(goals::close_item(&self.ctx, &request.get_ref().item_id).await?))
    }

    async fn open_cycle(&self, request: Request<pb::OpenCycleRequest>) -> Result<Response<pb::Cycle>, Status> {
        let new = cycles::parse(request.get_ref())?;
        let caller = self.line_above(&request, "OpenCycle", &new.employee_id).await?;
        let manager = if caller.has(Role::HrAdmin) && !request.get_ref().manager_id.is_empty() {
            let manager = id("manager_id", &request.get_ref().manager_id)?;
            if !self.ctx.directory.in_line(&manager, &new.employee_id).await? {
                return Err(invalid(FieldViolation::new("manager_id", "must have the employee in their line")));
            }
            manager
        } else if caller.has(Role::Manager) {
            caller.subject.clone()
        } else {
            return Err(invalid(FieldViolation::new(
                "manager_id",
                "HR names the manager whose answers are attributed",
            )));
        };
        Ok(Response::new(cycles::open(&self.ctx, &caller.subject, &manager, new).await?))
    }

    async fn nominate_rater(&self, request: Request<pb::NominateRaterRequest>) -> Result<Response<pb::Cycle>, Status> {
        self.ctx.authorize(&request, EVERYONE, &rpc("NominateRater")).await?;
        let cycle = cycles::load(&self.ctx, &request.get_ref().cycle_id).await?;
        let caller = self.caller_for(&request, EVERYONE, "NominateRater", &cycle.employee_id).await?;
        Ok(Response::new(cycles::nominate(&self.ctx, &caller, &cycle, request.get_ref()).await?))
    }

    async fn decide_nomination(
        &self,
        request: Request<pb::DecideNominationRequest>,
    ) -> Result<Response<pb::Cycle>, Status> {
        self.ctx.authorize(&request, LINE, &rpc("DecideNomination")).await?;
        let cycle = cycles::load(&self.ctx, &request.get_ref().cycle_id).await?;
        self.line_above(&request, "DecideNomination", &cycle.employee_id).await?;
        let rater = id("rater_id", &request.get_ref().rater_id)?;
        Ok(Response::new(cycles::decide(&self.ctx, &cycle, &rater, request.get_ref().approve).await?))
    }

    async fn get_questionnaire(
        &self,
        request: Request<pb::GetQuestionnaireRequest>,
    ) -> Result<Response<pb::Questionnaire>, Status> {
        self.ctx.authorize(&request, EVERYONE, &rpc("GetQuestionnaire")).await?;
        let locale = language(&request.get_ref().language)?;
        let cycle = cycles::load(&self.ctx, &request.get_ref().cycle_id).await?;
        Ok(Response::new(pb::Questionnaire {
            cycle_id: cycle.cycle_id,
            language: locale.code().into(),
            questions: questionnaire::questions(locale),
            scale: questionnaire::scale(locale).into(),
        }))
    }

    async fn submit_answers(
        &self,
        request: Request<pb::SubmitAnswersRequest>,
    ) -> Result<Response<pb::SubmitAnswersResponse>, Status> {
        let rpc = rpc("SubmitAnswers");
        let caller = self.ctx.authorize(&request, EVERYONE, &rpc).await?;
        let cycle = cycles::load(&self.ctx, &request.get_ref().cycle_id).await?;
        if !cycle.raters.iter().any(|r| r.rater_id == caller.subject && r.status == "approved") {
            // Audited like any refusal: answering about someone is only for their raters.
            self.ctx.acting_for(&caller, &cycle.employee_id, &[], &rpc).await?;
        }
        let (kind, answers) = cycles::submit(&self.ctx, &caller.subject, &cycle, request.get_ref()).await?;
        Ok(Response::new(pb::SubmitAnswersResponse { kind, answers }))
    }

    async fn send_reminders(
        &self,
        request: Request<pb::SendRemindersRequest>,
    ) -> Result<Response<pb::SendRemindersResponse>, Status> {
        self.ctx.authorize(&request, LINE, &rpc("SendReminders")).await?;
        let cycle = cycles::load(&self.ctx, &request.get_ref().cycle_id).await?;
        self.line_above(&request, "SendReminders", &cycle.employee_id).await?;
        let reminded = cycles::remind(&self.ctx, Some(&cycle.cycle_id)).await?;
        Ok(Response::new(pb::SendRemindersResponse { reminded }))
    }

    async fn get_cycle_results(
        &self,
        request: Request<pb::GetCycleResultsRequest>,
    ) -> Result<Response<pb::CycleResults>, Status> {
        self.ctx.authorize(&request, EVERYONE, &rpc("GetCycleResults")).await?;
        let locale = language(&request.get_ref().language)?;
        let cycle = cycles::load(&self.ctx, &request.get_ref().cycle_id).await?;
        self.caller_for(&request, EVERYONE, "GetCycleResults", &cycle.employee_id).await?;
        let answers = results::answers(&self.ctx, &cycle).await?;
        Ok(Response::new(results::results(&cycle, &answers, locale)))
    }

    async fn draft_review(&self, request: Request<pb::DraftReviewRequest>) -> Result<Response<pb::Review>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let caller = self.line_above(&request, "DraftReview", &employee).await?;
        Ok(Response::new(reviews::draft(&self.ctx, &caller.subject, request.get_ref()).await?))
    }

    async fn edit_review(&self, request: Request<pb::EditReviewRequest>) -> Result<Response<pb::Review>, Status> {
        self.ctx.authorize(&request, LINE, &rpc("EditReview")).await?;
        let review = reviews::load(&self.ctx, &request.get_ref().review_id).await?;
        self.line_above(&request, "EditReview", review.employee_id()).await?;
        Ok(Response::new(reviews::edit(&self.ctx, review, &request.get_ref().sentences).await?))
    }

    async fn approve_review(&self, request: Request<pb::ApproveReviewRequest>) -> Result<Response<pb::Review>, Status> {
        self.ctx.authorize(&request, LINE, &rpc("ApproveReview")).await?;
        let review = reviews::load(&self.ctx, &request.get_ref().review_id).await?;
        let caller = self.line_above(&request, "ApproveReview", review.employee_id()).await?;
        let token = authorization(&request)?;
        Ok(Response::new(reviews::approve(&self.ctx, &caller, &token, review, request.get_ref()).await?))
    }

    async fn get_review(&self, request: Request<pb::GetReviewRequest>) -> Result<Response<pb::Review>, Status> {
        self.ctx.authorize(&request, EVERYONE, &rpc("GetReview")).await?;
        let review = reviews::load(&self.ctx, &request.get_ref().review_id).await?;
        let caller = self.caller_for(&request, EVERYONE, "GetReview", review.employee_id()).await?;
        // Nothing reaches the employee unapproved: to them a draft does not exist.
        if caller.subject == review.employee_id() && !review.is_approved() {
            return Err(ApiError::NotFound(format!("review {} does not exist", request.get_ref().review_id)).into());
        }
        Ok(Response::new(review.to_proto()))
    }

    async fn list_reviews(
        &self,
        request: Request<pb::ListReviewsRequest>,
    ) -> Result<Response<pb::ListReviewsResponse>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let caller = self.caller_for(&request, EVERYONE, "ListReviews", &employee).await?;
        let reviews = reviews::list(&self.ctx, &employee, caller.subject != employee).await?;
        Ok(Response::new(pb::ListReviewsResponse { reviews }))
    }

    async fn check_bias(&self, request: Request<pb::CheckBiasRequest>) -> Result<Response<pb::BiasReport>, Status> {
        self.ctx.authorize(&request, EVERYONE, &rpc("CheckBias")).await?;
        let req = request.get_ref();
        let mut v = hrmesh_kit::Violations::default();
        let text = v.check(hrmesh_kit::error::required_text("text", &req.text, 20_000));
        let locale = v.check(Locale::optional("language", &req.language));
        let start = v.check(hrmesh_kit::time::parse_optional_date("period_start", &req.period_start));
        let end = v.check(hrmesh_kit::time::parse_optional_date("period_end", &req.period_end));
        let mut dates = Vec::new();
        for (i, d) in req.evidence_dates.iter().enumerate() {
            dates.extend(v.check(hrmesh_kit::time::parse_date(&format!("evidence_dates[{i}]"), d)));
        }
        v.finish()?;
        let (locale, mut findings) = bias::check(&text.unwrap_or_default(), locale.flatten());
        if let (Some(Some(start)), Some(Some(end))) = (start, end) {
            findings.extend(bias::recency((start, end), &dates, locale));
        }
        Ok(Response::new(pb::BiasReport { language: locale.code().into(), findings }))
    }

    async fn get_rating_gaps(
        &self,
        request: Request<pb::GetRatingGapsRequest>,
    ) -> Result<Response<pb::RatingGaps>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("GetRatingGaps")).await?;
        let token = authorization(&request)?;
        Ok(Response::new(fairness::gaps(&self.ctx, &token).await?))
    }

    async fn get_model_cards(
        &self,
        request: Request<pb::GetModelCardsRequest>,
    ) -> Result<Response<pb::GetModelCardsResponse>, Status> {
        let roles = [Role::HrAdmin, Role::Manager, Role::Employee, Role::Dpo];
        self.ctx.authorize(&request, &roles, &rpc("GetModelCards")).await?;
        let locale = language(&request.get_ref().language)?;
        Ok(Response::new(pb::GetModelCardsResponse { cards: cards::cards(locale) }))
    }

    async fn get_person_trend(
        &self,
        request: Request<pb::GetPersonTrendRequest>,
    ) -> Result<Response<pb::PersonTrend>, Status> {
        let employee = id("employee_id", &request.get_ref().employee_id)?;
        let locale = language(&request.get_ref().language)?;
        self.caller_for(&request, EVERYONE, "GetPersonTrend", &employee).await?;
        Ok(Response::new(trends::person(&self.ctx, &employee, locale).await?))
    }

    async fn get_team_trend(
        &self,
        request: Request<pb::GetTeamTrendRequest>,
    ) -> Result<Response<pb::TeamTrend>, Status> {
        let rpc = rpc("GetTeamTrend");
        let caller = self.ctx.authorize(&request, LINE, &rpc).await?;
        let manager = id("manager_id", &request.get_ref().manager_id)?;
        self.ctx.acting_for(&caller, &manager, &[Role::HrAdmin], &rpc).await?;
        Ok(Response::new(trends::team(&self.ctx, &manager).await?))
    }
}
