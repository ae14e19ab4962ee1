//! Tokens with their place in the query, normalised for matching.

/// A half-open range of character (Unicode scalar) offsets into the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One word, number or reference of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// As typed.
    pub raw: String,
    /// Lower-cased, apostrophes unified, surrounding punctuation removed.
    pub norm: String,
    pub span: Span,
    /// A clause boundary (`:`, ` - `, `;`, a full stop) follows this token.
    pub ends_clause: bool,
}

impl Token {
    pub fn is_number(&self) -> bool {
        parse_number(&self.norm).is_some()
    }
}

/// Characters that may join two word characters into one token: `WO-2026-031`, `A/C`, `don't`,
/// `12,450`, `3.5`.
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '/' | '\'' | '.' | ',' | '’' | '_')
}

/// Splits the query into tokens. Joiners stay inside a token only between two word characters,
/// so `fault:` and `stbd.` lose their punctuation but `F-2026-031` keeps its dashes.
pub fn tokenize(query: &str) -> Vec<Token> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            if is_boundary(&chars, i)
                && let Some(last) = tokens.last_mut()
            {
                last.ends_clause = true;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric()
                || (is_joiner(chars[i]) && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric()) && i > start))
        {
            i += 1;
        }
        let raw: String = chars[start..i].iter().collect();
        let norm = raw.to_lowercase().replace('’', "'");
        tokens.push(Token { raw, norm, span: Span { start, end: i }, ends_clause: false });
    }
    tokens
}

/// `:`, `;`, `!`, `?`, a full stop, or a dash with space around it end a clause: what follows is
/// usually the free text of a note or a title, not the command.
fn is_boundary(chars: &[char], i: usize) -> bool {
    match chars[i] {
        ':' | ';' | '!' | '?' | '.' => true,
        '-' | '–' | '—' => {
            let spaced_before = i == 0 || chars[i - 1].is_whitespace();
            let spaced_after = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
            spaced_before && spaced_after
        }
        _ => false,
    }
}

/// Reads `12`, `12,450`, `3.5`; `None` for anything else.
pub fn parse_number(text: &str) -> Option<f64> {
    let digits = text.replace(',', "");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // A comma groups thousands (`12,450`) or, written as much of Europe does, marks decimals
    // (`2,5`): never `1,2` read as twelve.
    let groups: Vec<&str> = text.split(',').collect();
    match groups.as_slice() {
        [whole, decimals] if (1..=2).contains(&decimals.len()) && !whole.contains('.') && !decimals.contains('.') => {
            return format!("{whole}.{decimals}").parse().ok();
        }
        [_, rest @ ..] if !rest.iter().all(|group| group.len() == 3) => return None,
        _ => {}
    }
    digits.parse().ok()
}

/// Number words a crew member types instead of digits.
pub fn number_word(word: &str) -> Option<f64> {
    let value = match word {
        "a" | "an" | "one" | "single" => 1.0,
        "two" | "pair" | "couple" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "dozen" => 12.0,
        "fifteen" => 15.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "hundred" => 100.0,
        _ => return None,
    };
    Some(value)
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), giving up once
/// it exceeds `limit`: `cretae` is one edit from `create`, `assing` one from `assign`.
pub fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![vec![0usize; width]; a.len() + 1];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i][0] = i;
        let mut best = rows[i][0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = value;
            best = best.min(value);
        }
        if best > limit {
            return None;
        }
    }
    let distance = rows[a.len()][b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(query: &str) -> Vec<String> {
        tokenize(query).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn references_and_numbers_stay_whole() {
        assert_eq!(norms("add 2 to WO-2026-031: at 12,450 h"), ["add", "2", "to", "wo-2026-031", "at", "12,450", "h"]);
        assert_eq!(norms("A/C chiller, don’t stop."), ["a/c", "chiller", "don't", "stop"]);
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let tokens = tokenize("né WO-1");
        assert_eq!(tokens[1].span, Span { start: 3, end: 7 });
    }

    #[test]
    fn clause_boundaries_are_marked() {
        let tokens = tokenize("log a defect - galley dishwasher: not draining");
        let ends: Vec<_> = tokens.iter().filter(|t| t.ends_clause).map(|t| t.norm.as_str()).collect();
        assert_eq!(ends, ["defect", "dishwasher"]);
    }

    #[test]
    fn numbers_read_grouped_and_decimal() {
        assert_eq!(parse_number("12,450"), Some(12_450.0));
        assert_eq!(parse_number("3.5"), Some(3.5));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("1,2345"), None);
        assert_eq!(parse_number("1,23,456"), None);
        assert_eq!(parse_number("e47"), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance_within("cretae", "create", 1), Some(1));
        assert_eq!(edit_distance_within("assing", "assign", 1), Some(1));
        assert_eq!(edit_distance_within("generator", "gnerator", 1), Some(1));
        assert_eq!(edit_distance_within("order", "border", 0), None);
    }
}
