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
package!(recruiting, "hrmesh.recruiting.v1");
package!(onboarding, "hrmesh.onboarding.v1");
package!(analytics, "hrmesh.analytics.v1");
package!(engagement, "hrmesh.engagement.v1");
package!(skills, "hrmesh.skills.v1");
package!(performance, "hrmesh.performance.v1");
package!(selfservice, "hrmesh.selfservice.v1");
package!(governance, "hrmesh.governance.v1");
package!(privacy, "hrmesh.privacy.v1");
