//! The attributes of an error by the names of the error table ([`ErrorKindInfo::attributes`]),
//! so that a binding fills its exception classes without naming any attribute itself.

use std::time::Duration;

use crate::error::{ApiErrorDetails, Error, ErrorKind, ErrorKindInfo, UndecodableOrganization};
use crate::models::Organization;

/// The value of one attribute of an [`Error`], by type (see [`Error::attributes`]).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AttributeValue<'a> {
    /// A whole number (an HTTP status, a count of attempts).
    Count(Option<u64>),
    /// Text.
    Text(Option<&'a str>),
    /// A duration (a binding shows it in its own unit: seconds, milliseconds).
    Duration(Option<Duration>),
    /// A list of texts (organization IDs).
    TextList(Option<&'a [String]>),
    /// The typed details of an API error; [`ApiErrorDetails::list_json`] gives them as the
    /// API spells them.
    Details(Option<&'a ApiErrorDetails>),
    /// Records of a listing that could not be decoded.
    Undecodable(Option<&'a [UndecodableOrganization]>),
    /// Organizations.
    Organizations(Option<&'a [Organization]>),
    /// The failure behind this one.
    Cause(Option<&'a Error>),
    /// A bulk call's items or an apply's outcome so far, which only the binding that ran the
    /// call holds: unset here.
    Results,
}

impl ApiErrorDetails {
    /// The details as a JSON list in the API's spelling (`argument_name`...), for the kinds
    /// that carry a list (invalid arguments, permissions, quotas); `None` for the others.
    pub fn list_json(&self) -> Option<serde_json::Value> {
        let list = match self {
            ApiErrorDetails::InvalidArguments(args) => serde_json::to_value(args),
            ApiErrorDetails::PermissionsDenied(list) | ApiErrorDetails::QuotasExceeded(list) => {
                serde_json::to_value(list)
            }
            _ => return None,
        };
        Some(list.expect("strings and numbers always serialize"))
    }
}

impl ErrorKindInfo {
    /// The attributes this kind adds to its parent's: what its class declares itself.
    pub fn own_attributes(&self) -> impl Iterator<Item = &'static str> + use<> {
        let inherited = self.parent.map_or(&[][..], |p| p.info().attributes);
        self.attributes
            .iter()
            .copied()
            .filter(move |a| !inherited.contains(a))
    }
}

impl Error {
    /// The attribute `name` of the error table, whether set or not; `None` for a name the
    /// table does not know.
    pub fn attribute(&self, name: &str) -> Option<AttributeValue<'_>> {
        use AttributeValue as V;
        let api = self.api();
        let details = api.map(|e| &e.details);
        Some(match name {
            "status_code" => V::Count(self.status_code().map(u64::from)),
            "request_id" => V::Text(self.request_id()),
            "type" => V::Text(self.error_type()),
            "body" => V::Text(self.body()),
            "retry_after" => V::Duration(api.and_then(|e| e.retry_after)),
            "details" => V::Details(details),
            "resource" => V::Text(details.and_then(ApiErrorDetails::resource)),
            "resource_id" => V::Text(details.and_then(ApiErrorDetails::resource_id)),
            "precondition" => V::Text(details.and_then(ApiErrorDetails::precondition)),
            "help_message" => V::Text(details.and_then(ApiErrorDetails::help_message)),
            "field" => V::Text(self.field()),
            "attempts" => V::Count(self.attempts().map(u64::from)),
            "elapsed" => V::Duration(self.elapsed()),
            "results" | "outcome" => V::Results,
            "undecodable" => V::Undecodable(self.undecodable()),
            "organizations" => V::Organizations(self.organizations()),
            "customer_id" => V::Text(self.customer_id()),
            "email" => V::Text(self.email()),
            "organization_ids" => V::TextList(self.organization_ids()),
            "location_host" => V::Text(self.location_host()),
            "cause" => V::Cause(self.cause()),
            _ => return None,
        })
    }

    /// The attributes of the error's kind in the error table, each with its value.
    pub fn attributes(&self) -> impl Iterator<Item = (&'static str, AttributeValue<'_>)> {
        self.kind().info().attributes.iter().map(|name| {
            let value = self.attribute(name);
            (
                *name,
                value.expect("every attribute of the table has a value"),
            )
        })
    }
}

/// Every attribute name of the table, once, in table order.
pub fn attribute_names() -> Vec<&'static str> {
    let mut names = Vec::new();
    for kind in ErrorKind::ALL {
        for a in kind.info().attributes {
            if !names.contains(a) {
                names.push(*a);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_of_the_table_has_a_value() {
        let err = Error::Cancelled {
            attempts: 0,
            elapsed: Duration::ZERO,
        };
        for name in attribute_names() {
            assert!(err.attribute(name).is_some(), "{name} has no accessor");
        }
        assert!(err.attribute("no_such_attribute").is_none());
    }

    #[test]
    fn a_kind_declares_only_what_its_parent_lacks() {
        let own: Vec<_> = ErrorKind::NotFound.info().own_attributes().collect();
        assert_eq!(own, ["resource", "resource_id"]);
        let own: Vec<_> = ErrorKind::Api.info().own_attributes().collect();
        assert_eq!(own, ErrorKind::Api.info().attributes);
    }

    #[test]
    fn attributes_carry_the_error_values() {
        let err = Error::Validation {
            field: "email".into(),
            message: "bad".into(),
        };
        let attrs: Vec<_> = err.attributes().collect();
        assert_eq!(attrs.len(), 1);
        assert!(matches!(
            attrs[0],
            ("field", AttributeValue::Text(Some("email")))
        ));
    }
}
