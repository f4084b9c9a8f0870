//! Chapter markdown → Jupyter notebook (nbformat 4.5) for the evcxr Rust kernel, written with
//! its outputs.
//!
//! The notebook is cut from the same rendered markdown as the book page, with pulldown-cmark:
//! every fenced block whose info string is `rust,notebook` becomes a code cell, everything
//! between them becomes markdown cells (split before each `##` heading). A first code cell adds
//! the crate as an evcxr dependency by relative path, without the book machinery; the chapter's
//! first block is its parameters cell ([`params_cell`]), written from the build's own settings.
//!
//! Every code cell is written with what it shows, so the notebook reads completely without a
//! kernel, as the executed notebooks of Jupyter Book and Quarto do. The output is not guessed
//! from the cell's text: each cell the templates may use is listed in [`known_cells`] with the
//! library call that makes its output, and the build makes that call itself, on the chapter it
//! has just computed with the same `Params` ([`crate::display::Shown`] gives the exact text
//! the kernel prints). A block that is not listed stops the build. CI runs every notebook with
//! evcxr and compares each cell's fresh outputs with these (`.ci/run_notebooks.py`).

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::{Value, json};

use crate::compute::Computed;
use crate::display::{self, Shown};

/// The info string that marks a code block as a notebook cell.
pub const NOTEBOOK_INFO: &str = "rust,notebook";

/// A cell before it becomes JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Markdown(String),
    Code(String),
}

/// What a code cell shows when the kernel runs it, as Jupyter records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// The cell's final value, displayed through evcxr's protocol: MIME type → text.
    Value(BTreeMap<String, String>),
    /// What the cell prints on stdout.
    Stdout(String),
}

impl Output {
    /// The stored output of a cell that ends in `value`.
    pub fn of(value: &dyn Shown) -> Output {
        Output::Value(
            value
                .mime_bundle()
                .into_iter()
                .map(|(mime, text)| (mime.to_string(), text))
                .collect(),
        )
    }
}

/// Split resolved chapter markdown into cells.
pub fn cells(md: &str) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut cut_points: Vec<(usize, usize, Option<String>)> = Vec::new(); // (start, end, code)
    let mut in_cell: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(md, Options::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.as_ref() == NOTEBOOK_INFO =>
            {
                in_cell = Some((range.start, String::new()));
            }
            Event::Text(t) if in_cell.is_some() => {
                if let Some((_, code)) = in_cell.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, code)) = in_cell.take() {
                    cut_points.push((start, range.end, Some(code)));
                }
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                cut_points.push((range.start, range.start, None));
            }
            _ => {}
        }
    }
    let mut at = 0;
    let push_md = |text: &str, out: &mut Vec<Cell>| {
        let t = text.trim();
        if !t.is_empty() {
            out.push(Cell::Markdown(t.to_string()));
        }
    };
    for (start, end, code) in cut_points {
        push_md(&md[at..start], &mut out);
        if let Some(code) = code {
            out.push(Cell::Code(code.trim_end().to_string()));
        }
        at = end;
    }
    push_md(&md[at..], &mut out);
    out
}

/// Does this chapter have anything to run?
pub fn has_code(md: &str) -> bool {
    cells(md).iter().any(|c| matches!(c, Cell::Code(_)))
}

/// The parameters cell of a chapter, as the build ran it: the chapter's `Params`, quick or
/// full, with the build's seed, and the data files it read (a `data` field of the chapter's
/// serialised `params`, as the atlas's `--atlas-data`). The table it shows lists every field,
/// so this one line is all a reader needs to change. The templates include it as
/// `{{ notebook_params }}`.
pub fn params_cell(
    chapter: &str,
    quick: bool,
    seed: u64,
    params: Option<&serde_json::Value>,
) -> String {
    let (base, settings) = if quick {
        (
            "quick",
            "quick settings (Params::default() for the paper's)",
        )
    } else {
        ("default", "the paper's settings")
    };
    let data: Vec<String> = params
        .and_then(|p| p.get("data"))
        .and_then(serde_json::Value::as_array)
        .map(|files| {
            files
                .iter()
                .filter_map(serde_json::Value::as_str)
                .map(|f| format!("{f:?}.into()"))
                .collect()
        })
        .unwrap_or_default();
    let (data_field, data_note) = if data.is_empty() {
        (String::new(), "")
    } else {
        (
            format!(" data: vec![{}],", data.join(", ")),
            ", reading the data files",
        )
    };
    format!(
        "use items_or_relations::chapters::{chapter}::{{compute, Params}};\n\
         use items_or_relations::{{display, plots}};\n\
         // As built: seed {seed}, {settings}{data_note}. Change any field listed below and rerun the cells below.\n\
         let params = Params {{ seed: {seed},{data_field} ..Params::{base}() }};\n\
         display::params(&params)"
    )
}

/// The cell that computes the chapter from the parameters cell: its output and figures.
pub fn compute_cell(chapter: &str) -> String {
    format!(
        "let out = compute(&params)?;\n\
         let figures = plots::{chapter}_figures(&out)?;\n\
         display::findings(&out.findings)"
    )
}

/// The findings table again, where a chapter lists its claims.
pub const FINDINGS_CELL: &str = "display::findings(&out.findings)";

/// §4's rule inference on a training set of the reader's choice (the ARC chapter).
pub const ARC_INFERENCE_CELL: &str = "use items_or_relations::analyze::infer_rule;\n\
     use items_or_relations::pattern::{Pattern, PatternSet};\n\
     let inference = infer_rule(&PatternSet::parse(\"1100,0011\")?, &Pattern::parse(\"1000\")?)?;\n\
     display::inference(&inference)";

/// The matrix of the prelude's P4 example.
pub const PRELUDE_MATRIX_CELL: &str = "display::matrix(&out.stability.w, 3)";

/// A code cell a template may hold, with what the kernel shows for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownCell {
    pub source: String,
    pub outputs: Vec<Output>,
    /// The chapter's figure the cell shows, if it shows one.
    pub figure: Option<String>,
}

fn known(source: String, outputs: Vec<Output>) -> KnownCell {
    KnownCell {
        source,
        outputs,
        figure: None,
    }
}

/// Every code cell a chapter's template may hold, each with the output the kernel gives it.
/// Each output is made by the call the cell makes, on what the build computed: the findings,
/// the figures (drawn by `plots::<chapter>_figures`, as the compute cell draws them), the
/// serialised output for the parameters and the one matrix the prelude shows, and a fresh call
/// for the ARC inference cell, which does not depend on the chapter.
pub fn known_cells(c: &Computed, quick: bool) -> Result<Vec<KnownCell>, String> {
    let id = c.meta.id;
    let seed = c
        .seed
        .ok_or_else(|| format!("chapter {id} has no seed, so no parameters cell"))?;
    let params = c
        .data
        .get("params")
        .ok_or_else(|| format!("chapter {id}: its output has no `params`"))?;
    let findings = Output::of(&display::findings(&c.findings));
    let mut cells = vec![
        known(
            params_cell(id, quick, seed, Some(params)),
            vec![Output::of(&display::params(params))],
        ),
        known(compute_cell(id), vec![findings.clone()]),
        known(FINDINGS_CELL.to_string(), vec![findings]),
    ];
    for (k, (name, svg)) in c.figures.iter().enumerate() {
        for source in [
            format!("figures[{k}].1.clone()"),
            format!("plots::pick(&figures, {name:?})?"),
        ] {
            cells.push(KnownCell {
                source,
                outputs: vec![Output::of(svg)],
                figure: Some(name.clone()),
            });
        }
    }
    match id {
        "prelude" => {
            let rows: Vec<Vec<f64>> = serde_json::from_value(c.data["stability"]["w"].clone())
                .map_err(|e| format!("prelude: stability.w is not a matrix: {e}"))?;
            let w = crate::train::matrix_from_rows(&rows)
                .map_err(|e| format!("prelude: stability.w is not a matrix: {e}"))?;
            cells.push(known(
                PRELUDE_MATRIX_CELL.to_string(),
                vec![Output::of(&display::matrix(&w, 3))],
            ));
        }
        "arc" => {
            use crate::analyze::infer_rule;
            use crate::pattern::{Pattern, PatternSet};
            let inference =
                (|| infer_rule(&PatternSet::parse("1100,0011")?, &Pattern::parse("1000")?))()
                    .map_err(|e| format!("arc: the inference cell fails: {e}"))?;
            cells.push(known(
                ARC_INFERENCE_CELL.to_string(),
                vec![Output::of(&display::inference(&inference))],
            ));
        }
        _ => {}
    }
    Ok(cells)
}

/// The markdown after a figure's cell without the figure's own image: the page shows the
/// picture inside its `<figure>` above the caption, where the notebook has just shown it as
/// the cell's output. The caption stays.
fn without_image(markdown: &str, figure: &str) -> String {
    let image = format!("](figures/{figure}.svg)");
    markdown
        .split_inclusive('\n')
        .filter(|line| !(line.trim_start().starts_with("![") && line.trim_end().ends_with(&image)))
        .collect()
}

/// One parameter to change at the end of a notebook, and what to look for.
pub struct TryThis {
    /// A field of the chapter's `Params`.
    pub param: &'static str,
    pub text: &'static str,
}

/// The "try this" of each chapter with a notebook.
pub fn try_this(chapter: &str) -> Option<TryThis> {
    let (param, text) = match chapter {
        "prelude" => (
            "p4_grid",
            "Set `p4_grid: 9` in the parameters cell and run all cells again: the P4 example \
             starts from 9 × 9 × 9 grid points, so the orbit-flow figure fills in; it stays \
             mirror-symmetric about $x_2 = x_3$, with the same three fixed points (P4 in the \
             findings table).",
        ),
        "linear" => (
            "stability_grid",
            "Set `stability_grid: 41` in the parameters cell and run all cells again: the \
             stability map is drawn from a finer grid of invariant solutions. The iteration \
             still agrees with the corrected condition at every point, and L11's row in the \
             findings table counts the points where the printed condition gets it wrong.",
        ),
        "nonlinear" => (
            "sigmoid_c",
            "Set `sigmoid_c: 4.0` in the parameters cell and run all cells again: a steeper \
             sigmoid saturates harder, so its two attractors in the sigmoid flow figure move \
             closer to the training items and its loss on 011 shrinks. N2's row in the \
             findings table shows it: its check, made for the paper's $c = 1$, now fails.",
        ),
        "arc" => (
            "test",
            "Set `test: \"011\".into()` in the parameters cell and run all cells again: the \
             rule (32) maps 011 onto itself, so the one symmetry of $X'$ has no answer to \
             give; the triangles figure shows the test triangle unchanged, and D3, a claim \
             about the paper's test item 110, no longer passes its check.",
        ),
        "beyond" => (
            "lambdas",
            "Add a larger penalty to `lambdas` in the parameters cell, e.g. \
             `lambdas: vec![1e-3, 1e-2, 1e-1, 1.0],`, and run all cells again: past the best \
             λ the penalty shrinks the weights towards 0, and the loss on the span points \
             rises again in the tanh regularisation figure.",
        ),
        "atlas" => (
            "samples",
            "Set `samples: vec![SampleSpec { n: 5, count: 40 }],` in the parameters cell (and \
             `use items_or_relations::chapters::atlas::SampleSpec;`) and run all cells again: \
             a larger uniform sample of the classes at N = 5. The linear networks still \
             reproduce the span set of every class; H2's row in the findings table shows how \
             few classes have sigmoid networks that learn only their items.",
        ),
        _ => return None,
    };
    Some(TryThis { param, text })
}

/// The first code cell: the crate as an evcxr dependency, by its path from the notebook's
/// folder, without the book machinery. Two evcxr settings come first, chosen by measuring the
/// first notebook's start (README, "The chapters as Jupyter notebooks"): opt-level 1 instead of
/// evcxr's default 2 compiles the library about a fifth faster, and the chapters run about a
/// tenth slower; `:cache` keeps the dependencies' builds in evcxr's cache, so that a kernel with
/// a new `EVCXR_TMPDIR` (evcxr's default is a fresh one per kernel) compiles only the library.
/// The library itself is never cached: evcxr caches only non-incremental builds, and a path
/// dependency is built incrementally (a cache keyed by its command line would go stale when its
/// source changes). The two commands answer with one line each, the cell's output.
pub fn dep_cell(crate_path: &str) -> (String, Vec<Output>) {
    let source = format!(
        "// Build at opt-level 1 (quicker to compile than evcxr's default 2) and keep the dependencies' builds in evcxr's cache.\n\
         :opt 1\n\
         :cache 500\n\
         :dep items-or-relations = {{ path = \"{crate_path}\", default-features = false }}"
    );
    let shown = [(
        "text/plain".to_string(),
        "Optimization: 1\ncache: 500 MiB\n".to_string(),
    )];
    (source, vec![Output::Value(shown.into_iter().collect())])
}

fn source_lines(text: &str) -> Value {
    let lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    json!(lines)
}

fn output_json(output: &Output, count: usize) -> Value {
    match output {
        Output::Value(data) => {
            let data: serde_json::Map<String, Value> = data
                .iter()
                .map(|(mime, text)| (mime.clone(), source_lines(text)))
                .collect();
            json!({
                "data": data, "execution_count": count, "metadata": {},
                "output_type": "execute_result"
            })
        }
        Output::Stdout(text) => {
            json!({"name": "stdout", "output_type": "stream", "text": source_lines(text)})
        }
    }
}

/// The whole notebook of a computed chapter, outputs included. `crate_path` is the crate's
/// folder relative to the notebook's folder ([`dep_path`]).
///
/// # Errors
/// A code block of the chapter that [`known_cells`] does not list, named by its first line.
pub fn notebook(c: &Computed, md: &str, crate_path: &str, quick: bool) -> Result<Value, String> {
    let id = c.meta.id;
    let seed = c.seed.unwrap_or_default();
    let settings = if quick {
        "the quick settings"
    } else {
        "the paper's settings"
    };
    // evcxr reads commands only before any code in a cell, so the explanation is a markdown cell.
    let note = format!(
        "This notebook was written by the book's build with every output in place (seed {seed}, \
         {settings}), so it reads completely without a kernel. With the Rust kernel evcxr each \
         cell runs again and recomputes what it shows; CI checks that the results equal the \
         stored ones. The first cell adds this book's library as a dependency, without the book \
         machinery (templates, mdBook): only the maths and the plots. The first run compiles it; \
         later kernels that share `EVCXR_TMPDIR` reuse the build. The cell after it holds the \
         chapter's parameters."
    );
    notebook_from(
        NotebookSpec {
            id,
            known: known_cells(c, quick)?,
            note,
            try_this: try_this(id).map(|t| t.text.to_string()),
        },
        md,
        crate_path,
    )
}

/// What a notebook is made of besides its markdown: its id (the cells' id prefix), the code
/// cells it may hold with their outputs, the note that opens it and the "try this" that ends it.
pub struct NotebookSpec<'a> {
    pub id: &'a str,
    pub known: Vec<KnownCell>,
    pub note: String,
    pub try_this: Option<String>,
}

/// The notebook of rendered markdown `md` with the outputs of `spec.known` (the chapters'
/// [`notebook`] and the report's).
///
/// # Errors
/// A code block that `spec.known` does not list, named by its first line.
pub fn notebook_from(spec: NotebookSpec<'_>, md: &str, crate_path: &str) -> Result<Value, String> {
    let id = spec.id;
    let note = spec.note;
    let known: BTreeMap<String, KnownCell> = spec
        .known
        .into_iter()
        .map(|k| (k.source.clone(), k))
        .collect();
    let mut all: Vec<(Cell, Vec<Output>)> = vec![(Cell::Markdown(note), vec![])];
    let (dep, dep_out) = dep_cell(crate_path);
    all.push((Cell::Code(dep), dep_out));
    let mut shown_figure: Option<String> = None;
    for cell in cells(md) {
        match cell {
            Cell::Markdown(text) => {
                let text = match shown_figure.take() {
                    Some(figure) => without_image(&text, &figure),
                    None => text,
                };
                all.push((Cell::Markdown(text), vec![]));
            }
            Cell::Code(code) => {
                let k = known.get(&code).ok_or_else(|| {
                    format!(
                        "the notebook cell `{}` has no known output: list it in \
                         render::notebook::known_cells",
                        code.lines().next().unwrap_or_default()
                    )
                })?;
                shown_figure.clone_from(&k.figure);
                all.push((Cell::Code(code), k.outputs.clone()));
            }
        }
    }
    if let Some(t) = spec.try_this {
        all.push((Cell::Markdown(format!("**Try this.** {t}")), vec![]));
    }
    let mut count = 0;
    let cells: Vec<Value> = all
        .iter()
        .enumerate()
        .map(|(k, (cell, outputs))| {
            let id = format!("{id}-{k:03}");
            match cell {
                Cell::Markdown(text) => json!({
                    "cell_type": "markdown", "id": id, "metadata": {}, "source": source_lines(text)
                }),
                Cell::Code(code) => {
                    count += 1;
                    let outputs: Vec<Value> =
                        outputs.iter().map(|o| output_json(o, count)).collect();
                    json!({
                        "cell_type": "code", "execution_count": count, "id": id, "metadata": {},
                        "outputs": outputs, "source": source_lines(code)
                    })
                }
            }
        })
        .collect();
    Ok(json!({
        "cells": cells,
        "metadata": {
            "kernelspec": { "display_name": "Rust", "language": "rust", "name": "rust" },
            "language_info": {
                "codemirror_mode": "rust", "file_extension": ".rs",
                "mimetype": "text/rust", "name": "Rust", "pygment_lexer": "rust", "version": ""
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5
    }))
}

/// The crate's folder as the notebooks in `out/chapters` reach it, `..`-style. Both folders are
/// canonicalised first (`out` must exist): `--out ../x` or a path through a symbolic link
/// would otherwise count one `..` per component of the unresolved path. A kernel resolves the
/// result against the notebook's real folder (`..` after a symbolic link leaves the link's
/// target), which is what this computes from.
///
/// # Errors
/// When `out` cannot be resolved (it does not exist).
pub fn dep_path(out: &Path, crate_dir: &Path) -> std::io::Result<String> {
    let chapters = std::fs::canonicalize(out)?.join("chapters");
    // The build may run where its source folder no longer exists; then the path as compiled.
    let crate_dir = std::fs::canonicalize(crate_dir).unwrap_or_else(|_| crate_dir.to_path_buf());
    Ok(relative_path(&chapters, &crate_dir))
}

/// The relative path from folder `from` to folder `to` (both absolute and free of `.`, `..`
/// and symbolic links), `..`-style.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), a.len() - common).collect();
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_prose_code_and_headings() {
        let md = "# T\n\nIntro $x$.\n\n```rust,notebook\nlet a = 1;\n```\n\n```rust\nshown();\n```\n\n## Next\n\nMore.\n";
        let c = cells(md);
        assert_eq!(
            c,
            vec![
                Cell::Markdown("# T\n\nIntro $x$.".into()),
                Cell::Code("let a = 1;".into()),
                Cell::Markdown("```rust\nshown();\n```".into()),
                Cell::Markdown("## Next\n\nMore.".into()),
            ]
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/b/chapters"), Path::new("/a/b")),
            ".."
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x/chapters"), Path::new("/work/main")),
            "../../../work/main"
        );
    }

    /// `out` given with `..` and through a symbolic link still yields the path a kernel in
    /// `out/chapters` resolves to the crate.
    #[cfg(unix)]
    #[test]
    fn dep_path_resolves_dot_dot_and_symbolic_links() {
        let root = std::env::temp_dir().join(format!("ior-dep-path-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let (krate, real) = (root.join("crate"), root.join("real"));
        for dir in [&krate, &real.join("out/chapters"), &root.join("sub")] {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::os::unix::fs::symlink(&real, root.join("link")).unwrap();
        for out in [
            root.join("sub/../real/out"),
            root.join("link/out"),
            root.join("link/../real/./out"),
        ] {
            let path = dep_path(&out, &krate).unwrap();
            let from_notebook = out.join("chapters").join(&path);
            assert_eq!(
                std::fs::canonicalize(&from_notebook).unwrap(),
                std::fs::canonicalize(&krate).unwrap(),
                "{} gives {path}",
                out.display()
            );
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    /// The figure's image goes, its frame and caption stay; another figure's image stays.
    #[test]
    fn the_image_below_a_figure_cell_goes() {
        let md = "<figure id=\"fig-a\">\n\n![A](figures/a.svg)\n\n<figcaption>\nCaption.\n![B](figures/b.svg)\n";
        assert_eq!(
            without_image(md, "a"),
            "<figure id=\"fig-a\">\n\n\n<figcaption>\nCaption.\n![B](figures/b.svg)\n"
        );
    }

    /// Every "try this" names a field of its chapter's `Params`.
    #[test]
    fn every_try_this_names_a_parameter() {
        use crate::chapters::*;
        let fields = |v: serde_json::Value| -> Vec<String> {
            v.as_object().unwrap().keys().cloned().collect()
        };
        let all = [
            (
                "prelude",
                fields(serde_json::to_value(prelude::Params::default()).unwrap()),
            ),
            (
                "atlas",
                fields(serde_json::to_value(atlas::Params::default()).unwrap()),
            ),
            (
                "linear",
                fields(serde_json::to_value(linear::Params::default()).unwrap()),
            ),
            (
                "nonlinear",
                fields(serde_json::to_value(nonlinear::Params::default()).unwrap()),
            ),
            (
                "arc",
                fields(serde_json::to_value(arc::Params::default()).unwrap()),
            ),
            (
                "beyond",
                fields(serde_json::to_value(beyond::Params::default()).unwrap()),
            ),
        ];
        for (chapter, fields) in all {
            let t = try_this(chapter).unwrap();
            assert!(
                fields.iter().any(|f| f == t.param),
                "{chapter}: {}",
                t.param
            );
            assert!(
                t.text.contains(&format!("`{}", t.param)),
                "{chapter}: names it"
            );
        }
    }
}
