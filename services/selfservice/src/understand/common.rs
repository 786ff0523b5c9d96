//! Everyday Dutch, German and English words (folded) the typo corrector must know, so that a
//! correct word the labelled examples happen not to contain is never "corrected" into a domain
//! word of another language (`sich` → `sick`, `dan` → `dank`).

use std::collections::HashSet;
use std::sync::OnceLock;

use hrmesh_kit::locale::fold;

use super::text::Lexicon;

const WORDS: [&str; 12] = [
    // Dutch
    "aan al alle als alleen altijd ben bent bij daar dan dat de deze die dit doe doen door dus een eens en er \
     ga gaan gaat geen goed had heb hebben heeft hem het hier hij hoe hun ik in is ja je jij jou jouw kan kun \
     kunnen maar me meer met mij mijn moet moeten mogen na naar niet niets nog nu of om omdat ons onze ook op \
     over te toch tot u uit van veel voor waar wanneer wat we wel welk welke werd wie wij wil willen word wordt \
     zal ze zei zelf zich zij zijn zo zou zouden",
    "even eigenlijk gewoon iets iemand echt heel hele erg nou hoor hè sorry oke effe ff graag alsjeblieft \
     alstublieft misschien waarschijnlijk vandaan daarom want wanneer sinds tijdens zonder tegen binnen buiten \
     samen weer steeds nooit vaak soms jaar maand week dag uur keer vraag vragen antwoord weet weten denk \
     vind zien kijken komen kom komt ging gaan staan zitten liggen krijgen krijg geven geef zeggen",
    // German
    "aber alle als also am an auch auf aus bei bin bis bist bitte da dann das dass dein deine dem den denn der \
     des dich die dir doch du durch ein eine einem einen einer er es etwas euch für gibt habe haben hast hat \
     hier ich ihm ihn ihr im in ist ja jetzt kann kannst kein keine mal man mein meine meinem meinen meiner \
     mich mir mit muss nach nicht noch nur ob oder schon sehr sein seine sich sie sind so um und uns unser \
     viel vom von vor war warum was weil wenn wer wie wieder wir wird wo zu zum zur",
    "eigentlich einfach etwa ganz gerade gern heute immer leider mehr morgen nein nie oft selbst sonst trotzdem \
     vielleicht wahrscheinlich weiter welche welcher welches wann woher wohin ohne gegen seit während zwischen \
     jahr monat woche tag stunde frage fragen antwort weiß wissen denke finde sehen kommen komme kommt gehen \
     gehe geht stehen liegen bekommen bekomme geben gib sagen danke brauche brauch möchte möchten würde würden",
    // English
    "a about after again all also am an and any are as at be because been before being but by can could did \
     do does doing don for from get got had has have he her here him his how i if in into is it its just me \
     more my myself no not now of off on once only or other our out over own same she should so some such \
     than that the their them then there these they this those through to too under until up very was we \
     were what when where which while who whom why will with would you your",
    "actually anyway basically really maybe probably please pls thanks sorry hey okay well still yet ever never \
     often sometimes always today year month week day hour time question questions answer know think find see \
     come comes going go goes went stand sit lie give say tell ask need want like let make made able",
    "bit lot lots thing things way ways something anything nothing everything someone anyone everyone people \
     person man woman work working job office home house car bus train boss manager colleague team company",
    "werk werken baan kantoor thuis huis auto trein baas manager collega team bedrijf mensen persoon \
     arbeit arbeiten job büro hause zuhause auto zug chef kollege kollegin firma leute person",
    "nieuw nieuwe oud oude groot grote klein kleine lang lange kort korte laat vroeg eerst laatste volgend \
     neu neue alt alte groß große klein kleine lang lange kurz spät früh erst letzte nächste",
    "letzter letzten letztes vorigen nächster nächstes kommenden diesem dieses jeden jeder jedes vorig \
     afgelopen komend komende volgende vorige jaren maanden weken dagen jahre monate wochen tage years months",
    "new old big small long short late early first last next good bad better best right wrong same different \
     one two three four five six seven eight nine ten",
    "een twee drie vier vijf zes zeven acht negen tien eins zwei drei vier fünf sechs sieben acht neun zehn",
];

fn words() -> impl Iterator<Item = &'static str> {
    WORDS.iter().flat_map(|w| w.split_whitespace())
}

/// Adds the everyday words to a lexicon.
pub fn add_to(lexicon: &mut Lexicon) {
    for word in words() {
        lexicon.add(&fold(word), 1);
    }
}

/// Whether a folded word is an everyday word (no feature of its own for the classifier).
pub fn is_common(word: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| words().map(fold).collect()).contains(word)
}
