//! Keyset pagination: a page of items and the cursor that continues after the last one.

use uuid::Uuid;

pub use crate::store::InvalidCursor;

/// Largest page a client may ask for.
pub const MAX_LIMIT: u32 = 100;
/// Page size when the client does not say.
pub const DEFAULT_LIMIT: u32 = 25;

/// The sort value of the last item of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum SortValue {
    Text(String),
    Time(chrono::DateTime<chrono::Utc>),
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

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}
