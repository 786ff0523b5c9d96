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
