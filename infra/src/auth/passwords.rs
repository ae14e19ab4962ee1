//! Argon2id password hashing (OWASP's recommended parameters), off the async executor.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use pms_domain::auth::{PasswordHasher, PasswordVerifier};
use pms_domain::store::StoreError;

/// Hashes and verifies passwords with Argon2id (19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Copy, Default)]
pub struct Argon2Passwords;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

impl Argon2Passwords {
    /// A PHC-format hash of `password`, computed on the blocking pool.
    pub async fn hash(&self, password: &str) -> Result<String, argon2::password_hash::Error> {
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_now(&password))
            .await
            .unwrap_or(Err(argon2::password_hash::Error::Crypto))
    }
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// A real hash of a random password, verified against when an account has none, so a missing
/// account costs the same time as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let random = SaltString::generate(&mut OsRng);
        hash_now(random.as_str()).expect("hashing a random password")
    })
}

fn verify_now(password: &str, hash: Option<&str>) -> bool {
    let (stored, real) = match hash {
        Some(hash) => (hash, true),
        None => (decoy_hash(), false),
    };
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    argon2().verify_password(password.as_bytes(), &parsed).is_ok() && real
}

impl PasswordHasher for Argon2Passwords {
    async fn hash(&self, password: &str) -> Result<String, StoreError> {
        Argon2Passwords::hash(self, password).await.map_err(|e| StoreError::new(std::io::Error::other(e.to_string())))
    }
}

impl PasswordVerifier for Argon2Passwords {
    async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let password = password.to_owned();
        let hash = hash.map(str::to_owned);
        tokio::task::spawn_blocking(move || verify_now(&password, hash.as_deref())).await.unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Argon2Passwords;
        let hash = passwords.hash("correct horse battery").await.expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(passwords.verify("correct horse battery", Some(&hash)).await);
        assert!(!passwords.verify("correct horse batterY", Some(&hash)).await);
    }

    #[tokio::test]
    async fn no_hash_or_a_garbled_one_never_verifies() {
        let passwords = Argon2Passwords;
        assert!(!passwords.verify("anything", None).await);
        assert!(!passwords.verify("anything", Some("not-a-phc-string")).await);
    }
}
