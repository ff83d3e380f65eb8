//! Request objects in (camelCase keys 1:1 onto the core's request fields; absent stays `None`, so
//! that the core names what is missing) and the numbers of call arguments.

use scaleway_partner as core;

use crate::keys::js_object;

js_object! {
    #[doc = "What `createOrganization` and `ensureOrganization` create (and each request of"]
    #[doc = "`ensureOrganizations`)."]
    #[derive(Debug, Default)]
    pub struct CreateOrganizationInput => core::CreateOrganizationRequest {
        #[doc = "The owner's email: Scaleway sends the validation email there."]
        pub email: Option<String>,
        #[doc = "The organization's name (2 characters at least)."]
        pub organization_name: Option<String>,
        #[doc = "The owner's first name."]
        pub owner_firstname: Option<String>,
        #[doc = "The owner's last name."]
        pub owner_lastname: Option<String>,
        #[doc = "The partner's own reference for this customer: what `ensureOrganization` looks it"]
        #[doc = "up by."]
        pub customer_id: Option<String>,
        #[doc = "Defaults to the client's `defaultOrganizationId`."]
        pub partner_id: Option<String>,
        #[doc = "The owner's phone number."]
        pub phone_number: Option<String>,
        #[doc = "French SIREN number: 9 digits."]
        pub siren_number: Option<String>,
    }
}

js_object! {
    #[doc = "What `updateOrganization` changes: only the fields given."]
    #[derive(Debug, Default)]
    pub struct UpdateOrganizationInput => core::UpdateOrganizationRequest {
        #[doc = "The owner's new email."]
        pub email: Option<String>,
        #[doc = "The organization's new name."]
        pub name: Option<String>,
        #[doc = "The owner's new first name."]
        pub owner_firstname: Option<String>,
        #[doc = "The owner's new last name."]
        pub owner_lastname: Option<String>,
        #[doc = "The owner's new phone number."]
        pub phone_number: Option<String>,
        #[doc = "The partner's new reference for this customer."]
        pub customer_id: Option<String>,
        #[doc = "The partner's free-text comment."]
        pub comment: Option<String>,
    }
}

js_object! {
    #[doc = "The partner user `requestAdminRole` invites as admin."]
    #[derive(Default)]
    pub struct RequestAdminRoleInput => core::RequestAdminRoleRequest {
        #[doc = "The user's name."]
        pub username: Option<String>,
        #[doc = "The user's email, where the invitation goes."]
        pub email: Option<String>,
        #[doc = "At most 72 characters; never logged."]
        pub password: Option<String>,
    }
}

// By hand, so that a password never reaches a log.
impl std::fmt::Debug for RequestAdminRoleInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestAdminRoleInput")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

js_object! {
    #[doc = "Filters of `listOrganizations`. Enum values are passed through as given: the core"]
    #[doc = "refuses the ones it does not know, naming the filter."]
    #[derive(Debug, Default)]
    pub struct ListOrganizationsInput {
        pub status: Option<String>,
        pub email: Option<String>,
        pub customer_id: Option<String>,
        pub locked_by: Option<String>,
        pub order_by: Option<String>,
        pub page_size: Option<f64>,
    }
}

impl ListOrganizationsInput {
    /// The core's request; a page size that is not a whole number is refused here.
    pub fn into_request(self) -> core::Result<core::ListOrganizationsRequest> {
        let mut r = core::ListOrganizationsRequest::new();
        r.status = self.status.map(core::OrganizationStatus::from);
        r.email = self.email;
        r.customer_id = self.customer_id;
        r.locked_by = self.locked_by.map(core::LockedBy::from);
        r.order_by = self.order_by.map(core::OrderBy::from);
        r.page_size = self.page_size.map(|n| count(n, "page_size")).transpose()?;
        Ok(r)
    }
}

fn refuse(field: &str, message: String) -> core::Error {
    core::Error::Validation {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// A JS number that must be a whole count (retries, concurrency, page numbers...) of a call. JS
/// has no integer type, so a negative or fractional value is refused rather than wrapped around.
pub fn count(n: f64, field: &str) -> core::Result<u32> {
    if n.is_finite() && n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(refuse(
            field,
            format!("must be a whole number >= 0, got {n}"),
        ))
    }
}
