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

/// Every purpose of this service.
pub const ALL: [&str; 4] = [DIRECTORY, CONTRACTS, LEAVE, ABSENCE];
