//! VADER's rules (Hutto & Gilbert, ICWSM 2014), for English as published and carried over to
//! Dutch and German: negation within three tokens ("niet zo goed"), boosters and dampeners,
//! ALL CAPS emphasis, "but" shifting weight to what follows. Dutch and German add a negator at
//! the end of a clause that negates the verb before it ("Ich mag meinen Job nicht").

use super::Locale;
use super::lexicon::{Found, Lexicons};
use super::phrases::{self, Match};
use super::tokens::Token;
use super::topics::Topic;
use super::words::{FALSE_FRIENDS, Words, words};

/// ALL CAPS emphasis of a word among lower-case ones.
const C_INCR: f64 = 0.733;
/// A negated word keeps 74 % of its strength, flipped.
const N_SCALAR: f64 = -0.74;
const BEFORE_CONTRAST: f64 = 0.5;
const AFTER_CONTRAST: f64 = 1.5;
/// Tokens a negator or booster reaches forward.
const SCOPE: usize = 3;
/// Tokens a Dutch or German clause-final negator reaches back.
const POST_SCOPE: usize = 6;

/// A word or phrase that counted, with its final valence (VADER units, about −4..4).
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub valence: f64,
    pub negated: bool,
}

/// What the rules found in a comment.
pub(super) struct Scored {
    pub items: Vec<Item>,
    /// Topics of the workplace words and phrases that matched.
    pub topics: Vec<Topic>,
}

pub(super) struct Context<'a> {
    pub tokens: &'a [Token],
    /// The comment's language: its rules apply.
    pub lang: Locale,
    /// Lexicons to consult, `lang` first (all three when the comment is mixed).
    pub languages: &'a [Locale],
    pub lex: &'a Lexicons,
}

/// What one token is to the rules.
#[derive(Debug, Clone, Default)]
struct Slot {
    found: Option<Found>,
    /// Intensifier (> 0) or dampener (< 0).
    booster: f64,
    negator: bool,
    /// Inside a matched phrase, or the inert first word of a multi-word booster ("kind of").
    taken: bool,
    /// A lexicon word: VADER lets modifiers further back act only across non-lexicon words.
    lexical: bool,
}

impl Context<'_> {
    fn words(&self) -> impl Iterator<Item = &'static Words> + '_ {
        self.languages.iter().map(|l| words(*l))
    }

    fn english(&self) -> bool {
        self.lang == Locale::En
    }

    fn lower(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.lower.as_str())
    }

    /// A clause boundary lies between tokens `from` and `to` (`from` < `to`).
    fn boundary_between(&self, from: usize, to: usize) -> bool {
        self.tokens[from + 1..=to].iter().any(|t| t.clause_start)
    }

    /// Negation and boosters reach across commas in English ("not smart, handsome, nor funny", as
    /// VADER), not across a sentence end; in Dutch and German not across any clause boundary.
    fn scope_ends_between(&self, from: usize, to: usize) -> bool {
        if self.english() {
            self.tokens[from + 1..=to].iter().any(|t| t.sentence_start)
        } else {
            self.boundary_between(from, to)
        }
    }

    fn is_negator(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        if t.emoji.is_some() {
            return false;
        }
        let next = self.tokens.get(i + 1).map_or("", |n| n.folded.as_str());
        let negates = self.words().any(|w| w.is_negator(&t.folded))
            || (self.languages.contains(&Locale::En) && t.lower.contains("n't"));
        negates && !self.words().any(|w| w.not_negating_before.contains(next))
    }

    fn is_post_negator(&self, i: usize) -> bool {
        self.words().any(|w| w.post_negators.contains(self.tokens[i].folded.as_str()))
    }

    /// A contrast word or conjunction: a clause-final negator does not reach back across it.
    fn joins_clauses(&self, i: usize) -> bool {
        self.is_contrast(i) || self.words().any(|w| w.conjunctions.contains(self.tokens[i].folded.as_str()))
    }

    fn is_contrast(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        let next = self.tokens.get(i + 1).map_or("", |n| n.folded.as_str());
        self.words().any(|w| {
            (w.contrast.contains(t.folded.as_str()) && !w.contrast_not_before.contains(next))
                || (t.clause_start && w.contrast_at_clause_start.contains(t.folded.as_str()))
        })
    }

    /// The token's valence in the first lexicon that knows it (false friends only in the first).
    fn lookup(&self, t: &Token) -> Option<Found> {
        if t.emoji.is_some() {
            return self.lex.lookup(Locale::En, &t.lower, &t.folded);
        }
        self.languages.iter().enumerate().find_map(|(k, l)| {
            if k > 0 && FALSE_FRIENDS.contains(t.folded.as_str()) {
                return None;
            }
            self.lex.lookup(*l, &t.lower, &t.folded)
        })
    }
}

/// Finds the sentiment items of a comment and applies the rules to them.
pub(super) fn score(cx: &Context) -> Scored {
    let tokens = cx.tokens;
    let mut matches = Vec::new();
    for l in cx.languages {
        cx.lex.phrases[l.index()].find(tokens, &mut matches);
    }
    let matches = phrases::resolve(matches);
    let slots = slots(cx, &matches);
    let mut topics: Vec<Topic> = matches.iter().filter_map(|m| m.phrase.topic).collect();
    topics.extend(slots.iter().filter(|s| !s.taken).filter_map(|s| s.found.and_then(|f| f.topic)));

    let mut items: Vec<(Item, &[usize])> = Vec::new();
    for m in matches.iter().filter(|m| m.phrase.weight != 0.0) {
        let text: Vec<&str> =
            (m.start..=m.end).filter(|i| !m.gaps.contains(i)).map(|i| tokens[i].lower.as_str()).collect();
        let item = Item { text: text.join(" "), start: m.start, end: m.end, valence: m.phrase.weight, negated: false };
        items.push((item, &m.gaps));
    }
    for (i, slot) in slots.iter().enumerate() {
        if let (false, Some(found)) = (slot.taken, slot.found) {
            let text = match tokens[i].emoji {
                Some(emoji) => format!("{emoji} {}", tokens[i].lower),
                None => tokens[i].lower.clone(),
            };
            items.push((Item { text, start: i, end: i, valence: found.valence, negated: false }, &[]));
        }
    }
    items.sort_by_key(|(item, _)| item.start);

    let cap_diff = {
        let caps = tokens.iter().filter(|t| t.caps).count();
        caps > 0 && caps < tokens.len()
    };
    let mut used = vec![false; tokens.len()];
    for (item, gaps) in &mut items {
        modify(cx, &slots, item, gaps, cap_diff, &mut used);
    }
    let mut items: Vec<Item> = items.into_iter().map(|(item, _)| item).collect();
    if !cx.english() {
        negate_from_clause_end(cx, &slots, &used, &mut items);
    }
    if let Some(c) = (0..tokens.len()).find(|&i| !slots[i].taken && cx.is_contrast(i)) {
        for item in &mut items {
            item.valence *= if item.start < c { BEFORE_CONTRAST } else { AFTER_CONTRAST };
        }
    }
    Scored { items, topics }
}

/// Roles of the tokens: phrase parts, multi-word boosters, negators, boosters, lexicon words.
fn slots(cx: &Context, matches: &[Match<'_>]) -> Vec<Slot> {
    let tokens = cx.tokens;
    let mut slots = vec![Slot::default(); tokens.len()];
    for m in matches {
        for i in (m.start..=m.end).filter(|i| !m.gaps.contains(i)) {
            slots[i].taken = true;
            slots[i].lexical = m.phrase.weight != 0.0;
        }
    }
    for i in 0..tokens.len() {
        for (phrase, scalar) in cx.words().flat_map(|w| w.multi_boosters) {
            let end = i + phrase.split_whitespace().count() - 1;
            let fits = end < tokens.len()
                && phrase.split_whitespace().enumerate().all(|(k, w)| {
                    let t = &tokens[i + k];
                    t.folded == w && !slots[i + k].taken && (k == 0 || !t.clause_start)
                });
            if fits {
                for slot in &mut slots[i..end] {
                    slot.taken = true;
                }
                slots[end].booster = *scalar;
                slots[end].taken = true;
                slots[end].lexical = false;
            }
        }
    }
    for (i, t) in tokens.iter().enumerate() {
        if slots[i].taken {
            continue;
        }
        let slot = &mut slots[i];
        slot.found = cx.lookup(t);
        if t.emoji.is_none() {
            slot.negator = cx.is_negator(i);
            slot.booster = cx.words().find_map(|w| w.booster(&t.folded)).unwrap_or(0.0);
        }
        slot.lexical = slot.found.is_some() || (cx.english() && cx.lex.in_vader(&t.lower));
        if cx.english() {
            if slot.booster != 0.0 {
                slot.found = None;
            }
        } else if slot.negator {
            slot.found = None;
            slot.lexical = false;
        }
    }
    // Dutch and German boosters that are also words ("super", "erg", "echt") boost when a
    // sentiment word or another booster follows in the clause, and count themselves otherwise.
    if !cx.english() {
        for i in (0..tokens.len()).rev() {
            if slots[i].taken || slots[i].booster == 0.0 || slots[i].found.is_none() {
                continue;
            }
            let boosts = tokens.get(i + 1).is_some_and(|n| !n.clause_start)
                && slots.get(i + 1).is_some_and(|n| n.found.is_some() || n.booster != 0.0 || n.taken);
            if boosts {
                slots[i].found = None;
                slots[i].lexical = false;
            } else {
                slots[i].booster = 0.0;
            }
        }
    }
    slots
}

/// The scalar a booster at `slot` adds to `valence` (its sign follows the valence).
fn scalar(t: &Token, slot: &Slot, valence: f64, cap_diff: bool) -> f64 {
    if slot.booster == 0.0 {
        return 0.0;
    }
    let mut s = if valence < 0.0 { -slot.booster } else { slot.booster };
    if t.caps && cap_diff {
        s += if valence > 0.0 { C_INCR } else { -C_INCR };
    }
    s
}

/// VADER's `sentiment_valence` for one item: caps, boosters and negation up to three tokens back
/// (not across a clause boundary), "least", and negators or boosters inside a phrase's gaps.
fn modify(cx: &Context, slots: &[Slot], item: &mut Item, gaps: &[usize], cap_diff: bool, used: &mut [bool]) {
    let tokens = cx.tokens;
    let i = item.start;
    let base = item.valence;
    let mut v = base;
    let mut negated = false;
    let w = |k: usize| cx.lower(k);
    if cx.english() && i == item.end {
        if w(i) == "no" && cx.lex.in_vader(w(i + 1)) {
            v = 0.0;
        }
        let no_before = (i > 0 && w(i - 1) == "no")
            || (i > 1 && w(i - 2) == "no")
            || (i > 2 && w(i - 3) == "no" && matches!(w(i - 1), "or" | "nor"));
        if no_before {
            v = base * N_SCALAR;
            negated = true;
        }
    }
    if cap_diff && (item.start..=item.end).filter(|k| !gaps.contains(k)).all(|k| tokens[k].caps) {
        v += if v > 0.0 { C_INCR } else { -C_INCR };
    }
    for k in 0..SCOPE {
        if i <= k {
            break;
        }
        let j = i - (k + 1);
        if cx.scope_ends_between(j, i) {
            break;
        }
        if slots[j].lexical {
            // VADER looks past a lexicon word for a negator further back; in Dutch and German a
            // sentiment word ends the reach ("niet veilig om problemen te benoemen").
            if cx.english() {
                continue;
            }
            break;
        }
        let factor = [1.0, 0.95, 0.9][k];
        v += scalar(&tokens[j], &slots[j], v, cap_diff) * factor;
        let so_this = |x: &str| matches!(x, "so" | "this");
        let special = cx.english()
            && match k {
                1 => (w(j) == "never" && so_this(w(i - 1))) || (w(j) == "without" && w(i - 1) == "doubt"),
                2 => {
                    (w(j) == "never" && so_this(w(j + 1)))
                        || so_this(w(i - 1))
                        || (w(j) == "without" && (w(j + 1) == "doubt" || w(i - 1) == "doubt"))
                }
                _ => false,
            };
        if special {
            if w(j) != "without" {
                v *= 1.25;
            }
        } else if slots[j].negator {
            v *= N_SCALAR;
            negated = !negated;
            used[j] = true;
        }
    }
    if cx.english()
        && i > 0
        && w(i - 1) == "least"
        && !slots[i - 1].lexical
        && !(i > 1 && matches!(w(i - 2), "at" | "very"))
    {
        v *= N_SCALAR;
        negated = !negated;
    }
    for &g in gaps {
        if slots[g].negator {
            v *= N_SCALAR;
            negated = !negated;
            used[g] = true;
        } else if slots[g].booster > 0.0 {
            v += scalar(&tokens[g], &slots[g], v, cap_diff);
        }
    }
    item.valence = v;
    item.negated = negated;
}

/// Dutch and German: a negator that negates nothing after it in its clause negates the nearest
/// word before it in the clause ("Ik waardeer dat niet", "Das gefällt mir nicht").
fn negate_from_clause_end(cx: &Context, slots: &[Slot], used: &[bool], items: &mut [Item]) {
    let tokens = cx.tokens;
    let negators: Vec<usize> = (0..tokens.len())
        .filter(|&j| slots[j].negator && !used[j] && !slots[j].taken && cx.is_post_negator(j))
        .collect();
    if negators.is_empty() {
        return;
    }
    let joins: Vec<bool> = (0..tokens.len()).map(|k| cx.joins_clauses(k)).collect();
    for j in negators {
        let clause_end = (j + 1..tokens.len()).find(|&k| tokens[k].clause_start || joins[k]).unwrap_or(tokens.len());
        if items.iter().any(|it| it.start > j && it.start < clause_end) {
            continue;
        }
        let target = items
            .iter_mut()
            .filter(|it| it.end < j && j - it.end <= POST_SCOPE && !cx.boundary_between(it.end, j))
            .filter(|it| !(it.end + 1..j).any(|k| joins[k]))
            .max_by_key(|it| it.end);
        if let Some(item) = target {
            item.valence *= N_SCALAR;
            item.negated = !item.negated;
        }
    }
}
