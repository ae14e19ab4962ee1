//! The wire contracts: request bodies with their field rules, and the views responses carry.
//! Below both adapters and the use cases, so a REST route, a micro-action payload and a use case
//! share one definition.

/// Declares a wire enum mirroring a domain enum variant for variant (`snake_case` on the wire),
/// with the conversions both ways.
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $dto:ident <-> $domain:ident { $($variant:ident),+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $dto { $($variant),+ }
        impl From<$dto> for $domain {
            fn from(v: $dto) -> Self { match v { $($dto::$variant => Self::$variant),+ } }
        }
        impl From<$domain> for $dto {
            fn from(v: $domain) -> Self { match v { $($domain::$variant => Self::$variant),+ } }
        }
    };
}

pub mod audit;
pub mod equipment;
pub mod faults;
pub mod notes;
pub mod parts;
pub mod purchases;
pub mod schedules;
pub mod work_orders;
