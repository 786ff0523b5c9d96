//! The records of processing in Dutch and German: purpose descriptions, legal bases, data
//! categories, recipients and security measures, so a Dutch or German DPO reads no English.
//! The English texts in `purposes` are the keys; a text without a translation stays English and
//! a test keeps the tables complete.

/// (English, Dutch, German).
type Row = (&'static str, &'static str, &'static str);

static TEXTS: &[Row] = &[
    // People.
    (
        "Keeping the employee directory: org units, job titles and reporting lines",
        "Bijhouden van het personeelsbestand: organisatie-eenheden, functies en rapportagelijnen",
        "Führen des Personalverzeichnisses: Organisationseinheiten, Stellenbezeichnungen und Berichtslinien",
    ),
    (
        "Keeping employment contracts and their history",
        "Bijhouden van arbeidsovereenkomsten en hun geschiedenis",
        "Führen der Arbeitsverträge und ihrer Historie",
    ),
    (
        "Leave entitlement under the statutory rules, requests and approvals by the line",
        "Verlofrecht volgens de wettelijke regels, aanvragen en goedkeuring door de leidinggevende",
        "Urlaubsanspruch nach den gesetzlichen Regeln, Anträge und Genehmigung durch die Führungskraft",
    ),
    (
        "Sickness absence and the statutory follow-up (Wet verbetering poortwachter, EntgFG, BEM); no diagnosis is kept",
        "Ziekteverzuim en de wettelijke opvolging (Wet verbetering poortwachter, EntgFG, BEM); er wordt geen diagnose bewaard",
        "Krankheitsbedingte Abwesenheit und die gesetzliche Nachverfolgung (Wet verbetering poortwachter, EntgFG, BEM); es wird keine Diagnose gespeichert",
    ),
    (
        "GDPR art. 6(1)(c) and art. 9(2)(b): obligations of the employer in employment and social security law",
        "AVG art. 6 lid 1 onder c en art. 9 lid 2 onder b: verplichtingen van de werkgever in het arbeids- en socialezekerheidsrecht",
        "DSGVO Art. 6 Abs. 1 lit. c und Art. 9 Abs. 2 lit. b: Pflichten des Arbeitgebers im Arbeits- und Sozialrecht",
    ),
    (
        "Keeping the employee's private address for payroll and correspondence",
        "Bijhouden van het privéadres van de medewerker voor salarisadministratie en correspondentie",
        "Führen der Privatanschrift der Mitarbeitenden für Lohnabrechnung und Korrespondenz",
    ),
    (
        "Keeping payroll results and explaining payslips to the employee",
        "Bewaren van salarisgegevens en loonstroken uitleggen aan de medewerker",
        "Aufbewahren von Abrechnungsergebnissen und Erklären der Lohnabrechnung für die Mitarbeitenden",
    ),
    (
        "GDPR art. 6(1)(b) and (c): the employment contract and tax and social security law (retention duty)",
        "AVG art. 6 lid 1 onder b en c: de arbeidsovereenkomst en het belasting- en socialezekerheidsrecht (bewaarplicht)",
        "DSGVO Art. 6 Abs. 1 lit. b und c: der Arbeitsvertrag sowie Steuer- und Sozialversicherungsrecht (Aufbewahrungspflicht)",
    ),
    (
        "Issuing signed employment certificates the employee asks for, and confirming them to the recipient",
        "Ondertekende werkgeversverklaringen op verzoek van de medewerker opstellen en aan de ontvanger bevestigen",
        "Ausstellen signierter Arbeitgeberbescheinigungen auf Wunsch der Mitarbeitenden und Bestätigung gegenüber Empfängern",
    ),
    ("payroll results", "salarisgegevens", "Abrechnungsergebnisse"),
    ("payroll provider", "salarisverwerker", "Lohnabrechnungsdienstleister"),
    (
        "the recipient the employee gives the certificate to",
        "de ontvanger aan wie de medewerker de verklaring geeft",
        "die Stelle, der die Mitarbeitenden die Bescheinigung geben",
    ),
    ("org unit", "organisatie-eenheid", "Organisationseinheit"),
    ("job title", "functie", "Stellenbezeichnung"),
    ("reporting line", "rapportagelijn", "Berichtslinie"),
    ("contract terms", "arbeidsvoorwaarden", "Vertragsbedingungen"),
    ("working hours", "arbeidsuren", "Arbeitszeit"),
    ("leave entitlement", "verlofrecht", "Urlaubsanspruch"),
    ("leave requests", "verlofaanvragen", "Urlaubsanträge"),
    (
        "sickness absence dates (health data, no diagnosis)",
        "ziekteverzuimdata (gezondheidsgegevens, geen diagnose)",
        "Daten krankheitsbedingter Abwesenheit (Gesundheitsdaten, keine Diagnose)",
    ),
    ("occupational health service", "arbodienst", "betriebsärztlicher Dienst"),
    // Purposes.
    (
        "Receiving and administering applications for a vacancy",
        "Ontvangen en administreren van sollicitaties op een vacature",
        "Entgegennahme und Verwaltung von Bewerbungen auf eine Stelle",
    ),
    (
        "AI-assisted screening of CVs against a vacancy's requirements; a recruiter decides",
        "AI-ondersteunde beoordeling van cv's tegen de eisen van een vacature; een recruiter beslist",
        "KI-gestützte Prüfung von Lebensläufen gegen die Anforderungen einer Stelle; eine Recruiterin oder ein Recruiter entscheidet",
    ),
    (
        "Matching candidates in the talent pool to new vacancies",
        "Kandidaten uit de talentpool koppelen aan nieuwe vacatures",
        "Abgleich von Kandidatinnen und Kandidaten im Talentpool mit neuen Stellen",
    ),
    (
        "Drafting personalised messages to candidates; a recruiter approves every message",
        "Opstellen van persoonlijke berichten aan kandidaten; een recruiter keurt elk bericht goed",
        "Entwürfe persönlicher Nachrichten an Bewerbende; jede Nachricht gibt eine Person im Recruiting frei",
    ),
    (
        "Planning a new employee's onboarding and learning path",
        "Plannen van de onboarding en het leerpad van een nieuwe medewerker",
        "Planung von Onboarding und Lernpfad neuer Mitarbeitender",
    ),
    (
        "Onboarding plans from HR's templates: tasks, owners, deadlines and their progress",
        "Onboardingplannen uit de sjablonen van HR: taken, eigenaren, deadlines en hun voortgang",
        "Onboarding-Pläne aus den Vorlagen der Personalabteilung: Aufgaben, Verantwortliche, Fristen und Fortschritt",
    ),
    (
        "Short check-ins of a new employee and their manager at day 7, 30 and 60",
        "Korte check-ins van een nieuwe medewerker en diens leidinggevende op dag 7, 30 en 60",
        "Kurze Check-ins neuer Mitarbeitender und ihrer Führungskraft an Tag 7, 30 und 60",
    ),
    (
        "Announcing a new employee's start so that their onboarding plan is prepared",
        "Melden van de start van een nieuwe medewerker zodat diens onboardingplan wordt voorbereid",
        "Meldung des Eintritts neuer Mitarbeitender, damit ihr Onboarding-Plan vorbereitet wird",
    ),
    (
        "Suggesting an onboarding buddy by optimal assignment over skills and teams",
        "Voorstellen van een onboardingbuddy door optimale toewijzing over vaardigheden en teams",
        "Vorschlag einer Onboarding-Patenschaft durch optimale Zuordnung nach Fähigkeiten und Teams",
    ),
    (
        "Early warnings that onboarding stalls, for the HR contact to follow up",
        "Vroege signalen dat de onboarding stokt, zodat de HR-contactpersoon kan opvolgen",
        "Frühwarnungen, wenn das Onboarding stockt, damit die HR-Ansprechperson nachfassen kann",
    ),
    (
        "Estimating an employee's attrition risk with the reasons behind it, as a recommendation to HR for a \
         conversation; never an automated action",
        "Inschatten van het vertrekrisico van een medewerker met de redenen erachter, als aanbeveling aan HR voor \
         een gesprek; nooit een geautomatiseerde actie",
        "Schätzung des Kündigungsrisikos einer Person mit den Gründen dafür, als Empfehlung an die Personalabteilung \
         für ein Gespräch; niemals eine automatisierte Maßnahme",
    ),
    (
        "Aggregate headcount forecasts, turnover, absence and recruiting-funnel figures from pseudonymised streams \
         (groups of at least 5), and team-level attrition risk",
        "Geaggregeerde prognoses van de personeelsomvang, cijfers over verloop, verzuim en wervingstrechter uit \
         gepseudonimiseerde stromen (groepen van minstens 5), en vertrekrisico per team",
        "Aggregierte Prognosen des Personalbestands, Zahlen zu Fluktuation, Fehlzeiten und Bewerbungstrichter aus \
         pseudonymisierten Datenströmen (Gruppen ab 5 Personen) sowie Kündigungsrisiko je Team",
    ),
    (
        "GDPR art. 6(1)(f): legitimate interest (balancing test documented in the DPIA); for sickness absence \
         figures art. 9(2)(b), obligations of the employer in employment law",
        "AVG art. 6 lid 1 onder f: gerechtvaardigd belang (belangenafweging vastgelegd in de DPIA); voor \
         verzuimcijfers art. 9 lid 2 onder b, verplichtingen van de werkgever in het arbeidsrecht",
        "DSGVO Art. 6 Abs. 1 lit. f: berechtigtes Interesse (Abwägung in der DSFA dokumentiert); für Zahlen zu \
         krankheitsbedingten Fehlzeiten Art. 9 Abs. 2 lit. b, Pflichten des Arbeitgebers im Arbeitsrecht",
    ),
    ("pay", "beloning", "Vergütung"),
    (
        "works council (model card and aggregates only)",
        "ondernemingsraad (alleen modelkaart en totalen)",
        "Betriebsrat (nur Modellkarte und Aggregate)",
    ),
    (
        "Short pulse surveys on working conditions, reported in groups of at least 5",
        "Korte pulsmetingen over de werkomstandigheden, gerapporteerd in groepen van minstens 5",
        "Kurze Pulsbefragungen zu den Arbeitsbedingungen, ausgewertet in Gruppen ab 5 Personen",
    ),
    (
        "Running pulse surveys: audiences, who took part (never what they answered) and reminders",
        "Uitvoeren van pulsmetingen: doelgroepen, wie meedeed (nooit wat diegene antwoordde) en herinneringen",
        "Durchführung von Pulsbefragungen: Zielgruppen, wer teilgenommen hat (nie, was geantwortet wurde) und Erinnerungen",
    ),
    (
        "Change-point detection on team survey results (groups of at least 5) to warn of a shift early",
        "Detectie van omslagpunten in teamresultaten van enquêtes (groepen van minstens 5) om vroeg te waarschuwen",
        "Erkennung von Umbrüchen in Team-Ergebnissen von Befragungen (Gruppen ab 5 Personen) zur frühen Warnung",
    ),
    ("survey participation", "deelname aan enquêtes", "Teilnahme an Befragungen"),
    ("notifier (reminders)", "notificatiedienst (herinneringen)", "Benachrichtigungsdienst (Erinnerungen)"),
    (
        "Lexicon-based sentiment of free-text survey comments, with the words that drove it",
        "Sentiment van vrije opmerkingen in enquêtes op basis van een woordenlijst, met de woorden die het bepaalden",
        "Lexikonbasierte Stimmung freier Kommentare in Befragungen, mit den ausschlaggebenden Wörtern",
    ),
    (
        "Keeping declared and verified skills of employees",
        "Bijhouden van opgegeven en geverifieerde vaardigheden van medewerkers",
        "Führen angegebener und bestätigter Fähigkeiten der Mitarbeitenden",
    ),
    (
        "Inferring skills from CVs, project descriptions and feedback, with the evidence",
        "Afleiden van vaardigheden uit cv's, projectbeschrijvingen en feedback, met het bewijs",
        "Ableitung von Fähigkeiten aus Lebensläufen, Projektbeschreibungen und Feedback, mit den Belegen",
    ),
    (
        "Gap analyses against roles and personalised learning paths; people and their managers decide what to learn",
        "Gap-analyses tegen functies en persoonlijke leerpaden; mensen en hun leidinggevenden bepalen wat er geleerd wordt",
        "Lückenanalysen gegen Rollen und persönliche Lernpfade; die Menschen und ihre Führungskräfte entscheiden, was gelernt wird",
    ),
    (
        "Helping managers draft feedback from recorded observations; the manager writes the final text",
        "Leidinggevenden helpen feedback op te stellen uit vastgelegde observaties; de leidinggevende schrijft de definitieve tekst",
        "Unterstützung von Führungskräften beim Entwurf von Feedback aus festgehaltenen Beobachtungen; die Führungskraft schreibt den endgültigen Text",
    ),
    (
        "Continuous feedback, praise, goals with check-ins and 1:1 agendas between colleagues and the line",
        "Doorlopende feedback, complimenten, doelen met voortgangsgesprekken en 1-op-1-agenda's tussen collega's en de leidinggevende",
        "Laufendes Feedback, Lob, Ziele mit Check-ins und 1:1-Agenden zwischen Kolleginnen, Kollegen und Führungskraft",
    ),
    (
        "360-degree feedback cycles: rater nomination, questionnaires, reminders and anonymous results",
        "360-gradenfeedbackrondes: nominatie van beoordelaars, vragenlijsten, herinneringen en anonieme resultaten",
        "360-Grad-Feedbackrunden: Benennung der Bewertenden, Fragebögen, Erinnerungen und anonyme Ergebnisse",
    ),
    (
        "Performance reviews the manager approves, with their outcome decided by a person",
        "Beoordelingen die de leidinggevende goedkeurt, met een uitkomst waarover een mens beslist",
        "Leistungsbeurteilungen, die die Führungskraft freigibt, mit einem von einem Menschen entschiedenen Ergebnis",
    ),
    (
        "Flagging biased wording in feedback and skewed ratings across groups",
        "Signaleren van bevooroordeelde formuleringen in feedback en scheve beoordelingen tussen groepen",
        "Hinweise auf voreingenommene Formulierungen im Feedback und verzerrte Bewertungen zwischen Gruppen",
    ),
    (
        "Answering employees' HR questions from the company's policies, with sources, and carrying out the HR \
         requests they confirm",
        "Beantwoorden van HR-vragen van medewerkers uit het beleid van het bedrijf, met bronnen, en uitvoeren van de \
         HR-verzoeken die zij bevestigen",
        "Beantwortung von HR-Fragen der Mitarbeitenden aus den Richtlinien des Unternehmens, mit Quellen, und \
         Ausführung der HR-Anträge, die sie bestätigen",
    ),
    // Legal bases.
    (
        "GDPR art. 6(1)(b): steps prior to or performance of the (employment) contract",
        "AVG art. 6 lid 1 onder b: maatregelen vóór of uitvoering van de (arbeids)overeenkomst",
        "DSGVO Art. 6 Abs. 1 lit. b: vorvertragliche Maßnahmen oder Erfüllung des (Arbeits-)Vertrags",
    ),
    (
        "GDPR art. 6(1)(a) and art. 7: explicit opt-in consent",
        "AVG art. 6 lid 1 onder a en art. 7: uitdrukkelijke toestemming (opt-in)",
        "DSGVO Art. 6 Abs. 1 lit. a und Art. 7: ausdrückliche Einwilligung (Opt-in)",
    ),
    (
        "GDPR art. 6(1)(f): legitimate interest (balancing test documented in the DPIA)",
        "AVG art. 6 lid 1 onder f: gerechtvaardigd belang (belangenafweging vastgelegd in de DPIA)",
        "DSGVO Art. 6 Abs. 1 lit. f: berechtigtes Interesse (Abwägung in der DSFA dokumentiert)",
    ),
    (
        "GDPR art. 6(1)(c): legal obligation (non-discrimination law, EU AI Act art. 10)",
        "AVG art. 6 lid 1 onder c: wettelijke verplichting (gelijkebehandelingswetgeving, EU AI-verordening art. 10)",
        "DSGVO Art. 6 Abs. 1 lit. c: rechtliche Verpflichtung (Gleichbehandlungsrecht, EU-KI-Verordnung Art. 10)",
    ),
    // Data categories.
    ("identification", "identificatie", "Identifikation"),
    ("contact details", "contactgegevens", "Kontaktdaten"),
    ("application", "sollicitatie", "Bewerbung"),
    ("CV", "cv", "Lebenslauf"),
    ("work history", "werkervaring", "Berufserfahrung"),
    ("education", "opleiding", "Ausbildung"),
    ("skills", "vaardigheden", "Fähigkeiten"),
    ("languages", "talen", "Sprachen"),
    ("preferences", "voorkeuren", "Präferenzen"),
    ("language preference", "taalvoorkeur", "Sprachpräferenz"),
    ("role", "functie", "Rolle"),
    ("start date", "startdatum", "Eintrittsdatum"),
    ("team", "team", "Team"),
    ("interests", "interesses", "Interessen"),
    ("onboarding progress", "voortgang van de onboarding", "Onboarding-Fortschritt"),
    ("check-in answers", "antwoorden op check-ins", "Antworten auf Check-ins"),
    ("tenure", "diensttijd", "Betriebszugehörigkeit"),
    ("engagement scores", "betrokkenheidsscores", "Engagement-Werte"),
    ("absence", "verzuim", "Abwesenheit"),
    ("department", "afdeling", "Abteilung"),
    ("pseudonymised events", "gepseudonimiseerde gebeurtenissen", "pseudonymisierte Ereignisse"),
    ("survey answers", "antwoorden op enquêtes", "Antworten auf Befragungen"),
    ("survey comments", "opmerkingen in enquêtes", "Kommentare in Befragungen"),
    ("proficiency levels", "niveaus", "Kompetenzstufen"),
    ("free text", "vrije tekst", "Freitext"),
    ("inferred skills", "afgeleide vaardigheden", "abgeleitete Fähigkeiten"),
    ("roles", "functies", "Rollen"),
    ("learning paths", "leerpaden", "Lernpfade"),
    ("feedback", "feedback", "Feedback"),
    ("goals", "doelen", "Ziele"),
    ("feedback text", "feedbacktekst", "Feedbacktext"),
    ("ratings", "beoordelingen", "Bewertungen"),
    ("1:1 agenda", "1-op-1-agenda", "1:1-Agenda"),
    ("rater participation", "deelname van beoordelaars", "Teilnahme der Bewertenden"),
    ("review text", "beoordelingstekst", "Beurteilungstext"),
    ("review outcome", "uitkomst van de beoordeling", "Ergebnis der Beurteilung"),
    ("questions", "vragen", "Fragen"),
    ("requests made through the assistant", "verzoeken via de assistent", "über den Assistenten gestellte Anträge"),
    ("conversation", "gesprek", "Gespräch"),
    // Recipients.
    ("recruiters", "recruiters", "Recruiting"),
    ("hiring managers", "aannemende leidinggevenden", "einstellende Führungskräfte"),
    ("hrmesh analytics (pseudonymised)", "hrmesh analytics (gepseudonimiseerd)", "hrmesh Analytics (pseudonymisiert)"),
    ("HR department", "HR-afdeling", "Personalabteilung"),
    ("team lead", "teamleider", "Teamleitung"),
    ("management (aggregates only)", "directie (alleen totalen)", "Geschäftsleitung (nur Aggregate)"),
    ("works council (aggregates only)", "ondernemingsraad (alleen totalen)", "Betriebsrat (nur Aggregate)"),
    ("HR department (aggregates only)", "HR-afdeling (alleen totalen)", "Personalabteilung (nur Aggregate)"),
    ("manager", "leidinggevende", "Führungskraft"),
    ("employee", "medewerker", "Mitarbeitende Person"),
    ("HR department (escalations)", "HR-afdeling (escalaties)", "Personalabteilung (Eskalationen)"),
    // Data subjects.
    ("candidates", "kandidaten", "Bewerbende"),
    ("employees", "medewerkers", "Mitarbeitende"),
    // Security measures.
    (
        "pseudonymisation (HMAC-SHA-256, per-purpose keys) before any internal distribution",
        "pseudonimisering (HMAC-SHA-256, sleutels per doel) vóór elke interne verspreiding",
        "Pseudonymisierung (HMAC-SHA-256, Schlüssel je Zweck) vor jeder internen Weitergabe",
    ),
    (
        "per-person AES-256-GCM encryption of personal fields at rest (crypto-shredding on erasure)",
        "versleuteling van persoonsgegevens in opslag met AES-256-GCM per persoon (crypto-shredding bij wissen)",
        "Verschlüsselung personenbezogener Felder im Ruhezustand mit AES-256-GCM je Person (Crypto-Shredding bei Löschung)",
    ),
    (
        "hash-chained, Merkle-tree audit trail with Ed25519-signed tree heads",
        "auditlog met hashketen en Merkle-boom, met Ed25519-ondertekende boomkoppen",
        "Prüfprotokoll mit Hash-Kette und Merkle-Baum, Ed25519-signierte Baumköpfe",
    ),
    (
        "role-based access with audited denials",
        "toegang op basis van rollen, met vastgelegde weigeringen",
        "rollenbasierter Zugriff mit protokollierten Ablehnungen",
    ),
];

/// `english` in `language` (`nl`, `de`); English itself, or a text without a translation,
/// comes back unchanged.
pub fn translate(english: &'static str, language: &str) -> &'static str {
    let Some((_, nl, de)) = TEXTS.iter().find(|(en, _, _)| *en == english) else { return english };
    match language {
        "nl" => nl,
        "de" => de,
        _ => english,
    }
}

/// Whether `english` has a translation (for the completeness test).
#[cfg(test)]
pub fn has_translation(english: &str) -> bool {
    TEXTS.iter().any(|(en, _, _)| *en == english)
}
