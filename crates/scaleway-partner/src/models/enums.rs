//! String enums of the API. Values the client does not know are kept as `Unknown(String)`:
//! the API adds values over time and an old client must not fail on them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        $name:ident, default $default:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the client does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// Every value this version of the client knows, in wire form order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s,
                }
            }

            /// True for a value this version of the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::from(s.as_str())
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // null reads as the API's own "unknown" value, like an absent field.
                Ok(Option::<String>::deserialize(d)?.map(Self::from).unwrap_or_default())
            }
        }
    };
}

api_enum! {
    /// Status of a customer organization.
    OrganizationStatus, default UnknownStatus {
        /// The API's zero value (`unknown_status`); as a list filter it means "any status".
        UnknownStatus => "unknown_status",
        /// Usable by its owner.
        Opened => "opened",
        /// Locked by Scaleway or by the partner.
        Locked => "locked",
        /// Closed.
        Closed => "closed",
    }
}

api_enum! {
    /// Who placed the lock currently shown on an organization.
    LockedBy, default UnknownLockedBy {
        /// The API's zero value (`unknown_locked_by`): no lock, or, as a list filter, "anyone".
        UnknownLockedBy => "unknown_locked_by",
        /// Locked by the partner (lock reason `locked_by_reseller`).
        Partner => "partner",
        /// Locked by Scaleway (for example `validate_email` until the owner validates it).
        Scaleway => "scaleway",
    }
}

api_enum! {
    /// Order of a listing.
    OrderBy, default CreatedAtAsc {
        /// Oldest first (the API's default).
        CreatedAtAsc => "created_at_asc",
        /// Newest first.
        CreatedAtDesc => "created_at_desc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_round_trip() {
        let s: OrganizationStatus = serde_json::from_str("\"suspended\"").unwrap();
        assert_eq!(s, OrganizationStatus::Unknown("suspended".into()));
        assert!(s.is_unknown());
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"suspended\"");
    }

    #[test]
    fn known_values_and_null() {
        let s: LockedBy = serde_json::from_str("\"partner\"").unwrap();
        assert_eq!(s, LockedBy::Partner);
        let n: LockedBy = serde_json::from_str("null").unwrap();
        assert_eq!(n, LockedBy::UnknownLockedBy);
        assert_eq!(OrderBy::default().as_str(), "created_at_asc");
        assert_eq!(
            "created_at_desc".parse::<OrderBy>().unwrap(),
            OrderBy::CreatedAtDesc
        );
    }
}
