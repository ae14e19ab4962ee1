//! A yacht's records as the search bar reads them, held in memory: names and codes to resolve
//! the detector's mentions against, and every record's words to rank by. Matching a few hundred
//! names here costs microseconds; the same trigram arithmetic in SQL cost milliseconds of the
//! database's time on every search.

mod link;
mod makes;
mod note_target;
pub mod people;
mod rank;
mod trigram;

use std::collections::BTreeMap;

use uuid::Uuid;

pub use self::link::{AMBIGUITY, Link};
pub use self::rank::Hit;
pub use self::trigram::Trigrams;
use crate::actions::{EntityType, RecordState};
use crate::maintenance::equipment::EquipmentStatus;
use crate::maintenance::work_order::WorkOrderNumber;

/// A record as loaded from the yacht's database.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Equipment, a fault, a work order or a part.
    pub entity: EntityType,
    pub id: Uuid,
    /// Equipment and part names; fault and work-order titles.
    pub name: String,
    /// Equipment code, part number, fault code, `WO-2026-0001`; empty when there is none.
    pub code: String,
    pub state: RecordState,
    /// Further words to find it by (system, maker, model, description, barcode).
    pub details: String,
    /// Equipment only: its maker and model, which crews name it by; empty otherwise.
    pub maker: String,
    pub model: String,
    /// Work orders only.
    pub number: Option<WorkOrderNumber>,
    /// The equipment it belongs to: a component's parent, a fault's or work order's equipment.
    pub parent: Option<Uuid>,
}

/// A record a mention names, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<'a> {
    pub record: &'a Record,
    /// How well the mention matches, 0 to 1.
    pub score: f64,
}

/// The lowest score a name match needs to count.
const NAME_MATCH: f64 = 0.45;
/// What naming a part's own equipment adds: more than any other tie-breaker, so "fuel filter on
/// generator 2" is generator 2's filter even though both filters match the words equally.
const PART_OWNER_BONUS: f64 = 0.2;

#[derive(Debug)]
struct Entry {
    record: Record,
    name: Trigrams,
    /// The code with only its letters and digits, lower-cased (`dg2` for `DG-2`).
    code_key: String,
    /// Faults and work orders: the title's words as the detector reads a query's.
    title_terms: Vec<String>,
}

/// One yacht's equipment, faults, work orders and parts.
#[derive(Debug, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    /// Every word of every record, with the records holding it (as name or code, or in details).
    words: BTreeMap<String, Vec<Posting>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    entry: u32,
    in_name: bool,
}

impl Catalogue {
    pub fn new(records: Vec<Record>) -> Self {
        let mut words: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        let entries: Vec<Entry> = records
            .into_iter()
            .map(|record| {
                let titled = matches!(record.entity, EntityType::Fault | EntityType::WorkOrder);
                let title_terms = if titled { crate::detect::search_terms(&record.name) } else { Vec::new() };
                Entry { name: Trigrams::of(&record.name), code_key: code_key(&record.code), title_terms, record }
            })
            .collect();
        for (index, entry) in entries.iter().enumerate() {
            let entry_index = u32::try_from(index).unwrap_or(u32::MAX);
            let named = [entry.record.code.as_str(), entry.record.name.as_str()];
            for (text, in_name) in named.iter().map(|t| (*t, true)).chain([(entry.record.details.as_str(), false)]) {
                for word in words_of(text) {
                    let postings = words.entry(word).or_default();
                    match postings.last_mut() {
                        Some(last) if last.entry == entry_index => last.in_name |= in_name,
                        _ => postings.push(Posting { entry: entry_index, in_name }),
                    }
                }
            }
        }
        Self { entries, words }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Equipment in service whose name or code the mention matches: `phrase` is the detector's
    /// normalised form (`generator 2`), `typed` what the user wrote (`DG2`), compared with codes.
    pub fn equipment_named(&self, phrase: &str, typed: &str, limit: usize) -> Vec<Named<'_>> {
        let phrase_trigrams = Trigrams::of(phrase);
        let typed_key = code_key(typed);
        self.best(limit, |entry| {
            let in_service = entry.record.state != RecordState::Equipment(EquipmentStatus::Decommissioned);
            (entry.record.entity == EntityType::Equipment && in_service).then(|| {
                if !typed_key.is_empty() && entry.code_key == typed_key {
                    1.0
                } else {
                    name_score(&phrase_trigrams, &entry.name)
                }
            })
        })
    }

    /// Parts whose name or number the mention matches; `context` (the equipment named alongside,
    /// if any) breaks ties between the same part for different equipment. A maker's number
    /// names every stock line carrying it (`GM32359` names `GM32359/DG-1` and `GM32359/DG-2`).
    pub fn parts_named(&self, phrase: &str, context: Option<&str>, limit: usize) -> Vec<Named<'_>> {
        let phrase_trigrams = Trigrams::of(phrase);
        let owner = context.map(|c| format!("({})", c.to_lowercase()));
        let context = context.map(Trigrams::of);
        let key = code_key(phrase);
        let numbered = key.chars().any(|c| c.is_ascii_digit());
        self.best(limit, |entry| {
            (entry.record.entity == EntityType::Part).then(|| {
                let names_owner = owner.as_ref().is_some_and(|o| entry.record.name.to_lowercase().contains(o.as_str()));
                let bonus = if names_owner {
                    PART_OWNER_BONUS
                } else {
                    context.as_ref().map_or(0.0, |c| 0.1 * c.word_similarity(&entry.name))
                };
                let maker_number = entry.record.code.split('/').next().unwrap_or_default();
                if numbered && entry.code_key == key {
                    1.0 + PART_OWNER_BONUS
                } else if numbered && code_key(maker_number) == key {
                    0.9 + bonus
                } else {
                    name_score(&phrase_trigrams, &entry.name) + bonus
                }
            })
        })
    }

    /// The work order with this number: `2026-031` exactly, or `57` as the sequence in the
    /// latest year that has it.
    pub fn work_order_numbered(&self, number: &str) -> Option<&Record> {
        let (year, sequence) = match number.split_once('-') {
            Some((year, sequence)) => (Some(year.parse::<i32>().ok()?), sequence.parse::<u32>().ok()?),
            None => (None, number.parse::<u32>().ok()?),
        };
        self.entries
            .iter()
            .filter_map(|entry| entry.record.number.map(|n| (n, &entry.record)))
            .filter(|(n, _)| n.sequence == sequence && year.is_none_or(|y| y == n.year))
            .max_by_key(|(n, _)| n.year)
            .map(|(_, record)| record)
    }

    /// Scores each entry `score` accepts, keeps those above [`NAME_MATCH`], best first (then the
    /// shorter name, then the code), at most `limit`.
    fn best(&self, limit: usize, score: impl Fn(&Entry) -> Option<f64>) -> Vec<Named<'_>> {
        let mut found: Vec<Named<'_>> = self
            .entries
            .iter()
            .filter_map(|entry| score(entry).map(|score| Named { record: &entry.record, score }))
            .filter(|named| named.score >= NAME_MATCH)
            .collect();
        found.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.record.name.chars().count().cmp(&b.record.name.chars().count()))
                .then_with(|| a.record.code.cmp(&b.record.code))
        });
        found.truncate(limit);
        found
    }
}

/// Mostly how much of the phrase the name holds, partly how alike the two are as wholes.
fn name_score(phrase: &Trigrams, name: &Trigrams) -> f64 {
    0.7 * phrase.word_similarity(name) + 0.3 * phrase.similarity(name)
}

fn code_key(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Lower-case runs of letters and digits.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

#[cfg(test)]
mod tests;
