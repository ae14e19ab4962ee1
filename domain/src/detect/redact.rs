//! Redaction: what of a query may leave the yacht (to a language model) or be kept (in the
//! search log). Emails, phone numbers, URLs carrying credentials, keys and tokens, secrets
//! after `password:`/`token=` and card numbers become placeholders; the words a maintenance
//! request is made of — equipment, part numbers, `WO-2026-031`, `SPN 110 FMI 0`, `12,450
//! hours` — stay as typed.

/// What replaced a secret.
const EMAIL: &str = "[email]";
const PHONE: &str = "[phone]";
const URL: &str = "[url]";
const SECRET: &str = "[secret]";
const CARD: &str = "[card]";

/// Words after which the next word is a secret (`password hunter2`, `token=abc`).
const SECRET_LABELS: &[&str] =
    &["password", "passwd", "pwd", "passcode", "secret", "token", "apikey", "api_key", "api-key"];
/// Labels that are also maintenance words (`shear pin`, `key switch`): secrets only with `:`/`=`.
const COLON_LABELS: &[&str] = &["pin", "key"];

/// The query with every secret replaced by a placeholder.
pub fn redact(query: &str) -> String {
    let words = redact_words(query);
    redact_digit_runs(&words)
}

/// Whole-word secrets: emails, credential URLs, keys and tokens, labelled secrets.
fn redact_words(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut secret_follows = false;
    let mut rest = query;
    while !rest.is_empty() {
        let space = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..space]);
        rest = &rest[space..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        if word.is_empty() {
            continue;
        }
        let (label, value) = split_label(word);
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            // `token=abc123` in one word.
            out.push_str(label);
            out.push_str(&word[label.len()..word.len() - value.len()]);
            out.push_str(SECRET);
            secret_follows = false;
            continue;
        }
        if secret_follows && !is_filler(word) {
            // A labelled secret may end in punctuation of its own: the whole word goes.
            out.push_str(SECRET);
            secret_follows = false;
            continue;
        }
        let replacement = secret_kind(word);
        if is_label(word) {
            secret_follows = true;
        } else if !is_filler(word) {
            secret_follows = false;
        }
        match replacement {
            Some(placeholder) => {
                let (lead, core, trail) = trim_punctuation(word);
                out.push_str(lead);
                out.push_str(if core.is_empty() { word } else { placeholder });
                out.push_str(trail);
            }
            None => out.push_str(word),
        }
    }
    out
}

/// `password=x` / `token:x` → (`password`, Some(`x`)); other words → (word, None).
fn split_label(word: &str) -> (&str, Option<&str>) {
    if let Some(at) = word.find(['=', ':']) {
        let (label, value) = (&word[..at], &word[at + 1..]);
        let label_lower = label.to_lowercase();
        let labelled = SECRET_LABELS.contains(&label_lower.as_str()) || COLON_LABELS.contains(&label_lower.as_str());
        if labelled && !value.contains("//") {
            return (label, Some(value));
        }
    }
    (word, None)
}

fn is_label(word: &str) -> bool {
    let bare = word.trim_end_matches([':', '=']).to_lowercase();
    SECRET_LABELS.contains(&bare.as_str()) || word.ends_with([':', '=']) && COLON_LABELS.contains(&bare.as_str())
}

/// Words between a label and its secret: `password is hunter2`, `token = abc`.
fn is_filler(word: &str) -> bool {
    matches!(word.to_lowercase().as_str(), "is" | "=" | ":" | "was" | "-")
}

fn trim_punctuation(word: &str) -> (&str, &str, &str) {
    let core_start = word.find(|c: char| !matches!(c, '(' | '[' | '<' | '"' | '\'')).unwrap_or(word.len());
    let core_end = word
        .rfind(|c: char| !matches!(c, ')' | ']' | '>' | '"' | '\'' | ',' | '.' | ';' | '!' | '?'))
        .map_or(0, |i| i + word[i..].chars().next().map_or(1, char::len_utf8));
    if core_start >= core_end {
        return ("", "", word);
    }
    (&word[..core_start], &word[core_start..core_end], &word[core_end..])
}

fn secret_kind(word: &str) -> Option<&'static str> {
    let (_, core, _) = trim_punctuation(word);
    if is_email(core) {
        Some(EMAIL)
    } else if is_credential_url(core) {
        Some(URL)
    } else if is_token(core) {
        Some(SECRET)
    } else {
        None
    }
}

fn is_email(word: &str) -> bool {
    let Some((local, domain)) = word.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && local.chars().all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        && domain.chars().all(|c| c.is_alphanumeric() || ".-".contains(c))
}

/// `scheme://user:password@host…`, or a URL whose query carries a key or token.
fn is_credential_url(word: &str) -> bool {
    let Some((scheme, rest)) = word.split_once("://") else { return false };
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let query = rest.split_once('?').map_or("", |(_, q)| q).to_lowercase();
    authority.contains('@')
        || ["key=", "token=", "secret=", "password=", "sig=", "signature=", "access_token="]
            .iter()
            .any(|p| query.contains(p))
}

/// API keys and bearer tokens: known prefixes, JWTs, and long random-looking strings.
fn is_token(word: &str) -> bool {
    const PREFIXES: &[&str] =
        &["sk-", "sk_", "pk_", "rk_", "ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "AKIA", "AIza"];
    if PREFIXES.iter().any(|p| word.starts_with(p) && word.len() >= p.len() + 12) {
        return true;
    }
    if word.starts_with("eyJ") && word.matches('.').count() == 2 && word.len() >= 20 {
        return true;
    }
    let charset = word.chars().all(|c| c.is_ascii_alphanumeric() || "-_+/=".contains(c));
    let letters = word.chars().filter(char::is_ascii_alphabetic).count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let upper = word.chars().filter(char::is_ascii_uppercase).count();
    // Long, mixed letters and digits, no word shape: part numbers are shorter than this.
    charset && word.len() >= 24 && letters >= 4 && digits >= 4 && (upper > 0 || word.len() >= 32)
}

/// Phone and card numbers: runs of digits joined by single spaces, dashes, dots or brackets.
fn redact_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_run = (chars[i].is_ascii_digit()
            || (chars[i] == '+' || chars[i] == '(') && next_is_digit(&chars, i))
            && (i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != '-');
        if !starts_run {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = digit_run_end(&chars, i);
        let run: String = chars[i..end].iter().collect();
        match classify_run(&run) {
            Some(placeholder) => out.push_str(placeholder),
            None => out.push_str(&run),
        }
        i = end;
    }
    out
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(char::is_ascii_digit)
}

/// The end of a run of digits with single separators between them.
fn digit_run_end(chars: &[char], start: usize) -> usize {
    let mut end = start + 1;
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || c == ')' && chars[start..i].contains(&'(') {
            i += 1;
            end = i;
        } else if matches!(c, ' ' | '-' | '.' | '(') && next_is_digit(chars, i) {
            i += 1;
        } else {
            break;
        }
    }
    // A run followed by letters is part of a word (`12mm`), not a number on its own.
    if chars.get(end).is_some_and(|c| c.is_alphabetic()) {
        return start + chars[start..end].iter().take_while(|c| !c.is_alphabetic()).count().max(1);
    }
    end
}

fn classify_run(run: &str) -> Option<&'static str> {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    let groups = run.split([' ', '-', '.', '(', ')']).filter(|g| !g.is_empty()).count();
    if (13..=19).contains(&digits.len()) && luhn_valid(&digits) && groups != 2 {
        return Some(CARD);
    }
    let international = run.starts_with('+') && (8..=15).contains(&digits.len());
    // `555-123-4567`, `(555) 123 4567`, `06 12 34 56 78`: grouped like a phone number.
    let grouped = groups >= 3 && (9..=15).contains(&digits.len()) && !run.contains('.');
    let bare_long = groups == 1 && (10..=12).contains(&digits.len()) && digits.starts_with('0');
    (international || grouped || bare_long).then_some(PHONE)
}

fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, d) in digits.bytes().rev().map(|b| u32::from(b - b'0')).enumerate() {
        sum += if i % 2 == 1 {
            let doubled = d * 2;
            if doubled > 9 { doubled - 9 } else { doubled }
        } else {
            d
        };
    }
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn secrets_become_placeholders() {
        let cases = [
            ("email chief.eng@aurora-yacht.com about the WO", "email [email] about the WO"),
            ("call me on +44 7700 900123 re the genset", "call me on [phone] re the genset"),
            ("ring (555) 123-4567 for the parts", "ring [phone] for the parts"),
            ("the supplier portal https://bob:hunter2@parts.example.com/login", "the supplier portal [url]"),
            ("see https://api.example.com/orders?api_key=abc123def", "see [url]"),
            ("my key is sk-proj-abcdefghijklmnop1234", "my key is [secret]"),
            ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghij", "token [secret]"),
            ("password: hunter2 for the PMS", "password: [secret] for the PMS"),
            ("the wifi password is Aurora2026!", "the wifi password is [secret]"),
            ("api_key=1234abcd order filters", "api_key=[secret] order filters"),
            ("pay with 4111 1111 1111 1111 please", "pay with [card] please"),
            ("card 4111-1111-1111-1111.", "card [card]."),
            ("use ghp_abcdefghijklmnopqrstuvwxyz0123 for git", "use [secret] for git"),
            ("AKIAIOSFODNN7EXAMPLE leaked", "[secret] leaked"),
        ];
        for (query, expected) in cases {
            assert_eq!(redact(query), expected, "{query}");
        }
    }

    #[test]
    fn maintenance_words_are_kept() {
        let kept = [
            "create work order for generator 2 oil change",
            "close WO-2026-031",
            "SPN 110 FMI 0 on port main",
            "MID 128 PID 110 FMI 0",
            "port main is at 12,450 hours",
            "used 2 oil filters part 1R-0751 on DG1",
            "scan 5012345678900",
            "stbd main at 12 450 hours",
            "order 3 of 2654407 impellers",
            "J1939 721/7 on the stbd genset",
            "key switch on the tender is broken",
            "the shear pin is gone on the windlass",
            "E047 on port main at 08:30 today",
            "change the 12mm hose at 3.5 bar",
            "1800 rpm and 95 C after 2.5 hours",
        ];
        for query in kept {
            assert_eq!(redact(query), query);
        }
    }

    #[test]
    fn redaction_is_idempotent_and_keeps_whitespace() {
        let query = "  email  a@b.co\tand +33 6 12 34 56 78 \n";
        let once = redact(query);
        assert_eq!(once, "  email  [email]\tand [phone] \n");
        assert_eq!(redact(&once), once);
    }
}
