use super::*;

fn checks(text: &str, locale: Locale) -> Vec<String> {
    check(text, Some(locale)).1.into_iter().map(|f| f.check).collect()
}

#[test]
fn flags_personality_labels_with_the_words_in_each_language() {
    let (_, findings) = check("She is bossy and abrasive in meetings.", Some(Locale::En));
    let personality = findings.iter().find(|f| f.check == PERSONALITY).expect("personality");
    assert_eq!(personality.words, vec!["bossy".to_owned(), "abrasive".to_owned()]);
    assert!(personality.explanation.contains("did"), "{}", personality.explanation);
    assert!(checks("Sie war in der Besprechung zickig.", Locale::De).contains(&PERSONALITY.to_owned()));
    assert!(checks("Hij is erg bazig tegen collega's.", Locale::Nl).contains(&PERSONALITY.to_owned()));
}

#[test]
fn vague_only_without_an_example() {
    assert!(checks("Great job this year.", Locale::En).contains(&VAGUE.to_owned()));
    assert!(!checks("Great job on the March release: 0 incidents.", Locale::En).contains(&VAGUE.to_owned()));
    assert!(checks("Prima gedaan.", Locale::Nl).contains(&VAGUE.to_owned()));
    assert!(!checks("Sie hat die Migration am 3. Mai gut geplant.", Locale::De).contains(&VAGUE.to_owned()));
}

#[test]
fn gendered_stems_match_word_forms() {
    let (_, findings) = check("An ambitious, dominant leader.", Some(Locale::En));
    let masculine = findings.iter().find(|f| f.check == MASCULINE).expect("masculine");
    assert_eq!(masculine.words, vec!["ambitious".to_owned(), "dominant".to_owned(), "leader".to_owned()]);
    assert!(checks("Sie ist sehr einfühlsam und hilfsbereit.", Locale::De).contains(&FEMININE.to_owned()));
}

#[test]
fn sentences_do_not_end_at_abbreviations() {
    assert_eq!(sentences("He fixed bugs, e.g. the login. Then he left!").len(), 2);
}

#[test]
fn recency_needs_every_date_in_the_last_weeks() {
    let d = |s| hrmesh_kit::time::parse_date("d", s).expect("date");
    let period = (d("2026-01-01"), d("2026-12-31"));
    assert!(recency(period, &[d("2026-12-01"), d("2026-12-20")], Locale::En).is_some());
    assert!(recency(period, &[d("2026-03-01"), d("2026-12-20")], Locale::En).is_none());
    assert!(recency((d("2026-11-01"), d("2026-12-31")), &[d("2026-12-20"), d("2026-12-21")], Locale::En).is_none());
}
