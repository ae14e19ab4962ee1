//! Optimistic concurrency: every versioned record has an `ETag` of its version; a write with
//! `If-Match` applies only to that version.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};

use pms_domain::maintenance::ExpectedVersion;

use crate::error::{ApiError, ErrorCode};

/// The ETag of a record version: `"7"`.
pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// The versions a write accepts, from `If-Match` (RFC 9110 §13.1.1): any when absent or `*`,
/// else one of the listed entity tags. The comparison is strong, so a weak tag (`W/"3"`) matches
/// no version, and a tag this API never issues is a 412 as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfMatch(pub ExpectedVersion);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut values = parts.headers.get_all(header::IF_MATCH).iter().peekable();
        if values.peek().is_none() {
            return Ok(Self(ExpectedVersion::ANY));
        }
        let mut tags = Vec::new();
        for value in values {
            let text = value.to_str().map_err(|_| unparsable())?;
            tags.extend(text.split(',').map(str::trim).filter(|tag| !tag.is_empty()));
        }
        if tags == ["*"] {
            return Ok(Self(ExpectedVersion::ANY));
        }
        let mut versions = Vec::with_capacity(tags.len());
        for tag in tags {
            let opaque = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).filter(|t| !t.contains('"'));
            match opaque {
                // Ours: a positive version number, as `etag` writes it.
                Some(version) if version.bytes().all(|b| b.is_ascii_digit()) && !version.starts_with('0') => {
                    versions.extend(version.parse::<i32>().ok());
                }
                // Weak, or someone else's: well-formed, but it can never match.
                Some(_) => {}
                None if tag
                    .strip_prefix("W/\"")
                    .and_then(|t| t.strip_suffix('"'))
                    .is_some_and(|t| !t.contains('"')) => {}
                None => return Err(unparsable()),
            }
        }
        Ok(Self(ExpectedVersion::any_of(versions)))
    }
}

fn unparsable() -> ApiError {
    ApiError::new(
        ErrorCode::PreconditionFailed,
        "If-Match must be `*` or a list of ETags returned by this API, like \"3\".",
    )
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    async fn parse(values: &[&str]) -> Result<ExpectedVersion, ApiError> {
        let mut request = Request::builder();
        for value in values {
            request = request.header(header::IF_MATCH, *value);
        }
        let (mut parts, ()) = request.body(()).expect("request").into_parts();
        IfMatch::from_request_parts(&mut parts, &()).await.map(|IfMatch(expected)| expected)
    }

    #[tokio::test]
    async fn if_match_takes_lists_and_compares_strongly() {
        assert_eq!(parse(&[]).await.expect("absent"), ExpectedVersion::ANY);
        assert_eq!(parse(&["*"]).await.expect("any"), ExpectedVersion::ANY);
        let listed = parse(&["\"2\", \"3\""]).await.expect("a list");
        assert!(listed.check(2).is_ok() && listed.check(3).is_ok() && listed.check(4).is_err());
        let split = parse(&["\"2\"", "\"5\""]).await.expect("two headers");
        assert!(split.check(5).is_ok());
        for never in [&["W/\"3\""][..], &["\"03\""], &["\"abc\""], &["W/\"3\", \"x\""]] {
            let expected = parse(never).await.expect("well-formed");
            assert!((0..10).all(|v| expected.check(v).is_err()), "{never:?} matched");
        }
        for bad in ["3", "\"3", "W/3", "\"3\" \"4\""] {
            assert!(parse(&[bad]).await.is_err(), "{bad}");
        }
    }
}
