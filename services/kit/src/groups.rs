//! Small-group protection: every aggregate about people goes through [`release`]. An aggregate
//! over fewer than [`MIN_GROUP_SIZE`] people is suppressed. Differencing is refused: an answer is
//! withheld when it and the latest answer to *another* query of the same audience lie one inside
//! the other and differ by 1 to 4 people, because subtracting the two would describe that small
//! group. Growth is not differencing: answers to the same query over time (a total that grows
//! with each application) stay visible, each replacing the query's previous answer, and people
//! who entered the data after another query's answer was released are left out when comparing
//! with it.
//!
//! Released member sets are kept (as salted hashes, never ids) in `_hrmesh_released_groups`.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

/// The smallest group an aggregate may describe.
pub const MIN_GROUP_SIZE: usize = 5;

/// Whether an aggregate may be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    Allowed,
    /// Fewer than [`MIN_GROUP_SIZE`] people.
    TooSmall {
        size: usize,
    },
    /// Differs from an earlier released aggregate by fewer than [`MIN_GROUP_SIZE`] people.
    Differencing {
        difference: usize,
    },
}

impl Release {
    pub fn is_allowed(&self) -> bool {
        *self == Release::Allowed
    }

    /// Why the aggregate is withheld, for the caller (English, Dutch, German).
    pub fn reason(&self) -> Option<String> {
        match self {
            Release::Allowed => None,
            Release::TooSmall { .. } => Some(format!(
                "group smaller than {MIN_GROUP_SIZE} people is not shown / groep kleiner dan {MIN_GROUP_SIZE} personen \
                 wordt niet getoond / Gruppe mit weniger als {MIN_GROUP_SIZE} Personen wird nicht angezeigt"
            )),
            Release::Differencing { .. } => Some(format!(
                "refused: together with an earlier result this would reveal fewer than {MIN_GROUP_SIZE} people / \
                 geweigerd: samen met een eerder resultaat zou dit minder dan {MIN_GROUP_SIZE} personen onthullen / \
                 abgelehnt: zusammen mit einem früheren Ergebnis würden weniger als {MIN_GROUP_SIZE} Personen erkennbar"
            )),
        }
    }
}

fn member_hash(audience: &str, member: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update((audience.len() as u64).to_be_bytes());
    hasher.update(audience.as_bytes());
    hasher.update(member.as_bytes());
    hex::encode(&hasher.finalize()[..12])
}

/// Whether two member sets, one inside the other, differ by a group too small to show.
fn isolates_small_group(new: &BTreeSet<String>, old: &BTreeSet<String>) -> Option<usize> {
    let only_new = new.difference(old).count();
    let only_old = old.difference(new).count();
    let difference = match (only_new, only_old) {
        (0, d) | (d, 0) => d,
        _ => return None, // overlapping sets: the difference of the counts isolates no one
    };
    (1..MIN_GROUP_SIZE).contains(&difference).then_some(difference)
}

/// Decides whether an aggregate over `members` (each with when they entered the data, Unix ms),
/// answering `query` (e.g. `total`, `job:42`), may be released to `audience` (e.g.
/// `analytics.funnel`), and records it if so.
pub async fn release(
    conn: &mut AnyConnection,
    audience: &str,
    query: &str,
    members: &BTreeMap<String, i64>,
) -> Result<Release, sqlx::Error> {
    if members.len() < MIN_GROUP_SIZE {
        return Ok(Release::TooSmall { size: members.len() });
    }
    let hashed: BTreeMap<String, i64> = members.iter().map(|(m, since)| (member_hash(audience, m), *since)).collect();
    let listed = hashed.keys().cloned().collect::<Vec<_>>().join(",");
    let fingerprint = hex::encode(Sha256::digest(listed.as_bytes()));
    let earlier =
        sqlx::query("SELECT members, released_at FROM _hrmesh_released_groups WHERE audience = $1 AND query <> $2")
            .bind(audience)
            .bind(query)
            .fetch_all(&mut *conn)
            .await?;
    for row in &earlier {
        let other: BTreeSet<String> =
            row.try_get::<String, _>(0)?.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let released_at: i64 = row.try_get(1)?;
        // Who was in the data when the other answer was given; later arrivals are growth.
        let then: BTreeSet<String> =
            hashed.iter().filter(|(_, since)| **since <= released_at).map(|(m, _)| m.clone()).collect();
        if let Some(difference) = isolates_small_group(&then, &other) {
            return Ok(Release::Differencing { difference });
        }
    }
    // The query's previous answer is superseded: later answers are compared with this one.
    sqlx::query("DELETE FROM _hrmesh_released_groups WHERE audience = $1 AND (query = $2 OR fingerprint = $3)")
        .bind(audience)
        .bind(query)
        .bind(&fingerprint)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO _hrmesh_released_groups (audience, fingerprint, members, released_at, query)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(audience)
    .bind(fingerprint)
    .bind(listed)
    .bind(crate::time::now_ms())
    .bind(query)
    .execute(&mut *conn)
    .await?;
    Ok(Release::Allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u32>) -> BTreeSet<String> {
        range.map(|i| format!("p{i}")).collect()
    }

    /// Members `range` who entered the data at time `since`.
    fn joined(range: std::ops::Range<u32>, since: i64) -> BTreeMap<String, i64> {
        range.map(|i| (format!("p{i}"), since)).collect()
    }

    #[test]
    fn only_a_near_subset_isolates_a_small_group() {
        assert_eq!(isolates_small_group(&set(0..60), &set(0..58)), Some(2), "all vs all-but-two");
        assert_eq!(isolates_small_group(&set(0..58), &set(0..60)), Some(2));
        assert_eq!(isolates_small_group(&set(0..60), &set(0..55)), None, "five or more is a group");
        assert_eq!(isolates_small_group(&set(0..10), &set(8..20)), None, "overlap isolates no one");
        assert_eq!(isolates_small_group(&set(0..10), &set(0..10)), None, "the same group");
    }

    async fn memory() -> AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = AnyConnection::connect("sqlite::memory:").await.expect("sqlite");
        sqlx::raw_sql(include_str!("../migrations/0002_person_keys.sql")).execute(&mut conn).await.expect("schema");
        sqlx::raw_sql(include_str!("../migrations/0003_released_group_queries.sql"))
            .execute(&mut conn)
            .await
            .expect("schema");
        conn
    }

    #[tokio::test]
    async fn growing_totals_stay_visible_and_differencing_is_refused() {
        let mut conn = memory().await;
        let allowed = |r: Result<Release, sqlx::Error>| r.expect("db").is_allowed();
        assert!(allowed(release(&mut conn, "a", "total", &joined(0..60, 0)).await));
        assert!(allowed(release(&mut conn, "a", "job:1", &joined(0..60, 0)).await), "one job holds everyone");
        // One new application (it entered the data now): both the total and its job stay visible.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let mut grown = joined(0..60, 0);
        grown.insert("p60".into(), crate::time::now_ms());
        assert!(allowed(release(&mut conn, "a", "job:1", &grown).await), "job grows");
        assert!(allowed(release(&mut conn, "a", "total", &grown).await), "total grows");
        // Everyone but three (of the 61), asked as another query, would reveal those three.
        assert_eq!(
            release(&mut conn, "a", "job:2", &joined(0..58, 0)).await.expect("db"),
            Release::Differencing { difference: 3 }
        );
        assert_eq!(
            release(&mut conn, "a", "job:3", &joined(0..4, 0)).await.expect("db"),
            Release::TooSmall { size: 4 }
        );
    }
}
