//! The HTTP API, the command line and the composition root of pipeline-core.

pub mod actions;
pub mod application;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod dto;
pub mod error;
pub mod extract;
pub mod http;
pub mod mutation;
pub mod openapi;
pub mod routes;
pub mod scheduler;
pub mod search;
pub mod shared_store;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod validation;
