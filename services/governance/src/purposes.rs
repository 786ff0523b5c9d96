//! The purposes registry: every processing purpose (each AI function of each service, plus the
//! plain record-keeping ones) with its legal basis, data categories, retention, consent
//! requirement, EU AI Act risk class, and which event types it may carry with which payload
//! fields survive onto the governed stream (data minimisation). It also yields the records of
//! processing activities (GDPR art. 30).

use hrmesh_proto::governance::v1 as pb;

/// A registered processing purpose.
#[derive(Debug)]
pub struct Purpose {
    pub id: &'static str,
    pub service: &'static str,
    pub description: &'static str,
    pub legal_basis: &'static str,
    pub data_categories: &'static [&'static str],
    pub consent_required: bool,
    pub retention_days: u32,
    /// `high`, `limited`, `minimal` or `none` (no AI involved).
    pub ai_act_risk: &'static str,
    /// Event types this purpose may carry, each with the payload fields governed streams keep.
    pub events: &'static [(&'static str, &'static [&'static str])],
    pub recipients: &'static [&'static str],
}

const CONTRACT: &str = "GDPR art. 6(1)(b): steps prior to or performance of the (employment) contract";
const CONSENT: &str = "GDPR art. 6(1)(a) and art. 7: explicit opt-in consent";
const INTEREST: &str = "GDPR art. 6(1)(f): legitimate interest (balancing test documented in the DPIA)";
const OBLIGATION: &str = "GDPR art. 6(1)(c): legal obligation (non-discrimination law, EU AI Act art. 10)";

const HR: &[&str] = &["HR department", "hrmesh analytics (pseudonymised)"];

/// Every purpose hrmesh knows.
pub static PURPOSES: &[Purpose] = &[
    Purpose {
        id: "people.directory",
        service: "people",
        description: "Keeping the employee directory: org units, job titles and reporting lines",
        legal_basis: CONTRACT,
        data_categories: &["identification", "contact details", "org unit", "job title", "reporting line"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.people.v1.EmployeeUpserted", &["org_unit_id", "job_title", "work_country", "status", "created"]),
            ("hrmesh.people.v1.ReportingLineChanged", &["effective_from"]),
        ],
        recipients: HR,
    },
    Purpose {
        id: "people.contracts",
        service: "people",
        description: "Keeping employment contracts and their history",
        legal_basis: CONTRACT,
        data_categories: &["contract terms", "working hours"],
        consent_required: false,
        retention_days: 2555,
        ai_act_risk: "none",
        events: &[(
            "hrmesh.people.v1.ContractChanged",
            &["effective_from", "start_date", "end_date", "weekly_hours", "kind"],
        )],
        recipients: HR,
    },
    Purpose {
        id: "people.leave",
        service: "people",
        description: "Leave entitlement under the statutory rules, requests and approvals by the line",
        legal_basis: CONTRACT,
        data_categories: &["leave entitlement", "leave requests"],
        consent_required: false,
        retention_days: 1825,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.people.v1.LeaveRequested", &["request_id", "leave_type", "start_date", "end_date", "days"]),
            ("hrmesh.people.v1.LeaveApproved", &["request_id", "start_date", "end_date", "days"]),
            ("hrmesh.people.v1.LeaveRejected", &["request_id"]),
            ("hrmesh.people.v1.LeaveCancelled", &["request_id"]),
        ],
        recipients: &["employee", "manager", "HR department", "hrmesh analytics (pseudonymised)"],
    },
    Purpose {
        id: "people.absence",
        service: "people",
        description: "Sickness absence and the statutory follow-up (Wet verbetering poortwachter, EntgFG, BEM); no diagnosis is kept",
        legal_basis: "GDPR art. 6(1)(c) and art. 9(2)(b): obligations of the employer in employment and social security law",
        data_categories: &["sickness absence dates (health data, no diagnosis)"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.people.v1.SickReported", &["spell_id", "first_day"]),
            ("hrmesh.people.v1.RecoveryReported", &["spell_id", "first_day", "recovered_on", "days"]),
        ],
        recipients: &["HR department", "occupational health service", "hrmesh analytics (pseudonymised)"],
    },
    Purpose {
        id: "people.address",
        service: "people",
        description: "Keeping the employee's private address for payroll and correspondence",
        legal_basis: CONTRACT,
        data_categories: &["contact details"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[("hrmesh.people.v1.AddressChanged", &["effective_from", "country"])],
        recipients: &["HR department", "payroll provider"],
    },
    Purpose {
        id: "people.payroll",
        service: "people",
        description: "Keeping payroll results and explaining payslips to the employee",
        legal_basis: "GDPR art. 6(1)(b) and (c): the employment contract and tax and social security law (retention duty)",
        data_categories: &["payroll results"],
        consent_required: false,
        retention_days: 3650,
        ai_act_risk: "none",
        events: &[("hrmesh.people.v1.PayslipImported", &["period"])],
        recipients: &["employee", "HR department", "payroll provider"],
    },
    Purpose {
        id: "people.documents",
        service: "people",
        description: "Issuing signed employment certificates the employee asks for, and confirming them to the recipient",
        legal_basis: CONTRACT,
        data_categories: &["identification", "contract terms"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[("hrmesh.people.v1.DocumentIssued", &["document_id", "kind", "language"])],
        recipients: &["employee", "the recipient the employee gives the certificate to"],
    },
    Purpose {
        id: "people.new_hires",
        service: "people",
        description: "Announcing a new employee's start so that their onboarding plan is prepared",
        legal_basis: CONTRACT,
        data_categories: &[
            "identification",
            "role",
            "start date",
            "contract terms",
            "language preference",
            "reporting line",
        ],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[(
            "hrmesh.people.v1.HireStarting",
            &[
                "employee_id",
                "start_date",
                "end_date",
                "probation_end",
                "kind",
                "job_title",
                "work_country",
                "preferred_language",
                "manager_id",
            ],
        )],
        recipients: &["HR department", "manager"],
    },
    Purpose {
        id: "recruiting.applications",
        service: "recruiting",
        description: "Receiving and administering applications for a vacancy",
        legal_basis: CONTRACT,
        data_categories: &["identification", "contact details", "application"],
        consent_required: false,
        retention_days: 28,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.recruiting.v1.CandidateApplied", &["application_id", "job_id", "source"]),
            ("hrmesh.recruiting.v1.JobOpened", &["job_id", "title", "skill_ids"]),
            ("hrmesh.recruiting.v1.JobUpdated", &["job_id", "title", "skill_ids", "reason"]),
            ("hrmesh.recruiting.v1.JobClosed", &["job_id", "reason"]),
            ("hrmesh.recruiting.v1.JobReopened", &["job_id", "reason"]),
            ("hrmesh.recruiting.v1.StageChanged", &["application_id", "job_id", "stage"]),
        ],
        recipients: &["recruiters", "hiring managers", "hrmesh analytics (pseudonymised)"],
    },
    Purpose {
        id: "recruiting.screening",
        service: "recruiting",
        description: "AI-assisted screening of CVs against a vacancy's requirements; a recruiter decides",
        legal_basis: CONSENT,
        data_categories: &["CV", "work history", "education", "skills", "languages"],
        consent_required: true,
        retention_days: 28,
        ai_act_risk: "high",
        events: &[],
        recipients: &["recruiters", "hiring managers"],
    },
    Purpose {
        id: "recruiting.matching",
        service: "recruiting",
        description: "Matching candidates in the talent pool to new vacancies",
        legal_basis: CONSENT,
        data_categories: &["CV", "skills", "languages", "preferences"],
        consent_required: true,
        retention_days: 365,
        ai_act_risk: "high",
        events: &[],
        recipients: &["recruiters"],
    },
    Purpose {
        id: "recruiting.outreach",
        service: "recruiting",
        description: "Drafting personalised messages to candidates; a recruiter approves every message",
        legal_basis: CONSENT,
        data_categories: &["contact details", "skills", "language preference"],
        consent_required: true,
        retention_days: 365,
        ai_act_risk: "limited",
        events: &[("hrmesh.recruiting.v1.OutreachSent", &["draft_id", "job_id", "language"])],
        recipients: &["recruiters"],
    },
    Purpose {
        id: "onboarding.learning_path",
        service: "onboarding",
        description: "Planning a new employee's onboarding and learning path",
        legal_basis: CONTRACT,
        data_categories: &["role", "start date", "skills"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "minimal",
        events: &[("hrmesh.onboarding.v1.LearningPathAdapted", &["kind", "steps", "pace"])],
        recipients: &["employee", "manager", "HR department"],
    },
    Purpose {
        id: "onboarding.plans",
        service: "onboarding",
        description: "Onboarding plans from HR's templates: tasks, owners, deadlines and their progress",
        legal_basis: CONTRACT,
        data_categories: &["role", "start date", "onboarding progress", "contract terms"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.onboarding.v1.OnboardingStarted", &["role", "start_date", "template_id", "tasks"]),
            ("hrmesh.onboarding.v1.OnboardingTaskChanged", &["task_key", "status", "with_reason"]),
            ("hrmesh.onboarding.v1.ProbationEndReminder", &["probation_end", "country"]),
        ],
        recipients: &["employee", "manager", "HR department"],
    },
    Purpose {
        id: "onboarding.checkins",
        service: "onboarding",
        description: "Short check-ins of a new employee and their manager at day 7, 30 and 60",
        legal_basis: CONTRACT,
        data_categories: &["check-in answers", "free text"],
        consent_required: false,
        retention_days: 365,
        ai_act_risk: "none",
        events: &[],
        recipients: &["HR department", "manager"],
    },
    Purpose {
        id: "onboarding.buddy_matching",
        service: "onboarding",
        description: "Suggesting an onboarding buddy by optimal assignment over skills and teams",
        legal_basis: CONSENT,
        data_categories: &["role", "team", "skills", "interests", "tenure", "language preference", "absence"],
        consent_required: true,
        retention_days: 365,
        ai_act_risk: "minimal",
        events: &[("hrmesh.onboarding.v1.BuddyMatched", &["score", "overridden"])],
        recipients: &["HR department", "team lead"],
    },
    Purpose {
        id: "onboarding.risk_flags",
        service: "onboarding",
        description: "Early warnings that onboarding stalls, for the HR contact to follow up",
        legal_basis: INTEREST,
        data_categories: &["onboarding progress", "check-in answers"],
        consent_required: false,
        retention_days: 365,
        ai_act_risk: "limited",
        events: &[],
        recipients: &["HR department", "manager"],
    },
    Purpose {
        id: "analytics.attrition_risk",
        service: "analytics",
        description: "Estimating an employee's attrition risk with the reasons behind it, as a recommendation to HR \
                      for a conversation; never an automated action",
        legal_basis: CONSENT,
        data_categories: &["tenure", "role", "org unit", "contract terms", "working hours", "absence", "pay"],
        consent_required: true,
        retention_days: 365,
        ai_act_risk: "high",
        events: &[],
        recipients: &["HR department", "works council (model card and aggregates only)"],
    },
    Purpose {
        id: "analytics.workforce_planning",
        service: "analytics",
        description: "Aggregate headcount forecasts, turnover, absence and recruiting-funnel figures from \
                      pseudonymised streams (groups of at least 5), and team-level attrition risk",
        legal_basis: "GDPR art. 6(1)(f): legitimate interest (balancing test documented in the DPIA); for \
                      sickness absence figures art. 9(2)(b), obligations of the employer in employment law",
        data_categories: &[
            "role",
            "department",
            "pseudonymised events",
            "contract terms",
            "sickness absence dates (health data, no diagnosis)",
        ],
        consent_required: false,
        retention_days: 1095,
        ai_act_risk: "minimal",
        events: &[],
        recipients: &["HR department", "management (aggregates only)"],
    },
    Purpose {
        id: "engagement.surveys",
        service: "engagement",
        description: "Running pulse surveys: audiences, who took part (never what they answered) and reminders",
        legal_basis: INTEREST,
        data_categories: &["survey participation", "org unit", "language preference"],
        consent_required: false,
        retention_days: 365,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.engagement.v1.PulseAnswered", &["survey_id", "round"]),
            ("hrmesh.engagement.v1.PulseReminderDue", &["survey_id", "round", "closes_on", "language"]),
        ],
        recipients: &["HR department", "notifier (reminders)"],
    },
    Purpose {
        id: "engagement.pulse",
        service: "engagement",
        description: "Short pulse surveys on working conditions, reported in groups of at least 5",
        legal_basis: INTEREST,
        data_categories: &["survey answers"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[],
        recipients: &["HR department", "works council (aggregates only)"],
    },
    Purpose {
        id: "engagement.early_warning",
        service: "engagement",
        description: "Change-point detection on team survey results (groups of at least 5) to warn of a shift early",
        legal_basis: INTEREST,
        data_categories: &["engagement scores"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "minimal",
        events: &[],
        recipients: &["HR department", "management (aggregates only)"],
    },
    Purpose {
        id: "engagement.sentiment",
        service: "engagement",
        description: "Lexicon-based sentiment of free-text survey comments, with the words that drove it",
        legal_basis: CONSENT,
        data_categories: &["survey comments"],
        consent_required: true,
        retention_days: 365,
        ai_act_risk: "limited",
        events: &[("hrmesh.engagement.v1.CommentAnalysed", &["label", "score"])],
        recipients: &["HR department (aggregates only)"],
    },
    Purpose {
        id: "skills.profile",
        service: "skills",
        description: "Keeping declared and verified skills of employees",
        legal_basis: CONTRACT,
        data_categories: &["skills", "proficiency levels"],
        consent_required: false,
        retention_days: 1825,
        ai_act_risk: "none",
        events: &[("hrmesh.skills.v1.SkillProfileChanged", &["skill_id", "level", "source", "previous_level"])],
        recipients: HR,
    },
    Purpose {
        id: "skills.inference",
        service: "skills",
        description: "Inferring skills from CVs, project descriptions and feedback, with the evidence",
        legal_basis: CONSENT,
        data_categories: &["free text", "inferred skills"],
        consent_required: true,
        retention_days: 1825,
        ai_act_risk: "limited",
        events: &[("hrmesh.skills.v1.SkillProfileChanged", &["skill_id", "level", "source", "previous_level"])],
        recipients: HR,
    },
    Purpose {
        id: "skills.development",
        service: "skills",
        description: "Gap analyses against roles and personalised learning paths; people and their managers decide what to learn",
        legal_basis: INTEREST,
        data_categories: &["skills", "proficiency levels", "roles", "learning paths"],
        consent_required: false,
        retention_days: 1095,
        ai_act_risk: "minimal",
        events: &[
            ("hrmesh.skills.v1.SkillGapIdentified", &["role_id", "missing_skill_ids", "coverage"]),
            (
                "hrmesh.skills.v1.LearningPathAssigned",
                &["path_id", "role_id", "skill_ids", "course_ids", "total_hours"],
            ),
        ],
        recipients: HR,
    },
    Purpose {
        id: "performance.feedback_drafting",
        service: "performance",
        description: "Helping managers draft feedback from recorded observations; the manager writes the final text",
        legal_basis: INTEREST,
        data_categories: &["feedback", "goals"],
        consent_required: false,
        retention_days: 1095,
        ai_act_risk: "high",
        events: &[],
        recipients: &["manager", "employee", "HR department"],
    },
    Purpose {
        id: "performance.feedback",
        service: "performance",
        description: "Continuous feedback, praise, goals with check-ins and 1:1 agendas between colleagues and the line",
        legal_basis: INTEREST,
        data_categories: &["feedback", "goals", "1:1 agenda"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "limited",
        events: &[
            ("hrmesh.performance.v1.FeedbackRecorded", &["feedback_id", "kind"]),
            ("hrmesh.performance.v1.FeedbackRequested", &["request_id"]),
        ],
        recipients: &["manager", "employee", "HR department"],
    },
    Purpose {
        id: "performance.cycles",
        service: "performance",
        description: "360-degree feedback cycles: rater nomination, questionnaires, reminders and anonymous results",
        legal_basis: INTEREST,
        data_categories: &["ratings", "feedback text", "rater participation"],
        consent_required: false,
        retention_days: 730,
        ai_act_risk: "none",
        events: &[
            ("hrmesh.performance.v1.CycleOpened", &["cycle_id", "deadline"]),
            ("hrmesh.performance.v1.RaterReminded", &["cycle_id", "deadline"]),
        ],
        recipients: &["manager", "employee", "HR department"],
    },
    Purpose {
        id: "performance.reviews",
        service: "performance",
        description: "Performance reviews the manager approves, with their outcome decided by a person",
        legal_basis: CONTRACT,
        data_categories: &["review text", "ratings", "review outcome"],
        consent_required: false,
        retention_days: 1095,
        ai_act_risk: "high",
        events: &[("hrmesh.performance.v1.ReviewApproved", &["review_id", "overall_rating", "outcome", "decision_id"])],
        recipients: &["manager", "employee", "HR department"],
    },
    Purpose {
        id: "performance.bias_check",
        service: "performance",
        description: "Flagging biased wording in feedback and skewed ratings across groups",
        legal_basis: OBLIGATION,
        data_categories: &["feedback text", "ratings"],
        consent_required: false,
        retention_days: 1095,
        ai_act_risk: "limited",
        events: &[],
        recipients: &["HR department"],
    },
    Purpose {
        id: "selfservice.assistant",
        service: "selfservice",
        description: "Answering employees' HR questions from the company's policies, with sources, and carrying out \
                      the HR requests they confirm",
        legal_basis: CONTRACT,
        data_categories: &["questions", "conversation", "requests made through the assistant"],
        consent_required: false,
        retention_days: 90,
        ai_act_risk: "limited",
        events: &[
            ("hrmesh.selfservice.v1.ConversationOpened", &["conversation_id", "language"]),
            ("hrmesh.selfservice.v1.ActionTaken", &["conversation_id", "action", "outcome"]),
            ("hrmesh.selfservice.v1.HandoverRequested", &["ticket_id", "conversation_id", "reason"]),
            ("hrmesh.selfservice.v1.TicketAnswered", &["ticket_id", "conversation_id"]),
        ],
        recipients: &["employee", "HR department (escalations)"],
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

    pub fn to_proto(&self) -> pb::Purpose {
        pb::Purpose {
            id: self.id.into(),
            service: self.service.into(),
            description: self.description.into(),
            legal_basis: self.legal_basis.into(),
            data_categories: self.data_categories.iter().map(|s| (*s).into()).collect(),
            consent_required: self.consent_required,
            retention_days: self.retention_days,
            ai_act_risk: self.ai_act_risk.into(),
            events: self
                .events
                .iter()
                .map(|(t, f)| pb::GovernedEvent {
                    r#type: (*t).into(),
                    fields: f.iter().map(|s| (*s).into()).collect(),
                })
                .collect(),
            recipients: self.recipients.iter().map(|s| (*s).into()).collect(),
        }
    }
}

/// Records of processing activities (GDPR art. 30) as JSON.
pub fn records_json(controller: &str) -> String {
    let activities: Vec<serde_json::Value> = PURPOSES
        .iter()
        .map(|p| {
            serde_json::json!({
                "purpose": p.id,
                "service": p.service,
                "description": p.description,
                "legal_basis": p.legal_basis,
                "data_subjects": subjects(p),
                "data_categories": p.data_categories,
                "recipients": p.recipients,
                "retention_days": p.retention_days,
                "consent_required": p.consent_required,
                "ai_act_risk": p.ai_act_risk,
                "governed_events": p.events.iter().map(|(t, f)| serde_json::json!({"type": t, "fields": f})).collect::<Vec<_>>(),
                "transfers_outside_eea": "none",
                "security_measures": SECURITY,
            })
        })
        .collect();
    serde_json::json!({ "controller": controller, "activities": activities }).to_string()
}

const SECURITY: &[&str] = &[
    "pseudonymisation (HMAC-SHA-256, per-purpose keys) before any internal distribution",
    "per-person AES-256-GCM encryption of personal fields at rest (crypto-shredding on erasure)",
    "hash-chained, Merkle-tree audit trail with Ed25519-signed tree heads",
    "role-based access with audited denials",
];

fn subjects(p: &Purpose) -> &'static str {
    if p.service == "recruiting" { "candidates" } else { "employees" }
}

/// Headings of the Markdown export per language.
struct Labels {
    title: &'static str,
    controller: &'static str,
    purpose: &'static str,
    legal_basis: &'static str,
    subjects: &'static str,
    categories: &'static str,
    recipients: &'static str,
    retention: &'static str,
    days: &'static str,
    consent: &'static str,
    yes: &'static str,
    no: &'static str,
    risk: &'static str,
    fields: &'static str,
    transfers: &'static str,
    security: &'static str,
}

fn labels(language: &str) -> Labels {
    match language {
        "nl" => Labels {
            title: "Register van verwerkingsactiviteiten (AVG art. 30)",
            controller: "Verwerkingsverantwoordelijke",
            purpose: "Doel",
            legal_basis: "Rechtsgrond",
            subjects: "Betrokkenen",
            categories: "Categorieën persoonsgegevens",
            recipients: "Ontvangers",
            retention: "Bewaartermijn",
            days: "dagen",
            consent: "Toestemming vereist",
            yes: "ja",
            no: "nee",
            risk: "Risicoklasse AI-verordening",
            fields: "Velden op de gecontroleerde stroom",
            transfers: "Doorgifte buiten de EER: geen",
            security: "Beveiligingsmaatregelen",
        },
        "de" => Labels {
            title: "Verzeichnis von Verarbeitungstätigkeiten (DSGVO Art. 30)",
            controller: "Verantwortlicher",
            purpose: "Zweck",
            legal_basis: "Rechtsgrundlage",
            subjects: "Betroffene Personen",
            categories: "Kategorien personenbezogener Daten",
            recipients: "Empfänger",
            retention: "Speicherdauer",
            days: "Tage",
            consent: "Einwilligung erforderlich",
            yes: "ja",
            no: "nein",
            risk: "Risikoklasse KI-Verordnung",
            fields: "Felder im kontrollierten Datenstrom",
            transfers: "Übermittlung außerhalb des EWR: keine",
            security: "Technische und organisatorische Maßnahmen",
        },
        _ => Labels {
            title: "Records of processing activities (GDPR art. 30)",
            controller: "Controller",
            purpose: "Purpose",
            legal_basis: "Legal basis",
            subjects: "Data subjects",
            categories: "Categories of personal data",
            recipients: "Recipients",
            retention: "Retention",
            days: "days",
            consent: "Consent required",
            yes: "yes",
            no: "no",
            risk: "EU AI Act risk class",
            fields: "Fields on the governed stream",
            transfers: "Transfers outside the EEA: none",
            security: "Security measures",
        },
    }
}

/// Records of processing activities as Markdown for the DPO, in `language` (`en`, `nl`, `de`).
pub fn records_markdown(controller: &str, language: &str) -> String {
    use std::fmt::Write;
    let l = labels(language);
    let mut out = format!("# {}\n\n{}: {controller}\n\n", l.title, l.controller);
    let tr = |text: &'static str| crate::purposes_i18n::translate(text, language);
    let list = |items: &[&'static str]| items.iter().map(|i| tr(i)).collect::<Vec<_>>().join(", ");
    for p in PURPOSES {
        let _ = writeln!(out, "## {} — `{}`\n", tr(p.description), p.id);
        let _ = writeln!(out, "- {}: `{}`", l.purpose, p.id);
        let _ = writeln!(out, "- {}: {}", l.legal_basis, tr(p.legal_basis));
        let _ = writeln!(out, "- {}: {}", l.subjects, tr(subjects(p)));
        let _ = writeln!(out, "- {}: {}", l.categories, list(p.data_categories));
        let _ = writeln!(out, "- {}: {}", l.recipients, list(p.recipients));
        let _ = writeln!(out, "- {}: {} {}", l.retention, p.retention_days, l.days);
        let _ = writeln!(out, "- {}: {}", l.consent, if p.consent_required { l.yes } else { l.no });
        let _ = writeln!(out, "- {}: {}", l.risk, p.ai_act_risk);
        for (event, fields) in p.events {
            let _ = writeln!(out, "- {} ({event}): {}", l.fields, fields.join(", "));
        }
        let _ = writeln!(out, "- {}\n", l.transfers);
    }
    let _ = writeln!(out, "## {}\n", l.security);
    for measure in SECURITY {
        let _ = writeln!(out, "- {}", tr(measure));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_the_records_of_processing_has_a_dutch_and_german_translation() {
        use crate::purposes_i18n::has_translation;
        for p in PURPOSES {
            let texts = [p.description, p.legal_basis, subjects(p)];
            for text in texts.iter().chain(p.data_categories).chain(p.recipients) {
                assert!(has_translation(text), "{}: no translation of {text:?}", p.id);
            }
        }
        for measure in SECURITY {
            assert!(has_translation(measure), "no translation of {measure:?}");
        }
    }

    #[test]
    fn every_required_purpose_is_registered_once_with_a_complete_entry() {
        let required = [
            "recruiting.screening",
            "recruiting.matching",
            "recruiting.outreach",
            "onboarding.plans",
            "onboarding.learning_path",
            "onboarding.buddy_matching",
            "onboarding.checkins",
            "onboarding.risk_flags",
            "analytics.attrition_risk",
            "analytics.workforce_planning",
            "engagement.surveys",
            "engagement.pulse",
            "engagement.sentiment",
            "engagement.early_warning",
            "skills.inference",
            "performance.feedback_drafting",
            "performance.feedback",
            "performance.cycles",
            "performance.reviews",
            "performance.bias_check",
            "selfservice.assistant",
        ];
        for id in required {
            let p = find(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!p.legal_basis.is_empty() && !p.data_categories.is_empty() && p.retention_days > 0, "{id}");
            assert!(["high", "limited", "minimal", "none"].contains(&p.ai_act_risk), "{id}");
            assert!(!p.consent_required || p.legal_basis == CONSENT, "{id}: consent purposes rest on consent");
        }
        let mut ids: Vec<_> = PURPOSES.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PURPOSES.len());
    }

    #[test]
    fn records_of_processing_come_in_json_and_three_languages() {
        let json: serde_json::Value = serde_json::from_str(&records_json("Acme BV")).expect("json");
        assert_eq!(json["activities"].as_array().map(Vec::len), Some(PURPOSES.len()));
        assert!(records_markdown("Acme BV", "nl").contains("Rechtsgrond"));
        let nl = records_markdown("Acme BV", "nl");
        assert!(nl.contains("Ontvangen en administreren van sollicitaties") && !nl.contains("Receiving and"), "{nl}");
        assert!(records_markdown("Acme BV", "de").contains("Entgegennahme und Verwaltung von Bewerbungen"));
        assert!(records_markdown("Acme BV", "de").contains("Rechtsgrundlage"));
        assert!(records_markdown("Acme BV", "en").contains("Legal basis"));
    }
}
