//! Keyset pagination: a page of items and the cursor that continues after the last one.

use uuid::Uuid;

use crate::auth::Timestamp;
use crate::store::StoreError;

/// Largest page a client may ask for.
pub const MAX_LIMIT: u32 = 100;
/// Page size when the client does not say.
pub const DEFAULT_LIMIT: u32 = 25;

/// The sort value of the last item of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Text(String),
    Time(Timestamp),
    Date(chrono::NaiveDate),
    Integer(i64),
}

/// Where the next page starts: after this sort value and id, under this sort.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub sort: String,
    pub value: SortValue,
    pub id: Uuid,
}

/// What the client asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// Clamps `limit` into `1..=MAX_LIMIT` (the API refuses out-of-range limits before this).
    pub fn new(limit: Option<u32>, after: Option<Cursor>) -> Self {
        Self { limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT), after }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// A cursor that does not belong to the list, sort or filters it was sent with. Cursors are
/// signed by the API, so this means a bug or a cursor from an older version: the client starts
/// the list again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cursor does not belong to this list and sort")]
pub struct InvalidCursor;

impl From<InvalidCursor> for StoreError {
    fn from(invalid: InvalidCursor) -> Self {
        Self::new(invalid)
    }
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}
