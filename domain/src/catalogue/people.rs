//! Linking the person a query hands work to (`to Priya`, `→ ETO`, `assign to me`) to one of the
//! yacht's active members: by any word of their name, by their role, or the caller.

use crate::detect::text::edit_distance_within;
use crate::identity::Role;
use crate::ids::UserId;

/// A member as linking needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user: UserId,
    pub display_name: String,
    pub role: Role,
}

/// Words of a display name that are titles, not names (`Chief Engineer Tom Hale`).
const TITLE_WORDS: &[&str] = &[
    "captain", "chief", "engineer", "officer", "deckhand", "eto", "mate", "bosun", "second", "2nd", "first", "mr", "ms",
];

/// The role a crew's word for a position means.
fn role_of(words: &str) -> Option<&'static [Role]> {
    let roles: &'static [Role] = match words {
        "eto" | "electrician" | "electro technical officer" => &[Role::Eto],
        "chief" | "chief engineer" | "chief eng" | "ce" | "chenj" => &[Role::ChiefEngineer],
        "engineer" | "2nd engineer" | "second engineer" | "3rd engineer" | "third engineer" | "2nd" | "2e" => {
            &[Role::Engineer]
        }
        "captain" | "capt" | "skipper" | "master" | "the captain" => &[Role::Captain],
        "chief officer" | "first officer" | "1st officer" | "mate" | "chief mate" => &[Role::ChiefOfficer],
        "bosun" | "deckhand" | "deck crew" | "crew" => &[Role::Crew],
        _ => return None,
    };
    Some(roles)
}

/// The members a person mention may mean, best first; `me` is the caller.
pub fn people<'a>(mention: &str, caller: UserId, members: &'a [Person]) -> Vec<&'a Person> {
    let said = mention.trim().to_lowercase();
    if matches!(said.as_str(), "me" | "myself") {
        return members.iter().filter(|m| m.user == caller).collect();
    }
    let words: Vec<&str> = said.split_whitespace().filter(|w| *w != "the").collect();
    let by_name: Vec<&Person> = members
        .iter()
        .filter(|member| {
            let name = member.display_name.to_lowercase();
            let names: Vec<&str> = name.split_whitespace().filter(|w| !TITLE_WORDS.contains(w)).collect();
            !words.is_empty()
                && words.iter().all(|word| {
                    names.iter().any(|name| {
                        name == word || (word.chars().count() >= 5 && edit_distance_within(word, name, 1).is_some())
                    })
                })
        })
        .collect();
    if !by_name.is_empty() {
        return by_name;
    }
    role_of(&words.join(" "))
        .map_or_else(Vec::new, |roles| members.iter().filter(|m| roles.contains(&m.role)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crew() -> Vec<Person> {
        [
            ("Captain Ana Ribeiro", Role::Captain),
            ("Chief Engineer Tom Hale", Role::ChiefEngineer),
            ("Engineer Priya Nair", Role::Engineer),
            ("Sofia Costa", Role::Eto),
            ("Deckhand Leo Marsh", Role::Crew),
            ("Leo Brandt", Role::Crew),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (name, role))| Person {
            user: UserId::from_uuid(uuid::Uuid::from_u128(i as u128 + 1)),
            display_name: name.to_owned(),
            role,
        })
        .collect()
    }

    fn names(mention: &str) -> Vec<String> {
        let crew = crew();
        people(mention, crew[1].user, &crew).into_iter().map(|p| p.display_name.clone()).collect()
    }

    #[test]
    fn by_name_role_or_the_caller() {
        let cases: [(&str, &[&str]); 9] = [
            ("Priya", &["Engineer Priya Nair"]),
            ("priya nair", &["Engineer Priya Nair"]),
            ("Pryia", &["Engineer Priya Nair"]),
            ("ETO", &["Sofia Costa"]),
            ("the ETO", &["Sofia Costa"]),
            ("me", &["Chief Engineer Tom Hale"]),
            ("2nd engineer", &["Engineer Priya Nair"]),
            ("Leo", &["Deckhand Leo Marsh", "Leo Brandt"]),
            ("Marco", &[]),
        ];
        for (mention, expected) in cases {
            assert_eq!(names(mention), expected, "{mention:?}");
        }
    }
}
