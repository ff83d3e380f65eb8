//! Values between JavaScript and the core: request objects in (camelCase keys 1:1 onto the core's
//! fields, absent stays `None` so the core names what is missing), organizations and pages out.

use std::time::Duration;

use chrono::{DateTime, Utc};
use napi_derive::napi;
use scaleway_partner as core;

/// An organization as Node sees it: `null` for absent optional values, `Date` for timestamps.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub locked_by: String,
    pub locked_at: Option<DateTime<Utc>>,
    pub lock_reason_message: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub customer_id: String,
    pub owner_firstname: String,
    pub owner_lastname: String,
    pub phone_number: Option<String>,
    pub picture_link: Option<String>,
    pub siren_number: Option<String>,
    pub comment: String,
}

impl From<core::Organization> for Organization {
    fn from(o: core::Organization) -> Self {
        Organization {
            id: o.id,
            name: o.name,
            email: o.email,
            status: o.status.as_str().to_owned(),
            locked_by: o.locked_by.as_str().to_owned(),
            locked_at: o.locked_at,
            lock_reason_message: o.lock_reason_message,
            created_at: o.created_at,
            customer_id: o.customer_id,
            owner_firstname: o.owner_firstname,
            owner_lastname: o.owner_lastname,
            phone_number: o.phone_number,
            picture_link: o.picture_link,
            siren_number: o.siren_number,
            comment: o.comment,
        }
    }
}

/// One page of a listing.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct OrganizationPage {
    pub organizations: Vec<Organization>,
    /// `null` when the API did not say.
    pub total_count: Option<f64>,
    pub page: u32,
    pub page_size: u32,
    /// Records of the page that could not be decoded as organizations.
    pub undecodable: Vec<UndecodableOrganization>,
}

/// A record of a listing that could not be decoded as an organization.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct UndecodableOrganization {
    pub page: u32,
    pub index: u32,
    pub id: Option<String>,
    pub message: String,
}

impl From<core::UndecodableOrganization> for UndecodableOrganization {
    fn from(u: core::UndecodableOrganization) -> Self {
        UndecodableOrganization {
            page: u.page,
            index: u32::try_from(u.index).unwrap_or(u32::MAX),
            id: u.id,
            message: u.message,
        }
    }
}

impl From<core::OrganizationPage> for OrganizationPage {
    fn from(p: core::OrganizationPage) -> Self {
        OrganizationPage {
            organizations: p.organizations.into_iter().map(Into::into).collect(),
            // Counts stay far below 2^53, where a JS number is exact.
            total_count: p.total_count.map(|n| n as f64),
            page: p.page,
            page_size: p.page_size,
            undecodable: p.undecodable.into_iter().map(Into::into).collect(),
        }
    }
}

/// Arguments of `createOrganization`.
#[napi(object)]
#[derive(Debug)]
pub struct CreateOrganizationInput {
    pub email: Option<String>,
    pub organization_name: Option<String>,
    pub owner_firstname: Option<String>,
    pub owner_lastname: Option<String>,
    pub customer_id: Option<String>,
    pub partner_id: Option<String>,
    pub phone_number: Option<String>,
    pub siren_number: Option<String>,
}

impl From<CreateOrganizationInput> for core::CreateOrganizationRequest {
    fn from(i: CreateOrganizationInput) -> Self {
        let mut r = core::CreateOrganizationRequest::new();
        r.email = i.email;
        r.organization_name = i.organization_name;
        r.owner_firstname = i.owner_firstname;
        r.owner_lastname = i.owner_lastname;
        r.customer_id = i.customer_id;
        r.partner_id = i.partner_id;
        r.phone_number = i.phone_number;
        r.siren_number = i.siren_number;
        r
    }
}

/// Arguments of `updateOrganization`.
#[napi(object)]
#[derive(Debug)]
pub struct UpdateOrganizationInput {
    pub email: Option<String>,
    pub name: Option<String>,
    pub owner_firstname: Option<String>,
    pub owner_lastname: Option<String>,
    pub phone_number: Option<String>,
    pub customer_id: Option<String>,
    pub comment: Option<String>,
}

impl From<UpdateOrganizationInput> for core::UpdateOrganizationRequest {
    fn from(i: UpdateOrganizationInput) -> Self {
        let mut r = core::UpdateOrganizationRequest::new();
        r.email = i.email;
        r.name = i.name;
        r.owner_firstname = i.owner_firstname;
        r.owner_lastname = i.owner_lastname;
        r.phone_number = i.phone_number;
        r.customer_id = i.customer_id;
        r.comment = i.comment;
        r
    }
}

/// Arguments of `requestAdminRole`.
#[napi(object)]
pub struct RequestAdminRoleInput {
    pub username: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
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

impl From<RequestAdminRoleInput> for core::RequestAdminRoleRequest {
    fn from(i: RequestAdminRoleInput) -> Self {
        let mut r = core::RequestAdminRoleRequest::new();
        r.username = i.username;
        r.email = i.email;
        r.password = i.password;
        r
    }
}

/// Filters of `listOrganizations`. Enum values are passed through as given: the core refuses
/// the ones it does not know, naming the filter.
#[napi(object)]
#[derive(Debug)]
pub struct ListOrganizationsInput {
    pub status: Option<String>,
    pub email: Option<String>,
    pub customer_id: Option<String>,
    pub locked_by: Option<String>,
    pub order_by: Option<String>,
    pub page_size: Option<f64>,
}

impl ListOrganizationsInput {
    pub fn into_request(self) -> core::Result<core::ListOrganizationsRequest> {
        let mut r = core::ListOrganizationsRequest::new();
        r.status = self.status.map(core::OrganizationStatus::from);
        r.email = self.email;
        r.customer_id = self.customer_id;
        r.locked_by = self.locked_by.map(core::LockedBy::from);
        r.order_by = self.order_by.map(core::OrderBy::from);
        r.page_size = self
            .page_size
            .map(|n| count(n, "page_size", Kind::Call))
            .transpose()?;
        Ok(r)
    }
}

/// Where a number came from: a call argument (the client's options go raw to the core's
/// builder, which checks them).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Call,
}

fn refuse(kind: Kind, field: &str, message: String) -> core::Error {
    match kind {
        Kind::Call => core::Error::Validation {
            field: field.to_owned(),
            message,
        },
    }
}

/// A JS number that must be a whole count (retries, concurrency, page numbers...). JS has no
/// integer type, so a negative or fractional value is refused here rather than wrapped around.
pub fn count(n: f64, field: &str, kind: Kind) -> core::Result<u32> {
    if n.is_finite() && n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) {
        Ok(n as u32)
    } else {
        Err(refuse(
            kind,
            field,
            format!("must be a whole number >= 0, got {n}"),
        ))
    }
}

/// A JS duration in milliseconds, > 0.
pub fn millis(n: f64, field: &str, kind: Kind) -> core::Result<Duration> {
    if !(n.is_finite() && n > 0.0) {
        return Err(refuse(
            kind,
            field,
            format!("must be a number of milliseconds > 0, got {n}"),
        ));
    }
    // A number too large for a Duration is refused, never a panic across the FFI boundary.
    Duration::try_from_secs_f64(n / 1000.0)
        .map_err(|_| refuse(kind, field, format!("is too large: {n} milliseconds")))
}

/// Progress of `.all()` and the bulk operations.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct Progress {
    pub done: f64,
    pub total: Option<f64>,
}

impl From<core::Progress> for Progress {
    fn from(p: core::Progress) -> Self {
        Progress {
            done: p.done as f64,
            total: p.total.map(|t| t as f64),
        }
    }
}
