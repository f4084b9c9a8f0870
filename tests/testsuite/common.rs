//! What every `*_claims` test module needs: its chapter computed once at the book's settings,
//! and that chapter's findings by claim ID.

/// Defines, for the chapter module `$chapter` (in `items_or_relations::chapters`):
/// `chapter()`, the chapter's `Output` at `Params::default()`, computed once per test module;
/// `finding(id)`, its finding for a claim ID; and `assert_finding(id, verdict)`, which checks
/// that the finding holds with the expected verdict.
macro_rules! chapter_fixture {
    ($chapter:ident) => {
        #[allow(dead_code)]
        fn chapter() -> &'static items_or_relations::chapters::$chapter::Output {
            use items_or_relations::chapters::$chapter::{Output, Params, compute};
            static OUT: std::sync::OnceLock<Output> = std::sync::OnceLock::new();
            OUT.get_or_init(|| {
                compute(&Params::default()).expect(concat!(
                    "the ",
                    stringify!($chapter),
                    " chapter computes"
                ))
            })
        }

        #[allow(dead_code)]
        fn finding(id: &str) -> &'static items_or_relations::claims::Finding {
            chapter()
                .findings
                .iter()
                .find(|f| f.id == id)
                .unwrap_or_else(|| panic!("the chapter has no finding {id}"))
        }

        #[allow(dead_code)]
        fn assert_finding(id: &str, verdict: items_or_relations::claims::Verdict) {
            let f = finding(id);
            assert!(f.holds, "{id} does not hold: {}", f.ours);
            assert_eq!(f.verdict, verdict, "{id}");
        }
    };
}

/// The book built once per test run with `--quick --seed 7 --out book` from a folder of its
/// own under Cargo's `CARGO_TARGET_TMPDIR`; returns that folder (it holds `book/chapters`
/// and `book/book`). Shared by the tests that only read this build: the determinism check,
/// the notebooks' outputs, the parameters cells. A quick build is ~10 s of CPU, mostly its
/// seed sweep, so one build instead of three saves ~20 s of a `cargo test` run.
#[allow(dead_code)]
pub fn quick_seed7_book() -> &'static std::path::Path {
    static ROOT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        // Earlier runs' shared builds (named by process id) are removed first.
        if let Ok(entries) = std::fs::read_dir(tmp) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with("quick-seed7-") {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let root = tmp.join(format!("quick-seed7-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("a folder for the shared build");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_items-or-relations"))
            .current_dir(&root)
            .args(["--quick", "--seed", "7", "--out", "book"])
            .output()
            .expect("the binary runs");
        assert!(
            out.status.success(),
            "the shared --quick --seed 7 build: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        root
    })
}
