//! `pipeline-core detect`: the detector over JSON lines, for offline evaluation.

use std::io::{BufRead, Write};

use pms_domain::detect::{Detection, detect};
use serde::{Deserialize, Serialize};

use super::mentions::MentionView;

#[derive(Debug, Deserialize)]
struct Line {
    query: String,
}

/// One answer line.
#[derive(Debug, Serialize)]
pub struct Answer<'a> {
    pub query: &'a str,
    pub action: Option<&'static str>,
    pub confidence: Option<f32>,
    pub side_effect: Option<&'static str>,
    pub candidates: Vec<CandidateLine>,
    pub mentions: Vec<MentionView>,
}

#[derive(Debug, Serialize)]
pub struct CandidateLine {
    pub action: &'static str,
    pub confidence: f32,
}

impl<'a> Answer<'a> {
    pub fn new(query: &'a str, detection: &Detection) -> Self {
        let top = detection.top();
        Answer {
            query,
            action: top.map(|c| c.action.name),
            confidence: top.map(|c| c.confidence),
            side_effect: top.map(|c| c.action.side_effect.as_str()),
            candidates: detection
                .candidates
                .iter()
                .map(|c| CandidateLine { action: c.action.name, confidence: c.confidence })
                .collect(),
            mentions: detection.mentions.iter().map(MentionView::from).collect(),
        }
    }
}

/// Reads `{"query": …}` lines and writes one answer line each, in order. A line that is not such
/// an object gets `{"error": …}` so the answers stay aligned with the questions.
pub fn run_local(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Line>(&line) {
            Ok(Line { query }) => serde_json::to_string(&Answer::new(&query, &detect(&query))),
            Err(e) => {
                serde_json::to_string(&serde_json::json!({ "error": format!("not a {{\"query\": …}} line: {e}") }))
            }
        }
        .map_err(std::io::Error::other)?;
        writeln!(output, "{answer}")?;
    }
    output.flush()
}
