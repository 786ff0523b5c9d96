//! Rating gaps between voluntarily reported groups: every approved review's rating reaches
//! governance as a human decision at the `performance_review` stage (rated 3 or higher:
//! "selected"), so governance's adverse-impact monitor — which alone holds the group
//! attributes — compares the share rated well per group, leaves out groups under 5 and alerts
//! HR below four-fifths. This reads that report for HR.

use hrmesh_kit::{ApiError, service::ServiceContext};
use hrmesh_proto::performance::v1::{RatingGap, RatingGaps};

use crate::{remote, reviews::RATING_STAGE};

/// The rating gaps, asked with HR's own credentials.
pub async fn gaps(
    ctx: &ServiceContext,
    authorization: &tonic::metadata::MetadataValue<tonic::metadata::Ascii>,
) -> Result<RatingGaps, ApiError> {
    let report = remote::adverse_impact(ctx, authorization).await?;
    let gaps = report
        .rows
        .iter()
        .filter(|r| r.stage == RATING_STAGE)
        .map(|r| RatingGap {
            attribute: r.attribute.clone(),
            group: r.group.clone(),
            reviewed: r.considered,
            rated_well: r.selected,
            rate: r.selection_rate,
            ratio: r.impact_ratio,
            flagged: r.alert,
        })
        .collect();
    let withheld = report.suppressed_by_stage.get(RATING_STAGE).copied().unwrap_or(0);
    let n = report.minimum_group_size;
    Ok(RatingGaps {
        gaps,
        withheld_groups: withheld,
        minimum_group_size: n,
        note: format!(
            "Share of reviews rated {r} or higher per group, against the best group; below 0.8 is flagged. Groups \
             under {n} people are withheld. / Aandeel beoordelingen van {r} of hoger per groep, vergeleken met de \
             beste groep; onder 0,8 wordt gemarkeerd. Groepen kleiner dan {n} personen worden niet getoond. / Anteil \
             der Beurteilungen mit {r} oder besser je Gruppe, verglichen mit der besten Gruppe; unter 0,8 wird \
             markiert. Gruppen unter {n} Personen werden nicht gezeigt.",
            r = crate::reviews::RATED_WELL
        ),
    })
}
