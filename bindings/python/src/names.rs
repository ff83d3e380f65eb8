//! How a Python caller writes the client's options and the arguments of its calls: the one
//! rendering of the core's messages for Python (the core says which setting, this names it).

use std::borrow::Cow;

use scaleway_partner::{Error, Names, Setting};

/// The keyword arguments: snake_case, the API's field names.
struct PythonNames;

impl Names for PythonNames {
    fn option(&self, setting: Setting) -> Cow<'static, str> {
        match setting {
            Setting::CaCertificates => Cow::Borrowed("ca_cert"),
            s => Cow::Borrowed(s.name()),
        }
    }

    fn argument<'a>(&self, field: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(field)
    }
}

/// The error's message as a Python caller reads it.
pub fn message(e: &Error) -> String {
    e.message_in(&PythonNames)
}
