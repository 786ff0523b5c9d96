//! Okapi BM25 over plain keywords — the baseline our matching is measured against.
//! Tokens are lower-cased runs of letters and digits; no stemming, synonyms or taxonomy: exactly
//! what "plain keyword matching" can see.

use std::collections::HashMap;

const K1: f64 = 1.2;
const B: f64 = 0.75;

fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect()
}

#[derive(Debug)]
pub struct Bm25Index {
    ids: Vec<String>,
    docs: Vec<HashMap<String, u32>>,
    lengths: Vec<f64>,
    average: f64,
    document_frequency: HashMap<String, u32>,
}

impl Bm25Index {
    pub fn new<'a>(docs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let (mut ids, mut counted, mut lengths) = (Vec::new(), Vec::new(), Vec::new());
        let mut document_frequency: HashMap<String, u32> = HashMap::new();
        for (id, text) in docs {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let t = tokens(text);
            lengths.push(t.len() as f64);
            for token in t {
                *tf.entry(token).or_default() += 1;
            }
            for token in tf.keys() {
                *document_frequency.entry(token.clone()).or_default() += 1;
            }
            ids.push(id.to_owned());
            counted.push(tf);
        }
        let average = if lengths.is_empty() { 0.0 } else { lengths.iter().sum::<f64>() / lengths.len() as f64 };
        Self { ids, docs: counted, lengths, average, document_frequency }
    }

    /// Score of every document for `query`, highest first (ties by id).
    pub fn rank(&self, query: &str) -> Vec<(String, f64)> {
        let n = self.docs.len() as f64;
        let mut query_terms = tokens(query);
        query_terms.sort();
        query_terms.dedup();
        let mut scored: Vec<(String, f64)> = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, tf)| {
                let score = query_terms
                    .iter()
                    .filter_map(|q| {
                        let f = f64::from(*tf.get(q)?);
                        let df = f64::from(self.document_frequency.get(q).copied().unwrap_or(0));
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        Some(idf * f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * self.lengths[i] / self.average)))
                    })
                    .sum();
                (self.ids[i].clone(), score)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        scored
    }
}

/// NDCG@k of a ranking given graded relevance (gain 2^grade − 1, log2 discount).
pub fn ndcg_at(k: usize, ranking: &[String], grades: &HashMap<String, u32>) -> f64 {
    let gain = |g: u32| f64::from((1u32 << g) - 1);
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, id)| gain(grades.get(id).copied().unwrap_or(0)) / ((i + 2) as f64).log2())
        .sum();
    let mut ideal: Vec<u32> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal.iter().take(k).enumerate().map(|(i, g)| gain(*g) / ((i + 2) as f64).log2()).sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarer_matching_terms_score_higher_and_length_is_normalised() {
        let index =
            Bm25Index::new([("a", "welder welder steel"), ("b", "welder office"), ("c", "office office office")]);
        let ranked = index.rank("welder steel");
        assert_eq!(ranked[0].0, "a");
        assert_eq!(ranked[2], ("c".to_owned(), 0.0));
        // Hand-computed: N=3, df(steel)=1 → idf = ln((3-1+0.5)/(1+0.5)+1) = ln(2.6667).
        let idf_steel = (2.5f64 / 1.5 + 1.0).ln();
        let idf_welder = (1.5f64 / 2.5 + 1.0).ln();
        let avg = 8.0 / 3.0;
        let tf = |f: f64, len: f64| f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len / avg));
        let expected = idf_welder * tf(2.0, 3.0) + idf_steel * tf(1.0, 3.0);
        assert!((ranked[0].1 - expected).abs() < 1e-12, "{} vs {expected}", ranked[0].1);
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_lower_otherwise() {
        let grades = HashMap::from([("x".to_owned(), 3), ("y".to_owned(), 1), ("z".to_owned(), 0)]);
        let ideal = ["x".to_owned(), "y".to_owned(), "z".to_owned()];
        assert!((ndcg_at(10, &ideal, &grades) - 1.0).abs() < 1e-12);
        let swapped = ["y".to_owned(), "x".to_owned(), "z".to_owned()];
        // DCG = 1/log2(2) + 7/log2(3); IDCG = 7 + 1/log2(3).
        let expected = (1.0 + 7.0 / 3f64.log2()) / (7.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(10, &swapped, &grades) - expected).abs() < 1e-12);
    }
}
