//! Reason codes of the people service's refusals (FAILED_PRECONDITION with an `ErrorInfo`
//! detail, domain `hrmesh`): callers such as the self-service assistant branch on these, never
//! on the message text.

/// The employee is reported sick already.
pub const ALREADY_SICK: &str = "ALREADY_SICK";
/// An earlier sick spell covers the day.
pub const SPELL_OVERLAP: &str = "SPELL_OVERLAP";
/// A recovery was reported for someone who is not reported sick.
pub const NOT_SICK: &str = "NOT_SICK";
/// The recovery day is not after the first sick day.
pub const RECOVERY_BEFORE_SICKNESS: &str = "RECOVERY_BEFORE_SICKNESS";
/// The employee has no contract for what was asked (leave in a year, a certificate).
pub const NO_CONTRACT: &str = "NO_CONTRACT";
/// A leave range without a working day (weekends and public holidays are not counted).
pub const NO_WORKING_DAY: &str = "NO_WORKING_DAY";
/// A leave range that overlaps a request that holds leave.
pub const LEAVE_OVERLAP: &str = "LEAVE_OVERLAP";
/// Not enough leave left on the first day of the request.
pub const INSUFFICIENT_BALANCE: &str = "INSUFFICIENT_BALANCE";
/// A manager deciding on their own leave request.
pub const OWN_REQUEST: &str = "OWN_REQUEST";
/// A leave request that is approved, rejected or cancelled already.
pub const ALREADY_DECIDED: &str = "ALREADY_DECIDED";
/// Leave that has started (only HR corrects it).
pub const LEAVE_STARTED: &str = "LEAVE_STARTED";
