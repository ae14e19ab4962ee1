//! Reaching a yacht's tenant database: configured servers, the pool router with its connection
//! budget, and transactions confined to one yacht by row-level security.

pub mod audit;
pub mod equipment;
pub mod executions;
pub mod fault;
pub mod idempotency;
pub mod notes;
mod paging;
pub mod part;
pub mod pool;
pub mod purchase;
pub mod router;
pub mod schedule;
pub mod search;
pub mod search_log;
pub mod servers;
pub mod store;
pub mod tx;
pub mod views;
pub mod work_order;
