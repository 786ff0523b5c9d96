//! gRPC surface of the people service: authorize → parse → domain function → response.

use std::collections::BTreeMap;

use hrmesh_kit::{
    ApiError, FieldViolation,
    auth::{Principal, Role},
    error::identifier,
    service::ServiceContext,
    time,
};
use hrmesh_proto::people::v1::{
    self as pb,
    people_service_server::{PeopleService, SERVICE_NAME},
};
use tonic::{Request, Response, Status};

use crate::{absence, address::PostalAddress, contracts, documents, employees, hires, import, leave, org, payroll};

/// Largest page of a list.
const MAX_PAGE: u32 = 500;

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

const HR: &[Role] = &[Role::HrAdmin, Role::Service];
const ANYONE_IN_LINE: &[Role] = &[Role::HrAdmin, Role::Service, Role::Manager, Role::Employee];

/// The people service's gRPC handlers.
pub struct Api {
    ctx: ServiceContext,
    signing: ed25519_dalek::SigningKey,
}

impl Api {
    /// Handlers over `ctx`, signing documents with `signing`.
    pub fn new(ctx: ServiceContext, signing: ed25519_dalek::SigningKey) -> Self {
        Self { ctx, signing }
    }

    /// The language asked for in `field`, or the employee's own.
    async fn language(
        &self,
        field: &str,
        value: &str,
        employee_id: &str,
    ) -> Result<hrmesh_kit::locale::Locale, Status> {
        match hrmesh_kit::locale::Locale::optional(field, value).map_err(invalid)? {
            Some(locale) => Ok(locale),
            None => self.locale_of(employee_id).await,
        }
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

    async fn locale_of(&self, employee_id: &str) -> Result<hrmesh_kit::locale::Locale, Status> {
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(employees::placement(&mut conn, employee_id).await?.locale())
    }
}

#[tonic::async_trait]
impl PeopleService for Api {
    async fn upsert_employee(
        &self,
        request: Request<pb::UpsertEmployeeRequest>,
    ) -> Result<Response<pb::Employee>, Status> {
        let caller = self.ctx.authorize(&request, HR, &rpc("UpsertEmployee")).await?;
        let new = employees::NewEmployee::parse(request.get_ref())?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let managers = employees::managers(&mut tx).await.map_err(ApiError::from)?;
        let units = org::parents(&mut tx).await.map_err(ApiError::from)?.into_keys().collect();
        let problems = employees::check_references(&new, &managers, &units);
        if !problems.is_empty() {
            return Err(ApiError::InvalidArgument(problems).into());
        }
        if let Some(application) = &new.application_id {
            hires::complete(&mut tx, application, &new.employee_id).await?;
        }
        let outcome = employees::upsert(&self.ctx, &mut tx, &new, &caller.subject).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        if outcome != employees::Outcome::Unchanged {
            self.ctx.directory.invalidate().await;
        }
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let employee = employees::get(&self.ctx.vault, &mut conn, &new.employee_id).await?;
        employee.map(Response::new).ok_or_else(|| Status::internal("employee vanished after upsert"))
    }

    async fn get_employee(&self, request: Request<pb::GetEmployeeRequest>) -> Result<Response<pb::Employee>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        self.caller_for(&request, ANYONE_IN_LINE, "GetEmployee", &employee_id).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        match employees::get(&self.ctx.vault, &mut conn, &employee_id).await? {
            Some(e) => Ok(Response::new(e)),
            None => Err(ApiError::NotFound(format!("no employee {employee_id}")).into()),
        }
    }

    async fn list_employees(
        &self,
        request: Request<pb::ListEmployeesRequest>,
    ) -> Result<Response<pb::ListEmployeesResponse>, Status> {
        let caller = self
            .ctx
            .authorize(&request, &[Role::HrAdmin, Role::Manager, Role::Employee, Role::Service], &rpc("ListEmployees"))
            .await?;
        let req = request.into_inner();
        let size = match req.page_size {
            0 => 100,
            n if n <= MAX_PAGE => n,
            _ => return Err(invalid(FieldViolation::new("page_size", format!("must be 1 to {MAX_PAGE}")))),
        };
        if !req.page_token.is_empty() {
            id("page_token", &req.page_token)?;
        }
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let mut visible = if caller.has(Role::HrAdmin) || caller.has(Role::Service) {
            None
        } else {
            let mut line = if caller.has(Role::Manager) {
                self.ctx.directory.reports(&caller.subject).await?
            } else {
                Default::default()
            };
            line.insert(caller.subject.clone());
            Some(line)
        };
        if !req.org_unit_id.is_empty() {
            let unit = id("org_unit_id", &req.org_unit_id)?;
            let units = org::subtree(&org::parents(&mut conn).await.map_err(ApiError::from)?, &unit);
            let rows: Vec<(String, Option<String>)> = sqlx::query_as("SELECT employee_id, org_unit_id FROM employees")
                .fetch_all(&mut *conn)
                .await
                .map_err(ApiError::from)?;
            let in_units =
                rows.into_iter().filter(|(_, u)| u.as_ref().is_some_and(|u| units.contains(u))).map(|(e, _)| e);
            let in_units: std::collections::BTreeSet<String> = in_units.collect();
            visible = Some(match visible {
                Some(v) => v.intersection(&in_units).cloned().collect(),
                None => in_units,
            });
        }
        let size = size as usize;
        let mut employees =
            employees::list(&self.ctx.vault, &mut conn, visible.as_ref(), &req.page_token, size + 1).await?;
        let next_page_token = if employees.len() > size {
            employees.truncate(size);
            employees.last().map(|e| e.employee_id.clone()).unwrap_or_default()
        } else {
            String::new()
        };
        Ok(Response::new(pb::ListEmployeesResponse { employees, next_page_token }))
    }

    async fn upsert_org_unit(
        &self,
        request: Request<pb::UpsertOrgUnitRequest>,
    ) -> Result<Response<pb::OrgUnit>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("UpsertOrgUnit")).await?;
        let unit = org::NewOrgUnit::parse(request.get_ref())?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        let parents = org::parents(&mut tx).await.map_err(ApiError::from)?;
        if let Some(problem) = org::placement_problem(&unit, &parents) {
            return Err(invalid(FieldViolation::new("parent_id", problem)));
        }
        org::upsert(&mut tx, &unit).await.map_err(ApiError::from)?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(pb::OrgUnit {
            org_unit_id: unit.id,
            name: unit.name,
            parent_id: unit.parent.unwrap_or_default(),
        }))
    }

    async fn list_org_units(
        &self,
        request: Request<pb::ListOrgUnitsRequest>,
    ) -> Result<Response<pb::ListOrgUnitsResponse>, Status> {
        self.ctx.authorize(&request, ANYONE_IN_LINE, &rpc("ListOrgUnits")).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(Response::new(pb::ListOrgUnitsResponse { org_units: org::list(&mut conn).await.map_err(ApiError::from)? }))
    }

    async fn set_contract(&self, request: Request<pb::SetContractRequest>) -> Result<Response<pb::Contract>, Status> {
        self.ctx.authorize(&request, HR, &rpc("SetContract")).await?;
        let employee_id = contracts::employee_id(request.get_ref())?;
        let contract = contracts::Contract::parse(request.get_ref())?;
        let mut tx = self.ctx.db.begin().await.map_err(ApiError::from)?;
        employees::placement(&mut tx, &employee_id).await?;
        contracts::record(&self.ctx, &mut tx, &employee_id, &contract).await?;
        self.ctx.commit(tx).await.map_err(ApiError::from)?;
        Ok(Response::new(contract.to_proto(&employee_id)))
    }

    async fn list_contracts(
        &self,
        request: Request<pb::ListContractsRequest>,
    ) -> Result<Response<pb::ListContractsResponse>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        self.caller_for(&request, ANYONE_IN_LINE, "ListContracts", &employee_id).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        employees::placement(&mut conn, &employee_id).await?;
        let contracts = contracts::history(&mut conn, &employee_id).await?;
        Ok(Response::new(pb::ListContractsResponse {
            contracts: contracts.iter().map(|c| c.to_proto(&employee_id)).collect(),
        }))
    }

    async fn import_employees(
        &self,
        request: Request<pb::ImportEmployeesRequest>,
    ) -> Result<Response<pb::ImportReport>, Status> {
        let caller = self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("ImportEmployees")).await?;
        let req = request.into_inner();
        let mapping: BTreeMap<String, String> = req.column_mapping.into_iter().collect();
        let rows = import::read(&req.content, &req.format, &mapping)?;
        Ok(Response::new(import::run(&self.ctx, rows, req.dry_run, &caller.subject).await?))
    }

    async fn list_pending_hires(
        &self,
        request: Request<pb::ListPendingHiresRequest>,
    ) -> Result<Response<pb::ListPendingHiresResponse>, Status> {
        self.ctx.authorize(&request, &[Role::HrAdmin], &rpc("ListPendingHires")).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(Response::new(pb::ListPendingHiresResponse { hires: hires::list(&mut conn).await? }))
    }

    async fn get_reports(
        &self,
        request: Request<pb::GetReportsRequest>,
    ) -> Result<Response<pb::GetReportsResponse>, Status> {
        let manager = id("manager_id", &request.get_ref().manager_id)?;
        let rpc = rpc("GetReports");
        let caller = self.ctx.authorize(&request, &[Role::Service, Role::HrAdmin, Role::Manager], &rpc).await?;
        if !(caller.has(Role::Service) || caller.has(Role::HrAdmin) || caller.subject == manager) {
            self.ctx.require_line(&caller, &manager, &rpc).await?;
        }
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let managers = employees::managers(&mut conn).await.map_err(ApiError::from)?;
        let employee_ids = employees::line_of(&managers, &manager).into_iter().collect();
        Ok(Response::new(pb::GetReportsResponse { employee_ids }))
    }

    async fn get_leave_balance(
        &self,
        request: Request<pb::GetLeaveBalanceRequest>,
    ) -> Result<Response<pb::LeaveBalance>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        self.caller_for(&request, ANYONE_IN_LINE, "GetLeaveBalance", &employee_id).await?;
        let today = time::today();
        let year = match request.get_ref().year {
            0 => today.year(),
            y @ 2000..=2099 => y,
            _ => return Err(invalid(FieldViolation::new("year", "must be 2000 to 2099 (or 0 for this year)"))),
        };
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let (_, balance) = leave::balance(&mut conn, &employee_id, year, today).await?;
        let locale = self.language("language", &request.get_ref().language, &employee_id).await?;
        Ok(Response::new(leave::to_proto(&employee_id, year, &balance, locale)))
    }

    async fn request_leave(
        &self,
        request: Request<pb::RequestLeaveRequest>,
    ) -> Result<Response<pb::LeaveRequest>, Status> {
        let new = leave::NewLeave::parse(request.get_ref())?;
        let rpc = rpc("RequestLeave");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin, Role::Service], &rpc).await?;
        // A manager does not file leave for their reports; the person or HR does.
        caller.acting_for(&new.employee_id, &[Role::HrAdmin, Role::Service])?;
        Ok(Response::new(leave::request(&self.ctx, new, &caller.subject).await?))
    }

    async fn decide_leave(
        &self,
        request: Request<pb::DecideLeaveRequest>,
    ) -> Result<Response<pb::LeaveRequest>, Status> {
        let request_id = id("request_id", &request.get_ref().request_id)?;
        let rpc = rpc("DecideLeave");
        let caller = self.ctx.authorize(&request, &[Role::Manager, Role::HrAdmin], &rpc).await?;
        let employee = leave::owner(&self.ctx, &request_id).await?;
        self.ctx.require_line(&caller, &employee, &rpc).await?;
        let req = request.get_ref();
        Ok(Response::new(leave::decide(&self.ctx, &request_id, req.approve, &req.reason, &caller.subject).await?))
    }

    async fn cancel_leave(
        &self,
        request: Request<pb::CancelLeaveRequest>,
    ) -> Result<Response<pb::LeaveRequest>, Status> {
        let request_id = id("request_id", &request.get_ref().request_id)?;
        let rpc = rpc("CancelLeave");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin], &rpc).await?;
        let employee = leave::owner(&self.ctx, &request_id).await?;
        self.ctx.acting_for(&caller, &employee, &[Role::HrAdmin], &rpc).await?;
        Ok(Response::new(leave::cancel(&self.ctx, &request_id).await?))
    }

    async fn list_leave(
        &self,
        request: Request<pb::ListLeaveRequest>,
    ) -> Result<Response<pb::ListLeaveResponse>, Status> {
        let req = request.get_ref();
        let today = time::today();
        let from = time::parse_optional_date("from", &req.from).map_err(invalid)?.unwrap_or(today);
        let to = time::parse_optional_date("to", &req.to)
            .map_err(invalid)?
            .unwrap_or(from.saturating_add(::time::Duration::days(92)));
        if to < from || (to - from).whole_days() > 366 {
            return Err(invalid(FieldViolation::new("to", "must be on or after from, at most a year later")));
        }
        let people: Vec<String> = if req.employee_id.is_empty() {
            let caller = self.ctx.authorize(&request, &[Role::Manager, Role::HrAdmin], &rpc("ListLeave")).await?;
            if caller.has(Role::HrAdmin) && !caller.has(Role::Manager) {
                let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
                employees::managers(&mut conn).await.map_err(ApiError::from)?.into_keys().collect()
            } else {
                self.ctx.directory.reports(&caller.subject).await?.into_iter().collect()
            }
        } else {
            let employee_id = id("employee_id", &req.employee_id)?;
            self.caller_for(&request, ANYONE_IN_LINE, "ListLeave", &employee_id).await?;
            vec![employee_id]
        };
        Ok(Response::new(pb::ListLeaveResponse { requests: leave::calendar_of(&self.ctx, &people, from, to).await? }))
    }

    async fn report_sick(&self, request: Request<pb::ReportSickRequest>) -> Result<Response<pb::SickSpell>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        let first_day = time::parse_optional_date("first_day", &request.get_ref().first_day).map_err(invalid)?;
        let caller = self.caller_for(&request, ANYONE_IN_LINE, "ReportSick", &employee_id).await?;
        let first_day = first_day.unwrap_or_else(time::today);
        let locale = self.locale_of(&employee_id).await?;
        Ok(Response::new(absence::report_sick(&self.ctx, &employee_id, first_day, &caller.subject, locale).await?))
    }

    async fn report_recovery(
        &self,
        request: Request<pb::ReportRecoveryRequest>,
    ) -> Result<Response<pb::SickSpell>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        let back = time::parse_optional_date("recovered_on", &request.get_ref().recovered_on).map_err(invalid)?;
        self.caller_for(&request, ANYONE_IN_LINE, "ReportRecovery", &employee_id).await?;
        let locale = self.locale_of(&employee_id).await?;
        let back = back.unwrap_or_else(time::today);
        Ok(Response::new(absence::report_recovery(&self.ctx, &employee_id, back, locale).await?))
    }

    async fn list_sickness(
        &self,
        request: Request<pb::ListSicknessRequest>,
    ) -> Result<Response<pb::ListSicknessResponse>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        self.caller_for(&request, ANYONE_IN_LINE, "ListSickness", &employee_id).await?;
        let locale = self.locale_of(&employee_id).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        Ok(Response::new(pb::ListSicknessResponse { spells: absence::list(&mut conn, &employee_id, locale).await? }))
    }

    async fn change_address(
        &self,
        request: Request<pb::ChangeAddressRequest>,
    ) -> Result<Response<pb::Employee>, Status> {
        let req = request.get_ref();
        let employee_id = id("employee_id", &req.employee_id)?;
        let address = match &req.address {
            Some(a) if !PostalAddress::is_blank(a) => PostalAddress::parse("address", a).map_err(invalid)?,
            _ => return Err(invalid(FieldViolation::new("address", "must be given"))),
        };
        let from = time::parse_optional_date("effective_from", &req.effective_from).map_err(invalid)?;
        let rpc = rpc("ChangeAddress");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin], &rpc).await?;
        self.ctx.acting_for(&caller, &employee_id, &[Role::HrAdmin], &rpc).await?;
        employees::change_address(&self.ctx, &employee_id, &address, from.unwrap_or_else(time::today), &caller.subject)
            .await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let employee = employees::get(&self.ctx.vault, &mut conn, &employee_id).await?;
        employee.map(Response::new).ok_or_else(|| ApiError::NotFound(format!("no employee {employee_id}")).into())
    }

    async fn import_payslips(
        &self,
        request: Request<pb::ImportPayslipsRequest>,
    ) -> Result<Response<pb::ImportPayslipsReport>, Status> {
        self.ctx.authorize(&request, HR, &rpc("ImportPayslips")).await?;
        let req = request.get_ref();
        Ok(Response::new(payroll::import(&self.ctx, &req.content, req.dry_run).await?))
    }

    async fn list_payslips(
        &self,
        request: Request<pb::ListPayslipsRequest>,
    ) -> Result<Response<pb::ListPayslipsResponse>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        let rpc = rpc("ListPayslips");
        // Pay is private: the person and HR, not the line.
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin], &rpc).await?;
        self.ctx.acting_for(&caller, &employee_id, &[Role::HrAdmin], &rpc).await?;
        Ok(Response::new(pb::ListPayslipsResponse { payslips: payroll::list(&self.ctx, &employee_id).await? }))
    }

    async fn explain_payslip(
        &self,
        request: Request<pb::ExplainPayslipRequest>,
    ) -> Result<Response<pb::PayslipExplanation>, Status> {
        let req = request.get_ref();
        let employee_id = id("employee_id", &req.employee_id)?;
        let period = payroll::parse_period("period", &req.period).map_err(invalid)?;
        let rpc = rpc("ExplainPayslip");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin, Role::Service], &rpc).await?;
        self.ctx.acting_for(&caller, &employee_id, &[Role::HrAdmin, Role::Service], &rpc).await?;
        let locale = self.language("language", &req.language, &employee_id).await?;
        Ok(Response::new(payroll::explain(&self.ctx, &employee_id, period, locale).await?))
    }

    async fn issue_certificate(
        &self,
        request: Request<pb::IssueCertificateRequest>,
    ) -> Result<Response<pb::Document>, Status> {
        let req = request.get_ref();
        let employee_id = id("employee_id", &req.employee_id)?;
        let rpc = rpc("IssueCertificate");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin, Role::Service], &rpc).await?;
        self.ctx.acting_for(&caller, &employee_id, &[Role::HrAdmin, Role::Service], &rpc).await?;
        let locale = self.language("language", &req.language, &employee_id).await?;
        Ok(Response::new(documents::issue_certificate(&self.ctx, &self.signing, &employee_id, locale).await?))
    }

    async fn list_documents(
        &self,
        request: Request<pb::ListDocumentsRequest>,
    ) -> Result<Response<pb::ListDocumentsResponse>, Status> {
        let employee_id = id("employee_id", &request.get_ref().employee_id)?;
        let rpc = rpc("ListDocuments");
        let caller = self.ctx.authorize(&request, &[Role::Employee, Role::HrAdmin, Role::Service], &rpc).await?;
        self.ctx.acting_for(&caller, &employee_id, &[Role::HrAdmin, Role::Service], &rpc).await?;
        Ok(Response::new(pb::ListDocumentsResponse { documents: documents::list(&self.ctx, &employee_id).await? }))
    }
}

/// The public document verification service: registered without authentication (see the proto).
pub struct Verifier {
    ctx: ServiceContext,
    key: ed25519_dalek::VerifyingKey,
}

impl Verifier {
    pub fn new(ctx: ServiceContext, key: ed25519_dalek::VerifyingKey) -> Self {
        Self { ctx, key }
    }
}

#[tonic::async_trait]
impl pb::document_verification_service_server::DocumentVerificationService for Verifier {
    async fn verify_document(
        &self,
        request: Request<pb::VerifyDocumentRequest>,
    ) -> Result<Response<pb::VerifyDocumentResponse>, Status> {
        let req = request.get_ref();
        let pdf = (!req.pdf.is_empty()).then_some(req.pdf.as_slice());
        Ok(Response::new(documents::verify(&self.ctx, &self.key, &req.verification_code, pdf).await?))
    }
}
