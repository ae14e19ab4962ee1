//! Free-text fields: trimmed, bounded, free of control characters (newlines allowed in notes).

/// Why a text field was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("must not contain control or bidirectional formatting characters")]
    ControlCharacter,
}

/// Bidirectional formatting characters: invisible, and able to make a name read differently
/// from what it holds (U+202E turns the rest of a line around).
const BIDI_CONTROLS: [char; 12] = [
    '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}',
    '\u{2067}', '\u{2068}', '\u{2069}',
];

/// Whether `c` may appear in a single-line text such as a name or a title: no control and no
/// bidirectional formatting character. The API's single-line schema patterns exclude the same.
pub fn is_line_char(c: char) -> bool {
    !c.is_control() && !BIDI_CONTROLS.contains(&c)
}

/// A required single-line text of at most `max` characters, trimmed.
pub fn line(raw: &str, max: usize) -> Result<String, TextError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    if !text.chars().all(is_line_char) {
        return Err(TextError::ControlCharacter);
    }
    Ok(text.to_owned())
}

/// An optional single-line text: blank means absent.
pub fn optional_line(raw: Option<&str>, max: usize) -> Result<Option<String>, TextError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => line(text, max).map(Some),
    }
}

/// A multi-line text (notes, descriptions): newlines and tabs allowed, other controls not.
pub fn paragraph(raw: &str, max: usize) -> Result<String, TextError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(TextError::ControlCharacter);
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_refuse_controls_and_bidirectional_formatting() {
        for bad in ["a\nb", "a\u{1}b", "\u{1b}[31mred", "Aurora\u{202e}txt.exe", "a\u{2066}b", "a\u{200f}b"] {
            assert_eq!(line(bad, 50), Err(TextError::ControlCharacter), "{bad:?}");
        }
        assert_eq!(line("M/Y Ωmega — Ålesund", 50), Ok("M/Y Ωmega — Ålesund".to_owned()));
    }

    #[test]
    fn lines_are_trimmed_bounded_and_single_line() {
        assert_eq!(line("  Port main engine ", 50), Ok("Port main engine".to_owned()));
        assert_eq!(line("   ", 50), Err(TextError::Empty));
        assert_eq!(line("abcdef", 5), Err(TextError::TooLong(5)));
        assert_eq!(line("two\nlines", 50), Err(TextError::ControlCharacter));
        assert_eq!(optional_line(Some("  "), 5), Ok(None));
        assert_eq!(optional_line(None, 5), Ok(None));
    }

    #[test]
    fn paragraphs_keep_newlines_but_refuse_other_controls() {
        assert_eq!(paragraph("Oil leak\nat the filter housing", 100).map(|t| t.lines().count()), Ok(2));
        assert_eq!(paragraph("bell\u{7}", 100), Err(TextError::ControlCharacter));
    }
}
