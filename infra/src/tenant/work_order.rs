//! [`WorkOrderRepo`] on the tenant database.

use chrono::NaiveDate;
use pms_domain::ids::{ChecklistItemId, EquipmentId, FaultId, ScheduleId, UserId, WorkOrderId};
use pms_domain::maintenance::equipment::Hours;
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::maintenance::work_order::{
    ChecklistItem, Priority, TimeEntry, WorkOrder, WorkOrderFilter, WorkOrderKind, WorkOrderNumber, WorkOrderRepo,
    WorkOrderSort, WorkOrderStatus,
};
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query, SelectStatement};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{KeysetSort, SortKind, every_word_matches};
use super::tx::TenantTx;
use crate::postgres::store_error;

type Time = chrono::DateTime<chrono::Utc>;

/// id, work order, position, text, done by, done at.
type ChecklistRow = (Uuid, Uuid, i32, String, Option<Uuid>, Option<Time>);

/// Stands in for "no due date" so that undated work sorts last and pages cleanly.
const NO_DUE_DATE: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

#[derive(sqlx::FromRow)]
struct WorkOrderRow {
    id: Uuid,
    number_year: i32,
    number_sequence: i32,
    title: String,
    description: Option<String>,
    kind: String,
    priority: String,
    status: String,
    equipment_id: Option<Uuid>,
    fault_id: Option<Uuid>,
    schedule_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    due_on: Option<NaiveDate>,
    hours_logged_tenths: i64,
    completion_notes: Option<String>,
    completed_by: Option<Uuid>,
    completed_at: Option<Time>,
    deferred_until: Option<NaiveDate>,
    status_reason: Option<String>,
    created_by: Uuid,
    version: i32,
    created_at: Time,
    updated_at: Time,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in a tenant database")))
}

impl TryFrom<WorkOrderRow> for WorkOrder {
    type Error = StoreError;

    fn try_from(r: WorkOrderRow) -> Result<Self, StoreError> {
        let sequence =
            u32::try_from(r.number_sequence).map_err(|_| corrupt("sequence", &r.number_sequence.to_string()))?;
        Ok(Self {
            id: WorkOrderId::from_uuid(r.id),
            number: WorkOrderNumber { year: r.number_year, sequence },
            title: r.title,
            description: r.description,
            kind: WorkOrderKind::parse(&r.kind).map_err(|_| corrupt("kind", &r.kind))?,
            priority: Priority::parse(&r.priority).map_err(|_| corrupt("priority", &r.priority))?,
            status: WorkOrderStatus::parse(&r.status).map_err(|_| corrupt("status", &r.status))?,
            equipment: r.equipment_id.map(EquipmentId::from_uuid),
            fault: r.fault_id.map(FaultId::from_uuid),
            schedule: r.schedule_id.map(ScheduleId::from_uuid),
            assignee: r.assignee_id.map(UserId::from_uuid),
            due_on: r.due_on,
            hours_logged: Hours::from_tenths(r.hours_logged_tenths)
                .map_err(|_| corrupt("hours", &r.hours_logged_tenths.to_string()))?,
            completion_notes: r.completion_notes,
            completed: r.completed_by.map(UserId::from_uuid).zip(r.completed_at),
            deferred_until: r.deferred_until,
            status_reason: r.status_reason,
            created_by: UserId::from_uuid(r.created_by),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// The JSON form of a work order in the audit trail.
pub(crate) fn work_order_json(w: &WorkOrder) -> Value {
    json!({
        "id": w.id.to_string(),
        "number": w.number.to_string(),
        "title": w.title,
        "description": w.description,
        "kind": w.kind.as_str(),
        "priority": w.priority.as_str(),
        "status": w.status.as_str(),
        "equipment_id": w.equipment.map(|e| e.to_string()),
        "fault_id": w.fault.map(|f| f.to_string()),
        "schedule_id": w.schedule.map(|s| s.to_string()),
        "assignee_id": w.assignee.map(|u| u.to_string()),
        "due_on": w.due_on,
        "hours_logged": w.hours_logged.as_f64(),
        "completion_notes": w.completion_notes,
        "completed_by": w.completed.map(|(u, _)| u.to_string()),
        "deferred_until": w.deferred_until,
        "status_reason": w.status_reason,
        "version": w.version,
    })
}

/// The JSON form of a checklist item in the audit trail.
pub(crate) fn checklist_item_json(i: &ChecklistItem) -> Value {
    json!({
        "id": i.id.to_string(),
        "work_order_id": i.work_order.to_string(),
        "position": i.position,
        "text": i.text,
        "done_by": i.done.map(|(u, _)| u.to_string()),
        "done_at": i.done.map(|(_, at)| at),
    })
}

fn select(yacht: Uuid) -> SelectStatement {
    let mut query = Query::select();
    query
        .columns([
            "id",
            "number_year",
            "number_sequence",
            "title",
            "description",
            "kind",
            "priority",
            "status",
            "equipment_id",
            "fault_id",
            "schedule_id",
            "assignee_id",
            "due_on",
            "completion_notes",
            "completed_by",
            "completed_at",
            "deferred_until",
            "status_reason",
            "created_by",
            "version",
            "created_at",
            "updated_at",
        ])
        .expr_as(Expr::cust("(hours_logged * 10)::bigint"), "hours_logged_tenths")
        .from("work_orders")
        .and_where(Expr::col("yacht_id").eq(yacht));
    query
}

async fn fetch_rows(tx: &mut TenantTx, query: &SelectStatement) -> Result<Vec<WorkOrder>, StoreError> {
    let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
    let rows: Vec<WorkOrderRow> =
        sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(tx.conn()).await.map_err(store_error)?;
    rows.into_iter().map(WorkOrder::try_from).collect()
}

async fn fetch_one(tx: &mut TenantTx, id: WorkOrderId, lock: bool) -> Result<Option<WorkOrder>, StoreError> {
    let mut query = select(tx.yacht().as_uuid());
    query.and_where(Expr::col("id").eq(id.as_uuid()));
    if lock {
        query.lock(sea_query::LockType::Update);
    }
    Ok(fetch_rows(tx, &query).await?.pop())
}

fn keyset(sort: WorkOrderSort) -> KeysetSort<WorkOrder> {
    match sort {
        WorkOrderSort::Newest => KeysetSort {
            name: sort.as_str(),
            column: "created_at",
            kind: SortKind::Time,
            descending: true,
            value_of: |w| SortValue::Time(w.created_at),
            id_of: |w| w.id.as_uuid(),
        },
        WorkOrderSort::DueSoonest => KeysetSort {
            name: sort.as_str(),
            column: "coalesce(due_on, DATE '9999-12-31')",
            kind: SortKind::Date,
            descending: false,
            value_of: |w| SortValue::Date(w.due_on.unwrap_or(NO_DUE_DATE)),
            id_of: |w| w.id.as_uuid(),
        },
        WorkOrderSort::Number => KeysetSort {
            name: sort.as_str(),
            column: "(number_year::bigint * 1000000 + number_sequence)",
            kind: SortKind::Integer,
            descending: false,
            value_of: |w| SortValue::Integer(i64::from(w.number.year) * 1_000_000 + i64::from(w.number.sequence)),
            id_of: |w| w.id.as_uuid(),
        },
    }
}

impl WorkOrderRepo for TenantTx {
    async fn work_order(&mut self, id: WorkOrderId) -> Result<Option<WorkOrder>, StoreError> {
        fetch_one(self, id, false).await
    }

    async fn work_order_for_update(&mut self, id: WorkOrderId) -> Result<Option<WorkOrder>, StoreError> {
        fetch_one(self, id, true).await
    }

    async fn next_number(&mut self, year: i32) -> Result<WorkOrderNumber, StoreError> {
        let yacht = self.yacht().as_uuid();
        let sequence: i32 = sqlx::query_scalar(
            "INSERT INTO work_order_counters (yacht_id, year, last_sequence) VALUES ($1, $2, 1)
             ON CONFLICT (yacht_id, year) DO UPDATE SET last_sequence = work_order_counters.last_sequence + 1
             RETURNING last_sequence",
        )
        .bind(yacht)
        .bind(year)
        .fetch_one(self.conn())
        .await
        .map_err(store_error)?;
        Ok(WorkOrderNumber { year, sequence: u32::try_from(sequence).unwrap_or(1) })
    }

    async fn insert_work_order(&mut self, w: &WorkOrder) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO work_orders (id, yacht_id, number_year, number_sequence, title, description, kind, priority,
                                      status, equipment_id, fault_id, schedule_id, assignee_id, due_on, created_by,
                                      version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(w.id.as_uuid())
        .bind(yacht)
        .bind(w.number.year)
        .bind(i32::try_from(w.number.sequence).unwrap_or(i32::MAX))
        .bind(&w.title)
        .bind(&w.description)
        .bind(w.kind.as_str())
        .bind(w.priority.as_str())
        .bind(w.status.as_str())
        .bind(w.equipment.map(EquipmentId::as_uuid))
        .bind(w.fault.map(FaultId::as_uuid))
        .bind(w.schedule.map(ScheduleId::as_uuid))
        .bind(w.assignee.map(UserId::as_uuid))
        .bind(w.due_on)
        .bind(w.created_by.as_uuid())
        .bind(w.version)
        .bind(w.created_at)
        .bind(w.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn update_work_order(&mut self, w: &WorkOrder) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "UPDATE work_orders SET title = $3, description = $4, kind = $5, priority = $6, status = $7,
                    equipment_id = $8, assignee_id = $9, due_on = $10, hours_logged = $11::numeric(10, 1),
                    completion_notes = $12, completed_by = $13, completed_at = $14, deferred_until = $15,
                    status_reason = $16, version = $17, updated_at = $18
             WHERE yacht_id = $1 AND id = $2",
        )
        .bind(yacht)
        .bind(w.id.as_uuid())
        .bind(&w.title)
        .bind(&w.description)
        .bind(w.kind.as_str())
        .bind(w.priority.as_str())
        .bind(w.status.as_str())
        .bind(w.equipment.map(EquipmentId::as_uuid))
        .bind(w.assignee.map(UserId::as_uuid))
        .bind(w.due_on)
        .bind(w.hours_logged.as_f64())
        .bind(&w.completion_notes)
        .bind(w.completed.map(|(u, _)| u.as_uuid()))
        .bind(w.completed.map(|(_, at)| at))
        .bind(w.deferred_until)
        .bind(&w.status_reason)
        .bind(w.version)
        .bind(w.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn active_work_order_for_fault(&mut self, fault: FaultId) -> Result<Option<WorkOrder>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        query
            .and_where(Expr::col("fault_id").eq(fault.as_uuid()))
            .and_where(Expr::col("status").is_in(["planned", "in_progress", "deferred"]))
            .order_by("created_at", sea_query::Order::Asc)
            .limit(1);
        Ok(fetch_rows(self, &query).await?.pop())
    }

    async fn active_scheduled_work_orders(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> Result<Vec<WorkOrder>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        query.and_where(Expr::col("schedule_id").is_not_null()).and_where(Expr::col("status").is_in([
            "planned",
            "in_progress",
            "deferred",
        ]));
        if let Some(equipment) = equipment {
            query.and_where(Expr::col("equipment_id").eq(equipment.as_uuid()));
        }
        fetch_rows(self, &query).await
    }

    async fn list_work_orders(
        &mut self,
        filter: &WorkOrderFilter,
        page: &PageRequest,
    ) -> Result<Page<WorkOrder>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        if !filter.status.is_empty() {
            query.and_where(Expr::col("status").is_in(filter.status.iter().map(|s| s.as_str())));
        }
        if !filter.priority.is_empty() {
            query.and_where(Expr::col("priority").is_in(filter.priority.iter().map(|p| p.as_str())));
        }
        if let Some(equipment) = filter.equipment {
            query.and_where(Expr::col("equipment_id").eq(equipment.as_uuid()));
        }
        if let Some(fault) = filter.fault {
            query.and_where(Expr::col("fault_id").eq(fault.as_uuid()));
        }
        if let Some(schedule) = filter.schedule {
            query.and_where(Expr::col("schedule_id").eq(schedule.as_uuid()));
        }
        if let Some(assignee) = filter.assignee {
            query.and_where(Expr::col("assignee_id").eq(assignee.as_uuid()));
        }
        if let Some(before) = filter.due_before {
            query.and_where(Expr::col("due_on").lt(before));
        }
        if let Some(after) = filter.due_after {
            query.and_where(Expr::col("due_on").gte(after));
        }
        if let Some(text) = &filter.text {
            for condition in every_word_matches(text, "search", &["title"], "title") {
                query.and_where(condition);
            }
        }
        let keyset = keyset(filter.sort);
        keyset.apply(&mut query, page)?;
        let items = fetch_rows(self, &query).await?;
        Ok(keyset.page(items, page))
    }

    async fn checklist(&mut self, work_order: WorkOrderId) -> Result<Vec<ChecklistItem>, StoreError> {
        let rows: Vec<ChecklistRow> = sqlx::query_as(
            "SELECT id, work_order_id, position, text, done_by, done_at FROM work_order_checklist_items
             WHERE yacht_id = $1 AND work_order_id = $2 ORDER BY position",
        )
        .bind(self.yacht().as_uuid())
        .bind(work_order.as_uuid())
        .fetch_all(self.conn())
        .await
        .map_err(store_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, work_order, position, text, done_by, done_at)| ChecklistItem {
                id: ChecklistItemId::from_uuid(id),
                work_order: WorkOrderId::from_uuid(work_order),
                position,
                text,
                done: done_by.map(UserId::from_uuid).zip(done_at),
            })
            .collect())
    }

    async fn insert_checklist_item(&mut self, i: &ChecklistItem) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO work_order_checklist_items (id, yacht_id, work_order_id, position, text) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i.id.as_uuid())
        .bind(yacht)
        .bind(i.work_order.as_uuid())
        .bind(i.position)
        .bind(&i.text)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn update_checklist_item(&mut self, i: &ChecklistItem) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query("UPDATE work_order_checklist_items SET text = $3, done_by = $4, done_at = $5 WHERE yacht_id = $1 AND id = $2")
            .bind(yacht)
            .bind(i.id.as_uuid())
            .bind(&i.text)
            .bind(i.done.map(|(u, _)| u.as_uuid()))
            .bind(i.done.map(|(_, at)| at))
            .execute(self.conn())
            .await
            .map(|_| ())
            .map_err(store_error)
    }

    async fn insert_time_entry(&mut self, e: &TimeEntry) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO work_order_time_entries (id, yacht_id, work_order_id, user_id, hours, note, logged_at)
             VALUES ($1, $2, $3, $4, $5::numeric(10, 1), $6, $7)",
        )
        .bind(e.id.as_uuid())
        .bind(yacht)
        .bind(e.work_order.as_uuid())
        .bind(e.user.as_uuid())
        .bind(e.hours.as_f64())
        .bind(&e.note)
        .bind(e.logged_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }
}
