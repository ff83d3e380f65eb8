//! Request types. Every field is optional in the type so that callers from any language can
//! build a request field by field; [`validate`](CreateOrganizationRequest::validate) checks
//! what is required and the API's constraints locally, naming the field at fault.

use std::fmt;

use serde::Serialize;

use super::enums::{LockedBy, OrderBy, OrganizationStatus};
use crate::error::Result;
use crate::validate;

macro_rules! string_setters {
    ($($(#[$meta:meta])* $field:ident),+ $(,)?) => {
        $(
            $(#[$meta])*
            #[must_use]
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )+
    };
}

/// Arguments of `create_organization`.
///
/// ```
/// use scaleway_partner::CreateOrganizationRequest;
/// let req = CreateOrganizationRequest::new()
///     .email("owner@example.test")
///     .organization_name("Acme")
///     .owner_firstname("Jane")
///     .owner_lastname("Doe")
///     .customer_id("customer-42");
/// assert!(req.validate().is_ok());
/// assert_eq!(
///     CreateOrganizationRequest::new().validate().unwrap_err().field(),
///     Some("email"),
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CreateOrganizationRequest {
    /// The partner's own organization ID; defaults to the configured default organization ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    /// Owner's email (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Organization name, 2 to 256 characters (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    /// Owner's first name, 2 to 256 characters (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_firstname: Option<String>,
    /// Owner's last name, 2 to 256 characters (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_lastname: Option<String>,
    /// The partner's reference for the customer, 1 to 256 characters (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Owner's phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// French SIREN number: exactly 9 digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub siren_number: Option<String>,
}

impl CreateOrganizationRequest {
    /// An empty request; set the fields with the methods of the same names.
    pub fn new() -> Self {
        Self::default()
    }

    string_setters! {
        /// Sets `partner_id`.
        partner_id,
        /// Sets `email`.
        email,
        /// Sets `organization_name`.
        organization_name,
        /// Sets `owner_firstname`.
        owner_firstname,
        /// Sets `owner_lastname`.
        owner_lastname,
        /// Sets `customer_id`.
        customer_id,
        /// Sets `phone_number`.
        phone_number,
        /// Sets `siren_number`.
        siren_number,
    }

    /// Checks required fields and the API's constraints (the `partner_id` default is applied by
    /// the client, so a missing one is not an error here).
    pub fn validate(&self) -> Result<()> {
        if let Some(p) = &self.partner_id {
            validate::uuid("partner_id", p)?;
        }
        validate::email("email", validate::required("email", self.email.as_deref())?)?;
        for (field, value) in [
            ("organization_name", &self.organization_name),
            ("owner_firstname", &self.owner_firstname),
            ("owner_lastname", &self.owner_lastname),
        ] {
            validate::line(field, validate::required(field, value.as_deref())?, 2, 256)?;
        }
        let customer_id = validate::required("customer_id", self.customer_id.as_deref())?;
        validate::line("customer_id", customer_id, 1, 256)?;
        if let Some(phone) = &self.phone_number {
            validate::no_control("phone_number", phone)?;
        }
        if let Some(siren) = &self.siren_number {
            validate::length("siren_number", siren, 9, 9)?;
            validate::all_chars("siren_number", siren, |c| c.is_ascii_digit(), "digits")?;
        }
        Ok(())
    }
}

/// Arguments of `update_organization`: only the fields set are changed.
///
/// ```
/// use scaleway_partner::UpdateOrganizationRequest;
/// let req = UpdateOrganizationRequest::new().customer_id("customer-43").comment("moved to annual billing");
/// assert!(req.validate().is_ok());
/// assert!(UpdateOrganizationRequest::new().name("A").validate().is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpdateOrganizationRequest {
    /// New owner email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// New name, 2 to 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New owner first name, 2 to 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_firstname: Option<String>,
    /// New owner last name, 2 to 256 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_lastname: Option<String>,
    /// New phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// New customer ID, 1 to 256 characters (affects future invoices only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// New comment, 1 to 1024 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl UpdateOrganizationRequest {
    /// An empty update; set the fields with the methods of the same names.
    pub fn new() -> Self {
        Self::default()
    }

    string_setters! {
        /// Sets `email`.
        email,
        /// Sets `name`.
        name,
        /// Sets `owner_firstname`.
        owner_firstname,
        /// Sets `owner_lastname`.
        owner_lastname,
        /// Sets `phone_number`.
        phone_number,
        /// Sets `customer_id`.
        customer_id,
        /// Sets `comment`.
        comment,
    }

    /// True when `org` holds every field this update sets (as read back after an answer that
    /// could not be decoded).
    pub(crate) fn is_applied_to(&self, org: &crate::Organization) -> bool {
        let same = |wanted: &Option<String>, actual: Option<&str>| {
            wanted.as_deref().is_none_or(|w| Some(w) == actual)
        };
        same(&self.email, Some(&org.email))
            && same(&self.name, Some(&org.name))
            && same(&self.owner_firstname, Some(&org.owner_firstname))
            && same(&self.owner_lastname, Some(&org.owner_lastname))
            && same(&self.phone_number, org.phone_number.as_deref())
            && same(&self.customer_id, Some(&org.customer_id))
            && same(&self.comment, Some(&org.comment))
    }

    /// Checks the API's constraints on the fields set.
    pub fn validate(&self) -> Result<()> {
        if let Some(e) = &self.email {
            validate::email("email", e)?;
        }
        for (field, value, min, max) in [
            ("name", &self.name, 2, 256),
            ("owner_firstname", &self.owner_firstname, 2, 256),
            ("owner_lastname", &self.owner_lastname, 2, 256),
            ("customer_id", &self.customer_id, 1, 256),
        ] {
            if let Some(v) = value {
                validate::line(field, v, min, max)?;
            }
        }
        if let Some(phone) = &self.phone_number {
            validate::no_control("phone_number", phone)?;
        }
        if let Some(comment) = &self.comment {
            // A note may span lines; NUL, ESC and the like are still refused.
            validate::length("comment", comment, 1, 1024)?;
            validate::no_control_but_lines("comment", comment)?;
        }
        Ok(())
    }
}

/// Filters and order of `list_organizations`.
///
/// ```
/// use scaleway_partner::{ListOrganizationsRequest, LockedBy, OrderBy};
/// let req = ListOrganizationsRequest::new()
///     .locked_by(LockedBy::Partner)
///     .order_by(OrderBy::CreatedAtDesc)
///     .page_size(100);
/// assert!(req.validate().is_ok());
/// assert_eq!(ListOrganizationsRequest::new().page_size(500).validate().unwrap_err().field(), Some("page_size"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOrganizationsRequest {
    /// Only organizations with this status (`unknown_status`: any).
    pub status: Option<OrganizationStatus>,
    /// Only organizations whose owner has this email.
    pub email: Option<String>,
    /// Only organizations with this customer ID (its current value).
    pub customer_id: Option<String>,
    /// Only organizations locked by this party (`unknown_locked_by`: any).
    pub locked_by: Option<LockedBy>,
    /// Order (oldest first by default).
    pub order_by: Option<OrderBy>,
    /// Organizations per page, 1 to 100 (50 by default).
    pub page_size: Option<u32>,
}

/// Page size used when none is given: the largest the API allows, to need the fewest calls.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

impl ListOrganizationsRequest {
    /// No filter, oldest first.
    pub fn new() -> Self {
        Self::default()
    }

    string_setters! {
        /// Sets the `email` filter.
        email,
        /// Sets the `customer_id` filter.
        customer_id,
    }

    /// Sets the `status` filter.
    #[must_use]
    pub fn status(mut self, status: OrganizationStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the `locked_by` filter.
    #[must_use]
    pub fn locked_by(mut self, locked_by: LockedBy) -> Self {
        self.locked_by = Some(locked_by);
        self
    }

    /// Sets the order.
    #[must_use]
    pub fn order_by(mut self, order_by: OrderBy) -> Self {
        self.order_by = Some(order_by);
        self
    }

    /// Sets the page size (1 to 100).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The page size that will be used.
    pub fn effective_page_size(&self) -> u32 {
        self.page_size.unwrap_or(DEFAULT_PAGE_SIZE)
    }

    /// Checks the API's constraints. Enum values this client does not know are refused here:
    /// a typo in a filter would otherwise list everything or nothing.
    pub fn validate(&self) -> Result<()> {
        if let Some(s) = &self.status {
            validate::known_enum(
                "status",
                s.as_str(),
                OrganizationStatus::KNOWN,
                s.is_unknown(),
            )?;
        }
        if let Some(l) = &self.locked_by {
            validate::known_enum("locked_by", l.as_str(), LockedBy::KNOWN, l.is_unknown())?;
        }
        if let Some(o) = &self.order_by {
            validate::known_enum("order_by", o.as_str(), OrderBy::KNOWN, o.is_unknown())?;
        }
        if let Some(c) = &self.customer_id {
            validate::line("customer_id", c, 1, 256)?;
        }
        if let Some(e) = &self.email {
            validate::email("email", e)?;
        }
        let size = self.effective_page_size();
        if !(1..=100).contains(&size) {
            return Err(crate::Error::validation(
                "page_size",
                format!("must be between 1 and 100, got {size}"),
            ));
        }
        Ok(())
    }

    /// The query string pairs for one page of `page_size`, as the official SDKs send them.
    pub(crate) fn query(&self, page: u32, page_size: u32) -> Vec<(&'static str, String)> {
        let mut q = vec![
            ("page", page.to_string()),
            ("page_size", page_size.to_string()),
            (
                "order_by",
                self.order_by
                    .clone()
                    .unwrap_or_default()
                    .as_str()
                    .to_owned(),
            ),
        ];
        if let Some(s) = &self.status {
            q.push(("status", s.as_str().to_owned()));
        }
        if let Some(l) = &self.locked_by {
            q.push(("locked_by", l.as_str().to_owned()));
        }
        if let Some(e) = &self.email {
            q.push(("email", e.clone()));
        }
        if let Some(c) = &self.customer_id {
            q.push(("customer_id", c.clone()));
        }
        q
    }
}

/// Arguments of `request_admin_role`: invites a partner user as admin of the customer
/// organization. The password is never printed by `Debug`.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestAdminRoleRequest {
    /// Username, 2 to 64 characters among letters, digits and `@._-` (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The user's email (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's password, at most 72 characters; empty when not given.
    pub password: Option<String>,
}

impl RequestAdminRoleRequest {
    /// An empty request; set the fields with the methods of the same names.
    pub fn new() -> Self {
        Self::default()
    }

    string_setters! {
        /// Sets `username`.
        username,
        /// Sets `email`.
        email,
        /// Sets `password`.
        password,
    }

    /// Checks required fields and the API's constraints.
    pub fn validate(&self) -> Result<()> {
        let username = validate::required("username", self.username.as_deref())?;
        validate::length("username", username, 2, 64)?;
        validate::all_chars(
            "username",
            username,
            |c| c.is_ascii_alphanumeric() || "@._-".contains(c),
            "letters, digits and @ . _ -",
        )?;
        validate::email("email", validate::required("email", self.email.as_deref())?)?;
        if let Some(p) = &self.password {
            let n = p.chars().count();
            if n > 72 {
                return Err(crate::Error::validation(
                    "password",
                    format!("must be at most 72 characters long, got {n}"),
                ));
            }
            // bcrypt stops at a NUL: "secret\0anything" would be the password "secret".
            validate::no_control("password", p)?;
        }
        Ok(())
    }

    /// The body, with an empty password when none was given.
    pub(crate) fn body(&self) -> serde_json::Value {
        serde_json::json!({
            "username": self.username,
            "email": self.email,
            "password": self.password.as_deref().unwrap_or(""),
        })
    }
}

impl fmt::Debug for RequestAdminRoleRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestAdminRoleRequest")
            .field("username", &self.username)
            .field("email", &self.email)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_checks_each_field_in_turn() {
        let full = CreateOrganizationRequest::new()
            .email("a@b.test")
            .organization_name("Acme")
            .owner_firstname("Jo")
            .owner_lastname("Doe")
            .customer_id("c");
        assert!(full.validate().is_ok());
        let cases = [
            (full.clone().email("nope"), "email"),
            (full.clone().organization_name("A"), "organization_name"),
            (
                full.clone().owner_lastname("x".repeat(257)),
                "owner_lastname",
            ),
            (full.clone().customer_id(""), "customer_id"),
            (full.clone().siren_number("12345678a"), "siren_number"),
            (full.clone().siren_number("1234"), "siren_number"),
            (full.clone().partner_id("nope"), "partner_id"),
        ];
        for (req, field) in cases {
            assert_eq!(req.validate().unwrap_err().field(), Some(field));
        }
        assert!(full.siren_number("123456789").validate().is_ok());
    }

    #[test]
    fn admin_role_password_is_redacted_and_bounded() {
        let req = RequestAdminRoleRequest::new()
            .username("jane.doe")
            .email("jane@example.test")
            .password("hunter2-secret");
        assert!(req.validate().is_ok());
        assert!(!format!("{req:?}").contains("hunter2"));
        let long = req.clone().password("x".repeat(73));
        assert_eq!(long.validate().unwrap_err().field(), Some("password"));
        let bad = req.username("jane doe");
        assert_eq!(bad.validate().unwrap_err().field(), Some("username"));
    }

    #[test]
    fn list_refuses_unknown_filter_values() {
        let req = ListOrganizationsRequest::new().status(OrganizationStatus::from("opend"));
        let err = req.validate().unwrap_err();
        assert_eq!(err.field(), Some("status"));
        assert!(err.to_string().contains("opened"));
        assert!(
            ListOrganizationsRequest::new()
                .page_size(0)
                .validate()
                .is_err()
        );
    }
}
