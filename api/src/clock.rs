//! The time handlers give the domain.

use chrono::{DateTime, SubsecRound as _, Utc};

/// Now, at PostgreSQL's microsecond precision, so a record returned from a write is identical to
/// the same record read back later.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Today in UTC.
pub fn today() -> chrono::NaiveDate {
    now().date_naive()
}
