//! The retrieval index, built once per loaded taxonomy: every label and alternative label of
//! every skill (curated and ESCO, every language), the curated activity phrases, ESCO
//! descriptions and occupation titles, each a short document of light-stemmed terms, with an
//! inverted index from term to documents and BM25-style inverse document frequencies.

use std::collections::HashMap;

use super::text::{self, stem};
use crate::{
    lang::Lang,
    taxonomy::{SkillIx, Taxonomy},
};

/// What a document is; decides its weight and whether a match names the skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// A preferred label of a skill.
    Preferred,
    /// An alternative label or synonym of a skill.
    Alternative,
    /// A curated phrase describing work that shows the skill ("kept the build pipeline green").
    Activity,
    /// A sentence of a skill's description (ESCO).
    Description,
    /// A title of an occupation.
    Occupation,
}

impl DocKind {
    /// How much a full match of such a document counts.
    pub fn weight(self) -> f32 {
        match self {
            DocKind::Preferred => 1.0,
            DocKind::Alternative => 0.9,
            DocKind::Activity => 0.75,
            DocKind::Description => 0.35,
            DocKind::Occupation => 1.0,
        }
    }

    /// Whether matching it names the skill (rather than describing it).
    pub fn names(self) -> bool {
        matches!(self, DocKind::Preferred | DocKind::Alternative)
    }
}

/// Documents in flat arrays (no allocation per document beyond its terms' slot).
#[derive(Debug, Default)]
pub struct Index {
    /// Term (light stem, per the document's language) → id.
    pub vocab: HashMap<Box<str>, u32>,
    /// Term ids in the order of their keys, for prefix look-ups.
    sorted: Vec<u32>,
    /// Per term: its key.
    keys: Vec<Box<str>>,
    /// Per term: inverse document frequency.
    pub idf: Vec<f32>,
    /// Per term: the documents that have it (each once), CSR layout.
    post_start: Vec<u32>,
    post_docs: Vec<u32>,
    /// Per document: skill index or occupation index.
    pub owner: Vec<u32>,
    pub kind: Vec<DocKind>,
    pub lang: Vec<Lang>,
    /// Per label document: 0..3 the preferred label of that language, 3 + i synonym i.
    pub slot: Vec<u32>,
    /// Per document: its terms in order, CSR layout.
    term_start: Vec<u32>,
    terms: Vec<u32>,
    /// Per document: the sum of the idf of its distinct terms.
    pub mass: Vec<f32>,
}

/// Longest document indexed, in terms; longer descriptions are cut (their first sentence says most).
const MAX_DOC_TERMS: usize = 24;

/// A document before term ids are assigned.
struct Draft<'a> {
    owner: u32,
    slot: u32,
    kind: DocKind,
    lang: Lang,
    text: &'a str,
}

impl Index {
    pub fn build(
        t: &Taxonomy,
        activities: &[(SkillIx, Lang, String)],
        descriptions: &[(SkillIx, Lang, String)],
    ) -> Self {
        let mut drafts: Vec<Draft<'_>> = Vec::new();
        for (i, s) in t.skills.iter().enumerate() {
            let owner = i as u32;
            for (lang, text) in Lang::ALL.into_iter().zip(&s.labels).filter(|(_, l)| !l.is_empty()) {
                drafts.push(Draft { owner, slot: lang.index() as u32, kind: DocKind::Preferred, lang, text });
            }
            for (j, (lang, text)) in s.synonyms.iter().enumerate() {
                let slot = 3 + j as u32;
                drafts.push(Draft { owner, slot, kind: DocKind::Alternative, lang: *lang, text });
            }
        }
        for (skill, lang, phrase) in activities {
            drafts.push(Draft { owner: *skill, slot: 0, kind: DocKind::Activity, lang: *lang, text: phrase });
        }
        for (skill, lang, sentence) in descriptions {
            drafts.push(Draft { owner: *skill, slot: 0, kind: DocKind::Description, lang: *lang, text: sentence });
        }
        for (i, o) in t.occupations.iter().enumerate() {
            let labels = Lang::ALL.into_iter().zip(&o.labels).map(|(l, s)| (l, s.as_str()));
            for (lang, text) in labels.chain(o.synonyms.iter().map(|(l, s)| (*l, s.as_str()))) {
                if !text.is_empty() {
                    drafts.push(Draft { owner: i as u32, slot: 0, kind: DocKind::Occupation, lang, text });
                }
            }
        }
        let mut ix = Index::default();
        let mut df: Vec<u32> = Vec::new();
        ix.term_start.push(0);
        for d in &drafts {
            let words = text::words(d.text);
            let mut n = 0;
            let first = ix.terms.len();
            for w in words.iter().filter(|w| !w.folded.is_empty() && !text::is_stop_word(&w.folded)) {
                if n == MAX_DOC_TERMS {
                    break;
                }
                let key = stem(d.lang, &w.folded);
                let next = ix.vocab.len() as u32;
                let id = *ix.vocab.entry(key.into_boxed_str()).or_insert(next);
                if id as usize == df.len() {
                    df.push(0);
                }
                if !ix.terms[first..].contains(&id) {
                    df[id as usize] += 1;
                }
                ix.terms.push(id);
                n += 1;
            }
            if n == 0 {
                ix.terms.truncate(first);
                continue;
            }
            ix.term_start.push(ix.terms.len() as u32);
            ix.owner.push(d.owner);
            ix.kind.push(d.kind);
            ix.lang.push(d.lang);
            ix.slot.push(d.slot);
        }
        let docs = ix.owner.len() as f32;
        ix.idf = df.iter().map(|&n| (1.0 + (docs - n as f32 + 0.5) / (n as f32 + 0.5)).ln()).collect();
        // Postings: count, then fill.
        let mut counts = vec![0_u32; df.len() + 1];
        for d in 0..ix.owner.len() {
            let terms = ix.doc_terms(d as u32);
            for (j, &t) in terms.iter().enumerate() {
                if !terms[..j].contains(&t) {
                    counts[t as usize + 1] += 1;
                }
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        ix.post_start = counts.clone();
        ix.post_docs = vec![0; *counts.last().unwrap_or(&0) as usize];
        let mut fill = counts;
        for d in 0..ix.owner.len() {
            let terms = ix.doc_terms(d as u32).to_vec();
            for (j, &t) in terms.iter().enumerate() {
                if !terms[..j].contains(&t) {
                    ix.post_docs[fill[t as usize] as usize] = d as u32;
                    fill[t as usize] += 1;
                }
            }
        }
        ix.mass = (0..ix.owner.len())
            .map(|d| {
                let terms = ix.doc_terms(d as u32);
                terms
                    .iter()
                    .enumerate()
                    .filter(|(j, t)| !terms[..*j].contains(t))
                    .map(|(_, &t)| ix.idf[t as usize])
                    .sum()
            })
            .collect();
        ix.vocab.shrink_to_fit();
        ix.keys = vec![Box::from(""); ix.vocab.len()];
        for (k, &id) in &ix.vocab {
            ix.keys[id as usize] = k.clone();
        }
        ix.sorted = (0..ix.keys.len() as u32).collect();
        ix.sorted.sort_unstable_by(|a, b| ix.keys[*a as usize].cmp(&ix.keys[*b as usize]));
        ix
    }

    pub fn docs(&self) -> usize {
        self.owner.len()
    }

    /// The terms of document `d` in order.
    pub fn doc_terms(&self, d: u32) -> &[u32] {
        &self.terms[self.term_start[d as usize] as usize..self.term_start[d as usize + 1] as usize]
    }

    /// The documents that contain term `t`.
    pub fn postings(&self, t: u32) -> &[u32] {
        &self.post_docs[self.post_start[t as usize] as usize..self.post_start[t as usize + 1] as usize]
    }

    /// Terms whose key starts with `prefix`, in key order.
    pub fn prefixed<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let start = self.sorted.partition_point(|&t| self.keys[t as usize].as_ref() < prefix);
        self.sorted[start..].iter().copied().take_while(move |&t| self.keys[t as usize].starts_with(prefix))
    }

    pub fn term(&self, key: &str) -> Option<u32> {
        self.vocab.get(key).copied()
    }
}
