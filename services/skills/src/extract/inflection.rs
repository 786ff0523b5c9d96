//! Whether a stemmed match joins two forms of one word ("Schweißer" / "Schweißen") or two
//! different words that Snowball happens to cut to the same stem ("Ausbildung" / "Ausbilder",
//! "experience" / "experiment", "excellent" / "Excel"). Snowball strips derivational suffixes
//! as well as inflectional ones, so an equal stem alone is no evidence that two words name the
//! same thing; an equal stem reached by inflection only is.

use crate::lang::Lang;

/// Folded endings that inflect a word without changing what it names, and the agent noun
/// (-er: "groundwork" / "groundworker"). Other derivational endings (-ung, -heid, -ment, -ence,
/// -ity, -ation, -lent …) are deliberately absent: they make words of another meaning.
pub(super) fn endings(lang: Lang) -> &'static [&'static str] {
    match lang {
        // Plural, third person, past, participle and the silent e dropped before -ing/-ed.
        Lang::En => &["s", "es", "ed", "d", "ing", "e", "y", "ies", "ied", "er", "ers"],
        // Plural, adjective -e, verb person and past forms.
        Lang::Nl => &["e", "en", "n", "s", "t", "te", "ten", "de", "den", "d", "er", "ers"],
        // Case, plural, adjective and verb endings.
        Lang::De => &["e", "en", "n", "s", "es", "er", "em", "ern", "st", "t", "te", "ten", "et", "est"],
    }
}

/// A field's noun and its relational adjective (Hydraulik / hydraulisch, hydrauliek /
/// hydraulisch, hydraulics / hydraulic): both name the field, so either may precede an
/// inflectional ending.
fn relational(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &["ic", "ical"],
        Lang::Nl => &["isch", "iek"],
        Lang::De => &["isch", "ik"],
    }
}

/// Whether `rest`, what follows `prefix`, is an inflectional ending of `lang` (or none), also
/// after a consonant the inflection doubled ("las" + "sen" is "las" + "en") or after a
/// relational adjective ending ("hydraul" + "isch" + "er").
fn ending_ok(lang: Lang, prefix: &str, rest: &str) -> bool {
    if rest.is_empty() || endings(lang).contains(&rest) {
        return true;
    }
    let doubled = prefix.chars().last().filter(|c| !"aeiouy".contains(*c) && rest.starts_with(*c));
    if doubled.is_some_and(|c| endings(lang).contains(&&rest[c.len_utf8()..])) {
        return true;
    }
    relational(lang)
        .iter()
        .filter_map(|r| rest.strip_prefix(r))
        .any(|end| end.is_empty() || endings(lang).contains(&end))
}

/// True if the folded `token` and the folded `surface` of a term, which share the Snowball
/// `stem`, are inflections of one word: each is the stem plus an inflectional ending of `lang`.
/// The stem (not the longest common prefix) is the base, so that "verzorgen" and "verzorgende"
/// are verzorg + en and verzorg + ende, not verzorgen + de.
pub(super) fn same_word(lang: Lang, stem: &str, token: &str, surface: &str) -> bool {
    if lang == Lang::Nl {
        // Dutch writes a long vowel double in a closed syllable only (factuur, facturen).
        let single = |w: &str| w.replace("aa", "a").replace("ee", "e").replace("oo", "o").replace("uu", "u");
        return same_spelled_word(lang, &single(stem), &single(token), &single(surface));
    }
    same_spelled_word(lang, stem, token, surface)
}

fn same_spelled_word(lang: Lang, stem: &str, token: &str, surface: &str) -> bool {
    // The term's own word inflected ("experiment" + "ed"), whatever Snowball cut off.
    if let Some(end) = token.strip_prefix(surface)
        && ending_ok(lang, surface, end)
    {
        return true;
    }
    // Snowball may change the stem's last letters (technology → technolog, happy → happi), so
    // the base is the part of the stem that both words spell out.
    let common: usize = stem
        .chars()
        .zip(token.chars())
        .zip(surface.chars())
        .take_while(|((s, a), b)| s == a && a == b)
        .map(|((s, _), _)| s.len_utf8())
        .sum();
    let (base, a, b) = (&token[..common], &token[common..], &surface[common..]);
    // An English gerund term ("presenting", "programming", "training") is met by verb forms
    // with an ending; the bare word is mostly a noun or adjective of another sense ("present",
    // "program", "train").
    if lang == Lang::En && a.is_empty() && b == "ing" {
        return false;
    }
    ending_ok(lang, base, a) && ending_ok(lang, base, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_join_and_derivations_do_not() {
        assert!(same_word(Lang::De, "schweiss", "schweisser", "schweissen"));
        assert!(same_word(Lang::Nl, "las", "las", "lassen"));
        assert!(same_word(Lang::En, "technolog", "technologies", "technology"));
        assert!(same_word(Lang::En, "present", "presented", "presenting"));
        assert!(!same_word(Lang::De, "ausbild", "ausbildung", "ausbilder"));
        assert!(!same_word(Lang::En, "experi", "experience", "experiment"));
        assert!(same_word(Lang::En, "experi", "experimented", "experiment"));
        assert!(!same_word(Lang::En, "excel", "excellent", "excel"));
        assert!(!same_word(Lang::En, "present", "present", "presenting"));
        assert!(!same_word(Lang::Nl, "verzorg", "verzorgen", "verzorgende"));
        assert!(same_word(Lang::De, "hydraul", "hydraulischer", "hydraulik"));
        assert!(same_word(Lang::Nl, "inkoopfactur", "inkoopfactuur", "inkoopfacturen"));
    }
}
