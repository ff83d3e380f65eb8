//! The native clients: `_native.Client` (blocking) and `_native.AsyncClient` (asyncio). Both
//! map keyword arguments 1:1 onto the core's requests and hand every call to the core; they
//! differ only in how the caller waits (see [`crate::runtime::Flavor`]).

use std::sync::Mutex;

use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use scaleway_partner::{
    CallOptions, CancellationToken, Client, CreateOrganizationRequest, Error,
    ListOrganizationsRequest, LockedBy, OrderBy, Organization, OrganizationLister,
    OrganizationStatus, RequestAdminRoleRequest, UpdateOrganizationRequest,
};

use crate::convert;
use crate::errors::to_py_err;
use crate::pager::{AsyncLister, Lister};
use crate::runtime::{self, Flavor, callable_arg};

/// The per-call options every method takes, as Python gives them (seconds, a count).
#[derive(Debug, Clone, Copy, Default)]
pub struct PerCall {
    pub timeout: Option<f64>,
    pub total_timeout: Option<f64>,
    pub max_retries: Option<i64>,
}

/// What both flavors share: the core client (None once closed) and its description.
#[derive(Debug)]
pub struct Shared {
    client: Mutex<Option<Client>>,
    /// Cancels every call of this client and of the views made by `with_options`.
    closer: CancellationToken,
    api_url: String,
    masked_secret_key: String,
    default_organization_id: Option<String>,
}

/// The constructor's arguments, as Python gives them.
pub struct Settings {
    pub secret_key: Option<String>,
    pub access_key: Option<String>,
    pub api_url: Option<String>,
    pub default_organization_id: Option<String>,
    pub profile: Option<String>,
    pub timeout: Option<f64>,
    pub connect_timeout: Option<f64>,
    pub total_timeout: Option<f64>,
    pub create_settle_timeout: Option<f64>,
    pub retry_unconfirmed_creates: bool,
    pub allow_insecure_http: bool,
    pub max_retries: Option<i64>,
    pub rate_limit: Option<f64>,
    pub page_concurrency: Option<i64>,
    pub bulk_concurrency: Option<i64>,
    pub ca_cert: Option<String>,
    pub max_connections: Option<i64>,
}

fn config_error(e: Error) -> Error {
    match e {
        Error::Validation { field, message } => Error::Config(format!("{field} {message}")),
        other => other,
    }
}

fn organization_out(py: Python<'_>, r: Result<Organization, Error>) -> PyResult<Py<PyAny>> {
    convert::result(py, r, |py, o| Ok(convert::organization(py, &o)?.unbind()))
}

impl Shared {
    fn build(py: Python<'_>, s: Settings) -> Result<Shared, Error> {
        let mut b = Client::builder();
        if let Some(v) = s.secret_key {
            b = b.secret_key(v);
        }
        if let Some(v) = s.access_key {
            b = b.access_key(v);
        }
        if let Some(v) = s.api_url {
            b = b.api_url(v);
        }
        if let Some(v) = s.default_organization_id {
            b = b.default_organization_id(v);
        }
        if let Some(v) = s.profile {
            b = b.profile(v);
        }
        if let Some(v) = convert::seconds("timeout", s.timeout).map_err(config_error)? {
            b = b.timeout(v);
        }
        if let Some(v) =
            convert::seconds("connect_timeout", s.connect_timeout).map_err(config_error)?
        {
            b = b.connect_timeout(v);
        }
        if let Some(v) = convert::seconds("total_timeout", s.total_timeout).map_err(config_error)? {
            b = b.total_timeout(v);
        }
        if let Some(v) = convert::seconds_or_zero("create_settle_timeout", s.create_settle_timeout)
            .map_err(config_error)?
        {
            b = b.create_settle_timeout(v);
        }
        b = b
            .retry_unconfirmed_creates(s.retry_unconfirmed_creates)
            .allow_insecure_http(s.allow_insecure_http);
        if let Some(v) = convert::count("max_retries", s.max_retries).map_err(config_error)? {
            b = b.max_retries(v);
        }
        if let Some(v) = s.rate_limit {
            b = b.rate_limit(v);
        }
        if let Some(v) =
            convert::count("page_concurrency", s.page_concurrency).map_err(config_error)?
        {
            b = b.page_concurrency(v);
        }
        if let Some(v) =
            convert::count("bulk_concurrency", s.bulk_concurrency).map_err(config_error)?
        {
            b = b.bulk_concurrency(v);
        }
        if let Some(v) = s.ca_cert {
            b = b.ca_certificate_pem(v);
        }
        if let Some(v) =
            convert::count("max_connections", s.max_connections).map_err(config_error)?
        {
            b = b.max_connections(v);
        }
        let v = py.version_info();
        b = b.user_agent_extra(format!(
            "scaleway-partner-python/{} (Python {}.{}.{})",
            env!("CARGO_PKG_VERSION"),
            v.major,
            v.minor,
            v.patch
        ));
        let closer = CancellationToken::new();
        // Building reads the environment and the config file: no GIL needed.
        let client = py.detach(|| b.build())?.with_options(CallOptions {
            cancel: Some(closer.clone()),
            ..CallOptions::default()
        });
        Ok(Shared::around(client, closer))
    }

    fn around(client: Client, closer: CancellationToken) -> Shared {
        let config = client.config();
        Shared {
            api_url: config.api_url().to_owned(),
            masked_secret_key: config.secret_key().masked(),
            default_organization_id: config.default_organization_id().map(str::to_owned),
            client: Mutex::new(Some(client)),
            closer,
        }
    }

    /// The client for one call: with the per-call overrides applied; fails once closed.
    fn view(&self, o: PerCall) -> Result<Client, Error> {
        let client = self
            .client
            .lock()
            .expect("client lock")
            .clone()
            .ok_or(Error::Cancelled)?;
        let timeout = convert::seconds("timeout", o.timeout)?;
        let total_timeout = convert::seconds("total_timeout", o.total_timeout)?;
        let max_retries = convert::count("max_retries", o.max_retries)?;
        if timeout.is_none() && total_timeout.is_none() && max_retries.is_none() {
            return Ok(client);
        }
        Ok(client.with_options(CallOptions {
            timeout,
            total_timeout,
            max_retries,
            cancel: None,
        }))
    }

    fn with_options(&self, o: PerCall) -> Result<Shared, Error> {
        let client = self.view(o)?;
        Ok(Shared::around(client, self.closer.clone()))
    }

    fn close(&self) {
        self.closer.cancel();
        let dropped = self.client.lock().expect("client lock").take();
        // Dropping the HTTP pool may touch the runtime's reactor.
        let _guard = runtime::runtime().enter();
        drop(dropped);
    }

    fn is_closed(&self) -> bool {
        self.closer.is_cancelled()
    }

    fn repr(&self, class: &str) -> String {
        format!(
            "{class}(api_url={:?}, secret_key={:?})",
            self.api_url, self.masked_secret_key
        )
    }

    fn one(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        o: PerCall,
        op: impl FnOnce(Client) -> futures::future::BoxFuture<'static, Result<Organization, Error>>,
    ) -> PyResult<Py<PyAny>> {
        let client = self.view(o).map_err(|e| to_py_err(py, &e))?;
        runtime::call(py, flavor, |_| op(client), None, Box::new(organization_out))
    }

    fn create_organization(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        request: CreateOrganizationRequest,
        o: PerCall,
    ) -> PyResult<Py<PyAny>> {
        self.one(py, flavor, o, |c| {
            Box::pin(async move { c.create_organization(request).await })
        })
    }

    fn ensure_organization(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        request: CreateOrganizationRequest,
        o: PerCall,
    ) -> PyResult<Py<PyAny>> {
        let c = self.view(o).map_err(|e| to_py_err(py, &e))?;
        runtime::call(
            py,
            flavor,
            |_| async move { c.ensure_organization(request).await },
            None,
            Box::new(convert::ensured_out),
        )
    }

    fn request_admin_role(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        organization_id: String,
        request: RequestAdminRoleRequest,
        o: PerCall,
    ) -> PyResult<Py<PyAny>> {
        let c = self.view(o).map_err(|e| to_py_err(py, &e))?;
        runtime::call(
            py,
            flavor,
            |_| async move { c.request_admin_role(&organization_id, request).await },
            None,
            Box::new(|py, r| convert::result(py, r, |py, ()| Ok(py.None()))),
        )
    }

    fn ensure_organizations(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        requests: &Bound<'_, PyAny>,
        concurrency: Option<i64>,
        on_progress: Option<Bound<'_, PyAny>>,
        o: PerCall,
    ) -> PyResult<Py<PyAny>> {
        let requests = convert::create_requests(requests)?;
        let on_progress = callable_arg("on_progress", on_progress)?;
        let (client, concurrency) = self
            .bulk_view(o, concurrency)
            .map_err(|e| to_py_err(py, &e))?;
        runtime::call(
            py,
            flavor,
            move |progress| async move {
                let mut bulk = client.bulk();
                if let Some(n) = concurrency {
                    bulk = bulk.concurrency(n);
                }
                if let Some(p) = progress {
                    bulk = bulk.on_progress(p);
                }
                bulk.ensure(requests).await
            },
            on_progress,
            Box::new(convert::ensured_results),
        )
    }

    fn bulk_view(
        &self,
        o: PerCall,
        concurrency: Option<i64>,
    ) -> Result<(Client, Option<usize>), Error> {
        let client = self.view(o)?;
        Ok((client, convert::count::<usize>("concurrency", concurrency)?))
    }

    #[allow(clippy::too_many_arguments)]
    fn bulk(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        operation: Bulk,
        ids: &Bound<'_, PyAny>,
        concurrency: Option<i64>,
        on_progress: Option<Bound<'_, PyAny>>,
        o: PerCall,
    ) -> PyResult<Py<PyAny>> {
        let ids = convert::id_list(ids)?;
        let on_progress = callable_arg("on_progress", on_progress)?;
        let (client, concurrency) = self
            .bulk_view(o, concurrency)
            .map_err(|e| to_py_err(py, &e))?;
        runtime::call(
            py,
            flavor,
            move |progress| async move {
                let mut bulk = client.bulk();
                if let Some(n) = concurrency {
                    bulk = bulk.concurrency(n);
                }
                if let Some(p) = progress {
                    bulk = bulk.on_progress(p);
                }
                match operation {
                    Bulk::Lock => bulk.lock(ids).await,
                    Bulk::Unlock => bulk.unlock(ids).await,
                    Bulk::Get => bulk.get(ids).await,
                }
            },
            on_progress,
            Box::new(convert::bulk_results),
        )
    }

    fn audit(
        &self,
        py: Python<'_>,
        flavor: Flavor,
        stuck_after_days: Option<i64>,
        now: Option<DateTime<Utc>>,
        on_progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let client = self
            .view(PerCall::default())
            .map_err(|e| to_py_err(py, &e))?;
        crate::audit::audit(py, flavor, client, stuck_after_days, now, on_progress)
    }

    #[allow(clippy::too_many_arguments)]
    fn list_organizations(
        &self,
        py: Python<'_>,
        status: Option<String>,
        email: Option<String>,
        customer_id: Option<String>,
        locked_by: Option<String>,
        order_by: Option<String>,
        page_size: Option<i64>,
        o: PerCall,
    ) -> PyResult<OrganizationLister> {
        let prepared = self.view(o).and_then(|client| {
            let request = ListOrganizationsRequest {
                status: status.map(OrganizationStatus::from),
                email,
                customer_id,
                locked_by: locked_by.map(LockedBy::from),
                order_by: order_by.map(OrderBy::from),
                page_size: convert::count("page_size", page_size)?,
            };
            // The core would refuse a bad filter at the first fetch; say so right away.
            request.validate()?;
            Ok(client.list_organizations(request))
        });
        prepared.map_err(|e| to_py_err(py, &e))
    }
}

#[derive(Debug, Clone, Copy)]
enum Bulk {
    Lock,
    Unlock,
    Get,
}

/// Declares one native client class; both flavors get the very same methods.
macro_rules! native_client {
    ($ty:ident, $pyname:literal, $flavor:expr, $lister:ident) => {
        #[doc = concat!("The native `", $pyname, "` (wrapped by the public class of the same name).")]
        #[derive(Debug)]
        #[pyclass(frozen, name = $pyname, module = "scaleway_partner._native")]
        pub struct $ty(Shared);

        #[pymethods]
        impl $ty {
            #[new]
            #[pyo3(signature = (*, secret_key=None, access_key=None, api_url=None,
                default_organization_id=None, profile=None, timeout=None, connect_timeout=None,
                total_timeout=None, create_settle_timeout=None, retry_unconfirmed_creates=false,
                allow_insecure_http=false, max_retries=None, rate_limit=None,
                page_concurrency=None, bulk_concurrency=None, ca_cert=None,
                max_connections=None))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                secret_key: Option<String>,
                access_key: Option<String>,
                api_url: Option<String>,
                default_organization_id: Option<String>,
                profile: Option<String>,
                timeout: Option<f64>,
                connect_timeout: Option<f64>,
                total_timeout: Option<f64>,
                create_settle_timeout: Option<f64>,
                retry_unconfirmed_creates: bool,
                allow_insecure_http: bool,
                max_retries: Option<i64>,
                rate_limit: Option<f64>,
                page_concurrency: Option<i64>,
                bulk_concurrency: Option<i64>,
                ca_cert: Option<String>,
                max_connections: Option<i64>,
            ) -> PyResult<Self> {
                let settings = Settings {
                    secret_key,
                    access_key,
                    api_url,
                    default_organization_id,
                    profile,
                    timeout,
                    connect_timeout,
                    total_timeout,
                    create_settle_timeout,
                    retry_unconfirmed_creates,
                    allow_insecure_http,
                    max_retries,
                    rate_limit,
                    page_concurrency,
                    bulk_concurrency,
                    ca_cert,
                    max_connections,
                };
                Shared::build(py, settings)
                    .map($ty)
                    .map_err(|e| to_py_err(py, &e))
            }

            #[pyo3(signature = (*, timeout=None, total_timeout=None, max_retries=None))]
            fn with_options(
                &self,
                py: Python<'_>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Self> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0
                    .with_options(o)
                    .map($ty)
                    .map_err(|e| to_py_err(py, &e))
            }

            fn close(&self) {
                self.0.close()
            }

            #[getter]
            fn closed(&self) -> bool {
                self.0.is_closed()
            }

            #[getter]
            fn api_url(&self) -> &str {
                &self.0.api_url
            }

            #[getter]
            fn masked_secret_key(&self) -> &str {
                &self.0.masked_secret_key
            }

            #[getter]
            fn default_organization_id(&self) -> Option<&str> {
                self.0.default_organization_id.as_deref()
            }

            fn __repr__(&self) -> String {
                self.0.repr($pyname)
            }

            #[pyo3(signature = (*, email=None, organization_name=None, owner_firstname=None,
                owner_lastname=None, customer_id=None, partner_id=None, phone_number=None,
                siren_number=None, timeout=None, total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn create_organization(
                &self,
                py: Python<'_>,
                email: Option<String>,
                organization_name: Option<String>,
                owner_firstname: Option<String>,
                owner_lastname: Option<String>,
                customer_id: Option<String>,
                partner_id: Option<String>,
                phone_number: Option<String>,
                siren_number: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let request = CreateOrganizationRequest {
                    partner_id,
                    email,
                    organization_name,
                    owner_firstname,
                    owner_lastname,
                    customer_id,
                    phone_number,
                    siren_number,
                };
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.create_organization(py, $flavor, request, o)
            }

            #[pyo3(signature = (*, email=None, organization_name=None, owner_firstname=None,
                owner_lastname=None, customer_id=None, partner_id=None, phone_number=None,
                siren_number=None, timeout=None, total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn ensure_organization(
                &self,
                py: Python<'_>,
                email: Option<String>,
                organization_name: Option<String>,
                owner_firstname: Option<String>,
                owner_lastname: Option<String>,
                customer_id: Option<String>,
                partner_id: Option<String>,
                phone_number: Option<String>,
                siren_number: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let request = CreateOrganizationRequest {
                    partner_id,
                    email,
                    organization_name,
                    owner_firstname,
                    owner_lastname,
                    customer_id,
                    phone_number,
                    siren_number,
                };
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.ensure_organization(py, $flavor, request, o)
            }

            #[pyo3(signature = (requests, *, concurrency=None, on_progress=None, timeout=None,
                total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn ensure_organizations(
                &self,
                py: Python<'_>,
                requests: &Bound<'_, PyAny>,
                concurrency: Option<i64>,
                on_progress: Option<Bound<'_, PyAny>>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0
                    .ensure_organizations(py, $flavor, requests, concurrency, on_progress, o)
            }

            #[pyo3(signature = (organization_id=None, *, timeout=None, total_timeout=None,
                max_retries=None))]
            fn get_organization(
                &self,
                py: Python<'_>,
                organization_id: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.one(py, $flavor, o, |c| {
                    Box::pin(async move { c.get_organization(organization_id.as_deref()).await })
                })
            }

            // The writes take the organization to change, never the default: None (Python's
            // "missing") is the core's empty ID, which its validation refuses.
            #[pyo3(signature = (organization_id, *, email=None, name=None,
                owner_firstname=None, owner_lastname=None, phone_number=None, customer_id=None,
                comment=None, timeout=None, total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn update_organization(
                &self,
                py: Python<'_>,
                organization_id: Option<String>,
                email: Option<String>,
                name: Option<String>,
                owner_firstname: Option<String>,
                owner_lastname: Option<String>,
                phone_number: Option<String>,
                customer_id: Option<String>,
                comment: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let request = UpdateOrganizationRequest {
                    email,
                    name,
                    owner_firstname,
                    owner_lastname,
                    phone_number,
                    customer_id,
                    comment,
                };
                let id = organization_id.unwrap_or_default();
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.one(py, $flavor, o, |c| {
                    Box::pin(async move { c.update_organization(&id, request).await })
                })
            }

            #[pyo3(signature = (organization_id, *, timeout=None, total_timeout=None,
                max_retries=None))]
            fn lock_organization(
                &self,
                py: Python<'_>,
                organization_id: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let id = organization_id.unwrap_or_default();
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.one(py, $flavor, o, |c| {
                    Box::pin(async move { c.lock_organization(&id).await })
                })
            }

            #[pyo3(signature = (organization_id, *, timeout=None, total_timeout=None,
                max_retries=None))]
            fn unlock_organization(
                &self,
                py: Python<'_>,
                organization_id: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let id = organization_id.unwrap_or_default();
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.one(py, $flavor, o, |c| {
                    Box::pin(async move { c.unlock_organization(&id).await })
                })
            }

            #[pyo3(signature = (organization_id, *, username=None, email=None,
                password=None, timeout=None, total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn request_admin_role(
                &self,
                py: Python<'_>,
                organization_id: Option<String>,
                username: Option<String>,
                email: Option<String>,
                password: Option<String>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let request = RequestAdminRoleRequest {
                    username,
                    email,
                    password,
                };
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.request_admin_role(
                    py,
                    $flavor,
                    organization_id.unwrap_or_default(),
                    request,
                    o,
                )
            }

            #[pyo3(signature = (*, status=None, email=None, customer_id=None, locked_by=None,
                order_by=None, page_size=None, timeout=None, total_timeout=None,
                max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn list_organizations(
                &self,
                py: Python<'_>,
                status: Option<String>,
                email: Option<String>,
                customer_id: Option<String>,
                locked_by: Option<String>,
                order_by: Option<String>,
                page_size: Option<i64>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<$lister> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.list_organizations(
                    py,
                    status,
                    email,
                    customer_id,
                    locked_by,
                    order_by,
                    page_size,
                    o,
                )
                .map($lister::new)
            }

            #[pyo3(signature = (*, stuck_after_days=None, now=None, on_progress=None))]
            fn audit(
                &self,
                py: Python<'_>,
                stuck_after_days: Option<i64>,
                now: Option<DateTime<Utc>>,
                on_progress: Option<Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                self.0
                    .audit(py, $flavor, stuck_after_days, now, on_progress)
            }

            #[pyo3(signature = (ids, *, concurrency=None, on_progress=None, timeout=None,
                total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn lock_organizations(
                &self,
                py: Python<'_>,
                ids: &Bound<'_, PyAny>,
                concurrency: Option<i64>,
                on_progress: Option<Bound<'_, PyAny>>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.bulk(py, $flavor, Bulk::Lock, ids, concurrency, on_progress, o)
            }

            #[pyo3(signature = (ids, *, concurrency=None, on_progress=None, timeout=None,
                total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn unlock_organizations(
                &self,
                py: Python<'_>,
                ids: &Bound<'_, PyAny>,
                concurrency: Option<i64>,
                on_progress: Option<Bound<'_, PyAny>>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.bulk(py, $flavor, Bulk::Unlock, ids, concurrency, on_progress, o)
            }

            #[pyo3(signature = (ids, *, concurrency=None, on_progress=None, timeout=None,
                total_timeout=None, max_retries=None))]
            #[allow(clippy::too_many_arguments)]
            fn get_organizations(
                &self,
                py: Python<'_>,
                ids: &Bound<'_, PyAny>,
                concurrency: Option<i64>,
                on_progress: Option<Bound<'_, PyAny>>,
                timeout: Option<f64>,
                total_timeout: Option<f64>,
                max_retries: Option<i64>,
            ) -> PyResult<Py<PyAny>> {
                let o = PerCall { timeout, total_timeout, max_retries };
                self.0.bulk(py, $flavor, Bulk::Get, ids, concurrency, on_progress, o)
            }
        }

        impl Drop for $ty {
            fn drop(&mut self) {
                // The HTTP pool's connections live on the runtime: drop it inside it.
                let client = match self.0.client.get_mut() {
                    Ok(c) => c.take(),
                    Err(poisoned) => poisoned.into_inner().take(),
                };
                let _guard = runtime::runtime().enter();
                drop(client);
            }
        }
    };
}

native_client!(BlockingClient, "Client", Flavor::Blocking, Lister);
native_client!(AsyncClient, "AsyncClient", Flavor::Async, AsyncLister);
