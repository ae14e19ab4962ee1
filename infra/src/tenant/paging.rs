//! Keyset pagination in SQL: the condition that continues after a cursor, and the cursor of a
//! page's last row.

use pms_domain::maintenance::paging::{Cursor, Page, PageRequest, SortValue};
use sea_query::{Expr, ExprTrait as _, Order, SelectStatement, Value};
use uuid::Uuid;

/// How one list is sorted: the sort expression, its direction, and how to read the sort value of
/// a row.
pub struct KeysetSort<T> {
    pub name: &'static str,
    /// A column or an SQL expression of our own (never user input).
    pub column: &'static str,
    pub descending: bool,
    pub value_of: fn(&T) -> SortValue,
    pub id_of: fn(&T) -> Uuid,
}

fn sql_value(value: &SortValue) -> Value {
    match value {
        SortValue::Text(text) => text.clone().into(),
        SortValue::Time(time) => (*time).into(),
        SortValue::Date(date) => (*date).into(),
        SortValue::Number(number) => (*number).into(),
    }
}

impl<T> KeysetSort<T> {
    /// Orders `query`, continues it after the page's cursor and fetches one row more than the
    /// page, which tells whether another page follows.
    pub fn apply(&self, query: &mut SelectStatement, page: &PageRequest) {
        if let Some(Cursor { value, id, .. }) = &page.after {
            let key = Expr::tuple([Expr::cust(self.column), Expr::col("id")]);
            let after = Expr::tuple([Expr::val(sql_value(value)), Expr::val(*id)]);
            query.and_where(if self.descending { key.lt(after) } else { key.gt(after) });
        }
        let order = if self.descending { Order::Desc } else { Order::Asc };
        query
            .order_by_expr(Expr::cust(self.column), order.clone())
            .order_by("id", order)
            .limit(u64::from(page.limit) + 1);
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

    #[test]
    fn like_metacharacters_match_literally() {
        assert_eq!(like_contains("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_contains("pump"), "%pump%");
    }
}
