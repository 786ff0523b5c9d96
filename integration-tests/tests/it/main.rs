//! hrmesh end-to-end tests: real servers, real PostgreSQL, Redis and a Kafka-protocol broker.

mod analytics;
mod api;
mod audit_tamper;
mod cache;
mod config;
mod delivery;
mod deploy;
mod engagement;
mod esco;
mod flow;
mod governance;
mod helpers;
mod onboarding;
mod people;
mod performance;
mod recruiting;
mod selfservice;
mod services;
mod skills;
mod trust;

/// Generates `<name>::embedded` and `<name>::platform` tests from `async fn name(RunMode)`.
macro_rules! both_modes {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use crate::helpers::RunMode;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn embedded() {
                super::$name(RunMode::Embedded).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn platform() {
                super::$name(RunMode::Platform).await;
            }
        }
    )*};
}
pub(crate) use both_modes;
