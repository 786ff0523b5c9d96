//! CV documents → structured profiles: contact details, work history with dates and computed
//! years, education with its level, and languages with CEFR levels, from CVs written in Dutch,
//! German or English. Files that cannot be read get a reason code and what to do about it.
//!
//! PDF, DOCX and plain text are read into text first (`hrmesh_kit::document`); `text.rs` finds
//! the structure.

use std::{fmt, ops::Range};

mod text;

use hrmesh_kit::document::{self, DocumentError, Limits};

pub use text::parse_text;

/// Largest CV file accepted.
pub const MAX_CV_BYTES: usize = 10 * 1024 * 1024;
/// How much of a CV is read: a long CV has 20 KB of text on a few pages, so more is not a CV
/// (and would cost the skills service and matching work for nothing).
const LIMITS: Limits = Limits { max_file_bytes: MAX_CV_BYTES, max_text_bytes: 128 * 1024, max_pages: 30 };

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

impl YearMonth {
    pub fn today() -> Self {
        let now = ::time::OffsetDateTime::now_utc();
        Self { year: now.year(), month: now.month() as u8 }
    }

    fn index(self) -> i32 {
        self.year * 12 + i32::from(self.month) - 1
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub title: String,
    pub employer: String,
    pub start: YearMonth,
    /// `None` while ongoing.
    pub end: Option<YearMonth>,
    pub months: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Education {
    pub degree: String,
    pub institution: String,
    /// none, secondary, vocational, bachelor, master or doctorate.
    pub level: &'static str,
    pub year: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LanguageSkill {
    /// ISO 639-1.
    pub language: String,
    /// CEFR level or `native`.
    pub level: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCv {
    pub format: &'static str,
    pub language: &'static str,
    pub text: String,
    pub contact: Contact,
    pub work: Vec<Job>,
    /// Months worked, overlapping jobs counted once.
    pub experience_months: u32,
    pub education: Vec<Education>,
    pub languages: Vec<LanguageSkill>,
    pub warnings: Vec<String>,
    /// Byte ranges of `text` that are facts about the person, not skills: the contact lines,
    /// and the dates and employers of the work history ("Bakker", "Bakkerij Hendriks",
    /// "01/2023 - present").
    pub not_skills: Vec<Range<usize>>,
}

impl ParsedCv {
    /// The text with `not_skills` blanked, for skill extraction (offsets stay those of `text`).
    pub fn skill_text(&self) -> String {
        blank(&self.text, &self.not_skills)
    }
}

/// `text` with the characters in `spans` replaced by spaces, one per byte, so byte offsets
/// into the result are offsets into `text`. Line breaks stay, so lines and sentences do.
pub fn blank(text: &str, spans: &[Range<usize>]) -> String {
    let mut hidden = vec![false; text.len()];
    for span in spans {
        let end = span.end.min(text.len());
        if let Some(part) = hidden.get_mut(span.start.min(end)..end) {
            part.fill(true);
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if hidden[i] && c != '\n' {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a CV could not be read; its reason code is `CV_` and the document's reason.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{0}")]
pub struct CvError(#[from] pub DocumentError);

impl CvError {
    /// Stable reason code for clients (`CV_SCANNED_IMAGE`).
    pub fn code(&self) -> String {
        format!("CV_{}", self.0.reason())
    }
}

/// Parses a CV; `today` ends ongoing jobs (a parameter, so results are reproducible).
pub fn parse(bytes: &[u8], _filename: &str, today: YearMonth) -> Result<ParsedCv, CvError> {
    let (format, text) = document::read(bytes, LIMITS)?;
    Ok(ParsedCv { format: format.as_str(), ..parse_text(&text, today) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: YearMonth = YearMonth { year: 2026, month: 11 };
    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cv");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn pdf_docx_and_text_of_one_cv_give_the_same_profile() {
        let from_text = parse(&fixture("fatima_nl.txt"), "cv.txt", TODAY).expect("text");
        for name in ["fatima_nl.pdf", "fatima_nl.docx"] {
            let p = parse(&fixture(name), name, TODAY).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.format, name.rsplit('.').next().unwrap_or_default(), "{name}");
            assert_eq!(p.contact, from_text.contact, "{name}");
            assert_eq!(p.work, from_text.work, "{name}");
            assert_eq!(p.experience_months, from_text.experience_months, "{name}");
            assert_eq!(p.education, from_text.education, "{name}");
            assert_eq!(p.languages, from_text.languages, "{name}");
            assert_eq!(p.language, "nl");
        }
        let de = parse(&fixture("jonas_de.docx"), "cv.docx", TODAY).expect("German DOCX");
        assert_eq!((de.language, de.work.len()), ("de", 2));
        let en = parse(&fixture("sam_en.pdf"), "cv.pdf", TODAY).expect("English PDF");
        assert_eq!(en.language, "en");
        assert!(en.experience_months > 0 && !en.education.is_empty(), "{en:?}");
    }

    #[test]
    fn unreadable_documents_get_reason_codes() {
        let code = |bytes: &[u8]| parse(bytes, "cv", TODAY).err().map(|e| e.code());
        assert_eq!(code(&fixture("scanned.pdf")).as_deref(), Some("CV_SCANNED_IMAGE"));
        assert_eq!(code(&fixture("protected.pdf")).as_deref(), Some("CV_PASSWORD_PROTECTED"));
        let pdf = fixture("fatima_nl.pdf");
        assert_eq!(code(&pdf[..pdf.len() / 2]).as_deref(), Some("CV_CORRUPT"));
        let docx = fixture("fatima_nl.docx");
        assert_eq!(code(&docx[..docx.len() / 2]).as_deref(), Some("CV_CORRUPT"));
        assert_eq!(code(&fixture("empty.txt")).as_deref(), Some("CV_EMPTY"));
        assert_eq!(code(b"PK\x03\x04not really a zip").as_deref(), Some("CV_CORRUPT"));
    }

    #[test]
    fn unreadable_files_get_reason_codes() {
        assert_eq!(parse(b"", "a.txt", TODAY).err().map(|e| e.code()).as_deref(), Some("CV_EMPTY"));
        assert_eq!(parse(b"  \n ", "a.txt", TODAY).err().map(|e| e.code()).as_deref(), Some("CV_EMPTY"));
        assert_eq!(parse(b"%PDF-1.7\n1 0 obj", "a.pdf", TODAY).err().map(|e| e.code()).as_deref(), Some("CV_CORRUPT"));
        assert_eq!(
            parse(b"%PDF-1.7\n/Encrypt 5 0 R\n%%EOF", "a.pdf", TODAY).err().map(|e| e.code()).as_deref(),
            Some("CV_PASSWORD_PROTECTED")
        );
        assert_eq!(parse(b"PK\x03\x04rest", "a.docx", TODAY).err().map(|e| e.code()).as_deref(), Some("CV_CORRUPT"));
        assert_eq!(
            parse(&[0xff, 0xfe, 0x00, 0x41], "a.txt", TODAY).err().map(|e| e.code()).as_deref(),
            Some("CV_UNSUPPORTED_FORMAT")
        );
        let big = vec![b'a'; MAX_CV_BYTES + 1];
        assert_eq!(parse(&big, "a.txt", TODAY).err().map(|e| e.code()).as_deref(), Some("CV_TOO_LARGE"));
    }

    #[test]
    fn never_panics_on_damaged_documents() {
        for name in ["fatima_nl.pdf", "fatima_nl.docx", "sam_en.pdf"] {
            let bytes = fixture(name);
            for cut in (0..bytes.len()).step_by(97) {
                let _ = parse(&bytes[..cut], name, TODAY);
                let mut flipped = bytes.clone();
                flipped[cut] ^= 0x5a;
                let _ = parse(&flipped, name, TODAY);
            }
        }
    }
}
