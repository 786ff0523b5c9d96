//! Extraction behaviour on the built-in taxonomy, and bounds on the work a text can cost.

use super::*;
use crate::taxonomy::Taxonomy;

fn extractor() -> (Taxonomy, Extractor) {
    let t = Taxonomy::builtin().expect("valid");
    let e = Extractor::new(t.terms());
    (t, e)
}

fn ids(t: &Taxonomy, e: &Extraction) -> Vec<String> {
    let mut v: Vec<String> = e.hits.iter().map(|h| t.get(h.skill).id.clone()).collect();
    v.sort();
    v
}

#[test]
fn negation_covers_its_own_phrase_only() {
    let (t, x) = extractor();
    let e = x.extract("Ik heb geen ervaring met SAP, wel met Exact Online en AFAS.", None);
    assert_eq!(e.lang, Lang::Nl);
    assert_eq!(ids(&t, &e), ["office.afas", "office.exact"]);
    assert_eq!(e.excluded.len(), 1);
    assert_eq!((e.excluded[0].reason, e.excluded[0].cue.as_str()), (Exclusion::Negated, "geen"));
}

#[test]
fn compounds_and_spans_into_the_original_text() {
    let (t, x) = extractor();
    let text = "Staplerschein und Schweißerfahrung vorhanden.";
    let e = x.extract(text, None);
    assert_eq!(e.lang, Lang::De);
    assert!(ids(&t, &e).contains(&"logistics.forklift".to_owned()), "{:?}", ids(&t, &e));
    for h in &e.hits {
        assert_eq!(&text[h.span.clone()], h.evidence);
    }
}

#[test]
fn longest_match_wins_and_wishes_do_not_count() {
    let (t, x) = extractor();
    let e = x.extract("Five years with SAP FI/CO.", Some(Lang::En));
    assert_eq!(ids(&t, &e), ["office.sap_fico"]);
    let wish = x.extract("Wil graag leren lassen en heb interesse in CNC-frezen.", None);
    assert!(wish.hits.is_empty(), "{:?}", ids(&t, &wish));
    assert!(wish.excluded.iter().all(|x| x.reason == Exclusion::Intent));
}

#[test]
fn dutch_rest_is_not_the_rust_language_and_empty_text_finds_nothing() {
    let (t, x) = extractor();
    let e = x.extract("Na een drukke week zoek ik in het weekend de rust op.", None);
    assert!(e.hits.is_empty(), "{:?}", ids(&t, &e));
    assert!(x.extract("", None).hits.is_empty());
    let huge = "Python und SQL. ".repeat(200_000);
    let e = x.extract(&huge, Some(Lang::De));
    assert_eq!(e.hits.iter().map(|h| h.mentions).max(), Some(200_000));
}

/// The labelled evaluation set: a regression guard on precision and recall.
#[test]
fn evaluation_set_scores_stay_high() {
    let (t, x) = extractor();
    let scores = evaluate(&t, &x, include_str!("../../eval/extraction.tsv"));
    let (p, r, f1) = scores.overall();
    assert!(f1 >= 0.90, "precision {p:.3} recall {r:.3} F1 {f1:.3}");
}

fn has(t: &Taxonomy, e: &Extraction, id: &str) -> bool {
    ids(t, e).iter().any(|s| s == id)
}

#[test]
fn ausbildung_is_not_the_trainer_qualification() {
    let (t, x) = extractor();
    for text in ["Ausbildung", "Sie haben eine abgeschlossene Ausbildung als Industriemechaniker."] {
        let e = x.extract(text, Some(Lang::De));
        assert!(!has(&t, &e, "trans.workplace_trainer"), "{text}: {:?}", ids(&t, &e));
    }
    let e = x.extract("Ausbilderschein (AEVO) vorhanden, drei Ausbildern zugeordnet.", Some(Lang::De));
    assert!(has(&t, &e, "trans.workplace_trainer"), "{:?}", ids(&t, &e));
}

#[test]
fn experience_is_not_an_experiment() {
    // The ESCO import makes "experiment" a synonym of creativity ("think creatively").
    let t = Taxonomy::builtin().expect("valid");
    let creativity = t.skill("trans.creativity").expect("known skill");
    let extra = Term { skill: creativity, lang: Lang::En, text: "experiment", preferred: false, origin: Origin::Esco };
    let x = Extractor::new(t.terms().chain([extra]));
    let e = x.extract("Five years of relevant experience in retail.", Some(Lang::En));
    assert!(!has(&t, &e, "trans.creativity"), "{:?}", ids(&t, &e));
    let e = x.extract("We experimented with new shop formats.", Some(Lang::En));
    assert!(has(&t, &e, "trans.creativity"), "{:?}", ids(&t, &e));
}

#[test]
fn excellent_is_not_microsoft_excel() {
    let (t, x) = extractor();
    let e = x.extract("Excellent communication skills.", Some(Lang::En));
    assert!(!has(&t, &e, "office.excel"), "{:?}", ids(&t, &e));
    let e = x.extract("Advanced Excel and pivot tables.", Some(Lang::En));
    assert!(has(&t, &e, "office.excel"), "{:?}", ids(&t, &e));
}

#[test]
fn present_in_a_date_range_is_not_presenting() {
    let (t, x) = extractor();
    let e = x.extract("Accountant, Philips, 01/2023 - present", Some(Lang::En));
    assert!(!has(&t, &e, "trans.presenting"), "{:?}", ids(&t, &e));
    let e = x.extract("Presented quarterly results to the board.", Some(Lang::En));
    assert!(has(&t, &e, "trans.presenting"), "{:?}", ids(&t, &e));
}

#[test]
fn caring_for_the_accounts_is_not_personal_care() {
    let (t, x) = extractor();
    let e = x.extract("Verzorgen van de financiële administratie.", Some(Lang::Nl));
    assert!(!has(&t, &e, "care.personal_care"), "{:?}", ids(&t, &e));
    assert!(has(&t, &e, "office.bookkeeping"), "{:?}", ids(&t, &e));
    let e = x.extract("Diploma Verzorgende IG.", Some(Lang::Nl));
    assert!(has(&t, &e, "care.personal_care"), "{:?}", ids(&t, &e));
}

#[test]
fn purchase_invoices_are_accounts_payable_not_purchasing() {
    let (t, x) = extractor();
    for text in ["Verwerken van inkoopfacturen.", "Controle van de inkoopfactuur en betalingen."] {
        let e = x.extract(text, Some(Lang::Nl));
        assert!(!has(&t, &e, "logistics.purchasing"), "{text}: {:?}", ids(&t, &e));
    }
    for text in ["Verwerken van inkoopfacturen.", "Controle van de inkoopfactuur en betalingen."] {
        let e = x.extract(text, Some(Lang::Nl));
        assert!(has(&t, &e, "office.accounts_payable"), "{text}: {:?}", ids(&t, &e));
    }
}

#[test]
fn million_letter_word_is_neither_stemmed_nor_split() {
    let (_, x) = extractor();
    let word = "lassen".repeat(1_000_000 / 6);
    for lang in [Lang::Nl, Lang::De] {
        let e = x.extract(&word, Some(lang));
        assert!(e.hits.is_empty() && e.excluded.is_empty());
        assert_eq!((e.work.tokens, e.work.stems, e.work.compound_lookups), (1, 0, 0));
    }
}

#[test]
fn compound_splitting_work_per_word_is_bounded() {
    let (_, x) = extractor();
    // Words at the length limit made of compound parts and terms, each a candidate cut.
    let word = "lasservaringkennisdiplomaschweissenerfahrungpas";
    assert!(word.chars().count() <= MAX_WORD_CHARS);
    let text = format!("{word} ").repeat(2_000);
    let e = x.extract(&text, Some(Lang::Nl));
    let words = e.work.tokens;
    assert_eq!(words, 2_000);
    assert!(e.work.stems <= words * (3 + compound::MAX_HEAD_STEMS), "{:?}", e.work);
    let endings = inflection::endings(Lang::Nl).len();
    assert!(e.work.compound_lookups <= words * MAX_WORD_CHARS * (1 + endings), "{:?}", e.work);
}

#[test]
fn negation_scope_reads_a_bounded_window() {
    let (t, x) = extractor();
    // One clause of 20,000 mentions: every mention reads at most its window, not the clause.
    let text = "Python ".repeat(20_000);
    let e = x.extract(&text, Some(Lang::En));
    assert_eq!(ids(&t, &e), ["it.python"]);
    assert_eq!(e.hits[0].mentions, 20_000);
    assert!(e.work.context_words <= 20_000 * 2 * CONTEXT_WORDS, "{:?}", e.work);
    let e = x.extract("Ik heb geen ervaring met SAP.", None);
    assert_eq!(e.excluded.len(), 1);
}

#[test]
fn language_detection_reads_only_the_first_words() {
    let text = format!("{}{}", "de het een ".repeat(1000), "the and of ".repeat(100_000));
    assert_eq!(detect(&text), Lang::Nl);
}
