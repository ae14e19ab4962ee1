//! The pure core of pipeline-core: entities, value objects, state machines, the micro-action
//! registry, the local detector and the ports adapters implement.
//!
//! Nothing here performs IO; CI checks with `cargo tree` that no IO crate is a dependency.

pub mod actions;
pub mod auth;
pub mod catalogue;
pub mod detect;
pub mod directory;
pub mod identity;
pub mod ids;
pub mod maintenance;
pub mod members;
pub mod membership;
pub mod password;
pub mod store;
pub mod tenancy;
pub mod yacht;

#[cfg(test)]
mod testkit;
