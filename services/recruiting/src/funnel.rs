//! Funnel figures: how many applications reached each stage, conversion between stages and
//! per source, and time to hire — for one job or overall.

use std::collections::BTreeMap;

use hrmesh_kit::{groups, service::ServiceContext};
use hrmesh_proto::recruiting::v1::{Funnel, SourceCount, StageCount};
use sqlx::Row;

use hrmesh_proto::vocabulary::Stage;

/// Per application: candidate, when they applied, source, furthest stage reached (index into
/// `Stage::PIPELINE`), and days to hire.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    pub candidate: String,
    pub applied_at: i64,
    pub source: String,
    pub reached: usize,
    pub days_to_hire: Option<f64>,
}

pub async fn journeys(ctx: &ServiceContext, job: Option<&str>) -> Result<Vec<Journey>, sqlx::Error> {
    let apps = sqlx::query("SELECT id, source, applied_at, stage, job_id, candidate_id FROM applications")
        .fetch_all(ctx.db.pool())
        .await?;
    let history =
        sqlx::query("SELECT application_id, stage, changed_at FROM stage_history").fetch_all(ctx.db.pool()).await?;
    let mut furthest: BTreeMap<String, (usize, Option<i64>)> = BTreeMap::new();
    for h in &history {
        let (app, stage, at): (String, String, i64) = (h.try_get(0)?, h.try_get(1)?, h.try_get(2)?);
        if let Some(i) = Stage::parse(&stage).and_then(Stage::rank) {
            let entry = furthest.entry(app).or_insert((0, None));
            entry.0 = entry.0.max(i);
            if Stage::PIPELINE[i] == Stage::Hired {
                entry.1 = Some(at);
            }
        }
    }
    let mut out = Vec::new();
    for a in &apps {
        let job_id: String = a.try_get(4)?;
        if job.is_some_and(|j| j != job_id) {
            continue;
        }
        let id: String = a.try_get(0)?;
        let applied_at: i64 = a.try_get(2)?;
        let (reached, hired_at) = furthest.get(&id).copied().unwrap_or((0, None));
        out.push(Journey {
            candidate: a.try_get(5)?,
            applied_at,
            source: a.try_get(1)?,
            reached,
            days_to_hire: hired_at.map(|h| (h - applied_at) as f64 / 86_400_000.0),
        });
    }
    Ok(out)
}

pub fn compute(journeys: &[Journey]) -> Funnel {
    let reached = |i: usize| journeys.iter().filter(|j| j.reached >= i).count() as u32;
    let stages = Stage::PIPELINE
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let now = reached(i);
            let before = if i == 0 { now } else { reached(i - 1) };
            StageCount {
                stage: s.as_str().into(),
                reached: now,
                conversion: if before == 0 { 0.0 } else { f64::from(now) / f64::from(before) },
                withheld: String::new(),
            }
        })
        .collect();
    let hired_index = Stage::PIPELINE.len() - 1;
    let mut by_source: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for j in journeys {
        let e = by_source.entry(j.source.as_str()).or_default();
        e.0 += 1;
        e.1 += u32::from(j.reached >= hired_index);
    }
    let sources = by_source
        .into_iter()
        .map(|(s, (n, h))| SourceCount {
            source: s.into(),
            applications: n,
            hired: h,
            conversion: f64::from(h) / f64::from(n),
            withheld: String::new(),
        })
        .collect();
    let mut days: Vec<f64> = journeys.iter().filter_map(|j| j.days_to_hire).collect();
    days.sort_by(f64::total_cmp);
    let median = match days.len() {
        0 => 0.0,
        n if n % 2 == 1 => days[n / 2],
        n => (days[n / 2 - 1] + days[n / 2]) / 2.0,
    };
    Funnel { stages, sources, median_days_to_hire: median, hires: days.len() as u32, hires_withheld: String::new() }
}

/// The funnel with every figure passed through the small-group guard (audience
/// `recruiting.funnel`, one query per figure and job scope).
pub async fn guarded(ctx: &ServiceContext, job: Option<&str>, journeys: &[Journey]) -> Result<Funnel, sqlx::Error> {
    const AUDIENCE: &str = "recruiting.funnel";
    let scope = job.unwrap_or("all");
    let members = |pick: &dyn Fn(&Journey) -> bool| -> BTreeMap<String, i64> {
        let mut out: BTreeMap<String, i64> = BTreeMap::new();
        for j in journeys.iter().filter(|j| pick(j)) {
            let since = out.entry(j.candidate.clone()).or_insert(j.applied_at);
            *since = (*since).min(j.applied_at);
        }
        out
    };
    let mut funnel = compute(journeys);
    let mut conn = ctx.db.pool().acquire().await?;
    for (i, stage) in funnel.stages.iter_mut().enumerate() {
        let group = members(&|j: &Journey| j.reached >= i);
        let release = groups::release(&mut conn, AUDIENCE, &format!("{scope}:stage:{}", stage.stage), &group).await?;
        if let Some(reason) = release.reason() {
            (stage.reached, stage.conversion, stage.withheld) = (0, 0.0, reason);
        }
    }
    let hired_index = Stage::PIPELINE.len() - 1;
    for source in &mut funnel.sources {
        let group = members(&|j: &Journey| j.source == source.source);
        let release =
            groups::release(&mut conn, AUDIENCE, &format!("{scope}:source:{}", source.source), &group).await?;
        if let Some(reason) = release.reason() {
            (source.applications, source.hired, source.conversion, source.withheld) = (0, 0, 0.0, reason);
        }
    }
    let hires = members(&|j: &Journey| j.reached >= hired_index && j.days_to_hire.is_some());
    let release = groups::release(&mut conn, AUDIENCE, &format!("{scope}:hires"), &hires).await?;
    if let Some(reason) = release.reason() {
        (funnel.hires, funnel.median_days_to_hire, funnel.hires_withheld) = (0, 0.0, reason);
    }
    Ok(funnel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_per_stage_and_source_and_median_time_to_hire() {
        let j = |source: &str, reached, days| Journey {
            source: source.into(),
            reached,
            days_to_hire: days,
            ..Default::default()
        };
        let f = compute(&[
            j("website", 4, Some(20.0)),
            j("website", 1, None),
            j("referral", 4, Some(10.0)),
            j("referral", 0, None),
        ]);
        let reached: Vec<u32> = f.stages.iter().map(|s| s.reached).collect();
        assert_eq!(reached, [4, 3, 2, 2, 2]);
        assert!((f.stages[1].conversion - 0.75).abs() < 1e-9);
        assert_eq!(f.hires, 2);
        assert!((f.median_days_to_hire - 15.0).abs() < 1e-9);
        let web = f.sources.iter().find(|s| s.source == "website").expect("website");
        assert_eq!((web.applications, web.hired), (2, 1));
    }
}
