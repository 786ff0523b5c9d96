//! Ranked skill recognition for any text (a sentence or a two-page CV or advertisement, in
//! Dutch, German or English): the skills it shows, best first, each with a relevance score, its
//! evidence and whether the text names it or only shows it.
//!
//! Three sources of evidence, all explainable:
//! 1. Retrieval: BM25-style matching of the text's words against every label of every skill
//!    (curated and ESCO, every language), the curated activity phrases and ESCO descriptions
//!    (lower weight). Words are light-stemmed per language ([`text::stem`]), Dutch and German
//!    compounds split against the label vocabulary, and names, employers, places and dates are
//!    no evidence ([`text::mark_evidence`]). A label whose words all occur counts fully (and more
//!    when they occur as the phrase); a label partly met counts by the square of the share of
//!    its weight that was met.
//! 2. The phrase extractor ([`crate::extract`]): a label met as a phrase names the skill (a
//!    boost); a negated or only wished-for mention removes the skill.
//! 3. Propagation: occupations named in the text lend their specific essential skills, and the
//!    strongest skills lend part of their score to related skills (curated relations, ESCO
//!    skill–skill relations and the ESCO hierarchy); those are `inferred`, with the concept that
//!    led there as evidence.
//!
//! The index is built once per loaded taxonomy; a request allocates in proportion to its text and
//! the documents its words touch, never to the vocabulary.

mod eval;
mod index;
mod search;
pub mod text;

use std::{collections::HashMap, ops::Range};

pub use eval::{Metrics, RankingCase, evaluate, parse_cases, tfidf_baseline};
use index::{DocKind, Index};
pub use search::Found;

use crate::{
    extract::{Extraction, Extractor},
    lang::Lang,
    taxonomy::{RelationKind, SkillIx, Taxonomy},
};

/// Most results one call returns.
pub const MAX_K: usize = 100;
/// Results returned when the caller does not say.
pub const DEFAULT_K: usize = 20;
/// Lowest score returned: below it the evidence is one common word of a long label.
pub const MIN_SCORE: f32 = 3.0;
/// Lowest score returned relative to the best one of the answer.
pub const MIN_SHARE_OF_BEST: f32 = 0.2;
/// What a skill keeps of its score when its evidence words are those of a better-ranked skill:
/// one mention of "German" is not two skills' evidence ("German", "interact verbally in German").
const SHARED_EVIDENCE: f32 = 0.35;

/// A score as a 0..1 confidence (monotone: a higher score is a higher confidence).
pub fn confidence(score: f32) -> f32 {
    1.0 - (-score / 4.0).exp()
}

/// Why a skill is in the answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// Words of the text (byte span into it and the words).
    Words { span: Range<usize>, text: String },
    /// A concept the text showed: a related or narrower skill, or an occupation.
    Concept { kind: Via, id: String, span: Range<usize> },
}

/// How an inferred skill was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A related skill (curated relation or ESCO skill–skill relation).
    Related,
    /// A narrower skill: knowing it shows the broader one.
    Narrower,
    /// An occupation named in the text that needs the skill.
    Occupation,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Related => "related_skill",
            Via::Narrower => "narrower_skill",
            Via::Occupation => "occupation",
        }
    }
}

/// One skill of a ranked answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub skill: SkillIx,
    /// Relevance: sum of the idf weight of the evidence, boosted for phrases and named mentions.
    pub score: f32,
    /// True when the text names the skill (a label met in full); false when it only shows it.
    pub named: bool,
    pub evidence: Evidence,
    /// Times a label of the skill was met.
    pub mentions: u32,
    /// What kind of document gave the evidence words (label, activity phrase, description).
    pub source: Source,
}

/// Which kind of text gave a skill's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A label or synonym (the phrase extractor's match or its words out of order).
    Label,
    /// A curated phrase describing the work.
    Activity,
    /// ESCO's description.
    Description,
    /// A concept: see [`Evidence::Concept`].
    Concept,
}

impl Source {
    fn of(kind: DocKind) -> Self {
        match kind {
            DocKind::Preferred | DocKind::Alternative | DocKind::Occupation => Source::Label,
            DocKind::Activity => Source::Activity,
            DocKind::Description => Source::Description,
        }
    }
}

/// A ranked answer.
#[derive(Debug, Clone)]
pub struct Ranking {
    pub lang: Lang,
    pub skills: Vec<Ranked>,
    /// The phrase extractor's answer: how named skills were met and the mentions that do not count.
    pub extraction: Extraction,
    /// Documents scored: work done, for tests that bound it without a clock.
    pub docs_touched: usize,
}

/// Immutable and shared: built once per taxonomy.
pub struct Ranker {
    index: Index,
    /// Per skill: (neighbour, weight, how), from every relation of the taxonomy.
    neighbours: Vec<Vec<(SkillIx, f32, Via)>>,
    /// Per occupation: its essential skills with their specificity (0..1, rarer is higher).
    occupation_skills: Vec<Vec<(SkillIx, f32)>>,
    occupation_ids: Vec<String>,
}

impl std::fmt::Debug for Ranker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ranker").field("docs", &self.index.docs()).field("terms", &self.index.idf.len()).finish()
    }
}

/// The curated activity phrases shipped with hrmesh: `skill<TAB>lang<TAB>phrase|phrase…`.
pub const ACTIVITIES: &str = include_str!("../data/activities.tsv");

/// Parses [`ACTIVITIES`]; unknown skill ids are reported, not skipped silently.
pub fn activities(t: &Taxonomy) -> Result<Vec<(SkillIx, Lang, String)>, String> {
    let mut out = Vec::new();
    for (n, line) in ACTIVITIES.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(id), Some(lang), Some(phrases)) = (f.first(), f.get(1).and_then(|l| Lang::parse(l)), f.get(2)) else {
            return Err(format!("activities.tsv line {}: expected skill, lang, phrases", n + 1));
        };
        let skill = t.skill(id).ok_or_else(|| format!("activities.tsv line {}: unknown skill {id}", n + 1))?;
        for p in phrases.split('|').map(str::trim).filter(|p| !p.is_empty()) {
            out.push((skill, lang, p.to_owned()));
        }
    }
    Ok(out)
}

/// Weight an inferred skill gets of its source's score, per way of reaching it.
const RELATED_SHARE: f32 = 0.3;
const ESCO_RELATED_SHARE: f32 = 0.12;
const BROADER_SHARE: f32 = 0.18;
const OCCUPATION_SHARE: f32 = 0.45;
/// Skills whose score is passed on, and how many essential skills of an occupation are.
const SEEDS: usize = 8;
const OCCUPATION_SKILLS: usize = 6;
/// Added to a skill the phrase extractor found named in the text.
const NAMED_BOOST: f32 = 2.5;
/// Labels of another language than the text's count less (a Dutch "rust" is rest).
const OTHER_LANGUAGE: f32 = 0.7;

/// A word of the query: its term and where it comes from.
#[derive(Debug, Clone)]
struct QTerm {
    term: u32,
    /// Index of the text word (compound parts share it).
    word: usize,
}

/// Per skill while scoring.
#[derive(Debug, Clone)]
struct Acc {
    best: f32,
    second: f32,
    named: bool,
    evidence: Evidence,
    mentions: u32,
    source: Source,
}

impl Ranker {
    pub fn new(t: &Taxonomy) -> Self {
        let activities = activities(t).unwrap_or_else(|e| {
            tracing::error!(error = %e, "curated activity phrases left out");
            Vec::new()
        });
        let descriptions: Vec<(SkillIx, Lang, String)> = t
            .skills
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.descriptions.iter().map(move |(l, d)| (i as SkillIx, *l, d.clone())))
            .collect();
        let index = Index::build(t, &activities, &descriptions);
        let mut neighbours: Vec<Vec<(SkillIx, f32, Via)>> = vec![Vec::new(); t.skills.len()];
        for r in &t.relations {
            let (from, to) = (r.from as usize, r.to as usize);
            match r.kind {
                RelationKind::Related => {
                    neighbours[from].push((r.to, RELATED_SHARE, Via::Related));
                    neighbours[to].push((r.from, RELATED_SHARE, Via::Related));
                }
                // Knowing the later skill shows the prerequisite.
                RelationKind::Prerequisite => neighbours[to].push((r.from, RELATED_SHARE, Via::Related)),
                RelationKind::Esco => neighbours[from].push((r.to, ESCO_RELATED_SHARE, Via::Related)),
                RelationKind::Broader => neighbours[from].push((r.to, BROADER_SHARE, Via::Narrower)),
            }
        }
        let mut in_occupations = vec![0_u32; t.skills.len()];
        for o in &t.occupations {
            for &s in &o.essential {
                in_occupations[s as usize] += 1;
            }
        }
        let n = t.occupations.len().max(2) as f32;
        let occupation_skills = t
            .occupations
            .iter()
            .map(|o| {
                let mut skills: Vec<(SkillIx, f32)> = o
                    .essential
                    .iter()
                    .map(|&s| (s, (n / in_occupations[s as usize].max(1) as f32).ln() / n.ln()))
                    .collect();
                skills.sort_by(|a, b| b.1.total_cmp(&a.1));
                skills.truncate(OCCUPATION_SKILLS);
                skills
            })
            .collect();
        let occupation_ids = t.occupations.iter().map(|o| o.id.clone()).collect();
        Self { index, neighbours, occupation_skills, occupation_ids }
    }

    /// The skills `text` shows, best first, at most `k` of them (capped at [`MAX_K`]).
    pub fn rank(&self, t: &Taxonomy, extractor: &Extractor, text: &str, hint: Option<Lang>, k: usize) -> Ranking {
        let extraction = extractor.extract(text, hint);
        let lang = extraction.lang;
        let mut words = text::words(text);
        text::mark_evidence(&mut words, lang, |w| self.known(lang, w));
        let query = self.query(&words, lang);
        // Distinct terms with the words they occur at.
        let mut at: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, q) in query.iter().enumerate() {
            at.entry(q.term).or_default().push(i);
        }
        let mut met: HashMap<u32, f32> = HashMap::new();
        for &term in at.keys() {
            let idf = self.index.idf[term as usize];
            for &d in self.index.postings(term) {
                *met.entry(d).or_default() += idf;
            }
        }
        let docs_touched = met.len();
        let mut skills: HashMap<SkillIx, Acc> = HashMap::new();
        let mut occupations: Vec<(u32, f32, Range<usize>)> = Vec::new();
        for (&d, &m) in &met {
            let kind = self.index.kind[d as usize];
            let coverage = m / self.index.mass[d as usize].max(f32::EPSILON);
            let min_coverage = if kind == DocKind::Occupation { 0.999 } else { 0.5 };
            if coverage < min_coverage {
                continue;
            }
            let terms = self.index.doc_terms(d);
            let (phrase, span, mentions) = self.locate(terms, &query, &at, &words);
            let mut score = m * coverage * coverage * kind.weight();
            if self.index.lang[d as usize] != lang {
                score *= OTHER_LANGUAGE;
            }
            if phrase && terms.len() > 1 {
                score *= 1.3;
            }
            score *= 1.0 + 0.3 * (mentions.max(1) as f32).ln();
            let owner = self.index.owner[d as usize];
            if kind == DocKind::Occupation {
                occupations.push((owner, score, span));
                continue;
            }
            let named = kind.names() && coverage > 0.999;
            let evidence = Evidence::Words { text: evidence_text(text, &words, &span), span: word_span(&words, &span) };
            let acc = skills.entry(owner).or_insert_with(|| Acc {
                best: 0.0,
                second: 0.0,
                named: false,
                evidence: evidence.clone(),
                mentions: 0,
                source: Source::of(kind),
            });
            acc.mentions = acc.mentions.max(mentions);
            // A label met in full is the evidence to show, however a description scores.
            if (named && !acc.named) || (score > acc.best && (named || !acc.named)) {
                acc.evidence = evidence;
                acc.source = Source::of(kind);
            }
            if score > acc.best {
                acc.second = acc.best;
                acc.best = score;
            } else if score > acc.second {
                acc.second = score;
            }
            acc.named |= named;
        }
        // The phrase extractor: named mentions boost, negated or wished-for ones remove.
        for hit in &extraction.hits {
            let evidence_words = words.iter().filter(|w| w.span.start >= hit.span.start && w.span.end <= hit.span.end);
            if !evidence_words.clone().any(|w| w.evidence) {
                continue;
            }
            let acc = skills.entry(hit.skill).or_insert_with(|| Acc {
                best: 0.0,
                second: 0.0,
                named: true,
                evidence: Evidence::Words { span: hit.span.clone(), text: hit.evidence.clone() },
                mentions: hit.mentions,
                source: Source::Label,
            });
            acc.best += NAMED_BOOST;
            acc.evidence = Evidence::Words { span: hit.span.clone(), text: hit.evidence.clone() };
            acc.source = Source::Label;
            acc.named = true;
            acc.mentions = acc.mentions.max(hit.mentions);
        }
        for x in &extraction.excluded {
            skills.remove(&x.skill);
        }
        let excluded: Vec<SkillIx> = extraction.excluded.iter().map(|x| x.skill).collect();
        let mut direct: Vec<(SkillIx, f32)> = skills.iter().map(|(&s, a)| (s, a.best + 0.25 * a.second)).collect();
        direct.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // Propagation: inferred skills with the concept that led there.
        let mut inferred: HashMap<SkillIx, (f32, Evidence)> = HashMap::new();
        let mut add = |skill: SkillIx, score: f32, evidence: Evidence| {
            if excluded.contains(&skill) {
                return;
            }
            let e = inferred.entry(skill).or_insert((0.0, evidence.clone()));
            if score > e.0 {
                e.1 = evidence;
            }
            e.0 = e.0.max(score) + 0.25 * e.0.min(score);
        };
        occupations.sort_by(|a, b| b.1.total_cmp(&a.1));
        occupations.dedup_by_key(|o| o.0);
        for (o, score, span) in occupations.iter().take(3) {
            for &(s, specificity) in &self.occupation_skills[*o as usize] {
                let evidence = Evidence::Concept {
                    kind: Via::Occupation,
                    id: self.occupation_ids[*o as usize].clone(),
                    span: word_span(&words, span),
                };
                add(s, score * OCCUPATION_SHARE * specificity, evidence);
            }
        }
        for &(seed, score) in direct.iter().take(SEEDS) {
            let span = match &skills[&seed].evidence {
                Evidence::Words { span, .. } | Evidence::Concept { span, .. } => span.clone(),
            };
            for &(n, share, via) in &self.neighbours[seed as usize] {
                add(n, score * share, Evidence::Concept { kind: via, id: t.get(seed).id.clone(), span: span.clone() });
            }
        }
        let mut out: Vec<Ranked> = direct
            .iter()
            .map(|&(s, score)| {
                let a = &skills[&s];
                let bonus = inferred.get(&s).map_or(0.0, |(x, _)| 0.5 * x);
                Ranked {
                    skill: s,
                    score: score + bonus,
                    named: a.named,
                    evidence: a.evidence.clone(),
                    mentions: a.mentions,
                    source: a.source,
                }
            })
            .collect();
        for (s, (score, evidence)) in inferred {
            if !skills.contains_key(&s) {
                out.push(Ranked { skill: s, score, named: false, evidence, mentions: 0, source: Source::Concept });
            }
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.skill.cmp(&b.skill)));
        demote_shared_evidence(&mut out);
        let floor = out.first().map_or(MIN_SCORE, |best| (best.score * MIN_SHARE_OF_BEST).max(MIN_SCORE));
        out.retain(|r| r.score >= floor);
        out.truncate(k.min(MAX_K));
        Ranking { lang, skills: out, extraction, docs_touched }
    }

    /// Whether a folded word is a term of any document (in `lang`'s stemming).
    fn known(&self, lang: Lang, folded: &str) -> bool {
        self.index.term(&text::stem(lang, folded)).is_some() || self.index.term(folded).is_some()
    }

    /// The query terms of the evidence words; a Dutch or German word no document has is split
    /// into known parts ("magazijnmedewerkers" → magazijn + medewerker).
    fn query(&self, words: &[text::Word], lang: Lang) -> Vec<QTerm> {
        let mut out = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate().filter(|(_, w)| w.evidence && !w.folded.is_empty()) {
            let key = text::stem(lang, &w.folded);
            if let Some(term) = self.index.term(&key).or_else(|| self.index.term(&w.folded)) {
                out.push(QTerm { term, word: i });
            } else if lang != Lang::En {
                for term in self.split(lang, &w.folded, 2) {
                    out.push(QTerm { term, word: i });
                }
            }
        }
        out
    }

    /// Known parts of a closed compound, head first: the longest known tail (at least four
    /// letters) whose head, after a linking -s-/-en-/-e-, is known or splits again.
    fn split(&self, lang: Lang, word: &str, depth: usize) -> Vec<u32> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if depth == 0 || chars.len() < 7 || chars.len() > text::MAX_WORD_CHARS {
            return Vec::new();
        }
        for &(cut, _) in chars.iter().skip(3) {
            let (head, tail) = word.split_at(cut);
            if tail.chars().count() < 4 {
                break;
            }
            let Some(tail_term) = self.index.term(&text::stem(lang, tail)) else { continue };
            for h in [Some(head), head.strip_suffix('s'), head.strip_suffix("en"), head.strip_suffix('e')]
                .into_iter()
                .flatten()
                .filter(|h| h.chars().count() >= 3)
            {
                if let Some(head_term) = self.index.term(&text::stem(lang, h)).or_else(|| self.index.term(h)) {
                    return vec![head_term, tail_term];
                }
                let mut parts = self.split(lang, h, depth - 1);
                if !parts.is_empty() {
                    parts.push(tail_term);
                    return parts;
                }
            }
        }
        Vec::new()
    }

    /// Where a document's terms are met: whether as a phrase, the span of query positions
    /// that holds them, and how often its rarest met term occurs.
    fn locate(
        &self,
        terms: &[u32],
        query: &[QTerm],
        at: &HashMap<u32, Vec<usize>>,
        words: &[text::Word],
    ) -> (bool, Range<usize>, u32) {
        let positions: Vec<&Vec<usize>> = terms.iter().filter_map(|t| at.get(t)).collect();
        let mentions = positions.iter().map(|p| p.len() as u32).min().unwrap_or(1);
        // A phrase: the first term at some position with the others right after it.
        if positions.len() == terms.len()
            && let Some(p) = at.get(&terms[0])
        {
            for &start in p {
                let fits = terms.iter().enumerate().all(|(j, t)| {
                    query.get(start + j).is_some_and(|q| q.term == *t)
                        && (j == 0 || query[start + j].word <= query[start + j - 1].word + 2)
                });
                if fits {
                    let span = query[start].word..query[start + terms.len() - 1].word + 1;
                    return (true, span, mentions);
                }
            }
        }
        let first = positions.iter().filter_map(|p| p.first()).map(|&i| query[i].word).min().unwrap_or(0);
        let last = positions.iter().filter_map(|p| p.first()).map(|&i| query[i].word).max().unwrap_or(first);
        let _ = words;
        (false, first..last + 1, mentions)
    }
}

/// Lowers the score of a skill whose evidence words lie within (or around) those of a better one,
/// then sorts again: the answer's places go to different evidence first.
fn demote_shared_evidence(out: &mut [Ranked]) {
    let mut claimed: Vec<Range<usize>> = Vec::new();
    for r in out.iter_mut() {
        let Evidence::Words { span, .. } = &r.evidence else { continue };
        let shared = claimed
            .iter()
            .any(|c| (c.start <= span.start && span.end <= c.end) || (span.start <= c.start && c.end <= span.end));
        if shared {
            r.score *= SHARED_EVIDENCE;
        } else {
            claimed.push(span.clone());
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.skill.cmp(&b.skill)));
}

/// Byte span of words `words[range]`.
fn word_span(words: &[text::Word], range: &Range<usize>) -> Range<usize> {
    match (words.get(range.start), range.end.checked_sub(1).and_then(|e| words.get(e))) {
        (Some(a), Some(b)) => a.span.start..b.span.end,
        _ => 0..0,
    }
}

/// The words of the evidence: the text between them when short, else the matched words.
fn evidence_text(text: &str, words: &[text::Word], range: &Range<usize>) -> String {
    let span = word_span(words, range);
    if span.len() <= 80 {
        text[span].to_owned()
    } else {
        [range.start, range.end - 1]
            .iter()
            .filter_map(|&i| words.get(i))
            .map(|w| &text[w.span.clone()])
            .collect::<Vec<_>>()
            .join(" … ")
    }
}

#[cfg(test)]
mod tests;
