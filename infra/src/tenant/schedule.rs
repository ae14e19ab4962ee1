//! [`ScheduleRepo`] on the tenant database.

use chrono::NaiveDate;
use pms_domain::ids::{EquipmentId, ScheduleId, UserId};
use pms_domain::maintenance::equipment::Hours;
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::maintenance::schedule::{
    Baseline, Interval, MeteredSchedule, Schedule, ScheduleFilter, ScheduleRepo, ScheduleSort,
};
use pms_domain::maintenance::work_order::Priority;
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query, SelectStatement};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{KeysetSort, SortKind, every_word_matches};
use super::tx::TenantTx;
use crate::postgres::store_error;

type Time = chrono::DateTime<chrono::Utc>;

/// Stands in for "no due date" so that hours-only schedules sort last and page cleanly.
const NO_DUE_DATE: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

#[derive(sqlx::FromRow)]
struct ScheduleRow {
    id: Uuid,
    equipment_id: Uuid,
    title: String,
    description: Option<String>,
    priority: String,
    every_days: Option<i32>,
    every_hours_tenths: Option<i64>,
    last_done_on: NaiveDate,
    last_done_hours_tenths: Option<i64>,
    lead_days: i32,
    lead_hours_tenths: i64,
    active: bool,
    created_by: Uuid,
    version: i32,
    created_at: Time,
    updated_at: Time,
    /// The equipment's current meter reading, in tenths.
    meter_tenths: Option<i64>,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected schedule {what} in a tenant database")))
}

fn hours(tenths: i64) -> Result<Hours, StoreError> {
    Hours::from_tenths(tenths).map_err(|_| corrupt("hours"))
}

impl TryFrom<ScheduleRow> for MeteredSchedule {
    type Error = StoreError;

    fn try_from(r: ScheduleRow) -> Result<Self, StoreError> {
        let days = r.every_days.map(|d| u32::try_from(d).map_err(|_| corrupt("interval"))).transpose()?;
        let every_hours = r.every_hours_tenths.map(hours).transpose()?;
        let schedule = Schedule {
            id: ScheduleId::from_uuid(r.id),
            equipment: EquipmentId::from_uuid(r.equipment_id),
            title: r.title,
            description: r.description,
            priority: Priority::parse(&r.priority).map_err(|_| corrupt("priority"))?,
            interval: Interval::new(days, every_hours).map_err(|_| corrupt("interval"))?,
            baseline: Baseline { on: r.last_done_on, hours: r.last_done_hours_tenths.map(hours).transpose()? },
            lead_days: u32::try_from(r.lead_days).map_err(|_| corrupt("lead days"))?,
            lead_hours: hours(r.lead_hours_tenths)?,
            active: r.active,
            created_by: UserId::from_uuid(r.created_by),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        };
        Ok(Self { schedule, current_hours: r.meter_tenths.map(hours).transpose()? })
    }
}

/// The JSON form of a schedule in the audit trail.
pub(crate) fn schedule_json(s: &Schedule) -> Value {
    let next = s.next_due();
    json!({
        "id": s.id.to_string(),
        "equipment_id": s.equipment.to_string(),
        "title": s.title,
        "description": s.description,
        "priority": s.priority.as_str(),
        "every_days": s.interval.days(),
        "every_hours": s.interval.hours().map(Hours::as_f64),
        "last_done_on": s.baseline.on,
        "last_done_hours": s.baseline.hours.map(Hours::as_f64),
        "lead_days": s.lead_days,
        "lead_hours": s.lead_hours.as_f64(),
        "next_due_on": next.on,
        "next_due_hours": next.at_hours.map(Hours::as_f64),
        "active": s.active,
        "version": s.version,
    })
}

fn select(yacht: Uuid) -> SelectStatement {
    let mut query = Query::select();
    query
        .columns([
            "id",
            "equipment_id",
            "title",
            "description",
            "priority",
            "every_days",
            "last_done_on",
            "lead_days",
            "active",
            "created_by",
            "version",
            "created_at",
            "updated_at",
        ])
        .expr_as(Expr::cust("(every_hours * 10)::bigint"), "every_hours_tenths")
        .expr_as(Expr::cust("(last_done_hours * 10)::bigint"), "last_done_hours_tenths")
        .expr_as(Expr::cust("(lead_hours * 10)::bigint"), "lead_hours_tenths")
        // A subquery rather than a join: FOR UPDATE then locks only the schedule.
        .expr_as(
            Expr::cust(
                "(SELECT (e.running_hours * 10)::bigint FROM equipment e
                  WHERE e.yacht_id = schedules.yacht_id AND e.id = schedules.equipment_id)",
            ),
            "meter_tenths",
        )
        .from("schedules")
        .and_where(Expr::col("yacht_id").eq(yacht));
    query
}

async fn fetch(tx: &mut TenantTx, query: &SelectStatement) -> Result<Vec<MeteredSchedule>, StoreError> {
    let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
    let rows: Vec<ScheduleRow> =
        sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(tx.conn()).await.map_err(store_error)?;
    rows.into_iter().map(MeteredSchedule::try_from).collect()
}

async fn fetch_one(tx: &mut TenantTx, id: ScheduleId, lock: bool) -> Result<Option<Schedule>, StoreError> {
    let mut query = select(tx.yacht().as_uuid());
    query.and_where(Expr::col("id").eq(id.as_uuid()));
    if lock {
        query.lock(sea_query::LockType::Update);
    }
    Ok(fetch(tx, &query).await?.pop().map(|m| m.schedule))
}

async fn active(
    tx: &mut TenantTx,
    equipment: Option<EquipmentId>,
    lock: bool,
) -> Result<Vec<MeteredSchedule>, StoreError> {
    let mut query = select(tx.yacht().as_uuid());
    query.and_where(Expr::col("active").eq(true));
    if let Some(equipment) = equipment {
        query.and_where(Expr::col("equipment_id").eq(equipment.as_uuid()));
    }
    query.order_by("id", sea_query::Order::Asc);
    if lock {
        query.lock(sea_query::LockType::Update);
    }
    fetch(tx, &query).await
}

fn keyset(sort: ScheduleSort) -> KeysetSort<MeteredSchedule> {
    match sort {
        ScheduleSort::NextDue => KeysetSort {
            name: sort.as_str(),
            column: "coalesce(next_due_on, DATE '9999-12-31')",
            kind: SortKind::Date,
            descending: false,
            value_of: |m| SortValue::Date(m.schedule.next_due().on.unwrap_or(NO_DUE_DATE)),
            id_of: |m| m.schedule.id.as_uuid(),
        },
        ScheduleSort::Title => KeysetSort {
            name: sort.as_str(),
            column: "title",
            kind: SortKind::Text,
            descending: false,
            value_of: |m| SortValue::Text(m.schedule.title.clone()),
            id_of: |m| m.schedule.id.as_uuid(),
        },
        ScheduleSort::Newest => KeysetSort {
            name: sort.as_str(),
            column: "created_at",
            kind: SortKind::Time,
            descending: true,
            value_of: |m| SortValue::Time(m.schedule.created_at),
            id_of: |m| m.schedule.id.as_uuid(),
        },
    }
}

/// Binds a schedule as `$1…$17`: id, yacht, then its columns in the order both statements use.
fn bind_all<'q>(
    query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    yacht: Uuid,
    s: &'q Schedule,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    let next = s.next_due();
    query
        .bind(s.id.as_uuid())
        .bind(yacht)
        .bind(s.equipment.as_uuid())
        .bind(&s.title)
        .bind(&s.description)
        .bind(s.priority.as_str())
        .bind(s.interval.days().map(|d| i32::try_from(d).unwrap_or(i32::MAX)))
        .bind(s.interval.hours().map(Hours::as_f64))
        .bind(s.baseline.on)
        .bind(s.baseline.hours.map(Hours::as_f64))
        .bind(i32::try_from(s.lead_days).unwrap_or(i32::MAX))
        .bind(s.lead_hours.as_f64())
        .bind(next.on)
        .bind(next.at_hours.map(Hours::as_f64))
        .bind(s.active)
        .bind(s.version)
        .bind(s.updated_at)
}

impl ScheduleRepo for TenantTx {
    async fn schedule(&mut self, id: ScheduleId) -> Result<Option<Schedule>, StoreError> {
        fetch_one(self, id, false).await
    }

    async fn schedule_for_update(&mut self, id: ScheduleId) -> Result<Option<Schedule>, StoreError> {
        fetch_one(self, id, true).await
    }

    async fn insert_schedule(&mut self, s: &Schedule) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        let query = sqlx::query(
            "INSERT INTO schedules (id, yacht_id, equipment_id, title, description, priority, every_days, every_hours,
                                    last_done_on, last_done_hours, lead_days, lead_hours, next_due_on,
                                    next_due_hours, active, version, updated_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric(10, 1), $9, $10::numeric(10, 1), $11,
                     $12::numeric(10, 1), $13, $14::numeric(10, 1), $15, $16, $17, $18, $19)",
        );
        bind_all(query, yacht, s)
            .bind(s.created_by.as_uuid())
            .bind(s.created_at)
            .execute(self.conn())
            .await
            .map(|_| ())
            .map_err(store_error)
    }

    async fn update_schedule(&mut self, s: &Schedule) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        let query = sqlx::query(
            "UPDATE schedules SET equipment_id = $3, title = $4, description = $5, priority = $6, every_days = $7,
                    every_hours = $8::numeric(10, 1), last_done_on = $9, last_done_hours = $10::numeric(10, 1),
                    lead_days = $11, lead_hours = $12::numeric(10, 1), next_due_on = $13,
                    next_due_hours = $14::numeric(10, 1), active = $15, version = $16, updated_at = $17
             WHERE id = $1 AND yacht_id = $2",
        );
        bind_all(query, yacht, s).execute(self.conn()).await.map(|_| ()).map_err(store_error)
    }

    async fn list_schedules(
        &mut self,
        filter: &ScheduleFilter,
        page: &PageRequest,
    ) -> Result<Page<MeteredSchedule>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        if let Some(equipment) = filter.equipment {
            query.and_where(Expr::col("equipment_id").eq(equipment.as_uuid()));
        }
        if let Some(active) = filter.active {
            query.and_where(Expr::col("active").eq(active));
        }
        if let Some(before) = filter.due_before {
            query.and_where(Expr::col("next_due_on").lte(before));
        }
        if let Some(text) = &filter.text {
            for condition in every_word_matches(text, "search", &["title"], "title") {
                query.and_where(condition);
            }
        }
        let keyset = keyset(filter.sort);
        keyset.apply(&mut query, page)?;
        let rows = fetch(self, &query).await?;
        Ok(keyset.page(rows, page))
    }

    async fn active_schedules(&mut self, equipment: Option<EquipmentId>) -> Result<Vec<MeteredSchedule>, StoreError> {
        active(self, equipment, false).await
    }

    async fn active_schedules_for_update(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> Result<Vec<MeteredSchedule>, StoreError> {
        active(self, equipment, true).await
    }
}
