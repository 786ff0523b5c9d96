//! Shared plumbing of hrmesh services: configuration, telemetry, the error mapping, auth, the
//! gRPC server, storage, the event bus, outbox and consumers. Domain logic lives in the services.

pub mod auth;
pub mod bus;
pub mod cache;
pub mod config;
pub mod consent;
pub mod consumer;
pub mod cpu;
pub mod crypto;
pub mod db;
pub mod directory;
pub mod document;
pub mod error;
pub mod events;
pub mod groups;
pub mod locale;
pub mod outbox;
pub mod peers;
pub mod privacy;
pub mod retention;
pub mod runtime;
pub mod server;
pub mod service;
pub mod telemetry;
pub mod time;

pub use error::{ApiError, FieldViolation, Violations};
