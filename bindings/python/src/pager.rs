//! Listings: the core's `OrganizationLister` (one page, or everything with bounded concurrency)
//! and its `PageCursor` (page after page, lazily), in the flavor of the client that made it. The Python pager classes
//! build iteration on top of the cursor.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyList;
use scaleway_partner::{
    Collected, Error, Organization, OrganizationLister, OrganizationPage, PageCursor,
};

use crate::convert;
use crate::errors::to_py_err;
use crate::runtime::{self, Flavor, callable_arg};

fn page_out(py: Python<'_>, r: Result<OrganizationPage, Error>) -> PyResult<Py<PyAny>> {
    convert::result(py, r, |py, p| Ok(convert::page(py, &p)?.unbind()))
}

fn page(
    py: Python<'_>,
    flavor: Flavor,
    lister: &OrganizationLister,
    page: i64,
) -> PyResult<Py<PyAny>> {
    let page = convert::count::<u32>("page", Some(page))
        .map(|p| p.unwrap_or_default())
        .map_err(|e| to_py_err(py, &e))?;
    let lister = lister.clone();
    runtime::call(
        py,
        flavor,
        move |_| async move { lister.page(page).await },
        None,
        Box::new(page_out),
    )
}

fn all(
    py: Python<'_>,
    flavor: Flavor,
    lister: &OrganizationLister,
    on_progress: Option<Bound<'_, PyAny>>,
    concurrency: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let on_progress = callable_arg("on_progress", on_progress)?;
    let concurrency = crate::args::concurrency(
        py,
        scaleway_partner::NumberOption::PageConcurrency,
        concurrency,
    )?;
    let mut lister = lister.clone();
    if let Some(n) = concurrency {
        lister = lister.concurrency(n);
    }
    runtime::call(
        py,
        flavor,
        move |progress| async move {
            let lister = match progress {
                Some(p) => lister.on_progress(p),
                None => lister,
            };
            let mut batches = Batches::default();
            let collected = lister
                .collect_all_with(|page| {
                    let read = page.len();
                    batches.add(page);
                    // One marker per organization: as many as the final reading kept.
                    vec![(); read]
                })
                .await;
            (collected, batches)
        },
        on_progress,
        Box::new(
            |py, (collected, batches): (Result<Collected<()>, Error>, Batches)| {
                let Collected { items, undecodable } = match collected {
                    Ok(c) => c,
                    // A conversion that failed is what to report (the reading went on without it).
                    Err(e) => return Err(batches.failed.unwrap_or_else(|| to_py_err(py, &e))),
                };
                let organizations = PyList::new(py, batches.finish(py, items.len())?)?;
                if undecodable.is_empty() {
                    return Ok(organizations.into_any().unbind());
                }
                // Every organization it read goes with the error, as the core's would carry them.
                let error = Error::UndecodableOrganizations {
                    records: undecodable,
                    organizations: Vec::new(),
                };
                let err = crate::errors::error_object(py, &error)?;
                err.setattr("organizations", organizations)?;
                Err(PyErr::from_value(err))
            },
        ),
    )
}

/// Organizations of `all()` become Python objects as they are read, a batch of pages under one
/// GIL acquisition (taken from a runtime thread, once per page it cost 15% more CPU), their
/// Rust values freed at once: never the whole listing twice (100,000 organizations are 60 MiB
/// in Rust alone).
#[derive(Default)]
struct Batches {
    /// Every organization converted so far, in listing order (those of a reading the core
    /// abandoned first).
    converted: Vec<Py<PyAny>>,
    /// Read, not converted yet.
    pending: Vec<Organization>,
    failed: Option<PyErr>,
}

/// Organizations converted at a time: 10 pages of 100, 6 MiB at most in Rust.
const BATCH: usize = 1_000;

impl Batches {
    fn add(&mut self, page: Vec<Organization>) {
        if self.failed.is_some() {
            return;
        }
        self.pending.extend(page);
        if self.pending.len() < BATCH {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        if let Err(e) = runtime::python_now(|py| self.convert(py, pending)) {
            self.failed = Some(e);
        }
    }

    fn convert(&mut self, py: Python<'_>, orgs: Vec<Organization>) -> PyResult<()> {
        let list = convert::organizations_owned(py, orgs)?;
        self.converted.extend(list.iter().map(Bound::unbind));
        Ok(())
    }

    /// The objects of the last `kept` organizations read: the core's final reading.
    fn finish(mut self, py: Python<'_>, kept: usize) -> PyResult<Vec<Py<PyAny>>> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let pending = std::mem::take(&mut self.pending);
        self.convert(py, pending)?;
        let abandoned = self.converted.len() - kept;
        self.converted.drain(..abandoned);
        Ok(self.converted)
    }
}

fn next_page(
    py: Python<'_>,
    flavor: Flavor,
    cursor: &Arc<tokio::sync::Mutex<PageCursor>>,
) -> PyResult<Py<PyAny>> {
    let cursor = cursor.clone();
    runtime::call(
        py,
        flavor,
        move |_| async move { cursor.lock().await.next_page().await },
        None,
        Box::new(|py, r| {
            convert::result(py, r, |py, page| match page {
                Some(p) => Ok(convert::page(py, &p)?.unbind()),
                None => Ok(py.None()),
            })
        }),
    )
}

/// A listing not yet fetched, answering in its client's flavor.
#[derive(Debug)]
#[pyclass(frozen, module = "scaleway_partner._native")]
pub struct Lister {
    lister: OrganizationLister,
    flavor: Flavor,
}

impl Lister {
    pub fn new(lister: OrganizationLister, flavor: Flavor) -> Self {
        Lister { lister, flavor }
    }
}

#[pymethods]
impl Lister {
    /// One page (1-based), with the total count.
    fn page(&self, py: Python<'_>, page: i64) -> PyResult<Py<PyAny>> {
        self::page(py, self.flavor, &self.lister, page)
    }

    /// Every organization of the listing (the core's bounded-concurrency collect).
    #[pyo3(signature = (*, on_progress=None, concurrency=None))]
    fn all(
        &self,
        py: Python<'_>,
        on_progress: Option<Bound<'_, PyAny>>,
        concurrency: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        self::all(py, self.flavor, &self.lister, on_progress, concurrency)
    }

    /// A cursor over the pages, from the first.
    fn cursor(&self) -> Cursor {
        Cursor {
            cursor: Arc::new(tokio::sync::Mutex::new(self.lister.cursor())),
            flavor: self.flavor,
        }
    }
}

/// Walks a listing page by page (the core's `PageCursor`).
#[derive(Debug)]
#[pyclass(frozen, module = "scaleway_partner._native")]
pub struct Cursor {
    cursor: Arc<tokio::sync::Mutex<PageCursor>>,
    flavor: Flavor,
}

#[pymethods]
impl Cursor {
    /// The next page, or None once the listing is exhausted.
    fn next_page(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self::next_page(py, self.flavor, &self.cursor)
    }
}
