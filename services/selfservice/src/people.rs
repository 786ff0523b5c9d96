//! Calls to the people service with the employee's own authority: the bearer token of the
//! employee's request is forwarded, never the assistant's service token, so the people service
//! authorizes and audits every read and action as the employee's own.

use std::time::Duration;

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::people::v1::{self as pb, people_service_client::PeopleServiceClient};
use tonic::{Request, Status, metadata::MetadataValue, transport::Channel};

/// How long one call to the people service may take.
const DEADLINE: Duration = Duration::from_secs(5);

/// The people service, called as the employee.
#[derive(Clone)]
pub struct People {
    client: PeopleServiceClient<Channel>,
    authorization: MetadataValue<tonic::metadata::Ascii>,
}

impl std::fmt::Debug for People {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("People(<employee token>)")
    }
}

impl People {
    /// A client that forwards the `authorization` metadata of `request` (the employee's token).
    pub fn as_caller<T>(ctx: &ServiceContext, request: &Request<T>) -> Result<People, ApiError> {
        let authorization = request
            .metadata()
            .get("authorization")
            .cloned()
            .ok_or_else(|| ApiError::Unauthenticated("missing credentials".into()))?;
        let channel = ctx.peers.channel_to("people")?;
        Ok(People { client: PeopleServiceClient::new(channel), authorization })
    }

    fn request<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        request.metadata_mut().insert("authorization", self.authorization.clone());
        let traceparent = hrmesh_kit::telemetry::current_traceparent();
        if let Ok(value) = MetadataValue::try_from(traceparent.as_str())
            && !traceparent.is_empty()
        {
            request.metadata_mut().insert("traceparent", value);
        }
        request.set_timeout(DEADLINE);
        request
    }

    pub async fn employee(&self, employee_id: &str) -> Result<pb::Employee, Status> {
        let req = pb::GetEmployeeRequest { employee_id: employee_id.into() };
        Ok(self.client.clone().get_employee(self.request(req)).await?.into_inner())
    }

    pub async fn balance(&self, employee_id: &str, year: i32) -> Result<pb::LeaveBalance, Status> {
        let req = pb::GetLeaveBalanceRequest { employee_id: employee_id.into(), year, language: String::new() };
        Ok(self.client.clone().get_leave_balance(self.request(req)).await?.into_inner())
    }

    pub async fn request_leave(&self, req: pb::RequestLeaveRequest) -> Result<pb::LeaveRequest, Status> {
        Ok(self.client.clone().request_leave(self.request(req)).await?.into_inner())
    }

    pub async fn cancel_leave(&self, request_id: &str) -> Result<pb::LeaveRequest, Status> {
        let req = pb::CancelLeaveRequest { request_id: request_id.into() };
        Ok(self.client.clone().cancel_leave(self.request(req)).await?.into_inner())
    }

    pub async fn list_leave(&self, employee_id: &str, from: &str, to: &str) -> Result<Vec<pb::LeaveRequest>, Status> {
        let req = pb::ListLeaveRequest { employee_id: employee_id.into(), from: from.into(), to: to.into() };
        Ok(self.client.clone().list_leave(self.request(req)).await?.into_inner().requests)
    }

    pub async fn report_sick(&self, employee_id: &str, first_day: &str) -> Result<pb::SickSpell, Status> {
        let req = pb::ReportSickRequest { employee_id: employee_id.into(), first_day: first_day.into() };
        Ok(self.client.clone().report_sick(self.request(req)).await?.into_inner())
    }

    pub async fn report_recovery(&self, employee_id: &str, recovered_on: &str) -> Result<pb::SickSpell, Status> {
        let req = pb::ReportRecoveryRequest { employee_id: employee_id.into(), recovered_on: recovered_on.into() };
        Ok(self.client.clone().report_recovery(self.request(req)).await?.into_inner())
    }

    pub async fn payslips(&self, employee_id: &str) -> Result<Vec<pb::PayslipSummary>, Status> {
        let req = pb::ListPayslipsRequest { employee_id: employee_id.into() };
        Ok(self.client.clone().list_payslips(self.request(req)).await?.into_inner().payslips)
    }

    pub async fn explain_payslip(
        &self,
        employee_id: &str,
        period: &str,
        language: &str,
    ) -> Result<pb::PayslipExplanation, Status> {
        let req = pb::ExplainPayslipRequest {
            employee_id: employee_id.into(),
            period: period.into(),
            language: language.into(),
        };
        Ok(self.client.clone().explain_payslip(self.request(req)).await?.into_inner())
    }

    pub async fn change_address(&self, req: pb::ChangeAddressRequest) -> Result<pb::Employee, Status> {
        Ok(self.client.clone().change_address(self.request(req)).await?.into_inner())
    }

    pub async fn documents(&self, employee_id: &str) -> Result<Vec<pb::Document>, Status> {
        let req = pb::ListDocumentsRequest { employee_id: employee_id.into() };
        Ok(self.client.clone().list_documents(self.request(req)).await?.into_inner().documents)
    }

    pub async fn issue_certificate(&self, employee_id: &str, language: &str) -> Result<pb::Document, Status> {
        let req = pb::IssueCertificateRequest { employee_id: employee_id.into(), language: language.into() };
        Ok(self.client.clone().issue_certificate(self.request(req)).await?.into_inner())
    }
}
