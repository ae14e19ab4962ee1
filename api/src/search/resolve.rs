//! From the detector's mentions to the yacht's records, through the catalogue's linking
//! ([`Catalogue::link`]): equipment and parts by name or code, work orders by number or title,
//! faults by code or title, in the states the proposed action accepts. Only the caller's yacht
//! is searched (its catalogue was read through a transaction confined to it).

use pms_domain::actions::ActionSpec;
use pms_domain::catalogue::{Catalogue, Link, Named};
use pms_domain::detect::Detection;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::mentions::SpanView;

/// A record a mention names.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityView {
    /// `equipment`, `part`, `work_order` or `fault`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The words as typed (for a record named by its title, the query's words).
    pub text: String,
    /// Where they are; `null` when the query's words as a whole name the record.
    pub span: Option<SpanView>,
    pub id: Uuid,
    /// The record's name (work orders: their title).
    pub name: String,
    /// Equipment code, part number or work-order number.
    pub code: String,
    /// 0 to 1; several entities for one span mean the mention is ambiguous.
    pub score: f64,
}

/// What the query's words linked to: per piece of the query, its candidates, best first.
#[derive(Debug, Default)]
pub struct Resolved {
    pub entities: Vec<EntityView>,
    /// Per kind, the one record meant, when the query names one unambiguously.
    chosen: Vec<(&'static str, Uuid)>,
}

impl Resolved {
    /// The record of a kind the query names without ambiguity: the first such link's.
    pub fn best(&self, kind: &str) -> Option<Uuid> {
        self.chosen.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id)
    }
}

pub fn resolve(catalogue: &Catalogue, detection: &Detection, action: Option<&ActionSpec>) -> Resolved {
    let mut resolved = Resolved::default();
    for link in catalogue.link(detection, action) {
        let kind = link.entity.as_str();
        if let Some(best) = link.unambiguous()
            && resolved.best(kind).is_none()
        {
            resolved.chosen.push((kind, best.record.id));
        }
        for named in &link.candidates {
            resolved.entities.push(entity(&link, named));
        }
    }
    resolved
}

fn entity(link: &Link<'_>, named: &Named<'_>) -> EntityView {
    EntityView {
        kind: link.entity.as_str(),
        text: link.text.clone(),
        span: link.span.map(|span| SpanView { start: span.start, end: span.end }),
        id: named.record.id,
        name: named.record.name.clone(),
        code: named.record.code.clone(),
        score: (named.score.min(1.0) * 1000.0).round() / 1000.0,
    }
}
