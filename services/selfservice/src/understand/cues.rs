//! Matching the cue phrases of [`super::intents::CUES`] against tokens: at each word the best
//! cue starting there (most words, then fewest wildcards, then the longest phrase), left to
//! right without overlaps, so `niet meer ziek` (recovery) wins over `ziek` (sick).

use std::collections::HashMap;

use super::intents::{CUES, Intent};
use super::text::{Kind, Lexicon, Token};

/// Words a gap (`~`) may skip.
const MAX_GAP: usize = 3;

/// One word of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pat {
    Exact(&'static str),
    Prefix(&'static str),
    Suffix(&'static str),
    Contains(&'static str),
    Gap,
}

impl Pat {
    fn matches(&self, word: &str) -> bool {
        match self {
            Pat::Exact(w) => word == *w,
            Pat::Prefix(p) => word.starts_with(p),
            Pat::Suffix(s) => word.ends_with(s),
            Pat::Contains(c) => word.contains(c),
            Pat::Gap => true,
        }
    }
}

#[derive(Debug)]
struct Cue {
    intent: Intent,
    phrase: &'static str,
    pats: Vec<Pat>,
    words: usize,
    wild: usize,
}

/// A cue found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct CueMatch {
    pub intent: Intent,
    pub phrase: &'static str,
    /// Token range of the match.
    pub from: usize,
    pub to: usize,
}

/// The compiled cue phrases.
#[derive(Debug)]
pub struct Cues {
    cues: Vec<Cue>,
    by_first: HashMap<&'static str, Vec<usize>>,
    wild_first: Vec<usize>,
}

impl Cues {
    pub fn new() -> Cues {
        let mut cues = Vec::new();
        for (intent, groups) in CUES {
            for phrase in groups.iter().flat_map(|g| g.split('|')) {
                let pats = compile(phrase);
                let words = pats.iter().filter(|p| **p != Pat::Gap).count();
                let wild =
                    pats.iter().filter(|p| matches!(p, Pat::Prefix(_) | Pat::Suffix(_) | Pat::Contains(_))).count();
                cues.push(Cue { intent, phrase, pats, words, wild });
            }
        }
        let mut by_first: HashMap<&'static str, Vec<usize>> = HashMap::new();
        let mut wild_first = Vec::new();
        for (i, cue) in cues.iter().enumerate() {
            match cue.pats.first() {
                Some(Pat::Exact(w)) => by_first.entry(w).or_default().push(i),
                _ => wild_first.push(i),
            }
        }
        Cues { cues, by_first, wild_first }
    }

    /// Adds every exact cue word to a typo lexicon.
    pub fn add_words(&self, lexicon: &mut Lexicon) {
        for cue in &self.cues {
            for p in &cue.pats {
                if let Pat::Exact(w) = p {
                    lexicon.add(w, 1);
                }
            }
        }
    }

    /// The cues in `tokens`, left to right, not overlapping.
    pub fn find(&self, tokens: &[Token]) -> Vec<CueMatch> {
        let words: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].kind != Kind::Punct).collect();
        let norms: Vec<&str> = words.iter().map(|&i| tokens[i].norm.as_str()).collect();
        let mut out = Vec::new();
        let mut k = 0;
        while k < norms.len() {
            let candidates = self.by_first.get(norms[k]).into_iter().flatten().chain(self.wild_first.iter());
            let best = candidates
                .filter_map(|&c| {
                    let cue = &self.cues[c];
                    Some((cue, match_from(&cue.pats, &norms, k)?))
                })
                .max_by(|(a, _), (b, _)| {
                    (a.words, usize::MAX - a.wild, a.phrase.len(), b.phrase).cmp(&(
                        b.words,
                        usize::MAX - b.wild,
                        b.phrase.len(),
                        a.phrase,
                    ))
                });
            match best {
                Some((cue, end)) => {
                    out.push(CueMatch {
                        intent: cue.intent,
                        phrase: cue.phrase,
                        from: words[k],
                        to: words[end - 1] + 1,
                    });
                    k = end;
                }
                None => k += 1,
            }
        }
        out
    }
}

/// A phrase pattern: words separated by spaces, `~` a gap of up to three words, `x*` a prefix,
/// `*x` a suffix, `*x*` a substring.
pub fn compile(phrase: &'static str) -> Vec<Pat> {
    phrase
        .split(' ')
        .map(|w| {
            if w == "~" {
                Pat::Gap
            } else if let Some(c) = w.strip_prefix('*').and_then(|c| c.strip_suffix('*')) {
                Pat::Contains(c)
            } else if let Some(p) = w.strip_suffix('*') {
                Pat::Prefix(p)
            } else if let Some(s) = w.strip_prefix('*') {
                Pat::Suffix(s)
            } else {
                Pat::Exact(w)
            }
        })
        .collect()
}

/// The first match of `pats` in the words of `tokens`: token range.
pub fn find_first(pats: &[Pat], tokens: &[Token]) -> Option<(usize, usize)> {
    let words: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].kind != Kind::Punct).collect();
    let norms: Vec<&str> = words.iter().map(|&i| tokens[i].norm.as_str()).collect();
    (0..norms.len()).find_map(|k| match_from(pats, &norms, k).filter(|&e| e > k).map(|e| (words[k], words[e - 1] + 1)))
}

/// Where `pats` matched from word `k` ends (exclusive), if they match.
fn match_from(pats: &[Pat], words: &[&str], k: usize) -> Option<usize> {
    let Some((first, rest)) = pats.split_first() else { return Some(k) };
    if *first == Pat::Gap {
        return (0..=MAX_GAP).find_map(|skip| match_from(rest, words, k + skip).filter(|_| k + skip <= words.len()));
    }
    if first.matches(words.get(k)?) { match_from(rest, words, k + 1) } else { None }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn found(text: &str) -> Vec<(Intent, &'static str)> {
        Cues::new().find(&tokenize(text)).into_iter().map(|m| (m.intent, m.phrase)).collect()
    }

    #[test]
    fn longest_cue_wins_and_gaps_and_wildcards_match() {
        assert_eq!(found("ik ben niet meer ziek"), [(Intent::RecoveryReport, "niet meer ziek")]);
        assert_eq!(found("ik ben ziek"), [(Intent::SickReport, "ziek")]);
        assert_eq!(found("hoeveel vakantiedagen heb ik nog?"), [(Intent::LeaveBalance, "hoeveel ~ nog")]);
        assert_eq!(found("mijn loonstrookje"), [(Intent::PayslipShow, "loonstrook*")]);
        assert_eq!(
            found("Arbeitsunfähigkeitsbescheinigung"),
            [(Intent::SickReport, "arbeitsunfahigkeitsbescheinigung")]
        );
        assert_eq!(found("Verdienstbescheinigung"), [(Intent::CertificateRequest, "*bescheinigung")]);
        assert_eq!(found("I don't need it anymore"), [(Intent::LeaveCancel, "don t need ~ anymore")]);
    }
}
