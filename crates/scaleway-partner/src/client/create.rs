//! Creating an organization without ever creating a duplicate.
//!
//! There is no delete in this API: a duplicate created by a blind retry stays forever. So a
//! create is posted again only when the request provably did not reach the service (the
//! connection was refused, or the gateway answered 429). After an ambiguous failure (a 5xx of
//! any kind, a timeout, a reset or truncation after sending, a 2xx that cannot be decoded) the
//! service may still apply it, seconds later: the client never posts again, and looks for the
//! organization by its `customer_id` and `email` with growing waits over a settle window. Found,
//! it is returned; not found, the call reports [`Error::CreateUnconfirmed`] (unless the caller
//! opted in to posting again).

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use tokio::time::Instant;

use super::{Client, ORGANIZATIONS_PATH};
use crate::coordination::Exclusion;
use crate::error::{Error, ErrorKind, Result};
use crate::models::{CreateOrganizationRequest, ListOrganizationsRequest, OrderBy, Organization};
use crate::pacer::later;
use crate::retry::{self, Outcome};
use crate::transport::Request;

/// How far before the call's start an organization's `created_at` may be and still count as
/// made by this call: room for clock skew between this machine and the API.
const CLOCK_SKEW_ALLOWANCE: Duration = Duration::from_secs(300);

/// First wait before looking for the result of an ambiguous attempt (then 2, 4, 8... times
/// longer, the last look at the end of the settle window): a create takes about 1 s.
const FIRST_SETTLE_WAIT: Duration = Duration::from_secs(1);

impl Client {
    /// Creates a customer organization. It comes back locked by Scaleway with
    /// `validate_email` until the owner validates the email address.
    ///
    /// `partner_id` defaults to the configured default organization ID. It never creates a
    /// duplicate: after a failure that may have applied the request, it looks for the
    /// organization instead of posting again, and reports [`Error::CreateUnconfirmed`] if it
    /// does not appear within the settle window (see the module documentation).
    ///
    /// Creates for one customer (API URL, partner, `customer_id`) never overlap, nor overlap an
    /// [`ensure_organization`](Client::ensure_organization) for it, across every client of the
    /// process and, by default, every process of the machine
    /// ([`ClientBuilder::coordination`](crate::ClientBuilder::coordination)): a second call
    /// waits (within its total timeout, and it can be cancelled) until the first has finished,
    /// then creates **another** organization, since a create is not create-if-absent. Waiting
    /// keeps each call's look for a lost attempt's organization from mistaking the other's for
    /// its own. To get one organization per customer however many callers, use
    /// [`ensure_organization`](Client::ensure_organization).
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
        let deadline = self.deadline();
        // The deadline is applied inside: past it, a create that may have been applied must
        // say so rather than time out.
        self.traced("create_organization", None, async {
            let request = self.complete_create_request(request)?;
            let exclusion = self.exclude(&request, deadline).await?;
            let created = self.create(&request, deadline, &exclusion).await;
            exclusion.release().await;
            created
        })
        .await
    }

    /// The request with its default `partner_id`, validated.
    pub(crate) fn complete_create_request(
        &self,
        mut request: CreateOrganizationRequest,
    ) -> Result<CreateOrganizationRequest> {
        if request.partner_id.is_none() {
            let default = self
                .config()
                .default_organization_id()
                .ok_or_else(|| Error::validation("partner_id", super::no_default_organization()))?;
            request.partner_id = Some(default.to_owned());
        }
        request.validate()?;
        Ok(request)
    }

    /// Creates a validated request by `deadline`, under the customer's `exclusion`, which is
    /// confirmed before each post.
    pub(crate) async fn create(
        &self,
        request: &CreateOrganizationRequest,
        deadline: Instant,
        exclusion: &Exclusion,
    ) -> Result<Organization> {
        let req = Request::new(
            "create_organization",
            Method::POST,
            ORGANIZATIONS_PATH.to_owned(),
        )
        .json(request);
        let started = Utc::now();
        let total = self.total_timeout();
        let mut retry = 0;
        loop {
            exclusion.confirm().await?;
            let err = match tokio::time::timeout_at(deadline, self.attempt(&req, retry + 1)).await {
                // A 2xx that cannot be decoded is ambiguous like the rest.
                Ok(Ok(raw)) => match raw.json() {
                    Ok(org) => return Ok(org),
                    Err(e) => e,
                },
                Ok(Err(e)) => e,
                // The request may be on its way: there is no time left to find out.
                Err(_) => {
                    return Err(self.unconfirmed(
                        request,
                        Duration::ZERO,
                        Error::deadline_exceeded(total),
                    ));
                }
            };
            match retry::classify(&err) {
                Outcome::Fail => return Err(err),
                Outcome::Retry => {
                    match tokio::time::timeout_at(
                        deadline,
                        self.wait_before_retry(&req, retry, err),
                    )
                    .await
                    {
                        Ok(waited) => waited?,
                        Err(_) => return Err(Error::deadline_exceeded(total)),
                    }
                }
                Outcome::Ambiguous => {
                    tracing::warn!(
                        kind = err.kind().as_str(),
                        error = %err,
                        "create outcome unknown; looking for the organization, not posting again"
                    );
                    let settle_start = Instant::now();
                    if let Some(org) =
                        Box::pin(self.settle(request, started, retry::server_wait(&err), deadline))
                            .await?
                    {
                        tracing::info!(organization_id = %org.id, "the lost create attempt was applied");
                        return Ok(org);
                    }
                    let waited = settle_start.elapsed();
                    let settings = self.settings();
                    if !settings.retry_unconfirmed_creates
                        || retry >= self.retry_policy().max_retries
                        || Instant::now() >= deadline
                    {
                        return Err(self.unconfirmed(request, waited, err));
                    }
                    tracing::warn!(
                        "the create did not appear within the settle window; posting it again \
                         as retry_unconfirmed_creates allows"
                    );
                }
            }
            retry += 1;
        }
    }

    fn unconfirmed(
        &self,
        request: &CreateOrganizationRequest,
        waited: Duration,
        source: Error,
    ) -> Error {
        Error::CreateUnconfirmed {
            customer_id: request.customer_id.clone().unwrap_or_default(),
            email: request.email.clone().unwrap_or_default(),
            waited,
            source: Box::new(source),
        }
    }

    /// Looks for the organization a lost attempt may have made, with waits of 1, 2, 4... s
    /// (at least what the server asked for) until the settle window or the deadline ends; the
    /// last look is at the end of the window. `Ok(None)` when it never appeared.
    async fn settle(
        &self,
        request: &CreateOrganizationRequest,
        started: DateTime<Utc>,
        server_wait: Option<Duration>,
        deadline: Instant,
    ) -> Result<Option<Organization>> {
        let end = later(Instant::now(), self.settings().create_settle_timeout).min(deadline);
        let mut wait = server_wait.unwrap_or_default().max(FIRST_SETTLE_WAIT);
        loop {
            let look_at = later(Instant::now(), wait).min(end);
            tokio::time::sleep_until(look_at).await;
            match tokio::time::timeout_at(deadline, self.find_created(request, started)).await {
                Ok(Ok(Some(org))) => return Ok(Some(org)),
                Ok(Ok(None)) => {}
                // Nothing can be looked up with these credentials: no point waiting.
                Ok(Err(e)) if !lookup_may_recover(&e) => return Ok(None),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "cannot look for the created organization yet");
                }
                Err(_) => return Ok(None),
            }
            if look_at >= end {
                return Ok(None);
            }
            wait *= 2;
        }
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
            )?
            .collect_all()
            .await?;
        Ok(candidates
            .into_iter()
            .filter(|o| o.created_at.is_some_and(|t| t >= since) && same_fields(o, request))
            .min_by_key(|o| o.created_at))
    }
}

/// Whether a failed lookup is worth trying again later in the settle window.
fn lookup_may_recover(e: &Error) -> bool {
    !matches!(
        e.kind(),
        ErrorKind::DeniedAuthentication
            | ErrorKind::PermissionsDenied
            | ErrorKind::Validation
            | ErrorKind::Cancelled
    )
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
