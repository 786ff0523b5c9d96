//! The structure of a CV's text: sections in Dutch, German and English, contact details, dated
//! work history, education levels and CEFR language levels.

use std::ops::Range;

use super::{Contact, Education, Job, LanguageSkill, ParsedCv, YearMonth};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    Top,
    Work,
    Education,
    Languages,
    Other,
}

fn heading(line: &str) -> Option<Section> {
    let h = line.trim().trim_end_matches(':').to_lowercase();
    let is = |words: &[&str]| words.contains(&h.as_str());
    if is(&[
        "werkervaring",
        "ervaring",
        "loopbaan",
        "berufserfahrung",
        "beruflicher werdegang",
        "work experience",
        "experience",
        "employment",
        "employment history",
    ]) {
        Some(Section::Work)
    } else if is(&["opleiding", "opleidingen", "ausbildung", "bildung", "schulbildung", "education", "qualifications"])
    {
        Some(Section::Education)
    } else if is(&["talen", "talenkennis", "sprachen", "sprachkenntnisse", "languages"]) {
        Some(Section::Languages)
    } else if is(&[
        "profiel",
        "profil",
        "profile",
        "summary",
        "vaardigheden",
        "kenntnisse",
        "skills",
        "projecten",
        "projekte",
        "projects",
        "hobby's",
        "interessen",
        "interests",
        "referenties",
        "referenzen",
        "references",
        "cursussen",
        "kurse",
        "courses",
        "certificaten",
        "zertifikate",
        "certificates",
    ]) {
        Some(Section::Other)
    } else {
        None
    }
}

const MONTHS: [(&str, u8); 36] = [
    ("jan", 1),
    ("feb", 2),
    ("mrt", 3),
    ("maa", 3),
    ("mar", 3),
    ("mär", 3),
    ("apr", 4),
    ("mei", 5),
    ("mai", 5),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("okt", 10),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("dez", 12),
    ("january", 1),
    ("januari", 1),
    ("januar", 1),
    ("february", 2),
    ("februari", 2),
    ("februar", 2),
    ("march", 3),
    ("maart", 3),
    ("märz", 3),
    ("june", 6),
    ("juni", 6),
    ("july", 7),
    ("juli", 7),
    ("october", 10),
    ("oktober", 10),
    ("december", 12),
    ("dezember", 12),
];
const ONGOING: [&str; 9] = ["heden", "nu", "present", "now", "today", "current", "heute", "jetzt", "dato"];

/// A date at the start of `s`: `2019`, `03/2017`, `03-2017`, `jan 2019`, `januari 2019`.
fn date(s: &str) -> Option<(YearMonth, usize)> {
    let s_lower = s.to_lowercase();
    let words: Vec<&str> = s_lower.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    let first = *words.first()?;
    let year_of = |w: &str| {
        w.trim_matches(|c: char| !c.is_ascii_digit()).parse::<i32>().ok().filter(|y| (1950..=2100).contains(y))
    };
    if let Some((m, y)) = first.split_once(['/', '-', '.'])
        && let (Ok(m), Some(y)) = (m.parse::<u8>(), year_of(y))
        && (1..=12).contains(&m)
    {
        return Some((YearMonth { year: y, month: m }, 1));
    }
    if let Some(&(_, m)) =
        MONTHS.iter().find(|(name, _)| first.trim_end_matches('.').starts_with(name) && first.len() <= 10)
        && let Some(y) = words.get(1).and_then(|w| year_of(w))
    {
        return Some((YearMonth { year: y, month: m }, 2));
    }
    if first.chars().filter(char::is_ascii_digit).count() == 4 {
        return year_of(first).map(|y| (YearMonth { year: y, month: 1 }, 1));
    }
    None
}

/// A period at the start of a line, the rest of the line, and how many of the line's
/// (whitespace-separated) words the period takes.
fn period(line: &str) -> Option<(YearMonth, Option<YearMonth>, String, usize)> {
    let lower = line.trim().to_lowercase();
    let (since, body) = match ["seit ", "since ", "sinds ", "vanaf "].iter().find(|p| lower.starts_with(*p)) {
        Some(p) => (true, &line.trim()[p.len()..]),
        None => (false, line.trim()),
    };
    let normalised = body.replacen(['–', '—'], "-", 2);
    let (start, used) = date(&normalised)?;
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let mut rest_words = &words[used.min(words.len())..];
    let mut end = None;
    let mut ongoing = since;
    if let Some(first) = rest_words.first() {
        // "2019 - 2021", "2019 – heden", "2019-present" (joined), "bis 2020".
        let dash_joined = words.first().and_then(|w| w.split_once('-')).map(|(_, after)| after.to_lowercase());
        if ["-", "tot", "bis", "to", "until"].contains(&first.to_lowercase().as_str()) {
            rest_words = &rest_words[1..];
            let tail = rest_words.join(" ");
            if let Some(word) = rest_words.first().map(|w| w.to_lowercase()) {
                if ONGOING.iter().any(|o| word.trim_matches(|c: char| !c.is_alphabetic()) == *o) {
                    ongoing = true;
                    rest_words = &rest_words[1..];
                } else if let Some((e, used)) = date(&tail) {
                    // A year-only end means the end of that year ("2015 - 2018" spans 48 months);
                    // "02/2019" names its month.
                    let year_only = rest_words
                        .first()
                        .is_some_and(|w| w.trim_end_matches([':', ',']).chars().all(|c| c.is_ascii_digit()));
                    end = Some(if year_only { YearMonth { year: e.year, month: 12 } } else { e });
                    rest_words = &rest_words[used.min(rest_words.len())..];
                }
            }
        } else if dash_joined.is_some_and(|a| ONGOING.contains(&a.trim_end_matches(':')) && used == 1) {
            ongoing = true;
        }
    }
    let end = if ongoing { None } else { Some(end.unwrap_or(start)) };
    let rest = rest_words.join(" ").trim_start_matches([':', '-', ',', ' ']).trim().to_owned();
    let date_words = usize::from(since) + words.len() - rest_words.len();
    Some((start, end, rest, date_words))
}

fn months(start: YearMonth, end: Option<YearMonth>, today: YearMonth) -> u32 {
    let end = end.unwrap_or(today).min(today);
    u32::try_from(end.index() - start.index() + 1).unwrap_or(0)
}

/// Months covered by the union of the periods.
fn union_months(periods: &[(YearMonth, Option<YearMonth>)], today: YearMonth) -> u32 {
    let mut spans: Vec<(i32, i32)> =
        periods.iter().map(|(s, e)| (s.index(), e.unwrap_or(today).index())).filter(|(s, e)| e >= s).collect();
    spans.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i32, i32)> = None;
    for (s, e) in spans {
        match current {
            Some((cs, ce)) if s <= ce + 1 => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs + 1;
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    if let Some((cs, ce)) = current {
        total += ce - cs + 1;
    }
    u32::try_from(total).unwrap_or(0)
}

fn split_title_employer(rest: &str) -> (String, String) {
    for sep in [", ", " bij ", " bei ", " at ", " - ", " | "] {
        if let Some((a, b)) = rest.split_once(sep) {
            return (a.trim().to_owned(), b.trim().to_owned());
        }
    }
    (rest.trim().to_owned(), String::new())
}

fn education_level(text: &str) -> &'static str {
    let t = format!(" {} ", text.to_lowercase().replace([',', '(', ')', '.'], " "));
    let has = |words: &[&str]| words.iter().any(|w| t.contains(&format!(" {w} ")) || t.contains(&format!(" {w}-")));
    if has(&["phd", "promotion", "doctorate", "dr", "doctor", "promotie"]) {
        "doctorate"
    } else if has(&["master", "msc", "ma", "wo", "universiteit", "diplom", "mba", "meester"]) {
        "master"
    } else if has(&["bachelor", "bsc", "ba", "hbo", "fh", "fachhochschule", "hogeschool"]) {
        "bachelor"
    } else if has(&[
        "mbo",
        "ausbildung",
        "lehre",
        "vocational",
        "berufsausbildung",
        "apprenticeship",
        "gesellenbrief",
        "meisterbrief",
        "roc",
    ]) {
        "vocational"
    } else if has(&["havo", "vwo", "vmbo", "abitur", "realschule", "gymnasium", "high", "secondary", "mittlere"]) {
        "secondary"
    } else {
        "none"
    }
}

const LANGUAGE_NAMES: [(&str, &str); 36] = [
    ("nederlands", "nl"),
    ("niederländisch", "nl"),
    ("dutch", "nl"),
    ("duits", "de"),
    ("deutsch", "de"),
    ("german", "de"),
    ("engels", "en"),
    ("englisch", "en"),
    ("english", "en"),
    ("frans", "fr"),
    ("französisch", "fr"),
    ("french", "fr"),
    ("spaans", "es"),
    ("spanisch", "es"),
    ("spanish", "es"),
    ("pools", "pl"),
    ("polnisch", "pl"),
    ("polish", "pl"),
    ("turks", "tr"),
    ("türkisch", "tr"),
    ("turkish", "tr"),
    ("arabisch", "ar"),
    ("arabic", "ar"),
    ("italiaans", "it"),
    ("italienisch", "it"),
    ("italian", "it"),
    ("roemeens", "ro"),
    ("rumänisch", "ro"),
    ("romanian", "ro"),
    ("russisch", "ru"),
    ("russian", "ru"),
    ("portugees", "pt"),
    ("portugiesisch", "pt"),
    ("portuguese", "pt"),
    ("oekraïens", "uk"),
    ("ukrainian", "uk"),
];

fn language_line(line: &str) -> Option<LanguageSkill> {
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let code = words.iter().find_map(|w| LANGUAGE_NAMES.iter().find(|(n, _)| n == w).map(|(_, c)| *c))?;
    let cefr = words.iter().find_map(|w| ["a1", "a2", "b1", "b2", "c1", "c2"].iter().position(|c| c == w));
    let level = match cefr {
        Some(i) => ["A1", "A2", "B1", "B2", "C1", "C2"][i],
        None if words.iter().any(|w| ["moedertaal", "muttersprache", "native", "mother"].contains(w)) => "native",
        None if words.iter().any(|w| {
            ["vloeiend", "fließend", "fliessend", "fluent", "verhandlungssicher", "uitstekend", "excellent"].contains(w)
        }) =>
        {
            "C1"
        }
        None if words.iter().any(|w| ["goed", "gut", "gute", "good", "sehr"].contains(w)) => "B2",
        None if words.iter().any(|w| ["redelijk", "matig", "reasonable", "fair", "conversational"].contains(w)) => "B1",
        None => "A2",
    };
    Some(LanguageSkill { language: code.to_owned(), level })
}

/// The CV's language, by the one detector hrmesh has.
fn detect_language(text: &str) -> &'static str {
    hrmesh_kit::locale::Locale::detect(text).code()
}

/// A phone number inside a line: the longest run of digits, spaces and `+-()/.` with at least
/// nine digits ("jan@example.nl | +31 6 12345678", "Tel.: 0171 2345678").
fn phone_in(line: &str) -> Option<String> {
    line.split(|c: char| !(c.is_ascii_digit() || " +-()/.".contains(c)))
        .map(|run| run.trim_matches(|c: char| !(c.is_ascii_digit() || c == '+' || c == '(')))
        .filter(|run| run.chars().filter(char::is_ascii_digit).count() >= 9)
        .max_by_key(|run| run.len())
        .map(str::to_owned)
}

/// Contact details from the lines above the first section, and the lines they were on.
fn contact<'a>(lines: &[&'a str]) -> (Contact, Vec<&'a str>) {
    let mut c = Contact::default();
    let mut used = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).take(12) {
        if c.email.is_none()
            && let Some(word) = line.split_whitespace().find(|w| w.contains('@') && w.contains('.'))
        {
            c.email = Some(word.trim_matches(|ch: char| ch == ',' || ch == ';' || ch == '<' || ch == '>').to_owned());
            // One line often carries both: "E-Mail: a@b.de  Tel.: 0171 2345678".
            if c.phone.is_none() {
                c.phone = phone_in(&line.replace(word, " "));
            }
            used.push(line);
            continue;
        }
        let digits = line.chars().filter(char::is_ascii_digit).count();
        if c.phone.is_none()
            && digits >= 9
            && line
                .chars()
                .all(|ch| ch.is_ascii_digit() || " +-()/.".contains(ch) || ch.is_alphabetic() && line.len() < 30)
        {
            c.phone = Some(line.to_owned());
            used.push(line);
            continue;
        }
        let has_postcode =
            line.split_whitespace().any(|w| (w.len() == 4 || w.len() == 5) && w.chars().all(|ch| ch.is_ascii_digit()));
        if c.address.is_none() && has_postcode && digits <= 10 && line.chars().any(char::is_alphabetic) {
            c.address = Some(line.to_owned());
            used.push(line);
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if c.name.is_none()
            && (2..=5).contains(&words.len())
            && digits == 0
            && heading(line).is_none()
            && words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count() >= 2
        {
            c.name = Some(line.to_owned());
            used.push(line);
        }
    }
    (c, used)
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The byte ranges of the whitespace-separated words of `s`.
fn word_ranges(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push(st..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// In a work-history line, the dates (its first `date_words` words) and the employer (its
/// last words), as byte ranges of the line.
fn period_and_employer(line: &str, date_words: usize, employer: &str) -> Vec<Range<usize>> {
    let words = word_ranges(line);
    let mut spans = Vec::new();
    if let Some(last_date) = words.get(date_words.min(words.len()).saturating_sub(1))
        && date_words > 0
    {
        spans.push(0..last_date.end);
    }
    let employer_words = employer.split_whitespace().count();
    if employer_words > 0 && employer_words <= words.len().saturating_sub(date_words) {
        let first = &words[words.len() - employer_words];
        spans.push(first.start..line.len());
    }
    spans
}

/// Structure from a CV's text.
pub fn parse_text(text: &str, today: YearMonth) -> ParsedCv {
    let lines: Vec<&str> = text.lines().collect();
    let mut section = Section::Top;
    let (mut work, mut education, mut languages, mut warnings) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut top = Vec::new();
    let mut not_skills = Vec::new();
    for line in &lines {
        let trimmed = line.trim().trim_start_matches(['-', '*', '•']).trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(s) = heading(trimmed) {
            section = s;
            continue;
        }
        match section {
            Section::Top => top.push(*line),
            Section::Work => {
                if let Some((start, end, rest, date_words)) = period(trimmed) {
                    if end.is_some_and(|e| e < start) {
                        warnings.push(format!("a job ends before it starts: {trimmed}"));
                        continue;
                    }
                    let (title, employer) = split_title_employer(&rest);
                    let at = offset_in(text, trimmed);
                    not_skills.extend(
                        period_and_employer(trimmed, date_words, &employer)
                            .into_iter()
                            .map(|r| r.start + at..r.end + at),
                    );
                    work.push(Job { title, employer, start, end, months: months(start, end, today) });
                }
            }
            Section::Education => {
                let year = trimmed
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|w| w.len() == 4)
                    .filter_map(|w| w.parse::<u32>().ok())
                    .filter(|y| (1950..=2100).contains(y))
                    .max();
                let description = trimmed
                    .rsplit(':')
                    .next()
                    .unwrap_or(trimmed)
                    .trim_matches(|c: char| c.is_ascii_digit() || " -–,".contains(c))
                    .to_owned();
                let (degree, institution) = split_title_employer(&description);
                education.push(Education { level: education_level(trimmed), degree, institution, year });
            }
            Section::Languages => {
                if let Some(l) = language_line(trimmed)
                    && !languages.iter().any(|x: &LanguageSkill| x.language == l.language)
                {
                    languages.push(l);
                }
            }
            Section::Other => {}
        }
    }
    let periods: Vec<(YearMonth, Option<YearMonth>)> = work.iter().map(|j| (j.start, j.end)).collect();
    if work.is_empty() {
        warnings.push("no dated work experience found".into());
    }
    let (contact, contact_lines) = contact(&top);
    not_skills.extend(contact_lines.into_iter().map(|l| offset_in(text, l)..offset_in(text, l) + l.len()));
    not_skills.sort_by_key(|r| r.start);
    ParsedCv {
        format: "text",
        language: detect_language(text),
        text: text.to_owned(),
        contact,
        not_skills,
        experience_months: union_months(&periods, today),
        work,
        education,
        languages,
        warnings,
    }
}

#[cfg(test)]
mod tests;
