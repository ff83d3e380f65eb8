//! The API's values: organizations, requests and enums.

mod enums;
mod organization;
mod requests;

pub use enums::{LockedBy, OrderBy, OrganizationStatus};
pub use organization::{FieldValue, ListOrganizationsResponse, Organization, OrganizationPage};
pub use requests::{
    CreateOrganizationRequest, DEFAULT_PAGE_SIZE, ListOrganizationsRequest,
    RequestAdminRoleRequest, UpdateOrganizationRequest,
};
