//! The exclusion of creates per customer among every client of this process: one async mutex
//! per customer name, in a registry beside the pacer's, whose entries die with their last user.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use tokio::sync::OwnedMutexGuard;

type Entries = HashMap<String, Weak<tokio::sync::Mutex<()>>>;

fn registry() -> &'static Mutex<Entries> {
    static REGISTRY: OnceLock<Mutex<Entries>> = OnceLock::new();
    REGISTRY.get_or_init(Mutex::default)
}

/// Held by the one caller of this process creating for a customer.
#[derive(Debug)]
pub(crate) struct Guard {
    _held: OwnedMutexGuard<()>,
}

/// Waits to hold `name` in this process. Waiters are served in the order they came (tokio's
/// mutex is fair); dropping the future leaves the queue.
pub(crate) async fn lock(name: &str) -> Guard {
    let mutex = {
        let mut entries = registry().lock().expect("customer registry lock");
        // Names are hashes of one shape: the entries of finished calls go here, so that the
        // map never holds more than the callers at work.
        entries.retain(|_, m| m.strong_count() > 0);
        match entries.get(name).and_then(Weak::upgrade) {
            Some(m) => m,
            None => {
                let m = Arc::new(tokio::sync::Mutex::new(()));
                entries.insert(name.to_owned(), Arc::downgrade(&m));
                m
            }
        }
    };
    Guard {
        _held: mutex.lock_owned().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_per_name_and_entries_die_with_their_users() {
        let a = lock("customer-a").await;
        // Another name is free.
        let _b = lock("customer-b").await;
        let waiting = tokio::spawn(async { lock("customer-a").await });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(a);
        drop(waiting.await.unwrap());
        // The next call sweeps the entries nobody holds.
        drop(lock("customer-c").await);
        assert!(!registry().lock().unwrap().contains_key("customer-a"));
    }
}
