use std::collections::HashMap;
use std::sync::Mutex;

use chrono::TimeZone;

use super::*;
use crate::testkit::block_on;

const GOOD: &str = "correct horse battery";

/// Failures and the end of the lock, by the store's own clock.
#[derive(Debug, Clone, Copy)]
struct StoredThrottle {
    failures: u32,
    locked_until: Option<Timestamp>,
}

#[derive(Default)]
struct FakeStore {
    accounts: HashMap<String, Credentials>,
    /// The store's clock, which the service never reads.
    clock: Mutex<Option<Timestamp>>,
    throttles: Mutex<HashMap<String, StoredThrottle>>,
    events: Mutex<Vec<String>>,
    sessions: Mutex<Vec<(UserId, NewRefreshToken)>>,
    rotation: Option<Rotation>,
}

impl FakeStore {
    fn now(&self) -> Timestamp {
        self.clock.lock().expect("lock").unwrap_or_else(now)
    }

    fn advance(&self, by: chrono::Duration) {
        let later = self.now() + by;
        *self.clock.lock().expect("lock") = Some(later);
    }
}

impl AuthStore for FakeStore {
    async fn throttle(&self, email: &Email) -> Result<Option<Throttle>, StoreError> {
        let now = self.now();
        Ok(self.throttles.lock().expect("lock").get(email.as_str()).map(|t| Throttle {
            failures: t.failures,
            locked_for: t.locked_until.filter(|until| *until > now).and_then(|until| (until - now).to_std().ok()),
        }))
    }
    async fn credentials(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        Ok(self.accounts.get(email.as_str()).cloned())
    }
    async fn record_failure(
        &self,
        email: &Email,
        _: Option<UserId>,
        lock: Option<Duration>,
        _: &RequestMeta,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut throttles = self.throttles.lock().expect("lock");
        let entry = throttles.entry(email.to_string()).or_insert(StoredThrottle { failures: 0, locked_until: None });
        entry.failures += 1;
        entry.locked_until = lock.map(|lock| now + chrono::Duration::from_std(lock).expect("a short lock"));
        self.events.lock().expect("lock").push(format!("failed {email}"));
        Ok(())
    }
    async fn record_throttled(&self, email: &Email, _: &RequestMeta) -> Result<(), StoreError> {
        self.events.lock().expect("lock").push(format!("throttled {email}"));
        Ok(())
    }
    async fn start_session(
        &self,
        email: &Email,
        user: UserId,
        refresh: NewRefreshToken,
        _: &RequestMeta,
    ) -> Result<(), StoreError> {
        self.throttles.lock().expect("lock").remove(email.as_str());
        self.sessions.lock().expect("lock").push((user, refresh));
        Ok(())
    }
    async fn rotate_refresh(&self, _: [u8; 32], _: NewRefreshToken, _: &RequestMeta) -> Result<Rotation, StoreError> {
        Ok(self.rotation.expect("test sets the rotation outcome"))
    }
    async fn revoke_family(&self, _: [u8; 32], _: RevokeReason, _: &RequestMeta) -> Result<(), StoreError> {
        Ok(())
    }
}

/// Accepts `GOOD` against the hash "hash-of-good"; counts calls, including hashless ones.
#[derive(Default)]
struct FakeVerifier {
    calls: Mutex<Vec<Option<String>>>,
}

impl PasswordVerifier for FakeVerifier {
    async fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        self.calls.lock().expect("lock").push(hash.map(str::to_owned));
        password == GOOD && hash == Some("hash-of-good")
    }
}

struct FakeMinter;

impl TokenMinter for FakeMinter {
    fn access_token(&self, user: UserId, _: Timestamp) -> Result<(String, Duration), StoreError> {
        Ok((format!("access-for-{user}"), Duration::from_secs(900)))
    }
    fn refresh_token(&self) -> (String, [u8; 32]) {
        ("refresh".to_owned(), [7; 32])
    }
    fn hash_refresh_token(&self, _: &str) -> [u8; 32] {
        [7; 32]
    }
}

fn email(raw: &str) -> Email {
    Email::parse(raw).expect("valid email")
}

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).single().expect("valid time")
}

fn service(status: UserStatus) -> (AuthService<FakeStore, FakeVerifier, FakeMinter>, UserId) {
    let user = UserId::generate();
    let mut store = FakeStore::default();
    store.accounts.insert(
        "chief@aurora.demo".to_owned(),
        Credentials { user_id: user, password_hash: Some("hash-of-good".to_owned()), status },
    );
    let service = AuthService::new(
        store,
        FakeVerifier::default(),
        FakeMinter,
        ThrottlePolicy::DEFAULT,
        Duration::from_secs(86_400),
    );
    (service, user)
}

#[test]
fn the_throttle_gives_free_attempts_then_doubling_locks_up_to_a_cap() {
    let policy = ThrottlePolicy::DEFAULT;
    let expected = [
        (1, None),
        (4, None),
        (5, Some(30)),
        (6, Some(60)),
        (7, Some(120)),
        (9, Some(480)),
        (10, Some(900)),
        (50, Some(900)),
        (u32::MAX, Some(900)),
    ];
    for (failures, lock) in expected {
        assert_eq!(policy.lock_after(failures), lock.map(Duration::from_secs), "after {failures} failures");
    }
}

#[test]
fn an_active_account_with_the_right_password_gets_a_session() {
    let (service, user) = service(UserStatus::Active);
    let session =
        block_on(service.login(&email("Chief@Aurora.demo"), GOOD, now(), &RequestMeta::default())).expect("signed in");
    assert_eq!(session.user_id, user);
    assert_eq!(session.access_token, format!("access-for-{user}"));
    let sessions = service.store().sessions.lock().expect("lock");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].1.expires_at, now() + chrono::Duration::days(1));
}

#[test]
fn a_wrong_password_and_an_unknown_email_fail_the_same_way_after_the_same_work() {
    let (service, _) = service(UserStatus::Active);
    let wrong =
        block_on(service.login(&email("chief@aurora.demo"), "not the password", now(), &RequestMeta::default()));
    let unknown = block_on(service.login(&email("nobody@aurora.demo"), GOOD, now(), &RequestMeta::default()));
    assert!(matches!(wrong, Err(LoginError::InvalidCredentials)));
    assert!(matches!(unknown, Err(LoginError::InvalidCredentials)));
    let calls = service.passwords.calls.lock().expect("lock").clone();
    assert_eq!(calls, [Some("hash-of-good".to_owned()), None], "the unknown email was still 'verified'");
    let throttles = service.store().throttles.lock().expect("lock");
    assert_eq!(throttles["nobody@aurora.demo"].failures, 1, "unknown emails are throttled too");
}

#[test]
fn repeated_failures_lock_the_address_even_against_the_right_password() {
    let (service, _) = service(UserStatus::Active);
    let chief = email("chief@aurora.demo");
    for _ in 0..5 {
        let result = block_on(service.login(&chief, "guess", now(), &RequestMeta::default()));
        assert!(matches!(result, Err(LoginError::InvalidCredentials)));
    }
    match block_on(service.login(&chief, GOOD, now(), &RequestMeta::default())) {
        Err(LoginError::Throttled { retry_after }) => {
            assert_eq!(retry_after, Duration::from_secs(30));
        }
        other => panic!("expected a lock, got {other:?}"),
    }
    // The instance's clock far ahead changes nothing: the lock ends by the store's clock.
    let skewed = now() + chrono::Duration::minutes(10);
    assert!(matches!(
        block_on(service.login(&chief, GOOD, skewed, &RequestMeta::default())),
        Err(LoginError::Throttled { .. })
    ));
    service.store().advance(chrono::Duration::seconds(31));
    assert!(block_on(service.login(&chief, GOOD, now(), &RequestMeta::default())).is_ok(), "the lock expires");
    assert!(service.store().throttles.lock().expect("lock").is_empty(), "success clears the count");
}

#[test]
fn disabled_accounts_are_told_so_only_with_the_right_password() {
    let (service, _) = service(UserStatus::Disabled);
    let chief = email("chief@aurora.demo");
    assert!(matches!(
        block_on(service.login(&chief, GOOD, now(), &RequestMeta::default())),
        Err(LoginError::AccountDisabled)
    ));
    assert!(matches!(
        block_on(service.login(&chief, "guess", now(), &RequestMeta::default())),
        Err(LoginError::InvalidCredentials)
    ));
}

#[test]
fn invited_accounts_cannot_sign_in_before_accepting() {
    let (service, _) = service(UserStatus::Invited);
    let result = block_on(service.login(&email("chief@aurora.demo"), GOOD, now(), &RequestMeta::default()));
    assert!(matches!(result, Err(LoginError::InvalidCredentials)));
}

#[test]
fn refresh_outcomes_map_to_sessions_or_errors() {
    let (mut service, user) = service(UserStatus::Active);
    service.store.rotation = Some(Rotation::Rotated { user_id: user });
    let session = block_on(service.refresh("refresh", now(), &RequestMeta::default())).expect("rotated");
    assert_eq!(session.user_id, user);
    service.store.rotation = Some(Rotation::ReuseDetected { user_id: user });
    assert!(matches!(
        block_on(service.refresh("refresh", now(), &RequestMeta::default())),
        Err(RefreshError::ReuseDetected)
    ));
    service.store.rotation = Some(Rotation::Invalid);
    assert!(matches!(
        block_on(service.refresh("refresh", now(), &RequestMeta::default())),
        Err(RefreshError::InvalidToken)
    ));
}
