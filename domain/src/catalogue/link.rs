//! Entity linking: the records of the yacht a query names, for the action it asks for.
//!
//! Equipment and parts by name or code, work orders by number, faults by code in any spelling
//! (`E047`, `e-047`, `SPN 110 FMI 0`). And, when the action is about a fault or a work order
//! the query names only in words ("the chiller short cycling fault", "the DG-2 belt change is
//! done"), the records whose titles those words cover, helped by the equipment named alongside
//! and preferring the states the action accepts (start → planned, complete → in progress).
//! Every list holds only this yacht's records: the catalogue is one yacht's.

use uuid::Uuid;

use super::{Catalogue, Entry, Named, Trigrams, code_key, words_of};
use crate::actions::{ActionSpec, Enablement, EntityType, RecordState};
use crate::detect::{Detection, MentionKind, Span};

/// Candidates kept per mention.
const CANDIDATES: usize = 3;
/// Candidates this close to the best are as likely: the mention is ambiguous.
pub const AMBIGUITY: f64 = 0.05;
/// The least a title match must score to name a record.
const TITLE_MATCH: f64 = 0.5;

/// The records one piece of the query names, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Link<'a> {
    pub entity: EntityType,
    /// The words that name it; `None` when the whole query's words did.
    pub span: Option<Span>,
    pub text: String,
    pub candidates: Vec<Named<'a>>,
}

impl Link<'_> {
    /// The one record meant, unless another is about as likely.
    pub fn unambiguous(&self) -> Option<&Named<'_>> {
        let best = self.candidates.first()?;
        let tied = self.candidates.get(1).is_some_and(|next| best.score - next.score <= AMBIGUITY);
        (!tied).then_some(best)
    }
}

impl Catalogue {
    /// Links the query's mentions, and for `action` the fault or work order it names in words.
    pub fn link<'a>(&'a self, detection: &Detection, action: Option<&ActionSpec>) -> Vec<Link<'a>> {
        let mut links = Vec::new();
        // Parts are named "<what> (<equipment name>)": the equipment named alongside, once
        // linked, tells one generator's fuel filter from the other's.
        let equipment_mention = detection.mention(MentionKind::Equipment);
        let equipment_named = equipment_mention.and_then(|m| {
            let found = within_ambiguity(parents_over_their_parts(
                self.equipment_named(&m.value, &m.text, CANDIDATES),
                &m.text,
            ));
            let link = Link { entity: EntityType::Equipment, span: None, text: String::new(), candidates: found };
            link.unambiguous().map(|n| n.record.name.clone())
        });
        // Failing that, the machine of the work order named: "WO 3 used 2 impellers" means that
        // job's machine's impellers.
        let job_machine = || {
            let number = detection.mention(MentionKind::WorkOrder)?;
            let machine = self.work_order_numbered(&number.value)?.parent?;
            self.entries.iter().find(|e| e.record.id == machine).map(|e| e.record.name.clone())
        };
        let equipment_named = equipment_named.or_else(|| equipment_mention.is_none().then(job_machine).flatten());
        let part_context = equipment_named.as_deref().or(equipment_mention.map(|m| m.value.as_str()));
        for mention in &detection.mentions {
            let (entity, found) = match mention.kind {
                MentionKind::Equipment => {
                    let found = self.equipment_named(&mention.value, &mention.text, CANDIDATES);
                    (EntityType::Equipment, parents_over_their_parts(found, &mention.text))
                }
                MentionKind::Part => (EntityType::Part, self.parts_named(&mention.value, part_context, CANDIDATES)),
                MentionKind::WorkOrder => (
                    EntityType::WorkOrder,
                    self.work_order_numbered(&mention.value)
                        .map(|record| Named { record, score: 1.0 })
                        .into_iter()
                        .collect(),
                ),
                MentionKind::FaultCode => (EntityType::Fault, self.faults_coded(&mention.value, action)),
                _ => continue,
            };
            if !found.is_empty() {
                let candidates = within_ambiguity(found);
                links.push(Link { entity, span: Some(mention.span), text: mention.text.clone(), candidates });
            }
        }
        self.narrow_by_make(detection, &mut links);
        if let Some(action) = action
            && matches!(action.entity, EntityType::Fault | EntityType::WorkOrder)
            && !links.iter().any(|l| l.entity == action.entity)
        {
            let equipment: Vec<Uuid> = links
                .iter()
                .filter(|l| l.entity == EntityType::Equipment)
                .filter_map(|l| l.unambiguous().map(|n| n.record.id))
                .collect();
            let found = self.titled(action.entity, &detection.terms, &equipment, action.enabled);
            if !found.is_empty() {
                let text = detection.terms.join(" ");
                links.push(Link { entity: action.entity, span: None, text, candidates: within_ambiguity(found) });
            }
        }
        links
    }

    /// Faults with this code, those the action can act on first.
    fn faults_coded(&self, code: &str, action: Option<&ActionSpec>) -> Vec<Named<'_>> {
        let key = code_key(code);
        if key.is_empty() {
            return Vec::new();
        }
        let enabled = action.filter(|a| a.entity == EntityType::Fault).map(|a| a.enabled);
        self.preferring(enabled, |entry| {
            (entry.record.entity == EntityType::Fault && entry.code_key == key).then_some(1.0)
        })
    }

    /// Faults or work orders whose titles the query's terms cover.
    fn titled(&self, entity: EntityType, terms: &[String], equipment: &[Uuid], enabled: Enablement) -> Vec<Named<'_>> {
        let terms: Vec<&str> = terms.iter().map(String::as_str).filter(|t| !is_generic(t)).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let related = self.related_equipment(equipment);
        self.preferring(Some(enabled), |entry| {
            if entry.record.entity != entity || entry.title_terms.is_empty() {
                return None;
            }
            let held = |a: &str, within: &[&str]| within.iter().any(|b| same_word(a, b));
            let title: Vec<&str> = entry.title_terms.iter().map(String::as_str).collect();
            #[allow(clippy::cast_precision_loss)] // a few words
            let share = |part: usize, whole: usize| part as f64 / whole as f64;
            let title_covered = share(title.iter().filter(|w| held(w, &terms)).count(), title.len());
            let query_covered = share(terms.iter().filter(|w| held(w, &title)).count(), terms.len());
            let on_equipment = entry.record.parent.is_some_and(|p| related.contains(&p));
            let equipment_bonus = match (equipment.is_empty(), on_equipment) {
                (false, true) => 0.3,
                (false, false) => -0.4,
                (true, _) => 0.0,
            };
            let score = 0.6 * title_covered + 0.3 * query_covered + equipment_bonus;
            (score >= TITLE_MATCH && title_covered > 0.0).then_some(score.min(1.0))
        })
    }

    /// Whether the query, word for word, holds every word of this record's title. Raw words, not
    /// search terms: "oil change" and "oil weep" are the same terms once the verb is dropped.
    pub(super) fn title_typed(&self, record: Uuid, query: &str) -> bool {
        let Some(entry) = self.entries.iter().find(|e| e.record.id == record) else { return false };
        let typed: Vec<String> = words_of(query).collect();
        let mut title = words_of(&entry.record.name).filter(|w| !is_generic(w)).peekable();
        title.peek().is_some() && title.all(|word| typed.iter().any(|t| same_word(&word, t)))
    }

    /// The equipment named and everything above and below it in the tree: a job on the raw-water
    /// pump is about the engine it belongs to, and the engine's job is about its pump.
    fn related_equipment(&self, named: &[Uuid]) -> Vec<Uuid> {
        let mut related: Vec<Uuid> = named.to_vec();
        let parent_of = |id: Uuid| self.entries.iter().find(|e| e.record.id == id).and_then(|e| e.record.parent);
        for &id in named {
            let mut up = parent_of(id);
            while let Some(parent) = up.filter(|p| !related.contains(p)) {
                related.push(parent);
                up = parent_of(parent);
            }
        }
        // Descendants: a few passes over the entries reach any depth the yacht has.
        for _ in 0..4 {
            for entry in &self.entries {
                if entry.record.entity == EntityType::Equipment
                    && entry.record.parent.is_some_and(|p| related.contains(&p))
                    && !related.contains(&entry.record.id)
                {
                    related.push(entry.record.id);
                }
            }
        }
        related
    }

    /// Scored entries, best first; those whose state `enabled` allows come before all others.
    fn preferring(&self, enabled: Option<Enablement>, score: impl Fn(&Entry) -> Option<f64>) -> Vec<Named<'_>> {
        let mut found: Vec<(bool, Named<'_>)> = self
            .entries
            .iter()
            .filter_map(|entry| {
                let allowed = enabled
                    .is_none_or(|e| e.allows(entry.record.state) || entry.record.state == RecordState::Stateless);
                score(entry).map(|score| (allowed, Named { record: &entry.record, score }))
            })
            .collect();
        found.sort_by(|(a_ok, a), (b_ok, b)| {
            b_ok.cmp(a_ok).then_with(|| b.score.total_cmp(&a.score)).then_with(|| a.record.code.cmp(&b.record.code))
        });
        // When some can be acted on, the others are not candidates at all.
        if found.first().is_some_and(|(ok, _)| *ok) {
            found.retain(|(ok, _)| *ok);
        }
        found.into_iter().take(CANDIDATES).map(|(_, named)| named).collect()
    }
}

/// "the air handler" is the air handler, not its "Air handler, main deck sensor set": a
/// sub-assembly listed with its parent is dropped unless the query types a word its name adds.
fn parents_over_their_parts<'a>(found: Vec<Named<'a>>, typed: &str) -> Vec<Named<'a>> {
    let typed: Vec<String> = words_of(typed).collect();
    let keep = |child: &Named<'_>| {
        let Some(parent) = found.iter().find(|p| Some(p.record.id) == child.record.parent) else { return true };
        let parent_words: Vec<String> = words_of(&parent.record.name).collect();
        words_of(&child.record.name).any(|w| !parent_words.contains(&w) && typed.contains(&w))
    };
    let kept: Vec<bool> = found.iter().map(keep).collect();
    found.into_iter().zip(kept).filter_map(|(named, keep)| keep.then_some(named)).collect()
}

/// Keeps the candidates about as likely as the best one.
pub(super) fn within_ambiguity(found: Vec<Named<'_>>) -> Vec<Named<'_>> {
    let top = found.first().map_or(0.0, |n| n.score);
    found.into_iter().filter(|n| top - n.score <= AMBIGUITY).collect()
}

/// Words that name no particular record: the kind of record itself, and filler.
fn is_generic(word: &str) -> bool {
    matches!(
        word,
        "job"
            | "work"
            | "order"
            | "wo"
            | "task"
            | "fault"
            | "alarm"
            | "issue"
            | "problem"
            | "ticket"
            | "one"
            | "done"
            | "finished"
            | "complete"
            | "completed"
            | "fixed"
            | "sorted"
            | "again"
            | "now"
    )
}

/// Two words are the same when equal, one a prefix of the other of four letters or more
/// (`overhaul`/`overhauled`), or alike but for a typo.
pub(super) fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() >= 4 && long.starts_with(short) {
        return true;
    }
    short.len() >= 5 && Trigrams::of(a).similarity(&Trigrams::of(b)) >= 0.5
}

#[cfg(test)]
#[path = "link_tests.rs"]
mod tests;
