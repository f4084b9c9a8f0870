//! The `atlas` command's files: run one shard and write it, or merge shards. The rows and the
//! file format are the library's ([`items_or_relations::chapters::atlas::rows`] and
//! [`items_or_relations::chapters::atlas::files`]); this module
//! adds the command line's duties: validate once, show progress, write under a temporary name
//! and rename when complete (a killed shard leaves no file `merge` would accept), and refuse
//! bad shard sets with one line and exit code 2.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    eprintln!("error: {message}");
    Ok(ExitCode::from(2))
}

/// `path` with `.partial` appended: where a file is written before it is complete.
fn partial(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".partial");
    PathBuf::from(name)
}

/// A file written under a temporary name, renamed to its own by [`Staged::commit`] and
/// removed if dropped before.
struct Staged {
    path: PathBuf,
    temp: PathBuf,
    out: BufWriter<File>,
    committed: bool,
}

impl Staged {
    fn create(path: &Path) -> anyhow::Result<Self> {
        let temp = partial(path);
        let file =
            File::create(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
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
        std::fs::rename(&self.temp, &self.path).with_context(|| {
            format!(
                "renaming {} to {}",
                self.temp.display(),
                self.path.display()
            )
        })?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// `atlas`: compute one shard and write it (and its CSV).
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let Some(out) = &args.out else {
        return usage("atlas needs --out FILE (or the merge subcommand) (see --help)");
    };
    let n = usize::try_from(args.n)?;
    if args.sample.is_none() && n > 4 && args.shard.1 == 1 {
        eprintln!(
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
    if let Some(count) = args.sample {
        let total = items_or_relations::maths::classes::burnside_count(n)?;
        if u128::from(count) > total {
            return usage(&format!(
                "--sample {count}: there are only {total} classes at N = {n}"
            ));
        }
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
    let bar = progress_bar(header.rows, format!("N = {n}, shard {shard}/{shards}"));
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
        bar.set_position(done);
    })
    .context("computing the atlas")?;
    bar.finish_and_clear();
    json.commit()?;
    if let Some((c, _)) = csv {
        c.commit()?;
    }
    eprintln!(
        "atlas N = {n}, shard {shard}/{shards}: {} classes written to {}",
        header.rows,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `atlas merge`: check that the files are the shards 1..=M of one run (headers only), then
/// stream their rows in class order into the merged file (and CSV), one row per shard in
/// memory: the full N = 5 atlas is about 50 GB. A shard found wrong on the way (a bad or
/// missing row) removes what was written and exits 2.
pub fn merge_files(files: &[PathBuf], out: &Path, csv: Option<&Path>) -> anyhow::Result<ExitCode> {
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
    let bar = progress_bar(header.rows, format!("merging N = {}", header.n));
    let mut written = 0u64;
    let merged = files::merge_rows(readers, &mut |r| {
        write_raw_row(json.writer(), r)?;
        if let Some(c) = csv_out.as_mut() {
            files::write_csv(c.writer(), std::slice::from_ref(&r.row), false)?;
        }
        written += 1;
        if written.is_multiple_of(1024) {
            bar.set_position(written);
        }
        Ok(())
    });
    bar.finish_and_clear();
    let classes = match merged {
        Ok(classes) => classes,
        Err(MergeError::Data(e)) => return usage(&e.to_string()),
        Err(MergeError::Write(e)) => {
            return Err(e).with_context(|| format!("writing {}", out.display()));
        }
    };
    json.commit()?;
    if let Some(c) = csv_out {
        c.commit()?;
    }
    eprintln!(
        "merged {} shard(s): {classes} classes of N = {} written to {}",
        files.len(),
        header.n,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A progress bar over `len` classes, with `message`.
fn progress_bar(len: u64, message: String) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} classes, {elapsed}, eta {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}
