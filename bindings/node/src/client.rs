//! The client: construction from options or the environment, per-call options, and one method
//! per core operation. Each method maps its arguments and result; the core does the rest.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::collections::HashMap;

use napi::Status;
use napi::threadsafe_function::ThreadsafeFunction;

use scaleway_partner::{self as core, BulkAction, CancellationToken, ResponseCapture};

use crate::convert::Organization;
use crate::errors::{NativeError, Outcome, Throw};
use crate::keys::js_object;
use crate::lister::NativeLister;
use crate::progress::{self, ProgressCallback};
use crate::requests::{
    self, CreateOrganizationInput, ListOrganizationsInput, RequestAdminRoleInput,
    UpdateOrganizationInput,
};
use crate::traffic::{self, ResponseInfo, TrafficEvent};

// `#[doc]` rather than `///`: through a macro, a doc comment reaches napi-rs as a raw string it
// does not unescape.
js_object! {
    #[doc = "Settings of a client. What is not given is read from `SCW_*` variables and the scw"]
    #[doc = "config.yaml (`SCW_SECRET_KEY`, `SCW_DEFAULT_ORGANIZATION_ID`, `SCW_API_URL`,"]
    #[doc = "`SCW_PROFILE`...). Durations are in milliseconds."]
    #[derive(Default)]
    pub struct ClientOptions {
        #[doc = "The secret key (a UUID)."]
        pub secret_key: Option<String>,
        #[doc = "Not needed by this API; accepted for symmetry with other Scaleway tools."]
        pub access_key: Option<String>,
        #[doc = "API base URL (`https://api.scaleway.com` by default)."]
        pub api_url: Option<String>,
        #[doc = "The partner's own organization ID: the default `partnerId` and organization ID."]
        pub default_organization_id: Option<String>,
        #[doc = "The config.yaml profile to read."]
        pub profile: Option<String>,
        #[doc = "Skips TLS certificate verification (test proxies only)."]
        pub insecure: Option<bool>,
        #[doc = "Timeout of each HTTP attempt in milliseconds (60000 by default)."]
        pub timeout: Option<f64>,
        #[doc = "Connect timeout in milliseconds (10000 by default)."]
        pub connect_timeout: Option<f64>,
        #[doc = "Limit of a whole call in milliseconds, every attempt, retry wait and lookup"]
        #[doc = "included (120000 by default). Past it a call fails with an `APITimeoutError`,"]
        #[doc = "or a `CreateUnconfirmedError` for a create that may have been applied."]
        pub total_timeout: Option<f64>,
        #[doc = "How long a create whose answer was lost (gateway 5xx, timeout, reset) keeps"]
        #[doc = "looking for the organization it may have made before rejecting with"]
        #[doc = "`CreateUnconfirmedError`, in milliseconds (30000 by default; 0 looks once, at"]
        #[doc = "once)."]
        pub create_settle_timeout: Option<f64>,
        #[doc = "Opt-in: post a create again when its outcome is still unknown at the end of the"]
        #[doc = "settle window (if retries are left). Risks a permanent duplicate if the first"]
        #[doc = "request lands later; `false` by default."]
        pub retry_unconfirmed_creates: Option<bool>,
        #[doc = "Allows a plain `http://` `apiUrl` to a host other than this machine (refused by"]
        #[doc = "default: the secret key would cross the network in clear text). Loopback is"]
        #[doc = "always allowed."]
        pub allow_insecure_http: Option<bool>,
        #[doc = "Retries after the first attempt (4 by default; 0 disables retrying)."]
        pub max_retries: Option<f64>,
        #[doc = "Rate budget shared by all calls of the client, requests per second (50; 0 = no"]
        #[doc = "pacing)."]
        pub rate_limit: Option<f64>,
        #[doc = "Pages fetched at once by `.all()` (4 by default); iterating a listing reads"]
        #[doc = "one page fewer ahead."]
        pub page_concurrency: Option<f64>,
        #[doc = "Organizations handled at once by the bulk operations (8 by default)."]
        pub bulk_concurrency: Option<f64>,
        #[doc = "PEM text of certificate authorities to trust besides the system's (a"]
        #[doc = "TLS-intercepting proxy, a test server); certificates are still verified, host"]
        #[doc = "name included. Prefer it to `insecure`."]
        pub ca_cert: Option<String>,
        #[doc = "Requests on the wire at once (32 by default): the connections opened stay about"]
        #[doc = "this many, however many calls run at once; the others wait their turn."]
        pub max_connections: Option<f64>,
        #[doc = "Called with every request, answer and retry of the client's calls (method, path,"]
        #[doc = "status, request ID, attempt, duration in milliseconds; never the key), on the"]
        #[doc = "event loop, without the call waiting for it. An exception it throws, or the"]
        #[doc = "rejection of an async hook, becomes a warning."]
        // Spelled out, not `traffic::HookCallback`: napi-rs types the field from these tokens.
        // A union of two function types, not one returning `void | Promise<void>`: any function may
        // be given, as with `void`, and an async one is documented.
        #[napi(ts_type = "((event: TrafficEvent) => void) | ((event: TrafficEvent) => Promise<void>)")]
        pub hook: Option<ThreadsafeFunction<TrafficEvent, (), TrafficEvent, Status, false, true>>,
        #[doc = "Headers sent with every request (a tracing header, a tenant tag...); the client's"]
        #[doc = "own (`X-Auth-Token`, `User-Agent`, `Host`, `Content-*`) are refused."]
        pub default_headers: Option<HashMap<String, String>>,
        #[doc = "Proxy URL for every request, loopback included (`NO_PROXY` still honoured)."]
        #[doc = "Without it `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` apply, never to an `apiUrl` on"]
        #[doc = "this machine."]
        pub proxy: Option<String>,
        #[doc = "How far the callers of this key coordinate (creates for one customer never"]
        #[doc = "overlap; one rate budget): `'machine'` (the default: every process of this"]
        #[doc = "machine, through lock files), `'process'` (this process only), or a Redis URL"]
        #[doc = "(`'redis://host:6379/0'`, `'rediss://...'`: every host using it). Default:"]
        #[doc = "`SCW_PARTNER_COORDINATION`, else `'machine'`."]
        pub coordination: Option<String>,
    }
}

// By hand: the secret key and the hook are not for logs.
impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_url", &self.api_url)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// The client from its options: numbers go to the core raw, which checks them (durations in
/// milliseconds) as it does for every language; errors name them as Node does (`names.rs`).
fn build(options: ClientOptions) -> core::Result<core::Client> {
    use core::NumberOption as N;
    let mut b = core::Client::builder()
        .user_agent_extra(format!(
            "scaleway_partner-node/{}",
            env!("CARGO_PKG_VERSION")
        ))
        .duration_unit(core::DurationUnit::Milliseconds);
    let numbers = [
        (N::Timeout, options.timeout),
        (N::ConnectTimeout, options.connect_timeout),
        (N::TotalTimeout, options.total_timeout),
        (N::CreateSettleTimeout, options.create_settle_timeout),
        (N::MaxRetries, options.max_retries),
        (N::RateLimit, options.rate_limit),
        (N::PageConcurrency, options.page_concurrency),
        (N::BulkConcurrency, options.bulk_concurrency),
        (N::MaxConnections, options.max_connections),
    ];
    for (option, value) in numbers {
        if let Some(v) = value {
            b = b.number(option, v);
        }
    }
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
    if let Some(v) = options.retry_unconfirmed_creates {
        b = b.retry_unconfirmed_creates(v);
    }
    if let Some(v) = options.allow_insecure_http {
        b = b.allow_insecure_http(v);
    }
    if let Some(v) = options.ca_cert {
        b = b.ca_certificate_pem(v);
    }
    if let Some(callback) = options.hook {
        b = b.hook(traffic::hook(callback));
    }
    if let Some(headers) = options.default_headers {
        b = b.default_headers(headers);
    }
    if let Some(v) = options.proxy {
        b = b.proxy(v);
    }
    if let Some(v) = options.coordination {
        b = b.coordination(v);
    }
    b.build()
}

/// Cancels the calls of the client views it was given to; JS triggers it on `abort`.
#[napi]
#[derive(Debug)]
pub struct CancelHandle {
    token: CancellationToken,
    /// The views' own tokens (children of their client's closer), cancelled with this one.
    linked: std::sync::Mutex<Vec<CancellationToken>>,
}

impl CancelHandle {
    /// A token cancelled by this handle or by `closer`, whichever comes first.
    fn link(&self, closer: &CancellationToken) -> CancellationToken {
        let token = closer.child_token();
        if self.token.is_cancelled() {
            token.cancel();
        }
        self.linked.lock().expect("linked lock").push(token.clone());
        token
    }
}

#[napi]
impl CancelHandle {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)] // napi constructors take no Default
    pub fn new() -> Self {
        CancelHandle {
            token: CancellationToken::new(),
            linked: std::sync::Mutex::new(Vec::new()),
        }
    }

    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
        for token in self.linked.lock().expect("linked lock").iter() {
            token.cancel();
        }
    }
}

/// What `ensureOrganization` found or created.
#[napi(object, object_from_js = false)]
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

/// One result of a bulk operation: the organization (with `created` for `ensureOrganizations`),
/// or the error, which the JS layer makes an instance of its class.
#[napi(object, object_from_js = false, use_nullable = true)]
#[derive(Debug)]
pub struct BulkItem {
    pub organization: Option<Organization>,
    pub created: Option<bool>,
    pub error: Option<NativeError>,
}

impl From<core::Result<core::Organization>> for BulkItem {
    fn from(r: core::Result<core::Organization>) -> Self {
        match r {
            Ok(o) => BulkItem {
                organization: Some(o.into()),
                created: None,
                error: None,
            },
            Err(e) => BulkItem {
                organization: None,
                created: None,
                error: Some(NativeError(e)),
            },
        }
    }
}

impl From<core::Result<core::Ensured>> for BulkItem {
    fn from(r: core::Result<core::Ensured>) -> Self {
        match r {
            Ok(e) => BulkItem {
                created: Some(e.created),
                ..BulkItem::from(Ok(e.organization))
            },
            Err(e) => BulkItem::from(Err::<core::Organization, _>(e)),
        }
    }
}

/// What a bulk call did: one item per input in order (`null` for one never started, when the
/// call was interrupted), and the error that interrupted it, if any.
#[napi(object, object_from_js = false, use_nullable = true)]
#[derive(Debug)]
pub struct BulkOutcome {
    pub items: Vec<Option<BulkItem>>,
    pub interrupted: Option<NativeError>,
}

/// What `apply` did: its outcome document (JSON, the same as Python's), and the error that
/// interrupted it, if any.
#[napi(object, object_from_js = false, use_nullable = true)]
#[derive(Debug)]
pub struct ApplyOutcome {
    pub outcome: String,
    pub interrupted: Option<NativeError>,
}

impl<T> From<core::BulkResults<T>> for Outcome<BulkOutcome>
where
    BulkItem: From<core::Result<T>>,
{
    /// A call its progress callback stopped rejects with what the callback threw.
    fn from(results: core::BulkResults<T>) -> Self {
        Outcome(match results {
            Ok(results) => Ok(BulkOutcome {
                items: results.into_iter().map(|r| Some(r.into())).collect(),
                interrupted: None,
            }),
            Err(i) if i.error.raised().is_some() => Err(i.error),
            Err(i) => Ok(BulkOutcome {
                items: i.results.into_iter().map(|r| r.map(Into::into)).collect(),
                interrupted: Some(NativeError(i.error)),
            }),
        })
    }
}

#[napi]
#[derive(Debug)]
pub struct NativeClient {
    inner: core::Client,
    /// Where a `withResponseCapture()` view records its successful answers.
    capture: Option<ResponseCapture>,
    /// Cancelled by `close()`: every call of the client and of its views stops.
    closer: CancellationToken,
}

#[napi]
impl NativeClient {
    /// From the options given, completed by `SCW_*` and the scw config.yaml.
    // `catch_unwind` on the synchronous entry points into the core: a panic there would
    // otherwise abort the process (asynchronous methods already reject with it).
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: Option<ClientOptions>) -> Result<Self> {
        let closer = CancellationToken::new();
        let closing = core::CallOptions {
            cancel: Some(closer.clone()),
            ..core::CallOptions::default()
        };
        Ok(NativeClient {
            inner: build(options.unwrap_or_default())
                .throw(&env)?
                .with_options(closing),
            capture: None,
            closer,
        })
    }

    /// A view sharing the pool and the pacer whose calls use these options.
    #[napi(catch_unwind)]
    pub fn with_options(
        &self,
        env: Env,
        timeout: Option<f64>,
        total_timeout: Option<f64>,
        max_retries: Option<f64>,
        cancel: Option<&CancelHandle>,
    ) -> Result<NativeClient> {
        // Checked by the core with the rules and words of the client options of the same name.
        use core::NumberOption as N;
        let millis = |option: N, v: Option<f64>| {
            v.map(|v| option.duration(v, core::DurationUnit::Milliseconds, option.name()))
                .transpose()
                .throw(&env)
        };
        let options = core::CallOptions {
            timeout: millis(N::Timeout, timeout)?,
            total_timeout: millis(N::TotalTimeout, total_timeout)?,
            max_retries: max_retries
                .map(|n| N::MaxRetries.count(n, "max_retries"))
                .transpose()
                .throw(&env)?,
            // Without a handle the view keeps the client's closer (the core's merge).
            cancel: cancel.map(|c| c.link(&self.closer)),
        };
        Ok(NativeClient {
            inner: self.inner.with_options(options),
            capture: self.capture.clone(),
            closer: self.closer.clone(),
        })
    }

    /// A view whose calls record the metadata of their successful answers, for `lastResponse`.
    #[napi]
    pub fn with_response_capture(&self) -> NativeClient {
        let capture = ResponseCapture::new();
        NativeClient {
            inner: self.inner.with_response_capture(capture.clone()),
            capture: Some(capture),
            closer: self.closer.clone(),
        }
    }

    /// Stops every call of the client and its views (they fail as cancelled), and the later ones.
    #[napi]
    pub fn close(&self) {
        self.closer.cancel();
    }

    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.closer.is_cancelled()
    }

    /// The last successful answer of this view's calls (`withResponseCapture` views only).
    #[napi]
    pub fn last_response(&self) -> Option<ResponseInfo> {
        self.capture.as_ref()?.last().map(Into::into)
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
    ) -> Outcome<Organization> {
        let request = input.map(Into::into).unwrap_or_default();
        self.inner
            .create_organization(request)
            .await
            .map(Into::into)
            .into()
    }

    /// The organization of `input.customer_id`, created only if there is none (the core's
    /// `ensure_organization`).
    #[napi]
    pub async fn ensure_organization(
        &self,
        input: Option<CreateOrganizationInput>,
    ) -> Outcome<EnsuredOrganization> {
        let request = input.map(Into::into).unwrap_or_default();
        self.inner
            .ensure_organization(request)
            .await
            .map(Into::into)
            .into()
    }

    #[napi]
    pub async fn get_organization(&self, id: Option<String>) -> Outcome<Organization> {
        let org = self.inner.get_organization(id.as_deref()).await;
        org.map(Into::into).into()
    }

    /// `id` is required (see `lock_organization`).
    #[napi]
    pub async fn update_organization(
        &self,
        id: Option<String>,
        input: Option<UpdateOrganizationInput>,
    ) -> Outcome<Organization> {
        let request = input.map(Into::into).unwrap_or_default();
        let org = self
            .inner
            .update_organization(id.as_deref().unwrap_or_default(), request)
            .await;
        org.map(Into::into).into()
    }

    /// `id` is required: a missing one is passed as `""`, which the core refuses, naming
    /// `organization_id` (a change never falls back to the default organization ID).
    #[napi]
    pub async fn lock_organization(&self, id: Option<String>) -> Outcome<Organization> {
        let org = self
            .inner
            .lock_organization(id.as_deref().unwrap_or_default())
            .await;
        org.map(Into::into).into()
    }

    /// `id` is required: a missing one is passed as `""`, which the core refuses, naming
    /// `organization_id` (a change never falls back to the default organization ID).
    #[napi]
    pub async fn unlock_organization(&self, id: Option<String>) -> Outcome<Organization> {
        let org = self
            .inner
            .unlock_organization(id.as_deref().unwrap_or_default())
            .await;
        org.map(Into::into).into()
    }

    /// `id` is required (see `lock_organization`).
    #[napi]
    pub async fn request_admin_role(
        &self,
        id: Option<String>,
        input: Option<RequestAdminRoleInput>,
    ) -> Outcome<()> {
        let request = input.map(Into::into).unwrap_or_default();
        self.inner
            .request_admin_role(id.as_deref().unwrap_or_default(), request)
            .await
            .into()
    }

    /// A lazy listing: its filters are checked here (the core's rule), nothing is fetched until
    /// it is consumed.
    #[napi(catch_unwind)]
    pub fn list_organizations(
        &self,
        env: Env,
        filters: Option<ListOrganizationsInput>,
    ) -> Result<NativeLister> {
        let request = match filters {
            Some(f) => f.into_request().throw(&env)?,
            None => core::ListOrganizationsRequest::new(),
        };
        Ok(NativeLister::new(
            self.inner.list_organizations(request).throw(&env)?,
        ))
    }

    /// Lists every organization (paced, several pages at once) and audits them in the core.
    #[napi(ts_return_type = "Promise<NativeAuditReport>")]
    pub async fn audit(
        &self,
        stuck_after_days: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<crate::audit::Report> {
        let mut options = core::AuditOptions::default();
        if let Some(n) = stuck_after_days {
            match requests::count(n, "stuck_after_days") {
                Ok(n) => options.stuck_after_days = n,
                Err(e) => return Outcome(Err(e)),
            }
        }
        options.progress = on_progress.map(progress::stoppable);
        let report = self.inner.audit(options).await;
        report.map(crate::audit::Report).into()
    }

    /// Plans the records (a JSON array of objects, the API's field names) against the book read
    /// with one complete listing; the plan's versioned JSON document (the same as Python's).
    #[napi]
    pub async fn plan(
        &self,
        records: String,
        lock_unclaimed: Option<bool>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<Outcome<String>> {
        let values: Vec<serde_json::Value> = serde_json::from_str(&records)
            .map_err(|e| Error::new(Status::InvalidArg, format!("records: {e}")))?;
        let desired = match core::Desired::from_values(&values) {
            Ok(desired) => desired,
            Err(e) => return Ok(Outcome(Err(e))),
        };
        let options = core::PlanOptions {
            lock_unclaimed: lock_unclaimed.unwrap_or(false),
            progress: on_progress.map(progress::stoppable),
        };
        let plan = self.inner.plan(&desired, options).await;
        Ok(plan.map(|p| p.to_json()).into())
    }

    /// Applies a plan (its JSON document); the outcome as JSON, and the error that interrupted
    /// it when it was cancelled or stopped by its callback.
    #[napi]
    pub async fn apply(
        &self,
        plan: String,
        journal: Option<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<ApplyOutcome> {
        let applied = async {
            let plan = core::Plan::from_json(&plan)?;
            let concurrency = concurrency
                .map(|n| core::NumberOption::BulkConcurrency.count(n, "concurrency"))
                .transpose()?
                .map(|n| n as usize);
            let options = core::ApplyOptions {
                journal: journal.map(Into::into),
                progress: on_progress.map(progress::stoppable),
                concurrency,
            };
            let mut outcome = self.inner.apply(&plan, options).await?;
            match outcome.interrupted.take() {
                // Stopped by its progress callback: rejects with what the callback threw.
                Some(e) if e.raised().is_some() => Err(e),
                interrupted => Ok(ApplyOutcome {
                    outcome: outcome.to_value().to_string(),
                    interrupted: interrupted.map(NativeError),
                }),
            }
        };
        applied.await.into()
    }

    /// Locks every organization (the core's bulk lock); one result per ID, in input order.
    #[napi]
    pub async fn lock_organizations(
        &self,
        ids: Vec<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<BulkOutcome> {
        self.bulk(Work::Run(BulkAction::Lock, ids), concurrency, on_progress)
            .await
    }

    /// Unlocks every organization (the core's bulk unlock).
    #[napi]
    pub async fn unlock_organizations(
        &self,
        ids: Vec<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<BulkOutcome> {
        self.bulk(Work::Run(BulkAction::Unlock, ids), concurrency, on_progress)
            .await
    }

    /// Gets every organization (the core's bulk get).
    #[napi]
    pub async fn get_organizations(
        &self,
        ids: Vec<String>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<BulkOutcome> {
        self.bulk(Work::Run(BulkAction::Get, ids), concurrency, on_progress)
            .await
    }

    /// `ensure_organization` for each request, one result per request in input order.
    #[napi]
    pub async fn ensure_organizations(
        &self,
        requests: Vec<CreateOrganizationInput>,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<BulkOutcome> {
        let requests = requests
            .into_iter()
            .map(core::CreateOrganizationRequest::from)
            .collect();
        self.bulk(Work::Ensure(requests), concurrency, on_progress)
            .await
    }
}

/// What a bulk call does to each of its inputs.
enum Work {
    Run(BulkAction, Vec<String>),
    Ensure(Vec<core::CreateOrganizationRequest>),
}

impl NativeClient {
    /// The core's bulk call with the call's concurrency and progress callback, built and run
    /// here: the one step between the addon's methods and `Bulk::run`.
    async fn bulk(
        &self,
        work: Work,
        concurrency: Option<f64>,
        on_progress: Option<ProgressCallback>,
    ) -> Outcome<BulkOutcome> {
        let mut bulk = self.inner.bulk();
        if let Some(n) = concurrency {
            match core::NumberOption::BulkConcurrency.count(n, "concurrency") {
                Ok(n) => bulk = bulk.concurrency(n as usize),
                Err(e) => return Outcome(Err(e)),
            }
        }
        if let Some(callback) = on_progress {
            bulk = bulk.on_progress(progress::stoppable(callback));
        }
        match work {
            Work::Run(action, ids) => bulk.run(action, ids).await.into(),
            Work::Ensure(requests) => bulk.ensure(requests).await.into(),
        }
    }
}
