//! Dutch and German labels, joined on concept URI from whichever language files are present.
//!
//! A file `<name>_<lang>.csv` is looked up in `<dir>/<lang>/`, then in `<dir>/`. The full skill
//! pillar (`skills_<lang>.csv`) is used when present; otherwise the skill collections, which
//! cover a part of it. Language packs of another ESCO version may name concepts this set lacks:
//! those rows are counted in the report, not errors.

use std::path::Path;

use super::{
    EscoError,
    csvfile::{CsvFile, Width},
    hierarchy, labels,
    parse::{Builder, Kind, check_uri},
};
use crate::lang::Lang;

/// The collections that together hold the skills of a language pack without its skills file.
const SKILL_COLLECTIONS: [&str; 6] = [
    "digCompSkillsCollection",
    "digitalSkillsCollection",
    "greenSkillsCollection",
    "languageSkillsCollection",
    "researchSkillsCollection",
    "transversalSkillsCollection",
];

/// Languages whose labels are joined onto the English set.
const LANGUAGES: [Lang; 2] = [Lang::Nl, Lang::De];

/// `<name>_<lang>.csv` from `<dir>/<lang>/` or `<dir>/`, if either exists.
fn find(dir: &Path, name: &str, lang: Lang) -> Result<Option<CsvFile>, EscoError> {
    let file = format!("{name}_{}.csv", lang.code());
    if let Some(found) = CsvFile::open_optional(dir, &format!("{}/{file}", lang.code()))? {
        return Ok(Some(found));
    }
    CsvFile::open_optional(dir, &file)
}

/// Adds the labels of every language file present in `dir`.
pub(super) fn read(b: &mut Builder, dir: &Path) -> Result<(), EscoError> {
    for lang in LANGUAGES {
        if let Some(file) = find(dir, "skills", lang)? {
            read_labels(b, &file, lang, Kind::Skill)?;
        } else {
            for name in SKILL_COLLECTIONS {
                if let Some(file) = find(dir, name, lang)? {
                    read_labels(b, &file, lang, Kind::Skill)?;
                }
            }
        }
        if let Some(file) = find(dir, "skillGroups", lang)? {
            read_labels(b, &file, lang, Kind::Group)?;
        }
        if let Some(file) = find(dir, "skillsHierarchy", lang)? {
            hierarchy::read(b, &file, lang)?;
        }
        if let Some(file) = find(dir, "occupations", lang)? {
            read_labels(b, &file, lang, Kind::Occupation)?;
        } else if let Some(file) = find(dir, "researchOccupationsCollection", lang)? {
            read_labels(b, &file, lang, Kind::Occupation)?;
        }
    }
    Ok(())
}

/// Joins the labels of one file onto the concepts of `kind`.
fn read_labels(b: &mut Builder, file: &CsvFile, lang: Lang, kind: Kind) -> Result<(), EscoError> {
    // Descriptions are optional: a hand-made language file may have the labels only.
    let described = file.has_column("description");
    let column = if described { "description" } else { "conceptUri" };
    let mut rows = file.records(["conceptUri", "preferredLabel", "altLabels", column], Width::Exact)?;
    let (mut skipped_rows, mut skipped_labels) = (0, 0);
    while let Some(row) = rows.next()? {
        let [uri, preferred, alternatives, description] = row.fields();
        let description = if described { description } else { "" };
        check_uri(uri, kind).map_err(|reason| row.invalid(0, reason))?;
        if kind == Kind::Skill
            && let Some(d) = labels::description(lang, description)
            && let Some(skill) = b.skill_mut(uri)
            && !skill.descriptions.iter().any(|x| x.lang == lang)
        {
            skill.descriptions.push(d);
        }
        match b.labels_mut(kind, uri) {
            Some(labels) => {
                labels::add_record(labels, lang, preferred, alternatives);
            }
            None => {
                skipped_rows += 1;
                skipped_labels += usize::from(!preferred.is_empty()) + labels::split_alternatives(alternatives).count();
            }
        }
    }
    if skipped_rows > 0 {
        b.report.skipped.push(format!(
            "{}: {skipped_rows} of {} records ({skipped_labels} labels) name concepts not in this ESCO version",
            file.name, rows.count
        ));
    }
    b.report.files.push((file.name.clone(), rows.count));
    Ok(())
}
