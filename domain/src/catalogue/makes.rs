//! Equipment named by its maker or model: "the Northern Lights", "ZF 3050 specs", "Alfa Laval
//! bowl". The detector knows equipment words ("generator", "DG2"), not the brands a yacht
//! carries; the catalogue does.

use super::link::{same_word, within_ambiguity};
use super::{Catalogue, Link, Named, code_key, words_of};
use crate::actions::{self, EntityType};
use crate::detect::{Candidate, Detection};

/// A model number typed in full (`ZF 3050`, `MIB 303`, `99EFOZ`).
const WHOLE_MODEL: f64 = 1.0;
/// One word of a model that holds letters and digits (`M96L`, `16V`, `F250`).
const MODEL_WORD: f64 = 0.9;
/// The maker's name in full (`Northern Lights`, `Kohler`).
const MAKER: f64 = 0.8;
/// Both maker and model: surer than either.
const BOTH: f64 = 0.05;

/// How sure a line that names only a maker or model is to ask about that equipment (a read:
/// above the floor reads need).
const NAMED_BY_MAKE: f32 = 0.7;

impl Catalogue {
    /// A line that proposes nothing but types a maker or model of the yacht's equipment ("ZF
    /// 3050", "Northern Lights specs") asks to see that equipment.
    pub fn propose_by_make(&self, detection: &mut Detection) {
        if !detection.candidates.is_empty() || detection.guards.silences() {
            return;
        }
        if !self.equipment_by_make(&detection.terms).is_empty()
            && let Some(details) = actions::find("view_equipment_details")
        {
            detection.candidates.push(Candidate::new(details, NAMED_BY_MAKE));
        }
    }

    /// Equipment by maker or model: the link when the query names no equipment otherwise, or the
    /// one record among an ambiguous link's candidates that the maker picks out ("the Northern
    /// Lights genset" among three generators).
    pub(super) fn narrow_by_make<'a>(&'a self, detection: &Detection, links: &mut Vec<Link<'a>>) {
        let by_make = self.equipment_by_make(&detection.terms);
        if by_make.is_empty() {
            return;
        }
        let mut equipment = links.iter_mut().filter(|l| l.entity == EntityType::Equipment).peekable();
        if equipment.peek().is_none() {
            let text = detection.terms.join(" ");
            links.push(Link { entity: EntityType::Equipment, span: None, text, candidates: within_ambiguity(by_make) });
            return;
        }
        for link in equipment.filter(|l| l.unambiguous().is_none()) {
            let made: Vec<Named<'a>> = link
                .candidates
                .iter()
                .filter(|c| by_make.iter().any(|m| m.record.id == c.record.id))
                .cloned()
                .collect();
            if made.len() == 1 {
                link.candidates = made;
            }
        }
    }

    /// Equipment whose maker or model the query's terms type, best first (twins tie).
    pub(super) fn equipment_by_make(&self, terms: &[String]) -> Vec<Named<'_>> {
        if terms.is_empty() {
            return Vec::new();
        }
        let typed_key: String = terms.iter().map(|t| code_key(t)).collect();
        // Terms are singular ("lights" → "light"): compare as the title linking does.
        let typed = |word: &str| terms.iter().any(|t| same_word(word, t));
        let mut found: Vec<Named<'_>> = self
            .entries
            .iter()
            .filter(|entry| entry.record.entity == EntityType::Equipment)
            .filter_map(|entry| {
                let maker: Vec<String> = words_of(&entry.record.maker).collect();
                let model: Vec<String> = words_of(&entry.record.model).collect();
                let maker_typed = !maker.is_empty() && maker.iter().all(|w| typed(w));
                let model_key = code_key(&entry.record.model);
                let distinctive = |w: &String| {
                    w.len() >= 2 && w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic)
                };
                let model_score = if model_key.len() >= 4
                    && model_key.chars().any(|c| c.is_ascii_digit())
                    && typed_key.contains(&model_key)
                {
                    WHOLE_MODEL
                } else if model.iter().filter(|w| distinctive(w)).any(|w| typed(w)) {
                    MODEL_WORD
                } else {
                    0.0
                };
                let score = match (maker_typed, model_score > 0.0) {
                    (true, true) => model_score + BOTH,
                    (false, true) => model_score,
                    (true, false) => MAKER,
                    (false, false) => return None,
                };
                Some(Named { record: &entry.record, score: score.min(1.0) })
            })
            .collect();
        // A machine's components carry its maker too: the machine is meant.
        let top_level: Vec<_> = found.iter().filter(|n| n.record.parent.is_none()).map(|n| n.record.id).collect();
        if !top_level.is_empty() {
            found.retain(|n| top_level.contains(&n.record.id));
        }
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.record.code.cmp(&b.record.code)));
        found
    }
}
