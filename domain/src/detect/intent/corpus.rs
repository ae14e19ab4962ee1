//! The labelled corpus the intent model learns from: JSON lines written for this project (and
//! searches users gave a verdict on, appended from `pipeline-core detect export`), embedded in
//! the binary so the model is the same wherever it runs.

/// A corpus file: one voice (a kind of writer, or the users' verdicts).
#[derive(Debug)]
pub struct Voice {
    pub name: &'static str,
    text: &'static str,
}

macro_rules! voices {
    ($($name:literal),+ $(,)?) => {
        [$(Voice { name: $name, text: include_str!(concat!("../corpus/", $name, ".jsonl")) }),+]
    };
}

/// The corpus files, in a fixed order: the model depends on it.
pub const VOICES: [Voice; 14] = voices![
    "engineers",
    "international",
    "officers",
    "mixed",
    "conventions",
    "managers",
    "shorthand",
    "multilingual",
    "technical",
    "terse_office",
    "terse_crew",
    "questions",
    "chatty",
    "feedback",
];

/// One labelled line: a query and the action it means, or `None` for no action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub query: String,
    pub action: Option<String>,
}

/// Every example of the embedded corpus.
pub fn embedded() -> Vec<Example> {
    VOICES.iter().flat_map(Voice::examples).collect()
}

impl Voice {
    /// The voice's examples (none if a line is malformed: a test proves none is).
    pub fn examples(&self) -> Vec<Example> {
        parse(self.text).unwrap_or_default()
    }
}

/// The voice of this name.
pub fn voice(name: &str) -> Option<&'static Voice> {
    VOICES.iter().find(|v| v.name == name)
}

/// Every example but those of one voice: to measure how the model does on a writer it never read.
pub fn embedded_without(left_out: &str) -> Vec<Example> {
    VOICES.iter().filter(|v| v.name != left_out).flat_map(Voice::examples).collect()
}

/// Parses JSON lines of `{"query": …, "action": …}` (or an export line's `"expected"`); other
/// keys are ignored. The line number of the first bad line, if any.
pub fn parse(text: &str) -> Result<Vec<Example>, usize> {
    let mut examples = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields = object(line).ok_or(number + 1)?;
        let get = |key: &str| fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let query = get("query").flatten().ok_or(number + 1)?;
        let action = get("action").or_else(|| get("expected")).flatten();
        examples.push(Example { query, action });
    }
    Ok(examples)
}

/// A flat JSON object's keys with their string values (`None` for null and non-strings).
fn object(line: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut chars = line.trim().chars().peekable();
    let mut fields = Vec::new();
    expect(&mut chars, '{')?;
    loop {
        skip_space(&mut chars);
        if chars.peek() == Some(&'}') {
            chars.next();
            return Some(fields);
        }
        let key = string(&mut chars)?;
        skip_space(&mut chars);
        expect(&mut chars, ':')?;
        skip_space(&mut chars);
        let value = if chars.peek() == Some(&'"') {
            Some(string(&mut chars)?)
        } else {
            // null, a number or a boolean: read up to the next separator.
            while chars.peek().is_some_and(|c| !matches!(c, ',' | '}')) {
                chars.next();
            }
            None
        };
        fields.push((key, value));
        skip_space(&mut chars);
        match chars.next()? {
            ',' => {}
            '}' => return Some(fields),
            _ => return None,
        }
    }
}

fn skip_space(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

fn expect(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, wanted: char) -> Option<()> {
    (chars.next()? == wanted).then_some(())
}

fn string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    expect(chars, '"')?;
    let mut out = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' | 'f' => out.push(' '),
                'u' => {
                    let code: String = (0..4).map(|_| chars.next()).collect::<Option<_>>()?;
                    let unit = u32::from_str_radix(&code, 16).ok()?;
                    if (0xD800..0xDC00).contains(&unit) {
                        // A surrogate pair: the low half follows as another \uXXXX.
                        expect(chars, '\\')?;
                        expect(chars, 'u')?;
                        let low: String = (0..4).map(|_| chars.next()).collect::<Option<_>>()?;
                        let low = u32::from_str_radix(&low, 16).ok()?;
                        out.push(char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?);
                    } else {
                        out.push(char::from_u32(unit)?);
                    }
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_parse_with_escapes_nulls_and_export_keys() {
        let text = r#"{"query": "DG2 \"down\" \u00e9 \ud83d\udc4d", "action": "report_fault"}
{"query": "never mind", "action": null, "kind": "no_mutation"}

{"expected": "close_fault", "query": "E047 fixed", "confidence": 0.4, "detector": "local"}"#;
        let examples = parse(text).expect("parses");
        assert_eq!(examples[0].query, "DG2 \"down\" é 👍");
        assert_eq!(examples[0].action.as_deref(), Some("report_fault"));
        assert_eq!(examples[1].action, None);
        assert_eq!(examples[2].action.as_deref(), Some("close_fault"));
        assert_eq!(parse("{\"action\": \"x\"}"), Err(1), "a line without a query");
        assert_eq!(parse("not json"), Err(1));
    }

    #[test]
    fn every_embedded_line_parses_and_names_a_real_action() {
        for voice in &VOICES {
            let examples = parse(voice.text).expect("every line parses");
            for example in examples {
                if let Some(action) = &example.action {
                    assert!(crate::actions::find(action).is_some(), "{action:?} in {:?}", example.query);
                }
            }
        }
    }
}
