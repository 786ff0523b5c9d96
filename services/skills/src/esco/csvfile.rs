//! One ESCO CSV file: columns found by header name (the language packs order them differently),
//! records with the line they start on (fields hold quoted newlines, so that is not the record
//! number), and the errors a truncated or hand-edited file produces.

use std::path::Path;

use csv::StringRecord;

use super::EscoError;

/// A CSV file read into memory whole (the largest ESCO file is 21 MB).
pub(super) struct CsvFile {
    /// Path relative to the export directory, as errors and reports name it.
    pub name: String,
    bytes: Vec<u8>,
}

/// How strictly the number of fields per record is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Width {
    /// Exactly as many fields as the header.
    Exact,
    /// Trailing empty fields may be left out (the skillsHierarchy files do), but no more than the header.
    TrailingOptional,
}

impl CsvFile {
    /// Reads `dir/name`, which must exist.
    pub fn open(dir: &Path, name: &str) -> Result<Self, EscoError> {
        Self::open_optional(dir, name)?
            .ok_or_else(|| EscoError::MissingFile { dir: dir.to_path_buf(), file: name.to_owned() })
    }

    /// Reads `dir/name` if it exists.
    pub fn open_optional(dir: &Path, name: &str) -> Result<Option<Self>, EscoError> {
        match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(Some(Self { name: name.to_owned(), bytes })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(EscoError::Io { file: name.to_owned(), source }),
        }
    }

    #[cfg(test)]
    pub fn from_bytes(name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        Self { name: name.to_owned(), bytes: bytes.into() }
    }

    /// Whether the header names `column` (an unreadable header has none).
    pub fn has_column(&self, column: &str) -> bool {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(self.bytes.as_slice());
        reader.headers().is_ok_and(|h| h.iter().any(|c| c.trim() == column))
    }

    /// Starts reading the records; every one of `columns` must be in the header.
    pub fn records<const N: usize>(
        &self,
        columns: [&'static str; N],
        width: Width,
    ) -> Result<Records<'_, N>, EscoError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(self.bytes.as_slice());
        let header = reader.headers().map_err(|e| csv_error(&self.name, &e, 1))?.clone();
        let mut index = [0; N];
        for (slot, column) in index.iter_mut().zip(columns) {
            *slot = header.iter().position(|h| h.trim() == column).ok_or_else(|| EscoError::Malformed {
                file: self.name.clone(),
                line: 1,
                reason: format!("missing column {column} in header"),
            })?;
        }
        let consumed = reader.position().byte();
        let newlines = self.bytes.iter().take(usize::try_from(consumed).unwrap_or(usize::MAX)).filter(|&&b| b == b'\n');
        Ok(Records {
            file: self,
            reader,
            header_width: header.len(),
            width,
            index,
            names: columns,
            record: StringRecord::new(),
            consumed,
            newlines: newlines.count() as u64,
            count: 0,
        })
    }
}

/// The records of a [`CsvFile`], read one at a time into a reused buffer.
pub(super) struct Records<'a, const N: usize> {
    file: &'a CsvFile,
    reader: csv::Reader<&'a [u8]>,
    header_width: usize,
    width: Width,
    index: [usize; N],
    names: [&'static str; N],
    record: StringRecord,
    /// Bytes read so far, and the newlines among them.
    consumed: u64,
    newlines: u64,
    /// Records read so far.
    pub count: usize,
}

impl<const N: usize> Records<'_, N> {
    /// The next record, or None at the end of the file.
    pub fn next(&mut self) -> Result<Option<Row<'_, N>>, EscoError> {
        // Lines are counted here rather than taken from the csv crate, whose positions lag one
        // line behind after CRLF (it consumes the LF when it starts the next record).
        let from = usize::try_from(self.consumed).unwrap_or(usize::MAX);
        let rest = self.file.bytes.get(from..).unwrap_or_default();
        let blank = rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).filter(|&&b| b == b'\n').count();
        let line = self.newlines + 1 + blank as u64;
        let more = self.reader.read_record(&mut self.record).map_err(|e| csv_error(&self.file.name, &e, line))?;
        if !more {
            return Ok(None);
        }
        let end = self.reader.position().byte();
        let raw = rest.get(..usize::try_from(end.saturating_sub(self.consumed)).unwrap_or(usize::MAX)).unwrap_or(rest);
        let (quotes, newlines) = raw.iter().fold((0_u64, 0_u64), |(quotes, newlines), &b| {
            (quotes + u64::from(b == b'"'), newlines + u64::from(b == b'\n'))
        });
        self.consumed = end;
        self.newlines += newlines;
        let malformed = |reason: String| EscoError::Malformed { file: self.file.name.clone(), line, reason };
        // The csv crate reads an unclosed quote to the end of the file without complaint; in valid
        // CSV every record holds an even number of quote characters (pairs and escaped pairs).
        if quotes % 2 == 1 {
            return Err(malformed("unbalanced quotes: a quoted field is not closed".into()));
        }
        let found = self.record.len();
        let fits = match self.width {
            Width::Exact => found == self.header_width,
            Width::TrailingOptional => (1..=self.header_width).contains(&found),
        };
        if !fits {
            return Err(malformed(format!("expected {} fields, found {found}", self.header_width)));
        }
        self.count += 1;
        Ok(Some(Row { file: &self.file.name, line, record: &self.record, index: &self.index, names: &self.names }))
    }
}

/// One record.
pub(super) struct Row<'r, const N: usize> {
    file: &'r str,
    line: u64,
    record: &'r StringRecord,
    index: &'r [usize; N],
    names: &'r [&'static str; N],
}

impl<'r, const N: usize> Row<'r, N> {
    /// The requested columns, trimmed, in the order they were asked for.
    pub fn fields(&self) -> [&'r str; N] {
        let record: &'r StringRecord = self.record;
        self.index.map(|i| record.get(i).unwrap_or_default().trim())
    }

    /// The line the record starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// An error about this record.
    pub fn error(&self, reason: impl Into<String>) -> EscoError {
        EscoError::Malformed { file: self.file.to_owned(), line: self.line, reason: reason.into() }
    }

    /// An error about the value of the `column`-th requested column.
    pub fn invalid(&self, column: usize, reason: impl std::fmt::Display) -> EscoError {
        let name = self.names.get(column).copied().unwrap_or("?");
        self.error(format!("column {name}: {reason}"))
    }
}

fn csv_error(file: &str, error: &csv::Error, line: u64) -> EscoError {
    let reason = match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!("field {} is not valid UTF-8", err.field() + 1),
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => error.to_string(),
    };
    EscoError::Malformed { file: file.to_owned(), line, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &str, width: Width) -> Result<Vec<(u64, [String; 2])>, EscoError> {
        let file = CsvFile::from_bytes("t.csv", bytes);
        let mut records = file.records(["b", "a"], width)?;
        let mut out = Vec::new();
        while let Some(row) = records.next()? {
            out.push((row.line(), row.fields().map(str::to_owned)));
        }
        Ok(out)
    }

    fn reason(result: Result<Vec<(u64, [String; 2])>, EscoError>) -> String {
        result.expect_err("malformed").to_string()
    }

    #[test]
    fn finds_columns_by_name_and_counts_physical_lines() {
        let rows = read_all("a,b,c\r\n1,\"two\r\nlines\",3\r\n4,5,6\r\n", Width::Exact).expect("valid");
        assert_eq!(rows[0], (2, ["two\r\nlines".to_owned(), "1".to_owned()]));
        assert_eq!(rows[1], (4, ["5".to_owned(), "4".to_owned()]));
    }

    #[test]
    fn short_record_names_its_line_and_the_field_counts() {
        let message = reason(read_all("a,b,c\n1,2,3\n\"x\ny\",2\n", Width::Exact));
        assert_eq!(message, "t.csv line 3: expected 3 fields, found 2");
    }

    #[test]
    fn unterminated_quote_in_the_last_field_is_caught() {
        let message = reason(read_all("a,b,c\n1,2,3\n4,5,\"six\n7,8,9\n", Width::Exact));
        assert_eq!(message, "t.csv line 3: unbalanced quotes: a quoted field is not closed");
    }

    #[test]
    fn missing_column_is_reported_on_the_header_line() {
        let message = reason(read_all("a,x,c\n1,2,3\n", Width::Exact));
        assert_eq!(message, "t.csv line 1: missing column b in header");
    }

    #[test]
    fn trailing_fields_may_be_left_out_only_when_allowed() {
        let rows = read_all("a,b,c\n1\n", Width::TrailingOptional).expect("ragged allowed");
        assert_eq!(rows[0].1, [String::new(), "1".to_owned()]);
        let message = reason(read_all("a,b,c\n1,2,3,4\n", Width::TrailingOptional));
        assert_eq!(message, "t.csv line 2: expected 3 fields, found 4");
    }

    #[test]
    fn invalid_utf8_names_the_field() {
        let file = CsvFile::from_bytes("t.csv", b"a,b\n1,\xff\n".to_vec());
        let mut records = file.records(["a", "b"], Width::Exact).expect("header");
        let message = records.next().err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(message, "t.csv line 2: field 2 is not valid UTF-8");
    }
}
