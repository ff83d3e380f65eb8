//! The state file: written whole, atomically (temp file, fsync, rename, fsync of the
//! directory), so that a kill at any moment leaves either the old or the new state.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::errors::MockError;
use crate::state::Organization;

const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct StateFile {
    format: u32,
    organizations: Vec<Organization>,
}

/// Reads the organizations saved in `path`; `None` when the file does not exist yet.
pub(crate) fn load(path: &Path) -> Result<Option<Vec<Organization>>, MockError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(MockError::StateRead {
                path: path.to_owned(),
                source,
            });
        }
    };
    let state: StateFile =
        serde_json::from_slice(&bytes).map_err(|source| MockError::StateParse {
            path: path.to_owned(),
            source,
        })?;
    if state.format != FORMAT {
        return Err(MockError::Config(format!(
            "state file {} has format {}, this emulator reads format {FORMAT}",
            path.display(),
            state.format
        )));
    }
    Ok(Some(state.organizations))
}

pub(crate) fn encode(organizations: Vec<Organization>) -> Vec<u8> {
    serde_json::to_vec(&StateFile {
        format: FORMAT,
        organizations,
    })
    .expect("state JSON")
}

#[derive(Debug)]
pub(crate) struct Persister {
    path: PathBuf,
    /// Version of the store last written; older snapshots arriving late are skipped.
    written: Mutex<u64>,
}

impl Persister {
    pub(crate) fn new(path: PathBuf) -> Persister {
        Persister {
            path,
            written: Mutex::new(0),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the snapshot of store version `version` unless a later one is already on disk.
    pub(crate) fn write(&self, version: u64, bytes: &[u8]) -> Result<(), MockError> {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if *written >= version {
            return Ok(());
        }
        write_atomically(&self.path, bytes).map_err(|source| MockError::StateWrite {
            path: self.path.clone(),
            source,
        })?;
        *written = version;
        Ok(())
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "state path has no file name")
    })?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        // The rename itself must reach the disk before the write is acknowledged.
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_versions_win_and_missing_files_are_empty_states() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        assert_eq!(load(&path).unwrap(), None);
        let persister = Persister::new(path.clone());
        persister.write(2, &encode(Vec::new())).unwrap();
        // An older snapshot arriving late must not overwrite the newer file.
        persister.write(1, b"garbage").unwrap();
        assert_eq!(load(&path).unwrap(), Some(Vec::new()));
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left behind");
        fs::write(&path, b"{").unwrap();
        assert!(matches!(load(&path), Err(MockError::StateParse { .. })));
    }
}
