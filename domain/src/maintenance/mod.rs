//! A yacht's maintenance data and every rule about it. Use cases take a transaction that
//! implements the ports they need, so the change, its audit entry and (in the API) its
//! idempotency record commit together or not at all.

/// Declares a closed set of values with their wire names, `ALL`, `as_str`, `parse` and `Display`.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            const NAMES: &'static str = concat!($($text, " "),+);

            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::maintenance::OneOf> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw).ok_or($crate::maintenance::OneOf(Self::NAMES))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod audit;
pub mod equipment;
pub mod fault;
pub mod lifecycle;
pub mod notes;
pub mod paging;
pub mod part;
pub mod purchase;
pub mod schedule;
pub mod text;
pub mod work_order;

#[cfg(test)]
mod fake;

use crate::identity::Role;
use crate::ids::UserId;

/// The versions a conditional write accepts (`If-Match`): any, or one of those listed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpectedVersion(Option<Vec<i32>>);

impl ExpectedVersion {
    /// No precondition.
    pub const ANY: Self = Self(None);

    pub fn one(version: i32) -> Self {
        Self(Some(vec![version]))
    }

    /// Any of `versions` (none, when the list is empty).
    pub fn any_of(versions: Vec<i32>) -> Self {
        Self(Some(versions))
    }

    /// `Err` with the first version expected (0 for none) when `current` is not admitted.
    pub fn check(&self, current: i32) -> Result<(), i32> {
        match &self.0 {
            Some(versions) if !versions.contains(&current) => Err(versions.first().copied().unwrap_or(0)),
            _ => Ok(()),
        }
    }
}

/// Who is acting, with what role, on behalf of which request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
    pub request_id: Option<String>,
}

impl Actor {
    /// ENGINEERS ∪ HOD: may change equipment, faults' handling, work orders and stock.
    pub fn is_technical(&self) -> bool {
        self.role.is_engineer() || self.role.is_hod()
    }

    /// The scheduler: plans due work on no one's behalf. Its user id is the nil UUID, so audit
    /// entries and work orders it writes say `00000000-0000-0000-0000-000000000000`.
    pub fn scheduler() -> Self {
        Self { user: UserId::SCHEDULER, role: Role::ChiefEngineer, request_id: None }
    }

    /// Fails with [`Denied`] unless `allowed`.
    pub fn require(&self, allowed: bool, action: &'static str) -> Result<(), Denied> {
        if allowed { Ok(()) } else { Err(Denied { role: self.role, action }) }
    }
}

/// A value outside a closed set; carries the allowed names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be one of: {0}")]
pub struct OneOf(pub &'static str);

/// The actor's role does not allow the action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {role} may not {action}")]
pub struct Denied {
    pub role: Role,
    pub action: &'static str,
}
