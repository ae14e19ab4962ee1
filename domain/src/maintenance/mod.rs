//! A yacht's maintenance data and every rule about it. Use cases take a transaction that
//! implements the ports they need, so the change, its audit entry and (in the API) its
//! idempotency record commit together or not at all.

pub mod audit;
pub mod equipment;
pub mod paging;
pub mod text;

use crate::identity::Role;
use crate::ids::UserId;

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

    /// Fails with [`Denied`] unless `allowed`.
    pub fn require(&self, allowed: bool, action: &'static str) -> Result<(), Denied> {
        if allowed { Ok(()) } else { Err(Denied { role: self.role, action }) }
    }
}

/// The actor's role does not allow the action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a {role} may not {action}")]
pub struct Denied {
    pub role: Role,
    pub action: &'static str,
}
