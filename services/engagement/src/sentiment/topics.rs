//! What a comment is about: workload, management, colleagues, pay, growth, recognition,
//! wellbeing, quit intent. From keyword lists per language (folded; `word*` is a prefix,
//! `*word` a compound head such as "Arbeits|belastung") and the topics of matched workplace
//! words and phrases.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::Locale;
use super::tokens::Token;

/// A theme of employee comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Workload,
    Management,
    Colleagues,
    Pay,
    Growth,
    Recognition,
    Wellbeing,
    QuitIntent,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::Workload,
        Topic::Management,
        Topic::Colleagues,
        Topic::Pay,
        Topic::Growth,
        Topic::Recognition,
        Topic::Wellbeing,
        Topic::QuitIntent,
    ];

    /// Snake-case name, as in reports and the workplace data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Workload => "workload",
            Topic::Management => "management",
            Topic::Colleagues => "colleagues",
            Topic::Pay => "pay",
            Topic::Growth => "growth",
            Topic::Recognition => "recognition",
            Topic::Wellbeing => "wellbeing",
            Topic::QuitIntent => "quit_intent",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// Per topic, space-separated keywords.
type Keywords = &'static [(Topic, &'static str)];

const EN: Keywords = &[
    (
        Topic::Workload,
        "workload busy overtime deadline* overworked understaffed short-staffed hours pressure stress* overload* swamped workloads capacity backlog rush*",
    ),
    (
        Topic::Management,
        "manager* management boss* supervisor* leadership leader* ceo director* lead teamlead micromanag* executive* hr",
    ),
    (Topic::Colleagues, "colleague* coworker* co-worker* team teams teammate* peers atmosphere culture"),
    (Topic::Pay, "pay paid salary salaries wage* raise bonus* compensation underpaid money benefits pension payslip"),
    (
        Topic::Growth,
        "growth grow career* promotion* promoted training* learn* develop* course* mentor* progression opportunit* skills",
    ),
    (
        Topic::Recognition,
        "appreciat* unappreciated recogni* valued undervalued credit praise* thank* acknowledg* notice* feedback",
    ),
    (
        Topic::Wellbeing,
        "burnout burnt burned exhausted tired sleep* health* sick mental anxiety anxious wellbeing well-being balance work-life drained stress*",
    ),
    (Topic::QuitIntent, "quit* resign* leaving job-hunting recruiter* interviewing"),
];

const NL: Keywords = &[
    (
        Topic::Workload,
        "werkdruk druk drukte overuren overwerk deadline* overbelast* onderbezet* personeelstekort uren *druk werklast stress* planning rooster* bezetting",
    ),
    (
        Topic::Management,
        "manager* leidinggevende* leiding baas bazen directie directeur teamleider* management bestuur ceo hr *manager *leider",
    ),
    (Topic::Colleagues, "collega* team teams teamsfeer sfeer *sfeer werksfeer teamgenot* samenwerking"),
    (
        Topic::Pay,
        "salaris* loon lonen loonsverhoging betaling betaald onderbetaald bonus* cao vergoeding* *vergoeding verhoging geld pensioen *salaris",
    ),
    (
        Topic::Growth,
        "opleiding* cursus* training* ontwikkel* doorgroei* groei* carriere* promotie leren leer* *opleiding loopbaan kansen doorstroom",
    ),
    (Topic::Recognition, "waarder* gewaardeerd erkenning compliment* gezien gehoord bedankt dank *waardering"),
    (
        Topic::Wellbeing,
        "burn-out burnout overspannen moe uitgeput ziek* slaap* gezondheid balans werk-prive* stress* vermoeid uitval energie welzijn thuiswerk*",
    ),
    (Topic::QuitIntent, "solliciteer* sollicit* ontslag opzeggen opstappen vertrek* weggaan wegwezen"),
];

const DE: Keywords = &[
    (
        Topic::Workload,
        "arbeitsbelastung belastung *belastung uberstunden stress* *druck druck uberlastet uberfordert unterbesetzt personalmangel pensum arbeitsaufwand *aufwand deadline* hektik hektisch arbeitspensum",
    ),
    (
        Topic::Management,
        "chef* vorgesetzte* fuhrung* *fuhrung geschaftsfuhrung leitung *leitung manager* management teamleiter* *leiter abteilungsleiter* boss hr",
    ),
    (
        Topic::Colleagues,
        "kollege* kollegin* team teams *klima betriebsklima arbeitsklima teamgeist zusammenarbeit stimmung",
    ),
    (
        Topic::Pay,
        "gehalt* lohn lohne bezahlung *bezahlung vergutung bezahlt unterbezahlt bonus* gehaltserhohung *erhohung geld tarif* rente",
    ),
    (
        Topic::Growth,
        "weiterbildung* fortbildung* entwicklung* *entwicklung karriere* aufstieg* beforderung schulung* lernen lerne perspektive* chancen aufstiegschancen",
    ),
    (
        Topic::Recognition,
        "wertschatzung wertgeschatzt anerkennung anerkannt lob gelobt geschatzt dank danke gesehen gehort",
    ),
    (
        Topic::Wellbeing,
        "burnout burn-out erschopft ausgebrannt mude krank* schlaf* gesundheit* work-life-balance stress* wohlbefinden erholung psychisch* homeoffice",
    ),
    (Topic::QuitIntent, "kundig* gekundigt bewerbe* bewerbung* jobwechsel wechsel*"),
];

fn keywords(locale: Locale) -> Keywords {
    match locale {
        Locale::En => EN,
        Locale::Nl => NL,
        Locale::De => DE,
    }
}

/// The keywords of one language: exact words, prefixes (`word*`), compound heads (`*word`).
#[derive(Default)]
struct Index {
    exact: HashMap<&'static str, Vec<Topic>>,
    prefixes: Vec<(&'static str, Topic)>,
    heads: Vec<(&'static str, Topic)>,
}

static INDEX: LazyLock<[Index; 3]> = LazyLock::new(|| {
    Locale::ALL.map(|locale| {
        let mut index = Index::default();
        for (topic, patterns) in keywords(locale) {
            for pattern in patterns.split_whitespace() {
                if let Some(prefix) = pattern.strip_suffix('*') {
                    index.prefixes.push((prefix, *topic));
                } else if let Some(head) = pattern.strip_prefix('*') {
                    index.heads.push((head, *topic));
                } else {
                    index.exact.entry(pattern).or_default().push(*topic);
                }
            }
        }
        index
    })
});

/// Topics of a comment from its tokens in the given languages, plus `known` topics (from the
/// workplace words and phrases that matched), in [`Topic::ALL`] order.
pub(super) fn tag(tokens: &[Token], languages: &[Locale], known: &[Topic]) -> Vec<Topic> {
    let mut found = [false; 8];
    for topic in known {
        found[*topic as usize] = true;
    }
    for token in tokens.iter().filter(|t| t.emoji.is_none()) {
        let word = token.folded.as_str();
        for locale in languages {
            let index = &INDEX[locale.index()];
            for topic in index.exact.get(word).into_iter().flatten() {
                found[*topic as usize] = true;
            }
            for (prefix, topic) in &index.prefixes {
                found[*topic as usize] |= word.starts_with(prefix);
            }
            for (head, topic) in &index.heads {
                found[*topic as usize] |= word.len() > head.len() + 2 && word.ends_with(head);
            }
        }
    }
    Topic::ALL.into_iter().filter(|t| found[*t as usize]).collect()
}
