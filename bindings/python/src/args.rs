//! Keyword arguments read by name. Every native method takes its options and request fields as
//! `**kwargs` and reads each by name exactly once, so a field is written in one place of the
//! binding (the `take` that fills the core's request). Unknown names and wrong types raise the
//! `TypeError` Python itself would, naming the argument and the Python type expected.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};
use scaleway_partner::{
    CallOptions, CreateOrganizationRequest, DurationUnit, Error, NumberOption,
    RequestAdminRoleRequest, UpdateOrganizationRequest,
};

use crate::errors::to_py_err;

/// A Python type an argument may have, with the name Python users know it by.
pub trait ArgType: for<'a, 'py> FromPyObject<'a, 'py> {
    /// The type as Python spells it, for the `TypeError`.
    const NAME: &'static str;
    /// A number: a `bool` (an `int` to Python, and to PyO3) is not one here.
    const NUMBER: bool = false;
}

impl ArgType for String {
    const NAME: &'static str = "str";
}
impl ArgType for f64 {
    const NAME: &'static str = "float";
    const NUMBER: bool = true;
}
impl ArgType for i64 {
    const NAME: &'static str = "int";
    const NUMBER: bool = true;
}
impl ArgType for bool {
    const NAME: &'static str = "bool";
}

/// `value` as a `T`, or a `TypeError` naming `name` and the type expected.
pub fn extract<'py, T: ArgType>(
    context: &str,
    name: &str,
    value: &Bound<'py, PyAny>,
) -> PyResult<Option<T>> {
    if value.is_none() {
        return Ok(None);
    }
    // A bool is not a number here, whatever PyO3 would accept.
    let wrong_kind = T::NUMBER && value.is_instance_of::<pyo3::types::PyBool>();
    match value.extract::<T>() {
        Ok(v) if !wrong_kind => Ok(Some(v)),
        _ => Err(PyTypeError::new_err(format!(
            "{context} argument '{name}' must be {} or None, not {}",
            T::NAME,
            value.get_type().name()?
        ))),
    }
}

/// The keyword arguments of one call, consumed by name.
pub struct Kwargs<'py> {
    /// How errors name the call: `create_organization()` or `requests[2]:`.
    context: String,
    items: Vec<(String, Bound<'py, PyAny>)>,
}

impl<'py> Kwargs<'py> {
    /// The `**kwargs` of a call to `method`.
    pub fn new(method: &str, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Self> {
        let mut items = Vec::new();
        if let Some(d) = kwargs {
            for (k, v) in d.iter() {
                items.push((k.extract::<String>()?, v));
            }
        }
        Ok(Kwargs {
            context: format!("{method}()"),
            items,
        })
    }

    /// A mapping given as keyword arguments (an item of `ensure_organizations`).
    pub fn from_mapping(context: String, mapping: &Bound<'py, PyMapping>) -> PyResult<Self> {
        let mut items = Vec::new();
        for pair in mapping.items()?.iter() {
            let (k, v): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair.extract()?;
            let Ok(k) = k.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "{context} keywords must be strings, not {}",
                    k.get_type().name()?
                )));
            };
            items.push((k.to_cow()?.into_owned(), v));
        }
        Ok(Kwargs { context, items })
    }

    /// Takes the argument `name` (None when absent or None).
    pub fn take<T: ArgType>(&mut self, name: &str) -> PyResult<Option<T>> {
        match self.items.iter().position(|(k, _)| k == name) {
            None => Ok(None),
            Some(i) => {
                let (_, v) = self.items.swap_remove(i);
                extract(&self.context, name, &v)
            }
        }
    }

    /// Takes a callable argument (`on_progress`), refusing anything else before work starts.
    pub fn take_callable(&mut self, name: &str) -> PyResult<Option<Py<PyAny>>> {
        match self.items.iter().position(|(k, _)| k == name) {
            None => Ok(None),
            Some(i) => {
                let (_, v) = self.items.swap_remove(i);
                crate::runtime::callable_arg(name, Some(v))
            }
        }
    }

    /// Takes any object (`now`, converted by the caller).
    pub fn take_any(&mut self, name: &str) -> Option<Bound<'py, PyAny>> {
        let i = self.items.iter().position(|(k, _)| k == name)?;
        let (_, v) = self.items.swap_remove(i);
        (!v.is_none()).then_some(v)
    }

    /// Refuses what was not taken, as Python refuses an unexpected keyword argument.
    pub fn finish(self) -> PyResult<()> {
        match self.items.first() {
            None => Ok(()),
            Some((k, _)) => Err(PyTypeError::new_err(format!(
                "{} got an unexpected keyword argument '{k}'",
                self.context
            ))),
        }
    }

    /// The per-call options every method takes: `timeout`, `total_timeout` and `max_retries`.
    pub fn per_call(&mut self) -> PyResult<PerCall> {
        Ok(PerCall {
            timeout: self.take("timeout")?,
            total_timeout: self.take("total_timeout")?,
            max_retries: self.take("max_retries")?,
        })
    }

    /// The fields of `create_organization` (also `ensure_organization` and each item of
    /// `ensure_organizations`): the one place the binding names them.
    pub fn create_request(&mut self) -> PyResult<CreateOrganizationRequest> {
        Ok(CreateOrganizationRequest {
            partner_id: self.take("partner_id")?,
            email: self.take("email")?,
            organization_name: self.take("organization_name")?,
            owner_firstname: self.take("owner_firstname")?,
            owner_lastname: self.take("owner_lastname")?,
            customer_id: self.take("customer_id")?,
            phone_number: self.take("phone_number")?,
            siren_number: self.take("siren_number")?,
        })
    }

    /// The fields of `update_organization` (the call and its check): the one place the binding
    /// names them.
    pub fn update_request(&mut self) -> PyResult<UpdateOrganizationRequest> {
        Ok(UpdateOrganizationRequest {
            email: self.take("email")?,
            name: self.take("name")?,
            owner_firstname: self.take("owner_firstname")?,
            owner_lastname: self.take("owner_lastname")?,
            phone_number: self.take("phone_number")?,
            customer_id: self.take("customer_id")?,
            comment: self.take("comment")?,
        })
    }

    /// The fields of `request_admin_role` (the call and its check).
    pub fn admin_role_request(&mut self) -> PyResult<RequestAdminRoleRequest> {
        Ok(RequestAdminRoleRequest {
            username: self.take("username")?,
            email: self.take("email")?,
            password: self.take("password")?,
        })
    }
}

/// The per-call options, as Python gives them (seconds, a count).
#[derive(Debug, Clone, Copy, Default)]
pub struct PerCall {
    pub timeout: Option<f64>,
    pub total_timeout: Option<f64>,
    pub max_retries: Option<i64>,
}

impl PerCall {
    /// The core's call options, each number checked by the core with the rule and words of the
    /// client option of the same name.
    pub fn call_options(self) -> Result<CallOptions, Error> {
        use NumberOption as N;
        let seconds = |option: N, v: Option<f64>| {
            v.map(|v| option.duration(v, DurationUnit::Seconds, option.name()))
                .transpose()
        };
        Ok(CallOptions {
            timeout: seconds(N::Timeout, self.timeout)?,
            total_timeout: seconds(N::TotalTimeout, self.total_timeout)?,
            max_retries: self
                .max_retries
                .map(|n| N::MaxRetries.count(n as f64, "max_retries"))
                .transpose()?,
            cancel: None,
        })
    }
}

/// The create requests of `ensure_organizations`: an iterable of mappings of
/// `create_organization`'s fields. Anything else is a `TypeError`, as a bad keyword would be.
pub fn create_requests(requests: &Bound<'_, PyAny>) -> PyResult<Vec<CreateOrganizationRequest>> {
    if requests.is_instance_of::<PyString>() || requests.is_instance_of::<PyMapping>() {
        return Err(PyTypeError::new_err(format!(
            "requests must be an iterable of mappings (one per organization), not a single {}",
            requests.get_type().name()?
        )));
    }
    let mut out = Vec::new();
    for (index, item) in requests.try_iter()?.enumerate() {
        let item = item?;
        let Ok(mapping) = item.cast::<PyMapping>() else {
            return Err(PyTypeError::new_err(format!(
                "requests[{index}] must be a mapping of create_organization's keyword \
                 arguments, got {}",
                item.get_type().name()?
            )));
        };
        let mut kw = Kwargs::from_mapping(format!("requests[{index}]:"), mapping)?;
        out.push(kw.create_request()?);
        kw.finish()?;
    }
    Ok(out)
}

/// A call's `concurrency`, checked by the core with the rule and words of the client `option`
/// it stands for (`bulk_concurrency`, `page_concurrency`).
pub fn concurrency(
    py: Python<'_>,
    option: NumberOption,
    v: Option<i64>,
) -> PyResult<Option<usize>> {
    v.map(|n| option.count(n as f64, "concurrency"))
        .transpose()
        .map(|n| n.map(|n| n as usize))
        .map_err(|e| to_py_err(py, &e))
}
