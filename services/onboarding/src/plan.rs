//! Onboarding plans: started from the best-fitting template (by hand or by a hire in the people
//! service), read by the new hire, their manager line and HR, with every change and its reason.

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    events::{EventSource, raw_topic},
    locale::Locale,
    outbox, time,
};
use hrmesh_proto::onboarding::v1::{self as pb, OnboardingStarted, OnboardingTaskChanged};
use sqlx::AnyConnection;

use crate::{buddy, probation, purposes, templates};

/// A reason in English, Dutch and German (the order of [`Locale::ALL`]).
pub type Why = [String; 3];

/// A validated start request.
#[derive(Debug, Clone)]
pub struct NewOnboarding {
    pub employee_id: String,
    pub role: String,
    pub start_date: ::time::Date,
    pub location: String,
    pub language: Locale,
    pub manager_id: String,
    pub contract_kind: String,
    pub contract_end: Option<::time::Date>,
    pub probation_end: Option<::time::Date>,
}

impl NewOnboarding {
    pub fn parse(req: &pb::StartOnboardingRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let employee_id = v.check(identifier("employee_id", &req.employee_id));
        let role = v.check(required_text("role", &req.role, 200));
        let start_date = v.check(time::parse_date("start_date", &req.start_date));
        let location = req.location.trim().to_uppercase();
        if !location.is_empty() && !["NL", "DE", "BE"].contains(&location.as_str()) {
            v.add("location", "NL, DE, BE or empty");
        }
        let language = v.check(Locale::of_field("language", &req.language));
        if !req.manager_id.is_empty() {
            v.check(identifier("manager_id", &req.manager_id));
        }
        let contract_end = v.check(time::parse_optional_date("contract_end", &req.contract_end));
        let probation_end = v.check(time::parse_optional_date("probation_end", &req.probation_end));
        match (employee_id, role, start_date, language, contract_end, probation_end) {
            (
                Some(employee_id),
                Some(role),
                Some(start_date),
                Some(language),
                Some(contract_end),
                Some(probation_end),
            ) if v.is_empty() => Ok(Self {
                employee_id,
                role,
                start_date,
                location,
                language,
                manager_id: req.manager_id.clone(),
                contract_kind: req.contract_kind.trim().to_owned(),
                contract_end,
                probation_end,
            }),
            _ => Err(v.into_error()),
        }
    }
}

/// Stores a plan change with its reason in three languages.
pub async fn record_change(
    conn: &mut AnyConnection,
    employee_id: &str,
    kind: &str,
    task_key: &str,
    actor: &str,
    why: &Why,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plan_changes (change_id, employee_id, at, kind, task_key, actor, why_en, why_nl, why_de)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(employee_id)
    .bind(time::now_ms())
    .bind(kind)
    .bind(task_key)
    .bind(actor)
    .bind(&why[0])
    .bind(&why[1])
    .bind(&why[2])
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the onboarding, its tasks from the best template and its `OnboardingStarted` event
/// on `conn` (a transaction); ALREADY_EXISTS when the employee has one.
pub async fn start(
    conn: &mut AnyConnection,
    events: &EventSource,
    new: &NewOnboarding,
    actor: &str,
) -> Result<(), ApiError> {
    let template = templates::best(conn, &new.role, &new.location, new.language.code()).await?;
    let probation =
        probation::end(&new.location, new.start_date, &new.contract_kind, new.contract_end, new.probation_end);
    let (template_id, skills_role_id) =
        template.as_ref().map(|t| (t.template_id.clone(), t.skills_role_id.clone())).unwrap_or_default();
    sqlx::query(
        "INSERT INTO onboardings (employee_id, role, start_date, created_at, location, language, template_id,
         skills_role_id, manager_id, contract_kind, contract_end, probation_end)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&new.employee_id)
    .bind(&new.role)
    .bind(time::format_date(new.start_date))
    .bind(time::now_ms())
    .bind(&new.location)
    .bind(new.language.code())
    .bind(&template_id)
    .bind(&skills_role_id)
    .bind(&new.manager_id)
    .bind(&new.contract_kind)
    .bind(new.contract_end.map(time::format_date).unwrap_or_default())
    .bind(probation.end.map(time::format_date).unwrap_or_default())
    .execute(&mut *conn)
    .await
    .map_err(|e| ApiError::on_conflict(e, || format!("employee {} is already onboarding", new.employee_id)))?;
    let tasks = template.as_ref().map(|t| t.tasks.as_slice()).unwrap_or_default();
    for (position, task) in tasks.iter().enumerate() {
        let due = new.start_date.saturating_add(::time::Duration::days(i64::from(task.due_offset_days)));
        insert_task(
            conn,
            &new.employee_id,
            &TaskInsert {
                task_key: &task.task_key,
                position: i64::try_from(position).unwrap_or(i64::MAX),
                title: &task.title,
                phase: task.phase,
                owner: task.owner,
                due,
                depends_on: &task.depends_on.join(","),
                skill_id: "",
                learning: false,
            },
        )
        .await?;
    }
    let why: Why = match &template {
        Some(t) => [
            format!(
                "Plan from template {} for {} ({}, {}): {} tasks",
                t.template_id,
                t.role,
                if t.location.is_empty() { "any location" } else { &t.location },
                t.language,
                tasks.len()
            ),
            format!(
                "Plan uit sjabloon {} voor {} ({}, {}): {} taken",
                t.template_id,
                t.role,
                if t.location.is_empty() { "elke locatie" } else { &t.location },
                t.language,
                tasks.len()
            ),
            format!(
                "Plan aus der Vorlage {} für {} ({}, {}): {} Aufgaben",
                t.template_id,
                t.role,
                if t.location.is_empty() { "jeder Standort" } else { &t.location },
                t.language,
                tasks.len()
            ),
        ],
        None => [
            format!("No template fits the role {}: the plan starts empty", new.role),
            format!("Geen sjabloon past bij de functie {}: het plan begint leeg", new.role),
            format!("Keine Vorlage passt zur Rolle {}: der Plan beginnt leer", new.role),
        ],
    };
    record_change(conn, &new.employee_id, "started", "", actor, &why).await?;
    record_change(conn, &new.employee_id, "probation", "", "onboarding", &probation.why).await?;
    let event = OnboardingStarted {
        role: new.role.clone(),
        start_date: time::format_date(new.start_date),
        template_id,
        tasks: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
    };
    let envelope = events.envelope(&new.employee_id, purposes::PLANS, &event);
    outbox::enqueue(conn, &raw_topic(crate::NAME), &envelope).await?;
    Ok(())
}

/// One task to store.
pub struct TaskInsert<'a> {
    pub task_key: &'a str,
    pub position: i64,
    pub title: &'a str,
    pub phase: i32,
    pub owner: i32,
    pub due: ::time::Date,
    pub depends_on: &'a str,
    pub skill_id: &'a str,
    pub learning: bool,
}

/// Adds a task to a plan; `false` when the plan has it already.
pub async fn insert_task(conn: &mut AnyConnection, employee_id: &str, t: &TaskInsert<'_>) -> Result<bool, ApiError> {
    let done = sqlx::query(
        "INSERT INTO tasks (employee_id, task_key, position, title, phase, owner, assignee, due_date, depends_on,
         status, reason, skill_id, learning, closed_on)
         VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, 'open', '', $9, $10, '')
         ON CONFLICT (employee_id, task_key) DO NOTHING",
    )
    .bind(employee_id)
    .bind(t.task_key)
    .bind(t.position)
    .bind(t.title)
    .bind(i64::from(t.phase))
    .bind(i64::from(t.owner))
    .bind(time::format_date(t.due))
    .bind(t.depends_on)
    .bind(t.skill_id)
    .bind(i64::from(t.learning))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A plan's header row.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Header {
    pub employee_id: String,
    pub role: String,
    pub start_date: String,
    pub created_at: i64,
    pub location: String,
    pub language: String,
    pub template_id: String,
    pub skills_role_id: String,
    pub manager_id: String,
    pub probation_end: String,
    pub pace: f64,
}

impl Header {
    /// The start date (stored valid).
    pub fn start(&self) -> ::time::Date {
        time::parse_date("start_date", &self.start_date).unwrap_or_else(|_| time::today())
    }

    /// The plan's language.
    pub fn locale(&self) -> Locale {
        Locale::parse(&self.language).unwrap_or(Locale::En)
    }
}

/// A stored task.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TaskRow {
    pub task_key: String,
    pub title: String,
    pub phase: i64,
    pub owner: i64,
    pub assignee: String,
    pub due_date: String,
    pub depends_on: String,
    pub status: String,
    pub reason: String,
    pub skill_id: String,
    pub learning: i64,
    pub closed_on: String,
}

impl TaskRow {
    pub fn due(&self) -> ::time::Date {
        time::parse_date("due_date", &self.due_date).unwrap_or_else(|_| time::today())
    }

    pub fn closed(&self) -> Option<::time::Date> {
        time::parse_optional_date("closed_on", &self.closed_on).ok().flatten()
    }

    pub fn is_open(&self) -> bool {
        self.status == "open"
    }

    fn to_proto(&self) -> pb::Task {
        pb::Task {
            task_key: self.task_key.clone(),
            title: self.title.clone(),
            phase: i32::try_from(self.phase).unwrap_or(0),
            owner: i32::try_from(self.owner).unwrap_or(0),
            assignee: self.assignee.clone(),
            due_date: self.due_date.clone(),
            depends_on: templates::split_list(&self.depends_on),
            status: self.status.clone(),
            reason: self.reason.clone(),
            skill_id: self.skill_id.clone(),
            learning: self.learning != 0,
        }
    }
}

const HEADER: &str =
    "SELECT employee_id, role, start_date, created_at, location, language, template_id, skills_role_id,
    manager_id, probation_end, pace FROM onboardings";

/// The plan header of `employee_id`, if any.
pub async fn header(conn: &mut AnyConnection, employee_id: &str) -> Result<Option<Header>, sqlx::Error> {
    let sql = format!("{HEADER} WHERE employee_id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(employee_id).fetch_optional(conn).await
}

/// Every plan header, oldest start first.
pub async fn headers(conn: &mut AnyConnection) -> Result<Vec<Header>, sqlx::Error> {
    let sql = format!("{HEADER} ORDER BY start_date, employee_id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(conn).await
}

/// The plan header or NOT_FOUND.
pub async fn require(conn: &mut AnyConnection, employee_id: &str) -> Result<Header, ApiError> {
    header(conn, employee_id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("employee {employee_id} has no onboarding")))
}

/// The tasks of a plan in order.
pub async fn tasks(conn: &mut AnyConnection, employee_id: &str) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT task_key, title, phase, owner, assignee, due_date, depends_on, status, reason, skill_id, learning,
         closed_on FROM tasks WHERE employee_id = $1 ORDER BY position, task_key",
    )
    .bind(employee_id)
    .fetch_all(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: i64,
    kind: String,
    task_key: String,
    actor: String,
    why_en: String,
    why_nl: String,
    why_de: String,
}

/// The whole plan, its reasons in `locale` (the plan's language when `None`).
pub async fn load(
    conn: &mut AnyConnection,
    employee_id: &str,
    locale: Option<Locale>,
) -> Result<Option<pb::Onboarding>, ApiError> {
    let Some(h) = header(conn, employee_id).await? else { return Ok(None) };
    let locale = locale.unwrap_or_else(|| h.locale());
    let tasks = tasks(conn, employee_id).await?;
    let changes: Vec<ChangeRow> = sqlx::query_as(
        "SELECT at, kind, task_key, actor, why_en, why_nl, why_de FROM plan_changes WHERE employee_id = $1
         ORDER BY at, change_id",
    )
    .bind(employee_id)
    .fetch_all(&mut *conn)
    .await?;
    let buddy = buddy::current(conn, employee_id, locale).await?;
    Ok(Some(pb::Onboarding {
        employee_id: h.employee_id,
        role: h.role,
        start_date: h.start_date,
        created_at: Some(time::timestamp(h.created_at)),
        location: h.location,
        language: h.language,
        template_id: h.template_id,
        tasks: tasks.iter().map(TaskRow::to_proto).collect(),
        changes: changes
            .into_iter()
            .map(|c| pb::PlanChange {
                at: Some(time::timestamp(c.at)),
                kind: c.kind,
                task_key: c.task_key,
                why: match locale {
                    Locale::En => c.why_en,
                    Locale::Nl => c.why_nl,
                    Locale::De => c.why_de,
                },
                actor: c.actor,
            })
            .collect(),
        pace: h.pace,
        probation_end: h.probation_end,
        buddy,
    }))
}

/// What a task update does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Done { on: ::time::Date },
    Skip { reason: String },
    Reassign { assignee: String, reason: String },
}

impl Action {
    pub fn parse(req: &pb::UpdateTaskRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let action = match req.action.trim() {
            "done" => v
                .check(time::parse_optional_date("done_on", &req.done_on))
                .map(|on| Action::Done { on: on.unwrap_or_else(time::today) }),
            "skip" => v.check(required_text("reason", &req.reason, 1000)).map(|reason| Action::Skip { reason }),
            "reassign" => v
                .check(identifier("assignee", &req.assignee))
                .map(|assignee| Action::Reassign { assignee, reason: req.reason.trim().to_owned() }),
            _ => {
                v.add("action", "done, skip or reassign");
                None
            }
        };
        match action {
            Some(a) if v.is_empty() => Ok(a),
            _ => Err(v.into_error()),
        }
    }
}

/// Applies `action` to a task with its change record and `OnboardingTaskChanged` event.
pub async fn update_task(
    conn: &mut AnyConnection,
    events: &EventSource,
    employee_id: &str,
    task_key: &str,
    action: &Action,
    actor: &str,
) -> Result<(), ApiError> {
    require(conn, employee_id).await?;
    let all = tasks(conn, employee_id).await?;
    let task = all
        .iter()
        .find(|t| t.task_key == task_key)
        .ok_or_else(|| ApiError::NotFound(format!("the plan has no task {task_key}")))?;
    if !task.is_open() {
        return Err(ApiError::FailedPrecondition(format!("task {task_key} is {} already", task.status)));
    }
    let (status, why): (&str, Why) = match action {
        Action::Done { on } => {
            let open: Vec<&str> = templates::split_list(&task.depends_on)
                .iter()
                .filter_map(|d| all.iter().find(|t| &t.task_key == d && t.is_open()).map(|t| t.task_key.as_str()))
                .collect();
            if !open.is_empty() {
                return Err(ApiError::FailedPrecondition(format!(
                    "task {task_key} waits for {} / wacht op / wartet auf",
                    open.join(", ")
                )));
            }
            sqlx::query("UPDATE tasks SET status = 'done', closed_on = $3 WHERE employee_id = $1 AND task_key = $2")
                .bind(employee_id)
                .bind(task_key)
                .bind(time::format_date(*on))
                .execute(&mut *conn)
                .await?;
            let d = time::format_date(*on);
            ("done", [format!("Done on {d}"), format!("Afgerond op {d}"), format!("Erledigt am {d}")])
        }
        Action::Skip { reason } => {
            sqlx::query(
                "UPDATE tasks SET status = 'skipped', reason = $3, closed_on = $4 WHERE employee_id = $1 AND task_key = $2",
            )
            .bind(employee_id)
            .bind(task_key)
            .bind(reason)
            .bind(time::format_date(time::today()))
            .execute(&mut *conn)
            .await?;
            (
                "skipped",
                [format!("Skipped: {reason}"), format!("Overgeslagen: {reason}"), format!("Übersprungen: {reason}")],
            )
        }
        Action::Reassign { assignee, reason } => {
            sqlx::query("UPDATE tasks SET assignee = $3 WHERE employee_id = $1 AND task_key = $2")
                .bind(employee_id)
                .bind(task_key)
                .bind(assignee)
                .execute(&mut *conn)
                .await?;
            let tail = if reason.is_empty() { String::new() } else { format!(": {reason}") };
            (
                "reassigned",
                [
                    format!("Reassigned to {assignee}{tail}"),
                    format!("Overgedragen aan {assignee}{tail}"),
                    format!("Übertragen an {assignee}{tail}"),
                ],
            )
        }
    };
    record_change(conn, employee_id, status, task_key, actor, &why).await?;
    let with_reason = matches!(action, Action::Skip { .. })
        || matches!(action, Action::Reassign { reason, .. } if !reason.is_empty());
    let event = OnboardingTaskChanged { task_key: task_key.to_owned(), status: status.to_owned(), with_reason };
    let envelope = events.envelope(employee_id, purposes::PLANS, &event);
    outbox::enqueue(conn, &raw_topic(crate::NAME), &envelope).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_invalid_field() {
        let req = pb::StartOnboardingRequest {
            employee_id: String::new(),
            role: " ".into(),
            start_date: "soon".into(),
            location: "FR".into(),
            ..Default::default()
        };
        let Err(ApiError::InvalidArgument(v)) = NewOnboarding::parse(&req) else { panic!("expected invalid") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["employee_id", "role", "start_date", "location"]);
    }

    #[test]
    fn a_skip_needs_a_reason_and_a_reassignment_an_assignee() {
        let req = |action: &str| pb::UpdateTaskRequest { action: action.into(), ..Default::default() };
        let Err(ApiError::InvalidArgument(v)) = Action::parse(&req("skip")) else { panic!("skip without reason") };
        assert_eq!(v[0].field, "reason");
        let Err(ApiError::InvalidArgument(v)) = Action::parse(&req("reassign")) else { panic!("no assignee") };
        assert_eq!(v[0].field, "assignee");
        assert!(Action::parse(&req("archive")).is_err());
        assert!(matches!(Action::parse(&req("done")), Ok(Action::Done { .. })));
    }
}
