//! Values between the core and Python: organizations and pages out (as the classes of
//! `scaleway_partner._models`), arguments in (seconds, counts, ID lists).

use std::collections::HashMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use scaleway_partner::{
    Ensured, Error, FieldValue, OptionSpelling, Organization, OrganizationPage,
    UndecodableOrganization,
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
        let organization = m.getattr("Organization")?;
        check_slots(&organization)?;
        Ok::<_, PyErr>(Classes {
            organization: organization.unbind(),
            ensured: m.getattr("EnsuredOrganization")?.unbind(),
            page: m.getattr("OrganizationPage")?.unbind(),
            undecodable: m.getattr("UndecodableOrganization")?.unbind(),
            status: m.getattr("OrganizationStatus")?.unbind(),
            locked_by: m.getattr("LockedBy")?.unbind(),
            object_new: object.getattr("__new__")?.unbind(),
        })
    })
}

/// The slots of `_models.Organization` are the core's fields and `extra`, in order: a field
/// the core gained and the class lacks (or the reverse) fails the first conversion, naming it,
/// instead of leaving an attribute unset.
fn check_slots(class: &Bound<'_, PyAny>) -> PyResult<()> {
    let slots: Vec<String> = class.getattr("__slots__")?.extract()?;
    let expected: Vec<&str> = Organization::FIELDS
        .iter()
        .copied()
        .chain(["extra"])
        .collect();
    if slots == expected {
        return Ok(());
    }
    let missing: Vec<_> = expected
        .iter()
        .filter(|f| !slots.iter().any(|s| s == *f))
        .collect();
    let unknown: Vec<_> = slots
        .iter()
        .filter(|s| !expected.contains(&s.as_str()))
        .collect();
    Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
        "scaleway_partner._models.Organization does not declare the core's fields in order \
         (missing: {missing:?}, not in the core: {unknown:?})"
    )))
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
    /// The slot names, [`Organization::FIELDS`] interned.
    names: Vec<Bound<'py, PyString>>,
}

impl<'py> OrganizationConverter<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        Ok(OrganizationConverter {
            py,
            classes: classes(py)?,
            statuses: HashMap::new(),
            locks: HashMap::new(),
            shared: HashMap::new(),
            names: Organization::FIELDS
                .iter()
                .map(|f| PyString::intern(py, f))
                .collect(),
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
        json_value(self.py, extra)
    }

    /// One field's value: text, `None`, a datetime or an enum member.
    fn field(&mut self, value: FieldValue<'_>) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let c = self.classes;
        Ok(match value {
            FieldValue::Text {
                value,
                repeats: true,
            }
            | FieldValue::OptionalText {
                value: Some(value),
                repeats: true,
            } => self.shared(value),
            FieldValue::Text { value, .. }
            | FieldValue::OptionalText {
                value: Some(value), ..
            } => PyString::new(py, value).into_any(),
            FieldValue::Time(t) => t.into_pyobject(py)?.into_any(),
            FieldValue::Status(s) => Self::member(py, &mut self.statuses, &c.status, s.as_str())?,
            FieldValue::LockedBy(l) => Self::member(py, &mut self.locks, &c.locked_by, l.as_str())?,
            _ => py.None().into_bound(py),
        })
    }

    fn convert(&mut self, org: &Organization) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        let c = self.classes;
        // The frozen dataclass's __init__ sets each field through object.__setattr__ (most of
        // the cost of converting a large listing): the slots are filled directly instead, each
        // by the core's name for it.
        let instance = c.object_new.bind(py).call1((c.organization.bind(py),))?;
        for (i, (_, value)) in org.fields().into_iter().enumerate() {
            let value = self.field(value)?;
            set_slot(&instance, &self.names[i], &value)?;
        }
        let extra = self.extra(&org.extra)?;
        set_slot(&instance, pyo3::intern!(py, "extra"), &extra)?;
        // Its slots hold strings, datetimes, enum members, None and a dict of JSON values: it
        // can be in no cycle (like a tuple of such values, which CPython untracks itself), so
        // the cyclic GC need not walk 100,000 of them over and over while a listing is read.
        // SAFETY: `instance` is a live object; untracking an untracked object does nothing.
        unsafe { pyo3::ffi::PyObject_GC_UnTrack(instance.as_ptr().cast()) };
        Ok(instance)
    }
}

/// A JSON value as `json.loads` gives it (rare values: the text is written and read again).
pub fn json_value<'py>(
    py: Python<'py>,
    value: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).expect("JSON values always serialize");
    py.import("json")?.call_method1("loads", (text,))
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
