//! The client: construction from options or the environment, per-call options, and one method
//! per core operation. Each method maps its arguments and result; the core does the rest.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use scaleway_partner::{self as core, CancellationToken};

use crate::audit::AuditReport;
use crate::convert::{
    self, CreateOrganizationInput, Kind, ListOrganizationsInput, Organization,
    RequestAdminRoleInput, UpdateOrganizationInput,
};
use crate::errors::{IntoNapi, payload_json};
use crate::lister::NativeLister;
use crate::progress::{ProgressCallback, Reporter};

/// Options of `new Client(...)`: durations in milliseconds.
#[napi(object)]
#[derive(Debug, Default)]
pub struct ClientOptions {
    pub secret_key: Option<String>,
    pub access_key: Option<String>,
    pub api_url: Option<String>,
    pub default_organization_id: Option<String>,
    pub profile: Option<String>,
    pub insecure: Option<bool>,
    pub timeout: Option<f64>,
    pub connect_timeout: Option<f64>,
    pub total_timeout: Option<f64>,
    pub create_settle_timeout: Option<f64>,
    pub retry_unconfirmed_creates: Option<bool>,
    pub allow_insecure_http: Option<bool>,
    pub max_retries: Option<f64>,
    pub rate_limit: Option<f64>,
    pub page_concurrency: Option<f64>,
    pub bulk_concurrency: Option<f64>,
    pub ca_cert: Option<String>,
    pub max_connections: Option<f64>,
}

fn build(options: ClientOptions) -> core::Result<core::Client> {
    let mut b = core::Client::builder().user_agent_extra(format!(
        "scaleway_partner-node/{}",
        env!("CARGO_PKG_VERSION")
    ));
    if let Some(v) = options.secret_key {
        b = b.secret_key(v);
    }
    if let Some(v) = options.access_key {
        b = b.access_key(v);
    }
    if let Some(v) = options.api_url {
        b = b.api_url(v);
    }
    if let Some(v) = options.default_organization_id {
        b = b.default_organization_id(v);
    }
    if let Some(v) = options.profile {
        b = b.profile(v);
    }
    if let Some(v) = options.insecure {
        b = b.insecure(v);
    }
    if let Some(v) = options.timeout {
        b = b.timeout(convert::millis(v, "timeout", Kind::Client)?);
    }
    if let Some(v) = options.connect_timeout {
        b = b.connect_timeout(convert::millis(v, "connect_timeout", Kind::Client)?);
    }
    if let Some(v) = options.total_timeout {
        b = b.total_timeout(convert::millis(v, "total_timeout", Kind::Client)?);
    }
    if let Some(v) = options.create_settle_timeout {
        b = b.create_settle_timeout(convert::millis_or_zero(
            v,
            "create_settle_timeout",
            Kind::Client,
        )?);
    }
    if let Some(v) = options.retry_unconfirmed_creates {
        b = b.retry_unconfirmed_creates(v);
    }
    if let Some(v) = options.allow_insecure_http {
        b = b.allow_insecure_http(v);
    }
    if let Some(v) = options.max_retries {
        b = b.max_retries(convert::count(v, "max_retries", Kind::Client)?);
    }
    if let Some(v) = options.rate_limit {
        b = b.rate_limit(v);
    }
    if let Some(v) = options.page_concurrency {
        b = b.page_concurrency(convert::count(v, "page_concurrency", Kind::Client)? as usize);
    }
    if let Some(v) = options.bulk_concurrency {
        b = b.bulk_concurrency(convert::count(v, "bulk_concurrency", Kind::Client)? as usize);
    }
    if let Some(v) = options.ca_cert {
        b = b.ca_certificate_pem(v);
    }
    if let Some(v) = options.max_connections {
        b = b.max_connections(convert::count(v, "max_connections", Kind::Client)? as usize);
    }
    b.build()
}

/// Cancels the calls of the client views it was given to; JS triggers it on `abort`.
#[napi]
#[derive(Debug)]
pub struct CancelHandle {
    token: CancellationToken,
}

#[napi]
impl CancelHandle {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)] // napi constructors take no Default
    pub fn new() -> Self {
        CancelHandle {
            token: CancellationToken::new(),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
    }
}

/// One result of a bulk operation: the organization, or the error payload (JSON) the JS layer
/// turns into an error instance.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct BulkItem {
    pub organization: Option<Organization>,
    pub error: Option<String>,
}

fn bulk_items(results: Vec<core::Result<core::Organization>>) -> Vec<BulkItem> {
    results
        .into_iter()
        .map(|r| match r {
            Ok(o) => BulkItem {
                organization: Some(o.into()),
                error: None,
            },
            Err(e) => BulkItem {
                organization: None,
                error: Some(payload_json(&e)),
            },
        })
        .collect()
}

/// What `ensureOrganization` found or created.
#[napi(object)]
#[derive(Debug)]
pub struct EnsuredOrganization {
    pub organization: Organization,
    /// True when this call created it; false when it existed already.
    pub created: bool,
}

impl From<core::Ensured> for EnsuredOrganization {
    fn from(e: core::Ensured) -> Self {
        EnsuredOrganization {
            organization: e.organization.into(),
            created: e.created,
        }
    }
}

/// One result of `ensureOrganizations`: the ensured organization, or the error payload (JSON).
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct EnsureItem {
    pub ensured: Option<EnsuredOrganization>,
    pub error: Option<String>,
}

fn ensure_items(results: Vec<core::Result<core::Ensured>>) -> Vec<EnsureItem> {
    results
        .into_iter()
        .map(|r| match r {
            Ok(e) => EnsureItem {
                ensured: Some(e.into()),
                error: None,
            },
            Err(e) => EnsureItem {
                ensured: None,
                error: Some(payload_json(&e)),
            },
        })
        .collect()
}

#[napi]
#[derive(Debug)]
pub struct NativeClient {
    inner: core::Client,
}

#[napi]
impl NativeClient {
    /// From the options given, completed by `SCW_*` and the scw config.yaml.
    // `catch_unwind` on the synchronous entry points into the core: a panic there would
    // otherwise abort the process (asynchronous methods already reject with it).
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Option<ClientOptions>) -> Result<Self> {
        Ok(NativeClient {
            inner: build(options.unwrap_or_default()).napi()?,
        })
    }

    /// A view sharing the pool and the pacer whose calls use these options.
    #[napi(catch_unwind)]
    pub fn with_options(
        &self,
        timeout: Option<f64>,
        total_timeout: Option<f64>,
        max_retries: Option<f64>,
        cancel: Option<&CancelHandle>,
    ) -> Result<NativeClient> {
        let options = core::CallOptions {
            timeout: timeout
                .map(|t| convert::millis(t, "timeout", Kind::Call))
                .transpose()
                .napi()?,
            total_timeout: total_timeout
                .map(|t| convert::millis(t, "total_timeout", Kind::Call))
                .transpose()
                .napi()?,
            max_retries: max_retries
                .map(|n| convert::count(n, "max_retries", Kind::Call))
                .transpose()
                .napi()?,
            cancel: cancel.map(|c| c.token.clone()),
        };
        Ok(NativeClient {
            inner: self.inner.with_options(options),
        })
    }

    #[napi(getter)]
    pub fn api_url(&self) -> String {
        self.inner.config().api_url().to_owned()
    }

    #[napi(getter)]
    pub fn default_organization_id(&self) -> Option<String> {
        self.inner
            .config()
            .default_organization_id()
            .map(str::to_owned)
    }

    #[napi(getter)]
    pub fn profile(&self) -> Option<String> {
        self.inner.config().profile().map(str::to_owned)
    }

    #[napi]
    pub async fn create_organization(
        &self,
        input: Option<CreateOrganizationInput>,
    ) -> Result<Organization> {
        let request = input.map(Into::into).unwrap_or_default();
        let org = self.inner.create_organization(request).await.napi()?;
        Ok(org.into())
    }

    /// The organization of `input.customer_id`, created only if there is none (the core's
    /// `ensure_organization`).
    #[napi]
    pub async fn ensure_organization(
        &self,
        input: Option<CreateOrganizationInput>,
    ) -> Result<EnsuredOrganization> {
        let request = input.map(Into::into).unwrap_or_default();
        let ensured = self.inner.ensure_organization(request).await.napi()?;
        Ok(ensured.into())
    }

    #[napi]
    pub async fn get_organization(&self, id: Option<String>) -> Result<Organization> {
        let org = self.inner.get_organization(id.as_deref()).await.napi()?;
        Ok(org.into())
    }

    /// `id` is required (see `lock_organization`).
    #[napi]
    pub async fn update_organization(
        &self,
        id: Option<String>,
        input: Option<UpdateOrganizationInput>,
    ) -> Result<Organization> {
        let request = input.map(Into::into).unwrap_or_default();
        let org = self
            .inner
            .update_organization(id.as_deref().unwrap_or_default(), request)
            .await
            .napi()?;
        Ok(org.into())
    }

    /// `id` is required: a missing one is passed as `""`, which the core refuses, naming
    /// `organization_id` (a change never falls back to the default organization ID).
    #[napi]
    pub async fn lock_organization(&self, id: Option<String>) -> Result<Organization> {
        let org = self
            .inner
            .lock_organization(id.as_deref().unwrap_or_default())
            .await
            .napi()?;
        Ok(org.into())
    }

    /// `id` is required: a missing one is passed as `""`, which the core refuses, naming
    /// `organization_id` (a change never falls back to the default organization ID).
    #[napi]
    pub async fn unlock_organization(&self, id: Option<String>) -> Result<Organization> {
        let org = self
            .inner
            .unlock_organization(id.as_deref().unwrap_or_default())
            .await
            .napi()?;
        Ok(org.into())
    }

    /// `id` is required (see `lock_organization`).
    #[napi]
    pub async fn request_admin_role(
        &self,
        id: Option<String>,
        input: Option<RequestAdminRoleInput>,
    ) -> Result<()> {
        let request = input.map(Into::into).unwrap_or_default();
        self.inner
            .request_admin_role(id.as_deref().unwrap_or_default(), request)
            .await
            .napi()
    }

    /// A lazy listing; nothing is fetched (nor validated) until it is consumed.
    #[napi(catch_unwind)]
    pub fn list_organizations(
        &self,
        filters: Option<ListOrganizationsInput>,
    ) -> Result<NativeLister> {
        let request = match filters {
            Some(f) => f.into_request().napi()?,
            None => core::ListOrganizationsRequest::new(),
        };
        Ok(NativeLister::new(self.inner.list_organizations(request)))
    }

    /// Lists every organization (paced, several pages at once) and audits them in the core.
    #[napi]
    pub async fn audit(
        &self,
        stuck_after_days: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress | null) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<AuditReport> {
        let mut options = core::AuditOptions::default();
        if let Some(n) = stuck_after_days {
            options.stuck_after_days = convert::count(n, "stuck_after_days", Kind::Call).napi()?;
        }
        let reporter = on_progress.map(Reporter::new);
        options.progress = reporter.as_ref().map(Reporter::progress_fn);
        let report = self.inner.audit(options).await;
        if let Some(r) = reporter {
            r.flush().await;
        }
        Ok(report.napi()?.into())
    }

    #[napi]
    pub async fn lock_organizations(
        &self,
        ids: Vec<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress | null) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<Vec<BulkItem>> {
        self.bulk(BulkOp::Lock, ids, concurrency, on_progress).await
    }

    #[napi]
    pub async fn unlock_organizations(
        &self,
        ids: Vec<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress | null) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<Vec<BulkItem>> {
        self.bulk(BulkOp::Unlock, ids, concurrency, on_progress)
            .await
    }

    #[napi]
    pub async fn get_organizations(
        &self,
        ids: Vec<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress | null) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<Vec<BulkItem>> {
        self.bulk(BulkOp::Get, ids, concurrency, on_progress).await
    }

    /// `ensure_organization` for each request, one result per request in input order.
    #[napi]
    pub async fn ensure_organizations(
        &self,
        requests: Vec<CreateOrganizationInput>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress | null) => void) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<Vec<EnsureItem>> {
        let (bulk, reporter) = self.bulk_with(concurrency, on_progress)?;
        let results = bulk
            .ensure(
                requests
                    .into_iter()
                    .map(core::CreateOrganizationRequest::from),
            )
            .await;
        drop(bulk);
        if let Some(r) = reporter {
            r.flush().await;
        }
        Ok(ensure_items(results))
    }
}

#[derive(Debug, Clone, Copy)]
enum BulkOp {
    Lock,
    Unlock,
    Get,
}

impl NativeClient {
    /// The core's bulk runner with these options, and the reporter to flush once it is done.
    fn bulk_with(
        &self,
        concurrency: Option<f64>,
        on_progress: Option<ProgressCallback>,
    ) -> Result<(core::Bulk, Option<Reporter>)> {
        let mut bulk = self.inner.bulk();
        if let Some(n) = concurrency {
            bulk = bulk.concurrency(convert::count(n, "concurrency", Kind::Call).napi()? as usize);
        }
        let reporter = on_progress.map(Reporter::new);
        if let Some(r) = &reporter {
            bulk = bulk.on_progress(r.progress_fn());
        }
        Ok((bulk, reporter))
    }

    async fn bulk(
        &self,
        op: BulkOp,
        ids: Vec<String>,
        concurrency: Option<f64>,
        on_progress: Option<ProgressCallback>,
    ) -> Result<Vec<BulkItem>> {
        let (bulk, reporter) = self.bulk_with(concurrency, on_progress)?;
        let results = match op {
            BulkOp::Lock => bulk.lock(ids).await,
            BulkOp::Unlock => bulk.unlock(ids).await,
            BulkOp::Get => bulk.get(ids).await,
        };
        drop(bulk);
        if let Some(r) = reporter {
            r.flush().await;
        }
        Ok(bulk_items(results))
    }
}
