//! Postal addresses in an address change: street, house number, postcode and city.
//!
//! - Postcodes: Dutch `1234 AB` / `1234AB` (normalised to `1234AB`), German five digits, Belgian
//!   four digits (only right after a house number, so `2025` in a sentence is not one).
//! - House number: digits with an optional one- or two-letter addition (`14b`), right after a
//!   street: a word ending in a street suffix (`straat`, `laan`, `weg`, `straße`, `str.`,
//!   `gasse`, `street`, …) or, when a postcode follows, a capitalised word.
//! - Street: walking left from the number over capitalised words and particles (`van`, `de`,
//!   `la`, `der`) until a lower-case word or `adres`/`is`/`naar`/…; leading particles dropped
//!   (`in der Alten Gasse 8` → `Alten Gasse`).
//! - City: the word after the postcode; without a postcode a capitalised word after `naar`/
//!   `nach`/`to`, or after the house number and a comma.
//!
//! Values keep the employee's spelling (`Hauptstraße`); only the postcode is normalised.

use std::fmt;

use super::text::{Kind, Token};

/// Which country's postcode format matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Country {
    Nl,
    De,
    Be,
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Country::Nl => "NL",
            Country::De => "DE",
            Country::Be => "BE",
        })
    }
}

/// The parts of an address the employee gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressSlot {
    pub street: Option<String>,
    pub number: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    /// Implied by the postcode's format.
    pub country: Option<Country>,
}

impl AddressSlot {
    /// `(name, value)` pairs for the parts present.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [("street", &self.street), ("number", &self.number), ("postcode", &self.postcode), ("city", &self.city)]
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.clone()?)))
            .collect()
    }
}

const SUFFIXES: [&str; 27] = [
    "straat", "laan", "weg", "gracht", "plein", "kade", "singel", "dijk", "hof", "park", "pad", "steeg", "markt",
    "dreef", "baan", "strasse", "str", "allee", "gasse", "ring", "platz", "ufer", "damm", "street", "road", "avenue",
    "lane",
];
const PARTICLES: [&str; 12] = ["van", "de", "der", "den", "la", "le", "du", "am", "an", "auf", "zum", "zur"];
const STOP: [&str; 28] = [
    "adres",
    "adresse",
    "address",
    "anschrift",
    "woonadres",
    "wohnadresse",
    "is",
    "ist",
    "naar",
    "nach",
    "to",
    "at",
    "op",
    "in",
    "nu",
    "now",
    "jetzt",
    "new",
    "nieuw",
    "nieuwe",
    "neue",
    "neu",
    "mijn",
    "my",
    "meine",
    "auf",
    "wordt",
    "the",
];
/// Two-letter words that are not the letters of a Dutch postcode.
const NOT_POSTCODE_LETTERS: [&str; 14] =
    ["en", "in", "op", "om", "is", "te", "of", "to", "on", "at", "im", "am", "um", "zu"];

fn word(tokens: &[Token], i: usize) -> Option<&str> {
    tokens.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.norm.as_str())
}

fn is_street_word(w: &str) -> bool {
    SUFFIXES.iter().any(|s| w.ends_with(s) && w.len() > s.len() + 1)
}

/// The postcode at `i`: normalised value, country, token after it.
fn postcode_at(tokens: &[Token], i: usize) -> Option<(String, Country, usize)> {
    let t = tokens.get(i).filter(|t| t.kind == Kind::Num)?;
    let lead = t.norm.as_bytes().first().copied()?;
    match t.norm.len() {
        5 => Some((t.norm.clone(), Country::De, i + 1)),
        4 if lead != b'0' => {
            let letters = word(tokens, i + 1).filter(|w| w.len() == 2 && w.chars().all(|c| c.is_ascii_alphabetic()));
            if let Some(l) = letters.filter(|l| !NOT_POSTCODE_LETTERS.contains(l)) {
                return Some((format!("{}{}", t.norm, l.to_ascii_uppercase()), Country::Nl, i + 2));
            }
            let after_number = (1..=2).any(|back| {
                i.checked_sub(back)
                    .and_then(|k| tokens.get(k))
                    .is_some_and(|p| p.kind == Kind::Num && p.norm.len() <= 4)
            });
            (after_number && word(tokens, i + 1).is_some()).then(|| (t.norm.clone(), Country::Be, i + 1))
        }
        _ => None,
    }
}

/// The street ending right before the number at `n`: its first token index, if any.
fn street_before(text: &str, tokens: &[Token], n: usize, postcode_follows: bool) -> Option<usize> {
    let mut end = n.checked_sub(1)?;
    if tokens[end].is_punct('.') {
        end = end.checked_sub(1)?; // `Bahnhofstr. 5`
    }
    let last = word(tokens, end)?;
    if !(is_street_word(last) || (postcode_follows && tokens[end].capitalised(text))) || STOP.contains(&last) {
        return None;
    }
    let mut start = end;
    while let Some(k) = start.checked_sub(1) {
        let Some(w) = word(tokens, k) else { break };
        if STOP.contains(&w) || !(tokens[k].capitalised(text) || PARTICLES.contains(&w)) {
            break;
        }
        start = k;
    }
    while start < end && !tokens[start].capitalised(text) && word(tokens, start).is_some_and(|w| PARTICLES.contains(&w))
    {
        start += 1;
    }
    Some(start)
}

/// The address in `tokens` and its token span.
pub fn find(text: &str, tokens: &[Token]) -> Option<(AddressSlot, (usize, usize))> {
    let mut a = AddressSlot::default();
    let mut span: Option<(usize, usize)> = None;
    let mut widen = |from: usize, to: usize| {
        span = Some(span.map_or((from, to), |(f, t)| (f.min(from), t.max(to))));
    };
    let postcode = (0..tokens.len()).find_map(|i| postcode_at(tokens, i).map(|p| (i, p)));
    let mut city_from = None;
    if let Some((i, (code, country, next))) = &postcode {
        a.postcode = Some(code.clone());
        a.country = Some(*country);
        widen(*i, *next);
        city_from = Some(*next);
    }
    for n in 0..tokens.len() {
        let t = &tokens[n];
        if t.kind != Kind::Num || t.norm.len() > 4 || postcode.as_ref().is_some_and(|(i, _)| *i == n) {
            continue;
        }
        let mut end = n + 1;
        if tokens.get(n + 1).is_some_and(|s| !s.spaced && s.kind == Kind::Word && s.norm.chars().count() <= 2) {
            end = n + 2;
        }
        let follows = postcode.as_ref().is_some_and(|(i, _)| *i >= end && *i <= end + 1);
        let Some(start) = street_before(text, tokens, n, follows) else { continue };
        a.street = Some(text[tokens[start].start..tokens[n - 1].end].to_owned());
        a.number = Some(text[t.start..tokens[end - 1].end].to_owned());
        widen(start, end);
        if city_from.is_none() && tokens.get(end).is_some_and(|c| c.is_punct(',')) {
            city_from = Some(end + 1);
        }
        break;
    }
    if city_from.is_none() && a.street.is_none() {
        city_from = (0..tokens.len())
            .find(|&i| word(tokens, i).is_some_and(|w| ["naar", "nach", "to"].contains(&w)))
            .map(|i| i + 1)
            .filter(|&c| tokens.get(c).is_some_and(|t| t.capitalised(text)));
    }
    if let Some(c) = city_from
        && let Some(w) = word(tokens, c).filter(|w| !STOP.contains(w))
        && (a.postcode.is_some() || tokens[c].capitalised(text))
    {
        let last =
            if ["den", "bad", "sankt", "st", "sint"].contains(&w) && word(tokens, c + 1).is_some() { c + 1 } else { c };
        a.city = Some(text[tokens[c].start..tokens[last].end].to_owned());
        widen(c, last + 1);
    }
    Some((a, span?))
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn pairs(text: &str) -> Vec<(&'static str, String)> {
        find(text, &tokenize(text)).map(|(a, _)| a.pairs()).unwrap_or_default()
    }

    fn p(items: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        items.iter().map(|&(k, v)| (k, v.to_owned())).collect()
    }

    #[test]
    fn reads_dutch_german_and_belgian_addresses() {
        assert_eq!(
            pairs("mijn nieuwe adres is Kerkstraat 12, 3511 AB Utrecht"),
            p(&[("street", "Kerkstraat"), ("number", "12"), ("postcode", "3511AB"), ("city", "Utrecht")])
        );
        assert_eq!(
            pairs("ich wohne jetzt in der Alten Gasse 8, 60311 Frankfurt"),
            p(&[("street", "Alten Gasse"), ("number", "8"), ("postcode", "60311"), ("city", "Frankfurt")])
        );
        assert_eq!(
            pairs("new address: Rue de la Loi 16, 1000 Brussels"),
            p(&[("street", "Rue de la Loi"), ("number", "16"), ("postcode", "1000"), ("city", "Brussels")])
        );
        assert_eq!(
            pairs("neue adresse kaiserstr. 3 76133 karlsruhe"),
            p(&[("street", "kaiserstr."), ("number", "3"), ("postcode", "76133"), ("city", "karlsruhe")])
        );
        assert_eq!(pairs("adres is nu achterweg 14b"), p(&[("street", "achterweg"), ("number", "14b")]));
        assert_eq!(pairs("ik ben verhuisd naar Rotterdam"), p(&[("city", "Rotterdam")]));
        assert_eq!(pairs("mijn postcode is nu 5611 AZ"), p(&[("postcode", "5611AZ")]));
        assert_eq!(pairs("jaaropgaaf 2025 graag"), p(&[]));
    }
}
