//! The learning part of a plan adapts to the person:
//! - steps come from the skills service's gap between the person's profile and the template's
//!   skills role, read when the new hire, their manager or HR asks for it (a read the caller
//!   waits on; the profile may change until then, and a gap computed at hire time would be stale);
//! - prior knowledge removes steps: a requirement the profile meets (declared or verified skills)
//!   gets no step, and a self-check scored from [`SELF_CHECK_PASS`] removes its step;
//! - pace is the planned duration of the steps done (or overdue) against the time they took;
//!   from [`FASTER`] or at most [`SLOWER`] the remaining learning deadlines are re-timed.
//!
//! Every change is stored with why, in Dutch, German and English.

use std::time::Duration as StdDuration;

use hrmesh_kit::{
    ApiError,
    events::{EventSource, raw_topic},
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::{
    onboarding::v1::{LearningPathAdapted, OwnerKind, Phase},
    skills::v1::{AnalyzeGapRequest, GapReport, skills_service_client::SkillsServiceClient},
};
use sqlx::AnyConnection;

use crate::{
    plan::{self, TaskInsert, TaskRow, Why},
    purposes,
};

/// A self-check score (percent) from which a module counts as known.
pub const SELF_CHECK_PASS: u32 = 80;
/// Pace from which the remaining steps are brought forward.
pub const FASTER: f64 = 1.25;
/// Pace at or below which the remaining steps get more time.
pub const SLOWER: f64 = 0.8;
/// How long the skills service may take.
const DEADLINE: StdDuration = StdDuration::from_secs(5);

/// The person's gap for `role_id`, read from the skills service with onboarding's service token.
pub async fn gap(ctx: &ServiceContext, employee_id: &str, role_id: &str, locale: &str) -> Result<GapReport, ApiError> {
    let mut client = SkillsServiceClient::new(ctx.peers.channel_to("skills")?);
    let mut request = ctx.peers.request(AnalyzeGapRequest {
        employee_id: employee_id.to_owned(),
        role_id: role_id.to_owned(),
        locale: locale.to_owned(),
    })?;
    request.set_timeout(DEADLINE);
    match client.analyze_gap(request).await {
        Ok(r) => Ok(r.into_inner()),
        Err(s) if s.code() == tonic::Code::NotFound => {
            Err(ApiError::FailedPrecondition(format!("the skills service has no gap to plan from: {}", s.message())))
        }
        Err(s) => Err(ApiError::Unavailable(format!("skills cannot answer: {}", s.message()))),
    }
}

/// Adds the learning steps from `report` to the plan (steps the plan has are kept); returns how
/// many were added and how many prior knowledge removed.
pub async fn add_steps(
    conn: &mut AnyConnection,
    events: &EventSource,
    employee_id: &str,
    report: &GapReport,
    actor: &str,
) -> Result<(usize, usize), ApiError> {
    let header = plan::require(conn, employee_id).await?;
    let start = header.start();
    let (mut added, mut removed) = (0, 0);
    let (mut essential_n, mut other_n) = (0i64, 0i64);
    for (i, req) in report.requirements.iter().enumerate() {
        let Some(skill) = &req.skill else { continue };
        let key = format!("learn.{}", skill.skill_id);
        let known = plan::tasks(conn, employee_id).await?.iter().any(|t| t.task_key == key);
        let already_recorded: Option<(String,)> = sqlx::query_as(
            "SELECT kind FROM plan_changes WHERE employee_id = $1 AND task_key = $2 AND kind = 'step_removed'",
        )
        .bind(employee_id)
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
        if known || already_recorded.is_some() {
            continue;
        }
        let label = &skill.label;
        if req.status == "met" {
            let why: Why = [
                format!(
                    "{label}: already known at level {} of {} required (skills profile: declared or verified)",
                    req.current_level, req.required_level
                ),
                format!(
                    "{label}: al bekend op niveau {} van {} vereist (vaardighedenprofiel: opgegeven of bevestigd)",
                    req.current_level, req.required_level
                ),
                format!(
                    "{label}: bereits bekannt auf Stufe {} von {} verlangt (Kompetenzprofil: angegeben oder bestätigt)",
                    req.current_level, req.required_level
                ),
            ];
            plan::record_change(conn, employee_id, "step_removed", &key, "onboarding", &why).await?;
            removed += 1;
            continue;
        }
        // Essential skills first, within the first month; the rest by the end of month three.
        let (phase, offset) = if req.essential {
            essential_n += 1;
            (Phase::MonthOne, 7 + 7 * essential_n)
        } else {
            other_n += 1;
            (Phase::MonthThree, 30 + 15 * other_n)
        };
        let title = match header.locale() {
            hrmesh_kit::locale::Locale::Nl => format!("Leren: {label}"),
            hrmesh_kit::locale::Locale::De => format!("Lernen: {label}"),
            hrmesh_kit::locale::Locale::En => format!("Learn: {label}"),
        };
        let inserted = plan::insert_task(
            conn,
            employee_id,
            &TaskInsert {
                task_key: &key,
                position: 1000 + i64::try_from(i).unwrap_or(0),
                title: &title,
                phase: phase as i32,
                owner: OwnerKind::NewHire as i32,
                due: start.saturating_add(::time::Duration::days(offset.min(90))),
                depends_on: "",
                skill_id: &skill.skill_id,
                learning: true,
            },
        )
        .await?;
        if inserted {
            let status = match req.status.as_str() {
                "partial" => ["partly known", "deels bekend", "teilweise bekannt"],
                "covered_by_related" => [
                    "covered by a related skill only",
                    "alleen gedekt door een verwante vaardigheid",
                    "nur durch eine verwandte Fähigkeit abgedeckt",
                ],
                _ => ["missing", "ontbreekt", "fehlt"],
            };
            let why: Why = [
                format!("{label}: {} for the role (level {} of {})", status[0], req.current_level, req.required_level),
                format!(
                    "{label}: {} voor de functie (niveau {} van {})",
                    status[1], req.current_level, req.required_level
                ),
                format!(
                    "{label}: {} für die Rolle (Stufe {} von {})",
                    status[2], req.current_level, req.required_level
                ),
            ];
            plan::record_change(conn, employee_id, "learning_added", &key, actor, &why).await?;
            added += 1;
        }
    }
    if added + removed > 0 {
        emit(
            conn,
            events,
            employee_id,
            if added > 0 { "learning_added" } else { "step_removed" },
            added + removed,
            header.pace,
        )
        .await?;
    }
    Ok((added, removed))
}

async fn emit(
    conn: &mut AnyConnection,
    events: &EventSource,
    employee_id: &str,
    kind: &str,
    steps: usize,
    pace: f64,
) -> Result<(), ApiError> {
    let event = LearningPathAdapted { kind: kind.to_owned(), steps: u32::try_from(steps).unwrap_or(u32::MAX), pace };
    let envelope = events.envelope(employee_id, purposes::LEARNING_PATH, &event);
    outbox::enqueue(conn, &raw_topic(crate::NAME), &envelope).await?;
    Ok(())
}

/// Records a self-check; from [`SELF_CHECK_PASS`] the step is removed as prior knowledge.
pub async fn self_check(
    conn: &mut AnyConnection,
    events: &EventSource,
    employee_id: &str,
    task_key: &str,
    score: u32,
    actor: &str,
) -> Result<(), ApiError> {
    let header = plan::require(conn, employee_id).await?;
    let task = plan::tasks(conn, employee_id)
        .await?
        .into_iter()
        .find(|t| t.task_key == task_key && t.learning != 0)
        .ok_or_else(|| ApiError::NotFound(format!("the plan has no learning step {task_key}")))?;
    if !task.is_open() {
        return Err(ApiError::FailedPrecondition(format!("step {task_key} is {} already", task.status)));
    }
    if score >= SELF_CHECK_PASS {
        sqlx::query(
            "UPDATE tasks SET status = 'skipped', reason = $3, closed_on = $4 WHERE employee_id = $1 AND task_key = $2",
        )
        .bind(employee_id)
        .bind(task_key)
        .bind(format!("self-check {score}%"))
        .bind(time::format_date(time::today()))
        .execute(&mut *conn)
        .await?;
        let why: Why = [
            format!("Self-check {score}% (pass from {SELF_CHECK_PASS}%): {} is known, the step is removed", task.title),
            format!(
                "Zelftest {score}% (voldoende vanaf {SELF_CHECK_PASS}%): {} is bekend, de stap vervalt",
                task.title
            ),
            format!(
                "Selbsttest {score} % (bestanden ab {SELF_CHECK_PASS} %): {} ist bekannt, der Schritt entfällt",
                task.title
            ),
        ];
        plan::record_change(conn, employee_id, "step_removed", task_key, actor, &why).await?;
        emit(conn, events, employee_id, "step_removed", 1, header.pace).await?;
    } else {
        let why: Why = [
            format!("Self-check {score}% (below {SELF_CHECK_PASS}%): the step stays"),
            format!("Zelftest {score}% (onder {SELF_CHECK_PASS}%): de stap blijft"),
            format!("Selbsttest {score} % (unter {SELF_CHECK_PASS} %): der Schritt bleibt"),
        ];
        plan::record_change(conn, employee_id, "self_check", task_key, actor, &why).await?;
    }
    Ok(())
}

/// The pace of a plan on `today`: planned days of the learning steps done or overdue against the
/// days they took (a done step took start → closed, an overdue one start → today so far).
/// `None` while no step is done or overdue.
pub fn pace(start: ::time::Date, tasks: &[TaskRow], today: ::time::Date) -> Option<f64> {
    let (mut planned, mut taken) = (0i64, 0i64);
    for t in tasks.iter().filter(|t| t.learning != 0) {
        let took_until = match (t.status.as_str(), t.closed()) {
            ("done", Some(closed)) => closed,
            ("open", _) if t.due() < today => today,
            _ => continue,
        };
        planned += (t.due() - start).whole_days().max(1);
        taken += (took_until - start).whole_days().max(1);
    }
    (taken > 0).then(|| planned as f64 / taken as f64)
}

/// New deadlines for the open learning steps at `pace`: each step's time from the start is
/// divided by the pace, never earlier than `today`.
pub fn retime(start: ::time::Date, tasks: &[TaskRow], pace: f64, today: ::time::Date) -> Vec<(String, ::time::Date)> {
    let pace = pace.clamp(0.5, 2.0);
    tasks
        .iter()
        .filter(|t| t.learning != 0 && t.is_open())
        .filter_map(|t| {
            let days = (t.due() - start).whole_days().max(1) as f64 / pace;
            let due = start.saturating_add(::time::Duration::days(days.round() as i64)).max(today);
            (due != t.due()).then(|| (t.task_key.clone(), due))
        })
        .collect()
}

/// Measures the pace on `today` and re-times the open learning steps when it crossed a
/// threshold; returns the pace.
pub async fn remeasure(
    conn: &mut AnyConnection,
    events: &EventSource,
    employee_id: &str,
    today: ::time::Date,
) -> Result<Option<f64>, ApiError> {
    let header = plan::require(conn, employee_id).await?;
    let start = header.start();
    let tasks = plan::tasks(conn, employee_id).await?;
    let Some(pace) = pace(start, &tasks, today) else { return Ok(None) };
    sqlx::query("UPDATE onboardings SET pace = $2 WHERE employee_id = $1")
        .bind(employee_id)
        .bind(pace)
        .execute(&mut *conn)
        .await?;
    if pace > SLOWER && pace < FASTER {
        return Ok(Some(pace));
    }
    let moves = retime(start, &tasks, pace, today);
    if moves.is_empty() {
        return Ok(Some(pace));
    }
    for (key, due) in &moves {
        sqlx::query("UPDATE tasks SET due_date = $3 WHERE employee_id = $1 AND task_key = $2")
            .bind(employee_id)
            .bind(key)
            .bind(time::format_date(*due))
            .execute(&mut *conn)
            .await?;
    }
    let n = moves.len();
    let listed: Vec<String> = moves.iter().map(|(k, d)| format!("{k} → {}", time::format_date(*d))).collect();
    let listed = listed.join(", ");
    let why: Why = if pace >= FASTER {
        [
            format!(
                "Pace {pace:.2} (faster than planned, threshold {FASTER}): {n} learning deadlines brought forward: {listed}"
            ),
            format!("Tempo {pace:.2} (sneller dan gepland, drempel {FASTER}): {n} leerdeadlines vervroegd: {listed}"),
            format!("Tempo {pace:.2} (schneller als geplant, Schwelle {FASTER}): {n} Lernfristen vorgezogen: {listed}"),
        ]
    } else {
        [
            format!(
                "Pace {pace:.2} (slower than planned, threshold {SLOWER}): {n} learning deadlines given more time: {listed}"
            ),
            format!(
                "Tempo {pace:.2} (langzamer dan gepland, drempel {SLOWER}): {n} leerdeadlines krijgen meer tijd: {listed}"
            ),
            format!("Tempo {pace:.2} (langsamer als geplant, Schwelle {SLOWER}): {n} Lernfristen verlängert: {listed}"),
        ]
    };
    plan::record_change(conn, employee_id, "retimed", "", "onboarding", &why).await?;
    emit(conn, events, employee_id, "retimed", n, pace).await?;
    Ok(Some(pace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> ::time::Date {
        time::parse_date("d", s).expect("date")
    }

    fn step(key: &str, due: &str, status: &str, closed: &str) -> TaskRow {
        TaskRow {
            task_key: key.into(),
            title: key.into(),
            phase: 4,
            owner: 5,
            assignee: String::new(),
            due_date: due.into(),
            depends_on: String::new(),
            status: status.into(),
            reason: String::new(),
            skill_id: key.into(),
            learning: 1,
            closed_on: closed.into(),
        }
    }

    #[test]
    fn a_fast_learner_gets_earlier_deadlines() {
        let start = d("2027-01-04");
        let tasks = vec![
            step("a", "2027-01-18", "done", "2027-01-09"),
            step("b", "2027-02-03", "open", ""),
            step("c", "2027-03-05", "open", ""),
        ];
        let pace = pace(start, &tasks, d("2027-01-09")).expect("measured");
        assert!((pace - 14.0 / 5.0).abs() < 1e-9, "{pace}");
        let moves = retime(start, &tasks, pace, d("2027-01-09"));
        // At most twice as fast: 30 days become 15, 60 become 30.
        assert_eq!(moves, vec![("b".into(), d("2027-01-19")), ("c".into(), d("2027-02-03"))]);
    }

    #[test]
    fn an_overdue_step_slows_the_pace_and_stretches_what_remains() {
        let start = d("2027-01-04");
        let tasks = vec![step("a", "2027-01-18", "open", ""), step("b", "2027-02-03", "open", "")];
        let today = d("2027-02-01");
        let pace = pace(start, &tasks, today).expect("overdue counts");
        assert!(pace <= SLOWER, "{pace}");
        let moves = retime(start, &tasks, pace, today);
        assert!(moves.iter().all(|(_, due)| *due >= today));
        assert!(moves.iter().any(|(k, due)| k == "b" && *due > d("2027-02-03")), "{moves:?}");
    }

    #[test]
    fn no_pace_before_any_step_is_done_or_due() {
        let tasks = vec![step("a", "2027-01-18", "open", "")];
        assert_eq!(pace(d("2027-01-04"), &tasks, d("2027-01-10")), None);
    }
}
