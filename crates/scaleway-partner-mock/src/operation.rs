//! The seven operations of the Partner API, and the routes they live on.

use http::Method;
use serde::{Deserialize, Serialize};

pub(crate) const ORGANIZATIONS: &str = "/partner/v1/organizations";
pub(crate) const ORGANIZATION: &str = "/partner/v1/organizations/{organization_id}";
pub(crate) const LOCK: &str = "/partner/v1/organizations/{organization_id}/lock";
pub(crate) const UNLOCK: &str = "/partner/v1/organizations/{organization_id}/unlock";
pub(crate) const ADMIN_ROLE: &str =
    "/partner/v1/organizations/{organization_id}/request-admin-role";

/// An operation of the Partner API. Its snake_case name (`"create_organization"`, ...) is
/// the one used in JSON, in stats and in faults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// `POST /partner/v1/organizations`.
    CreateOrganization,
    /// `GET /partner/v1/organizations`.
    ListOrganizations,
    /// `GET /partner/v1/organizations/{organization_id}`.
    GetOrganization,
    /// `PATCH /partner/v1/organizations/{organization_id}`.
    UpdateOrganization,
    /// `POST /partner/v1/organizations/{organization_id}/lock`.
    LockOrganization,
    /// `POST /partner/v1/organizations/{organization_id}/unlock`.
    UnlockOrganization,
    /// `POST /partner/v1/organizations/{organization_id}/request-admin-role`.
    RequestAdminRole,
}

impl Operation {
    /// The seven operations, in the order above.
    pub const ALL: [Operation; 7] = [
        Operation::CreateOrganization,
        Operation::ListOrganizations,
        Operation::GetOrganization,
        Operation::UpdateOrganization,
        Operation::LockOrganization,
        Operation::UnlockOrganization,
        Operation::RequestAdminRole,
    ];

    /// The snake_case name, e.g. `"create_organization"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::CreateOrganization => "create_organization",
            Operation::ListOrganizations => "list_organizations",
            Operation::GetOrganization => "get_organization",
            Operation::UpdateOrganization => "update_organization",
            Operation::LockOrganization => "lock_organization",
            Operation::UnlockOrganization => "unlock_organization",
            Operation::RequestAdminRole => "request_admin_role",
        }
    }

    /// Whether the operation changes the state (all but the get and the list).
    pub(crate) fn is_write(self) -> bool {
        !matches!(
            self,
            Operation::ListOrganizations | Operation::GetOrganization
        )
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The operation behind a matched route, `None` for a method the route does not serve.
    pub(crate) fn from_route(method: &Method, route: &str) -> Option<Operation> {
        let op = match (route, method.as_str()) {
            (ORGANIZATIONS, "POST") => Operation::CreateOrganization,
            (ORGANIZATIONS, "GET") => Operation::ListOrganizations,
            (ORGANIZATION, "GET") => Operation::GetOrganization,
            (ORGANIZATION, "PATCH") => Operation::UpdateOrganization,
            (LOCK, "POST") => Operation::LockOrganization,
            (UNLOCK, "POST") => Operation::UnlockOrganization,
            (ADMIN_ROLE, "POST") => Operation::RequestAdminRole,
            _ => return None,
        };
        Some(op)
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
