//! The purposes registry: which processing purpose may carry which event, on what legal basis,
//! and which payload fields survive onto the governed stream (data minimisation).

/// A registered processing purpose.
#[derive(Debug)]
pub struct Purpose {
    pub id: &'static str,
    pub legal_basis: &'static str,
    /// Event types this purpose may carry, each with the payload fields governed streams keep.
    pub events: &'static [(&'static str, &'static [&'static str])],
}

/// Every purpose hrmesh knows.
pub static PURPOSES: &[Purpose] = &[
    Purpose {
        id: "recruiting.screening",
        legal_basis: "GDPR art. 6(1)(b): steps prior to entering into a contract",
        events: &[("hrmesh.recruiting.v1.CandidateApplied", &["application_id", "job_id", "source"])],
    },
    Purpose {
        id: "onboarding.learning_path",
        legal_basis: "GDPR art. 6(1)(b): performance of the employment contract",
        events: &[("hrmesh.onboarding.v1.OnboardingStarted", &["role", "start_date"])],
    },
    Purpose {
        id: "engagement.pulse",
        legal_basis: "GDPR art. 6(1)(f): legitimate interest in working conditions",
        events: &[("hrmesh.engagement.v1.PulseAnswered", &["survey_id", "score"])],
    },
    Purpose {
        id: "skills.inference",
        legal_basis: "GDPR art. 6(1)(a): consent",
        events: &[("hrmesh.skills.v1.SkillProfileChanged", &["skill_id", "level"])],
    },
    Purpose {
        id: "performance.feedback_drafting",
        legal_basis: "GDPR art. 6(1)(f): legitimate interest in performance management",
        events: &[("hrmesh.performance.v1.FeedbackRecorded", &["feedback_id"])],
    },
    Purpose {
        id: "selfservice.assistant",
        legal_basis: "GDPR art. 6(1)(b): performance of the employment contract",
        events: &[("hrmesh.selfservice.v1.ConversationOpened", &["conversation_id", "language"])],
    },
];

/// The purpose named `id`, if registered.
pub fn find(id: &str) -> Option<&'static Purpose> {
    PURPOSES.iter().find(|p| p.id == id)
}

impl Purpose {
    /// The fields `event_type` may keep under this purpose; `None` if it may not carry it.
    pub fn allowed_fields(&self, event_type: &str) -> Option<&'static [&'static str]> {
        self.events.iter().find(|(t, _)| *t == event_type).map(|(_, f)| *f)
    }
}
