//! HTTP plumbing shared by every route: request ids, the per-request span and metrics, the
//! deadline, the problem+json safety net and our own JSON extractor.

mod complete;
pub mod cursor;
pub mod dates;
pub mod headers;
pub mod idempotency;
pub mod json;
pub mod layers;
pub mod patch;
pub mod path;
pub mod precondition;
pub mod problem;
pub mod query;
pub mod rate_limit;
pub mod request_context;
pub mod request_id;
pub mod server;

#[cfg(test)]
mod tests;
