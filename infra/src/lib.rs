//! Adapters of pipeline-core: PostgreSQL connections and stores, the master and tenant
//! migrators, the tenant router, and the OpenAI-compatible model client.

pub mod auth;
pub mod llm;
pub mod master;
pub mod migrate;
pub mod postgres;
pub mod tenant;
