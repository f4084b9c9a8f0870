//! The `atlas` command's files: run one shard and write it, or merge shards. The rows and the
//! file format are the library's ([`items_or_relations::chapters::atlas::rows`] and
//! [`items_or_relations::chapters::atlas::files`]); this module adds the command line's
//! duties: validate once, show progress, refuse bad input with one line and exit code 2, and
//! never leave a file that looks finished but is not.
//!
//! A run streams its rows to `NAME.partial` as the classes finish, in class order, each row
//! one `write`, so a run killed at any point (SIGKILL included) keeps every complete row. The
//! same command run again continues from that file: its header must be this run's exactly,
//! a torn last line is dropped, and the last kept row is computed again and must come out as
//! written (else the run refuses and touches nothing), so two runs are never mixed. The
//! finished file is renamed onto `NAME`, byte for byte the file of an uninterrupted run; the
//! CSV is written from it at the end. SIGINT, SIGTERM and SIGHUP keep the rows file (cut to
//! its last complete row), remove any other half-written file and exit with 128 + the signal.
//! `atlas merge` writes its outputs whole or not at all.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use anyhow::Context;
use indicatif::ProgressBar;
use items_or_relations::chapters::atlas::files::{
    self, Header, MergeError, ShardReader, check_shard_set, write_header, write_raw_row,
};
use items_or_relations::chapters::atlas::rows::{self, AtlasSpec, Row, Selection};
use items_or_relations::maths::study::{DEFAULT_SEEDS, StudySettings};

/// The `atlas` run's validated arguments.
pub struct RunArgs {
    pub n: u64,
    pub sample: Option<u64>,
    pub shard: (u64, u64),
    pub out: Option<PathBuf>,
    pub csv: Option<PathBuf>,
    pub seeds: u64,
    pub steps: u64,
    pub threads: Option<u64>,
    pub seed: Option<u64>,
}

/// A usage error: one line on stderr, exit code 2, nothing written.
fn usage(message: &str) -> anyhow::Result<ExitCode> {
    note!("error: {message}");
    Ok(ExitCode::from(2))
}

/// Why `path` cannot receive an output file, if it cannot: its folder does not exist, or it
/// exists and is not a regular file (a device such as /dev/full, a symlink, a folder): the file
/// is written as `NAME.partial` and renamed onto `NAME`, which would replace it.
fn unwritable(flag: &str, path: &Path) -> Option<String> {
    let shown = path.display();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Some(format!(
            "{flag} {shown}: the folder {} does not exist",
            parent.display()
        ));
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Some(format!(
            "{flag} {shown} is not a regular file (the file is written as {shown}.partial and renamed onto it, which would replace it); name a new or regular file"
        )),
        Ok(_) if !written_by_atlas(flag, path) => Some(format!(
            "{flag} {shown} exists and is not an atlas file this command wrote, so it is not replaced: move it away or name a new file; nothing was written"
        )),
        _ => None,
    }
}

/// Whether the existing file `path` is one this command wrote, and so may be replaced: its
/// first line is an atlas header (`--out`) or the atlas CSV's column line (`--csv`). Anything
/// else is the user's file and is never replaced.
fn written_by_atlas(flag: &str, path: &Path) -> bool {
    use std::io::BufRead as _;
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut first = String::new();
    if BufReader::new(file).read_line(&mut first).is_err() {
        return false;
    }
    let first = first.trim_end_matches(['\n', '\r']);
    if flag == "--csv" {
        first == files::csv_columns().join(",")
    } else {
        #[derive(serde::Deserialize)]
        struct Line {
            #[allow(dead_code)]
            header: Header,
        }
        serde_json::from_str::<Line>(first).is_ok()
    }
}

/// Whether two paths name one file (the same absolute path, or one existing file).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

/// The output files' checks, before anything is computed or written: each can be written,
/// and no two of `outputs` and `inputs` are one file.
fn check_outputs(outputs: &[(&str, &Path)], inputs: &[PathBuf]) -> Option<String> {
    for (k, (flag, path)) in outputs.iter().enumerate() {
        if let Some(why) = unwritable(flag, path) {
            return Some(why);
        }
        if let Some((other, _)) = outputs[..k].iter().find(|(_, p)| same_file(p, path)) {
            return Some(format!(
                "{other} and {flag} name one file, {}: give two",
                path.display()
            ));
        }
        if let Some(input) = inputs.iter().find(|i| same_file(i, path)) {
            return Some(format!(
                "{flag} {} is one of the shard files being merged; name a new file",
                input.display()
            ));
        }
    }
    None
}

/// "1 class", "2 classes".
fn classes(k: u64) -> String {
    if k == 1 {
        "1 class".into()
    } else {
        format!("{k} classes")
    }
}

/// `path` with `.partial` appended: where a file is written before it is complete.
fn partial(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".partial");
    PathBuf::from(name)
}

/// `m` locked, poisoned or not: the guarded lists stay valid whatever a panicking holder did.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The `.partial` files being written that are worth nothing unfinished (a CSV, a merged
/// file), removed by the signal watcher ([`watch_signals`]). A file is renamed into place
/// under this lock, so the watcher never removes half of a commit.
static PARTIAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The resumable rows file of an `atlas` run, if one is open ([`RowsFile`]).
static ROWS: Mutex<Option<RowsFile>> = Mutex::new(None);

/// An `atlas` run's rows file, `NAME.partial`: the header line, then one line per finished
/// class, in class order, each written whole by one `write` (no buffer held back), so that a
/// kill (even SIGKILL) keeps every complete row. A rerun of the same command continues from it
/// ([`files::resume_point`]); complete, it is renamed onto `NAME`. Locked (advisory `flock`)
/// while open, so a second run of the same command refuses rather than writes into it.
struct RowsFile {
    path: PathBuf,
    file: File,
    /// Bytes of the complete lines written or kept.
    len: u64,
    /// Complete rows in the file.
    rows: u64,
    /// Rows of the shard (the header's `rows`).
    total: u64,
    /// Whether this run has taken the file over (cut to its complete rows, and written). Until
    /// then (while the last kept row is computed again and compared) it is left as found.
    active: bool,
}

/// The one line that tells where an interrupted or failed run's rows are and how to continue,
/// after cutting the rows file to its last complete row. `None` when no rows file is open.
fn keep_rows(rows: &mut Option<RowsFile>) -> Option<String> {
    let r = rows.as_mut()?;
    if r.active {
        let _ = r.file.set_len(r.len);
        let _ = r.file.sync_all();
    }
    Some(format!(
        "{} keeps {} of {}; run the same command again to continue from it",
        r.path.display(),
        r.rows,
        classes(r.total)
    ))
}

/// The signal's name, for the one line a signal leaves.
fn signal_name(signal: i32) -> String {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match signal {
        SIGINT => "SIGINT".into(),
        SIGTERM => "SIGTERM".into(),
        SIGHUP => "SIGHUP".into(),
        other => format!("signal {other}"),
    }
}

/// On SIGINT (Ctrl-C), SIGTERM (`kill`, a SLURM time limit or preemption) or SIGHUP (a closed
/// terminal or ssh session): keep the resumable rows file cut to its last complete row, remove
/// every other `.partial` file being written, say so in one line, and exit with 128 + the
/// signal. Without this, a signal ends the process before any `Drop` runs and leaves
/// half-written files behind. Call it before any file is opened.
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Held to the exit: no row is written, no file renamed, after this point.
            let mut rows = lock(&ROWS);
            let files = lock(&PARTIAL);
            for f in files.iter() {
                let _ = std::fs::remove_file(f);
            }
            let removed = if files.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                format!(" ({} removed)", names.join(", "))
            };
            let name = signal_name(signal);
            match keep_rows(&mut rows) {
                Some(kept) => note!("interrupted by {name}: {kept}{removed}"),
                None => note!("interrupted by {name}: nothing written{removed}"),
            }
            std::process::exit(128 + signal);
        }
    });
}

/// A file written under a temporary name, renamed to its own by [`commit_all`] and removed if
/// dropped before (or on a signal: [`watch_signals`]).
struct Staged {
    path: PathBuf,
    temp: PathBuf,
    out: BufWriter<File>,
    committed: bool,
}

impl Staged {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let temp = partial(path);
        let mut listed = lock(&PARTIAL);
        let file =
            File::create(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        listed.push(temp.clone());
        Ok(Staged {
            path: path.to_path_buf(),
            temp,
            out: BufWriter::new(file),
            committed: false,
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }
}

/// Flushes every file of `staged` to disk, then renames them all into place under one hold
/// of the lock, so that a signal finds either none of them committed or all.
fn commit_all(staged: Vec<Staged>) -> anyhow::Result<()> {
    let mut staged = staged;
    for s in &mut staged {
        let what = || format!("writing {}", s.temp.display());
        s.out.flush().with_context(what)?;
        s.out.get_ref().sync_all().with_context(what)?;
    }
    let mut listed = lock(&PARTIAL);
    for s in &mut staged {
        std::fs::rename(&s.temp, &s.path)
            .with_context(|| format!("renaming {} to {}", s.temp.display(), s.path.display()))?;
        listed.retain(|p| p != &s.temp);
        s.committed = true;
    }
    Ok(())
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let mut listed = lock(&PARTIAL);
            let _ = std::fs::remove_file(&self.temp);
            listed.retain(|p| p != &self.temp);
        }
    }
}

/// Progress over `len` classes on stderr: indicatif's bar on a terminal; elsewhere (a SLURM
/// log, a pipe, a file) one plain line per tenth done, so a long run is never silent.
struct Progress {
    bar: ProgressBar,
    plain: bool,
    len: u64,
    /// Classes done before this run (kept from an interrupted one): not in the time left.
    first: u64,
    label: String,
    start: Instant,
    /// The last tenth reported on a plain line.
    tenth: Cell<u64>,
}

impl Progress {
    fn new(len: u64, first: u64, label: String) -> Self {
        let plain = !std::io::stderr().is_terminal();
        let bar = if plain {
            ProgressBar::hidden()
        } else {
            let bar = super::progress::bar(len, "classes, {elapsed}, eta {eta} {msg}");
            bar.set_message(label.clone());
            bar.set_position(first);
            bar.reset_eta();
            bar
        };
        Progress {
            bar,
            plain,
            len,
            first,
            label,
            start: Instant::now(),
            tenth: Cell::new((first * 10).checked_div(len).unwrap_or(10)),
        }
    }

    fn set(&self, done: u64) {
        self.bar.set_position(done);
        let tenth = (done * 10).checked_div(self.len).unwrap_or(10);
        if self.plain && tenth > self.tenth.get() && done < self.len {
            self.tenth.set(tenth);
            let secs = self.start.elapsed().as_secs_f64();
            note!(
                "{}: {done}/{} classes ({}%), {secs:.0} s, about {:.0} s left",
                self.label,
                self.len,
                tenth * 10,
                secs * (self.len - done) as f64 / done.saturating_sub(self.first).max(1) as f64
            );
        }
    }

    /// One line on stderr, the bar (if shown) out of its way.
    fn note(&self, line: &str) {
        self.bar.suspend(|| note!("{line}"));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Every class is studied only where there are at most this many (N ≤ 5: 37 333 247 classes,
/// about 440 core-hours; N = 6 has 2.6e16).
const EVERY_CLASS_LIMIT: u128 = 1_000_000_000;

/// `atlas`: compute one shard and write it (and its CSV).
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let Some(out) = &args.out else {
        return usage("atlas needs --out FILE (or the merge subcommand) (see --help)");
    };
    let mut outputs = vec![("--out", out.as_path())];
    if let Some(csv) = &args.csv {
        outputs.push(("--csv", csv.as_path()));
    }
    if let Some(why) = check_outputs(&outputs, &[]) {
        return usage(&why);
    }
    let n = usize::try_from(args.n)?;
    let total = items_or_relations::maths::classes::burnside_count(n)?;
    if args.sample.is_none() && total > EVERY_CLASS_LIMIT {
        return usage(&format!(
            "every class at N = {n} is {total} classes, beyond any run; study a uniform sample with --sample K"
        ));
    }
    if args.sample.is_none() && n > 4 && args.shard.1 == 1 {
        note!(
            "note: every class at N = {n} is a long run; it can be split with --shard I/M (see README, Atlas)"
        );
    }
    let base = args.seed.unwrap_or(2024);
    let mut settings = StudySettings::paper(items_or_relations::seeds::study_seeds(
        base,
        usize::try_from(args.seeds).unwrap_or(DEFAULT_SEEDS),
    ));
    settings.training.steps = usize::try_from(args.steps)?;
    let selection = match args.sample {
        Some(count) => Selection::Sample {
            count: usize::try_from(count)?,
            seed: items_or_relations::seeds::atlas_sample(base, n),
        },
        None => Selection::All,
    };
    let spec = AtlasSpec {
        n,
        selection,
        settings,
    };
    if let Some(count) = args.sample
        && u128::from(count) > total
    {
        return usage(&format!(
            "--sample {count}: there are only {total} classes at N = {n}"
        ));
    }
    let (shard, shards) = args.shard;
    let header = match files::header(&spec, shard, shards) {
        Ok(h) => h,
        Err(e) => return usage(&e.to_string()),
    };
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |t| t as usize,
    );
    watch_signals();
    let rows_path = partial(out);
    let resume = match open_rows(&rows_path, &header) {
        Ok(r) => r,
        Err(why) => return usage(&why),
    };
    let resuming = (resume.rows > 0 || resume.torn > 0).then(|| {
        format!(
            "resuming from {}: {} of {} already written{}",
            rows_path.display(),
            resume.rows,
            classes(header.rows),
            if resume.torn > 0 {
                format!(" (a torn last line of {} bytes dropped)", resume.torn)
            } else {
                String::new()
            }
        )
    });
    // The last kept row is computed again and compared before anything is written: rows of
    // another version of the program (or edited) are not continued.
    let mut recheck = resume.last.clone();
    let start = resume.rows - u64::from(recheck.is_some());
    let bar = Progress::new(
        header.rows,
        resume.rows,
        format!("atlas N = {n}, shard {shard}/{shards}"),
    );
    if recheck.is_none() {
        take_over(&resume, &header).with_context(|| format!("writing {}", rows_path.display()))?;
        if let Some(line) = &resuming {
            bar.note(line);
        }
    }
    let mut refused = None;
    let mut emit = |r: Row| -> items_or_relations::Result<()> {
        let io = |e: std::io::Error| items_or_relations::Error::InvalidParameter {
            name: "output".into(),
            value: rows_path.display().to_string(),
            why: e.to_string(),
        };
        let line = serde_json::to_string(&r).map_err(|e| io(e.into()))?;
        if let Some(kept) = recheck.take() {
            if line != kept {
                let why = format!(
                    "{}: its last row (class {}) is not the row this run computes for it (written by another version of the program, or edited); remove the file to start again",
                    rows_path.display(),
                    r.class
                );
                refused = Some(why.clone());
                return Err(items_or_relations::Error::Data { why });
            }
            take_over(&resume, &header).map_err(io)?;
            if let Some(line) = &resuming {
                bar.note(line);
            }
            return Ok(());
        }
        append_row(&line).map_err(io)
    };
    let computed = rows::run_shard_from(&spec, shard, shards, start, threads, &mut emit, &|done| {
        bar.set(start + done);
    });
    bar.finish();
    if let Some(why) = refused {
        return usage(&why);
    }
    if let Err(e) = computed {
        if let Some(kept) = keep_rows(&mut lock(&ROWS)) {
            note!("{kept}");
        }
        return Err(e).context("computing the atlas");
    }
    // The CSV is written from the finished rows file, so a resumed run's CSV is the
    // uninterrupted run's byte for byte; it is renamed into place before the rows file.
    // A failure here keeps the complete rows file: the same command finishes the files.
    let finished = (|| -> anyhow::Result<()> {
        if let Some(path) = &args.csv {
            let mut staged = Staged::create(path)?;
            csv_of(&rows_path, staged.writer()).with_context(|| {
                format!("writing {} from {}", path.display(), rows_path.display())
            })?;
            commit_all(vec![staged])?;
        }
        commit_rows(out)
    })();
    if let Err(e) = finished {
        if let Some(kept) = keep_rows(&mut lock(&ROWS)) {
            note!("{kept}");
        }
        return Err(e);
    }
    note!(
        "atlas N = {n}, shard {shard}/{shards}: {} written to {}{}",
        classes(header.rows),
        out.display(),
        if resume.rows > 0 {
            format!(
                " ({} of them kept from the interrupted run)",
                resume.rows.min(header.rows)
            )
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Opens (or creates) the rows file `path` of the run with `header`, locks it, and says where
/// the run continues ([`files::resume_point`]); the file is registered in [`ROWS`] but not
/// changed ([`take_over`] does that). An existing file is read from the start.
///
/// # Errors
/// One line for the user: the file cannot be opened or is not a regular file, another run
/// holds its lock, or it is not a partial file of this run.
fn open_rows(path: &Path, header: &Header) -> Result<files::Resume, String> {
    let shown = path.display();
    let exists = match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(format!(
                "{shown} is not a regular file; the rows are written there before the file is complete: remove it or name another --out"
            ));
        }
        Ok(_) => true,
        Err(_) => false,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(!exists)
        .truncate(false)
        .open(path)
        .map_err(|e| format!("cannot open {shown}: {e}"))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(format!(
                "{shown} is being written by another run of this command (it holds the file's lock); wait for it, or stop it"
            ));
        }
        // A file system without locks (some network file systems): go on unlocked.
        Err(std::fs::TryLockError::Error(_)) => {}
    }
    let resume = if exists {
        files::resume_point(&shown.to_string(), header, BufReader::new(&file))
            .map_err(|e| e.to_string())?
    } else {
        files::Resume::default()
    };
    *lock(&ROWS) = Some(RowsFile {
        path: path.to_path_buf(),
        file,
        len: resume.keep + resume.torn,
        rows: resume.rows,
        total: header.rows,
        active: false,
    });
    Ok(resume)
}

/// Takes the rows file over: cuts it to its complete rows (a torn last line goes), or
/// writes `header` into it if not even that line was complete; rows are appended from then on.
///
/// # Errors
/// The file system's.
fn take_over(resume: &files::Resume, header: &Header) -> std::io::Result<()> {
    let mut rows = lock(&ROWS);
    let Some(r) = rows.as_mut() else {
        return Err(std::io::Error::other("no rows file is open"));
    };
    r.file.set_len(resume.keep)?;
    r.file.seek(SeekFrom::Start(resume.keep))?;
    r.len = resume.keep;
    if resume.keep == 0 {
        let mut line = Vec::new();
        write_header(&mut line, header)?;
        r.file.write_all(&line)?;
        r.len = line.len() as u64;
    }
    r.active = true;
    Ok(())
}

/// Appends one row's line (and its newline) to the rows file in one `write`. A failed write is
/// cut off again, so the file always ends at a complete row.
///
/// # Errors
/// The file system's.
fn append_row(line: &str) -> std::io::Result<()> {
    let mut rows = lock(&ROWS);
    let Some(r) = rows.as_mut().filter(|r| r.active) else {
        return Err(std::io::Error::other("no rows file is open"));
    };
    let mut bytes = Vec::with_capacity(line.len() + 1);
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    if let Err(e) = r.file.write_all(&bytes) {
        let _ = r.file.set_len(r.len);
        let _ = r.file.seek(SeekFrom::Start(r.len));
        return Err(e);
    }
    r.len += bytes.len() as u64;
    r.rows += 1;
    Ok(())
}

/// The finished rows file to disk and renamed onto `out`.
///
/// # Errors
/// The file system's, naming the files.
fn commit_rows(out: &Path) -> anyhow::Result<()> {
    let mut rows = lock(&ROWS);
    let Some(r) = rows.as_mut() else {
        anyhow::bail!("no rows file is open for {}", out.display());
    };
    r.file
        .sync_all()
        .with_context(|| format!("writing {}", r.path.display()))?;
    std::fs::rename(&r.path, out)
        .with_context(|| format!("renaming {} to {}", r.path.display(), out.display()))?;
    *rows = None;
    Ok(())
}

/// Writes the CSV (header line, then one line per row) of the complete rows file `rows`.
///
/// # Errors
/// Reading `rows` (its rows are checked again as they are read) or writing `out`.
fn csv_of(rows: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let name = rows.display().to_string();
    let file = File::open(rows).with_context(|| format!("cannot read {name}"))?;
    let mut reader = ShardReader::open(&name, BufReader::new(file))?;
    writeln!(out, "{}", files::csv_columns().join(","))?;
    while let Some(r) = reader.next_row() {
        files::write_csv(out, std::slice::from_ref(&r?.row), false)?;
    }
    reader.finish()?;
    Ok(())
}

/// `atlas merge`: check that the files are the shards 1..=M of one run (headers only), then
/// stream their rows in class order into the merged file (and CSV), one row per shard in
/// memory: the full N = 5 atlas is about 50 GB. A shard found wrong on the way (a bad or
/// missing row) removes what was written and exits 2.
pub fn merge_files(files: &[PathBuf], out: &Path, csv: Option<&Path>) -> anyhow::Result<ExitCode> {
    let mut outputs = vec![("--out", out)];
    if let Some(csv) = csv {
        outputs.push(("--csv", csv));
    }
    if let Some(why) = check_outputs(&outputs, files) {
        return usage(&why);
    }
    let mut readers = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return usage(&format!("cannot read {name}: {e}")),
        };
        match ShardReader::open(&name, BufReader::new(file)) {
            Ok(r) => readers.push(r),
            Err(e) => return usage(&e.to_string()),
        }
    }
    let headers: Vec<(&str, &Header)> = readers.iter().map(|r| (r.name(), r.header())).collect();
    let header = match check_shard_set(&headers) {
        Ok(h) => h,
        Err(e) => return usage(&e.to_string()),
    };
    watch_signals();
    let mut json = Staged::create(out)?;
    write_header(json.writer(), &header).with_context(|| format!("writing {}", out.display()))?;
    let mut csv_out = match csv {
        Some(path) => {
            let mut staged = Staged::create(path)?;
            writeln!(staged.writer(), "{}", files::csv_columns().join(","))
                .with_context(|| format!("writing {}", path.display()))?;
            Some(staged)
        }
        None => None,
    };
    let bar = Progress::new(header.rows, 0, format!("merging atlas N = {}", header.n));
    let mut written = 0u64;
    let merged = files::merge_rows(readers, &mut |r| {
        write_raw_row(json.writer(), r)?;
        if let Some(c) = csv_out.as_mut() {
            files::write_csv(c.writer(), std::slice::from_ref(&r.row), false)?;
        }
        written += 1;
        if written.is_multiple_of(1024) {
            bar.set(written);
        }
        Ok(())
    });
    bar.finish();
    let merged_classes = match merged {
        Ok(k) => k,
        Err(MergeError::Data(e)) => return usage(&e.to_string()),
        Err(MergeError::Write(e)) => {
            return Err(e).with_context(|| format!("writing {}", out.display()));
        }
    };
    commit_all(std::iter::once(json).chain(csv_out).collect())?;
    note!(
        "merged {} shard(s): {} of N = {} written to {}",
        files.len(),
        classes(merged_classes),
        header.n,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
