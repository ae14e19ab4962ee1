//! Dates and times in requests: ISO 8601 / RFC 3339 only, within the years 1900–2199. chrono's
//! own parsing accepts `2026-1-3`, `+10000-01-01` and year 0, which PostgreSQL then stores as
//! 1 BC; a maintenance record has no business outside these two centuries either side of now.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{PartialSchema, ToSchema};

const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2199;
/// `YYYY-MM-DD` with a year from 1900 to 2199.
const DATE_PATTERN: &str = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// RFC 3339 with a year from 1900 to 2199 and an explicit offset.
const DATE_TIME_PATTERN: &str = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

fn in_window(year: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&year)
}

/// A calendar date in a request: exactly `YYYY-MM-DD`, from 1900-01-01 to 2199-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CalendarDate(pub NaiveDate);

/// An instant in a request: RFC 3339 with an offset (`2026-12-03T08:30:00Z`), years 1900 to 2199.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DateTimeUtc(pub DateTime<Utc>);

impl CalendarDate {
    pub fn parse(raw: &str) -> Option<Self> {
        let bytes = raw.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
        let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().filter(|_| shaped)?;
        in_window(chrono::Datelike::year(&date)).then_some(Self(date))
    }
}

impl DateTimeUtc {
    pub fn parse(raw: &str) -> Option<Self> {
        if !rfc3339_shaped(raw) {
            return None;
        }
        let time = DateTime::parse_from_rfc3339(raw).ok()?;
        CalendarDate::parse(raw.get(..10)?)?;
        Some(Self(time.to_utc()))
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, as the pattern says: chrono also takes a space
/// for the `T`, leap seconds and any number of fraction digits.
fn rfc3339_shaped(raw: &str) -> bool {
    let b = raw.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let head = b.len() >= 20
        && matches!(b[10], b'T' | b't')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && &b[17..19] != b"60";
    if !head {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&count) {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

struct Strict<T>(fn(&str) -> Option<T>, &'static str);

impl<T> Visitor<'_> for Strict<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: de::Error>(self, raw: &str) -> Result<T, E> {
        (self.0)(raw).ok_or_else(|| E::invalid_value(de::Unexpected::Str(raw), &self))
    }
}

impl<'de> Deserialize<'de> for CalendarDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Strict(Self::parse, "a date YYYY-MM-DD from 1900-01-01 to 2199-12-31"))
    }
}

impl<'de> Deserialize<'de> for DateTimeUtc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Strict(
            Self::parse,
            "an RFC 3339 date and time with an offset, e.g. 2026-12-03T08:30:00Z, in the years 1900 to 2199",
        ))
    }
}

fn string_schema(format: KnownFormat, pattern: &str, description: &str, example: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
            .pattern(Some(pattern))
            .description(Some(description))
            .examples([example])
            .build(),
    ))
}

impl PartialSchema for CalendarDate {
    fn schema() -> RefOr<Schema> {
        string_schema(
            KnownFormat::Date,
            DATE_PATTERN,
            "A date, `YYYY-MM-DD`, from 1900-01-01 to 2199-12-31.",
            "2026-12-03",
        )
    }
}

impl ToSchema for CalendarDate {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Date")
    }
}

impl PartialSchema for DateTimeUtc {
    fn schema() -> RefOr<Schema> {
        string_schema(
            KnownFormat::DateTime,
            DATE_TIME_PATTERN,
            "An instant, RFC 3339 with an offset, in the years 1900 to 2199.",
            "2026-12-03T08:30:00Z",
        )
    }
}

impl ToSchema for DateTimeUtc {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("DateTime")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_and_within_the_window() {
        for good in ["1900-01-01", "2026-12-03", "2199-12-31", "2028-02-29"] {
            assert!(CalendarDate::parse(good).is_some(), "{good}");
        }
        for bad in [
            "-0001-01-01",
            "0000-01-01",
            "+10000-01-01",
            "2026-1-3",
            "1899-12-31",
            "2200-01-01",
            "2026-02-30",
            "2026-12-03T00:00:00Z",
            " 2026-12-03",
            "２０２６-12-03",
        ] {
            assert!(CalendarDate::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn times_are_rfc_3339_with_an_offset_and_within_the_window() {
        for good in ["2026-12-03T08:30:00Z", "2026-12-03T08:30:00.123456+02:00", "1900-01-01T00:00:00Z"] {
            assert!(DateTimeUtc::parse(good).is_some(), "{good}");
        }
        for bad in [
            "0001-01-01T00:00:00Z",
            "2026-12-03T08:30:00",
            "2026-12-03 08:30:00Z",
            "2200-01-01T00:00:00Z",
            "2026-12-03",
        ] {
            assert!(DateTimeUtc::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn requests_refuse_other_forms_with_the_rule() {
        let error = serde_json::from_str::<CalendarDate>("\"2026-1-3\"").expect_err("refused");
        assert!(error.to_string().contains("1900-01-01 to 2199-12-31"), "{error}");
    }
}
