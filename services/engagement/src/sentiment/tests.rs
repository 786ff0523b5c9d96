use super::*;

fn label(text: &str) -> String {
    analyse(text).label
}

fn hit<'a>(s: &'a CommentSentiment, word: &str) -> &'a SentimentHit {
    s.hits.iter().find(|h| h.word == word).unwrap_or_else(|| panic!("no hit {word:?} in {s:?}"))
}

#[test]
fn scores_three_languages_and_explains_itself() {
    assert_eq!(label("Fijn team, ik ben tevreden"), "positive");
    assert_eq!(label("Es ist stressig und chaotisch"), "negative");
    let s = analyse("Great colleagues");
    assert_eq!(s.hits.len(), 1);
    assert_eq!(s.hits[0].word, "great");
    assert_eq!(s.model, MODEL);
    assert_eq!(label("De vergadering was om tien uur"), "neutral");
    assert_eq!(label(""), "neutral");
    for text in ["Die Kollegen sind klasse", "Ich arbeite sehr gerne hier", "Ik heb het erg naar mijn zin"] {
        let s = analyse(text);
        assert_eq!(s.label, "positive", "{text}: {s:?}");
        assert!(!s.hits.is_empty());
    }
}

#[test]
fn negation_flips_within_its_scope() {
    let s = analyse("Ik ben niet tevreden");
    assert_eq!(s.label, "negative");
    assert!(s.hits[0].negated);
    assert_eq!(label("Das Team ist nicht schlecht"), "positive");
    assert_eq!(label("not bad at all"), "positive");
    assert_eq!(label("Het is niet zo goed"), "negative");
    assert_eq!(label("Keine Wertschätzung für unsere Arbeit"), "negative");
    assert_eq!(label("Ohne Stress, alles entspannt"), "positive");
    assert_eq!(label("I never feel appreciated"), "negative");
    // The service's consent test: "druk" is negated.
    let s = analyse("Fijn team, niet druk");
    assert_eq!(s.label, "positive");
    assert!(hit(&s, "druk").negated);
    // Not across a clause boundary, and "niet alleen" is no negation.
    assert_eq!(label("Niet alleen het werk is leuk, ook de collega's"), "positive");
}

#[test]
fn a_negator_ending_a_dutch_or_german_clause_negates_the_verb() {
    assert_eq!(label("Das gefällt mir nicht"), "negative");
    assert_eq!(label("Ich mag meinen Job nicht mehr"), "negative");
    assert_eq!(label("Mijn leidinggevende luistert nooit naar ons"), "negative");
    assert_eq!(label("Het bevalt me hier niet"), "negative");
    // A subject "niemand" later in the sentence does not reach back.
    assert_eq!(label("Ik word gepest en niemand doet iets"), "negative");
}

#[test]
fn workplace_phrases_and_separable_verbs() {
    for text in [
        "Ik overweeg om op te stappen",
        "Ik ben aan het solliciteren",
        "Ich habe innerlich gekündigt",
        "Ich suche etwas Neues",
        "I'm looking for another job",
        "Honestly thinking of leaving",
    ] {
        let a = analyse_detailed(text, None);
        assert_eq!(a.sentiment.label, "negative", "{text}: {a:?}");
        assert!(a.topics.contains(&Topic::QuitIntent), "{text}: {a:?}");
    }
    for text in ["De werkdruk is te hoog", "Ich bin überlastet", "I'm completely burnt out", "Nobody notices"] {
        assert_eq!(label(text), "negative", "{text}");
    }
    assert_eq!(label("Ik voel me gewaardeerd"), "positive");
    assert_eq!(label("Ik zie er tegen op"), "negative");
    let s = analyse("Der Chef hört nie zu");
    assert_eq!(s.label, "negative");
    assert!(hit(&s, "hört zu").negated);
    assert_eq!(label("Meine Chefin hört mir zu"), "positive");
}

#[test]
fn inflections_and_compounds_reach_the_lexicon() {
    for (text, word) in [("leuke collega's", "leuke"), ("steeds leuker", "leuker"), ("eine schöne Zeit", "schöne")] {
        assert!(analyse(text).hits.iter().any(|h| h.word == word && h.weight > 0.0), "{text}");
    }
    assert!(hit(&analyse_detailed("mit schönen Grüßen", Some(Locale::De)).sentiment, "schönen").weight > 0.0);
    assert!(hit(&analyse("grote problemen en een lage werkdruk"), "werkdruk").weight < 0.0);
    assert!(hit(&analyse("Die Arbeitsbelastung ist hoch"), "arbeitsbelastung").weight < 0.0);
    assert!(hit(&analyse("Die Kundenfreundlichkeit ist Spitze"), "kundenfreundlichkeit").weight > 0.0);
    assert_eq!(label("Ik ben ontevreden"), "negative");
    // No compound of a verb particle and a participle ("bekend|gemaakt").
    assert_eq!(label("Het rooster wordt morgen bekendgemaakt"), "neutral");
}

#[test]
fn contrast_caps_punctuation_and_emoji_weigh_in() {
    assert_eq!(label("Leuk werk, maar de werkdruk is veel te hoog"), "negative");
    assert_eq!(label("Stressig, aber die Kollegen sind toll"), "positive");
    assert_eq!(label("Great colleagues, but the pay is terrible"), "negative");
    let plain = analyse("The team is great").score;
    assert!(analyse("The team is GREAT").score > plain);
    assert!(analyse("The team is great!!!").score > plain);
    assert!(analyse("Het team is heel goed").score > analyse("Het team is goed").score);
    assert!(analyse("Das Team ist etwas gut").score < analyse("Das Team ist gut").score);
    assert_eq!(label("Nieuwe collega 😊"), "positive");
    assert_eq!(label("Weer overuren 😡"), "negative");
    assert_eq!(label("Super:)"), "positive");
}

#[test]
fn the_score_is_vaders_normalised_sum() {
    let s = analyse("good");
    let weight = hit(&s, "good").weight;
    assert!((s.score - weight / (weight * weight + ALPHA).sqrt()).abs() < 1e-4);
    let long = analyse("great great great great great great great great");
    assert!(long.score > 0.9 && long.score <= 1.0);
}

#[test]
fn detects_the_language_and_tags_topics() {
    let a = analyse_detailed("Het salaris is te laag en mijn manager luistert niet", None);
    assert_eq!(a.language, Locale::Nl);
    assert_eq!(a.topics, vec![Topic::Management, Topic::Pay]);
    let a = analyse_detailed("Tolle Kollegen!", None);
    assert_eq!((a.language, a.mixed), (Locale::De, true));
    assert_eq!(a.topics, vec![Topic::Colleagues]);
    let a = analyse_detailed("Too much overtime and no training budget", None);
    assert_eq!(a.language, Locale::En);
    assert!(a.topics.contains(&Topic::Workload) && a.topics.contains(&Topic::Growth));
    let a = analyse_detailed("I feel burnt out", Some(Locale::En));
    assert_eq!(a.topics, vec![Topic::Wellbeing]);
    assert_eq!(Topic::parse("quit_intent"), Some(Topic::QuitIntent));
}

#[test]
fn english_follows_vader() {
    // Reference compound scores of vaderSentiment 3.3.2.
    for (text, vader) in [
        ("VADER is smart, handsome, and funny.", 0.8316),
        ("VADER is not smart, handsome, nor funny.", -0.7424),
        ("The book was kind of good.", 0.3832),
        ("Today SUX!", -0.5461),
        ("Make sure you :) or :D today!", 0.8633),
    ] {
        let score = analyse_detailed(text, Some(Locale::En)).sentiment.score;
        assert!((score - vader).abs() < 0.02, "{text}: {score} vs {vader}");
    }
}
