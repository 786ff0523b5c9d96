//! The text of a DOCX (WordprocessingML): paragraphs, tabs and line breaks of
//! `word/document.xml`, read with limits so a zip bomb cannot exhaust memory.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

use super::{DocumentError, Limits};

/// Largest `word/document.xml` read (uncompressed): a CV's is some hundreds of KB, markup
/// included. It is read through `take`, so a zip bomb never inflates further than this.
const MAX_XML_BYTES: u64 = 4 * 1024 * 1024;

/// The document's text, a line per paragraph.
pub fn text(bytes: &[u8], limits: Limits) -> Result<String, DocumentError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocumentError::Corrupt(format!("DOCX container: {e}")))?;
    let mut entry = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::FileNotFound => DocumentError::UnsupportedFormat,
        other => DocumentError::Corrupt(format!("DOCX: {other}")),
    })?;
    if entry.encrypted() {
        return Err(DocumentError::PasswordProtected);
    }
    // The declared size can lie (the read below is what bounds memory), but an honest one
    // saves inflating 4 MB to find out.
    if entry.size() > MAX_XML_BYTES {
        return Err(too_large());
    }
    let mut xml = String::new();
    entry
        .by_ref()
        .take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| DocumentError::Corrupt(format!("DOCX document: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(too_large());
    }
    paragraphs(&xml, limits)
}

fn too_large() -> DocumentError {
    DocumentError::TooComplex(format!("the document text is over {} MB unpacked", MAX_XML_BYTES / (1024 * 1024)))
}

/// Text of the runs (`w:t`), a line per paragraph (`w:p`), tabs and breaks kept.
fn paragraphs(xml: &str, limits: Limits) -> Result<String, DocumentError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        if out.len() > limits.max_text_bytes {
            return Err(super::too_much_text(limits));
        }
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "w:t" => in_text = true,
            Ok(Event::End(e)) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.name().as_ref() {
                "w:tab" => out.push('\t'),
                "w:br" | "w:cr" => out.push('\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => out.push_str(t.as_ref()),
            Ok(Event::GeneralRef(r)) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => out.push(c),
                _ => match quick_xml::escape::resolve_predefined_entity(r.as_ref()) {
                    Some(text) => out.push_str(text),
                    None => return Err(DocumentError::Corrupt(format!("DOCX text: unknown entity &{};", r.as_ref()))),
                },
            },
            Ok(Event::Eof) => break,
            Err(e) => {
                return Err(DocumentError::Corrupt(format!("DOCX XML at byte {}: {e}", reader.buffer_position())));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_runs_tabs_and_entities() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>Werkervaring</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">2019 &amp; </w:t></w:r><w:r><w:tab/><w:t>heden</w:t></w:r></w:p></w:body></w:document>"#;
        let limits = Limits { max_file_bytes: 1 << 20, max_text_bytes: 1 << 10, max_pages: 1 };
        assert_eq!(paragraphs(xml, limits).expect("parses"), "Werkervaring\n2019 & \theden\n");
    }
}

#[cfg(test)]
mod bomb_tests {
    use super::*;
    use crate::document::bombs::{copies_for, deflated_zeros, peak_memory, zip};

    fn text(bytes: &[u8]) -> Result<String, DocumentError> {
        super::text(bytes, Limits { max_file_bytes: 10 << 20, max_text_bytes: 128 << 10, max_pages: 30 })
    }

    #[test]
    fn zip_bomb_is_refused_reading_at_most_the_cap() {
        let zeros = deflated_zeros(copies_for(200));
        let before = peak_memory();
        // Honest about its size: refused from the header.
        let honest = text(&zip("word/document.xml", &zeros, 200 * 1024 * 1024));
        assert!(matches!(&honest, Err(DocumentError::TooComplex(_))), "{honest:?}");
        // Lying about its size: the bounded read stops it.
        let lying = text(&zip("word/document.xml", &zeros, 1000));
        assert!(matches!(&lying, Err(DocumentError::TooComplex(_) | DocumentError::Corrupt(_))), "{lying:?}");
        if let (Some(before), Some(after)) = (before, peak_memory()) {
            assert!(after.saturating_sub(before) < 32 * 1024 * 1024, "peak grew by {} MB", (after - before) >> 20);
        }
    }
}
