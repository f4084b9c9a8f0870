//! The output folder: what a build may replace there, and how it replaces it whole.
//!
//! A build (the book or a report) writes `OUT/chapters/` and `OUT/book/`. Those names are
//! common (every mdBook project has a `book/`), so a build replaces them only when an earlier
//! build of this tool wrote them and nobody has changed them since: it records every file and
//! folder it wrote in `OUT/.items-or-relations/manifest.json` (path, length, SHA-256) and, before
//! anything is computed, checks the folders it would replace against that record. A folder it
//! did not write, or one holding a file it did not write or that was changed, is refused with
//! one line naming the file, and nothing is touched.
//!
//! Every run builds in a staging folder of its own (`OUT/.items-or-relations/staging-PID`) while
//! it holds an exclusive lock on `OUT/.items-or-relations/lock`: a second build into the same
//! folder is refused at once instead of racing the first. The swap moves the old folders aside
//! and the new ones in, and undoes what it did when a step fails, so the output is either the
//! previous build's or the new one's, never a mix. On SIGINT, SIGTERM or SIGHUP the binary calls
//! [`abandon`], which removes the staging folders under the same lock the swap holds.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{RenderError, Result, io_err, out_err};

/// The folder, inside the output folder, that holds this tool's own state: the manifest, the
/// lock, the timings and the staging folders.
pub const STATE_DIR: &str = ".items-or-relations";
/// The folders a build writes into the output folder, in the order they are swapped in.
pub const OUTPUTS: [&str; 2] = ["chapters", "book"];
const MANIFEST: &str = "manifest.json";
const LOCK: &str = "lock";
/// Identifies the manifest's writer; a manifest of another tool or shape is not trusted.
const TOOL: &str = "items-or-relations";

/// One file as written: its length in bytes and its SHA-256 (lower-case hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    bytes: u64,
    sha256: String,
}

/// What a build wrote: every file and folder below `OUT/chapters` and `OUT/book`, by path
/// relative to `OUT` with `/` between components.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Manifest {
    tool: String,
    dirs: BTreeSet<String>,
    files: BTreeMap<String, Entry>,
}

/// What a walk found at one path below an output folder.
enum Found {
    Dir,
    File(Entry),
    /// A symbolic link, socket, device, …: never written by a build.
    Other,
}

/// Every entry below `root` (not `root` itself), keyed by its path relative to `base`, in a
/// deterministic order.
fn walk(base: &Path, root: &Path, found: &mut BTreeMap<String, Found>) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(root)?.collect::<io::Result<_>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let key = relative_key(base, &path);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            found.insert(key, Found::Dir);
            walk(base, &path, found)?;
        } else if kind.is_file() {
            found.insert(key, Found::File(digest(&path)?));
        } else {
            found.insert(key, Found::Other);
        }
    }
    Ok(())
}

/// `path` relative to `base`, components joined by `/` on every platform.
fn relative_key(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn digest(path: &Path) -> io::Result<Entry> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let k = file.read(&mut buf)?;
        if k == 0 {
            break;
        }
        hasher.update(&buf[..k]);
        bytes += k as u64;
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Entry { bytes, sha256 })
}

/// The manifest of the folders `OUTPUTS` below `root` (a staging folder about to be swapped
/// in; keys are relative to `root`, so they name the same paths below `OUT` afterwards).
fn manifest_of(root: &Path) -> io::Result<Manifest> {
    let mut found = BTreeMap::new();
    for name in OUTPUTS {
        let dir = root.join(name);
        if dir.is_dir() {
            found.insert(name.to_string(), Found::Dir);
            walk(root, &dir, &mut found)?;
        }
    }
    let mut manifest = Manifest {
        tool: TOOL.into(),
        ..Manifest::default()
    };
    for (key, f) in found {
        match f {
            Found::Dir => {
                manifest.dirs.insert(key);
            }
            Found::File(entry) => {
                manifest.files.insert(key, entry);
            }
            // A build writes only folders and regular files.
            Found::Other => {}
        }
    }
    Ok(manifest)
}

/// The recorded manifest of `out`, if there is one this tool wrote.
fn read_manifest(out: &Path) -> Option<Manifest> {
    let text = fs::read(out.join(STATE_DIR).join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&text).ok()?;
    (manifest.tool == TOOL).then_some(manifest)
}

/// Refuses when `out` holds an output folder this tool may not replace: one it did not
/// write, or one holding anything it did not write or that changed since. Reads only.
///
/// # Errors
/// [`RenderError::NotOurs`] naming the first such path and why.
pub fn check_replaceable(out: &Path) -> Result<()> {
    let mut manifest: Option<Option<Manifest>> = None;
    for name in OUTPUTS {
        let dir = out.join(name);
        let meta = match fs::symlink_metadata(&dir) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_err(&dir)(e)),
        };
        let refuse = |path: &Path, why: &str| RenderError::NotOurs {
            path: path.to_path_buf(),
            why: why.to_string(),
        };
        if !meta.is_dir() {
            return Err(refuse(&dir, "it is not a folder this tool wrote"));
        }
        let recorded = manifest.get_or_insert_with(|| read_manifest(out));
        let Some(recorded) = recorded.as_ref() else {
            return Err(refuse(
                &dir,
                &format!("no build of this tool recorded it (no {STATE_DIR}/{MANIFEST} beside it)"),
            ));
        };
        if !recorded.dirs.contains(name) {
            return Err(refuse(&dir, "the last build here did not write it"));
        }
        let mut found = BTreeMap::new();
        walk(out, &dir, &mut found).map_err(io_err(&dir))?;
        for (key, f) in &found {
            let path = out.join(key);
            match f {
                Found::Dir if recorded.dirs.contains(key) => {}
                Found::File(entry) => match recorded.files.get(key) {
                    Some(e) if e == entry => {}
                    Some(_) => {
                        return Err(refuse(&path, "it changed since this tool wrote it"));
                    }
                    None => return Err(refuse(&path, "this tool did not write it")),
                },
                _ => return Err(refuse(&path, "this tool did not write it")),
            }
        }
    }
    Ok(())
}

/// A build in progress, as [`abandon`] must undo it: its staging folder and the folders it
/// created.
struct Pending {
    staging: PathBuf,
    created: Vec<PathBuf>,
}

/// The builds in progress in this process. The swap runs under this lock, so a signal never
/// interrupts half a swap.
static PENDING: Mutex<Vec<Pending>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<Pending>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// For the binary's signal handler: wait for a swap in progress to finish, then remove every
/// unfinished build's staging folder and the folders it created, and return how many builds
/// were abandoned. The lock stays held (the process is about to exit), so no swap starts after.
pub fn abandon() -> usize {
    let mut list = pending();
    let k = list.len();
    for p in list.drain(..) {
        let _ = fs::remove_dir_all(&p.staging);
        remove_created(&p.created);
    }
    std::mem::forget(list);
    k
}

/// The output folder, held for one build: its lock and what the build created.
struct Held {
    out: PathBuf,
    /// Folders this build created (the output folder's missing ancestors, innermost first,
    /// then the state folder): removed again when it fails.
    created: Vec<PathBuf>,
    /// Keeps the exclusive lock until dropped.
    _lock: fs::File,
}

impl Held {
    /// Create `out` and its state folder as needed, take the lock, and check that the output
    /// folders there may be replaced. Leaves nothing behind when it refuses.
    fn take(out: &Path) -> Result<Held> {
        if out.exists() && !out.is_dir() {
            return Err(out_err(out)(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "a file of that name exists",
            )));
        }
        let mut created: Vec<PathBuf> = out
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        let state = out.join(STATE_DIR);
        let state_is_new = !state.exists();
        let result = (|| {
            fs::create_dir_all(&state).map_err(out_err(&state))?;
            if state_is_new {
                // Innermost first when undone in reverse.
                created.insert(0, state.clone());
            }
            let lock_path = state.join(LOCK);
            let lock = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .map_err(out_err(&lock_path))?;
            match lock.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(RenderError::Busy {
                        out: out.to_path_buf(),
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(out_err(&lock_path)(e)),
            }
            check_replaceable(out)?;
            Ok(lock)
        })();
        match result {
            Ok(lock) => Ok(Held {
                out: out.to_path_buf(),
                created,
                _lock: lock,
            }),
            Err(e) => {
                remove_created(&created);
                Err(e)
            }
        }
    }

    /// Remove what [`Held::take`] created (a failed build writes nothing).
    fn undo(&self) {
        remove_created(&self.created);
    }
}

/// Remove the folders in `created` (innermost first), each only if it is empty but for the
/// lock file this tool put there: never anything else that appeared in them meanwhile.
fn remove_created(created: &[PathBuf]) {
    for dir in created {
        if dir.ends_with(STATE_DIR) {
            let _ = fs::remove_file(dir.join(LOCK));
        }
        let _ = fs::remove_dir(dir);
    }
}

/// A fresh staging folder for this process inside the state folder; staging folders left by
/// killed runs (the lock is ours, so no live run owns them) are removed first.
fn fresh_staging(out: &Path) -> Result<PathBuf> {
    let state = out.join(STATE_DIR);
    if let Ok(entries) = fs::read_dir(&state) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with("staging-") {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
    let staging = state.join(format!("staging-{}", std::process::id()));
    fs::create_dir(&staging).map_err(out_err(&staging))?;
    Ok(staging)
}

/// Create `out`, build into a fresh staging folder inside it with `build`, which must leave
/// `chapters/` and `book/` there, and swap those in for the old ones only when it succeeded.
/// A refused or failed build leaves the previous output as it was and removes the staging
/// folder and the folders it created (a refused build writes nothing, not even an empty
/// folder).
///
/// # Errors
/// [`RenderError::NotOurs`] (an output folder this tool may not replace, checked before `build`
/// runs and again before the swap), [`RenderError::Busy`] (another build holds `out`),
/// [`RenderError::OutputFolder`], the build's own error, and [`RenderError::Io`] from the swap
/// (after which the previous output is back in place).
pub(crate) fn staged<T>(out: &Path, build: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let held = Held::take(out)?;
    let staging = match fresh_staging(out) {
        Ok(s) => s,
        Err(e) => {
            held.undo();
            return Err(e);
        }
    };
    pending().push(Pending {
        staging: staging.clone(),
        created: held.created.clone(),
    });
    let forget = |staging: &Path| {
        let _ = fs::remove_dir_all(staging);
        pending().retain(|p| p.staging != staging);
    };
    let result = match build(&staging) {
        Ok(result) => result,
        Err(e) => {
            forget(&staging);
            held.undo();
            return Err(e);
        }
    };
    let swapped = {
        let _signals_wait = pending();
        check_replaceable(&held.out)
            .and_then(|()| manifest_of(&staging).map_err(io_err(&staging)))
            .and_then(|manifest| {
                swap(&held.out, &staging, &mut |from, to| fs::rename(from, to))?;
                write_manifest(&held.out, &manifest)
            })
    };
    forget(&staging);
    match swapped {
        Ok(()) => Ok(result),
        Err(e) => {
            held.undo();
            Err(e)
        }
    }
}

/// Write the manifest under a temporary name and rename it into place.
fn write_manifest(out: &Path, manifest: &Manifest) -> Result<()> {
    let state = out.join(STATE_DIR);
    let (tmp, path) = (state.join(".manifest.json.tmp"), state.join(MANIFEST));
    let text = serde_json::to_vec_pretty(manifest).map_err(|e| io_err(&path)(e.into()))?;
    fs::write(&tmp, text).map_err(io_err(&tmp))?;
    fs::rename(&tmp, &path).map_err(io_err(&path))
}

/// Swap `staging/NAME` in for `out/NAME`, for every name of [`OUTPUTS`], through `rename`: each
/// old folder is first moved to `staging/old-NAME`. When a step fails, the steps already done
/// are undone in reverse order, so `out` holds its previous folders again.
///
/// # Errors
/// [`RenderError::Io`] naming the folder whose move failed; if undoing failed too, the message
/// says where the previous folders are.
fn swap(
    out: &Path,
    staging: &Path,
    rename: &mut dyn FnMut(&Path, &Path) -> io::Result<()>,
) -> Result<()> {
    // The moves done so far, as (from, to).
    let mut done: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut step = |from: PathBuf, to: PathBuf, done: &mut Vec<(PathBuf, PathBuf)>| {
        rename(&from, &to).map_err(io_err(&to))?;
        done.push((from, to));
        Ok::<(), RenderError>(())
    };
    let mut failure = None;
    for name in OUTPUTS {
        let target = out.join(name);
        let old = staging.join(format!("old-{name}"));
        if fs::symlink_metadata(&target).is_ok()
            && let Err(e) = step(target.clone(), old, &mut done)
        {
            failure = Some(e);
            break;
        }
        if let Err(e) = step(staging.join(name), target, &mut done) {
            failure = Some(e);
            break;
        }
    }
    let Some(failure) = failure else {
        return Ok(());
    };
    for (from, to) in done.iter().rev() {
        if let Err(e) = rename(to, from) {
            return Err(RenderError::SwapUndo {
                failure: failure.to_string(),
                path: to.clone(),
                source: e,
            });
        }
    }
    Err(failure)
}

#[cfg(test)]
mod tests;
