//! What an employee can ask the assistant, and hand-written cue phrases for each.
//!
//! The cues are high-precision words and phrases (folded, after typo correction) in Dutch,
//! German and English. They do not decide on their own: each match adds the feature
//! `cue:<intent>` to the classifier, whose weight is learned like any word's (see `model`), so a
//! cue generalises to synonyms and compounds the labelled examples do not contain. Pattern
//! syntax (see `cues`): cues separated by `|`, words by spaces, `~` for a gap of up to three words, `*` at
//! the start or end of a word for a suffix or prefix match.

use std::fmt;

/// An employee's intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Intent {
    LeaveBalance,
    LeaveRequest,
    LeaveCancel,
    SickReport,
    RecoveryReport,
    PayslipShow,
    PayslipExplain,
    AddressChange,
    CertificateRequest,
    PolicyQuestion,
    Handover,
    Greeting,
    Thanks,
    Confirm,
    Deny,
    Unknown,
}

/// Number of intents (the classifier's classes).
pub const N: usize = 16;

impl Intent {
    pub const ALL: [Intent; N] = [
        Intent::LeaveBalance,
        Intent::LeaveRequest,
        Intent::LeaveCancel,
        Intent::SickReport,
        Intent::RecoveryReport,
        Intent::PayslipShow,
        Intent::PayslipExplain,
        Intent::AddressChange,
        Intent::CertificateRequest,
        Intent::PolicyQuestion,
        Intent::Handover,
        Intent::Greeting,
        Intent::Thanks,
        Intent::Confirm,
        Intent::Deny,
        Intent::Unknown,
    ];

    /// Snake-case name, as in the labelled corpus and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::LeaveBalance => "leave_balance",
            Intent::LeaveRequest => "leave_request",
            Intent::LeaveCancel => "leave_cancel",
            Intent::SickReport => "sick_report",
            Intent::RecoveryReport => "recovery_report",
            Intent::PayslipShow => "payslip_show",
            Intent::PayslipExplain => "payslip_explain",
            Intent::AddressChange => "address_change",
            Intent::CertificateRequest => "certificate_request",
            Intent::PolicyQuestion => "policy_question",
            Intent::Handover => "handover",
            Intent::Greeting => "greeting",
            Intent::Thanks => "thanks",
            Intent::Confirm => "confirm",
            Intent::Deny => "deny",
            Intent::Unknown => "unknown",
        }
    }

    /// The intent named by [`Intent::as_str`].
    pub fn parse(name: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == name)
    }

    /// Position in [`Intent::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Cue phrases per intent (folded: `ü` → `u`, `ß` → `ss`; `don't` is `don t`), `|`-separated.
pub const CUES: [(Intent, &[&str]); 15] = [
    (
        Intent::LeaveBalance,
        &[
            "hoeveel ~ nog|hoe veel ~ nog|hoeveel ~ over|hoeveel ~ tegoed|saldo|*saldo|nog staan|nog open",
            "wie viel ~ noch|wieviel ~ noch|wie viele ~ noch|wieviele ~ noch|ubrig|resturlaub|urlaubskonto",
            "urlaubsstand|stehen mir ~ zu|hab ich noch|habe ich noch|noch offen|how many ~ left",
            "how much ~ left|remaining|left over|balance|still have|wie viele ~ habe ich|heb ik nog",
            "have i got",
        ],
    ),
    (
        Intent::LeaveRequest,
        &[
            "vrij nemen|vrij vragen|vrij krijgen|vrij hebben|kan ik ~ vrij|mag ik ~ vrij|verlof aanvragen",
            "vakantie aanvragen|opnemen|frei nehmen|frei haben|frei bekommen|urlaub nehmen|urlaub beantragen",
            "beantragen|antrag stellen|day off|time off|take ~ off|have ~ off|book ~ holiday|request leave",
            "request ~ leave|apply for|need ~ off|off please|off pls|frei bitte|vrij aub|aanvragen|aanvraag",
        ],
    ),
    (
        Intent::LeaveCancel,
        &[
            "annuleren|annuleer|geannuleerd|intrekken|terugtrekken|schrappen|geschrapt|hoeft niet meer",
            "toch niet|vervallen|stornieren|storniert|storno|absagen|zuruckziehen|zurucknehmen|streichen",
            "loschen|doch nicht|doch kein|nicht mehr|cancel|cancelled|canceled|canceln|withdraw|scrap",
            "take back|remove the request|delete|don t need ~ anymore|after all|verwijderen|toch geen",
            "zieh ~ zuruck|nehme ~ zuruck|sag ~ ab|rausnehmen|mag eruit|remove",
        ],
    ),
    (
        Intent::SickReport,
        &[
            "ziek|ziekmelding|ziekmelden|ziekgemeld|griep|buikgriep|koorts|migraine|niet lekker|niet beter",
            "nog steeds ziek|krank|krankmeldung|krankmelden|krankgeschrieben|grippe|fieber|migrane|nicht gut",
            "schlecht|au|arbeitsunfahigkeitsbescheinigung|arbeitsunfahig|sick|ill|unwell|flu|fever",
            "not feeling well|sick note|doctor s note|fit note|stomach bug|still sick|still not better",
            "immer noch|weiter krank",
        ],
    ),
    (
        Intent::RecoveryReport,
        &[
            "weer beter|beter melden|betermelding|hersteld|weer gezond|weer fit|niet meer ziek",
            "weer aan het werk|weer aan de slag|weer werken|weer terug|ben er ~ weer|wieder gesund|wieder fit",
            "wieder da|wieder besser|wieder gut|wieder arbeiten|arbeite wieder|wieder im buro",
            "wieder bei der arbeit|gesund melden|gesundmeldung|genesen|nicht mehr krank|recovered|better now",
            "feeling better|fit again|healthy again|fine again|good again|not sick anymore|back at work",
            "back in the office|back on|back from|be back|return to work|working again|end my sick leave",
            "werk weer|i m back|ben er weer|bin wieder da|is over|vorbei",
        ],
    ),
    (
        Intent::PayslipShow,
        &[
            "loonstrook*|loonstroken|salarisstrook*|salarisstroken|strook|salarisspecificatie",
            "loonspecificatie|payslip*|pay slip*|pay stub*|salary statement|gehaltsabrechnung*",
            "lohnabrechnung*|entgeltabrechnung*|abrechnung*|gehaltszettel|lohnzettel|lohnschein",
        ],
    ),
    (
        Intent::PayslipExplain,
        &[
            "waarom|uitleg|uitleggen|leg ~ uit|betekent|snap|begrijp ~ niet|inhouding*|ingehouden|bruto|netto",
            "nettoloon|loonheffing|bijtelling|correctie|warum|erklaren|erklarung|bedeutet|heisst|verstehe",
            "versteh|abzug|abzuge|abgezogen|brutto|nettogehalt|lohnsteuer|korrektur|why|explain|mean",
            "deduction*|deducted|gross|net pay|net salary|correction|understand|makes no sense",
        ],
    ),
    (
        Intent::AddressChange,
        &[
            "adres|adreswijziging|woonadres|verhuisd|verhuist|verhuis|verhuizen|postcode|huisnummer|adresse",
            "adressanderung|wohnadresse|anschrift|umgezogen|umziehen|ziehe ~ um|postleitzahl|plz|address",
            "moved|moving|move house|moved house|change of address|woon nu|wohne jetzt|live at",
            "verhuizing door|verhuizing doorgeven|umzug melden|melde ~ umzug|report a move",
        ],
    ),
    (
        Intent::CertificateRequest,
        &[
            "*verklaring|verklaring|jaaropgaaf|jaaropgave|getuigschrift|referentie*|in dienst",
            "dat ik hier werk|bewijs van inkomen|*bescheinigung|bescheinigung|*zeugnis|zeugnis|*nachweis",
            "nachweis|bestatigung|bestatigen|dass ich hier arbeite|angestellt|employment letter",
            "proof of employment|proof of income|employment verification|reference letter|testimonial",
            "certificate|p 60|annual statement|income statement|letter confirming|letter from my employer",
            "confirm in writing|employed here",
        ],
    ),
    (
        Intent::PolicyQuestion,
        &[
            "regeling|regels|regel|beleid|*beleid|recht op|thuiswerken|reiskosten*|opzegtermijn|cao",
            "*vergoeding|vergoeding|fietsplan|nevenfunctie|dertiende maand|hoe werkt|hoe zit het",
            "wat moet ik doen|als ik ziek ben|per jaar|meenemen|uitbetaald|regelung|regeln|richtlinie",
            "anspruch auf|homeoffice|home office|fahrtkosten*|kundigungsfrist|tarifvertrag|zuschuss|dienstrad",
            "nebenjob|kilometergeld|weihnachtsgeld|altersvorsorge|wie funktioniert|wie ist das",
            "was muss ich tun|wenn ich krank bin|pro jahr|mitnehmen|ausgezahlt|policy|rules|entitled|allowed",
            "allowance|remote work|work from home|travel expenses|notice period|collective agreement",
            "bike scheme|side job|mileage|pension scheme|how does|what should i do|when i m sick|per year",
            "carry over|reimbursed|bereavement",
            "hat man|krijg je|krijgt men|do you get|do we get|bekommt man",
        ],
    ),
    (
        Intent::Handover,
        &[
            "iemand ~ spreken|spreken|mens|echt persoon|echte persoon|medewerker|terugbellen|bellen|klacht",
            "personeelszaken|vertrouwelijk*|adviseur|contact met|begrijpt me niet|helpt niet|mensch|menschen",
            "echten|mitarbeiter|zuruckrufen|anrufen|beschwerde|personalabteilung|vertraulich*|betreuer",
            "kontakt|verstehst mich nicht|bringt nix|bringt nichts|sprechen|reden|human|real person|agent",
            "someone|call me|complaint|people ops|confidential|advisor|in touch|talk to|speak to|useless",
            "don t understand me",
        ],
    ),
    (
        Intent::Greeting,
        &[
            "hoi|hallo|hey|hee|hi|hiya|moin|servus|goedemorgen|goeiemorgen|goedemiddag|goeiemiddag",
            "goedenavond|goeienavond|guten morgen|guten tag|guten abend|good morning|good afternoon",
            "good evening|gruss gott|gruezi|hello",
        ],
    ),
    (
        Intent::Thanks,
        &[
            "bedankt|dank|dankje|dankjewel|dank je|dank u|thanks|thank you|thx|ty|cheers|merci|danke",
            "dankeschon|danke schon|vielen dank|many thanks",
        ],
    ),
    (
        Intent::Confirm,
        &[
            "ja|jawel|jep|jup|jazeker|klopt|doe maar|prima|oke|ok|okay|is goed|yes|yep|yeah|yup|sure",
            "correct|go ahead|sounds good|stimmt|passt|genau|jawohl|mach das|gerne|do it|that s right",
            "dat klopt",
            "that s correct|dat is goed|das stimmt",
        ],
    ),
    (
        Intent::Deny,
        &[
            "nee|neen|nein|no|ne|nope|nah|niet doen|liever niet|lieber nicht|rather not|laat maar|lass mal",
            "never mind|klopt niet|stimmt nicht|not right|niet goed|wrong|falsch|no thanks|nee dank je",
            "nein danke|ne danke|don t do it|nicht machen",
        ],
    ),
];
