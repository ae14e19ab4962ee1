//! Opaque page cursors: the domain's keyset position as URL-safe base64 JSON, bound to its sort.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pms_domain::maintenance::paging::{Cursor, SortValue};
use serde_json::{Value, json};

use crate::error::{ApiError, FieldError};

/// Encodes a cursor for `next_cursor`.
pub fn encode(cursor: &Cursor) -> String {
    let value = match &cursor.value {
        SortValue::Text(text) => json!(["t", text]),
        SortValue::Time(time) => json!(["d", time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)]),
        SortValue::Date(date) => json!(["D", date.to_string()]),
        SortValue::Number(number) => json!(["n", number]),
    };
    URL_SAFE_NO_PAD.encode(json!([cursor.sort, value, cursor.id]).to_string())
}

fn invalid() -> ApiError {
    ApiError::validation(vec![FieldError {
        field: "cursor".to_owned(),
        code: "invalid".to_owned(),
        message: "must be a next_cursor returned by this list with the same sort".to_owned(),
    }])
}

/// Decodes a client's cursor, which must come from a list with the same `sort`.
pub fn decode(raw: &str, sort: &str) -> Result<Cursor, ApiError> {
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
    let parts: (String, (String, Value), uuid::Uuid) = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    let (cursor_sort, (kind, value), id) = parts;
    if cursor_sort != sort {
        return Err(invalid());
    }
    let value = match (kind.as_str(), value) {
        ("t", Value::String(text)) => SortValue::Text(text),
        ("d", Value::String(time)) => {
            SortValue::Time(chrono::DateTime::parse_from_rfc3339(&time).map_err(|_| invalid())?.to_utc())
        }
        ("D", Value::String(date)) => SortValue::Date(date.parse().map_err(|_| invalid())?),
        ("n", Value::Number(number)) => SortValue::Number(number.as_f64().ok_or_else(invalid)?),
        _ => return Err(invalid()),
    };
    Ok(Cursor { sort: cursor_sort, value, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_sort() {
        let time = chrono::DateTime::parse_from_rfc3339("2026-11-22T08:30:00.123456Z").expect("time").to_utc();
        for value in [SortValue::Text("ME-P".to_owned()), SortValue::Time(time), SortValue::Number(42.0)] {
            let cursor = Cursor { sort: "code".to_owned(), value, id: uuid::Uuid::now_v7() };
            assert_eq!(decode(&encode(&cursor), "code").expect("decodes"), cursor);
            assert!(decode(&encode(&cursor), "name").is_err(), "a cursor of another sort is refused");
        }
        for garbage in ["", "!!!", "bm90IGpzb24", &URL_SAFE_NO_PAD.encode("[\"code\",[\"x\",1],\"nope\"]")] {
            assert!(decode(garbage, "code").is_err(), "{garbage:?}");
        }
    }
}
