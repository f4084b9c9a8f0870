//! The command line: build the book (default), analyse a training set, print the claims
//! scorecard.
//!
//! Input is validated once, here at the boundary; bad input gets one line naming the problem
//! and exit code 2, and nothing is written.
//!
//! This file parses the command line and dispatches; each command is a module of `cmd/`, where
//! the command line's types and what the commands share live too.

use std::process::ExitCode;

use clap::Parser;
use cmd::{AtlasCommand, Cli, Command, STDOUT_WAS_CLOSED, emit, is_usage_error};

/// `eprintln!` that never panics: a message that cannot be written to stderr (closed, or a
/// full disk behind `2>file`) is dropped, and the exit code still tells what happened.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

// Below `note!`: a `macro_rules!` macro is visible only after its definition, here in every
// command module.
mod cmd;

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
        None => cmd::build::execute(&cli),
        Some(Command::Claims {
            json,
            quick,
            seeds: Some(seeds),
            ..
        }) => cmd::claims::sweep(&seeds.0, *json, *quick || cli.quick),
        Some(Command::Claims {
            json,
            quick,
            atlas_data,
            ..
        }) => cmd::claims::execute(&cli, *json, *quick, atlas_data),
        Some(Command::Analyze {
            patterns,
            test,
            json,
            steps,
        }) => cmd::analyze::execute(patterns, test.as_deref(), *json, *steps, cli.seed),
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
            cmd::atlas::merge_files(files, out, csv.as_deref())
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
        }) => cmd::atlas::run(&cmd::atlas::RunArgs {
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
        }) => cmd::report::execute(
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
