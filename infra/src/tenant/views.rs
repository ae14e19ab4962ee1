//! Read models for the micro-actions' views: what parts earlier work used, and one timeline of
//! everything that happened to a piece of equipment. Plain rows, serialised as they are.

use chrono::{DateTime, Utc};
use pms_domain::ids::{EquipmentId, WorkOrderId};
use pms_domain::store::StoreError;
use serde::Serialize;
use uuid::Uuid;

use super::tx::TenantTx;
use crate::postgres::store_error;

/// A part consumed on earlier work orders: how much, how often, when last, and what is aboard.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PartUsage {
    pub part_id: Uuid,
    pub part_number: String,
    pub name: String,
    pub unit: String,
    pub location: Option<String>,
    pub on_hand: f64,
    /// Total consumed on those work orders, net of returns.
    pub quantity_used: f64,
    /// On how many of those work orders it was used.
    pub work_orders: i64,
    pub last_used_at: DateTime<Utc>,
}

/// Which earlier work to look at.
#[derive(Debug, Clone, Default)]
pub struct UsageScope {
    /// Work orders on this equipment.
    pub equipment: Option<EquipmentId>,
    /// Work orders handling faults with this (normalised) code.
    pub fault_code: Option<String>,
    /// These work orders.
    pub work_orders: Vec<WorkOrderId>,
}

/// Parts consumed on the work in `scope`, most often used first. An empty scope matches nothing.
pub async fn parts_used(tx: &mut TenantTx, scope: &UsageScope, limit: i64) -> Result<Vec<PartUsage>, StoreError> {
    let yacht = tx.yacht().as_uuid();
    let work_orders: Vec<Uuid> = scope.work_orders.iter().copied().map(WorkOrderId::as_uuid).collect();
    sqlx::query_as(
        "WITH scoped AS (
             SELECT w.id FROM work_orders w
             WHERE w.yacht_id = $1 AND (
                 w.equipment_id = $2
                 OR w.id = ANY($4)
                 OR ($3::text IS NOT NULL AND w.fault_id IN (
                     SELECT f.id FROM faults f WHERE f.yacht_id = $1 AND f.code = $3)))
         )
         SELECT p.id AS part_id, p.number AS part_number, p.name, p.unit, p.location,
                p.on_hand::float8 AS on_hand, (-sum(m.delta))::float8 AS quantity_used,
                count(DISTINCT m.work_order_id) AS work_orders, max(m.at) AS last_used_at
         FROM stock_movements m
         JOIN parts p ON p.yacht_id = m.yacht_id AND p.id = m.part_id
         WHERE m.yacht_id = $1 AND m.kind IN ('consume', 'return') AND m.work_order_id IN (SELECT id FROM scoped)
         GROUP BY p.id
         HAVING sum(m.delta) < 0
         ORDER BY count(DISTINCT m.work_order_id) DESC, max(m.at) DESC, p.id
         LIMIT $5",
    )
    .bind(yacht)
    .bind(scope.equipment.map(EquipmentId::as_uuid))
    .bind(scope.fault_code.as_deref())
    .bind(&work_orders)
    .bind(limit)
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)
}

/// One thing that happened to a piece of equipment.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    /// `fault_reported`, `fault_closed`, `work_order_created`, `work_order_completed`, `note` or
    /// `running_hours`.
    pub kind: String,
    /// `fault`, `work_order`, `note` or `reading`.
    pub entity_type: String,
    pub entity_id: Uuid,
    /// A line to show: the fault or work order title, the note, the reading.
    pub summary: String,
    /// Who did it.
    pub user_id: Option<Uuid>,
}

/// The equipment's faults, work orders, notes and running-hours readings as one timeline,
/// newest first.
pub async fn equipment_timeline(
    tx: &mut TenantTx,
    equipment: EquipmentId,
    limit: i64,
) -> Result<Vec<TimelineEvent>, StoreError> {
    let yacht = tx.yacht().as_uuid();
    sqlx::query_as(
        "SELECT * FROM (
             SELECT created_at AS at, 'fault_reported' AS kind, 'fault' AS entity_type, id AS entity_id,
                    coalesce(code || ' ', '') || title AS summary, reported_by AS user_id
             FROM faults WHERE yacht_id = $1 AND equipment_id = $2
             UNION ALL
             SELECT closed_at, 'fault_closed', 'fault', id,
                    title || coalesce(': ' || resolution, ''), closed_by
             FROM faults WHERE yacht_id = $1 AND equipment_id = $2 AND closed_at IS NOT NULL
             UNION ALL
             SELECT created_at, 'work_order_created', 'work_order', id,
                    'WO-' || number_year || '-' || lpad(number_sequence::text, 4, '0') || ' ' || title, created_by
             FROM work_orders WHERE yacht_id = $1 AND equipment_id = $2
             UNION ALL
             SELECT completed_at, 'work_order_completed', 'work_order', id,
                    'WO-' || number_year || '-' || lpad(number_sequence::text, 4, '0') || ' ' || title, completed_by
             FROM work_orders WHERE yacht_id = $1 AND equipment_id = $2 AND completed_at IS NOT NULL
             UNION ALL
             SELECT created_at, 'note', 'note', id, body, author_id
             FROM notes WHERE yacht_id = $1 AND subject_type = 'equipment' AND subject_id = $2
             UNION ALL
             SELECT read_at, 'running_hours', 'reading', id,
                    hours::text || ' h' || CASE WHEN is_reset THEN ' (meter reset)' ELSE '' END, recorded_by
             FROM running_hours_readings WHERE yacht_id = $1 AND equipment_id = $2
         ) events
         ORDER BY at DESC, entity_id
         LIMIT $3",
    )
    .bind(yacht)
    .bind(equipment.as_uuid())
    .bind(limit)
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)
}
