//! Generated protobuf types and gRPC stubs for hrmesh.

#![allow(missing_docs, clippy::all, clippy::pedantic, unused_qualifications)]

/// Encoded `FileDescriptorSet` of every hrmesh proto, served by gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/hrmesh_descriptor.bin"));

macro_rules! package {
    ($name:ident, $file:literal) => {
        pub mod $name {
            pub mod v1 {
                include!(concat!(env!("OUT_DIR"), "/", $file, ".rs"));
            }
        }
    };
}

package!(events, "hrmesh.events.v1");
package!(people, "hrmesh.people.v1");
package!(recruiting, "hrmesh.recruiting.v1");
package!(onboarding, "hrmesh.onboarding.v1");
package!(analytics, "hrmesh.analytics.v1");
package!(engagement, "hrmesh.engagement.v1");
package!(skills, "hrmesh.skills.v1");
package!(performance, "hrmesh.performance.v1");
package!(selfservice, "hrmesh.selfservice.v1");
package!(governance, "hrmesh.governance.v1");
package!(privacy, "hrmesh.privacy.v1");

/// The one service registry: every hrmesh service by name, in start order (governance first: it
/// consumes every other service's raw stream). The binary maps each name to its crate, and tests
/// check the scripts, the Helm chart and the proto packages against this list.
pub mod registry {
    /// The governance service: it reads every raw stream and publishes the governed ones.
    pub const GOVERNANCE: &str = "governance";

    /// Every service.
    pub const SERVICES: [&str; 9] = [
        GOVERNANCE,
        "people",
        "recruiting",
        "onboarding",
        "analytics",
        "engagement",
        "skills",
        "performance",
        "selfservice",
    ];

    /// Services that publish domain events on a raw topic `hr.<name>.v1` for governance.
    pub fn domain_services() -> impl Iterator<Item = &'static str> {
        SERVICES.iter().copied().filter(|s| *s != GOVERNANCE)
    }
}

/// Words the services share on the wire, parsed once at the edge into types.
pub mod vocabulary {
    use std::fmt;

    /// Where an application stands. The wire carries the lowercase names (`StageChanged.stage`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Stage {
        Applied,
        Screened,
        Interview,
        Offer,
        Hired,
        /// Ends an application at any point.
        Rejected,
    }

    impl Stage {
        /// The stages an application moves through, in order (`Rejected` is not one of them).
        pub const PIPELINE: [Stage; 5] =
            [Stage::Applied, Stage::Screened, Stage::Interview, Stage::Offer, Stage::Hired];

        /// The wire name.
        pub fn as_str(self) -> &'static str {
            match self {
                Stage::Applied => "applied",
                Stage::Screened => "screened",
                Stage::Interview => "interview",
                Stage::Offer => "offer",
                Stage::Hired => "hired",
                Stage::Rejected => "rejected",
            }
        }

        /// Parses a wire name.
        pub fn parse(value: &str) -> Option<Stage> {
            Self::PIPELINE.into_iter().chain([Stage::Rejected]).find(|s| s.as_str() == value.trim())
        }

        /// Position in [`Stage::PIPELINE`]; `None` for `Rejected`.
        pub fn rank(self) -> Option<usize> {
            Self::PIPELINE.iter().position(|s| *s == self)
        }

        /// Whether nothing can follow (hired or rejected).
        pub fn is_final(self) -> bool {
            matches!(self, Stage::Hired | Stage::Rejected)
        }
    }

    impl fmt::Display for Stage {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.as_str())
        }
    }
}
