//! The native client, `_native.Client`: one class behind both public clients. `asynchronous`
//! (given once, at construction) decides how its calls answer (see [`Flavor`]); everything
//! else is the same code. Each method reads its keyword arguments by name ([`Kwargs`]) into
//! the core's request and hands the call to the core.

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use scaleway_partner::{
    Bulk, BulkAction, BulkInterrupted, BulkResults, CallOptions, CancellationToken, Client,
    ClientBuilder, Error, ListOrganizationsRequest, LockedBy, NumberOption, OrderBy, Organization,
    OrganizationStatus,
};

use crate::args::{self, Kwargs, PerCall};
use crate::convert;
use crate::errors::to_py_err;
use crate::pager::Lister;
use crate::runtime::{self, Flavor};

fn organization_out(py: Python<'_>, r: Result<Organization, Error>) -> PyResult<Py<PyAny>> {
    convert::result(py, r, |py, o| Ok(convert::organization(py, &o)?.unbind()))
}

/// The client options of the constructor, each read once, onto the core's builder, which checks
/// them all (their names spelled as Python spells them, numbers in seconds).
fn builder(py: Python<'_>, kw: &mut Kwargs<'_>) -> PyResult<ClientBuilder> {
    let mut b = Client::builder();
    if let Some(v) = kw.take::<String>("secret_key")? {
        b = b.secret_key(v);
    }
    if let Some(v) = kw.take::<String>("access_key")? {
        b = b.access_key(v);
    }
    if let Some(v) = kw.take::<String>("api_url")? {
        b = b.api_url(v);
    }
    if let Some(v) = kw.take::<String>("default_organization_id")? {
        b = b.default_organization_id(v);
    }
    if let Some(v) = kw.take::<String>("profile")? {
        b = b.profile(v);
    }
    if let Some(v) = kw.take::<String>("ca_cert")? {
        b = b.ca_certificate_pem(v);
    }
    if let Some(v) = kw.take("retry_unconfirmed_creates")? {
        b = b.retry_unconfirmed_creates(v);
    }
    if let Some(v) = kw.take("allow_insecure_http")? {
        b = b.allow_insecure_http(v);
    }
    if let Some(v) = kw.take::<String>("coordination")? {
        b = b.coordination(v);
    }
    // The names are the core's (`NumberOption::name`); counts are ints, so that a float
    // there is a TypeError, as Python's own functions say.
    for option in [
        NumberOption::Timeout,
        NumberOption::ConnectTimeout,
        NumberOption::TotalTimeout,
        NumberOption::CreateSettleTimeout,
        NumberOption::RateLimit,
    ] {
        if let Some(v) = kw.take::<f64>(option.name())? {
            b = b.number(option, v);
        }
    }
    for option in [
        NumberOption::MaxRetries,
        NumberOption::PageConcurrency,
        NumberOption::BulkConcurrency,
        NumberOption::MaxConnections,
    ] {
        if let Some(v) = kw.take::<i64>(option.name())? {
            b = b.number(option, v as f64);
        }
    }
    b = crate::traffic::options(kw, b)?;
    let v = py.version_info();
    Ok(b.user_agent_extra(format!(
        "scaleway-partner-python/{} (Python {}.{}.{})",
        env!("CARGO_PKG_VERSION"),
        v.major,
        v.minor,
        v.patch
    )))
}

/// Converts each result of a finished bulk call.
type ConvertAll<T> = fn(Python<'_>, Vec<Result<T, Error>>) -> PyResult<Py<PyAny>>;

/// A bulk call's outcome: the list of results, or, when it was cut short, its error with
/// `results` set (one entry per input, None for the items never started).
fn bulk_out<T>(
    py: Python<'_>,
    r: BulkResults<T>,
    convert_all: ConvertAll<T>,
) -> PyResult<Py<PyAny>> {
    let BulkInterrupted { error, results } = match r {
        Ok(all) => return convert_all(py, all),
        Err(interrupted) => interrupted,
    };
    Err(crate::errors::interrupted(py, &error, "results", || {
        let started: Vec<bool> = results.iter().map(Option::is_some).collect();
        let converted = convert_all(py, results.into_iter().flatten().collect())?;
        let mut converted = converted.bind(py).try_iter()?;
        let list = PyList::empty(py);
        for s in started {
            match (s, converted.next()) {
                (true, Some(item)) => list.append(item?)?,
                _ => list.append(py.None())?,
            }
        }
        Ok(list.into_any())
    }))
}

/// The native client: the core client (taken when dropped), its description and its flavor.
#[pyclass(frozen, name = "Client", module = "scaleway_partner._native")]
pub struct NativeClient {
    /// The core client and the runtime generation it was built in ([`runtime::generation`]).
    client: Mutex<Option<(u64, Client)>>,
    /// How to build it again in a child process after `fork`, whose runtime is a new one.
    builder: ClientBuilder,
    /// The options of this client or view, its closer included.
    options: CallOptions,
    /// Cancels every call of this client and of the views made by `with_options`.
    closer: CancellationToken,
    api_url: String,
    masked_secret_key: String,
    default_organization_id: Option<String>,
    flavor: Flavor,
}

impl std::fmt::Debug for NativeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeClient")
            .field("api_url", &self.api_url)
            .field("flavor", &self.flavor)
            .finish_non_exhaustive()
    }
}

impl NativeClient {
    fn around(
        client: Client,
        builder: ClientBuilder,
        options: CallOptions,
        closer: CancellationToken,
        flavor: Flavor,
    ) -> NativeClient {
        let config = client.config();
        NativeClient {
            api_url: config.api_url().to_owned(),
            masked_secret_key: config.secret_key().masked(),
            default_organization_id: config.default_organization_id().map(str::to_owned),
            client: Mutex::new(Some((runtime::generation(), client))),
            builder,
            options,
            closer,
            flavor,
        }
    }

    /// The client for one call: with the per-call overrides applied; fails once closed. In a
    /// child process after `fork`, the parent's connections and runtime are gone: the client is
    /// built again, with the same settings, on the child's runtime.
    fn view(&self, o: PerCall) -> Result<Client, Error> {
        // Only the overrides: the core's `with_options` lays them over the client's own.
        let options = o.call_options()?;
        {
            let guard = self.client.lock().expect("client lock");
            let (built_in, client) = guard.as_ref().ok_or_else(Error::cancelled)?;
            if *built_in == runtime::generation() {
                return Ok(client.with_options(options));
            }
        }
        // Built without the lock held: building may log, and a log handler may call this client.
        let fresh = self
            .builder
            .clone()
            .build()?
            .with_options(self.options.clone());
        let mut guard = self.client.lock().expect("client lock");
        let (built_in, client) = guard.as_mut().ok_or_else(Error::cancelled)?;
        if *built_in == runtime::generation() {
            // Rebuilt meanwhile (by such a handler, or another thread): ours is not needed.
            drop_on_runtime(Some((*built_in, fresh)));
        } else {
            // The old one's connections belong to the parent's reactor: never touch them.
            std::mem::forget(std::mem::replace(client, fresh));
            *built_in = runtime::generation();
        }
        Ok(client.with_options(options))
    }

    /// [`view`](Self::view) as Python sees it (a closed client's error is the core's).
    fn client(&self, py: Python<'_>, o: PerCall) -> PyResult<Client> {
        self.view(o).map_err(|e| to_py_err(py, &e))
    }

    /// Reads the per-call options, refuses any other keyword left, and gives the call's client.
    fn finish(&self, py: Python<'_>, mut kw: Kwargs<'_>) -> PyResult<Client> {
        let o = kw.per_call()?;
        kw.finish()?;
        self.client(py, o)
    }

    fn organization(
        &self,
        py: Python<'_>,
        fut: impl Future<Output = Result<Organization, Error>> + Send + 'static,
    ) -> PyResult<Py<PyAny>> {
        runtime::call(
            py,
            self.flavor,
            move |_| fut,
            None,
            Box::new(organization_out),
        )
    }

    /// The core's bulk builder with the call's concurrency, and its `on_progress`: the core is
    /// entered here, before the runtime has the call.
    fn bulk_options(
        &self,
        py: Python<'_>,
        method: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<(Bulk, Option<Py<PyAny>>)> {
        let mut kw = Kwargs::new(method, options)?;
        let concurrency =
            args::concurrency(py, NumberOption::BulkConcurrency, kw.take("concurrency")?)?;
        let on_progress = kw.take_callable("on_progress")?;
        let mut bulk = self.finish(py, kw)?.bulk();
        if let Some(n) = concurrency {
            bulk = bulk.concurrency(n);
        }
        Ok((bulk, on_progress))
    }

    /// The organization a change applies to: required (None is the core's empty ID, which its
    /// validation refuses; a change never falls back to the default organization).
    fn target(method: &str, organization_id: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(
            args::extract(&format!("{method}()"), "organization_id", organization_id)?
                .unwrap_or_default(),
        )
    }
}

/// `bulk` reporting its progress to `progress`, when the call has a progress callback.
fn with_progress(bulk: Bulk, progress: Option<scaleway_partner::ProgressFn>) -> Bulk {
    match progress {
        Some(p) => bulk.on_progress(p),
        None => bulk,
    }
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (asynchronous, **options))]
    fn new(
        py: Python<'_>,
        asynchronous: bool,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let flavor = if asynchronous {
            Flavor::Async
        } else {
            Flavor::Blocking
        };
        let mut kw = Kwargs::new(
            if asynchronous {
                "AsyncClient"
            } else {
                "Client"
            },
            options,
        )?;
        let builder = builder(py, &mut kw)?;
        kw.finish()?;
        let closer = CancellationToken::new();
        let options = CallOptions {
            cancel: Some(closer.clone()),
            ..CallOptions::default()
        };
        // Building reads the environment and the config file: no GIL needed.
        let client = py
            .detach(|| builder.clone().build())
            .map_err(|e| to_py_err(py, &e))?
            .with_options(options.clone());
        Ok(NativeClient::around(
            client, builder, options, closer, flavor,
        ))
    }

    /// A view whose calls use these per-call options (same connections and pacer).
    #[pyo3(signature = (**options))]
    fn with_options(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let mut kw = Kwargs::new("with_options", options)?;
        let o = kw.per_call()?;
        kw.finish()?;
        // The view's own closer: closing the client closes it, closing it (`with view:`)
        // leaves the client open.
        let closer = self.closer.child_token();
        let own = CallOptions {
            cancel: Some(closer.clone()),
            ..CallOptions::default()
        };
        let client = self
            .view(o)
            .map(|c| c.with_options(own))
            .map_err(|e| to_py_err(py, &e))?;
        // The options the core merged, kept to build the view again after a fork.
        let options = client.call_options().clone();
        Ok(NativeClient::around(
            client,
            self.builder.clone(),
            options,
            closer,
            self.flavor,
        ))
    }

    /// A view whose calls record their answers' metadata in the capture returned with it
    /// (`with_raw_response`: one per call, so concurrent calls keep theirs apart).
    fn with_response_capture(&self, py: Python<'_>) -> PyResult<(Self, crate::traffic::Capture)> {
        let capture = crate::traffic::Capture::default();
        let client = self
            .client(py, PerCall::default())?
            .with_response_capture(capture.inner.clone());
        let view = NativeClient::around(
            client,
            self.builder.clone(),
            self.options.clone(),
            self.closer.clone(),
            self.flavor,
        );
        Ok((view, capture))
    }

    fn close(&self) {
        // The core's rule of a closed client decides what its calls do (the connections go
        // with the client itself).
        self.closer.cancel();
    }

    #[getter]
    fn closed(&self) -> bool {
        self.closer.is_cancelled()
    }

    #[getter]
    fn api_url(&self) -> &str {
        &self.api_url
    }

    #[getter]
    fn masked_secret_key(&self) -> &str {
        &self.masked_secret_key
    }

    #[getter]
    fn default_organization_id(&self) -> Option<&str> {
        self.default_organization_id.as_deref()
    }

    #[pyo3(signature = (**request))]
    fn create_organization(
        &self,
        py: Python<'_>,
        request: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let mut kw = Kwargs::new("create_organization", request)?;
        let request = kw.create_request()?;
        let c = self.finish(py, kw)?;
        self.organization(py, async move { c.create_organization(request).await })
    }

    #[pyo3(signature = (**request))]
    fn ensure_organization(
        &self,
        py: Python<'_>,
        request: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let mut kw = Kwargs::new("ensure_organization", request)?;
        let request = kw.create_request()?;
        let c = self.finish(py, kw)?;
        runtime::call(
            py,
            self.flavor,
            move |_| async move { c.ensure_organization(request).await },
            None,
            Box::new(convert::ensured_out),
        )
    }

    #[pyo3(signature = (requests, **options))]
    fn ensure_organizations(
        &self,
        py: Python<'_>,
        requests: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let requests = args::create_requests(requests)?;
        let (bulk, on_progress) = self.bulk_options(py, "ensure_organizations", options)?;
        runtime::call(
            py,
            self.flavor,
            move |progress| async move { with_progress(bulk, progress).ensure(requests).await },
            on_progress,
            Box::new(|py, r| bulk_out(py, r, convert::ensured_results)),
        )
    }

    #[pyo3(signature = (organization_id=None, **options))]
    fn get_organization(
        &self,
        py: Python<'_>,
        organization_id: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let id: Option<String> = match organization_id {
            Some(v) => args::extract("get_organization()", "organization_id", v)?,
            None => None,
        };
        let c = self.finish(py, Kwargs::new("get_organization", options)?)?;
        self.organization(py, async move { c.get_organization(id.as_deref()).await })
    }

    #[pyo3(signature = (organization_id, **changes))]
    fn update_organization(
        &self,
        py: Python<'_>,
        organization_id: &Bound<'_, PyAny>,
        changes: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let id = Self::target("update_organization", organization_id)?;
        let mut kw = Kwargs::new("update_organization", changes)?;
        let request = kw.update_request()?;
        let c = self.finish(py, kw)?;
        self.organization(py, async move { c.update_organization(&id, request).await })
    }

    #[pyo3(signature = (organization_id, **options))]
    fn lock_organization(
        &self,
        py: Python<'_>,
        organization_id: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let id = Self::target("lock_organization", organization_id)?;
        let c = self.finish(py, Kwargs::new("lock_organization", options)?)?;
        self.organization(py, async move { c.lock_organization(&id).await })
    }

    #[pyo3(signature = (organization_id, **options))]
    fn unlock_organization(
        &self,
        py: Python<'_>,
        organization_id: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let id = Self::target("unlock_organization", organization_id)?;
        let c = self.finish(py, Kwargs::new("unlock_organization", options)?)?;
        self.organization(py, async move { c.unlock_organization(&id).await })
    }

    #[pyo3(signature = (organization_id, **request))]
    fn request_admin_role(
        &self,
        py: Python<'_>,
        organization_id: &Bound<'_, PyAny>,
        request: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let id = Self::target("request_admin_role", organization_id)?;
        let mut kw = Kwargs::new("request_admin_role", request)?;
        let request = kw.admin_role_request()?;
        let c = self.finish(py, kw)?;
        runtime::call(
            py,
            self.flavor,
            move |_| async move { c.request_admin_role(&id, request).await },
            None,
            Box::new(|py, r| convert::result(py, r, |py, ()| Ok(py.None()))),
        )
    }

    /// What `operation` would send (the target ID and the request, as JSON text), checked by
    /// the core as the call checks it; nothing is sent. The password is never given back.
    #[pyo3(signature = (operation, organization_id=None, **request))]
    fn check(
        &self,
        py: Python<'_>,
        operation: &str,
        organization_id: Option<&Bound<'_, PyAny>>,
        request: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let id: Option<String> = match organization_id {
            Some(v) => args::extract(&format!("{operation}()"), "organization_id", v)?,
            None => None,
        };
        let mut kw = Kwargs::new(operation, request)?;
        let checked = match operation {
            "create_organization" | "ensure_organization" => {
                let request = kw.create_request()?;
                self.client(py, PerCall::default())?
                    .check_create_request(request)
                    .map(|r| (None, serde_json::to_value(r)))
            }
            "get_organization" => self
                .client(py, PerCall::default())?
                .check_read_id(id.as_deref())
                .map(|id| (Some(id), Ok(serde_json::Value::Null))),
            "lock_organization" | "unlock_organization" => {
                Client::check_target_id(id.as_deref().unwrap_or_default())
                    .map(|id| (Some(id), Ok(serde_json::Value::Null)))
            }
            "update_organization" => {
                let request = kw.update_request()?;
                Client::check_target_id(id.as_deref().unwrap_or_default()).and_then(|id| {
                    request.validate()?;
                    Ok((Some(id), serde_json::to_value(request)))
                })
            }
            "request_admin_role" => {
                let request = kw.admin_role_request()?;
                Client::check_target_id(id.as_deref().unwrap_or_default()).and_then(|id| {
                    request.validate()?;
                    let shown = serde_json::json!({
                        "username": request.username,
                        "email": request.email,
                        "password": request.password.as_ref().map(|_| "<redacted>"),
                    });
                    Ok((Some(id), Ok(shown)))
                })
            }
            other => {
                return Err(PyValueError::new_err(format!(
                    "check(): unknown operation {other:?}"
                )));
            }
        };
        kw.finish()?;
        let (id, body) = checked.map_err(|e| to_py_err(py, &e))?;
        let body = body.map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(serde_json::json!({"organization_id": id, "request": body}).to_string())
    }

    #[pyo3(signature = (**filters))]
    fn list_organizations(
        &self,
        py: Python<'_>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Lister> {
        let mut kw = Kwargs::new("list_organizations", filters)?;
        let status: Option<String> = kw.take("status")?;
        let email = kw.take("email")?;
        let customer_id = kw.take("customer_id")?;
        let locked_by: Option<String> = kw.take("locked_by")?;
        let order_by: Option<String> = kw.take("order_by")?;
        let page_size = kw.take("page_size")?;
        let client = self.finish(py, kw)?;
        // The core refuses a bad filter here, at the call, not at the first fetch.
        let lister = convert::count("page_size", page_size).and_then(|page_size| {
            client.list_organizations(ListOrganizationsRequest {
                status: status.map(OrganizationStatus::from),
                email,
                customer_id,
                locked_by: locked_by.map(LockedBy::from),
                order_by: order_by.map(OrderBy::from),
                page_size,
            })
        });
        lister
            .map(|lister| Lister::new(lister, self.flavor))
            .map_err(|e| to_py_err(py, &e))
    }

    #[pyo3(signature = (**options))]
    fn audit(&self, py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        let mut kw = Kwargs::new("audit", options)?;
        let stuck_after_days = kw.take("stuck_after_days")?;
        let now = match kw.take_any("now") {
            None => None,
            Some(v) => Some(v.extract::<DateTime<Utc>>().map_err(|_| {
                PyTypeError::new_err(
                    "audit() argument 'now' must be a timezone-aware datetime or None",
                )
            })?),
        };
        let on_progress = kw.take_any("on_progress");
        kw.finish()?;
        let client = self.client(py, PerCall::default())?;
        crate::audit::audit(py, self.flavor, client, stuck_after_days, now, on_progress)
    }

    #[pyo3(signature = (records, **options))]
    fn plan(
        &self,
        py: Python<'_>,
        records: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let mut kw = Kwargs::new("plan", options)?;
        let lock_unclaimed = kw.take::<bool>("lock_unclaimed")?.unwrap_or(false);
        let on_progress = kw.take_callable("on_progress")?;
        let client = self.finish(py, kw)?;
        crate::reconcile::plan(
            py,
            self.flavor,
            client,
            records,
            lock_unclaimed,
            on_progress,
        )
    }

    #[pyo3(signature = (plan, **options))]
    fn apply(
        &self,
        py: Python<'_>,
        plan: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let mut kw = Kwargs::new("apply", options)?;
        let journal = kw.take::<String>("journal")?;
        let concurrency =
            args::concurrency(py, NumberOption::BulkConcurrency, kw.take("concurrency")?)?;
        let on_progress = kw.take_callable("on_progress")?;
        let client = self.finish(py, kw)?;
        crate::reconcile::apply(
            py,
            self.flavor,
            client,
            self.closer.child_token(),
            plan,
            scaleway_partner::ApplyOptions {
                journal: journal.map(Into::into),
                progress: None,
                concurrency,
            },
            on_progress,
        )
    }

    /// The core's bulk call of `method`: one result per ID, in input order.
    #[pyo3(signature = (method, ids, **options))]
    fn bulk(
        &self,
        py: Python<'_>,
        method: PyRef<'_, BulkMethod>,
        ids: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let (action, method) = method.action();
        let ids = convert::id_list(ids)?;
        let (bulk, on_progress) = self.bulk_options(py, method, options)?;
        runtime::call(
            py,
            self.flavor,
            move |progress| async move { with_progress(bulk, progress).run(action, ids).await },
            on_progress,
            Box::new(|py, r| bulk_out(py, r, convert::bulk_results)),
        )
    }
}

/// Which bulk call `NativeClient.bulk` makes: a typed value, so that no name is matched.
#[pyclass(frozen, eq, eq_int, module = "scaleway_partner._native")]
#[derive(Clone, Copy, PartialEq)]
pub enum BulkMethod {
    #[pyo3(name = "LOCK_ORGANIZATIONS")]
    Lock,
    #[pyo3(name = "UNLOCK_ORGANIZATIONS")]
    Unlock,
    #[pyo3(name = "GET_ORGANIZATIONS")]
    Get,
}

impl BulkMethod {
    /// The core's action, and the Python method's name (for argument errors).
    fn action(self) -> (BulkAction, &'static str) {
        match self {
            BulkMethod::Lock => (BulkAction::Lock, "lock_organizations"),
            BulkMethod::Unlock => (BulkAction::Unlock, "unlock_organizations"),
            BulkMethod::Get => (BulkAction::Get, "get_organizations"),
        }
    }
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        let client = match self.client.get_mut() {
            Ok(c) => c.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        drop_on_runtime(client);
    }
}

/// Drops a core client inside the runtime its HTTP pool's connections live on; one built
/// before a `fork` is forgotten instead (its runtime is the parent's).
fn drop_on_runtime(client: Option<(u64, Client)>) {
    match client {
        Some((built_in, client)) if built_in == runtime::generation() => {
            let _guard = runtime::runtime().enter();
            drop(client);
        }
        other => std::mem::forget(other),
    }
}
