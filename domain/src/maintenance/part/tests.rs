use chrono::TimeZone as _;
use proptest::prelude::*;

use super::*;
use crate::identity::Role;
use crate::maintenance::fake::FakeTx;
use crate::testkit::block_on;

fn actor(role: Role) -> Actor {
    Actor { user: UserId::generate(), role, request_id: None }
}

fn at(hour: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, 22, hour, 0, 0).single().expect("valid time")
}

fn qty(value: f64) -> Quantity {
    Quantity::from_f64(value).expect("quantity")
}

fn oil_filter(tx: &mut FakeTx, minimum: f64, reorder: f64) -> Part {
    let new = NewPart {
        number: PartNumber::parse("0900-1234").expect("number"),
        name: "Oil filter".to_owned(),
        manufacturer: Some("MTU".to_owned()),
        unit: "pcs".to_owned(),
        location: Some("Store B2".to_owned()),
        barcode: None,
        minimum_quantity: qty(minimum),
        reorder_quantity: qty(reorder),
    };
    block_on(create_part(tx, &actor(Role::Engineer), new, at(8))).expect("created")
}

fn apply(tx: &mut FakeTx, role: Role, part: PartId, change: StockChange) -> Result<(Part, StockMovement), PartError> {
    block_on(change_stock(tx, &actor(role), part, change, None, at(9)))
}

#[test]
fn receiving_and_consuming_move_the_ledger_and_the_cached_quantity_together() {
    let mut tx = FakeTx::default();
    let part = oil_filter(&mut tx, 2.0, 6.0);
    let (after, movement) =
        apply(&mut tx, Role::Engineer, part.id, StockChange::Receive { quantity: qty(5.0) }).expect("received");
    assert_eq!((after.on_hand, movement.delta_millis, movement.kind), (qty(5.0), 5000, MovementKind::Receive));
    let (after, movement) =
        apply(&mut tx, Role::Engineer, part.id, StockChange::Consume { quantity: qty(2.0), work_order: None })
            .expect("consumed");
    assert_eq!((after.on_hand, movement.delta_millis, movement.on_hand_after), (qty(3.0), -2000, qty(3.0)));
    assert_eq!(after.version, 3);
}

#[test]
fn stock_never_goes_below_zero() {
    let mut tx = FakeTx::default();
    let part = oil_filter(&mut tx, 0.0, 0.0);
    apply(&mut tx, Role::Engineer, part.id, StockChange::Receive { quantity: qty(1.0) }).expect("received");
    let result = apply(&mut tx, Role::Engineer, part.id, StockChange::Consume { quantity: qty(1.5), work_order: None });
    assert!(matches!(result, Err(PartError::InsufficientStock { available }) if available == qty(1.0)));
    assert_eq!(tx.parts[&part.id].on_hand, qty(1.0), "the refused consumption changed nothing");
    assert!(matches!(
        apply(&mut tx, Role::Engineer, part.id, StockChange::Receive { quantity: Quantity::ZERO }),
        Err(PartError::ZeroQuantity)
    ));
}

#[test]
fn adjusting_to_a_count_is_for_heads_of_department() {
    let mut tx = FakeTx::default();
    let part = oil_filter(&mut tx, 0.0, 0.0);
    apply(&mut tx, Role::Engineer, part.id, StockChange::Receive { quantity: qty(10.0) }).expect("received");
    assert!(matches!(
        apply(&mut tx, Role::Engineer, part.id, StockChange::Adjust { counted: qty(7.0) }),
        Err(PartError::Denied(_))
    ));
    let (after, movement) =
        apply(&mut tx, Role::ChiefEngineer, part.id, StockChange::Adjust { counted: qty(7.0) }).expect("adjusted");
    assert_eq!((after.on_hand, movement.delta_millis), (qty(7.0), -3000));
}

#[test]
fn low_stock_suggests_the_reorder_quantity_or_the_shortfall() {
    let mut tx = FakeTx::default();
    let part = oil_filter(&mut tx, 4.0, 10.0);
    assert!(part.is_low());
    assert_eq!(part.suggested_order(), Some(qty(10.0)));
    let small_reorder = Part { reorder_quantity: qty(1.0), ..part.clone() };
    assert_eq!(small_reorder.suggested_order(), Some(qty(4.0)), "at least back to the minimum");
    let stocked = Part { on_hand: qty(5.0), ..part.clone() };
    assert_eq!((stocked.is_low(), stocked.suggested_order()), (false, None));
    let untracked = Part { minimum_quantity: Quantity::ZERO, ..part };
    assert!(!untracked.is_low(), "parts without a minimum are never low");
}

#[derive(Debug, Clone)]
enum Op {
    Receive(u32),
    Consume(u32),
    Adjust(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u32..5000).prop_map(Op::Receive),
        (1u32..5000).prop_map(Op::Consume),
        (0u32..5000).prop_map(Op::Adjust)
    ]
}

proptest! {
    /// Whatever happens, on-hand equals the sum of the ledger and is never negative.
    #[test]
    fn on_hand_always_equals_the_sum_of_movements_and_never_goes_negative(ops in prop::collection::vec(op(), 1..60)) {
        let mut tx = FakeTx::default();
        let part = oil_filter(&mut tx, 0.0, 0.0);
        for op in ops {
            let millis = |n: u32| Quantity::from_millis(i64::from(n) * 10).expect("in range");
            let change = match op {
                Op::Receive(n) => StockChange::Receive { quantity: millis(n) },
                Op::Consume(n) => StockChange::Consume { quantity: millis(n), work_order: None },
                Op::Adjust(n) => StockChange::Adjust { counted: millis(n) },
            };
            let before = tx.parts[&part.id].on_hand;
            match apply(&mut tx, Role::ChiefEngineer, part.id, change) {
                Ok(_) | Err(PartError::InsufficientStock { .. }) => {}
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
            let on_hand = tx.parts[&part.id].on_hand;
            prop_assert!(on_hand.millis() >= 0);
            let ledger: i64 = tx.movements.iter().map(|m| m.delta_millis).sum();
            prop_assert_eq!(ledger, on_hand.millis());
            if let Some(last) = tx.movements.last() {
                prop_assert!(last.on_hand_after == on_hand || before == on_hand);
            }
        }
    }
}
