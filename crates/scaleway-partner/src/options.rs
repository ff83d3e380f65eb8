//! Client options as the bindings receive them: raw numbers in the caller's unit, and option
//! names in the caller's spelling, so that every language is checked by the same rules and
//! told the same message (issue: one validation, in the builder).

use std::borrow::Cow;
use std::time::Duration;

use crate::error::Error;

/// How option names are spelled in configuration errors: as the caller's language spells its
/// arguments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionSpelling {
    /// `total_timeout` (Rust, Python).
    #[default]
    SnakeCase,
    /// `totalTimeout` (JavaScript).
    CamelCase,
}

impl OptionSpelling {
    /// An option's snake_case name in this spelling.
    pub fn spell(self, snake: &str) -> Cow<'_, str> {
        match self {
            OptionSpelling::SnakeCase => Cow::Borrowed(snake),
            OptionSpelling::CamelCase => {
                let mut out = String::with_capacity(snake.len());
                let mut upper = false;
                for c in snake.chars() {
                    match c {
                        '_' => upper = true,
                        c if upper => {
                            out.extend(c.to_uppercase());
                            upper = false;
                        }
                        c => out.push(c),
                    }
                }
                Cow::Owned(out)
            }
        }
    }
}

/// The unit of the durations a binding passes to [`ClientBuilder::number`](crate::ClientBuilder::number).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum DurationUnit {
    /// Seconds, fractions allowed (Python).
    #[default]
    Seconds,
    /// Milliseconds, fractions allowed (JavaScript).
    Milliseconds,
}

impl DurationUnit {
    fn name(self) -> &'static str {
        match self {
            DurationUnit::Seconds => "seconds",
            DurationUnit::Milliseconds => "milliseconds",
        }
    }
}

/// The numeric client options, for callers that hold them as plain numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberOption {
    /// Timeout of each attempt (> 0).
    Timeout,
    /// Connect timeout (> 0).
    ConnectTimeout,
    /// Limit of a whole call (> 0).
    TotalTimeout,
    /// Settle window of a create whose answer was lost (>= 0).
    CreateSettleTimeout,
    /// Retries after the first attempt (a whole number >= 0).
    MaxRetries,
    /// Requests per second (>= 0; 0 turns pacing off).
    RateLimit,
    /// Pages fetched at once (a whole number > 0).
    PageConcurrency,
    /// Organizations handled at once by bulk calls (a whole number > 0).
    BulkConcurrency,
    /// Requests on the wire at once (a whole number > 0).
    MaxConnections,
}

/// A checked number, ready for the builder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Checked {
    Duration(Duration),
    Count(u32),
    Rate(f64),
}

impl NumberOption {
    /// The option's snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            NumberOption::Timeout => "timeout",
            NumberOption::ConnectTimeout => "connect_timeout",
            NumberOption::TotalTimeout => "total_timeout",
            NumberOption::CreateSettleTimeout => "create_settle_timeout",
            NumberOption::MaxRetries => "max_retries",
            NumberOption::RateLimit => "rate_limit",
            NumberOption::PageConcurrency => "page_concurrency",
            NumberOption::BulkConcurrency => "bulk_concurrency",
            NumberOption::MaxConnections => "max_connections",
        }
    }

    /// Checks `value` (durations in `unit`), naming the option in `spelling` when it is refused.
    pub(crate) fn check(
        self,
        value: f64,
        unit: DurationUnit,
        spelling: OptionSpelling,
    ) -> Result<Checked, Error> {
        use NumberOption as N;
        let refuse = |what: String| {
            Error::Config(format!(
                "{} must be {what}, got {value}",
                spelling.spell(self.name())
            ))
        };
        let zero_ok = matches!(self, N::CreateSettleTimeout | N::MaxRetries | N::RateLimit);
        let (bound, in_range) = if zero_ok {
            (">= 0", value >= 0.0)
        } else {
            ("> 0", value > 0.0)
        };
        match self {
            N::Timeout | N::ConnectTimeout | N::TotalTimeout | N::CreateSettleTimeout => {
                let seconds = match unit {
                    DurationUnit::Seconds => value,
                    DurationUnit::Milliseconds => value / 1000.0,
                };
                match Duration::try_from_secs_f64(seconds) {
                    Ok(d) if value.is_finite() && in_range => Ok(Checked::Duration(d)),
                    _ => Err(refuse(format!("a number of {} {bound}", unit.name()))),
                }
            }
            N::RateLimit if value.is_finite() && in_range => Ok(Checked::Rate(value)),
            N::RateLimit => Err(refuse(format!("a number of requests per second {bound}"))),
            N::MaxRetries | N::PageConcurrency | N::BulkConcurrency | N::MaxConnections => {
                if value.is_finite()
                    && value.fract() == 0.0
                    && in_range
                    && value <= f64::from(u32::MAX)
                {
                    Ok(Checked::Count(value as u32))
                } else {
                    Err(refuse(format!("a whole number {bound}")))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_spelled_as_the_caller_spells_them() {
        assert_eq!(
            OptionSpelling::SnakeCase.spell("total_timeout"),
            "total_timeout"
        );
        assert_eq!(
            OptionSpelling::CamelCase.spell("total_timeout"),
            "totalTimeout"
        );
        assert_eq!(
            OptionSpelling::CamelCase.spell("default_organization_id"),
            "defaultOrganizationId"
        );
        assert_eq!(OptionSpelling::CamelCase.spell("timeout"), "timeout");
    }

    #[test]
    fn numbers_are_checked_once_with_one_message() {
        let (s, ms) = (DurationUnit::Seconds, DurationUnit::Milliseconds);
        let snake = OptionSpelling::SnakeCase;
        assert_eq!(
            NumberOption::Timeout.check(1.5, s, snake).unwrap(),
            Checked::Duration(Duration::from_millis(1500))
        );
        assert_eq!(
            NumberOption::Timeout.check(1500.0, ms, snake).unwrap(),
            Checked::Duration(Duration::from_millis(1500))
        );
        assert_eq!(
            NumberOption::CreateSettleTimeout
                .check(0.0, s, snake)
                .unwrap(),
            Checked::Duration(Duration::ZERO)
        );
        assert_eq!(
            NumberOption::MaxRetries.check(0.0, s, snake).unwrap(),
            Checked::Count(0)
        );
        let refused = |o: NumberOption, v: f64, unit, spelling| {
            o.check(v, unit, spelling).unwrap_err().to_string()
        };
        assert_eq!(
            refused(NumberOption::TotalTimeout, 0.0, s, snake),
            "configuration error: total_timeout must be a number of seconds > 0, got 0"
        );
        assert_eq!(
            refused(
                NumberOption::TotalTimeout,
                -5.0,
                ms,
                OptionSpelling::CamelCase
            ),
            "configuration error: totalTimeout must be a number of milliseconds > 0, got -5"
        );
        assert_eq!(
            refused(NumberOption::MaxRetries, 1.5, s, snake),
            "configuration error: max_retries must be a whole number >= 0, got 1.5"
        );
        assert!(refused(NumberOption::MaxConnections, 0.0, s, snake).contains("> 0"));
        assert!(refused(NumberOption::RateLimit, f64::NAN, s, snake).contains("rate_limit"));
        assert!(refused(NumberOption::Timeout, f64::INFINITY, s, snake).contains("timeout"));
        assert!(refused(NumberOption::PageConcurrency, 5e9, s, snake).contains("page_concurrency"));
    }
}
