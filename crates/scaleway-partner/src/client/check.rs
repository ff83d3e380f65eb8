//! The arguments of a call checked exactly as the call checks them, with nothing sent: a tool
//! given many records (a CSV of customers, a file of IDs) refuses a bad one before the first
//! request, and a dry run shows what would be sent.

use super::Client;
use crate::error::Result;
use crate::models::CreateOrganizationRequest;

impl Client {
    /// The request `create_organization` and `ensure_organization` would send: the default
    /// `partner_id` applied, validated. Nothing is sent.
    ///
    /// ```
    /// use scaleway_partner::{Client, CreateOrganizationRequest};
    /// let client = Client::builder()
    ///     .secret_key("11111111-1111-4111-8111-111111111111")
    ///     .default_organization_id("7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e")
    ///     .build()
    ///     .unwrap();
    /// let bad = CreateOrganizationRequest::new().email("owner@example.test");
    /// assert_eq!(client.check_create_request(bad.clone()).unwrap_err().field(), Some("organization_name"));
    /// let good = bad
    ///     .organization_name("Acme")
    ///     .owner_firstname("Jane")
    ///     .owner_lastname("Doe")
    ///     .customer_id("customer-42");
    /// let sent = client.check_create_request(good).unwrap();
    /// assert_eq!(sent.partner_id.as_deref(), Some("7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e"));
    /// assert_eq!(client.check_read_id(None).unwrap(), "7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e");
    /// ```
    pub fn check_create_request(
        &self,
        request: CreateOrganizationRequest,
    ) -> Result<CreateOrganizationRequest> {
        self.complete_create_request(request)
    }

    /// The ID `get_organization` would read (the default organization ID for `None`), checked.
    pub fn check_read_id(&self, organization_id: Option<&str>) -> Result<String> {
        self.organization_id(organization_id)
    }

    /// The ID a change (update, lock, unlock, request_admin_role) would target, checked: given,
    /// never the default organization, a UUID.
    ///
    /// ```
    /// use scaleway_partner::Client;
    /// assert_eq!(Client::check_target_id("42").unwrap_err().field(), Some("organization_id"));
    /// ```
    pub fn check_target_id(organization_id: &str) -> Result<String> {
        Self::target_id(organization_id)
    }
}
