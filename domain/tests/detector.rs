//! The local detector on the labelled development set (`detector/dev.jsonl`, one or more
//! phrasings per micro-action and queries that must yield nothing). Prints its accuracy; holds
//! it to the product's bar, and never lets a query that must yield nothing yield a mutation.

use pms_domain::actions::SideEffect;
use pms_domain::detect::detect;

struct Case {
    query: String,
    expected: Option<String>,
}

fn cases() -> Vec<Case> {
    include_str!("detector/dev.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            Case {
                query: value["query"].as_str().expect("query").to_owned(),
                expected: value["expected"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

/// The bar the product is held to: nine in ten phrasings of the development set understood.
/// A floor, not the current figure (printed by this test).
const REQUIRED_ACCURACY: f64 = 0.9;

#[test]
fn dev_set_accuracy() {
    let cases = cases();
    let mut misses = Vec::new();
    for case in &cases {
        let got = detect(&case.query).top().map(|c| c.action.name.as_str());
        if got != case.expected.as_deref() {
            misses.push(format!("  {:?}: want {:?}, got {:?}", case.query, case.expected, got));
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let accuracy = 1.0 - misses.len() as f64 / cases.len() as f64;
    println!("dev set: {}/{} = {:.1}%", cases.len() - misses.len(), cases.len(), accuracy * 100.0);
    println!("{}", misses.join("\n"));
    assert!(accuracy >= REQUIRED_ACCURACY, "accuracy {accuracy:.3} below {REQUIRED_ACCURACY}:\n{}", misses.join("\n"));
}

#[test]
fn queries_that_ask_for_nothing_never_get_a_mutation() {
    for case in cases().iter().filter(|c| c.expected.is_none()) {
        let detection = detect(&case.query);
        let mutation = detection.candidates.iter().find(|c| c.action.side_effect != SideEffect::ReadOnly);
        assert!(mutation.is_none(), "{:?} proposed {:?}", case.query, mutation.map(|c| c.action.name));
    }
}
