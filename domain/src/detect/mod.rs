//! The local detector: from what a crew member typed to the micro-actions they most likely mean
//! and the things they named. Pure and offline (it must work at sea without a network), and
//! well under a millisecond a query.
//!
//! A query is tokenised, each word mapped to concepts through a lexicon that knows synonyms,
//! yacht abbreviations and typos, and the concepts scored against a table of rules
//! ([`rules::RULES`]). Guards then remove what must not be proposed: nothing at all for a
//! retraction, a negated request, a paste or an injected instruction; no mutation for a hedge,
//! a bulk request or a match too weak to act on.

mod concepts;
mod guards;
pub mod intent;
mod lexicon;
mod mentions;
mod model;
mod part_numbers;
mod redact;
mod requests;
mod rules;
pub mod slots;
pub(crate) mod text;
mod vocabulary;

#[cfg(test)]
mod tests;

pub use guards::{Guards, MAX_REQUEST_CHARS};
pub use mentions::{Mention, MentionKind};
pub use model::{MODEL_MENTION_KINDS, ModelAnswer, ModelMention, NO_ACTION, UntrustedAnswer, adopt};
pub use redact::redact;
pub use text::Span;

use crate::actions::{ActionName, ActionSpec, SideEffect};
#[allow(clippy::enum_glob_use)] // the rule tables read as sentences of concepts
use concepts::Concept::*;
use concepts::Concepts;
use rules::{RULES, Rule, Verb};
use text::Token;

/// Below this confidence a mutation is never proposed.
pub const MUTATION_CONFIDENCE: f32 = 0.8;
/// Below this confidence a read is not proposed either.
pub const READ_CONFIDENCE: f32 = 0.6;
/// How many candidates a detection keeps.
const MAX_CANDIDATES: usize = 5;
/// The learned model's probability a mutation needs to be proposed, and a read.
pub const LEARNED_MUTATION_PROBABILITY: f32 = 0.5;
pub const LEARNED_READ_PROBABILITY: f32 = 0.3;
/// The probability at which the combined scorer takes the model's word over the rules'. Tuned by
/// leaving one corpus voice out (0.4–0.5 score within a point; above that the rules' misses return).
pub const MODEL_SURE: f32 = 0.5;

/// Which intent scorer answers: by default the learned model where it is sure and the rules
/// elsewhere (see `Analysis::combined`); or either alone, to measure one against the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    #[default]
    Combined,
    Rules,
    Model,
}

/// An action the query may mean, and how sure the detector is (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub action: &'static ActionSpec,
    pub confidence: f32,
    /// In a line of several requests, the words of the one this answers (its payload is filled
    /// from them); `None`: the whole line.
    pub request: Option<Span>,
}

impl Candidate {
    /// A candidate for the whole line.
    pub fn new(action: &'static ActionSpec, confidence: f32) -> Self {
        Self { action, confidence, request: None }
    }
}

/// What the detector made of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Best first; only candidates confident enough for their side effect.
    pub candidates: Vec<Candidate>,
    pub mentions: Vec<Mention>,
    pub guards: Guards,
    /// The words to look records up by (see [`search_terms`]); none for a paste.
    pub terms: Vec<String>,
}

impl Detection {
    /// The action to propose, if any.
    pub fn top(&self) -> Option<Candidate> {
        self.candidates.first().copied()
    }

    /// The first mention of a kind.
    pub fn mention(&self, kind: MentionKind) -> Option<&Mention> {
        self.mentions.iter().find(|m| m.kind == kind)
    }
}

/// Detects the actions a query may mean and the things it names.
pub fn detect(query: &str) -> Detection {
    detect_with(query, Engine::default())
}

/// [`detect`] with the intent scorer chosen.
pub fn detect_with(query: &str, engine: Engine) -> Detection {
    detect_using(query, engine, intent::model())
}

/// [`detect_with`] and this intent model rather than the embedded corpus's (to measure a model
/// trained without part of the corpus on that part).
pub fn detect_using(query: &str, engine: Engine, model: &intent::Model) -> Detection {
    let analysis = Analysis::of(query);
    let candidates = if analysis.silenced() {
        Vec::new()
    } else {
        analysis.in_request_order(query, analysis.scored(engine, model), engine, model)
    };
    let terms = if analysis.guards.pasted { Vec::new() } else { terms(&analysis.tokens, &analysis.meanings) };
    Detection { candidates, mentions: analysis.mentions, guards: analysis.guards, terms }
}

/// What the intent model sees of a query (for training and its tests).
pub fn features_of(query: &str) -> intent::Features {
    Analysis::of(query).features()
}

/// Everything worked out about a query before an intent is chosen.
struct Analysis {
    tokens: Vec<Token>,
    guards: Guards,
    meanings: Vec<Concepts>,
    mentions: Vec<Mention>,
    shape: Shape,
}

impl Analysis {
    fn of(query: &str) -> Self {
        let tokens = text::tokenize(query);
        let guards = guards::inspect(query, &tokens);
        let meanings = meanings(&tokens);
        let mut mentions = mentions::extract(query, &tokens, &meanings);
        let shape = Shape::of(query, &tokens, &meanings, &mentions);
        if let Some(text) = free_text(query, &tokens, &meanings, shape.tail_start) {
            mentions.push(text);
        }
        Self { tokens, guards, meanings, mentions, shape }
    }

    fn features(&self) -> intent::Features {
        let rules = rule_scores(&self.shape);
        intent::features::extract(&intent::features::Reading {
            tokens: &self.tokens,
            meanings: &self.meanings,
            mentions: &self.mentions,
            guards: self.guards,
            question: self.shape.all.has(Question),
            rules: &rules,
        })
    }

    /// Nothing is to be proposed: a retraction, a paste, an injection, chit-chat.
    fn silenced(&self) -> bool {
        self.guards.silences() || self.shape.all.has(OffTopic)
    }

    fn scored(&self, engine: Engine, model: &intent::Model) -> Vec<Candidate> {
        match engine {
            Engine::Combined => self.combined(model),
            Engine::Rules => self.ruled(),
            Engine::Model => self.learned(model).candidates,
        }
    }

    /// For a line of several requests, each request's own top action in the order typed, then
    /// the line's other candidates; the line's guards still decide what may be proposed.
    fn in_request_order(
        &self,
        query: &str,
        whole: Vec<Candidate>,
        engine: Engine,
        model: &intent::Model,
    ) -> Vec<Candidate> {
        let requests = requests::split(query, &self.tokens, &self.meanings);
        if requests.len() < 2 {
            return whole;
        }
        let mut ordered: Vec<Candidate> = Vec::new();
        for span in requests {
            let text: String = query.chars().skip(span.start).take(span.end - span.start).collect();
            let request = Analysis::of(&text);
            if request.silenced() {
                continue;
            }
            let allowed =
                |c: &Candidate| c.action.side_effect == SideEffect::ReadOnly || !self.guards.forbids_mutation();
            let top = request.scored(engine, model).into_iter().find(allowed);
            if let Some(top) = top.filter(|top| !ordered.iter().any(|c| c.action.name == top.action.name)) {
                ordered.push(Candidate { request: Some(span), ..top });
            }
        }
        if ordered.len() < 2 {
            return whole;
        }
        for candidate in whole {
            if !ordered.iter().any(|c| c.action.name == candidate.action.name) {
                ordered.push(candidate);
            }
        }
        ordered.truncate(MAX_CANDIDATES);
        ordered
    }

    /// The model where it is sure (of an action or of none), the rules where it is not, and the
    /// model again where the rules abstain. Trained without one corpus voice and scored on it, this
    /// beats the rules-first order by 12–14 points of actions and 20–25 of "no action" (the rules
    /// fire on chit-chat and narratives the model knows to leave alone).
    fn combined(&self, model: &intent::Model) -> Vec<Candidate> {
        let learned = self.learned(model);
        if learned.no_action >= MODEL_SURE {
            return Vec::new();
        }
        if learned.candidates.first().is_some_and(|top| top.confidence >= MODEL_SURE) {
            return learned.candidates;
        }
        let ruled = self.ruled();
        if ruled.is_empty() { learned.candidates } else { ruled }
    }

    /// The learned model's candidates: by probability, each above the floor of its side effect,
    /// none when "no action" is the likeliest, and no mutation the guards forbid.
    fn learned(&self, model: &intent::Model) -> Learned {
        let probabilities = model.probabilities(&self.features());
        let no_action = probabilities[0];
        let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if ranked.first().is_some_and(|&(class, _)| class == 0) {
            return Learned { candidates: Vec::new(), no_action };
        }
        let candidates = ranked
            .into_iter()
            .filter_map(|(class, confidence)| self.proposable(intent::action_of(class)?, confidence, LEARNED_FLOORS))
            .take(MAX_CANDIDATES)
            .collect();
        Learned { candidates, no_action }
    }

    /// The rules' candidates, each above the floor of its side effect.
    fn ruled(&self) -> Vec<Candidate> {
        rule_scores(&self.shape)
            .into_iter()
            .filter_map(|(name, confidence)| self.proposable(name.spec(), confidence, RULE_FLOORS))
            .take(MAX_CANDIDATES)
            .collect()
    }

    /// A candidate when its confidence reaches the floor of its side effect and the guards allow
    /// it (they forbid mutations in narratives, hypotheticals and the like).
    fn proposable(&self, action: &'static ActionSpec, confidence: f32, floors: Floors) -> Option<Candidate> {
        let mutation = action.side_effect != SideEffect::ReadOnly;
        let floor = if mutation { floors.mutation } else { floors.read };
        (confidence >= floor && !(mutation && self.guards.forbids_mutation()))
            .then_some(Candidate::new(action, confidence))
    }
}

/// The learned model's answer: its candidates and how likely it finds that no action is meant.
struct Learned {
    candidates: Vec<Candidate>,
    no_action: f32,
}

/// The confidence a mutation and a read need to be proposed.
#[derive(Clone, Copy)]
struct Floors {
    mutation: f32,
    read: f32,
}

const RULE_FLOORS: Floors = Floors { mutation: MUTATION_CONFIDENCE, read: READ_CONFIDENCE };
const LEARNED_FLOORS: Floors = Floors { mutation: LEARNED_MUTATION_PROBABILITY, read: LEARNED_READ_PROBABILITY };

/// The words of a query worth looking records up by: names, codes, symptoms and other content
/// words, with abbreviations expanded and plurals made singular (`used 2 oil filters on DG2` →
/// `oil filter generator 2`). Request verbs and stop words are left out. Letters and digits only.
pub fn search_terms(query: &str) -> Vec<String> {
    let tokens = text::tokenize(query);
    terms(&tokens, &meanings(&tokens))
}

fn terms(tokens: &[Token], meanings: &[Concepts]) -> Vec<String> {
    const MAX_TERMS: usize = 12;
    let naming = Concepts::of(&[Equipment, Item, PartWord, Fault, Symptom, Maintenance, Details]);
    let mut terms: Vec<String> = Vec::new();
    for (token, meaning) in tokens.iter().zip(meanings) {
        let request_word = !meaning.intents().is_empty() && !meaning.has_any(naming);
        if request_word || vocabulary::is_stopword(&token.norm) || meaning.has(Question) {
            continue;
        }
        for word in vocabulary::canonical_phrase(std::slice::from_ref(token)).split(|c: char| !c.is_alphanumeric()) {
            let word = match word.strip_suffix('s') {
                Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem,
                _ => word,
            };
            if !word.is_empty() && !terms.iter().any(|t| t == word) && terms.len() < MAX_TERMS {
                terms.push(word.to_owned());
            }
        }
    }
    terms
}

/// What each token means, phrases first. Words inside a phrase mean nothing on their own.
fn meanings(tokens: &[Token]) -> Vec<Concepts> {
    let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let mut meanings = vec![Concepts::default(); tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if let Some((length, meaning)) = lexicon::phrase(&words[i..]) {
            meanings[i] = meaning;
            i += length;
            continue;
        }
        meanings[i] = in_context(tokens, &words, i);
        i += 1;
    }
    meanings
}

/// A word whose meaning depends on its neighbours.
fn in_context(tokens: &[Token], words: &[&str], i: usize) -> Concepts {
    let next = words.get(i + 1).copied().unwrap_or("");
    match words[i] {
        // `open a job` creates; `open faults` are active ones; `open WO-57` shows it.
        "open" if matches!(next, "a" | "an" | "new") => Concepts::of(&[Create]),
        "open" if next.ends_with('s') && lexicon::word(next).has_any(Concepts::of(&[Fault, WorkOrder])) => {
            Concepts::of(&[Linked])
        }
        // `open work order on the stabiliser` creates one; `open work order 1203` shows it.
        "open" if matches!(next, "work" | "wo" | "job" | "ticket") => {
            let after = if next == "work" { words.get(i + 3) } else { words.get(i + 2) };
            let noun = if next == "work" { words.get(i + 2).copied().unwrap_or("") } else { next };
            match after {
                _ if noun.ends_with('s') => Concepts::of(&[Linked]),
                Some(word) if word.chars().any(|c| c.is_ascii_digit()) => Concepts::of(&[Show]),
                Some(_) => Concepts::of(&[Create]),
                None => Concepts::of(&[Show]),
            }
        }
        "open" => Concepts::of(&[Show]),
        // `ME`, `stbd me`, `me2` is the main engine; `me` alone is the speaker.
        "me" if tokens[i].raw == "ME"
            || (!next.is_empty() && next.chars().all(|c| c.is_ascii_digit()))
            || (i > 0
                && matches!(
                    words[i - 1],
                    "port" | "stbd" | "stb" | "sb" | "ps" | "starboard" | "centre" | "center"
                )) =>
        {
            Concepts::of(&[Equipment])
        }
        "me" => Concepts::default(),
        word => {
            let mut meaning = lexicon::word(word);
            if word.len() > 3
                && word.ends_with('s')
                && meaning.has_any(Concepts::of(&[Fault, WorkOrder, Note]))
                && !word.ends_with("ss")
            {
                meaning.insert(Plural);
            }
            meaning
        }
    }
}

/// The query's concepts, split into the command (up to the first `:` or ` - `) and the rest.
#[derive(Debug)]
struct Shape {
    /// Intents of the command part, and the first of them.
    head_intents: Concepts,
    first_intent: Concepts,
    /// Intents after the command part (`…, close it out`).
    tail_intents: Concepts,
    /// Every concept that counts, intents included.
    all: Concepts,
    /// Where the free text after the command begins, if it does.
    tail_start: Option<usize>,
}

impl Shape {
    fn of(query: &str, tokens: &[Token], meanings: &[Concepts], mentions: &[Mention]) -> Self {
        let tail_start =
            tokens.iter().position(|t| t.ends_clause).map(|i| i + 1).filter(|&i| i < tokens.len()).or_else(|| {
                tokens.iter().position(|t| t.norm == "saying").map(|i| i + 1).filter(|&i| i < tokens.len())
            });
        let head_end = tail_start.unwrap_or(tokens.len());
        let mut head = Concepts::default();
        let mut first_intent = Concepts::default();
        for meaning in &meanings[..head_end] {
            if first_intent.is_empty() {
                first_intent = meaning.intents();
            }
            head.extend(*meaning);
        }
        let mut tail = Concepts::default();
        for meaning in &meanings[head_end..] {
            tail.extend(*meaning);
        }
        let mut all = head;
        // After `add a note to…:` or `handover:` comes the note itself, which asks for nothing.
        let tail_is_note = head.has_any(Concepts::of(&[Note, Handover]));
        if !tail_is_note {
            all.extend(tail);
        }
        for mention in mentions {
            all.extend(mention_concepts(mention.kind));
        }
        let words_before_colon = head_end;
        if tail_start.is_some() && words_before_colon <= 2 && head.intents().is_empty() {
            all.insert(Labelled);
        }
        let first = tokens.first().map_or("", |t| t.norm.as_str());
        if query.trim_end().ends_with('?') || matches!(first, "is" | "are" | "does" | "do" | "did" | "has" | "have") {
            all.insert(Question);
        }
        let mut head_intents = head.intents();
        if mentions.iter().any(|m| m.kind == MentionKind::Barcode) {
            head_intents.insert(Scan);
        }
        let tail_intents = if tail_is_note { Concepts::default() } else { tail.intents() };
        all.extend(head_intents);
        Shape { head_intents, first_intent, tail_intents, all, tail_start }
    }
}

fn mention_concepts(kind: MentionKind) -> Concepts {
    match kind {
        MentionKind::WorkOrder => Concepts::of(&[WorkOrder, WoRef]),
        MentionKind::Fault => Concepts::of(&[Fault]),
        MentionKind::PurchaseRequest => Concepts::of(&[PurchaseRequest]),
        MentionKind::FaultCode => Concepts::of(&[Code]),
        MentionKind::Equipment => Concepts::of(&[Equipment]),
        MentionKind::Part => Concepts::of(&[Item]),
        MentionKind::Person => Concepts::of(&[Person]),
        MentionKind::Quantity => Concepts::of(&[Quantity]),
        MentionKind::RunningHours => Concepts::of(&[Reading]),
        MentionKind::Duration => Concepts::of(&[Duration]),
        MentionKind::Barcode => Concepts::of(&[Scan]),
        MentionKind::Interval => Concepts::of(&[Recur]),
        MentionKind::Text => Concepts::default(),
    }
}

/// How well a rule fits, if it does at all.
fn fit(rule: &Rule, shape: &Shape) -> Option<f32> {
    let all = shape.all;
    if !all.has_all(rule.all) || (!rule.any.is_empty() && !all.has_any(rule.any)) || all.has_any(rule.unless) {
        return None;
    }
    let bonus = match rule.verb {
        Verb::None if !shape.head_intents.is_empty() => return None,
        Verb::Either | Verb::None => 0.0,
        Verb::Any(verbs) if shape.first_intent.has_any(verbs) => 0.05,
        Verb::Any(verbs) if shape.head_intents.has_any(verbs) => 0.0,
        Verb::Any(verbs) if shape.tail_intents.has_any(verbs) => -0.06,
        Verb::Any(_) => return None,
    };
    #[allow(clippy::cast_precision_loss)] // a handful of concepts
    let specificity = 0.005 * rule.all.len() as f32;
    Some((rule.score + bonus + specificity).min(1.0))
}

/// Every rule's score for the query, the best per action, best first.
fn rule_scores(shape: &Shape) -> Vec<(ActionName, f32)> {
    let mut scores: Vec<(ActionName, f32)> = Vec::new();
    for rule in RULES {
        let Some(confidence) = fit(rule, shape) else { continue };
        match scores.iter_mut().find(|(action, _)| *action == rule.action) {
            Some(existing) => existing.1 = existing.1.max(confidence),
            None => scores.push((rule.action, confidence)),
        }
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    scores
}

/// The free text a title or note would take: what follows the command (`…: low oil pressure
/// alarm`, `… saying vibration reduced`), or what follows `for`/`to` after the thing being
/// created (`a work order for generator 2 oil change`).
fn free_text(query: &str, tokens: &[Token], meanings: &[Concepts], tail_start: Option<usize>) -> Option<Mention> {
    let start = tail_start.or_else(|| {
        let object = meanings.iter().position(|m| m.has_any(Concepts::of(&[WorkOrder, Fault, Note, Handover])))?;
        let mut k = object + 1;
        while tokens.get(k).is_some_and(|t| meanings[k].is_empty() && t.norm == "order") {
            k += 1;
        }
        let joiner = tokens.get(k)?;
        matches!(joiner.norm.as_str(), "for" | "to" | "about" | "re" | "regarding").then_some(k + 1)
    })?;
    let first = tokens.get(start)?;
    let span = Span { start: first.span.start, end: tokens.last()?.span.end };
    let text: String = query.chars().skip(span.start).take(span.end - span.start).collect();
    let value = text.trim().to_owned();
    (!value.is_empty()).then_some(Mention { kind: MentionKind::Text, text, span, value, number: None })
}
