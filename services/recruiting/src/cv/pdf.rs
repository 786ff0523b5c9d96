//! The text layer of a PDF. A PDF whose pages carry images but no text is a scan; one that
//! cannot be opened without a password is protected; one that does not parse is damaged.

use lopdf::{Document, Object};

use super::CvError;

/// Pages' text joined with line breaks.
pub fn text(bytes: &[u8]) -> Result<String, CvError> {
    // A PDF ends with %%EOF; without it the file was cut off (lopdf would still recover parts).
    if !bytes[bytes.len().saturating_sub(1024)..].windows(5).any(|w| w == b"%%EOF") {
        return Err(CvError::Corrupt("the PDF ends before its end marker (truncated upload?)".into()));
    }
    let mut doc = Document::load_mem(bytes).map_err(|e| classify(bytes, &e.to_string()))?;
    if doc.is_encrypted() {
        // Owner-password-only PDFs (printing restrictions) open with the empty user password.
        doc.decrypt("").map_err(|_| CvError::PasswordProtected)?;
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(CvError::Corrupt("the PDF has no pages".into()));
    }
    let mut out = String::new();
    for page in &pages {
        // A page whose text cannot be decoded is skipped; the others still count.
        if let Ok(t) = doc.extract_text(&[*page]) {
            out.push_str(&t);
            out.push('\n');
        }
    }
    if out.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err(if has_images(&doc) { CvError::ScannedImage } else { CvError::Empty });
    }
    Ok(out)
}

fn classify(bytes: &[u8], error: &str) -> CvError {
    let lower = error.to_lowercase();
    let says_encrypted = lower.contains("decrypt") || lower.contains("password") || lower.contains("encrypt");
    let has_encrypt_dict = bytes.windows(8).any(|w| w == b"/Encrypt");
    if says_encrypted || (has_encrypt_dict && !lower.contains("trailer") && !lower.contains("xref")) {
        CvError::PasswordProtected
    } else {
        CvError::Corrupt(format!("PDF: {error}"))
    }
}

/// Whether any page draws an image XObject (what a scanner produces).
fn has_images(doc: &Document) -> bool {
    doc.objects.values().any(|o| match o {
        Object::Stream(s) => s.dict.get(b"Subtype").ok().and_then(|v| v.as_name().ok()) == Some(b"Image".as_slice()),
        _ => false,
    })
}
