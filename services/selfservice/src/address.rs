//! Address changes through the assistant: the new address read from the message, checked for
//! completeness and the postcode format of its country, confirmed, then changed by the people
//! service (which validates it again and tells payroll).

use hrmesh_kit::{locale::Locale, time as clock};
use hrmesh_proto::people::v1 as people_pb;

use crate::{
    actions::{self, Action, Trouble},
    dialogue::{Outcome, Turn},
    say::{self, say},
    understand::{AddressSlot, Intent, Understanding},
};

/// A postcode as it is written in its country: `3511 AB`, `80331`, `1000`.
fn postcode(country: &str, code: &str) -> String {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    if country == "NL" && compact.len() == 6 { format!("{} {}", &compact[..4], &compact[4..]) } else { compact }
}

fn missing_parts(locale: Locale, slot: &AddressSlot) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if slot.street.is_none() {
        missing.push(say!(locale, en: "the street", nl: "de straat", de: "die Straße"));
    }
    if slot.number.is_none() {
        missing.push(say!(locale, en: "the house number", nl: "het huisnummer", de: "die Hausnummer"));
    }
    if slot.postcode.is_none() {
        missing.push(say!(locale, en: "the postcode", nl: "de postcode", de: "die Postleitzahl"));
    }
    if slot.city.is_none() {
        missing.push(say!(locale, en: "the town", nl: "de plaats", de: "den Ort"));
    }
    missing
}

/// One line: `Oudegracht 12a, 3511 AB Utrecht (NL)`.
fn line(street: &str, number: &str, postcode: &str, city: &str, country: &str) -> String {
    format!("{street} {number}, {postcode} {city} ({country})")
}

/// Proposes the change when the whole address is given; otherwise asks for what is missing.
pub fn propose(turn: &Turn<'_>, u: &Understanding) -> Outcome {
    let locale = turn.locale;
    let slot = u.slots.address.clone().unwrap_or_default();
    let missing = missing_parts(locale, &slot);
    let (Some(street), Some(number), Some(code), Some(city), Some(country), true) =
        (slot.street, slot.number, slot.postcode, slot.city, slot.country, missing.is_empty())
    else {
        let what = if missing.is_empty() {
            say!(locale, en: "a postcode I recognise", nl: "een postcode die ik herken", de: "eine Postleitzahl, die ich erkenne")
                .to_owned()
        } else {
            missing.join(", ")
        };
        let mut outcome = Outcome::say(say!(locale,
            en: format!("What is your new address? I still need {what}. For example: \"Oudegracht 12a, 3511 AB Utrecht\"."),
            nl: format!("Wat is je nieuwe adres? Ik mis nog {what}. Bijvoorbeeld: \"Oudegracht 12a, 3511 AB Utrecht\"."),
            de: format!("Wie lautet Ihre neue Adresse? Mir fehlt noch {what}. Zum Beispiel: „Hauptstraße 5, 80331 München“."),
        ));
        outcome.awaiting = Some(Intent::AddressChange);
        return outcome;
    };
    let country = country.to_string();
    let code = postcode(&country, &code);
    let from = u.slots.dates.map_or(turn.today, |d| d.start).max(turn.today);
    let day = say::day(locale, from, turn.today);
    let new = line(&street, &number, &code, &city, &country);
    let text = say!(locale,
        en: format!("Shall I change your address to {new} from {day}?"),
        nl: format!("Zal ik je adres wijzigen naar {new}, met ingang van {day}?"),
        de: format!("Soll ich Ihre Adresse ab {day} in {new} ändern?"),
    );
    let action = Action::ChangeAddress {
        street,
        number,
        postcode: code,
        city,
        country,
        effective_from: clock::format_date(from),
    };
    Outcome::propose(text, action)
}

/// Changes the confirmed address.
pub async fn execute(turn: &Turn<'_>, action: &Action) -> Outcome {
    let Action::ChangeAddress { street, number, postcode, city, country, effective_from } = action else {
        return Outcome::default();
    };
    let locale = turn.locale;
    let request = people_pb::ChangeAddressRequest {
        employee_id: turn.conv.employee_id.clone(),
        address: Some(people_pb::Address {
            street: street.clone(),
            house_number: number.clone(),
            postcode: postcode.clone(),
            city: city.clone(),
            country: country.clone(),
        }),
        effective_from: effective_from.clone(),
    };
    match turn.people.change_address(request).await {
        Ok(employee) => {
            let stored = employee.private_address.unwrap_or_default();
            let new = line(&stored.street, &stored.house_number, &stored.postcode, &stored.city, &stored.country);
            let day = clock::parse_date("effective_from", effective_from)
                .map_or_else(|_| effective_from.clone(), |d| say::day(locale, d, turn.today));
            let mut outcome = Outcome::resolved(say!(locale,
                en: format!("Done: your address is {new} from {day}. Payroll receives the change automatically."),
                nl: format!("Gedaan: je adres is {new}, met ingang van {day}. De salarisadministratie krijgt de wijziging vanzelf."),
                de: format!("Erledigt: Ihre Adresse lautet ab {day} {new}. Die Lohnabrechnung erhält die Änderung automatisch."),
            ));
            outcome.result = Some(actions::done(&employee.employee_id));
            outcome
        }
        Err(status) => {
            let trouble = Trouble::of(&status);
            let text = match &trouble {
                Trouble::Invalid(detail) => say!(locale,
                    en: format!("I could not save that address: {detail}. Please check the postcode and house number and tell me the address again."),
                    nl: format!("Dat adres kan ik niet opslaan: {detail}. Controleer de postcode en het huisnummer en geef het adres opnieuw."),
                    de: format!("Diese Adresse kann ich nicht speichern: {detail}. Bitte prüfen Sie Postleitzahl und Hausnummer und nennen Sie die Adresse erneut."),
                ),
                other => actions::explain(locale, other),
            };
            let mut outcome = Outcome::resolved(text);
            outcome.result = Some(actions::refused(&trouble, locale));
            outcome
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_written_as_their_country_writes_them() {
        assert_eq!(postcode("NL", "3511ab"), "3511 AB");
        assert_eq!(postcode("DE", "80331"), "80331");
        assert_eq!(postcode("BE", " 1000"), "1000");
    }
}
