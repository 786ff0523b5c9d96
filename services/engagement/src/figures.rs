//! The figures of one survey round per org unit, computed from the anonymous counts, and which
//! of them may be shown: the small-group rule (5 respondents) and its complement — a unit whose
//! respondents, minus those of its shown sub-units, leave 1 to 4 people is withheld, since
//! subtracting the figures would describe those few.

use std::collections::{BTreeMap, BTreeSet};

use hrmesh_kit::groups::MIN_GROUP_SIZE;
use hrmesh_proto::engagement::v1 as pb;

use crate::questions::{Driver, Kind, Question};

/// The company-wide node: the whole audience.
pub const ALL: &str = "";

/// Answers per score 0..=10.
pub type Counts = [u64; 11];

/// eNPS of a distribution: promoters (9–10) minus detractors (0–6), in points, with the counts.
pub fn enps(counts: &Counts) -> Option<pb::Enps> {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    let promoters = counts[9] + counts[10];
    let detractors: u64 = counts[..=6].iter().sum();
    let passives = counts[7] + counts[8];
    let score = (promoters as f64 - detractors as f64) * 100.0 / n as f64;
    let u = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Some(pb::Enps {
        score: (score * 10.0).round() / 10.0,
        promoters: u(promoters),
        passives: u(passives),
        detractors: u(detractors),
        n: u(n),
    })
}

/// Mean, per-answer variance and n of the scores in `counts`.
pub fn moments(counts: &Counts) -> Option<(f64, f64, u64)> {
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return None;
    }
    let sum: f64 = counts.iter().enumerate().map(|(s, c)| s as f64 * *c as f64).sum();
    let mean = sum / n as f64;
    let var = counts.iter().enumerate().map(|(s, c)| (s as f64 - mean).powi(2) * *c as f64).sum::<f64>() / n as f64;
    Some((mean, var, n))
}

/// One org unit of a round (or the company-wide node).
#[derive(Debug, Clone, Default)]
pub struct Node {
    pub name: String,
    /// `None` only for the company-wide node.
    pub parent: Option<String>,
    /// Invited people of this unit and every unit below it.
    pub invited: BTreeSet<String>,
    /// Those of them who answered.
    pub respondents: BTreeSet<String>,
    /// Answers per question.
    pub counts: BTreeMap<String, Counts>,
    /// Comment sentiment: count, sum, sum of squares.
    pub sentiment: (u64, f64, f64),
    /// Why the unit's figures are withheld; `None` when shown.
    pub withheld: Option<String>,
}

/// Everything stored about one round, as loaded.
#[derive(Debug, Default)]
pub struct RoundInput {
    /// Unit → (parent, name), as when the round opened.
    pub units: BTreeMap<String, (Option<String>, String)>,
    /// The survey's audience units.
    pub audience: Vec<String>,
    /// Invited people: (employee, unit, answered).
    pub invitations: Vec<(String, String, bool)>,
    /// (unit, question, score, answers).
    pub counts: Vec<(String, String, u32, u64)>,
    /// Unit → (comments with sentiment, sum, sum of squares).
    pub sentiment: BTreeMap<String, (u64, f64, f64)>,
}

/// The nodes of one round: the company-wide node and every unit of the audience, each with the
/// people and answers of its subtree, and which are withheld.
pub fn nodes(input: &RoundInput) -> BTreeMap<String, Node> {
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    nodes.insert(ALL.to_owned(), Node { name: "company-wide".into(), ..Node::default() });
    let parents: BTreeMap<String, Option<String>> =
        input.units.iter().map(|(id, (parent, _))| (id.clone(), parent.clone())).collect();
    let mut included = BTreeSet::new();
    for unit in &input.audience {
        included.extend(crate::org::subtree(&parents, unit));
    }
    for unit in &included {
        let (parent, name) = input.units.get(unit).cloned().unwrap_or_default();
        let parent = parent.filter(|p| included.contains(p)).unwrap_or_else(|| ALL.to_owned());
        nodes.insert(unit.clone(), Node { name, parent: Some(parent), ..Node::default() });
    }
    // The chain of nodes from a unit up to the company-wide node.
    let chain = |unit: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut at = if nodes.contains_key(unit) { Some(unit.to_owned()) } else { Some(ALL.to_owned()) };
        while let Some(u) = at {
            if out.contains(&u) {
                break;
            }
            at = nodes.get(&u).and_then(|n| n.parent.clone());
            out.push(u);
        }
        out
    };
    let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for unit in input.invitations.iter().map(|i| &i.1).chain(input.counts.iter().map(|c| &c.0)) {
        if !chains.contains_key(unit) {
            chains.insert(unit.clone(), chain(unit));
        }
    }
    for unit in input.sentiment.keys() {
        if !chains.contains_key(unit) {
            chains.insert(unit.clone(), chain(unit));
        }
    }
    for (employee, unit, answered) in &input.invitations {
        for node in &chains[unit] {
            let Some(n) = nodes.get_mut(node) else { continue };
            n.invited.insert(employee.clone());
            if *answered {
                n.respondents.insert(employee.clone());
            }
        }
    }
    for (unit, question, score, answers) in &input.counts {
        for node in &chains[unit] {
            let Some(n) = nodes.get_mut(node) else { continue };
            if let Some(slot) = n.counts.entry(question.clone()).or_insert([0; 11]).get_mut(*score as usize) {
                *slot += answers;
            }
        }
    }
    for (unit, (count, sum, squares)) in &input.sentiment {
        for node in &chains[unit] {
            let Some(n) = nodes.get_mut(node) else { continue };
            n.sentiment.0 += count;
            n.sentiment.1 += sum;
            n.sentiment.2 += squares;
        }
    }
    guard(&mut nodes);
    nodes
}

/// Reason for a group below the minimum (nl/de/en).
pub fn too_small() -> String {
    format!(
        "fewer than {MIN_GROUP_SIZE} respondents: not shown / minder dan {MIN_GROUP_SIZE} respondenten: niet getoond / \
         weniger als {MIN_GROUP_SIZE} Antwortende: nicht angezeigt"
    )
}

fn by_difference(residual: usize) -> String {
    format!(
        "withheld: with its shown sub-units it would reveal a group of {residual} (fewer than {MIN_GROUP_SIZE}) by \
         difference / niet getoond: samen met de getoonde onderdelen zou dit een groep van {residual} onthullen / \
         nicht angezeigt: zusammen mit den angezeigten Untereinheiten würde eine Gruppe von {residual} erkennbar"
    )
}

/// Marks every node that may not be shown: fewer than 5 respondents, or its respondents minus
/// those of its shown descendants leave 1 to 4 (then the parent is withheld, keeping the
/// smaller units' figures). Bottom-up, so each decision sees its sub-units' final state.
pub fn guard(nodes: &mut BTreeMap<String, Node>) {
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, node) in nodes.iter() {
        if let Some(parent) = &node.parent {
            children.entry(parent.clone()).or_default().push(id.clone());
        }
    }
    // Post-order from the company-wide node.
    let mut order = Vec::new();
    let mut stack = vec![(ALL.to_owned(), false)];
    while let Some((id, expanded)) = stack.pop() {
        if expanded {
            order.push(id);
            continue;
        }
        stack.push((id.clone(), true));
        for child in children.get(&id).into_iter().flatten() {
            stack.push((child.clone(), false));
        }
    }
    // Respondents a node's shown descendants already describe.
    let mut covered: BTreeMap<String, usize> = BTreeMap::new();
    for id in order {
        let below: usize = children
            .get(&id)
            .into_iter()
            .flatten()
            .map(|c| match nodes.get(c) {
                Some(n) if n.withheld.is_none() => n.respondents.len(),
                _ => covered.get(c).copied().unwrap_or(0),
            })
            .sum();
        let Some(node) = nodes.get_mut(&id) else { continue };
        let n = node.respondents.len();
        if n < MIN_GROUP_SIZE {
            node.withheld = Some(too_small());
        } else if (1..MIN_GROUP_SIZE).contains(&(n - below.min(n))) {
            node.withheld = Some(by_difference(n - below.min(n)));
        }
        covered.insert(id, below);
    }
}

/// Driver scores of a node: the mean of each driver's rating answers, with n.
pub fn drivers(node: &Node, asked: &[&Question]) -> Vec<(Driver, f64, f64, u64)> {
    let mut out = Vec::new();
    for driver in Driver::ALL {
        let mut total: Counts = [0; 11];
        let mut n = 0;
        for q in asked.iter().filter(|q| q.driver == driver && q.kind == Kind::Rating) {
            if let Some(c) = node.counts.get(q.id) {
                for (t, v) in total.iter_mut().zip(c) {
                    *t += v;
                }
                n = n.max(c.iter().sum());
            }
        }
        if let Some((mean, var, _)) = moments(&total) {
            out.push((driver, mean, var, n));
        }
    }
    out
}

/// The eNPS of a node for the round's eNPS question, if it asked one.
pub fn node_enps(node: &Node, asked: &[&Question]) -> Option<pb::Enps> {
    let question = asked.iter().find(|q| q.kind == Kind::Enps)?;
    enps(node.counts.get(question.id)?)
}

/// A score rounded to one decimal, as shown.
pub fn shown(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enps_is_promoters_minus_detractors_in_points() {
        // 10, 9, 9, 8, 7, 6, 3: 3 promoters, 2 passives, 2 detractors of 7.
        let mut c: Counts = [0; 11];
        for s in [10, 9, 9, 8, 7, 6, 3] {
            c[s] += 1;
        }
        let e = enps(&c).expect("answers");
        assert_eq!((e.promoters, e.passives, e.detractors, e.n), (3, 2, 2, 7));
        assert!((e.score - 14.3).abs() < 1e-9, "{}", e.score);
        assert_eq!(enps(&[0; 11]), None);
        let mut all_detractors: Counts = [0; 11];
        all_detractors[6] = 5;
        assert_eq!(enps(&all_detractors).map(|e| e.score), Some(-100.0));
    }

    fn input(teams: &[(&str, &str, usize, usize)]) -> RoundInput {
        let mut input = RoundInput { audience: vec!["acme".into()], ..RoundInput::default() };
        input.units.insert("acme".into(), (None, "Acme".into()));
        for (unit, parent, members, answered) in teams {
            input.units.insert((*unit).into(), (Some((*parent).into()), (*unit).into()));
            for i in 0..*members {
                input.invitations.push((format!("{unit}-{i}"), (*unit).into(), i < *answered));
            }
        }
        input
    }

    #[test]
    fn small_teams_are_withheld_and_so_is_a_parent_that_reveals_them_by_difference() {
        // acme ⊃ ops ⊃ {wh 7, tr 5}; acme ⊃ sales 4: acme (16) minus ops (12) would be sales' 4.
        let nodes =
            nodes(&input(&[("ops", "acme", 0, 0), ("wh", "ops", 7, 7), ("tr", "ops", 5, 5), ("sales", "acme", 4, 4)]));
        let withheld = |id: &str| nodes[id].withheld.clone();
        assert_eq!(withheld("wh"), None);
        assert_eq!(withheld("tr"), None);
        assert_eq!(withheld("ops"), None, "ops is exactly wh + tr");
        assert!(withheld("sales").is_some_and(|r| r.contains("fewer than 5")));
        assert!(withheld("acme").is_some_and(|r| r.contains("group of 4")), "{:?}", withheld("acme"));
        assert!(withheld(ALL).is_some_and(|r| r.contains("group of 4")), "company-wide is acme");
        assert_eq!(nodes["ops"].respondents.len(), 12);
    }

    #[test]
    fn a_unit_of_nine_with_a_shown_sub_unit_of_five_is_refused() {
        let nodes = nodes(&input(&[("team", "acme", 4, 4), ("sub", "team", 5, 5), ("other", "acme", 6, 6)]));
        assert_eq!(nodes["sub"].withheld, None);
        assert!(nodes["team"].withheld.as_deref().is_some_and(|r| r.contains("group of 4")));
        // acme: 15 respondents, shown below: sub 5 + other 6 = 11 → residual 4 → withheld too.
        assert!(nodes["acme"].withheld.is_some());
    }
}
