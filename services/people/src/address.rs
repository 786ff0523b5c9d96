//! Postal addresses, validated per country (NL `1234 AB`, DE five digits, BE four digits).

use hrmesh_kit::{FieldViolation, error::required_text};
use hrmesh_proto::people::v1::Address;
use serde::{Deserialize, Serialize};

use crate::country::Country;

/// A validated postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
}

/// The postcode normalised for `country`, or why it is not one.
pub fn postcode(country: Country, value: &str) -> Result<String, &'static str> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    match country {
        Country::Nl => {
            let (num, letters) = compact.split_at_checked(4).unwrap_or(("", ""));
            // Dutch postcodes never start with 0 and never use the letter pairs SA, SD or SS.
            let ok = digits(num, 4)
                && !num.starts_with('0')
                && letters.len() == 2
                && letters.chars().all(|c| c.is_ascii_uppercase())
                && !matches!(letters, "SA" | "SD" | "SS");
            if ok { Ok(format!("{num} {letters}")) } else { Err("must be a Dutch postcode like 1234 AB") }
        }
        Country::De => {
            if digits(&compact, 5) && compact != "00000" {
                Ok(compact)
            } else {
                Err("must be a German postcode of five digits like 80331")
            }
        }
        Country::Be => {
            if digits(&compact, 4) && !compact.starts_with('0') {
                Ok(compact)
            } else {
                Err("must be a Belgian postcode of four digits like 1000")
            }
        }
    }
}

impl PostalAddress {
    /// Whether nothing was given.
    pub fn is_blank(a: &Address) -> bool {
        [&a.street, &a.house_number, &a.postcode, &a.city, &a.country].iter().all(|s| s.trim().is_empty())
    }

    /// Parses an address given in `field` (violations name `field.street` etc.).
    pub fn parse(field: &str, a: &Address) -> Result<Self, FieldViolation> {
        let sub = |name: &str| format!("{field}.{name}");
        let country =
            Country::parse(&a.country).ok_or_else(|| FieldViolation::new(sub("country"), "must be NL, DE or BE"))?;
        let street = required_text(&sub("street"), &a.street, 200)?;
        let house_number = required_text(&sub("house_number"), &a.house_number, 20)?;
        if !house_number.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(FieldViolation::new(sub("house_number"), "must start with a number, like 12 or 12a"));
        }
        let postcode = postcode(country, &a.postcode).map_err(|why| FieldViolation::new(sub("postcode"), why))?;
        let city = required_text(&sub("city"), &a.city, 100)?;
        Ok(Self { street, house_number, postcode, city, country: country.code().to_owned() })
    }

    /// The stored (sealed) form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored form; `None` when empty or unreadable (e.g. erased).
    pub fn from_json(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }

    /// The wire form.
    pub fn to_proto(&self) -> Address {
        Address {
            street: self.street.clone(),
            house_number: self.house_number.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_follow_each_country() {
        assert_eq!(postcode(Country::Nl, "1234ab"), Ok("1234 AB".into()));
        assert_eq!(postcode(Country::Nl, " 3511 LX "), Ok("3511 LX".into()));
        assert!(postcode(Country::Nl, "0123 AB").is_err());
        assert!(postcode(Country::Nl, "1234 SS").is_err());
        assert!(postcode(Country::Nl, "12345").is_err());
        assert_eq!(postcode(Country::De, "80331"), Ok("80331".into()));
        assert!(postcode(Country::De, "8033").is_err());
        assert_eq!(postcode(Country::Be, "1000"), Ok("1000".into()));
        assert!(postcode(Country::Be, "10000").is_err());
    }

    #[test]
    fn address_violations_name_the_nested_field() {
        let a = Address {
            street: "Hoofdstraat".into(),
            house_number: "12".into(),
            postcode: "12 AB".into(),
            city: "Utrecht".into(),
            country: "NL".into(),
        };
        let err = PostalAddress::parse("private_address", &a).expect_err("bad postcode");
        assert_eq!(err.field, "private_address.postcode");
    }
}
