//! The question library by driver in Dutch, German and English, the answer time each kind of
//! question takes, and the rotation of a recurring pulse's questions over its rounds.

use hrmesh_kit::locale::Locale;

/// What a question is about; results are reported per driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Driver {
    Workload,
    Growth,
    Recognition,
    Management,
    Colleagues,
    Pay,
    Wellbeing,
    Enps,
}

impl Driver {
    pub const ALL: [Driver; 8] = [
        Driver::Workload,
        Driver::Growth,
        Driver::Recognition,
        Driver::Management,
        Driver::Colleagues,
        Driver::Pay,
        Driver::Wellbeing,
        Driver::Enps,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Driver::Workload => "workload",
            Driver::Growth => "growth",
            Driver::Recognition => "recognition",
            Driver::Management => "management",
            Driver::Colleagues => "colleagues",
            Driver::Pay => "pay",
            Driver::Wellbeing => "wellbeing",
            Driver::Enps => "enps",
        }
    }

    pub fn parse(name: &str) -> Option<Driver> {
        Driver::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// How a question is answered; each kind has its own estimated answer time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Agreement with a statement on 0..10: read a short statement, tap a number.
    Rating,
    /// Likelihood to recommend on 0..10: a longer sentence, and people weigh it a moment.
    Enps,
    /// Free text: typing one or two sentences on a phone.
    Open,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rating => "rating",
            Kind::Enps => "enps",
            Kind::Open => "open",
        }
    }

    /// Estimated seconds to answer one question of this kind.
    pub fn seconds(self) -> u32 {
        match self {
            Kind::Rating => 7,
            Kind::Enps => 9,
            Kind::Open => 20,
        }
    }

    /// Whether a 0..10 score is the answer.
    pub fn scored(self) -> bool {
        self != Kind::Open
    }
}

/// Seconds to open a survey and send it, whatever its questions.
pub const OVERHEAD_SECONDS: u32 = 5;
/// The longest a pulse may take to answer.
pub const MAX_SECONDS: u32 = 60;
/// The most questions one round asks.
pub const MAX_QUESTIONS: usize = 5;

/// One question of the library, in English, Dutch and German ([`Locale::ALL`] order).
#[derive(Debug)]
pub struct Question {
    pub id: &'static str,
    pub driver: Driver,
    pub kind: Kind,
    pub text: [&'static str; 3],
}

impl Question {
    /// The text in `locale`.
    pub fn text(&self, locale: Locale) -> &'static str {
        self.text[locale.index()]
    }

    /// The question as the API returns it.
    pub fn to_proto(&self, locale: Locale) -> hrmesh_proto::engagement::v1::Question {
        hrmesh_proto::engagement::v1::Question {
            question_id: self.id.to_owned(),
            driver: self.driver.as_str().to_owned(),
            kind: self.kind.as_str().to_owned(),
            text: self.text(locale).to_owned(),
            estimated_seconds: self.kind.seconds(),
        }
    }
}

const fn q(id: &'static str, driver: Driver, kind: Kind, text: [&'static str; 3]) -> Question {
    Question { id, driver, kind, text }
}

use Driver as D;
use Kind as K;

/// Every question hrmesh offers.
pub static LIBRARY: &[Question] = &[
    q(
        "workload.manageable",
        D::Workload,
        K::Rating,
        [
            "My workload is manageable.",
            "Mijn werkdruk is goed te doen.",
            "Meine Arbeitsbelastung ist gut zu bewältigen.",
        ],
    ),
    q(
        "workload.time",
        D::Workload,
        K::Rating,
        [
            "I have enough time to do my work well.",
            "Ik heb genoeg tijd om mijn werk goed te doen.",
            "Ich habe genug Zeit, um meine Arbeit gut zu machen.",
        ],
    ),
    q(
        "workload.open",
        D::Workload,
        K::Open,
        [
            "What would make your workload better?",
            "Wat zou je werkdruk verbeteren?",
            "Was würde deine Arbeitsbelastung verbessern?",
        ],
    ),
    q(
        "growth.learning",
        D::Growth,
        K::Rating,
        [
            "I am learning and developing in my job.",
            "Ik leer en ontwikkel me in mijn werk.",
            "Ich lerne und entwickle mich in meiner Arbeit weiter.",
        ],
    ),
    q(
        "growth.future",
        D::Growth,
        K::Rating,
        [
            "I can see a future for myself here.",
            "Ik zie hier een toekomst voor mezelf.",
            "Ich sehe hier eine Zukunft für mich.",
        ],
    ),
    q(
        "growth.open",
        D::Growth,
        K::Open,
        ["What would help you grow?", "Wat zou je helpen groeien?", "Was würde dir helfen, dich weiterzuentwickeln?"],
    ),
    q(
        "recognition.valued",
        D::Recognition,
        K::Rating,
        [
            "I get recognition when I do good work.",
            "Ik krijg waardering als ik goed werk lever.",
            "Ich bekomme Anerkennung, wenn ich gute Arbeit leiste.",
        ],
    ),
    q(
        "recognition.open",
        D::Recognition,
        K::Open,
        [
            "When did you last feel appreciated at work?",
            "Wanneer voelde je je voor het laatst gewaardeerd op je werk?",
            "Wann hast du dich zuletzt bei der Arbeit wertgeschätzt gefühlt?",
        ],
    ),
    q(
        "management.support",
        D::Management,
        K::Rating,
        [
            "My manager supports me when I need it.",
            "Mijn leidinggevende steunt me als ik dat nodig heb.",
            "Meine Führungskraft unterstützt mich, wenn ich es brauche.",
        ],
    ),
    q(
        "management.feedback",
        D::Management,
        K::Rating,
        [
            "My manager gives me useful feedback.",
            "Mijn leidinggevende geeft me bruikbare feedback.",
            "Meine Führungskraft gibt mir hilfreiches Feedback.",
        ],
    ),
    q(
        "management.open",
        D::Management,
        K::Open,
        [
            "What could your manager do differently?",
            "Wat zou je leidinggevende anders kunnen doen?",
            "Was könnte deine Führungskraft anders machen?",
        ],
    ),
    q(
        "colleagues.help",
        D::Colleagues,
        K::Rating,
        [
            "My colleagues help each other.",
            "Mijn collega's helpen elkaar.",
            "Meine Kolleginnen und Kollegen helfen einander.",
        ],
    ),
    q(
        "colleagues.belong",
        D::Colleagues,
        K::Rating,
        ["I feel at home in my team.", "Ik voel me thuis in mijn team.", "Ich fühle mich in meinem Team wohl."],
    ),
    q(
        "colleagues.open",
        D::Colleagues,
        K::Open,
        [
            "What makes working with your team good or hard?",
            "Wat maakt samenwerken in je team goed of lastig?",
            "Was macht die Zusammenarbeit in deinem Team gut oder schwierig?",
        ],
    ),
    q(
        "pay.fair",
        D::Pay,
        K::Rating,
        [
            "My pay is fair for the work I do.",
            "Mijn salaris is eerlijk voor het werk dat ik doe.",
            "Meine Bezahlung ist fair für die Arbeit, die ich leiste.",
        ],
    ),
    q(
        "pay.benefits",
        D::Pay,
        K::Rating,
        [
            "I am satisfied with my benefits.",
            "Ik ben tevreden over mijn secundaire arbeidsvoorwaarden.",
            "Ich bin mit meinen Zusatzleistungen zufrieden.",
        ],
    ),
    q(
        "wellbeing.energy",
        D::Wellbeing,
        K::Rating,
        [
            "I have enough energy left after work.",
            "Ik heb na het werk nog genoeg energie over.",
            "Nach der Arbeit habe ich noch genug Energie.",
        ],
    ),
    q(
        "wellbeing.balance",
        D::Wellbeing,
        K::Rating,
        [
            "I can balance my work and private life.",
            "Ik kan werk en privé goed combineren.",
            "Ich kann Arbeit und Privatleben gut vereinbaren.",
        ],
    ),
    q(
        "wellbeing.open",
        D::Wellbeing,
        K::Open,
        [
            "How are you really doing at work?",
            "Hoe gaat het echt met je op het werk?",
            "Wie geht es dir bei der Arbeit wirklich?",
        ],
    ),
    q(
        "enps.recommend",
        D::Enps,
        K::Enps,
        [
            "How likely are you to recommend this company as a place to work?",
            "Hoe waarschijnlijk is het dat je dit bedrijf aanbeveelt als werkgever?",
            "Wie wahrscheinlich ist es, dass du dieses Unternehmen als Arbeitgeber empfiehlst?",
        ],
    ),
];

/// The library question `id`.
pub fn find(id: &str) -> Option<&'static Question> {
    LIBRARY.iter().find(|q| q.id == id)
}

/// Estimated seconds to answer `questions`, with how the estimate is made up.
pub fn estimate(questions: &[&Question]) -> (u32, String) {
    let total = OVERHEAD_SECONDS + questions.iter().map(|q| q.kind.seconds()).sum::<u32>();
    let parts: Vec<String> = std::iter::once(format!("{OVERHEAD_SECONDS} s to open and send"))
        .chain(questions.iter().map(|q| format!("{} s for {} ({})", q.kind.seconds(), q.id, q.kind.as_str())))
        .collect();
    (total, parts.join(" + "))
}

/// How a survey picks its questions per round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// Asked every round.
    pub pinned: Vec<String>,
    /// Rotated through, round by round.
    pub pool: Vec<String>,
    /// Questions per round, pinned included.
    pub per_round: usize,
}

impl Rotation {
    /// The question ids of round `round` (1-based): the pinned ones, then the next slice of the
    /// pool, wrapping around, so every pool question comes up in turn.
    pub fn round(&self, round: u32) -> Vec<String> {
        let take = self.per_round.saturating_sub(self.pinned.len()).min(self.pool.len());
        let mut out = self.pinned.clone();
        if take == 0 {
            return out;
        }
        let start = (round.saturating_sub(1) as usize * take) % self.pool.len();
        out.extend((0..take).map(|i| self.pool[(start + i) % self.pool.len()].clone()));
        out
    }

    /// Every distinct round of the rotation (it repeats after at most `pool` rounds).
    pub fn cycle(&self) -> Vec<Vec<String>> {
        let rounds = self.pool.len().max(1);
        let mut out: Vec<Vec<String>> = Vec::new();
        for r in 1..=rounds {
            let ids = self.round(u32::try_from(r).unwrap_or(u32::MAX));
            if !out.contains(&ids) {
                out.push(ids);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qs(ids: &[&str]) -> Vec<&'static Question> {
        ids.iter().map(|id| find(id).expect("in library")).collect()
    }

    #[test]
    fn every_driver_has_questions_in_three_languages_and_ids_are_unique() {
        for driver in Driver::ALL {
            assert!(LIBRARY.iter().any(|q| q.driver == driver), "{driver:?}");
        }
        let mut ids: Vec<_> = LIBRARY.iter().map(|q| q.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), LIBRARY.len());
        for q in LIBRARY {
            assert!(q.text.iter().all(|t| t.len() > 10), "{}", q.id);
            assert!(q.id.starts_with(q.driver.as_str()), "{}", q.id);
        }
    }

    #[test]
    fn time_estimate_adds_the_kinds_and_the_overhead() {
        let (seconds, why) = estimate(&qs(&["enps.recommend", "workload.manageable", "workload.open", "growth.open"]));
        assert_eq!(seconds, 5 + 9 + 7 + 20 + 20);
        assert_eq!(seconds, 61, "just over the limit");
        assert!(why.contains("20 s for growth.open (open)"), "{why}");
        let (five_ratings, _) = estimate(&qs(&[
            "workload.manageable",
            "growth.learning",
            "pay.fair",
            "colleagues.help",
            "wellbeing.energy",
        ]));
        assert_eq!(five_ratings, 40);
    }

    #[test]
    fn rotation_keeps_pinned_questions_and_cycles_through_the_pool() {
        let rotation = Rotation {
            pinned: vec!["enps.recommend".into()],
            pool: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
            per_round: 3,
        };
        assert_eq!(rotation.round(1), ["enps.recommend", "a", "b"]);
        assert_eq!(rotation.round(2), ["enps.recommend", "c", "d"]);
        assert_eq!(rotation.round(3), ["enps.recommend", "e", "a"]);
        assert_eq!(rotation.round(6), rotation.round(1), "repeats after the pool's length");
        assert_eq!(rotation.cycle().len(), 5);
        let every: std::collections::BTreeSet<_> = rotation.cycle().concat().into_iter().collect();
        assert_eq!(every.len(), 6, "every pool question comes up");
        let fixed = Rotation { pinned: vec![], pool: vec!["a".into(), "b".into()], per_round: 2 };
        assert_eq!(fixed.round(1), fixed.round(2));
        assert_eq!(fixed.cycle().len(), 1);
    }
}
