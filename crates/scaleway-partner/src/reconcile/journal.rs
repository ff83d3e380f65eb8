//! The durable journal of an apply: an append-only JSON Lines file, each record written and
//! `fsync`ed before the apply goes on, held under an exclusive advisory lock (released by the
//! OS when the process dies) so that two applies on one journal refuse each other.
//!
//! The first line names the plan; then, per action, an `intent` before anything is sent and an
//! `outcome` after. A record cut short by a crash (no final newline) is dropped on open.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::error::{Error, Result};

/// Version of the journal's first line.
const JOURNAL_VERSION: u64 = 1;

#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    file: Mutex<File>,
    /// Actions whose outcome `done` is recorded.
    done: HashSet<usize>,
}

fn failed(path: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::coordination(format!("journal {}: {what}: {e}", path.display()))
}

impl Journal {
    /// Opens (or creates) the journal of plan `plan_id`, locked for this apply.
    pub(crate) fn open(path: &Path, plan_id: &str) -> Result<Journal> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| failed(path, "cannot open", e))?;
        // Fully qualified: std's inherent File::try_lock is newer than the crate's MSRV.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(failed(
                    path,
                    "in use",
                    "another apply holds it (one apply per journal at a time)",
                ));
            }
            Err(fs4::TryLockError::Error(e)) => return Err(failed(path, "cannot lock", e)),
        }
        let mut text = String::new();
        file.read_to_string(&mut text)
            .map_err(|e| failed(path, "cannot read", e))?;
        let complete = text.rfind('\n').map_or(0, |i| i + 1);
        if complete < text.len() {
            // The last record was cut by a crash before its newline: it never counted.
            file.set_len(complete as u64)
                .and_then(|()| file.seek(SeekFrom::End(0)).map(|_| ()))
                .map_err(|e| failed(path, "cannot drop a torn record", e))?;
        }
        let mut lines = text[..complete].lines();
        let mut journal = Journal {
            path: path.to_owned(),
            file: Mutex::new(file),
            done: HashSet::new(),
        };
        match lines.next() {
            None => {
                journal.append(&json!({"journal": JOURNAL_VERSION, "plan_id": plan_id}))?;
                sync_parent(path);
            }
            Some(first) => {
                let header: Value = serde_json::from_str(first)
                    .map_err(|e| failed(path, "is not an apply journal", e))?;
                if header["journal"] != JOURNAL_VERSION {
                    return Err(failed(
                        path,
                        "is not an apply journal",
                        "unknown first line",
                    ));
                }
                if header["plan_id"] != plan_id {
                    return Err(Error::validation(
                        "journal",
                        format!(
                            "{} belongs to plan {}, not to this plan ({plan_id}): use a new \
                             journal for a new plan",
                            path.display(),
                            header["plan_id"]
                        ),
                    ));
                }
            }
        }
        for line in lines {
            let record: Value = serde_json::from_str(line)
                .map_err(|e| failed(path, "holds a damaged record", e))?;
            if record["status"] == "done" {
                if let Some(i) = record["outcome"].as_u64() {
                    journal.done.insert(i as usize);
                }
            }
        }
        Ok(journal)
    }

    /// True when the action's outcome `done` was recorded by an earlier apply.
    pub(crate) fn is_done(&self, index: usize) -> bool {
        self.done.contains(&index)
    }

    /// Records that the action is about to be sent.
    pub(crate) fn intent(&self, index: usize, customer_id: &str) -> Result<()> {
        self.append(&json!({"intent": index, "customer_id": customer_id}))
    }

    /// Records how the action ended.
    pub(crate) fn outcome(
        &self,
        index: usize,
        status: &str,
        organization_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<()> {
        self.append(&json!({
            "outcome": index, "status": status,
            "organization_id": organization_id, "message": message,
        }))
    }

    fn append(&self, record: &Value) -> Result<()> {
        let mut line = record.to_string();
        line.push('\n');
        let file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        // One write per record, then fsync: a record is on disk before the apply goes on.
        (&*file)
            .write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| failed(&self.path, "cannot write", e))
    }
}

/// Makes a new journal's directory entry durable too (best effort: not every platform can).
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}
