//! Listing: one page, a lazy cursor or stream, or everything at once with bounded concurrency.

use std::collections::HashSet;

use futures::{Stream, StreamExt, TryStreamExt};
use reqwest::Method;

use crate::client::Client;
use crate::error::{Error, Result, UndecodableOrganization};
use crate::models::{ListOrganizationsRequest, Organization, OrganizationPage};
use crate::progress::{self, ProgressFn};
use crate::transport::Request;

/// A listing of organizations, not yet fetched. Get it from [`Client::list_organizations`].
///
/// ```no_run
/// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
/// use futures::TryStreamExt;
/// use scaleway_partner::{ListOrganizationsRequest, LockedBy};
/// let lister = client.list_organizations(ListOrganizationsRequest::new().locked_by(LockedBy::Partner))?;
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
    /// A listing of the partner's organizations matching `request`. Its filters are checked
    /// here, so a bad one is reported at the call, in every language, before anything is
    /// fetched; nothing is fetched until the listing is consumed.
    pub fn list_organizations(
        &self,
        request: ListOrganizationsRequest,
    ) -> Result<OrganizationLister> {
        request.validate()?;
        Ok(OrganizationLister {
            concurrency: self.settings().page_concurrency,
            client: self.clone(),
            request,
            progress: None,
        })
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

    /// Called after each page with the organizations fetched so far and the total. A
    /// [`ProgressFn::stoppable`] callback that stops [`collect_all`](Self::collect_all) makes it
    /// request no further page (those already requested are abandoned: reads change nothing).
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
        if page == 0 {
            return Err(Error::validation(
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
        let (organizations, undecodable, total_count) = self
            .client
            .send_idempotent(&req)
            .await
            .result?
            .organization_page(page)?;
        Ok(OrganizationPage {
            organizations,
            undecodable,
            total_count,
            page,
            page_size: self.request.effective_page_size(),
        })
    }

    /// A cursor that fetches the next page only when asked.
    pub fn cursor(&self) -> PageCursor {
        PageCursor {
            lister: self.clone(),
            yielded: HashSet::new(),
            pass: Pass::default(),
            previous_pass: None,
            passes: 1,
            total_seen: None,
            done: false,
            undecodable: Vec::new(),
            reported: false,
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
    ///
    /// Records that cannot be decoded as organizations do not lose the others: the call then
    /// fails with [`Error::UndecodableOrganizations`], which names each bad record (page,
    /// position, ID) and carries every organization that was decoded.
    pub async fn collect_all(&self) -> Result<Vec<Organization>> {
        let Collected { items, undecodable } = self.collect_all_with(|page| page).await?;
        finish(items, undecodable)
    }

    /// [`collect_all`](Self::collect_all), handing each page's organizations to `convert` as
    /// soon as the page is read, so that a binding builds its own objects page by page instead
    /// of holding every organization twice at the end. If the listing changed while it was
    /// read, what was converted is dropped and the listing is read (and converted) again.
    /// Undecodable records are returned beside the items, not as an error.
    pub async fn collect_all_with<T, F>(&self, mut convert: F) -> Result<Collected<T>>
    where
        T: Send,
        F: FnMut(Vec<Organization>) -> Vec<T> + Send,
    {
        self.client
            .run("list_organizations", None, self.collect_inner(&mut convert))
            .await
    }

    async fn collect_inner<T, F>(&self, convert: &mut F) -> Result<Collected<T>>
    where
        F: FnMut(Vec<Organization>) -> Vec<T>,
    {
        let mut first = self.fetch(1).await?;
        let size = u64::from(first.page_size);
        let mut bad = std::mem::take(&mut first.undecodable);
        let Some(total) = first.total_count else {
            tracing::debug!("no total_count: listing page by page");
            return self.collect_sequentially(convert).await;
        };
        // The total only plans the pages: it is never trusted for an allocation, and a page
        // that comes back short ends the plan whatever the total said.
        let pages = u32::try_from(total.div_ceil(size).max(1)).unwrap_or(u32::MAX);
        let mut fetched = first.records() as u64 + bad.len() as u64;
        progress::report(&self.progress, fetched, Some(total))?;
        let mut consistent = fetched == size.min(total);
        // Only the IDs are kept to check the listing; the organizations go to `convert`.
        let mut ids: HashSet<String> = HashSet::new();
        let mut read = 0;
        let mut take = |orgs: Vec<Organization>, items: &mut Vec<T>| {
            read += orgs.len();
            ids.extend(orgs.iter().map(|o| o.id.clone()));
            items.extend(convert(orgs));
        };
        let mut items = Vec::new();
        take(first.organizations, &mut items);
        let mut rest = futures::stream::iter(2..=pages)
            .map(|p| self.fetch(p))
            .buffered(self.concurrency);
        while consistent {
            let Some(mut page) = rest.try_next().await? else {
                break;
            };
            consistent &= page.total_count == Some(total);
            let got = page.records() as u64;
            bad.append(&mut page.undecodable);
            consistent &= got == size.min(total - fetched.min(total));
            fetched += got;
            progress::report(&self.progress, fetched, Some(total))?;
            take(page.organizations, &mut items);
        }
        drop(rest);
        let unique = ids.len();
        if consistent && (read + bad.len()) as u64 == total && unique == read {
            return Ok(Collected {
                items,
                undecodable: bad,
            });
        }
        tracing::warn!(
            expected = total,
            got = read,
            unique,
            "the listing changed while it was read; reading it again page by page"
        );
        drop(items);
        self.collect_sequentially(convert).await
    }

    async fn collect_sequentially<T, F>(&self, convert: &mut F) -> Result<Collected<T>>
    where
        F: FnMut(Vec<Organization>) -> Vec<T>,
    {
        let mut cursor = self.cursor();
        let mut items = Vec::new();
        let mut read = 0;
        loop {
            match cursor.next_page().await {
                Ok(Some(page)) => {
                    read += page.organizations.len() as u64;
                    items.extend(convert(page.organizations));
                    progress::report(&self.progress, read, cursor.total())?;
                }
                Ok(None) => {
                    return Ok(Collected {
                        items,
                        undecodable: Vec::new(),
                    });
                }
                Err(Error::UndecodableOrganizations { records, .. }) => {
                    return Ok(Collected {
                        items,
                        undecodable: records,
                    });
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// What [`OrganizationLister::collect_all_with`] read.
#[derive(Debug)]
pub struct Collected<T> {
    /// What `convert` made of every organization, in listing order.
    pub items: Vec<T>,
    /// The records that could not be decoded as organizations (see
    /// [`Error::UndecodableOrganizations`]), in listing order.
    pub undecodable: Vec<UndecodableOrganization>,
}

/// Everything read: the organizations, or the error naming the bad records and carrying them.
fn finish(
    organizations: Vec<Organization>,
    records: Vec<UndecodableOrganization>,
) -> Result<Vec<Organization>> {
    if records.is_empty() {
        Ok(organizations)
    } else {
        Err(Error::UndecodableOrganizations {
            records,
            organizations,
        })
    }
}

/// How many times a listing that keeps changing is read again before
/// [`Error::ListingChanged`](Error::ListingChanged).
pub const MAX_LISTING_PASSES: u32 = 20;

/// Walks a listing page by page. After an error, the next call retries the same page.
///
/// Offset pages are not a snapshot: when organizations leave the listing while it is read (a
/// lock lifted while listing `locked_by: partner`), every later page shifts and some would
/// never be seen. The cursor notices (the total drops, or a page ends short of it) and reads
/// the listing again from the first page, returning only organizations it has not returned
/// yet, until a pass sees no change: at most [`MAX_LISTING_PASSES`] passes, then
/// [`Error::ListingChanged`](Error::ListingChanged). A page holding only organizations
/// already read in the same pass (a server or proxy that ignores `page`) is also that error.
///
/// A record that cannot be decoded as an organization is left out of the pages returned (and
/// listed in their `undecodable`); once the listing is exhausted, the cursor fails once with
/// [`Error::UndecodableOrganizations`] naming every such record, then returns `None`.
#[derive(Debug)]
pub struct PageCursor {
    lister: OrganizationLister,
    /// Every ID returned so far, over all passes.
    yielded: HashSet<String>,
    pass: Pass,
    /// What the last changed pass saw: (organizations, last total).
    previous_pass: Option<(u64, Option<u64>)>,
    passes: u32,
    total_seen: Option<u64>,
    done: bool,
    /// Records that could not be decoded, reported once the listing is exhausted.
    undecodable: Vec<UndecodableOrganization>,
    reported: bool,
}

/// One reading of the listing from its first page.
#[derive(Debug)]
struct Pass {
    next: u32,
    ids: HashSet<String>,
    count: u64,
    last_total: Option<u64>,
    /// Organizations left the listing while this pass read it.
    shrank: bool,
}

impl Default for Pass {
    fn default() -> Self {
        Pass {
            next: 1,
            ids: HashSet::new(),
            count: 0,
            last_total: None,
            shrank: false,
        }
    }
}

impl PageCursor {
    /// The next page (without organizations already returned), or `None` once the listing is
    /// exhausted.
    pub async fn next_page(&mut self) -> Result<Option<OrganizationPage>> {
        while !self.done {
            let number = self.pass.next;
            let mut page = self.lister.page(number).await?;
            let got = page.records() as u64;
            let page_ids: Vec<&String> = page
                .organizations
                .iter()
                .map(|o| &o.id)
                .chain(page.undecodable.iter().filter_map(|u| u.id.as_ref()))
                .collect();
            if !page_ids.is_empty() && page_ids.iter().all(|id| self.pass.ids.contains(*id)) {
                return Err(Error::ListingChanged {
                    message: format!(
                        "page {number} holds only organizations already read from earlier pages \
                         (does a proxy ignore the page parameter?)"
                    ),
                });
            }
            let total = page.total_count;
            let pass = &mut self.pass;
            pass.ids.extend(page_ids.into_iter().cloned());
            for bad in &page.undecodable {
                let seen = self.undecodable.iter().any(|u| match (&u.id, &bad.id) {
                    (Some(a), Some(b)) => a == b,
                    _ => (u.page, u.index) == (bad.page, bad.index),
                });
                if !seen {
                    self.undecodable.push(bad.clone());
                }
            }
            pass.next += 1;
            pass.count += got;
            if number > 1 && matches!((pass.last_total, total), (Some(a), Some(b)) if b < a) {
                pass.shrank = true;
            }
            pass.last_total = total;
            let short = got < u64::from(page.page_size);
            // Past the total is only trusted when this pass saw it hold; a short page always ends.
            let ended = short || (!pass.shrank && total == Some(pass.count));
            self.total_seen = total;
            page.organizations
                .retain(|o| self.yielded.insert(o.id.clone()));
            if ended {
                self.end_pass()?;
            }
            if !page.organizations.is_empty() {
                return Ok(Some(page));
            }
        }
        if !self.reported && !self.undecodable.is_empty() {
            self.reported = true;
            return Err(Error::UndecodableOrganizations {
                records: std::mem::take(&mut self.undecodable),
                organizations: Vec::new(),
            });
        }
        Ok(None)
    }

    /// Ends the current pass: done, or a new pass when organizations may have been missed.
    fn end_pass(&mut self) -> Result<()> {
        let pass = std::mem::take(&mut self.pass);
        let short_of_total = pass.last_total.is_some_and(|t| pass.count < t);
        let seen = (pass.count, pass.last_total);
        // A second pass that sees exactly what the first saw: stable (a total that is simply
        // wrong does not change either).
        if !(pass.shrank || short_of_total) || self.previous_pass == Some(seen) {
            self.done = true;
            return Ok(());
        }
        if self.passes >= MAX_LISTING_PASSES {
            return Err(Error::ListingChanged {
                message: format!(
                    "organizations kept leaving the listing over {} passes; collect the IDs \
                     first (or use the bulk methods) and act on them afterwards",
                    self.passes
                ),
            });
        }
        tracing::warn!(
            pass = self.passes,
            read = pass.count,
            total = pass.last_total,
            "organizations left the listing while it was read; reading it again from the first \
             page for the ones it shifted past"
        );
        self.previous_pass = Some(seen);
        self.passes += 1;
        Ok(())
    }

    /// The total number of matches the last page announced.
    pub fn total(&self) -> Option<u64> {
        self.total_seen
    }
}
