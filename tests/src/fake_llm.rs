//! A fake OpenAI-compatible server: a real HTTP server on loopback answering
//! `POST /v1/chat/completions` as told, and keeping every request body it received.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// How the fake answers the next requests.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// A completion whose content is this JSON (the answer object the schema asks for).
    Answer(Value),
    /// A completion whose content is this text, JSON or not.
    Content(String),
    /// A completion whose message is a refusal.
    Refuse(String),
    /// An error status with an OpenAI-style error body.
    Status(u16),
    /// Never answers in time.
    Hang(Duration),
}

#[derive(Debug)]
struct Shared {
    behaviour: Mutex<Behaviour>,
    requests: Mutex<Vec<Value>>,
}

/// The running fake; it stops when the test's runtime ends.
#[derive(Debug, Clone)]
pub struct FakeLlm {
    /// The API base to configure as `OPENAI_BASE_URL` (`http://127.0.0.1:<port>/v1`).
    pub base_url: String,
    shared: Arc<Shared>,
}

impl FakeLlm {
    pub async fn start(behaviour: Behaviour) -> Self {
        let shared = Arc::new(Shared { behaviour: Mutex::new(behaviour), requests: Mutex::new(Vec::new()) });
        let app = axum::Router::new().route("/v1/chat/completions", post(complete)).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds loopback");
        let port = listener.local_addr().expect("local address").port();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base_url: format!("http://127.0.0.1:{port}/v1"), shared }
    }

    pub fn set(&self, behaviour: Behaviour) {
        *self.shared.behaviour.lock().expect("lock") = behaviour;
    }

    /// Every request body received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.shared.requests.lock().expect("lock").clone()
    }

    pub fn calls(&self) -> usize {
        self.shared.requests.lock().expect("lock").len()
    }

    /// The answer object the detector's schema asks for.
    pub fn answer(action: &str, confidence: f64, mentions: &[(&str, &str)]) -> Behaviour {
        let mentions: Vec<Value> = mentions.iter().map(|(kind, text)| json!({ "type": kind, "text": text })).collect();
        Behaviour::Answer(json!({ "action": action, "confidence": confidence, "mentions": mentions }))
    }
}

async fn complete(State(shared): State<Arc<Shared>>, Json(body): Json<Value>) -> Response {
    shared.requests.lock().expect("lock").push(body);
    let behaviour = shared.behaviour.lock().expect("lock").clone();
    match behaviour {
        Behaviour::Answer(answer) => completion(&json!({ "role": "assistant", "content": answer.to_string() })),
        Behaviour::Content(text) => completion(&json!({ "role": "assistant", "content": text })),
        Behaviour::Refuse(reason) => completion(&json!({ "role": "assistant", "content": null, "refusal": reason })),
        Behaviour::Status(status) => {
            let status = StatusCode::from_u16(status).expect("a status");
            let error = json!({ "error": { "message": "the fake is failing", "type": "server_error", "param": null, "code": null } });
            (status, Json(error)).into_response()
        }
        Behaviour::Hang(duration) => {
            tokio::time::sleep(duration).await;
            completion(&json!({ "role": "assistant", "content": "{}" }))
        }
    }
}

fn completion(message: &Value) -> Response {
    Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_764_633_600,
        "model": "fake-model",
        "choices": [{ "index": 0, "message": message, "finish_reason": "stop", "logprobs": null }],
        "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 }
    }))
    .into_response()
}
