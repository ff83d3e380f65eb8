//! Listing: one page, a lazy cursor or stream, or everything at once with bounded concurrency.

use std::collections::HashSet;

use futures::{Stream, StreamExt, TryStreamExt};
use reqwest::Method;

use crate::client::Client;
use crate::error::Result;
use crate::models::{
    ListOrganizationsRequest, ListOrganizationsResponse, Organization, OrganizationPage,
};
use crate::progress::{self, ProgressFn};
use crate::transport::Request;

/// A listing of organizations, not yet fetched. Get it from [`Client::list_organizations`].
///
/// ```no_run
/// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
/// use futures::TryStreamExt;
/// use scaleway_partner::{ListOrganizationsRequest, LockedBy};
/// let lister = client.list_organizations(ListOrganizationsRequest::new().locked_by(LockedBy::Partner));
/// // One page, with the total number of matches:
/// let first = lister.page(1).await?;
/// println!("{} locked by us", first.total_count.unwrap_or(0));
/// // Lazily, a page at a time:
/// let mut stream = std::pin::pin!(lister.stream());
/// while let Some(org) = stream.try_next().await? {
///     println!("{}", org.name);
/// }
/// // Or everything, several pages at once:
/// let all = lister.collect_all().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct OrganizationLister {
    client: Client,
    request: ListOrganizationsRequest,
    concurrency: usize,
    progress: Option<ProgressFn>,
}

impl Client {
    /// A listing of the partner's organizations matching `request`. Nothing is fetched until
    /// it is consumed.
    pub fn list_organizations(&self, request: ListOrganizationsRequest) -> OrganizationLister {
        OrganizationLister {
            concurrency: self.settings().page_concurrency,
            client: self.clone(),
            request,
            progress: None,
        }
    }
}

impl OrganizationLister {
    /// Pages fetched at once by [`collect_all`](Self::collect_all) (the client's
    /// `page_concurrency` by default). All of them still go through the client's pacer.
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Called after each page with the organizations fetched so far and the total.
    #[must_use]
    pub fn on_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// The filters of this listing.
    pub fn request(&self) -> &ListOrganizationsRequest {
        &self.request
    }

    /// Fetches one page (1-based). A page past the end is empty, with the total still given.
    pub async fn page(&self, page: u32) -> Result<OrganizationPage> {
        self.client
            .run("list_organizations", None, self.fetch(page))
            .await
    }

    async fn fetch(&self, page: u32) -> Result<OrganizationPage> {
        self.request.validate()?;
        if page == 0 {
            return Err(crate::Error::validation(
                "page",
                "must be 1 or more (pages are 1-based)",
            ));
        }
        let req = Request::new(
            "list_organizations",
            Method::GET,
            crate::client::ORGANIZATIONS_PATH.to_owned(),
        )
        .query(self.request.query(page));
        let body: ListOrganizationsResponse =
            self.client.send_idempotent(&req).await.result?.json()?;
        Ok(OrganizationPage {
            organizations: body.organizations,
            total_count: body.total_count,
            page,
            page_size: self.request.effective_page_size(),
        })
    }

    /// A cursor that fetches the next page only when asked.
    pub fn cursor(&self) -> PageCursor {
        PageCursor {
            lister: self.clone(),
            next: 1,
            fetched: 0,
            seen: HashSet::new(),
            total_seen: None,
            done: false,
        }
    }

    /// The organizations, lazily: a page is fetched when the previous one is used up.
    pub fn stream(&self) -> impl Stream<Item = Result<Organization>> + Send + 'static {
        futures::stream::try_unfold(self.cursor(), |mut cursor| async move {
            Ok::<_, crate::Error>(cursor.next_page().await?.map(|page| (page, cursor)))
        })
        .map_ok(|page| futures::stream::iter(page.organizations.into_iter().map(Ok)))
        .try_flatten()
    }

    /// Every matching organization, in order. Uses `total_count` from the first page to fetch
    /// the other pages several at a time; if the listing changed meanwhile (counts disagree,
    /// a page is short, an ID repeats) or the total is missing, it reads the listing again
    /// page by page rather than return a silently truncated list.
    pub async fn collect_all(&self) -> Result<Vec<Organization>> {
        self.client
            .run("list_organizations", None, self.collect_all_inner())
            .await
    }

    async fn collect_all_inner(&self) -> Result<Vec<Organization>> {
        let first = self.fetch(1).await?;
        let size = u64::from(first.page_size);
        let Some(total) = first.total_count else {
            tracing::debug!("no total_count: listing page by page");
            return self.collect_sequentially().await;
        };
        let pages = total.div_ceil(size).max(1);
        let mut fetched = first.organizations.len() as u64;
        progress::report(&self.progress, fetched, Some(total));
        let mut all = first.organizations;
        all.reserve(total.saturating_sub(fetched) as usize);
        let mut consistent = first.total_count == Some(total);
        let mut rest = futures::stream::iter(2..=pages as u32)
            .map(|p| self.fetch(p))
            .buffered(self.concurrency);
        while let Some(page) = rest.try_next().await? {
            consistent &= page.total_count == Some(total);
            fetched += page.organizations.len() as u64;
            progress::report(&self.progress, fetched, Some(total));
            all.extend(page.organizations);
        }
        let unique = all
            .iter()
            .map(|o| o.id.as_str())
            .collect::<HashSet<_>>()
            .len();
        if consistent && all.len() as u64 == total && unique == all.len() {
            return Ok(all);
        }
        tracing::warn!(
            expected = total,
            got = all.len(),
            unique,
            "the listing changed while it was read; reading it again page by page"
        );
        drop(all);
        self.collect_sequentially().await
    }

    async fn collect_sequentially(&self) -> Result<Vec<Organization>> {
        let mut cursor = self.cursor();
        let mut all = Vec::new();
        while let Some(page) = cursor.next_page().await? {
            all.extend(page.organizations);
            progress::report(&self.progress, all.len() as u64, cursor.total());
        }
        Ok(all)
    }
}

/// Walks a listing page by page. After an error, the next call retries the same page.
/// Organizations already returned are skipped if the listing shifts under it.
#[derive(Debug)]
pub struct PageCursor {
    lister: OrganizationLister,
    next: u32,
    fetched: u64,
    seen: HashSet<String>,
    total_seen: Option<u64>,
    done: bool,
}

impl PageCursor {
    /// The next page, or `None` once the listing is exhausted.
    pub async fn next_page(&mut self) -> Result<Option<OrganizationPage>> {
        if self.done {
            return Ok(None);
        }
        let mut page = self.lister.page(self.next).await?;
        let got = page.organizations.len() as u64;
        self.next += 1;
        self.fetched += got;
        let total = page.total_count;
        page.organizations
            .retain(|o| self.seen.insert(o.id.clone()));
        self.done = got < u64::from(page.page_size) || total.is_some_and(|t| self.fetched >= t);
        if got == 0 {
            return Ok(None);
        }
        self.total_seen = total;
        Ok(Some(page))
    }

    /// The total number of matches the last page announced.
    pub fn total(&self) -> Option<u64> {
        self.total_seen
    }
}
