//! The text of a DOCX (WordprocessingML): paragraphs, tabs and line breaks of
//! `word/document.xml`, read with limits so a zip bomb cannot exhaust memory.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

use super::CvError;

/// Largest `word/document.xml` read (uncompressed).
const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;

pub fn text(bytes: &[u8]) -> Result<String, CvError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| CvError::Corrupt(format!("DOCX container: {e}")))?;
    let mut entry = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::FileNotFound => CvError::UnsupportedFormat,
        other => CvError::Corrupt(format!("DOCX: {other}")),
    })?;
    if entry.encrypted() {
        return Err(CvError::PasswordProtected);
    }
    let mut xml = String::new();
    entry
        .by_ref()
        .take(MAX_XML_BYTES + 1)
        .read_to_string(&mut xml)
        .map_err(|e| CvError::Corrupt(format!("DOCX document: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(CvError::TooLarge { size: xml.len(), max: MAX_XML_BYTES as usize });
    }
    paragraphs(&xml)
}

/// Text of the runs (`w:t`), a line per paragraph (`w:p`), tabs and breaks kept.
fn paragraphs(xml: &str) -> Result<String, CvError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
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
                    None => return Err(CvError::Corrupt(format!("DOCX text: unknown entity &{};", r.as_ref()))),
                },
            },
            Ok(Event::Eof) => break,
            Err(e) => return Err(CvError::Corrupt(format!("DOCX XML at byte {}: {e}", reader.buffer_position()))),
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
        assert_eq!(paragraphs(xml).expect("parses"), "Werkervaring\n2019 & \theden\n");
    }
}
