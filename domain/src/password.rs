//! The password policy, checked before anything is hashed.

use crate::identity::Email;

/// Shortest password accepted; length beats composition rules (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, so hashing cost stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("must be at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("must not contain the email address")]
    ContainsEmail,
    #[error("must not be a single repeated character")]
    Repetitive,
}

/// Checks a new password for `email`'s account.
pub fn check_new_password(password: &str, email: &Email) -> Result<(), PasswordError> {
    check_password_strength(password)?;
    let lowered = password.to_lowercase();
    let local_part = email.as_str().split('@').next().unwrap_or_default();
    if lowered.contains(email.as_str()) || (local_part.len() >= 4 && lowered.contains(local_part)) {
        return Err(PasswordError::ContainsEmail);
    }
    Ok(())
}

/// Checks length and repetition only, for a password shared by several accounts (demo seeding).
pub fn check_password_strength(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let mut distinct = password.chars();
    let first = distinct.next();
    if distinct.all(|c| Some(c) == first) {
        return Err(PasswordError::Repetitive);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("captain@aurora.demo").expect("valid")
    }

    #[test]
    fn reasonable_passwords_pass() {
        for ok in ["correct horse battery", "Tr1ple-Engine!", "ünïcödé-paßwörd"] {
            assert_eq!(check_new_password(ok, &email()), Ok(()), "{ok}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert_eq!(check_new_password("short", &email()), Err(PasswordError::TooShort));
        assert_eq!(check_new_password(&"ab".repeat(65), &email()), Err(PasswordError::TooLong));
        assert_eq!(check_new_password("my-Captain-password", &email()), Err(PasswordError::ContainsEmail));
        assert_eq!(check_new_password("aaaaaaaaaaaaaa", &email()), Err(PasswordError::Repetitive));
    }
}
