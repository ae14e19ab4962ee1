//! What the intent model sees of a query: hashed, weighted features. Words as the lexicon
//! corrects them (typos, stems), the concepts the lexicon gives them (synonyms, yacht
//! abbreviations), word pairs, the first request verb, character n-grams of unknown words, the
//! kinds of things mentioned and the shape of the sentence. Numbers and codes are reduced to
//! their shape, so `WO-2026-0012` and `WO 7` teach the same thing.

use crate::actions::ActionName;
use crate::detect::concepts::Concepts;
use crate::detect::guards::Guards;
use crate::detect::mentions::{Mention, MentionKind};
use crate::detect::text::Token;
use crate::detect::{lexicon, vocabulary};

/// Hash buckets: enough that the corpus's features rarely collide, small enough to keep the
/// weights a few megabytes.
pub const BUCKETS: usize = 1 << 15;

/// A query's features: bucket and weight, sorted by bucket, with unit length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Features(pub Vec<(u32, f32)>);

/// FNV-1a over a namespace byte and the text: stable across builds and platforms.
fn bucket(namespace: u8, text: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5 ^ u32::from(namespace);
    hash = hash.wrapping_mul(0x0100_0193);
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    #[allow(clippy::cast_possible_truncation)] // BUCKETS is far below u32::MAX
    let buckets = BUCKETS as u32;
    hash % buckets
}

struct Builder(Vec<(u32, f32)>);

impl Builder {
    fn add(&mut self, namespace: u8, text: &str, weight: f32) {
        self.0.push((bucket(namespace, text), weight));
    }

    fn finish(mut self) -> Features {
        self.0.sort_by_key(|&(b, _)| b);
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(self.0.len());
        for (b, w) in self.0 {
            match merged.last_mut() {
                Some((last, total)) if *last == b => *total += w,
                _ => merged.push((b, w)),
            }
        }
        let norm = merged.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut merged {
                *w /= norm;
            }
        }
        Features(merged)
    }
}

/// Namespaces keep a word, a concept and a bigram that spell alike apart.
mod ns {
    pub const WORD: u8 = 1;
    pub const BIGRAM: u8 = 2;
    pub const CONCEPT: u8 = 3;
    pub const FIRST_INTENT: u8 = 4;
    pub const CHARS: u8 = 5;
    pub const MENTION: u8 = 6;
    pub const SHAPE: u8 = 7;
    pub const HEAD_CONCEPT: u8 = 8;
    pub const CONCEPT_PAIR: u8 = 9;
    pub const BIAS: u8 = 10;
    pub const RULE: u8 = 11;
}

/// A word as the model reads it: numbers and codes as their shape, known words as the lexicon
/// spells them.
fn form(token: &Token) -> String {
    let word = token.norm.as_str();
    if word.chars().any(|c| c.is_ascii_digit()) {
        if vocabulary::is_equipment_code(word) {
            return "#equipment".to_owned();
        }
        return word
            .chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect::<String>()
            .split("00")
            .collect::<Vec<_>>()
            .join("0");
    }
    lexicon::spelling(word).map_or_else(|| word.to_owned(), str::to_owned)
}

/// What the detector already worked out about a query.
#[derive(Debug)]
pub struct Reading<'a> {
    pub tokens: &'a [Token],
    pub meanings: &'a [Concepts],
    pub mentions: &'a [Mention],
    pub guards: Guards,
    pub question: bool,
    /// The hand-written rules' scores, best first: evidence the model learns how far to trust.
    pub rules: &'a [(ActionName, f32)],
}

/// The features of one query.
pub fn extract(reading: &Reading<'_>) -> Features {
    let Reading { tokens, meanings, mentions, guards, question, rules } = *reading;
    let mut f = Builder(Vec::with_capacity(tokens.len() * 8 + 8));
    f.add(ns::BIAS, "", 0.3);
    for (rank, (action, score)) in rules.iter().enumerate() {
        f.add(ns::RULE, action.as_str(), *score);
        if rank == 0 {
            f.add(ns::RULE, &format!("top {action}"), 1.0);
        }
    }
    let forms: Vec<String> = tokens.iter().map(form).collect();
    let head_end = tokens.iter().position(|t| t.ends_clause).map_or(tokens.len(), |i| i + 1);
    let mut first_intent_seen = false;
    for (i, (token, meaning)) in tokens.iter().zip(meanings).enumerate() {
        let word = &forms[i];
        let stop = vocabulary::is_stopword(word);
        f.add(ns::WORD, word, if stop { 0.4 } else { 1.0 });
        if let Some(next) = forms.get(i + 1) {
            f.add(ns::BIGRAM, &format!("{word} {next}"), 0.7);
        }
        for concept in meaning.ids() {
            let concept = concept.to_string();
            f.add(ns::CONCEPT, &concept, 1.0);
            if i < head_end {
                f.add(ns::HEAD_CONCEPT, &concept, 0.5);
            }
        }
        if !first_intent_seen && !meaning.intents().is_empty() {
            first_intent_seen = true;
            for concept in meaning.intents().ids() {
                f.add(ns::FIRST_INTENT, &concept.to_string(), 1.0);
            }
        }
        // Words the lexicon does not know still share pieces with ones the corpus has.
        if meaning.is_empty()
            && !stop
            && token.norm.chars().count() >= 4
            && !token.norm.chars().any(|c| c.is_ascii_digit())
        {
            let padded: Vec<char> = format!("^{}$", token.norm).chars().collect();
            for gram in padded.windows(4) {
                f.add(ns::CHARS, &gram.iter().collect::<String>(), 0.25);
            }
        }
    }
    // What the sentence is about and what is asked of it, as pairs of neighbouring concepts.
    let named: Vec<Concepts> = meanings.iter().copied().filter(|m| !m.is_empty()).collect();
    for pair in named.windows(2) {
        for a in pair[0].ids() {
            for b in pair[1].ids() {
                f.add(ns::CONCEPT_PAIR, &format!("{a} {b}"), 0.5);
            }
        }
    }
    for mention in mentions {
        if mention.kind != MentionKind::Text {
            f.add(ns::MENTION, &format!("{:?}", mention.kind), 1.0);
        }
    }
    let length = match tokens.len() {
        0..=1 => "len1",
        2 => "len2",
        3..=4 => "len4",
        5..=8 => "len8",
        9..=16 => "len16",
        _ => "len+",
    };
    f.add(ns::SHAPE, length, 0.5);
    for (flag, name) in [
        (question, "question"),
        (guards.hedged, "hedged"),
        (guards.narrative, "narrative"),
        (guards.bulk, "bulk"),
        (head_end < tokens.len(), "clause"),
    ] {
        if flag {
            f.add(ns::SHAPE, name, 1.0);
        }
    }
    f.finish()
}
