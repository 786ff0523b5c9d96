//! gRPC surface of engagement: authorize → parse → domain function → response.

use std::collections::BTreeSet;

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    auth::{Principal, Role},
    error::{identifier, required_text},
    events::raw_topic,
    locale::Locale,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::engagement::v1::{
    self as pb,
    engagement_service_server::{EngagementService, SERVICE_NAME},
};
use tonic::{Request, Response, Status};

use crate::{answers, comments, org, purposes, questions, results, sentiment, surveys, warning};

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

const HR: &[Role] = &[Role::HrAdmin];
const HR_OR_SCHEDULER: &[Role] = &[Role::HrAdmin, Role::Service];
const READERS: &[Role] = &[Role::HrAdmin, Role::Manager];
const ANYONE: &[Role] = &[Role::HrAdmin, Role::Manager, Role::Employee, Role::Service];

/// The engagement service's gRPC handlers.
pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }

    async fn survey(&self, survey_id: &str) -> Result<surveys::SurveyRow, Status> {
        let survey_id = id("survey_id", survey_id)?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(surveys::get(&mut conn, &survey_id).await?)
    }

    /// `None` for HR (everyone); a manager's line with themself otherwise.
    async fn line(&self, caller: &Principal, method: &str) -> Result<Option<BTreeSet<String>>, Status> {
        if caller.has(Role::HrAdmin) {
            return Ok(None);
        }
        let line = self.ctx.scope_people(caller, &[], &rpc(method)).await?;
        Ok(Some(line.unwrap_or_default().into_iter().collect()))
    }

    async fn round_proto(&self, row: &surveys::RoundRow, locale: Locale) -> Result<pb::SurveyRound, Status> {
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let invited = surveys::invited(&mut conn, &row.survey_id, row.round).await?;
        Ok(row.to_proto(locale, invited))
    }
}

/// Opens round `number` of `survey` from `opens_on` with today's audience.
pub async fn open(
    ctx: &ServiceContext,
    survey: &surveys::SurveyRow,
    number: u32,
    opens_on: ::time::Date,
) -> Result<surveys::RoundRow, ApiError> {
    let audience = surveys::audience(ctx, &survey.org_units()).await?;
    let mut tx = ctx.db.begin().await?;
    let row = surveys::open_round(&mut tx, survey, number, opens_on, &audience).await?;
    ctx.commit(tx).await?;
    Ok(row)
}

#[tonic::async_trait]
impl EngagementService for Api {
    async fn list_questions(
        &self,
        request: Request<pb::ListQuestionsRequest>,
    ) -> Result<Response<pb::ListQuestionsResponse>, Status> {
        self.ctx.authorize(&request, ANYONE, &rpc("ListQuestions")).await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let locale = v.check(Locale::of_field("language", &req.language));
        let driver = match req.driver.trim() {
            "" => None,
            name => match questions::Driver::parse(name) {
                Some(d) => Some(d),
                None => {
                    v.add(
                        "driver",
                        "must be workload, growth, recognition, management, colleagues, pay, wellbeing or enps",
                    );
                    None
                }
            },
        };
        v.finish()?;
        let locale = locale.unwrap_or(Locale::En);
        let questions = questions::LIBRARY
            .iter()
            .filter(|q| driver.is_none_or(|d| q.driver == d))
            .map(|q| q.to_proto(locale))
            .collect();
        Ok(Response::new(pb::ListQuestionsResponse { questions }))
    }

    async fn create_survey(&self, request: Request<pb::CreateSurveyRequest>) -> Result<Response<pb::Survey>, Status> {
        let caller = self.ctx.authorize(&request, HR, &rpc("CreateSurvey")).await?;
        let new = surveys::NewSurvey::parse(request.get_ref())?;
        // Unknown units are refused before anything is stored.
        let audience = surveys::audience(&self.ctx, &new.org_units).await?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let survey = surveys::create(&mut tx, &new, &caller.subject).await?;
        let round = if new.opens_on <= time::today() {
            Some(surveys::open_round(&mut tx, &survey, 1, new.opens_on, &audience).await?)
        } else {
            None
        };
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        let round = match round {
            Some(r) => Some(self.round_proto(&r, Locale::En).await?),
            None => None,
        };
        Ok(Response::new(survey.to_proto(round)))
    }

    async fn get_survey(&self, request: Request<pb::GetSurveyRequest>) -> Result<Response<pb::Survey>, Status> {
        self.ctx.authorize(&request, ANYONE, &rpc("GetSurvey")).await?;
        let locale = Locale::of_field("language", &request.get_ref().language).map_err(invalid)?;
        let survey = self.survey(&request.get_ref().survey_id).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let round = match surveys::round(&mut conn, &survey.survey_id, 0).await {
            Ok(r) => Some(r),
            Err(ApiError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let round = match round {
            Some(r) => Some(self.round_proto(&r, locale).await?),
            None => None,
        };
        Ok(Response::new(survey.to_proto(round)))
    }

    async fn open_next_round(
        &self,
        request: Request<pb::OpenNextRoundRequest>,
    ) -> Result<Response<pb::SurveyRound>, Status> {
        self.ctx.authorize(&request, HR_OR_SCHEDULER, &rpc("OpenNextRound")).await?;
        let survey = self.survey(&request.get_ref().survey_id).await?;
        let today = time::today();
        if time::format_date(today) > survey.closes_on {
            return Err(ApiError::FailedPrecondition(format!(
                "survey {} closed on {}",
                survey.survey_id, survey.closes_on
            ))
            .into());
        }
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let current = match surveys::round(&mut conn, &survey.survey_id, 0).await {
            Ok(r) => Some(r),
            Err(ApiError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        };
        drop(conn);
        let number = match &current {
            None => 1,
            Some(_) if survey.interval_days <= 0 => {
                return Err(ApiError::FailedPrecondition(
                    "a one-off survey has one round; create a recurring pulse (interval_days) for more".into(),
                )
                .into());
            }
            Some(r) => r.number() + 1,
        };
        let row = open(&self.ctx, &survey, number, today).await?;
        Ok(Response::new(self.round_proto(&row, Locale::En).await?))
    }

    async fn send_reminders(
        &self,
        request: Request<pb::SendRemindersRequest>,
    ) -> Result<Response<pb::SendRemindersResponse>, Status> {
        self.ctx.authorize(&request, HR_OR_SCHEDULER, &rpc("SendReminders")).await?;
        let survey = self.survey(&request.get_ref().survey_id).await?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let round = surveys::round(&mut tx, &survey.survey_id, 0).await?;
        if !round.open_on(&time::format_date(time::today())) {
            return Err(ApiError::FailedPrecondition(format!("round {} is not open today", round.number())).into());
        }
        let reminders = surveys::remind(&self.ctx, &mut tx, &round).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(pb::SendRemindersResponse { round: round.number(), reminders }))
    }

    async fn submit_pulse_answer(
        &self,
        request: Request<pb::SubmitPulseAnswerRequest>,
    ) -> Result<Response<pb::PulseReceipt>, Status> {
        let rpc = rpc("SubmitPulseAnswer");
        let caller = self.ctx.authorize(&request, &[Role::Employee], &rpc).await?;
        let (survey_id, employee) = answers::parse_ids(request.get_ref())?;
        // Only for oneself: nobody, HR included, answers for someone else.
        self.ctx.acting_for(&caller, &employee, &[], &rpc).await?;
        let survey = self.survey(&survey_id).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let round = surveys::round(&mut conn, &survey.survey_id, 0)
            .await
            .map_err(|_| ApiError::FailedPrecondition(format!("survey {survey_id} has no open round")))?;
        drop(conn);
        let given = answers::parse_answers(request.get_ref(), &round.questions())?;
        let commented = given.iter().any(|a| matches!(a, answers::Answer::Comment { .. }));
        let analyse = if commented {
            match self.ctx.consent.check(&employee, purposes::SENTIMENT).await {
                Ok((allowed, _)) => allowed,
                Err(e) => {
                    tracing::warn!(error = %e, "consent unknown: the comment is stored without sentiment");
                    false
                }
            }
        } else {
            false
        };
        let names = if commented {
            comments::name_words(&org::cached_names(&self.ctx, &survey.org_units()).await?)
        } else {
            comments::Names::default()
        };
        Ok(Response::new(answers::submit(&self.ctx, &round, &employee, &given, analyse, &names).await?))
    }

    async fn analyze_comment(
        &self,
        request: Request<pb::AnalyzeCommentRequest>,
    ) -> Result<Response<pb::CommentSentiment>, Status> {
        let rpc = rpc("AnalyzeComment");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin], &rpc).await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let text = v.check(required_text("text", &req.text, 2_000));
        v.finish()?;
        let (employee, text) = employee.zip(text).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("lost field")))?;
        self.ctx.acting_for(&caller, &employee, &[Role::HrAdmin], &rpc).await?;
        self.ctx.consent.require(&employee, purposes::SENTIMENT).await?;
        let result = sentiment::analyse(&text);
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let event = pb::CommentAnalysed { label: result.label.clone(), score: result.score };
        let envelope = self.ctx.events.envelope(&employee, purposes::SENTIMENT, &event);
        outbox::enqueue(&mut tx, &raw_topic(crate::NAME), &envelope).await.map_err(ApiError::from)?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(result))
    }

    async fn get_results(
        &self,
        request: Request<pb::GetResultsRequest>,
    ) -> Result<Response<pb::SurveyResults>, Status> {
        let caller = self.ctx.authorize(&request, READERS, &rpc("GetResults")).await?;
        let survey = self.survey(&request.get_ref().survey_id).await?;
        let line = self.line(&caller, "GetResults").await?;
        Ok(Response::new(results::results(&self.ctx, &survey, request.get_ref().round, line.as_ref()).await?))
    }

    async fn get_heatmap(&self, request: Request<pb::GetHeatmapRequest>) -> Result<Response<pb::Heatmap>, Status> {
        self.ctx.authorize(&request, HR, &rpc("GetHeatmap")).await?;
        let survey = self.survey(&request.get_ref().survey_id).await?;
        Ok(Response::new(results::heatmap(&self.ctx, &survey, request.get_ref().round).await?))
    }

    async fn list_comments(
        &self,
        request: Request<pb::ListCommentsRequest>,
    ) -> Result<Response<pb::ListCommentsResponse>, Status> {
        let caller = self.ctx.authorize(&request, READERS, &rpc("ListComments")).await?;
        let req = request.get_ref();
        let unit = if req.org_unit_id.is_empty() { String::new() } else { id("org_unit_id", &req.org_unit_id)? };
        let survey = self.survey(&req.survey_id).await?;
        let line = self.line(&caller, "ListComments").await?;
        let (rounds, visible) = results::released_rounds(&self.ctx, &survey, req.round, line.as_ref()).await?;
        if !visible.contains(&unit) {
            let reason = "you may only read the comments of units whose people are all in your line";
            return Err(ApiError::PermissionDenied(reason.into()).into());
        }
        let round = rounds.last().ok_or_else(|| ApiError::NotFound("no round".into()))?;
        Ok(Response::new(comments::list(&self.ctx, &survey, round, &unit).await?))
    }

    async fn list_alerts(
        &self,
        request: Request<pb::ListAlertsRequest>,
    ) -> Result<Response<pb::ListAlertsResponse>, Status> {
        let caller = self.ctx.authorize(&request, READERS, &rpc("ListAlerts")).await?;
        let survey = self.survey(&request.get_ref().survey_id).await?;
        let line = self.line(&caller, "ListAlerts").await?;
        let (rounds, visible) = results::released_rounds(&self.ctx, &survey, 0, line.as_ref()).await?;
        Ok(Response::new(pb::ListAlertsResponse { alerts: warning::alerts(&rounds, &visible) }))
    }
}
