//! The review drafter: turns the period's 360° ratings and concrete feedback into sentences in
//! the employee's language, each citing the evidence it rests on. Templates, no free
//! generation: a sentence exists only because an item of evidence does, so no sentence is
//! without a citation. The manager edits and approves; the draft is marked AI-assisted.

use hrmesh_kit::locale::Locale;
use hrmesh_proto::performance::v1::ReviewSentence;

use crate::feedback::{Item, KIND_PRAISE, ms_date};

/// Model id and version, as logged with every draft and decision.
pub const MODEL: &str = "performance.review-drafter@1";

/// Tone above which feedback counts as positive, below minus it as critical (the sentiment
/// lexicon's convention).
const TONE: f64 = 0.05;
const MAX_STRENGTHS: usize = 6;
const MAX_DEVELOPMENT: usize = 4;
const MAX_NEUTRAL: usize = 3;
const QUOTE_CHARS: usize = 200;

/// A visible 360° rating: one rater group's mean on one question.
#[derive(Debug, Clone)]
pub struct Rating {
    /// `answer:<cycle>:<group kind>:<question>`.
    pub id: String,
    pub question_id: String,
    /// `self`, `manager`, `peer`, `report` or `peer+report`.
    pub group: String,
    pub mean: f64,
}

fn topic(question: &str, locale: Locale) -> &'static str {
    let t: [&str; 3] = match question {
        "results" => ["Delivering the agreed work", "Het afgesproken werk opleveren", "Die vereinbarte Arbeit liefern"],
        "collaboration" => ["Collaboration", "Samenwerking", "Zusammenarbeit"],
        "communication" => ["Communication", "Communicatie", "Kommunikation"],
        _ => ["Learning and acting on feedback", "Leren en iets doen met feedback", "Lernen und Feedback umsetzen"],
    };
    t[locale.index()]
}

fn group(kind: &str, locale: Locale) -> &'static str {
    let t: [&str; 3] = match kind {
        "self" => ["in the self-assessment", "in de zelfbeoordeling", "in der Selbsteinschätzung"],
        "manager" => ["by the manager", "door de leidinggevende", "von der Führungskraft"],
        "peer" => ["by peers", "door collega's", "von Kolleginnen und Kollegen"],
        "report" => ["by reports", "door medewerkers", "von Mitarbeitenden"],
        _ => [
            "by peers and reports together",
            "door collega's en medewerkers samen",
            "von Kollegen und Mitarbeitenden zusammen",
        ],
    };
    t[locale.index()]
}

fn number(value: f64, locale: Locale) -> String {
    let text = format!("{value:.1}");
    if locale == Locale::En { text } else { text.replace('.', ",") }
}

fn quote(text: &str, locale: Locale) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = flat.chars().take(QUOTE_CHARS).collect();
    if flat.chars().count() > QUOTE_CHARS {
        short.push('…');
    }
    let short = short.trim_end_matches(['.', '!', '?']).to_owned();
    if locale == Locale::De { format!("„{short}“") } else { format!("“{short}”") }
}

fn sentence(text: String, citations: Vec<String>) -> ReviewSentence {
    ReviewSentence { text, citations, edited: false }
}

fn rating_sentences(ratings: &[Rating], locale: Locale) -> Vec<ReviewSentence> {
    let mut out = Vec::new();
    for (question, _, _) in
        crate::questionnaire::QUESTIONS.iter().filter(|(_, k, _)| *k == crate::questionnaire::RATING)
    {
        let of: Vec<&Rating> = ratings.iter().filter(|r| r.question_id == *question).collect();
        if of.is_empty() {
            continue;
        }
        let and = ["and", "en", "und"][locale.index()];
        let parts: Vec<String> =
            of.iter().map(|r| format!("{} {}", number(r.mean, locale), group(&r.group, locale))).collect();
        let list = match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
            _ => parts.join(""),
        };
        let topic = topic(question, locale);
        let text = match locale {
            Locale::En => format!("{topic} was rated {list} (scale 1–5)."),
            Locale::Nl => format!("{topic} kreeg {list} (schaal 1–5)."),
            Locale::De => format!("{topic} wurde mit {list} bewertet (Skala 1–5)."),
        };
        out.push(sentence(text, of.iter().map(|r| r.id.clone()).collect()));
    }
    out
}

fn feedback_sentence(item: &Item, locale: Locale) -> String {
    let date = hrmesh_kit::time::format_date(ms_date(item.recorded_at));
    let q = quote(&item.text, locale);
    let kind = if item.kind == KIND_PRAISE {
        0
    } else if item.tone > TONE {
        1
    } else if item.tone < -TONE {
        2
    } else {
        3
    };
    let templates: [[&str; 4]; 3] = [
        [
            "On {date}, praise was given: {q}.",
            "On {date}, feedback recognised: {q}.",
            "On {date}, a point to develop was raised: {q}.",
            "On {date}, feedback noted: {q}.",
        ],
        [
            "Op {date} werd een compliment gegeven: {q}.",
            "Op {date} werd in feedback erkend: {q}.",
            "Op {date} werd een ontwikkelpunt genoemd: {q}.",
            "Op {date} werd in feedback opgemerkt: {q}.",
        ],
        [
            "Am {date} gab es Lob: {q}.",
            "Am {date} wurde in einem Feedback anerkannt: {q}.",
            "Am {date} wurde ein Entwicklungspunkt genannt: {q}.",
            "Am {date} wurde im Feedback festgehalten: {q}.",
        ],
    ];
    templates[locale.index()][kind].replace("{date}", &date).replace("{q}", &q)
}

/// The draft's sentences: ratings per question, strengths, points to develop, other feedback and
/// a closing balance — each citing its evidence.
pub fn draft(feedback: &[Item], ratings: &[Rating], locale: Locale) -> Vec<ReviewSentence> {
    let mut out = rating_sentences(ratings, locale);
    let mut positive: Vec<&Item> = feedback.iter().filter(|i| i.kind == KIND_PRAISE || i.tone > TONE).collect();
    let mut critical: Vec<&Item> = feedback.iter().filter(|i| i.kind != KIND_PRAISE && i.tone < -TONE).collect();
    let neutral: Vec<&Item> =
        feedback.iter().filter(|i| i.kind != KIND_PRAISE && (-TONE..=TONE).contains(&i.tone)).collect();
    positive.sort_by(|a, b| b.tone.total_cmp(&a.tone));
    critical.sort_by(|a, b| a.tone.total_cmp(&b.tone));
    for item in positive
        .iter()
        .take(MAX_STRENGTHS)
        .chain(critical.iter().take(MAX_DEVELOPMENT))
        .chain(neutral.iter().take(MAX_NEUTRAL))
    {
        out.push(sentence(feedback_sentence(item, locale), vec![item.id.clone()]));
    }
    if !feedback.is_empty() {
        let (p, c) = (positive.len(), critical.len());
        let text = match locale {
            Locale::En => format!("Overall, the period's feedback holds {p} positive and {c} critical observations."),
            Locale::Nl => {
                format!("Samengevat bevat de feedback van deze periode {p} positieve en {c} kritische observaties.")
            }
            Locale::De => {
                format!("Insgesamt enthält das Feedback des Zeitraums {p} positive und {c} kritische Beobachtungen.")
            }
        };
        out.push(sentence(text, positive.iter().chain(critical.iter()).map(|i| i.id.clone()).collect()));
    }
    out.retain(|s| !s.citations.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, kind: &str, tone: f64, text: &str) -> Item {
        Item {
            id: id.into(),
            author_id: "a".into(),
            kind: kind.into(),
            text: text.into(),
            tone,
            recorded_at: 1_767_225_600_000,
        }
    }

    #[test]
    fn every_sentence_cites_evidence_in_each_language() {
        let feedback = [
            item("f1", "praise", 0.6, "Great demo of the billing release to the customer."),
            item("f2", "feedback", -0.4, "The migration plan reached the team late."),
            item("f3", "feedback", 0.0, "Took over the on-call rota in March."),
        ];
        let ratings = [Rating {
            id: "answer:c:manager:results".into(),
            question_id: "results".into(),
            group: "manager".into(),
            mean: 4.0,
        }];
        for locale in Locale::ALL {
            let sentences = draft(&feedback, &ratings, locale);
            assert_eq!(sentences.len(), 5, "{sentences:?}");
            assert!(sentences.iter().all(|s| !s.citations.is_empty()), "{sentences:?}");
        }
        let nl = draft(&feedback, &ratings, Locale::Nl);
        assert!(nl[0].text.contains("4,0 door de leidinggevende"), "{}", nl[0].text);
        assert!(nl[1].text.starts_with("Op 2026-01-01 werd een compliment"), "{}", nl[1].text);
    }

    #[test]
    fn no_evidence_no_sentences() {
        assert!(draft(&[], &[], Locale::En).is_empty());
    }
}
