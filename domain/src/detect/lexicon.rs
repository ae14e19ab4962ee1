//! The words and phrases the detector understands, grouped by meaning. Yacht abbreviations
//! (`WO`, `DG`, `ME`, `stbd`, `A/C`, `HoR`…) are ordinary entries; typos are matched by edit distance.

use std::collections::HashMap;
use std::sync::OnceLock;

#[allow(clippy::enum_glob_use)] // the tables read as sentences of concepts
use super::concepts::Concept::{self, *};
use super::concepts::Concepts;
use super::text::edit_distance_within;

/// Words, by what they mean. A word may appear in several groups; its meanings add up.
#[rustfmt::skip]
const WORDS: &[(&[Concept], &[&str])] = &[
    (&[Create], &["create", "make", "new", "raise", "generate", "build", "draft", "setup", "turn", "convert", "file"]),
    (&[Report], &["report", "flag", "notify", "declare", "defect"]),
    (
        &[Show],
        &[
            "show", "view", "see", "display", "list", "get", "pull", "bring", "lookup", "find", "search", "open",
            "check", "look", "tell", "lists", "viewing", "fetch", "browse", "review",
        ],
    ),
    (
        &[Diagnose],
        &[
                "diagnose", "diagnosis", "diagnostic", "diagnostics", "troubleshoot", "troubleshooting",
                "investigate", "why", "cause", "causes", "causing", "wrong", "mean", "meaning", "analyse",
                "analyze", "explain", "diagnosing",
            ],
    ),
    (&[Acknowledge], &["acknowledge", "acknowledged", "ack", "acked", "seen"]),
    (&[Resolve], &["close", "closed", "resolve", "resolved", "fixed", "sorted", "rectified", "cleared", "closeout"]),
    (&[Complete], &["complete", "completed", "finish", "finished", "done", "completion"]),
    (&[Start], &["start", "starting", "begin", "beginning", "commence", "started", "began", "underway"]),
    (&[Assign], &["assign", "assigned", "allocate", "delegate", "reassign", "hand", "give", "assignment"]),
    (&[Defer], &["defer", "deferred", "postpone", "postponed", "delay", "reschedule", "push", "later"]),
    (&[Cancel], &["cancel", "cancelled", "canceled", "scrap", "abandon", "void", "delete", "remove", "drop"]),
    (&[Reopen], &["reopen", "re-open", "reopened", "reopening", "re-opened", "recurred", "returned"]),
    (
        &[Order],
        &[
                "order", "reorder", "re-order", "purchase", "buy", "requisition", "procure", "restock", "replenish",
                "replenishment", "ordering",
            ],
    ),
    (&[Receive], &["receive", "received", "receiving", "delivery", "delivered", "arrived", "got", "receipt"]),
    (
        &[Use],
        &[
                "used", "use", "consumed", "consume", "took", "take", "fitted", "issued", "issue-out", "swapped",
                "using", "installed",
            ],
    ),
    (&[Adjust], &["adjust", "adjusted", "adjustment", "correct", "correction", "count", "recount", "stocktake"]),
    (&[Approve], &["approve", "approved", "authorise", "authorize"],),
    (&[Scan], &["scan", "scanned", "barcode", "ean", "upc"]),
    (&[Schedule], &["schedule", "scheduled", "plan"]),
    (&[Add], &["add", "put", "attach", "include", "append", "insert", "added", "attached"]),
    (&[Log], &["log", "record", "book", "enter", "register", "logged", "recorded", "submit", "capture"]),
    (&[Update], &["update", "set", "change", "mark", "switch", "updated", "move", "flip"]),
    (&[Tick], &["tick", "ticked"]),
    (&[Spend], &["spent", "spend", "worked", "took"]),
    (&[WorkOrder], &["wo", "wos", "workorder", "workorders", "job", "jobs", "task", "tasks", "work-order"]),
    (
        &[Fault],
        &[
                "fault", "faults", "defect", "defects", "alarm", "alarms", "issue", "issues", "problem", "problems",
                "failure", "failures", "error", "breakdown", "malfunction", "snag",
            ],
    ),
    (&[PartWord], &["part", "parts", "spare", "spares", "component", "components", "consumables"]),
    (
        &[Item],
        &[
                "filter", "filters", "impeller", "impellers", "membrane", "membranes", "anode", "anodes", "zinc",
                "zincs", "gasket", "gaskets", "element", "elements", "kit", "kits", "seal", "seals", "bearing",
                "bearings", "belt", "belts", "v-belt", "injector", "injectors", "thermostat", "thermostats", "hose",
                "hoses", "fuse", "fuses", "relay", "relays", "racor", "racors", "o-ring", "o-rings", "oil",
                "coolant", "grease", "litres", "liters", "bulb", "bulbs", "brush", "brushes", "cartridge",
                "cartridges", "strainer", "strainers", "bolts", "screws", "shackle", "shackles", "gloves", "rags",
                "sealant", "paint",
            ],
    ),
    (&[Stock], &["stock", "inventory", "stores", "stocked", "onboard", "quantity", "qty", "level", "levels"]),
    (
        &[Equipment],
        &[
                "engine", "engines", "generator", "generators", "genset", "gensets", "gen", "dg", "genny", "gennies",
                "gennie", "sep", "ahu", "pump", "pumps",
                "watermaker", "watermakers", "desalinator", "thruster", "thrusters", "stabiliser", "stabilisers",
                "stabilizer", "stabilizers", "crane", "windlass", "chiller", "chillers", "heater", "compressor",
                "radar", "gyro", "seakeeper", "tender", "outboard", "davit", "gangway", "passerelle", "winch",
                "capstan", "steering", "gearbox", "shaft", "propeller", "separator", "purifier", "boiler", "hvac",
                "a/c", "ac", "aircon", "handler", "fan", "motor", "battery", "batteries", "inverter", "charger",
                "plant", "dishwasher", "freezer", "fridge", "equipment", "machinery", "unit", "system", "me",
                "main", "aux", "stabs", "fin", "fins", "detector", "sewage", "incinerator", "chartplotter",
                "autopilot", "liferaft", "lift", "hydraulic", "hydraulics", "hpu", "sensor", "valve", "valves",
                "panel", "switchboard", "transformer", "winches", "jet", "washdown", "ro", "uv", "sterilizer",
                "steriliser", "exchanger", "cooler", "tank", "bilge", "blower", "ventilation", "galley", "oven",
                "washer", "dryer", "jacuzzi", "hatch", "door", "crane's",
            ],
    ),
    (&[Handover], &["handover", "handovers", "hor", "hand-over", "turnover"]),
    (&[Checklist], &["checklist", "checklists", "steps", "step", "item", "items"]),
    (
        &[History],
        &["history", "past", "previous", "timeline", "happened", "earlier", "historical", "prior", "before", "had"],
    ),
    (&[Audit], &["audit", "trail", "changelog", "audited"]),
    (&[Due], &["due", "overdue", "upcoming", "pending", "outstanding", "next"]),
    (
        &[Maintenance],
        &["maintenance", "pms", "service", "services", "servicing", "pm", "inspection", "inspections", "routine"],
    ),
    (&[Mine], &["my", "mine", "myself", "worklist", "to-do", "todo"]),
    (&[Location], &["where", "location", "locker", "kept", "stored", "located", "shelf", "bin", "whereabouts"]),
    (&[Usage], &["usage", "consumption"]),
    (&[Low], &["low", "shortage", "minimum", "short", "shortfall", "reorder-level"]),
    (&[PurchaseRequest], &["pr", "prs", "requisitions", "po", "pos"]),
    (
        &[Details],
        &[
                "details", "detail", "serial", "model", "spec", "specs", "specification", "specifications", "info",
                "information", "manufacturer", "maker", "make", "particulars", "data", "datasheet",
            ],
    ),
    (
        &[Status],
        &["status", "operational", "offline", "online", "down", "decommissioned", "decommission", "inoperative"],
    ),
    (
        &[Symptom],
        &[
                "leak", "leaking", "leaks", "overheating", "overheat", "overheated", "tripping", "trips", "tripped",
                "noise", "noisy", "vibration", "vibrating", "vibrates", "grinding", "smoke", "smoking", "rough",
                "surging", "surge", "stalling", "stalls", "shutting", "shutdown", "shuts", "intermittent", "hot",
                "fluctuating", "flickering", "knocking", "rattling", "squealing", "dripping", "blocked", "clogged",
                "failing", "failed", "stuck", "seized", "broken", "burning", "sparking", "weeping", "weep",
                "pressure", "temperature", "temp", "voltage", "flow", "draining", "cavitating", "humming",
                "whining", "jammed", "dead", "erratic", "failure", "cracked", "corroded", "won't", "isn't",
                "doesn't", "keeps", "faulty",
            ],
    ),
    (&[Question], &["what", "which", "how", "when", "what's", "whats", "who", "any"]),
    (&[Note], &["note", "notes", "comment", "comments", "remark", "remarks", "observation", "saying"]),
    (&[Hours], &["hours", "hour", "hrs", "hr", "h", "meter", "hourmeter", "reading", "reads", "runtime"]),
    (
        &[Recur],
        &[
                "every", "recurring", "recurrent", "interval", "periodic", "planned", "annual", "annually",
                "monthly", "weekly", "yearly", "quarterly", "daily", "biannual",
            ],
    ),
    (&[Need], &["need", "needed", "needs", "require", "required", "likely", "suggest", "recommend", "recommended"]),
    (&[Linked], &["linked", "related", "active", "open", "current", "associated", "against"]),
    (&[HowMany], &["many", "much"]),
    (&[Have], &["have", "carry", "got", "left", "remaining", "available"]),
    (
        &[OffTopic],
        &[
                "weather", "joke", "translate", "music", "song", "restaurant", "table", "movie", "football",
                "match", "poem", "recipe", "taxi", "flight", "hotel", "stock-market", "crypto", "bitcoin", "news",
                "spotify", "netflix", "instagram", "email",
            ],
    ),
    (&[Order], &["procurement", "request"]),
    (&[WorkOrder], &["ticket", "tickets"]),
    (&[Show], &["chk"]),
    (&[Stock], &["stk"]),
    (&[Adjust], &["increase", "decrease", "reduce", "modify", "reconcile", "discrepancy"]),
    (&[Symptom], &["showing", "displaying", "reported"]),
    (&[Fault, Symptom], &["issue", "issues", "problem", "problems", "failure", "failures", "breakdown", "malfunction"]),
    (
        &[Equipment],
        &[
                "vhf", "ais", "epirb", "starlink", "gps", "gpsmap", "radio", "sonar", "plotter", "console", "boat",
                "mtu", "cat", "caterpillar", "kohler", "onan", "cummins", "volvo", "penta", "naiad", "lewmar",
                "maxwell", "dometic", "yanmar", "garmin", "furuno", "raymarine", "webasto", "victron", "mastervolt",
                "simrad", "kabola", "fischer", "deutz", "scania", "perkins",
            ],
    ),
    (&[Details], &["manual", "manuals", "overview"]),
    (&[Equipment], &["drive", "drives"]),
    (&[Details], &["procedure", "procedures"]),
    (&[Due], &["approval", "awaiting", "waiting"]),
    (&[History], &["records", "logs"]),
    (&[Period], &["since", "recently", "ytd", "lately"]),
    (&[OffTopic], &["wife", "husband", "girlfriend", "boyfriend", "lorem", "ipsum", "pizza", "uber"]),
];

/// Phrases whose meaning is not the sum of their words. They replace their words' meanings.
#[rustfmt::skip]
const PHRASES: &[(&[&str], &[Concept])] = &[
    (&["work", "order"], &[WorkOrder]),
    (&["work", "request"], &[WorkOrder]),
    (&["maintenance", "ticket"], &[WorkOrder]),
    (&["last", "week"], &[Period]),
    (&["last", "month"], &[Period]),
    (&["last", "year"], &[Period]),
    (&["last", "night"], &[Period]),
    (&["this", "season"], &[Period]),
    (&["this", "year"], &[Period]),
    (&["this", "quarter"], &[Period]),
    (&["this", "month"], &[Period]),
    (&["year", "to", "date"], &[Period]),
    (&["work", "orders"], &[WorkOrder, Plural]),
    (&["false", "alarm"], &[FalseAlarm]),
    (&["false", "alarms"], &[FalseAlarm]),
    (&["sign", "off"], &[SignOff]),
    (&["signed", "off"], &[SignOff]),
    (&["sign", "it", "off"], &[SignOff]),
    (&["book", "out"], &[Use]),
    (&["booked", "out"], &[Use]),
    (&["out", "of", "service"], &[Status]),
    (&["back", "in", "service"], &[Status]),
    (&["in", "service"], &[Status]),
    (&["running", "hours"], &[Hours]),
    (&["hour", "meter"], &[Hours]),
    (&["shopping", "list"], &[Order]),
    (&["in", "progress"], &[Start]),
    (&["came", "back"], &[Reopen]),
    (&["come", "back"], &[Reopen]),
    (&["is", "back"], &[Reopen]),
    (&["failed", "again"], &[Reopen]),
    (&["who", "changed"], &[Audit]),
    (&["who", "did"], &[Audit]),
    (&["on", "order"], &[PurchaseRequest]),
    (&["purchase", "request"], &[PurchaseRequest]),
    (&["purchase", "requests"], &[PurchaseRequest, Plural]),
    (&["purchase", "order"], &[PurchaseRequest]),
    (&["purchase", "orders"], &[PurchaseRequest, Plural]),
    (&["parts", "request"], &[PurchaseRequest]),
    (&["parts", "requests"], &[PurchaseRequest, Plural]),
    (&["stock", "count"], &[Adjust, Stock]),
    (&["stock", "take"], &[Adjust, Stock]),
    (&["look", "up"], &[Show]),
    (&["set", "up"], &[Create]),
    (&["how", "many"], &[HowMany, Question]),
    (&["how", "much"], &[HowMany, Question]),
    (&["do", "we", "have"], &[Have, Question]),
    (&["have", "we", "got"], &[Have, Question]),
    (&["below", "minimum"], &[Low]),
    (&["running", "low"], &[Low]),
    (&["coming", "up"], &[Due]),
    (&["planned", "maintenance"], &[Recur, Maintenance]),
    (&["hand", "over"], &[Handover]),
    (&["check", "off"], &[Tick]),
    (&["tick", "off"], &[Tick]),
    (&["what", "could"], &[Diagnose]),
    (&["could", "it", "be"], &[Diagnose]),
    (&["not", "working"], &[Symptom]),
    (&["not", "starting"], &[Symptom]),
    (&["not", "start"], &[Symptom]),
    (&["won't", "start"], &[Symptom]),
    (&["crew", "change"], &[Handover]),
    (&["have", "we", "had"], &[History]),
    (&["been", "done"], &[History]),
    (&["last", "service"], &[History]),
    (&["give", "me"], &[Show]),
    (&["push", "back"], &[Defer]),
    (&["put", "off"], &[Defer]),
    (&["call", "off"], &[Cancel]),
    (&["maintenance", "plan"], &[Recur, Maintenance]),
    (&["on", "board"], &[Stock]),
    (&["in", "stock"], &[Stock]),
    (&["in", "maintenance"], &[Status]),
    (&["working", "on"], &[Start]),
    (&["work", "on"], &[Start]),
    (&["air", "conditioning"], &[Equipment]),
    (&["water", "maker"], &[Equipment]),
    (&["what's", "wrong"], &[Diagnose]),
    (&["whats", "wrong"], &[Diagnose]),
    (&["what", "is", "wrong"], &[Diagnose]),
    (&["fault", "code"], &[Fault]),
    (&["keep", "an", "eye"], &[Handover]),
];

fn table() -> &'static HashMap<&'static str, Concepts> {
    static TABLE: OnceLock<HashMap<&'static str, Concepts>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, Concepts> = HashMap::new();
        for (concepts, words) in WORDS {
            for word in *words {
                table.entry(word).or_default().extend(Concepts::of(concepts));
            }
        }
        table
    })
}

/// The lexicon's words by first letter, for typo matching.
fn by_initial() -> &'static HashMap<char, Vec<&'static str>> {
    static INDEX: OnceLock<HashMap<char, Vec<&'static str>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<char, Vec<&'static str>> = HashMap::new();
        for word in table().keys() {
            if let Some(initial) = word.chars().next() {
                index.entry(initial).or_default().push(word);
            }
        }
        for words in index.values_mut() {
            words.sort_unstable();
        }
        index
    })
}

/// What a single word means: as written, then without a plural or verb ending, then as the
/// closest lexicon word within one edit (two for long words). Unknown words mean nothing.
pub fn word(word: &str) -> Concepts {
    entry(word).map(|(_, concepts)| concepts).unwrap_or_default()
}

/// The lexicon word a word is read as (`filters` → `filter`, `genrator` → `generator`), if any.
pub fn spelling(word: &str) -> Option<&'static str> {
    entry(word).map(|(spelling, _)| spelling)
}

fn entry(word: &str) -> Option<(&'static str, Concepts)> {
    let table = table();
    let found = |w: &str| table.get_key_value(w).map(|(k, v)| (*k, *v));
    if let Some(hit) = found(word) {
        return Some(hit);
    }
    for stem in stems(word) {
        if let Some(hit) = found(&stem) {
            return Some(hit);
        }
    }
    // A hyphenated compound means what its head means: a pre-filter is a filter, a v-belt a belt.
    if let Some((_, head)) = word.rsplit_once('-')
        && head.chars().count() >= 3
        && head.chars().all(char::is_alphabetic)
    {
        return entry(head);
    }
    typo(word).and_then(found)
}

/// Whether the lexicon knows this word exactly (no stemming or typo matching).
pub fn knows(word: &str) -> bool {
    table().contains_key(word)
}

fn stems(word: &str) -> Vec<String> {
    let mut stems = Vec::new();
    for suffix in ["s", "es", "ing", "ed", "d"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().count() >= 3
        {
            stems.push(stem.to_owned());
            if suffix == "ing" || suffix == "ed" {
                stems.push(format!("{stem}e"));
            }
        }
    }
    stems
}

/// The lexicon word a typo most likely meant. Only words of five letters or more are corrected,
/// keeping their first letter (people rarely mistype it), so short words never drift into others.
fn typo(word: &str) -> Option<&'static str> {
    let length = word.chars().count();
    if length < 5 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let limit = if length >= 8 { 2 } else { 1 };
    let initial = word.chars().next()?;
    let candidates = by_initial().get(&initial)?;
    let mut best: Option<(usize, &'static str)> = None;
    for candidate in candidates {
        if candidate.chars().count() < 4 {
            continue;
        }
        if let Some(distance) = edit_distance_within(word, candidate, limit)
            && best.is_none_or(|(d, _)| distance < d)
        {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, w)| w)
}

/// The longest phrase starting at `words[0]`: how many words it spans and what it means.
pub fn phrase(words: &[&str]) -> Option<(usize, Concepts)> {
    PHRASES
        .iter()
        .filter(|(phrase, _)| words.len() >= phrase.len() && words.iter().zip(phrase.iter()).all(|(w, p)| w == p))
        .max_by_key(|(phrase, _)| phrase.len())
        .map(|(phrase, concepts)| (phrase.len(), Concepts::of(concepts)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_synonyms_and_typos_mean_the_same() {
        assert!(word("wo").has(WorkOrder));
        assert!(word("genset").has(Equipment));
        assert!(word("genny").has(Equipment) && word("sep").has(Equipment) && word("ahu").has(Equipment));
        assert!(word("cretae").has(Create));
        assert!(word("assing").has(Assign));
        assert!(word("troubleshot").has(Diagnose));
        assert!(word("filters").has(Item));
        assert!(word("leaking").has(Symptom));
        assert!(word("ordering").has(Order));
    }

    #[test]
    fn short_and_unknown_words_are_not_forced_into_meaning() {
        assert!(word("xyzzy").is_empty());
        assert!(word("the").is_empty());
        assert!(word("bored").is_empty(), "a five-letter word one edit from 'board'-like entries stays unknown");
    }

    #[test]
    fn the_longest_phrase_wins() {
        assert_eq!(phrase(&["sign", "it", "off", "now"]).map(|(n, _)| n), Some(3));
        assert_eq!(phrase(&["false", "alarm"]).map(|(_, c)| c.has(FalseAlarm)), Some(true));
        assert!(phrase(&["false"]).is_none());
    }
}
