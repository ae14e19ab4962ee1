//! [`PartRepo`] on the tenant database: parts and their append-only stock ledger.

use pms_domain::ids::{MovementId, PartId, UserId, WorkOrderId};
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::maintenance::part::{
    MovementKind, Part, PartFilter, PartNumber, PartRepo, PartWriteError, Quantity, StockMovement,
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

#[derive(sqlx::FromRow)]
struct PartRow {
    id: Uuid,
    number: String,
    name: String,
    manufacturer: Option<String>,
    unit: String,
    location: Option<String>,
    barcode: Option<String>,
    minimum_millis: i64,
    reorder_millis: i64,
    on_hand_millis: i64,
    version: i32,
    created_at: Time,
    updated_at: Time,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in a tenant database")))
}

fn quantity(millis: i64) -> Result<Quantity, StoreError> {
    Quantity::from_millis(millis).map_err(|_| corrupt("quantity", &millis.to_string()))
}

impl TryFrom<PartRow> for Part {
    type Error = StoreError;

    fn try_from(r: PartRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: PartId::from_uuid(r.id),
            number: PartNumber::parse(&r.number).map_err(|_| corrupt("part number", &r.number))?,
            name: r.name,
            manufacturer: r.manufacturer,
            unit: r.unit,
            location: r.location,
            barcode: r.barcode,
            minimum_quantity: quantity(r.minimum_millis)?,
            reorder_quantity: quantity(r.reorder_millis)?,
            on_hand: quantity(r.on_hand_millis)?,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// The JSON form of a part in the audit trail.
pub(crate) fn part_json(p: &Part) -> Value {
    json!({
        "id": p.id.to_string(),
        "number": p.number.as_str(),
        "name": p.name,
        "manufacturer": p.manufacturer,
        "unit": p.unit,
        "location": p.location,
        "barcode": p.barcode,
        "minimum_quantity": p.minimum_quantity.as_f64(),
        "reorder_quantity": p.reorder_quantity.as_f64(),
        "on_hand": p.on_hand.as_f64(),
        "version": p.version,
    })
}

fn select(yacht: Uuid) -> SelectStatement {
    let mut query = Query::select();
    query
        .columns([
            "id",
            "number",
            "name",
            "manufacturer",
            "unit",
            "location",
            "barcode",
            "version",
            "created_at",
            "updated_at",
        ])
        .expr_as(Expr::cust("(minimum_quantity * 1000)::bigint"), "minimum_millis")
        .expr_as(Expr::cust("(reorder_quantity * 1000)::bigint"), "reorder_millis")
        .expr_as(Expr::cust("(on_hand * 1000)::bigint"), "on_hand_millis")
        .from("parts")
        .and_where(Expr::col("yacht_id").eq(yacht));
    query
}

async fn fetch(tx: &mut TenantTx, query: &SelectStatement) -> Result<Vec<Part>, StoreError> {
    let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
    let rows: Vec<PartRow> =
        sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(tx.conn()).await.map_err(store_error)?;
    rows.into_iter().map(Part::try_from).collect()
}

async fn fetch_one(tx: &mut TenantTx, id: PartId, lock: bool) -> Result<Option<Part>, StoreError> {
    let mut query = select(tx.yacht().as_uuid());
    query.and_where(Expr::col("id").eq(id.as_uuid()));
    if lock {
        query.lock(sea_query::LockType::Update);
    }
    Ok(fetch(tx, &query).await?.pop())
}

/// Decimal strings for numeric columns: exact, unlike a float.
fn decimal(q: Quantity) -> String {
    format!("{}.{:03}", q.millis() / 1000, q.millis() % 1000)
}

fn signed_decimal(millis: i64) -> String {
    let sign = if millis < 0 { "-" } else { "" };
    let abs = millis.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

const BY_NUMBER: KeysetSort<Part> = KeysetSort {
    name: "number",
    column: "number",
    kind: SortKind::Text,
    descending: false,
    value_of: |p| SortValue::Text(p.number.to_string()),
    id_of: |p| p.id.as_uuid(),
};

impl PartRepo for TenantTx {
    async fn part(&mut self, id: PartId) -> Result<Option<Part>, StoreError> {
        fetch_one(self, id, false).await
    }

    async fn part_for_update(&mut self, id: PartId) -> Result<Option<Part>, StoreError> {
        fetch_one(self, id, true).await
    }

    async fn insert_part(&mut self, p: &Part) -> Result<(), PartWriteError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO parts (id, yacht_id, number, name, manufacturer, unit, location, barcode, minimum_quantity,
                                reorder_quantity, on_hand, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10::numeric, $11::numeric, $12, $13, $14)",
        )
        .bind(p.id.as_uuid())
        .bind(yacht)
        .bind(p.number.as_str())
        .bind(&p.name)
        .bind(&p.manufacturer)
        .bind(&p.unit)
        .bind(&p.location)
        .bind(&p.barcode)
        .bind(decimal(p.minimum_quantity))
        .bind(decimal(p.reorder_quantity))
        .bind(decimal(p.on_hand))
        .bind(p.version)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(|e| match &e {
            sqlx::Error::Database(db)
                if matches!(db.constraint(), Some("parts_yacht_id_number_key" | "parts_barcode_idx")) =>
            {
                PartWriteError::NumberTaken
            }
            _ => PartWriteError::Store(store_error(e)),
        })
    }

    async fn record_movement(&mut self, p: &Part, m: &StockMovement) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO stock_movements (id, yacht_id, part_id, kind, delta, on_hand_after, work_order_id, note, user_id, at)
             VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, $7, $8, $9, $10)",
        )
        .bind(m.id.as_uuid())
        .bind(yacht)
        .bind(m.part.as_uuid())
        .bind(m.kind.as_str())
        .bind(signed_decimal(m.delta_millis))
        .bind(decimal(m.on_hand_after))
        .bind(m.work_order.map(WorkOrderId::as_uuid))
        .bind(&m.note)
        .bind(m.user.as_uuid())
        .bind(m.at)
        .execute(self.conn())
        .await
        .map_err(store_error)?;
        sqlx::query(
            "UPDATE parts SET on_hand = $3::numeric, version = $4, updated_at = $5 WHERE yacht_id = $1 AND id = $2",
        )
        .bind(yacht)
        .bind(p.id.as_uuid())
        .bind(decimal(p.on_hand))
        .bind(p.version)
        .bind(p.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn list_parts(&mut self, filter: &PartFilter, page: &PageRequest) -> Result<Page<Part>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        if filter.low_stock_only {
            query.and_where(Expr::cust("on_hand <= minimum_quantity AND minimum_quantity > 0"));
        }
        if let Some(barcode) = &filter.barcode {
            query.and_where(Expr::col("barcode").eq(barcode.clone()));
        }
        if let Some(text) = &filter.text {
            for condition in every_word_matches(text, "search", &["name", "number"], "name") {
                query.and_where(condition);
            }
        }
        BY_NUMBER.apply(&mut query, page)?;
        let items = fetch(self, &query).await?;
        Ok(BY_NUMBER.page(items, page))
    }

    async fn issued_to(&mut self, part: PartId, work_order: WorkOrderId) -> Result<Quantity, StoreError> {
        // Consumption is negative, returns positive: what is still out is minus their sum.
        let out: i64 = sqlx::query_scalar(
            "SELECT coalesce((-sum(delta) * 1000)::bigint, 0) FROM stock_movements
             WHERE yacht_id = $1 AND part_id = $2 AND work_order_id = $3",
        )
        .bind(self.yacht().as_uuid())
        .bind(part.as_uuid())
        .bind(work_order.as_uuid())
        .fetch_one(self.conn())
        .await
        .map_err(store_error)?;
        Ok(Quantity::from_millis(std::cmp::max(out, 0)).unwrap_or(Quantity::ZERO))
    }

    async fn movements(&mut self, part: PartId, page: &PageRequest) -> Result<Page<StockMovement>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct MovementRow {
            id: Uuid,
            part_id: Uuid,
            kind: String,
            delta_millis: i64,
            after_millis: i64,
            work_order_id: Option<Uuid>,
            note: Option<String>,
            user_id: Uuid,
            at: Time,
        }
        let keyset: KeysetSort<StockMovement> = KeysetSort {
            name: "-at",
            column: "at",
            kind: SortKind::Time,
            descending: true,
            value_of: |m| SortValue::Time(m.at),
            id_of: |m| m.id.as_uuid(),
        };
        let mut query = Query::select();
        query
            .columns(["id", "part_id", "kind", "work_order_id", "note", "user_id", "at"])
            .expr_as(Expr::cust("(delta * 1000)::bigint"), "delta_millis")
            .expr_as(Expr::cust("(on_hand_after * 1000)::bigint"), "after_millis")
            .from("stock_movements")
            .and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()))
            .and_where(Expr::col("part_id").eq(part.as_uuid()));
        keyset.apply(&mut query, page)?;
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<MovementRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(StockMovement {
                    id: MovementId::from_uuid(r.id),
                    part: PartId::from_uuid(r.part_id),
                    kind: MovementKind::parse(&r.kind).map_err(|_| corrupt("movement kind", &r.kind))?,
                    delta_millis: r.delta_millis,
                    on_hand_after: quantity(r.after_millis)?,
                    work_order: r.work_order_id.map(WorkOrderId::from_uuid),
                    note: r.note,
                    user: UserId::from_uuid(r.user_id),
                    at: r.at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(keyset.page(items, page))
    }
}
