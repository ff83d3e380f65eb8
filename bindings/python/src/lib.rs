//! `scaleway_partner._native`: the PyO3 binding of the `scaleway-partner` core.
//!
//! It holds no API logic: it maps Python arguments onto the core's requests, converts the
//! core's values and errors into the package's Python classes, and runs the calls on its own
//! tokio runtime. The public API is the pure-Python package around it.

mod args;
mod audit;
mod client;
mod convert;
mod deliver;
mod errors;
mod logging;
mod names;
mod pager;
mod reconcile;
mod runtime;
mod testing;
mod traffic;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    main_interpreter_only()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The core's list, so that the package's exports never keep a copy of their own.
    m.add(
        "ORGANIZATION_FIELDS",
        scaleway_partner::Organization::FIELDS.to_vec(),
    )?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::BulkMethod>()?;
    m.add_class::<pager::Lister>()?;
    m.add_class::<pager::Cursor>()?;
    m.add_class::<testing::NativeMockServer>()?;
    m.add_class::<traffic::Capture>()?;
    m.add_function(wrap_pyfunction!(audit::audit_diff, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(audit::timestamp, m)?)?;
    m.add_function(wrap_pyfunction!(audit::audit_read, m)?)?;
    m.add_function(wrap_pyfunction!(convert::decode_organization, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::plan_text, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::plan_locks, m)?)?;
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

/// Refuses a subinterpreter (mod_wsgi runs one per application) before anything is set up. The
/// binding's statics (its classes, interned names, cached functions, the exit hook's state) belong
/// to one interpreter: shared with another, a subinterpreter's end would break the main one.
fn main_interpreter_only() -> PyResult<()> {
    // Windows' python3.dll of 3.9 lacks these functions (the abi3 wheel runs there too).
    #[cfg(not(windows))]
    {
        // SAFETY: called with the GIL held, from the module's initialization.
        let id =
            unsafe { pyo3::ffi::PyInterpreterState_GetID(pyo3::ffi::PyInterpreterState_Get()) };
        if id != 0 {
            return Err(pyo3::exceptions::PyImportError::new_err(format!(
                "scaleway_partner cannot be imported in a subinterpreter (this is interpreter \
                 {id}): it works in the main interpreter only. Under mod_wsgi, run the application \
                 there with `WSGIApplicationGroup %{{GLOBAL}}`"
            )));
        }
    }
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
