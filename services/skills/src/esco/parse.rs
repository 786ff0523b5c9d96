//! Reading and validating an export directory: the English concept files, the relation files
//! (every reference must name a concept of the set), then the other languages' labels.

use std::{collections::HashMap, path::Path, time::Instant};

use super::{
    EscoData, EscoError, EscoGroup, EscoOccupation, EscoRelation, EscoSkill, ImportReport, Label,
    csvfile::{CsvFile, Row, Width},
    hierarchy::{self, HierarchyEdges},
    labels, languages,
};
use crate::lang::Lang;

pub(super) const SKILLS: &str = "skills_en.csv";
pub(super) const GROUPS: &str = "skillGroups_en.csv";
pub(super) const HIERARCHY: &str = "skillsHierarchy_en.csv";
pub(super) const BROADER: &str = "broaderRelationsSkillPillar.csv";
pub(super) const SKILL_RELATIONS: &str = "skillSkillRelations.csv";
pub(super) const OCCUPATIONS: &str = "occupations_en.csv";
pub(super) const OCCUPATION_SKILLS: &str = "occupationSkillRelations.csv";

const SKILL_TYPES: &[&str] = &["skill/competence", "knowledge"];
const REUSE_LEVELS: &[&str] = &["transversal", "cross-sector", "sector-specific", "occupation-specific"];
const RELATION_KINDS: &[&str] = &["essential", "optional"];

/// What a concept URI may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Skill,
    Group,
    Occupation,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Skill => "skill",
            Kind::Group => "skill group",
            Kind::Occupation => "occupation",
        }
    }

    /// Path segments after `http://data.europa.eu/esco/` (knowledge groups are ISCED-F fields).
    fn segments(self) -> &'static [&'static str] {
        match self {
            Kind::Skill => &["skill/"],
            Kind::Group => &["skill/", "isced-f/"],
            Kind::Occupation => &["occupation/"],
        }
    }
}

/// Checks that `value` is an ESCO concept URI that can name a `kind`.
pub(super) fn check_uri(value: &str, kind: Kind) -> Result<(), String> {
    let id = value
        .strip_prefix("http://data.europa.eu/esco/")
        .and_then(|rest| kind.segments().iter().find_map(|segment| rest.strip_prefix(segment)));
    match id {
        Some(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => Ok(()),
        _ => Err(format!("not an ESCO {} URI: '{value}'", kind.noun())),
    }
}

fn one_of<const N: usize>(row: &Row<'_, N>, column: usize, value: &str, allowed: &[&str]) -> Result<(), EscoError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(row.invalid(column, format!("'{value}' is not one of {}", allowed.join(", "))))
    }
}

/// Where a concept was defined.
#[derive(Debug, Clone, Copy)]
struct Defined {
    /// Index in its list of [`EscoData`].
    ix: usize,
    file: &'static str,
    line: u64,
}

/// The set being built, with the concepts found so far by URI.
pub(super) struct Builder {
    pub data: EscoData,
    pub report: ImportReport,
    skills: HashMap<String, Defined>,
    groups: HashMap<String, Defined>,
    occupations: HashMap<String, Defined>,
}

impl Builder {
    /// Index in [`EscoData::groups`] of the group `uri`, if the set has it.
    pub fn group(&self, uri: &str) -> Option<usize> {
        self.groups.get(uri).map(|d| d.ix)
    }

    fn index(&self, kind: Kind) -> &HashMap<String, Defined> {
        match kind {
            Kind::Skill => &self.skills,
            Kind::Group => &self.groups,
            Kind::Occupation => &self.occupations,
        }
    }

    /// The skill `uri`, if the set has it.
    pub fn skill_mut(&mut self, uri: &str) -> Option<&mut EscoSkill> {
        let ix = self.skills.get(uri)?.ix;
        self.data.skills.get_mut(ix)
    }

    /// The labels of the `kind` concept `uri`, if the set has it.
    pub fn labels_mut(&mut self, kind: Kind, uri: &str) -> Option<&mut Vec<Label>> {
        let ix = self.index(kind).get(uri)?.ix;
        match kind {
            Kind::Skill => self.data.skills.get_mut(ix).map(|s| &mut s.labels),
            Kind::Group => self.data.groups.get_mut(ix).map(|g| &mut g.labels),
            Kind::Occupation => self.data.occupations.get_mut(ix).map(|o| &mut o.labels),
        }
    }

    /// Registers the `kind` concept `uri` defined by `row` of `file`; rejects a second definition.
    pub fn define<const N: usize>(
        &mut self,
        row: &Row<'_, N>,
        file: &'static str,
        column: usize,
        uri: &str,
        kind: Kind,
    ) -> Result<usize, EscoError> {
        check_uri(uri, kind).map_err(|reason| row.invalid(column, reason))?;
        for other in [Kind::Skill, Kind::Group, Kind::Occupation] {
            if let Some(first) = self.index(other).get(uri) {
                let (noun, first_file, line) = (other.noun(), first.file, first.line);
                let reason = if other == kind {
                    format!("duplicate {noun} '{uri}' (first on {first_file} line {line})")
                } else {
                    format!("'{uri}' is already a {noun} ({first_file} line {line})")
                };
                return Err(row.invalid(column, reason));
            }
        }
        let (index, ix) = match kind {
            Kind::Skill => (&mut self.skills, self.data.skills.len()),
            Kind::Group => (&mut self.groups, self.data.groups.len()),
            Kind::Occupation => (&mut self.occupations, self.data.occupations.len()),
        };
        index.insert(uri.to_owned(), Defined { ix, file, line: row.line() });
        Ok(ix)
    }

    /// Index of the `kind` concept a relation record refers to.
    fn reference<const N: usize>(
        &self,
        row: &Row<'_, N>,
        column: usize,
        uri: &str,
        kind: Kind,
    ) -> Result<usize, EscoError> {
        check_uri(uri, kind).map_err(|reason| row.invalid(column, reason))?;
        let defined_in = match kind {
            Kind::Skill => SKILLS,
            Kind::Group => "skillGroups_en.csv or skillsHierarchy_en.csv",
            Kind::Occupation => OCCUPATIONS,
        };
        self.index(kind)
            .get(uri)
            .map(|d| d.ix)
            .ok_or_else(|| row.invalid(column, format!("unknown {} '{uri}' (not in {defined_in})", kind.noun())))
    }

    pub fn finish_file(&mut self, file: &CsvFile, records: usize) {
        self.report.files.push((file.name.clone(), records));
    }
}

/// Reads and validates the export in `dir`; touches no database.
pub fn parse_dir(dir: &Path) -> Result<(EscoData, ImportReport), EscoError> {
    let started = Instant::now();
    let mut b = Builder {
        data: EscoData::default(),
        report: ImportReport::default(),
        skills: HashMap::new(),
        groups: HashMap::new(),
        occupations: HashMap::new(),
    };
    read_skills(&mut b, &CsvFile::open(dir, SKILLS)?)?;
    read_groups(&mut b, &CsvFile::open(dir, GROUPS)?)?;
    let hierarchy = hierarchy::read(&mut b, &CsvFile::open(dir, HIERARCHY)?, Lang::En)?;
    read_broader(&mut b, &CsvFile::open(dir, BROADER)?, &hierarchy)?;
    read_skill_relations(&mut b, &CsvFile::open(dir, SKILL_RELATIONS)?)?;
    read_occupations(&mut b, &CsvFile::open(dir, OCCUPATIONS)?)?;
    read_occupation_skills(&mut b, &CsvFile::open(dir, OCCUPATION_SKILLS)?)?;
    languages::read(&mut b, dir)?;
    let Builder { mut data, mut report, .. } = b;
    data.canonicalize();
    report.counts = data.counts();
    report.parse = started.elapsed();
    report.elapsed = report.parse;
    Ok((data, report))
}

/// Rejects a concept file without records: importing it would wipe the stored set, and no real
/// export has one.
fn require_records(file: &CsvFile, records: usize) -> Result<(), EscoError> {
    if records == 0 {
        return Err(EscoError::Malformed {
            file: file.name.clone(),
            line: 2,
            reason: "no records after the header".into(),
        });
    }
    Ok(())
}

fn read_skills(b: &mut Builder, file: &CsvFile) -> Result<(), EscoError> {
    let columns =
        ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "description"];
    let mut rows = file.records(columns, Width::Exact)?;
    while let Some(row) = rows.next()? {
        let [concept_type, uri, skill_type, reuse_level, preferred, alternatives, description] = row.fields();
        one_of(&row, 0, concept_type, &["KnowledgeSkillCompetence"])?;
        b.define(&row, SKILLS, 1, uri, Kind::Skill)?;
        // ESCO leaves the type and reuse level of a handful of skills open.
        if !skill_type.is_empty() {
            one_of(&row, 2, skill_type, SKILL_TYPES)?;
        }
        if !reuse_level.is_empty() {
            one_of(&row, 3, reuse_level, REUSE_LEVELS)?;
        }
        if preferred.is_empty() {
            return Err(row.invalid(4, "empty"));
        }
        let mut labels = Vec::new();
        labels::add_record(&mut labels, Lang::En, preferred, alternatives);
        let skill = EscoSkill {
            uri: uri.to_owned(),
            skill_type: skill_type.to_owned(),
            reuse_level: reuse_level.to_owned(),
            labels,
            descriptions: labels::description(Lang::En, description).into_iter().collect(),
        };
        b.data.skills.push(skill);
    }
    require_records(file, rows.count)?;
    b.finish_file(file, rows.count);
    Ok(())
}

fn read_groups(b: &mut Builder, file: &CsvFile) -> Result<(), EscoError> {
    let columns = ["conceptType", "conceptUri", "preferredLabel", "altLabels", "code"];
    let mut rows = file.records(columns, Width::Exact)?;
    while let Some(row) = rows.next()? {
        let [concept_type, uri, preferred, alternatives, code] = row.fields();
        one_of(&row, 0, concept_type, &["SkillGroup"])?;
        b.define(&row, GROUPS, 1, uri, Kind::Group)?;
        if preferred.is_empty() {
            return Err(row.invalid(2, "empty"));
        }
        let mut labels = Vec::new();
        labels::add_record(&mut labels, Lang::En, preferred, alternatives);
        b.data.groups.push(EscoGroup { uri: uri.to_owned(), code: code.to_owned(), labels });
    }
    require_records(file, rows.count)?;
    b.finish_file(file, rows.count);
    Ok(())
}

fn read_broader(b: &mut Builder, file: &CsvFile, hierarchy: &HierarchyEdges) -> Result<(), EscoError> {
    let columns = ["conceptType", "conceptUri", "broaderType", "broaderUri"];
    let mut rows = file.records(columns, Width::Exact)?;
    let mut seen = HashMap::new();
    let kind = |row: &Row<'_, 4>, column: usize, value: &str| match value {
        "KnowledgeSkillCompetence" => Ok(Kind::Skill),
        "SkillGroup" => Ok(Kind::Group),
        other => Err(row.invalid(column, format!("'{other}' is not one of KnowledgeSkillCompetence, SkillGroup"))),
    };
    while let Some(row) = rows.next()? {
        let [concept_type, uri, broader_type, broader_uri] = row.fields();
        let (concept_kind, broader_kind) = (kind(&row, 0, concept_type)?, kind(&row, 2, broader_type)?);
        let concept = b.reference(&row, 1, uri, concept_kind)?;
        let broader = b.reference(&row, 3, broader_uri, broader_kind)?;
        let key = ((concept_kind, concept), (broader_kind, broader));
        if let Some(first) = seen.insert(key, row.line()) {
            return Err(row.error(format!("duplicate relation (first on line {first})")));
        }
        b.data.broader.push((uri.to_owned(), broader_uri.to_owned()));
    }
    if let Some((&(group, parent), line)) = hierarchy
        .iter()
        .filter(|&(&(group, parent), _)| !seen.contains_key(&((Kind::Group, group), (Kind::Group, parent))))
        .min_by_key(|(_, line)| **line)
    {
        let uri = |ix: usize| b.data.groups.get(ix).map_or("?", |g| g.uri.as_str());
        return Err(EscoError::Malformed {
            file: HIERARCHY.to_owned(),
            line: *line,
            reason: format!("'{}' is under '{}' here but not in {BROADER}", uri(group), uri(parent)),
        });
    }
    b.finish_file(file, rows.count);
    Ok(())
}

fn read_skill_relations(b: &mut Builder, file: &CsvFile) -> Result<(), EscoError> {
    let mut rows = file.records(["originalSkillUri", "relationType", "relatedSkillUri"], Width::Exact)?;
    let mut seen = HashMap::new();
    while let Some(row) = rows.next()? {
        let [from, kind, to] = row.fields();
        let key = (b.reference(&row, 0, from, Kind::Skill)?, b.reference(&row, 2, to, Kind::Skill)?);
        one_of(&row, 1, kind, RELATION_KINDS)?;
        if let Some(first) = seen.insert(key, row.line()) {
            return Err(row.error(format!("duplicate relation (first on line {first})")));
        }
        b.data.relations.push(EscoRelation { from: from.to_owned(), to: to.to_owned(), kind: kind.to_owned() });
    }
    b.finish_file(file, rows.count);
    Ok(())
}

fn read_occupations(b: &mut Builder, file: &CsvFile) -> Result<(), EscoError> {
    let columns = ["conceptType", "conceptUri", "code", "preferredLabel", "altLabels"];
    let mut rows = file.records(columns, Width::Exact)?;
    while let Some(row) = rows.next()? {
        let [concept_type, uri, code, preferred, alternatives] = row.fields();
        one_of(&row, 0, concept_type, &["Occupation"])?;
        b.define(&row, OCCUPATIONS, 1, uri, Kind::Occupation)?;
        if preferred.is_empty() {
            return Err(row.invalid(3, "empty"));
        }
        let mut labels = Vec::new();
        labels::add_record(&mut labels, Lang::En, preferred, alternatives);
        let occupation = EscoOccupation {
            uri: uri.to_owned(),
            code: code.to_owned(),
            labels,
            essential: Vec::new(),
            optional: Vec::new(),
        };
        b.data.occupations.push(occupation);
    }
    require_records(file, rows.count)?;
    b.finish_file(file, rows.count);
    Ok(())
}

/// Folds occupationSkillRelations.csv into the occupations. Every skill must exist; relations of
/// an occupation that occupations_en.csv does not list are left out and reported (ESCO v1.1.1
/// ships 67 for one such occupation, which only broaderRelationsOccPillar.csv still mentions).
fn read_occupation_skills(b: &mut Builder, file: &CsvFile) -> Result<(), EscoError> {
    let mut rows = file.records(["occupationUri", "relationType", "skillUri"], Width::Exact)?;
    let mut seen = HashMap::new();
    let mut unknown: HashMap<String, usize> = HashMap::new();
    while let Some(row) = rows.next()? {
        let [occupation_uri, kind, skill_uri] = row.fields();
        check_uri(occupation_uri, Kind::Occupation).map_err(|reason| row.invalid(0, reason))?;
        let skill = b.reference(&row, 2, skill_uri, Kind::Skill)?;
        one_of(&row, 1, kind, RELATION_KINDS)?;
        let Some(occupation) = b.occupations.get(occupation_uri).map(|d| d.ix) else {
            *unknown.entry(occupation_uri.to_owned()).or_default() += 1;
            continue;
        };
        if let Some(first) = seen.insert((occupation, skill), row.line()) {
            return Err(row.error(format!("duplicate relation (first on line {first})")));
        }
        if let Some(o) = b.data.occupations.get_mut(occupation) {
            let list = if kind == "essential" { &mut o.essential } else { &mut o.optional };
            list.push(skill_uri.to_owned());
        }
    }
    if !unknown.is_empty() {
        let relations: usize = unknown.values().sum();
        let mut uris: Vec<&str> = unknown.keys().map(String::as_str).collect();
        uris.sort_unstable();
        let shown = uris.iter().take(3).copied().collect::<Vec<_>>().join(", ");
        let more = if uris.len() > 3 { ", ..." } else { "" };
        let occupations =
            if uris.len() == 1 { "1 occupation".to_owned() } else { format!("{} occupations", uris.len()) };
        b.report.skipped.push(format!(
            "{}: {relations} relations name {occupations} not in {OCCUPATIONS} ({shown}{more})",
            file.name
        ));
    }
    b.finish_file(file, rows.count);
    Ok(())
}
