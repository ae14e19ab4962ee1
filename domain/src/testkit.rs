//! Helpers for the domain's own unit tests.

use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Drives a future whose fakes never wait to completion, without an async runtime (the domain
/// has none).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}
