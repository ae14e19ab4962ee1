//! Word lists for telling names apart from the rest of a sentence, and the yacht abbreviations
//! expanded before a name is matched against records.

use super::text::Token;

#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "the", "a", "an", "on", "for", "of", "to", "in", "at", "is", "are", "was", "were", "it", "its", "it's", "this",
    "that", "these", "those", "with", "from", "by", "my", "me", "i", "i'm", "i've", "i'd", "im", "we", "we're",
    "our", "us", "you", "your", "please", "pls", "plz", "could", "can", "would", "will", "and", "or", "but", "as",
    "be", "been", "has", "have", "had", "do", "does", "did", "so", "all", "some", "any", "there", "here", "again",
    "yet", "today", "now", "just", "then", "than", "up", "out", "into", "onto", "about", "off", "if", "when",
    "what", "which", "who", "how", "why", "where", "what's", "let's", "hey", "hi", "also", "still", "more", "much",
    "many", "very", "too", "need", "needs", "want", "like", "should", "them", "they", "their", "him", "her", "his",
    "she", "he", "one", "ones", "whats", "kindly", "quickly", "asap", "urgently", "thanks", "thank", "via", "per",
    "into.", "until", "till", "since", "after", "while", "during", "over", "under", "between", "against", "last",
    "this-week", "week", "month", "year", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening",
    "season", "trip", "charter", "again.", "we've", "ive", "don't", "dont", "not", "no", "yes", "everything",
    "anything", "something", "list",
];

/// Words that never belong to a name.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

#[rustfmt::skip]
const MODIFIERS: &[&str] = &[
    "port", "starboard", "stbd", "stb", "sb", "ps", "bow", "stern", "raw", "fresh", "sea", "salt", "fuel", "fire",
    "main", "aux", "auxiliary", "emergency", "hot", "cold", "high", "low", "forward", "fwd", "aft", "upper",
    "lower", "deck", "engine", "room", "hydraulic", "tender", "crew", "guest", "water", "transfer", "cooling",
    "lube", "lubrication", "primary", "secondary", "no1", "no2", "no.1", "no.2", "mtu", "cat", "caterpillar",
    "kohler", "onan", "cummins", "volvo", "naiad", "lewmar", "maxwell", "dometic", "racor", "yamaha", "zf",
    "northern", "lights", "alfa", "laval", "sea-recovery", "seakeeper", "victron", "mastervolt", "furuno",
    "raymarine", "garmin", "webasto", "heinen", "hopman", "azcue", "hamann",
];

/// Words that qualify a name without being one: sides, positions, systems, makers.
pub fn is_modifier(word: &str) -> bool {
    MODIFIERS.contains(&word)
}

/// `DG2`, `DG-1`, `ME1`, `GEN2`, `CH-1`: a short equipment code.
pub fn is_equipment_code(word: &str) -> bool {
    let letters: String = word.chars().take_while(char::is_ascii_alphabetic).collect();
    let rest = word[letters.len()..].trim_start_matches('-');
    (2..=4).contains(&letters.len())
        && !rest.is_empty()
        && rest.len() <= 2
        && rest.chars().all(|c| c.is_ascii_digit())
        && !matches!(letters.as_str(), "wo" | "pr" | "spn" | "fmi" | "mid" | "pid" | "sid" | "no")
}

/// The abbreviation's long form, as equipment and parts are named in records.
fn expand(word: &str) -> Option<&'static str> {
    Some(match word {
        "stbd" | "stb" | "sb" => "starboard",
        "fwd" => "forward",
        "dg" | "gen" | "genset" | "genny" | "gennie" => "generator",
        "gennies" => "generators",
        "sep" => "separator",
        "ahu" => "air handler",
        "me" => "main engine",
        "a/c" | "ac" | "aircon" | "hvac" => "air conditioning",
        "stabilizer" | "stabs" | "stab" => "stabiliser",
        "stabilizers" => "stabilisers",
        "aux" => "auxiliary",
        "wm" | "ro" | "desalinator" => "watermaker",
        "hpu" => "hydraulic power unit",
        "eng" => "engine",
        _ => return None,
    })
}

/// The phrase lower-cased with abbreviations expanded and codes split (`DG2` → `generator 2`):
/// the form matched against equipment and part names.
pub fn canonical_phrase(tokens: &[Token]) -> String {
    let mut words: Vec<String> = Vec::new();
    for token in tokens {
        let word = token.norm.as_str();
        if is_equipment_code(word) {
            let letters: String = word.chars().take_while(char::is_ascii_alphabetic).collect();
            let digits = word[letters.len()..].trim_start_matches('-');
            words.push(expand(&letters).unwrap_or(&letters).to_owned());
            words.push(digits.to_owned());
        } else {
            words.push(expand(word).unwrap_or(word).to_owned());
        }
    }
    // `port main` means the port main engine.
    if words.last().is_some_and(|w| w == "main") {
        words.push("engine".to_owned());
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::text::tokenize;

    #[test]
    fn abbreviations_expand_to_record_names() {
        assert_eq!(canonical_phrase(&tokenize("stbd main")), "starboard main engine");
        assert_eq!(canonical_phrase(&tokenize("DG2")), "generator 2");
        assert_eq!(canonical_phrase(&tokenize("emergency genny")), "emergency generator");
        assert_eq!(canonical_phrase(&tokenize("fuel sep")), "fuel separator");
        assert_eq!(canonical_phrase(&tokenize("A/C chiller")), "air conditioning chiller");
    }

    #[test]
    fn equipment_codes_are_short_letters_and_digits() {
        assert!(is_equipment_code("dg2"));
        assert!(is_equipment_code("ch-1"));
        assert!(!is_equipment_code("wo57"));
        assert!(!is_equipment_code("e047"));
        assert!(!is_equipment_code("2026"));
    }
}
