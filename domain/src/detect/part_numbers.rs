//! Maker part numbers as crews type them — `GM32359`, `NAI-115-0304`, `0900-1234`,
//! `X00040436/ME-S` — found whole, before the tokenizer's splitting could scatter them into
//! numbers and codes. Only the yacht's catalogue can say whether one is stocked; this decides
//! what is worth asking it.

use super::vocabulary::is_equipment_code;

/// Each word of `query` shaped like a part number: its char range and the number upper-cased.
pub fn find(query: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<char> = query.chars().collect();
    let mut found = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        if chars[start].is_whitespace() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < chars.len() && !chars[end].is_whitespace() {
            end += 1;
        }
        let (mut from, mut to) = (start, end);
        while from < to && !chars[from].is_ascii_alphanumeric() {
            from += 1;
        }
        while to > from && !chars[to - 1].is_ascii_alphanumeric() {
            to -= 1;
        }
        let word: String = chars[from..to].iter().collect();
        if is_part_number(&word) {
            found.push((from, to, word.to_uppercase()));
        }
        start = end;
    }
    found
}

/// At least five letters and digits, two of them digits, in a maker's punctuation; not an
/// equipment code (`DG-1`), a reading with its unit (`12450hrs`, `1400rpm`), an oil grade
/// (`15W40`), a date or a plain number.
fn is_part_number(word: &str) -> bool {
    let alphanumerics = word.chars().filter(char::is_ascii_alphanumeric).count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let letters = alphanumerics - digits;
    if alphanumerics < 5
        || digits < 2
        || !word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | '_'))
        || is_equipment_code(&word.to_lowercase())
        || is_oil_grade(word)
    {
        return false;
    }
    if letters == 0 {
        // `0900-1234`, `587141-02`; not `12.5`, `15/01/2027` or `2026-12-04`.
        let groups: Vec<&str> = word.split('-').collect();
        return groups.len() == 2
            && digits >= 6
            && groups.iter().all(|g| g.len() >= 2 && g.chars().all(|c| c.is_ascii_digit()));
    }
    let glued_unit = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    !(glued_unit.len() < word.len() && glued_unit.len() <= 5 && glued_unit.chars().all(|c| c.is_ascii_alphabetic()))
}

/// `15W40`, `10w-30`, `SAE30`: a viscosity, written where a part would be.
fn is_oil_grade(word: &str) -> bool {
    let lower = word.to_ascii_lowercase().replace('-', "");
    let grade = lower.strip_prefix("sae").unwrap_or(&lower);
    match grade.split_once('w') {
        Some((cold, hot)) => {
            (1..=2).contains(&cold.len())
                && (2..=3).contains(&hot.len())
                && format!("{cold}{hot}").chars().all(|c| c.is_ascii_digit())
        }
        None => lower.starts_with("sae") && grade.chars().all(|c| c.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn part_numbers_are_found_whole_and_other_codes_are_not() {
        let numbers = |query: &str| find(query).into_iter().map(|(.., n)| n).collect::<Vec<_>>();
        for (query, expected) in [
            ("stock of GM32359?", vec!["GM32359"]),
            ("how many X00040436/ME-S left", vec!["X00040436/ME-S"]),
            ("order 2 of NAI-115-0304, 0900-1234 too", vec!["NAI-115-0304", "0900-1234"]),
            ("used 1x 6ce-w0078-00 on the tender", vec!["6CE-W0078-00"]),
            ("DG-1 at 12450hrs, 1400rpm, 24.5v", vec![]),
            ("due 15/01/2027 or 2026-12-04", vec![]),
            ("WO 57 on gen2 and ME-P, 12,450 hours", vec![]),
            ("the 99EFOZ and B-1214", vec!["B-1214"]),
            ("use 15W40 only, or SAE 30 / 10w-30", vec![]),
        ] {
            assert_eq!(numbers(query), expected, "{query}");
        }
    }
}
