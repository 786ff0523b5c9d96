//! The skill taxonomy: hrmesh's curated set (`data/*.tsv`, compiled in), into which an imported
//! ESCO classification is merged (`merge.rs`). Built-in skills keep their short ids; an ESCO concept that a built-in
//! skill links to is folded into it (its labels become synonyms), every other ESCO skill is
//! addressed by its concept URI.

use std::collections::HashMap;

use crate::lang::Lang;

/// Index of a skill in [`Taxonomy::skills`]; stable for one loaded taxonomy.
pub type SkillIx = u32;

/// Where a skill (or a relation) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Esco,
}

#[derive(Debug, Clone)]
pub struct Skill {
    /// `it.python` for built-in skills, the concept URI for ESCO skills.
    pub id: String,
    /// Preferred labels indexed like [`Lang::ALL`]; empty where ESCO has no label in that language.
    pub labels: [String; 3],
    pub synonyms: Vec<(Lang, String)>,
    /// What the skill is, per language (ESCO descriptions); ranking reads them with a low weight.
    pub descriptions: Vec<(Lang, String)>,
    /// Groups the skill belongs to (first = primary).
    pub groups: Vec<u32>,
    pub esco_uri: Option<String>,
    pub origin: Origin,
    /// ESCO's preferred labels of a curated skill linked to ESCO (an ESCO skill's own labels
    /// are its [`Skill::labels`]); None otherwise.
    pub esco_labels: Option<Box<[String; 3]>>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub parent: Option<u32>,
    pub labels: [String; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// Undirected: knowing one makes the other easier to learn.
    Related,
    /// Directed: `from` must be learnt before `to`.
    Prerequisite,
    /// ESCO skill–skill relation (essential or optional); treated as undirected relatedness.
    Esco,
    /// ESCO: `from` is a narrower skill of `to`.
    Broader,
}

#[derive(Debug, Clone, Copy)]
pub struct Relation {
    pub from: SkillIx,
    pub to: SkillIx,
    pub kind: RelationKind,
}

/// An ESCO occupation with the skills it needs; also usable as a role.
#[derive(Debug, Clone)]
pub struct Occupation {
    pub id: String,
    pub labels: [String; 3],
    /// Alternative labels (job titles) in any language.
    pub synonyms: Vec<(Lang, String)>,
    pub essential: Vec<SkillIx>,
    pub optional: Vec<SkillIx>,
}

/// A label or synonym to look for in text.
#[derive(Debug, Clone, Copy)]
pub struct Term<'a> {
    pub skill: SkillIx,
    pub lang: Lang,
    pub text: &'a str,
    pub preferred: bool,
    pub origin: Origin,
}

#[derive(Debug, thiserror::Error)]
#[error("{file} line {line}: {reason}")]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    pub skills: Vec<Skill>,
    pub groups: Vec<Group>,
    pub relations: Vec<Relation>,
    pub occupations: Vec<Occupation>,
    /// Which ESCO import is merged in, if any.
    pub esco_import: Option<i64>,
    pub(crate) by_id: HashMap<String, SkillIx>,
    pub(crate) group_by_id: HashMap<String, u32>,
    pub(crate) occupation_by_id: HashMap<String, usize>,
}

/// Rows of a tab-separated file with a header line; `#` lines are comments.
fn tsv_rows(
    file: &'static str,
    text: &'static str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, DataError> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let fields: Vec<&str> = l.split('\t').collect();
            if fields.len() == columns {
                Ok((i + 1, fields))
            } else {
                Err(DataError {
                    file,
                    line: i + 1,
                    reason: format!("expected {columns} fields, found {}", fields.len()),
                })
            }
        })
        .collect()
}

fn split_list(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

impl Taxonomy {
    /// The curated taxonomy shipped with hrmesh.
    pub fn builtin() -> Result<Self, DataError> {
        let mut t = Taxonomy::default();
        for (line, f) in tsv_rows("groups.tsv", include_str!("../data/groups.tsv"), 5)? {
            let parent = match f[1] {
                "" => None,
                p => Some(*t.group_by_id.get(p).ok_or_else(|| DataError {
                    file: "groups.tsv",
                    line,
                    reason: format!("parent {p} is not defined above"),
                })?),
            };
            t.add_group(Group { id: f[0].to_owned(), parent, labels: [f[2].into(), f[3].into(), f[4].into()] });
        }
        for (line, f) in tsv_rows("taxonomy.tsv", include_str!("../data/taxonomy.tsv"), 9)? {
            let group = *t.group_by_id.get(f[1]).ok_or_else(|| DataError {
                file: "taxonomy.tsv",
                line,
                reason: format!("unknown group {}", f[1]),
            })?;
            if t.by_id.contains_key(f[0]) {
                return Err(DataError { file: "taxonomy.tsv", line, reason: format!("duplicate id {}", f[0]) });
            }
            let synonyms = [(Lang::En, f[5]), (Lang::Nl, f[6]), (Lang::De, f[7])]
                .into_iter()
                .flat_map(|(lang, list)| split_list(list).map(move |s| (lang, s.to_owned())))
                .collect();
            t.add_skill(Skill {
                id: f[0].to_owned(),
                labels: [f[2].into(), f[3].into(), f[4].into()],
                synonyms,
                descriptions: Vec::new(),
                groups: vec![group],
                esco_uri: (!f[8].is_empty()).then(|| f[8].to_owned()),
                origin: Origin::Builtin,
                esco_labels: None,
            });
        }
        for (line, f) in tsv_rows("relations.tsv", include_str!("../data/relations.tsv"), 3)? {
            let ix = |id: &str| {
                t.skill(id).ok_or_else(|| DataError {
                    file: "relations.tsv",
                    line,
                    reason: format!("unknown skill {id}"),
                })
            };
            let kind = match f[2] {
                "related" => RelationKind::Related,
                "prerequisite" => RelationKind::Prerequisite,
                other => {
                    return Err(DataError { file: "relations.tsv", line, reason: format!("unknown kind {other}") });
                }
            };
            let relation = Relation { from: ix(f[0])?, to: ix(f[1])?, kind };
            t.relations.push(relation);
        }
        Ok(t)
    }

    pub(crate) fn add_group(&mut self, group: Group) -> u32 {
        let ix = self.groups.len() as u32;
        self.group_by_id.insert(group.id.clone(), ix);
        self.groups.push(group);
        ix
    }

    pub(crate) fn add_skill(&mut self, skill: Skill) -> SkillIx {
        let ix = self.skills.len() as SkillIx;
        self.by_id.insert(skill.id.clone(), ix);
        self.skills.push(skill);
        ix
    }

    /// The skill with this id (built-in id or ESCO URI).
    pub fn skill(&self, id: &str) -> Option<SkillIx> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, ix: SkillIx) -> &Skill {
        &self.skills[ix as usize]
    }

    /// The skill's label in `lang`, falling back to English and then to its id.
    pub fn label(&self, ix: SkillIx, lang: Lang) -> &str {
        let s = self.get(ix);
        [&s.labels[lang.index()], &s.labels[0]].into_iter().find(|l| !l.is_empty()).map_or(&s.id, String::as_str)
    }

    /// ESCO's preferred label of the skill in `lang` (English where ESCO has none in `lang`);
    /// None for a skill no ESCO import has.
    pub fn esco_label(&self, ix: SkillIx, lang: Lang) -> Option<&str> {
        let s = self.get(ix);
        let labels = match (&s.esco_labels, s.origin) {
            (Some(l), _) => l.as_ref(),
            (None, Origin::Esco) => &s.labels,
            (None, Origin::Builtin) => return None,
        };
        [&labels[lang.index()], &labels[0]].into_iter().find(|l| !l.is_empty()).map(String::as_str)
    }

    pub fn group(&self, id: &str) -> Option<u32> {
        self.group_by_id.get(id).copied()
    }

    /// The group's label in `lang`, falling back to English and then to its id.
    pub fn group_label(&self, ix: u32, lang: Lang) -> &str {
        let g = &self.groups[ix as usize];
        [&g.labels[lang.index()], &g.labels[0]].into_iter().find(|l| !l.is_empty()).map_or(&g.id, String::as_str)
    }

    pub fn occupation(&self, id: &str) -> Option<&Occupation> {
        self.occupation_by_id.get(id).map(|&i| &self.occupations[i])
    }

    /// Every label and synonym of every skill, for the extractor.
    pub fn terms(&self) -> impl Iterator<Item = Term<'_>> {
        self.skills.iter().enumerate().flat_map(|(i, s)| {
            let skill = i as SkillIx;
            let labels = Lang::ALL
                .into_iter()
                .zip(&s.labels)
                .filter(|(_, l)| !l.is_empty())
                .map(move |(lang, l)| Term { skill, lang, text: l, preferred: true, origin: s.origin });
            let synonyms = s.synonyms.iter().map(move |(lang, text)| Term {
                skill,
                lang: *lang,
                text,
                preferred: false,
                origin: s.origin,
            });
            labels.chain(synonyms)
        })
    }

    /// True if ESCO data is part of this taxonomy (its attribution must then be shown).
    pub fn uses_esco(&self) -> bool {
        self.esco_import.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_taxonomy_loads_with_every_label_in_three_languages() {
        let t = Taxonomy::builtin().expect("built-in data is valid");
        assert!(t.skills.len() >= 400, "{} skills", t.skills.len());
        for s in &t.skills {
            assert!(s.labels.iter().all(|l| !l.is_empty()), "{} lacks a label", s.id);
        }
        let welding = t.skill("trades.mig_mag_welding").expect("known skill");
        assert_eq!(t.label(welding, Lang::De), "MIG/MAG-Schweißen");
        assert!(t.terms().count() > 2000);
    }
}
