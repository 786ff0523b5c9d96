//! The labels of one concept: trimmed, without duplicates, at most one preferred label per language.

use super::Label;
use crate::lang::Lang;

/// The alternative labels in an `altLabels` field: one per line in the concept files
/// (skills_en.csv, occupations_en.csv...), separated by " | " in the collection files.
pub(super) fn split_alternatives(field: &str) -> impl Iterator<Item = &str> {
    field.split('\n').flat_map(|line| line.split(" | ")).map(str::trim).filter(|label| !label.is_empty())
}

/// Adds `text` unless the concept has that label in `lang` already; returns whether it was added.
/// A second, different preferred label in one language (two files disagreeing) is kept as an
/// alternative, so the first file read decides the preferred term.
pub(super) fn add(labels: &mut Vec<Label>, lang: Lang, text: &str, preferred: bool) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    let has_preferred = labels.iter().any(|l| l.lang == lang && l.preferred);
    if let Some(existing) = labels.iter_mut().find(|l| l.lang == lang && l.text == text) {
        existing.preferred |= preferred && !has_preferred;
        return false;
    }
    labels.push(Label { lang, text: text.to_owned(), preferred: preferred && !has_preferred });
    true
}

/// Adds a record's preferred label and its alternatives; returns how many were new.
pub(super) fn add_record(labels: &mut Vec<Label>, lang: Lang, preferred: &str, alternatives: &str) -> usize {
    let mut added = usize::from(add(labels, lang, preferred, true));
    for alternative in split_alternatives(alternatives) {
        added += usize::from(add(labels, lang, alternative, false));
    }
    added
}

/// A description field as stored: trimmed, None when empty.
pub(super) fn description(lang: Lang, text: &str) -> Option<super::Description> {
    let text = text.trim();
    (!text.is_empty()).then(|| super::Description { lang, text: text.to_owned() })
}

/// Whether the concept has a preferred label in `lang`.
pub(super) fn has_preferred(labels: &[Label], lang: Lang) -> bool {
    labels.iter().any(|l| l.lang == lang && l.preferred)
}

/// Canonical order: by language (en, nl, de), the preferred label first, the rest as added.
pub(super) fn order(labels: &mut [Label]) {
    labels.sort_by_key(|l| (l.lang, !l.preferred));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(labels: &[Label]) -> Vec<(&str, &str, bool)> {
        labels.iter().map(|l| (l.lang.code(), l.text.as_str(), l.preferred)).collect()
    }

    #[test]
    fn alternatives_split_on_newlines_and_pipes_and_are_trimmed() {
        let field = "manage staff of music\r\n  coordinate duties \n\nKDevelop 4.7.0 | KDevelop |  | x";
        let split: Vec<&str> = split_alternatives(field).collect();
        assert_eq!(split, ["manage staff of music", "coordinate duties", "KDevelop 4.7.0", "KDevelop", "x"]);
    }

    #[test]
    fn duplicate_labels_are_kept_once_and_the_preferred_one_wins() {
        let mut labels = Vec::new();
        let added =
            add_record(&mut labels, Lang::En, " manage musical staff ", "direct musical staff\nmanage musical staff");
        assert_eq!(added, 2);
        assert_eq!(texts(&labels), [("en", "manage musical staff", true), ("en", "direct musical staff", false)]);
        // The same text in another language is a label of its own.
        add_record(&mut labels, Lang::Nl, "manage musical staff", "");
        assert_eq!(labels.len(), 3);
    }

    #[test]
    fn a_second_preferred_label_becomes_an_alternative() {
        let mut labels = Vec::new();
        add_record(&mut labels, Lang::De, "Inspizientin", "Inspizient");
        add_record(&mut labels, Lang::De, "Technischer Leiter", "Inspizientin");
        assert_eq!(
            texts(&labels),
            [("de", "Inspizientin", true), ("de", "Inspizient", false), ("de", "Technischer Leiter", false)]
        );
    }

    #[test]
    fn an_alternative_is_promoted_when_the_language_has_no_preferred_label() {
        let mut labels = Vec::new();
        add(&mut labels, Lang::Nl, "gegevens migreren", false);
        add(&mut labels, Lang::En, "migrate data", true);
        add(&mut labels, Lang::Nl, "gegevens migreren", true);
        order(&mut labels);
        assert_eq!(texts(&labels), [("en", "migrate data", true), ("nl", "gegevens migreren", true)]);
        assert!(has_preferred(&labels, Lang::Nl) && !has_preferred(&labels, Lang::De));
    }
}
