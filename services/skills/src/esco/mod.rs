//! The ESCO classification (European Commission): parsing the official CSV export and keeping one
//! imported set in the skills database.
//!
//! [`parse_dir`] reads and validates a whole export directory without touching a database;
//! [`import`] stores the result in one transaction, replacing the previous set, so an import can be
//! repeated and a failed one leaves the last good set in place. [`load`] reads the set back (the
//! service does at start and whenever [`current_import`] changes).
//!
//! ESCO may be reused under Commission Decision 2011/833/EU provided the source is acknowledged:
//! show [`ATTRIBUTION`] (and [`ADAPTATION`]) wherever ESCO-derived data is shown.

mod csvfile;
mod hierarchy;
mod labels;
mod languages;
mod parse;
mod store;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use crate::lang::Lang;

pub use parse::parse_dir;
pub use store::{current_import, import, load};

/// The acknowledgement ESCO's reuse policy requires from services that integrate ESCO.
pub const ATTRIBUTION: &str = "This service uses the ESCO classification of the European Commission.";

/// What hrmesh changes in the data it imports (the reuse policy asks that adaptations be stated).
pub const ADAPTATION: &str = "hrmesh joins ESCO labels of other languages and versions on concept URIs and leaves out \
                              records that do not join; the European Commission is not responsible for these changes.";

/// Environment variable naming the directory of an ESCO export (tests, benchmarks, tools).
pub const DIR_VARIABLE: &str = "HRMESH_ESCO_DIR";

/// Where to find the shared ESCO data: $HRMESH_ESCO_DIR, else the first existing of
/// `<repo>/../shared/data/esco` and `/work/shared/data/esco` (tests and benches use it).
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIR_VARIABLE).filter(|d| !d.is_empty()) {
        // An explicit setting wins even when wrong: falling back silently would hide the mistake.
        return Some(PathBuf::from(dir));
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    [repo.join("../shared/data/esco"), PathBuf::from("/work/shared/data/esco")]
        .into_iter()
        .find(|dir| dir.join(parse::SKILLS).is_file())
        .map(|dir| dir.canonicalize().unwrap_or(dir))
}

/// Parsed, validated ESCO set, independent of storage.
///
/// Canonical order, so that a loaded set equals the parsed one: every list sorted by URI
/// (relations by both ends), occupations' skills sorted by URI, and each concept's labels grouped
/// by language (en, nl, de), preferred label first, then alternative labels in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EscoData {
    /// skills_en.csv (+ nl/de labels joined on URI).
    pub skills: Vec<EscoSkill>,
    /// skillGroups_en.csv plus the groups only skillsHierarchy_en.csv lists (+ nl/de labels).
    pub groups: Vec<EscoGroup>,
    /// (concept uri, broader uri) from broaderRelationsSkillPillar.csv.
    pub broader: Vec<(String, String)>,
    /// skillSkillRelations.csv.
    pub relations: Vec<EscoRelation>,
    /// occupations_en.csv (+ labels) with occupationSkillRelations.csv folded in.
    pub occupations: Vec<EscoOccupation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoSkill {
    pub uri: String,
    /// `skill/competence`, `knowledge`, or empty where ESCO leaves it open.
    pub skill_type: String,
    /// `transversal`, `cross-sector`, `sector-specific`, `occupation-specific`, or empty.
    pub reuse_level: String,
    pub labels: Vec<Label>,
    /// ESCO's description of the skill, at most one per language, in [`Lang::ALL`] order.
    pub descriptions: Vec<Description>,
}

/// A concept's description in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    pub lang: Lang,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoGroup {
    pub uri: String,
    /// `S1.2.3` style code; empty for the ISCED-F fields of the knowledge pillar.
    pub code: String,
    pub labels: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub lang: Lang,
    pub text: String,
    /// ESCO's preferred term (at most one per language); alternative labels otherwise.
    pub preferred: bool,
}

/// A skill–skill relation: `from` needs (`essential`) or benefits from (`optional`) `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoRelation {
    pub from: String,
    pub to: String,
    /// `essential` or `optional`.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscoOccupation {
    pub uri: String,
    /// ISCO-based code such as `2654.1.7`.
    pub code: String,
    pub labels: Vec<Label>,
    /// URIs of the skills the occupation needs.
    pub essential: Vec<String>,
    /// URIs of the skills that help in the occupation.
    pub optional: Vec<String>,
}

/// How many of each kind of row a set has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub skills: usize,
    pub groups: usize,
    pub broader: usize,
    pub relations: usize,
    pub occupations: usize,
    pub occupation_skills: usize,
    pub labels: usize,
}

impl EscoData {
    pub fn counts(&self) -> Counts {
        let labels = self.skills.iter().map(|s| s.labels.len()).sum::<usize>()
            + self.groups.iter().map(|g| g.labels.len()).sum::<usize>()
            + self.occupations.iter().map(|o| o.labels.len()).sum::<usize>();
        Counts {
            skills: self.skills.len(),
            groups: self.groups.len(),
            broader: self.broader.len(),
            relations: self.relations.len(),
            occupations: self.occupations.len(),
            occupation_skills: self.occupations.iter().map(|o| o.essential.len() + o.optional.len()).sum(),
            labels,
        }
    }

    /// Brings every list into the canonical order documented on [`EscoData`].
    fn canonicalize(&mut self) {
        self.skills.sort_unstable_by(|a, b| a.uri.cmp(&b.uri));
        self.groups.sort_unstable_by(|a, b| a.uri.cmp(&b.uri));
        self.broader.sort_unstable();
        self.relations.sort_unstable_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        self.occupations.sort_unstable_by(|a, b| a.uri.cmp(&b.uri));
        for occupation in &mut self.occupations {
            occupation.essential.sort_unstable();
            occupation.optional.sort_unstable();
        }
        let labelled = self
            .skills
            .iter_mut()
            .map(|s| &mut s.labels)
            .chain(self.groups.iter_mut().map(|g| &mut g.labels))
            .chain(self.occupations.iter_mut().map(|o| &mut o.labels));
        for labels in labelled {
            labels::order(labels);
        }
        for skill in &mut self.skills {
            skill.descriptions.sort_by_key(|d| d.lang);
        }
    }
}

/// What an import read, left out and stored.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Each file read (relative to the export directory) with its number of records.
    pub files: Vec<(String, usize)>,
    /// Records left out, one line per file and reason, e.g.
    /// "de/occupations_de.csv: 35 of 3043 records (375 labels) name concepts not in this ESCO version".
    pub skipped: Vec<String>,
    /// What the set holds.
    pub counts: Counts,
    /// Reading and validating the files.
    pub parse: Duration,
    /// The database transaction (zero for [`parse_dir`]).
    pub store: Duration,
    /// Everything.
    pub elapsed: Duration,
    /// Id of the `esco_imports` row written (None for [`parse_dir`]).
    pub import_id: Option<i64>,
}

/// Why an ESCO export could not be imported. Nothing is stored when any of these occurs.
#[derive(Debug, thiserror::Error)]
pub enum EscoError {
    #[error("{file}: required ESCO file missing in {}", dir.display())]
    MissingFile { dir: PathBuf, file: String },
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// A record that is not valid CSV, lacks a field, has a bad value or names an unknown concept.
    #[error("{file} line {line}: {reason}")]
    Malformed { file: String, line: u64, reason: String },
    #[error("storing the ESCO set: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the ESCO parser was cancelled: {0}")]
    Cancelled(String),
}
