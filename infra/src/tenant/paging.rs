//! Keyset pagination in SQL: the condition that continues after a cursor, and the cursor of a
//! page's last row.

use pms_domain::maintenance::paging::{Cursor, InvalidCursor, Page, PageRequest, SortValue};
use pms_domain::store::StoreError;
use sea_query::{Expr, Order, SelectStatement, Value};
use uuid::Uuid;

/// The SQL type of a sort column. The keyset condition casts its parameters to it, and a cursor
/// whose value is of another type is refused: a statement's parameter types are fixed by its
/// text, so no cursor can change how a cached statement reads its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKind {
    Text,
    Time,
    Date,
    Integer,
}

impl SortKind {
    fn sql_type(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Time => "timestamptz",
            Self::Date => "date",
            Self::Integer => "bigint",
        }
    }

    /// The value as a parameter of this kind, or `None` when it is of another kind.
    fn parameter(self, value: &SortValue) -> Option<Value> {
        match (self, value) {
            (Self::Text, SortValue::Text(text)) if !text.contains('\0') => Some(text.clone().into()),
            (Self::Time, SortValue::Time(time)) => Some((*time).into()),
            (Self::Date, SortValue::Date(date)) => Some((*date).into()),
            (Self::Integer, SortValue::Integer(number)) => Some((*number).into()),
            _ => None,
        }
    }
}

/// How one list is sorted: the sort expression, its type and direction, and how to read the
/// sort value of a row.
pub struct KeysetSort<T> {
    pub name: &'static str,
    /// A column or an SQL expression of our own (never user input).
    pub column: &'static str,
    pub kind: SortKind,
    pub descending: bool,
    pub value_of: fn(&T) -> SortValue,
    pub id_of: fn(&T) -> Uuid,
}

impl<T> KeysetSort<T> {
    /// Orders `query`, continues it after the page's cursor and fetches one row more than the
    /// page, which tells whether another page follows. A cursor of another sort or value type
    /// is [`InvalidCursor`].
    pub fn apply(&self, query: &mut SelectStatement, page: &PageRequest) -> Result<(), StoreError> {
        if let Some(Cursor { sort, value, id }) = &page.after {
            let value = self.kind.parameter(value).filter(|_| sort == self.name).ok_or(InvalidCursor)?;
            let (column, ty, op) = (self.column, self.kind.sql_type(), if self.descending { "<" } else { ">" });
            query.and_where(Expr::cust_with_values(
                format!("({column}, id) {op} (CAST($1 AS {ty}), CAST($2 AS uuid))"),
                [value, (*id).into()],
            ));
        }
        let order = if self.descending { Order::Desc } else { Order::Asc };
        query
            .order_by_expr(Expr::cust(self.column), order.clone())
            .order_by("id", order)
            .limit(u64::from(page.limit) + 1);
        Ok(())
    }

    /// Turns `limit + 1` rows into a page and the cursor after its last item.
    pub fn page(&self, mut rows: Vec<T>, page: &PageRequest) -> Page<T> {
        let limit = page.limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = more.then(|| rows.last()).flatten().map(|last| Cursor {
            sort: self.name.to_owned(),
            value: (self.value_of)(last),
            id: (self.id_of)(last),
        });
        Page { items: rows, next }
    }
}

/// The most words of a text filter that are matched; more only slow the query down.
const MAX_FILTER_WORDS: usize = 8;

/// A text filter: every word must match `document` (a `tsvector` column) by prefix, or one of
/// `columns` by substring, or (words of four letters or more) `fuzzy_column` by trigram word
/// similarity, which tolerates typos.
pub fn every_word_matches(text: &str, document: &str, columns: &[&str], fuzzy_column: &str) -> Vec<Expr> {
    text.split_whitespace()
        .take(MAX_FILTER_WORDS)
        .map(|word| {
            // Only letters and digits reach to_tsquery, whose syntax would otherwise be injectable.
            let lexeme: String = word.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
            let mut alternatives = Vec::new();
            let mut values: Vec<Value> = Vec::new();
            if !lexeme.is_empty() {
                values.push(format!("{lexeme}:*").into());
                alternatives.push(format!("{document} @@ to_tsquery('simple', ${})", values.len()));
            }
            values.push(like_contains(word).into());
            let pattern = values.len();
            alternatives.extend(columns.iter().map(|column| format!("{column} ILIKE ${pattern} ESCAPE '\\'")));
            if word.chars().count() >= 4 {
                values.push(word.to_owned().into());
                alternatives.push(format!("word_similarity(${}, {fuzzy_column}) > 0.5", values.len()));
            }
            Expr::cust_with_values(format!("({})", alternatives.join(" OR ")), values)
        })
        .collect()
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
pub fn like_contains(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    const BY_DUE: KeysetSort<()> = KeysetSort {
        name: "due_on",
        column: "coalesce(due_on, DATE '9999-12-31')",
        kind: SortKind::Date,
        descending: false,
        value_of: |()| SortValue::Date(chrono::NaiveDate::MIN),
        id_of: |()| Uuid::nil(),
    };

    fn after(sort: &str, value: SortValue) -> PageRequest {
        PageRequest::new(Some(2), Some(Cursor { sort: sort.to_owned(), value, id: Uuid::nil() }))
    }

    #[test]
    fn the_keyset_condition_fixes_its_parameter_types_in_the_sql() {
        use sea_query::PostgresQueryBuilder;
        let mut query = sea_query::Query::select();
        query.column("id").from("work_orders");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        BY_DUE.apply(&mut query, &after("due_on", SortValue::Date(date))).expect("a cursor of this sort");
        let (sql, _) = query.build(PostgresQueryBuilder);
        assert!(sql.contains("> (CAST($1 AS date), CAST($2 AS uuid))"), "{sql}");
    }

    #[test]
    fn a_cursor_of_another_sort_or_value_type_is_refused_before_any_sql() {
        let time = chrono::DateTime::UNIX_EPOCH;
        for page in [
            after("due_on", SortValue::Time(time)),
            after("due_on", SortValue::Text("2026-12-03".to_owned())),
            after("due_on", SortValue::Integer(1)),
            after("-created_at", SortValue::Date(chrono::NaiveDate::MIN)),
        ] {
            let mut query = sea_query::Query::select();
            let error = BY_DUE.apply(&mut query, &page).expect_err("refused");
            assert!(error.is_invalid_cursor(), "{page:?}");
        }
        let text = KeysetSort::<()> { kind: SortKind::Text, name: "code", column: "code", ..BY_DUE };
        let nul = after("code", SortValue::Text("a\0b".to_owned()));
        assert!(text.apply(&mut sea_query::Query::select(), &nul).expect_err("refused").is_invalid_cursor());
    }

    #[test]
    fn like_metacharacters_match_literally() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_contains("pump"), "%pump%");
    }
}
