//! The same operation on many organizations: bounded concurrency under the client's pacer, one
//! result per ID in input order; a failure of one never hides the others.

use std::future::Future;

use futures::StreamExt;

use crate::client::Client;
use crate::error::Result;
use crate::models::Organization;
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

    async fn each<I, S, F, Fut>(&self, ids: I, op: F) -> Vec<Result<Organization>>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
        F: Fn(Client, String) -> Fut,
        Fut: Future<Output = Result<Organization>>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        let total = ids.len() as u64;
        let mut results: Vec<Option<Result<Organization>>> = (0..ids.len()).map(|_| None).collect();
        let mut done = 0;
        let mut running = futures::stream::iter(ids.into_iter().enumerate())
            .map(|(i, id)| {
                let fut = op(self.client.clone(), id);
                async move { (i, fut.await) }
            })
            .buffer_unordered(self.concurrency);
        while let Some((i, result)) = running.next().await {
            results[i] = Some(result);
            done += 1;
            progress::report(&self.progress, done, Some(total));
        }
        results
            .into_iter()
            .map(|r| r.expect("every index is filled once"))
            .collect()
    }
}
