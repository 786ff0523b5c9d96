//! Words of a text for ranking: Unicode tokens, case folding, a light stemmer per language that
//! strips inflections only (so that it never joins words of different meaning), stop words, and
//! the tokens that are no skill evidence — names of people, employers and places, dates and
//! numbers.

use std::ops::Range;

use hrmesh_kit::locale::fold;

use crate::lang::Lang;

/// Longest word that is stemmed or split; longer runs of letters are no word.
pub const MAX_WORD_CHARS: usize = 48;

/// One word of the text.
#[derive(Debug, Clone)]
pub struct Word {
    /// Byte span in the text.
    pub span: Range<usize>,
    /// Lower-cased, accents folded ("Schweißen" → "schweissen").
    pub folded: String,
    /// Starts with an upper-case letter.
    pub capitalised: bool,
    /// First word of a sentence or line (capitals there say nothing).
    pub sentence_start: bool,
    /// Written in capitals only, at least two letters (HACCP, SQL, VCA).
    pub acronym: bool,
    /// Whether the word may be skill evidence (not a stop word, name, date or number).
    pub evidence: bool,
}

/// Words: runs of letters and digits, keeping a trailing `+`/`#` (C++, C#) and inner `.`/`/`
/// between letters out (".NET" stays "net", "CI/CD" is two words).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut sentence_start = true;
    let mut iter = text.char_indices().peekable();
    let push = |s: usize, e: usize, out: &mut Vec<Word>, sentence_start: &mut bool| {
        let original = &text[s..e];
        let overlong = original.chars().count() > MAX_WORD_CHARS;
        let folded = if overlong { String::new() } else { fold(original) };
        let capitalised = original.chars().next().is_some_and(char::is_uppercase);
        let acronym = original.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && original.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
        out.push(Word {
            span: s..e,
            folded,
            capitalised,
            sentence_start: *sentence_start,
            acronym,
            evidence: !overlong,
        });
        *sentence_start = false;
    };
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let mut end = i;
            if c == '+' || c == '#' {
                end = i + c.len_utf8();
                while let Some(&(j, '+')) = iter.peek() {
                    end = j + 1;
                    iter.next();
                }
            }
            push(s, end, &mut out, &mut sentence_start);
        }
        if matches!(c, '.' | '!' | '?' | '\n' | ':' | ';' | '•' | '-' | '*') && !next_is_alphanumeric(text, i, c) {
            sentence_start = true;
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out, &mut sentence_start);
    }
    out
}

/// A hyphen or dot inside a word ("e-mail", "3.5") does not end a sentence.
fn next_is_alphanumeric(text: &str, i: usize, c: char) -> bool {
    matches!(c, '-' | '.') && text[i + c.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric)
}

/// English -ing nouns whose bare verb names something else (market, account, train, build).
const EN_KEEP: [&str; 24] = [
    "marketing",
    "accounting",
    "training",
    "banking",
    "building",
    "housing",
    "clothing",
    "meeting",
    "setting",
    "spring",
    "string",
    "ceiling",
    "evening",
    "morning",
    "during",
    "bearing",
    "learning",
    "hearing",
    "catering",
    "news",
    "series",
    "species",
    "business",
    "nothing",
];

/// The light stem of a folded word in `lang`: inflectional endings (plural, case, verb person
/// and tense, adjective endings) removed, derivational ones kept, so "welders"/"welder" and
/// "lassen"/"las" join but "marketing"/"market" and "Ausbildung"/"Ausbilder" do not.
pub fn stem(lang: Lang, folded: &str) -> String {
    let n = folded.chars().count();
    if n <= 3 || folded.chars().any(|c| c.is_ascii_digit() || c == '+' || c == '#') {
        return folded.to_owned();
    }
    let mut w = folded.to_owned();
    match lang {
        Lang::En => {
            if EN_KEEP.contains(&folded) {
                return w;
            }
            if let Some(b) = w.strip_suffix("'s") {
                w = b.to_owned();
            }
            if let Some(b) = w.strip_suffix("ies").filter(|b| b.len() >= 3) {
                w = format!("{b}y");
            } else if w.ends_with("sses") || w.ends_with("shes") || w.ends_with("ches") || w.ends_with("xes") {
                w.truncate(w.len() - 2);
            } else if w.ends_with('s') && !["ss", "us", "is", "ys", "os"].iter().any(|e| w.ends_with(e)) {
                w.pop();
            }
            if let Some(b) = w.strip_suffix("ing").filter(|b| b.len() >= 3 && has_vowel(b)) {
                w = b.to_owned();
            } else if let Some(b) = w.strip_suffix("ed").filter(|b| b.len() >= 3 && has_vowel(b) && !b.ends_with('e')) {
                w = b.to_owned();
            } else if let Some(b) = w.strip_suffix("ied").filter(|b| b.len() >= 3) {
                w = format!("{b}y");
            }
            if w.len() >= 5 && w.ends_with('e') && !w.ends_with("ee") {
                w.pop();
            }
        }
        Lang::Nl => {
            if let Some(b) = w.strip_suffix("'s") {
                w = b.to_owned();
            }
            for end in ["ende", "eden", "ten", "den", "en", "te", "de", "es", "s", "e"] {
                if let Some(b) = w.strip_suffix(end).filter(|b| b.chars().count() >= 3 && has_vowel(b)) {
                    // -te/-de are past tense only after a consonant ("werkte", "bouwde").
                    if matches!(end, "te" | "de" | "ten" | "den")
                        && (b.chars().count() < 4 || b.ends_with(|c: char| "aeiou".contains(c)))
                    {
                        continue;
                    }
                    w = b.to_owned();
                    break;
                }
            }
            // Dutch writes a long vowel double in a closed syllable only (taak / taken).
            w = w.replace("aa", "a").replace("ee", "e").replace("oo", "o").replace("uu", "u");
        }
        Lang::De => {
            if w.ends_with("nis") {
                return w;
            }
            if let Some(b) = w.strip_suffix("nisse").or_else(|| w.strip_suffix("nissen")) {
                return format!("{b}nis");
            }
            // A stem keeps four letters: "Lager" (warehouse) and "Lage" (location) stay apart.
            for end in ["eten", "ete", "ern", "en", "er", "es", "em", "te", "e", "s", "n"] {
                if let Some(b) = w.strip_suffix(end).filter(|b| b.chars().count() >= 4 && has_vowel(b)) {
                    if matches!(end, "te" | "ete" | "eten") && b.chars().count() < 4 {
                        continue;
                    }
                    if end == "n" && !b.ends_with(['e', 'l', 'r']) {
                        continue;
                    }
                    w = b.to_owned();
                    break;
                }
            }
        }
    }
    undouble(&mut w);
    w
}

fn has_vowel(w: &str) -> bool {
    w.chars().any(|c| "aeiouy".contains(c))
}

/// "install"/"installing", "plannen"/"plan", "Flotte"/"Flotten": one final consonant.
fn undouble(w: &mut String) {
    let mut tail = w.chars().rev();
    if let (Some(a), Some(b)) = (tail.next(), tail.next())
        && a == b
        && a.is_alphabetic()
        && !"aeiouy".contains(a)
        && w.chars().count() > 3
    {
        w.pop();
    }
}

/// Function words of nl/de/en (folded): never evidence.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

/// Sorted; checked by a test.
static STOP_WORDS: [&str; 274] = [
    "a", "aan", "about", "after", "al", "all", "als", "also", "am", "an", "and", "andere", "anderen", "any", "are",
    "as", "at", "auch", "auf", "aus", "be", "been", "bei", "ben", "bent", "bij", "bin", "binnen", "bis", "both", "but",
    "by", "can", "could", "da", "daar", "dabei", "dadurch", "dafur", "daher", "dan", "dann", "dar", "das", "dass",
    "dat", "de", "dem", "den", "denen", "der", "deren", "des", "deze", "die", "dies", "diese", "diesem", "diesen",
    "dieser", "dit", "do", "doch", "door", "du", "durch", "each", "een", "eens", "eigen", "ein", "eine", "einem",
    "einen", "einer", "eines", "elk", "elke", "en", "er", "es", "etc", "etwa", "every", "for", "from", "fur", "ganz",
    "ganzen", "gegen", "geweest", "goed", "good", "great", "gut", "gute", "guten", "had", "has", "have", "he", "heb",
    "hebben", "heeft", "heel", "her", "het", "hier", "him", "his", "hun", "i", "ich", "ihm", "ihn", "ihnen", "ihr",
    "ihre", "ihren", "ik", "im", "in", "into", "is", "ist", "it", "its", "je", "jij", "jou", "jouw", "jullie", "kan",
    "kann", "kon", "konnen", "kunnen", "kunt", "maar", "man", "me", "meer", "mehr", "mein", "meine", "met", "mij",
    "mijn", "mir", "mit", "more", "most", "much", "my", "na", "naar", "nach", "neben", "new", "nieuwe", "noch", "nog",
    "nun", "nur", "ob", "oder", "of", "ok", "om", "on", "onder", "ons", "onze", "ook", "op", "or", "other", "our",
    "out", "over", "per", "sehr", "sein", "seine", "seit", "sich", "sie", "sind", "sinds", "so", "some", "sowie",
    "such", "te", "tegen", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "tot", "u", "uber", "uit", "um", "und", "uns", "unser", "unsere", "unserer", "unter", "up", "us",
    "uw", "van", "veel", "very", "vom", "von", "voor", "vor", "waar", "war", "waren", "was", "wat", "we", "wel",
    "welche", "well", "wer", "werd", "werden", "were", "what", "when", "where", "which", "who", "wie", "wij", "will",
    "wir", "wird", "with", "within", "word", "worden", "wordt", "would", "you", "your", "z", "zal", "ze", "zich",
    "zie", "zij", "zijn", "zo", "zu", "zum", "zur", "zwei", "zwischen", "één",
];

/// Month names and date words (folded, nl/de/en): dates are no skill evidence.
const MONTHS: [&str; 38] = [
    "januari",
    "januar",
    "january",
    "jan",
    "februari",
    "februar",
    "february",
    "feb",
    "maart",
    "marz",
    "march",
    "april",
    "apr",
    "mei",
    "mai",
    "may",
    "juni",
    "june",
    "juli",
    "july",
    "augustus",
    "august",
    "aug",
    "september",
    "sept",
    "sep",
    "oktober",
    "october",
    "okt",
    "oct",
    "november",
    "nov",
    "december",
    "dezember",
    "dec",
    "dez",
    "heden",
    "present",
];

/// Common given names in the Netherlands, Belgium, Germany and English-speaking countries
/// (folded, sorted): a capitalised word next to one is a name even where a label has it.
static GIVEN_NAMES: [&str; 96] = [
    "alex",
    "ali",
    "amy",
    "andreas",
    "anja",
    "anna",
    "anne",
    "bart",
    "ben",
    "bram",
    "charlotte",
    "chris",
    "christian",
    "claudia",
    "daan",
    "daniel",
    "david",
    "dennis",
    "dirk",
    "emily",
    "emma",
    "eva",
    "fatima",
    "finn",
    "frank",
    "hannah",
    "hans",
    "ingrid",
    "jack",
    "james",
    "jan",
    "jana",
    "jasper",
    "jeroen",
    "jessica",
    "john",
    "jonas",
    "joost",
    "julia",
    "jurgen",
    "karin",
    "kees",
    "kevin",
    "klaus",
    "lars",
    "laura",
    "lea",
    "lena",
    "lisa",
    "lotte",
    "luca",
    "lucas",
    "lukas",
    "marco",
    "maria",
    "mark",
    "markus",
    "martin",
    "max",
    "mehmet",
    "michael",
    "mohammed",
    "monika",
    "noah",
    "oliver",
    "paul",
    "peter",
    "petra",
    "piet",
    "ralf",
    "robert",
    "ruben",
    "sabine",
    "sam",
    "samira",
    "sander",
    "sanne",
    "sara",
    "sarah",
    "sebastian",
    "simon",
    "sofie",
    "sophie",
    "stefan",
    "stefanie",
    "sven",
    "thijs",
    "thomas",
    "tim",
    "tobias",
    "tom",
    "ursula",
    "willem",
    "wim",
    "wolfgang",
    "yusuf",
];

/// Titles before a person's name.
const TITLES: [&str; 14] =
    ["mr", "mrs", "ms", "dr", "prof", "dhr", "mevr", "mevrouw", "meneer", "heer", "herr", "frau", "sir", "madam"];

/// Legal forms after an employer's name.
const LEGAL_FORMS: [&str; 14] =
    ["bv", "b", "nv", "gmbh", "ag", "kg", "ltd", "inc", "llc", "plc", "se", "vof", "ug", "co"];

/// Words before an employer or place: a capitalised word after them names one ("at Shell",
/// "bij Philips", "von Siemens"). Not "in": "in Azure", "in Exact Online" name tools.
const BEFORE_NAME: [&str; 10] = ["at", "bij", "for", "from", "voor", "fur", "von", "van", "aus", "near"];

/// Marks the words that are no skill evidence: stop words, numbers and dates, and names of
/// people, employers and places. `known` tells whether a folded word occurs in any label: a
/// capitalised word no label has is a name, and makes the capitalised words next to it names
/// too ("Jan Bakker", "Spedition Müller"); a capitalised word after a title, before a legal
/// form or (outside German, where every noun is capitalised) after "at"/"bij"/"in" is a name
/// even when a label has it ("Mr Baker", "at Shell").
pub fn mark_evidence(words: &mut [Word], lang: Lang, known: impl Fn(&str) -> bool) {
    let n = words.len();
    let mut name = vec![false; n];
    for i in 0..n {
        let w = &words[i];
        if w.folded.is_empty() {
            continue;
        }
        let digits = w.folded.chars().any(|c| c.is_ascii_digit());
        if is_stop_word(&w.folded) || MONTHS.contains(&w.folded.as_str()) || (digits && !known(&w.folded)) {
            words[i].evidence = false;
            continue;
        }
        if !w.capitalised {
            continue;
        }
        let prev = i.checked_sub(1).map(|p| words[p].folded.as_str());
        let next = words.get(i + 1).map(|x| x.folded.as_str());
        let after_title = prev.is_some_and(|p| TITLES.contains(&p));
        let before_legal = next.is_some_and(|x| LEGAL_FORMS.contains(&x)) && words[i + 1].capitalised;
        // An acronym after "van"/"of" is what is known ("kennis van HACCP"), not whom.
        let after_preposition =
            lang != Lang::De && !w.sentence_start && !w.acronym && prev.is_some_and(|p| BEFORE_NAME.contains(&p));
        let unknown = !w.sentence_start && !known(&w.folded) && lang != Lang::De;
        if after_title || before_legal || after_preposition || unknown {
            name[i] = true;
        }
    }
    // A capitalised word joined to a name, or to a capitalised word no label has, is part of a
    // name ("Jan Bakker", "Anna Schneider", "Spedition Müller", "Jan de Vries Transport").
    // A sentence's first word is capitalised anyway (German CV lines start with a verb:
    // "Schrieb Python-Skripte"), so there only a given name counts.
    let unknown = |j: usize| {
        let w = &words[j];
        w.capitalised
            && !w.folded.is_empty()
            && ((!w.sentence_start && !known(&w.folded)) || GIVEN_NAMES.binary_search(&w.folded.as_str()).is_ok())
    };
    for _ in 0..2 {
        for i in 0..n {
            if name[i] || !words[i].capitalised || words[i].folded.is_empty() {
                continue;
            }
            let left = i > 0 && adjacent(words, i - 1, i) && (name[i - 1] || unknown(i - 1));
            let right = i + 1 < n && adjacent(words, i, i + 1) && (name[i + 1] || unknown(i + 1));
            if left || right {
                name[i] = true;
            }
        }
    }
    for (w, is_name) in words.iter_mut().zip(name) {
        if is_name {
            w.evidence = false;
        }
    }
}

/// Two words separated by spaces only (not by a comma or a line).
fn adjacent(words: &[Word], a: usize, b: usize) -> bool {
    words[a].span.end + 1 >= words[b].span.start
}
