//! Early flags: tasks overdue, a check-in missed or negative, learning stalled — each with its
//! reasons, for HR and the manager line only. A flag is a recommendation to talk with the new
//! hire, never an action: each new one is logged in governance's decision log (purpose
//! `onboarding.risk_flags`) before it is shown, and a person decides what to do.

use std::time::Duration as StdDuration;

use hrmesh_kit::{ApiError, locale::Locale, service::ServiceContext, time};
use hrmesh_proto::{
    governance::v1::{RecordDecisionRequest, governance_service_client::GovernanceServiceClient},
    onboarding::v1 as pb,
};
use sha2::{Digest, Sha256};

use crate::{
    checkins,
    plan::{self, Header, TaskRow, Why},
    purposes,
};

/// Model id in the decision log.
pub const MODEL: &str = "onboarding.early-flags";
/// Days after a check-in's day before it counts as missed.
pub const CHECKIN_GRACE: i64 = 7;
/// Days without a closed learning step, with one overdue, that count as stalled.
pub const STALL_DAYS: i64 = 21;
const DEADLINE: StdDuration = StdDuration::from_secs(5);

/// A flag and its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Raised {
    pub kind: &'static str,
    pub reasons: Vec<Why>,
}

/// The flags of one plan on `today`.
pub fn evaluate(header: &Header, tasks: &[TaskRow], checkins: &[checkins::Row], today: ::time::Date) -> Vec<Raised> {
    let start = header.start();
    let mut out = Vec::new();
    let overdue: Vec<Why> = tasks
        .iter()
        .filter(|t| t.is_open() && t.due() < today)
        .map(|t| {
            let days = (today - t.due()).whole_days();
            [
                format!("{} ({}) is {days} days overdue", t.title, t.task_key),
                format!("{} ({}) is {days} dagen over tijd", t.title, t.task_key),
                format!("{} ({}) ist {days} Tage überfällig", t.title, t.task_key),
            ]
        })
        .collect();
    if !overdue.is_empty() {
        out.push(Raised { kind: "overdue_tasks", reasons: overdue });
    }
    let missed: Vec<Why> = checkins::DAYS
        .iter()
        .filter(|d| today > start.saturating_add(::time::Duration::days(i64::from(**d) + CHECKIN_GRACE)))
        .filter(|d| !checkins.iter().any(|c| c.day == i64::from(**d) && c.respondent == "new_hire"))
        .map(|d| {
            [
                format!("the day-{d} check-in was not answered within {CHECKIN_GRACE} days"),
                format!("de check-in van dag {d} is niet binnen {CHECKIN_GRACE} dagen ingevuld"),
                format!("das Check-in von Tag {d} wurde nicht binnen {CHECKIN_GRACE} Tagen beantwortet"),
            ]
        })
        .collect();
    if !missed.is_empty() {
        out.push(Raised { kind: "missed_checkin", reasons: missed });
    }
    let negative: Vec<Why> = checkins
        .iter()
        .filter(|c| c.negative != 0)
        .map(|c| {
            let (who_en, who_nl, who_de) = if c.respondent == "manager" {
                ("manager", "leidinggevende", "Führungskraft")
            } else {
                ("new hire", "nieuwe medewerker", "neue Person")
            };
            let tone = c.sentiment.map(|s| {
                (
                    format!(", comment sentiment {s:.2}"),
                    format!(", toon van de opmerking {s:.2}"),
                    format!(", Tonalität des Kommentars {s:.2}"),
                )
            });
            let (t_en, t_nl, t_de) = tone.unwrap_or_default();
            [
                format!("day-{} check-in by the {who_en}: average rating {:.1} of 5{t_en}", c.day, c.rating),
                format!("check-in dag {} door de {who_nl}: gemiddeld {:.1} van 5{t_nl}", c.day, c.rating),
                format!("Check-in Tag {} durch die {who_de}: Durchschnitt {:.1} von 5{t_de}", c.day, c.rating),
            ]
        })
        .collect();
    if !negative.is_empty() {
        out.push(Raised { kind: "negative_checkin", reasons: negative });
    }
    let learning: Vec<&TaskRow> = tasks.iter().filter(|t| t.learning != 0).collect();
    let overdue_steps = learning.iter().filter(|t| t.is_open() && t.due() < today).count();
    let last_closed = learning.iter().filter(|t| t.status == "done").filter_map(|t| t.closed()).max().unwrap_or(start);
    let idle = (today - last_closed).whole_days();
    if overdue_steps > 0 && idle >= STALL_DAYS {
        out.push(Raised {
            kind: "learning_stalled",
            reasons: vec![[
                format!(
                    "no learning step completed for {idle} days; {overdue_steps} overdue (pace {:.2})",
                    header.pace
                ),
                format!("{idle} dagen geen leerstap afgerond; {overdue_steps} over tijd (tempo {:.2})", header.pace),
                format!(
                    "seit {idle} Tagen kein Lernschritt abgeschlossen; {overdue_steps} überfällig (Tempo {:.2})",
                    header.pace
                ),
            ]],
        });
    }
    out
}

/// Logs a new flag in governance as a recommendation; returns the decision id.
async fn log(ctx: &ServiceContext, employee_id: &str, flag: &Raised) -> Result<String, ApiError> {
    let explanation: Vec<&str> = flag.reasons.iter().map(|w| w[0].as_str()).collect();
    let explanation = explanation.join("; ");
    let mut client = GovernanceServiceClient::new(ctx.peers.channel_to("governance")?);
    let mut request = ctx.peers.request(RecordDecisionRequest {
        subject: employee_id.to_owned(),
        purpose: purposes::RISK_FLAGS.into(),
        model_id: MODEL.into(),
        model_version: "1".into(),
        input_hash: hex::encode(Sha256::digest(format!("{employee_id}|{}|{explanation}", flag.kind).as_bytes())),
        output: format!(
            "early flag {}: a recommendation to HR and the manager to talk with the new hire; no automated action",
            flag.kind
        ),
        explanation,
        ..Default::default()
    })?;
    request.set_timeout(DEADLINE);
    let decision = client
        .record_decision(request)
        .await
        .map_err(|s| ApiError::Unavailable(format!("governance cannot log the flag: {}", s.message())))?;
    Ok(decision.into_inner().decision_id)
}

/// The flags of `people` (everyone with a plan when `None`) on `today`, reasons in `locale`.
pub async fn list(
    ctx: &ServiceContext,
    people: Option<Vec<String>>,
    today: ::time::Date,
    locale: Locale,
) -> Result<Vec<pb::Flag>, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let headers: Vec<Header> = match people {
        None => plan::headers(&mut conn).await?,
        Some(ids) => {
            let mut out = Vec::new();
            for id in ids {
                if let Some(h) = plan::header(&mut conn, &id).await? {
                    out.push(h);
                }
            }
            out
        }
    };
    let mut found = Vec::new();
    for h in headers {
        let tasks = plan::tasks(&mut conn, &h.employee_id).await?;
        let checkins = checkins::of(&mut conn, &h.employee_id).await?;
        for flag in evaluate(&h, &tasks, &checkins, today) {
            found.push((h.employee_id.clone(), flag));
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (employee_id, flag) in found {
        let logged: Option<(String,)> =
            sqlx::query_as("SELECT decision_id FROM flags WHERE employee_id = $1 AND kind = $2")
                .bind(&employee_id)
                .bind(flag.kind)
                .fetch_optional(&mut *conn)
                .await?;
        if logged.is_none() {
            // Logged before it is shown: a flag governance has no record of is never given.
            let decision_id = log(ctx, &employee_id, &flag).await?;
            sqlx::query(
                "INSERT INTO flags (employee_id, kind, decision_id, raised_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (employee_id, kind) DO NOTHING",
            )
            .bind(&employee_id)
            .bind(flag.kind)
            .bind(decision_id)
            .bind(time::now_ms())
            .execute(&mut *conn)
            .await?;
        }
        out.push(pb::Flag {
            employee_id,
            kind: flag.kind.to_owned(),
            reasons: flag.reasons.iter().map(|w| w[locale.index()].clone()).collect(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(start: &str) -> Header {
        Header {
            employee_id: "h".into(),
            role: "Developer".into(),
            start_date: start.into(),
            created_at: 0,
            location: "NL".into(),
            language: "nl".into(),
            template_id: String::new(),
            skills_role_id: String::new(),
            manager_id: String::new(),
            probation_end: String::new(),
            pace: 1.0,
        }
    }

    fn task(key: &str, due: &str, learning: bool) -> TaskRow {
        TaskRow {
            task_key: key.into(),
            title: key.into(),
            phase: 3,
            owner: 2,
            assignee: String::new(),
            due_date: due.into(),
            depends_on: String::new(),
            status: "open".into(),
            reason: String::new(),
            skill_id: String::new(),
            learning: i64::from(learning),
            closed_on: String::new(),
        }
    }

    fn day(s: &str) -> ::time::Date {
        time::parse_date("d", s).expect("date")
    }

    #[test]
    fn a_plan_on_track_raises_nothing() {
        let checkin =
            checkins::Row { day: 7, respondent: "new_hire".into(), rating: 4.3, sentiment: Some(0.4), negative: 0 };
        let flags =
            evaluate(&header("2027-01-04"), &[task("laptop", "2027-01-20", false)], &[checkin], day("2027-01-15"));
        assert!(flags.is_empty(), "{flags:?}");
    }

    #[test]
    fn overdue_missed_negative_and_stalled_each_say_why() {
        let negative =
            checkins::Row { day: 7, respondent: "new_hire".into(), rating: 2.0, sentiment: None, negative: 1 };
        let tasks = [task("laptop", "2027-01-05", false), task("learn.rust", "2027-01-20", true)];
        let flags = evaluate(&header("2027-01-04"), &tasks, &[negative], day("2027-02-15"));
        let kinds: Vec<&str> = flags.iter().map(|f| f.kind).collect();
        assert_eq!(kinds, ["overdue_tasks", "missed_checkin", "negative_checkin", "learning_stalled"]);
        assert!(flags[0].reasons[0][1].contains("41 dagen over tijd"), "{:?}", flags[0].reasons);
        assert!(flags[1].reasons[0][0].contains("day-30"), "{:?}", flags[1].reasons);
        assert!(flags[2].reasons[0][2].contains("2.0 von 5"), "{:?}", flags[2].reasons);
    }
}
