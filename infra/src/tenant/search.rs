//! The search bar's queries: which records a phrase names (trigram similarity on names and
//! codes), which work order a number names, and the yacht's records ranked for a set of terms
//! (full-text rank plus trigram similarity).

use pms_domain::store::StoreError;
use serde::Serialize;
use uuid::Uuid;

use super::tx::TenantTx;
use crate::postgres::store_error;

/// A record a phrase may name, best first.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct NamedRecord {
    pub id: Uuid,
    pub name: String,
    /// Equipment code or part number.
    pub code: String,
    /// How well the phrase matches, 0 to 1.
    pub score: f64,
}

/// The lowest score a name match needs to count.
const NAME_MATCH: f64 = 0.45;

/// Equipment whose name or code the phrase matches. `phrase` is the detector's normalised form
/// (`generator 2`), `typed` what the user wrote (`DG2`), compared with the code.
pub async fn equipment_named(
    tx: &mut TenantTx,
    phrase: &str,
    typed: &str,
    limit: i64,
) -> Result<Vec<NamedRecord>, StoreError> {
    let yacht = tx.yacht().as_uuid();
    sqlx::query_as(
        "SELECT id, name, code, score FROM (
             SELECT id, name, code,
                    CASE WHEN regexp_replace(lower(code), '[^a-z0-9]', '', 'g')
                              = regexp_replace(lower($3), '[^a-z0-9]', '', 'g') THEN 1.0
                         ELSE 0.7 * word_similarity($2, name) + 0.3 * similarity($2, name) END::float8 AS score
             FROM equipment
             WHERE yacht_id = $1 AND status <> 'decommissioned'
         ) matched
         WHERE score >= $4
         ORDER BY score DESC, length(name), code
         LIMIT $5",
    )
    .bind(yacht)
    .bind(phrase)
    .bind(typed)
    .bind(NAME_MATCH)
    .bind(limit)
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)
}

/// Parts whose name or number the phrase matches; `context` (the equipment named alongside,
/// if any) breaks ties between the same part for different equipment.
pub async fn parts_named(
    tx: &mut TenantTx,
    phrase: &str,
    context: Option<&str>,
    limit: i64,
) -> Result<Vec<NamedRecord>, StoreError> {
    let yacht = tx.yacht().as_uuid();
    sqlx::query_as(
        "SELECT id, name, code, score FROM (
             SELECT id, name, number AS code,
                    CASE WHEN upper(number) = upper($2) THEN 1.0
                         ELSE 0.7 * word_similarity($2, name) + 0.3 * similarity($2, name)
                              + CASE WHEN $3::text IS NULL THEN 0 ELSE 0.1 * word_similarity($3, name) END
                    END::float8 AS score
             FROM parts
             WHERE yacht_id = $1
         ) matched
         WHERE score >= $4
         ORDER BY score DESC, length(name), code
         LIMIT $5",
    )
    .bind(yacht)
    .bind(phrase)
    .bind(context)
    .bind(NAME_MATCH)
    .bind(limit)
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)
}

/// The work order with this number: `2026-031` exactly, or `57` as the sequence in the latest
/// year that has it.
pub async fn work_order_numbered(tx: &mut TenantTx, number: &str) -> Result<Option<NamedRecord>, StoreError> {
    let yacht = tx.yacht().as_uuid();
    let (year, sequence) = match number.split_once('-') {
        Some((year, sequence)) => (year.parse::<i32>().ok(), sequence.parse::<i32>().ok()),
        None => (None, number.parse::<i32>().ok()),
    };
    let Some(sequence) = sequence else { return Ok(None) };
    sqlx::query_as(
        "SELECT id, title AS name,
                'WO-' || number_year || '-' || lpad(number_sequence::text, 4, '0') AS code, 1.0::float8 AS score
         FROM work_orders
         WHERE yacht_id = $1 AND number_sequence = $3 AND ($2::int IS NULL OR number_year = $2)
         ORDER BY number_year DESC
         LIMIT 1",
    )
    .bind(yacht)
    .bind(year)
    .bind(sequence)
    .fetch_optional(tx.conn())
    .await
    .map_err(store_error)
}

/// A record the terms found.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Hit {
    /// `equipment`, `fault`, `work_order` or `part`.
    pub entity_type: String,
    pub id: Uuid,
    pub title: String,
    /// The record's status (`operational`, `open`, `planned`…); parts have none.
    pub status: Option<String>,
    pub score: f64,
}

/// Equipment, faults, work orders and parts matching any of `terms` (plain lower-case words),
/// by full-text rank with prefix matching plus trigram similarity of the title; best first.
pub async fn records_matching(tx: &mut TenantTx, terms: &[String], limit: i64) -> Result<Vec<Hit>, StoreError> {
    let words: Vec<&str> =
        terms.iter().map(String::as_str).filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric)).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    // Only letters and digits reach the tsquery, so none of its operators can be injected.
    let tsquery = words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" | ");
    let text = words.join(" ");
    let yacht = tx.yacht().as_uuid();
    sqlx::query_as(
        "WITH q AS (SELECT to_tsquery('simple', $2) AS tsq)
         SELECT entity_type, id, title, status, score::float8 AS score FROM (
             SELECT 'equipment' AS entity_type, e.id, e.code || ' ' || e.name AS title, e.status,
                    ts_rank(e.search, q.tsq) + word_similarity($3, e.name) AS score
             FROM equipment e, q WHERE e.yacht_id = $1 AND e.search @@ q.tsq
             UNION ALL
             SELECT 'fault', f.id, coalesce(f.code || ' ', '') || f.title, f.status,
                    ts_rank(f.search, q.tsq) + word_similarity($3, f.title)
             FROM faults f, q WHERE f.yacht_id = $1 AND f.search @@ q.tsq
             UNION ALL
             SELECT 'work_order', w.id,
                    'WO-' || w.number_year || '-' || lpad(w.number_sequence::text, 4, '0') || ' ' || w.title, w.status,
                    ts_rank(w.search, q.tsq) + word_similarity($3, w.title)
             FROM work_orders w, q WHERE w.yacht_id = $1 AND w.search @@ q.tsq
             UNION ALL
             SELECT 'part', p.id, p.number || ' ' || p.name, NULL,
                    ts_rank(p.search, q.tsq) + word_similarity($3, p.name)
             FROM parts p, q WHERE p.yacht_id = $1 AND p.search @@ q.tsq
         ) hits
         ORDER BY score DESC, title
         LIMIT $4",
    )
    .bind(yacht)
    .bind(tsquery)
    .bind(text)
    .bind(limit)
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)
}
