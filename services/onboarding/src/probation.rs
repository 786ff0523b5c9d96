//! End of probation by country, from the contract people keeps:
//! - NL (art. 7:652 BW): a proeftijd must be agreed; none for fixed-term contracts of at most six
//!   months, at most one month for other fixed-term contracts of up to two years, at most two
//!   months otherwise (permanent, or fixed-term over two years).
//! - DE (§ 622 Abs. 3 BGB): a Probezeit of at most six months.
//! - BE: probation clauses were abolished on 1 January 2014 (Wet eenheidsstatuut).
//!
//! An agreed end beyond the legal maximum is capped, and the reason says so. Reminders are sent
//! as `ProbationEndReminder` events two weeks before the end.

use ::time::{Date, Duration, Month};
use hrmesh_kit::{
    ApiError,
    events::{EventSource, raw_topic},
    outbox,
    service::ServiceContext,
    time,
};
use hrmesh_proto::onboarding::v1::ProbationEndReminder;
use sqlx::AnyConnection;

use crate::{plan::Why, purposes};

/// How many days before the end a reminder goes out.
pub const REMIND_DAYS: i64 = 14;

/// The probation end and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Probation {
    pub end: Option<Date>,
    pub why: Why,
}

/// `date` plus `months` calendar months (the last day of a shorter month when needed).
fn add_months(date: Date, months: u8) -> Date {
    let total = i32::from(date.month() as u8) - 1 + i32::from(months);
    let year = date.year() + total / 12;
    let month = Month::try_from(u8::try_from(total % 12 + 1).unwrap_or(1)).unwrap_or(Month::January);
    let mut day = date.day();
    loop {
        if let Ok(d) = Date::from_calendar_date(year, month, day) {
            // The day before the same date months later; a shorter month ends on its last day.
            return if day == date.day() { d.previous_day().unwrap_or(d) } else { d };
        }
        day -= 1;
    }
}

fn none(why: [&str; 3]) -> Probation {
    Probation { end: None, why: why.map(str::to_owned) }
}

/// The end of probation for a contract starting `start` in `country`.
pub fn end(country: &str, start: Date, kind: &str, contract_end: Option<Date>, agreed: Option<Date>) -> Probation {
    let (max_months, law): (u8, [&str; 3]) = match country {
        "BE" => {
            return none([
                "No probation: Belgium abolished probation clauses in 2014",
                "Geen proeftijd: België schafte de proefperiode in 2014 af",
                "Keine Probezeit: Belgien hat die Probezeit 2014 abgeschafft",
            ]);
        }
        "DE" => (
            6,
            [
                "Probezeit at most 6 months (§ 622 BGB)",
                "Probezeit hoogstens 6 maanden (§ 622 BGB)",
                "Probezeit höchstens 6 Monate (§ 622 BGB)",
            ],
        ),
        "NL" => {
            let fixed_months = match (kind, contract_end) {
                ("fixed_term", Some(e)) => Some((e - start).whole_days()),
                _ => None,
            };
            match fixed_months {
                Some(days) if days <= 183 => {
                    return none([
                        "No proeftijd: a fixed-term contract of at most six months allows none (art. 7:652 BW)",
                        "Geen proeftijd: bij een contract van hoogstens zes maanden is die niet toegestaan (art. 7:652 BW)",
                        "Keine Probezeit: bei einem befristeten Vertrag bis sechs Monate nicht zulässig (Art. 7:652 BW)",
                    ]);
                }
                Some(days) if days < 731 => (
                    1,
                    [
                        "Proeftijd at most 1 month for a contract of up to two years (art. 7:652 BW)",
                        "Proeftijd hoogstens 1 maand bij een contract tot twee jaar (art. 7:652 BW)",
                        "Proeftijd höchstens 1 Monat bei einem Vertrag bis zu zwei Jahren (Art. 7:652 BW)",
                    ],
                ),
                _ => (
                    2,
                    [
                        "Proeftijd at most 2 months (art. 7:652 BW)",
                        "Proeftijd hoogstens 2 maanden (art. 7:652 BW)",
                        "Proeftijd höchstens 2 Monate (Art. 7:652 BW)",
                    ],
                ),
            }
        }
        _ => {
            return match agreed {
                Some(a) => Probation {
                    end: Some(a),
                    why: [
                        format!("Probation as agreed in the contract, until {}", time::format_date(a)),
                        format!("Proeftijd zoals overeengekomen, tot {}", time::format_date(a)),
                        format!("Probezeit wie vereinbart, bis {}", time::format_date(a)),
                    ],
                },
                None => none(["No probation agreed", "Geen proeftijd overeengekomen", "Keine Probezeit vereinbart"]),
            };
        }
    };
    let Some(agreed) = agreed else {
        return Probation {
            end: None,
            why: [
                format!("No probation agreed in the contract; {}", law[0]),
                format!("Geen proeftijd in het contract; {}", law[1]),
                format!("Keine Probezeit im Vertrag vereinbart; {}", law[2]),
            ],
        };
    };
    let max = add_months(start, max_months);
    let end = agreed.min(max);
    let (d, capped) = (time::format_date(end), agreed > max);
    let why = if capped {
        [
            format!("Agreed probation capped to {d}: {}", law[0]),
            format!("Overeengekomen proeftijd ingekort tot {d}: {}", law[1]),
            format!("Vereinbarte Probezeit gekürzt auf {d}: {}", law[2]),
        ]
    } else {
        [
            format!("Probation until {d}; {}", law[0]),
            format!("Proeftijd tot {d}; {}", law[1]),
            format!("Probezeit bis {d}; {}", law[2]),
        ]
    };
    Probation { end: Some(end), why }
}

/// Sends a `ProbationEndReminder` for every probation ending within [`REMIND_DAYS`] of `today`
/// that has not been reminded; returns how many.
pub async fn remind_due(conn: &mut AnyConnection, events: &EventSource, today: Date) -> Result<usize, ApiError> {
    let horizon = time::format_date(today.saturating_add(Duration::days(REMIND_DAYS)));
    let due: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT employee_id, probation_end, location FROM onboardings
         WHERE probation_end <> '' AND probation_end >= $1 AND probation_end <= $2 AND reminded = 0 AND outcome = ''",
    )
    .bind(time::format_date(today))
    .bind(&horizon)
    .fetch_all(&mut *conn)
    .await?;
    for (employee_id, probation_end, country) in &due {
        sqlx::query("UPDATE onboardings SET reminded = 1 WHERE employee_id = $1")
            .bind(employee_id)
            .execute(&mut *conn)
            .await?;
        let event = ProbationEndReminder { probation_end: probation_end.clone(), country: country.clone() };
        let envelope = events.envelope(employee_id, purposes::PLANS, &event);
        outbox::enqueue(conn, &raw_topic(crate::NAME), &envelope).await?;
    }
    Ok(due.len())
}

/// Sends the reminders that are due every hour until shutdown.
pub async fn run(ctx: ServiceContext, stop: tokio_util::sync::CancellationToken) {
    loop {
        let sent = async {
            let mut tx = ctx.db.begin().await?;
            let n = remind_due(&mut tx, &ctx.events, time::today()).await?;
            ctx.commit(tx).await?;
            Ok::<_, ApiError>(n)
        }
        .await;
        match sent {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminders = n, "probation end reminders sent"),
            Err(e) => tracing::warn!(error = %e, "probation reminders failed; retrying later"),
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        time::parse_date("d", s).expect("date")
    }

    #[test]
    fn nl_caps_probation_by_contract_length() {
        let start = d("2027-01-04");
        let permanent = end("NL", start, "permanent", None, Some(d("2027-06-01")));
        assert_eq!(permanent.end, Some(d("2027-03-03")), "two months");
        assert!(permanent.why[1].contains("ingekort"));
        let year = end("NL", start, "fixed_term", Some(d("2027-12-31")), Some(d("2027-03-01")));
        assert_eq!(year.end, Some(d("2027-02-03")), "one month for a contract up to two years");
        let short = end("NL", start, "fixed_term", Some(d("2027-05-31")), Some(d("2027-02-01")));
        assert_eq!(short.end, None, "none for six months or less");
        let long = end("NL", start, "fixed_term", Some(d("2030-01-03")), Some(d("2027-02-20")));
        assert_eq!(long.end, Some(d("2027-02-20")), "within two months");
    }

    #[test]
    fn de_allows_six_months_and_be_none() {
        let start = d("2027-01-04");
        assert_eq!(end("DE", start, "permanent", None, Some(d("2027-12-31"))).end, Some(d("2027-07-03")));
        assert_eq!(end("DE", start, "permanent", None, Some(d("2027-04-03"))).end, Some(d("2027-04-03")));
        let be = end("BE", start, "permanent", None, Some(d("2027-02-01")));
        assert_eq!(be.end, None);
        assert!(be.why[0].contains("2014"));
        assert_eq!(end("DE", start, "permanent", None, None).end, None, "must be agreed");
    }

    #[test]
    fn months_end_on_the_last_day_of_a_short_month() {
        assert_eq!(add_months(d("2027-01-31"), 1), d("2027-02-28"));
        assert_eq!(add_months(d("2027-11-15"), 2), d("2028-01-14"));
    }
}
