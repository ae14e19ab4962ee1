//! `pipeline-core seed-demo`: the demo fleet, idempotently. Two yachts in databases of their own
//! (to show isolation), their crews, and a platform administrator, all with one password.

pub mod bench;
mod kit;
pub mod maintenance;
mod schedules;

use std::fmt::Write as _;

use anyhow::Context as _;
use pms_domain::identity::{Email, Role};
use pms_domain::ids::YachtId;
use pms_domain::tenancy::ServerKey;
use pms_domain::yacht::{
    AuditContext, FlagState, ImoNumber, NewYacht, Placement, YachtName, YachtRegistry as _, provision_yacht,
};
use pms_infra::auth::passwords::Argon2Passwords;
use pms_infra::master::admins::{AdminUpsert, upsert_active_member, upsert_platform_admin};
use pms_infra::master::registry::{PgTenantProvisioner, PgYachtRegistry};
use uuid::Uuid;

use pms_domain::maintenance::Actor;
use pms_infra::tenant::router::{TenantLocation, TenantRouter};
use pms_infra::tenant::store::TenantStore;

use crate::config::Settings;
use crate::startup::{prepare_master, tenant_servers};

/// Fixed ids, so that every run finds the yachts the previous one made.
pub const AURORA: Uuid = Uuid::from_u128(0x0193_a5f2_0000_7000_8000_0000_0000_a001);
pub const BOREALIS: Uuid = Uuid::from_u128(0x0193_a5f2_0000_7000_8000_0000_0000_b001);

struct DemoYacht {
    id: Uuid,
    name: &'static str,
    imo: &'static str,
    flag: &'static str,
    crew: &'static [(&'static str, &'static str, Role)],
}

const FLEET: [DemoYacht; 2] = [
    DemoYacht {
        id: AURORA,
        name: "M/Y Aurora",
        imo: "9074729",
        flag: "Cayman Islands",
        crew: &[
            ("captain@aurora.demo", "Captain Ana Ribeiro", Role::Captain),
            ("chief@aurora.demo", "Chief Engineer Tom Hale", Role::ChiefEngineer),
            ("engineer@aurora.demo", "Engineer Priya Nair", Role::Engineer),
            ("crew@aurora.demo", "Deckhand Leo Marsh", Role::Crew),
        ],
    },
    DemoYacht {
        id: BOREALIS,
        name: "M/Y Borealis",
        imo: "9176187",
        flag: "Marshall Islands",
        crew: &[
            ("captain@borealis.demo", "Captain Ingrid Voss", Role::Captain),
            ("engineer@borealis.demo", "Engineer Marco Bellini", Role::Engineer),
        ],
    },
];

const PLATFORM_ADMIN: &str = "admin@pipeline.demo";

/// Seeds (or refreshes) the demo fleet; every demo account gets `password`.
pub async fn seed(settings: &Settings, password: &str) -> anyhow::Result<()> {
    let master = prepare_master(settings).await?;
    let pool = master.pool().clone();
    let hash = Argon2Passwords.hash(password).await.map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let admin =
        match upsert_platform_admin(&pool, &Email::parse(PLATFORM_ADMIN)?, "Platform Admin", Some(&hash)).await? {
            AdminUpsert::Created(id) | AdminUpsert::Promoted(id) => id,
        };
    let registry = PgYachtRegistry::new(pool.clone());
    let provisioner = PgTenantProvisioner::new(tenant_servers(settings)?);
    let audit = AuditContext { actor: admin, request_id: None };
    for yacht in &FLEET {
        let id = YachtId::from_uuid(yacht.id);
        if registry.yacht(id).await?.is_none() {
            let new = NewYacht {
                name: YachtName::parse(yacht.name)?,
                imo_number: Some(ImoNumber::parse(yacht.imo)?),
                flag_state: Some(FlagState::parse(yacht.flag)?),
                placement: Placement::NewDatabase { server: ServerKey::default_server() },
            };
            provision_yacht(&registry, &provisioner, id, &new, &audit)
                .await
                .with_context(|| format!("provisioning {}", yacht.name))?;
        }
        let mut chief = None;
        for (email, name, role) in yacht.crew {
            let user = upsert_active_member(&pool, id, &Email::parse(email)?, name, *role, &hash).await?;
            if *role == Role::ChiefEngineer {
                chief = Some(Actor { user, role: *role, request_id: None });
            }
        }
        if let Some(chief) = chief {
            let yacht_row = registry.yacht(id).await?.context("the yacht was just provisioned")?;
            let router = TenantRouter::new(tenant_servers(settings)?, settings.tenancy.limits);
            let location = TenantLocation { server: yacht_row.server, database: yacht_row.database };
            let mut tx = TenantStore::new(router, location, id).begin().await?;
            if maintenance::seed(&mut tx, &chief).await? {
                tx.commit().await?;
            }
        }
    }
    Ok(())
}

/// What to tell the person who ran the seed.
pub fn summary(password: &str, generated: bool) -> String {
    let mut text = String::from("Demo fleet ready.\n");
    let _ = writeln!(text, "  platform admin   {PLATFORM_ADMIN}");
    for yacht in &FLEET {
        let _ = writeln!(text, "  {:<16} {}", yacht.name, yacht.id);
        for (email, _, role) in yacht.crew {
            let _ = writeln!(text, "    {:<14} {email}", role.as_str());
        }
    }
    let origin = if generated { " (generated; set DEMO_PASSWORD to choose one)" } else { "" };
    let _ = writeln!(text, "  password         {password}{origin}");
    text
}
