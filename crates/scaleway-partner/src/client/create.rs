//! Creating an organization without ever creating a duplicate.
//!
//! There is no delete in this API: a duplicate created by a blind retry stays forever. So a
//! create is retried blindly only when the request provably did not reach the service (the
//! connection was refused, or the gateway answered 429). After an ambiguous failure (timeout,
//! reset after sending, 5xx, a garbled answer) the client first looks for the organization the
//! lost attempt may have created, by listing on its `customer_id` and `email`, and retries only
//! if there is none.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;

use super::{Client, ORGANIZATIONS_PATH};
use crate::error::{Error, Result};
use crate::models::{CreateOrganizationRequest, ListOrganizationsRequest, OrderBy, Organization};
use crate::retry::{self, Outcome};
use crate::transport::Request;

/// How far before the call's start an organization's `created_at` may be and still count as
/// made by this call: room for clock skew between this machine and the API.
const CLOCK_SKEW_ALLOWANCE: Duration = Duration::from_secs(300);

/// Shortest wait before looking for the result of an ambiguous attempt, so that a request
/// still in flight on the server side has time to land.
const MIN_RECONCILE_DELAY: Duration = Duration::from_secs(1);

/// After a timeout, how many times to look (waiting 1, 2, 4 times the first wait) before
/// deciding that the lost attempt was not applied and creating again.
const RECONCILE_LOOKS_AFTER_TIMEOUT: u32 = 3;

impl Client {
    /// Creates a customer organization. It comes back locked by Scaleway with
    /// `validate_email` until the owner validates the email address.
    ///
    /// `partner_id` defaults to the configured default organization ID. Retries never create
    /// a duplicate (see the module documentation).
    ///
    /// ```no_run
    /// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
    /// use scaleway_partner::CreateOrganizationRequest;
    /// let org = client
    ///     .create_organization(
    ///         CreateOrganizationRequest::new()
    ///             .email("owner@example.test")
    ///             .organization_name("Acme")
    ///             .owner_firstname("Jane")
    ///             .owner_lastname("Doe")
    ///             .customer_id("customer-42"),
    ///     )
    ///     .await?;
    /// println!("created {} ({})", org.id, org.status);
    /// # Ok(()) }
    /// ```
    pub async fn create_organization(
        &self,
        request: CreateOrganizationRequest,
    ) -> Result<Organization> {
        self.run("create_organization", None, self.create(request))
            .await
    }

    async fn create(&self, mut request: CreateOrganizationRequest) -> Result<Organization> {
        if request.partner_id.is_none() {
            let default = self.config().default_organization_id().ok_or_else(|| {
                Error::validation(
                    "partner_id",
                    "is required (pass it or configure default_organization_id)",
                )
            })?;
            request.partner_id = Some(default.to_owned());
        }
        request.validate()?;
        let req = Request::new(
            "create_organization",
            Method::POST,
            ORGANIZATIONS_PATH.to_owned(),
        )
        .json(&request);
        let started = Utc::now();
        let mut retry = 0;
        loop {
            let err = match self.attempt(&req, retry + 1).await {
                Ok(raw) => return raw.json(),
                Err(e) => e,
            };
            match retry::classify(&err) {
                Outcome::Fail => return Err(err),
                Outcome::Retry => self.wait_before_retry(retry, err).await?,
                Outcome::Ambiguous => {
                    let policy = self.retry_policy();
                    if retry >= policy.max_retries {
                        return Err(err);
                    }
                    tracing::warn!(
                        kind = err.kind().as_str(),
                        error = %err,
                        "create outcome unknown; looking for the organization before retrying"
                    );
                    let first_wait = policy
                        .delay(retry, retry::server_wait(&err))
                        .unwrap_or(MIN_RECONCILE_DELAY)
                        .max(MIN_RECONCILE_DELAY);
                    // A timed-out request may still be on its way through the service; after a
                    // reset or an error answer, the service is done with it.
                    let looks = if matches!(err, Error::Timeout { .. }) {
                        RECONCILE_LOOKS_AFTER_TIMEOUT
                    } else {
                        1
                    };
                    match self
                        .look_for_created(&request, started, first_wait, looks)
                        .await
                    {
                        Ok(Some(org)) => {
                            tracing::info!(organization_id = %org.id, "the lost create attempt was applied");
                            return Ok(org);
                        }
                        Ok(None) => {}
                        Err(lookup) => {
                            tracing::warn!(error = %lookup, "cannot tell whether the create was applied; not retrying");
                            return Err(err);
                        }
                    }
                }
            }
            retry += 1;
        }
    }

    /// Looks `looks` times for the organization a lost attempt made, doubling the wait each time.
    async fn look_for_created(
        &self,
        request: &CreateOrganizationRequest,
        started: DateTime<Utc>,
        first_wait: Duration,
        looks: u32,
    ) -> Result<Option<Organization>> {
        let mut wait = first_wait;
        for _ in 0..looks {
            tokio::time::sleep(wait).await;
            if let Some(org) = self.find_created(request, started).await? {
                return Ok(Some(org));
            }
            wait *= 2;
        }
        Ok(None)
    }

    /// The organization an earlier attempt of this create made, if any: same customer ID,
    /// email and names, created since the call started (give or take clock skew). Optional
    /// fields are not compared: the API may normalise them, and a miss here means a duplicate.
    async fn find_created(
        &self,
        request: &CreateOrganizationRequest,
        started: DateTime<Utc>,
    ) -> Result<Option<Organization>> {
        let (Some(customer_id), Some(email)) = (&request.customer_id, &request.email) else {
            return Ok(None);
        };
        let since = started - CLOCK_SKEW_ALLOWANCE;
        let candidates = self
            .list_organizations(
                ListOrganizationsRequest::new()
                    .customer_id(customer_id.clone())
                    .email(email.clone())
                    .order_by(OrderBy::CreatedAtAsc),
            )
            .collect_all()
            .await?;
        Ok(candidates
            .into_iter()
            .filter(|o| o.created_at.is_some_and(|t| t >= since) && same_fields(o, request))
            .min_by_key(|o| o.created_at))
    }
}

fn same_fields(org: &Organization, req: &CreateOrganizationRequest) -> bool {
    let eq = |a: &str, b: &Option<String>| b.as_deref() == Some(a);
    org.email
        .eq_ignore_ascii_case(req.email.as_deref().unwrap_or_default())
        && eq(&org.name, &req.organization_name)
        && eq(&org.owner_firstname, &req.owner_firstname)
        && eq(&org.owner_lastname, &req.owner_lastname)
        && eq(&org.customer_id, &req.customer_id)
}
