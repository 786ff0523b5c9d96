//! gRPC surface of analytics: authorize → parse → domain function → response.

use std::{collections::BTreeMap, time::Duration};

use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    auth::Role,
    cpu,
    error::{identifier, required_text},
    groups::{self, MIN_GROUP_SIZE, Release},
    locale::Locale,
    service::ServiceContext,
    time,
};
use hrmesh_proto::{
    analytics::v1::{self as pb, analytics_service_server::AnalyticsService},
    governance::v1::RecordDecisionRequest,
};
use sha2::{Digest, Sha256};
use tonic::{Request, Response, Status};

use crate::{
    attrition::{PURPOSE, table::RawTable},
    features, funnel, kpis,
    models::{self, Source, TrainInput},
    planning, remote, risk,
    scope::{self, Scope},
    spans::{self, Month},
};

/// Longest a scoring request may take.
const SCORE_DEADLINE: Duration = Duration::from_secs(120);
/// The model id the decision log names (the stored model's id is its version).
const MODEL_ID: &str = "analytics.attrition_risk";

pub struct Api {
    ctx: ServiceContext,
}

impl Api {
    pub fn new(ctx: ServiceContext) -> Self {
        Self { ctx }
    }
}

fn rpc(name: &str) -> String {
    format!("hrmesh.analytics.v1.AnalyticsService/{name}")
}

fn invalid(field: &str, description: impl Into<String>) -> Status {
    ApiError::InvalidArgument(vec![FieldViolation::new(field, description)]).into()
}

/// A KPI request's org unit and months.
fn kpi_months(from: &str, to: &str) -> Result<(Month, Month), Status> {
    let mut v = Violations::default();
    let to = if to.is_empty() { Some(Month::of(time::today())) } else { v.check(Month::parse("to_month", to)) };
    let from = match (from.is_empty(), to) {
        (true, Some(to)) => Some(to.plus(-11)),
        (true, None) => None,
        (false, _) => v.check(Month::parse("from_month", from)),
    };
    v.finish()?;
    let (Some(from), Some(to)) = (from, to) else { return Err(invalid("to_month", "must be a month")) };
    if from > to || from.until(to) >= 60 {
        return Err(invalid("from_month", "must be at most 60 months before to_month, and not after it"));
    }
    Ok((from, to))
}

impl Api {
    async fn kpi_report<T>(
        &self,
        request: &Request<T>,
        name: &str,
        (org_unit_id, from, to): (&str, &str, &str),
    ) -> Result<(pb::KpiReport, Scope), Status> {
        let rpc = rpc(name);
        let caller = self.ctx.authorize(request, &[Role::HrAdmin, Role::Manager], &rpc).await?;
        let (from, to) = kpi_months(from, to)?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let directory = features::directory_rows(&mut conn).await.map_err(ApiError::from)?;
        let scope = scope::resolve(&self.ctx, request, &caller, org_unit_id, &directory, &rpc).await?;
        let history = features::directory_history(&mut conn).await.map_err(ApiError::from)?;
        let today = time::today();
        let directory = spans::directory_spans(&history, scope.units());
        let (contracts, spells) = match scope {
            Scope::Company => {
                let contracts = features::contract_versions(&mut conn).await.map_err(ApiError::from)?;
                let spells = features::sick_spells(&mut conn).await.map_err(ApiError::from)?;
                (Some(spans::contract_spans(&contracts, today)), Some(spells))
            }
            Scope::Unit { .. } => (None, None),
        };
        drop(conn);
        let data = kpis::KpiData {
            scope: scope.query(),
            sources: spans::Sources { directory: &directory, contracts: contracts.as_deref() },
            spells: spells.as_deref(),
        };
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let mut report = kpis::report(&mut tx, &data, from, to, today).await.map_err(ApiError::from)?;
        tx.commit().await.map_err(ApiError::from)?;
        report.org_unit_id = scope.unit_id().to_owned();
        Ok((report, scope))
    }
}

#[tonic::async_trait]
impl AnalyticsService for Api {
    async fn get_application_counts(
        &self,
        request: Request<pb::GetApplicationCountsRequest>,
    ) -> Result<Response<pb::GetApplicationCountsResponse>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin, Role::Manager], &rpc("GetApplicationCounts")).await?;
        let job = &request.get_ref().job_id;
        let job = if job.is_empty() {
            None
        } else {
            Some(identifier("job_id", job).map_err(|v| ApiError::InvalidArgument(vec![v]))?)
        };
        // Releases are recorded by the guard: one transaction per answer.
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let counts = funnel::counts(&mut tx, job.as_deref()).await.map_err(ApiError::from)?;
        tx.commit().await.map_err(ApiError::from)?;
        Ok(Response::new(counts))
    }

    async fn train_attrition_model(
        &self,
        request: Request<pb::TrainAttritionModelRequest>,
    ) -> Result<Response<pb::TrainAttritionModelResponse>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("TrainAttritionModel")).await?;
        let req = request.into_inner();
        let now = time::now_ms();
        let (source, input, opts) = match (req.from_feature_store, req.csv.trim().is_empty()) {
            (true, true) => {
                let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
                let directory = features::directory_rows(&mut conn).await.map_err(ApiError::from)?;
                let (header, rows) = models::fs_table(&directory, now);
                let opts = models::options(models::FS_TARGET, &[], &[], now);
                (Source::FeatureStore, TrainInput::Rows(header, rows), opts)
            }
            (false, false) => {
                let target =
                    required_text("target", &req.target, 200).map_err(|v| ApiError::InvalidArgument(vec![v]))?;
                let opts = models::options(&target, &req.group_columns, &req.exclude_columns, now);
                (Source::Import, TrainInput::Csv(req.csv), opts)
            }
            (true, false) => return Err(invalid("csv", "give a CSV or from_feature_store, not both")),
            (false, true) => return Err(invalid("csv", "give the CSV of an HR export, or set from_feature_store")),
        };
        let (model, baseline) = models::train(input, opts).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let model_id = models::save(&mut conn, source, &model, &baseline).await?;
        let stored = models::Stored { model_id: model_id.clone(), source: source.as_str().to_owned(), model, baseline };
        tracing::info!(%model_id, source = source.as_str(), algorithm = stored.model.algorithm().name(), "attrition model trained");
        Ok(Response::new(pb::TrainAttritionModelResponse { model_id, card: Some(models::card(&stored)?) }))
    }

    async fn score_attrition(
        &self,
        request: Request<pb::ScoreAttritionRequest>,
    ) -> Result<Response<pb::ScoreAttritionResponse>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("ScoreAttrition")).await?;
        let req = request.into_inner();
        if req.csv.trim().is_empty() {
            return Err(invalid("csv", "must hold a header row and at least one row"));
        }
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let stored = models::load(&mut conn, &req.model_id, Some(Source::Import)).await?;
        drop(conn);
        let (model_id, version) = (stored.model_id.clone(), stored.model.card().version.clone());
        let scores = cpu::run("attrition scoring", SCORE_DEADLINE, move || {
            let raw = RawTable::from_csv(&req.csv)
                .map_err(|e| ApiError::InvalidArgument(vec![FieldViolation::new("csv", e.to_string())]))?;
            if raw.rows.len() > models::MAX_ROWS {
                return Err(ApiError::InvalidArgument(vec![FieldViolation::new(
                    "csv",
                    format!("at most {} rows", models::MAX_ROWS),
                )]));
            }
            models::score(&stored.model, &raw)
        })
        .await??;
        let scores = scores
            .into_iter()
            .enumerate()
            .map(|(i, s)| pb::AttritionScore {
                row: u32::try_from(i + 1).unwrap_or(u32::MAX),
                probability: s.probability,
                log_odds: s.log_odds,
                base: s.base,
                contributions: s
                    .contributions
                    .into_iter()
                    .map(|c| pb::Contribution { feature: c.feature, value: c.value, contribution: c.contribution })
                    .collect(),
            })
            .collect();
        Ok(Response::new(pb::ScoreAttritionResponse { model_id, model_version: version, scores }))
    }

    async fn get_model_card(
        &self,
        request: Request<pb::GetModelCardRequest>,
    ) -> Result<Response<pb::ModelCard>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin, Role::Dpo], &rpc("GetModelCard")).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let stored = models::load(&mut conn, &request.get_ref().model_id, None).await?;
        Ok(Response::new(models::card(&stored)?))
    }

    async fn get_individual_risk(
        &self,
        request: Request<pb::GetIndividualRiskRequest>,
    ) -> Result<Response<pb::IndividualRisk>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("GetIndividualRisk")).await?;
        let req = request.into_inner();
        let mut v = Violations::default();
        let employee = v.check(identifier("employee_id", &req.employee_id));
        let language = v.check(Locale::of_field("language", &req.language));
        if req.row.is_empty() || req.row.len() > models::MAX_COLUMNS {
            v.add(
                "row",
                format!("must hold the employee's values by column name (1 to {} columns)", models::MAX_COLUMNS),
            );
        }
        v.finish()?;
        let (Some(employee), Some(language)) = (employee, language) else {
            return Err(invalid("employee_id", "invalid"));
        };
        self.ctx.consent.require(&employee, PURPOSE).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let stored = models::load(&mut conn, &req.model_id, Some(Source::Import)).await?;
        drop(conn);
        let row: BTreeMap<String, String> = req.row.into_iter().collect();
        let header: Vec<String> = row.keys().cloned().collect();
        let raw = RawTable::from_rows(&header, &[row.values().cloned().collect()])
            .map_err(|e| ApiError::InvalidArgument(vec![FieldViolation::new("row", e.to_string())]))?;
        let score = models::score(&stored.model, &raw)?
            .pop()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a scored row vanished")))?;
        let mut out = risk::recommend(&score, language);
        // The output is logged before it is shown: an estimate governance has no record of is never given.
        let input = serde_json::json!({ "model_id": stored.model_id, "row": row }).to_string();
        let decision = remote::record_decision(
            &self.ctx,
            RecordDecisionRequest {
                subject: employee,
                purpose: PURPOSE.into(),
                model_id: MODEL_ID.into(),
                model_version: stored.model_id.clone(),
                input_hash: hex::encode(Sha256::digest(input.as_bytes())),
                output: format!(
                    "attrition risk {:.3} ({}): a recommendation to HR with conversation topics; no automated action",
                    score.probability, out.band
                ),
                explanation: risk::explanation(&score),
                ..Default::default()
            },
        )
        .await?;
        out.decision_id = decision.decision_id;
        out.model_id = stored.model_id;
        out.model_version = stored.model.card().version.clone();
        Ok(Response::new(out))
    }

    async fn get_team_risk(&self, request: Request<pb::GetTeamRiskRequest>) -> Result<Response<pb::TeamRisk>, Status> {
        let rpc = rpc("GetTeamRisk");
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin, Role::Manager], &rpc).await?;
        let unit = identifier("org_unit_id", &request.get_ref().org_unit_id)
            .map_err(|v| ApiError::InvalidArgument(vec![v]))?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let directory = features::directory_rows(&mut conn).await.map_err(ApiError::from)?;
        let scope = scope::resolve(&self.ctx, &request, &caller, &unit, &directory, &rpc).await?;
        let team: Vec<&features::DirectoryRow> = directory.iter().filter(|r| scope.holds(r)).collect();
        let mut out = pb::TeamRisk { org_unit_id: unit, ..Default::default() };
        if team.len() < MIN_GROUP_SIZE {
            out.withheld = Release::TooSmall { size: team.len() }.reason().unwrap_or_default();
            return Ok(Response::new(out));
        }
        let stored = models::load(&mut conn, "", Some(Source::FeatureStore)).await?;
        drop(conn);
        let members: BTreeMap<String, i64> =
            team.iter().map(|r| (r.subject_pseudonym.clone(), r.active_from.unwrap_or(r.first_seen_at))).collect();
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let release =
            groups::release(&mut tx, "analytics.team_risk", &scope.query(), &members).await.map_err(ApiError::from)?;
        tx.commit().await.map_err(ApiError::from)?;
        if let Some(reason) = release.reason() {
            out.withheld = reason;
            return Ok(Response::new(out));
        }
        let now = time::now_ms();
        let header: Vec<String> = models::FS_COLUMNS.iter().map(|&c| c.to_owned()).collect();
        let rows: Vec<Vec<String>> = team.iter().filter_map(|r| models::fs_row(r, now)).collect();
        let raw = RawTable::from_rows(&header, &rows).map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
        let scores = models::score(&stored.model, &raw)?;
        let (mean, high, drivers) = risk::team(&scores);
        out.n = u32::try_from(scores.len()).unwrap_or(u32::MAX);
        out.mean_probability = mean;
        out.share_high = high;
        out.drivers = drivers;
        out.model_id = stored.model_id;
        Ok(Response::new(out))
    }

    async fn forecast_headcount(
        &self,
        request: Request<pb::ForecastHeadcountRequest>,
    ) -> Result<Response<pb::HeadcountForecast>, Status> {
        let rpc = rpc("ForecastHeadcount");
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin, Role::Manager], &rpc).await?;
        let plan = planning::parse(request.get_ref())?;
        let (history, attrition, org_unit_id) = if plan.history.is_empty() {
            let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
            let directory = features::directory_rows(&mut conn).await.map_err(ApiError::from)?;
            let scope =
                scope::resolve(&self.ctx, &request, &caller, &request.get_ref().org_unit_id, &directory, &rpc).await?;
            let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
            let observed = planning::observed(&mut tx, &scope).await?;
            tx.commit().await.map_err(ApiError::from)?;
            match observed {
                Err(withheld) => {
                    let out = pb::HeadcountForecast {
                        org_unit_id: scope.unit_id().to_owned(),
                        withheld,
                        ..Default::default()
                    };
                    return Ok(Response::new(out));
                }
                Ok((history, attrition)) => (history, attrition, scope.unit_id().to_owned()),
            }
        } else {
            (plan.history.clone(), None, request.get_ref().org_unit_id.clone())
        };
        let mut out = planning::forecast(&plan, &history, attrition)?;
        out.org_unit_id = org_unit_id;
        Ok(Response::new(out))
    }

    async fn get_kpis(&self, request: Request<pb::GetKpisRequest>) -> Result<Response<pb::KpiReport>, Status> {
        let r = request.get_ref();
        let (report, _) = self.kpi_report(&request, "GetKpis", (&r.org_unit_id, &r.from_month, &r.to_month)).await?;
        Ok(Response::new(report))
    }

    async fn export_kpis(&self, request: Request<pb::ExportKpisRequest>) -> Result<Response<pb::KpiExport>, Status> {
        let r = request.get_ref();
        let (report, scope) =
            self.kpi_report(&request, "ExportKpis", (&r.org_unit_id, &r.from_month, &r.to_month)).await?;
        let csv = kpis::csv(&report, &scope.query()).map_err(|e| ApiError::Internal(e.into()))?;
        Ok(Response::new(pb::KpiExport { content_type: "text/csv".into(), csv }))
    }
}
