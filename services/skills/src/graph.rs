//! The competence graph: how strongly knowing one skill helps with another, from three sources
//! — explicit relations (curated and ESCO), the hierarchy (same group) and co-occurrence in
//! occupations — plus the prerequisite order learning paths follow.

use std::collections::HashMap;

use petgraph::{
    Directed, Undirected,
    algo::toposort,
    graph::{Graph, NodeIndex},
    visit::EdgeRef,
};

use crate::taxonomy::{RelationKind, SkillIx, Taxonomy};

/// Why two skills are related.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// Curated or ESCO skill–skill relation.
    Explicit,
    /// One is a prerequisite of the other.
    Prerequisite,
    /// ESCO: one is a narrower concept of the other.
    Hierarchy,
    /// Both belong to this group.
    SameGroup(u32),
    /// Both are needed by this many occupations together (cosine over occupations).
    CoOccurrence(u32),
    /// Through a skill related to both.
    Via(SkillIx),
}

const EXPLICIT: f64 = 0.7;
const PREREQUISITE: f64 = 0.6;
const HIERARCHY: f64 = 0.6;
const SAME_GROUP: f64 = 0.4;
/// Co-occurrence edges: cosine over occupations scaled to at most this.
const CO_OCCURRENCE: f64 = 0.7;
const MIN_COSINE: f64 = 0.25;
const CO_OCCURRENCE_NEIGHBOURS: usize = 12;
/// Relatedness below this is noise, not a hidden qualification.
pub const MIN_RELATEDNESS: f64 = 0.2;

#[derive(Debug, Clone, Copy)]
struct Edge {
    weight: f64,
    reason: Reason,
}

/// Immutable, built once per taxonomy.
#[derive(Debug)]
pub struct CompetenceGraph {
    related: Graph<SkillIx, Edge, Undirected, u32>,
    prerequisites: Graph<SkillIx, (), Directed, u32>,
    /// Skill → its groups, for the same-group rule.
    groups: Vec<Vec<u32>>,
}

impl CompetenceGraph {
    pub fn build(t: &Taxonomy) -> Self {
        let n = t.skills.len();
        let mut related = Graph::with_capacity(n, t.relations.len());
        let mut prerequisites = Graph::with_capacity(n, 0);
        for i in 0..n {
            related.add_node(i as SkillIx);
            prerequisites.add_node(i as SkillIx);
        }
        let mut best: HashMap<(SkillIx, SkillIx), Edge> = HashMap::new();
        let mut offer = |a: SkillIx, b: SkillIx, edge: Edge| {
            if a == b {
                return;
            }
            let key = (a.min(b), a.max(b));
            let slot = best.entry(key).or_insert(edge);
            if edge.weight > slot.weight {
                *slot = edge;
            }
        };
        for r in &t.relations {
            let (weight, reason) = match r.kind {
                RelationKind::Related | RelationKind::Esco => (EXPLICIT, Reason::Explicit),
                RelationKind::Prerequisite => (PREREQUISITE, Reason::Prerequisite),
                RelationKind::Broader => (HIERARCHY, Reason::Hierarchy),
            };
            offer(r.from, r.to, Edge { weight, reason });
            if r.kind == RelationKind::Prerequisite {
                prerequisites.update_edge(NodeIndex::new(r.from as usize), NodeIndex::new(r.to as usize), ());
            }
        }
        for (a, b, cosine, shared) in co_occurrence(t) {
            offer(a, b, Edge { weight: CO_OCCURRENCE * cosine, reason: Reason::CoOccurrence(shared) });
        }
        for ((a, b), edge) in best {
            related.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), edge);
        }
        let groups = t.skills.iter().map(|s| s.groups.clone()).collect();
        Self { related, prerequisites, groups }
    }

    /// Skills directly related to `skill`, strongest first.
    pub fn neighbours(&self, skill: SkillIx) -> Vec<(SkillIx, f64, Reason)> {
        let mut out: Vec<_> = self
            .related
            .edges(NodeIndex::new(skill as usize))
            .map(|e| {
                let other = if e.source().index() == skill as usize { e.target() } else { e.source() };
                (other.index() as SkillIx, e.weight().weight, e.weight().reason)
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    fn shared_group(&self, a: SkillIx, b: SkillIx) -> Option<u32> {
        let gb = &self.groups[b as usize];
        self.groups[a as usize].iter().find(|g| gb.contains(g)).copied()
    }

    /// How much having `have` helps with `want` (0..1, 1 for the same skill), and why.
    pub fn relatedness(&self, have: SkillIx, want: SkillIx) -> Option<(f64, Reason)> {
        Support::new(self, want).of(self, have)
    }

    /// The strongest support among `have` for `want`.
    pub fn best_support(&self, have: &[SkillIx], want: SkillIx) -> Option<(SkillIx, f64, Reason)> {
        let support = Support::new(self, want);
        have.iter()
            .filter_map(|&h| support.of(self, h).map(|(s, r)| (h, s, r)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// Direct prerequisites of `skill`.
    pub fn prerequisites_of(&self, skill: SkillIx) -> Vec<SkillIx> {
        self.prerequisites
            .neighbors_directed(NodeIndex::new(skill as usize), petgraph::Direction::Incoming)
            .map(|n| n.index() as SkillIx)
            .collect()
    }

    /// Position of every skill in a prerequisite order (prerequisites first); `Err` names a
    /// skill on a cycle.
    pub fn prerequisite_order(&self) -> Result<Vec<usize>, SkillIx> {
        let order = toposort(&self.prerequisites, None).map_err(|c| c.node_id().index() as SkillIx)?;
        let mut rank = vec![0; order.len()];
        for (pos, node) in order.into_iter().enumerate() {
            rank[node.index()] = pos;
        }
        Ok(rank)
    }
}

/// Everything that helps with one wanted skill, precomputed so that checking many people's
/// skills against it costs a hash lookup each: direct edges and paths over one intermediate skill.
#[derive(Debug)]
pub struct Support {
    want: SkillIx,
    reach: HashMap<SkillIx, (f64, Reason)>,
}

impl Support {
    pub fn new(g: &CompetenceGraph, want: SkillIx) -> Self {
        let mut reach: HashMap<SkillIx, (f64, Reason)> = HashMap::new();
        let mut offer = |skill: SkillIx, score: f64, reason: Reason| {
            if skill != want && score >= MIN_RELATEDNESS && reach.get(&skill).is_none_or(|(s, _)| score > *s) {
                reach.insert(skill, (score, reason));
            }
        };
        let direct = g.neighbours(want);
        for &(via, w1, reason) in &direct {
            offer(via, w1, reason);
        }
        for &(via, w1, _) in &direct {
            for (far, w2, _) in g.neighbours(via) {
                offer(far, w1 * w2, Reason::Via(via));
            }
        }
        Self { want, reach }
    }

    /// How much `have` helps with the wanted skill.
    pub fn of(&self, g: &CompetenceGraph, have: SkillIx) -> Option<(f64, Reason)> {
        if have == self.want {
            return Some((1.0, Reason::Explicit));
        }
        let found = self.reach.get(&have).copied();
        match g.shared_group(have, self.want) {
            Some(group) if found.is_none_or(|(s, _)| s < SAME_GROUP) => Some((SAME_GROUP, Reason::SameGroup(group))),
            _ => found,
        }
    }
}

/// Skill pairs that occupations need together: cosine similarity of their occupation sets,
/// keeping each skill's strongest neighbours.
fn co_occurrence(t: &Taxonomy) -> Vec<(SkillIx, SkillIx, f64, u32)> {
    let mut occupations_of: Vec<Vec<u32>> = vec![Vec::new(); t.skills.len()];
    for (o, occ) in t.occupations.iter().enumerate() {
        for &s in occ.essential.iter().chain(&occ.optional) {
            occupations_of[s as usize].push(o as u32);
        }
    }
    let mut out = Vec::new();
    let mut shared: HashMap<SkillIx, u32> = HashMap::new();
    for (a, occs) in occupations_of.iter().enumerate() {
        if occs.len() < 2 {
            continue;
        }
        shared.clear();
        for &o in occs {
            let occ = &t.occupations[o as usize];
            for &b in occ.essential.iter().chain(&occ.optional) {
                if b as usize != a {
                    *shared.entry(b).or_default() += 1;
                }
            }
        }
        let mut scored: Vec<(SkillIx, f64, u32)> = shared
            .iter()
            .filter(|&(_, &n)| n >= 2)
            .map(|(&b, &n)| {
                let denom = ((occs.len() * occupations_of[b as usize].len()) as f64).sqrt();
                (b, f64::from(n) / denom, n)
            })
            .filter(|&(_, cos, _)| cos >= MIN_COSINE)
            .collect();
        scored.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        scored.truncate(CO_OCCURRENCE_NEIGHBOURS);
        out.extend(scored.into_iter().map(|(b, cos, n)| (a as SkillIx, b, cos, n)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> (Taxonomy, CompetenceGraph) {
        let t = Taxonomy::builtin().expect("valid");
        let g = CompetenceGraph::build(&t);
        (t, g)
    }

    #[test]
    fn explicit_relations_rank_above_mere_group_membership() {
        let (t, g) = builtin();
        let ix = |id| t.skill(id).expect(id);
        let (direct, reason) = g.relatedness(ix("trades.welding"), ix("trades.mig_mag_welding")).expect("related");
        assert_eq!(reason, Reason::Prerequisite);
        let neighbours = g.neighbours(ix("trades.mig_mag_welding"));
        assert!(!neighbours.is_empty());
        assert!(neighbours.windows(2).all(|w| w[0].1 >= w[1].1), "strongest first");
        assert!(direct > SAME_GROUP);
        assert_eq!(g.relatedness(ix("it.python"), ix("it.python")).map(|r| r.0), Some(1.0));
    }

    #[test]
    fn unrelated_skills_have_no_relatedness() {
        let (t, g) = builtin();
        let ix = |id| t.skill(id).expect(id);
        assert!(g.relatedness(ix("trades.mig_mag_welding"), ix("office.afas")).is_none());
    }

    #[test]
    fn builtin_prerequisites_form_an_order() {
        let (t, g) = builtin();
        let rank = g.prerequisite_order().expect("acyclic");
        let ix = |id| t.skill(id).expect(id) as usize;
        assert!(rank[ix("trades.welding")] < rank[ix("trades.mig_mag_welding")]);
        assert!(
            g.prerequisites_of(ix("trades.mig_mag_welding") as SkillIx).contains(&(ix("trades.welding") as SkillIx))
        );
    }
}
