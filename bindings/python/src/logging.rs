//! Rust log records to Python's `logging`, under the logger `scaleway_partner`.
//!
//! Only our own crates are forwarded: the core (`scaleway_partner.*`), the emulator
//! (`scaleway_partner.mock.*`) and this binding (`scaleway_partner.python.*`). The HTTP stack's
//! records (reqwest, hyper, rustls...) are dropped: they are noise for a user and could show
//! request details. A record of a call is handled where the call's user code runs (its caller's
//! thread or its event loop, see [`deliver`]), never on a runtime thread: a handler may call
//! the client. Records enter Python only through [`runtime::with_python`], so none arrives once
//! the interpreter is exiting.
//!
//! The records of each answer and retry are made here from the core's hook events instead of
//! its text records: they carry the event's fields as `extra` (`request_id`, `method`, `path`,
//! `status`, `attempt`, `duration`...). Levels follow Python's at run time: whatever changes a
//! logger's level clears `logging`'s own cache, and with it the levels cached here.

use std::sync::atomic::{AtomicU8, Ordering};

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict};
use scaleway_partner::HookEvent;

use crate::{deliver, runtime};

/// The core's per-attempt records (text only), replaced by [`traffic_record`]'s.
const ATTEMPT_TARGET: &str = "scaleway_partner::client::call";
/// The logger of the traffic records: the one the core's per-attempt records had.
const TRAFFIC_LOGGER: &str = "scaleway_partner.client.call";

struct Bridge;

/// pyo3-log's logger, for the jobs that hand records to Python.
static PYTHON: std::sync::OnceLock<pyo3_log::Logger> = std::sync::OnceLock::new();

/// A record, owned, to be handled on another thread.
struct Owned {
    level: Level,
    target: String,
    message: String,
    module_path: Option<String>,
    file: Option<String>,
    line: Option<u32>,
}

impl Owned {
    fn log(&self, logger: &pyo3_log::Logger) {
        logger.log(
            &Record::builder()
                .args(format_args!("{}", self.message))
                .level(self.level)
                .target(&self.target)
                .module_path(self.module_path.as_deref())
                .file(self.file.as_deref())
                .line(self.line)
                .build(),
        );
    }
}

/// The target as the logger name will show it (`::` becomes `.`), or None to drop the record.
fn map_target(target: &str) -> Option<String> {
    if target == ATTEMPT_TARGET {
        return None;
    }
    let under = |prefix: &str, name: &str| -> Option<String> {
        let rest = target.strip_prefix(prefix)?;
        if rest.is_empty() || rest.starts_with("::") {
            Some(format!("{name}{rest}"))
        } else {
            None
        }
    };
    under("scaleway_partner", "scaleway_partner")
        .or_else(|| under("scaleway_partner_mock", "scaleway_partner::mock"))
        .or_else(|| under("_native", "scaleway_partner::python"))
}

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata) -> bool {
        map_target(metadata.target()).is_some() && runtime::is_open()
    }

    fn log(&self, record: &Record) {
        let (Some(target), Some(python)) = (map_target(record.target()), PYTHON.get()) else {
            return;
        };
        // Checks the cached Python level first: a disabled level costs no GIL.
        let metadata = Metadata::builder()
            .level(record.level())
            .target(&target)
            .build();
        if !python.enabled(&metadata) {
            return;
        }
        let owned = Owned {
            level: record.level(),
            target,
            message: record.args().to_string(),
            module_path: record.module_path().map(str::to_owned),
            file: record.file().map(str::to_owned),
            line: record.line(),
        };
        deliver::run(Box::new(move |_py| owned.log(python)));
    }

    fn flush(&self) {}
}

static RESET: std::sync::OnceLock<pyo3_log::ResetHandle> = std::sync::OnceLock::new();

/// Installs the bridge (once per process; a host that installed its own `log` logger keeps it).
pub fn install(py: Python<'_>) -> PyResult<()> {
    let python =
        pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels)?.filter(LevelFilter::Debug);
    let reset = python.reset_handle();
    if PYTHON.set(python).is_ok() && log::set_boxed_logger(Box::new(Bridge)).is_ok() {
        log::set_max_level(LevelFilter::Debug);
        let _ = RESET.set(reset);
        follow_levels(py)?;
    }
    Ok(())
}

/// `logging` clears its manager's cache (`Manager._clear_cache`) whenever a level changes
/// (`setLevel`, `disable`, `dictConfig`): ours is forgotten at the same moment.
fn follow_levels(py: Python<'_>) -> PyResult<()> {
    let manager = py
        .import("logging")?
        .getattr("Logger")?
        .getattr("manager")?;
    let Ok(original) = manager.getattr("_clear_cache") else {
        return Ok(()); // not CPython's logging: refresh_logging() stays the way
    };
    let original = original.unbind();
    let wrapper = PyCFunction::new_closure(py, None, None, move |args, kwargs| {
        let out = original.bind(args.py()).call(args, kwargs)?;
        refresh_logging();
        PyResult::Ok(out.unbind())
    })?;
    manager.setattr("_clear_cache", wrapper)
}

/// Forgets the Python logging levels cached on the Rust side. Level changes are followed
/// anyway; this is for a `logging` that does not clear its cache (see [`follow_levels`]).
#[pyfunction]
pub fn refresh_logging() {
    if let Some(r) = RESET.get() {
        r.reset();
    }
    TRAFFIC_LEVELS.store(0, Ordering::Relaxed);
}

/// Whether the traffic logger takes DEBUG and WARNING records, once known (0: not known).
static TRAFFIC_LEVELS: AtomicU8 = AtomicU8::new(0);
const KNOWN: u8 = 1;

fn level_bit(level: Level) -> u8 {
    if level == Level::Debug { 2 } else { 4 }
}

/// The level of an event's record: answers are DEBUG, retries WARNING; a request has none
/// (its answer follows).
pub fn traffic_level(event: &HookEvent) -> Option<Level> {
    match event {
        HookEvent::Response { .. } => Some(Level::Debug),
        HookEvent::Retry { .. } => Some(Level::Warn),
        _ => None,
    }
}

/// False only when Python's level is known to drop the record: then no GIL is taken for it.
pub fn traffic_maybe_enabled(level: Level) -> bool {
    let known = TRAFFIC_LEVELS.load(Ordering::Relaxed);
    known & KNOWN == 0 || known & level_bit(level) != 0
}

/// Logs an event under [`TRAFFIC_LOGGER`], its fields (`event`, the hook's dict) as `extra`.
pub fn traffic_record(py: Python<'_>, event: &HookEvent, level: Level, fields: &Bound<'_, PyDict>) {
    let logged = (|| -> PyResult<()> {
        let logger = py
            .import("logging")?
            .call_method1("getLogger", (TRAFFIC_LOGGER,))?;
        let enabled = |l: Level| -> PyResult<bool> {
            logger
                .call_method1("isEnabledFor", (python_level(l),))?
                .is_truthy()
        };
        let mut known = TRAFFIC_LEVELS.load(Ordering::Relaxed);
        if known & KNOWN == 0 {
            known = KNOWN;
            for l in [Level::Debug, Level::Warn] {
                if enabled(l)? {
                    known |= level_bit(l);
                }
            }
            TRAFFIC_LEVELS.store(known, Ordering::Relaxed);
        }
        if known & level_bit(level) == 0 {
            return Ok(());
        }
        // Made here, as pyo3-log does: `logger.log` would name a frame of `logging` itself.
        let record = logger.call_method1(
            "makeRecord",
            (
                TRAFFIC_LOGGER,
                python_level(level),
                file!(),
                line!(),
                message(event),
                (),
                py.None(),
                py.None(),
                fields,
            ),
        )?;
        logger.call_method1("handle", (record,))?;
        Ok(())
    })();
    // A Ctrl-C landing in a handler stops the call, as `logging` itself lets it through.
    if let Some(e) = logged.err().and_then(|e| deliver::unless_interrupt(py, e)) {
        e.write_unraisable(py, None);
    }
}

fn python_level(level: Level) -> u8 {
    if level == Level::Debug { 10 } else { 30 }
}

/// The text of a traffic record (the fields are in `extra` too).
fn message(event: &HookEvent) -> String {
    match event {
        HookEvent::Response {
            operation,
            method,
            path,
            attempt,
            status,
            request_id,
            duration,
            error,
            ..
        } => {
            let outcome = match (status, error) {
                (Some(s), None) => format!("answered {s}"),
                (Some(s), Some(e)) => format!("answered {s} ({e})"),
                (None, e) => format!("got no answer ({})", e.map_or("?", |e| e.as_str())),
            };
            let id = request_id.as_deref().unwrap_or("none");
            format!(
                "{operation} {outcome} in {:.3} s: {method} {path}, attempt {attempt}, request {id}",
                duration.as_secs_f64()
            )
        }
        HookEvent::Retry {
            operation,
            method,
            path,
            attempt,
            delay,
            error,
            status,
            ..
        } => {
            let status = status.map(|s| format!(" {s}")).unwrap_or_default();
            format!(
                "{operation} retrying in {:.2} s after attempt {attempt} failed ({error}{status}): {method} {path}",
                delay.as_secs_f64()
            )
        }
        _ => String::new(),
    }
}

/// A user's hook raised: the call goes on, the exception goes to the `scaleway_partner` log.
pub fn hook_failed(py: Python<'_>, hook: &Py<PyAny>, err: PyErr) {
    let logged = (|| -> PyResult<()> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("exc_info", err.value(py))?;
        py.import("logging")?
            .call_method1("getLogger", ("scaleway_partner",))?
            .call_method(
                "warning",
                ("the traffic hook %r raised; the call went on", hook),
                Some(&kwargs),
            )?;
        Ok(())
    })();
    if let Err(e) = logged {
        e.write_unraisable(py, None);
    }
}
