//! The processes of one machine, coordinated through what the operating system provides:
//! advisory locks on files of a per-user runtime directory (`$XDG_RUNTIME_DIR/scaleway-partner`,
//! else `scaleway-partner-<uid>` in the temporary directory), each `0600` and named by a hash.
//!
//! - A customer's exclusion is an exclusive lock on its file, released by the operating system
//!   when the holder's process dies, however it dies: the next caller proceeds at once.
//! - A key's rate budget is GCRA state (the next free slot and a pause, in `CLOCK_MONOTONIC`
//!   nanoseconds, a clock every process of the machine shares) in a 16-byte file, read and
//!   written under its lock: one budget for every process of the machine.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use super::{Backend, Lease, Slot};
use crate::error::{Error, Result};

/// The longest wait between two tries of a busy customer lock: how late, at most, a waiter
/// notices that the holder let go (or died).
const MAX_POLL: Duration = Duration::from_millis(20);

/// A budget state further ahead than this is not a queue of this machine's callers (the
/// monotonic clock restarted with the machine, a file survived in `/tmp`): it starts afresh.
const STALE_AHEAD: Duration = Duration::from_secs(3600);

/// The machine-wide engine of one runtime directory.
#[derive(Debug)]
pub(crate) struct FileBackend {
    dir: PathBuf,
    /// Budget files, open for the life of the process (whose ID is kept beside them). Each is
    /// behind a mutex: an advisory lock belongs to an open file, so two tasks of this process
    /// on one descriptor would not exclude each other.
    budgets: Mutex<(u32, BudgetFiles)>,
}

/// Open budget files by name.
type BudgetFiles = HashMap<String, Arc<Mutex<File>>>;

impl FileBackend {
    /// The engine of this user's runtime directory, one per process.
    pub(crate) fn shared(env: &dyn Fn(&str) -> Option<String>) -> Arc<dyn Backend> {
        static BACKENDS: OnceLock<Mutex<HashMap<PathBuf, Arc<FileBackend>>>> = OnceLock::new();
        let dir = runtime_dir(env);
        let mut backends = BACKENDS
            .get_or_init(Mutex::default)
            .lock()
            .expect("file backends lock");
        backends
            .entry(dir.clone())
            .or_insert_with(|| {
                Arc::new(FileBackend {
                    dir,
                    budgets: Mutex::new((std::process::id(), HashMap::new())),
                })
            })
            .clone()
    }

    /// The runtime directory, created `0700` if needed, and refused unless it is a directory
    /// of this user that nobody else may enter (another user could otherwise hold its locks).
    fn dir(&self) -> Result<&Path> {
        let failed = |e: io::Error| {
            Error::coordination(format!(
                "cannot use the lock directory {}: {e}",
                self.dir.display()
            ))
        };
        match fs::DirBuilder::new().mode(0o700).create(&self.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(failed(e)),
        }
        let meta = fs::symlink_metadata(&self.dir).map_err(failed)?;
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        if !meta.is_dir() || meta.uid() != uid || meta.mode() & 0o077 != 0 {
            return Err(Error::coordination(format!(
                "the lock directory {} is not a private directory of this user (owner {}, mode \
                 {:o}); remove it, or choose coordination=\"process\"",
                self.dir.display(),
                meta.uid(),
                meta.mode() & 0o7777
            )));
        }
        Ok(&self.dir)
    }

    fn open(&self, name: &str) -> Result<(PathBuf, File)> {
        let path = self.dir()?.join(name);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|e| {
                Error::coordination(format!("cannot open the lock file {}: {e}", path.display()))
            })?;
        Ok((path, file))
    }

    /// One try at a customer's lock.
    fn try_lock(&self, name: &str) -> Result<Option<FileLease>> {
        let (path, file) = self.open(name)?;
        match flock(&file, libc::LOCK_EX | libc::LOCK_NB) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(None),
            Err(e) => {
                return Err(Error::coordination(format!(
                    "cannot lock {}: {e}",
                    path.display()
                )));
            }
        }
        // The holder before us removes the file as it lets go: the lock is ours only if the
        // file we locked is still the one at the path.
        let same = match (file.metadata(), fs::metadata(&path)) {
            (Ok(ours), Ok(there)) => ours.dev() == there.dev() && ours.ino() == there.ino(),
            _ => false,
        };
        Ok(same.then_some(FileLease { path, file }))
    }

    /// The open budget file `name`.
    fn budget(&self, name: &str) -> Result<Arc<Mutex<File>>> {
        let mut guard = self.budgets.lock().expect("budget files lock");
        let (pid, budgets) = &mut *guard;
        // A forked child (gunicorn --preload, Celery prefork) shares its parent's open files,
        // and with them their locks: it opens its own.
        if *pid != std::process::id() {
            *pid = std::process::id();
            budgets.clear();
        }
        if let Some(file) = budgets.get(name) {
            return Ok(file.clone());
        }
        let (_, file) = self.open(name)?;
        let file = Arc::new(Mutex::new(file));
        budgets.insert(name.to_owned(), file.clone());
        Ok(file)
    }

    /// Reads, changes and writes the budget `name` under its lock.
    fn update<T>(&self, name: &str, change: impl FnOnce(&mut Budget, u64) -> T) -> Result<T> {
        let failed = |e: io::Error| Error::coordination(format!("rate budget file: {e}"));
        let file = self.budget(name)?;
        let file = file.lock().expect("budget file lock");
        flock(&file, libc::LOCK_EX).map_err(failed)?;
        let result = (|| {
            let mut bytes = [0u8; 16];
            let read = file.read_at(&mut bytes, 0)?;
            let now = monotonic_ns();
            let mut budget = if read == bytes.len() {
                Budget::from_bytes(&bytes)
            } else {
                Budget::default()
            };
            budget.forget_stale(now);
            let out = change(&mut budget, now);
            file.write_all_at(&budget.to_bytes(), 0)?;
            Ok(out)
        })();
        let _ = flock(&file, libc::LOCK_UN);
        result.map_err(failed)
    }
}

/// GCRA state of one budget, in monotonic nanoseconds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Budget {
    /// The next free slot.
    tat: u64,
    /// No slot before this.
    paused_until: u64,
}

impl Budget {
    fn from_bytes(b: &[u8; 16]) -> Budget {
        let (tat, paused) = b.split_at(8);
        Budget {
            tat: u64::from_le_bytes(tat.try_into().expect("8 bytes")),
            paused_until: u64::from_le_bytes(paused.try_into().expect("8 bytes")),
        }
    }

    fn to_bytes(self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.tat.to_le_bytes());
        b[8..].copy_from_slice(&self.paused_until.to_le_bytes());
        b
    }

    fn forget_stale(&mut self, now: u64) {
        let limit = now.saturating_add(nanos(STALE_AHEAD));
        if self.tat > limit || self.paused_until > limit {
            *self = Budget::default();
        }
    }

    /// Takes the next slot, `interval` after the one before it and never inside a pause,
    /// unless the pause lasts longer than `max_pause` from `now`.
    fn reserve(&mut self, now: u64, interval: Duration, max_pause: Duration) -> Slot {
        let pause = Duration::from_nanos(self.paused_until.saturating_sub(now));
        if pause > max_pause {
            return Slot::Paused(pause);
        }
        let at = self.tat.max(self.paused_until).max(now);
        self.tat = at.saturating_add(nanos(interval));
        Slot::In(Duration::from_nanos(at - now))
    }

    fn pause(&mut self, now: u64, pause: Duration) {
        self.paused_until = self.paused_until.max(now.saturating_add(nanos(pause)));
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// `flock(2)`: an advisory lock on the open file, which the operating system releases when
/// the last descriptor of it closes, the holder's death included.
fn flock(file: &File, operation: libc::c_int) -> io::Result<()> {
    loop {
        // SAFETY: the descriptor is open for the borrow of `file`.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// `CLOCK_MONOTONIC` in nanoseconds: one clock for every process of the machine.
fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec to write to; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64)
}

/// `$XDG_RUNTIME_DIR/scaleway-partner` (a per-user tmpfs, private by definition), else
/// `scaleway-partner-<uid>` in the temporary directory.
fn runtime_dir(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    match env("XDG_RUNTIME_DIR").filter(|d| Path::new(d).is_absolute()) {
        Some(dir) => Path::new(&dir).join("scaleway-partner"),
        None => {
            // SAFETY: getuid has no preconditions and cannot fail.
            let uid = unsafe { libc::getuid() };
            std::env::temp_dir().join(format!("scaleway-partner-{uid}"))
        }
    }
}

impl Backend for FileBackend {
    fn lock<'a>(
        &'a self,
        name: &'a str,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Box<dyn Lease>>> {
        Box::pin(async move {
            let mut wait = Duration::from_millis(1);
            loop {
                if let Some(lease) = self.try_lock(name)? {
                    return Ok(Box::new(lease) as Box<dyn Lease>);
                }
                let now = Instant::now();
                if now >= deadline {
                    return Err(Error::deadline_exceeded(Duration::ZERO));
                }
                tokio::time::sleep_until((now + wait).min(deadline)).await;
                wait = (wait * 2).min(MAX_POLL);
            }
        })
    }

    fn reserve<'a>(
        &'a self,
        name: &'a str,
        interval: Duration,
        max_pause: Duration,
    ) -> BoxFuture<'a, Result<Slot>> {
        Box::pin(std::future::ready(
            self.update(name, |b, now| b.reserve(now, interval, max_pause)),
        ))
    }

    fn pause<'a>(&'a self, name: &'a str, pause: Duration) -> BoxFuture<'a, Result<()>> {
        Box::pin(std::future::ready(
            self.update(name, |b, now| b.pause(now, pause)),
        ))
    }
}

/// A customer's lock file, locked.
#[derive(Debug)]
struct FileLease {
    path: PathBuf,
    file: File,
}

impl Lease for FileLease {
    fn confirm(&self, _margin: Duration) -> BoxFuture<'_, Result<()>> {
        // Held until released: the operating system takes it away only with the process.
        Box::pin(std::future::ready(Ok(())))
    }

    fn expires(&self) -> bool {
        false
    }

    fn release(self: Box<Self>) -> BoxFuture<'static, ()> {
        // Removed while still locked, so that the files of finished customers do not pile up;
        // a waiter that locked the removed file notices and opens the new one.
        let _ = fs::remove_file(&self.path);
        drop(self.file);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(dir: &Path) -> FileBackend {
        FileBackend {
            dir: dir.join("locks"),
            budgets: Mutex::new((std::process::id(), HashMap::new())),
        }
    }

    #[tokio::test]
    async fn a_lock_excludes_until_released_and_leaves_no_file() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (backend(tmp.path()), backend(tmp.path()));
        let held = a.lock("customer-x", Instant::now()).await.unwrap();
        // Another open file of the same path (as another process would have) cannot take it.
        assert!(b.try_lock("customer-x").unwrap().is_none());
        assert!(b.try_lock("customer-y").unwrap().is_some());
        let err = b.lock("customer-x", Instant::now()).await.unwrap_err();
        assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err}");
        held.release().await;
        assert!(!tmp.path().join("locks/customer-x").exists());
        let again = b.lock("customer-x", Instant::now()).await.unwrap();
        again.release().await;
        let mode = fs::metadata(tmp.path().join("locks")).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[tokio::test]
    async fn a_waiter_that_locked_a_removed_file_takes_the_new_one() {
        let tmp = tempfile::tempdir().unwrap();
        let b = backend(tmp.path());
        // A file a waiter opened, then removed by the holder before the waiter locked it.
        let (path, stale) = b.open("customer-z").unwrap();
        fs::remove_file(&path).unwrap();
        flock(&stale, libc::LOCK_EX).unwrap();
        let lease = b
            .try_lock("customer-z")
            .unwrap()
            .expect("the new file is free");
        assert_eq!(
            fs::metadata(&path).unwrap().ino(),
            lease.file.metadata().unwrap().ino()
        );
    }

    #[test]
    fn a_directory_others_may_enter_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let b = backend(tmp.path());
        fs::create_dir(&b.dir).unwrap();
        fs::set_permissions(&b.dir, fs::Permissions::from_mode(0o755)).unwrap();
        let err = b.try_lock("customer-x").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Coordination);
        assert!(err.to_string().contains("not a private directory"), "{err}");
    }

    #[test]
    fn the_budget_paces_every_holder_of_the_file_and_pauses_hold_them_all() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (backend(tmp.path()), backend(tmp.path()));
        let interval = Duration::from_secs(10);
        // Two processes' reservations interleave in one sequence, `interval` apart.
        let slots: Vec<u64> = (0..10)
            .map(|i| {
                let which = if i % 2 == 0 { &a } else { &b };
                which
                    .update("budget-k", |budget, now| {
                        let Slot::In(wait) = budget.reserve(now, interval, Duration::MAX) else {
                            panic!("no pause yet")
                        };
                        now + nanos(wait)
                    })
                    .unwrap()
            })
            .collect();
        for (i, slot) in slots.iter().enumerate() {
            assert_eq!(slot - slots[0], nanos(interval) * i as u64, "slot {i}");
        }
        a.update("budget-k", |budget, now| {
            budget.pause(now, Duration::from_secs(300))
        })
        .unwrap();
        // A caller that may not wait it out takes no slot...
        let held = b
            .update("budget-k", |budget, now| {
                budget.reserve(now, interval, Duration::from_secs(60))
            })
            .unwrap();
        assert!(
            matches!(held, Slot::Paused(p) if p > Duration::from_secs(299)),
            "{held:?}"
        );
        // ...and one that may is given the first slot after the pause.
        let wait = b
            .update("budget-k", |budget, now| {
                budget.reserve(now, interval, Duration::MAX)
            })
            .unwrap();
        assert!(
            matches!(wait, Slot::In(w) if w > Duration::from_secs(299)),
            "{wait:?}"
        );
        let mode = fs::metadata(tmp.path().join("locks/budget-k"))
            .unwrap()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_state_from_before_a_reboot_is_forgotten() {
        let mut budget = Budget {
            tat: u64::MAX / 2,
            paused_until: 0,
        };
        budget.forget_stale(1_000);
        assert_eq!(
            budget.reserve(1_000, Duration::from_millis(1), Duration::ZERO),
            Slot::In(Duration::ZERO)
        );
    }
}
