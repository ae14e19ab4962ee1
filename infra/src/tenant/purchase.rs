//! [`PurchaseRepo`] on the tenant database.

use pms_domain::ids::{PartId, PurchaseRequestId, UserId};
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::maintenance::part::Quantity;
use pms_domain::maintenance::purchase::{PurchaseRepo, PurchaseRequest, PurchaseStatus};
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query, SelectStatement};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{KeysetSort, SortKind};
use super::tx::TenantTx;
use crate::postgres::store_error;

type Time = chrono::DateTime<chrono::Utc>;

#[derive(sqlx::FromRow)]
struct PurchaseRow {
    id: Uuid,
    part_id: Uuid,
    quantity_millis: i64,
    reason: Option<String>,
    status: String,
    requested_by: Uuid,
    decided_by: Option<Uuid>,
    decided_at: Option<Time>,
    decision_note: Option<String>,
    ordered_at: Option<Time>,
    received_at: Option<Time>,
    version: i32,
    created_at: Time,
    updated_at: Time,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in a tenant database")))
}

impl TryFrom<PurchaseRow> for PurchaseRequest {
    type Error = StoreError;

    fn try_from(r: PurchaseRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: PurchaseRequestId::from_uuid(r.id),
            part: PartId::from_uuid(r.part_id),
            quantity: Quantity::from_millis(r.quantity_millis)
                .map_err(|_| corrupt("quantity", &r.quantity_millis.to_string()))?,
            reason: r.reason,
            status: PurchaseStatus::parse(&r.status).map_err(|_| corrupt("status", &r.status))?,
            requested_by: UserId::from_uuid(r.requested_by),
            decided: r.decided_by.map(UserId::from_uuid).zip(r.decided_at),
            decision_note: r.decision_note,
            ordered_at: r.ordered_at,
            received_at: r.received_at,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

pub(crate) fn purchase_json(p: &PurchaseRequest) -> Value {
    json!({
        "id": p.id.to_string(), "part_id": p.part.to_string(), "quantity": p.quantity.as_f64(), "reason": p.reason,
        "status": p.status.as_str(), "requested_by": p.requested_by.to_string(),
        "decided_by": p.decided.map(|(u, _)| u.to_string()), "decision_note": p.decision_note, "version": p.version,
    })
}

fn select(yacht: Uuid) -> SelectStatement {
    let mut query = Query::select();
    query
        .columns([
            "id",
            "part_id",
            "reason",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "ordered_at",
            "received_at",
            "version",
            "created_at",
            "updated_at",
        ])
        .expr_as(Expr::cust("(quantity * 1000)::bigint"), "quantity_millis")
        .from("purchase_requests")
        .and_where(Expr::col("yacht_id").eq(yacht));
    query
}

async fn fetch(tx: &mut TenantTx, query: &SelectStatement) -> Result<Vec<PurchaseRequest>, StoreError> {
    let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
    let rows: Vec<PurchaseRow> =
        sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(tx.conn()).await.map_err(store_error)?;
    rows.into_iter().map(PurchaseRequest::try_from).collect()
}

fn decimal(q: Quantity) -> String {
    format!("{}.{:03}", q.millis() / 1000, q.millis() % 1000)
}

const NEWEST: KeysetSort<PurchaseRequest> = KeysetSort {
    name: "-created_at",
    column: "created_at",
    kind: SortKind::Time,
    descending: true,
    value_of: |p| SortValue::Time(p.created_at),
    id_of: |p| p.id.as_uuid(),
};

impl PurchaseRepo for TenantTx {
    async fn purchase_request(&mut self, id: PurchaseRequestId) -> Result<Option<PurchaseRequest>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        query.and_where(Expr::col("id").eq(id.as_uuid()));
        Ok(fetch(self, &query).await?.pop())
    }

    async fn purchase_request_for_update(
        &mut self,
        id: PurchaseRequestId,
    ) -> Result<Option<PurchaseRequest>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        query.and_where(Expr::col("id").eq(id.as_uuid())).lock(sea_query::LockType::Update);
        Ok(fetch(self, &query).await?.pop())
    }

    async fn insert_purchase_request(&mut self, p: &PurchaseRequest) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO purchase_requests (id, yacht_id, part_id, quantity, reason, status, requested_by, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4::numeric, $5, $6, $7, $8, $9, $10)",
        )
        .bind(p.id.as_uuid())
        .bind(yacht)
        .bind(p.part.as_uuid())
        .bind(decimal(p.quantity))
        .bind(&p.reason)
        .bind(p.status.as_str())
        .bind(p.requested_by.as_uuid())
        .bind(p.version)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn update_purchase_request(&mut self, p: &PurchaseRequest) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "UPDATE purchase_requests SET status = $3, decided_by = $4, decided_at = $5, decision_note = $6, ordered_at = $7,
                    received_at = $8, version = $9, updated_at = $10
             WHERE yacht_id = $1 AND id = $2",
        )
        .bind(yacht)
        .bind(p.id.as_uuid())
        .bind(p.status.as_str())
        .bind(p.decided.map(|(u, _)| u.as_uuid()))
        .bind(p.decided.map(|(_, at)| at))
        .bind(&p.decision_note)
        .bind(p.ordered_at)
        .bind(p.received_at)
        .bind(p.version)
        .bind(p.updated_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn purchase_requests(
        &mut self,
        status: &[PurchaseStatus],
        page: &PageRequest,
    ) -> Result<Page<PurchaseRequest>, StoreError> {
        let mut query = select(self.yacht().as_uuid());
        if !status.is_empty() {
            query.and_where(Expr::col("status").is_in(status.iter().map(|s| s.as_str())));
        }
        NEWEST.apply(&mut query, page)?;
        let items = fetch(self, &query).await?;
        Ok(NEWEST.page(items, page))
    }
}
