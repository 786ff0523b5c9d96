//! Future skill demand: open job requisitions, hiring plans and profile changes per month,
//! a least-squares trend per skill, a forecast over the horizon and a readable report.

use std::collections::{BTreeMap, HashMap, HashSet};

use hrmesh_kit::{ApiError, FieldViolation, Violations, error::identifier, service::ServiceContext};
use hrmesh_proto::skills::v1 as pb;
use sqlx::Row;

use crate::{lang::Lang, skill_ref, taxonomy::Taxonomy};

/// A calendar month (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u8,
}

impl Month {
    pub fn of_ms(ms: i64) -> Month {
        let dt =
            time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        Month { year: dt.year(), month: dt.month() as u8 }
    }

    /// `YYYY-MM`.
    pub fn parse(field: &str, s: &str) -> Result<Month, FieldViolation> {
        let bad = || FieldViolation::new(field, format!("must be a month as YYYY-MM, got {s:?}"));
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        let (year, month) = (y.parse::<i32>().map_err(|_| bad())?, m.parse::<u8>().map_err(|_| bad())?);
        if y.len() != 4 || m.len() != 2 || !(1..=12).contains(&month) || !(1970..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn plus(self, n: i32) -> Month {
        let total = self.year * 12 + i32::from(self.month) - 1 + n;
        Month { year: total.div_euclid(12), month: (total.rem_euclid(12) + 1) as u8 }
    }

    fn index(self) -> i32 {
        self.year * 12 + i32::from(self.month) - 1
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

fn known_skills(t: &Taxonomy, field: &str, ids: impl IntoIterator<Item = String>, v: &mut Violations) -> Vec<String> {
    let mut out = Vec::new();
    for (i, id) in ids.into_iter().enumerate() {
        if t.skill(&id).is_none() {
            v.add(&format!("{field}[{i}]"), format!("unknown skill {id:?}: use SearchSkills to find ids"));
        } else if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

pub async fn record_requisition(
    ctx: &ServiceContext,
    t: &Taxonomy,
    req: &pb::RecordRequisitionRequest,
) -> Result<(), ApiError> {
    let mut v = Violations::default();
    let id = v.check(identifier("requisition_id", &req.requisition_id));
    if req.skill_ids.is_empty() {
        v.add("skill_ids", "a requisition needs at least one skill");
    }
    let skills = known_skills(t, "skill_ids", req.skill_ids.iter().cloned(), &mut v);
    let opened = match &req.opened_at {
        Some(ts) => v.check(hrmesh_kit::time::parse_timestamp("opened_at", ts)),
        None => {
            v.add("opened_at", "must be set");
            None
        }
    };
    let closed = req.closed_at.as_ref().and_then(|ts| v.check(hrmesh_kit::time::parse_timestamp("closed_at", ts)));
    if let (Some(o), Some(c)) = (opened, closed)
        && c < o
    {
        v.add("closed_at", "must not be before opened_at");
    }
    let (Some(id), Some(opened)) = (id, opened) else { return Err(v.into_error()) };
    v.finish()?;
    let mut tx = ctx.db.begin().await?;
    sqlx::query(
        "INSERT INTO requisitions (requisition_id, opened_at, closed_at) VALUES ($1, $2, $3)
         ON CONFLICT (requisition_id) DO UPDATE SET opened_at = excluded.opened_at, closed_at = excluded.closed_at",
    )
    .bind(&id)
    .bind(opened)
    .bind(closed)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM requisition_skills WHERE requisition_id = $1").bind(&id).execute(&mut *tx).await?;
    for s in &skills {
        sqlx::query("INSERT INTO requisition_skills (requisition_id, skill_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(s)
            .execute(&mut *tx)
            .await?;
    }
    ctx.commit(tx).await?;
    Ok(())
}

pub async fn record_hiring_plan(
    ctx: &ServiceContext,
    t: &Taxonomy,
    req: &pb::RecordHiringPlanRequest,
) -> Result<(), ApiError> {
    let mut v = Violations::default();
    let id = v.check(identifier("plan_id", &req.plan_id));
    let month = v.check(Month::parse("month", &req.month));
    if req.items.is_empty() {
        v.add("items", "a hiring plan needs at least one item");
    }
    let mut seen = HashSet::new();
    for (i, item) in req.items.iter().enumerate() {
        if t.skill(&item.skill_id).is_none() {
            v.add(&format!("items[{i}].skill_id"), format!("unknown skill {:?}", item.skill_id));
        } else if !seen.insert(&item.skill_id) {
            v.add(&format!("items[{i}].skill_id"), "listed twice");
        }
        if !(1..=1000).contains(&item.headcount) {
            v.add(&format!("items[{i}].headcount"), "must be between 1 and 1000");
        }
    }
    let (Some(id), Some(month)) = (id, month) else { return Err(v.into_error()) };
    v.finish()?;
    let mut tx = ctx.db.begin().await?;
    sqlx::query("DELETE FROM hiring_plan_items WHERE plan_id = $1").bind(&id).execute(&mut *tx).await?;
    for item in &req.items {
        sqlx::query("INSERT INTO hiring_plan_items (plan_id, month, skill_id, headcount) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(month.to_string())
            .bind(&item.skill_id)
            .bind(i64::from(item.headcount))
            .execute(&mut *tx)
            .await?;
    }
    ctx.commit(tx).await?;
    Ok(())
}

/// Least-squares line through `ys` at x = 0, 1, …: (intercept, slope).
pub fn fit(ys: &[f64]) -> (f64, f64) {
    let n = ys.len() as f64;
    if ys.len() < 2 {
        return (ys.first().copied().unwrap_or(0.0), 0.0);
    }
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in ys.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    let slope = sxy / sxx;
    (mean_y - slope * mean_x, slope)
}

fn direction(slope: f64, mean: f64) -> &'static str {
    let threshold = 0.05_f64.max(0.05 * mean);
    if slope > threshold {
        "rising"
    } else if slope < -threshold {
        "falling"
    } else {
        "stable"
    }
}

/// Inputs of the forecast, per skill id.
#[derive(Debug, Default)]
pub struct Inputs {
    /// (opened, closed) per requisition, with its skills.
    pub requisitions: Vec<(i64, Option<i64>, Vec<String>)>,
    /// (month, skill, headcount).
    pub plans: Vec<(Month, String, u32)>,
    /// (month, skill, employee) when someone reached level 3+.
    pub gains: Vec<(Month, String, String)>,
    /// Employees per skill at level 3+ now.
    pub supply: HashMap<String, u32>,
}

async fn inputs(ctx: &ServiceContext) -> Result<Inputs, sqlx::Error> {
    let pool = ctx.db.pool();
    let mut reqs: BTreeMap<String, (i64, Option<i64>, Vec<String>)> = BTreeMap::new();
    for r in sqlx::query(
        "SELECT r.requisition_id, r.opened_at, r.closed_at, s.skill_id FROM requisitions r
         JOIN requisition_skills s ON s.requisition_id = r.requisition_id",
    )
    .fetch_all(pool)
    .await?
    {
        let entry = reqs.entry(r.try_get(0)?).or_insert((r.try_get(1)?, r.try_get(2)?, Vec::new()));
        entry.2.push(r.try_get(3)?);
    }
    let mut plans = Vec::new();
    for r in sqlx::query("SELECT month, skill_id, headcount FROM hiring_plan_items").fetch_all(pool).await? {
        if let Ok(month) = Month::parse("month", &r.try_get::<String, _>(0)?) {
            plans.push((month, r.try_get(1)?, u32::try_from(r.try_get::<i64, _>(2)?).unwrap_or(0)));
        }
    }
    let mut gains = Vec::new();
    for r in sqlx::query(
        "SELECT declared_at, skill_id, employee_id FROM skill_history WHERE level >= 3 AND previous_level < 3",
    )
    .fetch_all(pool)
    .await?
    {
        gains.push((Month::of_ms(r.try_get(0)?), r.try_get(1)?, r.try_get(2)?));
    }
    let mut supply = HashMap::new();
    for r in sqlx::query(
        "SELECT skill_id, COUNT(DISTINCT employee_id) FROM profile_skills WHERE level >= 3 AND source <> 'inferred' GROUP BY skill_id",
    )
    .fetch_all(pool)
    .await?
    {
        supply.insert(r.try_get(0)?, u32::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0));
    }
    Ok(Inputs { requisitions: reqs.into_values().collect(), plans, gains, supply })
}

/// Parameters of one forecast.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub now: Month,
    pub history: u32,
    pub horizon: u32,
    pub limit: usize,
    pub lang: Lang,
}

pub async fn forecast(ctx: &ServiceContext, t: &Taxonomy, p: Params) -> Result<pb::DemandForecast, sqlx::Error> {
    Ok(compute(t, &inputs(ctx).await?, p))
}

/// The forecast from its inputs (pure, so it is testable without a database).
pub fn compute(t: &Taxonomy, inputs: &Inputs, p: Params) -> pb::DemandForecast {
    let first = p.now.plus(-(p.history as i32) + 1);
    let slot = |m: Month| usize::try_from(m.index() - first.index()).ok().filter(|&i| i < p.history as usize);
    let mut history: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut open: HashMap<&str, u32> = HashMap::new();
    let mut planned_future: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut planned_total: HashMap<&str, u32> = HashMap::new();
    let mut gains: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (opened, closed, skills) in &inputs.requisitions {
        let (from, to) = (Month::of_ms(*opened), closed.map_or(p.now, Month::of_ms));
        for id in skills {
            let h = history.entry(id.as_str()).or_insert_with(|| vec![0.0; p.history as usize]);
            let mut m = from.max(first);
            while m <= to.min(p.now) {
                if let Some(i) = slot(m) {
                    h[i] += 1.0;
                }
                m = m.plus(1);
            }
            if closed.is_none() {
                *open.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    for (month, id, headcount) in &inputs.plans {
        let h = history.entry(id.as_str()).or_insert_with(|| vec![0.0; p.history as usize]);
        if let Some(i) = slot(*month) {
            h[i] += f64::from(*headcount);
        } else if *month > p.now && month.index() - p.now.index() <= p.horizon as i32 {
            let f = planned_future.entry(id.as_str()).or_insert_with(|| vec![0.0; p.horizon as usize]);
            f[(month.index() - p.now.index() - 1) as usize] += f64::from(*headcount);
            *planned_total.entry(id.as_str()).or_default() += headcount;
        }
    }
    for (month, id, employee) in &inputs.gains {
        if slot(*month).is_some() {
            gains.entry(id.as_str()).or_default().insert(employee.as_str());
        }
    }
    let mut skills: Vec<pb::SkillDemand> = history
        .into_iter()
        .filter(|(id, _)| t.skill(id).is_some())
        .map(|(id, h)| {
            let (a, b) = fit(&h);
            let mean = h.iter().sum::<f64>() / h.len().max(1) as f64;
            let future = planned_future.get(id);
            let forecast = (1..=p.horizon as usize)
                .map(|k| {
                    let trend = (a + b * (h.len() - 1 + k) as f64).max(0.0);
                    let planned = future.map_or(0.0, |f| f[k - 1]);
                    ((trend + planned) * 10.0).round() / 10.0
                })
                .collect();
            pb::SkillDemand {
                skill: Some(skill_ref(t, id, p.lang)),
                direction: direction(b, mean).into(),
                trend: (b * 100.0).round() / 100.0,
                history: h,
                forecast,
                supply: inputs.supply.get(id).copied().unwrap_or(0),
                open_requisitions: open.get(id).copied().unwrap_or(0),
                planned_hires: planned_total.get(id).copied().unwrap_or(0),
                supply_gain: gains.get(id).map_or(0, |g| g.len() as u32),
            }
        })
        .collect();
    let pressure = |d: &pb::SkillDemand| d.forecast.iter().sum::<f64>() - f64::from(d.supply);
    skills.sort_by(|x, y| {
        pressure(y)
            .total_cmp(&pressure(x))
            .then_with(|| x.skill.as_ref().map(|s| &s.skill_id).cmp(&y.skill.as_ref().map(|s| &s.skill_id)))
    });
    skills.truncate(p.limit);
    let report = report(&skills, first, p);
    pb::DemandForecast { skills, report, from_month: first.to_string() }
}

fn report(skills: &[pb::SkillDemand], first: Month, p: Params) -> String {
    use std::fmt::Write;
    let lang = p.lang;
    let mut out = String::new();
    let (title, intro, none) = match lang {
        Lang::En => (
            "Skill demand forecast",
            "Demand counts open requisitions and planned hires per month",
            "No demand recorded yet: record requisitions or hiring plans first.",
        ),
        Lang::Nl => (
            "Prognose vraag naar vaardigheden",
            "Vraag telt openstaande vacatures en geplande aanwervingen per maand",
            "Nog geen vraag vastgelegd: leg eerst vacatures of wervingsplannen vast.",
        ),
        Lang::De => (
            "Prognose des Kompetenzbedarfs",
            "Der Bedarf zählt offene Stellen und geplante Einstellungen pro Monat",
            "Noch kein Bedarf erfasst: zuerst Stellen oder Einstellungspläne erfassen.",
        ),
    };
    let _ = writeln!(
        out,
        "# {title}\n\n{intro} ({first} – {}), {} {} {}.\n",
        p.now,
        match lang {
            Lang::En => "forecast for",
            Lang::Nl => "prognose voor",
            Lang::De => "Prognose für",
        },
        p.horizon,
        match lang {
            Lang::En => "months",
            Lang::Nl => "maanden",
            Lang::De => "Monate",
        }
    );
    if skills.is_empty() {
        let _ = writeln!(out, "{none}");
        return out;
    }
    let header = match lang {
        Lang::En => {
            "| Skill | Trend | Forecast (next months) | Employees at level 3+ | Open requisitions | Planned hires |"
        }
        Lang::Nl => {
            "| Vaardigheid | Trend | Prognose (komende maanden) | Medewerkers op niveau 3+ | Open vacatures | Geplande aanwervingen |"
        }
        Lang::De => {
            "| Kompetenz | Trend | Prognose (nächste Monate) | Beschäftigte ab Stufe 3 | Offene Stellen | Geplante Einstellungen |"
        }
    };
    let _ = writeln!(out, "{header}\n|---|---|---|---|---|---|");
    for d in skills {
        let label = d.skill.as_ref().map_or("", |s| s.label.as_str());
        let dir = direction_word(&d.direction, lang);
        let fc: Vec<String> = d.forecast.iter().map(|f| format!("{f:.1}")).collect();
        let _ = writeln!(
            out,
            "| {label} | {dir} ({:+.2}/{}) | {} | {} | {} | {} |",
            d.trend,
            match lang {
                Lang::En => "month",
                Lang::Nl => "maand",
                Lang::De => "Monat",
            },
            fc.join(" · "),
            d.supply,
            d.open_requisitions,
            d.planned_hires
        );
    }
    let _ = writeln!(out);
    for d in skills.iter().take(3) {
        let label = d.skill.as_ref().map_or("", |s| s.label.as_str());
        let need: f64 = d.forecast.iter().copied().fold(0.0, f64::max);
        let sentence = match lang {
            Lang::En => format!(
                "- **{label}**: demand is {} and peaks at {need:.1} in the horizon; {} employees hold it at level 3 or more ({} reached it in the period).",
                direction_word(&d.direction, lang),
                d.supply,
                d.supply_gain
            ),
            Lang::Nl => format!(
                "- **{label}**: de vraag is {} met een piek van {need:.1} in de periode; {} medewerkers beheersen het op niveau 3 of hoger ({} bereikten dat in de periode).",
                direction_word(&d.direction, lang),
                d.supply,
                d.supply_gain
            ),
            Lang::De => format!(
                "- **{label}**: der Bedarf ist {} mit einer Spitze von {need:.1} im Zeitraum; {} Beschäftigte beherrschen es ab Stufe 3 ({} erreichten das im Zeitraum).",
                direction_word(&d.direction, lang),
                d.supply,
                d.supply_gain
            ),
        };
        let _ = writeln!(out, "{sentence}");
    }
    out
}

fn direction_word(direction: &str, lang: Lang) -> &'static str {
    match (direction, lang) {
        ("rising", Lang::En) => "rising",
        ("rising", Lang::Nl) => "stijgend",
        ("rising", Lang::De) => "steigend",
        ("falling", Lang::En) => "falling",
        ("falling", Lang::Nl) => "dalend",
        ("falling", Lang::De) => "fallend",
        (_, Lang::En) => "stable",
        (_, Lang::Nl) => "stabiel",
        (_, Lang::De) => "stabil",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(m: Month) -> i64 {
        let date =
            time::Date::from_calendar_date(m.year, time::Month::try_from(m.month).expect("month"), 15).expect("date");
        date.midnight().assume_utc().unix_timestamp() * 1000
    }

    #[test]
    fn least_squares_recovers_a_line() {
        let (a, b) = fit(&[1.0, 3.0, 5.0, 7.0]);
        assert!((a - 1.0).abs() < 1e-9 && (b - 2.0).abs() < 1e-9);
        assert_eq!(fit(&[4.0]), (4.0, 0.0));
    }

    #[test]
    fn months_parse_and_roll_over_years() {
        let m = Month::parse("month", "2026-11").expect("valid");
        assert_eq!(m.plus(3).to_string(), "2027-02");
        assert_eq!(m.plus(-11).to_string(), "2025-12");
        assert!(Month::parse("month", "2026-13").is_err());
        assert!(Month::parse("month", "26-01").is_err());
    }

    #[test]
    fn rising_requisitions_forecast_rising_demand_and_planned_hires_add_on_top() {
        let t = Taxonomy::builtin().expect("valid");
        let now = Month { year: 2026, month: 11 };
        let mut inputs = Inputs::default();
        // One more open Python requisition each month over the last six months.
        for k in 0..6 {
            for _ in 0..=k {
                let m = now.plus(k - 5);
                inputs.requisitions.push((ms(m), Some(ms(m)), vec!["it.python".into()]));
            }
        }
        inputs.requisitions.push((ms(now.plus(-2)), None, vec!["logistics.forklift".into()]));
        inputs.plans.push((now.plus(2), "logistics.forklift".into(), 4));
        inputs.supply.insert("it.python".into(), 2);
        let p = Params { now, history: 6, horizon: 3, limit: 10, lang: Lang::De };
        let f = compute(&t, &inputs, p);
        let python =
            f.skills.iter().find(|d| d.skill.as_ref().is_some_and(|s| s.skill_id == "it.python")).expect("python");
        assert_eq!(python.direction, "rising");
        assert!((python.trend - 1.0).abs() < 1e-9, "{}", python.trend);
        assert_eq!(python.forecast, vec![7.0, 8.0, 9.0]);
        let forklift = f
            .skills
            .iter()
            .find(|d| d.skill.as_ref().is_some_and(|s| s.skill_id == "logistics.forklift"))
            .expect("forklift");
        assert_eq!(forklift.open_requisitions, 1);
        assert_eq!(forklift.planned_hires, 4);
        assert!(forklift.forecast[1] >= 4.0, "{:?}", forklift.forecast);
        assert!(f.report.contains("Prognose des Kompetenzbedarfs") && f.report.contains("steigend"), "{}", f.report);
        assert_eq!(f.from_month, "2026-06");
    }
}
