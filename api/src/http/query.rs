//! `ApiQuery<T>`: query-string parameters whose rejection is a 422 problem naming the problem.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::validation::Validation;

#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // PostgreSQL text cannot hold NUL; no parameter needs one.
        if parts.uri.query().is_some_and(|q| q.to_ascii_lowercase().contains("%00")) {
            return Err(ApiError::field("query", "invalid", "parameters may not contain NUL characters".to_owned()));
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|rejection| ApiError::field("query", "invalid", rejection.body_text()))
    }
}

/// A comma-separated list of closed-set values (`status=failed,degraded`); each unknown value is
/// recorded as a field error.
pub fn comma_list<T>(v: &mut Validation, field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .filter_map(|item| v.check(field, "invalid", parse(item).ok_or_else(|| format!("unknown value {item:?}"))))
        .collect()
}
