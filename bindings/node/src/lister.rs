//! Listings: one page, everything at once, or a cursor the JS async iterators walk page by page.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use scaleway_partner as core;
use tokio::sync::Mutex;

use crate::convert::{self, OrganizationPage};
use crate::errors::IntoNapi;
use crate::progress::{self, ProgressCallback};
use crate::requests;

/// A listing not yet fetched, with the filters and call options it was made with.
#[napi]
#[derive(Debug)]
pub struct NativeLister {
    inner: core::OrganizationLister,
}

impl NativeLister {
    pub fn new(inner: core::OrganizationLister) -> Self {
        NativeLister { inner }
    }
}

#[napi]
impl NativeLister {
    /// One page (1-based); past the end it is empty, with the total still given.
    #[napi]
    pub async fn page(&self, page: f64) -> Result<OrganizationPage> {
        let page = requests::count(page, "page").napi()?;
        Ok(self.inner.page(page).await.napi()?.into())
    }

    /// Every matching organization, several pages at once, as the JSON text of their array
    /// (lib/client.js parses it: far cheaper than building each object through napi).
    #[napi]
    pub async fn all(
        &self,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => boolean) | undefined | null")]
        on_progress: Option<ProgressCallback>,
    ) -> Result<String> {
        let mut lister = self.inner.clone();
        if let Some(n) = concurrency {
            lister = lister.concurrency(requests::count(n, "concurrency").napi()? as usize);
        }
        if let Some(callback) = on_progress {
            lister = lister.on_progress(progress::stoppable(callback));
        }
        let all = lister.collect_all().await.napi()?;
        Ok(convert::organizations_json(all))
    }

    /// A fresh cursor at page 1.
    #[napi(catch_unwind)]
    pub fn cursor(&self) -> NativeCursor {
        NativeCursor {
            inner: Mutex::new(self.inner.cursor()),
        }
    }
}

/// Walks a listing. The core's cursor reads the listing again when organizations leave it while
/// it is read (their pages shift), never returning one twice; `ListingChanged` past its passes.
#[napi]
#[derive(Debug)]
pub struct NativeCursor {
    // Async lock: `nextPage` calls made without awaiting the previous one run in turn.
    inner: Mutex<core::PageCursor>,
}

#[napi]
impl NativeCursor {
    /// The next page, or `null` once the listing is exhausted. After an error the next call
    /// retries the same page.
    #[napi]
    pub async fn next_page(&self) -> Result<Option<OrganizationPage>> {
        let mut cursor = self.inner.lock().await;
        Ok(cursor.next_page().await.napi()?.map(Into::into))
    }
}
