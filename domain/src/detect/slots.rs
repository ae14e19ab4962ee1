//! Slots: the closed-set and calendar values a query states in crews' words — priority, fault
//! severity, equipment status, a recurrence, a date, a horizon — read from its tokens. Each is
//! `None` unless the query says it; nothing is guessed from the symptom.

use chrono::{Datelike as _, Duration, Months, NaiveDate, Weekday};

use super::text::{Token, number_word, parse_number, tokenize};
use crate::maintenance::equipment::EquipmentStatus;
use crate::maintenance::fault::FaultSeverity;
use crate::maintenance::notes::HandoverCategory;
use crate::maintenance::work_order::Priority;

/// How often work recurs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Recurrence {
    Days(u32),
    Hours(f64),
}

/// Everything a query states that is not a record or a free text.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Slots {
    pub priority: Option<Priority>,
    pub severity: Option<FaultSeverity>,
    pub equipment_status: Option<EquipmentStatus>,
    pub recurrence: Option<Recurrence>,
    /// The first calendar day the query names (`tomorrow`, `Tuesday`, `15/1`, `end of month`).
    pub date: Option<NaiveDate>,
    /// A horizon in days from today (`this week` → 7, `next 30 days` → 30, `today` → 0).
    pub within_days: Option<u32>,
    pub handover_category: Option<HandoverCategory>,
}

/// Reads the slots of a query; relative dates count from `today` (the yacht's day).
pub fn slots(query: &str, today: NaiveDate) -> Slots {
    let tokens = tokenize(query);
    let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    Slots {
        priority: priority(&words),
        severity: severity(&words),
        equipment_status: equipment_status(&words),
        recurrence: recurrence(&words),
        date: date(&tokens, &words, today),
        within_days: within_days(&words),
        handover_category: handover_category(&words),
    }
}

/// Whether `phrase` (space-separated words) occurs in `words`; a trailing `*` matches a prefix.
fn has(words: &[&str], phrase: &str) -> bool {
    position(words, phrase).is_some()
}

fn position(words: &[&str], phrase: &str) -> Option<usize> {
    let wanted: Vec<&str> = phrase.split(' ').collect();
    let matches = |word: &str, want: &str| match want.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == want,
    };
    (0..words.len().saturating_sub(wanted.len() - 1))
        .find(|&i| wanted.iter().enumerate().all(|(k, want)| matches(words[i + k], want)))
}

fn any(words: &[&str], phrases: &[&str]) -> bool {
    phrases.iter().any(|p| has(words, p))
}

fn priority(words: &[&str]) -> Option<Priority> {
    if any(words, &["low priority", "low prio", "no rush", "not urgent", "when time allows", "whenever", "routine"]) {
        Some(Priority::Routine)
    } else if any(words, &["emergency", "immediately", "right now", "safety critical"]) {
        Some(Priority::Emergency)
    } else if any(
        words,
        &["urgent*", "asap", "critical", "top priority", "high priority", "high prio", "p1", "priority 1"],
    ) {
        Some(Priority::Critical)
    } else if any(words, &["important", "medium priority", "priority", "prio", "soon", "p2", "priority 2"]) {
        Some(Priority::Important)
    } else {
        None
    }
}

fn severity(words: &[&str]) -> Option<FaultSeverity> {
    if any(words, &["critical", "fire", "smoke", "flooding", "sinking", "emergency", "dangerous"]) {
        Some(FaultSeverity::Critical)
    } else if any(words, &["major", "serious", "severe", "high severity", "urgent*", "asap", "high priority"]) {
        Some(FaultSeverity::High)
    } else if any(words, &["moderate", "medium severity", "medium"]) {
        Some(FaultSeverity::Medium)
    } else if any(words, &["minor", "cosmetic", "slight*", "small", "low severity", "low priority", "not urgent"]) {
        Some(FaultSeverity::Low)
    } else {
        None
    }
}

fn equipment_status(words: &[&str]) -> Option<EquipmentStatus> {
    const NEGATED_WORKING: &[&str] = &["not working", "isn't working", "not running", "won't start", "not operational"];
    const DECOMMISSIONED: &[&str] =
        &["decommission*", "retired", "retire", "permanently removed", "removed from service"];
    const OPERATIONAL: &[&str] = &[
        "operational",
        "back in service",
        "back into service",
        "return to service",
        "returned to service",
        "in service",
        "working again",
        "running again",
        "back online",
        "back up",
        "up and running",
        "restored",
        "serviceable",
        "all good",
        "ok again",
        "fixed",
    ];
    const MAINTENANCE: &[&str] = &[
        "in maintenance",
        "under maintenance",
        "maintenance mode",
        "for maintenance",
        "laid up",
        "isolated",
        "locked out",
        "lockout",
        "tagged out",
        "under repair",
        "for repair",
        "being serviced",
        "in for service",
        "out for service",
        "maintenance",
    ];
    const DEGRADED: &[&str] = &["degraded", "reduced", "derated", "limited", "partially", "limping", "half capacity"];
    const FAILED: &[&str] = &[
        "failed",
        "down",
        "broken",
        "dead",
        "out of service",
        "out of order",
        "u/s",
        "unserviceable",
        "inoperative",
        "offline",
        "kaput",
        "not available",
        "unavailable",
        "failure",
    ];
    if any(words, DECOMMISSIONED) {
        Some(EquipmentStatus::Decommissioned)
    } else if any(words, NEGATED_WORKING) || has(words, "unserviceable") {
        Some(EquipmentStatus::Failed)
    } else if any(words, OPERATIONAL) && !has(words, "not") {
        Some(EquipmentStatus::Operational)
    } else if any(words, MAINTENANCE) {
        Some(EquipmentStatus::Maintenance)
    } else if any(words, DEGRADED) {
        Some(EquipmentStatus::Degraded)
    } else if any(words, FAILED) {
        Some(EquipmentStatus::Failed)
    } else {
        None
    }
}

fn handover_category(words: &[&str]) -> Option<HandoverCategory> {
    if any(words, &["urgent*", "asap", "important", "critical"]) {
        Some(HandoverCategory::Urgent)
    } else if any(words, &["keep an eye", "watch", "monitor*", "keep watching", "check on"]) {
        Some(HandoverCategory::Watch)
    } else if any(words, &["in progress", "ongoing", "still working", "half done", "not finished"]) {
        Some(HandoverCategory::InProgress)
    } else if any(words, &["fyi", "for info*", "just so you know"]) {
        Some(HandoverCategory::Fyi)
    } else {
        None
    }
}

/// A number written as digits, a number word, or with `and a half` (`two and a half` → 2.5).
/// Returns the value and how many words it took.
pub fn number_at(words: &[&str], i: usize) -> Option<(f64, usize)> {
    let word = *words.get(i)?;
    let (value, mut used) = if let Some(value) = parse_number(word).or_else(|| number_word(word)) {
        (value, 1)
    } else if let Some(value) = word.strip_suffix('k').and_then(parse_number) {
        (value * 1000.0, 1)
    } else {
        return None;
    };
    let mut value = value;
    // `12 450`: a group of three digits after one to three digits is the same number.
    if used == 1
        && word.len() <= 3
        && word.chars().all(|c| c.is_ascii_digit())
        && let Some(next) = words.get(i + 1)
        && next.len() == 3
        && next.chars().all(|c| c.is_ascii_digit())
    {
        value = value * 1000.0 + parse_number(next)?;
        used = 2;
    }
    if words.get(i + used) == Some(&"and")
        && words.get(i + used + 1).is_some_and(|w| matches!(*w, "a" | "one"))
        && words.get(i + used + 2) == Some(&"half")
    {
        value += 0.5;
        used += 3;
    } else if words.get(i + used) == Some(&"half") && matches!(word, "a" | "one") {
        value = 0.5;
        used += 1;
    }
    Some((value, used))
}

fn recurrence(words: &[&str]) -> Option<Recurrence> {
    const NAMED: &[(&str, u32)] = &[
        ("daily", 1),
        ("every day", 1),
        ("weekly", 7),
        ("every week", 7),
        ("fortnightly", 14),
        ("every fortnight", 14),
        ("every other week", 14),
        ("biweekly", 14),
        ("monthly", 30),
        ("every month", 30),
        ("every other month", 60),
        ("bimonthly", 60),
        ("quarterly", 91),
        ("every quarter", 91),
        ("twice a year", 182),
        ("twice yearly", 182),
        ("twice per year", 182),
        ("semi annual*", 182),
        ("semiannual*", 182),
        ("biannual*", 182),
        ("half yearly", 182),
        ("every half year", 182),
        ("annual*", 365),
        ("yearly", 365),
        ("every year", 365),
        ("once a year", 365),
        ("once per year", 365),
        ("every other year", 730),
        ("biennial*", 730),
        ("twice a month", 15),
        ("once a month", 30),
        ("once a week", 7),
        ("twice a week", 3),
    ];
    for (i, word) in words.iter().enumerate() {
        if !matches!(*word, "every" | "each" | "per") {
            continue;
        }
        let next = words.get(i + 1).copied().unwrap_or("");
        if let Some(hours) =
            ["hours", "hrs", "hr", "h"].iter().find_map(|u| next.strip_suffix(u).and_then(parse_number))
        {
            return Some(Recurrence::Hours(hours));
        }
        let Some((count, used)) = number_at(words, i + 1) else { continue };
        let unit = words.get(i + 1 + used).copied().unwrap_or("");
        if let Some(recurrence) = per_unit(count, unit) {
            return Some(recurrence);
        }
    }
    // `500 hour service`, `at 250 hour intervals`, `1000-hour overhaul`.
    for (i, word) in words.iter().enumerate() {
        if let Some(hours) = word.strip_suffix("-hour").or_else(|| word.strip_suffix("-hr")).and_then(parse_number) {
            return Some(Recurrence::Hours(hours));
        }
        if let Some((count, used)) = number_at(words, i)
            && matches!(words.get(i + used).copied(), Some("hour" | "hr" | "h"))
            && matches!(
                words.get(i + used + 1).copied(),
                Some("service" | "interval" | "intervals" | "check" | "overhaul")
            )
        {
            return Some(Recurrence::Hours(count));
        }
    }
    // `3 times a year`.
    for (i, _) in words.iter().enumerate() {
        if let Some((count, used)) = number_at(words, i)
            && words.get(i + used) == Some(&"times")
            && matches!(words.get(i + used + 1).copied(), Some("a" | "per"))
            && count >= 1.0
        {
            let days = match words.get(i + used + 2).copied() {
                Some("year") => 365.0,
                Some("month") => 30.0,
                Some("week") => 7.0,
                _ => continue,
            };
            return Some(Recurrence::Days(whole_days(days / count).max(1)));
        }
    }
    NAMED.iter().find(|(phrase, _)| has(words, phrase)).map(|&(_, days)| Recurrence::Days(days))
}

fn per_unit(count: f64, unit: &str) -> Option<Recurrence> {
    if count.is_nan() || count <= 0.0 {
        return None;
    }
    let days = match unit {
        "day" | "days" => 1.0,
        "week" | "weeks" | "wk" | "wks" => 7.0,
        "month" | "months" | "mo" | "mos" | "mths" => 30.0,
        "year" | "years" | "yr" | "yrs" => 365.0,
        "h" | "hr" | "hrs" | "hour" | "hours" | "running" | "rh" => return Some(Recurrence::Hours(count)),
        _ => return None,
    };
    Some(Recurrence::Days(whole_days(count * days)))
}

/// Days rounded and kept within what a schedule can hold.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped first
fn whole_days(days: f64) -> u32 {
    days.round().clamp(0.0, 36_500.0) as u32
}

fn within_days(words: &[&str]) -> Option<u32> {
    for (i, word) in words.iter().enumerate() {
        if matches!(*word, "next" | "within" | "coming" | "in")
            && let Some((count, used)) = number_at(words, i + 1)
        {
            let days = match words.get(i + 1 + used).copied() {
                Some("day" | "days") => 1.0,
                Some("week" | "weeks") => 7.0,
                Some("month" | "months") => 30.0,
                _ => continue,
            };
            return Some(whole_days(count * days).min(365));
        }
    }
    let named: &[(&str, u32)] = &[
        ("today", 0),
        ("tonight", 0),
        ("tomorrow", 1),
        ("this week", 7),
        ("next week", 14),
        ("coming week", 7),
        ("fortnight", 14),
        ("this month", 30),
        ("next month", 60),
        ("coming month", 30),
    ];
    named.iter().find(|(phrase, _)| has(words, phrase)).map(|&(_, days)| days)
}

fn weekday(word: &str) -> Option<Weekday> {
    let day = match word {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

fn month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    let position = MONTHS.iter().position(|m| word.starts_with(m))?;
    // `march` and `mar` are the month; `marine` is not.
    let full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october"];
    let full_tail = ["november", "december", "sept"];
    (word.len() == 3 || full.contains(&word) || full_tail.contains(&word))
        .then(|| u32::try_from(position + 1).ok())
        .flatten()
}

/// `15`, `15th`, `1st`: a day of the month.
fn day_of_month(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let day: u32 = digits.parse().ok()?;
    ((1..=31).contains(&day) && matches!(suffix, "" | "st" | "nd" | "rd" | "th")).then_some(day)
}

/// The next date on or after `today` with this day and month.
fn next_day_month(today: NaiveDate, day: u32, month: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today { Some(this_year) } else { NaiveDate::from_ymd_opt(today.year() + 1, month, day) }
}

fn last_of_month(day: NaiveDate) -> Option<NaiveDate> {
    let first = day.with_day(1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

fn date(tokens: &[Token], words: &[&str], today: NaiveDate) -> Option<NaiveDate> {
    for (i, token) in tokens.iter().enumerate() {
        let word = words[i];
        if let Ok(iso) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
            return Some(iso);
        }
        // `15/1`, `15/01/2027`, `15.1.` — day first, as crews outside the US write.
        if let Some(found) = numeric_date(&token.norm, today) {
            return Some(found);
        }
        let found = match word {
            "today" | "tonight" => Some(today),
            "tomorrow" | "tmrw" | "tmr" | "tomorow" => Some(today + Duration::days(1)),
            "day" if words.get(i + 1) == Some(&"after") && words.get(i + 2) == Some(&"tomorrow") => {
                Some(today + Duration::days(2))
            }
            "next" | "this" | "coming" => match words.get(i + 1).copied() {
                Some("week") if word == "next" => Some(today + Duration::days(7)),
                Some("month") if word == "next" => today.checked_add_months(Months::new(1)),
                Some("year") if word == "next" => today.checked_add_months(Months::new(12)),
                Some(day) => weekday(day).map(|wd| next_weekday(today, wd, word == "next")),
                None => None,
            },
            "end" if words.get(i + 1) == Some(&"of") => match words.get(i + 2..).unwrap_or_default() {
                ["the", "month", ..] | ["month", ..] => last_of_month(today),
                ["the", "week", ..] | ["week", ..] => Some(next_weekday(today, Weekday::Fri, false)),
                _ => words.get(i + 2).and_then(|w| month(w)).and_then(|m| {
                    let first = next_day_month(today, 1, m)?;
                    last_of_month(first)
                }),
            },
            "in" => number_at(words, i + 1).and_then(|(count, used)| {
                let count = i64::from(whole_days(count));
                match words.get(i + 1 + used).copied() {
                    Some("day" | "days") => Some(today + Duration::days(count)),
                    Some("week" | "weeks") => Some(today + Duration::days(7 * count)),
                    Some("month" | "months") => today.checked_add_months(Months::new(u32::try_from(count).ok()?)),
                    _ => None,
                }
            }),
            _ => {
                if let Some(wd) = weekday(word)
                    && (i == 0 || !matches!(words[i - 1], "next" | "this" | "coming" | "last"))
                {
                    Some(next_weekday(today, wd, false))
                } else if let Some(m) = month(word) {
                    // `15 Jan`, `Jan 15`, `15th of January`.
                    let before = i
                        .checked_sub(1)
                        .and_then(|k| day_of_month(words[k]))
                        .or_else(|| (i >= 2 && words[i - 1] == "of").then(|| day_of_month(words[i - 2])).flatten());
                    let after = words.get(i + 1).and_then(|w| day_of_month(w));
                    before.or(after).and_then(|d| next_day_month(today, d, m))
                } else {
                    None
                }
            }
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The next `weekday` after today; `next Friday` said in a week that still has its Friday is
/// the Friday of the week after.
fn next_weekday(today: NaiveDate, weekday: Weekday, skip_this_week: bool) -> NaiveDate {
    let from_monday = i64::from(today.weekday().num_days_from_monday());
    let ahead = (7 + i64::from(weekday.num_days_from_monday()) - from_monday) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    let ahead = if skip_this_week && from_monday + ahead <= 6 { ahead + 7 } else { ahead };
    today + Duration::days(ahead)
}

fn numeric_date(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    let separator = if word.contains('/') {
        '/'
    } else if word.matches('.').count() >= 1 && !word.contains(',') {
        '.'
    } else {
        return None;
    };
    let parts: Vec<&str> = word.trim_end_matches(separator).split(separator).collect();
    if parts.len() < 2
        || parts.len() > 3
        || !parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    // `3.5` is a number, not the 3rd of May: a dotted date needs a year or a trailing dot.
    if separator == '.' && parts.len() == 2 && !word.ends_with('.') {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    match parts.get(2) {
        Some(year) => {
            let year: i32 = year.parse().ok()?;
            let year = if year < 100 { 2000 + year } else { year };
            NaiveDate::from_ymd_opt(year, month, day)
        }
        None => next_day_month(today, day, month),
    }
}

#[cfg(test)]
#[path = "slots_tests.rs"]
mod tests;
