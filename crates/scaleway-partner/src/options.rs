//! Client options as the bindings receive them: raw numbers in the caller's unit, checked by the
//! same rules and told the same words in every language, per client and per call.

use std::borrow::Cow;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::setting::{ConfigError, Message, Setting};

/// How a binding's values spell an organization's field names (`created_at`, `createdAt`).
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

    /// Checks `value` (durations in `unit`): the checked number, or the rule it breaks in the
    /// words every language and every place (client option, call argument) uses.
    pub(crate) fn check(self, value: f64, unit: DurationUnit) -> Result<Checked, String> {
        use NumberOption as N;
        let refuse = |what: String| format!("must be {what}, got {value}");
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

    /// The configuration error of a client option refused by [`check`](Self::check).
    pub(crate) fn refused(self, why: String) -> Error {
        let setting = Setting::Number(self);
        Error::Config(ConfigError::new(
            Some(setting),
            Message::default().option(setting).text(" ").text(why),
        ))
    }

    /// A call's duration `argument` (a call's `timeout`, `total_timeout`), checked by this
    /// option's rule: the same value gets the same answer per call as per client.
    pub fn duration(self, value: f64, unit: DurationUnit, argument: &str) -> Result<Duration> {
        match self.check(value, unit) {
            Ok(Checked::Duration(d)) => Ok(d),
            Ok(_) => Err(Error::validation(argument, "is not a duration")),
            Err(why) => Err(Error::validation(argument, why)),
        }
    }

    /// A call's count `argument` (a call's `max_retries`, a bulk call's or listing's
    /// `concurrency`), checked by this option's rule.
    pub fn count(self, value: f64, argument: &str) -> Result<u32> {
        match self.check(value, DurationUnit::Seconds) {
            Ok(Checked::Count(n)) => Ok(n),
            Ok(_) => Err(Error::validation(argument, "is not a count")),
            Err(why) => Err(Error::validation(argument, why)),
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
        assert_eq!(OptionSpelling::CamelCase.spell("timeout"), "timeout");
    }

    #[test]
    fn numbers_are_checked_once_with_one_message() {
        let (s, ms) = (DurationUnit::Seconds, DurationUnit::Milliseconds);
        assert_eq!(
            NumberOption::Timeout.check(1.5, s).unwrap(),
            Checked::Duration(Duration::from_millis(1500))
        );
        assert_eq!(
            NumberOption::Timeout.check(1500.0, ms).unwrap(),
            Checked::Duration(Duration::from_millis(1500))
        );
        assert_eq!(
            NumberOption::CreateSettleTimeout.check(0.0, s).unwrap(),
            Checked::Duration(Duration::ZERO)
        );
        assert_eq!(
            NumberOption::MaxRetries.check(0.0, s).unwrap(),
            Checked::Count(0)
        );
        let refused = |o: NumberOption, v: f64, unit| o.check(v, unit).unwrap_err();
        assert_eq!(
            NumberOption::TotalTimeout
                .refused(refused(NumberOption::TotalTimeout, 0.0, s))
                .to_string(),
            "configuration error: total_timeout must be a number of seconds > 0, got 0"
        );
        assert_eq!(
            refused(NumberOption::TotalTimeout, -5.0, ms),
            "must be a number of milliseconds > 0, got -5"
        );
        assert_eq!(
            refused(NumberOption::MaxRetries, 1.5, s),
            "must be a whole number >= 0, got 1.5"
        );
        assert!(refused(NumberOption::MaxConnections, 0.0, s).contains("> 0"));
        assert!(refused(NumberOption::RateLimit, f64::NAN, s).contains("per second"));
        assert!(refused(NumberOption::Timeout, f64::INFINITY, s).contains("seconds"));
        assert!(refused(NumberOption::PageConcurrency, 5e9, s).contains("whole"));
    }

    #[test]
    fn a_call_argument_gets_the_client_options_words() {
        let err = NumberOption::BulkConcurrency
            .count(0.0, "concurrency")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid concurrency: must be a whole number > 0, got 0"
        );
        let err = NumberOption::Timeout
            .duration(-1.0, DurationUnit::Milliseconds, "timeout")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid timeout: must be a number of milliseconds > 0, got -1"
        );
        assert_eq!(
            NumberOption::MaxRetries.count(0.0, "max_retries").unwrap(),
            0
        );
    }
}
