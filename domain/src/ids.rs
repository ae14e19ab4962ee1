//! Typed identifiers: passing a `UserId` where a `YachtId` is expected does not compile.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// A new time-ordered (v7) id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            pub const fn as_uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_type!(
    /// A person who can sign in.
    UserId
);
impl UserId {
    /// Stands for the scheduler in the records it writes; no account has it.
    pub const SCHEDULER: Self = Self(Uuid::nil());
}

id_type!(
    /// A yacht: the tenant.
    YachtId
);
id_type!(
    /// One user's membership of one yacht.
    MembershipId
);
id_type!(
    /// A registered tenant database.
    TenantDatabaseId
);
id_type!(
    /// A piece of equipment on a yacht.
    EquipmentId
);
id_type!(
    /// One running-hours meter reading.
    ReadingId
);
id_type!(
    /// A reported fault.
    FaultId
);
id_type!(
    /// A work order.
    WorkOrderId
);
id_type!(
    /// One item of a work order's checklist.
    ChecklistItemId
);
id_type!(
    /// Hours logged against a work order.
    TimeEntryId
);
id_type!(
    /// A spare part.
    PartId
);
id_type!(
    /// One movement in a part's stock ledger.
    MovementId
);
id_type!(
    /// A planned-maintenance schedule.
    ScheduleId
);
id_type!(
    /// A note on equipment, a fault or a work order.
    NoteId
);
id_type!(
    /// An item of the crew-change handover.
    HandoverItemId
);
id_type!(
    /// A request to buy parts.
    PurchaseRequestId
);
