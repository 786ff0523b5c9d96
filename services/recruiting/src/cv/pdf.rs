//! The text layer of a PDF. A PDF whose pages carry images but no text is a scan; one that
//! cannot be opened without a password is protected; one that does not parse is damaged.

use lopdf::{DecompressError, Document, LoadOptions, Object};

use super::{CvError, MAX_TEXT_BYTES};

/// Most pages read: a CV has a few. Each page costs a walk of the page tree and its content.
const MAX_PAGES: usize = 30;
/// Most objects a PDF may have: a CV has hundreds, a designed one a few thousand.
const MAX_OBJECTS: usize = 20_000;
/// Most bytes one object or cross-reference stream may inflate to while loading (lopdf reads
/// them through a bounded reader, so a flate bomb stops there instead of filling memory).
const MAX_LOAD_STREAM_BYTES: usize = 2 * 1024 * 1024;
/// Most bytes one page's content streams may inflate to together; a CV page has tens of KB.
const MAX_PAGE_CONTENT_BYTES: usize = 2 * 1024 * 1024;

/// Pages' text joined with line breaks.
pub fn text(bytes: &[u8]) -> Result<String, CvError> {
    // A PDF ends with %%EOF; without it the file was cut off (lopdf would still recover parts).
    if !bytes[bytes.len().saturating_sub(1024)..].windows(5).any(|w| w == b"%%EOF") {
        return Err(CvError::Corrupt("the PDF ends before its end marker (truncated upload?)".into()));
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
        doc.decrypt("").map_err(|_| CvError::PasswordProtected)?;
    }
    // Counted by walking the tree only as far as the limit, not building the whole page map.
    let pages = doc.page_iter().take(MAX_PAGES + 1).count();
    if pages == 0 {
        return Err(CvError::Corrupt("the PDF has no pages".into()));
    }
    if pages > MAX_PAGES {
        return Err(CvError::TooComplex(format!("more than {MAX_PAGES} pages")));
    }
    let mut out = String::new();
    for page in 1..=pages as u32 {
        match doc.extract_text_with_limit(&[page], MAX_PAGE_CONTENT_BYTES) {
            Ok(t) => {
                out.push_str(&t);
                out.push('\n');
            }
            Err(lopdf::Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
                return Err(CvError::TooComplex(format!(
                    "page {page} holds more than {} MB of drawing instructions",
                    MAX_PAGE_CONTENT_BYTES / (1024 * 1024)
                )));
            }
            // A page whose text cannot be decoded is skipped; the others still count.
            Err(_) => {}
        }
        if out.len() > MAX_TEXT_BYTES {
            return Err(CvError::TooComplex(format!("more than {} KB of text", MAX_TEXT_BYTES / 1024)));
        }
    }
    if out.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err(if has_images(&doc) { CvError::ScannedImage } else { CvError::Empty });
    }
    Ok(out)
}

fn too_many_objects() -> CvError {
    CvError::TooComplex(format!("more than {MAX_OBJECTS} PDF objects"))
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::cv::bombs::{copies_for, pdf_with_pages, peak_memory, stream, zlib_zeros};

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
        assert!(matches!(result, Err(CvError::TooComplex(_))), "{result:?}");
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
        assert!(matches!(&result, Err(CvError::TooComplex(why)) if why.contains("pages")), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        // At the limit a CV still reads.
        let t = text(&pdf_with_pages(MAX_PAGES, text_page())).expect("reads");
        assert_eq!(t.matches("Jan Bakker").count(), MAX_PAGES);
    }

    #[test]
    fn many_objects_are_refused_before_loading() {
        let result = text(&pdf_with_pages(MAX_OBJECTS, text_page()));
        assert!(matches!(&result, Err(CvError::TooComplex(why)) if why.contains("objects")), "{result:?}");
    }

    #[test]
    fn text_beyond_any_cv_is_refused() {
        let line = "(Ervaren lasser met oog voor kwaliteit en veiligheid, MIG MAG TIG) Tj T* ".repeat(200);
        let page = stream("", format!("BT /F1 8 Tf 12 TL 72 800 Td {line} ET").as_bytes());
        let result = text(&pdf_with_pages(MAX_PAGES, page));
        assert!(matches!(&result, Err(CvError::TooComplex(why)) if why.contains("text")), "{result:?}");
    }
}
