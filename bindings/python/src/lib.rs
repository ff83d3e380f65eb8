//! `scaleway_partner._native`: the PyO3 binding of the `scaleway-partner` core.
//!
//! It holds no API logic: it maps Python arguments onto the core's requests, converts the
//! core's values and errors into the package's Python classes, and runs the calls on its own
//! tokio runtime. The public API is the pure-Python package around it.

mod args;
mod audit;
mod client;
mod convert;
mod errors;
mod logging;
mod pager;
mod reconcile;
mod runtime;
mod testing;
mod traffic;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<pager::Lister>()?;
    m.add_class::<pager::Cursor>()?;
    m.add_class::<testing::NativeMockServer>()?;
    m.add_class::<traffic::Capture>()?;
    m.add_function(wrap_pyfunction!(audit::audit_diff, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_read, m)?)?;
    m.add_function(wrap_pyfunction!(convert::decode_organization, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::plan_text, m)?)?;
    m.add_function(wrap_pyfunction!(logging::refresh_logging, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::drain, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::in_flight, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::internal_error, m)?)?;
    m.add_function(wrap_pyfunction!(start_logging, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::after_fork_in_child, m)?)?;
    // The stub declares these classes generic: subscripting them at run time (type aliases,
    // `typing.get_type_hints`, pdoc) gives a `types.GenericAlias`, as the standard library's do.
    let class_getitem = py
        .import("builtins")?
        .getattr("classmethod")?
        .call1((py.import("types")?.getattr("GenericAlias")?,))?;
    for generic in ["Client", "Lister", "Cursor"] {
        m.getattr(generic)?
            .setattr("__class_getitem__", &class_getitem)?;
    }
    // A forked child gets a runtime of its own (Gunicorn --preload, multiprocessing's fork).
    let os = py.import("os")?;
    if os.hasattr("register_at_fork")? {
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("after_in_child", m.getattr("after_fork_in_child")?)?;
        os.call_method("register_at_fork", (), Some(&kwargs))?;
    }
    // Before the interpreter finalizes, stop every Rust thread from entering it.
    py.import("atexit")?
        .call_method1("register", (m.getattr("drain")?,))?;
    Ok(())
}

/// Connects the core's log records to Python's `logging`, once, when the first client or
/// emulator is built: importing the package does not import `logging` (a third of its cost).
/// Like any library, records reach the application's handlers, never stderr on their own: a
/// `NullHandler` keeps a retry warning from printing through `logging`'s last resort.
#[pyfunction]
fn start_logging(py: Python<'_>) -> PyResult<()> {
    static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if STARTED.swap(true, std::sync::atomic::Ordering::AcqRel) {
        return Ok(());
    }
    let logging = py.import("logging")?;
    logging
        .call_method1("getLogger", ("scaleway_partner",))?
        .call_method1("addHandler", (logging.call_method0("NullHandler")?,))?;
    logging::install(py)
}
