//! Collects field errors so a client learns about every bad field in one response.

use std::fmt::Display;

use pms_domain::maintenance::paging::MAX_LIMIT;

use crate::error::{ApiError, FieldError};

/// A required multi-line text of at most `max` characters: a reason, notes, a resolution.
pub fn required_paragraph(field: &str, raw: &str, max: usize) -> Result<String, ApiError> {
    pms_domain::maintenance::text::paragraph(raw, max).map_err(|e| ApiError::field(field, "invalid", e.to_string()))
}

/// Accumulates validation failures; [`Validation::finish`] turns them into one 422.
#[derive(Debug, Default)]
pub struct Validation {
    errors: Vec<FieldError>,
}

impl Validation {
    /// Keeps `result`'s value, or records its error against `field` with `code`.
    pub fn check<T, E: Display>(&mut self, field: &str, code: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.fail(field, code, e.to_string())).ok()
    }

    /// Records a failure unless `ok`.
    pub fn require(&mut self, ok: bool, field: &str, code: &str, message: impl Into<String>) {
        if !ok {
            self.fail(field, code, message.into());
        }
    }

    /// A list's page size: 1 to [`MAX_LIMIT`] when given.
    pub fn page_limit(&mut self, limit: Option<u32>) {
        let ok = limit.is_none_or(|l| (1..=MAX_LIMIT).contains(&l));
        self.require(ok, "limit", "out_of_range", format!("must be 1 to {MAX_LIMIT}"));
    }

    /// A list's `q` text filter: at most 200 characters; blank means no filter.
    pub fn search_query(&mut self, q: Option<&str>) -> Option<String> {
        let q = q?;
        self.require(q.chars().count() <= 200, "q", "too_long", "must be at most 200 characters");
        Some(q.trim().to_owned()).filter(|q| !q.is_empty())
    }

    /// An optional multi-line text of at most `max` characters: blank means absent.
    pub fn optional_paragraph(&mut self, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
        let text = raw.filter(|t| !t.trim().is_empty())?;
        self.check(field, "invalid", pms_domain::maintenance::text::paragraph(text, max))
    }

    /// A person's display name when given: one line of 1 to 100 characters, trimmed.
    pub fn display_name(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        self.check(field, "invalid", pms_domain::maintenance::text::line(raw?, 100))
    }

    fn fail(&mut self, field: &str, code: &str, message: String) {
        self.errors.push(FieldError { field: field.to_owned(), code: code.to_owned(), message });
    }

    /// `Ok` when nothing failed, else a `validation_failed` problem listing every field.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::validation(self.errors)) }
    }
}
