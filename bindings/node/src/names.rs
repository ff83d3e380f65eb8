//! How a Node caller writes the client's options and the arguments of its calls: the one
//! rendering of the core's messages for JavaScript (the core says which setting, this names it).

use std::borrow::Cow;

use scaleway_partner::{Error, Names, OptionSpelling, Setting};

/// camelCase options (`defaultOrganizationId`), and the organization's ID as the methods take
/// it (`id`).
struct NodeNames;

impl Names for NodeNames {
    fn option(&self, setting: Setting) -> Cow<'static, str> {
        match setting {
            Setting::CaCertificates => Cow::Borrowed("caCert"),
            s => Cow::Owned(OptionSpelling::CamelCase.spell(s.name()).into_owned()),
        }
    }

    fn argument<'a>(&self, field: &'a str) -> Cow<'a, str> {
        match field {
            "organization_id" => Cow::Borrowed("id"),
            f => OptionSpelling::CamelCase.spell(f),
        }
    }
}

/// The error's message as a Node caller reads it.
pub fn message(e: &Error) -> String {
    e.message_in(&NodeNames)
}
