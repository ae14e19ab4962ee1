//! Equipment value objects: codes, criticality, status and running hours.

use std::fmt;

/// Why an equipment value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("must be 1 to 40 letters, digits or . _ / -, starting with a letter or digit")]
    Code,
    #[error("must be a number of hours from 0 to 9,999,999.9")]
    Hours,
}

/// An equipment code, unique per yacht, stored upper-case: `ME-P`, `DG-1`, `WM.2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EquipmentCode(String);

impl EquipmentCode {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let code = raw.trim().to_uppercase();
        let mut chars = code.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
        let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'));
        if first_ok && rest_ok && code.len() <= 40 { Ok(Self(code)) } else { Err(ValueError::Code) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EquipmentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

text_enum!(
    /// How much the yacht depends on the equipment.
    Criticality { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
);

text_enum!(
    /// Whether the equipment works.
    EquipmentStatus {
        Operational = "operational",
        Degraded = "degraded",
        Failed = "failed",
        Maintenance = "maintenance",
        Decommissioned = "decommissioned",
    }
);

/// Running hours, to a tenth of an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(i64);

impl Hours {
    const MAX_TENTHS: i64 = 99_999_999;
    /// The same bound as a float (exact: well within f64's 52-bit mantissa).
    const MAX_TENTHS_F64: f64 = 99_999_999.0;

    /// Rounds to a tenth; refuses negative, non-finite and absurd values.
    pub fn from_f64(hours: f64) -> Result<Self, ValueError> {
        if !hours.is_finite() || hours < 0.0 {
            return Err(ValueError::Hours);
        }
        let tenths = (hours * 10.0).round();
        #[allow(clippy::cast_possible_truncation, reason = "a whole number bounded just below")]
        if tenths <= Self::MAX_TENTHS_F64 { Ok(Self(tenths as i64)) } else { Err(ValueError::Hours) }
    }

    pub fn from_tenths(tenths: i64) -> Result<Self, ValueError> {
        if (0..=Self::MAX_TENTHS).contains(&tenths) { Ok(Self(tenths)) } else { Err(ValueError::Hours) }
    }

    pub const fn tenths(self) -> i64 {
        self.0
    }

    #[allow(clippy::cast_precision_loss, reason = "at most 1e8 tenths: exact in f64")]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::maintenance::OneOf;

    #[test]
    fn codes_are_upper_cased_and_restricted() {
        assert_eq!(EquipmentCode::parse(" me-p ").map(|c| c.to_string()), Ok("ME-P".to_owned()));
        assert!(EquipmentCode::parse("DG.1/A_2").is_ok());
        for bad in ["", "-ME", "ME P", "ME#1", &"A".repeat(41), "MÉ-P"] {
            assert_eq!(EquipmentCode::parse(bad), Err(ValueError::Code), "{bad:?}");
        }
    }

    #[test]
    fn enums_parse_their_names_only() {
        assert_eq!(EquipmentStatus::parse("failed"), Ok(EquipmentStatus::Failed));
        assert_eq!(Criticality::parse("critical"), Ok(Criticality::Critical));
        assert!(matches!(EquipmentStatus::parse("Failed"), Err(OneOf(names)) if names.contains("operational")));
    }

    #[test]
    fn hours_round_to_a_tenth_and_stay_in_range() {
        assert_eq!(Hours::from_f64(12_450.04).map(Hours::tenths), Ok(124_500));
        assert_eq!(Hours::from_f64(12_450.05).map(|h| h.to_string()), Ok("12450.1".to_owned()));
        for bad in [-0.1, f64::NAN, f64::INFINITY, 10_000_000.0] {
            assert_eq!(Hours::from_f64(bad), Err(ValueError::Hours), "{bad}");
        }
        assert!(Hours::from_f64(9_999_999.9).is_ok());
    }
}
