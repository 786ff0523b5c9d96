//! Dutch and German closed compounds: a vocabulary term plus a known part
//! ("heftruck|certificaat", "stapler|schein", with linking -s-/-en-), or a known part or term
//! followed by a term ("werkplaats|lassen"). Splitting is bounded: only words of at most
//! [`MAX_WORD_CHARS`] letters are cut, tails are looked up by their surface (no stemming), and
//! at most [`MAX_HEAD_STEMS`] heads are stemmed per word, so a hostile word costs a constant.

use super::{Candidate, Entry, Extractor, MAX_WORD_CHARS, MatchKind, Token, Work, inflection, stem};
use crate::lang::Lang;

/// Most heads stemmed while splitting one word; a real compound needs one to three.
pub(super) const MAX_HEAD_STEMS: usize = 12;

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

/// Shortest word worth splitting, and shortest term accepted as a compound's tail.
const MIN_WORD_CHARS: usize = 7;
const MIN_TAIL_CHARS: usize = 5;

impl Extractor {
    /// A single-word, case-insensitive term of `lang` whose stem is the stem of `part`.
    fn single_by_stem(&self, lang: Lang, part: &str, budget: &mut usize, work: &mut Work) -> Option<&Entry> {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        let key = stem(&self.stemmers[lang.index()], part, work);
        self.index[lang.index()]
            .get(&key)
            .and_then(|v| v.iter().find(|e| e.rest.is_empty() && e.case_sensitive.is_none()))
    }

    /// A single-word term of `lang` that `tail` is, or inflects ("lassen", "lasser").
    fn single_by_surface(&self, lang: Lang, tail: &str, work: &mut Work) -> Option<&Entry> {
        let surfaces = &self.surfaces[lang.index()];
        work.compound_lookups += 1;
        if let Some(e) = surfaces.get(tail) {
            return Some(e);
        }
        inflection::endings(lang).iter().filter_map(|end| tail.strip_suffix(end)).find_map(|base| {
            work.compound_lookups += 1;
            surfaces.get(base)
        })
    }

    /// Pushes the compound at token `i`, if its word splits into a skill and a known part.
    pub(super) fn compound_at(
        &self,
        tokens: &[Token<'_>],
        stems: &[Box<str>],
        i: usize,
        lang: Lang,
        work: &mut Work,
        out: &mut Vec<Candidate>,
    ) {
        if lang == Lang::En || self.index[lang.index()].contains_key(&stems[i]) {
            return;
        }
        let word = tokens[i].folded.as_str();
        let chars = word.chars().count();
        if !(MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&chars) {
            return;
        }
        // Cuts whose tail is a known part, found from the parts (a few suffix tests) rather
        // than by testing every part at every cut.
        let part_cuts: Vec<usize> = COMPOUND_PARTS
            .iter()
            .filter(|p| word.ends_with(*p))
            .flat_map(|p| {
                let at = word.len() - p.len();
                let linked = |link: &str| word[..at].ends_with(link).then(|| at - link.len());
                [Some(at), linked("s"), linked("en")]
            })
            .flatten()
            .collect();
        let mut budget = MAX_HEAD_STEMS;
        let found =
            |e: &Entry| Candidate { skill: e.skill, first: i, last: i, how: MatchKind::Compound, origin: e.origin };
        for (n, (cut, _)) in word.char_indices().enumerate().skip(3) {
            let (head, tail) = word.split_at(cut);
            let tail_chars = chars - n;
            if tail_chars < 3 {
                break;
            }
            // The tail is a known part, so the head is what was learnt ("heftruck|certificaat").
            if part_cuts.contains(&cut) {
                for h in [head.to_owned(), format!("{head}en"), format!("{head}n")] {
                    if let Some(e) = self.single_by_stem(lang, &h, &mut budget, work) {
                        out.push(found(e));
                        return;
                    }
                }
            }
            // The tail is the skill and the compound's head word; the part before it must be a
            // known part or term, else the tail is only the end of an unrelated word.
            if tail_chars >= MIN_TAIL_CHARS
                && let Some(e) = self.single_by_surface(lang, tail, work)
                && (COMPOUND_PARTS.contains(&head) || self.single_by_stem(lang, head, &mut budget, work).is_some())
            {
                out.push(found(e));
                return;
            }
            if budget == 0 {
                return;
            }
        }
    }
}
