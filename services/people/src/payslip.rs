//! Payroll results from a provider's CSV export, and a plain-language explanation of them.
//!
//! The export has a header row naming the columns `employee, period, code, label, kind, amount`
//! (any case, any order, extra columns ignored), separated by `,` or — when the header holds
//! more semicolons than commas, as spreadsheets in NL and DE write it — by `;`. Fields may be
//! quoted (`"1.234,56"`, `""` for a quote). Amounts are taken as the export states them: a
//! deduction of 300 is `300.00`, a refund `-300.00`; gross is the sum of earnings and net is
//! gross minus deductions. Employer contributions and info lines change neither. A `NET` row
//! (kind info), when present, must equal the computed net, which catches a misread export.

use std::collections::{BTreeMap, HashMap};

use hrmesh_kit::locale::Locale;

/// Largest amount accepted, in cents (ten billion euros): keeps every sum far from overflowing.
const MAX_CENTS: i64 = 1_000_000_000_000;

/// What a payslip line does to the pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum LineKind {
    /// Added to gross pay.
    Earning,
    /// Taken off gross pay.
    Deduction,
    /// Paid by the employer on top of the pay.
    EmployerContribution,
    /// Shown for information only.
    Info,
}

impl LineKind {
    /// Reads the `kind` column: `earning`, `deduction`, `employer`, `info`, or `loon`/`Lohn`
    /// (earning) and `inhouding`/`Abzug` (deduction), in any case.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_lowercase().as_str() {
            "earning" | "loon" | "lohn" => Some(Self::Earning),
            "deduction" | "inhouding" | "abzug" => Some(Self::Deduction),
            "employer" => Some(Self::EmployerContribution),
            "info" => Some(Self::Info),
            _ => None,
        }
    }

    /// The wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Earning => "earning",
            Self::Deduction => "deduction",
            Self::EmployerContribution => "employer",
            Self::Info => "info",
        }
    }
}

/// One line of a payslip.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PayLine {
    /// The provider's wage code, as exported.
    pub code: String,
    /// The provider's label, as printed on the payslip.
    pub label: String,
    /// What the line does to the pay.
    pub kind: LineKind,
    /// The amount in euro cents, signed as exported.
    pub amount_cents: i64,
}

/// One employee's payroll result for one month.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payslip {
    /// The provider's employee reference.
    pub employee_ref: String,
    /// Year and month (1–12).
    pub period: (i32, u8),
    /// The lines in export order.
    pub lines: Vec<PayLine>,
    /// Sum of the earnings, in cents.
    pub gross: i64,
    /// Gross minus the deductions, in cents.
    pub net: i64,
}

/// Why one row of an export was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based line the row starts on (the header is line 1).
    pub line: usize,
    /// What is wrong with it, in English for HR and support.
    pub reason: String,
}

/// The columns an export must have, in the order `read_row` takes them apart.
const COLUMNS: [&str; 6] = ["employee", "period", "code", "label", "kind", "amount"];

/// Parses a payroll export into payslips, in order of first appearance; every bad row is named
/// and nothing is returned if any is bad, so a half-imported month cannot happen.
pub fn parse_export(csv: &str) -> Result<Vec<Payslip>, Vec<RowError>> {
    let csv = csv.strip_prefix('\u{feff}').unwrap_or(csv);
    let header_line = csv.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() { ';' } else { ',' };
    let blank = |r: &Result<Vec<String>, String>| r.as_ref().is_ok_and(|f| f.len() == 1 && f[0].trim().is_empty());
    let mut records = split_records(csv, delimiter).into_iter().filter(|(_, r)| !blank(r));
    let fail = |line, reason: &str| Err(vec![RowError { line, reason: reason.to_owned() }]);
    let Some((header_at, header)) = records.next() else { return fail(1, "the export is empty") };
    let header = match header {
        Ok(header) => header,
        Err(reason) => return fail(header_at, &reason),
    };
    let mut index = [0usize; COLUMNS.len()];
    for (slot, name) in index.iter_mut().zip(COLUMNS) {
        let found: Vec<_> = header.iter().enumerate().filter(|(_, h)| h.trim().eq_ignore_ascii_case(name)).collect();
        match found.as_slice() {
            [(i, _)] => *slot = *i,
            [] => {
                return fail(header_at, &format!("the header has no '{name}' column; expected {}", COLUMNS.join(",")));
            }
            _ => return fail(header_at, &format!("the header names '{name}' more than once")),
        }
    }

    let mut errors = Vec::new();
    let mut slips: Vec<Payslip> = Vec::new();
    let mut slip_of: HashMap<(String, (i32, u8)), usize> = HashMap::new();
    let mut net_rows: Vec<(usize, usize, i64)> = Vec::new();
    for (line, record) in records {
        let row = record.and_then(|fields| read_row(&fields, &index, header.len()));
        let (employee, period, pay_line) = match row {
            Ok(row) => row,
            Err(reason) => {
                errors.push(RowError { line, reason });
                continue;
            }
        };
        let at = *slip_of.entry((employee.clone(), period)).or_insert_with(|| {
            slips.push(Payslip { employee_ref: employee, period, lines: Vec::new(), gross: 0, net: 0 });
            slips.len() - 1
        });
        if pay_line.code.eq_ignore_ascii_case("NET") {
            if pay_line.kind != LineKind::Info {
                errors.push(RowError { line, reason: "a NET row must have kind info".to_owned() });
            } else if net_rows.iter().any(|(_, slip, _)| *slip == at) {
                errors.push(RowError { line, reason: "a second NET row for the same payslip".to_owned() });
            } else {
                net_rows.push((line, at, pay_line.amount_cents));
            }
        }
        slips[at].lines.push(pay_line);
    }

    for slip in &mut slips {
        // Saturating: with at most MAX_CENTS per line, only millions of lines could reach the limit.
        let sum =
            |kind| slip.lines.iter().filter(|l| l.kind == kind).fold(0i64, |s, l| s.saturating_add(l.amount_cents));
        slip.gross = sum(LineKind::Earning);
        slip.net = slip.gross.saturating_sub(sum(LineKind::Deduction));
    }
    for (line, at, stated) in net_rows {
        let computed = slips[at].net;
        if stated != computed {
            let (stated, computed) = (format_money(stated, Locale::En), format_money(computed, Locale::En));
            let reason = format!("the NET row says {stated} but earnings minus deductions are {computed}");
            errors.push(RowError { line, reason });
        }
    }
    if errors.is_empty() {
        Ok(slips)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

/// Reads one data row into (employee, period, line), naming every problem in it at once.
fn read_row(fields: &[String], index: &[usize; 6], width: usize) -> Result<(String, (i32, u8), PayLine), String> {
    if fields.len() != width {
        let hint = if fields.len() > width { " (an amount with a comma must be quoted)" } else { "" };
        return Err(format!("{} fields where the header has {width}{hint}", fields.len()));
    }
    let [employee, period, code, label, kind, amount] = index.map(|i| fields[i].trim());
    let mut problems = Vec::new();
    if employee.is_empty() {
        problems.push("the employee is empty".to_owned());
    }
    if code.is_empty() {
        problems.push("the code is empty".to_owned());
    }
    let period = parse_period(period).map_err(|e| problems.push(e)).ok();
    let kind = LineKind::parse(kind)
        .ok_or_else(|| problems.push(format!("kind '{kind}' is not earning, deduction, employer or info")))
        .ok();
    let amount = parse_cents(amount).map_err(|e| problems.push(e)).ok();
    match (period, kind, amount) {
        (Some(period), Some(kind), Some(amount_cents)) if problems.is_empty() => {
            let line = PayLine { code: code.to_owned(), label: label.to_owned(), kind, amount_cents };
            Ok((employee.to_owned(), period, line))
        }
        _ => Err(problems.join("; ")),
    }
}

/// Parses `YYYY-MM`.
fn parse_period(text: &str) -> Result<(i32, u8), String> {
    let bad = || format!("period '{text}' is not YYYY-MM");
    let (year, month) = text.split_once('-').ok_or_else(bad)?;
    if year.len() != 4 || month.len() != 2 || !(year.chars().chain(month.chars())).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let (year, month) = (year.parse().map_err(|_| bad())?, month.parse().map_err(|_| bad())?);
    if (1..=12).contains(&month) { Ok((year, month)) } else { Err(bad()) }
}

/// Parses an amount into cents: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`, `-12.5`, `1.234.567`.
/// At most two decimals; three digits after a lone separator (`1.234`) are rejected as ambiguous,
/// since they are a thousands group in NL/DE and decimals elsewhere.
fn parse_cents(text: &str) -> Result<i64, String> {
    let invalid = || format!("amount '{text}' is not a number like 1234.56 or 1.234,56");
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(invalid());
    }
    let (dots, commas) = (body.matches('.').count(), body.matches(',').count());
    // The decimal separator is the last one, if it is the only one of its kind and not a group.
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) if dots + commas > 1 => None,
        _ => body.rfind(['.', ',']),
    };
    let (int_part, frac) = match decimal {
        Some(at) if body[at + 1..].len() == 3 && dots + commas == 1 => {
            let reason = "three digits after the only separator may be decimals or a thousands group";
            return Err(format!("amount '{text}' is ambiguous: {reason}; write it with two decimals"));
        }
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    let group = match decimal.map(|at| &body[at..=at]) {
        Some(".") => ',',
        Some(_) => '.',
        None if dots > 0 => '.',
        None => ',',
    };
    if int_part.contains(if group == '.' { ',' } else { '.' }) {
        return Err(invalid());
    }
    let mut groups = int_part.split(group);
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()) || !int_part.contains(group));
    if int_part.is_empty() || !first_ok || !groups.all(|g| g.len() == 3) {
        return Err(invalid());
    }
    if decimal.is_some() && !(1..=2).contains(&frac.len()) {
        return Err(format!("amount '{text}' needs one or two decimals"));
    }
    let digits: String = int_part.chars().filter(char::is_ascii_digit).collect();
    let euros: i64 = digits.parse().map_err(|_| invalid())?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| invalid())?;
    let total = euros.checked_mul(100).and_then(|e| e.checked_add(cents)).filter(|c| *c <= MAX_CENTS);
    let total = total.ok_or_else(|| format!("amount '{text}' is too large"))?;
    Ok(if negative { -total } else { total })
}

/// Splits CSV text into records with the line each starts on; a record's fields, or why it is
/// malformed. Quoted fields may hold delimiters, doubled quotes and line breaks.
fn split_records(text: &str, delimiter: char) -> Vec<(usize, Result<Vec<String>, String>)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let (mut fields, mut field, mut problem) = (Vec::new(), String::new(), None);
        let (mut in_quotes, mut closed) = (false, false);
        while let Some(c) = chars.next() {
            if c == '\n' {
                line += 1;
            }
            match c {
                '"' if in_quotes && chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' if in_quotes => (in_quotes, closed) = (false, true),
                '\n' if !in_quotes => break,
                '\n' => field.push(c),
                '\r' if !in_quotes && chars.peek() == Some(&'\n') => {}
                _ if in_quotes => field.push(c),
                '"' if field.trim().is_empty() && !closed => {
                    field.clear();
                    in_quotes = true;
                }
                '"' => problem = Some("a quote inside an unquoted field".to_owned()),
                _ if c == delimiter => {
                    fields.push(std::mem::take(&mut field));
                    closed = false;
                }
                _ if closed && !c.is_whitespace() => problem = Some("text after a closing quote".to_owned()),
                _ if closed => {}
                _ => field.push(c),
            }
        }
        if in_quotes {
            problem = Some("a quoted field is never closed".to_owned());
        }
        fields.push(field);
        out.push((start, problem.map_or(Ok(fields), Err)));
    }
    out
}

/// A payslip in plain language: one sentence per line, and what changed since the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// One sentence per payslip line, in payslip order.
    pub lines: Vec<String>,
    /// The change in net pay, then every line that appeared, disappeared or changed: earnings and
    /// deductions first, largest first, then employer contributions and info lines.
    pub difference: Vec<String>,
}

/// What a known wage code is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Topic {
    Salary,
    WageTax,
    SocialSecurity,
    HealthInsurance,
    PensionInsurance,
    UnemploymentInsurance,
    CareInsurance,
    Pension,
    HolidayAllowance,
    Overtime,
    Travel,
    Solidarity,
    ChurchTax,
    NetPay,
}

/// Wage codes recognised by the explanation, folded (upper case, ä/ö/ü/ß spelled out, letters and
/// digits only, so `Wage-Tax` and `ÜBERSTUNDEN` match). `RENTE` means the statutory German RV,
/// as on German payslips; occupational pensions are `PENSIOEN`, `PENSION`, `BAV`.
const KNOWN_CODES: [(Topic, &[&str]); 14] = [
    (Topic::Salary, &["SALARIS", "SAL", "GEHALT", "LOHN", "SALARY", "BASE"]),
    (Topic::WageTax, &["LH", "LOONHEFFING", "LB", "LOONBELASTING", "LST", "LOHNSTEUER", "WAGETAX", "TAX"]),
    (Topic::SocialSecurity, &["SV", "SOCIALEVERZEKERINGEN", "SOZIALVERSICHERUNG", "SOCIALSECURITY"]),
    (Topic::HealthInsurance, &["KV", "KRANKENVERSICHERUNG"]),
    (Topic::PensionInsurance, &["RV", "RENTENVERSICHERUNG", "RENTE"]),
    (Topic::UnemploymentInsurance, &["AV", "ARBEITSLOSENVERSICHERUNG"]),
    (Topic::CareInsurance, &["PV", "PFLEGEVERSICHERUNG"]),
    (Topic::Pension, &["PENSIOEN", "PENSION", "BAV", "BETRIEBSRENTE"]),
    (Topic::HolidayAllowance, &["VAKANTIEGELD", "VAKGLD", "URLAUBSGELD", "HOLIDAYPAY", "HOLIDAYALLOWANCE"]),
    (Topic::Overtime, &["OVERWERK", "OVW", "UEBERSTUNDEN", "OVERTIME"]),
    (Topic::Travel, &["REISKOSTEN", "RKV", "FAHRTKOSTEN", "TRAVEL"]),
    (Topic::Solidarity, &["SOLI", "SOLZ", "SOLIDARITAETSZUSCHLAG"]),
    (Topic::ChurchTax, &["KIST", "KIRCHENSTEUER"]),
    (Topic::NetPay, &["NET"]),
];

/// Explains `slip` in `locale`, and what changed since `previous` when given.
pub fn explain(slip: &Payslip, previous: Option<&Payslip>, locale: Locale) -> Explanation {
    let lines = slip.lines.iter().map(|line| line_sentence(line, locale)).collect();
    let difference = previous.map(|previous| difference(slip, previous, locale)).unwrap_or_default();
    Explanation { lines, difference }
}

/// Formats cents as euros: `€ 1.234,56` in nl and de, `€1,234.56` in en.
pub fn format_money(cents: i64, locale: Locale) -> String {
    let (euros, rest) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
    let (group, decimal) = if locale == Locale::En { (',', '.') } else { ('.', ',') };
    let digits = euros.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let sign = if cents < 0 { "-" } else { "" };
    match locale {
        Locale::En => format!("{sign}€{grouped}{decimal}{rest:02}"),
        Locale::Nl | Locale::De => format!("€ {sign}{grouped}{decimal}{rest:02}"),
    }
}

/// The month's name in `locale` (`month` 1–12; anything else gives an empty name).
pub fn month_name(month: u8, locale: Locale) -> &'static str {
    let names = pick(
        [
            "January February March April May June July August September October November December",
            "januari februari maart april mei juni juli augustus september oktober november december",
            "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        ],
        locale,
    );
    usize::from(month).checked_sub(1).and_then(|i| names.split(' ').nth(i)).unwrap_or_default()
}

/// Picks the text for `locale` from `[en, nl, de]`.
fn pick(texts: [&'static str; 3], locale: Locale) -> &'static str {
    match locale {
        Locale::En => texts[0],
        Locale::Nl => texts[1],
        Locale::De => texts[2],
    }
}

/// Upper case, umlauts spelled out, letters and digits only.
fn fold_code(code: &str) -> String {
    let mut folded = String::new();
    for c in code.chars().flat_map(char::to_uppercase) {
        match c {
            'Ä' => folded.push_str("AE"),
            'Ö' => folded.push_str("OE"),
            'Ü' => folded.push_str("UE"),
            'ß' => folded.push_str("SS"),
            c if c.is_ascii_alphanumeric() => folded.push(c),
            _ => {}
        }
    }
    folded
}

/// The topic of a wage code, if it is one of [`KNOWN_CODES`].
fn topic(code: &str) -> Option<Topic> {
    let folded = fold_code(code);
    KNOWN_CODES.iter().find(|(_, codes)| codes.contains(&folded.as_str())).map(|(topic, _)| *topic)
}

/// The label as printed, or the code when the export left it empty.
fn label(line: &PayLine) -> &str {
    if line.label.trim().is_empty() { &line.code } else { line.label.trim() }
}

/// One plain-language sentence for a payslip line.
fn line_sentence(line: &PayLine, locale: Locale) -> String {
    let amount = format_money(line.amount_cents, locale);
    let label = label(line);
    let explanation = match (line.kind, topic(&line.code)) {
        // The employer's share of any contribution is never taken from the pay.
        (LineKind::EmployerContribution, _) => pick(
            [
                "Your employer pays this on top of your salary; it is not deducted from your pay.",
                "Dit betaalt je werkgever bovenop je salaris; het gaat niet van je loon af.",
                "Diesen Betrag zahlt Ihr Arbeitgeber zusätzlich zu Ihrem Gehalt; er wird nicht von Ihrem Lohn abgezogen.",
            ],
            locale,
        ),
        (_, Some(topic)) => topic_text(topic, locale),
        (kind, None) => {
            let kind = pick(
                match kind {
                    LineKind::Earning => ["added to your pay", "bij je loon opgeteld", "zu Ihrem Lohn hinzugerechnet"],
                    LineKind::Deduction => {
                        ["deducted from your pay", "ingehouden op je loon", "von Ihrem Lohn abgezogen"]
                    }
                    LineKind::EmployerContribution | LineKind::Info => {
                        ["for information only", "alleen ter informatie", "nur zur Information"]
                    }
                },
                locale,
            );
            return format!("{label}: {amount} ({kind}).");
        }
    };
    format!("{label}: {amount}. {explanation}")
}

/// What a known topic means for the employee.
fn topic_text(topic: Topic, locale: Locale) -> &'static str {
    pick(
        match topic {
            Topic::Salary => [
                "This is your gross salary for the month, before tax and contributions.",
                "Dit is je brutosalaris voor deze maand, vóór belasting en premies.",
                "Das ist Ihr Bruttogehalt für diesen Monat, vor Steuern und Abgaben.",
            ],
            Topic::WageTax => [
                "This is the tax on your pay, which your employer withholds and pays to the tax authorities for you.",
                "Dit is de belasting op je loon, die je werkgever inhoudt en voor je afdraagt aan de fiscus.",
                "Das ist die Steuer auf Ihren Lohn, die Ihr Arbeitgeber einbehält und für Sie an das Finanzamt abführt.",
            ],
            Topic::SocialSecurity => [
                "These are your social security contributions, which pay for benefits in case of unemployment, sickness or disability.",
                "Dit zijn je premies sociale verzekeringen; daaruit worden uitkeringen bij werkloosheid, ziekte en arbeidsongeschiktheid betaald.",
                "Das sind Ihre Sozialversicherungsbeiträge; sie finanzieren Leistungen bei Arbeitslosigkeit, Krankheit und Erwerbsminderung.",
            ],
            Topic::HealthInsurance => [
                "This is your share of statutory health insurance (KV), including your insurer's additional contribution; your employer pays about the same on top.",
                "Dit is jouw deel van de Duitse wettelijke ziektekostenverzekering (KV), inclusief de aanvullende premie van je Krankenkasse; je werkgever betaalt ongeveer hetzelfde erbij.",
                "Das ist Ihr Anteil an der gesetzlichen Krankenversicherung (KV) einschließlich des Zusatzbeitrags Ihrer Krankenkasse; Ihr Arbeitgeber zahlt etwa den gleichen Betrag dazu.",
            ],
            Topic::PensionInsurance => [
                "This is your share of statutory pension insurance (RV); your employer pays the same amount on top.",
                "Dit is jouw deel van de Duitse wettelijke pensioenverzekering (RV); je werkgever betaalt hetzelfde bedrag erbij.",
                "Das ist Ihr Anteil an der gesetzlichen Rentenversicherung (RV); Ihr Arbeitgeber zahlt den gleichen Betrag dazu.",
            ],
            Topic::UnemploymentInsurance => [
                "This is your share of unemployment insurance (AV); your employer pays the same amount on top.",
                "Dit is jouw deel van de Duitse werkloosheidsverzekering (AV); je werkgever betaalt hetzelfde bedrag erbij.",
                "Das ist Ihr Anteil an der Arbeitslosenversicherung (AV); Ihr Arbeitgeber zahlt den gleichen Betrag dazu.",
            ],
            Topic::CareInsurance => [
                "This is your share of long-term care insurance (PV); it is higher without children from age 23 and lower for parents of several children under 25.",
                "Dit is jouw deel van de Duitse verzekering voor langdurige zorg (PV); die is hoger zonder kinderen vanaf 23 jaar en lager met meerdere kinderen onder de 25.",
                "Das ist Ihr Anteil an der Pflegeversicherung (PV); Kinderlose ab 23 zahlen einen Zuschlag, Eltern mehrerer Kinder unter 25 weniger.",
            ],
            Topic::Pension => [
                "This is your contribution to your workplace pension; your employer usually pays a share too.",
                "Dit is jouw bijdrage aan je pensioenregeling; je werkgever betaalt meestal ook een deel.",
                "Das ist Ihr Beitrag zur betrieblichen Altersversorgung; Ihr Arbeitgeber zahlt in der Regel einen Teil dazu.",
            ],
            Topic::HolidayAllowance => [
                "This is your holiday allowance, paid on top of your salary, usually once a year; it is taxed as a one-off payment, so the tax on it is often higher than you are used to.",
                "Dit is je vakantiegeld, dat je bovenop je salaris krijgt, meestal één keer per jaar; het wordt belast als bijzondere beloning, waardoor er vaak meer belasting af gaat dan je gewend bent.",
                "Das ist Ihr Urlaubsgeld, das zusätzlich zum Gehalt gezahlt wird, meist einmal im Jahr; es wird als sonstiger Bezug versteuert, deshalb fällt die Steuer darauf oft höher aus.",
            ],
            Topic::Overtime => [
                "This is the pay for the overtime you worked.",
                "Dit is de vergoeding voor de overuren die je hebt gemaakt.",
                "Das ist die Vergütung für Ihre geleisteten Überstunden.",
            ],
            Topic::Travel => [
                "This is the allowance for your travel costs, such as commuting.",
                "Dit is de vergoeding voor je reiskosten, zoals woon-werkverkeer.",
                "Das ist der Zuschuss zu Ihren Fahrtkosten, etwa für den Weg zur Arbeit.",
            ],
            Topic::Solidarity => [
                "This is the solidarity surcharge, 5.5 % of the wage tax; since 2021 only higher incomes pay it.",
                "Dit is de solidariteitstoeslag (Solidaritätszuschlag), 5,5 % van de loonbelasting; sinds 2021 betalen alleen hogere inkomens die nog.",
                "Das ist der Solidaritätszuschlag, 5,5 % der Lohnsteuer; seit 2021 zahlen ihn nur noch höhere Einkommen.",
            ],
            Topic::ChurchTax => [
                "This is church tax, 8 or 9 % of the wage tax depending on the state; you only pay it as a member of a church that levies it.",
                "Dit is kerkbelasting (Kirchensteuer), 8 of 9 % van de loonbelasting, afhankelijk van de deelstaat; je betaalt die alleen als lid van een kerk die haar heft.",
                "Das ist die Kirchensteuer, je nach Bundesland 8 oder 9 % der Lohnsteuer; sie fällt nur für Mitglieder einer steuererhebenden Kirche an.",
            ],
            Topic::NetPay => [
                "This is the amount paid into your bank account.",
                "Dit bedrag wordt op je rekening gestort.",
                "Dieser Betrag wird auf Ihr Konto überwiesen.",
            ],
        },
        locale,
    )
}

/// How one line moved between two payslips.
struct Change {
    label: String,
    kind: LineKind,
    before: i64,
    after: i64,
}

/// The change in net pay, then each changed line, largest first.
fn difference(slip: &Payslip, previous: &Payslip, locale: Locale) -> Vec<String> {
    // Lines are matched by folded code and kind; repeated codes are added up.
    let mut by_code: BTreeMap<(String, LineKind), Change> = BTreeMap::new();
    for (is_now, lines) in [(false, &previous.lines), (true, &slip.lines)] {
        for line in lines.iter().filter(|l| topic(&l.code) != Some(Topic::NetPay)) {
            let change = by_code.entry((fold_code(&line.code), line.kind)).or_insert_with(|| Change {
                label: label(line).to_owned(),
                kind: line.kind,
                before: 0,
                after: 0,
            });
            let amount = if is_now { &mut change.after } else { &mut change.before };
            *amount = amount.saturating_add(line.amount_cents);
            if is_now {
                label(line).clone_into(&mut change.label);
            }
        }
    }
    let mut changes: Vec<Change> = by_code.into_values().filter(|c| c.before != c.after).collect();
    // Lines that move net pay answer "why is my pay different", so they come before employer
    // contributions and info lines; within each group the largest change comes first.
    changes.sort_by_key(|c| {
        let moves_net = matches!(c.kind, LineKind::Earning | LineKind::Deduction);
        (!moves_net, std::cmp::Reverse(c.after.saturating_sub(c.before).unsigned_abs()), c.label.clone())
    });

    let delta = slip.net.saturating_sub(previous.net);
    // The main cause moved net pay most in the direction it went.
    let effect = |c: &Change| match c.kind {
        LineKind::Earning => c.after.saturating_sub(c.before),
        LineKind::Deduction => c.before.saturating_sub(c.after),
        LineKind::EmployerContribution | LineKind::Info => 0,
    };
    let cause = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (i, effect(c).saturating_mul(delta.signum())))
        .filter(|(_, e)| *e > 0)
        .max_by_key(|(i, e)| (*e, std::cmp::Reverse(*i)))
        .map(|(i, _)| i);

    let when = format!("{} {}", month_name(previous.period.1, locale), previous.period.0);
    let money = |cents: i64| format_money(cents, locale);
    let (amount, net_now) = (money(delta.saturating_abs()), money(slip.net));
    let net = match (locale, delta.signum()) {
        (Locale::En, 0) => format!("Your net pay is the same as in {when}: {net_now}"),
        (Locale::En, s) => {
            format!("Your net pay is {amount} {} than in {when}", if s < 0 { "lower" } else { "higher" })
        }
        (Locale::Nl, 0) => format!("Je netto is even hoog als in {when}: {net_now}"),
        (Locale::Nl, s) => format!("Je netto is {amount} {} dan in {when}", if s < 0 { "lager" } else { "hoger" }),
        (Locale::De, 0) => format!("Ihr Nettolohn ist genauso hoch wie im {when}: {net_now}"),
        (Locale::De, s) => {
            format!("Ihr Nettolohn ist {amount} {} als im {when}", if s < 0 { "niedriger" } else { "höher" })
        }
    };
    // "Last month" only when the payslips are consecutive; otherwise the month is named.
    let (year, month) = previous.period;
    let next = if month == 12 { year.checked_add(1).map(|y| (y, 1)) } else { Some((year, month.saturating_add(1))) };
    let adjacent = next == Some(slip.period);
    let change_sentence = |c: &Change| {
        let (size, before, after) =
            (money(c.after.saturating_sub(c.before).saturating_abs()), money(c.before), money(c.after));
        let up = c.after > c.before;
        match locale {
            Locale::En => {
                let then = if adjacent { "last month".to_owned() } else { format!("in {when}") };
                format!("{}: {size} {} ({then} {before}, now {after}).", c.label, if up { "more" } else { "less" })
            }
            Locale::Nl => {
                let then = if adjacent { "vorige maand".to_owned() } else { format!("in {when}") };
                format!("{}: {size} {} ({then} {before}, nu {after}).", c.label, if up { "meer" } else { "minder" })
            }
            Locale::De => {
                let then = if adjacent { "Vormonat".to_owned() } else { format!("im {when}") };
                format!("{}: {size} {} ({then} {before}, jetzt {after}).", c.label, if up { "mehr" } else { "weniger" })
            }
        }
    };
    let because = pick(["mainly because of", "vooral door", "vor allem wegen"], locale);
    let mut out = vec![match cause {
        Some(i) => format!("{net}, {because}: {}", change_sentence(&changes[i])),
        None => format!("{net}."),
    }];
    out.extend(changes.iter().enumerate().filter(|(i, _)| Some(*i) != cause).map(|(_, c)| change_sentence(c)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARCH_APRIL_NL: &str = "Employee,Period,Code,Label,Kind,Amount
E-7,2026-03,SALARIS,Salaris,earning,3000.00
E-7,2026-03,OVERWERK,Overwerk,loon,150.00
E-7,2026-03,LH,Loonheffing,inhouding,\"800,00\"
E-7,2026-03,PENSIOEN,Pensioen,deduction,100.00
E-7,2026-03,NET,Netto,info,2250.00
E-7,2026-04,SALARIS,Salaris,earning,3000.00
E-7,2026-04,LH,Loonheffing,deduction,\"762,40\"
E-7,2026-04,PENSIOEN,Pensioen,deduction,100.00
E-7,2026-04,WGP,Werkgeverspremie WW,employer,\"1.234,56\"
";

    fn two_months(csv: &str) -> (Payslip, Payslip) {
        let mut slips = parse_export(csv).expect("valid export");
        assert_eq!(slips.len(), 2);
        let april = slips.pop().expect("second payslip");
        (slips.pop().expect("first payslip"), april)
    }

    #[test]
    fn parses_payslips_with_gross_and_net() {
        let (march, april) = two_months(MARCH_APRIL_NL);
        assert_eq!((march.employee_ref.as_str(), march.period), ("E-7", (2026, 3)));
        assert_eq!((march.gross, march.net), (315_000, 225_000));
        assert_eq!((april.gross, april.net), (300_000, 213_760));
        assert_eq!(april.lines[3].kind, LineKind::EmployerContribution);
        assert_eq!(april.lines[3].amount_cents, 123_456);
    }

    #[test]
    fn amounts_are_read_strictly() {
        for (text, cents) in [
            ("1234.56", 123_456),
            ("1234,56", 123_456),
            ("1.234,56", 123_456),
            ("1,234.56", 123_456),
            ("-12.5", -1250),
            ("1.234.567", 123_456_700),
            ("0", 0),
        ] {
            assert_eq!(parse_cents(text), Ok(cents), "{text}");
        }
        for text in ["1.234", "12,345", "1.2.3", "12.345,678", ",50", "5,", "1,23,456", "€ 12", "12 34", ""] {
            assert!(parse_cents(text).is_err(), "{text}");
        }
        assert!(parse_cents("1.234").expect_err("ambiguous").contains("ambiguous"));
    }

    #[test]
    fn every_bad_row_is_named_with_its_line() {
        let csv = "employee;period;code;label;kind;amount
E-1;2026-03;SAL;Gehalt;Lohn;4.000,00

E-1;2026-13;SAL;Gehalt;Lohn;4.000,00
E-1;2026-03;X;\"Bonus; einmalig\";bonus;1.234
E-1;2026-03;LST;Lohnsteuer;Abzug;800,00
E-1;2026-03;NET;Netto;info;3.000,00
;2026-03;KV;\"unclosed;Abzug;1,00
";
        let errors = parse_export(csv).expect_err("bad rows");
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5, 7, 8]);
        assert_eq!(errors[0].reason, "period '2026-13' is not YYYY-MM");
        assert!(errors[1].reason.contains("kind 'bonus'") && errors[1].reason.contains("ambiguous"));
        assert_eq!(errors[2].reason, "the NET row says €3,000.00 but earnings minus deductions are €3,200.00");
        assert_eq!(errors[3].reason, "a quoted field is never closed");

        let unquoted = "employee,period,code,label,kind,amount\nE-1,2026-03,SAL,Salaris,earning,1.234,56\n";
        let errors = parse_export(unquoted).expect_err("unquoted comma");
        assert_eq!(
            (errors[0].line, errors[0].reason.as_str()),
            (2, "7 fields where the header has 6 (an amount with a comma must be quoted)")
        );
        let missing = parse_export("employee,period,code,kind,amount\n").expect_err("no label");
        assert_eq!(missing[0].line, 1);
        assert!(missing[0].reason.contains("no 'label' column"));
        assert_eq!(parse_export("").expect_err("empty")[0].reason, "the export is empty");
    }

    #[test]
    fn quoted_fields_may_span_lines() {
        let csv = "employee,period,code,label,kind,amount\nE-1,2026-03,SAL,\"Salaris\n\"\"mei\"\"\",earning,10\nE-1,2026-03,X,Y,zzz,1\n";
        let errors = parse_export(csv).expect_err("bad rows");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn explains_lines_and_the_drop_in_nl() {
        let (march, april) = two_months(MARCH_APRIL_NL);
        let text = explain(&april, Some(&march), Locale::Nl);
        assert_eq!(
            text.difference,
            [
                "Je netto is € 112,40 lager dan in maart 2026, vooral door: Overwerk: € 150,00 minder (vorige maand € 150,00, nu € 0,00).",
                "Loonheffing: € 37,60 minder (vorige maand € 800,00, nu € 762,40).",
                "Werkgeverspremie WW: € 1.234,56 meer (vorige maand € 0,00, nu € 1.234,56).",
            ]
        );
        assert_eq!(text.lines.len(), 4);
        assert_eq!(
            text.lines[1],
            "Loonheffing: € 762,40. Dit is de belasting op je loon, die je werkgever inhoudt en voor je afdraagt aan de fiscus."
        );
        assert_eq!(
            text.lines[3],
            "Werkgeverspremie WW: € 1.234,56. Dit betaalt je werkgever bovenop je salaris; het gaat niet van je loon af."
        );
        assert!(explain(&april, None, Locale::Nl).difference.is_empty());
    }

    #[test]
    fn explains_the_drop_in_en() {
        let (march, april) = two_months(MARCH_APRIL_NL);
        let text = explain(&april, Some(&march), Locale::En);
        assert_eq!(
            text.difference[..2],
            [
                "Your net pay is €112.40 lower than in March 2026, mainly because of: Overwerk: €150.00 less (last month €150.00, now €0.00).",
                "Loonheffing: €37.60 less (last month €800.00, now €762.40).",
            ]
        );
        assert_eq!(
            text.lines[0],
            "Salaris: €3,000.00. This is your gross salary for the month, before tax and contributions."
        );
    }

    #[test]
    fn explains_the_drop_in_de() {
        let csv = "employee;period;code;label;kind;amount
B-1;2026-01;GEHALT;Gehalt;Lohn;4.000,00
B-1;2026-01;ÜBERSTUNDEN;Überstunden;Lohn;150,00
B-1;2026-01;LST;Lohnsteuer;Abzug;700,00
B-1;2026-01;KIST;Kirchensteuer;Abzug;56,00
B-1;2026-03;GEHALT;Gehalt;Lohn;4.000,00
B-1;2026-03;LST;Lohnsteuer;Abzug;662,40
B-1;2026-03;KIST;Kirchensteuer;Abzug;56,00
B-1;2026-03;X9;Zuschuss Fitness;Lohn;0,00
";
        let (january, march) = two_months(csv);
        let text = explain(&march, Some(&january), Locale::De);
        assert_eq!(
            text.difference,
            [
                "Ihr Nettolohn ist € 112,40 niedriger als im Januar 2026, vor allem wegen: Überstunden: € 150,00 weniger (im Januar 2026 € 150,00, jetzt € 0,00).",
                "Lohnsteuer: € 37,60 weniger (im Januar 2026 € 700,00, jetzt € 662,40).",
            ]
        );
        assert_eq!(
            text.lines[2],
            "Kirchensteuer: € 56,00. Das ist die Kirchensteuer, je nach Bundesland 8 oder 9 % der Lohnsteuer; sie fällt nur für Mitglieder einer steuererhebenden Kirche an."
        );
        assert_eq!(text.lines[3], "Zuschuss Fitness: € 0,00 (zu Ihrem Lohn hinzugerechnet).");
        let same = explain(&march, Some(&march), Locale::De);
        assert_eq!(same.difference, ["Ihr Nettolohn ist genauso hoch wie im März 2026: € 3.281,60."]);
    }

    #[test]
    fn money_and_months_per_locale() {
        assert_eq!(format_money(123_456_789, Locale::Nl), "€ 1.234.567,89");
        assert_eq!(format_money(-5, Locale::De), "€ -0,05");
        assert_eq!(format_money(100_000, Locale::En), "€1,000.00");
        assert_eq!(format_money(-99_999, Locale::En), "-€999.99");
        assert_eq!(
            (month_name(3, Locale::De), month_name(12, Locale::Nl), month_name(13, Locale::En)),
            ("März", "december", "")
        );
    }
}
