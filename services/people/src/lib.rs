//! People: the HR core — employees, org units, reporting lines, contracts, leave and sickness
//! absence. The records every other service's AI works on, and the reporting lines every
//! service authorizes by.

mod absence;
mod address;
pub mod calendar;
mod certificate;
mod contracts;
pub mod country;
mod documents;
mod employees;
pub mod entitlement;
mod grpc;
mod hires;
mod import;
mod leave;
mod org;
mod payroll;
mod payslip;
pub mod purposes;
pub mod reasons;
pub mod sickness;

use std::sync::Arc;

use hrmesh_kit::{
    auth::Authenticator,
    crypto::Vault,
    events::governed_topic,
    privacy::{Person, PersonData, Table, Tables},
    retention::{Age, RetentionRule},
    service::{ConsumerDef, Service, ServiceContext, ServiceDef},
};
use hrmesh_proto::{
    people::v1::{
        document_verification_service_server::DocumentVerificationServiceServer,
        people_service_server::PeopleServiceServer,
    },
    privacy::v1::ErasedItem,
};
use sqlx::{AnyConnection, migrate::Migrator};
use tonic::{server::NamedService, service::RoutesBuilder};

/// Service name: database schema/file, raw topic `hr.people.v1`, event source.
pub const NAME: &str = "people";

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

/// Rows about a person besides the (sealed) employee record, for access and erasure.
static RECORDS: Tables = Tables(&[
    Table {
        kind: "address_changes",
        table: "address_changes",
        column: "employee_id",
        erase: hrmesh_kit::privacy::Erase::Delete,
    },
    Table { kind: "documents", table: "documents", column: "employee_id", erase: hrmesh_kit::privacy::Erase::Delete },
    Table {
        kind: "reporting_lines",
        table: "reporting_lines",
        column: "employee_id",
        erase: hrmesh_kit::privacy::Erase::Delete,
    },
    Table { kind: "contracts", table: "contracts", column: "employee_id", erase: hrmesh_kit::privacy::Erase::Delete },
    Table {
        kind: "leave_requests",
        table: "leave_requests",
        column: "employee_id",
        erase: hrmesh_kit::privacy::Erase::Delete,
    },
    Table {
        kind: "sick_spells",
        table: "sick_spells",
        column: "employee_id",
        erase: hrmesh_kit::privacy::Erase::Delete,
    },
]);

/// How the runtime builds this service.
pub fn definition() -> ServiceDef {
    ServiceDef {
        name: NAME,
        migrations: &MIGRATIONS,
        build: |ctx| {
            let master =
                ctx.config.secret(&ctx.config.privacy.master_key, "privacy.master_key", "person-key-master")?;
            let signing = documents::signing_key(master.expose());
            Ok(Box::new(People { ctx, signing }))
        },
    }
}

struct People {
    ctx: ServiceContext,
    signing: ed25519_dalek::SigningKey,
}

impl Service for People {
    fn register(&self, routes: &mut RoutesBuilder, auth: &Authenticator) -> Vec<&'static str> {
        routes.add_service(PeopleServiceServer::with_interceptor(
            grpc::Api::new(self.ctx.clone(), self.signing.clone()),
            auth.interceptor(),
        ));
        // Public on purpose: a landlord or bank verifying a certificate has no hrmesh account.
        routes.add_service(DocumentVerificationServiceServer::new(grpc::Verifier::new(
            self.ctx.clone(),
            self.signing.verifying_key(),
        )));
        vec![
            <PeopleServiceServer<grpc::Api> as NamedService>::NAME,
            <DocumentVerificationServiceServer<grpc::Verifier> as NamedService>::NAME,
        ]
    }

    fn consumers(&self) -> Vec<ConsumerDef> {
        vec![ConsumerDef {
            name: format!("{NAME}.hires"),
            topics: vec![governed_topic("recruiting")],
            handler: Arc::new(hires::HireEvents),
        }]
    }

    fn person_data(&self) -> Option<Arc<dyn PersonData>> {
        Some(Arc::new(PeopleData))
    }

    fn retention(&self) -> Vec<RetentionRule> {
        RETENTION.to_vec()
    }
}

/// What expires when. Superseded history goes after two years; payslips when their statutory
/// retention duty (stored with each payslip) has passed, and with the last one the payroll key.
pub static RETENTION: &[RetentionRule] = &[
    RetentionRule {
        purpose: purposes::ABSENCE,
        kind: "sick_spells",
        days: 730,
        statement: "DELETE FROM sick_spells WHERE recovered_on IS NOT NULL AND recovered_on < $1",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::LEAVE,
        kind: "leave_requests",
        days: 1825,
        statement: "DELETE FROM leave_requests WHERE end_date < $1",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::DOCUMENTS,
        kind: "documents",
        days: 730,
        statement: "DELETE FROM documents WHERE issued_at < $1",
        age: Age::Millis,
    },
    RetentionRule {
        purpose: purposes::ADDRESS,
        kind: "address_changes",
        days: 730,
        statement: "DELETE FROM address_changes WHERE effective_from < $1 AND EXISTS (SELECT 1 FROM address_changes n
                    WHERE n.employee_id = address_changes.employee_id AND n.effective_from > address_changes.effective_from)",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::DIRECTORY,
        kind: "reporting_lines",
        days: 730,
        statement: "DELETE FROM reporting_lines WHERE effective_from < $1 AND EXISTS (SELECT 1 FROM reporting_lines n
                    WHERE n.employee_id = reporting_lines.employee_id AND n.effective_from > reporting_lines.effective_from)",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::PAYROLL,
        kind: "payslips",
        days: 0,
        statement: "DELETE FROM payslips WHERE retain_until < $1",
        age: Age::Date,
    },
    RetentionRule {
        purpose: purposes::PAYROLL,
        kind: "payroll_keys",
        days: 0,
        statement: "DELETE FROM _hrmesh_person_keys WHERE subject LIKE 'payroll:%' AND $1 <> ''
                    AND NOT EXISTS (SELECT 1 FROM payslips p WHERE 'payroll:' || p.employee_id = _hrmesh_person_keys.subject)",
        age: Age::Date,
    },
];

/// The employee record with its personal fields opened, plus every other row about the person.
struct PeopleData;

#[tonic::async_trait]
impl PersonData for PeopleData {
    async fn export(
        &self,
        conn: &mut AnyConnection,
        vault: &Vault,
        person: &Person<'_>,
    ) -> anyhow::Result<serde_json::Map<String, serde_json::Value>> {
        let mut out = RECORDS.export(conn, vault, person).await?;
        let employee = employees::get(vault, conn, person.subject).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let employee = match employee {
            Some(e) => vec![serde_json::json!({
                "employee_id": e.employee_id,
                "full_name": e.full_name,
                "private_email": e.private_email,
                "phone": e.phone,
                "birth_date": e.birth_date,
                "private_address": e.private_address.map(|a| serde_json::json!({
                    "street": a.street, "house_number": a.house_number, "postcode": a.postcode, "city": a.city, "country": a.country,
                })),
                "work_email": e.work_email,
                "preferred_language": e.preferred_language,
                "work_country": e.work_country,
                "work_region": e.work_region,
                "org_unit_id": e.org_unit_id,
                "job_title": e.job_title,
                "manager_id": e.manager_id,
                "status": e.status,
            })],
            None => Vec::new(),
        };
        out.insert("employee".into(), serde_json::Value::Array(employee));
        out.insert("payslips".into(), payroll::export(conn, vault, person.subject).await?);
        Ok(out)
    }

    async fn erase(&self, tx: &mut AnyConnection, person: &Person<'_>) -> anyhow::Result<Vec<ErasedItem>> {
        let mut items = RECORDS.erase(tx, person).await?;
        // Payroll records are held against erasure for their legal retention duty (GDPR art.
        // 17(3)(b)); they are sealed under the payroll key, which erasure leaves in place.
        if let Some(held) = payroll::held(tx, person.subject).await? {
            items.push(held);
        }
        let deleted =
            sqlx::query("DELETE FROM employees WHERE employee_id = $1").bind(person.subject).execute(&mut *tx).await?;
        items.push(ErasedItem {
            kind: "employee".into(),
            count: u32::try_from(deleted.rows_affected()).unwrap_or(u32::MAX),
            action: "deleted".into(),
        });
        // Other people's records keep their shape without naming the erased person.
        sqlx::query("UPDATE employees SET manager_id = NULL WHERE manager_id = $1")
            .bind(person.subject)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE reporting_lines SET manager_id = NULL WHERE manager_id = $1")
            .bind(person.subject)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE leave_requests SET decided_by = '[erased]' WHERE decided_by = $1")
            .bind(person.subject)
            .execute(&mut *tx)
            .await?;
        Ok(items)
    }
}
