//! Model cards of the review drafter and the bias checks (EU AI Act transparency): what each
//! does, for what, how, where it falls short, and — for the bias checks — precision and recall
//! on the labelled set, computed from the compiled-in set when asked.

use hrmesh_kit::locale::Locale;
use hrmesh_proto::performance::v1::ModelCard;

use crate::{
    bias::{self, eval},
    drafting,
    purposes::{BIAS, DRAFTING},
};

fn pick(locale: Locale, texts: [&str; 3]) -> String {
    texts[locale.index()].to_owned()
}

fn drafter(locale: Locale) -> ModelCard {
    ModelCard {
        model_id: drafting::MODEL.into(),
        purpose: DRAFTING.into(),
        method: pick(
            locale,
            [
                "Templates per language over the period's feedback (sorted by tone from the engagement sentiment lexicon) \
             and the visible 360° ratings; one sentence per item of evidence, citing its id. No free text generation.",
                "Sjablonen per taal over de feedback van de periode (gesorteerd op toon volgens het sentimentlexicon van \
             engagement) en de zichtbare 360°-scores; één zin per bewijsstuk, met het id ervan. Geen vrije tekstgeneratie.",
                "Vorlagen je Sprache über das Feedback des Zeitraums (sortiert nach Ton laut dem Sentiment-Lexikon von \
             engagement) und die sichtbaren 360°-Bewertungen; ein Satz je Beleg mit dessen ID. Keine freie Textgenerierung.",
            ],
        ),
        intended_use: pick(
            locale,
            [
                "A starting point for the manager, who edits, decides the rating and outcome, and approves; never shown \
             to the employee unapproved.",
                "Een startpunt voor de leidinggevende, die bewerkt, over score en uitkomst beslist en goedkeurt; nooit \
             ongoedgekeurd zichtbaar voor de medewerker.",
                "Ein Ausgangspunkt für die Führungskraft, die bearbeitet, über Bewertung und Ergebnis entscheidet und \
             freigibt; nie unfreigegeben für die mitarbeitende Person sichtbar.",
            ],
        ),
        limits: vec![
            pick(
                locale,
                [
                    "Only as good as the recorded feedback: what nobody wrote down is missing.",
                    "Zo goed als de vastgelegde feedback: wat niemand opschreef, ontbreekt.",
                    "Nur so gut wie das erfasste Feedback: was niemand aufgeschrieben hat, fehlt.",
                ],
            ),
            pick(
                locale,
                [
                    "Quotes feedback verbatim, in the language it was written in.",
                    "Citeert feedback letterlijk, in de taal waarin het geschreven is.",
                    "Zitiert Feedback wörtlich, in der Sprache, in der es geschrieben wurde.",
                ],
            ),
            pick(
                locale,
                [
                    "Tone comes from a word lexicon and can miss irony or context.",
                    "De toon komt uit een woordenlijst en kan ironie of context missen.",
                    "Der Ton stammt aus einem Wortlexikon und kann Ironie oder Kontext verfehlen.",
                ],
            ),
        ],
        evaluation: Vec::new(),
        data: pick(
            locale,
            [
                "The period's feedback and 360° answers of the employee; nothing else.",
                "De feedback en 360°-antwoorden van de medewerker uit de periode; verder niets.",
                "Das Feedback und die 360°-Antworten der Person aus dem Zeitraum; sonst nichts.",
            ],
        ),
    }
}

fn checks(locale: Locale) -> ModelCard {
    ModelCard {
        model_id: bias::MODEL.into(),
        purpose: BIAS.into(),
        method: pick(
            locale,
            [
                "Word lists per language: masculine- and feminine-coded stems, personality labels, evaluative words \
             without a concrete marker; recency compares the cited evidence dates with the period.",
                "Woordenlijsten per taal: mannelijk en vrouwelijk gecodeerde stammen, karakterlabels, oordelende woorden \
             zonder concreet ijkpunt; recency vergelijkt de data van het geciteerde bewijs met de periode.",
                "Wortlisten je Sprache: männlich und weiblich konnotierte Wortstämme, Charakteretiketten, wertende Wörter \
             ohne konkreten Anker; Recency vergleicht die Daten der zitierten Belege mit dem Zeitraum.",
            ],
        ),
        intended_use: pick(
            locale,
            [
                "Advice to the writer of feedback or a review; nothing is blocked or changed automatically.",
                "Advies aan wie feedback of een beoordeling schrijft; niets wordt automatisch geblokkeerd of veranderd.",
                "Hinweise für die schreibende Person; nichts wird automatisch blockiert oder geändert.",
            ],
        ),
        limits: vec![
            pick(
                locale,
                [
                    "Word lists flag gender-coded words also where they name an action (\"decided\", \"support ticket\").",
                    "Woordenlijsten markeren gecodeerde woorden ook waar ze een handeling noemen (\"leidde\", \"ondersteuning\").",
                    "Wortlisten markieren konnotierte Wörter auch dort, wo sie eine Handlung benennen (\"entschied\").",
                ],
            ),
            pick(
                locale,
                [
                    "The Dutch and German gendered lists are the team's translations of Gaucher et al., not a validated \
                 published adaptation.",
                    "De Nederlandse en Duitse genderlijsten zijn vertalingen door het team van Gaucher e.a., geen \
                 gevalideerde gepubliceerde bewerking.",
                    "Die niederländischen und deutschen Listen sind Übersetzungen des Teams von Gaucher u. a., keine \
                 validierte veröffentlichte Adaption.",
                ],
            ),
            pick(
                locale,
                [
                    "The labelled set was written by the same team as the lists: the figures are optimistic.",
                    "De gelabelde set is door hetzelfde team geschreven als de lijsten: de cijfers zijn optimistisch.",
                    "Der gelabelte Satz stammt vom selben Team wie die Listen: die Zahlen sind optimistisch.",
                ],
            ),
        ],
        evaluation: Locale::ALL
            .into_iter()
            .flat_map(|l| eval::evaluate(&eval::cases(eval::labelled_set(l), l), l))
            .collect(),
        data: "data/bias/README.md (Gaucher, Friesen & Kay 2011; team lists); tests-data/bias/*.tsv".into(),
    }
}

/// Both cards in `locale`.
pub fn cards(locale: Locale) -> Vec<ModelCard> {
    vec![drafter(locale), checks(locale)]
}
