//! The same operation on many organizations: bounded concurrency under the client's pacer, one
//! result per ID in input order; a failure of one never hides the others.

use std::collections::HashMap;
use std::future::Future;

use futures::StreamExt;

use crate::client::{Client, Ensured};
use crate::error::Result;
use crate::models::{CreateOrganizationRequest, Organization};
use crate::progress::{self, ProgressFn};

/// Bulk operations, from [`Client::bulk`].
///
/// ```no_run
/// # async fn demo(client: scaleway_partner::Client, ids: Vec<String>) {
/// use scaleway_partner::ProgressFn;
/// let results = client
///     .bulk()
///     .concurrency(4)
///     .on_progress(ProgressFn::new(|p| eprintln!("{}/{}", p.done, p.total.unwrap_or(0))))
///     .lock(ids.clone())
///     .await;
/// for (id, result) in ids.iter().zip(&results) {
///     match result {
///         Ok(org) => println!("{id}: {}", org.status),
///         Err(e) => println!("{id}: failed: {e}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Bulk {
    client: Client,
    concurrency: usize,
    progress: Option<ProgressFn>,
}

impl Client {
    /// Bulk operations with this client's `bulk_concurrency`.
    pub fn bulk(&self) -> Bulk {
        Bulk {
            concurrency: self.settings().bulk_concurrency,
            client: self.clone(),
            progress: None,
        }
    }

    /// Locks every organization; one result per ID, in input order.
    pub async fn lock_organizations<I, S>(&self, ids: I) -> Vec<Result<Organization>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bulk().lock(ids).await
    }

    /// Unlocks every organization; one result per ID, in input order.
    pub async fn unlock_organizations<I, S>(&self, ids: I) -> Vec<Result<Organization>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bulk().unlock(ids).await
    }

    /// Gets every organization; one result per ID, in input order.
    pub async fn get_organizations<I, S>(&self, ids: I) -> Vec<Result<Organization>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bulk().get(ids).await
    }

    /// Ensures every organization (see [`Client::ensure_organization`]); one result per
    /// request, in input order.
    pub async fn ensure_organizations(
        &self,
        requests: impl IntoIterator<Item = CreateOrganizationRequest>,
    ) -> Vec<Result<Ensured>> {
        self.bulk().ensure(requests).await
    }
}

impl Bulk {
    /// Organizations handled at once (all calls still share the client's rate budget).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Called after each organization with how many are done.
    #[must_use]
    pub fn on_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Locks every organization.
    pub async fn lock<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        ids: I,
    ) -> Vec<Result<Organization>> {
        self.each(ids, |c, id| async move {
            c.lock_organization(id.as_str()).await
        })
        .await
    }

    /// Unlocks every organization.
    pub async fn unlock<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        ids: I,
    ) -> Vec<Result<Organization>> {
        self.each(ids, |c, id| async move {
            c.unlock_organization(id.as_str()).await
        })
        .await
    }

    /// Gets every organization.
    pub async fn get<I: IntoIterator<Item = S>, S: Into<String>>(
        &self,
        ids: I,
    ) -> Vec<Result<Organization>> {
        self.each(
            ids,
            |c, id| async move { c.get_organization(id.as_str()).await },
        )
        .await
    }

    /// Ensures every organization (see [`Client::ensure_organization`]). Requests that share a
    /// `customer_id` are handled one after the other, so that a batch never races itself into
    /// a duplicate: the first creates, the next find it. Progress counts a group when it is done.
    pub async fn ensure(
        &self,
        requests: impl IntoIterator<Item = CreateOrganizationRequest>,
    ) -> Vec<Result<Ensured>> {
        let mut groups: Vec<Vec<(usize, CreateOrganizationRequest)>> = Vec::new();
        let mut by_customer: HashMap<String, usize> = HashMap::new();
        let mut total = 0;
        for (i, request) in requests.into_iter().enumerate() {
            total += 1;
            // Requests without a customer_id fail validation on their own: no grouping.
            let Some(customer_id) = request.customer_id.clone() else {
                groups.push(vec![(i, request)]);
                continue;
            };
            match by_customer.get(&customer_id) {
                Some(&g) => groups[g].push((i, request)),
                None => {
                    by_customer.insert(customer_id, groups.len());
                    groups.push(vec![(i, request)]);
                }
            }
        }
        self.run_all(total, groups, |client, group| async move {
            let mut out = Vec::with_capacity(group.len());
            for (i, request) in group {
                out.push((i, client.ensure_organization(request).await));
            }
            out
        })
        .await
    }

    async fn each<I, S, F, Fut>(&self, ids: I, op: F) -> Vec<Result<Organization>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
        F: Fn(Client, String) -> Fut,
        Fut: Future<Output = Result<Organization>>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        let op = &op;
        self.run_all(
            ids.len(),
            ids.into_iter().enumerate(),
            |client, (i, id)| async move { vec![(i, op(client, id).await)] },
        )
        .await
    }

    /// Runs `op` on every unit of work (a unit gives one or more indexed results) with bounded
    /// concurrency; the results of all `total` indices, in index order.
    async fn run_all<U, T, F, Fut>(
        &self,
        total: usize,
        units: impl IntoIterator<Item = U>,
        op: F,
    ) -> Vec<Result<T>>
    where
        F: Fn(Client, U) -> Fut,
        Fut: Future<Output = Vec<(usize, Result<T>)>>,
    {
        let mut results: Vec<Option<Result<T>>> = (0..total).map(|_| None).collect();
        let mut done = 0;
        let mut running = futures::stream::iter(units)
            .map(|unit| op(self.client.clone(), unit))
            .buffer_unordered(self.concurrency);
        while let Some(finished) = running.next().await {
            for (i, result) in finished {
                results[i] = Some(result);
                done += 1;
            }
            progress::report(&self.progress, done, Some(total as u64));
        }
        results
            .into_iter()
            .map(|r| r.expect("every index is filled once"))
            .collect()
    }
}
