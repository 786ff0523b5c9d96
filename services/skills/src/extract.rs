//! Skill extraction from free text in Dutch, German and English: labels and synonyms matched as
//! phrases over Snowball stems, Dutch/German compounds split against the vocabulary, the
//! longest match winning, and mentions that are negated ("geen ervaring met SAP"), only wished
//! for ("wil graag leren lassen") or explicitly not required set apart with the words that
//! caused it. Every hit carries its evidence span (byte offsets into the original text).
//!
//! Work is linear in the text: words longer than [`MAX_WORD_CHARS`] are never stemmed, split or
//! matched, compound splitting is bounded per word (`compound.rs`) and negation and intent are
//! looked for in a window of [`CONTEXT_WORDS`] words around a mention.

mod compound;
mod inflection;

use std::{
    collections::{HashMap, HashSet},
    ops::Range,
};

use hrmesh_kit::locale::fold;
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

/// What one text yielded: its language, the skills it shows and the mentions that do not count.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub lang: Lang,
    pub hits: Vec<Hit>,
    pub excluded: Vec<Excluded>,
    /// How much work the text cost, so tests can bound it without a clock.
    pub work: Work,
}

/// Counts of the costly steps of one extraction; each is linear in the number of words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Words in the text.
    pub tokens: usize,
    /// Snowball stemmer calls (at most three per word plus [`compound::MAX_HEAD_STEMS`]).
    pub stems: usize,
    /// Surface look-ups of compound tails.
    pub compound_lookups: usize,
    /// Words read around mentions for negation, intent and "not required".
    pub context_words: usize,
}

/// Longest word that is matched or split; longer runs of letters are no word of any language
/// the taxonomy knows (its longest term word has 31 letters) and are skipped, not stemmed.
pub const MAX_WORD_CHARS: usize = 48;

/// Words on each side of a mention that can negate it or make it a wish.
pub const CONTEXT_WORDS: usize = 24;

/// A term in the index: the stems after the first, and how to treat a match.
#[derive(Debug, Clone)]
struct Entry {
    rest: Box<[Box<str>]>,
    /// Folded surface tokens of every term with these stems, and whether it is a preferred
    /// label: tells an exact match from a stemmed one and checks that a stemmed one inflects.
    surfaces: Vec<(Box<[Box<str>]>, bool)>,
    skill: SkillIx,
    origin: Origin,
    /// Short acronym-like label (SAP, VCA, Rust): the text must show it capitalised too.
    case_sensitive: Option<Box<str>>,
}

/// Immutable and shared: built once per taxonomy.
pub struct Extractor {
    /// Per language: first stem → terms starting with it.
    index: [HashMap<Box<str>, Vec<Entry>>; 3],
    /// Per language: folded surface of a single-word, case-insensitive term → its entry, for
    /// compound tails (looked up by surface so that splitting needs no stemming).
    surfaces: [HashMap<Box<str>, Entry>; 3],
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

/// A token of the text: its byte span, original text and folded form.
#[derive(Debug, Clone)]
struct Token<'a> {
    span: Range<usize>,
    original: &'a str,
    folded: String,
}

impl<'a> Token<'a> {
    /// A word longer than [`MAX_WORD_CHARS`] keeps an empty folded form: it matches nothing.
    fn new(text: &'a str, span: Range<usize>) -> Self {
        let original = &text[span.clone()];
        let overlong = original.len() > 4 * MAX_WORD_CHARS || original.chars().count() > MAX_WORD_CHARS;
        let folded = if overlong { String::new() } else { fold(original) };
        Token { span, original, folded }
    }
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
            tokens.push(Token::new(text, s..end));
            start = None;
        }
    }
    if let Some(s) = start {
        tokens.push(Token::new(text, s..text.len()));
    }
    tokens
}

/// The stem of a folded word; words are at most [`MAX_WORD_CHARS`] long, so this is bounded.
fn stem(stemmer: &Stemmer, folded: &str, work: &mut Work) -> Box<str> {
    if folded.chars().any(|c| c.is_ascii_digit() || c == '+' || c == '#') || folded.chars().count() <= 3 {
        folded.into()
    } else {
        work.stems += 1;
        stemmer.stem(folded).into()
    }
}

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

/// The language with most stop words in the text (English when none): the kit's one detector.
pub fn detect(text: &str) -> Lang {
    Lang::detect(text)
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
    /// Indexes every term by its stems; terms of more than 8 words or with an overlong word are
    /// left out (no text could match them).
    pub fn new<'a>(terms: impl IntoIterator<Item = Term<'a>>) -> Self {
        let stemmers = [stemmer(Lang::En), stemmer(Lang::Nl), stemmer(Lang::De)];
        let mut index: [HashMap<Box<str>, Vec<Entry>>; 3] = Default::default();
        let mut work = Work::default();
        for term in terms {
            let tokens = tokenize(term.text);
            if tokens.is_empty() || tokens.len() > 8 || tokens.iter().any(|t| t.folded.is_empty()) {
                continue;
            }
            let st = &stemmers[term.lang.index()];
            let stems: Vec<Box<str>> = tokens.iter().map(|t| stem(st, &t.folded, &mut work)).collect();
            let case_sensitive = (tokens.len() == 1
                && tokens[0].original.chars().count() <= 4
                && tokens[0].original.chars().any(char::is_uppercase))
            .then(|| tokens[0].original.into());
            let surface: Box<[Box<str>]> = tokens.iter().map(|t| t.folded.as_str().into()).collect();
            let bucket = index[term.lang.index()].entry(stems[0].clone()).or_default();
            // Terms of one skill with equal stems share an entry but keep every surface, so an
            // exact match on any of them counts as exact.
            match bucket.iter_mut().find(|e| e.skill == term.skill && e.rest[..] == stems[1..]) {
                Some(e) => e.surfaces.push((surface, term.preferred)),
                None => bucket.push(Entry {
                    rest: stems[1..].into(),
                    surfaces: vec![(surface, term.preferred)],
                    skill: term.skill,
                    origin: term.origin,
                    case_sensitive,
                }),
            }
        }
        let mut surfaces: [HashMap<Box<str>, Entry>; 3] = Default::default();
        for (lang, by_stem) in surfaces.iter_mut().zip(&index) {
            for e in by_stem.values().flatten().filter(|e| e.rest.is_empty() && e.case_sensitive.is_none()) {
                for (s, _) in &e.surfaces {
                    lang.entry(s[0].clone()).or_insert_with(|| e.clone());
                }
            }
        }
        Self { index, surfaces, stemmers }
    }

    /// The skills that `text` shows, in the language `hint` or else the detected one.
    pub fn extract(&self, text: &str, hint: Option<Lang>) -> Extraction {
        let lang = hint.unwrap_or_else(|| detect(text));
        let tokens = tokenize(text);
        let mut work = Work { tokens: tokens.len(), ..Work::default() };
        // Text repeats its words: each distinct word is stemmed once per language.
        let mut first_of: HashMap<&str, usize> = HashMap::new();
        let stems: [Vec<Box<str>>; 3] = std::array::from_fn(|l| {
            let mut out: Vec<Box<str>> = Vec::with_capacity(tokens.len());
            for (i, t) in tokens.iter().enumerate() {
                let first = *first_of.entry(t.folded.as_str()).or_insert(i);
                let s = if first < i { out[first].clone() } else { stem(&self.stemmers[l], &t.folded, &mut work) };
                out.push(s);
            }
            out
        });
        let mut candidates = Vec::new();
        for i in 0..tokens.len() {
            for other in Lang::ALL {
                let primary = other == lang;
                self.match_at(&tokens, &stems[other.index()], i, other, primary, &mut candidates);
            }
            self.compound_at(&tokens, &stems[lang.index()], i, lang, &mut work, &mut candidates);
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
        let cues = Cues::new(&tokens, &clauses);
        let mut hits: Vec<Hit> = Vec::new();
        let mut hit_of: HashMap<SkillIx, usize> = HashMap::new();
        let mut excluded: Vec<Excluded> = Vec::new();
        let mut excluded_skills: HashSet<SkillIx> = HashSet::new();
        for c in chosen {
            let span = tokens[c.first].span.start..tokens[c.last].span.end;
            match cues.judge(&clauses, c.first, c.last, &mut work) {
                Some((reason, cue)) => {
                    if excluded_skills.insert(c.skill) {
                        let evidence = text[span.clone()].to_owned();
                        excluded.push(Excluded { skill: c.skill, span, evidence, reason, cue: cue.to_owned() });
                    }
                }
                None => {
                    let mut confidence = c.how.confidence();
                    if c.origin == Origin::Esco {
                        confidence *= 0.9;
                    }
                    match hit_of.get(&c.skill) {
                        Some(&h) => {
                            let h = &mut hits[h];
                            h.mentions += 1;
                            if confidence > h.confidence {
                                let evidence = text[span.clone()].to_owned();
                                (h.span, h.evidence, h.confidence, h.how) = (span, evidence, confidence, c.how);
                            }
                        }
                        None => {
                            hit_of.insert(c.skill, hits.len());
                            let evidence = text[span.clone()].to_owned();
                            hits.push(Hit { skill: c.skill, span, evidence, confidence, how: c.how, mentions: 1 });
                        }
                    }
                }
            }
        }
        excluded.retain(|x| !hit_of.contains_key(&x.skill));
        Extraction { lang, hits, excluded, work }
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
            let exact = e
                .surfaces
                .iter()
                .filter(|(s, _)| s.iter().zip(&tokens[i..=last]).all(|(s, t)| s.as_ref() == t.folded))
                .map(|(_, preferred)| *preferred)
                .max();
            // A one-word term met by stem only must be an inflection of that word: an equal
            // stem also joins derivations of other meaning ("Ausbildung" and "Ausbilder").
            if exact.is_none()
                && e.rest.is_empty()
                && !e.surfaces.iter().any(|(s, _)| inflection::same_word(lang, &stems[i], &tokens[i].folded, &s[0]))
            {
                continue;
            }
            let how = match (primary, exact) {
                (false, _) => MatchKind::OtherLanguage,
                (true, Some(true)) => MatchKind::Exact,
                (true, Some(false)) => MatchKind::Synonym,
                (true, None) => MatchKind::Stemmed,
            };
            out.push(Candidate { skill: e.skill, first: i, last, how, origin: e.origin });
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

/// Per word: the cue that starts there. Found once per text, so that judging a mention costs
/// only its window, however many mentions a long clause holds.
struct Cues {
    negation: Vec<Option<&'static str>>,
    /// Phrase and its length in words; phrases never cross a clause boundary.
    not_required: Vec<Option<(&'static str, usize)>>,
    intent: Vec<Option<(&'static str, usize)>>,
}

impl Cues {
    fn new(tokens: &[Token<'_>], clauses: &[usize]) -> Self {
        let starting_at = |j: usize, phrases: &[&'static str]| {
            phrases.iter().copied().find_map(|p| {
                if p.split(' ').next() != Some(tokens[j].folded.as_str()) {
                    return None;
                }
                let end = j + p.split(' ').count();
                let fits = end <= tokens.len() && clauses[end - 1] == clauses[j];
                (fits && tokens[j..end].iter().map(|t| t.folded.as_str()).eq(p.split(' '))).then_some((p, end - j))
            })
        };
        Cues {
            negation: tokens.iter().map(|t| NEGATIONS.iter().copied().find(|n| *n == t.folded)).collect(),
            not_required: (0..tokens.len()).map(|j| starting_at(j, &NOT_REQUIRED)).collect(),
            intent: (0..tokens.len()).map(|j| starting_at(j, &INTENT)).collect(),
        }
    }

    /// Whether the mention at tokens `first..=last` is negated, only intended or not required,
    /// judged from at most [`CONTEXT_WORDS`] words of its clause on either side.
    fn judge(
        &self,
        clauses: &[usize],
        first: usize,
        last: usize,
        work: &mut Work,
    ) -> Option<(Exclusion, &'static str)> {
        let clause = clauses[first];
        let from = first.saturating_sub(CONTEXT_WORDS);
        let to = (last + 1 + CONTEXT_WORDS).min(clauses.len());
        let start = (from..first).rev().take_while(|&j| clauses[j] == clause).last().unwrap_or(first);
        let end = (last + 1..to).take_while(|&j| clauses[j] == clause).last().map_or(last + 1, |j| j + 1);
        work.context_words += (first - start) + (end - last - 1);
        // A phrase counts if it lies wholly inside the window and outside the mention.
        let within = |j: usize, len: usize, limit: usize| j + len <= limit;
        let after = last + 1..end;
        if let Some(cue) = after.clone().find_map(|j| self.not_required[j].filter(|&(_, n)| within(j, n, end))) {
            return Some((Exclusion::NotRequired, cue.0));
        }
        if let Some(cue) = (start..first).find_map(|j| self.negation[j]) {
            return Some((Exclusion::Negated, cue));
        }
        (start..first)
            .find_map(|j| self.intent[j].filter(|&(_, n)| within(j, n, first)))
            .or_else(|| after.clone().find_map(|j| self.intent[j].filter(|&(_, n)| within(j, n, end))))
            .map(|(cue, _)| (Exclusion::Intent, cue))
    }
}

#[cfg(test)]
mod tests;
