//! skillsHierarchy files: each row is a path from a top skill group (level 0) down to level 3.

use std::collections::{HashMap, HashSet};

use super::{
    EscoError, EscoGroup,
    csvfile::{CsvFile, Width},
    labels,
    parse::{Builder, HIERARCHY, Kind, check_uri},
};
use crate::lang::Lang;

/// (narrower group, broader group) → line of the hierarchy file that shows it.
pub(super) type HierarchyEdges = HashMap<(usize, usize), u64>;

/// Reads a skillsHierarchy file: rows are paths from a top group (level 0) down to level 3.
///
/// In English it adds the groups skillGroups_en.csv lacks (v1.1.1 lists 7 groups only here, and
/// broaderRelationsSkillPillar.csv refers to them) and returns its parent links, which must all
/// be in the broader relations. In other languages it labels groups that have no label in that
/// language yet; groups the set lacks are counted as skipped.
pub(super) fn read(b: &mut Builder, file: &CsvFile, lang: Lang) -> Result<HierarchyEdges, EscoError> {
    let columns = [
        "Level 0 URI",
        "Level 0 preferred term",
        "Level 0 code",
        "Level 1 URI",
        "Level 1 preferred term",
        "Level 1 code",
        "Level 2 URI",
        "Level 2 preferred term",
        "Level 2 code",
        "Level 3 URI",
        "Level 3 preferred term",
        "Level 3 code",
    ];
    let mut rows = file.records(columns, Width::TrailingOptional)?;
    let mut edges = HierarchyEdges::new();
    let mut skipped = HashSet::new();
    while let Some(row) = rows.next()? {
        let fields = row.fields();
        let mut parent: Option<usize> = None;
        for (level, [uri, term, code]) in fields.as_chunks::<3>().0.iter().copied().enumerate() {
            if uri.is_empty() {
                if let Some(deeper) = fields.iter().skip(3 * level + 3).step_by(3).position(|u| !u.is_empty()) {
                    let column = 3 * (level + 1 + deeper);
                    return Err(row.invalid(column, format!("set while Level {level} URI is empty")));
                }
                break;
            }
            let column = 3 * level;
            check_uri(uri, Kind::Group).map_err(|reason| row.invalid(column, reason))?;
            let group = match b.group(uri) {
                Some(ix) => ix,
                None if lang == Lang::En => {
                    let ix = b.define(&row, HIERARCHY, column, uri, Kind::Group)?;
                    let mut labels = Vec::new();
                    labels::add(&mut labels, Lang::En, term, true);
                    b.data.groups.push(EscoGroup { uri: uri.to_owned(), code: code.to_owned(), labels });
                    ix
                }
                None => {
                    skipped.insert(uri.to_owned());
                    break;
                }
            };
            if lang == Lang::En {
                if let Some(parent) = parent {
                    edges.entry((group, parent)).or_insert(row.line());
                }
            } else if let Some(labels) = b.data.groups.get_mut(group).map(|g| &mut g.labels)
                && !labels::has_preferred(labels, lang)
            {
                labels::add(labels, lang, term, true);
            }
            parent = Some(group);
        }
    }
    if !skipped.is_empty() {
        b.report.skipped.push(format!("{}: {} skill groups not in this ESCO version", file.name, skipped.len()));
    }
    b.finish_file(file, rows.count);
    Ok(edges)
}
