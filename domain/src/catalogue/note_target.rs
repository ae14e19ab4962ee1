//! A note goes on the most specific record the query names. "Note on the DG-1 oil change: use
//! 15W40" names a machine and, by its title, the job on it; the note belongs on the job. The
//! detector reads words, not the yacht's records, so it cannot tell; the catalogue can.

use super::Catalogue;
use crate::actions::{self, ActionName, ActionSpec};
use crate::detect::{Candidate, Detection};

/// The notes a note on equipment may really be, most specific first.
const MORE_SPECIFIC: [&str; 2] = ["add_work_order_note", "add_fault_note"];

impl Catalogue {
    /// When the top action is a note on equipment and the query names one of this yacht's work
    /// orders or faults outright, the note on that record comes first (at the same confidence)
    /// and the note on the equipment follows it.
    pub fn retarget_note(&self, query: &str, detection: &mut Detection) {
        let Some(top) = detection.top() else { return };
        if top.action.name != ActionName::AddEquipmentNote {
            return;
        }
        let Some(target) = MORE_SPECIFIC
            .into_iter()
            .filter_map(actions::find)
            .filter_map(|spec| Some((spec, self.named_outright(query, detection, spec)?)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(spec, _)| spec)
        else {
            return;
        };
        let kept = detection.candidates.len();
        detection.candidates.retain(|c| c.action.name != target.name);
        detection.candidates.insert(0, Candidate { action: target, ..top });
        detection.candidates.truncate(kept.max(2));
    }

    /// The score of the one record of `spec`'s kind the query names outright: by number or code,
    /// or by every word of its title (a machine's name and a symptom are not enough).
    fn named_outright(&self, query: &str, detection: &Detection, spec: &ActionSpec) -> Option<f64> {
        self.link(detection, Some(spec)).iter().filter(|link| link.entity == spec.entity).find_map(|link| {
            let named = link.unambiguous()?;
            let outright = link.span.is_some() || self.title_typed(named.record.id, query);
            outright.then_some(named.score)
        })
    }
}
