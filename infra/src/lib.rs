//! Adapters of pipeline-core: PostgreSQL connections and stores, the master and tenant
//! migrators, and (in later modules) the tenant router and external clients.

pub mod auth;
pub mod master;
pub mod migrate;
pub mod postgres;
pub mod tenant;
