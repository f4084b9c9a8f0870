//! The output folder belongs to the user: a build replaces only what an earlier build of this
//! tool wrote, two builds into one folder never leave a partial output, a signal removes the
//! unfinished build, and what the command prints survives paths with spaces or `#`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_items-or-relations"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ior-outdir-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file below `dir` (relative path → bytes), the tool's lock and timings left out.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                if !rel.ends_with("timings.json") {
                    out.insert(rel, fs::read(&path).unwrap());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The staging folders left in `out`'s state folder.
fn staging_left(out: &Path) -> Vec<String> {
    fs::read_dir(out.join(".items-or-relations"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("staging"))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_one_line_refusal(output: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{err}");
}

const REPORT: [&str; 4] = ["report", "--quick", "--patterns", "101,110"];

/// The fault that lost data: a build in the root of an mdBook project replaced its `book/`.
/// Now the book build and `report` refuse a `book/` they did not write, touch nothing (no
/// `chapters/`, no state folder) and keep the user's file.
#[test]
fn a_book_folder_the_tool_did_not_write_is_refused_and_kept() {
    let dir = scratch("foreign");
    fs::create_dir_all(dir.join("book")).unwrap();
    fs::write(dir.join("book/CNAME"), "keep\n").unwrap();
    let before = tree(&dir);
    let build = bin()
        .current_dir(&dir)
        .args(["--chapter", "prelude", "--quick"])
        .output()
        .unwrap();
    assert_one_line_refusal(&build, "was not written by items-or-relations");
    let report = bin()
        .args(REPORT)
        .args(["--out", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_one_line_refusal(&report, "book was not written by items-or-relations");
    assert_eq!(tree(&dir), before, "nothing touched");
    assert!(!dir.join("chapters").exists() && !dir.join(".items-or-relations").exists());
    let _ = fs::remove_dir_all(&dir);
}

/// A build's own output is replaced; a file the user added to it afterwards makes the next
/// build refuse, naming that file, and the file is kept.
#[test]
fn a_file_added_to_the_output_is_kept() {
    let dir = scratch("added");
    let out = dir.join("r");
    let o = out.to_str().unwrap();
    assert!(
        bin()
            .args(REPORT)
            .args(["--out", o])
            .status()
            .unwrap()
            .success()
    );
    assert!(
        bin()
            .args(REPORT)
            .args(["--out", o])
            .status()
            .unwrap()
            .success()
    );
    fs::write(out.join("chapters/notes.txt"), "mine").unwrap();
    let again = bin().args(REPORT).args(["--out", o]).output().unwrap();
    assert_one_line_refusal(&again, "notes.txt was not written by items-or-relations");
    assert_eq!(
        fs::read_to_string(out.join("chapters/notes.txt")).unwrap(),
        "mine"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// Pairs of builds into one folder, started together: each either finishes whole (exit 0) or
/// is refused at once (exit 2, "another build"), and the folder always ends with one whole
/// report and no staging folder.
#[test]
fn concurrent_builds_never_leave_a_partial_output() {
    let dir = scratch("race");
    let out = dir.join("r");
    let o = out.to_str().unwrap();
    for round in 0..4 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                bin()
                    .args(REPORT)
                    .args(["--out", o])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let mut succeeded = 0;
        for output in &outputs {
            match output.status.code() {
                Some(0) => succeeded += 1,
                Some(2) => assert_one_line_refusal(output, "another build is writing into"),
                other => panic!(
                    "round {round}: exit {other:?}: {}",
                    String::from_utf8_lossy(&output.stderr)
                ),
            }
        }
        assert!(succeeded >= 1, "round {round}: one build finishes");
        for file in [
            "book/index.html",
            "book/report.html",
            "chapters/report.ipynb",
        ] {
            assert!(out.join(file).is_file(), "round {round}: {file} missing");
        }
        assert!(staging_left(&out).is_empty(), "round {round}");
    }
    let _ = fs::remove_dir_all(&dir);
}

/// SIGINT, SIGTERM and SIGHUP during a build: exit 128 + the signal with one line, no staging
/// folder left, the previous output unchanged.
#[test]
fn a_signal_removes_the_unfinished_build_and_keeps_the_previous_one() {
    let dir = scratch("signal");
    let out = dir.join("r");
    let o = out.to_str().unwrap();
    // The full report settings take long enough (seconds) to be interrupted mid-build.
    let slow = ["report", "--patterns", "1100,0011,1010", "--out", o];
    assert!(
        bin()
            .args(REPORT)
            .args(["--out", o])
            .status()
            .unwrap()
            .success()
    );
    let before = tree(&out);
    for (signal, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        let child = bin()
            .args(slow)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while staging_left(&out).is_empty() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no staging folder"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(128 + number),
            "SIG{signal}: {err}"
        );
        assert!(
            err.contains(&format!("interrupted by SIG{signal}")),
            "{err}"
        );
        assert!(staging_left(&out).is_empty(), "SIG{signal}: staging left");
        assert_eq!(
            tree(&out),
            before,
            "SIG{signal}: the previous report changed"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

/// The printed `file://` address opens the page: a space, `#` and `%` in the folder's name are
/// percent-encoded (RFC 3986), and decoding the address gives the page's path.
#[test]
fn the_printed_address_is_percent_encoded() {
    let dir = scratch("url");
    let out = dir.join("my report #1 100%");
    let output = bin()
        .args(REPORT)
        .args(["--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let url = stdout
        .split_whitespace()
        .find(|w| w.starts_with("file://"))
        .unwrap();
    assert!(
        url.ends_with("/my%20report%20%231%20100%25/book/index.html"),
        "{url}"
    );
    assert!(!url.contains(' ') && !url.contains('#'));
    // Decode by hand (two hex digits after each %).
    let raw = url.strip_prefix("file://").unwrap().as_bytes();
    let mut bytes = Vec::new();
    let mut k = 0;
    while k < raw.len() {
        if raw[k] == b'%' {
            let hex = std::str::from_utf8(&raw[k + 1..k + 3]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            k += 3;
        } else {
            bytes.push(raw[k]);
            k += 1;
        }
    }
    let path = PathBuf::from(String::from_utf8(bytes).unwrap());
    assert_eq!(path, out.join("book/index.html").canonicalize().unwrap());
    let _ = fs::remove_dir_all(&dir);
}

/// A closed standard output (`>&-`) is a fault, not a silent success: Rust reopens descriptor 1
/// on /dev/null at start-up, so without a check everything printed is lost and the exit code
/// is 0. One line, exit code 1, nothing done.
#[test]
fn a_closed_stdout_is_one_line_and_exit_code_1() {
    for args in ["analyze --patterns 01", "claims --help", "--version"] {
        let output = Command::new("sh")
            .args([
                "-c",
                &format!("exec \"$0\" {args} >&-"),
                env!("CARGO_BIN_EXE_items-or-relations"),
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args}: {err}");
        assert!(err.contains("standard output is closed"), "{args}: {err}");
    }
}
