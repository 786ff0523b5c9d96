use super::*;
use crate::cv::parse;

const TODAY: YearMonth = YearMonth { year: 2026, month: 11 };

#[test]
fn dutch_cv_gives_contact_work_education_and_languages() {
    let cv = "Fatima el Amrani\nfatima@example.org\n+31 6 1234 5678\nKerkstraat 1, 5038 AB Tilburg\n\nWerkervaring\n\
              jan 2019 – heden: MIG/MAG-lasser, Staalbouw Brabant BV\n03/2014 - 12/2018: TIG-lasser bij RVS Techniek\n\n\
              Opleiding\nMBO Metaal (niveau 4), ROC Tilburg, 2013\n\nTalen\nNederlands: moedertaal\nEngels: goed\nDuits - B1\n";
    let p = parse(cv.as_bytes(), "cv.txt", TODAY).expect("parses");
    assert_eq!(p.language, "nl");
    assert_eq!(p.contact.name.as_deref(), Some("Fatima el Amrani"));
    assert_eq!(p.contact.email.as_deref(), Some("fatima@example.org"));
    assert_eq!(p.contact.phone.as_deref(), Some("+31 6 1234 5678"));
    assert_eq!(p.contact.address.as_deref(), Some("Kerkstraat 1, 5038 AB Tilburg"));
    assert_eq!(p.work.len(), 2);
    assert_eq!((p.work[0].title.as_str(), p.work[0].employer.as_str()), ("MIG/MAG-lasser", "Staalbouw Brabant BV"));
    assert_eq!(p.work[0].end, None);
    assert_eq!(p.work[0].months, 95, "jan 2019 up to and including nov 2026");
    assert_eq!((p.work[1].employer.as_str(), p.work[1].months), ("RVS Techniek", 58));
    assert_eq!(p.experience_months, 95 + 58);
    assert_eq!(p.education[0].level, "vocational");
    assert_eq!(p.education[0].year, Some(2013));
    let langs: Vec<(&str, &str)> = p.languages.iter().map(|l| (l.language.as_str(), l.level)).collect();
    assert_eq!(langs, [("nl", "native"), ("en", "B2"), ("de", "B1")]);
}

#[test]
fn overlapping_jobs_count_once_and_german_and_english_dates_parse() {
    let cv = "Berufserfahrung\nseit 2021 Schweißer bei Metallbau Müller GmbH\n2015 - 2022: Monteur, Anlagenbau AG\n\n\
              Ausbildung\nAusbildung zum Konstruktionsmechaniker, 2014\n\nSprachen\nDeutsch: Muttersprache\nEnglisch: fließend\n";
    let p = parse_text(cv, TODAY);
    assert_eq!(p.language, "de");
    assert_eq!(p.work.len(), 2);
    assert_eq!(p.work[0].end, None);
    // 2015-01 … 2026-11 without double counting 2021–2022.
    assert_eq!(p.experience_months, 143);
    assert_eq!(p.languages[1].level, "C1");
    let en = parse_text(
        "Work experience\n2019-present: Developer at Acme\n\nEducation\nBSc Computer Science, 2018\n",
        TODAY,
    );
    assert_eq!((en.work[0].title.as_str(), en.work[0].end), ("Developer", None));
    assert_eq!(en.education[0].level, "bachelor");
}

#[test]
fn a_month_ending_a_period_is_kept() {
    let p = parse_text("Werkervaring\n01/2016 - 02/2019: Lasser bij Staalbouw BV\n", TODAY);
    assert_eq!(p.work[0].end, Some(YearMonth { year: 2019, month: 2 }));
    assert_eq!(p.work[0].months, 38, "jan 2016 up to and including feb 2019");
    let p = parse_text("Werkervaring\n2016 - 2019: Lasser\n03/2020 - 12/2021 Monteur\n", TODAY);
    assert_eq!(p.work[0].end, Some(YearMonth { year: 2019, month: 12 }), "a year alone ends in december");
    assert_eq!(p.work[1].months, 22);
}

#[test]
fn a_phone_number_on_the_email_line_is_kept() {
    for (line, email, phone) in [
        ("jan@example.nl | +31 6 12345678", "jan@example.nl", "+31 6 12345678"),
        ("E-Mail: a@b.de  Tel.: 0171 2345678", "a@b.de", "0171 2345678"),
        ("+31 (0)6 1234 5678 · jan@example.nl", "jan@example.nl", "+31 (0)6 1234 5678"),
    ] {
        let p = parse_text(&format!("Jan Bakker\n{line}\n\nWerkervaring\n2019 - heden: Lasser\n"), TODAY);
        assert_eq!(p.contact.email.as_deref(), Some(email), "{line}");
        assert_eq!(p.contact.phone.as_deref(), Some(phone), "{line}");
    }
}

#[test]
fn names_employers_places_and_dates_are_blanked_for_skill_extraction() {
    let cv = "Jan Bakker\njan@example.nl | +31 6 12345678\nDorpsstraat 3, 2312 AB Leiden\n\nProfiel\n\
              Verkoper met ervaring in lassen.\n\nWerkervaring\n01/2023 - present: Verkoper bij Bakkerij Hendriks\n\
              03/2015 – 12/2022: Monteur, Schmitz Maschinenbau GmbH\nMIG/MAG-lassen van frames.\n";
    let p = parse_text(cv, TODAY);
    let masked = p.skill_text();
    assert_eq!(masked.len(), cv.len(), "offsets stay valid");
    for gone in ["Bakker", "jan@", "12345678", "Leiden", "present", "2023", "Hendriks", "Schmitz", "Maschinenbau"] {
        assert!(!masked.contains(gone), "{gone} left in {masked}");
    }
    for kept in ["Verkoper met ervaring in lassen", "Verkoper", "Monteur", "MIG/MAG-lassen van frames"] {
        assert_eq!(masked.find(kept), cv.find(kept), "{kept}");
    }
    assert_eq!(masked.lines().count(), cv.lines().count(), "lines stay lines");
}

#[test]
fn never_panics_on_truncated_input() {
    let cv = "Werkervaring\njan 2019 – heden: lasser\n03/20";
    for end in 0..=cv.len() {
        if cv.is_char_boundary(end) {
            let _ = parse(&cv.as_bytes()[..end], "cv.txt", TODAY);
        }
    }
}
