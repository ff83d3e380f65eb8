//! Credentials and endpoint, resolved the way every Scaleway tool does it:
//! explicit values > `SCW_*` environment > the chosen profile of `config.yaml` > its top-level
//! values. The secret key never appears in `Debug` or `Display`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::setting::{ConfigError, Message, Origin, Setting};
use crate::validate;

/// The public Scaleway API endpoint.
pub const DEFAULT_API_URL: &str = "https://api.scaleway.com";

/// A secret key. Shown masked (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx1234`) by `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret key (validated when the client is built).
    pub fn new(value: impl Into<String>) -> Self {
        SecretKey(value.into())
    }

    /// The key itself: only for the `X-Auth-Token` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form, keeping the last four characters to tell keys apart.
    pub fn masked(&self) -> String {
        let n = self.0.chars().count();
        let tail: String = if n >= 12 {
            self.0.chars().skip(n - 4).collect()
        } else {
            String::new()
        };
        format!("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx{tail}")
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({})", self.masked())
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// One layer of settings; every field optional. Used for explicit values, the environment and
/// each profile of the config file.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Layer {
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub api_url: Option<String>,
    pub default_organization_id: Option<String>,
    pub insecure: Option<bool>,
}

impl Layer {
    /// Fills what `self` lacks from `lower`.
    fn or(self, lower: Layer) -> Layer {
        Layer {
            access_key: self.access_key.or(lower.access_key),
            secret_key: self.secret_key.or(lower.secret_key),
            api_url: self.api_url.or(lower.api_url),
            default_organization_id: self
                .default_organization_id
                .or(lower.default_organization_id),
            insecure: self.insecure.or(lower.insecure),
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ConfigFile {
    #[serde(flatten)]
    top: Layer,
    active_profile: Option<String>,
    profiles: BTreeMap<String, Layer>,
}

/// Where settings are read from (the environment is injectable for tests).
pub(crate) struct Sources<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// A configuration error about `setting`.
fn refuse(setting: Setting, message: Message) -> Error {
    Error::Config(ConfigError::new(Some(setting), message))
}

impl Sources<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    fn config_path(&self) -> Option<PathBuf> {
        if let Some(p) = self.var("SCW_CONFIG_PATH") {
            return Some(PathBuf::from(p));
        }
        if let Some(xdg) = self.var("XDG_CONFIG_HOME") {
            return Some(Path::new(&xdg).join("scw").join("config.yaml"));
        }
        self.var("HOME").map(|h| {
            Path::new(&h)
                .join(".config")
                .join("scw")
                .join("config.yaml")
        })
    }

    fn env_layer(&self) -> Result<Layer> {
        let insecure = match self.var("SCW_INSECURE") {
            None => None,
            Some(v) => Some(parse_bool(Setting::Insecure, &v)?),
        };
        Ok(Layer {
            access_key: self.var("SCW_ACCESS_KEY"),
            secret_key: self.var("SCW_SECRET_KEY"),
            api_url: self.var("SCW_API_URL"),
            default_organization_id: self.var("SCW_DEFAULT_ORGANIZATION_ID"),
            insecure,
        })
    }
}

/// A boolean from the environment variable of `setting`.
fn parse_bool(setting: Setting, v: &str) -> Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(refuse(
            setting,
            Message::default()
                .text(setting.env_var().unwrap_or(setting.name()))
                .text(format!(" must be true or false, got {v:?}")),
        )),
    }
}

/// Where the settings errors may name came from.
struct Origins {
    api_url: Origin,
    default_organization_id: Origin,
}

/// The resolved, validated settings of a client.
#[derive(Clone)]
pub struct Config {
    secret_key: SecretKey,
    access_key: Option<String>,
    /// Parsed once: the checks and the transport read this same URL.
    api_url: reqwest::Url,
    /// Its text, without trailing slash.
    api_url_text: String,
    /// Where it came from (the option, `SCW_API_URL`, the file...), for errors.
    api_url_origin: Origin,
    default_organization_id: Option<String>,
    insecure: bool,
    profile: Option<String>,
    user_agent_extra: Option<String>,
}

impl Config {
    /// Resolves the settings: `explicit` values first, then the environment, then the profile
    /// (`profile`, else `SCW_PROFILE`, else `active_profile` of the file), then the file's
    /// top-level values. Fails with a message naming the setting and where it came from.
    pub(crate) fn resolve(
        explicit: Layer,
        profile: Option<String>,
        sources: &Sources<'_>,
    ) -> Result<Config> {
        let env = sources.env_layer()?;
        let path = sources.config_path();
        let file = match &path {
            Some(p) => read_config_file(p)?,
            None => None,
        };
        let chosen = profile.or_else(|| sources.var("SCW_PROFILE"));
        let (file_layer, profile_name) = match file {
            None => {
                if let Some(name) = &chosen {
                    return Err(refuse(
                        Setting::Profile,
                        format!(
                            "profile {name:?} was asked for, but there is no config file at {}",
                            display_path(path.as_deref())
                        )
                        .into(),
                    ));
                }
                (Layer::default(), None)
            }
            Some(mut f) => {
                let name = chosen
                    .or(f.active_profile.take())
                    .filter(|n| n != "default");
                match name {
                    None => (f.top, None),
                    Some(name) => match f.profiles.remove(&name) {
                        Some(p) => (p.or(f.top), Some(name)),
                        None => {
                            return Err(refuse(
                                Setting::Profile,
                                format!(
                                    "profile {name:?} not found in {} (profiles: {})",
                                    display_path(path.as_deref()),
                                    f.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
                                )
                                .into(),
                            ));
                        }
                    },
                }
            }
        };
        // Where a setting came from: the layer that gives it.
        let origin = |setting: Setting, given: fn(&Layer) -> bool| {
            if given(&explicit) {
                Origin::Option
            } else if given(&env) {
                Origin::Env(setting.env_var().unwrap_or_default())
            } else if given(&file_layer) {
                Origin::File(display_path(path.as_deref()))
            } else {
                Origin::Default
            }
        };
        let origins = Origins {
            api_url: origin(Setting::ApiUrl, |l| l.api_url.is_some()),
            default_organization_id: origin(Setting::DefaultOrganizationId, |l| {
                l.default_organization_id.is_some()
            }),
        };
        let merged = explicit.or(env).or(file_layer);
        let user_agent = sources.var("SCW_USER_AGENT");
        if user_agent
            .as_deref()
            .is_some_and(|ua| ua.chars().any(char::is_control))
        {
            // A header value: a CR or LF would end it, a NUL is refused by the HTTP stack.
            return Err(refuse(
                Setting::UserAgent,
                "SCW_USER_AGENT must not contain control characters (CR, LF, NUL...)".into(),
            ));
        }
        Config::validate(merged, profile_name, user_agent, origins)
    }

    fn validate(
        layer: Layer,
        profile: Option<String>,
        user_agent_extra: Option<String>,
        origins: Origins,
    ) -> Result<Config> {
        let secret = layer.secret_key.ok_or_else(|| {
            refuse(
                Setting::SecretKey,
                Message::default()
                    .text("no secret key: pass ")
                    .option(Setting::SecretKey)
                    .text(", set SCW_SECRET_KEY, or add secret_key to your scw config.yaml"),
            )
        })?;
        validate::uuid("secret_key", &secret).map_err(|_| {
            refuse(
                Setting::SecretKey,
                Message::default()
                    .option(Setting::SecretKey)
                    .text(" must be a UUID (the secret part of a Scaleway API key)"),
            )
        })?;
        let mut api_url = layer.api_url.unwrap_or_else(|| DEFAULT_API_URL.to_owned());
        // "https://host/" names the same base as "https://host": one trailing slash is dropped.
        if api_url.ends_with('/') && !api_url.ends_with("://") {
            api_url.pop();
        }
        let parsed = parse_api_url(&api_url, &origins.api_url)?;
        if let Some(org) = &layer.default_organization_id {
            validate::uuid("default_organization_id", org).map_err(|_| {
                refuse(
                    Setting::DefaultOrganizationId,
                    Message::default()
                        .origin(
                            Setting::DefaultOrganizationId,
                            &origins.default_organization_id,
                        )
                        .text(format!(" must be a UUID, got {org:?}")),
                )
            })?;
        }
        Ok(Config {
            secret_key: SecretKey::new(secret),
            access_key: layer.access_key,
            // The text of what was parsed: `HTTP://2130706433` shows as http://127.0.0.1.
            api_url_text: parsed.as_str().trim_end_matches('/').to_owned(),
            api_url: parsed,
            api_url_origin: origins.api_url,
            default_organization_id: layer.default_organization_id,
            insecure: layer.insecure.unwrap_or(false),
            profile,
            user_agent_extra,
        })
    }

    /// The secret key (masked when printed).
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret_key
    }

    /// The access key, when configured (not needed by this API, kept for display).
    pub fn access_key(&self) -> Option<&str> {
        self.access_key.as_deref()
    }

    /// The API base URL, without trailing slash.
    pub fn api_url(&self) -> &str {
        &self.api_url_text
    }

    /// The API base URL as parsed, the one requests are sent to.
    pub(crate) fn parsed_api_url(&self) -> &reqwest::Url {
        &self.api_url
    }

    /// The default organization ID: the partner's own organization, used as `partner_id`.
    pub fn default_organization_id(&self) -> Option<&str> {
        self.default_organization_id.as_deref()
    }

    /// Whether TLS certificates are not verified (`SCW_INSECURE`).
    pub fn insecure(&self) -> bool {
        self.insecure
    }

    /// The config-file profile the values came from, if any.
    pub fn profile(&self) -> Option<&str> {
        self.profile.as_deref()
    }

    pub(crate) fn user_agent_extra(&self) -> Option<&str> {
        self.user_agent_extra.as_deref()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("secret_key", &self.secret_key)
            .field("access_key", &self.access_key)
            .field("api_url", &self.api_url_text)
            .field("default_organization_id", &self.default_organization_id)
            .field("insecure", &self.insecure)
            .field("profile", &self.profile)
            .finish()
    }
}

fn display_path(p: Option<&Path>) -> String {
    p.map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no home directory)".into())
}

fn read_config_file(path: &Path) -> Result<Option<ConfigFile>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(refuse(
                Setting::ConfigFile,
                format!("cannot read {}: {e}", path.display()).into(),
            ));
        }
    };
    if text.trim().is_empty() {
        return Ok(Some(ConfigFile::default()));
    }
    // The file holds the secret key: the error names the place, never the text (the parser's
    // messages quote values and its snippets quote lines).
    serde_saphyr::from_str(&text).map(Some).map_err(|e| {
        let place = match e.location() {
            Some(at) => format!(" at line {}, column {}", at.line(), at.column()),
            None => String::new(),
        };
        refuse(
            Setting::ConfigFile,
            format!(
                "cannot parse {}{place}: not valid YAML, or a value of the wrong type (the \
                 file's contents are not shown: it holds secrets)",
                path.display()
            )
            .into(),
        )
    })
}

/// Refuses plain `http://` to anything but this machine: the secret key would cross the
/// network in clear text. Reads the URL the requests go to.
pub(crate) fn check_cleartext(config: &Config, allow_insecure_http: bool) -> Result<()> {
    let url = config.parsed_api_url();
    if url.scheme() != "http" || is_loopback(url) || allow_insecure_http {
        return Ok(());
    }
    Err(refuse(
        Setting::ApiUrl,
        Message::default()
            .origin(Setting::ApiUrl, &config.api_url_origin)
            .text(format!(
                " {:?} uses plain http:// to {:?}, which is not this machine: the secret key \
                 would travel in clear text. Use https://, or set ",
                config.api_url(),
                url.host_str().unwrap_or_default(),
            ))
            .option(Setting::AllowInsecureHttp)
            .text(" for a network you trust"),
    ))
}

/// True when the URL's host is this machine: `localhost` or a loopback address. Other names
/// (`localhost.`, `x.localhost`, `127.0.0.1.nip.io`) go through DNS, which may answer anything.
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    match url.domain() {
        Some(domain) => domain == "localhost",
        None => url
            .host_str()
            .map(|h| h.trim_start_matches('[').trim_end_matches(']'))
            .and_then(|h| h.parse::<std::net::IpAddr>().ok())
            .is_some_and(|ip| ip.is_loopback()),
    }
}

/// Checks and parses the API URL, once: what is refused here is never sent anywhere, and what
/// is accepted is exactly what the transport uses. `origin` says where it came from.
pub(crate) fn parse_api_url(url: &str, origin: &Origin) -> Result<reqwest::Url> {
    let refused = |what: &str| {
        refuse(
            Setting::ApiUrl,
            Message::default()
                .origin(Setting::ApiUrl, origin)
                .text(what.to_owned()),
        )
    };
    // Checked first, on the text, whatever the parser makes of it: `user:password@` before
    // the host would be sent as a Basic header, to the host after the `@`. Never quoted.
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(refused(
            " must not contain user information (`user:password@` before the host): the \
             client would send it, and the secret key, to the host after the '@' (the value is \
             not shown: it may hold a password)",
        ));
    }
    let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
    let scheme_ok = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    if !scheme_ok || rest.is_empty() {
        return Err(refused(&format!(
            " must be an http(s) URL like {DEFAULT_API_URL}, got {url:?}"
        )));
    }
    if url.ends_with('/') {
        return Err(refused(&format!(" must not end with '/', got {url:?}")));
    }
    // The URL parser would silently drop a CR, LF or tab: refused rather than "repaired".
    if url.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refused(&format!(
            " must be a plain base URL without query, fragment, spaces or control \
             characters, got {url:?}"
        )));
    }
    let parsed = reqwest::Url::parse(url)
        .ok()
        .filter(|u| u.host_str().is_some_and(|h| !h.is_empty()))
        .ok_or_else(|| {
            refused(&format!(
                " must be an http(s) URL like {DEFAULT_API_URL}, got {url:?}"
            ))
        })?;
    // What the parser took for credentials, however it got there.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refused(
            " must not contain user information (the value is not shown: it may hold a \
             password)",
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const KEY_A: &str = "11111111-1111-4111-8111-111111111111";
    const KEY_B: &str = "22222222-2222-4222-8222-222222222222";
    const KEY_C: &str = "33333333-3333-4333-8333-333333333333";
    const ORG: &str = "7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e";

    fn resolve_with(
        explicit: Layer,
        profile: Option<&str>,
        env: &[(&str, &str)],
        file: Option<&str>,
    ) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        if let Some(text) = file {
            std::fs::write(&path, text).unwrap();
        }
        let mut vars: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        vars.insert("SCW_CONFIG_PATH".into(), path.display().to_string());
        let lookup = move |k: &str| vars.get(k).cloned();
        Config::resolve(
            explicit,
            profile.map(String::from),
            &Sources { env: &lookup },
        )
    }

    const FILE: &str = r#"
secret_key: 11111111-1111-4111-8111-111111111111
default_organization_id: 7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e
send_telemetry: false
active_profile: staging
profiles:
  staging:
    secret_key: 22222222-2222-4222-8222-222222222222
    api_url: https://api.staging.example
  other:
    secret_key: 33333333-3333-4333-8333-333333333333
"#;

    #[test]
    fn precedence_explicit_env_profile_top() {
        // active_profile applies, and the top level fills what the profile lacks.
        let c = resolve_with(Layer::default(), None, &[], Some(FILE)).unwrap();
        assert_eq!(c.secret_key().expose(), KEY_B);
        assert_eq!(c.api_url(), "https://api.staging.example");
        assert_eq!(c.default_organization_id(), Some(ORG));
        assert_eq!(c.profile(), Some("staging"));
        // SCW_PROFILE beats active_profile; an explicit profile beats SCW_PROFILE.
        let c = resolve_with(
            Layer::default(),
            None,
            &[("SCW_PROFILE", "other")],
            Some(FILE),
        )
        .unwrap();
        assert_eq!(c.secret_key().expose(), KEY_C);
        assert_eq!(c.api_url(), DEFAULT_API_URL);
        let c = resolve_with(
            Layer::default(),
            Some("staging"),
            &[("SCW_PROFILE", "other")],
            Some(FILE),
        )
        .unwrap();
        assert_eq!(c.secret_key().expose(), KEY_B);
        // The environment beats any profile; explicit values beat the environment.
        let env = [
            ("SCW_SECRET_KEY", KEY_A),
            ("SCW_API_URL", "http://127.0.0.1:9"),
        ];
        let c = resolve_with(Layer::default(), None, &env, Some(FILE)).unwrap();
        assert_eq!(c.secret_key().expose(), KEY_A);
        assert_eq!(c.api_url(), "http://127.0.0.1:9");
        let explicit = Layer {
            secret_key: Some(KEY_C.into()),
            ..Layer::default()
        };
        let c = resolve_with(explicit, None, &env, Some(FILE)).unwrap();
        assert_eq!(c.secret_key().expose(), KEY_C);
    }

    fn with_url(url: &str) -> Result<Config> {
        let explicit = Layer {
            secret_key: Some(KEY_A.into()),
            api_url: Some(url.into()),
            ..Layer::default()
        };
        resolve_with(explicit, None, &[], None)
    }

    #[test]
    fn cleartext_only_to_this_machine() {
        for ok in [
            "https://api.scaleway.com",
            "http://127.0.0.1:9",
            "http://127.8.0.1",
            "http://localhost:8080",
            "http://LOCALHOST:8080",
            "HTTP://127.0.0.1:9",
            "http://[::1]:80",
            // Read as 127.0.0.1 by the parser, so by the transport too.
            "http://2130706433",
            // An '@' in the path, not the authority: the request goes to 127.0.0.1.
            "http://127.0.0.1:9/@example.com",
            "http://127.0.0.1:9\\@example.com",
        ] {
            let config = with_url(ok).unwrap();
            let host = config.parsed_api_url().host_str().unwrap().to_owned();
            assert!(check_cleartext(&config, false).is_ok(), "{ok}");
            assert!(
                host == "localhost"
                    || host.starts_with("127.")
                    || host == "[::1]"
                    || ok.starts_with("https"),
                "{ok} -> {host}"
            );
        }
        for bad in [
            "http://api.scaleway.com",
            "HTTP://api.scaleway.com",
            "http://10.0.0.1:80",
            "http://localhost.example.com",
            "http://localhost.",
            "http://x.localhost",
            "http://127.0.0.1.nip.io",
            "http://[2001:db8::1]",
        ] {
            let config = with_url(bad).unwrap();
            let err = check_cleartext(&config, false).unwrap_err().to_string();
            assert!(
                err.contains("clear text") && err.contains("api_url"),
                "{err}"
            );
            assert!(check_cleartext(&config, true).is_ok());
        }
    }

    #[test]
    fn userinfo_is_refused_naming_the_setting_it_came_from() {
        for url in [
            "http://localhost:x@example.com",
            "http://localhost@example.com",
            "https://user:s3cret@api.scaleway.com",
            "http://@example.com",
            "http://a@b@example.com",
            "http://127.0.0.1:9@example.com/",
            "HTTP://localhost:s3cret@[::1]",
            "ftp://user:s3cret@example.com",
        ] {
            let explicit = with_url(url).unwrap_err().to_string();
            let env = [("SCW_SECRET_KEY", KEY_A), ("SCW_API_URL", url)];
            let from_env = resolve_with(Layer::default(), None, &env, None)
                .unwrap_err()
                .to_string();
            let file = format!("secret_key: {KEY_A}\napi_url: \"{url}\"\n");
            let from_file = resolve_with(Layer::default(), None, &[], Some(&file))
                .unwrap_err()
                .to_string();
            for (err, setting) in [
                (&explicit, "api_url must"),
                (&from_env, "SCW_API_URL must"),
                (&from_file, "config.yaml must"),
            ] {
                assert!(
                    err.contains(setting) && err.contains("user information"),
                    "{url}: {err}"
                );
                assert!(!err.contains("s3cret") && !err.contains("@e"), "{err}");
            }
        }
    }

    #[test]
    fn a_broken_file_is_located_but_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.yaml");
        let secret = "9f0c6a2e-5b1d-4c3e-8a7f-1234567890ab";
        for text in [
            format!("secret_key: {secret}\ninsecure: [not, a, bool\n"),
            format!("secret_key: {secret}\ninsecure: {secret}\n"),
            format!("profiles:\n  a:\n    secret_key: {secret}\n   bad: indentation: here\n"),
        ] {
            std::fs::write(&path, &text).unwrap();
            let err = match read_config_file(&path) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("parsed {text:?}"),
            };
            assert!(err.contains("config.yaml"), "{err}");
            assert!(err.contains("line"), "{err}");
            assert!(!err.contains(secret) && !err.contains("9f0c"), "{err}");
        }
    }

    #[test]
    fn clear_errors() {
        let err = resolve_with(Layer::default(), None, &[], None).unwrap_err();
        assert!(err.to_string().contains("SCW_SECRET_KEY"), "{err}");
        let err = resolve_with(Layer::default(), Some("nope"), &[], Some(FILE)).unwrap_err();
        assert!(err.to_string().contains("\"nope\" not found"), "{err}");
        let err = resolve_with(
            Layer::default(),
            None,
            &[("SCW_SECRET_KEY", "not-a-uuid")],
            None,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("secret_key must be a UUID"),
            "{err}"
        );
        assert!(
            !err.to_string().contains("not-a-uuid"),
            "a malformed key is still a secret"
        );
        let env = [
            ("SCW_SECRET_KEY", KEY_A),
            ("SCW_API_URL", "https://api.scaleway.com/"),
        ];
        let config = resolve_with(Layer::default(), None, &env, None).unwrap();
        assert_eq!(
            config.api_url(),
            "https://api.scaleway.com",
            "one '/' is dropped"
        );
        let env = [
            ("SCW_SECRET_KEY", KEY_A),
            ("SCW_API_URL", "https://api.scaleway.com//"),
        ];
        let err = resolve_with(Layer::default(), None, &env, None).unwrap_err();
        assert!(err.to_string().contains("must not end with '/'"), "{err}");
        for (name, value) in [
            ("SCW_API_URL", "https://api.scaleway.com\r\nX-Evil: 1"),
            ("SCW_API_URL", "https://api.scale\tway.com"),
            ("SCW_USER_AGENT", "my-tool/1.0\r\nX-Evil: 1"),
        ] {
            let env = [("SCW_SECRET_KEY", KEY_A), (name, value)];
            let err = resolve_with(Layer::default(), None, &env, None).unwrap_err();
            let shown = err.to_string();
            assert!(shown.contains(name), "{shown}");
            assert!(!shown.contains(KEY_A), "{shown}");
        }
        let err =
            resolve_with(Layer::default(), None, &[], Some("secret_key: [unclosed")).unwrap_err();
        assert!(err.to_string().contains("cannot parse"), "{err}");
    }

    #[test]
    fn secret_is_masked_everywhere() {
        let c = resolve_with(Layer::default(), None, &[("SCW_SECRET_KEY", KEY_A)], None).unwrap();
        let shown = format!("{c:?} {} {:?}", c.secret_key(), c.secret_key());
        assert!(!shown.contains(KEY_A), "{shown}");
        assert!(
            shown.contains("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxx1111"),
            "{shown}"
        );
    }
}
