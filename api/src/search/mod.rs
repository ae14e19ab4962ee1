//! The search bar: detection (local rules or an OpenAI-compatible model), entity resolution,
//! prefilled payloads and full-text search over the yacht's records.

pub mod command;
pub mod mentions;
