//! Small-group protection: every aggregate about people goes through [`release`]. An aggregate
//! over fewer than [`MIN_GROUP_SIZE`] people is suppressed, and one whose members differ from an
//! aggregate already released to the same audience by 1 to 4 people is refused, because
//! subtracting the two would reveal that small group (differencing).
//!
//! Released member sets are kept (as salted hashes, never ids) in `_hrmesh_released_groups`.

use std::collections::BTreeSet;

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

/// Decides whether an aggregate over `members` may be released to `audience` (e.g.
/// `analytics:funnel`), and records it if so.
pub async fn release(
    conn: &mut AnyConnection,
    audience: &str,
    members: &BTreeSet<String>,
) -> Result<Release, sqlx::Error> {
    if members.len() < MIN_GROUP_SIZE {
        return Ok(Release::TooSmall { size: members.len() });
    }
    let hashed: BTreeSet<String> = members.iter().map(|m| member_hash(audience, m)).collect();
    let listed = hashed.iter().cloned().collect::<Vec<_>>().join(",");
    let fingerprint = hex::encode(Sha256::digest(listed.as_bytes()));
    let earlier = sqlx::query("SELECT fingerprint, members FROM _hrmesh_released_groups WHERE audience = $1")
        .bind(audience)
        .fetch_all(&mut *conn)
        .await?;
    for row in &earlier {
        if row.try_get::<String, _>(0)? == fingerprint {
            return Ok(Release::Allowed);
        }
        let other: BTreeSet<String> =
            row.try_get::<String, _>(1)?.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let difference = hashed.symmetric_difference(&other).count();
        if difference < MIN_GROUP_SIZE {
            return Ok(Release::Differencing { difference });
        }
    }
    sqlx::query(
        "INSERT INTO _hrmesh_released_groups (audience, fingerprint, members, released_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (audience, fingerprint) DO NOTHING",
    )
    .bind(audience)
    .bind(fingerprint)
    .bind(listed)
    .bind(crate::time::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(Release::Allowed)
}
