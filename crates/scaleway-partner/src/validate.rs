//! Local checks of arguments, so that bad input fails before anything is sent, with an error
//! naming the field. The rules are the API's own (see the official SDK's validation rules).

use crate::error::{Error, Result};

/// A UUID in canonical hyphenated form, as the API uses for every ID.
pub(crate) fn uuid(field: &str, value: &str) -> Result<()> {
    let ok = value.len() == 36 && uuid::Uuid::try_parse(value).is_ok();
    if ok {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!("must be a UUID like 6f4049e3-5910-4283-bb02-382ef15aa460, got {value:?}"),
        ))
    }
}

/// Length in characters within `min..=max`.
pub(crate) fn length(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n < min || n > max {
        let rule = if min == max {
            format!("exactly {min}")
        } else if n < min {
            format!("at least {min}")
        } else {
            format!("at most {max}")
        };
        return Err(Error::validation(
            field,
            format!("must be {rule} characters long, got {n}"),
        ));
    }
    Ok(())
}

pub(crate) fn email(field: &str, value: &str) -> Result<()> {
    no_control(field, value)?;
    // A plain address with a dotted domain: the API refuses display forms ("Jane <a@b.c>"),
    // domain literals and local domains (`owner@localhost`).
    let strict = email_address::Options {
        minimum_sub_domains: 2,
        allow_domain_literal: false,
        allow_display_text: false,
        ..email_address::Options::default()
    };
    if email_address::EmailAddress::parse_with_options(value, strict).is_ok() {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!("must be a valid email address, got {value:?}"),
        ))
    }
}

/// No control character (C0, DEL, C1: CR, LF, NUL, ESC...). They have no place in a name, an
/// ID, a phone number or a password, and would be a way to smuggle line breaks into logs,
/// headers or the partner's own systems that read these values back. The error does not quote
/// the value: it may be a password.
pub(crate) fn no_control(field: &str, value: &str) -> Result<()> {
    control_free(field, value, &[], "control characters (CR, LF, NUL...)")
}

/// Free text (a comment): line breaks and tabs are allowed, other control characters (NUL,
/// ESC...) are not.
pub(crate) fn no_control_but_lines(field: &str, value: &str) -> Result<()> {
    control_free(
        field,
        value,
        &['\n', '\r', '\t'],
        "control characters other than line breaks and tabs",
    )
}

/// Refuses the first control character not in `allowed`, naming its position, not the text.
fn control_free(field: &str, value: &str, allowed: &[char], what: &str) -> Result<()> {
    match value
        .chars()
        .position(|c| c.is_control() && !allowed.contains(&c))
    {
        None => Ok(()),
        Some(at) => Err(Error::validation(
            field,
            format!("must not contain {what}, found one at character {at}"),
        )),
    }
}

/// One line of text within `min..=max` characters: [`length`] and [`no_control`].
pub(crate) fn line(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    length(field, value, min, max)?;
    no_control(field, value)
}

/// A required field: present, then checked by `check`.
pub(crate) fn required<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str> {
    value.ok_or_else(|| Error::validation(field, "is required"))
}

pub(crate) fn known_enum(field: &str, value: &str, known: &[&str], unknown: bool) -> Result<()> {
    if unknown {
        Err(Error::validation(
            field,
            format!(
                "unknown value {value:?}, expected one of {}",
                known.join(", ")
            ),
        ))
    } else {
        Ok(())
    }
}

pub(crate) fn all_chars(
    field: &str,
    value: &str,
    allowed: impl Fn(char) -> bool,
    what: &str,
) -> Result<()> {
    if value.chars().all(allowed) {
        Ok(())
    } else {
        Err(Error::validation(field, format!("may only contain {what}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_rejects_traversal_and_other_forms() {
        assert!(uuid("organization_id", "6f4049e3-5910-4283-bb02-382ef15aa460").is_ok());
        for bad in [
            "",
            "../../iam/v1/users",
            "6f4049e3591042 83bb02382ef15aa460",
            "6f4049e35910428 3bb02382ef15aa460",
            "6f4049e359104283bb02382ef15aa460",
            "{6f4049e3-5910-4283-bb02-382ef15aa460}",
            "6f4049e3-5910-4283-bb02-382ef15aa460/lock",
        ] {
            let e = uuid("organization_id", bad).unwrap_err();
            assert_eq!(e.field(), Some("organization_id"), "{bad}");
        }
    }

    #[test]
    fn length_counts_characters() {
        assert!(length("name", "Zé", 2, 256).is_ok());
        let e = length("name", "Z", 2, 256).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid name: must be at least 2 characters long, got 1"
        );
        assert!(length("siren_number", "12345678", 9, 9).is_err());
    }

    #[test]
    fn control_characters_are_refused_and_not_quoted() {
        for bad in [
            "Ac\r\nme",
            "Acme\0",
            "\u{1b}[31mAcme",
            "Ac\u{85}me",
            "Acme\n",
        ] {
            let e = line("organization_name", bad, 2, 256).unwrap_err();
            assert_eq!(e.field(), Some("organization_name"), "{bad:?}");
        }
        let e = no_control("password", "hunter2\0secret").unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(line("organization_name", "Zoë & Co.", 2, 256).is_ok());
        assert!(no_control_but_lines("comment", "line 1\r\n\tline 2").is_ok());
        assert!(no_control_but_lines("comment", "a\0b").is_err());
        assert!(email("email", "jane@example.test\r\nBcc: x@example.test").is_err());
    }

    #[test]
    fn email_format() {
        assert!(email("email", "owner@example.test").is_ok());
        assert!(email("email", "not-an-email").is_err());
        for refused in [
            "owner@localhost",
            "Jane <jane@example.test>",
            "a@[127.0.0.1]",
            "a b@example.test",
        ] {
            assert!(email("email", refused).is_err(), "{refused}");
        }
    }
}
