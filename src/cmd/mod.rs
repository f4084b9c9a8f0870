//! The commands, one module each (as mdBook's `src/cmd/`), and what they share: the command
//! line's types, the exit code of a failure, the closed-stdout check, the build's signal
//! watcher, the one way to print to stdout, and the progress bars.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use items_or_relations::compute::{self, ComputeError};
use items_or_relations::render::{self, RenderError};

pub mod analyze;
pub mod atlas;
pub mod build;
pub mod claims;
pub mod progress;
pub mod report;

/// Items or Relations: an executable edition of Krause & Reimann (2024).
///
/// Without a subcommand: compute every chapter, write the mdBook sources to OUT/chapters and
/// build the HTML book into OUT/book.
#[derive(Debug, Parser)]
#[command(name = "items-or-relations", version, about, long_about)]
pub struct Cli {
    /// Folder that receives chapters/ and book/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// Fewer random draws and shorter training: a quick look, not the book's numbers.
    #[arg(long)]
    pub quick: bool,
    /// Build only this chapter (with the introduction, the prelude whose equations it cites, the scorecard and the appendix).
    #[arg(long, value_name = "NAME")]
    pub chapter: Option<String>,
    /// Seed for every random draw (default: each chapter's documented seed, 2024; for
    /// `analyze`, the seed of the initial weights). Also accepted after the subcommand.
    #[arg(long, value_name = "N", global = true)]
    pub seed: Option<u64>,
    /// A merged atlas file (`atlas merge` writes one) whose rows replace the atlas chapter's
    /// computed section of its length N, e.g. the full N = 5 atlas computed on a cluster.
    /// May be given once per N. (`claims --atlas-data FILE` judges the claims on it.)
    #[arg(long, value_name = "FILE")]
    pub atlas_data: Vec<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The paper's analysis of your own training set: symmetry group, orbits, invariant-matrix
    /// form, linear solution family, and trained networks' loss on all 2^N patterns.
    ///
    /// Networks: identity, tanh(z − c) with c = 0, sigmoid 1/(1 + e^(−cz)) with c = 1, each
    /// trained by Adam (lr 0.001, full batch) from W₀ ~ N(0, 0.05). With --json, the group
    /// lists at most 5040 elements (elements_truncated tells when there are more).
    Analyze {
        /// The training set: comma-separated binary patterns of one length N ≤ 10, each given
        /// once, e.g. 1100,0011.
        #[arg(long, value_name = "PATTERNS")]
        patterns: String,
        /// A test item: infer the training set's rules (its non-trivial symmetries) and apply
        /// them to it, as in the paper's ARC example (§4).
        #[arg(long, value_name = "PATTERN")]
        test: Option<String>,
        /// One JSON object instead of the report.
        #[arg(long)]
        json: bool,
        /// Training steps per network (at least 1).
        #[arg(long, value_name = "N", default_value_t = 5_000,
              value_parser = clap::value_parser!(u64).range(1..))]
        steps: u64,
    },
    /// A literate report of your own training set: an HTML page built like the book's, a
    /// notebook with its outputs, and its data as JSON and CSV, in OUT/book and OUT/chapters.
    ///
    /// Sections: the set; Σ_X with its elements and orbits; the Σ-invariant matrices; the linear
    /// solution family and what every solution reproduces beside the paper's symmetry
    /// criterion; trained identity, tanh and sigmoid networks (one per seed) with their loss on
    /// all 2^N patterns and their distance from Σ-invariance; their fixed points and flow; with
    /// --test, the rule inference. Open OUT/book/index.html (the command prints its address).
    Report {
        /// The training set: comma-separated binary patterns of one length N ≤ 10, each given
        /// once, e.g. 1100,0011.
        #[arg(long, value_name = "PATTERNS")]
        patterns: String,
        /// A test item: infer the training set's rules and apply them to it (§4).
        #[arg(long, value_name = "PATTERN")]
        test: Option<String>,
        /// Folder that receives book/ (the HTML) and chapters/ (its source, the notebook, the
        /// data). A build that fails leaves a previous report there in place.
        #[arg(long, value_name = "DIR", default_value = "report")]
        out: PathBuf,
        /// Trained networks per activation, one seed each (1 to 64; default 8, 3 with --quick).
        #[arg(long, value_name = "K",
              value_parser = clap::value_parser!(u64).range(1..=64))]
        seeds: Option<u64>,
        /// Fewer seeds and training steps, fewer Newton starts: a quick look.
        #[arg(long)]
        quick: bool,
    },
    /// Print the replication scorecard; exit 1 if a claim the code has reached fails.
    ///
    /// With --seeds, compute the ledger at every seed of a list and print, per claim, at how
    /// many seeds it held and which verdicts it got; exit 1 if any claim failed at any seed.
    Claims {
        /// One JSON array of claims (with --seeds: one JSON object) instead of the table.
        #[arg(long)]
        json: bool,
        /// A merged atlas file whose rows replace the atlas chapter's section of its N (as
        /// the book's --atlas-data); H2 is then judged on it. Not with --seeds.
        #[arg(long, value_name = "FILE", conflicts_with = "seeds")]
        atlas_data: Vec<PathBuf>,
        /// Quick settings (fewer random draws).
        #[arg(long)]
        quick: bool,
        /// A seed sweep: comma-separated seeds and ranges, `a..b` (b excluded) or `a..=b`,
        /// e.g. 1..33, 0,1,7 or 1..=8,42.
        #[arg(long, value_name = "LIST", value_parser = parse_seeds)]
        seeds: Option<SeedList>,
    },
    /// The atlas: the paper's question asked of every class of training sets of length N
    /// (non-empty subsets of {0,1}^N up to relabelling the positions), one JSON line per class.
    ///
    /// Each class's representative is studied with the paper's settings (Adam lr 0.001, full
    /// batch, W₀ ~ N(0, 0.05); identity, tanh(z), sigmoid(z)) over --seeds seeds derived from
    /// --seed (default 2024). --shard I/M computes every M-th class from the I-th (1-based);
    /// `atlas merge` combines the M files into the file the unsharded run writes, byte for
    /// byte. Rows are written to FILE.partial as the classes finish and the file is renamed
    /// when complete; a run that was stopped (a signal, a time limit, even SIGKILL) keeps its
    /// finished rows there, and the same command run again continues from them (a file of
    /// other settings is refused; remove it to start again).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Atlas {
        #[command(subcommand)]
        merge: Option<AtlasCommand>,
        /// Pattern length N (1 to 6; all classes are feasible up to 4, use --sample or
        /// --shard at 5).
        #[arg(long, value_name = "N", default_value_t = 4,
              value_parser = clap::value_parser!(u64).range(1..=6))]
        n: u64,
        /// Study a uniform random sample of this many classes (drawn with --seed) instead of
        /// every class.
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
        sample: Option<u64>,
        /// This run's shard, I/M with 1 ≤ I ≤ M (default 1/1: every class).
        #[arg(long, value_name = "I/M", value_parser = parse_shard, default_value = "1/1")]
        shard: Shard,
        /// The JSON-lines file to write (its first line is a header).
        #[arg(long, value_name = "FILE", required = true)]
        out: Option<PathBuf>,
        /// Also write the rows as CSV (documented columns) to this file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Networks per activation and class (seeds derived from --seed).
        #[arg(long, value_name = "K", default_value_t = 8,
              value_parser = clap::value_parser!(u64).range(1..=1000))]
        seeds: u64,
        /// Training steps per network.
        #[arg(long, value_name = "N", default_value_t = 5_000,
              value_parser = clap::value_parser!(u64).range(1..))]
        steps: u64,
        /// Worker threads (default: every available core).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
        threads: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AtlasCommand {
    /// Merge the shard files 1..=M of one atlas run into the file the unsharded run writes.
    /// Refuses (exit 2, nothing written) files of different runs, a shard given twice, a
    /// missing shard, and a file with fewer rows than its header promises.
    Merge {
        /// The shard files, in any order (e.g. part-*.jsonl).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The merged JSON-lines file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Also write the merged rows as CSV.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Not merge's: the shards' headers carry their settings. Declared (hidden) so that the
        /// root's global --seed is not listed in merge's help; given, it is refused.
        #[arg(long, value_name = "N", hide = true)]
        seed: Option<u64>,
    },
}

/// `--shard I/M`.
#[derive(Clone, Copy, Debug)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let bad = || format!("{text:?} is not a shard I/M with 1 <= I <= M");
    let (i, m) = text.split_once('/').ok_or_else(bad)?;
    let index: u64 = i.trim().parse().map_err(|_| bad())?;
    let count: u64 = m.trim().parse().map_err(|_| bad())?;
    if index == 0 || index > count {
        return Err(bad());
    }
    Ok(Shard { index, count })
}

/// The seeds of `claims --seeds`, as one value for clap.
#[derive(Clone, Debug)]
pub struct SeedList(pub Vec<u64>);

fn parse_seeds(text: &str) -> Result<SeedList, String> {
    compute::SweepSpec::parse_seeds(text).map(SeedList)
}

/// Failures that are the user's input, not the program's: exit code 2.
pub fn is_usage_error(e: &anyhow::Error) -> bool {
    use items_or_relations::Error as E;
    e.chain().any(|c| {
        c.downcast_ref::<RenderError>()
            .is_some_and(RenderError::is_usage_error)
            || matches!(
                c.downcast_ref::<ComputeError>(),
                Some(ComputeError::UnknownChapter { .. })
            )
            || matches!(
                c.downcast_ref::<E>(),
                Some(
                    E::NonBinary { .. }
                        | E::EmptyPattern
                        | E::EmptySet
                        | E::LengthMismatch { .. }
                        | E::DuplicatePattern { .. }
                        | E::TooLarge { .. }
                        | E::Data { .. }
                )
            )
    })
}

/// Set before `main` when file descriptor 1 was closed at start (`>&-`): Rust's runtime then
/// opens /dev/null in its place, after which every write "succeeds" and the output is lost
/// without a word. Read by `main`.
pub static STDOUT_WAS_CLOSED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Runs from the ELF `.init_array`, before Rust's runtime start-up replaces a closed standard
/// descriptor: `fcntl(1, F_GETFD)` fails with EBADF exactly when descriptor 1 is not open.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CHECK_STDOUT: extern "C" fn() = {
    extern "C" fn check_stdout() {
        // SAFETY: fcntl with F_GETFD only reads the descriptor's flags; any descriptor number
        // is allowed (a closed one gives -1 and EBADF).
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            STDOUT_WAS_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
    check_stdout
};

/// On SIGINT, SIGTERM or SIGHUP during a book or report build: remove the unfinished build
/// (its staging folder and any folder it created; a swap in progress finishes first), say so in
/// one line, and exit with 128 + the signal. Without this the signal ends the process at once
/// and leaves the staging folder behind.
pub fn watch_build_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let name = match signal {
                SIGINT => "SIGINT",
                SIGTERM => "SIGTERM",
                _ => "SIGHUP",
            };
            render::output::abandon();
            note!(
                "interrupted by {name}: the unfinished build was removed; the output folder is as it was"
            );
            std::process::exit(128 + signal);
        }
    });
}

/// The `--atlas-data` files, made absolute (the atlas notebook names them too, and runs
/// elsewhere) and checked before anything is computed: each opens and has the header of a
/// whole atlas, one per N, and the build computes the atlas chapter.
pub fn atlas_data(cli: &Cli, files: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    use items_or_relations::chapters::atlas;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    // An unknown chapter is the build's to name (with the list of chapters).
    if let Some(chapter) = cli
        .chapter
        .as_deref()
        .filter(|c| *c != "atlas" && compute::entry(c).is_some())
    {
        return Err(items_or_relations::Error::Data {
            why: format!(
                "--atlas-data is read by the atlas chapter, which --chapter {chapter} leaves out"
            ),
        }
        .into());
    }
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    atlas::open_all_data(&paths)?;
    Ok(paths)
}

/// Write `text` to stdout. A fault while writing is one error line naming `what` and its
/// cause, and exit code 1: a full disk (`> /dev/full`), and a reader that closed the pipe before
/// the end (`| head`), since what was written is then not all there is; never a panic, as
/// `println!` would give (messages to stderr go through `note!`, which never panics either).
pub fn emit(text: &str, what: &str) -> anyhow::Result<ExitCode> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            let cause = if e.kind() == std::io::ErrorKind::BrokenPipe {
                "the reader closed the pipe before the end".to_string()
            } else {
                e.to_string()
            };
            anyhow::anyhow!("writing {what} to stdout: {cause}")
        })?;
    Ok(ExitCode::SUCCESS)
}

/// "WHAT written: open file://…" on stdout, with the page's canonical path when it resolves.
pub fn print_address(what: &str, index_html: &std::path::Path) -> anyhow::Result<ExitCode> {
    let index = index_html
        .canonicalize()
        .unwrap_or_else(|_| index_html.to_path_buf());
    emit(
        &format!("{what} written: open {}\n", file_url(&index)),
        &format!("the {what}'s address"),
    )
}

/// The `file://` address of an absolute path (RFC 8089): every byte but the unreserved
/// characters of RFC 3986 and `/` percent-encoded, so that a space, `#`, `?` or `%` in a folder
/// name survives the trip through a browser's address bar.
fn file_url(path: &std::path::Path) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};
    const PATH: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    format!("file://{}", percent_encode(&bytes, PATH))
}
