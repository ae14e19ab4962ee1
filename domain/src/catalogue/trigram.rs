//! Trigram similarity as PostgreSQL's `pg_trgm` computes it, so names resolve in memory the way
//! they did in SQL: each word lower-cased and padded (`"  dg1 "`), its three-character windows
//! collected into a set.

/// A string's distinct trigrams, sorted: three characters packed into one integer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trigrams(Vec<u64>);

impl Trigrams {
    pub fn of(text: &str) -> Self {
        let mut set = Vec::new();
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let padded: Vec<char> = ["  ", &word.to_lowercase(), " "].concat().chars().collect();
            set.extend(padded.windows(3).map(|w| pack(w[0], w[1], w[2])));
        }
        set.sort_unstable();
        set.dedup();
        Self(set)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many trigrams both sets hold (both are sorted, so one merge pass).
    pub fn shared(&self, other: &Self) -> usize {
        let (mut i, mut j, mut shared) = (0, 0, 0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        shared
    }

    /// `similarity(a, b)`: shared trigrams over all trigrams of either.
    pub fn similarity(&self, other: &Self) -> f64 {
        let shared = self.shared(other);
        let union = self.len() + other.len() - shared;
        if union == 0 { 0.0 } else { count(shared) / count(union) }
    }

    /// `word_similarity(self, other)`: the share of this phrase's trigrams found in `other`, so
    /// a phrase scores fully against a longer name that contains it.
    pub fn word_similarity(&self, other: &Self) -> f64 {
        if self.is_empty() { 0.0 } else { count(self.shared(other)) / count(self.len()) }
    }
}

/// A count as a float; trigram counts are far below where `f64` loses precision.
pub(super) fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn pack(a: char, b: char, c: char) -> u64 {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_figures_match_pg_trgm() {
        // From PostgreSQL's documentation and `SELECT similarity(…)`.
        let word = Trigrams::of("word");
        let two_words = Trigrams::of("two words");
        assert_eq!(word.len(), 5);
        assert!((word.word_similarity(&two_words) - 0.8).abs() < 1e-9);
        assert!((Trigrams::of("cat").similarity(&Trigrams::of("cat")) - 1.0).abs() < 1e-9);
        assert!((Trigrams::of("generator").similarity(&Trigrams::of("generater")) - 7.0 / 13.0).abs() < 1e-9);
        assert!((Trigrams::of("generator 2").word_similarity(&Trigrams::of("Generator 2 (Stbd)")) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn case_and_punctuation_do_not_count() {
        assert_eq!(Trigrams::of("Generator 2 (stbd)"), Trigrams::of("generator-2 STBD"));
        assert!(Trigrams::of("  ").is_empty());
        assert!(Trigrams::of("").word_similarity(&Trigrams::of("x")).abs() < 1e-9);
    }
}
