//! Mentions: the pieces of a query that name something — a work order, a fault code, a piece of
//! equipment, a part, a quantity, a meter reading — with where they are in the query.

use super::concepts::Concept::{Equipment, Item, PartWord};
use super::concepts::Concepts;
use super::slots::number_at;
use super::text::{Span, Token, number_word, parse_number};
use super::vocabulary::{canonical_phrase, is_equipment_code, is_modifier, is_stopword};

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// `WO-2026-031`, `wo 57`, `work order 88`.
    WorkOrder,
    /// `F-2026-031`: a fault reference as crews write them.
    Fault,
    /// `PR-2026-012`.
    PurchaseRequest,
    /// `E047`, `SPN 110 FMI 0`, `J1939 721/7`.
    FaultCode,
    /// A phrase naming equipment: `port main`, `DG2`, `raw water pump`.
    Equipment,
    /// A phrase naming a spare part: `oil filters`, `raw water impeller kit`, or its maker's
    /// number (`GM32359`, value upper-cased).
    Part,
    /// Whom a job is for: `Marco`, `me`, `the 2nd engineer`.
    Person,
    /// A number of units: `2` in `2 oil filters`.
    Quantity,
    /// A running-hours reading: `12,450` in `at 12,450 hours`.
    RunningHours,
    /// Time spent, in hours: `3.5 hours`, `45 minutes` (0.75).
    Duration,
    /// A product barcode.
    Barcode,
    /// A recurrence: `every 250 hours`, `every month`.
    Interval,
    /// Free text for a title or a note.
    Text,
}

/// One thing the query names.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub kind: MentionKind,
    /// The words as typed.
    pub text: String,
    pub span: Span,
    /// A normalised form to match records with: abbreviations expanded (`stbd main` → `starboard
    /// main`), references canonical (`wo 57` → `57`, `WO-2026-031` → `2026-031`).
    pub value: String,
    /// The number a quantity, reading, duration or interval carries.
    pub number: Option<f64>,
}

/// Extracts every mention. `meanings[i]` is what token `i` means (empty inside a phrase).
pub fn extract(query: &str, tokens: &[Token], meanings: &[Concepts]) -> Vec<Mention> {
    let mut out = Extractor { query, tokens, used: vec![false; tokens.len()], mentions: Vec::new() };
    out.references();
    out.fault_codes();
    out.part_numbers();
    out.numbers();
    out.people();
    out.chunks(meanings);
    out.mentions.sort_by_key(|m| m.span.start);
    out.mentions
}

struct Extractor<'a> {
    query: &'a str,
    tokens: &'a [Token],
    used: Vec<bool>,
    mentions: Vec<Mention>,
}

impl Extractor<'_> {
    fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    fn push(&mut self, kind: MentionKind, from: usize, to: usize, value: String, number: Option<f64>) {
        let span = Span { start: self.tokens[from].span.start, end: self.tokens[to].span.end };
        let text: String = self.query.chars().skip(span.start).take(span.end - span.start).collect();
        for used in &mut self.used[from..=to] {
            *used = true;
        }
        self.mentions.push(Mention { kind, text, span, value, number });
    }

    /// Work-order, fault and purchase-request references, glued (`WO-2026-031`, `wo57`) or
    /// spaced (`wo 57`, `work order 88`, `fault F-77`).
    fn references(&mut self) {
        for i in 0..self.tokens.len() {
            if self.used[i] {
                continue;
            }
            let word = self.norm(i).to_owned();
            for (prefix, kind) in
                [("wo", MentionKind::WorkOrder), ("pr", MentionKind::PurchaseRequest), ("f", MentionKind::Fault)]
            {
                if let Some(number) = reference_number(&word, prefix) {
                    self.push(kind, i, i, number, None);
                }
            }
            if self.used[i] {
                continue;
            }
            let spaced = match word.as_str() {
                "wo" | "job" => Some((MentionKind::WorkOrder, i + 1)),
                "work" if self.norm(i + 1) == "order" => Some((MentionKind::WorkOrder, i + 2)),
                "pr" => Some((MentionKind::PurchaseRequest, i + 1)),
                _ => None,
            };
            if let Some((kind, at)) = spaced {
                let at = if self.norm(at) == "#" || self.norm(at) == "no" { at + 1 } else { at };
                let number = self.norm(at).trim_start_matches('#').to_owned();
                if !number.is_empty() && is_reference_digits(&number) {
                    self.push(kind, i, at, number, None);
                }
            }
        }
    }

    /// Maker part numbers, as part mentions whose value is the number (see [`part_numbers`]).
    fn part_numbers(&mut self) {
        for (from, to, number) in super::part_numbers::find(self.query) {
            let inside: Vec<usize> = (0..self.tokens.len())
                .filter(|&k| self.tokens[k].span.start < to && self.tokens[k].span.end > from)
                .collect();
            if let (Some(&first), Some(&last)) = (inside.first(), inside.last())
                && !self.used[first..=last].iter().any(|u| *u)
            {
                self.push(MentionKind::Part, first, last, number, None);
            }
        }
    }

    /// `E047`, `P0300`, `SPN 110 FMI 0`, `MID 128 PID 110 FMI 0`, `J1939 721/7`, `spn675 fmi5`,
    /// and a number after `code`, `error` or `alarm`.
    fn fault_codes(&mut self) {
        let mut i = 0;
        while i < self.tokens.len() {
            if self.used[i] {
                i += 1;
                continue;
            }
            let word = self.norm(i);
            let glued_j1939 = word == "j1939" && self.norm(i + 1).contains('/');
            if glued_j1939 {
                let value = format!("J1939 {}", self.norm(i + 1));
                self.push(MentionKind::FaultCode, i, i + 1, value, None);
                i += 2;
                continue;
            }
            if let Some(end) = self.diagnostic_pairs(i) {
                let value = (i..=end).map(|k| self.norm(k).to_uppercase()).collect::<Vec<_>>().join(" ");
                self.push(MentionKind::FaultCode, i, end, value, None);
                i = end + 1;
                continue;
            }
            if is_letter_code(word) {
                let value = word.replace('-', "").to_uppercase();
                self.push(MentionKind::FaultCode, i, i, value, None);
            } else if matches!(word, "code" | "error" | "alarm" | "fault")
                && let Some(next) = self.tokens.get(i + 1)
                && !self.used[i + 1]
                && next.norm.chars().all(|c| c.is_ascii_digit())
                && next.norm.len() <= 5
                && !matches!(self.norm(i + 2), "h" | "hours" | "hrs" | "minutes")
            {
                let value = next.norm.clone();
                self.push(MentionKind::FaultCode, i + 1, i + 1, value, None);
            }
            i += 1;
        }
    }

    /// The last token of an SAE J1939 / J1587 code (`SPN 110 FMI 0`, `mid 128 pid 110 fmi 0`,
    /// `spn675 fmi5`) starting at `i`.
    fn diagnostic_pairs(&self, i: usize) -> Option<usize> {
        let labels = ["spn", "fmi", "mid", "pid", "sid", "ppid"];
        let mut k = i;
        let mut pairs = 0;
        loop {
            let word = self.norm(k);
            let label = labels.iter().find(|l| word.starts_with(**l))?;
            let rest = &word[label.len()..];
            if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
                k += 1;
            } else if rest.is_empty()
                && self.norm(k + 1).chars().all(|c| c.is_ascii_digit())
                && !self.norm(k + 1).is_empty()
            {
                k += 2;
            } else {
                break;
            }
            pairs += 1;
            if !labels.iter().any(|l| self.norm(k).starts_with(l)) {
                break;
            }
        }
        (pairs > 0).then_some(k - 1)
    }

    /// Readings, durations, intervals, barcodes and quantities: what a number means depends on
    /// the words around it.
    fn numbers(&mut self) {
        for i in 0..self.tokens.len() {
            if self.used[i] {
                continue;
            }
            let word = self.norm(i).to_owned();
            if let Some(count) = multiplied(&word) {
                self.push(MentionKind::Quantity, i, i, count.to_string(), Some(count));
                continue;
            }
            let words: Vec<&str> = self.tokens.iter().map(|t| t.norm.as_str()).collect();
            // How many tokens the number takes: `12 450`, `two and a half`, `4k`.
            let (value, last, unit_at) = if let Some((value, unit)) = glued_unit(&word) {
                (value, i, Some(unit))
            } else if let Some((value, used)) = number_at(&words, i)
                && (parse_number(&word).is_some()
                    || word.ends_with('k')
                    || is_hours_unit(self.norm(i + used))
                    || matches!(self.norm(i + used), "minutes" | "minute" | "mins" | "min"))
                && !self.used[i..i + used].iter().any(|u| *u)
            {
                (value, i + used - 1, None)
            } else {
                continue;
            };
            let previous = if i > 0 { self.norm(i - 1).to_owned() } else { String::new() };
            let unit = unit_at.map_or_else(|| self.norm(last + 1).to_owned(), str::to_owned);
            if is_measurement_unit(&unit) {
                continue;
            }
            let end = if unit_at.is_some() { last } else { last + 1 };
            let digits = word.chars().filter(char::is_ascii_digit).count();
            if (previous == "barcode" || matches!(digits, 8 | 12 | 13 | 14)) && word.chars().all(|c| c.is_ascii_digit())
            {
                self.push(MentionKind::Barcode, i, i, word.clone(), None);
            } else if matches!(previous.as_str(), "every" | "each") {
                let end = if unit_is_time(&unit) { end } else { last };
                self.push(MentionKind::Interval, i - 1, end, format!("{value} {unit}"), Some(value));
            } else if matches!(unit.as_str(), "minutes" | "minute" | "mins" | "min") {
                self.push(MentionKind::Duration, i, end, format!("{value} minutes"), Some(value / 60.0));
            } else if is_hours_unit(&unit) && value <= 24.0 && !self.reading_context(i) {
                self.push(MentionKind::Duration, i, end, format!("{value} hours"), Some(value));
            } else if is_hours_unit(&unit) || (value >= 50.0 && self.reading_context(i)) {
                let end = if is_hours_unit(&unit) { end } else { last };
                self.push(MentionKind::RunningHours, i, end, value.to_string(), Some(value));
            } else if value > 0.0 && value < 10_000.0 && !self.is_label_number(i) {
                self.push(MentionKind::Quantity, i, last, value.to_string(), Some(value));
            }
        }
        for i in 0..self.tokens.len() {
            if !self.used[i]
                && let Some(value) = number_word(self.norm(i))
                && self.norm(i) != "a"
                && self.norm(i) != "an"
                && self.counts_an_item(i)
            {
                self.push(MentionKind::Quantity, i, i, value.to_string(), Some(value));
            }
        }
    }

    /// Whether the words before token `i` talk about a meter: `hour meter reads 12,503`, `running
    /// hours to 8,210`, `is at 12450`.
    fn reading_context(&self, i: usize) -> bool {
        let before = (i.saturating_sub(4)..i).map(|k| self.norm(k)).collect::<Vec<_>>();
        // `DG1 12450`: a bare number right after an equipment code reads its meter.
        let after_code = i > 0 && is_equipment_code(self.norm(i - 1));
        // `port main hours 12480`: the unit before the figure, as a meter's label.
        after_code
            || before.iter().any(|w| {
                matches!(*w, "meter" | "reads" | "reading" | "hourmeter" | "running" | "at" | "now") || is_hours_unit(w)
            })
    }

    /// Whether the number word at `i` counts an item: "one fuel filter", "two filters", not "one of".
    /// One describing word may come between (`fuel`, `spare`, `new`), never another number.
    fn counts_an_item(&self, i: usize) -> bool {
        let part_number = |j: usize| {
            self.mentions.iter().any(|m| m.kind == MentionKind::Part && m.span.start == self.tokens[j].span.start)
        };
        let names_item = |j: usize| {
            self.tokens.get(j).is_some_and(|t| super::lexicon::word(&t.norm).has_any(Concepts::of(&[Item, PartWord])))
                || (j < self.tokens.len() && part_number(j))
        };
        let plain = |j: usize| {
            self.tokens.get(j).is_some_and(|t| {
                !is_stopword(&t.norm) && number_word(&t.norm).is_none() && parse_number(&t.norm).is_none()
            })
        };
        names_item(i + 1) || (plain(i + 1) && names_item(i + 2))
    }

    /// `generator 2`, `chiller 3`, `step 3`, `deck 4`: a number that names rather than counts.
    fn is_label_number(&self, i: usize) -> bool {
        i > 0 && {
            let previous = self.norm(i - 1);
            let meaning = super::lexicon::word(previous);
            meaning.has(Equipment) || matches!(previous, "step" | "item" | "deck" | "number" | "no" | "#" | "line")
        }
    }

    /// `to Marco`, `to me`, `to the 2nd engineer`: whoever a job is handed to.
    fn people(&mut self) {
        for i in 0..self.tokens.len() {
            if self.used.get(i + 1).is_none_or(|u| *u) || !self.hands_over(i) {
                continue;
            }
            let mut k = i + 1;
            if self.norm(k) == "the" {
                k += 1;
            }
            let Some(next) = self.tokens.get(k) else { continue };
            let role_end = role_phrase_end(self.tokens, k);
            if next.norm == "me" || next.norm == "myself" {
                self.push(MentionKind::Person, k, k, "me".to_owned(), None);
            } else if let Some(end) = role_end {
                let value = (k..=end).map(|j| self.norm(j)).collect::<Vec<_>>().join(" ");
                self.push(MentionKind::Person, k, end, value, None);
            } else if next.raw.chars().next().is_some_and(char::is_uppercase)
                && next.raw.chars().all(char::is_alphabetic)
                && !super::lexicon::knows(&next.norm)
                && !is_stopword(&next.norm)
            {
                let end = if self.tokens.get(k + 1).is_some_and(|t| {
                    t.raw.chars().next().is_some_and(char::is_uppercase) && t.raw.chars().all(char::is_alphabetic)
                }) {
                    k + 1
                } else {
                    k
                };
                let value = (k..=end).map(|j| self.tokens[j].raw.as_str()).collect::<Vec<_>>().join(" ");
                self.push(MentionKind::Person, k, end, value, None);
            }
        }
    }

    /// Whether the token after `i` is whom work goes to: `to Priya`, `→ ETO`, `put Sofia on`,
    /// `assign Priya to`.
    fn hands_over(&self, i: usize) -> bool {
        let next = &self.tokens[i + 1];
        let name_like = next.raw.chars().next().is_some_and(char::is_uppercase) || next.norm == "me";
        let between: String =
            self.query.chars().skip(self.tokens[i].span.end).take(next.span.start - self.tokens[i].span.end).collect();
        match self.norm(i) {
            "to" => true,
            _ if between.contains('→') || between.contains("->") || between.contains("=>") => true,
            "put" | "get" | "have" | "let" | "assign" | "reassign" | "give" => {
                name_like && matches!(self.norm(i + 2), "on" | "to" | "onto" | "the" | "with" | "")
            }
            _ => false,
        }
    }

    /// Noun phrases headed by a part word become part mentions, then phrases around equipment
    /// words become equipment mentions.
    fn chunks(&mut self, meanings: &[Concepts]) {
        for (start, end) in self.part_ranges(meanings) {
            let value = canonical_phrase(&self.tokens[start..=end]);
            self.push(MentionKind::Part, start, end, value, None);
        }
        for (start, end) in self.equipment_ranges(meanings) {
            let value = canonical_phrase(&self.tokens[start..=end]);
            self.push(MentionKind::Equipment, start, end, value, None);
        }
    }

    fn content(&self, k: usize, meanings: &[Concepts]) -> bool {
        !self.used[k] && is_content(&self.tokens[k], meanings[k])
    }

    /// Where a name that ends at `k` starts: back over names and modifiers within the clause.
    fn name_start(&self, k: usize, meanings: &[Concepts]) -> usize {
        let mut start = k;
        while start > 0 && self.content(start - 1, meanings) && !self.tokens[start - 1].ends_clause {
            start -= 1;
        }
        start
    }

    /// `oil filters`, `raw water impeller kit`, `watermaker membranes`: a run of part words and
    /// what qualifies it.
    fn part_ranges(&self, meanings: &[Concepts]) -> Vec<(usize, usize)> {
        let item = |k: usize| meanings[k].has(Item);
        let mut ranges = Vec::new();
        let mut k = 0;
        while k < self.tokens.len() {
            if self.content(k, meanings) && item(k) {
                let mut end = k;
                while end + 1 < self.tokens.len() && self.content(end + 1, meanings) && item(end + 1) {
                    end += 1;
                }
                ranges.push((self.past_the_machine(self.name_start(k, meanings), k, meanings), end));
                k = end + 1;
            } else {
                k += 1;
            }
        }
        ranges
    }

    /// Where a part's own words start when its phrase leads with one particular machine: "DG-1
    /// oil filter" and "port main engine raw water impeller" are that machine's part, and the
    /// machine is an equipment mention of its own. A machine named only by kind stays in the
    /// part's name: "engine oil", "watermaker membranes".
    fn past_the_machine(&self, start: usize, first_item: usize, meanings: &[Concepts]) -> usize {
        const SIDES: [&str; 9] = ["port", "starboard", "stbd", "stb", "sb", "ps", "fwd", "forward", "aft"];
        let machine = |j: usize| meanings[j].has(Equipment) || is_equipment_code(&self.tokens[j].norm);
        let digits =
            |j: usize| self.tokens[j].norm.len() <= 2 && self.tokens[j].norm.chars().all(|c| c.is_ascii_digit());
        // The machine ends at its last machine word or number: in "stbd main fuel filters" the
        // fuel qualifies the filters.
        let (mut machine_end, mut named, mut particular) = (start, false, false);
        let mut j = start;
        while j < first_item && (machine(j) || digits(j) || is_modifier(&self.tokens[j].norm)) {
            named |= machine(j);
            let norm = self.tokens[j].norm.as_str();
            particular |= is_equipment_code(norm) || digits(j) || SIDES.contains(&norm);
            if machine(j) || digits(j) {
                machine_end = j + 1;
            }
            j += 1;
        }
        if named && particular { machine_end } else { start }
    }

    /// `port main`, `generator 2`, `DG1`, `the tender davit crane`.
    fn equipment_ranges(&self, meanings: &[Concepts]) -> Vec<(usize, usize)> {
        let equipment = |j: usize| meanings[j].has(Equipment) || is_equipment_code(&self.tokens[j].norm);
        let mut ranges = Vec::new();
        let mut k = 0;
        while k < self.tokens.len() {
            if self.content(k, meanings) && equipment(k) {
                let start = self.name_start(k, meanings);
                let mut end = k;
                while end + 1 < self.tokens.len()
                    && !self.tokens[end].ends_clause
                    && !self.used[end + 1]
                    && (equipment(end + 1)
                        || (is_modifier(&self.tokens[end + 1].norm) && meanings[end + 1].intents().is_empty())
                        || (self.tokens[end + 1].norm.len() <= 2
                            && self.tokens[end + 1].norm.chars().all(|c| c.is_ascii_digit())))
                {
                    end += 1;
                }
                ranges.push((start, end));
                k = end + 1;
            } else {
                k += 1;
            }
        }
        ranges
    }
}

/// A word that can be part of a name: not a stop word, not a request verb, not a number.
fn is_content(token: &Token, meaning: Concepts) -> bool {
    let word = token.norm.as_str();
    // `me` is a stop word unless its context made it the main engine (`stbd ME`).
    if (is_stopword(word) && !meaning.has(Equipment)) || token.is_number() {
        return false;
    }
    let naming = Concepts::of(&[Equipment, Item, PartWord]);
    meaning.is_empty() || meaning.has_any(naming) || is_modifier(word)
}

/// `WO-2026-031` → `2026-031`, `wo57` → `57`, for the given prefix.
fn reference_number(word: &str, prefix: &str) -> Option<String> {
    let rest = word.strip_prefix(prefix)?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    (!rest.is_empty()
        && is_reference_digits(rest)
        // `f-88` is a fault reference; `f88` could be anything.
        && (prefix != "f" || word.contains('-')))
    .then(|| rest.to_owned())
}

/// `57`, `2026-031`.
fn is_reference_digits(text: &str) -> bool {
    let mut groups = text.split('-');
    let all_digits = |g: &str| !g.is_empty() && g.len() <= 6 && g.chars().all(|c| c.is_ascii_digit());
    groups.next().is_some_and(all_digits) && groups.next().is_none_or(all_digits) && groups.next().is_none()
}

/// A manufacturer's alarm code: one letter then three or four digits (`E047`, `P0300`).
/// `E047`, `e-047`, `P0300`: a letter and three or four digits, as dashboards show fault codes.
fn is_letter_code(word: &str) -> bool {
    let word = match word.split_once('-') {
        Some((letter, digits)) if letter.len() == 1 => format!("{letter}{digits}"),
        _ => word.to_owned(),
    };
    let mut chars = word.chars();
    chars.next().is_some_and(|c| matches!(c, 'e' | 'p' | 'a' | 'c' | 'u' | 'b'))
        && word.len() >= 4
        && word.len() <= 5
        && chars.all(|c| c.is_ascii_digit())
}

/// `x3`, `3x`, `3pcs`, `10ltr`: a count with its multiplier or unit glued on.
fn multiplied(word: &str) -> Option<f64> {
    let count = word.strip_prefix('x').filter(|rest| rest.chars().all(|c| c.is_ascii_digit())).or_else(|| {
        ["pcs", "pc", "ea", "x", "ltrs", "ltr", "litres", "liters", "l"]
            .iter()
            .find_map(|unit| word.strip_suffix(unit))
            .filter(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
    })?;
    parse_number(count).filter(|&n| n > 0.0 && n < 10_000.0)
}

/// `3345h`, `12450hrs`, `45min`.
fn glued_unit(word: &str) -> Option<(f64, &'static str)> {
    for unit in ["hours", "hrs", "hr", "h", "minutes", "mins", "min"] {
        if let Some(number) = word.strip_suffix(unit)
            && let Some(value) = parse_number(number)
        {
            return Some((value, unit));
        }
    }
    None
}

/// `1800 rpm`, `95 C`, `24 V`: a measurement, neither a count nor a reading of hours.
fn is_measurement_unit(unit: &str) -> bool {
    matches!(unit, "rpm" | "c" | "f" | "v" | "volts" | "volt" | "bar" | "psi" | "kw" | "kpa" | "a" | "amps" | "degrees")
        || matches!(unit, "percent" | "knots" | "kts" | "nm" | "mm" | "cm" | "hz" | "kva" | "ppm" | "mv")
}

fn is_hours_unit(unit: &str) -> bool {
    matches!(unit, "h" | "hr" | "hrs" | "hour" | "hours")
}

fn unit_is_time(unit: &str) -> bool {
    is_hours_unit(unit)
        || matches!(unit, "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years" | "minutes")
}

/// Crew roles after `to`: `2nd engineer`, `chief engineer`, `bosun`, `eto`.
fn role_phrase_end(tokens: &[Token], k: usize) -> Option<usize> {
    let word = |j: usize| tokens.get(j).map_or("", |t| t.norm.as_str());
    let roles = ["engineer", "officer", "mate", "bosun", "eto", "captain", "deckhand", "stewardess", "chef", "purser"];
    if roles.contains(&word(k)) {
        return Some(k);
    }
    let ranks = ["2nd", "second", "3rd", "third", "chief", "first", "1st", "junior", "senior", "lead", "head"];
    (ranks.contains(&word(k)) && roles.contains(&word(k + 1))).then_some(k + 1)
}
