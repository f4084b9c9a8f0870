//! The `atlas` command's files: run one shard and write it, or merge shards. The rows and the
//! file format are the library's ([`items_or_relations::chapters::atlas::rows`] and
//! [`items_or_relations::chapters::atlas::files`]); this module
//! adds the command line's duties: validate once, show progress, write under a temporary name
//! and rename when complete (a killed shard leaves no file `merge` would accept), and refuse
//! bad shard sets with one line and exit code 2.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use items_or_relations::chapters::atlas::files::{
    self, Header, MergeError, ShardReader, check_shard_set, write_header, write_raw_row, write_row,
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
        _ => None,
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

/// The `.partial` files being written, removed by the signal watcher ([`watch_signals`]) on
/// SIGINT or SIGTERM. A file is renamed into place under this lock, so the watcher never
/// removes half of a commit.
static PARTIAL: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On SIGINT (Ctrl-C) or SIGTERM (`kill`, a SLURM time limit): remove every `.partial` file
/// being written, say so in one line, and exit with 128 + the signal. Without this, a signal
/// ends the process before any `Drop` runs and leaves the half-written file behind.
fn watch_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let files = PARTIAL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for f in files.iter() {
                let _ = std::fs::remove_file(f);
            }
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            note!(
                "interrupted: nothing written{}",
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" ({} removed)", names.join(", "))
                }
            );
            std::process::exit(128 + signal);
        }
    });
}

/// A file written under a temporary name, renamed to its own by [`Staged::commit`] and
/// removed if dropped before (or on a signal: [`watch_signals`]).
struct Staged {
    path: PathBuf,
    temp: PathBuf,
    out: BufWriter<File>,
    committed: bool,
}

impl Staged {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let temp = partial(path);
        let mut listed = PARTIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
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

    fn commit(mut self) -> anyhow::Result<()> {
        let what = || format!("writing {}", self.temp.display());
        self.out.flush().with_context(what)?;
        self.out.get_ref().sync_all().with_context(what)?;
        let mut listed = PARTIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::fs::rename(&self.temp, &self.path).with_context(|| {
            format!(
                "renaming {} to {}",
                self.temp.display(),
                self.path.display()
            )
        })?;
        listed.retain(|p| p != &self.temp);
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let mut listed = PARTIAL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
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
    label: String,
    start: Instant,
    /// The last tenth reported on a plain line.
    tenth: Cell<u64>,
}

impl Progress {
    fn new(len: u64, label: String) -> Self {
        let plain = !std::io::stderr().is_terminal();
        let bar = if plain {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} classes, {elapsed}, eta {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_message(label.clone());
            bar
        };
        Progress {
            bar,
            plain,
            len,
            label,
            start: Instant::now(),
            tenth: Cell::new(0),
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
                secs * (self.len - done) as f64 / done.max(1) as f64
            );
        }
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
    let mut json = Staged::create(out)?;
    write_header(json.writer(), &header).with_context(|| format!("writing {}", out.display()))?;
    let mut csv = match &args.csv {
        Some(path) => {
            let mut staged = Staged::create(path)?;
            writeln!(staged.writer(), "{}", files::csv_columns().join(","))?;
            Some((staged, path.clone()))
        }
        None => None,
    };
    watch_signals();
    let bar = Progress::new(
        header.rows,
        format!("atlas N = {n}, shard {shard}/{shards}"),
    );
    let mut emit = |r: Row| -> items_or_relations::Result<()> {
        let io = |e: std::io::Error| items_or_relations::Error::InvalidParameter {
            name: "output".into(),
            value: out.display().to_string(),
            why: e.to_string(),
        };
        write_row(json.writer(), &r).map_err(io)?;
        if let Some((c, _)) = csv.as_mut() {
            files::write_csv(c.writer(), std::slice::from_ref(&r), false).map_err(io)?;
        }
        Ok(())
    };
    rows::run_shard(&spec, shard, shards, threads, &mut emit, &|done| {
        bar.set(done);
    })
    .context("computing the atlas")?;
    bar.finish();
    json.commit()?;
    if let Some((c, _)) = csv {
        c.commit()?;
    }
    note!(
        "atlas N = {n}, shard {shard}/{shards}: {} written to {}",
        classes(header.rows),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
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
    watch_signals();
    let bar = Progress::new(header.rows, format!("merging atlas N = {}", header.n));
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
    json.commit()?;
    if let Some(c) = csv_out {
        c.commit()?;
    }
    note!(
        "merged {} shard(s): {} of N = {} written to {}",
        files.len(),
        classes(merged_classes),
        header.n,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
