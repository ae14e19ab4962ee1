//! `pipeline-core detect`: the detector over JSON lines, for offline evaluation (local rules, or
//! the configured model with `--llm`), its latency with `--latency`, and `detect export`, the
//! searches users gave a verdict on, as a labelled set for review.

use std::io::{BufRead, Write};
use std::time::Instant;

use pms_domain::actions::SideEffect;
use pms_domain::detect::{Detection, Engine, detect_using, detect_with, intent};
use pms_domain::directory::YachtStatus;
use pms_domain::identity::Role;
use pms_domain::yacht::{Yacht, YachtRegistry as _};
use pms_infra::master::registry::PgYachtRegistry;
use pms_infra::tenant::router::{TenantLocation, TenantRouter};
use pms_infra::tenant::search_log;
use pms_infra::tenant::store::TenantStore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::detector::{Detector, Source};
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
    /// `local`, `llm`, `cache` or `fallback`.
    pub detector: &'static str,
}

#[derive(Debug, Serialize)]
pub struct CandidateLine {
    pub action: &'static str,
    pub confidence: f32,
}

impl<'a> Answer<'a> {
    pub fn new(query: &'a str, detection: &Detection, source: Source) -> Self {
        let top = detection.top();
        Answer {
            query,
            action: top.map(|c| c.action.name.as_str()),
            confidence: top.map(|c| c.confidence),
            side_effect: top.map(|c| c.action.side_effect.as_str()),
            candidates: detection
                .candidates
                .iter()
                .map(|c| CandidateLine { action: c.action.name.as_str(), confidence: c.confidence })
                .collect(),
            mentions: detection.mentions.iter().map(MentionView::from).collect(),
            detector: source.as_str(),
        }
    }
}

/// Reads `{"query": …}` lines and writes one answer line each, in order, from `detector` as
/// `role` would see it. A line that is not such an object gets `{"error": …}` so the answers stay
/// aligned with the questions.
pub async fn run(input: impl BufRead, mut output: impl Write, detector: &Detector, role: Role) -> std::io::Result<()> {
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Line>(&line) {
            Ok(Line { query }) => {
                let (detection, source) = detector.detect(&query, role).await;
                serde_json::to_string(&Answer::new(&query, &detection, source))
            }
            Err(e) => {
                serde_json::to_string(&serde_json::json!({ "error": format!("not a {{\"query\": …}} line: {e}") }))
            }
        }
        .map_err(std::io::Error::other)?;
        writeln!(output, "{answer}")?;
    }
    output.flush()
}

/// The local detector's latency per query: every query of `input` detected `rounds` times after
/// one warm-up round; returns the summary line.
pub fn latency(input: impl BufRead, rounds: usize, engine: Engine) -> std::io::Result<String> {
    let mut queries = Vec::new();
    for line in input.lines() {
        if let Ok(Line { query }) = serde_json::from_str::<Line>(&line?) {
            queries.push(query);
        }
    }
    if queries.is_empty() {
        return Err(std::io::Error::other("no {\"query\": …} lines on standard input"));
    }
    for query in &queries {
        std::hint::black_box(detect_with(query, engine));
    }
    let mut nanos: Vec<u128> = Vec::with_capacity(queries.len() * rounds);
    for _ in 0..rounds {
        for query in &queries {
            let started = Instant::now();
            std::hint::black_box(detect_with(std::hint::black_box(query), engine));
            nanos.push(started.elapsed().as_nanos());
        }
    }
    nanos.sort_unstable();
    let at = |q: f64| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let index = ((nanos.len() - 1) as f64 * q).round() as usize;
        #[allow(clippy::cast_precision_loss)] // nanoseconds of one call
        let micros = nanos[index] as f64 / 1000.0;
        micros
    };
    Ok(format!(
        "detector latency over {} queries x {rounds} rounds: p50 {:.1} us, p90 {:.1} us, p99 {:.1} us, max {:.1} us",
        queries.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    ))
}

/// `detect train`: the model trained on the embedded corpus, its digest and its k-fold accuracy.
pub fn train_report(folds: usize) -> String {
    let examples = intent::corpus::embedded();
    let training = intent::Training::default();
    let started = Instant::now();
    let (model, skipped) = intent::train(&examples, &training);
    let mut report = format!(
        "intent model {:016x}: {} examples ({} no action, {skipped} skipped for naming no action), \
         {} classes, trained in {:.1} s",
        model.digest(),
        examples.len(),
        examples.iter().filter(|e| e.action.is_none()).count(),
        intent::CLASSES,
        started.elapsed().as_secs_f64(),
    );
    if folds > 0 {
        let cv = intent::cross_validate(&examples, folds, &training);
        report = format!(
            "{report}\n{}-fold cross-validation over {} examples: accuracy {:.3}, no-action lines kept free of mutations {:.3}",
            cv.folds, cv.examples, cv.accuracy, cv.no_action_kept
        );
    }
    report
}

/// `detect train --hold-out VOICE`: a model trained without one voice, and each engine's share of
/// that voice's lines answered right (the action named; for a no-action line, no mutation).
pub fn hold_out_report(left_out: &str, list_misses: bool) -> Result<String, String> {
    let voice = intent::corpus::voice(left_out).ok_or_else(|| {
        let names: Vec<&str> = intent::corpus::VOICES.iter().map(|v| v.name).collect();
        format!("no corpus voice {left_out:?}; the voices are {}", names.join(", "))
    })?;
    let held = voice.examples();
    let (model, _) = intent::train(&intent::corpus::embedded_without(left_out), &intent::Training::default());
    let (actions, none) = held.iter().partition::<Vec<_>, _>(|e| e.action.is_some());
    let mut report =
        vec![format!("trained without {left_out}: {} action lines, {} no-action lines", actions.len(), none.len())];
    for (label, engine) in [("combined", Engine::Combined), ("rules", Engine::Rules), ("model", Engine::Model)] {
        let top = |query: &str| detect_using(query, engine, &model).top().map(|c| c.action);
        let right = actions.iter().filter(|e| top(&e.query).map(|a| a.name.as_str()) == e.action.as_deref()).count();
        let kept = none.iter().filter(|e| top(&e.query).is_none_or(|a| a.side_effect == SideEffect::ReadOnly)).count();
        report.push(format!(
            "{label:>8}: action {:.3}, no-action lines free of mutations {:.3}",
            share(right, actions.len()),
            share(kept, none.len())
        ));
    }
    if list_misses {
        for example in &held {
            let got = detect_using(&example.query, Engine::Combined, &model).top().map(|c| c.action);
            let right = match &example.action {
                Some(want) => got.is_some_and(|a| a.name.as_str() == want),
                None => got.is_none_or(|a| a.side_effect == SideEffect::ReadOnly),
            };
            if !right {
                let got = got.map_or("nothing", |a| a.name.as_str());
                let want = example.action.as_deref().unwrap_or("no action");
                report.push(format!("  miss {:?}: want {want}, got {got}", example.query));
            }
        }
    }
    Ok(report.join("\n"))
}

#[allow(clippy::cast_precision_loss)] // counts of a few thousand
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
}

/// One labelled search, as `detect export` writes it: `query` and `expected` as in the dev set.
#[derive(Debug, Serialize)]
struct ExportLine {
    query: String,
    /// What the user ran or meant (null: none of the suggestions, and nothing named).
    expected: Option<String>,
    outcome: String,
    proposed: Option<String>,
    confidence: Option<f32>,
    detector: String,
    role: String,
    yacht_id: Uuid,
    search_id: Uuid,
    searched_at: chrono::DateTime<chrono::Utc>,
}

/// Writes every search with a verdict, yacht by yacht (every active yacht, or only `only`).
/// Returns how many lines were written and the yachts that could not be read.
pub async fn export(
    registry: &PgYachtRegistry,
    router: &TenantRouter,
    only: Option<Uuid>,
    mut output: impl Write,
) -> anyhow::Result<(usize, Vec<String>)> {
    let mut written = 0;
    let mut failures = Vec::new();
    let yachts = registry.yachts().await?;
    let chosen = yachts.iter().filter(|y| only.map_or(y.status == YachtStatus::Active, |id| y.id.as_uuid() == id));
    for yacht in chosen {
        match labelled(router, yacht).await {
            Ok(rows) => {
                for row in rows {
                    let line = ExportLine {
                        expected: row.feedback_action.clone(),
                        query: row.query,
                        outcome: row.feedback,
                        proposed: row.proposed_action,
                        confidence: row.confidence,
                        detector: row.detector,
                        role: row.role,
                        yacht_id: yacht.id.as_uuid(),
                        search_id: row.id,
                        searched_at: row.searched_at,
                    };
                    writeln!(output, "{}", serde_json::to_string(&line)?)?;
                    written += 1;
                }
            }
            Err(error) => failures.push(format!("{} {}: {error}", yacht.id, yacht.name)),
        }
    }
    output.flush()?;
    Ok((written, failures))
}

async fn labelled(router: &TenantRouter, yacht: &Yacht) -> Result<Vec<search_log::LabelledSearch>, String> {
    let location = TenantLocation { server: yacht.server.clone(), database: yacht.database.clone() };
    let store = TenantStore::new(router.clone(), location, yacht.id);
    let mut tx = store.begin().await.map_err(|e| e.to_string())?;
    let rows = search_log::labelled(&mut tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(rows)
}
