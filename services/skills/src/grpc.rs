//! gRPC surface of skills: parses requests, checks who may do what, and hands over to the
//! domain modules.

use std::{collections::HashMap, sync::Arc};

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    auth::{Principal, Role},
    cpu,
    error::identifier,
    events::raw_topic,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::skills::v1::{self as pb, skills_service_server::SkillsService};
use tokio::sync::OnceCell;
use tonic::{Request, Response, Status};

use crate::{
    courses, demand,
    extract::Extraction,
    gap::{self, Requirement},
    lang::Lang,
    learning,
    model::{Catalog, Model},
    profile::{self, Change, Source},
    rank::{self, Ranking},
    roles, skill_ref,
    taxonomy::Taxonomy,
};

/// Who may act on someone else's profile.
const PRIVILEGED: [Role; 3] = [Role::HrAdmin, Role::Manager, Role::Service];
const ANYONE: [Role; 6] = [Role::HrAdmin, Role::Manager, Role::Employee, Role::Candidate, Role::Dpo, Role::Service];
const PEOPLE: [Role; 4] = [Role::HrAdmin, Role::Manager, Role::Employee, Role::Service];
/// Largest text extraction accepts (a long CV is ~20 KiB).
pub const MAX_TEXT_BYTES: usize = 128 << 10;
/// Purpose of gap analyses and learning paths.
pub const DEVELOPMENT_PURPOSE: &str = "skills.development";
/// Most skill sets one MatchProfiles call scores.
const MAX_PROFILES: usize = 2000;
/// Longest a skill extraction may take; bounded input makes the real worst case far shorter.
const EXTRACT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

pub struct Api {
    ctx: ServiceContext,
    catalog: Arc<Catalog>,
    seeded: OnceCell<()>,
}

fn locale(v: &mut Violations, locale: &str) -> Lang {
    v.check(Lang::of_locale(locale)).unwrap_or(Lang::En)
}

fn text(v: &mut Violations, field: &str, text: &str) -> Option<String> {
    if text.trim().is_empty() {
        v.add(field, "must not be empty");
        None
    } else if text.len() > MAX_TEXT_BYTES {
        v.add(
            field,
            format!("is {} bytes; at most {MAX_TEXT_BYTES} bytes (128 KiB) are accepted: split the text", text.len()),
        );
        None
    } else {
        Some(text.to_owned())
    }
}

fn language(v: &mut Violations, field: &str, value: &str) -> Option<Lang> {
    v.check(Lang::optional(field, value)).flatten()
}

fn limit(value: u32, default: u32, max: u32) -> usize {
    (if value == 0 { default } else { value.min(max) }) as usize
}

fn extraction_to_proto(
    t: &Taxonomy,
    e: &Extraction,
    lang: Lang,
) -> (Vec<pb::ExtractedSkill>, Vec<pb::ExcludedMention>) {
    let skills = e
        .hits
        .iter()
        .map(|h| pb::ExtractedSkill {
            skill: Some(skill_ref(t, &t.get(h.skill).id, lang)),
            evidence: Some(pb::Evidence {
                start: h.span.start as u32,
                end: h.span.end as u32,
                text: h.evidence.clone(),
            }),
            confidence: f64::from(h.confidence),
            r#match: h.how.as_str().into(),
            mentions: h.mentions,
            score: f64::from(h.confidence),
            inferred: false,
            esco_uri: t.get(h.skill).esco_uri.clone().unwrap_or_default(),
            esco_label: t.esco_label(h.skill, lang).unwrap_or_default().to_owned(),
            via: None,
        })
        .collect();
    let excluded = e
        .excluded
        .iter()
        .map(|x| pb::ExcludedMention {
            skill: Some(skill_ref(t, &t.get(x.skill).id, lang)),
            evidence: Some(pb::Evidence {
                start: x.span.start as u32,
                end: x.span.end as u32,
                text: x.evidence.clone(),
            }),
            reason: x.reason.as_str().into(),
            cue: x.cue.clone(),
        })
        .collect();
    (skills, excluded)
}

/// A ranked answer as the API shows it: named skills with how their label was met, inferred
/// ones with what led to them, each with its ESCO URI and ESCO label in `lang`.
fn ranking_to_proto(t: &Taxonomy, r: &Ranking, text: &str, lang: Lang) -> Vec<pb::ExtractedSkill> {
    r.skills
        .iter()
        .map(|s| {
            let skill = t.get(s.skill);
            let hit = r.extraction.hits.iter().find(|h| h.skill == s.skill);
            let (span, words, via) = match &s.evidence {
                rank::Evidence::Words { span, text } => (span.clone(), text.clone(), None),
                rank::Evidence::Concept { kind, id, span } => {
                    let label = match kind {
                        rank::Via::Occupation => {
                            t.occupation(id).map(|o| occupation_label(o, lang)).unwrap_or_default()
                        }
                        _ => t.skill(id).map(|ix| t.label(ix, lang).to_owned()).unwrap_or_default(),
                    };
                    let concept = pb::Concept { kind: kind.as_str().into(), id: id.clone(), label };
                    (span.clone(), text.get(span.clone()).unwrap_or_default().to_owned(), Some(concept))
                }
            };
            let how = match (s.named, hit, s.source, &via) {
                (true, Some(h), _, _) => h.how.as_str(),
                (true, None, _, _) => "words",
                (false, _, _, Some(c)) if c.kind == rank::Via::Occupation.as_str() => "occupation",
                (false, _, _, Some(c)) if c.kind == rank::Via::Narrower.as_str() => "narrower_skill",
                (false, _, _, Some(_)) => "related_skill",
                (false, _, _, None) => "description",
            };
            pb::ExtractedSkill {
                skill: Some(skill_ref(t, &skill.id, lang)),
                evidence: Some(pb::Evidence { start: span.start as u32, end: span.end as u32, text: words }),
                confidence: f64::from(rank::confidence(s.score)),
                r#match: how.into(),
                mentions: s.mentions.max(u32::from(s.named)),
                score: f64::from(s.score),
                inferred: !s.named,
                esco_uri: skill.esco_uri.clone().unwrap_or_default(),
                esco_label: t.esco_label(s.skill, lang).unwrap_or_default().to_owned(),
                via,
            }
        })
        .collect()
}

/// An occupation's title in `lang`, falling back to English.
fn occupation_label(o: &crate::taxonomy::Occupation, lang: Lang) -> String {
    [&o.labels[lang.index()], &o.labels[0]].into_iter().find(|l| !l.is_empty()).cloned().unwrap_or_default()
}

impl Api {
    pub fn new(ctx: ServiceContext, catalog: Arc<Catalog>) -> Self {
        Self { ctx, catalog, seeded: OnceCell::new() }
    }

    async fn caller<T>(&self, request: &Request<T>, roles: &[Role], rpc: &str) -> Result<Principal, Status> {
        self.ctx.authorize(request, roles, &format!("hrmesh.skills.v1.SkillsService/{rpc}")).await
    }

    /// The caller may act on `person`: self, their line as a manager, everyone as HR or a service.
    async fn for_person(&self, caller: &Principal, person: &str, rpc: &str) -> Result<(), Status> {
        self.ctx.require_line(caller, person, &format!("hrmesh.skills.v1.SkillsService/{rpc}")).await
    }

    /// The starter catalogue is in the database before any course is read or written.
    async fn catalogue(&self, model: &Model) -> Result<(), ApiError> {
        self.seeded.get_or_try_init(|| async { courses::seed(&self.ctx, &model.taxonomy).await.map(|_| ()) }).await?;
        Ok(())
    }

    async fn profile_response(&self, model: &Model, employee: &str, lang: Lang) -> Result<pb::SkillProfile, ApiError> {
        Ok(profile::profile(&self.ctx, &model.taxonomy, employee, lang, false).await?.unwrap_or_default())
    }

    /// Targets of a learning path or gap: a role's requirements, or explicit ones.
    async fn targets(
        &self,
        model: &Model,
        role_id: &str,
        explicit: &[pb::CourseSkill],
        lang: Lang,
    ) -> Result<(String, String, Vec<Requirement>), ApiError> {
        match (role_id.is_empty(), explicit.is_empty()) {
            (false, true) => {
                let role = roles::resolve(&self.ctx, model, role_id, lang).await?;
                Ok((role.id, role.title, role.requirements))
            }
            (true, false) => {
                let mut v = Violations::default();
                let reqs = roles::requirements(
                    &model.taxonomy,
                    "targets",
                    explicit.iter().map(|t| (t.skill_id.clone(), t.level, true)),
                    &mut v,
                );
                v.finish()?;
                Ok((String::new(), String::new(), reqs))
            }
            _ => Err(ApiError::InvalidArgument(vec![FieldViolation::new(
                "role_id",
                "give either role_id or targets (one of the two)",
            )])),
        }
    }
}

#[tonic::async_trait]
impl SkillsService for Api {
    async fn get_taxonomy_info(
        &self,
        request: Request<pb::GetTaxonomyInfoRequest>,
    ) -> Result<Response<pb::TaxonomyInfo>, Status> {
        self.caller(&request, &ANYONE, "GetTaxonomyInfo").await?;
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let builtin = t.skills.iter().filter(|s| s.origin == crate::taxonomy::Origin::Builtin).count();
        Ok(Response::new(pb::TaxonomyInfo {
            builtin_skills: builtin as u32,
            esco_skills: (t.skills.len() - builtin) as u32,
            occupations: t.occupations.len() as u32,
            relations: t.relations.len() as u32,
            esco_import: t.esco_import.unwrap_or(0),
            attribution: model.attribution(),
        }))
    }

    async fn search_skills(
        &self,
        request: Request<pb::SearchSkillsRequest>,
    ) -> Result<Response<pb::SearchSkillsResponse>, Status> {
        self.caller(&request, &ANYONE, "SearchSkills").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        let query = req.query.trim();
        if query.chars().count() < 2 {
            v.add("query", "needs at least 2 characters");
        } else if query.len() > 500 {
            v.add("query", "at most 500 bytes");
        }
        v.finish()?;
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let limit = limit(req.limit, 20, 100);
        let found = model.ranker.search(t, query, lang, limit);
        let matches: Vec<pb::SearchMatch> = found
            .into_iter()
            .map(|f| pb::SearchMatch {
                skill: Some(skill_ref(t, &t.get(f.skill).id, lang)),
                score: f64::from(f.score),
                matched: f.label,
                language: f.lang.code().into(),
            })
            .collect();
        let skills = matches.iter().filter_map(|m| m.skill.clone()).collect();
        Ok(Response::new(pb::SearchSkillsResponse { skills, attribution: model.attribution(), matches }))
    }

    async fn get_skill(&self, request: Request<pb::GetSkillRequest>) -> Result<Response<pb::SkillDetail>, Status> {
        self.caller(&request, &ANYONE, "GetSkill").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        let skill_id = v.check(identifier("skill_id", &req.skill_id));
        v.finish()?;
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let skill_id = skill_id.unwrap_or_default();
        let ix = t.skill(&skill_id).ok_or_else(|| ApiError::NotFound(format!("no skill {skill_id:?}")))?;
        let s = t.get(ix);
        let related = model
            .graph
            .neighbours(ix)
            .into_iter()
            .take(20)
            .map(|(other, score, why)| pb::RelatedSkill {
                skill: Some(skill_ref(t, &t.get(other).id, lang)),
                relatedness: score,
                reason: gap::reason_text(t, why, lang),
            })
            .collect();
        Ok(Response::new(pb::SkillDetail {
            skill: Some(skill_ref(t, &s.id, lang)),
            group: s.groups.first().map(|&g| t.group_label(g, lang).to_owned()).unwrap_or_default(),
            synonyms: s.synonyms.iter().filter(|(l, _)| *l == lang).map(|(_, x)| x.clone()).collect(),
            esco_uri: s.esco_uri.clone().unwrap_or_default(),
            related,
            prerequisites: model
                .graph
                .prerequisites_of(ix)
                .into_iter()
                .map(|p| skill_ref(t, &t.get(p).id, lang))
                .collect(),
            attribution: if s.esco_uri.is_some() { model.attribution() } else { String::new() },
        }))
    }

    async fn extract_skills(
        &self,
        request: Request<pb::ExtractSkillsRequest>,
    ) -> Result<Response<pb::ExtractSkillsResponse>, Status> {
        self.caller(&request, &ANYONE, "ExtractSkills").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        let hint = language(&mut v, "language", &req.language);
        let text = text(&mut v, "text", &req.text);
        if req.k as usize > rank::MAX_K {
            v.add("k", format!("at most {}", rank::MAX_K));
        }
        v.finish()?;
        let k = if req.k == 0 { rank::DEFAULT_K } else { req.k as usize };
        let model = self.catalog.get();
        let work = Arc::clone(&model);
        let text = Arc::new(text.unwrap_or_default());
        let input = Arc::clone(&text);
        let ranking = cpu::run("skill extraction", EXTRACT_DEADLINE, move || work.rank(&input, hint, k)).await?;
        let skills = ranking_to_proto(&model.taxonomy, &ranking, &text, lang);
        let (_, excluded) = extraction_to_proto(&model.taxonomy, &ranking.extraction, lang);
        Ok(Response::new(pb::ExtractSkillsResponse {
            language: ranking.lang.code().into(),
            skills,
            excluded,
            attribution: model.attribution(),
        }))
    }

    async fn declare_skill(
        &self,
        request: Request<pb::DeclareSkillRequest>,
    ) -> Result<Response<pb::SkillProfile>, Status> {
        let caller = self.caller(&request, &PEOPLE, "DeclareSkill").await?;
        let req = request.get_ref();
        let model = self.catalog.get();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let skill = v.check(known_skill(&model.taxonomy, "skill_id", &req.skill_id));
        let level = v.check(profile::level("level", req.level));
        let (Some(employee), Some(skill), Some(level)) = (employee, skill, level) else {
            return Err(v.into_error().into());
        };
        self.for_person(&caller, &employee, "DeclareSkill").await?;
        let source = if caller.subject == employee { Source::DeclaredSelf } else { Source::DeclaredManager };
        let change = Change { skill_id: skill, source, level, evidence: String::new(), evidence_source: String::new() };
        profile::record(&self.ctx, &employee, &[change], &caller.subject).await?;
        Ok(Response::new(self.profile_response(&model, &employee, Lang::En).await?))
    }

    async fn verify_skill(
        &self,
        request: Request<pb::VerifySkillRequest>,
    ) -> Result<Response<pb::SkillProfile>, Status> {
        let caller = self.caller(&request, &PRIVILEGED, "VerifySkill").await?;
        let req = request.get_ref();
        let model = self.catalog.get();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let skill = v.check(known_skill(&model.taxonomy, "skill_id", &req.skill_id));
        let level = v.check(profile::level("level", req.level));
        let evidence = v.check(hrmesh_kit::error::required_text("evidence", &req.evidence, 500));
        let (Some(employee), Some(skill), Some(level), Some(evidence)) = (employee, skill, level, evidence) else {
            return Err(v.into_error().into());
        };
        if caller.subject == employee {
            return Err(ApiError::PermissionDenied("nobody verifies their own skills".into()).into());
        }
        self.for_person(&caller, &employee, "VerifySkill").await?;
        let change = Change {
            skill_id: skill,
            source: Source::Verified,
            level,
            evidence,
            evidence_source: "verification".into(),
        };
        profile::record(&self.ctx, &employee, &[change], &caller.subject).await?;
        Ok(Response::new(self.profile_response(&model, &employee, Lang::En).await?))
    }

    async fn infer_skills(
        &self,
        request: Request<pb::InferSkillsRequest>,
    ) -> Result<Response<pb::InferSkillsResponse>, Status> {
        let caller = self.caller(&request, &PEOPLE, "InferSkills").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let lang = locale(&mut v, &req.locale);
        let hint = language(&mut v, "language", &req.language);
        let text = text(&mut v, "text", &req.text);
        let source = req.source.trim();
        if !["cv", "project", "feedback", "other"].contains(&source) {
            v.add("source", "must be one of cv, project, feedback, other");
        }
        let (Some(employee), Some(text)) = (employee, text) else { return Err(v.into_error().into()) };
        v.finish()?;
        self.for_person(&caller, &employee, "InferSkills").await?;
        self.ctx.consent.require(&employee, profile::INFERENCE_PURPOSE).await?;
        let model = self.catalog.get();
        let extraction = model.extractor.extract(&text, hint);
        let changes: Vec<Change> = extraction
            .hits
            .iter()
            .map(|h| Change {
                skill_id: model.taxonomy.get(h.skill).id.clone(),
                source: Source::Inferred,
                level: profile::INFERRED_LEVEL,
                evidence: h.evidence.clone(),
                evidence_source: source.to_owned(),
            })
            .collect();
        profile::record(&self.ctx, &employee, &changes, &caller.subject).await?;
        let (inferred, excluded) = extraction_to_proto(&model.taxonomy, &extraction, lang);
        Ok(Response::new(pb::InferSkillsResponse {
            inferred,
            excluded,
            profile: Some(self.profile_response(&model, &employee, lang).await?),
            attribution: model.attribution(),
        }))
    }

    async fn carry_over_cv_skills(
        &self,
        request: Request<pb::CarryOverCvSkillsRequest>,
    ) -> Result<Response<pb::CarryOverCvSkillsResponse>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Employee], "CarryOverCvSkills").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let lang = locale(&mut v, &req.locale);
        let Some(employee) = employee else { return Err(v.into_error().into()) };
        v.finish()?;
        self.ctx
            .acting_for(&caller, &employee, &[Role::HrAdmin], "hrmesh.skills.v1.SkillsService/CarryOverCvSkills")
            .await?;
        self.ctx.consent.require(&employee, profile::INFERENCE_PURPOSE).await?;
        let model = self.catalog.get();
        let carried = crate::carry::cv_skills(&self.ctx, &model.taxonomy, &employee, &caller.subject).await?;
        Ok(Response::new(pb::CarryOverCvSkillsResponse {
            skill_ids: carried.skill_ids,
            unknown: carried.unknown,
            profile: Some(self.profile_response(&model, &employee, lang).await?),
        }))
    }

    async fn get_skill_profile(
        &self,
        request: Request<pb::GetSkillProfileRequest>,
    ) -> Result<Response<pb::SkillProfile>, Status> {
        let caller = self.caller(&request, &PEOPLE, "GetSkillProfile").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let Some(employee) = employee else { return Err(v.into_error().into()) };
        v.finish()?;
        self.for_person(&caller, &employee, "GetSkillProfile").await?;
        let model = self.catalog.get();
        match profile::profile(&self.ctx, &model.taxonomy, &employee, lang, req.include_history)
            .await
            .map_err(ApiError::from)?
        {
            Some(p) => Ok(Response::new(p)),
            None => Err(ApiError::NotFound(format!("employee {employee} has no skills on record")).into()),
        }
    }

    async fn define_role(&self, request: Request<pb::DefineRoleRequest>) -> Result<Response<pb::Role>, Status> {
        self.caller(&request, &[Role::HrAdmin], "DefineRole").await?;
        let model = self.catalog.get();
        let role = roles::define(&self.ctx, &model, request.get_ref()).await?;
        Ok(Response::new(role.to_proto(&model.taxonomy, &model.attribution())))
    }

    async fn get_role(&self, request: Request<pb::GetRoleRequest>) -> Result<Response<pb::Role>, Status> {
        self.caller(&request, &ANYONE, "GetRole").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        v.finish()?;
        let model = self.catalog.get();
        let role = roles::resolve(&self.ctx, &model, &req.role_id, lang).await?;
        Ok(Response::new(role.to_proto(&model.taxonomy, &model.attribution())))
    }

    async fn analyze_gap(&self, request: Request<pb::AnalyzeGapRequest>) -> Result<Response<pb::GapReport>, Status> {
        let caller = self.caller(&request, &PEOPLE, "AnalyzeGap").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let Some(employee) = employee else { return Err(v.into_error().into()) };
        v.finish()?;
        self.for_person(&caller, &employee, "AnalyzeGap").await?;
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let role = roles::resolve(&self.ctx, &model, &req.role_id, lang).await?;
        let have = profile::levels(&self.ctx, t, &employee).await.map_err(ApiError::from)?;
        let supports = gap::supports(&model.graph, &role.requirements);
        let result = gap::person_gap(&model.graph, &supports, &have, &role.requirements);
        let missing: Vec<String> = result
            .requirements
            .iter()
            .filter(|q| q.status != gap::Status::Met)
            .map(|q| t.get(q.requirement.skill).id.clone())
            .collect();
        if !missing.is_empty() {
            let event = pb::SkillGapIdentified {
                role_id: role.id.clone(),
                missing_skill_ids: missing.clone(),
                coverage: result.coverage,
            };
            let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
            outbox::enqueue(
                &mut tx,
                &raw_topic(crate::NAME),
                &self.ctx.events.envelope(&employee, DEVELOPMENT_PURPOSE, &event),
            )
            .await
            .map_err(ApiError::from)?;
            self.ctx.commit(tx).await.map_err(ApiError::from)?;
        }
        let summary = match lang {
            Lang::En => format!(
                "{} brings {:.0}% of what {} asks; {} of {} requirements not fully met.",
                employee,
                result.coverage * 100.0,
                role.title,
                missing.len(),
                role.requirements.len()
            ),
            Lang::Nl => format!(
                "{} brengt {:.0}% mee van wat {} vraagt; {} van {} eisen niet volledig vervuld.",
                employee,
                result.coverage * 100.0,
                role.title,
                missing.len(),
                role.requirements.len()
            ),
            Lang::De => format!(
                "{} bringt {:.0} % dessen mit, was {} verlangt; {} von {} Anforderungen nicht ganz erfüllt.",
                employee,
                result.coverage * 100.0,
                role.title,
                missing.len(),
                role.requirements.len()
            ),
        };
        let requirements = result.requirements.iter().map(|q| gap::to_proto(t, q, lang)).collect();
        Ok(Response::new(pb::GapReport {
            employee_id: employee,
            role_id: role.id,
            requirements,
            coverage: result.coverage,
            summary,
            attribution: if role.from_esco { model.attribution() } else { String::new() },
        }))
    }

    async fn analyze_team_gap(
        &self,
        request: Request<pb::AnalyzeTeamGapRequest>,
    ) -> Result<Response<pb::TeamGapReport>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Manager], "AnalyzeTeamGap").await?;
        let req = request.get_ref();
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        if req.employee_ids.is_empty() {
            v.add("employee_ids", "name the team's members");
        }
        for (i, e) in req.employee_ids.iter().enumerate() {
            v.check(identifier(&format!("employee_ids[{i}]"), e));
        }
        if req.targets.is_empty() {
            v.add("targets", "a target plan needs at least one skill");
        }
        let reqs =
            roles::requirements(t, "targets", req.targets.iter().map(|x| (x.skill_id.clone(), x.level, true)), &mut v);
        for (i, x) in req.targets.iter().enumerate() {
            if x.headcount == 0 {
                v.add(&format!("targets[{i}].headcount"), "must be at least 1");
            }
        }
        v.finish()?;
        let rpc = "hrmesh.skills.v1.SkillsService/AnalyzeTeamGap";
        self.ctx.scope_people(&caller, &req.employee_ids, rpc).await?;
        let profiles = profile::all_levels(&self.ctx, t, &req.employee_ids).await.map_err(ApiError::from)?;
        let empty = HashMap::new();
        let team: Vec<&HashMap<_, _>> = req.employee_ids.iter().map(|e| profiles.get(e).unwrap_or(&empty)).collect();
        let targets: Vec<(Requirement, u32)> = reqs.into_iter().zip(req.targets.iter().map(|x| x.headcount)).collect();
        // Counts about a team describe its people: the one small-group guard decides (members
        // known since always, as skills does not know when someone joined a team).
        let members: std::collections::BTreeMap<String, i64> =
            req.employee_ids.iter().map(|e| (e.clone(), 0)).collect();
        let query = {
            use sha2::Digest;
            let listed: Vec<&String> = members.keys().collect();
            format!("team:{}", hex::encode(&sha2::Sha256::digest(format!("{listed:?}").as_bytes())[..8]))
        };
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let release = hrmesh_kit::groups::release(&mut conn, "skills.team_gap", &query, &members)
            .await
            .map_err(ApiError::from)?;
        drop(conn);
        if let Some(reason) = release.reason() {
            return Ok(Response::new(pb::TeamGapReport { targets: Vec::new(), summary: reason }));
        }
        let gaps = gap::team_gap(&model.graph, &team, &targets);
        let short: u32 = gaps.iter().map(gap::TargetGap::shortfall).sum();
        let targets = gaps
            .iter()
            .map(|g| {
                let label = t.label(g.requirement.skill, lang);
                let explanation = match lang {
                    Lang::En => format!(
                        "{label} at level {}: {} of {} needed have it, {} are close.",
                        g.requirement.level, g.qualified, g.headcount, g.near
                    ),
                    Lang::Nl => format!(
                        "{label} op niveau {}: {} van de {} benodigde hebben het, {} zijn dichtbij.",
                        g.requirement.level, g.qualified, g.headcount, g.near
                    ),
                    Lang::De => format!(
                        "{label} auf Stufe {}: {} von {} benötigten haben es, {} sind nah dran.",
                        g.requirement.level, g.qualified, g.headcount, g.near
                    ),
                };
                pb::TeamTargetGap {
                    skill: Some(skill_ref(t, &t.get(g.requirement.skill).id, lang)),
                    level: g.requirement.level,
                    headcount: g.headcount,
                    qualified: g.qualified,
                    near: g.near,
                    shortfall: g.shortfall(),
                    explanation,
                }
            })
            .collect();
        let summary = match lang {
            Lang::En => format!(
                "{} people analysed against {} targets; {short} positions short in total.",
                team.len(),
                gaps.len()
            ),
            Lang::Nl => format!(
                "{} mensen vergeleken met {} doelen; in totaal {short} plaatsen tekort.",
                team.len(),
                gaps.len()
            ),
            Lang::De => format!(
                "{} Personen mit {} Zielen verglichen; insgesamt fehlen {short} Besetzungen.",
                team.len(),
                gaps.len()
            ),
        };
        Ok(Response::new(pb::TeamGapReport { targets, summary }))
    }

    async fn find_transfer_candidates(
        &self,
        request: Request<pb::FindTransferCandidatesRequest>,
    ) -> Result<Response<pb::FindTransferCandidatesResponse>, Status> {
        let caller = self.caller(&request, &[Role::HrAdmin, Role::Manager], "FindTransferCandidates").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        for (i, e) in req.employee_ids.iter().enumerate() {
            v.check(identifier(&format!("employee_ids[{i}]"), e));
        }
        v.finish()?;
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let role = roles::resolve(&self.ctx, &model, &req.role_id, lang).await?;
        let rpc = "hrmesh.skills.v1.SkillsService/FindTransferCandidates";
        let scope = self.ctx.scope_people(&caller, &req.employee_ids, rpc).await?.unwrap_or_default();
        let people = profile::all_levels(&self.ctx, t, &scope).await.map_err(ApiError::from)?;
        let ranked = gap::transfer_ranking(&model.graph, &role.requirements, &people);
        let candidates = ranked
            .into_iter()
            .take(limit(req.limit, 10, 100))
            .map(|(employee, g)| {
                let to_learn: Vec<pb::SkillToLearn> = g
                    .requirements
                    .iter()
                    .filter(|q| q.status != gap::Status::Met)
                    .map(|q| pb::SkillToLearn {
                        skill: Some(skill_ref(t, &t.get(q.requirement.skill).id, lang)),
                        from_level: q.current,
                        to_level: q.requirement.level,
                        essential: q.requirement.essential,
                    })
                    .collect();
                let explanation = g
                    .requirements
                    .iter()
                    .filter(|q| q.status != gap::Status::Met)
                    .map(|q| gap::explain(t, q, lang))
                    .collect::<Vec<_>>()
                    .join("; ");
                pb::TransferCandidate {
                    employee_id: employee.clone(),
                    coverage: g.coverage,
                    gap: g.gap,
                    to_learn,
                    explanation,
                }
            })
            .collect();
        Ok(Response::new(pb::FindTransferCandidatesResponse { candidates }))
    }

    async fn match_profiles(
        &self,
        request: Request<pb::MatchProfilesRequest>,
    ) -> Result<Response<pb::MatchProfilesResponse>, Status> {
        self.caller(&request, &[Role::HrAdmin, Role::Service], "MatchProfiles").await?;
        let req = request.get_ref();
        let model = self.catalog.get();
        let t = &model.taxonomy;
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        if req.requirements.is_empty() {
            v.add("requirements", "name at least one required skill");
        }
        let reqs = roles::requirements(
            t,
            "requirements",
            req.requirements.iter().map(|r| (r.skill_id.clone(), r.level, r.essential)),
            &mut v,
        );
        if req.profiles.len() > MAX_PROFILES {
            v.add("profiles", format!("at most {MAX_PROFILES} per call"));
        }
        let mut profiles = Vec::with_capacity(req.profiles.len());
        for (i, p) in req.profiles.iter().enumerate() {
            v.check(identifier(&format!("profiles[{i}].id"), &p.id));
            let mut have = HashMap::new();
            for (j, s) in p.skills.iter().enumerate() {
                // Unknown ids are named, so a caller with a stale taxonomy learns which ones.
                match t.skill(&s.skill_id) {
                    Some(ix) => {
                        if let Some(level) =
                            v.check(profile::level(&format!("profiles[{i}].skills[{j}].level"), s.level))
                        {
                            let slot = have.entry(ix).or_insert(0);
                            *slot = level.max(*slot);
                        }
                    }
                    None => {
                        v.add(
                            &format!("profiles[{i}].skills[{j}].skill_id"),
                            format!("unknown skill {:?}", s.skill_id),
                        );
                    }
                }
            }
            profiles.push(have);
        }
        v.finish()?;
        let supports = gap::supports(&model.graph, &reqs);
        let matches = req
            .profiles
            .iter()
            .zip(&profiles)
            .map(|(p, have)| gap::match_profile(t, &model.graph, &supports, have, &reqs, &p.id, lang))
            .collect();
        Ok(Response::new(pb::MatchProfilesResponse { matches, attribution: model.attribution() }))
    }

    async fn create_course(&self, request: Request<pb::Course>) -> Result<Response<pb::Course>, Status> {
        self.caller(&request, &[Role::HrAdmin], "CreateCourse").await?;
        let model = self.catalog.get();
        self.catalogue(&model).await?;
        Ok(Response::new(courses::create(&self.ctx, &model.taxonomy, request.get_ref()).await?))
    }

    async fn update_course(&self, request: Request<pb::Course>) -> Result<Response<pb::Course>, Status> {
        self.caller(&request, &[Role::HrAdmin], "UpdateCourse").await?;
        let model = self.catalog.get();
        self.catalogue(&model).await?;
        Ok(Response::new(courses::update(&self.ctx, &model.taxonomy, request.get_ref()).await?))
    }

    async fn delete_course(
        &self,
        request: Request<pb::DeleteCourseRequest>,
    ) -> Result<Response<pb::DeleteCourseResponse>, Status> {
        self.caller(&request, &[Role::HrAdmin], "DeleteCourse").await?;
        self.catalogue(&self.catalog.get()).await?;
        courses::delete(&self.ctx, &request.get_ref().course_id).await?;
        Ok(Response::new(pb::DeleteCourseResponse {}))
    }

    async fn get_course(&self, request: Request<pb::GetCourseRequest>) -> Result<Response<pb::Course>, Status> {
        self.caller(&request, &ANYONE, "GetCourse").await?;
        self.catalogue(&self.catalog.get()).await?;
        Ok(Response::new(courses::get(&self.ctx, &request.get_ref().course_id).await?))
    }

    async fn list_courses(
        &self,
        request: Request<pb::ListCoursesRequest>,
    ) -> Result<Response<pb::ListCoursesResponse>, Status> {
        self.caller(&request, &ANYONE, "ListCourses").await?;
        let model = self.catalog.get();
        self.catalogue(&model).await?;
        let skill = &request.get_ref().skill_id;
        if !skill.is_empty() {
            known_skill(&model.taxonomy, "skill_id", skill).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        }
        let courses =
            courses::list(&self.ctx, (!skill.is_empty()).then_some(skill.as_str())).await.map_err(ApiError::from)?;
        Ok(Response::new(pb::ListCoursesResponse { courses }))
    }

    async fn plan_learning_path(
        &self,
        request: Request<pb::PlanLearningPathRequest>,
    ) -> Result<Response<pb::LearningPath>, Status> {
        let caller = self.caller(&request, &PEOPLE, "PlanLearningPath").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let Some(employee) = employee else { return Err(v.into_error().into()) };
        v.finish()?;
        self.for_person(&caller, &employee, "PlanLearningPath").await?;
        let model = self.catalog.get();
        self.catalogue(&model).await?;
        let t = &model.taxonomy;
        let (role_id, title, targets) = self.targets(&model, &req.role_id, &req.targets, lang).await?;
        let have = profile::levels(&self.ctx, t, &employee).await.map_err(ApiError::from)?;
        let catalogue = courses::list(&self.ctx, None).await.map_err(ApiError::from)?;
        let mut path =
            learning::plan(t, &model.graph, &catalogue, &have, &targets, learning::Goal { role: &title }, lang);
        path.employee_id.clone_from(&employee);
        path.path_id = uuid::Uuid::now_v7().to_string();
        if req.assign {
            let steps = serde_json::to_string(
                &path
                    .steps
                    .iter()
                    .map(|s| serde_json::json!({"skill_id": s.skill.as_ref().map(|x| &x.skill_id), "from": s.from_level, "to": s.to_level, "course_id": s.course_id, "hours": s.hours, "reason": s.reason}))
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| ApiError::Internal(e.into()))?;
            let event = pb::LearningPathAssigned {
                path_id: path.path_id.clone(),
                role_id: role_id.clone(),
                skill_ids: path.steps.iter().filter_map(|s| s.skill.as_ref().map(|x| x.skill_id.clone())).collect(),
                course_ids: path
                    .steps
                    .iter()
                    .filter(|s| !s.course_id.is_empty())
                    .map(|s| s.course_id.clone())
                    .collect(),
                total_hours: path.total_hours,
            };
            let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
            sqlx::query("INSERT INTO learning_paths (path_id, employee_id, role_id, steps, assigned_by, assigned_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&path.path_id)
                .bind(&employee)
                .bind(&role_id)
                .bind(steps)
                .bind(&caller.subject)
                .bind(time::now_ms())
                .execute(&mut *tx)
                .await
                .map_err(ApiError::from)?;
            outbox::enqueue(
                &mut tx,
                &raw_topic(crate::NAME),
                &self.ctx.events.envelope(&employee, DEVELOPMENT_PURPOSE, &event),
            )
            .await
            .map_err(ApiError::from)?;
            self.ctx.commit(tx).await.map_err(ApiError::from)?;
            path.assigned = true;
        }
        Ok(Response::new(path))
    }

    async fn record_requisition(
        &self,
        request: Request<pb::RecordRequisitionRequest>,
    ) -> Result<Response<pb::RecordRequisitionResponse>, Status> {
        self.caller(&request, &[Role::HrAdmin, Role::Service], "RecordRequisition").await?;
        demand::record_requisition(&self.ctx, &self.catalog.get().taxonomy, request.get_ref()).await?;
        Ok(Response::new(pb::RecordRequisitionResponse {}))
    }

    async fn record_hiring_plan(
        &self,
        request: Request<pb::RecordHiringPlanRequest>,
    ) -> Result<Response<pb::RecordHiringPlanResponse>, Status> {
        self.caller(&request, &[Role::HrAdmin, Role::Service], "RecordHiringPlan").await?;
        demand::record_hiring_plan(&self.ctx, &self.catalog.get().taxonomy, request.get_ref()).await?;
        Ok(Response::new(pb::RecordHiringPlanResponse {}))
    }

    async fn get_demand_forecast(
        &self,
        request: Request<pb::GetDemandForecastRequest>,
    ) -> Result<Response<pb::DemandForecast>, Status> {
        self.caller(&request, &[Role::HrAdmin, Role::Manager], "GetDemandForecast").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let lang = locale(&mut v, &req.locale);
        if req.horizon_months > 24 {
            v.add("horizon_months", "at most 24");
        }
        if req.history_months == 1 || req.history_months > 60 {
            v.add("history_months", "between 2 and 60 (0 for the default of 12)");
        }
        v.finish()?;
        let params = demand::Params {
            now: demand::Month::of_ms(time::now_ms()),
            history: if req.history_months == 0 { 12 } else { req.history_months },
            horizon: if req.horizon_months == 0 { 6 } else { req.horizon_months },
            limit: limit(req.limit, 20, 200),
            lang,
        };
        let model = self.catalog.get();
        Ok(Response::new(demand::forecast(&self.ctx, &model.taxonomy, params).await.map_err(ApiError::from)?))
    }
}

/// A skill id the taxonomy knows.
fn known_skill(t: &Taxonomy, field: &str, id: &str) -> Result<String, FieldViolation> {
    let id = identifier(field, id)?;
    match t.skill(&id) {
        Some(ix) => Ok(t.get(ix).id.clone()),
        None => Err(FieldViolation::new(field, format!("unknown skill {id:?}: use SearchSkills to find ids"))),
    }
}
