//! Values between the core and Python: organizations and pages out (as the classes of
//! `scaleway_partner._models`), arguments in (seconds, counts, ID lists).

use std::collections::HashMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use scaleway_partner::{
    Ensured, Error, OptionSpelling, Organization, OrganizationPage, UndecodableOrganization,
};

use crate::errors::{to_py_err, validation};

struct Classes {
    organization: Py<PyAny>,
    ensured: Py<PyAny>,
    page: Py<PyAny>,
    undecodable: Py<PyAny>,
    status: Py<PyAny>,
    locked_by: Py<PyAny>,
    object_new: Py<PyAny>,
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();
    CLASSES.get_or_try_init(py, || {
        let m = py.import("scaleway_partner._models")?;
        let object = py.import("builtins")?.getattr("object")?;
        Ok::<_, PyErr>(Classes {
            organization: m.getattr("Organization")?.unbind(),
            ensured: m.getattr("EnsuredOrganization")?.unbind(),
            page: m.getattr("OrganizationPage")?.unbind(),
            undecodable: m.getattr("UndecodableOrganization")?.unbind(),
            status: m.getattr("OrganizationStatus")?.unbind(),
            locked_by: m.getattr("LockedBy")?.unbind(),
            object_new: object.getattr("__new__")?.unbind(),
        })
    })
}

/// Sets a slot of a frozen instance, as `object.__setattr__` would, without a Python call.
fn set_slot(
    instance: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: the three pointers are live objects borrowed for the call, which takes its own
    // reference to `value`.
    let status = unsafe {
        pyo3::ffi::PyObject_GenericSetAttr(instance.as_ptr(), name.as_ptr(), value.as_ptr())
    };
    if status == 0 {
        Ok(())
    } else {
        Err(PyErr::fetch(instance.py()))
    }
}

/// The most distinct values [`OrganizationConverter::shared`] keeps (a few MB at most).
const SHARED_STRINGS: usize = 65_536;

/// Converts organizations; enum members are looked up once per value (a listing of 100,000
/// organizations has a handful of distinct statuses).
struct OrganizationConverter<'py> {
    py: Python<'py>,
    classes: &'py Classes,
    statuses: HashMap<String, Bound<'py, PyAny>>,
    locks: HashMap<String, Bound<'py, PyAny>>,
    /// One Python string per distinct value of the fields that repeat across organizations
    /// (first and last names, customer IDs, lock reasons, comments), up to [`SHARED_STRINGS`].
    shared: HashMap<String, Bound<'py, PyString>>,
}

impl<'py> OrganizationConverter<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        Ok(OrganizationConverter {
            py,
            classes: classes(py)?,
            statuses: HashMap::new(),
            locks: HashMap::new(),
            shared: HashMap::new(),
        })
    }

    fn member(
        py: Python<'py>,
        members: &mut HashMap<String, Bound<'py, PyAny>>,
        class: &Py<PyAny>,
        value: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(m) = members.get(value) {
            return Ok(m.clone());
        }
        let m = class.bind(py).call1((value,))?;
        members.insert(value.to_owned(), m.clone());
        Ok(m)
    }

    /// `value` as a Python string, the same object for the same value (100,000 organizations
    /// hold a few thousand distinct first names, not 100,000).
    fn shared(&mut self, value: &str) -> Bound<'py, PyAny> {
        if let Some(s) = self.shared.get(value) {
            return s.clone().into_any();
        }
        let s = PyString::new(self.py, value);
        if self.shared.len() < SHARED_STRINGS {
            self.shared.insert(value.to_owned(), s.clone());
        }
        s.into_any()
    }

    /// The fields the core did not know, as `json.loads` gives them (rare: only then is the
    /// text written and read again).
    fn extra(
        &self,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if extra.is_empty() {
            return Ok(PyDict::new(self.py).into_any());
        }
        let text = serde_json::to_string(extra).expect("JSON values always serialize");
        self.py.import("json")?.call_method1("loads", (text,))
    }

    fn convert(&mut self, org: &Organization) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let c = self.classes;
        let status = Self::member(py, &mut self.statuses, &c.status, org.status.as_str())?;
        let locked_by = Self::member(py, &mut self.locks, &c.locked_by, org.locked_by.as_str())?;
        // The frozen dataclass's __init__ sets each field through object.__setattr__ (most of
        // the cost of converting a large listing): the slots are filled directly instead.
        let instance = c.object_new.bind(py).call1((c.organization.bind(py),))?;
        // Each slot by its (interned) name, in the order of the fields.
        macro_rules! fill {
            ($($field:ident: $value:expr),* $(,)?) => {
                $(set_slot(&instance, pyo3::intern!(py, stringify!($field)), &$value)?;)*
            };
        }
        let text = |s: &str| PyString::new(py, s).into_any();
        let optional = |s: Option<&str>| s.map_or_else(|| py.None().into_bound(py), text);
        fill! {
            id: text(&org.id),
            name: text(&org.name),
            email: text(&org.email),
            status: status,
            locked_by: locked_by,
            locked_at: org.locked_at.into_pyobject(py)?,
            lock_reason_message: match org.lock_reason_message.as_deref() {
                Some(reason) => self.shared(reason),
                None => py.None().into_bound(py),
            },
            created_at: org.created_at.into_pyobject(py)?,
            customer_id: self.shared(&org.customer_id),
            owner_firstname: self.shared(&org.owner_firstname),
            owner_lastname: self.shared(&org.owner_lastname),
            phone_number: optional(org.phone_number.as_deref()),
            picture_link: optional(org.picture_link.as_deref()),
            siren_number: optional(org.siren_number.as_deref()),
            comment: self.shared(&org.comment),
            extra: self.extra(&org.extra)?,
        }
        // Its slots hold strings, datetimes, enum members, None and a dict of JSON values: it
        // can be in no cycle (like a tuple of such values, which CPython untracks itself), so
        // the cyclic GC need not walk 100,000 of them over and over while a listing is read.
        // SAFETY: `instance` is a live object; untracking an untracked object does nothing.
        unsafe { pyo3::ffi::PyObject_GC_UnTrack(instance.as_ptr().cast()) };
        Ok(instance)
    }
}

/// A core organization as a `scaleway_partner.Organization`.
pub fn organization<'py>(py: Python<'py>, org: &Organization) -> PyResult<Bound<'py, PyAny>> {
    OrganizationConverter::new(py)?.convert(org)
}

/// A core `Ensured` as a `scaleway_partner.EnsuredOrganization`.
fn ensured<'py>(
    converter: &mut OrganizationConverter<'py>,
    value: &Ensured,
) -> PyResult<Bound<'py, PyAny>> {
    let py = converter.py;
    let kw = PyDict::new(py);
    kw.set_item("organization", converter.convert(&value.organization)?)?;
    kw.set_item("created", value.created)?;
    converter.classes.ensured.bind(py).call((), Some(&kw))
}

/// The result of `ensure_organization`.
pub fn ensured_out(py: Python<'_>, r: Result<Ensured, Error>) -> PyResult<Py<PyAny>> {
    result(py, r, |py, e| {
        Ok(ensured(&mut OrganizationConverter::new(py)?, &e)?.unbind())
    })
}

/// Per-item results of `ensure_organizations`: each the ensured organization or the error
/// object (not raised).
pub fn ensured_results(
    py: Python<'_>,
    results: Vec<Result<Ensured, Error>>,
) -> PyResult<Py<PyAny>> {
    let mut converter = OrganizationConverter::new(py)?;
    let list = PyList::empty(py);
    for r in &results {
        match r {
            Ok(e) => list.append(ensured(&mut converter, e)?)?,
            Err(e) => list.append(crate::errors::error_object(py, e)?)?,
        }
    }
    Ok(list.into_any().unbind())
}

/// A core page as a `scaleway_partner.OrganizationPage`.
pub fn page<'py>(py: Python<'py>, page: &OrganizationPage) -> PyResult<Bound<'py, PyAny>> {
    let kw = PyDict::new(py);
    kw.set_item("organizations", organizations(py, &page.organizations)?)?;
    kw.set_item("total_count", page.total_count)?;
    kw.set_item("page", page.page)?;
    kw.set_item("page_size", page.page_size)?;
    kw.set_item("undecodable", undecodable(py, &page.undecodable)?)?;
    classes(py)?.page.bind(py).call((), Some(&kw))
}

/// Records of a listing that could not be decoded, as `UndecodableOrganization`s.
pub fn undecodable<'py>(
    py: Python<'py>,
    records: &[UndecodableOrganization],
) -> PyResult<Bound<'py, PyList>> {
    let class = classes(py)?.undecodable.bind(py);
    let list = PyList::empty(py);
    for r in records {
        let kw = PyDict::new(py);
        kw.set_item("page", r.page)?;
        kw.set_item("index", r.index)?;
        kw.set_item("id", &r.id)?;
        kw.set_item("message", &r.message)?;
        list.append(class.call((), Some(&kw))?)?;
    }
    Ok(list)
}

/// A list of organizations.
pub fn organizations<'py>(py: Python<'py>, orgs: &[Organization]) -> PyResult<Bound<'py, PyList>> {
    let mut converter = OrganizationConverter::new(py)?;
    let list = PyList::empty(py);
    for o in orgs {
        list.append(converter.convert(o)?)?;
    }
    Ok(list)
}

/// A list of organizations, each Rust value freed as soon as it is converted (an audit may hold
/// 100,000 of them: never both whole lists at once).
pub fn organizations_owned<'py>(
    py: Python<'py>,
    orgs: Vec<Organization>,
) -> PyResult<Bound<'py, PyList>> {
    let mut converter = OrganizationConverter::new(py)?;
    let list = PyList::empty(py);
    for o in orgs {
        list.append(converter.convert(&o)?)?;
    }
    Ok(list)
}

/// A core result: the value converted, or the error raised.
pub fn result<T>(
    py: Python<'_>,
    r: Result<T, Error>,
    convert: impl FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    match r {
        Ok(v) => convert(py, v),
        Err(e) => Err(to_py_err(py, &e)),
    }
}

/// Per-item results of a bulk operation: each the organization or the error object (not raised).
pub fn bulk_results(
    py: Python<'_>,
    results: Vec<Result<Organization, Error>>,
) -> PyResult<Py<PyAny>> {
    let mut converter = OrganizationConverter::new(py)?;
    let list = PyList::empty(py);
    for r in &results {
        match r {
            Ok(org) => list.append(converter.convert(org)?)?,
            Err(e) => list.append(crate::errors::error_object(py, e)?)?,
        }
    }
    Ok(list.into_any().unbind())
}

/// A count that must fit the core's unsigned type; the error says which way it is out of range.
pub fn count<T: TryFrom<i64>>(field: &str, value: Option<i64>) -> Result<Option<T>, Error> {
    match value {
        None => Ok(None),
        Some(v) => T::try_from(v).map(Some).map_err(|_| {
            let max = u64::MAX >> (64 - 8 * std::mem::size_of::<T>().min(8));
            let reason = if v < 0 {
                format!("must be 0 or more, got {v}")
            } else {
                format!("must be at most {max}, got {v}")
            };
            validation(field, reason)
        }),
    }
}

/// A list of organization IDs from any iterable of `str` (but not a `str` itself, which would
/// otherwise be read as a list of one-character IDs).
pub fn id_list(ids: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if ids.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "ids must be an iterable of organization IDs, not a single str",
        ));
    }
    let mut out = Vec::new();
    for item in ids.try_iter()? {
        let item = item?;
        match item.extract::<String>() {
            Ok(s) => out.push(s),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "ids must contain str organization IDs, got {}",
                    item.get_type().name()?
                )));
            }
        }
    }
    Ok(out)
}

/// Decodes an organization from JSON text, the API's wire form or `to_dict`/`asdict`'s (the
/// unknown fields under `extra`), through the core's lenient decoder.
#[pyfunction]
pub fn decode_organization(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let decoded = serde_json::from_str(text)
        .map_err(|e| validation("data", format!("is not JSON: {e}")))
        .and_then(|value| Organization::from_value(value, OptionSpelling::SnakeCase));
    match decoded {
        Ok(org) => Ok(organization(py, &org)?.unbind()),
        Err(e) => Err(to_py_err(py, &e)),
    }
}
