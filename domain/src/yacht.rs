//! Yachts (the tenants) and the databases that hold them: value objects, ports and the
//! provisioning use case.

use std::fmt;

use crate::auth::Timestamp;
use crate::directory::YachtStatus;
use crate::ids::{TenantDatabaseId, UserId, YachtId};
use crate::store::StoreError;
use crate::tenancy::{DatabaseName, ServerKey};

/// Why a yacht field was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YachtFieldError {
    #[error("must be 1 to {max} characters")]
    Length { max: usize },
    #[error("must not contain control or bidirectional formatting characters")]
    ControlCharacter,
    #[error("must be seven digits, optionally prefixed by IMO")]
    ImoFormat,
    #[error("fails the IMO check digit")]
    ImoCheckDigit,
}

fn bounded_text(raw: &str, max: usize) -> Result<String, YachtFieldError> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(YachtFieldError::Length { max });
    }
    if !text.chars().all(crate::maintenance::text::is_line_char) {
        return Err(YachtFieldError::ControlCharacter);
    }
    Ok(text.to_owned())
}

/// A yacht's name, e.g. "M/Y Aurora".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YachtName(String);

impl YachtName {
    pub fn parse(raw: &str) -> Result<Self, YachtFieldError> {
        bounded_text(raw, 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A flag state, e.g. "Cayman Islands".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagState(String);

impl FlagState {
    pub fn parse(raw: &str) -> Result<Self, YachtFieldError> {
        let text = bounded_text(raw, 60)?;
        if text.chars().count() < 2 {
            return Err(YachtFieldError::Length { max: 60 });
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IMO ship identification number: seven digits whose last is a check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImoNumber(String);

impl ImoNumber {
    /// Accepts `9074729` or `IMO 9074729`; checks the check digit.
    pub fn parse(raw: &str) -> Result<Self, YachtFieldError> {
        let trimmed = raw.trim();
        let digits = trimmed.strip_prefix("IMO").or_else(|| trimmed.strip_prefix("imo")).unwrap_or(trimmed).trim();
        let values: Vec<u32> =
            digits.chars().map(|c| c.to_digit(10)).collect::<Option<_>>().ok_or(YachtFieldError::ImoFormat)?;
        if values.len() != 7 {
            return Err(YachtFieldError::ImoFormat);
        }
        let weighted: u32 = values[..6].iter().zip((2..=7).rev()).map(|(digit, weight)| digit * weight).sum();
        if weighted % 10 != values[6] {
            return Err(YachtFieldError::ImoCheckDigit);
        }
        Ok(Self(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ImoNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a new yacht's data goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A database of its own, created on `server`.
    NewDatabase { server: ServerKey },
    /// An existing, registered tenant database shared with other yachts.
    Existing { server: ServerKey, database: DatabaseName },
}

/// A yacht to provision.
#[derive(Debug, Clone)]
pub struct NewYacht {
    pub name: YachtName,
    pub imo_number: Option<ImoNumber>,
    pub flag_state: Option<FlagState>,
    pub placement: Placement,
}

/// Where a tenant database's migrations stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationStatus {
    Pending,
    Migrating,
    Ok,
    Failed,
}

impl MigrationStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Migrating => "migrating",
            Self::Ok => "ok",
            Self::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Pending, Self::Migrating, Self::Ok, Self::Failed].into_iter().find(|s| s.as_str() == raw)
    }
}

/// A registered tenant database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantDatabase {
    pub id: TenantDatabaseId,
    pub server: ServerKey,
    pub name: DatabaseName,
    pub migration_status: MigrationStatus,
    pub schema_version: Option<i64>,
    pub last_error: Option<String>,
    pub last_migrated_at: Option<Timestamp>,
    pub yachts: u32,
}

/// A provisioned yacht.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Yacht {
    pub id: YachtId,
    pub name: String,
    pub imo_number: Option<String>,
    pub flag_state: Option<String>,
    pub status: YachtStatus,
    pub server: ServerKey,
    pub database: DatabaseName,
    pub created_at: Timestamp,
}

/// Who made an administrative change, for the audit trail.
#[derive(Debug, Clone)]
pub struct AuditContext {
    pub actor: UserId,
    pub request_id: Option<String>,
}

/// Why a yacht could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum InsertYachtError {
    #[error("another yacht has this IMO number")]
    ImoTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The master database's registry of yachts and tenant databases.
pub trait YachtRegistry: Send + Sync {
    fn tenant_database(
        &self,
        server: &ServerKey,
        database: &DatabaseName,
    ) -> impl Future<Output = Result<Option<TenantDatabase>, StoreError>> + Send;

    /// Registers a new tenant database as `pending`.
    fn register_tenant_database(
        &self,
        server: &ServerKey,
        database: &DatabaseName,
    ) -> impl Future<Output = Result<TenantDatabaseId, StoreError>> + Send;

    /// Forgets a tenant database registered for a yacht that was not created after all.
    fn unregister_tenant_database(&self, id: TenantDatabaseId) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether a yacht already has this IMO number.
    fn imo_taken(&self, imo: &ImoNumber) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Records a migration outcome: the version reached, or the error.
    fn record_migration(
        &self,
        id: TenantDatabaseId,
        outcome: Result<i64, String>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records the yacht and its audit entry in one transaction.
    fn insert_yacht(
        &self,
        id: YachtId,
        yacht: &NewYacht,
        tenant_database: TenantDatabaseId,
        audit: &AuditContext,
    ) -> impl Future<Output = Result<Yacht, InsertYachtError>> + Send;

    /// Sets a yacht's status with its audit entry; `None` when there is no such yacht.
    fn set_yacht_status(
        &self,
        id: YachtId,
        status: YachtStatus,
        audit: &AuditContext,
    ) -> impl Future<Output = Result<Option<Yacht>, StoreError>> + Send;

    fn yachts(&self) -> impl Future<Output = Result<Vec<Yacht>, StoreError>> + Send;

    fn yacht(&self, id: YachtId) -> impl Future<Output = Result<Option<Yacht>, StoreError>> + Send;

    fn tenant_databases(&self) -> impl Future<Output = Result<Vec<TenantDatabase>, StoreError>> + Send;
}

/// Creates tenant databases and brings them to the newest schema.
pub trait TenantProvisioner: Send + Sync {
    fn has_server(&self, server: &ServerKey) -> bool;

    /// Creates `database` on `server` if missing and migrates it; the version reached, or why not.
    fn create_and_migrate(
        &self,
        server: &ServerKey,
        database: &DatabaseName,
    ) -> impl Future<Output = Result<i64, String>> + Send;

    /// Drops `database` from `server` if it exists (a yacht's database whose yacht was refused).
    fn drop_database(
        &self,
        server: &ServerKey,
        database: &DatabaseName,
    ) -> impl Future<Output = Result<(), String>> + Send;
}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("tenant server {0} is not configured")]
    UnknownServer(ServerKey),
    #[error("no tenant database {database} is registered on server {server}")]
    UnknownTenantDatabase { server: ServerKey, database: DatabaseName },
    #[error("tenant database {0} is not migrated; run `pipeline-core migrate`")]
    TenantDatabaseNotReady(DatabaseName),
    #[error("another yacht has this IMO number")]
    ImoTaken,
    #[error("creating or migrating the tenant database failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The database name given to a yacht that gets a database of its own.
pub fn dedicated_database_name(yacht: YachtId) -> DatabaseName {
    DatabaseName::parse(&format!("pms_yacht_{}", yacht.as_uuid().simple()))
        .expect("a prefixed hex uuid is a valid database name")
}

/// Provisions a yacht: places it in a new or an existing tenant database, which is migrated,
/// then records it. The yacht is only recorded once its database is ready.
pub async fn provision_yacht<R: YachtRegistry, P: TenantProvisioner>(
    registry: &R,
    provisioner: &P,
    id: YachtId,
    new: &NewYacht,
    audit: &AuditContext,
) -> Result<Yacht, ProvisionError> {
    // Refused before any database is made; the unique index still decides a race.
    if let Some(imo) = &new.imo_number
        && registry.imo_taken(imo).await?
    {
        return Err(ProvisionError::ImoTaken);
    }
    let (tenant_database, created) = match &new.placement {
        Placement::Existing { server, database } => {
            let existing = registry.tenant_database(server, database).await?.ok_or_else(|| {
                ProvisionError::UnknownTenantDatabase { server: server.clone(), database: database.clone() }
            })?;
            if existing.migration_status != MigrationStatus::Ok {
                return Err(ProvisionError::TenantDatabaseNotReady(database.clone()));
            }
            (existing.id, None)
        }
        Placement::NewDatabase { server } => {
            if !provisioner.has_server(server) {
                return Err(ProvisionError::UnknownServer(server.clone()));
            }
            let database = dedicated_database_name(id);
            let registered = registry.register_tenant_database(server, &database).await?;
            let created = (registered, server, database);
            match provisioner.create_and_migrate(created.1, &created.2).await {
                Ok(version) => registry.record_migration(registered, Ok(version)).await?,
                Err(cause) => {
                    discard(registry, provisioner, &created).await;
                    return Err(ProvisionError::Migration(cause));
                }
            }
            (registered, Some(created))
        }
    };
    match registry.insert_yacht(id, new, tenant_database, audit).await {
        Ok(yacht) => Ok(yacht),
        Err(error) => {
            if let Some(created) = &created {
                discard(registry, provisioner, created).await;
            }
            Err(match error {
                InsertYachtError::ImoTaken => ProvisionError::ImoTaken,
                InsertYachtError::Store(e) => ProvisionError::Store(e),
            })
        }
    }
}

/// Removes a database made for a yacht that was then refused, and its registration. Best
/// effort: should it fail, the registration stays and names the database for an operator.
async fn discard<R: YachtRegistry, P: TenantProvisioner>(
    registry: &R,
    provisioner: &P,
    (registered, server, database): &(TenantDatabaseId, &ServerKey, DatabaseName),
) {
    // Dropped first: a database that exists is always registered.
    if provisioner.drop_database(server, database).await.is_ok() {
        let _ = registry.unregister_tenant_database(*registered).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_numbers_need_seven_digits_and_a_valid_check_digit() {
        assert_eq!(ImoNumber::parse("9074729").map(|i| i.to_string()), Ok("9074729".to_owned()));
        assert_eq!(ImoNumber::parse(" IMO 9074729 ").map(|i| i.to_string()), Ok("9074729".to_owned()));
        assert_eq!(ImoNumber::parse("9074728"), Err(YachtFieldError::ImoCheckDigit));
        for bad in ["907472", "90747290", "IMO-9074729", "9O74729", ""] {
            assert_eq!(ImoNumber::parse(bad), Err(YachtFieldError::ImoFormat), "{bad:?}");
        }
    }

    #[test]
    fn names_and_flags_are_trimmed_and_bounded() {
        assert_eq!(YachtName::parse("  M/Y Aurora ").map(|n| n.as_str().to_owned()), Ok("M/Y Aurora".to_owned()));
        assert_eq!(YachtName::parse("   "), Err(YachtFieldError::Length { max: 100 }));
        assert_eq!(YachtName::parse(&"a".repeat(101)), Err(YachtFieldError::Length { max: 100 }));
        assert_eq!(YachtName::parse("Aurora\u{0}"), Err(YachtFieldError::ControlCharacter));
        assert_eq!(FlagState::parse("K"), Err(YachtFieldError::Length { max: 60 }));
        assert!(FlagState::parse("Cayman Islands").is_ok());
    }

    #[test]
    fn a_dedicated_database_is_named_after_its_yacht() {
        let yacht = YachtId::generate();
        let name = dedicated_database_name(yacht);
        assert!(name.as_str().starts_with("pms_yacht_"));
        assert_eq!(name.as_str().len(), "pms_yacht_".len() + 32);
    }
}
