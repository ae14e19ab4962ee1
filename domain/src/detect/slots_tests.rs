use chrono::NaiveDate;

use super::{Recurrence, slots};
use crate::maintenance::equipment::EquipmentStatus;
use crate::maintenance::fault::FaultSeverity;
use crate::maintenance::work_order::Priority;

/// A Thursday.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).expect("date")
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn dates_relative_to_today_and_as_crews_write_them() {
    let cases = [
        ("defer to tomorrow", day(2026, 12, 4)),
        ("push it to next week", day(2026, 12, 10)),
        ("due next month", day(2027, 1, 3)),
        ("by Tuesday", day(2026, 12, 8)),
        ("on thursday", day(2026, 12, 10)),
        ("next friday", day(2026, 12, 11)),
        ("until 15/1", day(2027, 1, 15)),
        ("until 15/12", day(2026, 12, 15)),
        ("until 1/2/2027", day(2027, 2, 1)),
        ("due 2027-03-01", day(2027, 3, 1)),
        ("by the 20th of January", day(2027, 1, 20)),
        ("on Jan 5", day(2027, 1, 5)),
        ("end of month", day(2026, 12, 31)),
        ("by the end of the week", day(2026, 12, 4)),
        ("in 3 days", day(2026, 12, 6)),
        ("in two weeks", day(2026, 12, 17)),
        ("day after tomorrow", day(2026, 12, 5)),
        ("change the oil filter", None),
        ("fuel at 3.5 bar", None),
        ("the marine sanitation device", None),
        ("until 31/2", None),
    ];
    for (query, expected) in cases {
        assert_eq!(slots(query, today()).date, expected, "{query:?}");
    }
}

#[test]
fn recurrences_in_days_or_running_hours() {
    let cases = [
        ("every 6 weeks", Some(Recurrence::Days(42))),
        ("every 3 months", Some(Recurrence::Days(90))),
        ("every month", Some(Recurrence::Days(30))),
        ("every two years", Some(Recurrence::Days(730))),
        ("twice a year", Some(Recurrence::Days(182))),
        ("annual service of the liferafts", Some(Recurrence::Days(365))),
        ("weekly test of the fire pump", Some(Recurrence::Days(7))),
        ("4 times a year", Some(Recurrence::Days(91))),
        ("every 500 hours", Some(Recurrence::Hours(500.0))),
        ("every 250h", Some(Recurrence::Hours(250.0))),
        ("each 1 000 hrs", Some(Recurrence::Hours(1000.0))),
        ("the 500 hour service on DG1", Some(Recurrence::Hours(500.0))),
        ("1000-hour overhaul", Some(Recurrence::Hours(1000.0))),
        ("change the belt", None),
    ];
    for (query, expected) in cases {
        assert_eq!(slots(query, today()).recurrence, expected, "{query:?}");
    }
}

#[test]
fn equipment_status_in_crews_words() {
    use EquipmentStatus::{Decommissioned, Degraded, Failed, Maintenance, Operational};
    let cases = [
        ("DG2 is down", Some(Failed)),
        ("stbd watermaker out of service", Some(Failed)),
        ("bow thruster u/s", Some(Failed)),
        ("the chiller is not working", Some(Failed)),
        ("genny laid up for repair", Some(Maintenance)),
        ("port stabiliser isolated for the fin seal job", Some(Maintenance)),
        ("DG1 back in service", Some(Operational)),
        ("windlass up and running again", Some(Operational)),
        ("AC plant running at reduced capacity", Some(Degraded)),
        ("old sewage plant decommissioned", Some(Decommissioned)),
        ("show me DG1", None),
    ];
    for (query, expected) in cases {
        assert_eq!(slots(query, today()).equipment_status, expected, "{query:?}");
    }
}

#[test]
fn priority_and_severity_only_when_stated() {
    let cases = [
        ("new job asap: fix the passerelle", Some(Priority::Critical)),
        ("top priority - bilge alarm", Some(Priority::Critical)),
        ("paint the bilge, low priority", Some(Priority::Routine)),
        ("no rush, service the davit", Some(Priority::Routine)),
        ("emergency repair of the steering", Some(Priority::Emergency)),
        ("service the davit", None),
    ];
    for (query, expected) in cases {
        assert_eq!(slots(query, today()).priority, expected, "{query:?}");
    }
    assert_eq!(slots("minor leak on the galley tap", today()).severity, Some(FaultSeverity::Low));
    assert_eq!(slots("major oil leak on DG2", today()).severity, Some(FaultSeverity::High));
    assert_eq!(slots("smoke from the switchboard", today()).severity, Some(FaultSeverity::Critical));
    assert_eq!(slots("high exhaust temp on DG1", today()).severity, None);
}

#[test]
fn horizons_for_lists() {
    let cases = [
        ("what's due this week", Some(7)),
        ("maintenance due in the next 30 days", Some(30)),
        ("anything due within two weeks", Some(14)),
        ("my jobs today", Some(0)),
        ("due this month", Some(30)),
        ("my jobs", None),
    ];
    for (query, expected) in cases {
        assert_eq!(slots(query, today()).within_days, expected, "{query:?}");
    }
}

#[test]
fn numbers_in_words_and_spaced_groups() {
    let words = |q: &'static str| q.split(' ').collect::<Vec<_>>();
    assert_eq!(super::number_at(&words("two and a half hours"), 0), Some((2.5, 4)));
    assert_eq!(super::number_at(&words("12 450 hours"), 0), Some((12_450.0, 2)));
    assert_eq!(super::number_at(&words("4k hours"), 0), Some((4000.0, 1)));
    assert_eq!(super::number_at(&words("a half"), 0), Some((0.5, 2)));
    assert_eq!(super::number_at(&words("x"), 0), None);
}
