//! CV documents → structured profiles: contact details, work history with dates and computed
//! years, education with its level, and languages with CEFR levels, from CVs written in Dutch,
//! German or English. Files that cannot be read get a reason code and what to do about it.
//!
//! PDF (text layer via lopdf), DOCX (WordprocessingML via zip + quick-xml) and plain text are
//! read into text first (`pdf.rs`, `docx.rs`); `text.rs` finds the structure.

use std::{fmt, ops::Range};

#[cfg(test)]
mod bombs;
mod docx;
mod pdf;
mod text;

pub use text::parse_text;

/// Largest CV file accepted.
pub const MAX_CV_BYTES: usize = 10 * 1024 * 1024;
/// Most text read from a document: a long CV has 20 KB, so more is not a CV (and would cost
/// the skills service and matching work for nothing).
pub const MAX_TEXT_BYTES: usize = 128 * 1024;

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

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CvError {
    #[error("the file is empty; upload the CV again")]
    Empty,
    #[error("the file has {size} bytes; at most {max} are accepted: remove images or send the text")]
    TooLarge { size: usize, max: usize },
    #[error("the PDF is password-protected; upload it without a password, or send the CV as text")]
    PasswordProtected,
    #[error("the file is damaged ({0}); export the CV again or send it as text")]
    Corrupt(String),
    #[error("the PDF has no text layer (a scanned image); upload a text-based PDF, a DOCX or plain text")]
    ScannedImage,
    #[error("this is not a PDF, DOCX or plain-text document; upload the CV in one of those formats")]
    UnsupportedFormat,
    #[error("the document is too complex to read as a CV ({0}); send a shorter CV or its text")]
    TooComplex(String),
}

impl CvError {
    /// Stable reason code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            CvError::Empty => "CV_EMPTY",
            CvError::TooLarge { .. } => "CV_TOO_LARGE",
            CvError::PasswordProtected => "CV_PASSWORD_PROTECTED",
            CvError::Corrupt(_) => "CV_CORRUPT",
            CvError::ScannedImage => "CV_SCANNED_IMAGE",
            CvError::UnsupportedFormat => "CV_UNSUPPORTED_FORMAT",
            CvError::TooComplex(_) => "CV_TOO_COMPLEX",
        }
    }
}

/// Parses a CV; `today` ends ongoing jobs (a parameter, so results are reproducible).
pub fn parse(bytes: &[u8], _filename: &str, today: YearMonth) -> Result<ParsedCv, CvError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CvError::Empty);
    }
    if bytes.len() > MAX_CV_BYTES {
        return Err(CvError::TooLarge { size: bytes.len(), max: MAX_CV_BYTES });
    }
    let (format, text) = if bytes.starts_with(b"%PDF-") {
        ("pdf", pdf::text(bytes)?)
    } else if bytes.starts_with(b"PK\x03\x04") {
        ("docx", docx::text(bytes)?)
    } else {
        ("text", plain(bytes)?)
    };
    if text.trim().is_empty() {
        return Err(CvError::Empty);
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(CvError::TooComplex(format!("more than {} KB of text", MAX_TEXT_BYTES / 1024)));
    }
    Ok(ParsedCv { format, ..parse_text(&text, today) })
}

fn plain(bytes: &[u8]) -> Result<String, CvError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| CvError::UnsupportedFormat)?;
    if text.chars().filter(|c| c.is_control() && !c.is_whitespace()).count() > text.len() / 100 + 2 {
        return Err(CvError::UnsupportedFormat);
    }
    Ok(text.to_owned())
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
        let code = |bytes: &[u8]| parse(bytes, "cv", TODAY).map(|_| ()).map_err(|e| e.code());
        assert_eq!(code(&fixture("scanned.pdf")), Err("CV_SCANNED_IMAGE"));
        assert_eq!(code(&fixture("protected.pdf")), Err("CV_PASSWORD_PROTECTED"));
        let pdf = fixture("fatima_nl.pdf");
        assert_eq!(code(&pdf[..pdf.len() / 2]), Err("CV_CORRUPT"));
        let docx = fixture("fatima_nl.docx");
        assert_eq!(code(&docx[..docx.len() / 2]), Err("CV_CORRUPT"));
        assert_eq!(code(&fixture("empty.txt")), Err("CV_EMPTY"));
        assert_eq!(code(b"PK\x03\x04not really a zip"), Err("CV_CORRUPT"));
    }

    #[test]
    fn unreadable_files_get_reason_codes() {
        assert_eq!(parse(b"", "a.txt", TODAY).map_err(|e| e.code()), Err("CV_EMPTY"));
        assert_eq!(parse(b"  \n ", "a.txt", TODAY).map_err(|e| e.code()), Err("CV_EMPTY"));
        assert_eq!(parse(b"%PDF-1.7\n1 0 obj", "a.pdf", TODAY).map_err(|e| e.code()), Err("CV_CORRUPT"));
        assert_eq!(
            parse(b"%PDF-1.7\n/Encrypt 5 0 R\n%%EOF", "a.pdf", TODAY).map_err(|e| e.code()),
            Err("CV_PASSWORD_PROTECTED")
        );
        assert_eq!(parse(b"PK\x03\x04rest", "a.docx", TODAY).map_err(|e| e.code()), Err("CV_CORRUPT"));
        assert_eq!(
            parse(&[0xff, 0xfe, 0x00, 0x41], "a.txt", TODAY).map_err(|e| e.code()),
            Err("CV_UNSUPPORTED_FORMAT")
        );
        let big = vec![b'a'; MAX_CV_BYTES + 1];
        assert_eq!(parse(&big, "a.txt", TODAY).map_err(|e| e.code()), Err("CV_TOO_LARGE"));
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
