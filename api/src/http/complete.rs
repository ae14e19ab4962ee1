//! Every request's handler runs to completion as a task of its own, even when the client hangs
//! up or the deadline answers first. Dropping a handler half-way through a database exchange
//! can return its connection to the pool mid-transaction (PostgreSQL then warns "there is
//! already a transaction in progress" to the next request) and abandons work the client was
//! told nothing about; a retry with the same Idempotency-Key then finds the finished result.

use std::panic::resume_unwind;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

use super::request_id::RequestId;

pub async fn run_to_completion(request: Request, next: Next) -> Response {
    let id = request.extensions().get::<RequestId>().cloned();
    let handler = next.run(request).instrument(tracing::Span::current());
    let task = match id {
        Some(id) => tokio::spawn(id.scope(handler)),
        None => tokio::spawn(handler),
    };
    match task.await {
        Ok(response) => response,
        // The panic catcher outside this layer turns it into a problem+json 500.
        Err(error) if error.is_panic() => resume_unwind(error.into_panic()),
        Err(error) => panic!("a request task was cancelled: {error}"),
    }
}
