//! The output folder's rules on real folders: only this tool's own output is replaced, a swap
//! that fails part-way is undone whatever step failed, and a second build is refused while the
//! first holds the folder.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::*;

/// A fresh, empty folder for one test (under the system's temporary folder).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ior-output-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file below `root` with its bytes (folders implied by the paths).
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    walk(root, root, &mut found).unwrap();
    found
        .into_iter()
        .filter(|(_, f)| matches!(f, Found::File(_)))
        .map(|(k, _)| {
            let bytes = fs::read(root.join(&k)).unwrap();
            (k, bytes)
        })
        .collect()
}

/// Write `chapters/` and `book/` below `root`, each file's content tagged with `tag`.
fn outputs(root: &Path, tag: &str) {
    for (path, text) in [
        ("chapters/SUMMARY.md", "summary"),
        ("chapters/data/a.json", "{}"),
        ("book/index.html", "<html>"),
        ("book/css/x.css", "body{}"),
    ] {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, format!("{tag}: {text}")).unwrap();
    }
}

/// A build that writes the outputs tagged `tag` into its staging folder.
fn build_tagged(tag: &'static str) -> impl FnOnce(&Path) -> Result<()> {
    move |staging: &Path| {
        outputs(staging, tag);
        Ok(())
    }
}

#[test]
fn a_failed_swap_is_undone_at_every_step() {
    // Four renames in all (old chapters aside, new chapters in, old book aside, new book in):
    // failing the k-th leaves the previous output byte for byte, for every k.
    for k in 0..4 {
        let dir = scratch(&format!("swap-{k}"));
        let (out, staging) = (dir.join("out"), dir.join("staging"));
        outputs(&out, "old");
        outputs(&staging, "new");
        let before = tree(&out);
        let mut calls = 0;
        let mut rename = |from: &Path, to: &Path| {
            calls += 1;
            if calls == k + 1 {
                Err(io::Error::new(io::ErrorKind::PermissionDenied, "injected"))
            } else {
                fs::rename(from, to)
            }
        };
        let err = swap(&out, &staging, &mut rename).unwrap_err();
        assert!(err.to_string().contains("cannot write to"), "{k}: {err}");
        assert_eq!(
            tree(&out),
            before,
            "step {k} failed: the old output is back"
        );
        assert!(staging.join("chapters").is_dir() && staging.join("book").is_dir());
        let _ = fs::remove_dir_all(&dir);
    }
    // And with no failure, the new output is in place.
    let dir = scratch("swap-ok");
    let (out, staging) = (dir.join("out"), dir.join("staging"));
    outputs(&out, "old");
    outputs(&staging, "new");
    let expected = tree(&staging);
    swap(&out, &staging, &mut |a, b| fs::rename(a, b)).unwrap();
    assert_eq!(tree(&out), expected);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_undo_says_where_the_old_output_is() {
    let dir = scratch("undo");
    let (out, staging) = (dir.join("out"), dir.join("staging"));
    outputs(&out, "old");
    outputs(&staging, "new");
    let mut calls = 0;
    // The second rename fails, and so does the undo of the first.
    let err = swap(&out, &staging, &mut |from, to| {
        calls += 1;
        if calls == 1 {
            fs::rename(from, to)
        } else {
            Err(io::Error::other("injected"))
        }
    })
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the previous output is at") && text.contains("old-chapters"),
        "{text}"
    );
    assert!(staging.join("old-chapters/SUMMARY.md").is_file());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn only_recorded_unchanged_output_is_replaceable() {
    let out = scratch("owned");
    // Nothing there: nothing to refuse.
    check_replaceable(&out).unwrap();
    // A book/ no build recorded (an mdBook project's own).
    fs::create_dir_all(out.join("book")).unwrap();
    fs::write(out.join("book/CNAME"), "keep").unwrap();
    let err = check_replaceable(&out).unwrap_err();
    assert!(matches!(err, RenderError::NotOurs { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("no build of this tool recorded it")
    );
    fs::remove_dir_all(out.join("book")).unwrap();

    // A build's output, recorded: replaceable.
    outputs(&out, "ours");
    let staged_manifest = manifest_of(&out).unwrap();
    fs::create_dir_all(out.join(STATE_DIR)).unwrap();
    write_manifest(&out, &staged_manifest).unwrap();
    check_replaceable(&out).unwrap();

    // A file added, a file changed, a folder added: each refused, naming the path.
    type Change = fn(&Path);
    let cases: [(&str, Change); 3] = [
        ("book/CNAME", |o| {
            fs::write(o.join("book/CNAME"), "x").unwrap()
        }),
        ("chapters/data/a.json", |o| {
            fs::write(o.join("chapters/data/a.json"), "{\"mine\":1}").unwrap()
        }),
        ("chapters/.ipynb_checkpoints", |o| {
            fs::create_dir(o.join("chapters/.ipynb_checkpoints")).unwrap()
        }),
    ];
    for (path, change) in cases {
        let keep = tree(&out);
        change(&out);
        let err = check_replaceable(&out).unwrap_err();
        match &err {
            RenderError::NotOurs { path: p, .. } => assert_eq!(p, &out.join(path), "{err}"),
            other => panic!("{path}: {other}"),
        }
        // Undo the change for the next case.
        let _ = fs::remove_file(out.join("book/CNAME"));
        let _ = fs::remove_dir(out.join("chapters/.ipynb_checkpoints"));
        fs::write(
            out.join("chapters/data/a.json"),
            &keep["chapters/data/a.json"],
        )
        .unwrap();
        check_replaceable(&out).unwrap();
    }
    // A manifest of another tool is not trusted.
    fs::write(
        out.join(STATE_DIR).join(MANIFEST),
        r#"{"tool":"other","dirs":["book","chapters"],"files":{}}"#,
    )
    .unwrap();
    assert!(check_replaceable(&out).is_err());
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn staged_replaces_its_own_output_and_refuses_anything_else() {
    let dir = scratch("staged");
    let out = dir.join("new/out");
    // A first build creates the folder and records what it wrote.
    staged(&out, build_tagged("one")).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("book/index.html")).unwrap(),
        "one: <html>"
    );
    assert!(out.join(STATE_DIR).join(MANIFEST).is_file());
    // A second build replaces it.
    staged(&out, build_tagged("two")).unwrap();
    assert_eq!(
        fs::read_to_string(out.join("book/index.html")).unwrap(),
        "two: <html>"
    );
    let no_staging = |out: &Path| {
        fs::read_dir(out.join(STATE_DIR))
            .unwrap()
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().starts_with("staging-"))
    };
    assert!(no_staging(&out));
    // A failed build leaves the previous output.
    let before = tree(&out);
    let err = staged(&out, |_: &Path| -> Result<()> {
        Err(RenderError::Markup("boom".into()))
    });
    assert!(err.is_err());
    assert_eq!(tree(&out), before);
    assert!(no_staging(&out));
    // A user's file in book/ is refused before the build runs: the build is not called.
    fs::write(out.join("book/CNAME"), "keep").unwrap();
    let before = tree(&out);
    let err = staged(&out, |_: &Path| -> Result<()> {
        panic!("the build must not run")
    })
    .unwrap_err();
    assert!(matches!(err, RenderError::NotOurs { .. }), "{err}");
    assert_eq!(tree(&out), before);
    // A file added while the build runs is refused at the swap, and kept.
    fs::remove_file(out.join("book/CNAME")).unwrap();
    let target = out.clone();
    let err = staged(&out, move |staging: &Path| {
        outputs(staging, "three");
        fs::write(target.join("book/added-meanwhile"), "mine").unwrap();
        Ok(())
    })
    .unwrap_err();
    assert!(matches!(err, RenderError::NotOurs { .. }), "{err}");
    assert_eq!(
        fs::read_to_string(out.join("book/added-meanwhile")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_to_string(out.join("book/index.html")).unwrap(),
        "two: <html>"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_refused_build_into_a_new_folder_leaves_no_folder() {
    let dir = scratch("refused");
    let out = dir.join("a/b");
    let err = staged(&out, |_: &Path| -> Result<()> {
        Err(RenderError::Markup("no".into()))
    });
    assert!(err.is_err());
    assert!(!dir.join("a").exists(), "the folders it created are gone");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_second_build_is_refused_while_the_first_holds_the_folder() {
    let out = scratch("busy");
    let lock_path = out.join(STATE_DIR).join(LOCK);
    fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
    let holder = fs::File::create(&lock_path).unwrap();
    holder.lock().unwrap();
    let err = staged(&out, |_: &Path| -> Result<()> {
        panic!("the build must not run")
    })
    .unwrap_err();
    assert!(matches!(err, RenderError::Busy { .. }), "{err}");
    assert!(!out.join("book").exists());
    drop(holder);
    staged(&out, build_tagged("after")).unwrap();
    let _ = fs::remove_dir_all(&out);
}
