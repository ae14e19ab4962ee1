//! Reaching a yacht's tenant database: configured servers, the pool router with its connection
//! budget, and transactions confined to one yacht by row-level security.

pub mod router;
pub mod servers;
pub mod store;
