//! From the detector's mentions to the yacht's records: equipment and parts by name or code,
//! work orders by number. Only the caller's yacht is searched (its catalogue was read through a
//! transaction confined to it).

use pms_domain::catalogue::{Catalogue, Named};
use pms_domain::detect::{Detection, Mention, MentionKind};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::mentions::{SpanView, kind_name};

/// How many candidates an ambiguous mention returns.
const CANDIDATES: usize = 3;
/// Candidates this close to the best are as likely: the mention is ambiguous.
const AMBIGUITY: f64 = 0.05;

/// A record a mention names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityView {
    /// `equipment`, `part` or `work_order`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The words as typed.
    pub text: String,
    pub span: SpanView,
    pub id: Uuid,
    /// The record's name (work orders: their title).
    pub name: String,
    /// Equipment code, part number or work-order number.
    pub code: String,
    /// 0 to 1; several entities for one span mean the mention is ambiguous.
    pub score: f64,
}

/// What the mentions resolved to, best candidate first per mention.
#[derive(Debug, Default)]
pub struct Resolved {
    pub entities: Vec<EntityView>,
}

impl Resolved {
    /// The best record of a kind: the first mention's top candidate.
    pub fn best(&self, kind: &str) -> Option<&EntityView> {
        self.entities.iter().find(|e| e.kind == kind)
    }
}

pub fn resolve(catalogue: &Catalogue, detection: &Detection) -> Resolved {
    let mut resolved = Resolved::default();
    let equipment_context = detection.mention(MentionKind::Equipment).map(|m| m.value.as_str());
    for mention in &detection.mentions {
        let found = match mention.kind {
            MentionKind::Equipment => catalogue.equipment_named(&mention.value, &mention.text, CANDIDATES),
            MentionKind::Part => catalogue.parts_named(&mention.value, equipment_context, CANDIDATES),
            MentionKind::WorkOrder => catalogue
                .work_order_numbered(&mention.value)
                .map(|record| Named { record, score: 1.0 })
                .into_iter()
                .collect(),
            _ => continue,
        };
        let top = found.first().map_or(0.0, |r| r.score);
        for named in found.into_iter().filter(|r| top - r.score <= AMBIGUITY) {
            resolved.entities.push(entity(mention, &named));
        }
    }
    resolved
}

fn entity(mention: &Mention, named: &Named<'_>) -> EntityView {
    EntityView {
        kind: kind_name(mention.kind),
        text: mention.text.clone(),
        span: SpanView { start: mention.span.start, end: mention.span.end },
        id: named.record.id,
        name: named.record.name.clone(),
        code: named.record.code.clone(),
        score: (named.score.min(1.0) * 1000.0).round() / 1000.0,
    }
}
