//! The text layer of a PDF. A PDF whose pages carry images but no text is a scan; one that
//! cannot be opened without a password is protected; one that does not parse is damaged.

use lopdf::{DecompressError, Document, LoadOptions, Object};

use super::{DocumentError, Limits};

/// Most objects a PDF may have: a CV has hundreds, a designed one a few thousand.
const MAX_OBJECTS: usize = 20_000;
/// Most bytes one object or cross-reference stream may inflate to while loading (lopdf reads
/// them through a bounded reader, so a flate bomb stops there instead of filling memory).
const MAX_LOAD_STREAM_BYTES: usize = 2 * 1024 * 1024;
/// Most bytes one page's content streams may inflate to together; a CV page has tens of KB.
const MAX_PAGE_CONTENT_BYTES: usize = 2 * 1024 * 1024;

/// Pages' text joined with line breaks.
pub fn text(bytes: &[u8], limits: Limits) -> Result<String, DocumentError> {
    let max_pages = limits.max_pages;
    // A PDF ends with %%EOF; without it the file was cut off (lopdf would still recover parts).
    if !bytes[bytes.len().saturating_sub(1024)..].windows(5).any(|w| w == b"%%EOF") {
        return Err(DocumentError::Corrupt("the PDF ends before its end marker (truncated upload?)".into()));
    }
    // Objects are counted before loading too: loading is what costs the memory.
    if bytes.windows(4).filter(|w| w == b" obj").count() > MAX_OBJECTS {
        return Err(too_many_objects());
    }
    let options = LoadOptions { max_decompressed_size: Some(MAX_LOAD_STREAM_BYTES), ..LoadOptions::default() };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(|e| classify(bytes, &e.to_string()))?;
    if doc.objects.len() > MAX_OBJECTS {
        return Err(too_many_objects());
    }
    if doc.is_encrypted() {
        // Owner-password-only PDFs (printing restrictions) open with the empty user password.
        doc.decrypt("").map_err(|_| DocumentError::PasswordProtected)?;
    }
    // Counted by walking the tree only as far as the limit, not building the whole page map.
    let pages = doc.page_iter().take(max_pages + 1).count();
    if pages == 0 {
        return Err(DocumentError::Corrupt("the PDF has no pages".into()));
    }
    if pages > max_pages {
        return Err(DocumentError::TooComplex(format!("more than {max_pages} pages")));
    }
    let mut out = String::new();
    for page in 1..=pages as u32 {
        match doc.extract_text_with_limit(&[page], MAX_PAGE_CONTENT_BYTES) {
            Ok(t) => {
                out.push_str(&t);
                out.push('\n');
            }
            Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(DocumentError::TooComplex(format!(
                    "page {page} holds more than {} MB of drawing instructions",
                    MAX_PAGE_CONTENT_BYTES / (1024 * 1024)
                )));
            }
            // A page whose text cannot be decoded is skipped; the others still count.
            Err(_) => {}
        }
        if out.len() > limits.max_text_bytes {
            return Err(super::too_much_text(limits));
        }
    }
    if out.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err(if has_images(&doc) { DocumentError::ScannedImage } else { DocumentError::Empty });
    }
    Ok(out)
}

fn too_many_objects() -> DocumentError {
    DocumentError::TooComplex(format!("more than {MAX_OBJECTS} PDF objects"))
}

fn classify(bytes: &[u8], error: &str) -> DocumentError {
    let lower = error.to_lowercase();
    let says_encrypted = lower.contains("decrypt") || lower.contains("password") || lower.contains("encrypt");
    let has_encrypt_dict = bytes.windows(8).any(|w| w == b"/Encrypt");
    if says_encrypted || (has_encrypt_dict && !lower.contains("trailer") && !lower.contains("xref")) {
        DocumentError::PasswordProtected
    } else {
        DocumentError::Corrupt(format!("PDF: {error}"))
    }
}

/// Whether any page draws an image XObject (what a scanner produces).
fn has_images(doc: &Document) -> bool {
    doc.objects.values().any(|o| match o {
        Object::Stream(s) => s.dict.get(b"Subtype").ok().and_then(|v| v.as_name().ok()) == Some(b"Image".as_slice()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::document::bombs::{copies_for, pdf_with_pages, peak_memory, stream, zlib_zeros};

    /// A CV's limits.
    const LIMITS: Limits = Limits { max_file_bytes: 10 << 20, max_text_bytes: 128 << 10, max_pages: 30 };
    const MAX_PAGES: usize = LIMITS.max_pages;

    fn text(bytes: &[u8]) -> Result<String, DocumentError> {
        super::text(bytes, LIMITS)
    }

    fn text_page() -> Vec<u8> {
        stream("", b"BT /F1 12 Tf 72 700 Td (Jan Bakker, lasser met tien jaar ervaring in staalbouw) Tj ET")
    }

    #[test]
    fn a_generated_pdf_reads() {
        let t = text(&pdf_with_pages(2, text_page())).expect("reads");
        assert_eq!(t.matches("Jan Bakker").count(), 2, "{t}");
    }

    #[test]
    fn flate_bomb_is_refused_without_inflating_it() {
        // 300 KB of zlib that inflate to 200 MB of zeros: the whole page content.
        let bomb = zlib_zeros(copies_for(200));
        assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
        let pdf = pdf_with_pages(1, stream("/Filter /FlateDecode", &bomb));
        let before = peak_memory();
        let started = Instant::now();
        let result = text(&pdf);
        assert!(matches!(result, Err(DocumentError::TooComplex(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        if let (Some(before), Some(after)) = (before, peak_memory()) {
            // Inflation stops at the page limit (2 MB), far below the 200 MB of the bomb.
            assert!(after.saturating_sub(before) < 64 * 1024 * 1024, "peak grew by {} MB", (after - before) >> 20);
        }
    }

    #[test]
    fn many_pages_are_refused_in_bounded_work() {
        let started = Instant::now();
        let result = text(&pdf_with_pages(5_000, text_page()));
        assert!(matches!(&result, Err(DocumentError::TooComplex(why)) if why.contains("pages")), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        // At the limit a CV still reads.
        let t = text(&pdf_with_pages(MAX_PAGES, text_page())).expect("reads");
        assert_eq!(t.matches("Jan Bakker").count(), MAX_PAGES);
    }

    #[test]
    fn many_objects_are_refused_before_loading() {
        let result = text(&pdf_with_pages(MAX_OBJECTS, text_page()));
        assert!(matches!(&result, Err(DocumentError::TooComplex(why)) if why.contains("objects")), "{result:?}");
    }

    #[test]
    fn text_beyond_any_cv_is_refused() {
        let line = "(Ervaren lasser met oog voor kwaliteit en veiligheid, MIG MAG TIG) Tj T* ".repeat(200);
        let page = stream("", format!("BT /F1 8 Tf 12 TL 72 800 Td {line} ET").as_bytes());
        let result = text(&pdf_with_pages(MAX_PAGES, page));
        assert!(matches!(&result, Err(DocumentError::TooComplex(why)) if why.contains("text")), "{result:?}");
    }
}
