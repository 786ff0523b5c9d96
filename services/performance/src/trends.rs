//! Trends and early problems. Per person (read by them, their line and HR): ratings over time
//! from approved reviews and 360° cycles, the tone of recent feedback (the engagement service's
//! lexicon sentiment, stored with each item), and two early warnings — declining ratings, a run
//! of critical feedback — each explained with its evidence. Per team: aggregates over a
//! manager's line, only through the small-group guard (`kit::groups`).

use std::collections::BTreeMap;

use hrmesh_kit::{ApiError, groups, locale::Locale, service::ServiceContext, time};
use hrmesh_proto::performance::v1::{PersonTrend, RatingPoint, TeamTrend, TrendSignal};

use crate::{cycles, feedback::ms_date, results};

/// A run of this many critical items in a row (the most recent ones) is a warning.
const NEGATIVE_RUN: usize = 3;
/// Tone below minus this is critical.
const TONE: f64 = 0.05;
/// Recent feedback shown in a trend.
const RECENT: usize = 10;

/// Ratings of a person, oldest first.
async fn ratings(ctx: &ServiceContext, employee: &str) -> Result<Vec<(RatingPoint, String)>, ApiError> {
    let reviews: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT id, overall_rating, approved_at FROM reviews WHERE employee_id = $1 AND status = 'approved'
         ORDER BY approved_at, id",
    )
    .bind(employee)
    .fetch_all(ctx.db.pool())
    .await?;
    let mut out: Vec<(RatingPoint, String, i64)> = reviews
        .into_iter()
        .map(|(id, rating, at)| {
            let point =
                RatingPoint { date: time::format_date(ms_date(at)), rating: rating as f64, source: "review".into() };
            (point, id, at)
        })
        .collect();
    let cycle_ids: Vec<String> = sqlx::query_scalar("SELECT id FROM cycles WHERE employee_id = $1")
        .bind(employee)
        .fetch_all(ctx.db.pool())
        .await?;
    for id in cycle_ids {
        let cycle = cycles::load(ctx, &id).await?;
        let answers = results::answers(ctx, &cycle).await?;
        // Only what the results show: the manager's and the released anonymous groups' ratings.
        let shown = results::results(&cycle, &answers, Locale::En);
        let means: Vec<f64> = shown
            .groups
            .iter()
            .filter(|g| g.kind != "self" && g.visibility != "withheld")
            .flat_map(|g| g.questions.iter().filter(|q| q.mean > 0.0).map(|q| q.mean))
            .collect();
        if means.is_empty() {
            continue;
        }
        let at = answers.iter().map(|a| a.answered_at).max().unwrap_or(0);
        let point = RatingPoint {
            date: time::format_date(ms_date(at)),
            rating: means.iter().sum::<f64>() / means.len() as f64,
            source: "360".into(),
        };
        out.push((point, format!("cycle:{id}"), at));
    }
    out.sort_by_key(|(_, _, at)| *at);
    Ok(out.into_iter().map(|(p, id, _)| (p, id)).collect())
}

fn declining(points: &[(RatingPoint, String)], locale: Locale) -> Option<TrendSignal> {
    let last: Vec<&(RatingPoint, String)> = points.iter().rev().take(3).collect();
    if last.len() < 3 || !(last[0].0.rating < last[1].0.rating && last[1].0.rating < last[2].0.rating) {
        return None;
    }
    let values =
        last.iter().rev().map(|(p, _)| format!("{:.1} ({})", p.rating, p.date)).collect::<Vec<_>>().join(" → ");
    let explanation = match locale {
        Locale::En => format!("The last three ratings went down: {values}. Worth a conversation about support."),
        Locale::Nl => {
            format!("De laatste drie beoordelingen daalden: {values}. Een gesprek over ondersteuning is zinvol.")
        }
        Locale::De => {
            format!("Die letzten drei Bewertungen sind gesunken: {values}. Ein Gespräch über Unterstützung lohnt sich.")
        }
    };
    Some(TrendSignal {
        kind: "declining_ratings".into(),
        explanation,
        evidence: last.iter().rev().map(|(_, id)| id.clone()).collect(),
    })
}

fn negative_run(tones: &[(String, f64)], locale: Locale) -> Option<TrendSignal> {
    let run: Vec<&(String, f64)> = tones.iter().rev().take_while(|(_, t)| *t < -TONE).collect();
    if run.len() < NEGATIVE_RUN {
        return None;
    }
    let n = run.len();
    let explanation = match locale {
        Locale::En => {
            format!("The {n} most recent feedback items were all critical. Check in early: what is getting in the way?")
        }
        Locale::Nl => format!(
            "De {n} meest recente feedbackpunten waren allemaal kritisch. Ga vroeg in gesprek: wat zit in de weg?"
        ),
        Locale::De => {
            format!("Die {n} jüngsten Feedbacks waren alle kritisch. Sprechen Sie früh darüber: Was steht im Weg?")
        }
    };
    Some(TrendSignal {
        kind: "negative_feedback_run".into(),
        explanation,
        evidence: run.iter().rev().map(|(id, _)| id.clone()).collect(),
    })
}

/// A person's trend in `locale`.
pub async fn person(ctx: &ServiceContext, employee: &str, locale: Locale) -> Result<PersonTrend, ApiError> {
    let points = ratings(ctx, employee).await?;
    let mut tones: Vec<(String, f64)> = sqlx::query_as(
        "SELECT id, tone FROM feedback WHERE employee_id = $1 AND kind <> 'private_note'
         ORDER BY recorded_at DESC, id DESC LIMIT 10",
    )
    .bind(employee)
    .fetch_all(ctx.db.pool())
    .await?;
    tones.reverse();
    let signals = declining(&points, locale).into_iter().chain(negative_run(&tones, locale)).collect();
    Ok(PersonTrend {
        employee_id: employee.to_owned(),
        ratings: points.into_iter().map(|(p, _)| p).collect(),
        recent_feedback_tone: tones.iter().rev().take(RECENT).rev().map(|(_, t)| *t).collect(),
        signals,
    })
}

fn withheld(release: &groups::Release) -> String {
    release.reason().unwrap_or_default()
}

/// Aggregates over `manager`'s line, released only through the small-group guard.
pub async fn team(ctx: &ServiceContext, manager: &str) -> Result<TeamTrend, ApiError> {
    let line = ctx.directory.reports(manager).await?;
    let members: BTreeMap<String, i64> = line.iter().map(|p| (p.clone(), 0)).collect();
    let mut conn = ctx.db.pool().acquire().await?;
    let release = groups::release(&mut conn, "performance.team_trend", &format!("line:{manager}"), &members).await?;
    drop(conn);
    let people = u32::try_from(line.len()).unwrap_or(u32::MAX);
    if !release.is_allowed() {
        return Ok(TeamTrend {
            manager_id: manager.to_owned(),
            people,
            released: false,
            withheld_reason: withheld(&release),
            ..Default::default()
        });
    }
    let (mut ratings, mut critical, mut all, mut warned) = (Vec::new(), 0usize, 0usize, 0u32);
    for person in &line {
        let trend = self::person(ctx, person, Locale::En).await?;
        if let Some(last) = trend.ratings.last() {
            ratings.push(last.rating);
        }
        all += trend.recent_feedback_tone.len();
        critical += trend.recent_feedback_tone.iter().filter(|t| **t < -TONE).count();
        warned += u32::from(!trend.signals.is_empty());
    }
    Ok(TeamTrend {
        manager_id: manager.to_owned(),
        people,
        released: true,
        withheld_reason: String::new(),
        mean_rating: if ratings.is_empty() { 0.0 } else { ratings.iter().sum::<f64>() / ratings.len() as f64 },
        negative_feedback_share: if all == 0 { 0.0 } else { critical as f64 / all as f64 },
        people_with_warnings: warned,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(rating: f64) -> (RatingPoint, String) {
        (RatingPoint { date: "2026-01-01".into(), rating, source: "review".into() }, format!("r{rating}"))
    }

    #[test]
    fn warns_on_three_falling_ratings_and_a_run_of_critical_feedback() {
        assert!(declining(&[point(4.0), point(3.5), point(2.0)], Locale::Nl).is_some());
        assert!(declining(&[point(4.0), point(4.5), point(2.0)], Locale::En).is_none());
        let tones: Vec<(String, f64)> =
            [0.5, -0.3, -0.4, -0.2].iter().enumerate().map(|(i, t)| (format!("f{i}"), *t)).collect();
        let run = negative_run(&tones, Locale::De).expect("run");
        assert_eq!(run.evidence, vec!["f1", "f2", "f3"]);
        assert!(negative_run(&tones[..3], Locale::En).is_none());
    }
}
