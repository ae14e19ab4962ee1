//! Ranking a yacht's records for the words of a query: a record is found when one of its words
//! starts with a query term (`impel` finds `impeller`), and ranked by how closely its name
//! matches the query's words, plus a little for each term it holds.

use std::collections::HashMap;

use super::trigram::count;
use super::{Catalogue, Record, Trigrams, name_score};

/// A record the terms found.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'a> {
    pub record: &'a Record,
    /// The code and the name: `DG2 Generator 2`, `WO-2026-0001 Generator 2 oil change`.
    pub title: String,
    pub score: f64,
}

/// What a term held in a record's name or code counts, as a share of all the terms.
const NAME_TERMS: f64 = 0.1;
/// What a term held only in the record's details counts.
const DETAIL_TERMS: f64 = 0.05;

impl Catalogue {
    /// Records holding any of `terms` (plain lower-case words), best first, at most `limit`.
    pub fn records_matching(&self, terms: &[String], limit: usize) -> Vec<Hit<'_>> {
        let terms: Vec<&str> = terms.iter().map(String::as_str).filter(|t| !t.is_empty()).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        // Per entry: the terms found in its name or code, and those found only in its details.
        let mut found: HashMap<u32, (u32, u32)> = HashMap::new();
        for term in &terms {
            let mut seen: HashMap<u32, bool> = HashMap::new();
            let words = self.words.range::<str, _>((std::ops::Bound::Included(*term), std::ops::Bound::Unbounded));
            for (_, postings) in words.take_while(|(word, _)| word.starts_with(term)) {
                for posting in postings {
                    *seen.entry(posting.entry).or_default() |= posting.in_name;
                }
            }
            for (entry, in_name) in seen {
                let counts = found.entry(entry).or_default();
                if in_name { counts.0 += 1 } else { counts.1 += 1 }
            }
        }
        let query = Trigrams::of(&terms.join(" "));
        let share = 1.0 / count(terms.len());
        let mut hits: Vec<Hit<'_>> = found
            .into_iter()
            .filter_map(|(index, (in_name, in_details))| {
                let entry = self.entries.get(usize::try_from(index).ok()?)?;
                let terms_held = share * (NAME_TERMS * f64::from(in_name) + DETAIL_TERMS * f64::from(in_details));
                let record = &entry.record;
                let title = if record.code.is_empty() {
                    record.name.clone()
                } else {
                    format!("{} {}", record.code, record.name)
                };
                Some(Hit { record, title, score: name_score(&query, &entry.name) + terms_held })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.title.cmp(&b.title)));
        hits.truncate(limit);
        hits
    }
}
