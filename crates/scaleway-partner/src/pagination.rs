//! Listing: one page, a lazy cursor or stream, or everything at once with bounded concurrency.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};

use futures::future::BoxFuture;
use futures::stream::FuturesOrdered;
use futures::{FutureExt, Stream, StreamExt, TryStreamExt};
use reqwest::Method;
use tracing::Instrument;

use crate::client::Client;
use crate::error::{Error, Result, UndecodableOrganization};
use crate::models::{ListOrganizationsRequest, OrderBy, Organization, OrganizationPage};
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
    /// `page_concurrency` by default), and one more than a [`cursor`](Self::cursor) or
    /// [`stream`](Self::stream) reads ahead (1 reads no page ahead), so that both keep as many
    /// requests on their way. All of them still go through the client's pacer.
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
    /// An answer that contradicts itself (no `organizations` list, more records than asked or
    /// than its total allows, an empty page within its total, an ID twice, records out of the
    /// order asked) is retried like a failed read, then [`Error::UnexpectedResponse`].
    pub async fn page(&self, page: u32) -> Result<OrganizationPage> {
        if page == 0 {
            return Err(Error::validation(
                "page",
                "must be 1 or more (pages are 1-based)",
            ));
        }
        self.window(Window {
            page,
            size: self.request.effective_page_size(),
        })
        .await
    }

    /// One window of the listing, within the call's total timeout.
    async fn window(&self, w: Window) -> Result<OrganizationPage> {
        self.client
            .run("list_organizations", None, self.fetch(w))
            .await
    }

    async fn fetch(&self, w: Window) -> Result<OrganizationPage> {
        let req = Request::new(
            "list_organizations",
            Method::GET,
            crate::client::ORGANIZATIONS_PATH.to_owned(),
        )
        .query(self.request.query(w.page, w.size));
        let mut retry = 0;
        loop {
            let raw = self.client.send_idempotent(&req).await.result?;
            let page = raw.organization_page(w.page).and_then(
                |(organizations, undecodable, total_count)| {
                    let page = OrganizationPage {
                        organizations,
                        undecodable,
                        total_count,
                        page: w.page,
                        page_size: w.size,
                    };
                    match self.contradiction(w, &page) {
                        Some(message) => Err(raw.unexpected(message)),
                        None => Ok(page),
                    }
                },
            );
            match page {
                // A read: asking again is safe, and a proxy's glitch may be gone.
                Err(e @ Error::UnexpectedResponse { .. }) => {
                    self.client.wait_before_retry(&req, retry, e).await?;
                    retry += 1;
                }
                other => return other,
            }
        }
    }

    /// What makes this answer to window `w` impossible from an honest server, if anything.
    fn contradiction(&self, w: Window, page: &OrganizationPage) -> Option<String> {
        let got = page.records() as u64;
        if got > u64::from(w.size) {
            return Some(format!(
                "{got} records on a page of {} asked (the page size is ignored)",
                w.size
            ));
        }
        if let Some(total) = page.total_count {
            if got > 0 && w.start() + got > total {
                return Some(format!(
                    "page {} of {} holds {got} records, more than its total_count {total} allows",
                    w.page, w.size
                ));
            }
            if got == 0 && w.start() < total {
                return Some(format!(
                    "page {} of {} is empty although its total_count {total} says it is not",
                    w.page, w.size
                ));
            }
        }
        let ids: Vec<_> = ordered(page).into_iter().map(|(id, _)| id).collect();
        let mut seen = HashSet::with_capacity(ids.len());
        if let Some(twice) = ids.iter().flatten().find(|id| !seen.insert(*id)) {
            return Some(format!("organization {twice} appears twice on one page"));
        }
        let descending = self.request.order_by == Some(OrderBy::CreatedAtDesc);
        let times: Vec<_> = page
            .organizations
            .iter()
            .filter_map(|o| o.created_at)
            .collect();
        let misplaced = times
            .windows(2)
            .position(|t| if descending { t[0] < t[1] } else { t[0] > t[1] });
        misplaced.map(|i| {
            format!(
                "the records are not in the order asked ({}): {} comes before {}",
                if descending {
                    "newest first"
                } else {
                    "oldest first"
                },
                times[i],
                times[i + 1]
            )
        })
    }

    /// A cursor that fetches the next page only when asked.
    pub fn cursor(&self) -> PageCursor {
        let asked = self.request.effective_page_size();
        PageCursor {
            lister: self.clone(),
            asked,
            // Room to overlap the previous page and still bring about `page_size` new ones.
            max: asked
                .saturating_mul(2)
                .clamp(asked, MAX_PAGE_SIZE.max(asked)),
            cap: None,
            idle: 0,
            plan: Window::first(asked),
            chain: None,
            backed_off: false,
            yielded: HashSet::new(),
            restarts: 0,
            stale: 0,
            total_seen: None,
            done: false,
            undecodable: Vec::new(),
            reported: false,
            strict: true,
            ahead: ReadAhead::default(),
            read_ahead: self.concurrency.saturating_sub(1),
            calls: 0,
        }
    }

    /// The organizations, lazily: pages are read as the previous ones are used up, with the
    /// cursor's read-ahead.
    pub fn stream(&self) -> impl Stream<Item = Result<Organization>> + Send + 'static {
        futures::stream::try_unfold(self.cursor(), |mut cursor| async move {
            Ok::<_, crate::Error>(cursor.next_page().await?.map(|page| (page, cursor)))
        })
        .map_ok(|page| futures::stream::iter(page.organizations.into_iter().map(Ok)))
        .try_flatten()
    }

    /// Every matching organization, each once: in the listing's order when nothing changes
    /// while it is read. The same proof as the [`PageCursor`]'s, with the pages that the
    /// first page's `total_count` predicts fetched several at a time; when the listing
    /// changed under them (a page does not overlap the previous one where expected), the
    /// pages fetched ahead are dropped and the reading goes on from the last proven page.
    ///
    /// Records that cannot be decoded as organizations do not lose the others: the call then
    /// fails with [`Error::UndecodableOrganizations`], which names each bad record (page,
    /// position, ID) and carries every organization that was decoded.
    pub async fn collect_all(&self) -> Result<Vec<Organization>> {
        let Collected { items, undecodable } = self.collect_all_with(|page| page).await?;
        finish(items, undecodable)
    }

    /// [`collect_all`](Self::collect_all), handing each page's new organizations to
    /// `convert` as soon as the page is read, so that a binding builds its own objects page by
    /// page instead of holding every organization twice at the end. Each organization is
    /// converted once, even when the listing changes while it is read. Undecodable records are
    /// returned beside the items, not as an error.
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
        let mut cursor = self.cursor();
        let mut items = Vec::new();
        let mut read = 0;
        let mut take = |page: OrganizationPage, items: &mut Vec<T>| {
            read += page.organizations.len() as u64;
            items.extend(convert(page.organizations));
            read
        };
        while !cursor.done {
            let ahead = cursor.predict(usize::MAX);
            if ahead.len() < 2 {
                let w = cursor.plan;
                let page = self.fetch(w).await?;
                if let Some(page) = cursor.accept(w, page)? {
                    let read = take(page, &mut items);
                    progress::report(&self.progress, read, cursor.total()).await?;
                }
                continue;
            }
            let mut pages = futures::stream::iter(ahead)
                .map(|w| async move { self.fetch(w).await.map(|page| (w, page)) })
                .buffered(self.concurrency);
            // In order; once the cursor asks for another window than predicted, the pages
            // fetched ahead are of no use (dropping the stream abandons them: reads change
            // nothing).
            while let Some((w, page)) = pages.try_next().await? {
                if w != cursor.plan || cursor.done {
                    break;
                }
                if let Some(page) = cursor.accept(w, page)? {
                    let read = take(page, &mut items);
                    progress::report(&self.progress, read, cursor.total()).await?;
                }
            }
        }
        Ok(Collected {
            items,
            undecodable: std::mem::take(&mut cursor.undecodable),
        })
    }
}

/// The ID and creation instant of each of a page's records, in the page's order (an
/// undecodable record has no instant, and an ID only when it had one).
fn ordered(page: &OrganizationPage) -> Vec<(Option<String>, Option<DateTime<Utc>>)> {
    let mut decoded = page.organizations.iter();
    let mut bad = page.undecodable.iter().peekable();
    (0..page.records())
        .map(|i| match bad.peek() {
            Some(b) if b.index == i => (bad.next().and_then(|b| b.id.clone()), None),
            _ => decoded
                .next()
                .map_or((None, None), |o| (Some(o.id.clone()), o.created_at)),
        })
        .collect()
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

/// How many times in a row a listing that keeps changing is read again from its first page
/// without finding any organization not yet returned, before
/// [`Error::ListingChanged`](Error::ListingChanged).
pub const MAX_LISTING_PASSES: u32 = 20;

/// How far before the end of the last page read the next one may start: the overlap that
/// proves the boundary, chosen among the page sizes and numbers that make one.
const MAX_OVERLAP: u64 = 20;

/// Full pages in a row that hold exactly the records of the page before, for another page (a
/// server that ignores `page`), before [`Error::ListingChanged`].
const MAX_STALE_PAGES: u32 = 3;

/// A page as asked: records `[(page - 1) * size, page * size)` of the listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    page: u32,
    size: u32,
}

impl Window {
    fn first(size: u32) -> Window {
        Window { page: 1, size }
    }

    fn start(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.size)
    }

    fn end(self) -> u64 {
        self.start() + u64::from(self.size)
    }

    /// The page that holds record `from - 1` (the proof: the page before's last record older
    /// than its last instant; the listing's start when `from` is 0), starts at most
    /// [`MAX_OVERLAP`] records before `from` and reaches furthest past `end`, of at most `max`
    /// records: offset pages start at a multiple of their size, so the size is what chooses the
    /// overlap. When no size up to `max` moves on, the smallest larger one that does (a server
    /// that `caps` its pages serves no more than that of it); none when no page can.
    fn after(from: u64, end: u64, max: u32, cap: Option<u32>) -> Option<Window> {
        let moving = |size: u32| {
            let start = from.saturating_sub(1) / u64::from(size) * u64::from(size);
            let w = Window {
                page: u32::try_from(start / u64::from(size) + 1).ok()?,
                size,
            };
            let reach = start + u64::from(cap.map_or(size, |c| c.min(size)));
            (start + MAX_OVERLAP >= from && reach > end).then_some((reach, w))
        };
        (2..=max)
            .filter_map(moving)
            .max_by_key(|&(reach, w)| (reach, w.size))
            .or_else(|| (max.max(2)..=MAX_PAGE_SIZE).find_map(moving))
            .map(|(_, w)| w)
    }
}

/// The largest page the API serves.
const MAX_PAGE_SIZE: u32 = 100;

/// Pages asked ahead by a [`PageCursor`], in the order it will read them, each with the call
/// of [`next_page`](PageCursor::next_page) that asked it. Dropping them aborts them (reads
/// change nothing).
#[derive(Default)]
struct ReadAhead {
    windows: VecDeque<(Window, u64)>,
    pages: FuturesOrdered<BoxFuture<'static, Result<OrganizationPage>>>,
}

impl ReadAhead {
    /// Asks for `w` in call `call`: first, or after those on their way. In a task of its own,
    /// so that it goes on while the caller uses the pages before it.
    fn ask(&mut self, lister: &OrganizationLister, w: Window, call: u64, first: bool) {
        let lister = lister.clone();
        let task = tokio::spawn(async move { lister.window(w).await }.in_current_span());
        let page = async move {
            match Aborting(task).await {
                Ok(page) => page,
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                // The runtime is shutting down.
                Err(_) => Err(Error::cancelled()),
            }
        }
        .boxed();
        if first {
            self.pages.push_front(page);
            self.windows.push_front((w, call));
        } else {
            self.pages.push_back(page);
            self.windows.push_back((w, call));
        }
    }

    fn clear(&mut self) {
        self.windows.clear();
        self.pages = FuturesOrdered::new();
    }
}

/// A task aborted when its handle is dropped.
struct Aborting<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Aborting<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> std::future::Future for Aborting<T> {
    type Output = std::result::Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

impl std::fmt::Debug for ReadAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.windows.iter().map(|(w, _)| w))
            .finish()
    }
}

/// Walks a listing page by page. After an error, the next call retries the same page.
///
/// **Every organization that matches the filters for the whole read is returned exactly once,
/// or the read fails with [`Error::ListingChanged`](Error::ListingChanged)** (or
/// [`Error::UnexpectedResponse`](Error::UnexpectedResponse) for a server whose answers
/// contradict themselves). Organizations that join or leave the listing while it is read may
/// be returned or not, never twice.
///
/// Offset pages are not a snapshot: an organization leaving the listing before the cursor
/// shifts every later one back, and a page read afterwards would start past some never seen. So
/// the cursor does not infer completeness from `total_count`: it proves it at every page
/// boundary. Each page is asked so that it overlaps the previous one (page sizes and numbers
/// chosen so that it starts up to 20 records before the previous page's end: after a first page
/// of `page_size`, pages of up to twice `page_size`, at most 100, and at least 2); the latest
/// record of the previous page found in the new one, if it is older than that page's last
/// instant (organizations created at one instant may come in another order in each answer, so
/// pages overlap by two records or more), proves that nothing slipped between them, whatever
/// moved; a first page proves itself. When none is there, the cursor reads a page further back,
/// then, if that does not find one either, the listing again from its first page, returning
/// only organizations not returned yet. Pages with no overlap are never trusted; a server that
/// caps pages below the size asked (its `total_count` says more) is read in pages of the size
/// it serves. The listing ends only on a page shorter than asked (and than the server's cap): a
/// full page is followed by one more even when its total says nothing follows (a total that
/// lies low must not cut records off), and a short page whose proof is not where the page
/// before implies is placed where its proof puts it: one that reaches its total only where it
/// was asked (it started before, and was cut) is not the end, the next page tells. Reading
/// again from the first page is bounded: after [`MAX_LISTING_PASSES`] such passes in a row that
/// found nothing new, and when full pages keep bringing nothing past the record that proves
/// them (a server that ignores `page`), the read fails with
/// [`Error::ListingChanged`](Error::ListingChanged). Organizations come in the listing's order
/// when nothing changes, in the order they were found otherwise.
///
/// While the caller uses a page, the cursor has the next ones it predicts (from the last
/// `total_count`, as [`collect_all`](OrganizationLister::collect_all) does) on their way: up
/// to the lister's [`concurrency`](OrganizationLister::concurrency) less one (3 by default), so
/// that it reads as fast as `collect_all`. Each is still proven by the page
/// before it when its turn comes; a prediction the listing proved wrong is dropped. When nothing
/// changes, no page is asked that would not be read; a caller that stops reading has asked at
/// most that many pages it did not use, and none is asked once the cursor is dropped. A page
/// asked ahead whose request failed is asked again when its turn comes (its deadline may have
/// run out while the caller used the pages before it); a failure of that second request is
/// the call's.
///
/// What the proof rests on: the listing is ordered by creation time, which never changes, and
/// each answer is a contiguous slice of it (more than 20 organizations created at one instant
/// are taken to come in the same order in every answer; fewer may not, and a server that serves
/// pages too small to overlap by two records is refused with `ListingChanged`). Answers that
/// visibly break this (records out of the order asked, an ID twice on a page, more records than
/// the page or the total allows, no `organizations` list) are
/// [`Error::UnexpectedResponse`](Error::UnexpectedResponse).
///
/// A record that cannot be decoded as an organization is left out of the pages returned (and
/// listed in their `undecodable`); once the listing is exhausted, the cursor fails once with
/// [`Error::UndecodableOrganizations`] naming every such record, then returns `None`.
#[derive(Debug)]
pub struct PageCursor {
    lister: OrganizationLister,
    /// `page_size`: the size of a first page.
    asked: u32,
    /// The largest page asked for after a first one: twice `page_size` (at most 100), or what
    /// a capping server serves.
    max: u32,
    /// What a server that serves smaller pages than asked serves.
    cap: Option<u32>,
    /// Pages read since the last one that brought an organization not returned yet.
    idle: u64,
    /// The next page to read.
    plan: Window,
    /// The last page read, when its start is proven; `None`: the next page is the first.
    chain: Option<Link>,
    /// The page just read did not overlap the last one, and `plan` looks further back.
    backed_off: bool,
    /// Every ID returned so far, over all passes.
    yielded: HashSet<String>,
    /// Passes from the first page in a row that found nothing new.
    restarts: u32,
    /// Full pages in a row identical to the page before.
    stale: u32,
    total_seen: Option<u64>,
    done: bool,
    /// Records that could not be decoded, reported once the listing is exhausted.
    undecodable: Vec<UndecodableOrganization>,
    reported: bool,
    /// The last page read is proven by a record older than its last instant (see `Link`).
    strict: bool,
    /// The pages on their way, the first being `plan`.
    ahead: ReadAhead,
    /// How many pages past `plan` may be on their way.
    read_ahead: usize,
    /// Calls of `next_page` so far.
    calls: u64,
}

/// The last page read: its records' IDs in order, where it was asked and where it was found.
#[derive(Debug)]
struct Link {
    ids: HashMap<String, usize>,
    /// Where its last instant starts: the records from there on were created at the same
    /// instant as its last one, and another answer may order them otherwise (a sort on
    /// `created_at` alone), so only a record before them proves the next page.
    tied_from: usize,
    start: u64,
    end: u64,
    /// Where its records were found: `start`, unless its proof was found elsewhere than the
    /// page before implied (then where the proof puts it).
    found: u64,
}

impl PageCursor {
    /// The next page (without organizations already returned), or `None` once the listing is
    /// exhausted.
    pub async fn next_page(&mut self) -> Result<Option<OrganizationPage>> {
        self.calls += 1;
        while !self.done {
            self.send_ahead();
            let page = self
                .ahead
                .pages
                .next()
                .await
                .expect("the plan is on its way");
            // Taken only once its page came: a call abandoned while waiting leaves both.
            let (w, asked_in) = self.ahead.windows.pop_front().expect("one window per page");
            let page = match page {
                Ok(page) => page,
                // Asked in an earlier call, it may have outlived its deadline while the
                // caller used the pages before it: asked again, now.
                Err(_) if asked_in < self.calls => {
                    self.ahead.ask(&self.lister, w, self.calls, true);
                    continue;
                }
                Err(e) => {
                    self.ahead.clear();
                    return Err(e);
                }
            };
            match self.accept(w, page) {
                Ok(Some(page)) => return Ok(Some(page)),
                Ok(None) => {}
                Err(e) => {
                    self.ahead.clear();
                    return Err(e);
                }
            }
        }
        self.ahead.clear();
        if !self.reported && !self.undecodable.is_empty() {
            self.reported = true;
            return Err(Error::UndecodableOrganizations {
                records: std::mem::take(&mut self.undecodable),
                organizations: Vec::new(),
            });
        }
        Ok(None)
    }

    /// The total number of matches the last page announced.
    pub fn total(&self) -> Option<u64> {
        self.total_seen
    }

    /// Puts `plan` and the pages predicted after it on their way, keeping those already on
    /// their way while they are still the ones predicted.
    fn send_ahead(&mut self) {
        let predicted = self.predict(1 + self.read_ahead);
        let kept = self.ahead.windows.iter().map(|(w, _)| w);
        if !kept.zip(&predicted).all(|(a, b)| a == b) || self.ahead.windows.len() > predicted.len()
        {
            self.ahead.clear();
        }
        for &w in &predicted[self.ahead.windows.len()..] {
            self.ahead.ask(&self.lister, w, self.calls, false);
        }
    }

    /// The pages this cursor will ask for if nothing changes, from the next one to the end the
    /// last total announced (just the next one while there is no total), `limit` at most.
    fn predict(&self, limit: usize) -> Vec<Window> {
        let mut ahead = vec![self.plan];
        let (Some(total), Some(_)) = (self.total_seen, &self.chain) else {
            return ahead;
        };
        if self.backed_off {
            return ahead;
        }
        let mut w = self.plan;
        // A full page is never the end (see `accept`): the page after one that reaches the
        // total is predicted too.
        while ahead.len() < limit && w.end() <= total {
            // Its last record's instant is its own (or, as in the page before, in a run too
            // long to reach before), when nothing changes.
            let from = w.end() - u64::from(self.strict);
            let Some(next) = Window::after(from, w.end(), self.max, self.cap) else {
                break;
            };
            w = next;
            ahead.push(w);
        }
        ahead
    }

    /// Takes the answer to `w` (which must be `self.plan`): the page of organizations not
    /// returned yet, if any, and the next page to read.
    fn accept(
        &mut self,
        w: Window,
        mut page: OrganizationPage,
    ) -> Result<Option<OrganizationPage>> {
        debug_assert_eq!(w, self.plan);
        let got = page.records() as u64;
        let total = page.total_count;
        self.total_seen = total;
        self.idle += 1;
        // Honest reading never comes near: a pass from the first page walks over what was
        // returned at most once per restart allowed.
        let pass = self.yielded.len() as u64 / u64::from(self.max.max(2) - 1) + 2;
        if self.idle > 2 * u64::from(MAX_LISTING_PASSES + 1) * pass {
            return Err(Error::ListingChanged {
                message: format!(
                    "{} pages in a row brought nothing new while the listing kept moving under \
                     them",
                    self.idle
                ),
            });
        }
        for bad in &page.undecodable {
            let seen = self.undecodable.iter().any(|u| match (&u.id, &bad.id) {
                (Some(a), Some(b)) => a == b,
                _ => (u.page, u.index) == (bad.page, bad.index),
            });
            if !seen {
                self.undecodable.push(bad.clone());
            }
        }
        let (ids, instants): (Vec<_>, Vec<_>) = ordered(&page).into_iter().unzip();
        // Where the proof of this page's start is: after the start of the listing, or after
        // the latest record of the last page found here, in the same order. And where the page
        // was found: where it was asked, unless its proof is elsewhere than the page before
        // implies (records moved, or a server that does not start pages where asked); then
        // where the proof puts it.
        let (anchor, found) = match &self.chain {
            // A first page starts at the listing's start, whatever came before.
            Some(_) if w.start() > 0 => {
                let link = self.chain.as_ref().expect("matched");
                let mut proof: Option<(usize, usize)> = None;
                let mut last = None;
                let mut in_order = true;
                for (i, id) in ids.iter().enumerate() {
                    if let Some(&k) = id.as_ref().and_then(|id| link.ids.get(id)) {
                        in_order &= last.is_none_or(|last| k > last);
                        last = Some(k);
                        if k < link.tied_from {
                            proof = Some((i, k));
                        }
                    }
                }
                match proof.filter(|_| in_order) {
                    Some((i, k)) => {
                        let expected = (link.start + k as u64).checked_sub(w.start());
                        let found = if expected == Some(i as u64) {
                            w.start()
                        } else {
                            (link.found + k as u64).saturating_sub(i as u64)
                        };
                        (Some(Some(i)), found)
                    }
                    None => (None, w.start()),
                }
            }
            _ => (Some(None), w.start()),
        };
        let Some(anchor) = anchor else {
            self.lost(w)?;
            return Ok(None);
        };
        let after = anchor.map_or(0, |i| i + 1);
        // Organizations past the proof, in order, minus those already returned.
        let positions: HashSet<&str> = ids[after..].iter().flatten().map(String::as_str).collect();
        page.organizations
            .retain(|o| positions.contains(o.id.as_str()) && self.yielded.insert(o.id.clone()));
        // As many records as the server serves: the size asked, or its cap once known (a page
        // cut at the cap is not the end of the listing, wherever it was asked).
        let full = got >= u64::from(self.cap.map_or(w.size, |c| c.min(w.size)));
        if page.organizations.is_empty() {
            // The same records as the page before, for another page: the page was ignored.
            let same = self.chain.as_ref().is_some_and(|link| {
                link.start != w.start()
                    && link.ids.len() == ids.len()
                    && ids
                        .iter()
                        .enumerate()
                        .all(|(i, id)| id.as_ref().and_then(|id| link.ids.get(id)) == Some(&i))
            });
            self.stale = if full && same { self.stale + 1 } else { 0 };
            if self.stale >= MAX_STALE_PAGES {
                return Err(Error::ListingChanged {
                    message: format!(
                        "{} pages in a row held the same records as the page before (does a \
                         proxy ignore the page parameter?)",
                        self.stale
                    ),
                });
            }
        } else {
            self.stale = 0;
            self.restarts = 0;
            self.idle = 0;
        }
        let end = w.start() + got;
        // The records of the page's last instant, which another answer may order otherwise:
        // the next page is proven by a record before them. A run of one instant too long for
        // that is proven by its last record (its order taken to be kept).
        match total {
            // Short of its own total: a server that serves smaller pages than asked.
            Some(total) if !full && end < total => {
                let served = u32::try_from(got).unwrap_or(u32::MAX);
                if served < 2 {
                    return Err(Error::ListingChanged {
                        message: format!(
                            "page {} of {} ends at record {end} although its total_count says \
                             {total}",
                            w.page, w.size
                        ),
                    });
                }
                tracing::debug!(asked = w.size, served, "the server serves smaller pages");
                self.max = self.max.min(served);
                self.cap = Some(self.cap.map_or(served, |c| c.min(served)));
            }
            // Short of its total where its proof puts it: cut, and started before where it was
            // asked (taking it as the end lost organizations), or the end of a listing that
            // grew before it; the next page, overlapping it, tells.
            Some(total) if !full && found + got < total => {}
            // Only a short page ends the listing: a full one, even one reaching its total, is
            // followed by one more (a total that lies low would cut the records after it off).
            _ if !full => self.done = true,
            _ => {}
        }
        // The records of the page's last instant, which another answer may order otherwise:
        // the next page is proven by a record before them (so pages overlap by two records or
        // more, and a server that serves pages too small for that is refused). A run of one
        // instant longer than a page can overlap is proven by its last record, its order taken
        // to be kept.
        let last = instants.last().copied().flatten();
        let run = instants
            .iter()
            .rev()
            .take_while(|&&t| t.is_some() && t == last)
            .count()
            .max(1);
        let strict = ids.len().saturating_sub(run);
        let (tied_from, next) = if (run as u64) < MAX_OVERLAP || ids.is_empty() {
            let from = w.start() + strict as u64;
            (strict, Window::after(from, end, self.max, self.cap))
        } else {
            (ids.len(), Window::after(end, end, self.max, self.cap))
        };
        self.strict = tied_from < ids.len() || ids.is_empty();
        self.chain = Some(Link {
            ids: ids
                .into_iter()
                .enumerate()
                .filter_map(|(i, id)| Some((id?, i)))
                .collect(),
            tied_from,
            start: w.start(),
            end,
            found,
        });
        self.backed_off = false;
        if !self.done {
            self.plan = next.ok_or_else(|| Error::ListingChanged {
                message: format!(
                    "no page can overlap page {} of {} and read further (the server serves pages \
                     of {} at most)",
                    w.page,
                    w.size,
                    self.cap.unwrap_or(self.max)
                ),
            })?;
        }
        Ok((!page.organizations.is_empty()).then_some(page))
    }

    /// Page `w` does not overlap the last one: organizations before it may have left and
    /// shifted some past it. Reads a page further back once, then the listing from its start.
    fn lost(&mut self, w: Window) -> Result<()> {
        let link = self
            .chain
            .as_ref()
            .expect("only a page after another is lost");
        let back = link.end.saturating_sub(u64::from(self.max));
        let back = Window::after(back, back, self.max, self.cap)
            .filter(|back| back.start() > 0 && *back != w);
        if let Some(back) = back.filter(|_| !self.backed_off) {
            tracing::debug!(
                page = w.page,
                "no overlap with the last page: reading further back"
            );
            self.backed_off = true;
            self.plan = back;
            return Ok(());
        }
        self.restarts += 1;
        if self.restarts > MAX_LISTING_PASSES {
            return Err(Error::ListingChanged {
                message: format!(
                    "the listing kept shifting under the pages over {MAX_LISTING_PASSES} passes \
                     that found nothing new; collect the IDs first (or use the bulk methods) and \
                     act on them afterwards"
                ),
            });
        }
        tracing::warn!(
            pass = self.restarts,
            "the listing shifted under the pages while it was read; reading it again from the \
             first page for the organizations it moved"
        );
        self.chain = None;
        self.backed_off = false;
        self.plan = Window::first(self.asked.min(self.max));
        Ok(())
    }
}
