//! Gap analysis: a person against a role, a team against a target plan, and everyone against a
//! role (transfer potential). Related skills count partly — relatedness × their level — so a
//! TIG welder is closer to a MIG/MAG job than a forklift driver, and the report says why.

use std::collections::HashMap;

use crate::{
    graph::{CompetenceGraph, Reason, Support},
    lang::Lang,
    taxonomy::{SkillIx, Taxonomy},
    tr,
};

/// One required skill of a role or plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Requirement {
    pub skill: SkillIx,
    pub level: u32,
    pub essential: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Met,
    Partial,
    CoveredByRelated,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::CoveredByRelated => "covered_by_related",
            Status::Missing => "missing",
        }
    }
}

/// How a person stands against one requirement.
#[derive(Debug, Clone, Copy)]
pub struct RequirementGap {
    pub requirement: Requirement,
    pub current: u32,
    pub status: Status,
    /// The person's related skill that counts towards this one, with its level and relatedness.
    pub related: Option<(SkillIx, u32, f64, Reason)>,
    /// Level credited: own level, or relatedness × the related skill's level, capped at the requirement.
    pub credit: f64,
}

fn weight(r: &Requirement) -> f64 {
    if r.essential { 2.0 } else { 1.0 }
}

/// Gap of one person (`have`: effective level per skill) against one requirement.
pub fn requirement_gap(
    g: &CompetenceGraph,
    support: &Support,
    have: &HashMap<SkillIx, u32>,
    r: Requirement,
) -> RequirementGap {
    let current = have.get(&r.skill).copied().unwrap_or(0);
    let level = f64::from(r.level);
    if current >= r.level {
        return RequirementGap { requirement: r, current, status: Status::Met, related: None, credit: level };
    }
    let related = have
        .iter()
        .filter(|&(&s, _)| s != r.skill)
        .filter_map(|(&s, &l)| support.of(g, s).map(|(score, why)| (s, l, score, why)))
        .max_by(|a, b| (a.2 * f64::from(a.1)).total_cmp(&(b.2 * f64::from(b.1))).then(b.0.cmp(&a.0)));
    let related_credit = related.map_or(0.0, |(_, l, score, _)| score * f64::from(l)).min(level);
    let credit = f64::from(current).max(related_credit);
    let status = match (current, related_credit >= 1.0) {
        (0, true) => Status::CoveredByRelated,
        (0, false) => Status::Missing,
        _ => Status::Partial,
    };
    let related = related.filter(|_| related_credit > f64::from(current));
    RequirementGap { requirement: r, current, status, related, credit }
}

/// A person against a set of requirements.
#[derive(Debug, Clone)]
pub struct PersonGap {
    pub requirements: Vec<RequirementGap>,
    /// Weighted share of the required proficiency the person brings, 0..1.
    pub coverage: f64,
    /// Weighted missing proficiency (essential counts double).
    pub gap: f64,
}

pub fn person_gap(
    g: &CompetenceGraph,
    supports: &[Support],
    have: &HashMap<SkillIx, u32>,
    reqs: &[Requirement],
) -> PersonGap {
    let requirements: Vec<RequirementGap> =
        reqs.iter().zip(supports).map(|(r, s)| requirement_gap(g, s, have, *r)).collect();
    let total: f64 = reqs.iter().map(|r| weight(r) * f64::from(r.level)).sum();
    let brought: f64 = requirements.iter().map(|q| weight(&q.requirement) * q.credit).sum();
    let coverage = if total > 0.0 { brought / total } else { 1.0 };
    PersonGap { requirements, coverage, gap: total - brought }
}

/// Precomputed support for each requirement (do this once per role, not per person).
pub fn supports(g: &CompetenceGraph, reqs: &[Requirement]) -> Vec<Support> {
    reqs.iter().map(|r| Support::new(g, r.skill)).collect()
}

/// A requirement's assessment as the API shows it.
pub fn to_proto(t: &Taxonomy, q: &RequirementGap, lang: Lang) -> hrmesh_proto::skills::v1::RequirementGap {
    hrmesh_proto::skills::v1::RequirementGap {
        skill: Some(crate::skill_ref(t, &t.get(q.requirement.skill).id, lang)),
        essential: q.requirement.essential,
        required_level: q.requirement.level,
        current_level: q.current,
        status: q.status.as_str().into(),
        related: q.related.map(|(s, ..)| crate::skill_ref(t, &t.get(s).id, lang)),
        relatedness: q.related.map_or(0.0, |r| r.2),
        explanation: explain(t, q, lang),
        credit: q.credit,
    }
}

/// One skill set scored against requirements, as `MatchProfiles` answers it.
pub fn match_profile(
    t: &Taxonomy,
    g: &CompetenceGraph,
    supports: &[Support],
    have: &HashMap<SkillIx, u32>,
    reqs: &[Requirement],
    id: &str,
    lang: Lang,
) -> hrmesh_proto::skills::v1::ProfileMatch {
    let result = person_gap(g, supports, have, reqs);
    hrmesh_proto::skills::v1::ProfileMatch {
        id: id.to_owned(),
        coverage: result.coverage,
        gap: result.gap,
        requirements: result.requirements.iter().map(|q| to_proto(t, q, lang)).collect(),
    }
}

/// Why two skills are related, in words.
pub fn reason_text(t: &Taxonomy, reason: Reason, lang: Lang) -> String {
    match reason {
        Reason::Explicit => tr(lang, "explicitly related", "expliciet verwant", "ausdrücklich verwandt").into(),
        Reason::Prerequisite => {
            tr(lang, "one builds on the other", "de een bouwt voort op de ander", "das eine baut auf dem anderen auf")
                .into()
        }
        Reason::Hierarchy => {
            tr(lang, "broader/narrower skill", "bredere/specifiekere vaardigheid", "Ober-/Unterbegriff").into()
        }
        Reason::SameGroup(group) => {
            format!("{}: {}", tr(lang, "same group", "zelfde groep", "gleiche Gruppe"), t.group_label(group, lang))
        }
        Reason::CoOccurrence(n) => match lang {
            Lang::En => format!("needed together in {n} occupations"),
            Lang::Nl => format!("samen nodig in {n} beroepen"),
            Lang::De => format!("in {n} Berufen gemeinsam gefragt"),
        },
        Reason::Via(via) => format!("{} {}", tr(lang, "via", "via", "über"), t.label(via, lang)),
    }
}

/// One sentence explaining a requirement's status.
pub fn explain(t: &Taxonomy, q: &RequirementGap, lang: Lang) -> String {
    let skill = t.label(q.requirement.skill, lang);
    let need = q.requirement.level;
    let related = q.related.map(|(s, l, score, why)| {
        let name = t.label(s, lang);
        let why = reason_text(t, why, lang);
        match lang {
            Lang::En => format!("{name} (level {l}) counts for {:.0}% — {why}", score * 100.0),
            Lang::Nl => format!("{name} (niveau {l}) telt voor {:.0}% — {why}", score * 100.0),
            Lang::De => format!("{name} (Stufe {l}) zählt zu {:.0} % — {why}", score * 100.0),
        }
    });
    let base = match (q.status, lang) {
        (Status::Met, Lang::En) => format!("{skill}: level {} meets the required {need}", q.current),
        (Status::Met, Lang::Nl) => format!("{skill}: niveau {} voldoet aan het vereiste {need}", q.current),
        (Status::Met, Lang::De) => format!("{skill}: Stufe {} erfüllt die geforderte {need}", q.current),
        (Status::Partial, Lang::En) => format!("{skill}: level {} of the required {need}", q.current),
        (Status::Partial, Lang::Nl) => format!("{skill}: niveau {} van het vereiste {need}", q.current),
        (Status::Partial, Lang::De) => format!("{skill}: Stufe {} von geforderten {need}", q.current),
        (Status::CoveredByRelated, Lang::En) => format!("{skill} (level {need}) is not on the profile, but"),
        (Status::CoveredByRelated, Lang::Nl) => format!("{skill} (niveau {need}) staat niet op het profiel, maar"),
        (Status::CoveredByRelated, Lang::De) => format!("{skill} (Stufe {need}) steht nicht im Profil, aber"),
        (Status::Missing, Lang::En) => format!("{skill} (level {need}) is missing"),
        (Status::Missing, Lang::Nl) => format!("{skill} (niveau {need}) ontbreekt"),
        (Status::Missing, Lang::De) => format!("{skill} (Stufe {need}) fehlt"),
    };
    match (q.status, related) {
        (Status::CoveredByRelated, Some(r)) => format!("{base} {r}"),
        (Status::Partial, Some(r)) => format!("{base}; {r}"),
        _ => base,
    }
}

/// A team against a target plan: for one target, who meets it and who is near.
#[derive(Debug, Clone, Copy)]
pub struct TargetGap {
    pub requirement: Requirement,
    pub headcount: u32,
    pub qualified: u32,
    pub near: u32,
}

impl TargetGap {
    pub fn shortfall(&self) -> u32 {
        self.headcount.saturating_sub(self.qualified)
    }
}

/// Near = one level short, or a related skill credited at the level.
pub fn team_gap(
    g: &CompetenceGraph,
    team: &[&HashMap<SkillIx, u32>],
    targets: &[(Requirement, u32)],
) -> Vec<TargetGap> {
    targets
        .iter()
        .map(|&(r, headcount)| {
            let support = Support::new(g, r.skill);
            let (mut qualified, mut near) = (0, 0);
            for have in team {
                let q = requirement_gap(g, &support, have, r);
                if q.status == Status::Met {
                    qualified += 1;
                } else if q.current + 1 >= r.level || q.credit >= f64::from(r.level) {
                    near += 1;
                }
            }
            TargetGap { requirement: r, headcount, qualified, near }
        })
        .collect()
}

/// Employees ranked by how little they would have to learn for a role (smallest gap first).
pub fn transfer_ranking<'a>(
    g: &CompetenceGraph,
    reqs: &[Requirement],
    people: impl IntoIterator<Item = (&'a String, &'a HashMap<SkillIx, u32>)>,
) -> Vec<(&'a String, PersonGap)> {
    let supports = supports(g, reqs);
    let mut ranked: Vec<_> = people.into_iter().map(|(id, have)| (id, person_gap(g, &supports, have, reqs))).collect();
    ranked.sort_by(|a, b| a.1.gap.total_cmp(&b.1.gap).then_with(|| a.0.cmp(b.0)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Taxonomy, CompetenceGraph) {
        let t = Taxonomy::builtin().expect("valid");
        let g = CompetenceGraph::build(&t);
        (t, g)
    }

    #[test]
    fn related_skill_covers_a_missing_requirement_partly_and_says_which() {
        let (t, g) = setup();
        let ix = |id| t.skill(id).expect(id);
        let want = Requirement { skill: ix("trades.mig_mag_welding"), level: 3, essential: true };
        let tig: HashMap<SkillIx, u32> = HashMap::from([(ix("trades.tig_welding"), 4)]);
        let none: HashMap<SkillIx, u32> = HashMap::from([(ix("office.afas"), 4)]);
        let support = Support::new(&g, want.skill);
        let q = requirement_gap(&g, &support, &tig, want);
        assert_eq!(q.status, Status::CoveredByRelated);
        assert!(q.credit > 1.0 && q.credit < 3.0, "{}", q.credit);
        let text = explain(&t, &q, Lang::Nl);
        assert!(text.contains("staat niet op het profiel") && text.contains("TIG"), "{text}");
        assert_eq!(requirement_gap(&g, &support, &none, want).status, Status::Missing);
    }

    #[test]
    fn transfer_ranking_puts_the_smallest_gap_first() {
        let (t, g) = setup();
        let ix = |id| t.skill(id).expect(id);
        let reqs = [
            Requirement { skill: ix("trades.mig_mag_welding"), level: 3, essential: true },
            Requirement { skill: ix("trades.welding"), level: 3, essential: true },
        ];
        let people = HashMap::from([
            ("ana".to_owned(), HashMap::from([(ix("trades.welding"), 3), (ix("trades.tig_welding"), 3)])),
            ("bob".to_owned(), HashMap::from([(ix("office.afas"), 5)])),
            ("cem".to_owned(), HashMap::from([(ix("trades.welding"), 3), (ix("trades.mig_mag_welding"), 3)])),
        ]);
        let ranked = transfer_ranking(&g, &reqs, &people);
        let order: Vec<&str> = ranked.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(order, ["cem", "ana", "bob"]);
        assert!((ranked[0].1.coverage - 1.0).abs() < 1e-9);
        assert!(ranked[2].1.coverage < 0.01);
    }

    #[test]
    fn team_gap_counts_qualified_near_and_shortfall() {
        let (t, g) = setup();
        let ix = |id| t.skill(id).expect(id);
        let r = Requirement { skill: ix("it.python"), level: 3, essential: true };
        let a = HashMap::from([(ix("it.python"), 4)]);
        let b = HashMap::from([(ix("it.python"), 2)]);
        let c = HashMap::from([(ix("office.afas"), 2)]);
        let gaps = team_gap(&g, &[&a, &b, &c], &[(r, 3)]);
        assert_eq!((gaps[0].qualified, gaps[0].near, gaps[0].shortfall()), (1, 1, 2));
    }
}
