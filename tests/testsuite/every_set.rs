//! No training set the commands accept makes them panic: every non-empty set of patterns of
//! length N ≤ 3 (3 + 15 + 255 sets) and seeded random sets up to N = 10 go through `analyze`
//! (its terminal report and its JSON) and `report` (compute, figures, page, notebook, data:
//! everything but mdBook) in process; a sample of them through the binary itself, mdBook
//! included, which must exit 0 (or 1, a report check that fails, said on stderr), never 101
//! (a panic) and never 2 (those sets are valid input).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use items_or_relations::analyze::{self, TrainingSettings};
use items_or_relations::pattern::{Pattern, PatternSet};
use items_or_relations::render::report::{ReportOptions, render_report};
use items_or_relations::report::Params;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every non-empty set of binary patterns of length `n`, in the order of the bit masks over
/// [`Pattern::all`]: 2^(2^n) − 1 sets (3, 15, 255 for n = 1, 2, 3).
fn every_set(n: usize) -> Vec<String> {
    let all: Vec<String> = Pattern::all(n)
        .unwrap()
        .iter()
        .map(Pattern::to_string)
        .collect();
    (1u64..1 << all.len())
        .map(|mask| {
            all.iter()
                .enumerate()
                .filter(|(k, _)| mask >> k & 1 == 1)
                .map(|(_, p)| p.as_str())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}

/// `count` random sets at each N from 4 to 10: each of 1 to 12 distinct random patterns
/// (seeded, so the same sets every run), the all-zero and the all-one pattern among the
/// candidates like any other.
fn random_sets(count: usize, seed: u64) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for n in 4..=10usize {
        for _ in 0..count {
            let m = rng.random_range(1..=12usize);
            let mut set: Vec<String> = Vec::new();
            while set.len() < m {
                let p: String = (0..n)
                    .map(|_| if rng.random_bool(0.5) { '1' } else { '0' })
                    .collect();
                if !set.contains(&p) {
                    set.push(p);
                }
            }
            out.push(set.join(","));
        }
    }
    out
}

/// A test item for `patterns`: the complement of its first pattern (an item of X or not).
fn test_item(patterns: &str) -> String {
    patterns
        .split(',')
        .next()
        .unwrap()
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}

/// Run `f` for every set; the sets for which it panicked or returned an error, with why.
fn failures(sets: &[String], f: impl Fn(&str) -> Result<(), String>) -> Vec<String> {
    let mut failed = Vec::new();
    for set in sets {
        match catch_unwind(AssertUnwindSafe(|| f(set))) {
            Ok(Ok(())) => {}
            Ok(Err(why)) => failed.push(format!("{set}: {why}")),
            Err(panic) => {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failed.push(format!("{set}: panicked: {why}"));
            }
        }
    }
    failed
}

/// `analyze` in process: the analysis (with a test item), its terminal report and its JSON.
/// 50 training steps: what can panic is the shape of the set, not how far training got.
fn analyze_in_process(patterns: &str) -> Result<(), String> {
    let set = PatternSet::parse(patterns).map_err(|e| e.to_string())?;
    let test = Pattern::parse(&test_item(patterns)).map_err(|e| e.to_string())?;
    let settings = TrainingSettings {
        steps: 50,
        ..TrainingSettings::default()
    };
    for t in [None, Some(&test)] {
        let a = analyze::analyze(&set, t, &settings).map_err(|e| e.to_string())?;
        let text = a.report();
        if !text.starts_with("Training set X = {") {
            return Err(format!("the terminal report opens with {text:.40?}"));
        }
        let json = serde_json::to_string(&a).map_err(|e| e.to_string())?;
        if !json.contains("\"symmetry_group\"") {
            return Err("the JSON has no symmetry_group".into());
        }
    }
    Ok(())
}

/// A folder for `render_report` (the notebook's `:dep` path is taken relative to it; nothing
/// is written there).
fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("every-set");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `report` in process, everything but mdBook: quick settings with one seed and 300 steps
/// (the networks then hold some items and not others: more kinds of fixed points, not fewer).
fn report_in_process(patterns: &str) -> Result<(), String> {
    let opts = ReportOptions {
        out: out_dir(),
        params: Params {
            test: Some(test_item(patterns)),
            seeds: 1,
            steps: 300,
            newton_starts: 10,
            ..Params::quick(patterns)
        },
        quick: true,
    };
    let r = render_report(&opts, &mut |_, _, _| {}).map_err(|e| format!("{e:#}"))?;
    let names: Vec<String> = r.files.iter().map(|f| f.0.display().to_string()).collect();
    for want in [
        "SUMMARY.md",
        "report.md",
        "report.ipynb",
        "data/report.json",
    ] {
        if !names.iter().any(|n| n == want) {
            return Err(format!("no {want} among {names:?}"));
        }
    }
    Ok(())
}

/// Every non-empty set at N ≤ 3 through `analyze`, in process: no panic, no error.
#[test]
fn analyze_takes_every_set_up_to_length_3() {
    let sets: Vec<String> = (1..=3).flat_map(every_set).collect();
    assert_eq!(sets.len(), 3 + 15 + 255);
    let failed = failures(&sets, analyze_in_process);
    assert!(
        failed.is_empty(),
        "{} sets:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Every non-empty set at N ≤ 3 through `report` (everything but mdBook), in process: no
/// panic, no error.
#[test]
fn report_takes_every_set_up_to_length_3() {
    let sets: Vec<String> = (1..=3).flat_map(every_set).collect();
    let failed = failures(&sets, report_in_process);
    assert!(
        failed.is_empty(),
        "{} sets:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Two random sets at each N from 4 to 10 through `analyze` and `report`, in process.
#[test]
fn both_commands_take_random_sets_up_to_length_10() {
    let sets = random_sets(2, 24);
    let failed = failures(&sets, |s| {
        analyze_in_process(s)?;
        report_in_process(s)
    });
    assert!(
        failed.is_empty(),
        "{} sets:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// What one run of the binary did, if it did not do what valid input should: exit 0 (or 1 for
/// `report` with a failing check, which stderr names), no panic, the output promised.
fn binary_fault(args: &[&str], out: Option<&Path>) -> Option<String> {
    let r = Command::new(env!("CARGO_BIN_EXE_items-or-relations"))
        .args(args)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&r.stdout);
    let stderr = String::from_utf8_lossy(&r.stderr);
    let code = r.status.code();
    let fault = if stderr.contains("panicked") || code == Some(101) {
        Some("panicked")
    } else if out.is_some() {
        match code {
            Some(0) => None,
            Some(1) if stderr.contains("failing checks: ") => None,
            _ => Some("exit code"),
        }
        .or_else(|| {
            let page = out.map(|o| o.join("book/report.html"));
            (!stdout.starts_with("report written: open file://")
                || !page.is_some_and(|p| p.is_file()))
            .then_some("no report written")
        })
    } else if code != Some(0) {
        Some("exit code")
    } else if args.contains(&"--json") {
        serde_json::from_str::<serde_json::Value>(&stdout)
            .err()
            .map(|_| "no JSON")
    } else {
        (!stdout.starts_with("Training set X = {")).then_some("no terminal report")
    };
    fault.map(|f| format!("{args:?}: {f}, exit {code:?}: {}", stderr.trim_end()))
}

/// The binary, mdBook included, on every set at N ≤ 2, every 32nd set at N = 3 and one
/// random set at N = 5 and at N = 8: `analyze` (terminal, and JSON with a test item; 200
/// steps), `report --quick`. Exit 0 or 1 (a failing check, named on stderr), never a panic,
/// never 2, and the output each promises.
#[test]
fn the_binary_takes_a_sample_of_sets() {
    let mut sets: Vec<String> = (1..=2).flat_map(every_set).collect();
    sets.extend(every_set(3).into_iter().step_by(32));
    let random = random_sets(1, 7);
    sets.extend([random[1].clone(), random[4].clone()]);
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("every-set-binary");
    let mut faults = Vec::new();
    for (k, set) in sets.iter().enumerate() {
        let test = test_item(set);
        faults.extend(binary_fault(
            &["analyze", "--patterns", set, "--steps", "200"],
            None,
        ));
        faults.extend(binary_fault(
            &[
                "analyze",
                "--patterns",
                set,
                "--test",
                &test,
                "--json",
                "--steps",
                "200",
            ],
            None,
        ));
        let out = root.join(k.to_string());
        let _ = std::fs::remove_dir_all(&out);
        let o = out.to_str().unwrap();
        faults.extend(binary_fault(
            &["report", "--patterns", set, "--quick", "--out", o],
            Some(&out),
        ));
        let _ = std::fs::remove_dir_all(&out);
    }
    assert!(
        faults.is_empty(),
        "{} runs:\n{}",
        faults.len(),
        faults.join("\n")
    );
}
