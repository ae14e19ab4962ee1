//! `pipeline-core seed-bench`: the fleet `make bench` loads. `yachts` yachts in databases of their
//! own, each with a chief engineer `chief@bench-NNNN.bench`; the first `filled` of them carry
//! M/Y Aurora's demo maintenance data. Safe to run again: what exists is kept.

use std::sync::Arc;

use anyhow::Context as _;
use pms_domain::identity::{Email, Role};
use pms_domain::ids::YachtId;
use pms_domain::maintenance::Actor;
use pms_domain::tenancy::ServerKey;
use pms_domain::yacht::{AuditContext, NewYacht, Placement, YachtName, YachtRegistry as _, provision_yacht};
use pms_infra::auth::passwords::Argon2Passwords;
use pms_infra::master::MasterDb;
use pms_infra::master::admins::{AdminUpsert, upsert_active_member, upsert_platform_admin};
use pms_infra::master::registry::{PgTenantProvisioner, PgYachtRegistry};
use pms_infra::tenant::router::{TenantLocation, TenantRouter};
use pms_infra::tenant::store::TenantStore;
use serde::Serialize;
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::maintenance;
use crate::config::Settings;
use crate::startup::{prepare_master, tenant_servers};

/// Yachts provisioned at once: creating a database is mostly waiting on the server's disk.
const PARALLEL: usize = 4;
/// Bench yachts' ids: this base plus their number, so every run finds the previous run's.
const FIRST_ID: u128 = 0x0193_a5f2_0000_7000_8000_0000_bbbb_0000;

/// A bench yacht, as printed for the load generator.
#[derive(Debug, Serialize)]
pub struct BenchYacht {
    pub yacht_id: Uuid,
    pub database: String,
    pub email: String,
    pub filled: bool,
}

struct Shared {
    settings: Settings,
    master: MasterDb,
    registry: PgYachtRegistry,
    provisioner: PgTenantProvisioner,
    audit: AuditContext,
    password_hash: String,
}

/// Provisions (or finds) the bench fleet and returns it in order.
pub async fn seed(settings: &Settings, yachts: u32, filled: u32, password: &str) -> anyhow::Result<Vec<BenchYacht>> {
    let master = prepare_master(settings).await?;
    let pool = master.pool();
    let password_hash = Argon2Passwords.hash(password).await.map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let admin =
        match upsert_platform_admin(pool, &Email::parse("admin@pipeline.bench")?, "Bench Admin", Some(&password_hash))
            .await?
        {
            AdminUpsert::Created(id) | AdminUpsert::Promoted(id) => id,
        };
    let shared = Arc::new(Shared {
        settings: settings.clone(),
        registry: PgYachtRegistry::new(pool.clone()),
        provisioner: PgTenantProvisioner::new(tenant_servers(settings)?),
        master: master.clone(),
        audit: AuditContext { actor: admin, request_id: None },
        password_hash,
    });
    let permits = Arc::new(Semaphore::new(PARALLEL));
    let mut tasks = tokio::task::JoinSet::new();
    for number in 1..=yachts {
        let (shared, permits) = (Arc::clone(&shared), Arc::clone(&permits));
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await?;
            one_yacht(&shared, number, number <= filled).await.with_context(|| format!("bench yacht {number}"))
        });
    }
    let mut fleet = Vec::new();
    while let Some(done) = tasks.join_next().await {
        fleet.push(done??);
    }
    fleet.sort_by(|a: &BenchYacht, b| a.email.cmp(&b.email));
    Ok(fleet)
}

async fn one_yacht(shared: &Shared, number: u32, fill: bool) -> anyhow::Result<BenchYacht> {
    let id = YachtId::from_uuid(Uuid::from_u128(FIRST_ID + u128::from(number)));
    if shared.registry.yacht(id).await?.is_none() {
        let new = NewYacht {
            name: YachtName::parse(&format!("M/Y Bench {number:04}"))?,
            imo_number: None,
            flag_state: None,
            placement: Placement::NewDatabase { server: ServerKey::default_server() },
        };
        provision_yacht(&shared.registry, &shared.provisioner, id, &new, &shared.audit).await?;
    }
    let email = format!("chief@bench-{number:04}.bench");
    let user = upsert_active_member(
        shared.master.pool(),
        id,
        &Email::parse(&email)?,
        &format!("Chief Engineer {number:04}"),
        Role::ChiefEngineer,
        &shared.password_hash,
    )
    .await?;
    let yacht = shared.registry.yacht(id).await?.context("the yacht was just provisioned")?;
    if fill {
        let router = TenantRouter::new(tenant_servers(&shared.settings)?, shared.settings.tenancy.limits);
        let location = TenantLocation { server: yacht.server.clone(), database: yacht.database.clone() };
        let mut tx = TenantStore::new(router.clone(), location, id).begin().await?;
        let chief = Actor { user, role: Role::ChiefEngineer, request_id: None };
        if maintenance::seed(&mut tx, &chief).await? {
            tx.commit().await?;
        } else {
            drop(tx);
        }
        router.close().await;
    }
    Ok(BenchYacht { yacht_id: id.as_uuid(), database: yacht.database.as_str().to_owned(), email, filled: fill })
}
