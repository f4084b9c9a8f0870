//! Build-time facts and lists, so that no list in the code has to be kept in step by hand:
//! - the compiler that builds the crate, for the book's reproducibility appendix;
//! - `templates.rs`: every `templates/*.md.tera` (and `macros.tera`), compiled in;
//! - `sources.rs`: every file under `src/` that marks an `// ANCHOR:` region, compiled in, so
//!   the book can show exactly the code that ran.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=IOR_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=src");

    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));

    // Templates: name → text. `X.md.tera` is the template `X.md`.
    let mut templates: Vec<(String, PathBuf)> = files(&root.join("templates"), false)
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let key = name.strip_suffix(".md.tera").map(|s| format!("{s}.md"));
            let key = key.or_else(|| (name == "macros.tera").then(|| name.clone()))?;
            Some((key, p))
        })
        .collect();
    templates.sort();
    let mut text = String::from(
        "/// The templates, compiled in: (name, text), from `templates/` by `build.rs`.\n\
         pub const TEMPLATES: &[(&str, &str)] = &[\n",
    );
    for (key, path) in &templates {
        let _ = writeln!(
            text,
            "    ({key:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    text.push_str("];\n");
    write_if_changed(&out.join("templates.rs"), &text);

    // Sources the book quotes: every .rs under src/ with an ANCHOR marker.
    let mut sources: Vec<(String, PathBuf)> = files(&root.join("src"), true)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| {
            std::fs::read_to_string(p)
                .is_ok_and(|t| t.lines().any(|l| l.trim_start().starts_with("// ANCHOR: ")))
        })
        .filter_map(|p| {
            let rel = p.strip_prefix(&root).ok()?.to_str()?.replace('\\', "/");
            Some((rel, p))
        })
        .collect();
    sources.sort();
    let mut text = String::from(
        "/// (path in the repository, contents): every file under `src/` with an `// ANCHOR:`\n\
         /// region, found by `build.rs`.\n\
         pub const SOURCES: &[(&str, &str)] = &[\n",
    );
    for (rel, path) in &sources {
        let _ = writeln!(
            text,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    text.push_str("];\n");
    write_if_changed(&out.join("sources.rs"), &text);
}

/// The files in `dir` (and its sub-folders when `deep`), in no particular order.
fn files(dir: &Path, deep: bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if deep {
                out.extend(files(&path, true));
            }
        } else {
            out.push(path);
        }
    }
    out
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).expect("OUT_DIR is writable");
    }
}
