//! Results of survey rounds for HR (company-wide and every unit) and managers (units in their
//! line), each figure with its n, trends over the rounds, and the team heatmap. Every shown
//! figure also passes `kit::groups::release`, which refuses one that differs by fewer than 5
//! people from a figure released earlier for the same round.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::{ApiError, groups, service::ServiceContext};
use hrmesh_proto::engagement::v1 as pb;
use sqlx::AnyConnection;

use crate::{
    figures::{self, ALL, Node, RoundInput},
    questions::{Driver, Question},
    surveys::{self, RoundRow, SurveyRow},
};

/// One round with its nodes.
pub struct Round {
    pub row: RoundRow,
    pub nodes: BTreeMap<String, Node>,
}

impl Round {
    pub fn asked(&self) -> Vec<&'static Question> {
        self.row.questions()
    }
}

/// Loads a round's stored data and computes its nodes.
pub async fn load(conn: &mut AnyConnection, survey: &SurveyRow, row: RoundRow) -> Result<Round, ApiError> {
    let mut input = RoundInput { audience: survey.org_units(), ..RoundInput::default() };
    let units: Vec<(String, Option<String>, String)> =
        sqlx::query_as("SELECT org_unit_id, parent_id, name FROM round_units WHERE survey_id = $1 AND round = $2")
            .bind(&row.survey_id)
            .bind(row.round)
            .fetch_all(&mut *conn)
            .await?;
    input.units = units.into_iter().map(|(id, parent, name)| (id, (parent, name))).collect();
    let invitations: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT i.employee_id, i.org_unit_id, CASE WHEN p.employee_id IS NULL THEN 0 ELSE 1 END
         FROM invitations i LEFT JOIN participation p
           ON p.survey_id = i.survey_id AND p.round = i.round AND p.employee_id = i.employee_id
         WHERE i.survey_id = $1 AND i.round = $2",
    )
    .bind(&row.survey_id)
    .bind(row.round)
    .fetch_all(&mut *conn)
    .await?;
    input.invitations = invitations.into_iter().map(|(e, u, a)| (e, u, a != 0)).collect();
    let counts: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT org_unit_id, question_id, score, answers FROM answer_counts WHERE survey_id = $1 AND round = $2",
    )
    .bind(&row.survey_id)
    .bind(row.round)
    .fetch_all(&mut *conn)
    .await?;
    input.counts = counts
        .into_iter()
        .map(|(u, q, s, a)| (u, q, u32::try_from(s).unwrap_or(0), u64::try_from(a).unwrap_or(0)))
        .collect();
    let sentiment: Vec<(String, f64)> = sqlx::query_as(
        "SELECT org_unit_id, sentiment FROM comments WHERE survey_id = $1 AND round = $2 AND sentiment IS NOT NULL",
    )
    .bind(&row.survey_id)
    .bind(row.round)
    .fetch_all(&mut *conn)
    .await?;
    for (unit, score) in sentiment {
        let entry = input.sentiment.entry(unit).or_insert((0, 0.0, 0.0));
        entry.0 += 1;
        entry.1 += score;
        entry.2 += score * score;
    }
    Ok(Round { nodes: figures::nodes(&input), row })
}

/// Every round of `survey` up to `last` (0: all), oldest first.
pub async fn load_rounds(conn: &mut AnyConnection, survey: &SurveyRow, last: u32) -> Result<Vec<Round>, ApiError> {
    let rows: Vec<RoundRow> = sqlx::query_as(
        "SELECT survey_id, round, opens_on, closes_on, questions FROM survey_rounds WHERE survey_id = $1 ORDER BY round",
    )
    .bind(&survey.survey_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for row in rows.into_iter().filter(|r| last == 0 || r.number() <= last) {
        out.push(load(conn, survey, row).await?);
    }
    Ok(out)
}

/// The units a caller may see: `None` for everyone (HR); otherwise units whose invited people
/// are all in `line`, never the company-wide node.
pub fn visible(nodes: &BTreeMap<String, Node>, line: Option<&BTreeSet<String>>) -> BTreeSet<String> {
    nodes
        .iter()
        .filter(|(id, node)| match line {
            None => true,
            Some(line) => id.as_str() != ALL && !node.invited.is_empty() && node.invited.is_subset(line),
        })
        .map(|(id, _)| id.clone())
        .collect()
}

/// Releases a shown node's figures through the one small-group guard; withholds it otherwise.
pub async fn release(
    conn: &mut AnyConnection,
    survey: &str,
    round: u32,
    id: &str,
    node: &mut Node,
) -> Result<(), ApiError> {
    if node.withheld.is_some() {
        return Ok(());
    }
    let members: BTreeMap<String, i64> = node.respondents.iter().map(|m| (m.clone(), 0)).collect();
    let audience = format!("engagement:{survey}:{round}");
    let query = if id == ALL { "all".to_owned() } else { format!("unit:{id}") };
    let decision = groups::release(conn, &audience, &query, &members).await?;
    node.withheld = decision.reason();
    Ok(())
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn driver_scores(node: &Node, asked: &[&Question]) -> Vec<pb::DriverScore> {
    figures::drivers(node, asked)
        .into_iter()
        .map(|(driver, mean, _, n)| pb::DriverScore {
            driver: driver.as_str().to_owned(),
            score: figures::shown(mean),
            n: u32::try_from(n).unwrap_or(u32::MAX),
        })
        .collect()
}

/// A node's figures as the API returns them (figures empty when withheld).
pub fn unit_results(id: &str, node: &Node, asked: &[&Question]) -> pb::UnitResults {
    let mut out = pb::UnitResults {
        org_unit_id: id.to_owned(),
        name: node.name.clone(),
        parent_id: node.parent.clone().unwrap_or_default(),
        shown: node.withheld.is_none(),
        withheld_reason: node.withheld.clone().unwrap_or_default(),
        ..pb::UnitResults::default()
    };
    if node.withheld.is_some() {
        return out;
    }
    out.respondents = u32_of(node.respondents.len());
    out.invited = u32_of(node.invited.len());
    out.participation_rate = figures::shown(node.respondents.len() as f64 / node.invited.len().max(1) as f64);
    out.enps = figures::node_enps(node, asked);
    out.drivers = driver_scores(node, asked);
    out.distributions = asked
        .iter()
        .filter(|q| q.kind.scored())
        .filter_map(|q| {
            let counts = node.counts.get(q.id)?;
            Some(pb::Distribution {
                question_id: q.id.to_owned(),
                counts: counts.iter().map(|c| u32::try_from(*c).unwrap_or(u32::MAX)).collect(),
                n: u32::try_from(counts.iter().sum::<u64>()).unwrap_or(u32::MAX),
            })
        })
        .collect();
    out
}

/// Every round up to `round` (0: latest), with each visible shown node released; the last one is
/// the round asked for.
pub async fn released_rounds(
    ctx: &ServiceContext,
    survey: &SurveyRow,
    round: u32,
    line: Option<&BTreeSet<String>>,
) -> Result<(Vec<Round>, BTreeSet<String>), ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let wanted = surveys::round(&mut conn, &survey.survey_id, round).await?;
    let mut rounds = load_rounds(&mut conn, survey, wanted.number()).await?;
    drop(conn);
    let visible = rounds.last().map(|r| visible(&r.nodes, line)).unwrap_or_default();
    let mut tx = None;
    for r in &mut rounds {
        let number = r.row.number();
        // A figure released before over exactly the same people needs no new decision: every
        // pair of releases was compared when the later one of the two was released.
        let key = format!("engagement:{}:released:{}:{number}", ctx.config.tenant, survey.survey_id);
        let mut memo: BTreeMap<String, String> = match ctx.cache.get(&key).await {
            Ok(Some(v)) => String::from_utf8_lossy(&v)
                .lines()
                .filter_map(|l| l.split_once('\t').map(|(u, f)| (u.to_owned(), f.to_owned())))
                .collect(),
            _ => BTreeMap::new(),
        };
        let before = memo.len();
        let mut changed = false;
        for id in &visible {
            let Some(node) = r.nodes.get_mut(id) else { continue };
            if node.withheld.is_some() {
                continue;
            }
            let print = fingerprint(&node.respondents);
            if memo.get(id) == Some(&print) {
                continue;
            }
            if tx.is_none() {
                tx = Some(ctx.db.begin().await?);
            }
            if let Some(tx) = tx.as_mut() {
                release(tx, &survey.survey_id, number, id, node).await?;
            }
            if node.withheld.is_none() {
                memo.insert(id.clone(), print);
                changed = true;
            }
        }
        if changed || memo.len() != before {
            let value: String = memo.iter().map(|(u, f)| format!("{u}\t{f}\n")).collect();
            if let Err(e) = ctx.cache.set(&key, value.as_bytes(), MEMO_TTL).await {
                tracing::warn!(error = %e, "release memo unavailable; figures are re-released next time");
            }
        }
    }
    if let Some(tx) = tx {
        tx.commit().await?;
    }
    Ok((rounds, visible))
}

/// How long a release decision is remembered.
const MEMO_TTL: std::time::Duration = std::time::Duration::from_secs(3600);

/// A short hash of a set of people (never stored with their ids).
fn fingerprint(people: &BTreeSet<String>) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for p in people {
        hasher.update(p.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(&hasher.finalize()[..12])
}

/// GetResults: the round's visible units with their trends.
pub async fn results(
    ctx: &ServiceContext,
    survey: &SurveyRow,
    round: u32,
    line: Option<&BTreeSet<String>>,
) -> Result<pb::SurveyResults, ApiError> {
    let (rounds, visible) = released_rounds(ctx, survey, round, line).await?;
    let Some(current) = rounds.last() else {
        return Err(ApiError::NotFound(format!("survey {} has no round yet", survey.survey_id)));
    };
    let asked = current.asked();
    let mut units = Vec::new();
    for id in order(&current.nodes).into_iter().filter(|id| visible.contains(id)) {
        let node = &current.nodes[&id];
        let mut unit = unit_results(&id, node, &asked);
        unit.trend = rounds
            .iter()
            .filter_map(|r| {
                let node = r.nodes.get(&id)?;
                let asked = r.asked();
                let shown = node.withheld.is_none();
                Some(pb::TrendPoint {
                    round: r.row.number(),
                    shown,
                    respondents: if shown { u32_of(node.respondents.len()) } else { 0 },
                    enps: if shown { figures::node_enps(node, &asked) } else { None },
                    drivers: if shown { driver_scores(node, &asked) } else { Vec::new() },
                })
            })
            .collect();
        units.push(unit);
    }
    Ok(pb::SurveyResults { survey_id: survey.survey_id.clone(), round: current.row.number(), units })
}

/// Node ids depth-first from the company-wide node, children by name.
pub fn order(nodes: &BTreeMap<String, Node>) -> Vec<String> {
    let mut children: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (id, node) in nodes {
        if let Some(parent) = &node.parent {
            children.entry(parent.as_str()).or_default().push((node.name.as_str(), id.as_str()));
        }
    }
    let mut out = Vec::new();
    let mut stack = vec![ALL];
    while let Some(id) = stack.pop() {
        out.push(id.to_owned());
        let mut kids = children.get(id).cloned().unwrap_or_default();
        kids.sort();
        stack.extend(kids.into_iter().rev().map(|(_, id)| id));
    }
    out
}

/// GetHeatmap: units × drivers (eNPS as the last column, in points), withheld cells marked.
pub async fn heatmap(ctx: &ServiceContext, survey: &SurveyRow, round: u32) -> Result<pb::Heatmap, ApiError> {
    let (rounds, visible) = released_rounds(ctx, survey, round, None).await?;
    let Some(current) = rounds.last() else {
        return Err(ApiError::NotFound(format!("survey {} has no round yet", survey.survey_id)));
    };
    let asked = current.asked();
    let drivers: Vec<Driver> = Driver::ALL.into_iter().filter(|d| asked.iter().any(|q| q.driver == *d)).collect();
    let rows = order(&current.nodes)
        .into_iter()
        .filter(|id| visible.contains(id) && id != ALL)
        .map(|id| {
            let node = &current.nodes[&id];
            let shown = node.withheld.is_none();
            let scores = figures::drivers(node, &asked);
            let cells = drivers
                .iter()
                .map(|d| {
                    let (score, n) = if *d == Driver::Enps {
                        figures::node_enps(node, &asked).map(|e| (e.score, u64::from(e.n))).unwrap_or((0.0, 0))
                    } else {
                        scores.iter().find(|s| s.0 == *d).map(|s| (figures::shown(s.1), s.3)).unwrap_or((0.0, 0))
                    };
                    pb::HeatmapCell {
                        driver: d.as_str().to_owned(),
                        shown: shown && n > 0,
                        score: if shown { score } else { 0.0 },
                        n: if shown { u32::try_from(n).unwrap_or(u32::MAX) } else { 0 },
                    }
                })
                .collect();
            pb::HeatmapRow {
                org_unit_id: id.clone(),
                name: node.name.clone(),
                respondents: if shown { u32_of(node.respondents.len()) } else { 0 },
                cells,
            }
        })
        .collect();
    Ok(pb::Heatmap {
        survey_id: survey.survey_id.clone(),
        round: current.row.number(),
        drivers: drivers.iter().map(|d| d.as_str().to_owned()).collect(),
        rows,
    })
}
