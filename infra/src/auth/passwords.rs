//! Argon2id password hashing (OWASP's recommended parameters), off the async executor.
//!
//! Each hash needs 19 MiB of working memory. Hashing happens on one thread per core (more at once
//! would not finish sooner), each reusing its own buffer: allocating 19 MiB per sign-in left the
//! allocator holding 200 MB after a few hundred of them.

use std::sync::{Arc, LazyLock, Mutex, OnceLock, mpsc};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use pms_domain::auth::{PasswordHasher, PasswordVerifier};
use pms_domain::store::StoreError;

/// Hashes and verifies passwords with Argon2id (19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Copy, Default)]
pub struct Argon2Passwords;

/// The threads that hash, one per core, fed through a queue.
static WORKERS: LazyLock<mpsc::Sender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for index in 0..std::thread::available_parallelism().map_or(2, std::num::NonZero::get) {
        let queue = Arc::clone(&queue);
        let worker = move || {
            loop {
                let job = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
                let Ok(job) = job else { break };
                // A panicking job drops its answer channel; the caller sees `None`.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            }
        };
        std::thread::Builder::new().name(format!("argon2-{index}")).spawn(worker).expect("an argon2 thread starts");
    }
    jobs
});

type Job = Box<dyn FnOnce() + Send>;

/// Runs `work` on a hashing thread once one is free.
async fn in_turn<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    WORKERS
        .send(Box::new(move || {
            let _ = answer.send(work());
        }))
        .ok()?;
    answered.await.ok()
}

impl Argon2Passwords {
    /// A PHC-format hash of `password`, computed on a hashing thread.
    pub async fn hash(&self, password: &str) -> Result<String, argon2::password_hash::Error> {
        let password = password.to_owned();
        in_turn(move || hash_now(&password)).await.unwrap_or(Err(argon2::password_hash::Error::Crypto))
    }
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hash_with(Algorithm::Argon2id, Version::V0x13, Params::default(), password.as_bytes(), salt.as_salt())?
        .to_string())
}

/// What `PasswordHasher::hash_password` computes, in this thread's reusable working memory.
fn hash_with<'a>(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: Salt<'a>,
) -> argon2::password_hash::Result<PasswordHash<'a>> {
    thread_local! {
        static BLOCKS: std::cell::RefCell<Vec<Block>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let argon2 = Argon2::new(algorithm, version, params);
    let params = argon2.params();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let output = BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() < params.block_count() {
            blocks.resize(params.block_count(), Block::new());
        }
        Output::init_with(output_len, |out| {
            Ok(argon2.hash_password_into_with_memory(password, salt_bytes, out, &mut blocks[..])?)
        })
    })?;
    Ok(PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(params)?,
        salt: Some(salt),
        hash: Some(output),
    })
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
    let algorithm = Algorithm::try_from(parsed.algorithm);
    let version = parsed.version.map_or(Ok(Version::default()), Version::try_from);
    let (Some(salt), Some(expected), Ok(params), Ok(algorithm), Ok(version)) =
        (parsed.salt, parsed.hash, Params::try_from(&parsed), algorithm, version)
    else {
        return false;
    };
    // `Output` compares in constant time.
    hash_with(algorithm, version, params, password.as_bytes(), salt)
        .is_ok_and(|computed| computed.hash == Some(expected))
        && real
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
        in_turn(move || verify_now(&password, hash.as_deref())).await.unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argon2() -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let passwords = Argon2Passwords;
        let hash = passwords.hash("correct horse battery").await.expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(passwords.verify("correct horse battery", Some(&hash)).await);
        assert!(!passwords.verify("correct horse batterY", Some(&hash)).await);
    }

    #[tokio::test]
    async fn hashes_agree_with_the_argon2_crates_own() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon2().hash_password(b"stored before 2026-12", &salt).expect("hashes").to_string();
        assert_eq!(
            hash_with(Algorithm::Argon2id, Version::V0x13, Params::default(), b"stored before 2026-12", salt.as_salt())
                .expect("hashes")
                .to_string(),
            theirs
        );
        assert!(Argon2Passwords.verify("stored before 2026-12", Some(&theirs)).await);
        let ours = Argon2Passwords.hash("made here").await.expect("hashes");
        let parsed = PasswordHash::new(&ours).expect("PHC");
        assert!(argon2().verify_password(b"made here", &parsed).is_ok());
        let smaller = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4096, 3, 1, None).expect("params"));
        let cheaper = smaller.hash_password(b"other parameters", &salt).expect("hashes").to_string();
        assert!(Argon2Passwords.verify("other parameters", Some(&cheaper)).await, "parameters come from the hash");
    }

    #[tokio::test]
    async fn no_hash_or_a_garbled_one_never_verifies() {
        let passwords = Argon2Passwords;
        assert!(!passwords.verify("anything", None).await);
        assert!(!passwords.verify("anything", Some("not-a-phc-string")).await);
    }
}
