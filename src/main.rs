//! The command line: build the book (default), analyse a training set, print the claims
//! scorecard.
//!
//! Input is validated once, here at the boundary; bad input gets one line naming the problem
//! and exit code 2, and nothing is written.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use items_or_relations::analyze::{self, TrainingSettings};
use items_or_relations::claims::{ClaimRow, Verdict};
use items_or_relations::compute::{self, ComputeError};
use items_or_relations::pattern::{Pattern, PatternSet};
use items_or_relations::render::{self, BuildOptions, RenderError};

/// `eprintln!` that never panics: a message that cannot be written to stderr (closed, or a
/// full disk behind `2>file`) is dropped, and the exit code still tells what happened.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod atlas;

/// Items or Relations: an executable edition of Krause & Reimann (2024).
///
/// Without a subcommand: compute every chapter, write the mdBook sources to OUT/chapters and
/// build the HTML book into OUT/book.
#[derive(Debug, Parser)]
#[command(name = "items-or-relations", version, about, long_about)]
struct Cli {
    /// Folder that receives chapters/ and book/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
    /// Fewer random draws and shorter training: a quick look, not the book's numbers.
    #[arg(long)]
    quick: bool,
    /// Build only this chapter (with the introduction, the prelude whose equations it cites, the scorecard and the appendix).
    #[arg(long, value_name = "NAME")]
    chapter: Option<String>,
    /// Seed for every random draw (default: each chapter's documented seed, 2024; for
    /// `analyze`, the seed of the initial weights). Also accepted after the subcommand.
    #[arg(long, value_name = "N", global = true)]
    seed: Option<u64>,
    /// A merged atlas file (`atlas merge` writes one) whose rows replace the atlas chapter's
    /// computed section of its length N, e.g. the full N = 5 atlas computed on a cluster.
    /// May be given once per N. (`claims --atlas-data FILE` judges the claims on it.)
    #[arg(long, value_name = "FILE")]
    atlas_data: Vec<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
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
enum AtlasCommand {
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
struct Shard {
    index: u64,
    count: u64,
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

/// Failures that are the user's input, not the program's: exit code 2.
fn is_usage_error(e: &anyhow::Error) -> bool {
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
static STDOUT_WAS_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

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
fn watch_build_signals() {
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

fn main() -> ExitCode {
    if STDOUT_WAS_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        note!(
            "error: standard output is closed (>&-), so what this command prints would be lost; nothing was done (redirect it to a file or to /dev/null instead)"
        );
        return ExitCode::FAILURE;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let what = if e.kind() == ErrorKind::DisplayVersion {
                    "the version"
                } else {
                    "the help text"
                };
                return match emit(&e.to_string(), what) {
                    Ok(code) => code,
                    Err(e) => {
                        note!("error: {e:#}");
                        ExitCode::FAILURE
                    }
                };
            }
            // clap's message has a usage block; one line is what a script or a person needs.
            // Its first paragraph is the message (a missing argument is named on the lines
            // after "the following required arguments were not provided:").
            let text = e.render().to_string();
            let first: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            let first = if first.is_empty() {
                "invalid arguments".to_string()
            } else {
                first.join(" ")
            };
            note!("{first} (see --help)");
            return ExitCode::from(2);
        }
    };
    // mdBook reports its warnings through `tracing`; without a subscriber they vanish.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing_subscriber::filter::LevelFilter::WARN)
        .with_target(false)
        .without_time()
        .init();
    if !cli.atlas_data.is_empty() && cli.command.is_some() {
        note!(
            "error: --atlas-data before a subcommand is the book build's; for the claims write `claims --atlas-data FILE` (see --help)"
        );
        return ExitCode::from(2);
    }
    let result = match &cli.command {
        None => build(&cli),
        Some(Command::Claims {
            json,
            quick,
            seeds: Some(seeds),
            ..
        }) => claims_sweep(&seeds.0, *json, *quick || cli.quick),
        Some(Command::Claims {
            json,
            quick,
            atlas_data,
            ..
        }) => claims(&cli, *json, *quick, atlas_data),
        Some(Command::Analyze {
            patterns,
            test,
            json,
            steps,
        }) => analyze_set(patterns, test.as_deref(), *json, *steps, cli.seed),
        Some(Command::Atlas {
            merge:
                Some(AtlasCommand::Merge {
                    files,
                    out,
                    csv,
                    seed,
                }),
            ..
        }) => {
            if cli.seed.is_some() || seed.is_some() {
                note!(
                    "error: atlas merge takes no --seed: the shards' headers carry their settings (see --help)"
                );
                return ExitCode::from(2);
            }
            atlas::merge_files(files, out, csv.as_deref())
        }
        Some(Command::Atlas {
            merge: None,
            n,
            sample,
            shard,
            out,
            csv,
            seeds,
            steps,
            threads,
        }) => atlas::run(&atlas::RunArgs {
            n: *n,
            sample: *sample,
            shard: (shard.index, shard.count),
            out: out.clone(),
            csv: csv.clone(),
            seeds: *seeds,
            steps: *steps,
            threads: *threads,
            seed: cli.seed,
        }),
        Some(Command::Report {
            patterns,
            test,
            out,
            seeds,
            quick,
        }) => report(
            patterns,
            test.as_deref(),
            out,
            *seeds,
            *quick || cli.quick,
            cli.seed,
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            note!("error: {e:#}");
            ExitCode::from(if is_usage_error(&e) { 2 } else { 1 })
        }
    }
}

/// The `--atlas-data` files, made absolute (the atlas notebook names them too, and runs
/// elsewhere) and checked before anything is computed: each opens and has the header of a
/// whole atlas, one per N, and the build computes the atlas chapter.
fn atlas_data(cli: &Cli, files: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
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

fn build(cli: &Cli) -> anyhow::Result<ExitCode> {
    let opts = BuildOptions {
        out: cli.out.clone(),
        compute: compute::Options {
            quick: cli.quick,
            chapter: cli.chapter.clone(),
            seed: cli.seed,
            sweep: Some(compute::SweepSpec::for_book(cli.quick)),
            atlas_data: atlas_data(cli, &cli.atlas_data)?,
        },
    };
    let start = Instant::now();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    watch_build_signals();
    let report = render::build(&opts, &mut |done, total, chapter| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(format!("computing {chapter}"));
    })
    .context("building the book")?;
    bar.finish_and_clear();

    note!("timings:");
    for (chapter, secs) in &report.compute_seconds {
        note!("  compute {chapter:<12} {secs:>8.3} s");
    }
    note!("  render templates    {:>8.3} s", report.render_seconds);
    note!("  mdBook              {:>8.3} s", report.mdbook_seconds);
    note!(
        "  total               {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    note!("claims: {}", tally_line(&report.tally));
    if !report.failing_claims.is_empty() {
        note!("failing claims: {}", report.failing_claims.join(", "));
    }
    print_address("book", &report.index_html)
}

/// "WHAT written: open file://…" on stdout, with the page's canonical path when it resolves.
fn print_address(what: &str, index_html: &std::path::Path) -> anyhow::Result<ExitCode> {
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

/// `analyze`: validate the input once, compute everything, then print (nothing is printed when
/// the input is refused or the computation fails).
fn analyze_set(
    patterns: &str,
    test: Option<&str>,
    json: bool,
    steps: u64,
    seed: Option<u64>,
) -> anyhow::Result<ExitCode> {
    let set =
        PatternSet::parse(patterns).with_context(|| format!("--patterns {patterns:?} refused"))?;
    let test = test
        .map(|t| {
            let p = Pattern::parse(t).with_context(|| format!("--test {t:?} refused"))?;
            if p.len() != set.n() {
                return Err(
                    anyhow::Error::new(items_or_relations::Error::LengthMismatch {
                        pattern: p.to_string(),
                        expected: set.n(),
                        found: p.len(),
                    })
                    .context(format!(
                        "--test {t:?} refused: it must have the length of the training patterns"
                    )),
                );
            }
            Ok(p)
        })
        .transpose()?;
    let defaults = TrainingSettings::default();
    let settings = TrainingSettings {
        steps: usize::try_from(steps).context("--steps is too large")?,
        seed: seed.unwrap_or(defaults.seed),
        ..defaults
    };
    let analysis =
        analyze::analyze(&set, test.as_ref(), &settings).context("analysing the training set")?;
    let text = if json {
        format!("{}\n", serde_json::to_string_pretty(&analysis)?)
    } else {
        analysis.report()
    };
    emit(&text, "the analysis")
}

/// `report`: validate the input once (nothing is written when it is refused), then compute,
/// render and build the report into `out` through a staging folder.
fn report(
    patterns: &str,
    test: Option<&str>,
    out: &std::path::Path,
    seeds: Option<u64>,
    quick: bool,
    seed: Option<u64>,
) -> anyhow::Result<ExitCode> {
    use items_or_relations::render::report::{ReportOptions, build_report, validate};
    use items_or_relations::report::Params;
    let mut params = if quick {
        Params::quick(patterns)
    } else {
        Params::new(patterns)
    };
    params.test = test.map(str::to_string);
    if let Some(k) = seeds {
        params.seeds = usize::try_from(k).context("--seeds is too large")?;
    }
    if let Some(seed) = seed {
        params.seed = seed;
    }
    validate(&params).with_context(|| match test {
        Some(t) => format!("--patterns {patterns:?} --test {t:?} refused"),
        None => format!("--patterns {patterns:?} refused"),
    })?;
    let start = Instant::now();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let opts = ReportOptions {
        out: out.to_path_buf(),
        params,
        quick,
    };
    watch_build_signals();
    let built = build_report(&opts, &mut |done, total, stage| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(stage.to_string());
    })
    .context("building the report")?;
    bar.finish_and_clear();
    note!("timings:");
    note!("  compute             {:>8.3} s", built.compute_seconds);
    note!("  render              {:>8.3} s", built.render_seconds);
    note!("  mdBook              {:>8.3} s", built.mdbook_seconds);
    note!(
        "  total               {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    if !built.failing_claims.is_empty() {
        note!(
            "failing checks: {} (see the report's last table)",
            built.failing_claims.join(", ")
        );
    }
    print_address("report", &built.index_html)?;
    Ok(if built.failing_claims.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Write `text` to stdout. A fault while writing is one error line naming `what` and its
/// cause, and exit code 1: a full disk (`> /dev/full`), and a reader that closed the pipe before
/// the end (`| head`), since what was written is then not all there is; never a panic, as
/// `println!` would give (messages to stderr go through `note!`, which never panics either).
fn emit(text: &str, what: &str) -> anyhow::Result<ExitCode> {
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

/// JSON shape of one claim for `claims --json`.
#[derive(serde::Serialize)]
struct ClaimJson<'a> {
    id: &'a str,
    statement: &'a str,
    verdict: &'a str,
    /// The finding's own verdict when the row is failing.
    found: Option<&'a str>,
    paper: Option<&'a str>,
    ours: Option<&'a str>,
    tolerance: Option<&'a str>,
    reason: Option<&'a str>,
    test: Option<&'a str>,
    chapter: &'a str,
    ok: bool,
}

fn claims(cli: &Cli, json: bool, quick: bool, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let opts = compute::Options {
        quick: quick || cli.quick,
        chapter: None,
        seed: cli.seed,
        sweep: None,
        atlas_data: atlas_data(cli, files)?,
    };
    let computed =
        compute::compute_all(&opts, &mut |_, _, _| {}).context("computing the chapters")?;
    let rows: Vec<ClaimRow> = compute::claim_rows(&computed);
    let errata: Vec<ClaimRow> = compute::errata_rows(&computed);
    let mut text;
    if json {
        let out: Vec<ClaimJson> = rows
            .iter()
            .map(|r| ClaimJson {
                id: &r.id,
                statement: &r.statement,
                verdict: r.verdict.key(),
                found: r.found.map(Verdict::key),
                paper: r.paper.as_deref(),
                ours: r.ours.as_deref(),
                tolerance: r.tolerance.as_deref(),
                reason: r.reason.as_deref(),
                test: r.test.as_deref(),
                chapter: &r.chapter,
                ok: r.ok,
            })
            .collect();
        text = format!("{}\n", serde_json::to_string_pretty(&out)?);
    } else {
        text = format!(
            "{:<4} {:<24} ours (or the statement, while pending)\n",
            "id", "verdict"
        );
        for r in &rows {
            let flag = if r.ok { "" } else { "  <--" };
            let ours = match (&r.ours, r.verdict) {
                (Some(ours), _) => ours.clone(),
                (None, Verdict::Pending | Verdict::NotComputed) => r.statement.clone(),
                (None, _) => String::new(),
            };
            text.push_str(&format!(
                "{:<4} {:<24} {}{}\n",
                r.id,
                r.verdict.as_str(),
                ours,
                flag
            ));
        }
        text.push_str(&tally_line(&items_or_relations::claims::tally(&rows)));
        text.push('\n');
        let confirmed = errata.iter().filter(|r| r.ok && r.ours.is_some()).count();
        text.push_str(&format!(
            "errata: {confirmed} of {} confirmed by their computed evidence",
            errata.len()
        ));
        let failing: Vec<&str> = errata
            .iter()
            .filter(|r| !r.ok)
            .map(|r| r.id.as_str())
            .collect();
        if !failing.is_empty() {
            text.push_str(&format!(" (FAILING: {})", failing.join(", ")));
        }
        text.push('\n');
    }
    emit(&text, "the claims")?;
    Ok(if rows.iter().chain(&errata).all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// "23 reproduced, 4 differ, …" for the terminal.
fn tally_line(t: &items_or_relations::claims::Tally) -> String {
    let mut line = format!(
        "{} reproduced, {} reproduced after fitting, {} qualified, {} differ, {} paper typos",
        t.reproduced, t.reproduced_after_fitting, t.qualified, t.differs, t.paper_typo
    );
    if t.supported + t.not_supported > 0 {
        line.push_str(&format!(
            ", {} supported, {} not supported",
            t.supported, t.not_supported
        ));
    }
    line.push_str(&format!(", {} pending", t.pending));
    if t.not_computed > 0 {
        line.push_str(&format!(", {} not computed in this build", t.not_computed));
    }
    line.push_str(&format!(", {} failing", t.failing));
    line
}

/// The seeds of `claims --seeds`, as one value for clap.
#[derive(Clone, Debug)]
struct SeedList(Vec<u64>);

fn parse_seeds(text: &str) -> Result<SeedList, String> {
    compute::SweepSpec::parse_seeds(text).map(SeedList)
}

/// `claims --seeds`: the ledger at every seed, claim by claim.
fn claims_sweep(seeds: &[u64], json: bool, quick: bool) -> anyhow::Result<ExitCode> {
    let spec = compute::SweepSpec {
        seeds: seeds.to_vec(),
        quick,
    };
    let bar = ProgressBar::new(seeds.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} seeds, {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let start = Instant::now();
    let sweep = compute::sweep(None, &spec, &|done, _| bar.set_position(done as u64))
        .context("computing the claims at every seed")?;
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let text = if json {
        format!("{}\n", serde_json::to_string_pretty(&sweep)?)
    } else {
        let mut text = format!(
            "{} seeds ({} settings), {:.1} s ({:.2} s a seed)\n{:<4} {:<9} verdicts across the seeds\n",
            seeds.len(),
            if quick { "quick" } else { "full" },
            seconds,
            seconds / seeds.len() as f64,
            "id",
            "holds"
        );
        for c in &sweep.claims {
            let verdicts: Vec<String> =
                c.verdicts.iter().map(|(v, n)| format!("{v} {n}")).collect();
            let failing = if c.failing_seeds.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = c.failing_seeds.iter().map(u64::to_string).collect();
                format!("  <-- fails at seeds {}", list.join(", "))
            };
            text.push_str(&format!(
                "{:<4} {:<9} {}{}\n",
                c.id,
                format!("{}/{}", c.holds, c.computed),
                verdicts.join(", "),
                failing
            ));
        }
        for (kind, name) in [("claim", "claims"), ("erratum", "errata checks")] {
            let of_kind = || sweep.claims.iter().filter(|c| c.kind == kind);
            let held = of_kind().filter(|c| c.holds == c.computed).count();
            text.push_str(&format!(
                "{held} of {} {name} hold at every seed\n",
                of_kind().count()
            ));
        }
        text
    };
    emit(&text, "the sweep")?;
    Ok(if sweep.all_hold() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
