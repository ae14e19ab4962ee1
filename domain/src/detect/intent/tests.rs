use super::*;
use crate::actions::SideEffect;

fn examples() -> Vec<corpus::Example> {
    corpus::embedded()
}

#[test]
fn training_is_deterministic_and_depends_on_the_corpus() {
    let some: Vec<_> = examples().into_iter().step_by(7).collect();
    let (a, _) = train(&some, &Training::default());
    let (b, _) = train(&some, &Training::default());
    assert_eq!(a.digest(), b.digest(), "same corpus, same model");
    let fewer = &some[..some.len() - 1];
    assert_ne!(train(fewer, &Training::default()).0.digest(), a.digest(), "one line less, another model");
}

#[test]
fn every_class_has_examples_to_learn_from() {
    let mut counts = [0usize; CLASSES];
    for example in examples() {
        counts[class_of(example.action.as_deref()).expect("a known label")] += 1;
    }
    for (class, count) in counts.iter().enumerate() {
        let name = action_of(class).map_or("no action", |a| a.name.as_str());
        assert!(*count >= 20, "{name} has only {count} examples");
    }
}

#[test]
fn the_model_fits_its_corpus_and_keeps_no_action_lines_free_of_mutations() {
    let model = model();
    let (mut right, mut total, mut mutations_on_none) = (0usize, 0usize, 0usize);
    for example in examples() {
        let class = class_of(example.action.as_deref()).expect("a known label");
        let p = model.probabilities(&crate::detect::features_of(&example.query));
        let top = (0..CLASSES).max_by(|&a, &b| p[a].total_cmp(&p[b])).expect("classes");
        total += 1;
        right += usize::from(top == class);
        if class == 0 && action_of(top).is_some_and(|a| a.side_effect != SideEffect::ReadOnly) {
            mutations_on_none += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let accuracy = right as f64 / total as f64;
    assert!(accuracy > 0.95, "training accuracy {accuracy:.3}");
    assert!(mutations_on_none * 100 <= total, "{mutations_on_none} no-action lines get a mutation");
}
