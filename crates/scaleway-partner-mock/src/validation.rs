//! Argument checks, collecting every broken rule into one `invalid_arguments` answer.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::errors::{ApiError, ArgError, Reason};

/// A UUID in its canonical 36-character hyphenated form (what the API sends and accepts).
pub(crate) fn is_canonical_uuid(s: &str) -> bool {
    s.len() == 36 && s.as_bytes()[8] == b'-' && Uuid::try_parse(s).is_ok()
}

pub(crate) fn parse_uuid(name: &str, s: &str) -> Result<Uuid, ArgError> {
    if is_canonical_uuid(s) {
        Ok(Uuid::try_parse(s).expect("checked above"))
    } else {
        Err(ArgError::new(name, Reason::Format, "must be a valid UUID"))
    }
}

/// The organization ID of a path, as a 400 when malformed.
pub(crate) fn path_id(s: &str) -> Result<Uuid, ApiError> {
    parse_uuid("organization_id", s).map_err(|e| ApiError::InvalidArguments(vec![e]))
}

pub(crate) fn is_email(s: &str) -> bool {
    // The crate accepts display forms ("Name <a@b>") and bare local domains; the API does not.
    email_address::EmailAddress::is_valid(s)
        && !s.contains(['<', '>', ' '])
        && s.rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.'))
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Required,
    Optional,
}

/// Reads a JSON object's fields, recording what is wrong instead of stopping at the first.
pub(crate) struct Fields {
    map: Map<String, Value>,
    errors: Vec<ArgError>,
}

impl Fields {
    pub(crate) fn new(map: Map<String, Value>) -> Fields {
        Fields {
            map,
            errors: Vec::new(),
        }
    }

    /// Records a broken rule found by the caller.
    pub(crate) fn fail(
        &mut self,
        name: &str,
        reason: Reason,
        help: impl Into<String>,
    ) -> Option<String> {
        self.errors.push(ArgError::new(name, reason, help));
        None
    }

    /// A string field; `null` counts as absent, as in the SDKs.
    pub(crate) fn string(&mut self, name: &str, presence: Presence) -> Option<String> {
        match self.map.remove(name) {
            None | Some(Value::Null) if presence == Presence::Required => {
                self.fail(name, Reason::Required, format!("{name} is required"))
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => self.fail(name, Reason::Format, format!("{name} must be a string")),
        }
    }

    /// A string whose length in characters lies in `range`.
    pub(crate) fn text(
        &mut self,
        name: &str,
        presence: Presence,
        range: RangeInclusive<usize>,
    ) -> Option<String> {
        let s = self.string(name, presence)?;
        check_length(name, &s, &range)
            .map_err(|e| self.errors.push(e))
            .ok()?;
        Some(s)
    }

    pub(crate) fn email(&mut self, name: &str, presence: Presence) -> Option<String> {
        let s = self.string(name, presence)?;
        if is_email(&s) {
            Some(s)
        } else {
            self.fail(
                name,
                Reason::Format,
                format!("{name} must be a valid email address"),
            )
        }
    }

    pub(crate) fn uuid(&mut self, name: &str, presence: Presence) -> Option<Uuid> {
        let s = self.string(name, presence)?;
        parse_uuid(name, &s).map_err(|e| self.errors.push(e)).ok()
    }

    /// A value (already read) that must match a rule, described by `rule` in the help message.
    pub(crate) fn matching(
        &mut self,
        name: &str,
        value: Option<String>,
        rule: &str,
        ok: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let s = value?;
        if ok(&s) {
            Some(s)
        } else {
            self.fail(
                name,
                Reason::Constraint,
                format!("{name} must match {rule}"),
            )
        }
    }

    /// Ok when every field was fine.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::InvalidArguments(self.errors))
        }
    }
}

pub(crate) fn check_length(
    name: &str,
    s: &str,
    range: &RangeInclusive<usize>,
) -> Result<(), ArgError> {
    let len = s.chars().count();
    if range.contains(&len) {
        Ok(())
    } else {
        Err(ArgError::new(
            name,
            Reason::Constraint,
            format!(
                "{name} must be between {} and {} characters long",
                range.start(),
                range.end()
            ),
        ))
    }
}

/// A request body as a JSON object; an empty body counts as `{}` (lock and unlock send `{}`).
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::argument(
            "body",
            Reason::Format,
            "the body must be a JSON object",
        )),
        Err(e) => Err(ApiError::argument(
            "body",
            Reason::Format,
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

/// Query parameters, the last occurrence of a name winning.
pub(crate) struct QueryParams {
    params: HashMap<String, String>,
    errors: Vec<ArgError>,
}

impl QueryParams {
    pub(crate) fn new(pairs: Vec<(String, String)>) -> QueryParams {
        QueryParams {
            params: pairs.into_iter().collect(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn integer(&mut self, name: &str, default: u64, range: RangeInclusive<u64>) -> u64 {
        let Some(raw) = self.params.get(name) else {
            return default;
        };
        match raw.parse::<i128>() {
            Ok(n) if n >= i128::from(*range.start()) && n <= i128::from(*range.end()) => n as u64,
            Ok(_) => {
                let help = if *range.end() == u64::MAX {
                    format!("{name} must be at least {}", range.start())
                } else {
                    format!(
                        "{name} must be between {} and {}",
                        range.start(),
                        range.end()
                    )
                };
                self.errors
                    .push(ArgError::new(name, Reason::Constraint, help));
                default
            }
            Err(_) => {
                let help = format!("{name} must be an integer");
                self.errors.push(ArgError::new(name, Reason::Format, help));
                default
            }
        }
    }

    /// One of `allowed`; `no_filter` (the `unknown_*` value) gives `None`.
    pub(crate) fn choice(
        &mut self,
        name: &str,
        allowed: &[&str],
        no_filter: Option<&str>,
    ) -> Option<String> {
        let raw = self.params.get(name)?;
        if no_filter == Some(raw.as_str()) {
            return None;
        }
        if allowed.contains(&raw.as_str()) {
            return Some(raw.clone());
        }
        let help = format!("{name} must be one of: {}", allowed.join(", "));
        self.errors
            .push(ArgError::new(name, Reason::Constraint, help));
        None
    }

    pub(crate) fn text(&mut self, name: &str, range: RangeInclusive<usize>) -> Option<String> {
        let raw = self.params.get(name)?;
        match check_length(name, raw, &range) {
            Ok(()) => Some(raw.clone()),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    pub(crate) fn email(&mut self, name: &str) -> Option<String> {
        let raw = self.params.get(name)?;
        if is_email(raw) {
            Some(raw.clone())
        } else {
            let help = format!("{name} must be a valid email address");
            self.errors.push(ArgError::new(name, Reason::Format, help));
            None
        }
    }

    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::InvalidArguments(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_must_be_canonical() {
        assert!(is_canonical_uuid("7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e"));
        assert!(!is_canonical_uuid("7fbc0d5f9d3e48e48fef6a4533c9ab2e"));
        assert!(!is_canonical_uuid("{7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2}"));
        assert!(!is_canonical_uuid("not-a-uuid"));
    }

    #[test]
    fn emails() {
        assert!(is_email("tf_test@example.com"));
        assert!(is_email("c82621ae-321c-4e62-bb3c-d6fe773c7678@test.test"));
        assert!(!is_email("no-at-sign"));
        assert!(!is_email("John <john@example.com>"));
        assert!(!is_email("john@localhost"));
        assert!(!is_email(""));
    }

    #[test]
    fn fields_collect_every_error() {
        let map = serde_json::json!({"a": 1, "b": "x", "c": "not-an-email"});
        let Value::Object(map) = map else {
            unreachable!()
        };
        let mut f = Fields::new(map);
        assert_eq!(f.string("a", Presence::Optional), None);
        assert_eq!(f.text("b", Presence::Required, 2..=256), None);
        assert_eq!(f.email("c", Presence::Required), None);
        assert_eq!(f.string("d", Presence::Required), None);
        let Err(ApiError::InvalidArguments(details)) = f.finish() else {
            panic!("expected invalid arguments")
        };
        let reasons: Vec<_> = details
            .iter()
            .map(|d| (d.argument_name.as_str(), d.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("a", Reason::Format),
                ("b", Reason::Constraint),
                ("c", Reason::Format),
                ("d", Reason::Required)
            ]
        );
    }
}
