//! Skill extraction from free text in Dutch, German and English: labels and synonyms matched as
//! phrases over Snowball stems, Dutch/German compounds split against the vocabulary, the
//! longest match winning, and mentions that are negated ("geen ervaring met SAP"), only wished
//! for ("wil graag leren lassen") or explicitly not required set apart with the words that
//! caused it. Every hit carries its evidence span (byte offsets into the original text).

use std::{collections::HashMap, ops::Range};

use rust_stemmers::{Algorithm, Stemmer};

use crate::{
    lang::Lang,
    taxonomy::{Origin, SkillIx, Term},
};

/// How a mention was matched; drives its confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Exact,
    Synonym,
    Stemmed,
    Compound,
    OtherLanguage,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Synonym => "synonym",
            MatchKind::Stemmed => "stemmed",
            MatchKind::Compound => "compound",
            MatchKind::OtherLanguage => "other_language",
        }
    }

    fn confidence(self) -> f32 {
        match self {
            MatchKind::Exact => 0.95,
            MatchKind::Synonym => 0.9,
            MatchKind::Stemmed => 0.85,
            MatchKind::Compound => 0.75,
            MatchKind::OtherLanguage => 0.7,
        }
    }
}

/// Why a mention does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    Negated,
    Intent,
    NotRequired,
}

impl Exclusion {
    pub fn as_str(self) -> &'static str {
        match self {
            Exclusion::Negated => "negated",
            Exclusion::Intent => "intent",
            Exclusion::NotRequired => "not_required",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub skill: SkillIx,
    pub span: Range<usize>,
    pub evidence: String,
    pub confidence: f32,
    pub how: MatchKind,
    pub mentions: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    pub skill: SkillIx,
    pub span: Range<usize>,
    pub evidence: String,
    pub reason: Exclusion,
    pub cue: String,
}

#[derive(Debug, Clone)]
pub struct Extraction {
    pub lang: Lang,
    pub hits: Vec<Hit>,
    pub excluded: Vec<Excluded>,
}

/// A term in the index: the stems after the first, and how to treat a match.
#[derive(Debug, Clone)]
struct Entry {
    rest: Box<[Box<str>]>,
    /// Folded surface tokens, to tell an exact match from a stemmed one.
    surface: Box<[Box<str>]>,
    skill: SkillIx,
    preferred: bool,
    origin: Origin,
    /// Short acronym-like label (SAP, VCA, Rust): the text must show it capitalised too.
    case_sensitive: Option<Box<str>>,
}

/// Immutable and shared: built once per taxonomy.
pub struct Extractor {
    /// Per language: first stem → terms starting with it.
    index: [HashMap<Box<str>, Vec<Entry>>; 3],
    stemmers: [Stemmer; 3],
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let terms: usize = self.index.iter().map(|i| i.values().map(Vec::len).sum::<usize>()).sum();
        f.debug_struct("Extractor").field("terms", &terms).finish()
    }
}

fn stemmer(lang: Lang) -> Stemmer {
    Stemmer::create(match lang {
        Lang::En => Algorithm::English,
        Lang::Nl => Algorithm::Dutch,
        Lang::De => Algorithm::German,
    })
}

/// Lower-case with diacritics folded (ß → ss, ä → a, é → e) for matching.
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ß' => out.push_str("ss"),
            'ä' | 'à' | 'á' | 'â' | 'ã' | 'å' => out.push('a'),
            'ö' | 'ò' | 'ó' | 'ô' | 'õ' | 'ø' => out.push('o'),
            'ü' | 'ù' | 'ú' | 'û' => out.push('u'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'ï' | 'í' | 'ì' | 'î' | 'ı' => out.push('i'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => out.push(c),
        }
    }
    out
}

/// A token of the text: its byte span, original text and folded form.
#[derive(Debug, Clone)]
struct Token<'a> {
    span: Range<usize>,
    original: &'a str,
    folded: String,
}

/// Words: runs of letters and digits, keeping a trailing `+`/`#` (C++, C#).
fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start {
            let mut end = i;
            if c == '+' || c == '#' {
                end = i + c.len_utf8();
                while let Some(&(j, d)) = iter.peek() {
                    if d != '+' {
                        break;
                    }
                    end = j + 1;
                    iter.next();
                }
            }
            let original = &text[s..end];
            tokens.push(Token { span: s..end, original, folded: fold(original) });
            start = None;
        }
    }
    if let Some(s) = start {
        let original = &text[s..];
        tokens.push(Token { span: s..text.len(), original, folded: fold(original) });
    }
    tokens
}

fn stem(stemmer: &Stemmer, folded: &str) -> Box<str> {
    if folded.chars().any(|c| c.is_ascii_digit() || c == '+' || c == '#') || folded.chars().count() <= 3 {
        folded.into()
    } else {
        stemmer.stem(folded).into()
    }
}

/// Words that make a compound's other part a skill mention ("heftruck|certificaat").
const COMPOUND_PARTS: [&str; 32] = [
    "certificaat",
    "diploma",
    "ervaring",
    "kennis",
    "cursus",
    "opleiding",
    "vaardigheid",
    "vaardigheden",
    "werk",
    "werkzaamheden",
    "bewijs",
    "pas",
    "schein",
    "erfahrung",
    "kenntnisse",
    "kenntnis",
    "prufung",
    "zertifikat",
    "kurs",
    "ausbildung",
    "fuhrerschein",
    "lehrgang",
    "arbeiten",
    "tatigkeit",
    "certificate",
    "experience",
    "skills",
    "training",
    "license",
    "licence",
    "lasser",
    "chauffeur",
];

const NEGATIONS: [&str; 25] = [
    "geen", "niet", "niets", "nichts", "nothing", "zonder", "nooit", "noch", "kein", "keine", "keinen", "keiner",
    "keinem", "keines", "nicht", "ohne", "nie", "weder", "no", "not", "without", "never", "lacks", "lacking",
    "neither",
];
/// Phrases after a mention that say it is not required.
const NOT_REQUIRED: [&str; 10] = [
    "niet vereist",
    "niet nodig",
    "geen vereiste",
    "niet noodzakelijk",
    "nicht erforderlich",
    "nicht notwendig",
    "nicht notig",
    "nicht vorausgesetzt",
    "not required",
    "not necessary",
];
/// Phrases anywhere in the clause that make a mention a wish or a plan, not a skill.
const INTENT: [&str; 24] = [
    "wil graag",
    "zou graag",
    "would love",
    "graag leren",
    "wil leren",
    "interesse in",
    "leiden wij je op",
    "wij leiden je op",
    "leiden je op",
    "leren",
    "lernen",
    "mochte",
    "interesse an",
    "bilden wir",
    "wir bilden",
    "geplant",
    "would like",
    "want to learn",
    "interested in",
    "we will train",
    "we train",
    "plan to",
    "learn",
    "learning",
];
/// Words that open a new clause for negation scope.
const CONTRAST: [&str; 10] =
    ["maar", "wel", "echter", "aber", "sondern", "jedoch", "doch", "but", "however", "whereas"];

const STOPWORDS: [(Lang, &[&str]); 3] = [
    (
        Lang::Nl,
        &[
            "de", "het", "een", "en", "van", "ik", "je", "met", "op", "voor", "is", "zijn", "heb", "als", "wij", "bij",
            "te", "aan", "geen", "niet", "ervaring", "jaar", "wel", "ook",
        ],
    ),
    (
        Lang::De,
        &[
            "der",
            "die",
            "das",
            "und",
            "ich",
            "mit",
            "fur",
            "ist",
            "sind",
            "ein",
            "eine",
            "einen",
            "im",
            "bei",
            "wir",
            "zu",
            "auf",
            "nicht",
            "kein",
            "keine",
            "erfahrung",
            "jahre",
            "sie",
            "auch",
        ],
    ),
    (
        Lang::En,
        &[
            "the",
            "and",
            "of",
            "with",
            "for",
            "is",
            "are",
            "a",
            "an",
            "in",
            "on",
            "i",
            "we",
            "you",
            "to",
            "at",
            "experience",
            "years",
            "no",
            "not",
            "as",
            "have",
            "also",
            "our",
        ],
    ),
];

/// Precision, recall and F1 counts per language over (sentence, skill) pairs.
#[derive(Debug, Default, Clone)]
pub struct Scores {
    /// Per language: (true positives, false positives, false negatives).
    pub counts: [(usize, usize, usize); 3],
    /// (language, sentence, false positives, false negatives).
    pub errors: Vec<(Lang, String, Vec<String>, Vec<String>)>,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp == 0 { 1.0 } else { tp as f64 / (tp + fp) as f64 };
    let r = if tp + fn_ == 0 { 1.0 } else { tp as f64 / (tp + fn_) as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

impl Scores {
    pub fn language(&self, lang: Lang) -> (f64, f64, f64) {
        let (tp, fp, fn_) = self.counts[lang.index()];
        prf(tp, fp, fn_)
    }

    pub fn overall(&self) -> (f64, f64, f64) {
        let sum = self.counts.iter().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        prf(sum.0, sum.1, sum.2)
    }
}

/// Scores the extractor on a labelled set (`lang<TAB>text<TAB>expected ids|…<TAB>note`, `#` comments).
pub fn evaluate(t: &crate::taxonomy::Taxonomy, x: &Extractor, tsv: &str) -> Scores {
    let mut scores = Scores::default();
    for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(lang), Some(text)) = (f.first().and_then(|l| Lang::parse(l)), f.get(1)) else { continue };
        let expected: Vec<&str> =
            f.get(2).map(|e| e.split('|').filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        let found: Vec<String> = x.extract(text, None).hits.iter().map(|h| t.get(h.skill).id.clone()).collect();
        let c = &mut scores.counts[lang.index()];
        let fps: Vec<String> = found.iter().filter(|s| !expected.contains(&s.as_str())).cloned().collect();
        let fns: Vec<String> =
            expected.iter().filter(|s| !found.iter().any(|f| f == *s)).map(|s| (*s).to_owned()).collect();
        c.0 += found.len() - fps.len();
        c.1 += fps.len();
        c.2 += fns.len();
        if !fps.is_empty() || !fns.is_empty() {
            scores.errors.push((lang, (*text).to_owned(), fps, fns));
        }
    }
    scores
}

/// The language with most stop words in the text (English when none).
pub fn detect(text: &str) -> Lang {
    let mut counts = [0usize; 3];
    for t in tokenize(text).iter().take(2000) {
        for (lang, words) in STOPWORDS {
            if words.contains(&t.folded.as_str()) {
                counts[lang.index()] += 1;
            }
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], usize::from(i == 0))).unwrap_or(0);
    Lang::ALL[best]
}

/// A candidate match before overlap resolution.
#[derive(Debug, Clone)]
struct Candidate {
    skill: SkillIx,
    first: usize,
    last: usize,
    how: MatchKind,
    origin: Origin,
}

impl Extractor {
    pub fn new<'a>(terms: impl IntoIterator<Item = Term<'a>>) -> Self {
        let stemmers = [stemmer(Lang::En), stemmer(Lang::Nl), stemmer(Lang::De)];
        let mut index: [HashMap<Box<str>, Vec<Entry>>; 3] = Default::default();
        for term in terms {
            let tokens = tokenize(term.text);
            if tokens.is_empty() || tokens.len() > 8 {
                continue;
            }
            let st = &stemmers[term.lang.index()];
            let stems: Vec<Box<str>> = tokens.iter().map(|t| stem(st, &t.folded)).collect();
            let case_sensitive = (tokens.len() == 1
                && tokens[0].original.chars().count() <= 4
                && tokens[0].original.chars().any(char::is_uppercase))
            .then(|| tokens[0].original.into());
            let entry = Entry {
                rest: stems[1..].into(),
                surface: tokens.iter().map(|t| t.folded.as_str().into()).collect(),
                skill: term.skill,
                preferred: term.preferred,
                origin: term.origin,
                case_sensitive,
            };
            let bucket = index[term.lang.index()].entry(stems[0].clone()).or_default();
            if !bucket.iter().any(|e| e.skill == entry.skill && e.rest == entry.rest) {
                bucket.push(entry);
            }
        }
        Self { index, stemmers }
    }

    pub fn extract(&self, text: &str, hint: Option<Lang>) -> Extraction {
        let lang = hint.unwrap_or_else(|| detect(text));
        let tokens = tokenize(text);
        let stems: [Vec<Box<str>>; 3] =
            std::array::from_fn(|l| tokens.iter().map(|t| stem(&self.stemmers[l], &t.folded)).collect());
        let mut candidates = Vec::new();
        for i in 0..tokens.len() {
            for other in Lang::ALL {
                let primary = other == lang;
                self.match_at(&tokens, &stems[other.index()], i, other, primary, &mut candidates);
            }
            self.compound_at(&tokens, &stems[lang.index()], i, lang, &mut candidates);
        }
        // Longest match wins; among equal spans the better kind, then the earlier one.
        candidates.sort_by(|a, b| {
            (b.last - b.first).cmp(&(a.last - a.first)).then(a.first.cmp(&b.first)).then(a.how.cmp(&b.how))
        });
        let mut taken = vec![false; tokens.len()];
        let mut chosen: Vec<Candidate> = Vec::new();
        for c in candidates {
            if (c.first..=c.last).any(|t| taken[t]) {
                continue;
            }
            taken[c.first..=c.last].iter_mut().for_each(|t| *t = true);
            chosen.push(c);
        }
        chosen.sort_by_key(|c| c.first);
        let clauses = clause_ids(text, &tokens);
        let mut hits: Vec<Hit> = Vec::new();
        let mut excluded: Vec<Excluded> = Vec::new();
        for c in chosen {
            let span = tokens[c.first].span.start..tokens[c.last].span.end;
            let evidence = text[span.clone()].to_owned();
            match context(&tokens, &clauses, c.first, c.last) {
                Some((reason, cue)) => {
                    if !excluded.iter().any(|x| x.skill == c.skill) {
                        excluded.push(Excluded { skill: c.skill, span, evidence, reason, cue });
                    }
                }
                None => {
                    let mut confidence = c.how.confidence();
                    if c.origin == Origin::Esco {
                        confidence *= 0.9;
                    }
                    match hits.iter_mut().find(|h| h.skill == c.skill) {
                        Some(h) => {
                            h.mentions += 1;
                            if confidence > h.confidence {
                                (h.span, h.evidence, h.confidence, h.how) = (span, evidence, confidence, c.how);
                            }
                        }
                        None => hits.push(Hit { skill: c.skill, span, evidence, confidence, how: c.how, mentions: 1 }),
                    }
                }
            }
        }
        excluded.retain(|x| !hits.iter().any(|h| h.skill == x.skill));
        Extraction { lang, hits, excluded }
    }

    fn match_at(
        &self,
        tokens: &[Token<'_>],
        stems: &[Box<str>],
        i: usize,
        lang: Lang,
        primary: bool,
        out: &mut Vec<Candidate>,
    ) {
        let Some(entries) = self.index[lang.index()].get(&stems[i]) else { return };
        for e in entries {
            let last = i + e.rest.len();
            if last >= tokens.len() || e.rest.iter().zip(&stems[i + 1..=last]).any(|(a, b)| a != b) {
                continue;
            }
            if let Some(label) = &e.case_sensitive
                && tokens[i].original != label.as_ref()
                && tokens[i].original.to_uppercase() != tokens[i].original
            {
                continue;
            }
            if !primary {
                // Another language's term: only phrases or distinctive tokens, not common words.
                let t = tokens[i].original;
                let distinctive = t.chars().skip(1).any(char::is_uppercase)
                    || t.chars().any(|c| c.is_ascii_digit() || c == '+' || c == '#');
                if e.rest.is_empty() && !distinctive {
                    continue;
                }
            }
            let exact = e.surface.iter().zip(&tokens[i..=last]).all(|(s, t)| s.as_ref() == t.folded);
            let how = match (primary, exact, e.preferred) {
                (false, _, _) => MatchKind::OtherLanguage,
                (true, true, true) => MatchKind::Exact,
                (true, true, false) => MatchKind::Synonym,
                (true, false, _) => MatchKind::Stemmed,
            };
            out.push(Candidate { skill: e.skill, first: i, last, how, origin: e.origin });
        }
    }

    /// Dutch and German closed compounds: a vocabulary term plus a known part
    /// ("heftruck|certificaat", "stapler|schein"), with linking -s-/-en-/-e-.
    fn compound_at(&self, tokens: &[Token<'_>], stems: &[Box<str>], i: usize, lang: Lang, out: &mut Vec<Candidate>) {
        if lang == Lang::En || self.index[lang.index()].contains_key(&stems[i]) {
            return;
        }
        let word = &tokens[i].folded;
        if word.chars().count() < 7 {
            return;
        }
        let st = &self.stemmers[lang.index()];
        let single = |part: &str| -> Option<&Entry> {
            let key = stem(st, part);
            self.index[lang.index()]
                .get(&key)
                .and_then(|v| v.iter().find(|e| e.rest.is_empty() && e.case_sensitive.is_none()))
        };
        for (cut, _) in word.char_indices().skip(3) {
            let (head, tail) = word.split_at(cut);
            if tail.chars().count() < 3 {
                break;
            }
            let tail_is_part = COMPOUND_PARTS
                .iter()
                .any(|p| tail == *p || tail.strip_prefix('s') == Some(p) || tail.strip_prefix("en") == Some(p));
            if tail_is_part {
                for h in [head.to_owned(), format!("{head}en"), format!("{head}n")] {
                    if let Some(e) = single(&h) {
                        out.push(Candidate {
                            skill: e.skill,
                            first: i,
                            last: i,
                            how: MatchKind::Compound,
                            origin: e.origin,
                        });
                        return;
                    }
                }
            }
            if let Some(e) = single(tail).filter(|_| tail.chars().count() >= 5)
                && (COMPOUND_PARTS.contains(&head) || single(head).is_some())
            {
                out.push(Candidate { skill: e.skill, first: i, last: i, how: MatchKind::Compound, origin: e.origin });
                return;
            }
        }
    }
}

/// Clause number of every token: a new clause starts after . ; : ! ? or a line break, and at a
/// contrast word ("maar", "aber", "but").
fn clause_ids(text: &str, tokens: &[Token<'_>]) -> Vec<usize> {
    let mut ids = Vec::with_capacity(tokens.len());
    let mut clause = 0;
    for (i, t) in tokens.iter().enumerate() {
        let gap_start = if i == 0 { 0 } else { tokens[i - 1].span.end };
        if text[gap_start..t.span.start].contains(['.', ';', ':', '!', '?', '\n', '(', ')'])
            || CONTRAST.contains(&t.folded.as_str())
        {
            clause += 1;
        }
        ids.push(clause);
    }
    ids
}

/// Whether the mention at tokens `first..=last` is negated, only intended or not required.
fn context(tokens: &[Token<'_>], clauses: &[usize], first: usize, last: usize) -> Option<(Exclusion, String)> {
    let clause = clauses[first];
    let in_clause = |j: usize| clauses[j] == clause;
    let before: Vec<usize> = (0..first).rev().take_while(|&j| in_clause(j)).collect();
    let after: Vec<usize> = (last + 1..tokens.len()).take_while(|&j| in_clause(j)).collect();
    let words = |idx: &[usize]| idx.iter().map(|&j| tokens[j].folded.as_str()).collect::<Vec<_>>();
    let mut before_words = words(&before);
    before_words.reverse();
    let after_words = words(&after);
    let phrase_in = |ws: &[&str], phrases: &[&str]| -> Option<String> {
        let padded = format!(" {} ", ws.join(" "));
        phrases.iter().find(|p| padded.contains(&format!(" {p} "))).map(|p| (*p).to_owned())
    };
    if let Some(cue) = phrase_in(&after_words, &NOT_REQUIRED) {
        return Some((Exclusion::NotRequired, cue));
    }
    if let Some(cue) = before_words.iter().find(|w| NEGATIONS.contains(w)) {
        return Some((Exclusion::Negated, (*cue).to_owned()));
    }
    let all: Vec<&str> = before_words.iter().chain(after_words.iter()).copied().collect();
    phrase_in(&all, &INTENT).map(|cue| (Exclusion::Intent, cue))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    fn extractor() -> (Taxonomy, Extractor) {
        let t = Taxonomy::builtin().expect("valid");
        let e = Extractor::new(t.terms());
        (t, e)
    }

    fn ids(t: &Taxonomy, e: &Extraction) -> Vec<String> {
        let mut v: Vec<String> = e.hits.iter().map(|h| t.get(h.skill).id.clone()).collect();
        v.sort();
        v
    }

    #[test]
    fn negation_covers_its_own_phrase_only() {
        let (t, x) = extractor();
        let e = x.extract("Ik heb geen ervaring met SAP, wel met Exact Online en AFAS.", None);
        assert_eq!(e.lang, Lang::Nl);
        assert_eq!(ids(&t, &e), ["office.afas", "office.exact"]);
        assert_eq!(e.excluded.len(), 1);
        assert_eq!((e.excluded[0].reason, e.excluded[0].cue.as_str()), (Exclusion::Negated, "geen"));
    }

    #[test]
    fn compounds_and_spans_into_the_original_text() {
        let (t, x) = extractor();
        let text = "Staplerschein und Schweißerfahrung vorhanden.";
        let e = x.extract(text, None);
        assert_eq!(e.lang, Lang::De);
        assert!(ids(&t, &e).contains(&"logistics.forklift".to_owned()), "{:?}", ids(&t, &e));
        for h in &e.hits {
            assert_eq!(&text[h.span.clone()], h.evidence);
        }
    }

    #[test]
    fn longest_match_wins_and_wishes_do_not_count() {
        let (t, x) = extractor();
        let e = x.extract("Five years with SAP FI/CO.", Some(Lang::En));
        assert_eq!(ids(&t, &e), ["office.sap_fico"]);
        let wish = x.extract("Wil graag leren lassen en heb interesse in CNC-frezen.", None);
        assert!(wish.hits.is_empty(), "{:?}", ids(&t, &wish));
        assert!(wish.excluded.iter().all(|x| x.reason == Exclusion::Intent));
    }

    #[test]
    fn dutch_rest_is_not_the_rust_language_and_empty_text_finds_nothing() {
        let (t, x) = extractor();
        let e = x.extract("Na een drukke week zoek ik in het weekend de rust op.", None);
        assert!(e.hits.is_empty(), "{:?}", ids(&t, &e));
        assert!(x.extract("", None).hits.is_empty());
        let huge = "Python und SQL. ".repeat(200_000);
        let e = x.extract(&huge, Some(Lang::De));
        assert_eq!(e.hits.iter().map(|h| h.mentions).max(), Some(200_000));
    }

    /// The labelled evaluation set: a regression guard on precision and recall.
    #[test]
    fn evaluation_set_scores_stay_high() {
        let (t, x) = extractor();
        let scores = evaluate(&t, &x, include_str!("../eval/extraction.tsv"));
        let (p, r, f1) = scores.overall();
        assert!(f1 >= 0.85, "precision {p:.3} recall {r:.3} F1 {f1:.3}");
    }
}
