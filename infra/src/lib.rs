//! Adapters of pipeline-core: PostgreSQL connections and stores, the master and tenant
//! migrators, the tenant router, the OpenAI-compatible model client, and the Redis store that
//! instances share.

pub mod auth;
pub mod llm;
pub mod master;
pub mod migrate;
pub mod postgres;
pub mod shared;
pub mod tenant;
