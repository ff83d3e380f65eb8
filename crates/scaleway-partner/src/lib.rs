//! # scaleway-partner
//!
//! A typed, async, fault-tolerant client for the
//! [Scaleway Partner API](https://www.scaleway.com/en/developers/api/partner/): create, list,
//! get, update, lock and unlock your customers' organizations, and invite a partner user as
//! their admin.
//!
//! What it does that the official SDKs do not:
//! - **retries** with jittered exponential backoff, honouring the server's wait when it names
//!   one, and never creating a duplicate organization (there is no delete in this API): a
//!   create whose fate is unknown is looked for, never posted again, and reported as
//!   [`Error::CreateUnconfirmed`] if it does not appear; [`Client::ensure_organization`] is
//!   create-if-absent;
//! - **pacing**: every client of one key in the process shares one rate budget (50
//!   requests/s, adjusted to the `X-Ratelimit-*` headers and lowered after a 429), so bulk work
//!   does not run into 429s;
//! - **timeouts** by default, per attempt and per whole call, and cancellation;
//! - **pagination** as a lazy stream or a bounded-concurrency `collect_all` that checks it got
//!   everything, and reads again when organizations leave the listing while it is read;
//! - **the key stays home**: no redirect is followed, no cleartext `http://` but to this
//!   machine, and changes always name their organization;
//! - **typed errors** for each of Scaleway's error kinds, each with status, request ID and body;
//! - **bulk** lock/unlock/get with per-item results (a cancelled or stopped bulk call keeps
//!   what it did: [`BulkInterrupted`]), and an **audit** of the partner's book;
//! - **traffic you can see and shape**: a [`Hook`] for every request, answer and retry (never
//!   the key), the status, request ID and headers of a success ([`ResponseCapture`]), default
//!   headers, and an explicit proxy (`NO_PROXY` honoured, this machine never proxied from the
//!   environment);
//! - **one set of rules for every language**: the error table ([`error_kinds`]), listing filters
//!   refused at the call, numbers checked by one rule per option for the client and for a call
//!   ([`NumberOption`]), configuration errors saying which [`Setting`] is wrong so that each
//!   language names it as its caller writes it ([`Error::message_in`]), and a progress callback
//!   that can stop a call
//!   ([`ProgressFn::stoppable`]).
//!
//! ```no_run
//! use scaleway_partner::{Client, CreateOrganizationRequest, ListOrganizationsRequest, OrganizationStatus};
//!
//! # async fn demo() -> scaleway_partner::Result<()> {
//! let client = Client::from_env()?; // SCW_SECRET_KEY, SCW_DEFAULT_ORGANIZATION_ID, or config.yaml
//! let org = client
//!     .create_organization(
//!         CreateOrganizationRequest::new()
//!             .email("owner@example.test")
//!             .organization_name("Acme")
//!             .owner_firstname("Jane")
//!             .owner_lastname("Doe")
//!             .customer_id("customer-42"),
//!     )
//!     .await?;
//! client.lock_organization(org.id.as_str()).await?;
//! let locked = client
//!     .list_organizations(ListOrganizationsRequest::new().status(OrganizationStatus::Locked))?
//!     .collect_all()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! The crate creates no runtime of its own: call it from any tokio runtime.

#![warn(missing_docs)]

mod audit;
mod bulk;
mod client;
mod config;
mod coordination;
mod error;
mod error_attributes;
#[cfg(test)]
mod hostile_tests;
mod models;
mod observe;
mod options;
mod pacer;
mod pagination;
mod progress;
mod reconcile;
mod response;
mod retry;
mod setting;
mod transport;
pub mod tree;
mod validate;

pub use audit::{
    AUDIT_FORMAT_VERSION, AuditDiff, AuditOptions, AuditReport, DEFAULT_STUCK_AFTER_DAYS, Finding,
    SharedMember, SharedValue, StatusChange, UnknownValue,
};
pub use bulk::{Bulk, BulkAction, BulkInterrupted, BulkResults};
pub use client::{
    CallOptions, Client, ClientBuilder, DEFAULT_BULK_CONCURRENCY, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_CREATE_SETTLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_PAGE_CONCURRENCY,
    DEFAULT_RATE_LIMIT, DEFAULT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, Ensured,
};
pub use config::{Config, DEFAULT_API_URL, SecretKey};
pub use error::{
    ApiError, ApiErrorDetails, Error, ErrorKind, ErrorKindInfo, InvalidArgument, ROOT_ERROR_CLASS,
    ResourceDetail, Result, UndecodableOrganization, class_for_code, error_kinds,
};
pub use error_attributes::{AttributeValue, attribute_names};
pub use models::{
    CreateOrganizationRequest, DEFAULT_PAGE_SIZE, FieldValue, ListOrganizationsRequest,
    ListOrganizationsResponse, LockedBy, OrderBy, Organization, OrganizationPage,
    OrganizationStatus, RequestAdminRoleRequest, UpdateOrganizationRequest,
};
pub use observe::{Hook, HookEvent, ResponseCapture, ResponseMeta};
pub use options::{DurationUnit, NumberOption, OptionSpelling};
pub use pagination::{Collected, MAX_LISTING_PASSES, OrganizationLister, PageCursor};
pub use progress::{CallbackError, Progress, ProgressFn};
pub use reconcile::{
    Action, ActionKind, ActionResult, ActionStatus, ApplyInterrupted, ApplyOptions, ApplyOutcome,
    Desired, DesiredRecord, DesiredState, FieldChange, PLAN_FORMAT_VERSION, Plan, PlanConflict,
    PlanOptions, RECORD_FIELDS, Reported, Seen, lock_changes,
};
pub use retry::RetryPolicy;
pub use setting::{ConfigError, Message, Names, RustNames, Setting};
pub use tokio_util::sync::CancellationToken;
