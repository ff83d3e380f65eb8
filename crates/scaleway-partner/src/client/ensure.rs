//! Create-if-absent, keyed on `customer_id`: what a provisioning script re-run after a crash
//! (or after [`Error::CreateUnconfirmed`]) needs.

use tokio::time::Instant;

use super::Client;
use crate::coordination::Exclusion;
use crate::error::{Error, Result};
use crate::models::{CreateOrganizationRequest, ListOrganizationsRequest, Organization};

/// The organization [`Client::ensure_organization`] found or created.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensured {
    /// The organization.
    pub organization: Organization,
    /// True when this call created it; false when it existed already.
    pub created: bool,
}

impl Client {
    /// The organization of `request.customer_id`, created (with the same no-duplicate safety
    /// as [`create_organization`](Client::create_organization)) only if there is none.
    ///
    /// It lists the partner's organizations with this `customer_id`: one whose owner email is
    /// the request's (case aside) is returned with `created: false`; none, and it is created;
    /// several, or one with another email, is an [`Error::Conflict`] listing their IDs, and
    /// nothing is created. A lookup answered with a body that contradicts itself (a total and
    /// no `organizations` list, an empty page within its total...) is never taken for "none":
    /// the call fails with [`Error::UnexpectedResponse`] and creates nothing.
    ///
    /// Calls for one customer (API URL, partner, `customer_id`) never overlap: across every
    /// client of the process, and by default every process of the machine
    /// ([`ClientBuilder::coordination`](crate::ClientBuilder::coordination); hosts through
    /// Redis). A second call waits for the first (within its total timeout; it can be
    /// cancelled), then finds its organization and returns it with `created: false`. Calls for
    /// different customers run at once.
    ///
    /// ```no_run
    /// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
    /// use scaleway_partner::CreateOrganizationRequest;
    /// let ensured = client
    ///     .ensure_organization(
    ///         CreateOrganizationRequest::new()
    ///             .email("owner@example.test")
    ///             .organization_name("Acme")
    ///             .owner_firstname("Jane")
    ///             .owner_lastname("Doe")
    ///             .customer_id("customer-42"),
    ///     )
    ///     .await?;
    /// println!("{} ({})", ensured.organization.id, if ensured.created { "new" } else { "existing" });
    /// # Ok(()) }
    /// ```
    pub async fn ensure_organization(&self, request: CreateOrganizationRequest) -> Result<Ensured> {
        let deadline = self.deadline();
        self.traced("ensure_organization", None, async {
            let request = self.complete_create_request(request)?;
            let exclusion = self.exclude(&request, deadline).await?;
            let ensured = self.ensure_excluded(&request, deadline, &exclusion).await;
            exclusion.release().await;
            ensured
        })
        .await
    }

    /// Looks the customer up and creates its organization if it has none, the only caller
    /// doing so for this customer.
    async fn ensure_excluded(
        &self,
        request: &CreateOrganizationRequest,
        deadline: Instant,
        exclusion: &Exclusion,
    ) -> Result<Ensured> {
        let existing = match tokio::time::timeout_at(deadline, self.with_customer_id(request)).await
        {
            Ok(found) => found?,
            Err(_) => return Err(Error::deadline_exceeded(self.total_timeout())),
        };
        match choose(request, existing)? {
            Some(organization) => Ok(Ensured {
                organization,
                created: false,
            }),
            None => {
                let organization = self.create(request, deadline, exclusion).await?;
                if exclusion.expires() {
                    self.check_alone(request, &organization, deadline).await?;
                }
                Ok(Ensured {
                    organization,
                    created: true,
                })
            }
        }
    }

    /// After a create under a lease that can expire: a holder frozen past its lease may have
    /// created for the customer too. Another organization with this `customer_id` is reported
    /// as [`Error::Conflict`], never silently returned.
    async fn check_alone(
        &self,
        request: &CreateOrganizationRequest,
        created: &Organization,
        deadline: Instant,
    ) -> Result<()> {
        let all = match tokio::time::timeout_at(deadline, self.with_customer_id(request)).await {
            Ok(found) => found?,
            Err(_) => return Err(Error::deadline_exceeded(self.total_timeout())),
        };
        if all.iter().all(|o| o.id == created.id) {
            return Ok(());
        }
        let mut organization_ids: Vec<String> = all.into_iter().map(|o| o.id).collect();
        if !organization_ids.contains(&created.id) {
            organization_ids.push(created.id.clone());
        }
        Err(Error::Conflict {
            customer_id: request.customer_id.clone().unwrap_or_default(),
            organization_ids,
            message: format!(
                "organization {} was created, and another caller created for this customer_id \
                 too (its lease on the customer ran out before it posted)",
                created.id
            ),
        })
    }

    async fn with_customer_id(
        &self,
        request: &CreateOrganizationRequest,
    ) -> Result<Vec<Organization>> {
        let customer_id = request.customer_id.clone().unwrap_or_default();
        let listed = self
            .list_organizations(ListOrganizationsRequest::new().customer_id(customer_id.clone()))?
            .collect_all()
            .await?;
        Ok(listed
            .into_iter()
            .filter(|o| o.customer_id == customer_id)
            .collect())
    }
}

/// The existing organization to return, `None` to create one, or the conflict.
fn choose(
    request: &CreateOrganizationRequest,
    mut existing: Vec<Organization>,
) -> Result<Option<Organization>> {
    let customer_id = request.customer_id.clone().unwrap_or_default();
    let email = request.email.as_deref().unwrap_or_default();
    let conflict = |existing: &[Organization], message: String| Error::Conflict {
        customer_id: customer_id.clone(),
        organization_ids: existing.iter().map(|o| o.id.clone()).collect(),
        message,
    };
    match existing.len() {
        0 => Ok(None),
        1 if existing[0].email.eq_ignore_ascii_case(email) => Ok(existing.pop()),
        1 => Err(conflict(
            &existing,
            "an organization with this customer_id exists with another owner email; nothing was \
             created"
                .into(),
        )),
        n => Err(conflict(
            &existing,
            format!(
                "{n} organizations have this customer_id; nothing was created (pick one, or give \
                 the others another customer_id)"
            ),
        )),
    }
}
