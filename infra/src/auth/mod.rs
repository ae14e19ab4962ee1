//! Authentication adapters: password hashing, token minting and verification, and the
//! master-database store behind sign-in.

pub mod passwords;
pub mod store;
pub mod tokens;
