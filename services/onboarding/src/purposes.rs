//! The processing purposes of the onboarding service, as registered with governance (a test
//! checks each against governance's registry).

/// Plans from templates and their progress.
pub const PLANS: &str = "onboarding.plans";
/// The learning part: steps from the skills gap, prior knowledge, pace.
pub const LEARNING_PATH: &str = "onboarding.learning_path";
/// Buddy matching by optimal assignment (opt-in consent on both sides).
pub const BUDDY_MATCHING: &str = "onboarding.buddy_matching";
/// Check-ins at day 7, 30 and 60.
pub const CHECKINS: &str = "onboarding.checkins";
/// Early flags to HR and the manager line, logged as recommendations.
pub const RISK_FLAGS: &str = "onboarding.risk_flags";
/// The engagement service's comment sentiment, used only with the new hire's consent.
pub const SENTIMENT: &str = "engagement.sentiment";

/// Every purpose of this service.
pub const ALL: [&str; 5] = [PLANS, LEARNING_PATH, BUDDY_MATCHING, CHECKINS, RISK_FLAGS];
