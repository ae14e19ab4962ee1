//! [`NoteRepo`] on the tenant database.

use pms_domain::ids::{HandoverItemId, NoteId, UserId};
use pms_domain::maintenance::notes::{HandoverCategory, HandoverFilter, HandoverItem, Note, NoteRepo, Subject};
use pms_domain::maintenance::paging::{Page, PageRequest, SortValue};
use pms_domain::store::StoreError;
use sea_query::{Expr, ExprTrait as _, PostgresQueryBuilder, Query};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{KeysetSort, SortKind};
use super::tx::TenantTx;
use crate::postgres::store_error;

type Time = chrono::DateTime<chrono::Utc>;

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in a tenant database")))
}

pub(crate) fn note_json(n: &Note) -> Value {
    json!({"id": n.id.to_string(), "subject_type": n.subject.kind(), "subject_id": n.subject.id(), "body": n.body, "author_id": n.author.to_string()})
}

pub(crate) fn handover_item_json(i: &HandoverItem) -> Value {
    json!({
        "id": i.id.to_string(), "subject_type": i.subject.map(Subject::kind), "subject_id": i.subject.map(Subject::id),
        "summary": i.summary, "category": i.category.as_str(), "author_id": i.author.to_string(),
    })
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Uuid,
    subject_type: String,
    subject_id: Uuid,
    body: String,
    author_id: Uuid,
    created_at: Time,
}

#[derive(sqlx::FromRow)]
struct HandoverRow {
    id: Uuid,
    subject_type: Option<String>,
    subject_id: Option<Uuid>,
    summary: String,
    category: String,
    author_id: Uuid,
    created_at: Time,
}

fn newest<T>(value_of: fn(&T) -> SortValue, id_of: fn(&T) -> Uuid) -> KeysetSort<T> {
    KeysetSort { name: "-created_at", column: "created_at", kind: SortKind::Time, descending: true, value_of, id_of }
}

impl NoteRepo for TenantTx {
    async fn insert_note(&mut self, n: &Note) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query("INSERT INTO notes (id, yacht_id, subject_type, subject_id, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(n.id.as_uuid())
            .bind(yacht)
            .bind(n.subject.kind())
            .bind(n.subject.id())
            .bind(&n.body)
            .bind(n.author.as_uuid())
            .bind(n.created_at)
            .execute(self.conn())
            .await
            .map(|_| ())
            .map_err(store_error)
    }

    async fn notes(&mut self, subject: Subject, page: &PageRequest) -> Result<Page<Note>, StoreError> {
        let keyset = newest::<Note>(|n| SortValue::Time(n.created_at), |n| n.id.as_uuid());
        let mut query = Query::select();
        query
            .columns(["id", "subject_type", "subject_id", "body", "author_id", "created_at"])
            .from("notes")
            .and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()))
            .and_where(Expr::col("subject_type").eq(subject.kind()))
            .and_where(Expr::col("subject_id").eq(subject.id()));
        keyset.apply(&mut query, page)?;
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<NoteRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(Note {
                    id: NoteId::from_uuid(r.id),
                    subject: Subject::from_parts(&r.subject_type, r.subject_id)
                        .ok_or_else(|| corrupt("subject type", &r.subject_type))?,
                    body: r.body,
                    author: UserId::from_uuid(r.author_id),
                    created_at: r.created_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(keyset.page(items, page))
    }

    async fn insert_handover_item(&mut self, i: &HandoverItem) -> Result<(), StoreError> {
        let yacht = self.yacht().as_uuid();
        sqlx::query(
            "INSERT INTO handover_items (id, yacht_id, subject_type, subject_id, summary, category, author_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(i.id.as_uuid())
        .bind(yacht)
        .bind(i.subject.map(Subject::kind))
        .bind(i.subject.map(Subject::id))
        .bind(&i.summary)
        .bind(i.category.as_str())
        .bind(i.author.as_uuid())
        .bind(i.created_at)
        .execute(self.conn())
        .await
        .map(|_| ())
        .map_err(store_error)
    }

    async fn handover(
        &mut self,
        filter: &HandoverFilter,
        page: &PageRequest,
    ) -> Result<Page<HandoverItem>, StoreError> {
        let keyset = newest::<HandoverItem>(|i| SortValue::Time(i.created_at), |i| i.id.as_uuid());
        let mut query = Query::select();
        query
            .columns(["id", "subject_type", "subject_id", "summary", "category", "author_id", "created_at"])
            .from("handover_items")
            .and_where(Expr::col("yacht_id").eq(self.yacht().as_uuid()));
        if !filter.category.is_empty() {
            query.and_where(Expr::col("category").is_in(filter.category.iter().map(|c| c.as_str())));
        }
        if let Some(since) = filter.since {
            query.and_where(Expr::col("created_at").gte(since));
        }
        keyset.apply(&mut query, page)?;
        let (sql, values) = query.build_sqlx(PostgresQueryBuilder);
        let rows: Vec<HandoverRow> =
            sqlx::query_as_with(sqlx::AssertSqlSafe(sql), values).fetch_all(self.conn()).await.map_err(store_error)?;
        let items = rows
            .into_iter()
            .map(|r| {
                let subject = match (r.subject_type, r.subject_id) {
                    (Some(kind), Some(id)) => {
                        Some(Subject::from_parts(&kind, id).ok_or_else(|| corrupt("subject type", &kind))?)
                    }
                    _ => None,
                };
                Ok(HandoverItem {
                    id: HandoverItemId::from_uuid(r.id),
                    subject,
                    summary: r.summary,
                    category: HandoverCategory::parse(&r.category).map_err(|_| corrupt("category", &r.category))?,
                    author: UserId::from_uuid(r.author_id),
                    created_at: r.created_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(keyset.page(items, page))
    }
}
