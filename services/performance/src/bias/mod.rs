//! Bias checks on feedback and review text, each finding explained in the text's language:
//! gendered wording (masculine- and feminine-coded words, Gaucher et al. 2011 and the team's
//! Dutch and German translations), personality labels instead of behaviour ("bossy",
//! "bazig", "zickig"), vague praise or criticism without an example, and recency (all the
//! evidence from the last weeks of the period). Deterministic word lists, so every finding
//! names the words that raised it.

pub mod eval;
pub mod lexicon;
#[cfg(test)]
mod tests;

use hrmesh_kit::locale::{Locale, fold};
use hrmesh_proto::performance::v1::BiasFinding;

pub use lexicon::words;

/// Identifier of the checks, as logged with their outputs.
pub const MODEL: &str = "performance.bias-lexicon@1";

/// Masculine-coded words.
pub const MASCULINE: &str = "masculine_coded";
/// Feminine-coded words.
pub const FEMININE: &str = "feminine_coded";
/// A character label instead of what the person did.
pub const PERSONALITY: &str = "personality";
/// Praise or criticism without an example.
pub const VAGUE: &str = "vague";
/// All evidence from the end of the period.
pub const RECENCY: &str = "recency";

/// Every check, in report order.
pub const CHECKS: [&str; 5] = [MASCULINE, FEMININE, PERSONALITY, VAGUE, RECENCY];

/// Days at the end of a period that count as "the last weeks".
pub const RECENT_DAYS: i64 = 42;
/// Periods shorter than this are not checked for recency.
const MIN_PERIOD_DAYS: i64 = 120;

const GAUCHER: &str = "Gaucher, Friesen & Kay (2011), Journal of Personality and Social Psychology 101(1)";
const GAUCHER_TRANSLATED: &str = "hrmesh team translation of Gaucher, Friesen & Kay (2011); see data/bias/README.md";

/// Splits `text` into sentences at `.`, `!`, `?` or a line break followed by a space or the end;
/// abbreviations such as "e.g." and "z.B." do not end a sentence.
pub fn sentences(text: &str) -> Vec<&str> {
    const ABBREVIATIONS: [&str; 8] = ["e.g", "i.e", "z.b", "z. b", "bv", "bijv", "d.h", "etc"];
    let mut out = Vec::new();
    let mut start = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (i, &(at, c)) in bytes.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?' | '\n') {
            continue;
        }
        let next_is_break = bytes.get(i + 1).is_none_or(|(_, n)| n.is_whitespace());
        if !next_is_break {
            continue;
        }
        let before = text[start..at].to_lowercase();
        if c == '.' && ABBREVIATIONS.iter().any(|a| before.ends_with(a)) {
            continue;
        }
        let sentence = text[start..at + c.len_utf8()].trim();
        if !sentence.is_empty() {
            out.push(sentence);
        }
        start = at + c.len_utf8();
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn explain(check: &str, locale: Locale, words: &[String]) -> String {
    let list = words.join(", ");
    match (check, locale) {
        (MASCULINE, Locale::En) => format!(
            "Masculine-coded words ({list}). Research on gendered wording (Gaucher et al. 2011) shows such words carry \
             a stereotype; describe what the person did and its effect instead."
        ),
        (MASCULINE, Locale::Nl) => format!(
            "Mannelijk gecodeerde woorden ({list}). Onderzoek naar genderbepaalde taal (Gaucher e.a. 2011) laat zien \
             dat zulke woorden een stereotype dragen; beschrijf liever wat de persoon deed en met welk effect."
        ),
        (MASCULINE, Locale::De) => format!(
            "Männlich konnotierte Wörter ({list}). Forschung zu geschlechtsbezogener Sprache (Gaucher u. a. 2011) \
             zeigt, dass solche Wörter ein Stereotyp transportieren; beschreiben Sie besser, was die Person getan hat \
             und mit welcher Wirkung."
        ),
        (FEMININE, Locale::En) => format!(
            "Feminine-coded words ({list}). Communal words (Gaucher et al. 2011) often describe women's work as \
             helping rather than achieving; name the concrete contribution and its result."
        ),
        (FEMININE, Locale::Nl) => format!(
            "Vrouwelijk gecodeerde woorden ({list}). Gemeenschapsgerichte woorden (Gaucher e.a. 2011) beschrijven \
             werk vaak als helpen in plaats van presteren; noem de concrete bijdrage en het resultaat."
        ),
        (FEMININE, Locale::De) => format!(
            "Weiblich konnotierte Wörter ({list}). Gemeinschaftsbezogene Wörter (Gaucher u. a. 2011) beschreiben \
             Arbeit oft als Helfen statt Leisten; nennen Sie den konkreten Beitrag und sein Ergebnis."
        ),
        (PERSONALITY, Locale::En) => format!(
            "Describes personality, not behaviour ({list}). Such labels appear far more often in reviews of women \
             (Snyder 2014); say what the person did, when, and what effect it had."
        ),
        (PERSONALITY, Locale::Nl) => format!(
            "Beschrijft een karaktertrek, geen gedrag ({list}). Zulke labels komen veel vaker voor in beoordelingen \
             van vrouwen (Snyder 2014); zeg wat de persoon deed, wanneer, en met welk effect."
        ),
        (PERSONALITY, Locale::De) => format!(
            "Beschreibt eine Eigenschaft statt Verhalten ({list}). Solche Etiketten stehen weit häufiger in \
             Beurteilungen von Frauen (Snyder 2014); sagen Sie, was die Person wann getan hat und mit welcher Wirkung."
        ),
        (VAGUE, Locale::En) => format!(
            "Vague: judgement without an example ({list}). Vague feedback is given more often to women and gives no \
             direction (Correll & Simard 2016); add a concrete situation, date or result."
        ),
        (VAGUE, Locale::Nl) => format!(
            "Vaag: een oordeel zonder voorbeeld ({list}). Vage feedback krijgen vrouwen vaker en het geeft geen \
             richting (Correll & Simard 2016); voeg een concrete situatie, datum of resultaat toe."
        ),
        (VAGUE, Locale::De) => format!(
            "Unkonkret: ein Urteil ohne Beispiel ({list}). Vages Feedback erhalten Frauen häufiger und es gibt keine \
             Richtung (Correll & Simard 2016); ergänzen Sie eine konkrete Situation, ein Datum oder ein Ergebnis."
        ),
        (_, Locale::En) => format!(
            "Recency: all evidence is from the last {} weeks of the period ({list}); look for examples from the whole \
             period.",
            RECENT_DAYS / 7
        ),
        (_, Locale::Nl) => format!(
            "Recency-effect: al het bewijs komt uit de laatste {} weken van de periode ({list}); zoek voorbeelden uit de \
             hele periode.",
            RECENT_DAYS / 7
        ),
        (_, Locale::De) => format!(
            "Recency-Effekt: alle Belege stammen aus den letzten {} Wochen des Zeitraums ({list}); suchen Sie Beispiele aus \
             dem ganzen Zeitraum.",
            RECENT_DAYS / 7
        ),
    }
}

fn finding(check: &str, locale: Locale, words: Vec<String>, source: &str) -> BiasFinding {
    BiasFinding { check: check.into(), explanation: explain(check, locale, &words), words, source: source.into() }
}

fn dedup(mut words: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    words.retain(|w| seen.insert(w.to_lowercase()));
    words
}

/// The word-level findings on `text` in `locale` (detected when `None`), and the language used.
pub fn check(text: &str, locale: Option<Locale>) -> (Locale, Vec<BiasFinding>) {
    let locale = locale.unwrap_or_else(|| Locale::detect(text));
    let lists = lexicon::of(locale);
    let (mut masculine, mut feminine, mut personality, mut vague) = (vec![], vec![], vec![], vec![]);
    for sentence in sentences(text) {
        let original = words(sentence);
        let folded: Vec<String> = original.iter().map(|w| fold(w)).collect();
        masculine.extend(lexicon::hits(&lists.masculine, &original, &folded));
        feminine.extend(lexicon::hits(&lists.feminine, &original, &folded));
        personality.extend(lexicon::hits(&lists.personality, &original, &folded));
        let anchored = sentence.chars().any(|c| c.is_ascii_digit())
            || !lexicon::hits(&lists.concrete, &original, &folded).is_empty();
        if !anchored {
            vague.extend(lexicon::hits(&lists.evaluative, &original, &folded));
        }
    }
    let source = if locale == Locale::En { GAUCHER } else { GAUCHER_TRANSLATED };
    let mut out = Vec::new();
    for (check, words, source) in [
        (MASCULINE, masculine, source),
        (FEMININE, feminine, source),
        (PERSONALITY, personality, "hrmesh personality-label list (data/bias/*.personality.txt)"),
        (VAGUE, vague, "hrmesh vagueness rule: evaluative words without a concrete marker or number"),
    ] {
        let words = dedup(words);
        if !words.is_empty() {
            out.push(finding(check, locale, words, source));
        }
    }
    (locale, out)
}

/// A recency finding when every evidence date lies in the last [`RECENT_DAYS`] of a period of at
/// least [`MIN_PERIOD_DAYS`] (and there are at least two dates).
pub fn recency(period: (time::Date, time::Date), evidence: &[time::Date], locale: Locale) -> Option<BiasFinding> {
    let (start, end) = period;
    if (end - start).whole_days() < MIN_PERIOD_DAYS || evidence.len() < 2 {
        return None;
    }
    let from = end - time::Duration::days(RECENT_DAYS);
    if evidence.iter().all(|d| *d > from && *d <= end) {
        let dates = vec![format!(
            "{} / {}: {}",
            hrmesh_kit::time::format_date(from),
            hrmesh_kit::time::format_date(end),
            evidence.len()
        )];
        return Some(finding(RECENCY, locale, dates, "hrmesh recency rule: evidence dates against the review period"));
    }
    None
}
