//! The processing purposes of the performance service, as registered with governance (a test
//! in the binary crate checks each against governance's registry).

/// Continuous feedback, praise, goals and 1:1 agendas.
pub const FEEDBACK: &str = "performance.feedback";
/// 360° cycles: nominations, questionnaires, answers, reminders.
pub const CYCLES: &str = "performance.cycles";
/// Approved reviews and their outcomes.
pub const REVIEWS: &str = "performance.reviews";
/// Review drafts written by the drafting model for the manager.
pub const DRAFTING: &str = "performance.feedback_drafting";
/// Bias checks of text and rating distributions.
pub const BIAS: &str = "performance.bias_check";

/// Every purpose of this service.
pub const ALL: [&str; 5] = [FEEDBACK, CYCLES, REVIEWS, DRAFTING, BIAS];
