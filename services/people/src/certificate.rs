//! Employment certificates (werkgeversverklaring, Arbeitgeberbescheinigung): a one-page A4 PDF
//! with a verification code, signed so that anyone holding the code can have it checked.
//!
//! # Signing scheme
//! One primitive, used twice: [`signature`] / [`verify`] sign `SHA-256(content)` together with the
//! document id (length-prefixed, domain-separated), with Ed25519 (`verify_strict`).
//!
//! 1. **Facts**: the printed code cannot depend on the PDF that prints it, so it is derived from
//!    the signature over [`canonical_text`] of the facts: `code = code_of(signature(facts))`.
//! 2. **PDF**: the PDF is rendered with that code, then its bytes are signed too (the seal).
//!
//! [`issue`] does both and returns the [`CertificateRecord`] to store (document id, code, facts
//! text, both signatures). `VerifyDocument` looks the record up by the code someone typed
//! ([`normalize_code`]) and calls [`verify_document`]: the facts signature must verify and yield
//! that code, and a PDF, when given, must verify against the seal. A changed fact, a changed
//! byte in the PDF or a record swapped to another code fails. The canonical text starts with its
//! own header, so it can never be mistaken for PDF bytes under the same key and id.
//!
//! The code is 16 characters of Crockford base32 in groups of four (`XXXX-XXXX-XXXX-XXXX`): 80
//! bits of the signature's SHA-256, too many to guess through a lookup form, and an alphabet
//! without I, L, O and U, so a code read aloud or typed from paper survives (`O`→`0`, `I`/`L`→`1`).

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use hrmesh_kit::locale::Locale;
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};
use time::Date;

use crate::payslip::month_name;

/// Crockford's base32 alphabet.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a verification code, without the dashes.
const CODE_LEN: usize = 16;
/// A4 in points, and the left/right margin.
const PAGE: (f64, f64) = (595.0, 842.0);
const MARGIN: f64 = 72.0;

/// The facts a certificate states; nothing else about the person goes into it.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateFacts {
    /// The employee's full name.
    pub employee_name: String,
    /// Birth date, printed only when the employee asked for it (banks often do).
    pub birth_date: Option<Date>,
    /// The job title.
    pub job_title: String,
    /// The employer's legal name.
    pub employer_name: String,
    /// First day of employment.
    pub start: Date,
    /// Last day of employment (inclusive), if known.
    pub end: Option<Date>,
    /// Contractual hours per week.
    pub weekly_hours: f64,
    /// Open-ended (true) or fixed-term contract.
    pub permanent: bool,
    /// The day the certificate is issued; decides "is employed" versus "was employed".
    pub issued_on: Date,
    /// The language of the certificate.
    pub locale: Locale,
}

/// What the service stores for an issued certificate, keyed by `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    /// The service's id for the document.
    pub document_id: String,
    /// The printed verification code, `XXXX-XXXX-XXXX-XXXX`.
    pub code: String,
    /// [`canonical_text`] of the facts.
    pub facts_text: String,
    /// Ed25519 signature over the document id and the facts text.
    pub facts_signature: Vec<u8>,
    /// Ed25519 signature over the document id and the PDF bytes.
    pub pdf_signature: Vec<u8>,
}

/// A freshly issued certificate: the record to store and the PDF to hand out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    /// What to store.
    pub record: CertificateRecord,
    /// The signed PDF.
    pub pdf: Vec<u8>,
}

/// The facts as one unambiguous text (`key: value` lines, `\`, CR and LF escaped), the input
/// of the facts signature; changing how it is written would invalidate every stored record.
pub fn canonical_text(facts: &CertificateFacts) -> String {
    let escape = |v: &str| v.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r");
    let date = |d: Option<Date>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let locale = match facts.locale {
        Locale::En => "en",
        Locale::Nl => "nl",
        Locale::De => "de",
    };
    format!(
        "hrmesh-employment-certificate/v1\nemployee_name: {}\nbirth_date: {}\njob_title: {}\nemployer_name: {}\n\
         start: {}\nend: {}\nweekly_hours: {:.2}\npermanent: {}\nissued_on: {}\nlocale: {locale}\n",
        escape(&facts.employee_name),
        date(facts.birth_date),
        escape(&facts.job_title),
        escape(&facts.employer_name),
        facts.start,
        date(facts.end),
        facts.weekly_hours,
        facts.permanent,
        facts.issued_on,
    )
}

/// The Ed25519 signature over `document_id` and `SHA-256(content)`, for storage.
pub fn signature(key: &SigningKey, document_id: &str, content: &[u8]) -> [u8; 64] {
    key.sign(&message(document_id, content)).to_bytes()
}

/// Whether `signature` is the key's signature over `document_id` and `content`.
pub fn verify(key: &VerifyingKey, document_id: &str, content: &[u8], signature: &[u8]) -> bool {
    Signature::from_slice(signature).is_ok_and(|sig| key.verify_strict(&message(document_id, content), &sig).is_ok())
}

/// The verification code for a signature: 80 bits of its SHA-256 in Crockford base32.
pub fn code_of(signature: &[u8]) -> String {
    let digest = Sha256::digest(signature);
    let mut code = String::with_capacity(CODE_LEN + 3);
    for i in 0..CODE_LEN {
        // Bit offset i*5 into the digest, read across a byte boundary when needed.
        let (byte, shift) = (i * 5 / 8, i * 5 % 8);
        let pair = u16::from(digest[byte]) << 8 | u16::from(digest[byte + 1]);
        let value = usize::from((pair >> (11 - shift)) & 0x1f);
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(CROCKFORD[value]));
    }
    code
}

/// A typed code in canonical form (`XXXX-XXXX-XXXX-XXXX`): case, spaces and dashes ignored,
/// `O` read as `0` and `I`/`L` as `1`; `None` if it cannot be a code.
pub fn normalize_code(input: &str) -> Option<String> {
    let mut chars = Vec::with_capacity(CODE_LEN);
    for c in input.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        u8::try_from(c).ok().filter(|b| CROCKFORD.contains(b))?;
        chars.push(c);
    }
    (chars.len() == CODE_LEN).then(|| {
        let groups: Vec<String> = chars.chunks(4).map(|g| g.iter().collect()).collect();
        groups.join("-")
    })
}

/// Issues a certificate: signs the facts, renders the PDF with the resulting code, seals the PDF.
pub fn issue(key: &SigningKey, document_id: &str, facts: &CertificateFacts) -> Issued {
    let facts_text = canonical_text(facts);
    let facts_signature = signature(key, document_id, facts_text.as_bytes());
    let code = code_of(&facts_signature);
    let pdf = render_pdf(facts, &code);
    let pdf_signature = signature(key, document_id, &pdf).to_vec();
    let record = CertificateRecord {
        document_id: document_id.to_owned(),
        code,
        facts_text,
        facts_signature: facts_signature.to_vec(),
        pdf_signature,
    };
    Issued { record, pdf }
}

/// Checks a stored record against the code someone presented and, when given, the PDF they hold.
pub fn verify_document(key: &VerifyingKey, record: &CertificateRecord, code: &str, pdf: Option<&[u8]>) -> bool {
    let id = record.document_id.as_str();
    normalize_code(code).is_some_and(|code| code == record.code)
        && code_of(&record.facts_signature) == record.code
        && verify(key, id, record.facts_text.as_bytes(), &record.facts_signature)
        && pdf.is_none_or(|pdf| verify(key, id, pdf, &record.pdf_signature))
}

/// What is signed: a domain tag, the length-prefixed document id and the content's SHA-256.
fn message(document_id: &str, content: &[u8]) -> Vec<u8> {
    let mut message = b"hrmesh-certificate-signature/v1\n".to_vec();
    message.extend_from_slice(&(document_id.len() as u64).to_be_bytes());
    message.extend_from_slice(document_id.as_bytes());
    message.extend_from_slice(&Sha256::digest(content));
    message
}

/// Renders the one-page A4 certificate in the facts' language, with `verification_code` printed.
pub fn render_pdf(facts: &CertificateFacts, verification_code: &str) -> Vec<u8> {
    // Writing into a Vec cannot fail with an I/O error, the only error lopdf reports here; an
    // empty result would still fail every verification instead of panicking.
    build_pdf(facts, verification_code).unwrap_or_default()
}

/// Lays the text out and writes the PDF.
fn build_pdf(facts: &CertificateFacts, code: &str) -> Result<Vec<u8>, lopdf::Error> {
    let text = texts(facts, code);
    let width = PAGE.0 - 2.0 * MARGIN;
    let mut ops = Vec::new();
    let mut y = PAGE.1 - 72.0;
    let mut block = |font: &str, size: f64, gap: f64, paragraph: &str, y: &mut f64| {
        for line in wrap(paragraph, size, width) {
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new("Tf", vec![font.into(), size.into()]));
            ops.push(Operation::new("Td", vec![MARGIN.into(), (*y).into()]));
            ops.push(Operation::new("Tj", vec![Object::String(win_ansi(&line), StringFormat::Literal)]));
            ops.push(Operation::new("ET", vec![]));
            *y -= size * 1.45;
        }
        *y -= gap;
    };
    block("F2", 12.0, 40.0, &facts.employer_name, &mut y);
    block("F2", 20.0, 18.0, text.title, &mut y);
    block("F1", 11.0, 8.0, &text.facts, &mut y);
    block("F1", 11.0, 24.0, &text.contract, &mut y);
    block("F1", 11.0, 4.0, &text.issued, &mut y);
    block("F1", 11.0, 24.0, &text.signed_by, &mut y);
    block("F1", 9.0, 0.0, text.electronic, &mut y);
    let mut y = 96.0;
    block("F1", 9.0, 0.0, &text.verification, &mut y);

    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = |base: &str| {
        dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => base.to_owned(), "Encoding" => "WinAnsiEncoding",
        }
    };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let content = doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode()?));
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => regular, "F2" => bold } },
        "MediaBox" => vec![0.into(), 0.into(), PAGE.0.into(), PAGE.1.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! {
        "Title" => Object::String(text.title.as_bytes().to_vec(), StringFormat::Literal),
        "Producer" => Object::String(b"hrmesh".to_vec(), StringFormat::Literal),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// The certificate's sentences in one language.
struct Texts {
    title: &'static str,
    facts: String,
    contract: String,
    issued: String,
    signed_by: String,
    electronic: &'static str,
    verification: String,
}

/// Words the facts in the certificate's language.
fn texts(f: &CertificateFacts, code: &str) -> Texts {
    let l = f.locale;
    let (name, job, employer) = (f.employee_name.as_str(), f.job_title.as_str(), f.employer_name.as_str());
    // "1 March 2024", "1 maart 2024", "1. März 2024".
    let date = |d: Date| {
        let dot = if l == Locale::De { "." } else { "" };
        format!("{}{dot} {} {}", d.day(), month_name(u8::from(d.month()), l), d.year())
    };
    let hours = format!("{:.2}", f.weekly_hours).trim_end_matches('0').trim_end_matches('.').to_owned();
    let hours = if l == Locale::En { hours } else { hours.replace('.', ",") };
    let start = date(f.start);
    let ended = f.end.filter(|end| *end < f.issued_on).map(date);
    let end = f.end.map(date).unwrap_or_default();
    let born = |pattern: &str| f.birth_date.map(|b| pattern.replace("{}", &date(b))).unwrap_or_default();
    let pick = |en: &str, nl: &str, de: &str| match l {
        Locale::En => en.to_owned(),
        Locale::Nl => nl.to_owned(),
        Locale::De => de.to_owned(),
    };
    // Past when the last day is before the issue date, future when the first day is after it.
    let facts = match (l, &ended, f.start > f.issued_on) {
        (Locale::En, Some(until), _) => format!(
            "We, {employer}, confirm that {name}{} was employed by us as {job} from {start} until {until}, working {hours} hours a week.",
            born(", born on {},")
        ),
        (Locale::En, None, true) => format!(
            "We, {employer}, confirm that {name}{} will be employed by us as {job} from {start}, working {hours} hours a week.",
            born(", born on {},")
        ),
        (Locale::En, None, false) => format!(
            "We, {employer}, confirm that {name}{} has been employed by us as {job} since {start}, working {hours} hours a week.",
            born(", born on {},")
        ),
        (Locale::Nl, Some(until), _) => format!(
            "Hierbij verklaart {employer} dat {name}{} van {start} tot en met {until} in dienst was als {job}, voor {hours} uur per week.",
            born(", geboren op {},")
        ),
        (Locale::Nl, None, true) => format!(
            "Hierbij verklaart {employer} dat {name}{} per {start} in dienst treedt als {job}, voor {hours} uur per week.",
            born(", geboren op {},")
        ),
        (Locale::Nl, None, false) => format!(
            "Hierbij verklaart {employer} dat {name}{} sinds {start} in dienst is als {job}, voor {hours} uur per week.",
            born(", geboren op {},")
        ),
        (Locale::De, Some(until), _) => format!(
            "Hiermit bestätigt {employer}, dass {name}{} vom {start} bis zum {until} als {job} mit einer wöchentlichen Arbeitszeit von {hours} Stunden beschäftigt war.",
            born(", geboren am {},")
        ),
        (Locale::De, None, true) => format!(
            "Hiermit bestätigt {employer}, dass {name}{} ab dem {start} als {job} mit einer wöchentlichen Arbeitszeit von {hours} Stunden beschäftigt sein wird.",
            born(", geboren am {},")
        ),
        (Locale::De, None, false) => format!(
            "Hiermit bestätigt {employer}, dass {name}{} seit dem {start} als {job} mit einer wöchentlichen Arbeitszeit von {hours} Stunden beschäftigt ist.",
            born(", geboren am {},")
        ),
    };
    let contract = match (ended.is_some(), f.permanent, f.end.is_some()) {
        (true, true, _) => pick(
            "It was a permanent contract.",
            "Het ging om een dienstverband voor onbepaalde tijd.",
            "Es handelte sich um ein unbefristetes Arbeitsverhältnis.",
        ),
        (true, false, _) => pick(
            "It was a fixed-term contract.",
            "Het ging om een dienstverband voor bepaalde tijd.",
            "Es handelte sich um ein befristetes Arbeitsverhältnis.",
        ),
        (false, true, false) => pick(
            "The employment is permanent.",
            "Het dienstverband is voor onbepaalde tijd.",
            "Das Arbeitsverhältnis ist unbefristet.",
        ),
        (false, true, true) => pick(
            &format!("The employment ends on {end}."),
            &format!("Het dienstverband eindigt op {end}."),
            &format!("Das Arbeitsverhältnis endet am {end}."),
        ),
        (false, false, true) => pick(
            &format!("The employment is for a fixed term until {end}."),
            &format!("Het dienstverband is voor bepaalde tijd, tot en met {end}."),
            &format!("Das Arbeitsverhältnis ist bis zum {end} befristet."),
        ),
        (false, false, false) => pick(
            "The employment is for a fixed term.",
            "Het dienstverband is voor bepaalde tijd.",
            "Das Arbeitsverhältnis ist befristet.",
        ),
    };
    let issued = date(f.issued_on);
    Texts {
        title: match l {
            Locale::En => "Employment confirmation",
            Locale::Nl => "Werkgeversverklaring",
            Locale::De => "Arbeitgeberbescheinigung",
        },
        facts,
        contract,
        issued: pick(
            &format!("Issued on {issued}."),
            &format!("Afgegeven op {issued}."),
            &format!("Ausgestellt am {issued}."),
        ),
        signed_by: pick(
            &format!("{employer}, HR"),
            &format!("{employer}, afdeling HR"),
            &format!("{employer}, Personalabteilung"),
        ),
        electronic: match l {
            Locale::En => "This document was created electronically and is valid without a handwritten signature.",
            Locale::Nl => "Dit document is elektronisch opgemaakt en geldig zonder handtekening.",
            Locale::De => "Dieses Dokument wurde maschinell erstellt und ist ohne Unterschrift gültig.",
        },
        verification: pick(
            &format!("Verification code: {code} — verify at {employer} HR"),
            &format!("Verificatiecode: {code} — te controleren bij HR van {employer}"),
            &format!("Prüfcode: {code} — prüfbar bei der Personalabteilung von {employer}"),
        ),
    }
}

/// Text as WinAnsiEncoding bytes for the standard fonts; characters it lacks become `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8a),
        ('‹', 0x8b),
        ('Œ', 0x8c),
        ('Ž', 0x8e),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9a),
        ('›', 0x9b),
        ('œ', 0x9c),
        ('ž', 0x9e),
        ('Ÿ', 0x9f),
    ];
    text.chars()
        .map(|c| match u8::try_from(c) {
            // ASCII and Latin-1 map to themselves; C0/C1 control codes do not print.
            Ok(b) if (0x20..0x7f).contains(&b) || b >= 0xa0 => b,
            Ok(_) if c.is_whitespace() => b' ',
            _ => HIGH.iter().find(|(ch, _)| *ch == c).map_or(b'?', |(_, b)| *b),
        })
        .collect()
}

/// Helvetica advance width of a WinAnsi byte, in thousandths of the font size (Adobe AFM;
/// accented letters as their base letter, a little generous so lines never overflow).
fn width(byte: u8) -> f64 {
    const ASCII: &[u16; 95] = &[
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
        556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
        556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
        556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
        500, 500, 500, 334, 260, 334, 584,
    ];
    let w = match byte {
        0x20..=0x7e => ASCII[usize::from(byte - 0x20)],
        0x97 | 0x89 | 0x8c | 0x99 | 0xc6 => 1000,
        0xc0..=0xde => 778,
        _ => 611,
    };
    f64::from(w)
}

/// Splits a paragraph into lines no wider than `max` points at `size` (bold fits with the margin
/// the width table leaves); a single overlong word gets a line of its own.
fn wrap(paragraph: &str, size: f64, max: f64) -> Vec<String> {
    let measure = |s: &str| win_ansi(s).into_iter().map(width).sum::<f64>() * size / 1000.0 * 1.05;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if !line.is_empty() && measure(&candidate) > max {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use time::Month;

    use super::*;

    fn d(year: i32, month: u8, day: u8) -> Date {
        Date::from_calendar_date(year, Month::try_from(month).expect("month"), day).expect("valid date")
    }

    fn facts(locale: Locale) -> CertificateFacts {
        CertificateFacts {
            employee_name: "Jürgen Groß-Éluard".to_owned(),
            birth_date: Some(d(1988, 3, 14)),
            job_title: "Leiter Qualitätssicherung (Süd)".to_owned(),
            employer_name: "Müller & Söhne GmbH".to_owned(),
            start: d(2021, 3, 1),
            end: None,
            weekly_hours: 38.5,
            permanent: true,
            issued_on: d(2026, 5, 4),
            locale,
        }
    }

    /// The page's text with line breaks as spaces, as a reader would see it.
    fn page_text(pdf: &[u8]) -> String {
        let doc = Document::load_mem(pdf).expect("lopdf loads the PDF");
        assert_eq!(doc.get_pages().len(), 1);
        doc.extract_text(&[1]).expect("page text").split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn renders_a_pdf_lopdf_can_read_in_three_languages() {
        let code = "7K3M-9QXA-2B4C-D5EF";
        let cases = [
            (
                Locale::De,
                "Arbeitgeberbescheinigung",
                "Hiermit bestätigt Müller & Söhne GmbH, dass Jürgen Groß-Éluard, geboren am 14. März 1988, seit dem 1. März 2021 als Leiter Qualitätssicherung (Süd) mit einer wöchentlichen Arbeitszeit von 38,5 Stunden beschäftigt ist.",
                "Prüfcode: 7K3M-9QXA-2B4C-D5EF — prüfbar bei der Personalabteilung von Müller & Söhne GmbH",
            ),
            (
                Locale::Nl,
                "Werkgeversverklaring",
                "Hierbij verklaart Müller & Söhne GmbH dat Jürgen Groß-Éluard, geboren op 14 maart 1988, sinds 1 maart 2021 in dienst is als Leiter Qualitätssicherung (Süd), voor 38,5 uur per week.",
                "Verificatiecode: 7K3M-9QXA-2B4C-D5EF — te controleren bij HR van Müller & Söhne GmbH",
            ),
            (
                Locale::En,
                "Employment confirmation",
                "We, Müller & Söhne GmbH, confirm that Jürgen Groß-Éluard, born on 14 March 1988, has been employed by us as Leiter Qualitätssicherung (Süd) since 1 March 2021, working 38.5 hours a week.",
                "Verification code: 7K3M-9QXA-2B4C-D5EF — verify at Müller & Söhne GmbH HR",
            ),
        ];
        for (locale, title, sentence, verification) in cases {
            let pdf = render_pdf(&facts(locale), code);
            assert!(pdf.starts_with(b"%PDF-"));
            let text = page_text(&pdf);
            assert!(text.starts_with(&format!("Müller & Söhne GmbH {title} ")), "{text}");
            assert!(text.contains(sentence), "{text}");
            assert!(text.contains(verification), "{text}");
        }
    }

    #[test]
    fn words_past_and_fixed_term_employment() {
        let mut past = facts(Locale::En);
        (past.end, past.permanent, past.birth_date, past.weekly_hours) = (Some(d(2025, 12, 31)), false, None, 40.0);
        let text = page_text(&render_pdf(&past, "0000-0000-0000-0000"));
        assert!(text.contains("Groß-Éluard was employed by us as Leiter Qualitätssicherung (Süd) from 1 March 2021 until 31 December 2025, working 40 hours a week. It was a fixed-term contract."), "{text}");
        let mut fixed = facts(Locale::De);
        fixed.end = Some(d(2026, 6, 30));
        fixed.permanent = false;
        assert!(
            page_text(&render_pdf(&fixed, "X")).contains("Das Arbeitsverhältnis ist bis zum 30. Juni 2026 befristet.")
        );
        let mut future = facts(Locale::Nl);
        future.start = d(2026, 7, 1);
        assert!(page_text(&render_pdf(&future, "X")).contains("per 1 juli 2026 in dienst treedt als"));
    }

    #[test]
    fn issued_certificate_verifies_and_tampering_fails() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let public = key.verifying_key();
        let issued = issue(&key, "cert-0001", &facts(Locale::Nl));
        let record = &issued.record;
        assert!(page_text(&issued.pdf).contains(&record.code));
        assert!(verify_document(&public, record, &record.code, Some(&issued.pdf)));
        assert!(verify_document(&public, record, &record.code.to_lowercase().replace('-', " "), None));

        // A PDF edited to say 40 hours is still a valid PDF, but its seal no longer verifies.
        let mut pdf = issued.pdf.clone();
        let at = pdf.windows(4).position(|w| w == b"38,5").expect("hours printed");
        pdf[at..at + 4].copy_from_slice(b"40,0");
        assert!(page_text(&pdf).contains("voor 40,0 uur per week"));
        assert!(!verify_document(&public, record, &record.code, Some(&pdf)));

        // Changed facts, in the record or presented afresh, fail too.
        let mut changed = facts(Locale::Nl);
        changed.weekly_hours = 40.0;
        let forged = CertificateRecord { facts_text: canonical_text(&changed), ..record.clone() };
        assert!(!verify_document(&public, &forged, &record.code, None));
        assert!(!verify(&public, "cert-0001", canonical_text(&changed).as_bytes(), &record.facts_signature));
        assert!(verify(&public, "cert-0001", canonical_text(&facts(Locale::Nl)).as_bytes(), &record.facts_signature));

        // Another document id, another key, another code or a garbled signature fail.
        assert!(!verify(&public, "cert-0002", record.facts_text.as_bytes(), &record.facts_signature));
        let stranger = SigningKey::from_bytes(&[9; 32]).verifying_key();
        assert!(!verify_document(&stranger, record, &record.code, None));
        assert!(!verify_document(&public, record, "0000-0000-0000-0000", None));
        assert!(!verify(&public, "cert-0001", record.facts_text.as_bytes(), &record.facts_signature[..63]));
        assert_eq!(code_of(&signature(&key, "cert-0001", record.facts_text.as_bytes())), record.code);
    }

    #[test]
    fn codes_are_grouped_crockford_base32() {
        let code = code_of(&[1; 64]);
        assert_eq!(code.len(), 19);
        assert!(code.split('-').all(|g| g.len() == 4 && g.bytes().all(|b| CROCKFORD.contains(&b))));
        assert_ne!(code, code_of(&[2; 64]));
        assert_eq!(normalize_code(" abcd-efgh-jkmn-pqrs "), Some("ABCD-EFGH-JKMN-PQRS".to_owned()));
        assert_eq!(normalize_code("O1IL 0000 0000 0000"), Some("0111-0000-0000-0000".to_owned()));
        assert_eq!(normalize_code("ABCD-EFGH-JKMN-PQRU"), None);
        assert_eq!(normalize_code("ABCD-EFGH-JKMN"), None);
    }

    #[test]
    fn canonical_text_cannot_be_forged_with_line_breaks() {
        let mut sneaky = facts(Locale::En);
        sneaky.employee_name = "A\nweekly_hours: 40.00".to_owned();
        let text = canonical_text(&sneaky);
        assert_eq!(text.lines().filter(|l| l.starts_with("weekly_hours:")).count(), 1);
        assert!(text.contains("employee_name: A\\nweekly_hours: 40.00\n"));
        assert!(
            canonical_text(&facts(Locale::En))
                .ends_with("weekly_hours: 38.50\npermanent: true\nissued_on: 2026-05-04\nlocale: en\n")
        );
    }

    #[test]
    fn text_is_encoded_for_winansi_and_wrapped_to_the_page() {
        assert_eq!(win_ansi("äöüß é € — Ł\t"), b"\xe4\xf6\xfc\xdf \xe9 \x80 \x97 ? ");
        let long = "Lorem ipsum dolor sit amet, consectetur adipiscing elit ".repeat(8);
        let lines = wrap(&long, 11.0, 451.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| win_ansi(l).into_iter().map(width).sum::<f64>() * 11.0 / 1000.0 <= 451.0));
        assert_eq!(lines.join(" "), long.trim_end());
    }
}
