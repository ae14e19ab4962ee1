//! Which detector reads a query: the local rules always, and the configured language model when
//! there is one — asked with the query redacted, its answer checked and cached by role, and the
//! local rules answering whenever it fails, times out or says something it may not.
//!
//! Answers are cached in this process and, with `REDIS_URL`, in Redis too, so a question one
//! instance asked is not asked again by another.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pms_domain::actions;
use pms_domain::detect::{Detection, Engine, ModelAnswer, adopt, detect_with, redact};
use pms_domain::identity::Role;
use pms_infra::llm::{LlmConfig, LlmDetector, answer_json, parse_answer};
use pms_infra::shared::SharedStore;
use secrecy::ExposeSecret;
use sha2::{Digest as _, Sha256};

use super::cache::TtlCache;
use crate::config::{DetectorMode, LlmSettings};

/// Answers kept, and for how long: a crew asks the same few things over and over.
const CACHE_ENTRIES: usize = 10_000;
const CACHE_TTL: Duration = Duration::from_secs(15 * 60);

/// Who answered a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The local rules (no model configured, or the query never leaves: a paste).
    Local,
    /// The model, just now.
    Llm,
    /// The model's earlier answer to the same query and role.
    Cache,
    /// The model failed; the local rules answered.
    Fallback,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Llm => "llm",
            Self::Cache => "cache",
            Self::Fallback => "fallback",
        }
    }
}

/// The search bar's detector.
#[derive(Debug)]
pub struct Detector {
    /// The model and its answers; none when only the local detector runs.
    model: Option<Model>,
    /// The local detector's intent scorer.
    engine: Engine,
}

#[derive(Debug)]
struct Model {
    client: LlmDetector,
    answers: TtlCache<(Role, String), ModelAnswer>,
    /// Where other instances find the answers this one got.
    shared: Option<SharedStore>,
}

impl Detector {
    /// The local detector only.
    pub fn local() -> Self {
        Self::local_with(Engine::default())
    }

    /// The local detector only, with its intent scorer chosen.
    pub fn local_with(engine: Engine) -> Self {
        Self { model: None, engine }
    }

    /// The detector `settings` ask for, sharing model answers through `shared` when given.
    pub fn from_settings(settings: &LlmSettings, shared: Option<SharedStore>) -> Self {
        if settings.detector == DetectorMode::Local {
            return Self::local();
        }
        let config = LlmConfig {
            base_url: settings.base_url.as_ref().map(|url| url.as_str().trim_end_matches('/').to_owned()),
            api_key: settings.api_key.as_ref().map(|key| key.expose_secret().to_owned().into()),
            model: settings.model.clone(),
            timeout: settings.timeout,
        };
        let answers = TtlCache::new(CACHE_ENTRIES, CACHE_TTL);
        Self { model: Some(Model { client: LlmDetector::new(&config), answers, shared }), engine: Engine::default() }
    }

    /// Detects what `query` asks of a member with `role`.
    pub async fn detect(&self, query: &str, role: Role) -> (Detection, Source) {
        let local = detect_with(query, self.engine);
        let Some(model) = &self.model else { return (local, Source::Local) };
        // A pasted log or document is not a request, and is not sent anywhere.
        if local.guards.pasted {
            return (local, Source::Local);
        }
        let redacted = redact(query);
        let key = (role, normalised(&redacted));
        let allowed = |spec: &actions::ActionSpec| spec.allowed_for(role);
        if let Some(answer) = model.cached(&key).await
            && let Ok(detection) = adopt(query, local.clone(), &answer, allowed)
        {
            metrics::counter!("detector_cache_hits_total").increment(1);
            return (detection, Source::Cache);
        }
        metrics::counter!("detector_llm_requests_total").increment(1);
        let started = Instant::now();
        let offered: Vec<_> = actions::for_role(role).collect();
        let answer = model.client.ask(&redacted, &offered).await;
        metrics::histogram!("detector_llm_duration_seconds").record(started.elapsed().as_secs_f64());
        let outcome = match answer {
            Ok(answer) => match adopt(query, local.clone(), &answer, allowed) {
                Ok(detection) => {
                    model.remember(key, answer).await;
                    Ok(detection)
                }
                Err(untrusted) => Err(("untrusted", untrusted.to_string())),
            },
            Err(failure) => Err((failure.reason(), failure.to_string())),
        };
        match outcome {
            Ok(detection) => (detection, Source::Llm),
            Err((reason, error)) => {
                tracing::warn!(reason, %error, "the model gave no usable answer; the local detector answers");
                metrics::counter!("detector_llm_failures_total", "reason" => reason).increment(1);
                metrics::counter!("detector_fallbacks_total").increment(1);
                (local, Source::Fallback)
            }
        }
    }
}

impl Model {
    /// An earlier answer to the same question from the same role, here or on another instance.
    async fn cached(&self, key: &(Role, String)) -> Option<ModelAnswer> {
        if let Some(answer) = self.answers.get(key) {
            return Some(answer);
        }
        let shared = self.shared.as_ref()?;
        let json = match shared.get(SHARED_KIND, &shared_key(key)).await {
            Ok(json) => json?,
            Err(error) => {
                crate::shared_store::fell_back("detector_cache", &error);
                return None;
            }
        };
        let answer = parse_answer(&json).ok()?;
        self.answers.insert(key.clone(), answer.clone());
        Some(answer)
    }

    async fn remember(&self, key: (Role, String), answer: ModelAnswer) {
        if let Some(shared) = &self.shared
            && let Err(error) = shared.put(SHARED_KIND, &shared_key(&key), &answer_json(&answer), CACHE_TTL).await
        {
            crate::shared_store::fell_back("detector_cache", &error);
        }
        self.answers.insert(key, answer);
    }
}

/// Where model answers live in the shared store.
const SHARED_KIND: &str = "detector";

/// A shared key that does not carry the (redacted) query itself: role and a digest of its text.
fn shared_key((role, text): &(Role, String)) -> String {
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()));
    format!("{}:{digest}", role.as_str())
}

/// The cache key's text: case and spacing do not make a new question.
fn normalised(query: &str) -> String {
    query.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}
