//! The request id: taken from `x-request-id` when the caller sends a sane one, made up otherwise,
//! and available to error rendering through a task-local.

use std::fmt;
use std::sync::Arc;

use axum::http::HeaderValue;

/// The header carrying the request id in both directions.
pub const X_REQUEST_ID: &str = "x-request-id";
/// Longer ids are replaced: they would bloat logs and could be used to smuggle data.
const MAX_LEN: usize = 128;

tokio::task_local! {
    static REQUEST_ID: RequestId;
}

/// Identifies one request in logs, metrics exemplars and error bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(Arc<str>);

impl RequestId {
    /// Keeps the caller's id if it is 1–128 characters of `[A-Za-z0-9._:-]`, else makes a UUIDv7.
    pub fn from_header(header: Option<&HeaderValue>) -> Self {
        header
            .and_then(|value| value.to_str().ok())
            .filter(|id| is_acceptable(id))
            .map_or_else(Self::generate, |id| Self(id.into()))
    }

    fn generate() -> Self {
        Self(uuid::Uuid::now_v7().to_string().into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a header value (always valid: only visible ASCII is kept or generated).
    pub fn header_value(&self) -> HeaderValue {
        HeaderValue::from_str(&self.0).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
    }

    /// Runs `future` with this id visible to [`current_request_id`].
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        REQUEST_ID.scope(self, future).await
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_acceptable(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// The id of the request being handled on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(|id| id.0.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_caller_id_is_kept() {
        let id = RequestId::from_header(Some(&HeaderValue::from_static("client-42.retry:1_a")));
        assert_eq!(id.as_str(), "client-42.retry:1_a");
    }

    #[test]
    fn missing_oversized_or_odd_ids_are_replaced_by_a_uuid() {
        let long = "a".repeat(129);
        for header in [
            None,
            Some(HeaderValue::from_static("")),
            Some(HeaderValue::from_str(&long).expect("ascii")),
            Some(HeaderValue::from_static("has space")),
            Some(HeaderValue::from_static("quote\"d")),
        ] {
            let id = RequestId::from_header(header.as_ref());
            assert!(uuid::Uuid::parse_str(id.as_str()).is_ok(), "{header:?} gave {id}");
        }
    }

    #[tokio::test]
    async fn the_current_id_is_visible_inside_its_scope_only() {
        assert_eq!(current_request_id(), None);
        let id = RequestId::from_header(Some(&HeaderValue::from_static("abc")));
        let seen = id.scope(async { current_request_id() }).await;
        assert_eq!(seen.as_deref(), Some("abc"));
    }
}
