//! A line that asks for several things: "create a WO and add it to handover", "used 2 filters
//! on DG1, then order 4 more". Read whole, the likeliest action can be the second request; the
//! crew expects the first on top and the others after it, each as its own candidate.

use super::concepts::Concepts;
use super::text::{Span, Token};

/// Words that join one request to the next.
const CONNECTORS: [&str; 5] = ["and", "then", "also", "plus", "n"];
/// Words that may stand before a request's verb.
const COURTESY: [&str; 4] = ["pls", "please", "plz", "kindly"];

/// The requests of the query, in the order typed (one span for a query that asks one thing).
///
/// Only a line that opens with a verb is split, and only at a connector followed by another
/// verb. A comma is not enough, nor a line that opens with what happened: measured on corpus
/// voices the detector never read, "bowl seal check done, tick it" and "used 2 fuel filters on
/// WO-2026-0042, add them to the job" ask for one thing, the last, and splitting them cost more
/// than it won. "Filters and belts" is one request too: the connector must lead to a verb.
pub(super) fn split(query: &str, tokens: &[Token], meanings: &[Concepts]) -> Vec<Span> {
    let whole = vec![Span { start: 0, end: query.chars().count() }];
    let is = |words: &[&str], t: &Token| words.contains(&t.norm.as_str());
    let verb = |k: usize| !meanings[k].intents().is_empty();
    if !tokens.iter().position(|t| !is(&COURTESY, t)).is_some_and(verb) {
        return whole;
    }
    let mut requests = Vec::new();
    let mut start = 0;
    let mut i = 1;
    while i < tokens.len() {
        if is(&CONNECTORS, &tokens[i])
            && let Some(next) = (i..tokens.len()).find(|&j| !is(&CONNECTORS, &tokens[j]) && !is(&COURTESY, &tokens[j]))
            && verb(next)
        {
            requests.push(Span { start, end: tokens[i - 1].span.end });
            start = tokens[next].span.start;
            i = next + 1;
            continue;
        }
        i += 1;
    }
    if requests.is_empty() {
        return whole;
    }
    requests.push(Span { start, end: whole[0].end });
    requests
}
