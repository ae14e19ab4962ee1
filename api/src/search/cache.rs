//! A bounded cache whose entries expire: the language model's answers, so the same question
//! from the same role is asked once. Oldest entries go first when it is full.
//!
//! Hand-written rather than moka: one mutex over a map and an insertion queue is all a few
//! thousand short strings need, and it keeps the build small. Per process; with several
//! instances each has its own.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct TtlCache<K, V> {
    capacity: usize,
    ttl: Duration,
    inner: Mutex<Inner<K, V>>,
}

#[derive(Debug)]
struct Inner<K, V> {
    entries: HashMap<K, (Instant, V)>,
    /// Keys in insertion order, each with the time it was inserted (stale pairs are skipped).
    order: VecDeque<(K, Instant)>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        let inner = Inner { entries: HashMap::new(), order: VecDeque::new() };
        Self { capacity: capacity.max(1), ttl, inner: Mutex::new(inner) }
    }

    /// The value, if present and not expired.
    pub fn get(&self, key: &K) -> Option<V> {
        let now = Instant::now();
        let inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.entries.get(key).filter(|(at, _)| now.duration_since(*at) < self.ttl).map(|(_, value)| value.clone())
    }

    pub fn insert(&self, key: K, value: V) {
        let now = Instant::now();
        let mut inner = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.entries.insert(key.clone(), (now, value));
        inner.order.push_back((key, now));
        while inner.entries.len() > self.capacity || inner.order.len() > 2 * self.capacity {
            let Some((oldest, at)) = inner.order.pop_front() else { break };
            // Only the newest insertion of a key owns its entry.
            if inner.entries.get(&oldest).is_some_and(|(current, _)| *current == at) {
                inner.entries.remove(&oldest);
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let cache = TtlCache::new(10, Duration::from_millis(30));
        cache.insert("a", 1);
        assert_eq!(cache.get(&"a"), Some(1));
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(cache.get(&"a"), None);
    }

    #[test]
    fn the_oldest_entry_goes_when_full() {
        let cache = TtlCache::new(2, Duration::from_secs(60));
        cache.insert("a", 1);
        cache.insert("b", 2);
        cache.insert("a", 3);
        cache.insert("c", 4);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get(&"b"), None, "b is the oldest live entry");
        assert_eq!(cache.get(&"a"), Some(3));
        assert_eq!(cache.get(&"c"), Some(4));
    }

    #[test]
    fn reinserting_never_grows_past_the_bound() {
        let cache = TtlCache::new(3, Duration::from_secs(60));
        for i in 0..1000 {
            cache.insert(i % 5, i);
            assert!(cache.len() <= 3);
        }
    }
}
