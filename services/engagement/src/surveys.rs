//! Surveys and their rounds: creation with the 60-second rule, the audience taken from the
//! people service when a round opens, rotation of a recurring pulse's questions, reminders.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{
    ApiError, Violations,
    error::{identifier, required_text},
    events::raw_topic,
    locale::Locale,
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::engagement::v1::{self as pb, CreateSurveyRequest, PulseReminderDue};
use sqlx::AnyConnection;

use crate::{
    org, purposes,
    questions::{self, MAX_QUESTIONS, MAX_SECONDS, Rotation},
};

/// Longest survey, in days, and longest interval between rounds.
const MAX_DAYS: i64 = 3 * 366;

/// A validated survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurvey {
    pub title: String,
    pub rotation: Rotation,
    pub org_units: Vec<String>,
    pub opens_on: ::time::Date,
    pub closes_on: ::time::Date,
    pub interval_days: u32,
    /// The longest round of the rotation, in seconds.
    pub estimated_seconds: u32,
}

fn ids(field: &str, values: &[String], v: &mut Violations) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let field = format!("{field}[{i}]");
        if let Some(id) = v.check(identifier(&field, value.trim())) {
            if out.contains(&id) {
                v.add(&field, format!("{id} is named twice"));
            } else {
                out.push(id);
            }
        }
    }
    out
}

impl NewSurvey {
    /// Parses a request: known questions, at most 5 per round, every round answerable in 60 s.
    pub fn parse(req: &CreateSurveyRequest) -> Result<Self, ApiError> {
        let mut v = Violations::default();
        let title = v.check(required_text("title", &req.title, 200));
        let pool = ids("question_ids", &req.question_ids, &mut v);
        let pinned = ids("pinned_question_ids", &req.pinned_question_ids, &mut v);
        for (field, list) in [("question_ids", &pool), ("pinned_question_ids", &pinned)] {
            for (i, id) in list.iter().enumerate() {
                if questions::find(id).is_none() {
                    v.add(&format!("{field}[{i}]"), format!("no question {id} in the library"));
                }
            }
        }
        let pool: Vec<String> = pool.into_iter().filter(|id| !pinned.contains(id)).collect();
        if pool.is_empty() && pinned.is_empty() {
            v.add("question_ids", "a survey asks at least one question");
        }
        let recurring = req.interval_days > 0;
        let all = pool.len() + pinned.len();
        let per_round = match req.questions_per_round as usize {
            0 => all,
            n => n,
        };
        if per_round > MAX_QUESTIONS || (!recurring && all > MAX_QUESTIONS) {
            v.add(
                if req.questions_per_round > 0 { "questions_per_round" } else { "question_ids" },
                format!(
                    "a pulse asks at most {MAX_QUESTIONS} questions per round; a recurring pulse rotates a larger \
                     pool with questions_per_round"
                ),
            );
        }
        if per_round < pinned.len() {
            v.add("questions_per_round", "must be at least the number of pinned questions");
        }
        let org_units = ids("org_unit_ids", &req.org_unit_ids, &mut v);
        if org_units.is_empty() {
            v.add("org_unit_ids", "name at least one org unit (its sub-units are included)");
        }
        let opens_on = v.check(time::parse_date("opens_on", &req.opens_on));
        let closes_on = v.check(time::parse_date("closes_on", &req.closes_on));
        if let (Some(open), Some(close)) = (opens_on, closes_on) {
            let days = (close - open).whole_days();
            if days < 0 {
                v.add("closes_on", "must not be before opens_on");
            } else if days > MAX_DAYS {
                v.add("closes_on", "a survey runs at most three years");
            }
        }
        if i64::from(req.interval_days) > MAX_DAYS {
            v.add("interval_days", "must be at most 1098");
        }
        let rotation = Rotation { pinned, pool, per_round: per_round.min(MAX_QUESTIONS) };
        let mut estimated_seconds = 0;
        if v.is_empty() {
            for round in rotation.cycle() {
                let asked: Vec<_> = round.iter().filter_map(|id| questions::find(id)).collect();
                let (seconds, why) = questions::estimate(&asked);
                if seconds > MAX_SECONDS && estimated_seconds <= MAX_SECONDS {
                    v.add(
                        "question_ids",
                        format!(
                            "a round would take an estimated {seconds} s to answer, more than {MAX_SECONDS} s: \
                             {why}; ask fewer or quicker questions (open questions take longest)"
                        ),
                    );
                }
                estimated_seconds = estimated_seconds.max(seconds);
            }
        }
        match (title, opens_on, closes_on) {
            (Some(title), Some(opens_on), Some(closes_on)) if v.is_empty() => Ok(Self {
                title,
                rotation,
                org_units,
                opens_on,
                closes_on,
                interval_days: req.interval_days,
                estimated_seconds,
            }),
            _ => Err(v.into_error()),
        }
    }
}

/// A stored survey.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SurveyRow {
    pub survey_id: String,
    pub title: String,
    pub pool: String,
    pub pinned: String,
    pub per_round: i64,
    pub org_units: String,
    pub opens_on: String,
    pub closes_on: String,
    pub interval_days: i64,
}

fn split(list: &str) -> Vec<String> {
    list.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl SurveyRow {
    pub fn rotation(&self) -> Rotation {
        Rotation {
            pinned: split(&self.pinned),
            pool: split(&self.pool),
            per_round: usize::try_from(self.per_round).unwrap_or(MAX_QUESTIONS),
        }
    }

    pub fn org_units(&self) -> Vec<String> {
        split(&self.org_units)
    }

    fn date(field: &str, value: &str) -> Result<::time::Date, ApiError> {
        time::parse_date(field, value).map_err(|e| ApiError::Internal(anyhow::anyhow!("stored {field}: {e:?}")))
    }

    /// The survey as the API returns it, with `round` as its current one.
    pub fn to_proto(&self, round: Option<pb::SurveyRound>) -> pb::Survey {
        let rotation = self.rotation();
        let estimated_seconds = rotation
            .cycle()
            .iter()
            .map(|ids| questions::estimate(&ids.iter().filter_map(|id| questions::find(id)).collect::<Vec<_>>()).0)
            .max()
            .unwrap_or(0);
        pb::Survey {
            survey_id: self.survey_id.clone(),
            title: self.title.clone(),
            question_ids: rotation.pool.clone(),
            pinned_question_ids: rotation.pinned.clone(),
            questions_per_round: u32::try_from(rotation.per_round).unwrap_or(0),
            org_unit_ids: self.org_units(),
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            interval_days: u32::try_from(self.interval_days).unwrap_or(0),
            estimated_seconds,
            current_round: round,
        }
    }
}

/// A stored round.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub survey_id: String,
    pub round: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub questions: String,
}

impl RoundRow {
    pub fn number(&self) -> u32 {
        u32::try_from(self.round).unwrap_or(0)
    }

    /// The round's questions (library entries).
    pub fn questions(&self) -> Vec<&'static questions::Question> {
        split(&self.questions).iter().filter_map(|id| questions::find(id)).collect()
    }

    /// Whether answers are taken on `today`.
    pub fn open_on(&self, today: &str) -> bool {
        self.opens_on.as_str() <= today && today <= self.closes_on.as_str()
    }

    pub fn to_proto(&self, locale: Locale, invited: u32) -> pb::SurveyRound {
        let asked = self.questions();
        pb::SurveyRound {
            survey_id: self.survey_id.clone(),
            round: self.number(),
            opens_on: self.opens_on.clone(),
            closes_on: self.closes_on.clone(),
            questions: asked.iter().map(|q| q.to_proto(locale)).collect(),
            estimated_seconds: questions::estimate(&asked).0,
            invited,
        }
    }
}

/// Stores a survey.
pub async fn create(conn: &mut AnyConnection, survey: &NewSurvey, by: &str) -> Result<SurveyRow, ApiError> {
    let row = SurveyRow {
        survey_id: uuid::Uuid::now_v7().to_string(),
        title: survey.title.clone(),
        pool: survey.rotation.pool.join(","),
        pinned: survey.rotation.pinned.join(","),
        per_round: i64::try_from(survey.rotation.per_round).unwrap_or(0),
        org_units: survey.org_units.join(","),
        opens_on: time::format_date(survey.opens_on),
        closes_on: time::format_date(survey.closes_on),
        interval_days: i64::from(survey.interval_days),
    };
    sqlx::query(
        "INSERT INTO surveys (survey_id, title, pool, pinned, per_round, org_units, opens_on, closes_on, interval_days, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&row.survey_id)
    .bind(&row.title)
    .bind(&row.pool)
    .bind(&row.pinned)
    .bind(row.per_round)
    .bind(&row.org_units)
    .bind(&row.opens_on)
    .bind(&row.closes_on)
    .bind(row.interval_days)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(row)
}

/// The survey `id`, or NOT_FOUND.
pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<SurveyRow, ApiError> {
    sqlx::query_as("SELECT survey_id, title, pool, pinned, per_round, org_units, opens_on, closes_on, interval_days FROM surveys WHERE survey_id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no survey {id}")))
}

/// Round `round` of a survey (0: the latest); NOT_FOUND when there is none.
pub async fn round(conn: &mut AnyConnection, survey: &str, round: u32) -> Result<RoundRow, ApiError> {
    let row: Option<RoundRow> = if round == 0 {
        sqlx::query_as(
            "SELECT survey_id, round, opens_on, closes_on, questions FROM survey_rounds WHERE survey_id = $1
             ORDER BY round DESC LIMIT 1",
        )
        .bind(survey)
        .fetch_optional(conn)
        .await?
    } else {
        sqlx::query_as(
            "SELECT survey_id, round, opens_on, closes_on, questions FROM survey_rounds WHERE survey_id = $1 AND round = $2",
        )
        .bind(survey)
        .bind(i64::from(round))
        .fetch_optional(conn)
        .await?
    };
    row.ok_or_else(|| match round {
        0 => ApiError::NotFound(format!("survey {survey} has no open round yet")),
        n => ApiError::NotFound(format!("survey {survey} has no round {n}")),
    })
}

/// How many people round `round` invited.
pub async fn invited(conn: &mut AnyConnection, survey: &str, round: i64) -> Result<u32, ApiError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invitations WHERE survey_id = $1 AND round = $2")
        .bind(survey)
        .bind(round)
        .fetch_one(conn)
        .await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// The audience of `units` today, with the org tree: asked of the people service before any
/// transaction starts.
pub struct Audience {
    pub units: Vec<org::Unit>,
    pub members: Vec<org::Member>,
}

/// Looks up the audience; unknown units are field violations.
pub async fn audience(ctx: &ServiceContext, units: &[String]) -> Result<Audience, ApiError> {
    let tree = org::units(ctx).await?;
    let known: BTreeSet<&str> = tree.iter().map(|u| u.id.as_str()).collect();
    let mut v = Violations::default();
    for (i, unit) in units.iter().enumerate() {
        if !known.contains(unit.as_str()) {
            v.add(&format!("org_unit_ids[{i}]"), format!("no org unit {unit}"));
        }
    }
    v.finish()?;
    let mut members: BTreeMap<String, org::Member> = BTreeMap::new();
    for unit in units {
        for member in org::members(ctx, unit).await? {
            members.insert(member.employee_id.clone(), member);
        }
    }
    Ok(Audience { units: tree, members: members.into_values().collect() })
}

/// Opens round `number` of `survey` from `opens_on` with `audience`: the rotation's questions,
/// the org tree and the invitations, in the caller's transaction.
pub async fn open_round(
    conn: &mut AnyConnection,
    survey: &SurveyRow,
    number: u32,
    opens_on: ::time::Date,
    audience: &Audience,
) -> Result<RoundRow, ApiError> {
    let end = SurveyRow::date("closes_on", &survey.closes_on)?;
    let closes_on = if survey.interval_days > 0 {
        (opens_on + ::time::Duration::days(survey.interval_days - 1)).min(end)
    } else {
        end
    };
    let row = RoundRow {
        survey_id: survey.survey_id.clone(),
        round: i64::from(number),
        opens_on: time::format_date(opens_on),
        closes_on: time::format_date(closes_on),
        questions: survey.rotation().round(number).join(","),
    };
    if number > 1 {
        // The previous round ends the day before this one opens (on its opening day when the next
        // one is opened that same day: it takes no more answers either way).
        let day_before = time::format_date(opens_on - ::time::Duration::days(1));
        sqlx::query(
            "UPDATE survey_rounds SET closes_on = CASE WHEN opens_on > $1 THEN opens_on ELSE $1 END
             WHERE survey_id = $2 AND round = $3 AND closes_on > $1",
        )
        .bind(day_before)
        .bind(&row.survey_id)
        .bind(row.round - 1)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO survey_rounds (survey_id, round, opens_on, closes_on, questions) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&row.survey_id)
    .bind(row.round)
    .bind(&row.opens_on)
    .bind(&row.closes_on)
    .bind(&row.questions)
    .execute(&mut *conn)
    .await
    .map_err(|e| ApiError::on_conflict(e, || format!("round {number} is open already")))?;
    for unit in &audience.units {
        sqlx::query(
            "INSERT INTO round_units (survey_id, round, org_unit_id, parent_id, name) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&row.survey_id)
        .bind(row.round)
        .bind(&unit.id)
        .bind(&unit.parent)
        .bind(&unit.name)
        .execute(&mut *conn)
        .await?;
    }
    for member in &audience.members {
        let language = Locale::parse(&member.language).unwrap_or(Locale::En);
        sqlx::query(
            "INSERT INTO invitations (survey_id, round, employee_id, org_unit_id, language) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&row.survey_id)
        .bind(row.round)
        .bind(&member.employee_id)
        .bind(&member.org_unit_id)
        .bind(language.code())
        .execute(&mut *conn)
        .await?;
    }
    Ok(row)
}

/// When the round after `current` is due, for a recurring survey: never past its close date.
pub fn next_round_due(survey: &SurveyRow, current: &RoundRow) -> Result<Option<::time::Date>, ApiError> {
    if survey.interval_days <= 0 {
        return Ok(None);
    }
    let opened = SurveyRow::date("opens_on", &current.opens_on)?;
    let due = opened + ::time::Duration::days(survey.interval_days);
    Ok((due <= SurveyRow::date("closes_on", &survey.closes_on)?).then_some(due))
}

/// Emits a reminder for every invited person who has not answered round `round` yet.
pub async fn remind(ctx: &ServiceContext, conn: &mut AnyConnection, round: &RoundRow) -> Result<u32, ApiError> {
    let pending: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.employee_id, i.language FROM invitations i WHERE i.survey_id = $1 AND i.round = $2
         AND NOT EXISTS (SELECT 1 FROM participation p WHERE p.survey_id = i.survey_id AND p.round = i.round
                         AND p.employee_id = i.employee_id)
         ORDER BY i.employee_id",
    )
    .bind(&round.survey_id)
    .bind(round.round)
    .fetch_all(&mut *conn)
    .await?;
    let topic = raw_topic(crate::NAME);
    for (employee, language) in &pending {
        let event = PulseReminderDue {
            survey_id: round.survey_id.clone(),
            round: round.number(),
            closes_on: round.closes_on.clone(),
            language: language.clone(),
        };
        outbox::enqueue(&mut *conn, &topic, &ctx.events.envelope(employee, purposes::SURVEYS, &event)).await?;
    }
    Ok(u32::try_from(pending.len()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(questions: &[&str]) -> CreateSurveyRequest {
        CreateSurveyRequest {
            title: "Pulse".into(),
            question_ids: questions.iter().map(|q| (*q).to_owned()).collect(),
            org_unit_ids: vec!["ops".into()],
            opens_on: "2026-12-01".into(),
            closes_on: "2026-12-14".into(),
            ..Default::default()
        }
    }

    #[test]
    fn refuses_a_61_second_survey_with_the_estimate_explained() {
        let Err(ApiError::InvalidArgument(v)) =
            NewSurvey::parse(&request(&["enps.recommend", "workload.manageable", "workload.open", "growth.open"]))
        else {
            panic!("61 s must be refused")
        };
        assert_eq!(v[0].field, "question_ids");
        assert!(v[0].description.contains("estimated 61 s"), "{}", v[0].description);
        let ok = NewSurvey::parse(&request(&["enps.recommend", "workload.manageable", "workload.open"])).expect("41 s");
        assert_eq!(ok.estimated_seconds, 41);
    }

    #[test]
    fn refuses_six_questions_unknown_ones_and_reversed_dates() {
        let six = [
            "workload.manageable",
            "growth.learning",
            "pay.fair",
            "colleagues.help",
            "wellbeing.energy",
            "pay.benefits",
        ];
        let Err(ApiError::InvalidArgument(v)) = NewSurvey::parse(&request(&six)) else { panic!("six") };
        assert!(v.iter().any(|f| f.description.contains("at most 5")), "{v:?}");
        let mut bad = request(&["nope.question"]);
        bad.closes_on = "2026-11-01".into();
        let Err(ApiError::InvalidArgument(v)) = NewSurvey::parse(&bad) else { panic!("bad") };
        let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["question_ids[0]", "closes_on"]);
    }

    #[test]
    fn a_recurring_pulse_may_rotate_a_larger_pool() {
        let mut pulse = request(&[
            "workload.manageable",
            "growth.learning",
            "pay.fair",
            "colleagues.help",
            "wellbeing.energy",
            "pay.benefits",
        ]);
        pulse.pinned_question_ids = vec!["enps.recommend".into()];
        pulse.questions_per_round = 3;
        pulse.interval_days = 7;
        let survey = NewSurvey::parse(&pulse).expect("a rotating pulse");
        assert_eq!(survey.rotation.round(1), ["enps.recommend", "workload.manageable", "growth.learning"]);
        assert_eq!(survey.estimated_seconds, 5 + 9 + 7 + 7);
    }
}
