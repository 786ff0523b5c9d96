//! The processing purposes of the engagement service, as registered with governance (a test in
//! `services/hrmesh` checks each against governance's registry).

/// Running pulse surveys: audiences, participation (who answered, never what), reminders.
pub const SURVEYS: &str = "engagement.surveys";
/// Anonymous pulse answers and the results computed from them.
pub const PULSE: &str = "engagement.pulse";
/// Sentiment of comments, with the author's consent.
pub const SENTIMENT: &str = "engagement.sentiment";
/// Change-point detection on team results (early warnings).
pub const EARLY_WARNING: &str = "engagement.early_warning";

/// Every purpose of this service.
pub const ALL: [&str; 4] = [SURVEYS, PULSE, SENTIMENT, EARLY_WARNING];
