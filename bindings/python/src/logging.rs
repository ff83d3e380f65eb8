//! Rust log records to Python's `logging`, under the logger `scaleway_partner`.
//!
//! Only our own crates are forwarded: the core (`scaleway_partner.*`), the emulator
//! (`scaleway_partner.mock.*`) and this binding (`scaleway_partner.python.*`). The HTTP stack's
//! records (reqwest, hyper, rustls...) are dropped: they are noise for a user and could show
//! request details. Records from Rust threads enter Python only through
//! [`runtime::with_python`], so none arrives once the interpreter is exiting.

use log::{LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;

use crate::runtime;

struct Bridge {
    python: pyo3_log::Logger,
}

/// The target as the logger name will show it (`::` becomes `.`), or None to drop the record.
fn map_target(target: &str) -> Option<String> {
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
        let Some(target) = map_target(record.target()) else {
            return;
        };
        let mapped = Record::builder()
            .args(*record.args())
            .level(record.level())
            .target(&target)
            .module_path(record.module_path())
            .file(record.file())
            .line(record.line())
            .build();
        let metadata = mapped.metadata().clone();
        // Checks the cached Python level first: a disabled level costs no GIL.
        if !self.python.enabled(&metadata) {
            return;
        }
        runtime::with_python(|_py| self.python.log(&mapped));
    }

    fn flush(&self) {}
}

static RESET: std::sync::OnceLock<pyo3_log::ResetHandle> = std::sync::OnceLock::new();

/// Installs the bridge (once per process; a host that installed its own `log` logger keeps it).
pub fn install(py: Python<'_>) -> PyResult<()> {
    let python =
        pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels)?.filter(LevelFilter::Debug);
    let reset = python.reset_handle();
    let bridge = Bridge { python };
    if log::set_boxed_logger(Box::new(bridge)).is_ok() {
        log::set_max_level(LevelFilter::Debug);
        let _ = RESET.set(reset);
    }
    Ok(())
}

/// Forgets the Python logging levels cached on the Rust side; call after changing the logging
/// configuration at run time (the clients call it when they are created).
#[pyfunction]
pub fn refresh_logging() {
    if let Some(r) = RESET.get() {
        r.reset();
    }
}
