//! The client options that shape and show the HTTP traffic (`hook`, `default_headers`,
//! `proxy`), and the capture behind `with_raw_response`. Every client gets the core's hook: it
//! feeds the log records of each answer and retry (with `extra` fields, see [`logging`]) and
//! calls the user's `hook`, with the same dict.

use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};
use scaleway_partner::{ClientBuilder, Hook, HookEvent, ResponseCapture, ResponseMeta};

use crate::args::Kwargs;
use crate::deliver;
use crate::logging;
use crate::runtime;

/// Reads `hook`, `default_headers` and `proxy` onto the builder (the core checks the headers
/// and the proxy URL), and installs the hook every client has.
pub fn options(kw: &mut Kwargs<'_>, mut b: ClientBuilder) -> PyResult<ClientBuilder> {
    let user = kw.take_callable("hook")?.map(Arc::new);
    if let Some(headers) = kw.take_any("default_headers") {
        b = b.default_headers(headers_arg(&headers)?);
    }
    if let Some(url) = kw.take::<String>("proxy")? {
        b = b.proxy(url);
    }
    Ok(b.hook(Hook::new(move |event| emit(event, user.as_ref()))))
}

/// `default_headers`: a mapping of str to str (a TypeError naming the first bad entry).
fn headers_arg(value: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    const EXPECTED: &str = "default_headers must be a mapping of str to str";
    let Ok(mapping) = value.cast::<PyMapping>() else {
        let got = value.get_type().name()?;
        return Err(PyTypeError::new_err(format!("{EXPECTED}, not {got}")));
    };
    let mut out = Vec::new();
    for pair in mapping.items()?.iter() {
        let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract()?;
        match (k.cast::<PyString>(), v.cast::<PyString>()) {
            (Ok(k), Ok(v)) => out.push((k.to_cow()?.into_owned(), v.to_cow()?.into_owned())),
            _ => {
                let (k, v) = (k.repr()?, v.get_type().name()?);
                return Err(PyTypeError::new_err(format!("{EXPECTED}; {k} maps to {v}")));
            }
        }
    }
    Ok(out)
}

/// One event of the core: to the log and to the user's hook, where the call's user code runs
/// (its caller's thread or its event loop, never a runtime thread: the hook may call the
/// client). The call does not wait for it. The GIL is only wanted when a record is wanted or
/// there is a hook.
fn emit(event: &HookEvent, user: Option<&Arc<Py<PyAny>>>) {
    let level = logging::traffic_level(event);
    if user.is_none() && !level.is_some_and(logging::traffic_maybe_enabled) {
        return;
    }
    let (event, user) = (event.clone(), user.cloned());
    deliver::run(Box::new(move |py| {
        let Ok(dict) = event_dict(py, &event) else {
            return;
        };
        if let Some(level) = level {
            logging::traffic_record(py, &event, level, &dict);
        }
        if let Some(hook) = user {
            // A hook that raises (or an async one whose coroutine raises) must not break the
            // call: its exception goes to the log.
            let later = Arc::clone(&hook);
            let ends = move |py: Python<'_>, error: Option<PyErr>| {
                if let Some(err) = error {
                    hook_failed(py, &later, err);
                }
            };
            let called = hook.call1(py, (dict,)).and_then(|returned| {
                runtime::run_if_awaitable("the traffic hook", returned.bind(py), ends)
            });
            if let Err(err) = called {
                hook_failed(py, &hook, err);
            }
        }
    }));
}

/// A hook's exception is logged; a Ctrl-C landing in the hook stops the call instead.
fn hook_failed(py: Python<'_>, hook: &Py<PyAny>, err: PyErr) {
    if let Some(err) = deliver::unless_interrupt(py, err) {
        logging::hook_failed(py, hook, err);
    }
}

/// The event as the dict the hook receives (`TrafficEvent` in the stubs): the core's own
/// serialization, so the fields are declared once.
fn event_dict<'py>(py: Python<'py>, event: &HookEvent) -> PyResult<Bound<'py, PyDict>> {
    let text = serde_json::to_string(event).expect("an event serializes");
    Ok(py
        .import("json")?
        .call_method1("loads", (text,))?
        .cast_into()?)
}

/// `(status, request_id, headers)`: `ResponseMeta` as Python's `APIResponse` reads it.
type Meta = (u16, Option<String>, Vec<(String, String)>);

/// Where the calls of a `with_raw_response` view record their answer's metadata.
#[pyclass(frozen, name = "ResponseCapture", module = "scaleway_partner._native")]
#[derive(Debug, Default)]
pub struct Capture {
    pub inner: ResponseCapture,
}

#[pymethods]
impl Capture {
    /// `(status, request_id, headers)` of the last successful answer, or None.
    fn last(&self) -> Option<Meta> {
        self.inner.last().map(
            |ResponseMeta {
                 status,
                 request_id,
                 headers,
             }| (status, request_id, headers),
        )
    }
}
