//! Where a yacht's maintenance data lives: tenant database names and server keys.

use std::fmt;

/// Longest identifier PostgreSQL keeps without truncating (`NAMEDATALEN - 1`).
const MAX_IDENTIFIER_LEN: usize = 63;
/// Server keys are short configuration names, not database identifiers.
const MAX_SERVER_KEY_LEN: usize = 32;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must start with a lowercase letter or underscore")]
    BadStart,
    #[error("may contain only lowercase letters, digits and underscores")]
    BadCharacter,
}

/// The name of a tenant database.
///
/// Restricted to `[a-z_][a-z0-9_]*` of at most 63 characters so that it can be spliced into
/// `CREATE DATABASE` safely and never needs quoting or case folding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DatabaseName(String);

impl DatabaseName {
    /// Parses a database name, refusing anything that would need quoting.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        check_identifier(raw, MAX_IDENTIFIER_LEN)?;
        Ok(Self(raw.to_owned()))
    }

    /// The name as PostgreSQL knows it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DatabaseName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The configuration key of a PostgreSQL server that holds tenant databases (`default` is the
/// server of `TENANT_DATABASE_URL`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerKey(String);

impl ServerKey {
    /// The key of the server named by `TENANT_DATABASE_URL`.
    pub const DEFAULT: &'static str = "default";

    /// Parses a server key (`[a-z_][a-z0-9_]*`, at most 32 characters).
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        check_identifier(raw, MAX_SERVER_KEY_LEN)?;
        Ok(Self(raw.to_owned()))
    }

    /// The key of the default tenant server.
    pub fn default_server() -> Self {
        Self(Self::DEFAULT.to_owned())
    }

    /// The key as written in configuration.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_identifier(raw: &str, max: usize) -> Result<(), NameError> {
    let mut chars = raw.chars();
    let first = chars.next().ok_or(NameError::Empty)?;
    if raw.len() > max {
        return Err(NameError::TooLong { max });
    }
    if !(first.is_ascii_lowercase() || first == '_') {
        return Err(NameError::BadStart);
    }
    if chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        Ok(())
    } else {
        Err(NameError::BadCharacter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_that_need_no_quoting_are_accepted() {
        for ok in ["aurora", "_t", "tenant_0001", &"a".repeat(63)] {
            assert_eq!(DatabaseName::parse(ok).map(|n| n.to_string()), Ok(ok.to_owned()));
        }
    }

    #[test]
    fn database_names_that_would_need_quoting_are_refused() {
        let cases = [
            ("", NameError::Empty),
            ("1abc", NameError::BadStart),
            ("Aurora", NameError::BadStart),
            ("aurora-db", NameError::BadCharacter),
            ("a\"; drop database x; --", NameError::BadCharacter),
            ("aurora db", NameError::BadCharacter),
            ("ä", NameError::BadStart),
        ];
        for (raw, expected) in cases {
            assert_eq!(DatabaseName::parse(raw), Err(expected), "{raw:?}");
        }
        assert_eq!(DatabaseName::parse(&"a".repeat(64)), Err(NameError::TooLong { max: 63 }));
    }

    #[test]
    fn server_keys_are_short_identifiers() {
        assert_eq!(ServerKey::default_server().as_str(), "default");
        assert!(ServerKey::parse("eu_west").is_ok());
        assert_eq!(ServerKey::parse(&"k".repeat(33)), Err(NameError::TooLong { max: 32 }));
        assert_eq!(ServerKey::parse("EU"), Err(NameError::BadStart));
    }
}
