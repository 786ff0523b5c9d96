//! Using attrition scores within the law: an individual estimate becomes a recommendation for HR
//! with its reasons and conversation topics (nl/de/en), never an action; a team gets only
//! aggregate figures.
//!
//! Topics come from the names of the columns that raise the estimate (the export's own names, so
//! matched by keywords in the three languages); a column the keywords do not know leads to the
//! general check-in. Health-related columns lead to a topic about support at work, never to
//! questions about the illness.

use std::collections::BTreeMap;

use hrmesh_kit::locale::{Locale, fold};
use hrmesh_proto::analytics::v1 as pb;

use crate::attrition::Score;

/// A contribution must raise the log-odds at least this much to count as a reason.
const REASON_MIN: f64 = 0.05;
/// Most reasons shown.
const MAX_REASONS: usize = 3;

/// `low`, `elevated` or `high`.
pub fn band(probability: f64) -> &'static str {
    if probability < 0.2 {
        "low"
    } else if probability < 0.5 {
        "elevated"
    } else {
        "high"
    }
}

/// What a conversation could be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Topic {
    Workload,
    Development,
    Recognition,
    Experience,
    Manager,
    Balance,
    Support,
    Plans,
    General,
}

/// Keywords (folded, lower case) in column names, in English, Dutch and German.
const KEYWORDS: &[(Topic, &[&str])] = &[
    (
        Topic::Workload,
        &["overtime", "overwerk", "uberstund", "hours", "uren", "stunden", "travel", "reis", "workload", "werkdruk"],
    ),
    (
        Topic::Development,
        &[
            "promotion",
            "promotie",
            "beforder",
            "training",
            "opleiding",
            "weiterbild",
            "level",
            "niveau",
            "role",
            "rol",
            "career",
            "loopbaan",
            "karriere",
            "skill",
            "job_title",
            "functie",
        ],
    ),
    (
        Topic::Recognition,
        &["income", "salary", "salaris", "gehalt", "pay", "loon", "hike", "raise", "stock", "bonus", "rate"],
    ),
    (
        Topic::Experience,
        &[
            "satisf",
            "tevreden",
            "zufried",
            "involvement",
            "betrokken",
            "engagement",
            "environment",
            "relationship",
            "enps",
            "sentiment",
        ],
    ),
    (Topic::Manager, &["manager", "leidinggevende", "vorgesetz", "supervisor", "fuhrungskraft"]),
    (Topic::Balance, &["balance", "distance", "afstand", "entfernung", "commute", "woon", "pendel", "remote", "thuis"]),
    (Topic::Support, &["absence", "absent", "sick", "ziek", "verzuim", "krank", "bradford", "fehlzeit"]),
    (
        Topic::Plans,
        &[
            "years",
            "jaren",
            "jahre",
            "tenure",
            "diensttijd",
            "zugehorig",
            "months",
            "companies",
            "contract",
            "age",
            "leeftijd",
            "alter",
        ],
    ),
];

fn topic_of(feature: &str) -> Topic {
    let name = fold(&feature.to_lowercase());
    KEYWORDS.iter().find(|(_, words)| words.iter().any(|w| name.contains(w))).map_or(Topic::General, |(t, _)| *t)
}

fn topic_text(topic: Topic, language: Locale) -> &'static str {
    let [en, nl, de] = match topic {
        Topic::Workload => [
            "Workload and working hours: is the amount of work and travel sustainable?",
            "Werkdruk en werktijden: is de hoeveelheid werk en reizen vol te houden?",
            "Arbeitsbelastung und Arbeitszeiten: Sind Arbeitsmenge und Reisen auf Dauer tragbar?",
        ],
        Topic::Development => [
            "Development and career: which next step, training or role would they like?",
            "Ontwikkeling en loopbaan: welke volgende stap, opleiding of rol zou de medewerker willen?",
            "Entwicklung und Laufbahn: Welchen nächsten Schritt, welche Weiterbildung oder Rolle wünscht sich die Person?",
        ],
        Topic::Recognition => [
            "Recognition and pay: do they feel their contribution is valued fairly?",
            "Waardering en beloning: voelt de medewerker zich eerlijk gewaardeerd?",
            "Anerkennung und Vergütung: Fühlt sich die Person für ihren Beitrag fair gewürdigt?",
        ],
        Topic::Experience => [
            "How they experience their work, team and working environment",
            "Hoe de medewerker het werk, het team en de werkomgeving ervaart",
            "Wie die Person ihre Arbeit, ihr Team und ihr Arbeitsumfeld erlebt",
        ],
        Topic::Manager => [
            "Working with their manager: support, feedback and expectations",
            "Samenwerking met de leidinggevende: steun, feedback en verwachtingen",
            "Zusammenarbeit mit der Führungskraft: Unterstützung, Feedback und Erwartungen",
        ],
        Topic::Balance => [
            "Balance between work and private life, including commuting and flexible working",
            "Balans tussen werk en privé, inclusief woon-werkverkeer en flexibel werken",
            "Vereinbarkeit von Beruf und Privatleben, auch Arbeitsweg und flexibles Arbeiten",
        ],
        Topic::Support => [
            "Wellbeing and support at work (do not ask about illness or diagnosis)",
            "Welzijn en ondersteuning op het werk (vraag niet naar ziekte of diagnose)",
            "Wohlbefinden und Unterstützung bei der Arbeit (nicht nach Krankheit oder Diagnose fragen)",
        ],
        Topic::Plans => [
            "Their plans for the coming years and what would make them stay",
            "Plannen voor de komende jaren en wat de medewerker zou doen blijven",
            "Pläne für die nächsten Jahre und was die Person zum Bleiben bewegen würde",
        ],
        Topic::General => [
            "A general check-in: how are things going and what could be better?",
            "Een algemeen gesprek: hoe gaat het en wat kan beter?",
            "Ein allgemeines Gespräch: Wie läuft es und was könnte besser sein?",
        ],
    };
    [en, nl, de][language.index()]
}

fn reason_text(feature: &str, value: &str, contribution: f64, language: Locale) -> String {
    match language {
        Locale::En => format!("{feature} = {value} raises the estimate ({contribution:+.2} log-odds)"),
        Locale::Nl => format!("{feature} = {value} verhoogt de inschatting ({contribution:+.2} log-odds)"),
        Locale::De => format!("{feature} = {value} erhöht die Einschätzung ({contribution:+.2} Log-Odds)"),
    }
}

fn recommendation_text(probability: f64, language: Locale) -> String {
    let percent = (probability * 100.0).round();
    match (band(probability), language) {
        ("high", Locale::En) => format!(
            "The estimated chance of leaving is high ({percent} %). Consider offering a conversation about the topics \
             below; decide with what you know of the person's situation."
        ),
        ("high", Locale::Nl) => format!(
            "De geschatte kans op vertrek is hoog ({percent} %). Overweeg een gesprek aan te bieden over de \
             onderwerpen hieronder; beslis met wat u van de situatie van de medewerker weet."
        ),
        ("high", Locale::De) => format!(
            "Die geschätzte Wahrscheinlichkeit eines Weggangs ist hoch ({percent} %). Erwägen Sie, ein Gespräch über \
             die folgenden Themen anzubieten; entscheiden Sie mit Ihrem Wissen über die Situation der Person."
        ),
        ("elevated", Locale::En) => format!(
            "The estimated chance of leaving is elevated ({percent} %). The topics below may be worth raising at the \
             next regular conversation."
        ),
        ("elevated", Locale::Nl) => format!(
            "De geschatte kans op vertrek is verhoogd ({percent} %). De onderwerpen hieronder kunnen bij het volgende \
             reguliere gesprek aan bod komen."
        ),
        ("elevated", Locale::De) => format!(
            "Die geschätzte Wahrscheinlichkeit eines Weggangs ist erhöht ({percent} %). Die folgenden Themen können \
             im nächsten regulären Gespräch angesprochen werden."
        ),
        (_, Locale::En) => {
            format!("The estimated chance of leaving is low ({percent} %). No particular follow-up is suggested.")
        }
        (_, Locale::Nl) => format!(
            "De geschatte kans op vertrek is laag ({percent} %). Er wordt geen bijzondere opvolging voorgesteld."
        ),
        (_, Locale::De) => format!(
            "Die geschätzte Wahrscheinlichkeit eines Weggangs ist niedrig ({percent} %). Es wird keine besondere \
             Nachverfolgung vorgeschlagen."
        ),
    }
}

/// The notice every individual estimate carries.
pub fn notice(language: Locale) -> &'static str {
    match language {
        Locale::En => {
            "Decision support only: no action follows automatically, and the estimate may not be used for decisions \
             about pay, promotion, dismissal or selection (GDPR art. 22, EU AI Act). It repeats patterns of past \
             leavers and is often wrong for an individual."
        }
        Locale::Nl => {
            "Alleen ter ondersteuning: er volgt geen automatische actie, en de inschatting mag niet worden gebruikt \
             voor besluiten over beloning, promotie, ontslag of selectie (AVG art. 22, AI-verordening). Zij herhaalt \
             patronen van eerdere vertrekkers en zit er voor een individu vaak naast."
        }
        Locale::De => {
            "Nur zur Entscheidungsunterstützung: Es folgt keine automatische Maßnahme, und die Einschätzung darf \
             nicht für Entscheidungen über Vergütung, Beförderung, Kündigung oder Auswahl verwendet werden (DSGVO \
             Art. 22, KI-Verordnung). Sie wiederholt Muster früherer Weggänge und liegt für einzelne Personen oft \
             daneben."
        }
    }
}

/// The recommendation for one score.
pub fn recommend(score: &Score, language: Locale) -> pb::IndividualRisk {
    let raising: Vec<_> =
        score.contributions.iter().filter(|c| c.contribution >= REASON_MIN).take(MAX_REASONS).collect();
    let reasons = raising
        .iter()
        .map(|c| pb::RiskReason {
            feature: c.feature.clone(),
            value: c.value.clone(),
            contribution: c.contribution,
            text: reason_text(&c.feature, &c.value, c.contribution, language),
        })
        .collect();
    let mut topics: Vec<Topic> = raising.iter().map(|c| topic_of(&c.feature)).collect();
    topics.sort();
    topics.dedup();
    // One named topic alone is narrow for a conversation about leaving: add the general check-in.
    if topics.is_empty() || (band(score.probability) != "low" && topics.len() < 2) {
        topics.push(Topic::General);
    }
    pb::IndividualRisk {
        probability: score.probability,
        band: band(score.probability).to_owned(),
        recommendation: recommendation_text(score.probability, language),
        reasons,
        conversation_topics: topics.into_iter().map(|t| topic_text(t, language).to_owned()).collect(),
        notice: notice(language).to_owned(),
        ..Default::default()
    }
}

/// The decision log's explanation of a score (English, as the log is read by the DPO).
pub fn explanation(score: &Score) -> String {
    let parts: Vec<String> = score
        .contributions
        .iter()
        .take(5)
        .map(|c| format!("{} = {} ({:+.3})", c.feature, c.value, c.contribution))
        .collect();
    format!("log-odds {:.3} = base {:.3} + contributions: {}", score.log_odds, score.base, parts.join(", "))
}

/// Team figures from the scores of its people.
pub fn team(scores: &[Score]) -> (f64, f64, Vec<pb::TeamDriver>) {
    let n = scores.len().max(1) as f64;
    let mean = scores.iter().map(|s| s.probability).sum::<f64>() / n;
    let high = scores.iter().filter(|s| s.probability >= 0.5).count() as f64 / n;
    let mut by_feature: BTreeMap<&str, f64> = BTreeMap::new();
    for s in scores {
        for c in &s.contributions {
            *by_feature.entry(&c.feature).or_default() += c.contribution / n;
        }
    }
    let mut drivers: Vec<pb::TeamDriver> = by_feature
        .into_iter()
        .map(|(feature, mean_contribution)| pb::TeamDriver { feature: feature.to_owned(), mean_contribution })
        .collect();
    drivers.sort_by(|a, b| b.mean_contribution.abs().total_cmp(&a.mean_contribution.abs()));
    (mean, high, drivers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attrition::Contribution;

    fn score(probability: f64, parts: &[(&str, &str, f64)]) -> Score {
        Score {
            probability,
            log_odds: 0.0,
            base: 0.0,
            contributions: parts
                .iter()
                .map(|&(f, v, c)| Contribution { feature: f.into(), value: v.into(), contribution: c })
                .collect(),
        }
    }

    #[test]
    fn a_high_score_recommends_a_conversation_on_the_raising_columns_in_three_languages() {
        let s = score(0.71, &[("OverTime", "Yes", 0.9), ("YearsSinceLastPromotion", "6", 0.4), ("Age", "44", -0.3)]);
        let en = recommend(&s, Locale::En);
        assert_eq!(en.band, "high");
        assert_eq!(en.reasons.len(), 2, "a lowering column is no reason");
        assert!(en.conversation_topics[0].starts_with("Workload"), "{:?}", en.conversation_topics);
        assert!(en.conversation_topics[1].starts_with("Development"), "{:?}", en.conversation_topics);
        assert!(recommend(&s, Locale::Nl).recommendation.contains("gesprek"));
        assert!(recommend(&s, Locale::De).conversation_topics[0].contains("Arbeitsbelastung"));
        assert!(en.notice.contains("no action follows automatically"));
    }

    #[test]
    fn health_columns_lead_to_support_never_to_the_illness_and_unknown_ones_to_a_check_in() {
        assert_eq!(topic_of("Bradford factor"), Topic::Support);
        assert_eq!(topic_of("Verzuimdagen"), Topic::Support);
        assert_eq!(topic_of("Fehlzeiten"), Topic::Support);
        assert_eq!(topic_of("xyz"), Topic::General);
        let low = recommend(&score(0.05, &[]), Locale::En);
        assert_eq!(low.conversation_topics.len(), 1);
    }
}
