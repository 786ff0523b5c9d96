//! Buddy matching: colleagues volunteer (opt in, with consent for `onboarding.buddy_matching`),
//! each pair of new hire and volunteer gets an explained compatibility score, and the Hungarian
//! algorithm finds the assignment with the highest total. A volunteer with capacity k offers k
//! places; a second place scores a little less so that hires spread over volunteers.
//!
//! Eligible only: a different person who is not the hire's manager, at least a year with the company, not on leave in the
//! hire's first three weeks (leave read from the people service), consent on both sides.

use std::{collections::BTreeSet, time::Duration as StdDuration};

use hrmesh_kit::{ApiError, events::raw_topic, locale::Locale, outbox, service::ServiceContext, time};
use hrmesh_proto::{
    onboarding::v1::{self as pb, BuddyMatched},
    people::v1::{GetEmployeeRequest, ListLeaveRequest, people_service_client::PeopleServiceClient},
};
use sqlx::AnyConnection;

use crate::{hungarian, plan::Why, purposes};

const DEADLINE: StdDuration = StdDuration::from_secs(5);
/// Days after the start a buddy should be around.
pub const FIRST_WEEKS_DAYS: i64 = 21;
/// Points of each criterion.
const LOCATION: f64 = 25.0;
const OTHER_MANAGER: f64 = 15.0;
const PER_SHARED: f64 = 5.0;
const MAX_SHARED: usize = 3;
const LANGUAGE: f64 = 15.0;
const TENURE: f64 = 10.0;
const LONG_TENURE: f64 = 5.0;
/// Less for every further place of the same volunteer.
const EXTRA_PLACE: f64 = 5.0;

/// A volunteer as matching sees them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Volunteer {
    pub employee_id: String,
    pub capacity: i64,
    pub location: String,
    pub language: String,
    pub manager_id: String,
    pub since: String,
    pub skills: String,
    pub interests: String,
}

/// A new hire as matching sees them.
#[derive(Debug, Clone)]
pub struct Hire {
    pub employee_id: String,
    pub start: ::time::Date,
    pub location: String,
    pub language: String,
    pub manager_id: String,
    pub skills: BTreeSet<String>,
    pub interests: BTreeSet<String>,
}

/// A pair's score and its reasons, or why it cannot be.
#[derive(Debug, Clone, PartialEq)]
pub enum Fit {
    Eligible { score: f64, reasons: Vec<Why> },
    Excluded(Why),
}

fn words(list: &str) -> BTreeSet<String> {
    list.split(',').map(|w| w.trim().to_lowercase()).filter(|w| !w.is_empty()).collect()
}

fn why(en: String, nl: String, de: String) -> Why {
    [en, nl, de]
}

/// Scores `hire` with `v`; `on_leave` when the volunteer is away in the hire's first weeks.
pub fn fit(hire: &Hire, v: &Volunteer, on_leave: bool) -> Fit {
    if hire.employee_id == v.employee_id {
        return Fit::Excluded(why(
            "the new hire themself".into(),
            "de nieuwe medewerker zelf".into(),
            "die neue Person selbst".into(),
        ));
    }
    if hire.manager_id == v.employee_id {
        return Fit::Excluded(why(
            format!("{} is the new hire's manager", v.employee_id),
            format!("{} is de leidinggevende van de nieuwe medewerker", v.employee_id),
            format!("{} ist die Führungskraft der neuen Person", v.employee_id),
        ));
    }
    let since = time::parse_date("since", &v.since).ok();
    let years = since.map_or(0.0, |s| (hire.start - s).whole_days() as f64 / 365.25);
    if years < 1.0 {
        return Fit::Excluded(why(
            format!("{} has been with the company less than a year", v.employee_id),
            format!("{} is korter dan een jaar in dienst", v.employee_id),
            format!("{} ist weniger als ein Jahr im Unternehmen", v.employee_id),
        ));
    }
    if on_leave {
        return Fit::Excluded(why(
            format!("{} is on leave in the first {FIRST_WEEKS_DAYS} days", v.employee_id),
            format!("{} heeft verlof in de eerste {FIRST_WEEKS_DAYS} dagen", v.employee_id),
            format!("{} ist in den ersten {FIRST_WEEKS_DAYS} Tagen im Urlaub", v.employee_id),
        ));
    }
    let mut score = 0.0;
    let mut reasons = Vec::new();
    if !hire.location.is_empty() && hire.location.eq_ignore_ascii_case(&v.location) {
        score += LOCATION;
        reasons.push(why(
            format!("+{LOCATION}: same location ({})", v.location),
            format!("+{LOCATION}: zelfde locatie ({})", v.location),
            format!("+{LOCATION}: gleicher Standort ({})", v.location),
        ));
    }
    if hire.manager_id.is_empty() || hire.manager_id != v.manager_id {
        score += OTHER_MANAGER;
        reasons.push(why(
            format!("+{OTHER_MANAGER}: a different manager, so the hire can speak freely"),
            format!("+{OTHER_MANAGER}: een andere leidinggevende, dus vrijuit praten kan"),
            format!("+{OTHER_MANAGER}: eine andere Führungskraft, also offenes Reden möglich"),
        ));
    }
    let shared = |mine: &BTreeSet<String>, theirs: &str| -> Vec<String> {
        mine.intersection(&words(theirs)).take(MAX_SHARED).cloned().collect()
    };
    let skills = shared(&hire.skills, &v.skills);
    if !skills.is_empty() {
        let p = PER_SHARED * skills.len() as f64;
        let list = skills.join(", ");
        score += p;
        reasons.push(why(
            format!("+{p}: shared skills ({list})"),
            format!("+{p}: gedeelde vaardigheden ({list})"),
            format!("+{p}: gemeinsame Fähigkeiten ({list})"),
        ));
    }
    let interests = shared(&hire.interests, &v.interests);
    if !interests.is_empty() {
        let p = PER_SHARED * interests.len() as f64;
        let list = interests.join(", ");
        score += p;
        reasons.push(why(
            format!("+{p}: shared interests ({list})"),
            format!("+{p}: gedeelde interesses ({list})"),
            format!("+{p}: gemeinsame Interessen ({list})"),
        ));
    }
    if hire.language.eq_ignore_ascii_case(&v.language) {
        score += LANGUAGE;
        reasons.push(why(
            format!("+{LANGUAGE}: same language ({})", v.language),
            format!("+{LANGUAGE}: zelfde taal ({})", v.language),
            format!("+{LANGUAGE}: gleiche Sprache ({})", v.language),
        ));
    }
    let tenure = if years >= 3.0 { TENURE + LONG_TENURE } else { TENURE };
    score += tenure;
    reasons.push(why(
        format!("+{tenure}: {years:.1} years with the company"),
        format!("+{tenure}: {years:.1} jaar in dienst"),
        format!("+{tenure}: {years:.1} Jahre im Unternehmen"),
    ));
    Fit::Eligible { score, reasons }
}

/// One place a volunteer offers (their `nth` place, from 0).
struct Place<'a> {
    volunteer: &'a Volunteer,
    nth: usize,
}

/// A proposed match.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub hire: String,
    pub buddy: String,
    pub score: f64,
    pub reasons: Vec<Why>,
}

/// The optimal assignment of `hires` to the places `volunteers` offer; `leave(hire, volunteer)`
/// tells whether the volunteer is away in the hire's first weeks. Hires left without an eligible
/// place are returned with why.
pub fn assign(
    hires: &[Hire],
    volunteers: &[Volunteer],
    leave: impl Fn(&Hire, &Volunteer) -> bool,
) -> (Vec<Proposal>, Vec<(String, Why)>) {
    let places: Vec<Place> = volunteers
        .iter()
        .flat_map(|v| {
            (0..usize::try_from(v.capacity.clamp(1, 5)).unwrap_or(1)).map(move |nth| Place { volunteer: v, nth })
        })
        .collect();
    // Fits per hire and volunteer, computed once.
    let fits: Vec<Vec<Fit>> =
        hires.iter().map(|h| volunteers.iter().map(|v| fit(h, v, leave(h, v))).collect()).collect();
    let index = |v: &Volunteer| volunteers.iter().position(|x| x.employee_id == v.employee_id).unwrap_or(0);
    // Excluded pairs score far below any eligible one; they are dropped after the assignment.
    const EXCLUDED: f64 = -1.0e6;
    let matrix: Vec<Vec<f64>> = fits
        .iter()
        .map(|row| {
            places
                .iter()
                .map(|p| match &row[index(p.volunteer)] {
                    Fit::Eligible { score, .. } => score - EXTRA_PLACE * p.nth as f64,
                    Fit::Excluded(_) => EXCLUDED,
                })
                .collect()
        })
        .collect();
    let assignment = hungarian::maximise(&matrix);
    let (mut matched, mut unmatched) = (Vec::new(), Vec::new());
    for (i, hire) in hires.iter().enumerate() {
        let place = assignment[i].map(|j| &places[j]);
        match place.map(|p| (p, &fits[i][index(p.volunteer)])) {
            Some((p, Fit::Eligible { score, reasons })) => {
                let mut reasons = reasons.clone();
                if p.nth > 0 {
                    let n = p.nth + 1;
                    reasons.push(why(
                        format!(
                            "-{}: this buddy's place {n}, to spread hires over volunteers",
                            EXTRA_PLACE * p.nth as f64
                        ),
                        format!(
                            "-{}: plek {n} van deze buddy, om nieuwe medewerkers te spreiden",
                            EXTRA_PLACE * p.nth as f64
                        ),
                        format!(
                            "-{}: Platz {n} dieser Patenschaft, um neue Personen zu verteilen",
                            EXTRA_PLACE * p.nth as f64
                        ),
                    ));
                }
                matched.push(Proposal {
                    hire: hire.employee_id.clone(),
                    buddy: p.volunteer.employee_id.clone(),
                    score: score - EXTRA_PLACE * p.nth as f64,
                    reasons,
                });
            }
            _ => unmatched.push((
                hire.employee_id.clone(),
                why(
                    "no eligible volunteer place left".into(),
                    "geen geschikte vrije buddyplek meer".into(),
                    "kein passender freier Patenplatz mehr".into(),
                ),
            )),
        }
    }
    (matched, unmatched)
}

fn people(ctx: &ServiceContext) -> Result<PeopleServiceClient<tonic::transport::Channel>, ApiError> {
    Ok(PeopleServiceClient::new(ctx.peers.channel_to("people")?))
}

fn peer(status: &tonic::Status) -> ApiError {
    match status.code() {
        tonic::Code::NotFound => ApiError::NotFound(status.message().to_owned()),
        _ => ApiError::Unavailable(format!("people cannot answer: {}", status.message())),
    }
}

/// Opts `employee_id` in or out; their placement and tenure come from the people service.
pub async fn set_volunteer(
    ctx: &ServiceContext,
    req: &pb::SetBuddyVolunteerRequest,
) -> Result<pb::BuddyVolunteer, ApiError> {
    if req.volunteer {
        ctx.consent.require(&req.employee_id, purposes::BUDDY_MATCHING).await?;
    }
    let mut request = ctx.peers.request(GetEmployeeRequest { employee_id: req.employee_id.clone() })?;
    request.set_timeout(DEADLINE);
    let employee = people(ctx)?.get_employee(request).await.map_err(|s| peer(&s))?.into_inner();
    let since = employee.contract.as_ref().map(|c| c.start_date.clone()).unwrap_or_default();
    let clean = |list: &[String]| -> String {
        list.iter()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty() && !s.contains(','))
            .take(20)
            .collect::<Vec<_>>()
            .join(",")
    };
    let capacity = i64::from(req.capacity.clamp(1, 5));
    sqlx::query(
        "INSERT INTO buddy_volunteers (employee_id, volunteer, capacity, location, language, manager_id, since, skills,
         interests, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (employee_id) DO UPDATE SET volunteer = $2, capacity = $3, location = $4, language = $5,
         manager_id = $6, since = $7, skills = $8, interests = $9, updated_at = $10",
    )
    .bind(&req.employee_id)
    .bind(i64::from(req.volunteer))
    .bind(capacity)
    .bind(&employee.work_country)
    .bind(&employee.preferred_language)
    .bind(&employee.manager_id)
    .bind(&since)
    .bind(clean(&req.skills))
    .bind(clean(&req.interests))
    .bind(time::now_ms())
    .execute(ctx.db.pool())
    .await?;
    Ok(pb::BuddyVolunteer {
        employee_id: req.employee_id.clone(),
        volunteer: req.volunteer,
        capacity: u32::try_from(capacity).unwrap_or(1),
        location: employee.work_country,
        language: employee.preferred_language,
        manager_id: employee.manager_id,
        since,
        skills: crate::templates::split_list(&clean(&req.skills)),
        interests: crate::templates::split_list(&clean(&req.interests)),
    })
}

/// The volunteers' approved or pending leave between `from` and `to`, as (volunteer, start, end).
async fn leave_of(
    ctx: &ServiceContext,
    volunteers: &[Volunteer],
    from: ::time::Date,
    to: ::time::Date,
) -> Result<Vec<(String, ::time::Date, ::time::Date)>, ApiError> {
    let mut client = people(ctx)?;
    let mut out = Vec::new();
    // People answers at most a year per call; hires' first weeks may span more.
    let mut windows = Vec::new();
    let mut window_start = from;
    while window_start <= to {
        let window_end = window_start.saturating_add(::time::Duration::days(365)).min(to);
        windows.push((window_start, window_end));
        window_start = window_end.saturating_add(::time::Duration::days(1));
    }
    for v in volunteers {
        for (a, b) in &windows {
            let mut request = ctx.peers.request(ListLeaveRequest {
                employee_id: v.employee_id.clone(),
                from: time::format_date(*a),
                to: time::format_date(*b),
            })?;
            request.set_timeout(DEADLINE);
            let answer = client.list_leave(request).await.map_err(|s| peer(&s))?.into_inner();
            for r in answer.requests.into_iter().filter(|r| r.status == "approved" || r.status == "pending") {
                if let (Ok(s), Ok(e)) = (time::parse_date("start", &r.start_date), time::parse_date("end", &r.end_date))
                {
                    out.push((v.employee_id.clone(), s, e));
                }
            }
        }
    }
    Ok(out)
}

/// Matches the named hires: checks consent on both sides (refusing for hires without it, leaving
/// out volunteers who withdrew it), reads leave, assigns, stores and emits each match.
pub async fn match_hires(
    ctx: &ServiceContext,
    req: &pb::MatchBuddiesRequest,
    locale: Locale,
) -> Result<pb::MatchBuddiesResponse, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    let mut hires = Vec::new();
    for id in &req.employee_ids {
        let h = crate::plan::require(&mut conn, id).await?;
        let profile = req.profiles.get(id).cloned().unwrap_or_default();
        let set = |l: &[String]| l.iter().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
        hires.push(Hire {
            employee_id: id.clone(),
            start: h.start(),
            location: h.location.clone(),
            language: h.language.clone(),
            manager_id: h.manager_id.clone(),
            skills: set(&profile.skills),
            interests: set(&profile.interests),
        });
    }
    let mut missing = Vec::new();
    for h in &hires {
        if !ctx.consent.check(&h.employee_id, purposes::BUDDY_MATCHING).await?.0 {
            missing.push(h.employee_id.clone());
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::FailedPrecondition(format!(
            "no consent for purpose {p} from {who} / geen toestemming voor {p} van {who} / keine Einwilligung für {p} von {who}",
            p = purposes::BUDDY_MATCHING,
            who = missing.join(", ")
        )));
    }
    let all: Vec<Volunteer> = sqlx::query_as(
        "SELECT employee_id, capacity, location, language, manager_id, since, skills, interests FROM buddy_volunteers
         WHERE volunteer = 1 ORDER BY employee_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let mut volunteers = Vec::with_capacity(all.len());
    for v in all {
        if ctx.consent.check(&v.employee_id, purposes::BUDDY_MATCHING).await?.0 {
            volunteers.push(v);
        }
    }
    let (from, to) = match (hires.iter().map(|h| h.start).min(), hires.iter().map(|h| h.start).max()) {
        (Some(a), Some(b)) => (a, b.saturating_add(::time::Duration::days(FIRST_WEEKS_DAYS))),
        _ => return Ok(pb::MatchBuddiesResponse::default()),
    };
    let leave = leave_of(ctx, &volunteers, from, to).await?;
    let away = |h: &Hire, v: &Volunteer| {
        let end = h.start.saturating_add(::time::Duration::days(FIRST_WEEKS_DAYS));
        leave.iter().any(|(who, s, e)| *who == v.employee_id && *s <= end && *e >= h.start)
    };
    let (matched, unmatched) = assign(&hires, &volunteers, away);
    let mut tx = ctx.db.begin().await?;
    for p in &matched {
        store(&mut tx, ctx, &p.hire, &p.buddy, p.score, &p.reasons, "", "").await?;
    }
    ctx.commit(tx).await?;
    let i = locale.index();
    Ok(pb::MatchBuddiesResponse {
        total_score: matched.iter().map(|p| p.score).sum(),
        matches: matched
            .into_iter()
            .map(|p| pb::BuddyMatch {
                employee_id: p.hire,
                buddy_id: p.buddy,
                score: p.score,
                reasons: p.reasons.iter().map(|r| r[i].clone()).collect(),
                overridden_by: String::new(),
                override_reason: String::new(),
            })
            .collect(),
        unmatched: unmatched.into_iter().map(|(id, w)| format!("{id}: {}", w[i])).collect(),
    })
}

#[allow(clippy::too_many_arguments)]
async fn store(
    conn: &mut AnyConnection,
    ctx: &ServiceContext,
    hire: &str,
    buddy: &str,
    score: f64,
    reasons: &[Why],
    overridden_by: &str,
    override_reason: &str,
) -> Result<(), ApiError> {
    let reasons_json = serde_json::to_string(reasons).map_err(|e| ApiError::Internal(e.into()))?;
    sqlx::query(
        "INSERT INTO buddy_matches (employee_id, buddy_id, score, reasons, overridden_by, override_reason, matched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (employee_id) DO UPDATE SET buddy_id = $2, score = $3, reasons = $4, overridden_by = $5,
         override_reason = $6, matched_at = $7",
    )
    .bind(hire)
    .bind(buddy)
    .bind(score)
    .bind(reasons_json)
    .bind(overridden_by)
    .bind(override_reason)
    .bind(time::now_ms())
    .execute(&mut *conn)
    .await?;
    let event = BuddyMatched { score, overridden: !overridden_by.is_empty() };
    let envelope = ctx.events.envelope(hire, purposes::BUDDY_MATCHING, &event);
    outbox::enqueue(conn, &raw_topic(crate::NAME), &envelope).await?;
    Ok(())
}

/// HR chooses the buddy by hand, with a reason; both need consent.
pub async fn override_match(
    ctx: &ServiceContext,
    hr: &str,
    hire: &str,
    buddy: &str,
    reason: &str,
) -> Result<pb::BuddyMatch, ApiError> {
    let mut conn = ctx.db.pool().acquire().await?;
    crate::plan::require(&mut conn, hire).await?;
    drop(conn);
    for who in [hire, buddy] {
        ctx.consent.require(who, purposes::BUDDY_MATCHING).await?;
    }
    let reasons = vec![why(
        format!("Chosen by HR ({hr}): {reason}"),
        format!("Gekozen door HR ({hr}): {reason}"),
        format!("Von HR gewählt ({hr}): {reason}"),
    )];
    let mut tx = ctx.db.begin().await?;
    store(&mut tx, ctx, hire, buddy, 0.0, &reasons, hr, reason).await?;
    ctx.commit(tx).await?;
    Ok(pb::BuddyMatch {
        employee_id: hire.to_owned(),
        buddy_id: buddy.to_owned(),
        score: 0.0,
        reasons: vec![reasons[0][0].clone()],
        overridden_by: hr.to_owned(),
        override_reason: reason.to_owned(),
    })
}

#[derive(sqlx::FromRow)]
struct MatchRow {
    buddy_id: String,
    score: f64,
    reasons: String,
    overridden_by: String,
    override_reason: String,
}

/// The hire's buddy with the reasons in `locale`, if matched.
pub async fn current(conn: &mut AnyConnection, hire: &str, locale: Locale) -> Result<Option<pb::BuddyMatch>, ApiError> {
    let row: Option<MatchRow> = sqlx::query_as(
        "SELECT buddy_id, score, reasons, overridden_by, override_reason FROM buddy_matches WHERE employee_id = $1",
    )
    .bind(hire)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| {
        let reasons: Vec<Why> = serde_json::from_str(&r.reasons).unwrap_or_default();
        pb::BuddyMatch {
            employee_id: hire.to_owned(),
            buddy_id: r.buddy_id,
            score: r.score,
            reasons: reasons.into_iter().map(|w| w[locale.index()].clone()).collect(),
            overridden_by: r.overridden_by,
            override_reason: r.override_reason,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hire(id: &str, manager: &str) -> Hire {
        Hire {
            employee_id: id.into(),
            start: time::parse_date("s", "2027-01-04").expect("date"),
            location: "NL".into(),
            language: "nl".into(),
            manager_id: manager.into(),
            skills: ["rust".to_owned()].into(),
            interests: ["cycling".to_owned()].into(),
        }
    }

    fn volunteer(id: &str, manager: &str, since: &str, location: &str, capacity: i64) -> Volunteer {
        Volunteer {
            employee_id: id.into(),
            capacity,
            location: location.into(),
            language: "nl".into(),
            manager_id: manager.into(),
            since: since.into(),
            skills: "rust,sql".into(),
            interests: "cycling".into(),
        }
    }

    #[test]
    fn every_point_of_the_score_has_its_reason() {
        let Fit::Eligible { score, reasons } =
            fit(&hire("h", "m1"), &volunteer("v", "m2", "2020-01-01", "NL", 1), false)
        else {
            panic!("eligible")
        };
        assert_eq!(score, 25.0 + 15.0 + 5.0 + 5.0 + 15.0 + 15.0);
        assert_eq!(reasons.len(), 6);
        assert!(reasons[0][1].contains("zelfde locatie"), "{reasons:?}");
    }

    #[test]
    fn newcomers_and_people_on_leave_are_not_buddies() {
        assert!(matches!(fit(&hire("h", "m"), &volunteer("v", "x", "2026-06-01", "NL", 1), false), Fit::Excluded(_)));
        assert!(matches!(fit(&hire("h", "m"), &volunteer("v", "x", "2020-01-01", "NL", 1), true), Fit::Excluded(_)));
        assert!(matches!(fit(&hire("h", "v"), &volunteer("v", "x", "2020-01-01", "NL", 1), false), Fit::Excluded(_)));
    }

    #[test]
    fn capacity_offers_places_and_spreads_hires() {
        let hires = vec![hire("h1", "m"), hire("h2", "m"), hire("h3", "m")];
        let volunteers = vec![volunteer("a", "x", "2020-01-01", "NL", 2), volunteer("b", "m", "2020-01-01", "NL", 1)];
        let (matched, unmatched) = assign(&hires, &volunteers, |_, _| false);
        assert_eq!(matched.len(), 3);
        assert!(unmatched.is_empty());
        assert_eq!(matched.iter().filter(|p| p.buddy == "a").count(), 2);
        let (one, rest) = assign(&hires, &volunteers[1..], |_, _| false);
        assert_eq!((one.len(), rest.len()), (1, 2));
    }
}
