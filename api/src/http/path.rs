//! Path parameters. Every `…_id` segment must be a UUID in its hyphenated form (braced, `urn:`
//! and unhyphenated forms are refused, so one record has one URL), else 422 naming the segment;
//! `ApiPath<T>`'s other rejections are 404 (nothing can exist at such a path).

use axum::extract::{FromRequestParts, Path, RawPathParams};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, FieldError};

#[derive(Debug, Clone, Copy)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Ok(params) = RawPathParams::from_request_parts(parts, state).await {
            check_ids(&params)?;
        }
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|_| ApiError::new(ErrorCode::NotFound, "Nothing exists at this path."))
    }
}

/// `raw` as a UUID if it is in the hyphenated form (`8-4-4-4-12` hex digits, either case).
pub fn strict_uuid(raw: &str) -> Option<Uuid> {
    let hyphenated = raw.len() == 36
        && raw
            .bytes()
            .enumerate()
            .all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() });
    hyphenated.then(|| Uuid::parse_str(raw).ok()).flatten()
}

/// Every `…_id` path parameter is a hyphenated UUID, or a 422 listing those that are not.
pub fn check_ids(params: &RawPathParams) -> Result<(), ApiError> {
    let errors: Vec<FieldError> = params
        .iter()
        .filter(|(name, value)| name.ends_with("_id") && strict_uuid(value).is_none())
        .map(|(name, _)| FieldError {
            field: name.to_owned(),
            code: "invalid_format".to_owned(),
            message: "must be a UUID like 0193a5f2-0000-7000-8000-00000000a001".to_owned(),
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(ApiError::validation(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hyphenated_form_is_an_id() {
        let id = "0193a5f2-0000-7000-8000-00000000a001";
        assert!(strict_uuid(id).is_some());
        assert!(strict_uuid(&id.to_uppercase()).is_some());
        for other in [
            "0193a5f200007000800000000000a001",
            "{0193a5f2-0000-7000-8000-00000000a001}",
            "urn:uuid:0193a5f2-0000-7000-8000-00000000a001",
            "0193a5f2-0000-7000-8000-00000000a00g",
            "0193a5f2-0000-7000-8000-00000000a0011",
            "1 OR 1=1",
            "",
        ] {
            assert!(strict_uuid(other).is_none(), "{other}");
        }
    }
}
