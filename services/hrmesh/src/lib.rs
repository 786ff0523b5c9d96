//! The all-in-one hrmesh process: which services exist and how to start them.

use hrmesh_kit::service::ServiceDef;

/// Every hrmesh service, in the registry's order (`hrmesh_proto::registry::SERVICES`).
pub fn all_services() -> Vec<ServiceDef> {
    vec![
        hrmesh_governance::definition(),
        hrmesh_people::definition(),
        hrmesh_recruiting::definition(),
        hrmesh_onboarding::definition(),
        hrmesh_analytics::definition(),
        hrmesh_engagement::definition(),
        hrmesh_skills::definition(),
        hrmesh_performance::definition(),
        hrmesh_selfservice::definition(),
    ]
}

/// The service called `name`, or a message listing the valid names.
pub fn service(name: &str) -> Result<ServiceDef, String> {
    all_services().into_iter().find(|d| d.name == name).ok_or_else(|| {
        let names: Vec<&str> = all_services().iter().map(|d| d.name).collect();
        format!("unknown service {name:?}: choose one of {}", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_registered_service_has_a_crate_in_registry_order() {
        let names: Vec<&str> = super::all_services().iter().map(|d| d.name).collect();
        assert_eq!(names, hrmesh_proto::registry::SERVICES);
    }

    #[test]
    fn purposes_services_use_are_registered_with_the_retention_they_sweep() {
        use hrmesh_governance::purposes::find;
        for id in hrmesh_people::purposes::ALL {
            assert!(find(id).is_some_and(|p| p.service == "people"), "{id} is not in governance's registry");
        }
        for rule in hrmesh_people::RETENTION.iter().filter(|r| r.days > 0) {
            let purpose = find(rule.purpose).expect("registered");
            assert_eq!(purpose.retention_days, rule.days, "{} of {}", rule.kind, rule.purpose);
        }
        for id in hrmesh_engagement::purposes::ALL {
            assert!(find(id).is_some_and(|p| p.service == "engagement"), "{id} is not in governance's registry");
        }
        for rule in hrmesh_engagement::RETENTION {
            let purpose = find(rule.purpose).expect("registered");
            assert_eq!(purpose.retention_days, rule.days, "{} of {}", rule.kind, rule.purpose);
        }
        for id in hrmesh_onboarding::purposes::ALL {
            assert!(find(id).is_some_and(|p| p.service == "onboarding"), "{id} is not in governance's registry");
        }
        for rule in hrmesh_onboarding::RETENTION {
            let purpose = find(rule.purpose).expect("registered");
            assert_eq!(purpose.retention_days, rule.days, "{} of {}", rule.kind, rule.purpose);
        }
        for id in hrmesh_performance::purposes::ALL {
            assert!(find(id).is_some_and(|p| p.service == "performance"), "{id} is not in governance's registry");
        }
        for rule in hrmesh_performance::retention_rules().iter().filter(|r| r.days > 0) {
            let purpose = find(rule.purpose).expect("registered");
            assert_eq!(purpose.retention_days, rule.days, "{} of {}", rule.kind, rule.purpose);
        }
    }
}
