//! Platform administration: provisioning, listing, suspending yachts; tenant database state.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use pms_domain::directory::YachtStatus;
use pms_domain::ids::YachtId;
use pms_domain::tenancy::{DatabaseName, ServerKey};
use pms_domain::yacht::{
    AuditContext, FlagState, ImoNumber, NewYacht, Placement, ProvisionError, TenantDatabase, Yacht, YachtName,
    YachtRegistry as _, provision_yacht,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use pms_domain::identity::{Email, Role};
use pms_domain::members::{INVITATION_TTL, Inviter, NewInvitation, invite};
use pms_infra::auth::tokens::one_time_token;

use super::members::InvitationView;
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::PlatformAdmin;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::request_id::current_request_id;
use crate::state::AppState;
use crate::validation::Validation;

/// Where a new yacht's data goes. Omit it for a new database on the default server.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementRequest {
    /// A configured tenant server key; `default` when omitted.
    #[schema(example = "default", pattern = "^[a-z_][a-z0-9_]{0,31}$")]
    pub server: Option<String>,
    /// An existing registered tenant database to share (as `GET /v1/admin/tenants` lists them); a
    /// new one is created when omitted.
    #[schema(pattern = "^[a-z_][a-z0-9_]{0,62}$")]
    pub database: Option<String>,
}

/// A yacht to provision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "M/Y Aurora", "imo_number": "9074729", "flag_state": "Cayman Islands"}))]
pub struct CreateYachtRequest {
    /// One line: not blank, no control or bidirectional formatting characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
    )]
    pub name: String,
    /// Seven digits with a valid check digit, optionally prefixed by `IMO`.
    #[schema(example = "9074729")]
    pub imo_number: Option<String>,
    /// One line of at least two characters once trimmed, no control or bidirectional formatting characters.
    #[schema(
        min_length = 2,
        max_length = 60,
        pattern = r"^\s*[^\s\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]\s*$"
    )]
    pub flag_state: Option<String>,
    pub tenant_database: Option<PlacementRequest>,
    /// Invite the yacht's first captain, manager or admin; the response carries the invite token.
    pub first_admin: Option<FirstAdminRequest>,
}

/// The first person to manage the yacht's members.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstAdminRequest {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// `captain`, `manager` or `admin` (the default).
    #[schema(example = "captain")]
    pub role: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1F\x7F-\x9F\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
    )]
    pub display_name: Option<String>,
}

/// A newly provisioned yacht, with its first admin's invitation when one was asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvisionedYachtView {
    #[serde(flatten)]
    pub yacht: YachtView,
    pub first_admin_invitation: Option<InvitationView>,
}

/// Where a yacht's data lives.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantLocationView {
    pub server: String,
    pub database: String,
}

/// A provisioned yacht.
#[derive(Debug, Serialize, ToSchema)]
pub struct YachtView {
    pub id: Uuid,
    pub name: String,
    pub imo_number: Option<String>,
    pub flag_state: Option<String>,
    /// `active` or `suspended`.
    #[schema(example = "active")]
    pub status: &'static str,
    pub tenant_database: TenantLocationView,
    pub created_at: DateTime<Utc>,
}

impl From<Yacht> for YachtView {
    fn from(y: Yacht) -> Self {
        Self {
            id: y.id.as_uuid(),
            name: y.name,
            imo_number: y.imo_number,
            flag_state: y.flag_state,
            status: y.status.as_str(),
            tenant_database: TenantLocationView { server: y.server.to_string(), database: y.database.to_string() },
            created_at: y.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YachtList {
    pub items: Vec<YachtView>,
}

/// A tenant database and its migration state.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantDatabaseView {
    pub id: Uuid,
    pub server: String,
    pub database: String,
    /// `pending`, `migrating`, `ok` or `failed`.
    #[schema(example = "ok")]
    pub migration_status: &'static str,
    /// The newest migration applied.
    pub schema_version: Option<i64>,
    /// Why the last migration failed.
    pub last_error: Option<String>,
    pub last_migrated_at: Option<DateTime<Utc>>,
    /// How many yachts live in it.
    pub yachts: u32,
}

impl From<TenantDatabase> for TenantDatabaseView {
    fn from(t: TenantDatabase) -> Self {
        Self {
            id: t.id.as_uuid(),
            server: t.server.to_string(),
            database: t.name.to_string(),
            migration_status: t.migration_status.as_str(),
            schema_version: t.schema_version,
            last_error: t.last_error,
            last_migrated_at: t.last_migrated_at,
            yachts: t.yachts,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TenantDatabaseList {
    pub items: Vec<TenantDatabaseView>,
}

fn audit(admin: PlatformAdmin) -> AuditContext {
    AuditContext { actor: admin.0.id, request_id: current_request_id() }
}

/// The first admin to invite, validated.
struct FirstAdmin {
    email: Email,
    role: Role,
    display_name: Option<String>,
}

fn parse_request(body: CreateYachtRequest) -> Result<(NewYacht, Option<FirstAdmin>), ApiError> {
    let mut v = Validation::default();
    let first_admin = body.first_admin.map(|first| {
        let email = v.check("first_admin.email", "invalid_format", Email::parse(&first.email));
        let role = first.role.as_deref().map_or(Some(Role::Admin), |raw| {
            v.check(
                "first_admin.role",
                "invalid",
                Role::parse(raw).filter(|r| r.is_tenant_admin()).ok_or("must be captain, manager or admin"),
            )
        });
        let display_name = v.display_name("first_admin.display_name", first.display_name.as_deref());
        (email, role, display_name)
    });
    let name = v.check("name", "invalid", YachtName::parse(&body.name));
    let imo_number = body.imo_number.as_deref().and_then(|raw| v.check("imo_number", "invalid", ImoNumber::parse(raw)));
    let flag_state = body.flag_state.as_deref().and_then(|raw| v.check("flag_state", "invalid", FlagState::parse(raw)));
    let placement = body.tenant_database.unwrap_or_default();
    let server = v.check(
        "tenant_database.server",
        "invalid",
        ServerKey::parse(placement.server.as_deref().unwrap_or(ServerKey::DEFAULT)),
    );
    let database = placement
        .database
        .as_deref()
        .map(|raw| v.check("tenant_database.database", "invalid", DatabaseName::parse(raw)));
    v.finish()?;
    let server = server.expect("validated");
    let first_admin = first_admin.map(|(email, role, display_name)| FirstAdmin {
        email: email.expect("validated"),
        role: role.expect("validated"),
        display_name,
    });
    let new = NewYacht {
        name: name.expect("validated"),
        imo_number,
        flag_state,
        placement: match database {
            Some(database) => Placement::Existing { server, database: database.expect("validated") },
            None => Placement::NewDatabase { server },
        },
    };
    Ok((new, first_admin))
}

fn provision_error(error: ProvisionError) -> ApiError {
    match error {
        ProvisionError::UnknownServer(_) => ApiError::missing_reference("tenant_database.server", error.to_string()),
        ProvisionError::UnknownTenantDatabase { .. } => {
            ApiError::missing_reference("tenant_database.database", error.to_string())
        }
        ProvisionError::TenantDatabaseNotReady(_) | ProvisionError::ImoTaken => {
            ApiError::new(ErrorCode::Conflict, error.to_string())
        }
        ProvisionError::Migration(cause) => ApiError::internal(anyhow::anyhow!("provisioning failed: {cause}")),
        ProvisionError::Store(e) => e.into(),
    }
}

/// Provision a yacht: create (or choose) its tenant database, migrate it, register the yacht.
///
/// The yacht exists only once its database is ready; a failed migration is recorded against the
/// tenant database (see `GET /v1/admin/tenants`) and no yacht is created.
#[utoipa::path(
    post,
    path = "/v1/admin/yachts",
    tag = "admin",
    security(("bearer" = [])),
    request_body = CreateYachtRequest,
    responses(
        (status = CREATED, description = "Provisioned.", body = ProvisionedYachtView),
        (status = NOT_FOUND, description = "`not_found`: the named tenant server or database is not registered (`errors` says which).", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`conflict`: the IMO number is taken, or the chosen database is not migrated.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_yacht(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    ApiJson(body): ApiJson<CreateYachtRequest>,
) -> Result<(StatusCode, Json<ProvisionedYachtView>), ApiError> {
    let (new, first_admin) = parse_request(body)?;
    let context = audit(admin);
    let yacht = provision_yacht(&state.registry, &state.provisioner, YachtId::generate(), &new, &context)
        .await
        .map_err(provision_error)?;
    let first_admin_invitation = match first_admin {
        Some(first) => Some(invite_first_admin(&state, &yacht, first, &context).await?),
        None => None,
    };
    Ok((StatusCode::CREATED, Json(ProvisionedYachtView { yacht: yacht.into(), first_admin_invitation })))
}

async fn invite_first_admin(
    state: &AppState,
    yacht: &Yacht,
    first: FirstAdmin,
    context: &AuditContext,
) -> Result<InvitationView, ApiError> {
    let (token, token_hash) = one_time_token();
    let expires_at = crate::clock::now() + chrono::Duration::from_std(INVITATION_TTL).unwrap_or_default();
    let invitation = NewInvitation {
        email: first.email,
        display_name: first.display_name,
        role: first.role,
        token_hash,
        expires_at,
    };
    // The platform acts with full rank: a fresh yacht has nobody to invite from.
    let member = invite(&state.members, Inviter::Platform, yacht.id, &invitation, context)
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("inviting the first admin: {e}")))?;
    Ok(InvitationView { member: member.into(), invite_token: token, expires_at })
}

/// Every yacht, by name.
#[utoipa::path(
    get,
    path = "/v1/admin/yachts",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "All yachts.", body = YachtList),
    ),
)]
pub async fn list_yachts(State(state): State<AppState>, _admin: PlatformAdmin) -> Result<Json<YachtList>, ApiError> {
    let yachts = state.registry.yachts().await?;
    Ok(Json(YachtList { items: yachts.into_iter().map(Into::into).collect() }))
}

async fn set_status(
    state: &AppState,
    admin: PlatformAdmin,
    yacht_id: Uuid,
    status: YachtStatus,
) -> Result<Json<YachtView>, ApiError> {
    let yacht = state
        .registry
        .set_yacht_status(YachtId::from_uuid(yacht_id), status, &audit(admin))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No yacht has this id."))?;
    state.access.forget_all();
    Ok(Json(yacht.into()))
}

/// Suspend a yacht: its members get 403 `yacht_suspended` until it is reactivated.
#[utoipa::path(
    post,
    path = "/v1/admin/yachts/{yacht_id}/suspend",
    tag = "admin",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht.")),
    responses(
        (status = OK, description = "Suspended (idempotent).", body = YachtView),
        (status = NOT_FOUND, description = "`not_found`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn suspend_yacht(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    ApiPath(yacht_id): ApiPath<Uuid>,
) -> Result<Json<YachtView>, ApiError> {
    set_status(&state, admin, yacht_id, YachtStatus::Suspended).await
}

/// Reactivate a suspended yacht.
#[utoipa::path(
    post,
    path = "/v1/admin/yachts/{yacht_id}/reactivate",
    tag = "admin",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht.")),
    responses(
        (status = OK, description = "Active (idempotent).", body = YachtView),
        (status = NOT_FOUND, description = "`not_found`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reactivate_yacht(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    ApiPath(yacht_id): ApiPath<Uuid>,
) -> Result<Json<YachtView>, ApiError> {
    set_status(&state, admin, yacht_id, YachtStatus::Active).await
}

/// Every tenant database with its migration state and how many yachts it holds.
#[utoipa::path(
    get,
    path = "/v1/admin/tenants",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "All tenant databases.", body = TenantDatabaseList),
    ),
)]
pub async fn list_tenants(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<TenantDatabaseList>, ApiError> {
    let tenants = state.registry.tenant_databases().await?;
    Ok(Json(TenantDatabaseList { items: tenants.into_iter().map(Into::into).collect() }))
}
