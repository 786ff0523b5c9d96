//! Function words per language that steer the rules: negators, boosters and dampeners, contrast
//! words. All folded (lower case, no diacritics), as tokens are compared; lists are
//! space-separated.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::Locale;

/// VADER's empirical increment of a booster ("very good") and decrement of a dampener.
pub(super) const B_INCR: f64 = 0.293;
pub(super) const B_DECR: f64 = -0.293;

/// The lists as written.
struct Lists {
    /// Words that flip what follows.
    negators: &'static str,
    /// Negators that, ending a Dutch or German clause, flip the verb before them ("Das gefällt
    /// mir nicht").
    post_negators: &'static str,
    /// Conjunctions: a clause-final negator does not reach back across them.
    conjunctions: &'static str,
    /// A negator followed by one of these is no negation ("niet alleen", "nicht nur", "not only").
    not_negating_before: &'static str,
    /// Intensifiers (scalar [`B_INCR`]) and dampeners ([`B_DECR`]).
    intensifiers: &'static str,
    dampeners: &'static str,
    /// Boosters with their own scalar (> 0 intensifies, < 0 dampens).
    graded: &'static [(&'static str, f64)],
    /// Multi-word boosters: the scalar sits on the last word, the others are inert.
    multi_boosters: &'static [(&'static str, f64)],
    /// Contrast words: what follows weighs more than what came before.
    contrast: &'static str,
    /// Contrast words only at the start of a clause (elsewhere they are particles).
    contrast_at_clause_start: &'static str,
    /// "maar" is no contrast before these ("maar een paar", "maar even").
    contrast_not_before: &'static str,
    /// Compound modifiers that make a split safe even with a short head ("werk|druk").
    compound_modifiers: &'static str,
    /// Verb particles and prefixes: no compound modifier ("bekend|gemaakt", "an|geboten").
    particles: &'static str,
}

const EN: Lists = Lists {
    negators: "aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't doesn't \
        dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't mustn't neednt \
        needn't never none nope nor not nothing nowhere oughtnt shant shouldnt uhuh wasnt werent oughtn't shan't \
        shouldn't uh-uh wasn't weren't without wont wouldnt won't wouldn't rarely seldom despite",
    post_negators: "",
    conjunctions: "",
    not_negating_before: "only",
    intensifiers: "absolutely amazingly awfully completely considerable considerably decidedly deeply effing enormous \
        enormously entirely especially exceptional exceptionally extreme extremely fabulously flipping flippin frackin \
        fracking fricking frickin frigging friggin fully fuckin fucking fuggin fugging greatly hella highly hugely \
        incredible incredibly intensely major majorly more most particularly purely quite really remarkably so \
        substantially thoroughly total totally tremendous tremendously uber unbelievably unusually utter utterly very",
    dampeners: "almost barely hardly kinda kindof kind-of less little marginal marginally occasional occasionally \
        partly scarce scarcely slight slightly somewhat sorta sortof sort-of",
    graded: &[],
    multi_boosters: &[("kind of", B_DECR), ("sort of", B_DECR), ("just enough", B_DECR)],
    contrast: "but",
    contrast_at_clause_start: "",
    contrast_not_before: "",
    compound_modifiers: "",
    particles: "",
};

const NL: Lists = Lists {
    negators: "niet geen nooit nergens niemand niets niks noch zonder nauwelijks amper zelden weinig allerminst \
        geeneens mis mist ontbreekt ontbreken gebrek",
    post_negators: "niet nooit nimmer",
    conjunctions: "en of want omdat dus terwijl doordat zodat als dat wanneer hoewel die",
    not_negating_before: "alleen enkel slechts",
    intensifiers: "heel erg zeer super echt ontzettend enorm hartstikke bijzonder extreem uiterst ongelooflijk \
        ongelofelijk behoorlijk flink totaal helemaal absoluut zo zo'n te mega bizar waanzinnig vet ernstig",
    dampeners: "redelijk enigszins iets licht lichtelijk minder bijna tamelijk beetje",
    graded: &[("steeds", 0.15), ("nogal", 0.1), ("best", -0.15), ("vrij", -0.2), ("soms", -0.2), ("wat", -0.15)],
    multi_boosters: &[
        ("een beetje", B_DECR),
        ("een tikje", B_DECR),
        ("een klein beetje", B_DECR),
        ("veel te", 0.5),
        ("echt heel", 0.45),
        ("heel erg", 0.45),
        ("af en toe", B_DECR),
    ],
    contrast: "maar echter desondanks daarentegen evenwel",
    contrast_at_clause_start: "alleen toch wel",
    contrast_not_before: "een even eens net half weinig twee drie zo ook",
    compound_modifiers: "werk team leiding loon salaris klant tijd baan bedrijf personeel dienst project prestatie \
        deadline collega sfeer rooster thuis kantoor overleg functie taak taken afdeling",
    particles: "aan af bij door in mee na om op over toe uit voor weg terug samen tegen ver be ge ont her er bekend \
        vast los neer onder achter",
};

const DE: Lists = Lists {
    negators: "nicht kein keine keinen keinem keiner keines nie niemals nirgends nirgendwo niemand nichts ohne weder \
        kaum selten wenig nimmer fehlt fehlen fehlende fehlenden fehlender fehlendes vermisse vermissen vermisst \
        mangel mangelnde mangelnden mangelnder",
    post_negators: "nicht nie niemals nimmer",
    conjunctions: "und oder denn weil dass da wenn obwohl sodass als wobei",
    not_negating_before: "nur bloss allein",
    intensifiers: "sehr total echt extrem ausserst besonders unglaublich wahnsinnig mega super richtig voll so zu \
        absolut wirklich enorm hochst ausserordentlich uberaus ausgesprochen komplett vollig",
    dampeners: "etwas eher relativ einigermassen halbwegs leicht weniger teilweise fast bisschen bissl",
    graded: &[("durchaus", 0.15), ("immer", 0.15), ("ziemlich", 0.15), ("recht", 0.1), ("manchmal", -0.2)],
    multi_boosters: &[
        ("ein bisschen", B_DECR),
        ("ein wenig", B_DECR),
        ("ein klein wenig", B_DECR),
        ("viel zu", 0.5),
        ("ganz und gar", 0.5),
    ],
    contrast: "aber jedoch allerdings sondern trotzdem dennoch",
    contrast_at_clause_start: "doch nur",
    contrast_not_before: "",
    compound_modifiers: "arbeit team fuhrung lohn gehalt kunden zeit job betrieb firma personal dienst projekt \
        leistung termin kollegen klima schicht buro abteilung aufgaben",
    particles: "ab an auf aus bei ein mit nach vor zu weg zuruck hin her hinzu um uber unter durch ver be ge ent emp \
        er zer fest los vorbei weiter zusammen dar hinaus heraus voran",
};

/// The function words of one language, as sets.
pub(super) struct Words {
    pub negators: HashSet<&'static str>,
    pub post_negators: HashSet<&'static str>,
    pub conjunctions: HashSet<&'static str>,
    pub not_negating_before: HashSet<&'static str>,
    boosters: HashMap<&'static str, f64>,
    pub multi_boosters: &'static [(&'static str, f64)],
    pub contrast: HashSet<&'static str>,
    pub contrast_at_clause_start: HashSet<&'static str>,
    pub contrast_not_before: HashSet<&'static str>,
    pub compound_modifiers: HashSet<&'static str>,
    pub particles: HashSet<&'static str>,
}

fn set(list: &'static str) -> HashSet<&'static str> {
    list.split_whitespace().collect()
}

impl Words {
    fn new(l: &Lists) -> Words {
        let mut boosters: HashMap<&'static str, f64> = l.graded.iter().copied().collect();
        boosters.extend(l.intensifiers.split_whitespace().map(|w| (w, B_INCR)));
        boosters.extend(l.dampeners.split_whitespace().map(|w| (w, B_DECR)));
        Words {
            negators: set(l.negators),
            post_negators: set(l.post_negators),
            conjunctions: set(l.conjunctions),
            not_negating_before: set(l.not_negating_before),
            boosters,
            multi_boosters: l.multi_boosters,
            contrast: set(l.contrast),
            contrast_at_clause_start: set(l.contrast_at_clause_start),
            contrast_not_before: set(l.contrast_not_before),
            compound_modifiers: set(l.compound_modifiers),
            particles: set(l.particles),
        }
    }

    /// The scalar of an intensifier (> 0) or dampener (< 0).
    pub(super) fn booster(&self, folded: &str) -> Option<f64> {
        self.boosters.get(folded).copied()
    }

    pub(super) fn is_negator(&self, folded: &str) -> bool {
        self.negators.contains(folded)
    }
}

static WORDS: LazyLock<[Words; 3]> = LazyLock::new(|| [Words::new(&EN), Words::new(&NL), Words::new(&DE)]);

/// The function words of `locale`.
pub(super) fn words(locale: Locale) -> &'static Words {
    &WORDS[locale.index()]
}

/// Words of another language that are false friends when a mixed comment falls back to that
/// language's lexicon (German "die", "war", "Kind", "Gift"; Dutch "arm", "brand", "mist").
pub(super) static FALSE_FRIENDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("die war kind gift fast hell mist arm bad will rat also hut slim want lust brand rock fit hoe wild most best \
        dom rot bot top so zo te zu no on door man kan had mag boos doof")
});

/// Unambiguous English function words: [`Locale::detect`] said English because it saw some, not
/// because it saw no stop word at all.
pub(super) static ENGLISH_EVIDENCE: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set("the a and are i i'm you my to of it it's this that for with have has not but at on our your they very \
        really just be been can can't don't what there")
});
