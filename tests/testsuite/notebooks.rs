//! The chapter notebooks the build writes: valid nbformat 4.5, written with the outputs of
//! every displaying cell (so they read without a kernel), a parameters cell that is the
//! build's own parameters, and a `:dep` path that reaches the crate from the notebook's folder
//! however `--out` was given. That a kernel reproduces the stored outputs is CI's check
//! (`.ci/notebooks.sh`), which needs the evcxr kernel.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use items_or_relations::chapters;
use items_or_relations::display::{self, Shown};
use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_items-or-relations"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ior-nb-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Build the book with `args` (from `cwd`); panics with its stderr if the build fails.
fn build(cwd: &Path, args: &[&str]) {
    let out = bin().current_dir(cwd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The notebooks under `chapters`, chapter id → JSON.
fn notebooks(chapters: &Path) -> BTreeMap<String, Value> {
    fs::read_dir(chapters)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().to_string();
            (id, serde_json::from_slice(&fs::read(&p).unwrap()).unwrap())
        })
        .collect()
}

/// A multi-line nbformat string (a list of lines or one string) as one string.
fn text(v: &Value) -> String {
    match v {
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => s.clone(),
        other => panic!("not nbformat text: {other}"),
    }
}

fn code_cells(nb: &Value) -> Vec<&Value> {
    nb["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .collect()
}

/// A stored output as MIME type → text.
fn data(output: &Value) -> BTreeMap<String, String> {
    output["data"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), text(v)))
        .collect()
}

fn bundle(value: &dyn Shown) -> BTreeMap<String, String> {
    value
        .mime_bundle()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Every notebook is nbformat 4.5 for the Rust kernel, and every code cell is written with what
/// it shows, as a kernel would have recorded it: an `execute_result` with
/// the cell's execution count and known MIME types. Every figure of the chapter is among the
/// outputs byte for byte (with an HTML `<img>` beside it, which JupyterLab shows in a notebook
/// it does not trust), and only there: the markdown keeps its caption but not a second copy of
/// the picture. The last cell suggests something to try.
#[test]
fn notebooks_are_nbformat_4_5_with_every_output_in_place() {
    let chapters = crate::common::quick_seed7_book().join("book/chapters");
    let all = notebooks(&chapters);
    assert_eq!(
        all.keys().collect::<Vec<_>>(),
        ["arc", "atlas", "beyond", "linear", "nonlinear", "prelude"]
    );
    for (id, nb) in &all {
        assert_eq!(
            (nb["nbformat"].as_u64(), nb["nbformat_minor"].as_u64()),
            (Some(4), Some(5))
        );
        assert_eq!(nb["metadata"]["kernelspec"]["name"], "rust");
        assert_eq!(nb["metadata"]["language_info"]["name"], "Rust");
        let cells = nb["cells"].as_array().unwrap();
        let mut ids = BTreeSet::new();
        for cell in cells {
            let cell_id = cell["id"].as_str().unwrap();
            assert!(
                (1..=64).contains(&cell_id.len())
                    && cell_id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{id}: cell id {cell_id:?}"
            );
            assert!(ids.insert(cell_id), "{id}: duplicate cell id {cell_id}");
            assert!(cell["source"].is_array() && cell["metadata"].is_object());
            match cell["cell_type"].as_str().unwrap() {
                "markdown" => assert!(cell.get("outputs").is_none()),
                "code" => assert!(cell["outputs"].is_array()),
                other => panic!("{id}: cell type {other}"),
            }
        }
        let code = code_cells(nb);
        let dep = text(&code[0]["source"]);
        assert!(
            dep.lines()
                .any(|l| l.starts_with(":dep items-or-relations")),
            "{id}: {dep}"
        );
        let mut shown = BTreeSet::new();
        for (k, cell) in code.iter().enumerate() {
            let count = k as u64 + 1;
            assert_eq!(cell["execution_count"].as_u64(), Some(count), "{id}");
            let outputs = cell["outputs"].as_array().unwrap();
            assert!(
                !outputs.is_empty(),
                "{id}: code cell {k} `{}` has no stored output",
                text(&cell["source"]).lines().last().unwrap_or_default()
            );
            for output in outputs {
                assert_eq!(output["output_type"], "execute_result", "{id}: {output}");
                assert_eq!(output["execution_count"].as_u64(), Some(count));
                assert!(output["metadata"].is_object());
                let data = data(output);
                assert!(
                    data.keys().all(|m| ["image/svg+xml", "text/html", "text/plain"]
                        .contains(&m.as_str())),
                    "{id}: {:?}",
                    data.keys()
                );
                if let Some(svg) = data.get("image/svg+xml") {
                    assert!(svg.starts_with("<svg"));
                    assert!(
                        data["text/html"]
                            .starts_with("<img alt=\"figure\" src=\"data:image/svg+xml;base64,"),
                        "{id}: a figure also shows as HTML"
                    );
                    shown.insert(svg.clone());
                } else if k == 0 {
                    // The evcxr settings' answers.
                    assert!(data["text/plain"].starts_with("Optimization: 1\n"), "{id}");
                } else {
                    assert!(data["text/html"].starts_with('<'), "{id}: {data:?}");
                }
            }
        }
        for entry in fs::read_dir(chapters.join("figures")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.starts_with(&format!("{id}-")) {
                let svg = fs::read_to_string(&path).unwrap();
                assert!(shown.contains(&svg), "{id}: figure {name} is not shown");
                // Once: the markdown below the cell keeps the caption, not a second image.
                let image = format!("](figures/{name})");
                for cell in cells.iter().filter(|c| c["cell_type"] == "markdown") {
                    assert!(
                        !text(&cell["source"]).contains(&image),
                        "{id}: {name} twice"
                    );
                }
            }
        }
        let last = cells.last().unwrap();
        assert_eq!(last["cell_type"], "markdown");
        assert!(text(&last["source"]).starts_with("**Try this.**"), "{id}");
    }
}

/// `Params::default()` or `Params::quick()` with `seed`, serialised, for a chapter.
fn params_json(chapter: &str, quick: bool, seed: u64) -> Value {
    macro_rules! of {
        ($m:ident) => {{
            let mut p = if quick {
                chapters::$m::Params::quick()
            } else {
                chapters::$m::Params::default()
            };
            p.seed = seed;
            serde_json::to_value(&p).unwrap()
        }};
    }
    match chapter {
        "prelude" => of!(prelude),
        "linear" => of!(linear),
        "nonlinear" => of!(nonlinear),
        "arc" => of!(arc),
        "beyond" => of!(beyond),
        "atlas" => of!(atlas),
        other => panic!("no chapter {other}"),
    }
}

/// The parameters cell as the reader's kernel would evaluate it: the seed and the base
/// settings it names.
fn parse_params_cell(source: &str) -> (u64, bool) {
    let line = source
        .lines()
        .find(|l| l.starts_with("let params = Params { seed: "))
        .unwrap_or_else(|| panic!("no parameters line in {source}"));
    let rest = line.trim_start_matches("let params = Params { seed: ");
    let (seed, base) = rest.split_once(", ..Params::").unwrap();
    let quick = match base {
        "quick() };" => true,
        "default() };" => false,
        other => panic!("unexpected base {other}"),
    };
    (seed.parse().unwrap(), quick)
}

/// The first code cell after `:dep` is the parameters cell, and it is the build's: the seed
/// and quick-or-full settings it writes make, through the library, exactly the `params` the
/// chapter's data records, for `--quick --seed 7` and for a full build with `--seed 11`; its
/// stored output is the table of those parameters; and every later cell uses `params`, never
/// `Params::default()` again.
#[test]
fn the_parameters_cell_is_the_builds_parameters() {
    // The shared `--quick --seed 7` build, and a full one-chapter build made here.
    let root = temp_dir("params");
    build(
        &root,
        &["--chapter", "prelude", "--seed", "11", "--out", "f"],
    );
    let shared = crate::common::quick_seed7_book().join("book/chapters");
    for (chapters, quick, seed) in [(shared, true, 7), (root.join("f/chapters"), false, 11)] {
        for (id, nb) in notebooks(&chapters) {
            let code = code_cells(&nb);
            let cell = text(&code[1]["source"]);
            assert_eq!(parse_params_cell(&cell), (seed, quick), "{id}: {cell}");
            let data: Value = serde_json::from_slice(
                &fs::read(chapters.join(format!("data/{id}.json"))).unwrap(),
            )
            .unwrap();
            let expected = params_json(&id, quick, seed);
            assert_eq!(data["params"], expected, "{id}: the data's params");
            let shown = data_of(code[1]);
            assert_eq!(shown, bundle(&display::params(&expected)), "{id}");
            for later in &code[2..] {
                let source = text(&later["source"]);
                assert!(!source.contains("Params::"), "{id}: {source}");
            }
            assert!(
                text(&code[2]["source"]).contains("compute(&params)"),
                "{id}"
            );
        }
    }
    let _ = fs::remove_dir_all(&root);
}

fn data_of(cell: &Value) -> BTreeMap<String, String> {
    let outputs = cell["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 1);
    data(&outputs[0])
}

/// The crate's folder as the `:dep` line of a notebook names it.
fn dep_path(notebook: &Value) -> String {
    let line = text(&code_cells(notebook)[0]["source"]);
    let line = line.lines().find(|l| l.starts_with(":dep ")).unwrap();
    let start = line.find("path = \"").unwrap() + "path = \"".len();
    let len = line[start..].find('"').unwrap();
    line[start..start + len].to_string()
}

/// A kernel started in a notebook's folder resolves the `:dep` path against it. That path
/// reaches the crate when `--out` is `../x` given from a sub-folder, when it runs through a
/// symbolic link (seen from the link and from its target), and when it holds `.` and `..`.
#[cfg(unix)]
#[test]
fn the_dep_path_reaches_the_crate_for_out_with_dot_dot_and_through_a_symlink() {
    // Inside the crate's target folder, so that the output folder and the crate share a prefix
    // (as `--out target/ci-book` does): a miscounted `..` then lands in the wrong folder,
    // where outside it the surplus would stop harmlessly at `/`.
    let root =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("nb-dep-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    let manifest = fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    let (sub, real, link) = (root.join("sub"), root.join("real"), root.join("link"));
    fs::create_dir_all(&sub).unwrap();
    fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let cases: [(&Path, String, Vec<PathBuf>); 3] = [
        (&sub, "../x".into(), vec![root.join("x/chapters")]),
        (
            &root,
            link.join("book").to_string_lossy().into(),
            vec![link.join("book/chapters"), real.join("book/chapters")],
        ),
        (&sub, "./../sub/../y".into(), vec![root.join("y/chapters")]),
    ];
    for (cwd, out, seen_from) in cases {
        build(cwd, &["--quick", "--chapter", "prelude", "--out", &out]);
        for chapters in seen_from {
            let nb = &notebooks(&chapters)["prelude"];
            let path = dep_path(nb);
            let target = fs::canonicalize(chapters.join(&path))
                .unwrap_or_else(|e| panic!("--out {out}: {path} from {chapters:?}: {e}"));
            assert_eq!(target, manifest, "--out {out}: {path} from {chapters:?}");
            assert!(target.join("Cargo.toml").is_file());
        }
    }
    let _ = fs::remove_dir_all(&root);
}
