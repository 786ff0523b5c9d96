//! Wall-clock helpers; timestamps are stored as Unix milliseconds so SQLite and PostgreSQL agree.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)).unwrap_or(0)
}

/// A protobuf timestamp from Unix milliseconds.
pub fn timestamp(ms: i64) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: i32::try_from(ms.rem_euclid(1000) * 1_000_000).unwrap_or(0),
    }
}

/// Parses an ISO 8601 calendar date (YYYY-MM-DD, leap years included) given in `field`.
pub fn parse_date(field: &str, value: &str) -> Result<time::Date, crate::FieldViolation> {
    let invalid = || crate::FieldViolation::new(field, "must be a date like 2026-03-01 (YYYY-MM-DD)");
    let value = value.trim();
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(invalid());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(invalid());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return Err(invalid());
    };
    let month = time::Month::try_from(m).map_err(|_| invalid())?;
    let date = time::Date::from_calendar_date(y, month, d).map_err(|_| invalid())?;
    if !(1900..2100).contains(&y) {
        return Err(crate::FieldViolation::new(field, "must be a date between 1900-01-01 and 2099-12-31"));
    }
    Ok(date)
}

/// Like [`parse_date`], `None` for an empty value.
pub fn parse_optional_date(field: &str, value: &str) -> Result<Option<time::Date>, crate::FieldViolation> {
    if value.trim().is_empty() { Ok(None) } else { parse_date(field, value).map(Some) }
}

/// A date as YYYY-MM-DD.
pub fn format_date(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Today's date (UTC).
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The UTC date of an instant in Unix milliseconds (`Date::MIN` for one out of range).
pub fn date_of_ms(ms: i64) -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).map_or(time::Date::MIN, |t| t.date())
}

/// Earliest and latest instants a request may carry (2000-01-01 and 2100-01-01, UTC): an HR
/// record outside them is a mistake, never a date to store (an unset or zero timestamp is 1970).
const EARLIEST_MS: i64 = 946_684_800_000;
const LATEST_MS: i64 = 4_102_444_800_000;

/// Unix milliseconds of a timestamp given in a request, or the violation naming `field`.
pub fn parse_timestamp(field: &str, ts: &prost_types::Timestamp) -> Result<i64, crate::FieldViolation> {
    let invalid = |why: &str| crate::FieldViolation::new(field, why);
    if !(0..1_000_000_000).contains(&ts.nanos) {
        return Err(invalid("nanos must be between 0 and 999999999"));
    }
    let ms = ts.seconds.checked_mul(1000).map(|s| s + i64::from(ts.nanos / 1_000_000));
    match ms {
        Some(ms) if (EARLIEST_MS..=LATEST_MS).contains(&ms) => Ok(ms),
        _ => Err(invalid("must be a time between 2000-01-01 and 2100-01-01 (UTC)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_leap_day_only_in_leap_years() {
        assert!(parse_date("d", "2028-02-29").is_ok());
        assert!(parse_date("d", "2026-02-29").is_err());
        assert!(parse_date("d", "2000-02-29").is_ok());
        assert!(parse_date("d", "2100-02-28").is_err());
        assert_eq!(parse_date("d", "2026-03-01").map(format_date).as_deref(), Ok("2026-03-01"));
    }

    #[test]
    fn rejects_malformed_dates() {
        for bad in ["", "2026-1-01", "01-03-2026", "2026-13-01", "2026-04-31", "2026-00-10", "2026-03-0x", "+026-03-01"]
        {
            assert!(parse_date("d", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn request_timestamps_outside_any_hr_record_are_refused() {
        let ts = |seconds, nanos| prost_types::Timestamp { seconds, nanos };
        assert_eq!(parse_timestamp("t", &ts(1_767_225_600, 5_000_000)), Ok(1_767_225_600_005));
        assert!(parse_timestamp("t", &ts(0, 0)).is_err(), "1970 is an unset timestamp");
        assert!(parse_timestamp("t", &ts(-5, 0)).is_err());
        assert!(parse_timestamp("t", &ts(i64::MAX, 0)).is_err(), "no overflow");
        assert!(parse_timestamp("t", &ts(1_767_225_600, -1)).is_err());
        assert!(parse_timestamp("t", &ts(1_767_225_600, 1_000_000_000)).is_err());
    }
}
