//! Measuring a ranking on the labelled set (`eval/ranking.tsv`): R-precision at 5, mean
//! reciprocal rank, precision at 5 and false positives per sentence, per language; and the
//! TF-IDF baseline every ranker must beat, over the same labels.

use std::collections::HashMap;

use hrmesh_kit::locale::fold;

use super::text;
use crate::{
    lang::Lang,
    taxonomy::{SkillIx, Taxonomy},
};

/// One labelled sentence.
#[derive(Debug, Clone)]
pub struct RankingCase {
    pub lang: Lang,
    /// `ad` or `cv`.
    pub source: String,
    pub text: String,
    /// Skills the text names.
    pub named: Vec<SkillIx>,
    /// Skills the text shows without naming them.
    pub implied: Vec<SkillIx>,
}

impl RankingCase {
    pub fn relevant(&self, s: SkillIx) -> bool {
        self.named.contains(&s) || self.implied.contains(&s)
    }

    fn relevant_count(&self) -> usize {
        self.named.len() + self.implied.len()
    }
}

/// Reads `lang<TAB>source<TAB>text<TAB>named<TAB>implied<TAB>note` rows (after a header; `#`
/// lines are comments). Every id must be known to `t`: a typo would silently lower the figures.
pub fn parse_cases(t: &Taxonomy, tsv: &str) -> Result<Vec<RankingCase>, String> {
    let mut cases = Vec::new();
    for (n, line) in tsv.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let lang = f.first().and_then(|l| Lang::parse(l)).ok_or_else(|| format!("line {}: no language", n + 1))?;
        let ids = |field: Option<&&str>| -> Result<Vec<SkillIx>, String> {
            field
                .map(|s| s.split('|').filter(|s| !s.is_empty()))
                .into_iter()
                .flatten()
                .map(|id| t.skill(id).ok_or_else(|| format!("line {}: unknown skill {id}", n + 1)))
                .collect()
        };
        cases.push(RankingCase {
            lang,
            source: f.get(1).copied().unwrap_or_default().to_owned(),
            text: f.get(2).copied().unwrap_or_default().to_owned(),
            named: ids(f.get(3))?,
            implied: ids(f.get(4))?,
        });
    }
    Ok(cases)
}

/// Sums per language; [`Metrics::row`] turns them into means.
#[derive(Debug, Clone, Copy, Default)]
pub struct Metrics {
    /// Sentences with at least one relevant skill (the ranking metrics are over these).
    pub ranked: usize,
    /// Every sentence (false positives are over these).
    pub sentences: usize,
    pub rp5: f64,
    pub mrr: f64,
    pub p5: f64,
    /// Returned skills that are not relevant, in the top 5 and in the whole answer.
    pub fp5: usize,
    pub fp_all: usize,
    /// Relevant skills found anywhere in the answer, and relevant skills labelled.
    pub found: usize,
    pub labelled: usize,
}

impl Metrics {
    fn add(&mut self, case: &RankingCase, answer: &[SkillIx]) {
        self.sentences += 1;
        self.fp5 += answer.iter().take(5).filter(|s| !case.relevant(**s)).count();
        self.fp_all += answer.iter().filter(|s| !case.relevant(**s)).count();
        let r = case.relevant_count();
        self.labelled += r;
        self.found += answer.iter().filter(|s| case.relevant(**s)).count();
        if r == 0 {
            return;
        }
        self.ranked += 1;
        let top = |n: usize| answer.iter().take(n).filter(|s| case.relevant(**s)).count() as f64;
        let cut = r.min(5);
        self.rp5 += top(cut) / cut as f64;
        self.p5 += top(5) / 5.0;
        if let Some(rank) = answer.iter().position(|s| case.relevant(*s)) {
            self.mrr += 1.0 / (rank + 1) as f64;
        }
    }

    fn merge(&mut self, o: &Metrics) {
        self.ranked += o.ranked;
        self.sentences += o.sentences;
        self.rp5 += o.rp5;
        self.mrr += o.mrr;
        self.p5 += o.p5;
        self.fp5 += o.fp5;
        self.fp_all += o.fp_all;
        self.found += o.found;
        self.labelled += o.labelled;
    }

    /// (RP@5, MRR, P@5, recall over the whole answer, false positives per sentence in the top
    /// 5, false positives per sentence in the whole answer).
    pub fn row(&self) -> (f64, f64, f64, f64, f64, f64) {
        let r = self.ranked.max(1) as f64;
        let s = self.sentences.max(1) as f64;
        (
            self.rp5 / r,
            self.mrr / r,
            self.p5 / r,
            self.found as f64 / self.labelled.max(1) as f64,
            self.fp5 as f64 / s,
            self.fp_all as f64 / s,
        )
    }
}

/// Scores `rank` (text → skills best first) per language ([`Lang::ALL`] order) and overall.
pub fn evaluate(cases: &[RankingCase], mut rank: impl FnMut(&RankingCase) -> Vec<SkillIx>) -> ([Metrics; 3], Metrics) {
    let mut per: [Metrics; 3] = Default::default();
    for case in cases {
        let answer = rank(case);
        per[case.lang.index()].add(case, &answer);
    }
    let mut all = Metrics::default();
    for m in &per {
        all.merge(m);
    }
    (per, all)
}

/// The baseline: TF-IDF vectors (log term frequency, folded words, no stemming) of each skill's
/// labels and synonyms in every language, ranked by cosine with the text's vector.
pub struct TfIdf {
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Term → (skill, normalised weight).
    postings: Vec<Vec<(SkillIx, f32)>>,
}

/// Builds the baseline over the same labels the ranker uses.
pub fn tfidf_baseline(t: &Taxonomy) -> TfIdf {
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut docs: Vec<HashMap<u32, f32>> = vec![HashMap::new(); t.skills.len()];
    for term in t.terms() {
        for w in text::words(term.text) {
            let next = vocab.len() as u32;
            let id = *vocab.entry(fold(&text_of(term.text, &w))).or_insert(next);
            *docs[term.skill as usize].entry(id).or_default() += 1.0;
        }
    }
    let mut df = vec![0_u32; vocab.len()];
    for d in &docs {
        for &id in d.keys() {
            df[id as usize] += 1;
        }
    }
    let n = docs.len() as f32;
    let idf: Vec<f32> = df.iter().map(|&d| (n / d.max(1) as f32).ln() + 1.0).collect();
    let mut postings = vec![Vec::new(); vocab.len()];
    for (s, d) in docs.iter().enumerate() {
        let weights: Vec<(u32, f32)> = d.iter().map(|(&id, &tf)| (id, (1.0 + tf.ln()) * idf[id as usize])).collect();
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(f32::EPSILON);
        for (id, w) in weights {
            postings[id as usize].push((s as SkillIx, w / norm));
        }
    }
    TfIdf { vocab, idf, postings }
}

fn text_of(text: &str, w: &text::Word) -> String {
    text[w.span.clone()].to_owned()
}

impl TfIdf {
    /// Skills by cosine similarity with `text`, best first, at most `k`.
    pub fn rank(&self, text: &str, k: usize) -> Vec<SkillIx> {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        for w in text::words(text) {
            if let Some(&id) = self.vocab.get(&w.folded) {
                *tf.entry(id).or_default() += 1.0;
            }
        }
        let q: Vec<(u32, f32)> = tf.iter().map(|(&id, &c)| (id, (1.0 + c.ln()) * self.idf[id as usize])).collect();
        let norm = q.iter().map(|(_, w)| w * w).sum::<f32>().sqrt().max(f32::EPSILON);
        let mut scores: HashMap<SkillIx, f32> = HashMap::new();
        for (id, w) in q {
            for &(s, dw) in &self.postings[id as usize] {
                *scores.entry(s).or_default() += w / norm * dw;
            }
        }
        let mut ranked: Vec<(SkillIx, f32)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(k).map(|(s, _)| s).collect()
    }
}
