use super::*;

const NL: &str = "Lasser MIG/MAG gezocht\n\nWie zijn wij?\nBakkerij Hendriks is een familiebedrijf dat al 25 jaar \
                  brood bakt. Voor onze werkplaats zoeken wij een zelfstandige lasser.\n\nWat ga je doen?\n\
                  Je last frames van RVS.\n\nWat vragen wij?\n- Minimaal 3 jaar ervaring met MIG/MAG-lassen\n\
                  - MBO 4 werk- en denkniveau\n- Engels is een pre\n- Kennis van AutoCAD strekt tot aanbeveling\n\n\
                  Wat bieden wij\nEen bakfiets van de zaak en gratis brood.\n\nSolliciteren?\nMail naar jobs@example.nl\n";

fn at(text: &str, word: &str) -> usize {
    text.find(word).unwrap_or_else(|| panic!("{word} not in the text"))
}

#[test]
fn intro_offer_and_apply_sections_are_not_requirements() {
    let r = requirement_text(NL);
    assert_eq!(r.len(), NL.len(), "offsets stay valid");
    for gone in ["familiebedrijf", "zelfstandige", "brood", "bakfiets", "jobs@example"] {
        assert!(!r.contains(gone), "{gone} left in {r}");
    }
    for kept in ["Je last frames van RVS", "MIG/MAG-lassen", "Engels is een pre", "AutoCAD"] {
        assert_eq!(r.find(kept), NL.find(kept), "{kept}");
    }
    let de = "Über uns\nWir sind ein Maschinenbauer.\n\nIhr Profil:\nAbgeschlossene Ausbildung als Mechatroniker\n\n\
              Wir bieten\nEin Jobrad.\n";
    let r = requirement_text(de);
    assert!(!r.contains("Maschinenbauer") && !r.contains("Jobrad") && r.contains("Mechatroniker"), "{r}");
    let en = "About us: we build boats.\nWhat you bring\nPython and SQL.\nWhat we offer\nA gym.\n";
    let r = requirement_text(en);
    assert!(!r.contains("boats") && !r.contains("gym") && r.contains("Python and SQL"), "{r}");
}

#[test]
fn without_requirement_headings_all_but_intro_and_offer_counts() {
    let plain = "Wij zoeken een lasser met ervaring in TIG-lassen. Rijbewijs B vereist.";
    assert_eq!(requirement_text(plain), plain);
    let ad = "Lasser met TIG-ervaring gezocht.\nWat bieden wij?\nEen leaseauto.\n";
    let r = requirement_text(ad);
    assert!(r.contains("TIG-ervaring") && !r.contains("leaseauto"), "{r}");
    assert_eq!(heading("Wir bieten Ihnen einen sicheren Arbeitsplatz"), None, "a sentence is not a heading");
    assert_eq!(heading("## Wat bieden wij jou"), None);
    assert_eq!(heading("**Ihr Profil**"), Some(Kind::Requirements));
    assert_eq!(heading("Wie zijn wij? Wij zijn een bakkerij"), Some(Kind::Intro));
}

#[test]
fn nice_to_have_cues_after_the_skill_are_recognised() {
    for sentence in [
        "Engels is een pre",
        "Niederländisch von Vorteil",
        "Kenntnisse in SAP wünschenswert",
        "Englisch ist ein Plus",
        "SQL is a plus",
        "Docker: nice to have",
        "Kubernetes is a bonus",
        "Kennis van AutoCAD strekt tot aanbeveling",
        "Rijbewijs C: pré",
        "Ervaring met SAP is een pluspunt",
    ] {
        assert!(is_nice_to_have(&sentence.to_lowercase()), "{sentence}");
    }
    for sentence in ["Goede presentatievaardigheden", "Engels vereist", "Sehr gute Deutschkenntnisse", "Bonusregeling"]
    {
        assert!(!is_nice_to_have(&sentence.to_lowercase()), "{sentence}");
    }
    let s = sentence_around(NL, at(NL, "Engels"));
    assert_eq!(s.trim(), "- engels is een pre");
    assert!(is_nice_to_have(&s));
    assert!(!is_nice_to_have(&sentence_around(NL, at(NL, "MIG/MAG-lassen"))));
    assert_eq!(sentence_around("Ervaring met Ölhydraulik", 14), "ervaring met ölhydraulik", "inside a character");
}

#[test]
fn minimum_years_are_read_from_the_requirements() {
    assert_eq!(min_years(NL), Some(3), "the company's 25 years are not asked of anyone");
    for (ad, years) in [
        ("Mindestens 2 Jahre Berufserfahrung als Elektriker", Some(2)),
        ("You have at least 5 years of experience with Rust.", Some(5)),
        ("3+ jaar werkervaring in de bouw", Some(3)),
        ("Je hebt 2-4 jaar ervaring als monteur", Some(2)),
        ("Minimaal drie jaar als lasser gewerkt", Some(3)),
        ("Wij bestaan 25 jaar en groeien hard", None),
        ("Ervaring met lassen. 5 jaar ervaring met TIG is een pre.", None),
        ("Rijbewijs B", None),
    ] {
        assert_eq!(min_years(ad), years, "{ad}");
    }
}

#[test]
fn education_levels_are_read_from_the_requirements() {
    assert_eq!(education(NL), Some("vocational"));
    for (ad, level) in [
        ("Je hebt een afgeronde HBO-opleiding", Some("bachelor")),
        ("WO werk- en denkniveau", Some("master")),
        ("MBO 4 of HBO diploma", Some("vocational")),
        ("Abgeschlossene Ausbildung als Mechatroniker", Some("vocational")),
        ("Abgeschlossenes Studium der Informatik", Some("bachelor")),
        ("Bachelor's degree in Computer Science", Some("bachelor")),
        ("A master in physics", Some("master")),
        ("Wo Sie arbeiten: in Köln", None),
        ("MBO 4 vereist, HBO is een pre", Some("vocational")),
        ("Über uns\nWir bilden aus und fördern das Studium.\nIhr Profil\nTeamgeist", None),
    ] {
        assert_eq!(education(ad), level, "{ad}");
    }
    for level in ["vocational", "bachelor", "master", "secondary", "doctorate"] {
        assert!(crate::jobs::education_rank(level).is_some(), "{level} is a job education level");
    }
}
