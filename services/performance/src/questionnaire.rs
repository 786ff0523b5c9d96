//! The 360° questionnaire: rating questions on a 1–5 scale about observable behaviour, and open
//! questions, in English, Dutch and German.

use hrmesh_kit::locale::Locale;
use hrmesh_proto::performance::v1::Question;

/// A rating (1–5) question.
pub const RATING: &str = "rating";
/// An open question.
pub const OPEN: &str = "open";

/// (id, kind, [en, nl, de]).
pub static QUESTIONS: &[(&str, &str, [&str; 3])] = &[
    (
        "results",
        RATING,
        [
            "Delivers the agreed work on time and at the agreed quality.",
            "Levert het afgesproken werk op tijd en in de afgesproken kwaliteit.",
            "Liefert die vereinbarte Arbeit pünktlich und in der vereinbarten Qualität.",
        ],
    ),
    (
        "collaboration",
        RATING,
        [
            "Shares information and helps colleagues reach shared goals.",
            "Deelt informatie en helpt collega's gedeelde doelen te halen.",
            "Teilt Informationen und hilft Kolleginnen und Kollegen, gemeinsame Ziele zu erreichen.",
        ],
    ),
    (
        "communication",
        RATING,
        [
            "Explains plans and problems clearly and early.",
            "Legt plannen en problemen helder en tijdig uit.",
            "Erklärt Pläne und Probleme klar und frühzeitig.",
        ],
    ),
    (
        "growth",
        RATING,
        [
            "Acts on feedback and learns new skills the work needs.",
            "Doet iets met feedback en leert nieuwe vaardigheden die het werk vraagt.",
            "Setzt Feedback um und lernt neue Fähigkeiten, die die Arbeit braucht.",
        ],
    ),
    (
        "strengths",
        OPEN,
        [
            "What did this person do in this period that you want them to keep doing? Give an example.",
            "Wat deed deze persoon in deze periode dat je wilt dat hij of zij blijft doen? Geef een voorbeeld.",
            "Was hat diese Person in diesem Zeitraum getan, das sie weiter tun sollte? Nennen Sie ein Beispiel.",
        ],
    ),
    (
        "improve",
        OPEN,
        [
            "What could this person do differently next period? Give an example.",
            "Wat zou deze persoon de volgende periode anders kunnen doen? Geef een voorbeeld.",
            "Was könnte diese Person im nächsten Zeitraum anders machen? Nennen Sie ein Beispiel.",
        ],
    ),
];

/// What the scale means.
pub fn scale(locale: Locale) -> &'static str {
    [
        "1 = almost never, 2 = sometimes, 3 = usually, 4 = almost always, 5 = always and an example to others",
        "1 = bijna nooit, 2 = soms, 3 = meestal, 4 = bijna altijd, 5 = altijd en een voorbeeld voor anderen",
        "1 = fast nie, 2 = manchmal, 3 = meistens, 4 = fast immer, 5 = immer und ein Vorbild für andere",
    ][locale.index()]
}

/// The questions in `locale`.
pub fn questions(locale: Locale) -> Vec<Question> {
    QUESTIONS
        .iter()
        .map(|(id, kind, texts)| Question {
            question_id: (*id).into(),
            kind: (*kind).into(),
            text: texts[locale.index()].into(),
        })
        .collect()
}

/// The kind of question `id` and its text in `locale`, if it exists.
pub fn find(id: &str, locale: Locale) -> Option<(&'static str, &'static str)> {
    QUESTIONS.iter().find(|(q, _, _)| *q == id).map(|(_, kind, texts)| (*kind, texts[locale.index()]))
}
