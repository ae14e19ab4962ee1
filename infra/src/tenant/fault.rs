//! [`FaultRepo`] on the tenant database.

use pms_domain::ids::{EquipmentId, FaultId, UserId, WorkOrderId};
use pms_domain::maintenance::fault::{Fault, FaultCode, FaultFilter, FaultRepo, FaultSeverity, FaultStatus};
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{KeysetSort, SortKind, every_word_matches};
use super::tx::TenantTx;
use crate::postgres::store_error;

const COLUMNS: [&str; 17] = [
    "id",
    "equipment_id",
    "code",
    "title",
    "description",
    "severity",
    "status",
    "reported_by",
    "acknowledged_by",
    "acknowledged_at",
    "closed_by",
    "closed_at",
    "resolution",
    "work_order_id",
    "version",
    "created_at",
    "updated_at",
];

type Time = chrono::DateTime<chrono::Utc>;

#[derive(sqlx::FromRow)]
struct FaultRow {
    id: Uuid,
    equipment_id: Option<Uuid>,
    code: Option<String>,
    title: String,
    description: Option<String>,
    severity: String,
    status: String,
    reported_by: Uuid,
    acknowledged_by: Option<Uuid>,
    acknowledged_at: Option<Time>,
    closed_by: Option<Uuid>,
    closed_at: Option<Time>,
    resolution: Option<String>,
    work_order_id: Option<Uuid>,
    version: i32,
    created_at: Time,
    updated_at: Time,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in a tenant database")))
}

impl TryFrom<FaultRow> for Fault {
    type Error = StoreError;

    fn try_from(row: FaultRow) -> Result<Self, StoreError> {
        let code = row.code.map(|c| FaultCode::parse(&c).map_err(|_| corrupt("fault code", &c))).transpose()?;
        Ok(Self {
            id: FaultId::from_uuid(row.id),
            equipment: row.equipment_id.map(EquipmentId::from_uuid),
            code,
            title: row.title,
            description: row.description,
            severity: FaultSeverity::parse(&row.severity).map_err(|_| corrupt("severity", &row.severity))?,
            status: FaultStatus::parse(&row.status).map_err(|_| corrupt("fault status", &row.status))?,
            reported_by: UserId::from_uuid(row.reported_by),
            acknowledged: row.acknowledged_by.map(UserId::from_uuid).zip(row.acknowledged_at),
            closed: row.closed_by.map(UserId::from_uuid).zip(row.closed_at),
            resolution: row.resolution,
            work_order: row.work_order_id.map(WorkOrderId::from_uuid),
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The JSON form of a fault in the audit trail.
pub(crate) fn fault_json(f: &Fault) -> Value {
    json!({
        "id": f.id.to_string(),
        "equipment_id": f.equipment.map(|e| e.to_string()),
        "code": f.code.as_ref().map(FaultCode::as_str),
        "title": f.title,
        "description": f.description,
        "severity": f.severity.as_str(),
        "status": f.status.as_str(),
        "reported_by": f.reported_by.to_string(),
        "acknowledged_by": f.acknowledged.map(|(u, _)| u.to_string()),
        "closed_by": f.closed.map(|(u, _)| u.to_string()),
        "resolution": f.resolution,
        "work_order_id": f.work_order.map(|w| w.to_string()),
        "version": f.version,
    })
}

async fn fetch(tx: &mut TenantTx, id: FaultId, lock: bool) -> Result<Option<Fault>, StoreError> {
    let mut query = Query::select();
    query
        .columns(COLUMNS)
        .from("faults")
        .and_where(Expr::col("yacht_id").eq(tx.yacht().as_uuid()))
        .and_where(Expr::col("id").eq(id.as_uuid()));
    if lock {
        query.lock(sea_query::LockType::Update);
    }
    let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
    let row: Option<FaultRow> =
        sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_optional(tx.conn()).await.map_err(store_error)?;
    row.map(Fault::try_from).transpose()
}

const NEWEST_FIRST: KeysetSort<Fault> = KeysetSort {
    name: "-created_at",
    column: "created_at",
    kind: SortKind::Time,
    descending: true,
    value_of: |f| SortValue::Time(f.created_at),
    id_of: |f| f.id.as_uuid(),
};

impl FaultRepo for TenantTx {
    async fn fault(&mut self, id: FaultId) -> Result<Option<Fault>, StoreError> {
        fetch(self, id, false).await
    }

    async fn fault_for_update(&mut self, id: FaultId) -> Result<Option<Fault>, StoreError> {
        fetch(self, id, true).await
    }

    async fn insert_fault(&mut self, f: &Fault) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO faults (id, yacht_id, equipment_id, code, title, description, severity, status, reported_by,
                                 version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(f.id.as_uuid())
        .bind(yacht)
        .bind(f.equipment.map(EquipmentId::as_uuid))
        .bind(f.code.as_ref().map(FaultCode::as_str))
        .bind(&f.title)
        .bind(&f.description)
        .bind(f.severity.as_str())
        .bind(f.status.as_str())
        .bind(f.reported_by.as_uuid())
        .bind(f.version)
        .bind(f.created_at)
        .bind(f.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn update_fault(&mut self, f: &Fault) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "UPDATE faults SET equipment_id = $3, code = $4, title = $5, description = $6, severity = $7, status = $8,
                    acknowledged_by = $9, acknowledged_at = $10, closed_by = $11, closed_at = $12, resolution = $13,
                    work_order_id = $14, version = $15, updated_at = $16
             WHERE yacht_id = $1 AND id = $2",
        )
        .bind(yacht)
        .bind(f.id.as_uuid())
        .bind(f.equipment.map(EquipmentId::as_uuid))
        .bind(f.code.as_ref().map(FaultCode::as_str))
        .bind(&f.title)
        .bind(&f.description)
        .bind(f.severity.as_str())
        .bind(f.status.as_str())
        .bind(f.acknowledged.map(|(u, _)| u.as_uuid()))
        .bind(f.acknowledged.map(|(_, at)| at))
        .bind(f.closed.map(|(u, _)| u.as_uuid()))
        .bind(f.closed.map(|(_, at)| at))
        .bind(&f.resolution)
        .bind(f.work_order.map(WorkOrderId::as_uuid))
        .bind(f.version)
        .bind(f.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn list_faults(&mut self, filter: &FaultFilter, page: &PageRequest) -> Result<Page<Fault>, StoreError> {
        let mut query = Query::select();
        query.columns(COLUMNS).from("faults").and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()));
        if !filter.status.is_empty() {
            query.and_where(Expr::col("status").is_in(filter.status.iter().map(|s| s.as_str())));
        }
        if !filter.severity.is_empty() {
            query.and_where(Expr::col("severity").is_in(filter.severity.iter().map(|s| s.as_str())));
        }
        if let Some(equipment) = filter.equipment {
            query.and_where(Expr::col("equipment_id").eq(equipment.as_uuid()));
        }
        if let Some(code) = &filter.code {
            query.and_where(Expr::col("code").eq(code.as_str()));
        }
        if let Some(after) = filter.reported_after {
            query.and_where(Expr::col("created_at").gte(after));
        }
        if let Some(before) = filter.reported_before {
            query.and_where(Expr::col("created_at").lt(before));
        }
        if let Some(text) = &filter.text {
            for condition in every_word_matches(text, "search", &["title", "code"], "title") {
                query.and_where(condition);
            }
        }
        NEWEST_FIRST.apply(&mut query, page)?;
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<FaultRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let items = rows.into_iter().map(Fault::try_from).collect::<Result<Vec<_>, _>>()?;
        Ok(NEWEST_FIRST.page(items, page))
    }
}
