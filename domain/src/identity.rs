//! Who people are on a yacht: email addresses, roles and membership states.

use std::fmt;

/// Why an email address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("must be an email address like name@example.com")]
    Invalid,
    #[error("must be at most 254 characters")]
    TooLong,
}

/// An email address, trimmed and lowercased so that equality is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    const MAX_LEN: usize = 254;

    /// Normalises and checks the shape `local@domain.tld` (one `@`, no spaces, a dot in the domain).
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        if email.len() > Self::MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = email.split_once('@').ok_or(EmailError::Invalid)?;
        let well_formed = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed { Ok(Self(email)) } else { Err(EmailError::Invalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A member's role on one yacht.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Crew,
    Engineer,
    Eto,
    ChiefEngineer,
    ChiefOfficer,
    Captain,
    Manager,
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Self; 8] = [
        Self::Crew,
        Self::Engineer,
        Self::Eto,
        Self::ChiefEngineer,
        Self::ChiefOfficer,
        Self::Captain,
        Self::Manager,
        Self::Admin,
    ];

    /// The role's name in the API and the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Crew => "crew",
            Self::Engineer => "engineer",
            Self::Eto => "eto",
            Self::ChiefEngineer => "chief_engineer",
            Self::ChiefOfficer => "chief_officer",
            Self::Captain => "captain",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Seniority for the "nobody grants a role above their own" rule. Engineers and the ETO are
    /// peers, as are the two heads of department.
    pub const fn rank(self) -> u8 {
        match self {
            Self::Crew => 0,
            Self::Engineer | Self::Eto => 1,
            Self::ChiefEngineer | Self::ChiefOfficer => 2,
            Self::Captain => 3,
            Self::Manager => 4,
            Self::Admin => 5,
        }
    }

    /// ENGINEERS: engineer, ETO, chief engineer.
    pub const fn is_engineer(self) -> bool {
        matches!(self, Self::Engineer | Self::Eto | Self::ChiefEngineer)
    }

    /// HOD: heads of department and above (chief engineer, ETO, chief officer, captain, manager, admin).
    pub const fn is_hod(self) -> bool {
        matches!(
            self,
            Self::ChiefEngineer | Self::Eto | Self::ChiefOfficer | Self::Captain | Self::Manager | Self::Admin
        )
    }

    /// TENANT ADMINS: may manage the yacht's members (captain, manager, admin).
    pub const fn is_tenant_admin(self) -> bool {
        matches!(self, Self::Captain | Self::Manager | Self::Admin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a membership stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MembershipStatus {
    /// Invited; becomes active when the invite is accepted.
    Invited,
    Active,
    /// Kept for history; grants no access.
    Suspended,
}

impl MembershipStatus {
    pub const ALL: [Self; 3] = [Self::Invited, Self::Active, Self::Suspended];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_so_case_does_not_matter() {
        let a = Email::parse("  Captain@Aurora.Demo ").expect("valid");
        assert_eq!(a.as_str(), "captain@aurora.demo");
        assert_eq!(a, Email::parse("captain@aurora.demo").expect("valid"));
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "captain",
            "@aurora.demo",
            "captain@",
            "captain@aurora",
            "a@b@c.d",
            "cap tain@aurora.demo",
            "captain@.demo",
            "captain@aurora.",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Captain"), None);
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn role_groups_match_the_design() {
        let engineers: Vec<_> = Role::ALL.into_iter().filter(|r| r.is_engineer()).collect();
        assert_eq!(engineers, [Role::Engineer, Role::Eto, Role::ChiefEngineer]);
        let hods: Vec<_> = Role::ALL.into_iter().filter(|r| r.is_hod()).collect();
        assert_eq!(
            hods,
            [Role::Eto, Role::ChiefEngineer, Role::ChiefOfficer, Role::Captain, Role::Manager, Role::Admin]
        );
        let admins: Vec<_> = Role::ALL.into_iter().filter(|r| r.is_tenant_admin()).collect();
        assert_eq!(admins, [Role::Captain, Role::Manager, Role::Admin]);
    }

    #[test]
    fn rank_never_decreases_along_the_role_list() {
        for pair in Role::ALL.windows(2) {
            assert!(pair[0].rank() <= pair[1].rank(), "{pair:?}");
        }
    }

    #[test]
    fn membership_statuses_round_trip() {
        for status in MembershipStatus::ALL {
            assert_eq!(MembershipStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MembershipStatus::parse("deleted"), None);
    }
}
