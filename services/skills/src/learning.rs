//! Personalised learning paths: what a person must learn for a role or target, expanded with
//! the prerequisites they lack, ordered so that prerequisites come first and, among what is
//! ready, what builds most on what they already know — with a course and a reason per step.

use std::collections::{HashMap, HashSet};

use hrmesh_proto::skills::v1::{Course, LearningPath, LearningStep};

use crate::{
    gap::Requirement,
    graph::CompetenceGraph,
    lang::Lang,
    skill_ref,
    taxonomy::{SkillIx, Taxonomy},
};

/// Level a prerequisite must reach before the skill that builds on it.
const PREREQUISITE_LEVEL: u32 = 2;
/// Relatedness from which a step is said to build on something the person knows.
const BUILDS_ON: f64 = 0.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    Target,
    PrerequisiteOf(SkillIx),
}

#[derive(Debug, Clone, Copy)]
struct Need {
    skill: SkillIx,
    from: u32,
    to: u32,
    why: Why,
}

/// What the path is for, in the reasons' words.
#[derive(Debug, Clone, Copy)]
pub struct Goal<'a> {
    /// Role title, or empty for explicit targets.
    pub role: &'a str,
}

pub fn plan(
    t: &Taxonomy,
    g: &CompetenceGraph,
    courses: &[Course],
    have: &HashMap<SkillIx, u32>,
    targets: &[Requirement],
    goal: Goal<'_>,
    lang: Lang,
) -> LearningPath {
    let mut needs: Vec<Need> = Vec::new();
    let mut skipped = Vec::new();
    for r in targets {
        let current = have.get(&r.skill).copied().unwrap_or(0);
        if current >= r.level {
            skipped.push(LearningStep {
                skill: Some(skill_ref(t, &t.get(r.skill).id, lang)),
                from_level: current,
                to_level: r.level,
                reason: mastered(t.label(r.skill, lang), current, r.level, lang),
                ..Default::default()
            });
        } else {
            needs.push(Need { skill: r.skill, from: current, to: r.level, why: Why::Target });
        }
    }
    // Prerequisites the person lacks, transitively.
    let mut i = 0;
    while i < needs.len() {
        let need = needs[i];
        for p in g.prerequisites_of(need.skill) {
            let current = have.get(&p).copied().unwrap_or(0);
            if needs.iter().any(|n| n.skill == p) || current >= PREREQUISITE_LEVEL {
                continue;
            }
            needs.push(Need { skill: p, from: current, to: PREREQUISITE_LEVEL, why: Why::PrerequisiteOf(need.skill) });
        }
        i += 1;
    }
    let ordered = order(g, have, &needs);
    let known: Vec<SkillIx> = have.iter().filter(|&(_, &l)| l > 0).map(|(&s, _)| s).collect();
    let mut steps = Vec::new();
    let mut total_hours = 0;
    for need in ordered {
        let course = pick_course(t, courses, need);
        let mut reason = match need.why {
            Why::Target => target_reason(t.label(need.skill, lang), goal.role, need.from, need.to, lang),
            Why::PrerequisiteOf(next) => prerequisite_reason(t.label(next, lang), lang),
        };
        if let Some((base, _, _)) = g.best_support(&known, need.skill).filter(|(_, s, _)| *s >= BUILDS_ON) {
            reason.push_str(&builds_on(t.label(base, lang), have.get(&base).copied().unwrap_or(0), lang));
        }
        let (course_id, course_title, hours) = match course {
            Some(c) => (c.course_id.clone(), course_title(c, lang).to_owned(), c.hours),
            None => {
                reason.push_str(&no_course(need.to, lang));
                (String::new(), String::new(), 0)
            }
        };
        total_hours += hours;
        steps.push(LearningStep {
            skill: Some(skill_ref(t, &t.get(need.skill).id, lang)),
            from_level: need.from,
            to_level: need.to,
            course_id,
            course_title,
            hours,
            reason,
        });
    }
    LearningPath { steps, skipped, total_hours, ..Default::default() }
}

/// Kahn's order over the needed skills: a skill only after its needed prerequisites; among the
/// ready ones first what the person's current skills (and earlier steps) support most.
fn order(g: &CompetenceGraph, have: &HashMap<SkillIx, u32>, needs: &[Need]) -> Vec<Need> {
    let in_path: HashSet<SkillIx> = needs.iter().map(|n| n.skill).collect();
    let mut known: Vec<SkillIx> = have.iter().filter(|&(_, &l)| l > 0).map(|(&s, _)| s).collect();
    let mut remaining: Vec<Need> = needs.to_vec();
    let mut out = Vec::with_capacity(needs.len());
    while !remaining.is_empty() {
        let done: HashSet<SkillIx> = out.iter().map(|n: &Need| n.skill).collect();
        let ready = |n: &Need| g.prerequisites_of(n.skill).iter().all(|p| !in_path.contains(p) || done.contains(p));
        let score = |n: &Need| g.best_support(&known, n.skill).map_or(0.0, |(_, s, _)| s);
        // A cycle cannot happen (the built-in prerequisites are checked acyclic); fall back to
        // the first remaining need rather than looping if imported data ever had one.
        let pick = remaining
            .iter()
            .enumerate()
            .filter(|(_, n)| ready(n))
            .max_by(|(ia, a), (ib, b)| {
                score(a)
                    .total_cmp(&score(b))
                    .then((a.why == Why::Target).cmp(&(b.why == Why::Target)).reverse())
                    .then(ib.cmp(ia))
            })
            .map_or(0, |(i, _)| i);
        let need = remaining.remove(pick);
        known.push(need.skill);
        out.push(need);
    }
    out
}

/// The course teaching the skill to at least the target level with the fewest hours, else the
/// one reaching closest to it.
fn pick_course<'a>(t: &Taxonomy, courses: &'a [Course], need: Need) -> Option<&'a Course> {
    let id = &t.get(need.skill).id;
    let level_of = |c: &Course| c.skills.iter().find(|s| &s.skill_id == id).map(|s| s.level);
    let candidates: Vec<(&Course, u32)> = courses.iter().filter_map(|c| Some((c, level_of(c)?))).collect();
    candidates
        .iter()
        .filter(|(_, l)| *l >= need.to && *l > need.from)
        .min_by_key(|(c, l)| (*l, c.hours, c.course_id.clone()))
        .or_else(|| {
            candidates.iter().filter(|(_, l)| *l > need.from).max_by_key(|(c, l)| (*l, std::cmp::Reverse(c.hours)))
        })
        .map(|(c, _)| *c)
}

fn course_title(c: &Course, lang: Lang) -> &str {
    let title = match lang {
        Lang::En => &c.title_en,
        Lang::Nl => &c.title_nl,
        Lang::De => &c.title_de,
    };
    if title.is_empty() { &c.title_en } else { title }
}

fn mastered(skill: &str, current: u32, needed: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Skipped: you already have {skill} at level {current} (needed {needed})."),
        Lang::Nl => format!("Overgeslagen: je beheerst {skill} al op niveau {current} (nodig: {needed})."),
        Lang::De => format!("Übersprungen: Sie beherrschen {skill} bereits auf Stufe {current} (benötigt: {needed})."),
    }
}

fn target_reason(skill: &str, role: &str, from: u32, to: u32, lang: Lang) -> String {
    match (lang, role.is_empty()) {
        (Lang::En, false) => format!("{role} needs {skill} at level {to}; you are at level {from}."),
        (Lang::En, true) => format!("Your target is {skill} at level {to}; you are at level {from}."),
        (Lang::Nl, false) => format!("{role} vraagt {skill} op niveau {to}; jij zit op niveau {from}."),
        (Lang::Nl, true) => format!("Je doel is {skill} op niveau {to}; jij zit op niveau {from}."),
        (Lang::De, false) => format!("{role} erfordert {skill} auf Stufe {to}; Sie sind auf Stufe {from}."),
        (Lang::De, true) => format!("Ihr Ziel ist {skill} auf Stufe {to}; Sie sind auf Stufe {from}."),
    }
}

fn prerequisite_reason(next: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Learn this first: {next} builds on it."),
        Lang::Nl => format!("Eerst leren: {next} bouwt hierop voort."),
        Lang::De => format!("Zuerst lernen: {next} baut darauf auf."),
    }
}

fn builds_on(base: &str, level: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!(" Builds on your {base} (level {level})."),
        Lang::Nl => format!(" Bouwt voort op jouw {base} (niveau {level})."),
        Lang::De => format!(" Baut auf Ihrem {base} (Stufe {level}) auf."),
    }
}

fn no_course(level: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!(" No course in the catalogue teaches this to level {level}: plan on-the-job learning."),
        Lang::Nl => format!(" Geen cursus in de catalogus leert dit tot niveau {level}: plan leren op de werkplek."),
        Lang::De => {
            format!(" Kein Kurs im Katalog vermittelt dies bis Stufe {level}: Lernen am Arbeitsplatz einplanen.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prerequisites_come_first_mastered_targets_are_skipped_with_reason() {
        let t = Taxonomy::builtin().expect("valid");
        let g = CompetenceGraph::build(&t);
        let courses = crate::courses::builtin();
        let ix = |id| t.skill(id).expect(id);
        let have = HashMap::from([(ix("it.python"), 4)]);
        let targets = [
            Requirement { skill: ix("trades.mig_mag_welding"), level: 3, essential: true },
            Requirement { skill: ix("it.python"), level: 3, essential: true },
        ];
        let path = plan(&t, &g, &courses, &have, &targets, Goal { role: "Lasser" }, Lang::Nl);
        let ids: Vec<&str> = path.steps.iter().map(|s| s.skill.as_ref().map_or("", |s| s.skill_id.as_str())).collect();
        let welding = ids.iter().position(|&s| s == "trades.welding").expect("prerequisite added");
        let mig = ids.iter().position(|&s| s == "trades.mig_mag_welding").expect("target");
        assert!(welding < mig, "{ids:?}");
        assert!(!ids.contains(&"it.python"));
        assert_eq!(path.skipped.len(), 1);
        assert!(path.skipped[0].reason.contains("Overgeslagen"), "{}", path.skipped[0].reason);
        let mig_step = &path.steps[mig];
        assert!(mig_step.reason.contains("Lasser vraagt"), "{}", mig_step.reason);
        assert!(!mig_step.course_id.is_empty() && mig_step.hours > 0);
        assert_eq!(path.total_hours, path.steps.iter().map(|s| s.hours).sum::<u32>());
    }
}
