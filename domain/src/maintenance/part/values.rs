//! Part numbers and stock quantities.

use std::fmt;

/// A manufacturer's part number, unique per yacht: trimmed, spaces collapsed, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PartNumber(String);

/// Not a usable part number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 60 letters, digits, spaces or - . / _ # +")]
pub struct PartNumberError;

impl PartNumber {
    pub fn parse(raw: &str) -> Result<Self, PartNumberError> {
        let number = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
        let valid = !number.is_empty()
            && number.chars().count() <= 60
            && number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.' | '/' | '_' | '#' | '+'));
        if valid { Ok(Self(number)) } else { Err(PartNumberError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PartNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stock quantity in thousandths of the part's unit (litres of oil are fractional).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(i64);

/// Not a usable quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be a number from 0 to 999,999,999 with at most three decimals")]
pub struct QuantityError;

impl Quantity {
    const MAX_MILLIS: i64 = 999_999_999_000;
    const MAX_MILLIS_F64: f64 = 999_999_999_000.0;
    pub const ZERO: Self = Self(0);

    /// Rounds to a thousandth; refuses negative, non-finite and absurd values.
    pub fn from_f64(value: f64) -> Result<Self, QuantityError> {
        if !value.is_finite() || value < 0.0 {
            return Err(QuantityError);
        }
        let millis = (value * 1000.0).round();
        #[allow(clippy::cast_possible_truncation, reason = "a whole number bounded just below")]
        if millis <= Self::MAX_MILLIS_F64 { Ok(Self(millis as i64)) } else { Err(QuantityError) }
    }

    pub fn from_millis(millis: i64) -> Result<Self, QuantityError> {
        if (0..=Self::MAX_MILLIS).contains(&millis) { Ok(Self(millis)) } else { Err(QuantityError) }
    }

    pub const fn millis(self) -> i64 {
        self.0
    }

    #[allow(clippy::cast_precision_loss, reason = "at most 1e12 thousandths: exact in f64")]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, if it stays in range.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        Self::from_millis(self.0.checked_add(other.0)?).ok()
    }

    /// `self - other`, if it does not go below zero.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        Self::from_millis(self.0.checked_sub(other.0)?).ok()
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 1000, self.0 % 1000);
        if fraction == 0 {
            write!(f, "{whole}")
        } else {
            write!(f, "{}", format!("{whole}.{fraction:03}").trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_are_normalised() {
        assert_eq!(PartNumber::parse(" 0900-1234  a ").map(|p| p.to_string()), Ok("0900-1234 A".to_owned()));
        for bad in ["", "  ", "ÄB-1", "A;B", &"A".repeat(61)] {
            assert_eq!(PartNumber::parse(bad), Err(PartNumberError), "{bad:?}");
        }
    }

    #[test]
    fn quantities_keep_three_decimals_and_never_go_negative() {
        assert_eq!(Quantity::from_f64(12.5).map(|q| q.to_string()), Ok("12.5".to_owned()));
        assert_eq!(Quantity::from_f64(2.0).map(|q| q.to_string()), Ok("2".to_owned()));
        assert_eq!(Quantity::from_f64(0.0004).map(Quantity::millis), Ok(0));
        for bad in [-0.001, f64::NAN, 1e12] {
            assert_eq!(Quantity::from_f64(bad), Err(QuantityError), "{bad}");
        }
        let one = Quantity::from_f64(1.0).expect("one");
        assert_eq!(Quantity::ZERO.checked_sub(one), None);
        assert_eq!(one.checked_sub(one), Some(Quantity::ZERO));
    }
}
