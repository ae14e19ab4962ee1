//! The error every storage port returns when the storage itself fails.

use std::error::Error as StdError;

/// Storage failed (connection lost, constraint the use case did not expect…). Opaque on
/// purpose: the API turns it into a 500/503 and logs the cause.
#[derive(Debug, thiserror::Error)]
#[error("storage failed")]
pub struct StoreError(#[source] pub Box<dyn StdError + Send + Sync>);

impl StoreError {
    pub fn new(source: impl StdError + Send + Sync + 'static) -> Self {
        Self(Box::new(source))
    }

    /// Whether the storage is unreachable rather than broken (the API answers 503, not 500).
    pub fn is_unavailable(&self) -> bool {
        self.0.downcast_ref::<Unavailable>().is_some()
    }

    /// Whether the client's page cursor did not fit the list (the API answers 422).
    pub fn is_invalid_cursor(&self) -> bool {
        self.0.downcast_ref::<InvalidCursor>().is_some()
    }
}

/// Marks a store error as "unreachable right now; retry later".
#[derive(Debug, thiserror::Error)]
#[error("storage unavailable: {0}")]
pub struct Unavailable(pub String);

/// A cursor that does not belong to the list, sort or filters it was sent with. Cursors are
/// signed by the API, so this means a bug or a cursor from an older version: the client starts
/// the list again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cursor does not belong to this list and sort")]
pub struct InvalidCursor;

impl From<InvalidCursor> for StoreError {
    fn from(invalid: InvalidCursor) -> Self {
        StoreError::new(invalid)
    }
}
