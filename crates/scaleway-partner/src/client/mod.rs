//! The client: configuration, per-call options, and the operations (in the submodules).

mod call;
mod check;
mod create;
mod ensure;
mod operations;

pub(crate) use call::BulkScope;
pub use ensure::Ensured;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::config::{Config, Layer, Sources};
use crate::coordination::{Coordination, Coordinator};
use crate::error::Result;
use crate::observe::{Hook, ResponseCapture};
use crate::options::{Checked, DurationUnit, NumberOption};
use crate::retry::RetryPolicy;
use crate::transport::{self, Transport};

/// Path of the organizations collection.
pub(crate) const ORGANIZATIONS_PATH: &str = "/partner/v1/organizations";
/// Why an organization ID is missing: the variable, and the option as the caller writes it.
pub(crate) fn no_default_organization() -> crate::setting::Message {
    use crate::setting::{Message, Setting};
    Message::default()
        .text("is required: no default organization ID is configured (set ")
        .text(Setting::DefaultOrganizationId.env_var().unwrap_or_default())
        .text(", or pass the client option ")
        .option(Setting::DefaultOrganizationId)
        .text(")")
}

/// Default timeout of one HTTP attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default rate budget in requests per second, as the real API allows per key.
pub const DEFAULT_RATE_LIMIT: f64 = 50.0;
/// Default number of pages fetched at once by [`OrganizationLister::collect_all`](crate::OrganizationLister::collect_all).
pub const DEFAULT_PAGE_CONCURRENCY: usize = 4;
/// Default number of organizations handled at once by the bulk operations.
pub const DEFAULT_BULK_CONCURRENCY: usize = 8;
/// Default limit of a whole call: every attempt, wait and lookup included.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(120);
/// Default number of requests on the wire at once per client (and its clones): at most this
/// many connections are opened, however many calls are made at once.
pub const DEFAULT_MAX_CONNECTIONS: usize = 32;
/// Default time a create whose answer was lost keeps looking for the organization it may have
/// made before it reports [`Error::CreateUnconfirmed`](crate::Error::CreateUnconfirmed).
pub const DEFAULT_CREATE_SETTLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of the Partner API. Cheap to clone: clones share the connection pool and the pacer,
/// so all of them together stay under the rate budget.
///
/// ```no_run
/// # async fn demo() -> scaleway_partner::Result<()> {
/// use scaleway_partner::Client;
/// // SCW_SECRET_KEY, SCW_DEFAULT_ORGANIZATION_ID... or the scw config.yaml.
/// let client = Client::from_env()?;
/// let org = client.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460").await?;
/// println!("{} is {}", org.name, org.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
    /// Where this view records its successful answers' metadata.
    capture: Option<ResponseCapture>,
    /// The bulk call this view's calls are items of: its deadline bounds theirs.
    bulk: Option<Arc<call::BulkScope>>,
}

struct Inner {
    config: Config,
    transport: Transport,
    settings: Settings,
    coordinator: Coordinator,
}

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub timeout: Duration,
    pub total_timeout: Duration,
    pub create_settle_timeout: Duration,
    pub retry_unconfirmed_creates: bool,
    pub retry: RetryPolicy,
    pub page_concurrency: usize,
    pub bulk_concurrency: usize,
    pub hook: Option<Hook>,
}

/// Options of one call (or of every call made through [`Client::with_options`]).
///
/// ```no_run
/// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
/// use std::time::Duration;
/// use scaleway_partner::CallOptions;
/// let quick = client.with_options(CallOptions { timeout: Some(Duration::from_secs(5)), max_retries: Some(0), ..Default::default() });
/// let org = quick.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Timeout of each attempt (the client's default otherwise).
    pub timeout: Option<Duration>,
    /// Limit of the whole call, retries, waits and lookups included (the client's otherwise).
    pub total_timeout: Option<Duration>,
    /// Retries after the first attempt (the client's policy otherwise).
    pub max_retries: Option<u32>,
    /// Cancels the call: it stops waiting and returns [`Error::Cancelled`](crate::Error::Cancelled).
    /// Dropping the call's future has the same effect in Rust; this serves callers that cannot
    /// drop it (a JavaScript `AbortSignal`).
    pub cancel: Option<CancellationToken>,
}

impl Client {
    /// A builder with every setting at its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from `SCW_*` variables and the scw `config.yaml`, like every
    /// Scaleway tool.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::default().build()
    }

    /// A view of this client whose calls use `options` (fields left `None` keep this view's
    /// values). It shares the connection pool and the pacer.
    #[must_use]
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            inner: self.inner.clone(),
            options: CallOptions {
                timeout: options.timeout.or(self.options.timeout),
                total_timeout: options.total_timeout.or(self.options.total_timeout),
                max_retries: options.max_retries.or(self.options.max_retries),
                cancel: options.cancel.or_else(|| self.options.cancel.clone()),
            },
            capture: self.capture.clone(),
            bulk: self.bulk.clone(),
        }
    }

    /// The options of this view's calls: what [`with_options`](Self::with_options) laid over
    /// the client's.
    pub fn call_options(&self) -> &CallOptions {
        &self.options
    }

    /// A view of this client whose calls record the metadata (status, request ID, headers) of
    /// their successful answers in `capture`: what `with_raw_response`/`withResponse()` of the
    /// bindings read, for any method.
    #[must_use]
    pub fn with_response_capture(&self, capture: ResponseCapture) -> Client {
        Client {
            inner: self.inner.clone(),
            options: self.options.clone(),
            capture: Some(capture),
            bulk: self.bulk.clone(),
        }
    }

    /// The resolved configuration (the secret key is masked when printed).
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The rate budget currently applied, in requests per second (0 when pacing is off).
    pub fn rate_budget(&self) -> f64 {
        self.inner.transport.pacer.budget()
    }

    /// True once this view's cancellation token (if any) has fired.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.options
            .cancel
            .as_ref()
            .is_some_and(CancellationToken::is_cancelled)
    }

    /// Waits, until `deadline`, to be the only caller creating an organization for this
    /// validated request's customer (API URL, partner, `customer_id`): among the clients of
    /// this process, and beyond it as the client's coordination says.
    pub(crate) async fn exclude(
        &self,
        request: &crate::models::CreateOrganizationRequest,
        deadline: tokio::time::Instant,
    ) -> Result<crate::coordination::Exclusion> {
        let name = crate::coordination::customer_name(
            self.config().api_url(),
            request.partner_id.as_deref().unwrap_or_default(),
            request.customer_id.as_deref().unwrap_or_default(),
        );
        self.inner
            .coordinator
            .exclude(&name, deadline, self.total_timeout())
            .await
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    fn timeout(&self) -> Duration {
        self.options.timeout.unwrap_or(self.inner.settings.timeout)
    }

    pub(crate) fn total_timeout(&self) -> Duration {
        self.options
            .total_timeout
            .unwrap_or(self.inner.settings.total_timeout)
    }

    /// When a call started now must be done: its total timeout from now, or the end of the
    /// bulk call it is an item of, whichever comes first.
    pub(crate) fn deadline(&self) -> tokio::time::Instant {
        let own = crate::pacer::later(tokio::time::Instant::now(), self.total_timeout());
        self.bulk.as_ref().map_or(own, |b| own.min(b.deadline))
    }

    fn retry_policy(&self) -> RetryPolicy {
        let mut p = self.inner.settings.retry;
        if let Some(n) = self.options.max_retries {
            p.max_retries = n;
        }
        p
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. Explicit values win over the environment and the config file.
///
/// ```no_run
/// use std::time::Duration;
/// use scaleway_partner::Client;
/// let client = Client::builder()
///     .secret_key("11111111-1111-4111-8111-111111111111")
///     .default_organization_id("7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e")
///     .timeout(Duration::from_secs(30))
///     .max_retries(6)
///     .rate_limit(20.0)
///     .build()?;
/// # Ok::<(), scaleway_partner::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    layer: Layer,
    profile: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    total_timeout: Duration,
    create_settle_timeout: Duration,
    retry_unconfirmed_creates: bool,
    allow_insecure_http: bool,
    ca_certificates: Vec<Vec<u8>>,
    max_connections: usize,
    retry: RetryPolicy,
    rate_limit: f64,
    page_concurrency: usize,
    bulk_concurrency: usize,
    user_agent_extra: Vec<String>,
    environment: Option<HashMap<String, String>>,
    duration_unit: DurationUnit,
    numbers: Vec<(NumberOption, f64)>,
    hook: Option<Hook>,
    default_headers: Vec<(String, String)>,
    proxy: Option<String>,
    coordination: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            layer: Layer::default(),
            profile: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            create_settle_timeout: DEFAULT_CREATE_SETTLE_TIMEOUT,
            retry_unconfirmed_creates: false,
            allow_insecure_http: false,
            ca_certificates: Vec::new(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            retry: RetryPolicy::default(),
            rate_limit: DEFAULT_RATE_LIMIT,
            page_concurrency: DEFAULT_PAGE_CONCURRENCY,
            bulk_concurrency: DEFAULT_BULK_CONCURRENCY,
            user_agent_extra: Vec::new(),
            environment: None,
            duration_unit: DurationUnit::default(),
            numbers: Vec::new(),
            hook: None,
            default_headers: Vec::new(),
            proxy: None,
            coordination: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field(
                "secret_key",
                &self.layer.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("api_url", &self.layer.api_url)
            .field(
                "default_organization_id",
                &self.layer.default_organization_id,
            )
            .field("profile", &self.profile)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("create_settle_timeout", &self.create_settle_timeout)
            .field("retry_unconfirmed_creates", &self.retry_unconfirmed_creates)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("ca_certificates", &self.ca_certificates.len())
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The secret key (a UUID).
    #[must_use]
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.layer.secret_key = Some(key.into());
        self
    }

    /// The access key (not needed by this API; accepted for symmetry with other tools).
    #[must_use]
    pub fn access_key(mut self, key: impl Into<String>) -> Self {
        self.layer.access_key = Some(key.into());
        self
    }

    /// The API base URL, without trailing slash (`https://api.scaleway.com` by default).
    #[must_use]
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.layer.api_url = Some(url.into());
        self
    }

    /// The partner's own organization ID, used as the default `partner_id`.
    #[must_use]
    pub fn default_organization_id(mut self, id: impl Into<String>) -> Self {
        self.layer.default_organization_id = Some(id.into());
        self
    }

    /// Skips TLS certificate verification (for test proxies only; a warning is logged).
    #[must_use]
    pub fn insecure(mut self, insecure: bool) -> Self {
        self.layer.insecure = Some(insecure);
        self
    }

    /// Trusts the certificate authorities of this PEM text (one or more `CERTIFICATE` blocks)
    /// in addition to the system's, for a TLS-intercepting proxy or a test server whose
    /// certificate no public authority signed. Certificates are still verified, host name
    /// included; prefer this to [`insecure`](Self::insecure). May be called several times. A
    /// text without a certificate is a configuration error at [`build`](Self::build).
    #[must_use]
    pub fn ca_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.ca_certificates.push(pem.as_ref().to_vec());
        self
    }

    /// Allows a plain `http://` API URL to a host other than this machine (refused by default:
    /// the secret key would cross the network in clear text). Loopback addresses are always
    /// allowed.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The config-file profile to read (overrides `SCW_PROFILE` and `active_profile`).
    #[must_use]
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Timeout of each HTTP attempt (60 s by default).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit of a whole call, every attempt, retry wait and lookup included (120 s by default).
    /// Past it the call fails with [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded),
    /// or [`Error::CreateUnconfirmed`](crate::Error::CreateUnconfirmed) for a create whose
    /// request may have been applied.
    #[must_use]
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// How long a create whose answer was lost keeps looking for the organization it may have
    /// made, with growing waits, before reporting
    /// [`Error::CreateUnconfirmed`](crate::Error::CreateUnconfirmed) (30 s by default; 0 looks
    /// once, at once).
    #[must_use]
    pub fn create_settle_timeout(mut self, timeout: Duration) -> Self {
        self.create_settle_timeout = timeout;
        self
    }

    /// Opt-in: when a create's outcome is still unknown at the end of the settle window, post
    /// it again (if retries are left) instead of reporting
    /// [`Error::CreateUnconfirmed`](crate::Error::CreateUnconfirmed). This can create a
    /// permanent duplicate if the first request lands later; off by default.
    #[must_use]
    pub fn retry_unconfirmed_creates(mut self, retry: bool) -> Self {
        self.retry_unconfirmed_creates = retry;
        self
    }

    /// Connect timeout (10 s by default).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries after the first attempt (4 by default; 0 disables retrying).
    #[must_use]
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The whole retry policy.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Rate budget of this client and its clones, in requests per second (50 by default, as the
    /// API allows; 0 turns pacing off). The client also slows down to what the API announces.
    #[must_use]
    pub fn rate_limit(mut self, requests_per_second: f64) -> Self {
        self.rate_limit = requests_per_second;
        self
    }

    /// Requests on the wire at once for this client and its clones (32 by default): the
    /// connection pool never holds more connections than this, however many calls are made at
    /// once; the others wait their turn (within their total timeout).
    #[must_use]
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = n;
        self
    }

    /// Pages fetched at once by `collect_all` (4 by default).
    #[must_use]
    pub fn page_concurrency(mut self, n: usize) -> Self {
        self.page_concurrency = n;
        self
    }

    /// Organizations handled at once by the bulk operations (8 by default).
    #[must_use]
    pub fn bulk_concurrency(mut self, n: usize) -> Self {
        self.bulk_concurrency = n;
        self
    }

    /// Text appended to the `User-Agent` (the bindings name themselves here).
    #[must_use]
    pub fn user_agent_extra(mut self, extra: impl Into<String>) -> Self {
        self.user_agent_extra.push(extra.into());
        self
    }

    /// Reads `SCW_*`, `HOME` and `XDG_CONFIG_HOME` from these variables instead of the process
    /// environment (for tests, or a process serving several partners).
    #[must_use]
    pub fn environment<K: Into<String>, V: Into<String>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.environment = Some(
            vars.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        );
        self
    }

    /// Called with every request, answer and retry of this client and its clones (method,
    /// path, status, request ID, attempt, duration; never the key, a body or a query).
    #[must_use]
    pub fn hook(mut self, hook: Hook) -> Self {
        self.hook = Some(hook);
        self
    }

    /// Headers sent with every request (a tracing header, a tenant tag...). A name or value
    /// that cannot be a header, or a header the client owns (`X-Auth-Token`, `User-Agent`,
    /// `Host`, `Content-Type`, `Content-Length`), is a configuration error at
    /// [`build`](Self::build).
    #[must_use]
    pub fn default_headers<K: Into<String>, V: Into<String>>(
        mut self,
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.default_headers = headers
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self
    }

    /// Sends every request through this proxy (`http://proxy:3128`), this machine's API URL
    /// included; hosts in `NO_PROXY` still go direct. Without it, `HTTPS_PROXY`/`HTTP_PROXY`/
    /// `ALL_PROXY` apply (with `NO_PROXY`), except to an API URL on this machine (loopback),
    /// which is never proxied unless asked here.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// How far the callers of this key coordinate (creates for one customer never overlap, and
    /// the rate budget is one, among all of them):
    /// - `"machine"` (the default): every process of this machine, through advisory lock files
    ///   in a per-user runtime directory (`$XDG_RUNTIME_DIR/scaleway-partner`, else
    ///   `scaleway-partner-<uid>` in the temporary directory); a process that dies lets go at
    ///   once;
    /// - `"process"`: the clients of this process only;
    /// - `"redis://host:6379/0"` or `"rediss://..."`: every process of every host using that
    ///   Redis (or Valkey) server.
    ///
    /// Without it, the `SCW_PARTNER_COORDINATION` environment variable decides. Any other value
    /// is a configuration error at [`build`](Self::build). The clients of one process always
    /// coordinate among themselves, whatever this says.
    #[must_use]
    pub fn coordination(mut self, value: impl Into<String>) -> Self {
        self.coordination = Some(value.into());
        self
    }

    /// The unit of the durations given to [`number`](Self::number) (seconds by default).
    #[must_use]
    pub fn duration_unit(mut self, unit: DurationUnit) -> Self {
        self.duration_unit = unit;
        self
    }

    /// Sets a numeric option from a plain number, as a binding receives it (durations in the
    /// [`duration_unit`](Self::duration_unit)). It is checked by [`build`](Self::build) with
    /// the same rules and message in every language: a negative, fractional count, NaN or
    /// infinite value is a configuration error naming the option.
    #[must_use]
    pub fn number(mut self, option: NumberOption, value: f64) -> Self {
        self.numbers.push((option, value));
        self
    }

    /// Applies the numbers given to [`number`](Self::number), refusing the first bad one.
    fn apply_numbers(&mut self) -> Result<()> {
        for (option, value) in std::mem::take(&mut self.numbers) {
            let checked = option
                .check(value, self.duration_unit)
                .map_err(|why| option.refused(why))?;
            match (option, checked) {
                (NumberOption::Timeout, Checked::Duration(d)) => self.timeout = d,
                (NumberOption::ConnectTimeout, Checked::Duration(d)) => self.connect_timeout = d,
                (NumberOption::TotalTimeout, Checked::Duration(d)) => self.total_timeout = d,
                (NumberOption::CreateSettleTimeout, Checked::Duration(d)) => {
                    self.create_settle_timeout = d;
                }
                (NumberOption::MaxRetries, Checked::Count(n)) => self.retry.max_retries = n,
                (NumberOption::RateLimit, Checked::Rate(r)) => self.rate_limit = r,
                (NumberOption::PageConcurrency, Checked::Count(n)) => {
                    self.page_concurrency = n as usize;
                }
                (NumberOption::BulkConcurrency, Checked::Count(n)) => {
                    self.bulk_concurrency = n as usize;
                }
                (NumberOption::MaxConnections, Checked::Count(n)) => {
                    self.max_connections = n as usize;
                }
                (option, checked) => unreachable!("{option:?} checked as {checked:?}"),
            }
        }
        Ok(())
    }

    /// The typed settings, refused by the same rules and messages as [`number`](Self::number)'s:
    /// a zero duration or count as the number 0 would be.
    fn check_settings(&self) -> Result<()> {
        let zeros = [
            (NumberOption::Timeout, self.timeout.is_zero()),
            (NumberOption::ConnectTimeout, self.connect_timeout.is_zero()),
            (NumberOption::TotalTimeout, self.total_timeout.is_zero()),
            (NumberOption::PageConcurrency, self.page_concurrency == 0),
            (NumberOption::BulkConcurrency, self.bulk_concurrency == 0),
            (NumberOption::MaxConnections, self.max_connections == 0),
        ];
        for (option, _) in zeros.into_iter().filter(|(_, zero)| *zero) {
            option
                .check(0.0, self.duration_unit)
                .map_err(|why| option.refused(why))?;
        }
        NumberOption::RateLimit
            .check(self.rate_limit, self.duration_unit)
            .map_err(|why| NumberOption::RateLimit.refused(why))?;
        Ok(())
    }

    /// Resolves and validates the configuration and builds the client.
    pub fn build(mut self) -> Result<Client> {
        self.apply_numbers()?;
        let process_env = |k: &str| std::env::var(k).ok();
        let given_env = |k: &str| self.environment.as_ref().and_then(|m| m.get(k).cloned());
        let env: &dyn Fn(&str) -> Option<String> = if self.environment.is_some() {
            &given_env
        } else {
            &process_env
        };
        let sources = Sources { env };
        let config = Config::resolve(self.layer.clone(), self.profile.clone(), &sources)?;
        crate::config::check_cleartext(&config, self.allow_insecure_http)?;
        self.check_settings()?;
        let coordination = Coordination::resolve(self.coordination.as_deref(), env)?;
        let coordinator = Coordinator::new(coordination.backend(env)?);
        let mut extra: Vec<&str> = self.user_agent_extra.iter().map(String::as_str).collect();
        if let Some(e) = config.user_agent_extra() {
            extra.push(e);
        }
        let ua = transport::user_agent(&extra);
        let transport = Transport::new(
            &config,
            transport::HttpSettings {
                connect_timeout: self.connect_timeout,
                user_agent: &ua,
                rate: self.rate_limit,
                ca_certificates: &self.ca_certificates,
                max_connections: self.max_connections,
                max_server_wait: self.retry.max_server_wait,
                backend: coordinator.backend(),
                headers: transport::default_headers(&self.default_headers)?,
                proxy: transport::proxy(config.parsed_api_url(), self.proxy.as_deref(), env)?,
            },
        )?;
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport,
                settings: Settings {
                    timeout: self.timeout,
                    total_timeout: self.total_timeout,
                    create_settle_timeout: self.create_settle_timeout,
                    retry_unconfirmed_creates: self.retry_unconfirmed_creates,
                    retry: self.retry,
                    page_concurrency: self.page_concurrency,
                    bulk_concurrency: self.bulk_concurrency,
                    hook: self.hook,
                },
                coordinator,
            }),
            options: CallOptions::default(),
            capture: None,
            bulk: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn builder() -> ClientBuilder {
        Client::builder()
            .secret_key("11111111-1111-4111-8111-111111111111")
            .environment([("HOME", "/nonexistent")])
    }

    #[test]
    fn options_are_named_in_the_callers_names_and_unit() {
        struct Camel;
        impl crate::Names for Camel {
            fn option(&self, setting: crate::Setting) -> std::borrow::Cow<'static, str> {
                crate::OptionSpelling::CamelCase
                    .spell(setting.name())
                    .into_owned()
                    .into()
            }
            fn argument<'a>(&self, field: &'a str) -> std::borrow::Cow<'a, str> {
                field.into()
            }
        }
        let err = builder()
            .duration_unit(DurationUnit::Milliseconds)
            .number(NumberOption::TotalTimeout, -5.0)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert_eq!(
            err.setting(),
            Some(crate::Setting::Number(NumberOption::TotalTimeout))
        );
        assert_eq!(
            err.message_in(&Camel),
            "configuration error: totalTimeout must be a number of milliseconds > 0, got -5"
        );
        let err = builder()
            .api_url("http://example.test")
            .build()
            .unwrap_err();
        assert_eq!(err.setting(), Some(crate::Setting::ApiUrl));
        let shown = err.message_in(&Camel);
        assert!(
            shown.contains("apiUrl") && shown.contains("allowInsecureHttp"),
            "{shown}"
        );
        let err = builder()
            .default_organization_id("nope")
            .build()
            .unwrap_err();
        assert_eq!(err.setting(), Some(crate::Setting::DefaultOrganizationId));
        assert!(
            err.to_string()
                .contains("default_organization_id must be a UUID"),
            "{err}"
        );
        assert!(
            err.message_in(&Camel)
                .contains("defaultOrganizationId must be a UUID"),
            "{err}"
        );
        let err = Client::builder()
            .environment([
                ("HOME", "/nonexistent"),
                ("SCW_SECRET_KEY", "11111111-1111-4111-8111-111111111111"),
                ("SCW_DEFAULT_ORGANIZATION_ID", "nope"),
            ])
            .build()
            .unwrap_err();
        assert!(
            err.message_in(&Camel)
                .contains("SCW_DEFAULT_ORGANIZATION_ID must be a UUID"),
            "{err}"
        );
    }

    #[test]
    fn numbers_set_the_options_and_the_first_bad_one_is_reported() {
        let client = builder()
            .number(NumberOption::MaxRetries, 0.0)
            .number(NumberOption::Timeout, 0.25)
            .number(NumberOption::BulkConcurrency, 3.0)
            .build()
            .unwrap();
        let settings = client.settings();
        assert_eq!(settings.retry.max_retries, 0);
        assert_eq!(settings.timeout, Duration::from_millis(250));
        assert_eq!(settings.bulk_concurrency, 3);
        let err = builder()
            .number(NumberOption::MaxRetries, -1.0)
            .number(NumberOption::PageConcurrency, 0.0)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("max_retries must be a whole number >= 0, got -1"),
            "{err}"
        );
        let err = builder()
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("timeout must be a number of seconds > 0, got 0"),
            "{err}"
        );
    }
}
