//! Documents people upload → their text: PDF (text layer via lopdf), DOCX (WordprocessingML via
//! zip + quick-xml) and UTF-8 plain text, read with limits so a hostile file (a zip or flate
//! bomb, thousands of pages) costs bounded memory and time. A file that cannot be read gets a
//! reason and what to do about it. Used by CV intake (recruiting) and the handbook
//! (self-service).

#[cfg(test)]
mod bombs;
mod docx;
mod pdf;

/// How much of a document is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file accepted.
    pub max_file_bytes: usize,
    /// Most text extracted.
    pub max_text_bytes: usize,
    /// Most PDF pages read.
    pub max_pages: usize,
}

/// What a document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Text,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Text => "text",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DocumentError {
    #[error("the file is empty; upload it again")]
    Empty,
    #[error("the file has {size} bytes; at most {max} are accepted: remove images or send the text")]
    TooLarge { size: usize, max: usize },
    #[error("the PDF is password-protected; upload it without a password, or send the text")]
    PasswordProtected,
    #[error("the file is damaged ({0}); export it again or send the text")]
    Corrupt(String),
    #[error("the PDF has no text layer (a scanned image); upload a text-based PDF, a DOCX or plain text")]
    ScannedImage,
    #[error("this is not a PDF, DOCX or plain-text document; upload it in one of those formats")]
    UnsupportedFormat,
    #[error("the document is too complex to read ({0}); send a shorter document or its text")]
    TooComplex(String),
}

impl DocumentError {
    /// Stable reason, the suffix of the caller's reason code (`CV_SCANNED_IMAGE`).
    pub fn reason(&self) -> &'static str {
        match self {
            DocumentError::Empty => "EMPTY",
            DocumentError::TooLarge { .. } => "TOO_LARGE",
            DocumentError::PasswordProtected => "PASSWORD_PROTECTED",
            DocumentError::Corrupt(_) => "CORRUPT",
            DocumentError::ScannedImage => "SCANNED_IMAGE",
            DocumentError::UnsupportedFormat => "UNSUPPORTED_FORMAT",
            DocumentError::TooComplex(_) => "TOO_COMPLEX",
        }
    }
}

/// The text of a PDF, DOCX or plain-text file, recognised by its content (not its name).
pub fn read(bytes: &[u8], limits: Limits) -> Result<(Format, String), DocumentError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DocumentError::Empty);
    }
    if bytes.len() > limits.max_file_bytes {
        return Err(DocumentError::TooLarge { size: bytes.len(), max: limits.max_file_bytes });
    }
    let (format, text) = if bytes.starts_with(b"%PDF-") {
        (Format::Pdf, pdf::text(bytes, limits)?)
    } else if bytes.starts_with(b"PK\x03\x04") {
        (Format::Docx, docx::text(bytes, limits)?)
    } else {
        (Format::Text, plain(bytes)?)
    };
    if text.trim().is_empty() {
        return Err(DocumentError::Empty);
    }
    if text.len() > limits.max_text_bytes {
        return Err(too_much_text(limits));
    }
    Ok((format, text))
}

fn too_much_text(limits: Limits) -> DocumentError {
    DocumentError::TooComplex(format!("more than {} KB of text", limits.max_text_bytes / 1024))
}

fn plain(bytes: &[u8]) -> Result<String, DocumentError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| DocumentError::UnsupportedFormat)?;
    if text.chars().filter(|c| c.is_control() && !c.is_whitespace()).count() > text.len() / 100 + 2 {
        return Err(DocumentError::UnsupportedFormat);
    }
    Ok(text.to_owned())
}
