//! The audit trail on the tenant database: appending (hash-chained by `audit_append()` in SQL),
//! listing and verifying.

use pms_domain::ids::UserId;
use pms_domain::maintenance::Actor;
use pms_domain::maintenance::audit::{
    AuditEntry, AuditFilter, AuditLog, AuditRecord, AuditTrail, Audited, BreakKind, ChainVerification, EntityKind,
    Snapshot,
};
use pms_domain::maintenance::paging::{Cursor, InvalidCursor, Page, PageRequest, SortValue};
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::Value;
use uuid::Uuid;

use super::equipment::{equipment_json, reading_json};
use super::fault::fault_json;
use super::notes::{handover_item_json, note_json};
use super::paging::{KeysetSort, SortKind};
use super::part::part_json;
use super::purchase::purchase_json;
use super::schedule::schedule_json;
use super::tx::TenantTx;
use super::work_order::{checklist_item_json, work_order_json};
use crate::postgres::store_error;

/// The copy as JSON, written out by its kind; every kind has its writer, so an entry is never
/// stored without its record.
fn snapshot_json(snapshot: &Snapshot) -> Result<Value, StoreError> {
    fn write<T: Audited>(snapshot: &Snapshot, json: impl Fn(&T) -> Value) -> Result<Value, StoreError> {
        let kind = snapshot.kind().as_str();
        let record = snapshot.get::<T>().ok_or_else(|| StoreError::new(MisreportedKind(kind)))?;
        Ok(json(record))
    }
    match snapshot.kind() {
        EntityKind::Equipment => write(snapshot, equipment_json),
        EntityKind::RunningHoursReading => write(snapshot, reading_json),
        EntityKind::Fault => write(snapshot, fault_json),
        EntityKind::WorkOrder => write(snapshot, work_order_json),
        EntityKind::ChecklistItem => write(snapshot, checklist_item_json),
        EntityKind::Part => write(snapshot, part_json),
        EntityKind::Note => write(snapshot, note_json),
        EntityKind::HandoverItem => write(snapshot, handover_item_json),
        EntityKind::PurchaseRequest => write(snapshot, purchase_json),
        EntityKind::Schedule => write(snapshot, schedule_json),
    }
}

/// A record whose `Audited::kind` names another type: a bug, refused rather than stored.
#[derive(Debug, thiserror::Error)]
#[error("an audited record says it is a {0} but is not")]
struct MisreportedKind(&'static str);

impl AuditLog for TenantTx {
    async fn append(&mut self, actor: &Actor, entry: AuditEntry) -> Result<(), StoreError> {
        sqlx::query("SELECT audit_append($1, $2, $3, $4, $5, $6, $7)")
            .bind(actor.user.as_uuid())
            .bind(entry.action)
            .bind(entry.entity.as_str())
            .bind(entry.entity_id)
            .bind(entry.before.as_ref().map(snapshot_json).transpose()?)
            .bind(entry.after.as_ref().map(snapshot_json).transpose()?)
            .bind(actor.request_id.as_deref())
            .execute(self.conn())
            .await
            .map(|_| ())
            .map_err(store_error)
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    occurred_at: chrono::DateTime<chrono::Utc>,
    user_id: Option<Uuid>,
    action: String,
    entity_type: String,
    entity_id: Option<Uuid>,
    before: Option<Value>,
    after: Option<Value>,
    request_id: Option<String>,
}

impl From<AuditRow> for AuditRecord {
    fn from(row: AuditRow) -> Self {
        Self {
            seq: row.seq,
            occurred_at: row.occurred_at,
            user: row.user_id.map(UserId::from_uuid),
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            before: row.before.map(|v| v.to_string()),
            after: row.after.map(|v| v.to_string()),
            request_id: row.request_id,
        }
    }
}

/// Newest first; the cursor is the sequence number.
const BY_SEQ: KeysetSort<AuditRow> = KeysetSort {
    name: "-seq",
    column: "seq",
    kind: SortKind::Integer,
    descending: true,
    value_of: |row| SortValue::Integer(row.seq),
    id_of: |_| Uuid::nil(),
};

/// Entry count, last entry's seq and hash, and the head's seq and hash.
type Tail = (i64, Option<i64>, Option<Vec<u8>>, Option<i64>, Option<Vec<u8>>);

/// The genesis link of every chain.
const ZERO_HASH: [u8; 32] = [0; 32];

impl AuditTrail for TenantTx {
    async fn entries(&mut self, filter: &AuditFilter, page: &PageRequest) -> Result<Page<AuditRecord>, StoreError> {
        let mut query = Query::select();
        query
            .columns([
                "seq",
                "occurred_at",
                "user_id",
                "action",
                "entity_type",
                "entity_id",
                "before",
                "after",
                "request_id",
            ])
            .from("audit_log")
            .and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()));
        if let Some(entity) = filter.entity {
            query.and_where(Expr::col("entity_type").eq(entity.as_str()));
        }
        if let Some(id) = filter.entity_id {
            query.and_where(Expr::col("entity_id").eq(id));
        }
        if let Some(user) = filter.user {
            query.and_where(Expr::col("user_id").eq(user.as_uuid()));
        }
        if let Some(from) = filter.from {
            query.and_where(Expr::col("occurred_at").gte(from));
        }
        if let Some(to) = filter.to {
            query.and_where(Expr::col("occurred_at").lt(to));
        }
        // The cursor's id is unused (seq is unique): compare on seq alone.
        match &page.after {
            None => {}
            Some(Cursor { sort, value: SortValue::Integer(seq), .. }) if sort == BY_SEQ.name => {
                query.and_where(Expr::cust_with_values("seq < CAST($1 AS bigint)", [*seq]));
            }
            Some(_) => return Err(InvalidCursor.into()),
        }
        query.order_by("seq", sea_query::Order::Desc).limit(u64::from(page.limit) + 1);
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<AuditRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let page = BY_SEQ.page(rows, page);
        Ok(Page { items: page.items.into_iter().map(Into::into).collect(), next: page.next })
    }

    async fn verify(&mut self) -> Result<ChainVerification, StoreError> {
        let yacht = self.yacht().as_uuid();
        let first_break: Option<(i64, bool, bool)> = sqlx::query_as(
            "SELECT seq, link_ok, content_ok FROM (
                 SELECT seq,
                        prev_hash = coalesce(lag(hash) OVER chain, $2) AND seq = row_number() OVER chain AS link_ok,
                        hash = sha256(prev_hash || audit_payload(a)) AS content_ok
                 FROM audit_log a WHERE yacht_id = $1
                 WINDOW chain AS (ORDER BY seq)
             ) checked
             WHERE NOT (link_ok AND content_ok)
             ORDER BY seq LIMIT 1",
        )
        .bind(yacht)
        .bind(ZERO_HASH.as_slice())
        .fetch_optional(self.conn())
        .await
        .map_err(store_error)?;
        if let Some((seq, link_ok, _)) = first_break {
            let kind = if link_ok { BreakKind::ContentAltered } else { BreakKind::LinkBroken };
            return Ok(ChainVerification::Broken { seq, kind });
        }
        let (entries, last_seq, last_hash, head_seq, head_hash): Tail = sqlx::query_as(
            "SELECT (SELECT count(*) FROM audit_log WHERE yacht_id = $1),
                    (SELECT max(seq) FROM audit_log WHERE yacht_id = $1),
                    (SELECT hash FROM audit_log WHERE yacht_id = $1 ORDER BY seq DESC LIMIT 1),
                    (SELECT last_seq FROM audit_chain_heads WHERE yacht_id = $1),
                    (SELECT last_hash FROM audit_chain_heads WHERE yacht_id = $1)",
        )
        .bind(yacht)
        .fetch_one(self.conn())
        .await
        .map_err(store_error)?;
        // The head records the last entry ever appended: a shorter chain lost its tail.
        let tail_intact = match head_seq.zip(head_hash) {
            None => last_seq.is_none(),
            Some((seq, hash)) => last_seq == Some(seq) && last_hash.as_deref() == Some(hash.as_slice()),
        };
        if tail_intact {
            Ok(ChainVerification::Intact { entries })
        } else {
            Ok(ChainVerification::Broken { seq: last_seq.unwrap_or(0) + 1, kind: BreakKind::TailMissing })
        }
    }
}
