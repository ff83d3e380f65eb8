//! Listings: one page, everything at once, or a cursor the JS async iterators walk page by page.

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use scaleway_partner as core;
use tokio::sync::Mutex;

use crate::convert::{self, OrganizationPage};
use crate::errors::{NativeError, Outcome};
use crate::progress::{self, ProgressCallback};
use crate::requests;

/// `.all()`'s page handler, given one page's organizations as JSON text. Calls wait while 8
/// pages are queued: a busy event loop holds the reading back instead of piling up text.
pub type PageSink = ThreadsafeFunction<String, Unknown<'static>, String, Status, false, false, 8>;

/// What `.all()` resolves to once every page was sent.
#[napi(object, object_from_js = false, use_nullable = true)]
#[derive(Debug)]
pub struct AllPages {
    /// Pages handed to `onPage`.
    pub sent: u32,
    /// How many of the last pages sent make the listing.
    pub kept: u32,
    /// Records that could not be decoded: the `UndecodableOrganizationsError` to reject with,
    /// the organizations read beside them left out.
    pub undecodable: Option<NativeError>,
}

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
    pub async fn page(&self, page: f64) -> Outcome<OrganizationPage> {
        let read = async {
            let page = requests::count(page, "page")?;
            Ok(self.inner.page(page).await?.into())
        };
        read.await.into()
    }

    /// Every matching organization, several pages at once. Each page goes to `on_page` as the
    /// JSON text of its organizations as soon as it is read (lib/client.js parses it: far
    /// cheaper than building each object through napi), so that only a few pages exist in
    /// Rust and as text at any time. Resolves to how many pages were sent and how many of the
    /// last ones make the listing (the core reads it again when it changed while read).
    #[napi]
    pub async fn all(
        &self,
        concurrency: Option<f64>,
        #[napi(ts_arg_type = "((progress: Progress) => unknown) | undefined | null")]
        on_progress: Option<ProgressCallback>,
        #[napi(ts_arg_type = "(organizationsJson: string) => void")] on_page: PageSink,
    ) -> Outcome<AllPages> {
        let mut lister = self.inner.clone();
        if let Some(n) = concurrency {
            match core::NumberOption::PageConcurrency.count(n, "concurrency") {
                Ok(n) => lister = lister.concurrency(n as usize),
                Err(e) => return Outcome(Err(e)),
            }
        }
        if let Some(callback) = on_progress {
            lister = lister.on_progress(progress::stoppable(callback));
        }
        let mut sent = 0;
        // One marker per page: the markers kept are the pages of the final reading.
        let collected = lister
            .collect_all_with(|orgs| {
                let text = convert::organizations_json(orgs);
                if on_page.call(text, ThreadsafeFunctionCallMode::Blocking) == Status::Ok {
                    sent += 1;
                }
                vec![()]
            })
            .await;
        let core::Collected { items, undecodable } = match collected {
            Ok(collected) => collected,
            Err(e) => return Outcome(Err(e)),
        };
        // The organizations are in JS: the error goes without them, lib/client.js adds them.
        let undecodable = (!undecodable.is_empty()).then(|| {
            NativeError(core::Error::UndecodableOrganizations {
                records: undecodable,
                organizations: Vec::new(),
            })
        });
        Outcome(Ok(AllPages {
            sent,
            kept: u32::try_from(items.len()).unwrap_or(u32::MAX),
            undecodable,
        }))
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
    pub async fn next_page(&self) -> Outcome<Option<OrganizationPage>> {
        let mut cursor = self.inner.lock().await;
        cursor.next_page().await.map(|p| p.map(Into::into)).into()
    }
}
