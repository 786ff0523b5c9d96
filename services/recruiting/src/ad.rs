//! Requirements read from a job advertisement's text: which parts of the ad state requirements
//! (not the company intro or what is offered), whether a mention is nice-to-have, the minimum
//! years of experience and the education level asked for. Dutch, German and English.
//!
//! Pure functions: the skills service finds the skills, these decide what they mean.

use std::ops::Range;

/// Phrases by which an advertisement marks a requirement as nice-to-have (nl, de, en); they
/// match whole words anywhere in the sentence, before or after the skill.
const NICE_CUES: [&str; 31] = [
    "pre",
    "pré",
    "een pre",
    "pluspunt",
    "een plus",
    "bij voorkeur",
    "strekt tot aanbeveling",
    "is mooi meegenomen",
    "wünschenswert",
    "von vorteil",
    "ein plus",
    "ist ein plus",
    "idealerweise",
    "vorteilhaft",
    "wäre schön",
    "nice to have",
    "a plus",
    "an advantage",
    "advantageous",
    "preferred",
    "preferably",
    "desirable",
    "bonus",
    "optioneel",
    "optional",
    "wenn möglich",
    "gewenst",
    "is een voordeel",
    "een voordeel",
    "ideally",
    "bonuspunt",
];

/// What a part of an advertisement is about, by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Before the first recognised heading.
    Preamble,
    /// Who the candidate should be: requirements, profile.
    Requirements,
    /// What the job involves.
    Tasks,
    /// The company introducing itself.
    Intro,
    /// Pay, benefits, what the employer offers.
    Offer,
    /// How to apply, contact.
    Apply,
}

const HEADINGS: [(Kind, &[&str]); 5] = [
    (
        Kind::Intro,
        &[
            "wie zijn wij",
            "wie zijn we",
            "wie wij zijn",
            "wie we zijn",
            "over ons",
            "over het bedrijf",
            "het bedrijf",
            "onze organisatie",
            "de organisatie",
            "über uns",
            "wer wir sind",
            "wer sind wir",
            "das unternehmen",
            "unternehmen",
            "unser unternehmen",
            "about us",
            "who we are",
            "the company",
            "about the company",
            "our company",
        ],
    ),
    (
        Kind::Offer,
        &[
            "wat bieden wij",
            "wat bieden we",
            "wat wij bieden",
            "wat we bieden",
            "wij bieden",
            "ons aanbod",
            "arbeidsvoorwaarden",
            "wat krijg je",
            "wat krijg je ervoor terug",
            "wir bieten",
            "was wir bieten",
            "was wir ihnen bieten",
            "was wir dir bieten",
            "das bieten wir",
            "unser angebot",
            "what we offer",
            "we offer",
            "our offer",
            "benefits",
            "what's in it for you",
        ],
    ),
    (
        Kind::Apply,
        &[
            "solliciteren",
            "sollicitatie",
            "interesse",
            "contact",
            "bewerbung",
            "kontakt",
            "interesse geweckt",
            "how to apply",
            "apply",
            "interested",
        ],
    ),
    (
        Kind::Requirements,
        &[
            "wat vragen wij",
            "wat vragen we",
            "wat wij vragen",
            "wat we vragen",
            "functie-eisen",
            "functie eisen",
            "functie-eisen en vaardigheden",
            "jouw profiel",
            "profiel",
            "wie ben jij",
            "wie ben je",
            "wie zoeken wij",
            "wie zoeken we",
            "wat breng je mee",
            "wat neem je mee",
            "eisen",
            "vereisten",
            "ihr profil",
            "dein profil",
            "profil",
            "anforderungen",
            "das bringen sie mit",
            "das bringst du mit",
            "was sie mitbringen",
            "was du mitbringst",
            "qualifikation",
            "qualifikationen",
            "requirements",
            "your profile",
            "profile",
            "who you are",
            "what you bring",
            "qualifications",
            "what we're looking for",
            "what we are looking for",
            "what we ask",
        ],
    ),
    (
        Kind::Tasks,
        &[
            "wat ga je doen",
            "wat ga jij doen",
            "functieomschrijving",
            "de functie",
            "jouw taken",
            "taken",
            "werkzaamheden",
            "ihre aufgaben",
            "deine aufgaben",
            "aufgaben",
            "das erwartet sie",
            "das erwartet dich",
            "ihre tätigkeiten",
            "responsibilities",
            "your tasks",
            "what you'll do",
            "what you will do",
            "the role",
            "the job",
            "job description",
            "tasks",
        ],
    ),
];

/// The kind of section a line opens, when the line is a heading: a known phrase that is the
/// whole line or is followed by `:`, `?` or `!` (so "Wie zijn wij? Wij zijn …" opens the intro
/// but "Wir bieten Ihnen …" in a sentence does not).
fn heading(line: &str) -> Option<Kind> {
    let lower = line.trim().trim_start_matches(['#', '*', '-', '•', ' ', '\t']).to_lowercase();
    let lower = lower.trim_start_matches(['*', '_']);
    HEADINGS.iter().find_map(|(kind, phrases)| {
        phrases
            .iter()
            .any(|p| {
                lower.strip_prefix(p).is_some_and(|rest| {
                    let rest = rest.trim_start_matches(['*', '_']).trim_start();
                    rest.is_empty() || rest.starts_with([':', '?', '!'])
                })
            })
            .then_some(*kind)
    })
}

/// The parts of an advertisement that state requirements, as byte ranges of the text.
pub fn requirement_spans(ad: &str) -> Vec<Range<usize>> {
    let mut sections: Vec<(Kind, Range<usize>)> = vec![(Kind::Preamble, 0..0)];
    let mut offset = 0;
    for line in ad.split_inclusive('\n') {
        if let Some(kind) = heading(line) {
            sections.push((kind, offset..offset));
        }
        offset += line.len();
        if let Some((_, range)) = sections.last_mut() {
            range.end = offset;
        }
    }
    let has_requirement_heading = sections.iter().any(|(k, _)| matches!(k, Kind::Requirements | Kind::Tasks));
    sections
        .into_iter()
        .filter(|(kind, _)| match kind {
            Kind::Requirements | Kind::Tasks => true,
            // Without a requirements heading the requirements are wherever the ad does not
            // say it is talking about the company or the offer.
            Kind::Preamble => !has_requirement_heading,
            Kind::Intro | Kind::Offer | Kind::Apply => false,
        })
        .map(|(_, range)| range)
        .filter(|r| !r.is_empty())
        .collect()
}

/// The advertisement with everything outside its requirement sections blanked with spaces, so
/// byte offsets into it are offsets into the advertisement.
pub fn requirement_text(ad: &str) -> String {
    let mut hidden = Vec::new();
    let mut from = 0;
    for keep in requirement_spans(ad) {
        hidden.push(from..keep.start);
        from = keep.end;
    }
    hidden.push(from..ad.len());
    crate::cv::blank(ad, &hidden)
}

/// The sentence of `text` around byte offset `at`, lower-cased.
pub fn sentence_around(text: &str, at: usize) -> String {
    let mut at = at.min(text.len());
    // Offsets come from another service; one inside a character must not panic.
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind(['.', '!', '?', '\n', ';']).map_or(0, |i| i + 1);
    let end = text[at..].find(['.', '!', '?', '\n', ';']).map_or(text.len(), |i| at + i);
    text[start..end].to_lowercase()
}

/// The words of a (lower-cased) text joined by single spaces and padded, for whole-word search.
fn padded_words(text: &str) -> String {
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    format!(" {} ", words.join(" "))
}

/// Whether a (lower-cased) sentence marks what it names as nice-to-have; cues match whole words.
pub fn is_nice_to_have(sentence: &str) -> bool {
    let padded = padded_words(sentence);
    NICE_CUES.iter().any(|cue| padded.contains(&format!(" {cue} ")))
}

/// The sentences and clauses of a text that do not mark what they name as nice-to-have: where
/// an ad's hard requirements are ("MBO 4 vereist, HBO is een pre" asks for MBO 4).
fn essential_sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', '\n', ';', ','])
        .filter(|s| !s.trim().is_empty())
        .filter(|s| !is_nice_to_have(&s.to_lowercase()))
}

const NUMBER_WORDS: [(&str, u32); 30] = [
    ("een", 1),
    ("één", 1),
    ("twee", 2),
    ("drie", 3),
    ("vier", 4),
    ("vijf", 5),
    ("zes", 6),
    ("tien", 10),
    ("ein", 1),
    ("einem", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("fünf", 5),
    ("sechs", 6),
    ("zehn", 10),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("ten", 10),
    ("zeven", 7),
    ("acht", 8),
    ("sieben", 7),
    ("seven", 7),
    ("eight", 8),
    ("negen", 9),
    ("nine", 9),
];
const YEAR_WORDS: [&str; 8] = ["jaar", "jaren", "jahr", "jahre", "jahren", "year", "years", "yrs"];
const MINIMUM_CUES: [&str; 9] =
    ["minimaal", "minimum", "min", "minstens", "minste", "tenminste", "mindestens", "wenigstens", "least"];
const EXPERIENCE_WORDS: [&str; 3] = ["ervaring", "erfahrung", "experience"];

/// A count of years at the start of a token: `3`, `3+`, `2-3` (the lower bound), `drei`.
fn years_count(token: &str) -> Option<(u32, bool)> {
    let plus = token.ends_with('+');
    let lower_bound = token.trim_end_matches('+').split(['-', '–']).next().unwrap_or_default();
    let n = lower_bound
        .parse::<u32>()
        .ok()
        .or_else(|| NUMBER_WORDS.iter().find(|(w, _)| *w == lower_bound).map(|(_, n)| *n))?;
    (1..=40).contains(&n).then_some((n, plus))
}

/// The minimum years of experience an advertisement asks for: "minimaal 3 jaar", "3+ jaar
/// werkervaring", "mindestens 2 Jahre", "at least 5 years". Counts of years that are neither
/// a minimum nor experience ("wij bestaan 25 jaar") and nice-to-have sentences do not count.
pub fn min_years(ad: &str) -> Option<u32> {
    let text = requirement_text(ad).to_lowercase();
    let mut best = None;
    for sentence in essential_sentences(&text) {
        let tokens: Vec<&str> =
            sentence.split(|c: char| c.is_whitespace() || ",:()/".contains(c)).filter(|t| !t.is_empty()).collect();
        for (i, token) in tokens.iter().enumerate() {
            let Some((n, plus)) = years_count(token) else { continue };
            if !tokens.get(i + 1).is_some_and(|t| YEAR_WORDS.contains(&t.trim_matches(|c: char| !c.is_alphabetic()))) {
                continue;
            }
            let near = |from: usize, to: usize, list: &[&str]| {
                tokens[from.min(tokens.len())..to.min(tokens.len())]
                    .iter()
                    .any(|t| list.iter().any(|w| t.trim_matches(|c: char| !c.is_alphabetic()).ends_with(w)))
            };
            let minimum = plus || near(i.saturating_sub(3), i, &MINIMUM_CUES);
            let experience = near(i.saturating_sub(4), i, &EXPERIENCE_WORDS) || near(i + 2, i + 6, &EXPERIENCE_WORDS);
            if minimum || experience {
                best = best.max(Some(n));
            }
        }
    }
    best
}

/// The education level (one of `jobs::EDUCATION`) a word of an advertisement names.
fn education_word(word: &str, next: &str, original: &str) -> Option<&'static str> {
    let level = match word {
        "phd" | "doctorate" | "promotion" | "gepromoveerd" => "doctorate",
        "master" | "masters" | "msc" | "universitair" => "master",
        // "wo" is also German for "where": only the Dutch abbreviation, or "wo-niveau".
        "wo" if original == "WO" || ["niveau", "opleiding", "diploma", "master"].contains(&next) => "master",
        "bachelor" | "bachelors" | "bsc" | "hbo" | "degree" | "hogeschool" | "fachhochschule" => "bachelor",
        w if w.ends_with("studium") || w.starts_with("hochschulabschluss") => "bachelor",
        "mbo" | "vocational" | "apprenticeship" | "gesellenbrief" | "meisterbrief" | "berufsabschluss" => "vocational",
        w if w.ends_with("ausbildung") => "vocational",
        "vmbo" | "havo" | "vwo" | "abitur" | "realschulabschluss" | "hauptschulabschluss" => "secondary",
        "high" if next == "school" => "secondary",
        "mittlere" if next == "reife" => "secondary",
        _ => return None,
    };
    Some(level)
}

/// The lowest education level an advertisement's requirements name ("MBO 4 of HBO" asks for
/// MBO), or `None` when they name none.
pub fn education(ad: &str) -> Option<&'static str> {
    let text = requirement_text(ad);
    essential_sentences(&text)
        .flat_map(|sentence| {
            let words: Vec<&str> = sentence.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            (0..words.len())
                .filter_map(|i| education_word(&lower[i], lower.get(i + 1).map_or("", String::as_str), words[i]))
                .collect::<Vec<_>>()
        })
        .min_by_key(|level| crate::jobs::education_rank(level))
}

#[cfg(test)]
mod tests;
