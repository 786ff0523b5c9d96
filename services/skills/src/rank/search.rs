//! Skill search for people: the query's words matched as whole words, as the start of a word
//! (the last word of a query is usually unfinished) and through every label and synonym in
//! nl/de/en, ranked by how much of the query and of the label was met.

use std::collections::HashMap;

use super::{Ranker, index::DocKind, text};
use crate::{
    lang::Lang,
    taxonomy::{SkillIx, Taxonomy},
};

/// Most vocabulary terms one partial word expands to.
const MAX_PREFIX_TERMS: usize = 64;

/// One skill found by a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub skill: SkillIx,
    pub score: f32,
    /// The label or synonym met best, and its language.
    pub label: String,
    pub lang: Lang,
}

impl Ranker {
    /// Skills for `query`, best first, at most `limit`. Labels in `lang` rank a little higher.
    pub fn search(&self, t: &Taxonomy, query: &str, lang: Lang, limit: usize) -> Vec<Found> {
        let words: Vec<text::Word> = text::words(query)
            .into_iter()
            .filter(|w| !w.folded.is_empty() && !text::is_stop_word(&w.folded))
            .take(12)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        // Per query word: the terms it may be (whole word in any language's stemming, or a prefix).
        let mut per_word: Vec<Vec<(u32, f32)>> = Vec::with_capacity(words.len());
        for w in &words {
            let mut terms: Vec<(u32, f32)> = Vec::new();
            for l in Lang::ALL {
                if let Some(t) = self.index.term(&text::stem(l, &w.folded)) {
                    terms.push((t, 1.0));
                }
            }
            if w.folded.chars().count() >= 2 {
                for t in self.index.prefixed(&w.folded).take(MAX_PREFIX_TERMS) {
                    if !terms.iter().any(|(x, _)| *x == t) {
                        terms.push((t, 0.8));
                    }
                }
            }
            per_word.push(terms);
        }
        // Per label document: the weight of the query words it meets (each word once).
        let mut met: HashMap<u32, (f32, u32)> = HashMap::new();
        for terms in &per_word {
            let mut seen: HashMap<u32, f32> = HashMap::new();
            for &(t, factor) in terms {
                let idf = self.index.idf[t as usize];
                for &d in self.index.postings(t) {
                    if !self.index.kind[d as usize].names() {
                        continue;
                    }
                    let e = seen.entry(d).or_default();
                    *e = e.max(idf * factor);
                }
            }
            for (d, w) in seen {
                let e = met.entry(d).or_insert((0.0, 0));
                e.0 += w;
                e.1 += 1;
            }
        }
        let n = words.len() as u32;
        let mut best: HashMap<SkillIx, (f32, u32)> = HashMap::new();
        for (d, (weight, words_met)) in met {
            let mass = self.index.mass[d as usize].max(f32::EPSILON);
            let label_coverage = (weight / mass).min(1.0);
            let query_coverage = words_met as f32 / n as f32;
            let mut score = weight * query_coverage * query_coverage * (0.5 + 0.5 * label_coverage);
            if self.index.kind[d as usize] == DocKind::Preferred {
                score *= 1.1;
            }
            if self.index.lang[d as usize] == lang {
                score *= 1.1;
            }
            let skill = self.index.owner[d as usize];
            let e = best.entry(skill).or_insert((0.0, d));
            if score > e.0 {
                *e = (score, d);
            }
        }
        let mut ranked: Vec<(SkillIx, f32, u32)> = best.into_iter().map(|(s, (score, d))| (s, score, d)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(skill, score, d)| Found {
                skill,
                score,
                label: self.label_text(t, d).to_owned(),
                lang: self.index.lang[d as usize],
            })
            .collect()
    }
}

impl Ranker {
    /// The label or synonym text of label document `d`.
    pub(super) fn label_text<'t>(&self, t: &'t Taxonomy, d: u32) -> &'t str {
        let s = t.get(self.index.owner[d as usize]);
        let slot = self.index.slot[d as usize] as usize;
        match slot {
            0..3 => &s.labels[slot],
            _ => s.synonyms.get(slot - 3).map_or("", |(_, x)| x.as_str()),
        }
    }
}
