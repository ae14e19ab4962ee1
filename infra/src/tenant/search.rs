//! What the search bar reads from a yacht's database: its records as a [`Catalogue`] (kept in
//! memory by the API and matched there) and the version that tells a kept copy is stale.

use pms_domain::actions::{EntityType, RecordState};
use pms_domain::catalogue::Record;
use pms_domain::maintenance::equipment::EquipmentStatus;
use pms_domain::maintenance::fault::FaultStatus;
use pms_domain::maintenance::work_order::{WorkOrderNumber, WorkOrderStatus};
use pms_domain::store::StoreError;
use uuid::Uuid;

use super::tx::TenantTx;
use crate::master::directory::corrupt;
use crate::postgres::store_error;

/// The yacht's audit-chain head. Every change to a record is audited in the same transaction,
/// so a catalogue loaded after reading version `v` is current for as long as the head is `v`.
pub async fn catalogue_version(tx: &mut TenantTx) -> Result<i64, StoreError> {
    let yacht = tx.yacht().as_uuid();
    let head: Option<i64> = sqlx::query_scalar("SELECT last_seq FROM audit_chain_heads WHERE yacht_id = $1")
        .bind(yacht)
        .fetch_optional(tx.conn())
        .await
        .map_err(store_error)?;
    Ok(head.unwrap_or(0))
}

#[derive(sqlx::FromRow)]
struct CatalogueRow {
    entity: String,
    id: Uuid,
    name: String,
    code: String,
    status: Option<String>,
    details: String,
    maker: String,
    model: String,
    number_year: Option<i32>,
    number_sequence: Option<i32>,
    parent: Option<Uuid>,
}

/// Every equipment item, fault, work order and part of the yacht. Read the version first: a
/// change committed in between then only makes the catalogue newer than its version says.
pub async fn catalogue_records(tx: &mut TenantTx) -> Result<Vec<Record>, StoreError> {
    let yacht = tx.yacht().as_uuid();
    let rows: Vec<CatalogueRow> = sqlx::query_as(
        "SELECT 'equipment' AS entity, id, name, code, status,
                concat_ws(' ', system, location, manufacturer, model) AS details,
                coalesce(manufacturer, '') AS maker, coalesce(model, '') AS model,
                NULL::int AS number_year, NULL::int AS number_sequence, parent_id AS parent
         FROM equipment WHERE yacht_id = $1
         UNION ALL
         SELECT 'fault', id, title, coalesce(code, ''), status, coalesce(description, ''), '', '', NULL, NULL,
                equipment_id
         FROM faults WHERE yacht_id = $1
         UNION ALL
         SELECT 'work_order', id, title, 'WO-' || number_year || '-' || lpad(number_sequence::text, 4, '0'), status,
                coalesce(description, ''), '', '', number_year, number_sequence, equipment_id
         FROM work_orders WHERE yacht_id = $1
         UNION ALL
         SELECT 'part', id, name, number, NULL, concat_ws(' ', manufacturer, barcode), '', '', NULL, NULL, NULL::uuid
         FROM parts WHERE yacht_id = $1",
    )
    .bind(yacht)
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)?;
    rows.into_iter().map(record).collect()
}

fn record(row: CatalogueRow) -> Result<Record, StoreError> {
    let status = row.status.as_deref().unwrap_or("");
    let bad_status = |_| corrupt(&format!("{} status", row.entity), status);
    let (entity, state) = match row.entity.as_str() {
        "equipment" => {
            (EntityType::Equipment, RecordState::Equipment(EquipmentStatus::parse(status).map_err(bad_status)?))
        }
        "fault" => (EntityType::Fault, RecordState::Fault(FaultStatus::parse(status).map_err(bad_status)?)),
        "work_order" => {
            (EntityType::WorkOrder, RecordState::WorkOrder(WorkOrderStatus::parse(status).map_err(bad_status)?))
        }
        _ => (EntityType::Part, RecordState::Stateless),
    };
    let number = match (row.number_year, row.number_sequence) {
        (Some(year), Some(sequence)) => Some(WorkOrderNumber {
            year,
            sequence: u32::try_from(sequence).map_err(|_| corrupt("work-order sequence", &sequence.to_string()))?,
        }),
        _ => None,
    };
    Ok(Record {
        entity,
        id: row.id,
        name: row.name,
        code: row.code,
        state,
        details: row.details,
        maker: row.maker,
        model: row.model,
        number,
        parent: row.parent,
    })
}
