//! The command line: build the book (default), print the claims scorecard.
//!
//! Input is validated once, here at the boundary; bad input gets one line naming the problem
//! and exit code 2, and nothing is written.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use items_or_relations::claims::{ClaimRow, Verdict};
use items_or_relations::render::{self, BuildOptions, RenderError};

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
    /// Build only this chapter (with the introduction and the scorecard).
    #[arg(long, value_name = "NAME")]
    chapter: Option<String>,
    /// Seed for every random draw (default: each chapter's documented seed).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the replication scorecard; exit 1 if a claim the code has reached fails.
    Claims {
        /// One JSON array of claims instead of the table.
        #[arg(long)]
        json: bool,
        /// Quick settings (fewer random draws).
        #[arg(long)]
        quick: bool,
    },
}

/// Failures that are the user's input, not the program's: exit code 2.
fn is_usage_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<RenderError>(),
            Some(RenderError::UnknownChapter { .. }) | Some(RenderError::Io { .. })
        )
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return ExitCode::SUCCESS;
            }
            // clap's message has a usage block; one line is what a script or a person needs.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments").trim();
            eprintln!("{first} (see --help)");
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
    let result = match &cli.command {
        None => build(&cli),
        Some(Command::Claims { json, quick }) => claims(&cli, *json, *quick),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(if is_usage_error(&e) { 2 } else { 1 })
        }
    }
}

fn build(cli: &Cli) -> anyhow::Result<ExitCode> {
    let opts = BuildOptions {
        out: cli.out.clone(),
        quick: cli.quick,
        chapter: cli.chapter.clone(),
        seed: cli.seed,
    };
    let start = Instant::now();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let report = render::build(&opts, &mut |done, total, chapter| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(format!("computing {chapter}"));
    })
    .context("building the book")?;
    bar.finish_and_clear();

    eprintln!("timings:");
    for (chapter, secs) in &report.compute_seconds {
        eprintln!("  compute {chapter:<12} {secs:>8.3} s");
    }
    eprintln!("  render templates    {:>8.3} s", report.render_seconds);
    eprintln!("  mdBook              {:>8.3} s", report.mdbook_seconds);
    eprintln!(
        "  total               {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    let t = report.tally;
    eprintln!(
        "claims: {} reproduced, {} differ, {} paper typos, {} pending, {} failing",
        t.reproduced, t.differs, t.paper_typo, t.pending, t.failing
    );
    if !report.failing_claims.is_empty() {
        eprintln!("failing claims: {}", report.failing_claims.join(", "));
    }
    let index = report
        .index_html
        .canonicalize()
        .unwrap_or(report.index_html.clone());
    println!("book written: open file://{}", index.display());
    Ok(ExitCode::SUCCESS)
}

/// JSON shape of one claim for `claims --json`.
#[derive(serde::Serialize)]
struct ClaimJson<'a> {
    id: &'a str,
    statement: &'a str,
    verdict: &'a str,
    paper: Option<&'a str>,
    ours: Option<&'a str>,
    tolerance: Option<&'a str>,
    reason: Option<&'a str>,
    test: Option<&'a str>,
    chapter: &'a str,
    ok: bool,
}

fn claims(cli: &Cli, json: bool, quick: bool) -> anyhow::Result<ExitCode> {
    let opts = BuildOptions {
        out: cli.out.clone(),
        quick: quick || cli.quick,
        chapter: None,
        seed: cli.seed,
    };
    let computed =
        render::compute_all(&opts, &mut |_, _, _| {}).context("computing the chapters")?;
    let rows: Vec<ClaimRow> = render::claim_rows(&computed);
    if json {
        let out: Vec<ClaimJson> = rows
            .iter()
            .map(|r| ClaimJson {
                id: &r.id,
                statement: &r.statement,
                verdict: r.verdict.as_str(),
                paper: r.paper.as_deref(),
                ours: r.ours.as_deref(),
                tolerance: r.tolerance.as_deref(),
                reason: r.reason.as_deref(),
                test: r.test.as_deref(),
                chapter: &r.chapter,
                ok: r.ok,
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{:<4} {:<11} ours (or the statement, while pending)",
            "id", "verdict"
        );
        for r in &rows {
            let flag = if r.ok { "" } else { "  <-- FAILING" };
            let text = match (&r.ours, r.verdict) {
                (Some(ours), _) => ours.clone(),
                (None, Verdict::Pending) => r.statement.clone(),
                (None, _) => String::new(),
            };
            println!("{:<4} {:<11} {}{}", r.id, r.verdict.as_str(), text, flag);
        }
        let t = items_or_relations::claims::tally(&rows);
        println!(
            "{} reproduced, {} differ, {} paper typos, {} pending, {} failing",
            t.reproduced, t.differs, t.paper_typo, t.pending, t.failing
        );
    }
    Ok(if rows.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
