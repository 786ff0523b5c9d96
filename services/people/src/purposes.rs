//! The processing purposes of the people service, as registered with governance (a test checks
//! each against governance's registry).

/// Keeping the employee directory, org units and reporting lines.
pub const DIRECTORY: &str = "people.directory";
/// Keeping employment contracts.
pub const CONTRACTS: &str = "people.contracts";
/// Leave entitlement, requests and approvals.
pub const LEAVE: &str = "people.leave";
/// Sickness absence and the statutory follow-up (no diagnosis).
pub const ABSENCE: &str = "people.absence";

/// Private address changes, for payroll.
pub const ADDRESS: &str = "people.address";
/// Payroll results, kept for the statutory retention period.
pub const PAYROLL: &str = "people.payroll";
/// Documents issued to employees (employment certificates).
pub const DOCUMENTS: &str = "people.documents";
/// Announcing a new employee's start to onboarding.
pub const NEW_HIRES: &str = "people.new_hires";

/// Every purpose of this service.
pub const ALL: [&str; 8] = [DIRECTORY, CONTRACTS, LEAVE, ABSENCE, ADDRESS, PAYROLL, DOCUMENTS, NEW_HIRES];
