//! Black-box tests of pipeline-core: one binary, a module per feature.

mod actions;
mod audit;
mod auth;
mod cli;
mod demo;
mod edits;
mod equipment;
mod errors;
mod faults;
mod hostile;
mod members;
mod migrations;
mod notes;
mod openapi;
mod parts;
mod provisioning;
mod rate_limits;
mod render;
mod resilience;
mod schedules;
mod search;
mod search_llm;
mod search_log;
mod system;
mod tenant_router;
mod work_orders;
