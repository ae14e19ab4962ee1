//! M/Y Aurora's planned maintenance for the demo: schedules by days, by running hours and by
//! both, some of them due, and the work orders the scheduler plans for those.

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use pms_domain::ids::EquipmentId;
use pms_domain::maintenance::Actor;
use pms_domain::maintenance::equipment::Hours;
use pms_domain::maintenance::schedule::{LastDone, NewSchedule, create_schedule, plan_due_work};
use pms_domain::maintenance::work_order::Priority;
use pms_infra::tenant::tx::TenantTx;

/// Equipment code, title, every N days, every N hours, last done N days ago, hours run since.
type Plan = (&'static str, &'static str, Option<u32>, Option<f64>, i64, f64);

/// Due now: ME-P and DG-1 oil changes (by hours), the emergency generator test and sewage plant
/// service (overdue by date), the WM-2 membrane clean and the tender service (within lead time).
const PLANS: [Plan; 18] = [
    ("ME-P", "Engine oil and filter change", Some(365), Some(500.0), 120, 480.0),
    ("ME-S", "Engine oil and filter change", Some(365), Some(500.0), 120, 300.0),
    ("ME-P", "Valve clearance check", None, Some(2_000.0), 200, 1_500.0),
    ("DG-1", "Generator oil and filter change", Some(180), Some(250.0), 60, 260.0),
    ("DG-2", "Generator oil and filter change", Some(180), Some(250.0), 30, 120.0),
    ("DG-3", "Emergency generator load test", Some(30), None, 35, 0.0),
    ("WM-1", "Replace watermaker prefilters", None, Some(250.0), 20, 100.0),
    ("WM-2", "Watermaker membrane clean", Some(90), None, 85, 0.0),
    ("CH-1", "Chiller condenser coil clean", Some(90), None, 40, 0.0),
    ("FP-1", "Fire pump test run", Some(7), None, 3, 0.0),
    ("FP-2", "Emergency fire pump test run", Some(7), None, 2, 0.0),
    ("FS-1", "Fuel separator bowl clean", None, Some(500.0), 30, 200.0),
    ("STAB-P", "Stabiliser fin seal inspection", Some(180), None, 100, 0.0),
    ("HPU-1", "Hydraulic oil sample", Some(180), Some(1_000.0), 150, 400.0),
    ("WL-1", "Windlass gearbox oil check", Some(30), None, 10, 0.0),
    ("TND-1", "Tender outboard annual service", Some(365), Some(100.0), 200, 95.0),
    ("AHU-1", "Replace air handler filters", Some(60), None, 20, 0.0),
    ("STP-1", "Sewage plant service", Some(90), None, 95, 0.0),
];

/// Defines the schedules, counting back from each machine's current meter, and plans the due work
/// as the scheduler would.
pub async fn seed(
    tx: &mut TenantTx,
    chief: &Actor,
    mains: &[(&str, EquipmentId, Option<f64>)],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    for (code, title, every_days, every_hours, days_ago, run_since) in PLANS {
        let (_, equipment, meter) =
            mains.iter().find(|(c, ..)| *c == code).with_context(|| format!("demo equipment {code}"))?;
        let last_done_hours = meter.map(|current| Hours::from_f64(current - run_since)).transpose()?;
        let weekly = every_days.is_some_and(|d| d <= 7);
        let new = NewSchedule {
            equipment: *equipment,
            title: title.to_owned(),
            description: None,
            priority: if code.starts_with("FP") || code == "DG-3" { Priority::Important } else { Priority::Routine },
            every_days,
            every_hours: every_hours.map(Hours::from_f64).transpose()?,
            last_done: LastDone { on: Some((now - Duration::days(days_ago)).date_naive()), hours: last_done_hours },
            lead_days: weekly.then_some(1),
            lead_hours: None,
        };
        create_schedule(tx, chief, new, now).await.with_context(|| format!("schedule {title} on {code}"))?;
    }
    plan_due_work(tx, &Actor::scheduler(), None, now).await?;
    Ok(())
}
