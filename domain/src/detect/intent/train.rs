//! Training: `AdaGrad` on the multinomial logistic loss with L2, over the examples in an order
//! fixed by a seeded shuffle. Same corpus, same code: same weights, bit for bit.

use super::corpus::Example;
use super::{CLASSES, Features, Model, class_of, softmax};

/// How the model is trained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Training {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for Training {
    fn default() -> Self {
        Self { epochs: 14, learning_rate: 0.35, l2: 1e-5, seed: 0x5eed_a11e }
    }
}

/// A small, seedable generator: the order of examples is part of the model.
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn permute<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            #[allow(clippy::cast_possible_truncation)] // i + 1 fits in u64 and back
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Features and class of every example whose label the registry knows.
fn prepare(examples: &[Example]) -> (Vec<(Features, usize)>, usize) {
    let mut prepared = Vec::with_capacity(examples.len());
    let mut skipped = 0;
    for example in examples {
        match class_of(example.action.as_deref()) {
            Some(class) => prepared.push((crate::detect::features_of(&example.query), class)),
            None => skipped += 1,
        }
    }
    (prepared, skipped)
}

fn fit(data: &[(Features, usize)], training: &Training) -> Model {
    let mut model = Model::zeroed();
    let mut squared = vec![1e-6f32; model.weights.len()];
    let mut bias_squared = [1e-6f32; CLASSES];
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut shuffle = Shuffle(training.seed);
    for _ in 0..training.epochs {
        shuffle.permute(&mut order);
        for &index in &order {
            let (features, class) = &data[index];
            let probabilities = softmax(model.logits(features));
            for (c, p) in probabilities.iter().enumerate() {
                let error = p - if c == *class { 1.0 } else { 0.0 };
                let g = error + training.l2 * model.bias[c];
                bias_squared[c] += g * g;
                model.bias[c] -= training.learning_rate * g / bias_squared[c].sqrt();
                for &(bucket, value) in &features.0 {
                    let k = bucket as usize * CLASSES + c;
                    let g = error * value + training.l2 * model.weights[k];
                    squared[k] += g * g;
                    model.weights[k] -= training.learning_rate * g / squared[k].sqrt();
                }
            }
        }
    }
    model
}

/// Trains on `examples`; also returns how many were skipped for naming no known action.
pub fn train(examples: &[Example], training: &Training) -> (Model, usize) {
    let (data, skipped) = prepare(examples);
    (fit(&data, training), skipped)
}

/// Accuracy of models trained on k−1 folds and tested on the one left out.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    pub folds: usize,
    pub examples: usize,
    /// Share of test examples whose top class was the label.
    pub accuracy: f64,
    /// Share of no-action examples for which no mutation was the top class.
    pub no_action_kept: f64,
}

/// `folds`-fold cross-validation over a seeded shuffle of the examples.
pub fn cross_validate(examples: &[Example], folds: usize, training: &Training) -> CrossValidation {
    let (mut data, _) = prepare(examples);
    Shuffle(training.seed ^ 0xf01d).permute(&mut data);
    let folds = folds.max(2);
    let (mut right, mut none_total, mut none_kept) = (0usize, 0usize, 0usize);
    for fold in 0..folds {
        let (test, learn): (Vec<_>, Vec<_>) = data.iter().enumerate().partition(|(i, _)| i % folds == fold);
        let learn: Vec<(Features, usize)> = learn.into_iter().map(|(_, d)| d.clone()).collect();
        let model = fit(&learn, training);
        for (_, (features, class)) in test {
            let probabilities = model.probabilities(features);
            let top = (0..CLASSES).max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b])).unwrap_or(0);
            right += usize::from(top == *class);
            if *class == 0 {
                none_total += 1;
                let mutation =
                    super::action_of(top).is_some_and(|a| a.side_effect != crate::actions::SideEffect::ReadOnly);
                none_kept += usize::from(!mutation);
            }
        }
    }
    #[allow(clippy::cast_precision_loss)] // counts of a few thousand
    let share = |part: usize, whole: usize| if whole == 0 { 1.0 } else { part as f64 / whole as f64 };
    CrossValidation {
        folds,
        examples: data.len(),
        accuracy: share(right, data.len()),
        no_action_kept: share(none_kept, none_total),
    }
}
