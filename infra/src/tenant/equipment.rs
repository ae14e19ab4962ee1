//! [`EquipmentRepo`] on the tenant database.

use pms_domain::ids::{EquipmentId, ReadingId, UserId};
use pms_domain::maintenance::equipment::{
    Criticality, Equipment, EquipmentCode, EquipmentFilter, EquipmentRepo, EquipmentSort, EquipmentStatus,
    EquipmentWriteError, Hours, RunningHoursReading,
};
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{KeysetSort, SortKind, every_word_matches};
use super::tx::TenantTx;
use crate::postgres::store_error;

const COLUMNS: [&str; 16] = [
    "id",
    "parent_id",
    "code",
    "name",
    "system",
    "location",
    "manufacturer",
    "model",
    "serial_number",
    "criticality",
    "status",
    "running_hours_tenths",
    "running_hours_at",
    "version",
    "created_at",
    "updated_at",
];

/// The select list: running hours as integer tenths, which map exactly onto [`Hours`].
const SELECT: &str = "SELECT id, parent_id, code, name, system, location, manufacturer, model, serial_number,
        criticality, status, (running_hours * 10)::bigint AS running_hours_tenths, running_hours_at, version,
        created_at, updated_at
 FROM equipment";

#[derive(sqlx::FromRow)]
struct EquipmentRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    code: String,
    name: String,
    system: Option<String>,
    location: Option<String>,
    manufacturer: Option<String>,
    model: Option<String>,
    serial_number: Option<String>,
    criticality: String,
    status: String,
    running_hours_tenths: Option<i64>,
    running_hours_at: Option<chrono::DateTime<chrono::Utc>>,
    version: i32,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in a tenant database")))
}

impl TryFrom<EquipmentRow> for Equipment {
    type Error = StoreError;

    fn try_from(row: EquipmentRow) -> Result<Self, StoreError> {
        let hours = row
            .running_hours_tenths
            .map(|tenths| Hours::from_tenths(tenths).map_err(|_| corrupt("running hours", &tenths.to_string())))
            .transpose()?;
        Ok(Self {
            id: EquipmentId::from_uuid(row.id),
            parent: row.parent_id.map(EquipmentId::from_uuid),
            code: EquipmentCode::parse(&row.code).map_err(|_| corrupt("equipment code", &row.code))?,
            name: row.name,
            system: row.system,
            location: row.location,
            manufacturer: row.manufacturer,
            model: row.model,
            serial_number: row.serial_number,
            criticality: Criticality::parse(&row.criticality).map_err(|_| corrupt("criticality", &row.criticality))?,
            status: EquipmentStatus::parse(&row.status).map_err(|_| corrupt("equipment status", &row.status))?,
            running_hours: hours.zip(row.running_hours_at),
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The JSON form of equipment in the audit trail.
pub(crate) fn equipment_json(e: &Equipment) -> Value {
    json!({
        "id": e.id.to_string(),
        "parent_id": e.parent.map(|p| p.to_string()),
        "code": e.code.as_str(),
        "name": e.name,
        "system": e.system,
        "location": e.location,
        "manufacturer": e.manufacturer,
        "model": e.model,
        "serial_number": e.serial_number,
        "criticality": e.criticality.as_str(),
        "status": e.status.as_str(),
        "running_hours": e.running_hours.map(|(h, _)| h.as_f64()),
        "running_hours_at": e.running_hours.map(|(_, at)| at),
        "version": e.version,
    })
}

/// The JSON form of a reading in the audit trail.
pub(crate) fn reading_json(r: &RunningHoursReading) -> Value {
    json!({
        "id": r.id.to_string(),
        "equipment_id": r.equipment.to_string(),
        "hours": r.hours.as_f64(),
        "read_at": r.read_at,
        "is_reset": r.is_reset,
        "note": r.note,
        "recorded_by": r.recorded_by.to_string(),
    })
}

fn write_error(error: sqlx::Error) -> EquipmentWriteError {
    match &error {
        sqlx::Error::Database(e) if e.constraint() == Some("equipment_yacht_id_code_key") => {
            EquipmentWriteError::CodeTaken
        }
        _ => EquipmentWriteError::Store(store_error(error)),
    }
}

fn sort(sort: EquipmentSort) -> KeysetSort<Equipment> {
    match sort {
        EquipmentSort::Code => KeysetSort {
            name: sort.as_str(),
            column: "code",
            kind: SortKind::Text,
            descending: false,
            value_of: |e| SortValue::Text(e.code.to_string()),
            id_of: |e| e.id.as_uuid(),
        },
        EquipmentSort::Name => KeysetSort {
            name: sort.as_str(),
            column: "name",
            kind: SortKind::Text,
            descending: false,
            value_of: |e| SortValue::Text(e.name.clone()),
            id_of: |e| e.id.as_uuid(),
        },
        EquipmentSort::RecentlyUpdated => KeysetSort {
            name: sort.as_str(),
            column: "updated_at",
            kind: SortKind::Time,
            descending: true,
            value_of: |e| SortValue::Time(e.updated_at),
            id_of: |e| e.id.as_uuid(),
        },
    }
}

async fn fetch_one(tx: &mut TenantTx, id: EquipmentId, lock: bool) -> Result<Option<Equipment>, StoreError> {
    let sql = if lock {
        format!("{SELECT} WHERE yacht_id = $1 AND id = $2 FOR UPDATE")
    } else {
        format!("{SELECT} WHERE yacht_id = $1 AND id = $2")
    };
    let row: Option<EquipmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(tx.yacht().as_uuid())
        .bind(id.as_uuid())
        .fetch_optional(tx.conn())
        .await
        .map_err(store_error)?;
    row.map(Equipment::try_from).transpose()
}

impl EquipmentRepo for TenantTx {
    async fn equipment(&mut self, id: EquipmentId) -> Result<Option<Equipment>, StoreError> {
        fetch_one(self, id, false).await
    }

    async fn equipment_for_update(&mut self, id: EquipmentId) -> Result<Option<Equipment>, StoreError> {
        fetch_one(self, id, true).await
    }

    async fn insert_equipment(&mut self, e: &Equipment) -> Result<(), EquipmentWriteError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO equipment (id, yacht_id, parent_id, code, name, system, location, manufacturer, model,
                                    serial_number, criticality, status, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(e.id.as_uuid())
        .bind(yacht)
        .bind(e.parent.map(EquipmentId::as_uuid))
        .bind(e.code.as_str())
        .bind(&e.name)
        .bind(&e.system)
        .bind(&e.location)
        .bind(&e.manufacturer)
        .bind(&e.model)
        .bind(&e.serial_number)
        .bind(e.criticality.as_str())
        .bind(e.status.as_str())
        .bind(e.version)
        .bind(e.created_at)
        .bind(e.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(write_error)
    }

    async fn update_equipment(&mut self, e: &Equipment) -> Result<(), EquipmentWriteError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "UPDATE equipment SET parent_id = $3, code = $4, name = $5, system = $6, location = $7,
                    manufacturer = $8, model = $9, serial_number = $10, criticality = $11, status = $12,
                    running_hours = $13::numeric(10, 1), running_hours_at = $14, version = $15, updated_at = $16
             WHERE yacht_id = $1 AND id = $2",
        )
        .bind(yacht)
        .bind(e.id.as_uuid())
        .bind(e.parent.map(EquipmentId::as_uuid))
        .bind(e.code.as_str())
        .bind(&e.name)
        .bind(&e.system)
        .bind(&e.location)
        .bind(&e.manufacturer)
        .bind(&e.model)
        .bind(&e.serial_number)
        .bind(e.criticality.as_str())
        .bind(e.status.as_str())
        .bind(e.running_hours.map(|(h, _)| h.as_f64()))
        .bind(e.running_hours.map(|(_, at)| at))
        .bind(e.version)
        .bind(e.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(write_error)
    }

    async fn is_within(&mut self, root: EquipmentId, candidate: EquipmentId) -> Result<bool, StoreError> {
        // Walk up from the candidate; the depth bound guards against a corrupted cycle.
        sqlx::query_scalar(
            "WITH RECURSIVE ancestors (id, parent_id, depth) AS (
                 SELECT id, parent_id, 0 FROM equipment WHERE yacht_id = $1 AND id = $2
                 UNION ALL
                 SELECT e.id, e.parent_id, a.depth + 1
                 FROM equipment e JOIN ancestors a ON e.id = a.parent_id
                 WHERE e.yacht_id = $1 AND a.depth < 64
             )
             SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = $3)",
        )
        .bind(self.yacht().as_uuid())
        .bind(candidate.as_uuid())
        .bind(root.as_uuid())
        .fetch_one(self.conn())
        .await
        .map_err(store_error)
    }

    async fn list_equipment(
        &mut self,
        filter: &EquipmentFilter,
        page: &PageRequest,
    ) -> Result<Page<Equipment>, StoreError> {
        let mut query = Query::select();
        query
            .columns(COLUMNS.iter().filter(|c| **c != "running_hours_tenths").copied())
            .expr_as(Expr::cust("(running_hours * 10)::bigint"), "running_hours_tenths")
            .from("equipment")
            .and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()));
        if !filter.status.is_empty() {
            query.and_where(Expr::col("status").is_in(filter.status.iter().map(|s| s.as_str())));
        }
        if !filter.criticality.is_empty() {
            query.and_where(Expr::col("criticality").is_in(filter.criticality.iter().map(|c| c.as_str())));
        }
        if let Some(parent) = filter.parent {
            query.and_where(Expr::col("parent_id").eq(parent.as_uuid()));
        } else if filter.roots_only {
            query.and_where(Expr::col("parent_id").is_null());
        }
        if let Some(system) = &filter.system {
            query.and_where(Expr::cust_with_values("lower(system) = lower($1)", [system.clone()]));
        }
        if let Some(text) = &filter.text {
            for condition in every_word_matches(text, "search", &["name", "code"], "name") {
                query.and_where(condition);
            }
        }
        let keyset = sort(filter.sort);
        keyset.apply(&mut query, page)?;
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<EquipmentRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let items = rows.into_iter().map(Equipment::try_from).collect::<Result<Vec<_>, _>>()?;
        Ok(keyset.page(items, page))
    }

    async fn insert_reading(&mut self, r: &RunningHoursReading) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO running_hours_readings (id, yacht_id, equipment_id, hours, read_at, is_reset, note, recorded_by)
             VALUES ($1, $2, $3, $4::numeric(10, 1), $5, $6, $7, $8)",
        )
        .bind(r.id.as_uuid())
        .bind(yacht)
        .bind(r.equipment.as_uuid())
        .bind(r.hours.as_f64())
        .bind(r.read_at)
        .bind(r.is_reset)
        .bind(&r.note)
        .bind(r.recorded_by.as_uuid())
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn readings(
        &mut self,
        equipment: EquipmentId,
        page: &PageRequest,
    ) -> Result<Page<RunningHoursReading>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct ReadingRow {
            id: Uuid,
            equipment_id: Uuid,
            hours_tenths: i64,
            read_at: chrono::DateTime<chrono::Utc>,
            is_reset: bool,
            note: Option<String>,
            recorded_by: Uuid,
        }
        let keyset: KeysetSort<RunningHoursReading> = KeysetSort {
            name: "-read_at",
            column: "read_at",
            kind: SortKind::Time,
            descending: true,
            value_of: |r| SortValue::Time(r.read_at),
            id_of: |r| r.id.as_uuid(),
        };
        let mut query = Query::select();
        query
            .columns(["id", "equipment_id", "read_at", "is_reset", "note", "recorded_by"])
            .expr_as(Expr::cust("(hours * 10)::bigint"), "hours_tenths")
            .from("running_hours_readings")
            .and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()))
            .and_where(Expr::col("equipment_id").eq(equipment.as_uuid()));
        keyset.apply(&mut query, page)?;
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<ReadingRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let items = rows
            .into_iter()
            .map(|row| {
                Ok(RunningHoursReading {
                    id: ReadingId::from_uuid(row.id),
                    equipment: EquipmentId::from_uuid(row.equipment_id),
                    hours: Hours::from_tenths(row.hours_tenths)
                        .map_err(|_| corrupt("running hours", &row.hours_tenths.to_string()))?,
                    read_at: row.read_at,
                    is_reset: row.is_reset,
                    note: row.note,
                    recorded_by: UserId::from_uuid(row.recorded_by),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(keyset.page(items, page))
    }
}
