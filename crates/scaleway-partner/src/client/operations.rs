//! The operations on one organization.

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::{Client, ORGANIZATIONS_PATH as ORGANIZATIONS, no_default_organization};
use crate::error::{Error, ErrorKind, Result};
use crate::models::{Organization, RequestAdminRoleRequest, UpdateOrganizationRequest};
use crate::response::RawResponse;
use crate::setting::{Message, Setting};
use crate::transport::Request;
use crate::validate;

impl Client {
    /// The organization ID to read: the one given, else the configured default organization ID
    /// (as in the official SDKs), checked to be a UUID so that nothing else reaches the path.
    pub(crate) fn organization_id(&self, given: Option<&str>) -> Result<String> {
        let id = match given {
            Some(id) => id,
            None => self
                .config()
                .default_organization_id()
                .ok_or_else(|| Error::validation("organization_id", no_default_organization()))?,
        };
        validate::uuid("organization_id", id)?;
        Ok(id.to_owned())
    }

    /// The organization ID to change: always given, never the default (the partner's own
    /// organization), and a UUID.
    pub(crate) fn target_id(given: &str) -> Result<String> {
        if given.trim().is_empty() {
            return Err(Error::validation(
                "organization_id",
                Message::default()
                    .text(
                        "is required: name the organization to change (changes never fall back to ",
                    )
                    .option(Setting::DefaultOrganizationId)
                    .text(", your own organization)"),
            ));
        }
        validate::uuid("organization_id", given)?;
        Ok(given.to_owned())
    }

    /// Gets one organization.
    ///
    /// `organization_id` defaults to the configured default organization ID when `None`.
    ///
    /// ```no_run
    /// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
    /// let org = client.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_organization<'a>(
        &self,
        organization_id: impl Into<Option<&'a str>>,
    ) -> Result<Organization> {
        let given = organization_id.into();
        self.run("get_organization", given, async {
            let id = self.organization_id(given)?;
            self.get_organization_by_id(&id).await
        })
        .await
    }

    pub(crate) async fn get_organization_by_id(&self, id: &str) -> Result<Organization> {
        let req = Request::new(
            "get_organization",
            Method::GET,
            format!("{ORGANIZATIONS}/{id}"),
        );
        self.read(&req).await
    }

    /// Sends a read and decodes its answer. A 2xx whose body is not JSON (garbled on the way)
    /// is read again, like any failed read, within the retry policy.
    async fn read<T: DeserializeOwned>(&self, req: &Request) -> Result<T> {
        let mut retry = 0;
        loop {
            let raw = self.send_idempotent(req).await.result?;
            match raw.json() {
                Ok(value) => return Ok(value),
                Err(e) if raw.is_garbled() => self.wait_before_retry(req, retry, e).await?,
                Err(e) => return Err(e),
            }
            retry += 1;
        }
    }

    /// The organization a change answered with. A 2xx means the change was applied; when its
    /// body is not JSON (garbled on the way), the organization is read back and returned if
    /// `applied` holds (the change shows), else the decoding error stands.
    async fn established(
        &self,
        raw: RawResponse,
        id: &str,
        applied: impl Fn(&Organization) -> bool,
    ) -> Result<Organization> {
        let err = match raw.json() {
            Ok(org) => return Ok(org),
            Err(e) if raw.is_garbled() => e,
            Err(e) => return Err(e),
        };
        tracing::warn!(
            organization_id = id,
            error = %err,
            "the answer to a change cannot be decoded: reading the organization back"
        );
        match self.get_organization_by_id(id).await {
            Ok(org) if applied(&org) => {
                tracing::info!(
                    organization_id = id,
                    "the change is in place (read back after an undecodable answer)"
                );
                Ok(org)
            }
            Ok(_) => {
                tracing::warn!(organization_id = id, "the change is not in place");
                Err(err)
            }
            Err(read) => {
                tracing::warn!(organization_id = id, error = %read, "cannot read the organization back");
                Err(err)
            }
        }
    }

    /// Updates the fields set in `request`; the others are left unchanged. The organization
    /// must be named: a change never falls back to the default organization ID.
    ///
    /// ```no_run
    /// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
    /// use scaleway_partner::UpdateOrganizationRequest;
    /// let org = client
    ///     .update_organization("6f4049e3-5910-4283-bb02-382ef15aa460", UpdateOrganizationRequest::new().customer_id("customer-43"))
    ///     .await?;
    /// assert_eq!(org.customer_id, "customer-43");
    /// # Ok(()) }
    /// ```
    pub async fn update_organization(
        &self,
        organization_id: &str,
        request: UpdateOrganizationRequest,
    ) -> Result<Organization> {
        self.run("update_organization", Some(organization_id), async {
            let id = Self::target_id(organization_id)?;
            request.validate()?;
            let req = Request::new(
                "update_organization",
                Method::PATCH,
                format!("{ORGANIZATIONS}/{id}"),
            )
            .json(&request);
            // Setting the same values twice is harmless, so updates are retried like reads.
            let raw = self.send_idempotent(&req).await.result?;
            self.established(raw, &id, |org| request.is_applied_to(org))
                .await
        })
        .await
    }

    /// Locks an organization (`locked_by: partner`). Locking an organization already locked by
    /// the partner succeeds again with a fresh `locked_at`, so this is safe to retry. The
    /// organization must be named: a change never falls back to the default organization ID.
    pub async fn lock_organization(&self, organization_id: &str) -> Result<Organization> {
        self.run("lock_organization", Some(organization_id), async {
            let id = Self::target_id(organization_id)?;
            let raw = self.send_idempotent(&lock_change(&id, true)).await.result?;
            self.established(raw, &id, Organization::is_locked_by_partner)
                .await
        })
        .await
    }

    /// Lifts the partner's lock. The lock underneath (Scaleway's `validate_email`, for example)
    /// shows again; the organization is `opened` only once no lock is left.
    ///
    /// Unlocking an organization without a partner lock is a `precondition_failed` error,
    /// except when an earlier attempt of this very call may have been applied (its answer was
    /// lost): then the organization is read back and returned if the partner lock is gone.
    /// The organization must be named: a change never falls back to the default organization ID.
    pub async fn unlock_organization(&self, organization_id: &str) -> Result<Organization> {
        self.run("unlock_organization", Some(organization_id), async {
            let id = Self::target_id(organization_id)?;
            self.unlock_by_id(&id).await
        })
        .await
    }

    async fn unlock_by_id(&self, id: &str) -> Result<Organization> {
        let sent = self.send_idempotent(&lock_change(id, false)).await;
        match sent.result {
            Ok(raw) => {
                self.established(raw, id, |org| !org.is_locked_by_partner())
                    .await
            }
            Err(e) if sent.ambiguous_failure && e.kind() == ErrorKind::PreconditionFailed => {
                let org = self.get_organization_by_id(id).await?;
                if org.is_locked_by_partner() {
                    Err(e)
                } else {
                    tracing::info!(
                        organization_id = id,
                        "an earlier unlock attempt was applied"
                    );
                    Ok(org)
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Invites a partner user as admin of the customer organization (answers with no content).
    /// The password is never logged. The organization must be named.
    ///
    /// Nothing documents that a repeated invitation is harmless, so after a failure that may
    /// have applied it (a 5xx, a timeout, a reset after sending) it is not sent again: the
    /// error is returned, and whether the invitation went out is unknown.
    pub async fn request_admin_role(
        &self,
        organization_id: &str,
        request: RequestAdminRoleRequest,
    ) -> Result<()> {
        self.run("request_admin_role", Some(organization_id), async {
            let id = Self::target_id(organization_id)?;
            request.validate()?;
            let req = Request::new(
                "request_admin_role",
                Method::POST,
                format!("{ORGANIZATIONS}/{id}/request-admin-role"),
            )
            .json(&request.body());
            self.send_unrepeatable(&req).await.map(|_| ())
        })
        .await
    }
}

/// The request of a lock change: an empty object posted to the organization's `lock` or
/// `unlock` path.
fn lock_change(id: &str, lock: bool) -> Request {
    let (operation, action) = if lock {
        ("lock_organization", "lock")
    } else {
        ("unlock_organization", "unlock")
    };
    Request::new(
        operation,
        Method::POST,
        format!("{ORGANIZATIONS}/{id}/{action}"),
    )
    .json(&serde_json::json!({}))
}
