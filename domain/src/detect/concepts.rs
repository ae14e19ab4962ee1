//! What a word means to the detector: an intent (a verb the crew uses for an action) or a thing
//! or quality the action is about. Rules are written over these, never over raw words, so a
//! synonym or a typo the lexicon knows about works in every rule at once.

/// One meaning. Kept under 64 so a set fits in a `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Concept {
    // Intents.
    Create,
    Report,
    Show,
    Diagnose,
    Acknowledge,
    Resolve,
    Complete,
    Start,
    Assign,
    Defer,
    Cancel,
    Reopen,
    Order,
    Receive,
    Use,
    Adjust,
    Approve,
    Scan,
    Schedule,
    Add,
    Log,
    Update,
    Tick,
    Spend,
    SignOff,
    // Things and qualities.
    WorkOrder,
    Fault,
    PartWord,
    Item,
    Stock,
    Equipment,
    Handover,
    Checklist,
    History,
    Audit,
    Due,
    Maintenance,
    Mine,
    Location,
    Usage,
    Low,
    PurchaseRequest,
    Details,
    Status,
    Symptom,
    Question,
    Note,
    Hours,
    Recur,
    Need,
    Linked,
    FalseAlarm,
    HowMany,
    Have,
    Plural,
    /// A fault code (`E047`, `SPN 110 FMI 0`).
    Code,
    /// A meter reading: running hours.
    Reading,
    /// Time spent on a job.
    Duration,
    /// A number of units.
    Quantity,
    /// Someone to give a job to.
    Person,
    /// A work-order number (`WO-2026-031`, `wo 57`).
    WoRef,
    /// The query opens with a bare noun and a colon (`handover: …`, `new fault: …`).
    Labelled,
    /// A window of the past: `last month`, `since refit`, `this year`.
    Period,
    /// Requests this product does not serve (weather, music, translation…).
    OffTopic,
}

impl Concept {
    const fn bit(self) -> u64 {
        1 << (self as u8)
    }
}

/// A set of concepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Concepts(u64);

impl Concepts {
    pub const fn of(list: &[Concept]) -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < list.len() {
            bits |= list[i].bit();
            i += 1;
        }
        Concepts(bits)
    }

    pub fn insert(&mut self, concept: Concept) {
        self.0 |= concept.bit();
    }

    pub fn extend(&mut self, other: Concepts) {
        self.0 |= other.0;
    }

    pub fn has(self, concept: Concept) -> bool {
        self.0 & concept.bit() != 0
    }

    pub fn has_all(self, other: Concepts) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn has_any(self, other: Concepts) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    /// The concepts in the set, by their number (stable for a build: features hash them).
    pub fn ids(self) -> impl Iterator<Item = u8> {
        (0..64u8).filter(move |&i| self.0 & (1 << i) != 0)
    }

    pub fn intents(self) -> Self {
        Concepts(self.0 & ((Concept::SignOff.bit() << 1) - 1))
    }
}
