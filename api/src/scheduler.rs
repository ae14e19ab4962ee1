//! `pipeline-core scheduler run`: plans the due maintenance of every active yacht.
//!
//! Safe to run repeatedly and concurrently (a Render cron job may overlap a slow run, or an
//! engineer's "plan due work" click): each yacht's planning locks its schedules, and a schedule
//! never has two open work orders.

use pms_domain::directory::YachtStatus;
use pms_domain::maintenance::Actor;
use pms_domain::maintenance::schedule::{ScheduleError, plan_due_work};
use pms_domain::yacht::{Yacht, YachtRegistry as _};
use pms_infra::master::registry::PgYachtRegistry;
use pms_infra::tenant::router::{TenantLocation, TenantRouter};
use pms_infra::tenant::store::TenantStore;

/// What one run did on one yacht.
#[derive(Debug)]
pub struct YachtRun {
    pub yacht: Yacht,
    /// The numbers of the work orders planned, or why the yacht could not be planned.
    pub outcome: Result<Vec<String>, String>,
}

async fn plan_yacht(router: &TenantRouter, yacht: &Yacht, actor: &Actor) -> Result<Vec<String>, String> {
    let location = TenantLocation { server: yacht.server.clone(), database: yacht.database.clone() };
    let store = TenantStore::new(router.clone(), location, yacht.id);
    let mut tx = store.begin().await.map_err(|e| e.to_string())?;
    let planned =
        plan_due_work(&mut tx, actor, None, crate::clock::now()).await.map_err(|e: ScheduleError| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(planned.iter().map(|w| w.number.to_string()).collect())
}

/// Plans every active yacht in turn; a yacht that fails is reported and the others go on.
pub async fn run(registry: &PgYachtRegistry, router: &TenantRouter) -> anyhow::Result<Vec<YachtRun>> {
    let actor = Actor { request_id: Some(format!("scheduler-{}", uuid::Uuid::now_v7())), ..Actor::scheduler() };
    let mut runs = Vec::new();
    for yacht in registry.yachts().await?.into_iter().filter(|y| y.status == YachtStatus::Active) {
        let outcome = plan_yacht(router, &yacht, &actor).await;
        match &outcome {
            Ok(planned) => tracing::info!(yacht = %yacht.id, planned = planned.len(), "planned due work"),
            Err(error) => tracing::error!(yacht = %yacht.id, error, "planning due work failed"),
        }
        runs.push(YachtRun { yacht, outcome });
    }
    Ok(runs)
}
