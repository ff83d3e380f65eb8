//! The client's settings as typed identifiers, and messages that name them: the core says which
//! setting is wrong and what is wrong; each language renders the setting as its caller writes it
//! (`default_organization_id`, `defaultOrganizationId`) at its edge, with [`Error::message_in`](crate::Error::message_in).

use std::borrow::Cow;
use std::fmt;

use crate::options::NumberOption;

/// A client setting, whatever the language or source that gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// The secret key.
    SecretKey,
    /// The API base URL.
    ApiUrl,
    /// The partner's own organization ID.
    DefaultOrganizationId,
    /// The config-file profile.
    Profile,
    /// Skipping TLS verification.
    Insecure,
    /// Text appended to the User-Agent (from the environment).
    UserAgent,
    /// The scw `config.yaml` read.
    ConfigFile,
    /// Plain http:// to another machine.
    AllowInsecureHttp,
    /// Extra certificate authorities (PEM).
    CaCertificates,
    /// Headers sent with every request.
    DefaultHeaders,
    /// The proxy of every request.
    Proxy,
    /// How far callers of one key coordinate.
    Coordination,
    /// A numeric option.
    Number(NumberOption),
}

impl Setting {
    /// The option's name in Rust (the builder's method), snake_case.
    pub fn name(self) -> &'static str {
        match self {
            Setting::SecretKey => "secret_key",
            Setting::ApiUrl => "api_url",
            Setting::DefaultOrganizationId => "default_organization_id",
            Setting::Profile => "profile",
            Setting::Insecure => "insecure",
            Setting::UserAgent => "user_agent_extra",
            Setting::ConfigFile => "config_file",
            Setting::AllowInsecureHttp => "allow_insecure_http",
            Setting::CaCertificates => "ca_certificate_pem",
            Setting::DefaultHeaders => "default_headers",
            Setting::Proxy => "proxy",
            Setting::Coordination => "coordination",
            Setting::Number(n) => n.name(),
        }
    }

    /// The environment variable that gives it, if any.
    pub fn env_var(self) -> Option<&'static str> {
        Some(match self {
            Setting::SecretKey => "SCW_SECRET_KEY",
            Setting::ApiUrl => "SCW_API_URL",
            Setting::DefaultOrganizationId => "SCW_DEFAULT_ORGANIZATION_ID",
            Setting::Profile => "SCW_PROFILE",
            Setting::Insecure => "SCW_INSECURE",
            Setting::UserAgent => "SCW_USER_AGENT",
            Setting::ConfigFile => "SCW_CONFIG_PATH",
            Setting::Coordination => crate::coordination::COORDINATION_ENV,
            _ => return None,
        })
    }

    /// Its key in the scw `config.yaml`, if it has one.
    pub fn file_key(self) -> Option<&'static str> {
        match self {
            Setting::SecretKey
            | Setting::ApiUrl
            | Setting::DefaultOrganizationId
            | Setting::Insecure => Some(self.name()),
            _ => None,
        }
    }
}

/// How a language names the client's options and the arguments of its calls: the one rendering
/// function of each binding.
pub trait Names {
    /// A client option as the caller writes it.
    fn option(&self, setting: Setting) -> Cow<'static, str>;
    /// An argument (named as the API spells it: `organization_id`) as the caller writes it.
    fn argument<'a>(&self, field: &'a str) -> Cow<'a, str>;
}

/// Rust's names: the builder's methods, the API's fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustNames;

impl Names for RustNames {
    fn option(&self, setting: Setting) -> Cow<'static, str> {
        Cow::Borrowed(setting.name())
    }

    fn argument<'a>(&self, field: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(field)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(Cow<'static, str>),
    Option(Setting),
}

/// The words of a message, where some name a client option: rendered in the caller's names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message(Vec<Part>);

impl Message {
    /// Words.
    pub(crate) fn text(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.0.push(Part::Text(text.into()));
        self
    }

    /// An option, named as the caller writes it.
    pub(crate) fn option(mut self, setting: Setting) -> Self {
        self.0.push(Part::Option(setting));
        self
    }

    /// `other`'s words after these.
    pub(crate) fn then(mut self, other: Message) -> Self {
        self.0.extend(other.0);
        self
    }

    /// A setting as it was given: the option, its environment variable or its key in `file`.
    pub(crate) fn origin(self, setting: Setting, origin: &Origin) -> Self {
        match origin {
            Origin::Option => self.option(setting),
            Origin::Env(var) => self.text(*var),
            Origin::File(path) => self.text(format!(
                "{} of {path}",
                setting.file_key().unwrap_or(setting.name())
            )),
            Origin::Default => self.text(format!("the default {}", setting.name())),
        }
    }

    /// The text, options named by `names`.
    pub fn render(&self, names: &dyn Names) -> String {
        let mut out = String::new();
        for part in &self.0 {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Option(s) => out.push_str(&names.option(*s)),
            }
        }
        out
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::default().text(text)
    }
}

impl From<&'static str> for Message {
    fn from(text: &'static str) -> Self {
        Message::default().text(text)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&RustNames))
    }
}

/// Where a setting's value came from, for a message naming it as the caller gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Option,
    Env(&'static str),
    /// The config file, by its path.
    File(String),
    Default,
}

/// A configuration the client refuses: which setting (when one is to blame), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    setting: Option<Setting>,
    message: Message,
}

impl ConfigError {
    /// `message` about `setting`.
    pub(crate) fn new(setting: Option<Setting>, message: impl Into<Message>) -> Self {
        ConfigError {
            setting,
            message: message.into(),
        }
    }

    /// The setting refused, when one is.
    pub fn setting(&self) -> Option<Setting> {
        self.setting
    }

    /// What is wrong, naming options as the caller writes them.
    pub fn message(&self) -> &Message {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Camel;
    impl Names for Camel {
        fn option(&self, setting: Setting) -> Cow<'static, str> {
            Cow::Owned(setting.name().replace("_", "-"))
        }
        fn argument<'a>(&self, field: &'a str) -> Cow<'a, str> {
            Cow::Borrowed(field)
        }
    }

    #[test]
    fn a_message_names_options_as_the_caller_does_and_the_rest_as_given() {
        let m = Message::default()
            .origin(Setting::ApiUrl, &Origin::Env("SCW_API_URL"))
            .text(" is http; set ")
            .option(Setting::AllowInsecureHttp);
        assert_eq!(
            m.to_string(),
            "SCW_API_URL is http; set allow_insecure_http"
        );
        assert_eq!(
            m.render(&Camel),
            "SCW_API_URL is http; set allow-insecure-http"
        );
        let m = Message::default().origin(Setting::ApiUrl, &Origin::File("/c.yaml".into()));
        assert_eq!(m.render(&Camel), "api_url of /c.yaml");
        let m = Message::default().origin(Setting::ApiUrl, &Origin::Option);
        assert_eq!(m.render(&Camel), "api-url");
    }
}
