//! PATCH bodies: a field may be absent (leave it), `null` (clear it) or a value.

use serde::{Deserialize, Deserializer};

/// Use as `#[serde(default, deserialize_with = "double_option")]` on an `Option<Option<T>>`:
/// absent stays `None`, `null` becomes `Some(None)`.
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
