//! Merging an imported ESCO classification into the built-in taxonomy.

use std::collections::HashMap;

use crate::{
    esco::EscoData,
    taxonomy::{Group, Occupation, Origin, Relation, RelationKind, Skill, SkillIx, Taxonomy},
};

impl Taxonomy {
    /// This taxonomy with an ESCO import merged in.
    pub fn with_esco(mut self, esco: &EscoData, import: i64) -> Self {
        self.esco_import = Some(import);
        let linked: HashMap<String, SkillIx> =
            self.skills.iter().enumerate().filter_map(|(i, s)| Some((s.esco_uri.clone()?, i as SkillIx))).collect();
        for g in &esco.groups {
            let mut labels: [String; 3] = Default::default();
            for l in g.labels.iter().filter(|l| l.preferred) {
                labels[l.lang.index()].clone_from(&l.text);
            }
            self.add_group(Group { id: g.uri.clone(), parent: None, labels });
        }
        for s in &esco.skills {
            let ix = match linked.get(&s.uri) {
                Some(&ix) => {
                    self.by_id.insert(s.uri.clone(), ix);
                    ix
                }
                None => self.add_skill(Skill {
                    id: s.uri.clone(),
                    labels: Default::default(),
                    synonyms: Vec::new(),
                    descriptions: Vec::new(),
                    groups: Vec::new(),
                    esco_uri: Some(s.uri.clone()),
                    origin: Origin::Esco,
                    esco_labels: None,
                }),
            };
            let skill = &mut self.skills[ix as usize];
            if skill.origin == Origin::Builtin {
                let mut preferred: [String; 3] = Default::default();
                for l in s.labels.iter().filter(|l| l.preferred) {
                    preferred[l.lang.index()].clone_from(&l.text);
                }
                skill.esco_labels = Some(Box::new(preferred));
            }
            // The definition proper is the first sentence; ranking reads no more.
            skill.descriptions.extend(s.descriptions.iter().map(|d| (d.lang, first_sentence(&d.text))));
            for l in &s.labels {
                let slot = &mut skill.labels[l.lang.index()];
                if l.preferred && slot.is_empty() {
                    slot.clone_from(&l.text);
                } else if !slot.eq_ignore_ascii_case(&l.text)
                    && !skill.synonyms.iter().any(|(lang, t)| *lang == l.lang && t.eq_ignore_ascii_case(&l.text))
                {
                    skill.synonyms.push((l.lang, l.text.clone()));
                }
            }
        }
        for (child, parent) in &esco.broader {
            match (self.group_by_id.get(child).copied(), self.group_by_id.get(parent).copied(), self.skill(child)) {
                (Some(c), Some(p), _) if self.groups[c as usize].parent.is_none() => {
                    self.groups[c as usize].parent = Some(p);
                }
                (None, Some(p), Some(s)) => {
                    let skill = &mut self.skills[s as usize];
                    if skill.origin == Origin::Esco || skill.groups.is_empty() {
                        skill.groups.push(p);
                    }
                }
                (None, None, Some(s)) => {
                    if let Some(p) = self.skill(parent) {
                        self.relations.push(Relation { from: s, to: p, kind: RelationKind::Broader });
                    }
                }
                _ => {}
            }
        }
        for r in &esco.relations {
            if let (Some(from), Some(to)) = (self.skill(&r.from), self.skill(&r.to)) {
                self.relations.push(Relation { from, to, kind: RelationKind::Esco });
            }
        }
        for o in &esco.occupations {
            let mut labels: [String; 3] = Default::default();
            for l in o.labels.iter().filter(|l| l.preferred) {
                labels[l.lang.index()].clone_from(&l.text);
            }
            let resolve = |uris: &[String]| uris.iter().filter_map(|u| self.skill(u)).collect::<Vec<_>>();
            let synonyms = o.labels.iter().filter(|l| !l.preferred).map(|l| (l.lang, l.text.clone())).collect();
            let occupation = Occupation {
                id: o.uri.clone(),
                labels,
                synonyms,
                essential: resolve(&o.essential),
                optional: resolve(&o.optional),
            };
            self.occupation_by_id.insert(o.uri.clone(), self.occupations.len());
            self.occupations.push(occupation);
        }
        self
    }
}

/// A description's first sentence, at most 300 bytes.
fn first_sentence(d: &str) -> String {
    let mut end = d.find(". ").map_or(d.len(), |i| i + 1).min(300);
    while !d.is_char_boundary(end) {
        end -= 1;
    }
    d[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn esco_concepts_linked_from_builtin_skills_fold_into_them() {
        use crate::esco::{EscoOccupation, EscoSkill, Label};
        let t = Taxonomy::builtin().expect("built-in data is valid");
        let welding = t.skill("trades.welding").expect("known");
        let uri = t.get(welding).esco_uri.clone().expect("linked to ESCO");
        let other = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000001".to_owned();
        let label = |text: &str, preferred| Label { lang: Lang::En, text: text.into(), preferred };
        let esco = EscoData {
            skills: vec![
                EscoSkill {
                    uri: uri.clone(),
                    skill_type: "skill/competence".into(),
                    reuse_level: "sector-specific".into(),
                    labels: vec![label("weld metal", true), label("welding", false)],
                    descriptions: vec![],
                },
                EscoSkill {
                    uri: other.clone(),
                    skill_type: "knowledge".into(),
                    reuse_level: "cross-sector".into(),
                    labels: vec![label("metallurgy", true)],
                    descriptions: vec![],
                },
            ],
            groups: vec![],
            broader: vec![],
            relations: vec![],
            occupations: vec![EscoOccupation {
                uri: "http://data.europa.eu/esco/occupation/x".into(),
                code: "7212.1".into(),
                labels: vec![label("welder", true)],
                essential: vec![uri.clone()],
                optional: vec![other.clone()],
            }],
        };
        let n = t.skills.len();
        let merged = t.with_esco(&esco, 7);
        assert_eq!(merged.skills.len(), n + 1, "the linked concept is not a second skill");
        assert_eq!(merged.skill(&uri), Some(welding));
        assert!(merged.get(welding).synonyms.iter().any(|(_, s)| s == "weld metal"));
        let occ = merged.occupation("http://data.europa.eu/esco/occupation/x").expect("occupation");
        assert_eq!(occ.essential, vec![welding]);
        assert_eq!(merged.label(merged.skill(&other).expect("added"), Lang::Nl), "metallurgy");
        assert!(merged.uses_esco());
    }
}
