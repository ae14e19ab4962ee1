//! The learned intent model: multinomial logistic regression over hashed features
//! ([`features`]), trained from the project's labelled corpus ([`corpus`]). Training is
//! deterministic, so the model is a function of the corpus and this code: it is trained once
//! per process, on first use, and [`Model::digest`] names it.

pub mod corpus;
pub mod features;
mod train;

use std::sync::OnceLock;

pub use features::Features;
pub use train::{CrossValidation, Training, cross_validate, train};

use crate::actions::{ACTIONS, ActionSpec};

/// The model's classes: no action, then every action of the registry in its order.
pub const CLASSES: usize = ACTIONS.len() + 1;

/// The class of a label (`None`: no action).
pub fn class_of(action: Option<&str>) -> Option<usize> {
    match action {
        None => Some(0),
        Some(name) => ACTIONS.iter().position(|a| a.name.as_str() == name).map(|i| i + 1),
    }
}

/// The action a class stands for.
pub fn action_of(class: usize) -> Option<&'static ActionSpec> {
    class.checked_sub(1).and_then(|i| ACTIONS.get(i))
}

/// Weights per feature bucket and class, and a bias per class.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    weights: Vec<f32>,
    bias: Vec<f32>,
}

impl Model {
    fn zeroed() -> Self {
        Self { weights: vec![0.0; features::BUCKETS * CLASSES], bias: vec![0.0; CLASSES] }
    }

    fn logits(&self, features: &Features) -> [f32; CLASSES] {
        let mut logits = [0.0f32; CLASSES];
        logits.copy_from_slice(&self.bias);
        for &(bucket, value) in &features.0 {
            let row = &self.weights[bucket as usize * CLASSES..(bucket as usize + 1) * CLASSES];
            for (logit, weight) in logits.iter_mut().zip(row) {
                *logit += weight * value;
            }
        }
        logits
    }

    /// The probability of each class.
    pub fn probabilities(&self, features: &Features) -> [f32; CLASSES] {
        softmax(self.logits(features))
    }

    /// Names the model: equal digests, equal weights.
    pub fn digest(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for value in self.bias.iter().chain(&self.weights) {
            for byte in value.to_bits().to_le_bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        hash
    }
}

fn softmax(mut logits: [f32; CLASSES]) -> [f32; CLASSES] {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut total = 0.0;
    for logit in &mut logits {
        *logit = (*logit - max).exp();
        total += *logit;
    }
    for logit in &mut logits {
        *logit /= total;
    }
    logits
}

/// The model trained on the embedded corpus.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| train(&corpus::embedded(), &Training::default()).0)
}

#[cfg(test)]
mod tests;
