//! CSV (or feature-store rows) → typed columns → encoded matrix.
//!
//! Three stages: [`RawTable`] (trimmed cells, every row checked against the header), [`Layout`]
//! (decided once on the training data and stored with the model: which columns are used, numeric
//! or categorical, which are dropped and why) and [`Encoder`] (fitted on training rows only, so per
//! cross-validation fold: medians, missing indicators, category levels; one-hot encoding).

use std::{collections::BTreeMap, fmt};

use serde::{Deserialize, Serialize};

use super::validate::{LEAK_AUC, separation};

/// Level of a categorical cell that is empty (or NA, N/A, null, …).
pub const MISSING: &str = "(missing)";
/// Level that collects rare levels (under 1 % of training rows) and levels first seen when scoring.
pub const OTHER: &str = "(other)";
const RARE_SHARE: f64 = 0.01;

/// Bad input: where (line as in a CSV whose header is line 1; column) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub line: Option<u64>,
    pub column: Option<String>,
    pub reason: String,
}

impl TableError {
    pub fn new(line: Option<u64>, column: Option<&str>, reason: impl Into<String>) -> Self {
        Self { line, column: column.map(str::to_owned), reason: reason.into() }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column \"{c}\": {}", self.reason),
            (Some(l), None) => write!(f, "line {l}: {}", self.reason),
            (None, Some(c)) => write!(f, "column \"{c}\": {}", self.reason),
            (None, None) => f.write_str(&self.reason),
        }
    }
}

impl std::error::Error for TableError {}

/// Rows as given: trimmed cells, each row as long as the header.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Line of each row (header = line 1).
    pub lines: Vec<u64>,
}

impl RawTable {
    /// Reads CSV text with a header row; the delimiter (`,`, `;` or tab) is taken from the header.
    pub fn from_csv(text: &str) -> Result<Self, TableError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let first = text.lines().next().unwrap_or("");
        let delimiter =
            [b',', b';', b'\t'].into_iter().max_by_key(|&d| first.bytes().filter(|&b| b == d).count()).unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let csv_error = |e: &csv::Error| TableError::new(e.position().map(csv::Position::line), None, e.to_string());
        let header: Vec<String> = reader.headers().map_err(|e| csv_error(&e))?.iter().map(str::to_owned).collect();
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(&e))?;
            let line = record.position().map_or(rows.len() as u64 + 2, csv::Position::line);
            if record.iter().all(str::is_empty) {
                continue;
            }
            rows.push(record.iter().map(str::to_owned).collect());
            lines.push(line);
        }
        Self::checked(header, rows, lines)
    }

    /// Rows without CSV (e.g. from the feature store); row i is reported as line i + 2.
    pub fn from_rows(header: &[String], rows: &[Vec<String>]) -> Result<Self, TableError> {
        let trim = |r: &[String]| r.iter().map(|c| c.trim().to_owned()).collect::<Vec<_>>();
        let lines = (0..rows.len() as u64).map(|i| i + 2).collect();
        Self::checked(trim(header), rows.iter().map(|r| trim(r)).collect(), lines)
    }

    fn checked(header: Vec<String>, rows: Vec<Vec<String>>, lines: Vec<u64>) -> Result<Self, TableError> {
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                return Err(TableError::new(Some(1), None, format!("column {} of the header has no name", i + 1)));
            }
            if header[..i].iter().any(|h| h.eq_ignore_ascii_case(name)) {
                return Err(TableError::new(Some(1), Some(name), "the header names this column twice"));
            }
        }
        for (row, &line) in rows.iter().zip(&lines) {
            if row.len() != header.len() {
                let reason = format!("{} fields where the header has {}", row.len(), header.len());
                return Err(TableError::new(Some(line), None, reason));
            }
        }
        Ok(Self { header, rows, lines })
    }

    /// Index of a column: exact name first, then ignoring ASCII case.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.header
            .iter()
            .position(|h| h == name)
            .or_else(|| self.header.iter().position(|h| h.eq_ignore_ascii_case(name)))
    }
}

/// Empty, NA, N/A, NaN, null, none, #N/A or ?.
pub fn is_missing(cell: &str) -> bool {
    let c = cell.trim();
    c.is_empty() || ["na", "n/a", "nan", "null", "none", "#n/a", "?"].iter().any(|m| c.eq_ignore_ascii_case(m))
}

/// A leaver label: yes/no, y/n, true/false, 1/0, ja/nee/nein, oui/non (any case).
pub fn parse_target(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "t" | "1" | "ja" | "j" | "oui" => Some(true),
        "no" | "n" | "false" | "f" | "0" | "nee" | "nein" | "non" => Some(false),
        _ => None,
    }
}

/// A number as exports write it: `1234.5`, `1234,5` (decimal comma), `1.234,5`, `1,234.5`,
/// `1 234`; a single comma is a decimal comma. Non-finite values are not numbers.
pub fn parse_number(cell: &str) -> Option<f64> {
    let t: String = cell.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'')).collect();
    let (dot, comma) = (t.rfind('.'), t.rfind(','));
    let plain = match (dot, comma) {
        (_, None) if t.matches('.').count() > 1 => ungroup(&t, '.')?,
        (_, None) => t,
        (None, Some(_)) if t.matches(',').count() == 1 => t.replace(',', "."),
        (None, Some(_)) => ungroup(&t, ',')?,
        (Some(d), Some(c)) if d > c => ungroup(&t[..d], ',')? + &t[d..],
        (Some(_), Some(c)) if t.matches(',').count() == 1 => ungroup(&t[..c], '.')? + "." + &t[c + 1..],
        _ => return None,
    };
    if !plain.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')) {
        return None;
    }
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `1.234.567` → `1234567` when every group after the first has three digits.
fn ungroup(s: &str, sep: char) -> Option<String> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    let mut out = first.to_owned();
    for p in parts {
        if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(p);
    }
    Some(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Numeric,
    Categorical,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSpec {
    pub name: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dropped {
    pub column: String,
    pub reason: String,
}

/// The columns a model uses and how they are typed, decided on the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub target: String,
    pub columns: Vec<ColumnSpec>,
    pub dropped: Vec<Dropped>,
}

/// Column values of the rows read, in [`Layout`] column order.
#[derive(Debug, Clone)]
pub enum Values {
    Numeric(Vec<Option<f64>>),
    Categorical(Vec<Option<String>>),
}

/// A table read through a [`Layout`]: typed values plus the cells as given (for explanations).
#[derive(Debug, Clone)]
pub struct Typed {
    pub rows: usize,
    pub columns: Vec<Values>,
    /// `cells[column][row]`: the cell as given, or [`MISSING`].
    pub cells: Vec<Vec<String>>,
}

fn looks_like_id(name: &str) -> bool {
    let n: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    n == "id" || n.ends_with("id") || ["number", "nummer", "code", "key", "empno", "nr"].iter().any(|k| n.contains(k))
}

impl Layout {
    /// Types the columns of a training table and reads its labels. `excluded` lists columns kept
    /// out of the model with the reason (group attributes, for instance).
    pub fn plan(table: &RawTable, target: &str, excluded: &[(&str, &str)]) -> Result<(Self, Vec<bool>), TableError> {
        let t = table.column(target).ok_or_else(|| {
            let reason = format!("leaver column not found; the columns are: {}", table.header.join(", "));
            TableError::new(Some(1), Some(target), reason)
        })?;
        let target = table.header[t].clone();
        let mut labels = Vec::with_capacity(table.rows.len());
        for (row, &line) in table.rows.iter().zip(&table.lines) {
            labels.push(parse_target(&row[t]).ok_or_else(|| {
                let reason = format!("leaver value \"{}\" is not one of yes/no, true/false, 1/0, ja/nee/nein", row[t]);
                TableError::new(Some(line), Some(&target), reason)
            })?);
        }
        let n = table.rows.len();
        if n == 0 {
            return Err(TableError::new(None, None, "no data rows"));
        }
        let (mut columns, mut dropped) = (Vec::new(), Vec::new());
        for (c, name) in table.header.iter().enumerate() {
            if c == t {
                continue;
            }
            if let Some((_, why)) = excluded.iter().find(|(e, _)| e.trim().eq_ignore_ascii_case(name)) {
                dropped.push(Dropped { column: name.clone(), reason: (*why).to_owned() });
                continue;
            }
            let present: Vec<&str> = table.rows.iter().map(|r| r[c].as_str()).filter(|v| !is_missing(v)).collect();
            let numbers: Option<Vec<f64>> = present.iter().map(|v| parse_number(v)).collect();
            let mut distinct: Vec<&str> = present.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let reason = if present.is_empty() {
                Some("empty: no value in any row".to_owned())
            } else if distinct.len() == 1 && present.len() == n {
                Some(format!("constant: \"{}\" in every row", distinct[0]))
            } else if n >= 10 && distinct.len() == n {
                match &numbers {
                    Some(v) if !v.iter().all(|x| x.fract() == 0.0) => None,
                    Some(v) if !looks_like_id(name) && !v.windows(2).all(|w| w[0] < w[1]) => None,
                    _ => Some("identifier-like: a different value in every row".to_owned()),
                }
            } else if numbers.is_none() && n >= 20 && distinct.len() * 2 > n {
                Some(format!("free text or identifier: {} different values in {n} rows", distinct.len()))
            } else {
                let cells: Vec<&str> = table.rows.iter().map(|r| r[c].as_str()).collect();
                let auc = separation(&labels, &cells, numbers.is_some());
                (n >= 20 && auc >= LEAK_AUC).then(|| {
                    format!(
                        "suspected leakage: on its own it separates leavers from stayers almost perfectly \
                         (ROC-AUC {auc:.3}), as a value recorded because someone left would"
                    )
                })
            };
            match reason {
                Some(reason) => dropped.push(Dropped { column: name.clone(), reason }),
                None => {
                    let kind = if numbers.is_some() { Kind::Numeric } else { Kind::Categorical };
                    columns.push(ColumnSpec { name: name.clone(), kind });
                }
            }
        }
        if columns.is_empty() {
            return Err(TableError::new(None, None, "no usable column besides the leaver column"));
        }
        Ok((Self { target, columns, dropped }, labels))
    }

    /// Reads the layout's columns of a table (matched by name; other columns are ignored).
    pub fn read(&self, table: &RawTable) -> Result<Typed, TableError> {
        let mut columns = Vec::with_capacity(self.columns.len());
        let mut cells = Vec::with_capacity(self.columns.len());
        for spec in &self.columns {
            let c = table
                .column(&spec.name)
                .ok_or_else(|| TableError::new(Some(1), Some(&spec.name), "column used by the model is missing"))?;
            let raw = || table.rows.iter().map(move |r| r[c].as_str());
            cells.push(raw().map(|v| if is_missing(v) { MISSING.to_owned() } else { v.to_owned() }).collect());
            columns.push(match spec.kind {
                Kind::Categorical => {
                    Values::Categorical(raw().map(|v| (!is_missing(v)).then(|| v.to_owned())).collect())
                }
                Kind::Numeric => Values::Numeric(
                    (raw().zip(&table.lines))
                        .map(|(v, &line)| match parse_number(v) {
                            _ if is_missing(v) => Ok(None),
                            Some(x) => Ok(Some(x)),
                            None => {
                                Err(TableError::new(Some(line), Some(&spec.name), format!("\"{v}\" is not a number")))
                            }
                        })
                        .collect::<Result<_, _>>()?,
                ),
            });
        }
        Ok(Typed { rows: table.rows.len(), columns, cells })
    }
}

/// How one used column becomes features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// The value (missing → training median) and, if training rows had gaps, a 0/1 missing indicator.
    Numeric { median: f64, indicator: bool },
    /// One 0/1 feature per level.
    Categorical { levels: Vec<String> },
}

impl Encoding {
    fn width(&self) -> usize {
        match self {
            Self::Numeric { indicator, .. } => 1 + usize::from(*indicator),
            Self::Categorical { levels } => levels.len(),
        }
    }
}

/// One encoded feature and the layout column it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    pub name: String,
    pub column: usize,
}

/// Row-major dense matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encoder {
    pub encodings: Vec<Encoding>,
    pub features: Vec<Feature>,
}

impl Encoder {
    /// Fits medians and levels on the given (training) rows.
    pub fn fit(layout: &Layout, typed: &Typed, rows: &[usize]) -> Self {
        let (mut encodings, mut features) = (Vec::new(), Vec::new());
        for (c, (spec, values)) in layout.columns.iter().zip(&typed.columns).enumerate() {
            let name = &spec.name;
            match values {
                Values::Numeric(v) => {
                    let mut present: Vec<f64> = rows.iter().filter_map(|&i| v[i]).collect();
                    present.sort_by(f64::total_cmp);
                    let median = match present.len() {
                        0 => 0.0,
                        m if m % 2 == 1 => present[m / 2],
                        m => (present[m / 2 - 1] + present[m / 2]) / 2.0,
                    };
                    let indicator = present.len() < rows.len();
                    features.push(Feature { name: name.clone(), column: c });
                    if indicator {
                        features.push(Feature { name: format!("{name} {MISSING}"), column: c });
                    }
                    encodings.push(Encoding::Numeric { median, indicator });
                }
                Values::Categorical(v) => {
                    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
                    for &i in rows {
                        *counts.entry(v[i].as_deref().unwrap_or(MISSING)).or_default() += 1;
                    }
                    let min = RARE_SHARE * rows.len() as f64;
                    let mut levels: Vec<(&str, usize)> = counts.into_iter().collect();
                    levels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                    let rare = levels.iter().any(|&(_, k)| (k as f64) < min);
                    let mut levels: Vec<String> =
                        levels.into_iter().filter(|&(_, k)| k as f64 >= min).map(|(l, _)| l.to_owned()).collect();
                    if rare {
                        levels.push(OTHER.to_owned());
                    }
                    features.extend(levels.iter().map(|l| Feature { name: format!("{name}={l}"), column: c }));
                    encodings.push(Encoding::Categorical { levels });
                }
            }
        }
        Self { encodings, features }
    }

    /// Encodes the given rows (medians for gaps, one-hot levels; unseen levels → [`OTHER`]).
    pub fn transform(&self, typed: &Typed, rows: &[usize]) -> Matrix {
        let cols = self.features.len();
        let mut data = Vec::with_capacity(rows.len() * cols);
        for &i in rows {
            for (enc, values) in self.encodings.iter().zip(&typed.columns) {
                match (enc, values) {
                    (Encoding::Numeric { median, indicator }, Values::Numeric(v)) => {
                        data.push(v[i].unwrap_or(*median));
                        if *indicator {
                            data.push(if v[i].is_none() { 1.0 } else { 0.0 });
                        }
                    }
                    (Encoding::Categorical { levels }, Values::Categorical(v)) => {
                        let value = v[i].as_deref().unwrap_or(MISSING);
                        let hit =
                            levels.iter().position(|l| l == value).or_else(|| levels.iter().position(|l| l == OTHER));
                        data.extend((0..levels.len()).map(|k| if Some(k) == hit { 1.0 } else { 0.0 }));
                    }
                    // a layout never types one column two ways; keep the width right regardless
                    (enc, _) => data.extend(std::iter::repeat_n(0.0, enc.width())),
                }
            }
        }
        Matrix { rows: rows.len(), cols, data }
    }

    /// Layout column of every feature.
    pub fn feature_columns(&self) -> Vec<usize> {
        self.features.iter().map(|f| f.column).collect()
    }
}
