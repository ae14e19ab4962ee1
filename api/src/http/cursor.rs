//! Page cursors: the domain's keyset position, signed with a server key and bound to the list
//! request it continues (its path, sort and filters). A client can only hand back a cursor this
//! list gave it for the same request; anything else is 422 `invalid_cursor`.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use pms_domain::maintenance::paging::{Cursor, SortValue};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::error::ApiError;

/// Bytes of the HMAC-SHA256 tag a cursor carries: forging one takes 2^128 guesses.
const TAG_LEN: usize = 16;
/// Longer than any cursor we issue (a sort name, a 200-character text value and an id).
const MAX_CURSOR_LEN: usize = 2048;
/// Query parameters that may change from page to page of one list.
const PAGE_PARAMETERS: [&str; 2] = ["cursor", "limit"];

/// The key cursors are signed with, derived from the token signing secret so every instance
/// sharing that secret accepts the others' cursors.
#[derive(Clone)]
pub struct CursorKey(Hmac<Sha256>);

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

impl CursorKey {
    /// A key of its own for cursors: a leaked cursor tag says nothing about the token key.
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
        mac.update(b"pipeline-core page cursors v1");
        let key = mac.finalize().into_bytes();
        Self(Hmac::new_from_slice(&key).expect("HMAC takes a key of any length"))
    }

    fn tag(&self, scope: &[u8; 32], payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = self.0.clone();
        mac.update(scope);
        mac.update(payload);
        mac
    }
}

/// The cursors of one list request: reads the client's and signs the next, both bound to the
/// request's path and query (but for `cursor` and `limit`).
#[derive(Debug, Clone)]
pub struct Paging {
    key: CursorKey,
    scope: [u8; 32],
}

impl<S: Send + Sync> FromRequestParts<S> for Paging
where
    CursorKey: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::new(CursorKey::from_ref(state), parts.uri.path(), parts.uri.query()))
    }
}

impl Paging {
    pub fn new(key: CursorKey, path: &str, query: Option<&str>) -> Self {
        let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .filter(|(name, _)| !PAGE_PARAMETERS.contains(&name.as_ref()))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        pairs.sort();
        let mut digest = Sha256::new();
        digest.update(path.as_bytes());
        for (name, value) in &pairs {
            // Lengths first, so no two different queries hash the same bytes.
            for part in [name, value] {
                digest.update((part.len() as u64).to_be_bytes());
                digest.update(part.as_bytes());
            }
        }
        Self { key, scope: digest.finalize().into() }
    }

    /// The position the client's cursor names, if it sent one.
    pub fn after(&self, raw: Option<&str>) -> Result<Option<Cursor>, ApiError> {
        raw.map(|raw| self.decode(raw).ok_or_else(ApiError::invalid_cursor)).transpose()
    }

    /// The `next_cursor` of a page.
    pub fn next(&self, cursor: Option<&Cursor>) -> Option<String> {
        cursor.map(|cursor| self.encode(cursor))
    }

    fn encode(&self, cursor: &Cursor) -> String {
        let value = match &cursor.value {
            SortValue::Text(text) => json!(["t", text]),
            SortValue::Time(time) => json!(["d", time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)]),
            SortValue::Date(date) => json!(["D", date.to_string()]),
            SortValue::Integer(number) => json!(["i", number]),
        };
        let payload = json!([cursor.sort, value, cursor.id]).to_string();
        let tag = self.key.tag(&self.scope, payload.as_bytes()).finalize().into_bytes();
        format!("{}.{}", URL_SAFE_NO_PAD.encode(payload), URL_SAFE_NO_PAD.encode(&tag[..TAG_LEN]))
    }

    fn decode(&self, raw: &str) -> Option<Cursor> {
        if raw.len() > MAX_CURSOR_LEN {
            return None;
        }
        let (payload, tag) = raw.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        if tag.len() != TAG_LEN {
            return None;
        }
        self.key.tag(&self.scope, &payload).verify_truncated_left(&tag).ok()?;
        // Signed by us, so well-formed unless the format changed between versions.
        let (sort, (kind, value), id): (String, (String, Value), uuid::Uuid) = serde_json::from_slice(&payload).ok()?;
        let value = match (kind.as_str(), value) {
            ("t", Value::String(text)) => SortValue::Text(text),
            ("d", Value::String(time)) => SortValue::Time(chrono::DateTime::parse_from_rfc3339(&time).ok()?.to_utc()),
            ("D", Value::String(date)) => SortValue::Date(date.parse().ok()?),
            ("i", Value::Number(number)) => SortValue::Integer(number.as_i64()?),
            _ => return None,
        };
        Some(Cursor { sort, value, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(path: &str, query: Option<&str>) -> Paging {
        Paging::new(CursorKey::derive(b"a test secret of at least 32 bytes!"), path, query)
    }

    fn cursors() -> Vec<Cursor> {
        let time = chrono::DateTime::parse_from_rfc3339("2026-11-22T08:30:00.123456Z").expect("time").to_utc();
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        [SortValue::Text("ME-P".to_owned()), SortValue::Time(time), SortValue::Date(date), SortValue::Integer(42)]
            .into_iter()
            .map(|value| Cursor { sort: "code".to_owned(), value, id: uuid::Uuid::now_v7() })
            .collect()
    }

    #[test]
    fn cursors_round_trip_across_pages_of_one_request() {
        let first = paging("/v1/yachts/a/equipment", Some("status=failed&sort=code&limit=5"));
        let later = paging("/v1/yachts/a/equipment", Some("limit=50&sort=code&cursor=x&status=failed"));
        for cursor in cursors() {
            let token = first.next(Some(&cursor)).expect("a cursor");
            assert_eq!(later.after(Some(&token)).expect("accepted"), Some(cursor));
        }
    }

    #[test]
    fn a_cursor_only_continues_the_list_sort_and_filters_it_came_from() {
        let issued = paging("/v1/yachts/a/equipment", Some("status=failed&sort=code"));
        let elsewhere = [
            paging("/v1/yachts/b/equipment", Some("status=failed&sort=code")),
            paging("/v1/yachts/a/parts", Some("status=failed&sort=code")),
            paging("/v1/yachts/a/equipment", Some("status=failed&sort=name")),
            paging("/v1/yachts/a/equipment", Some("status=degraded&sort=code")),
            paging("/v1/yachts/a/equipment", Some("sort=code")),
            paging("/v1/yachts/a/equipment", Some("status=failed&sort=code&q=pump")),
            Paging::new(
                CursorKey::derive(b"another secret of at least 32 bytes"),
                "/v1/yachts/a/equipment",
                Some("status=failed&sort=code"),
            ),
        ];
        for cursor in cursors() {
            let token = issued.next(Some(&cursor)).expect("a cursor");
            for other in &elsewhere {
                assert!(other.after(Some(&token)).is_err(), "{token} accepted with another scope");
            }
        }
    }

    #[test]
    fn tampered_or_made_up_cursors_are_refused() {
        let paging = paging("/v1/yachts/a/schedules", None);
        let token = paging.next(Some(&cursors()[2])).expect("a cursor");
        let (payload, tag) = token.split_once('.').expect("two parts");
        let forged_payload =
            URL_SAFE_NO_PAD.encode(r#"["code",["d","2026-12-03T00:00:00Z"],"00000000-0000-0000-0000-000000000000"]"#);
        let mut flipped = tag.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let refused = [
            String::new(),
            "!!!".to_owned(),
            payload.to_owned(),
            forged_payload.clone(),
            format!("{forged_payload}.{tag}"),
            format!("{payload}.{}", String::from_utf8(flipped).expect("ascii")),
            format!("{payload}.{}", &tag[..tag.len() - 2]),
            format!("{token}{}", "A".repeat(MAX_CURSOR_LEN)),
        ];
        for raw in refused {
            assert!(paging.after(Some(&raw)).is_err(), "{raw:?}");
        }
    }
}
