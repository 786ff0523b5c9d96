//! A hire's CV skills carried into their employee profile, with their consent: the people
//! service knows which application the employee was hired from, recruiting holds the CV's skills
//! with the words that show them. Both are reads the employee waits on; the profile written is
//! skills' own state. The skills land as `inferred` (a CV shows a skill was used, not how well),
//! with the CV's words as evidence, so they are shown and weighed as inferred everywhere.

use std::time::Duration;

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::{
    people::v1::{GetEmployeeRequest, people_service_client::PeopleServiceClient},
    recruiting::v1::{
        GetApplicationRequest, GetCandidateProfileRequest, recruiting_service_client::RecruitingServiceClient,
    },
};
use tonic::Request;

use crate::{
    profile::{self, Change, Source},
    taxonomy::Taxonomy,
};

/// How long one call to another service may take.
const DEADLINE: Duration = Duration::from_secs(5);
/// Reason code when the employee was not hired through recruiting (or HR did not link it).
pub const NO_APPLICATION: &str = "NO_APPLICATION";
/// Reason code when the application has no CV on file.
pub const NO_CV: &str = "NO_CV";

fn request<T>(ctx: &ServiceContext, message: T) -> Result<Request<T>, ApiError> {
    let mut request = ctx.peers.request(message)?;
    request.set_timeout(DEADLINE);
    Ok(request)
}

fn unavailable(service: &str, status: &tonic::Status) -> ApiError {
    ApiError::Unavailable(format!("{service} cannot answer: {}", status.message()))
}

/// What was carried over and what was left out.
#[derive(Debug, Default)]
pub struct CarriedOver {
    /// Skills written to the profile (new or changed).
    pub recorded: usize,
    /// CV skills this service's taxonomy does not know (kept out, with their labels).
    pub unknown: Vec<String>,
    /// The skill ids carried over, in the CV's order.
    pub skill_ids: Vec<String>,
}

/// Carries `employee`'s CV skills into their profile. The caller has checked the employee's
/// consent for `skills.inference` and their authority over the employee.
pub async fn cv_skills(
    ctx: &ServiceContext,
    taxonomy: &Taxonomy,
    employee: &str,
    actor: &str,
) -> Result<CarriedOver, ApiError> {
    let mut people = PeopleServiceClient::new(ctx.peers.channel_to("people")?);
    let found = people.get_employee(request(ctx, GetEmployeeRequest { employee_id: employee.into() })?).await;
    let application_id = match found {
        Ok(e) => e.into_inner().application_id,
        Err(s) if s.code() == tonic::Code::NotFound => {
            return Err(ApiError::NotFound(format!("no employee {employee}")));
        }
        Err(s) => return Err(unavailable("the people service", &s)),
    };
    if application_id.is_empty() {
        return Err(ApiError::refused(
            NO_APPLICATION,
            format!("{employee} was not hired through an application on record, so there is no CV to carry over"),
        ));
    }
    let mut recruiting = RecruitingServiceClient::new(ctx.peers.channel_to("recruiting")?);
    let application = recruiting
        .get_application(request(ctx, GetApplicationRequest { application_id: application_id.clone() })?)
        .await
        .map_err(|s| unavailable("recruiting", &s))?
        .into_inner();
    let cv = recruiting
        .get_candidate_profile(request(ctx, GetCandidateProfileRequest { candidate_id: application.candidate_id })?)
        .await;
    let cv = match cv {
        Ok(cv) => cv.into_inner(),
        Err(s) if s.code() == tonic::Code::NotFound => {
            return Err(ApiError::refused(NO_CV, format!("application {application_id} has no CV on file")));
        }
        Err(s) => return Err(unavailable("recruiting", &s)),
    };
    let mut out = CarriedOver::default();
    let mut changes = Vec::new();
    for skill in cv.skills {
        if taxonomy.skill(&skill.skill_id).is_none() {
            out.unknown.push(skill.label);
            continue;
        }
        out.skill_ids.push(skill.skill_id.clone());
        changes.push(Change {
            skill_id: skill.skill_id,
            source: Source::Inferred,
            level: profile::INFERRED_LEVEL,
            evidence: skill.evidence,
            evidence_source: "cv".into(),
        });
    }
    out.recorded = profile::record(ctx, employee, &changes, actor).await?;
    Ok(out)
}
