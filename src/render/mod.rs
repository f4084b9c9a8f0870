//! The rendering stage (feature `book`): chapter outputs → tera templates → markdown with
//! numbered, cross-referenced figures, tables and equations and MathML → an mdBook in HTML.
//!
//! The stage never computes science; it only asks the chapter modules for their `Output` and
//! draws it. A build writes into a staging folder and swaps it in only when everything worked,
//! so a failed build leaves the previous book in place.

pub mod latex;
pub mod markdown;
pub mod notebook;
mod sources;
mod templates;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::chapters::{self, CHAPTERS, ChapterMeta};
use crate::claims::{ClaimRow, Finding, Tally};
use crate::plots::{self, Svg};

/// Why a build failed. Each message names the file, template or label at fault.
#[derive(Debug, Error)]
pub enum RenderError {
    #[error("unknown chapter {name:?}; the chapters are: {known}")]
    UnknownChapter { name: String, known: String },
    #[error("cannot write to {path}: {why}")]
    Io { path: PathBuf, why: String },
    #[error("chapter {chapter}: {source}")]
    Compute {
        chapter: String,
        source: crate::Error,
    },
    #[error("template {template}: {why}")]
    Template { template: String, why: String },
    #[error("{0}")]
    Markup(String),
    #[error("mdBook failed: {0}")]
    Book(String),
}

type Result<T> = std::result::Result<T, RenderError>;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> RenderError + '_ {
    move |e| RenderError::Io {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}

/// What to build and where.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildOptions {
    /// The folder that receives `chapters/` (mdBook source) and `book/` (HTML).
    pub out: PathBuf,
    /// Fewer random draws and shorter training everywhere: for quick looks and tests.
    pub quick: bool,
    /// Build only this chapter (plus the introduction and the scorecard).
    pub chapter: Option<String>,
    /// Replace every chapter's default seed.
    pub seed: Option<u64>,
}

/// One computed chapter, ready to render.
#[derive(Clone, Debug)]
pub struct Computed {
    pub meta: &'static ChapterMeta,
    pub data: Value,
    pub findings: Vec<Finding>,
    pub figures: Vec<(String, Svg)>,
    pub seconds: f64,
}

/// What a finished build reports.
#[derive(Clone, Debug, Serialize)]
pub struct BuildReport {
    pub out: PathBuf,
    pub index_html: PathBuf,
    /// (chapter id, seconds spent computing it)
    pub compute_seconds: Vec<(String, f64)>,
    pub render_seconds: f64,
    pub mdbook_seconds: f64,
    pub tally: Tally,
    pub failing_claims: Vec<String>,
}

/// The chapters a build covers, in reading order; refuses unknown names.
pub fn select_chapters(only: Option<&str>) -> Result<Vec<&'static ChapterMeta>> {
    match only {
        None => Ok(CHAPTERS.iter().collect()),
        Some(name) => {
            let wanted = chapters::meta(name).ok_or_else(|| RenderError::UnknownChapter {
                name: name.to_string(),
                known: CHAPTERS.iter().map(|c| c.id).collect::<Vec<_>>().join(", "),
            })?;
            Ok(CHAPTERS
                .iter()
                // The prelude defines the paper's basic equations, which later chapters cite.
                .filter(|c| {
                    c.id == wanted.id
                        || ["intro", "prelude", "scorecard", "appendix"].contains(&c.id)
                })
                .collect())
        }
    }
}

fn to_value<T: Serialize>(chapter: &str, v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| RenderError::Template {
        template: chapter.to_string(),
        why: format!("cannot serialise the output: {e}"),
    })
}

/// Compute one chapter (not the scorecard, which needs the others' findings).
pub fn compute_chapter(meta: &'static ChapterMeta, opts: &BuildOptions) -> Result<Computed> {
    let start = Instant::now();
    let compute_err = |source| RenderError::Compute {
        chapter: meta.id.to_string(),
        source,
    };
    // Every chapter the same way: its Params (quick or full, the seed overridden if asked),
    // its pure compute, its figures.
    macro_rules! run {
        ($module:ident, $figures:path) => {{
            use chapters::$module::{Params, compute};
            let mut p = if opts.quick {
                Params::quick()
            } else {
                Params::default()
            };
            if let Some(seed) = opts.seed {
                p.seed = seed;
            }
            let out = compute(&p).map_err(compute_err)?;
            let figures = $figures(&out).map_err(compute_err)?;
            (to_value(meta.id, &out)?, out.findings.clone(), figures)
        }};
    }
    let (data, findings, figures) = match meta.id {
        "intro" => (
            to_value(meta.id, &chapters::intro::compute(&chapters::intro::Params))?,
            vec![],
            vec![],
        ),
        "prelude" => run!(prelude, plots::prelude_figures),
        "linear" => run!(linear, plots::linear_figures),
        "nonlinear" => run!(nonlinear, plots::nonlinear_figures),
        "arc" => run!(arc, plots::arc_figures),
        "beyond" => run!(beyond, plots::beyond_figures),
        other => {
            return Err(RenderError::UnknownChapter {
                name: other.to_string(),
                known: String::new(),
            });
        }
    };
    Ok(Computed {
        meta,
        data,
        findings,
        figures,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Compute every selected chapter and the scorecard. `progress(done, total, chapter)` is
/// called before each chapter.
pub fn compute_all(
    opts: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Vec<Computed>> {
    let selected = select_chapters(opts.chapter.as_deref())?;
    let total = selected.len();
    let mut done = Vec::new();
    for (k, meta) in selected.iter().enumerate() {
        progress(k, total, meta.id);
        if meta.id == "scorecard" || meta.id == "appendix" {
            continue;
        }
        done.push(compute_chapter(meta, opts)?);
    }
    if let Some(meta) = selected.iter().find(|m| m.id == "scorecard") {
        let start = Instant::now();
        let findings: Vec<Finding> = done.iter().flat_map(|c| c.findings.clone()).collect();
        let out = chapters::scorecard::compute(&chapters::scorecard::Params { findings });
        done.push(Computed {
            meta,
            data: to_value("scorecard", &out)?,
            findings: vec![],
            figures: vec![],
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    if let Some(meta) = selected.iter().find(|m| m.id == "appendix") {
        let start = Instant::now();
        let params = provenance(opts, &done);
        let out = chapters::appendix::compute(&params);
        done.push(Computed {
            meta,
            data: to_value("appendix", &out)?,
            findings: vec![],
            figures: vec![],
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    progress(total, total, "done");
    Ok(done)
}

/// The facts about this build: versions, revision, seeds, timings. The only I/O of the
/// compute stage (asking git), kept here, out of the chapter modules.
fn provenance(opts: &BuildOptions, done: &[Computed]) -> chapters::appendix::Params {
    let root = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
    };
    let revision = git(&["rev-parse", "HEAD"]).map(|s| s.trim().to_string());
    let dirty = revision
        .as_ref()
        .and_then(|_| git(&["status", "--porcelain"]))
        .map(|s| !s.trim().is_empty());
    chapters::appendix::Params {
        crate_version: env!("CARGO_PKG_VERSION").to_string(),
        rustc: env!("IOR_RUSTC_VERSION").to_string(),
        git_revision: revision,
        git_dirty: dirty,
        quick: opts.quick,
        seed_override: opts.seed,
        chapters: done
            .iter()
            .map(|c| chapters::appendix::ChapterRecord {
                chapter: c.meta.id.to_string(),
                title: c.meta.title.to_string(),
                seed: c
                    .data
                    .get("params")
                    .and_then(|p| p.get("seed"))
                    .and_then(Value::as_u64),
                compute_seconds: c.seconds,
            })
            .collect(),
    }
}

/// The scorecard rows of a computed book.
pub fn claim_rows(computed: &[Computed]) -> Vec<ClaimRow> {
    let findings: Vec<Finding> = computed.iter().flat_map(|c| c.findings.clone()).collect();
    crate::claims::scorecard(&findings)
}

/// A rendered chapter: its file name, its markdown for the book, and its markdown for the
/// notebook (LaTeX kept, references pointing at the HTML book).
pub struct Page {
    pub meta: &'static ChapterMeta,
    pub file: String,
    pub markdown: String,
    pub notebook_markdown: String,
}

/// Templates → markdown → numbered, resolved, MathML. Pure: no files touched.
pub fn render_pages(computed: &[Computed], opts: &BuildOptions) -> Result<Vec<Page>> {
    let rows = claim_rows(computed);
    let engine = templates::engine()?;
    let mut raw = Vec::new();
    for c in computed {
        let md = templates::render_chapter(&engine, c, computed, &rows, opts)?;
        raw.push((c, md));
    }
    let mut labels = Vec::new();
    for (c, md) in &raw {
        let page = format!("{}.html", c.meta.id);
        labels.extend(
            markdown::collect_labels(md, c.meta.number.unwrap_or(0), &page)
                .map_err(RenderError::Markup)?,
        );
    }
    let labels = markdown::merge_labels(labels).map_err(RenderError::Markup)?;
    raw.iter()
        .map(|(c, md)| {
            let page = format!("{}.html", c.meta.id);
            Ok(Page {
                meta: c.meta,
                file: format!("{}.md", c.meta.id),
                markdown: markdown::resolve(md, &labels, &page).map_err(RenderError::Markup)?,
                notebook_markdown: markdown::resolve_for(
                    md,
                    &labels,
                    &page,
                    markdown::Target::Notebook,
                )
                .map_err(RenderError::Markup)?,
            })
        })
        .collect()
}

fn summary(pages: &[Page]) -> String {
    let mut s = String::from("# Summary\n\n");
    let mut numbered = false;
    for p in pages {
        let line = format!("[{}]({})", p.meta.title, p.file);
        match (p.meta.number, numbered) {
            (Some(_), _) => {
                numbered = true;
                s.push_str(&format!("- {line}\n"));
            }
            (None, false) => s.push_str(&format!("{line}\n\n")),
            (None, true) => s.push_str(&format!("\n{line}\n")),
        }
    }
    s
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    fs::write(path, bytes).map_err(io_err(path))
}

/// Write the mdBook source of a computed book into `dir` (which must not exist yet).
/// `crate_path` is the crate's folder as seen from the final `chapters/` folder (for the
/// notebooks' `:dep` line).
pub fn write_sources(
    dir: &Path,
    computed: &[Computed],
    pages: &[Page],
    crate_path: &str,
) -> Result<()> {
    write(&dir.join("SUMMARY.md"), summary(pages).as_bytes())?;
    for p in pages {
        write(&dir.join(&p.file), p.markdown.as_bytes())?;
        if notebook::has_code(&p.notebook_markdown) {
            let nb = notebook::notebook(p.meta.id, &p.notebook_markdown, crate_path);
            let text = serde_json::to_string_pretty(&nb).map_err(|e| RenderError::Template {
                template: p.meta.id.to_string(),
                why: format!("notebook: {e}"),
            })?;
            write(
                &dir.join(format!("{}.ipynb", p.meta.id)),
                format!("{text}\n").as_bytes(),
            )?;
        }
    }
    for c in computed {
        let json = serde_json::to_string_pretty(&c.data).map_err(|e| RenderError::Template {
            template: c.meta.id.to_string(),
            why: e.to_string(),
        })?;
        write(
            &dir.join("data").join(format!("{}.json", c.meta.id)),
            format!("{json}\n").as_bytes(),
        )?;
        for (name, svg) in &c.figures {
            write(
                &dir.join("figures").join(format!("{name}.svg")),
                svg.0.as_bytes(),
            )?;
        }
    }
    for (name, bytes) in templates::ASSETS {
        write(&dir.join("assets").join(name), bytes)?;
    }
    Ok(())
}

/// Run mdBook on `root` (which holds `chapters/`), writing HTML to `root/book`.
fn run_mdbook(root: &Path) -> Result<()> {
    let mut config: mdbook_driver::config::Config = templates::BOOK_TOML
        .parse()
        .map_err(|e| RenderError::Book(format!("book.toml: {e:#}")))?;
    config.book.src = PathBuf::from("chapters");
    config.build.build_dir = PathBuf::from("book");
    config.build.create_missing = false;
    let book = mdbook_driver::MDBook::load_with_config(root, config)
        .map_err(|e| RenderError::Book(format!("{e:#}")))?;
    book.build()
        .map_err(|e| RenderError::Book(format!("{e:#}")))
}

/// Build the whole thing: compute, render, write to a staging folder, run mdBook, swap in.
pub fn build(
    opts: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<BuildReport> {
    // Refuse bad input before any work or any file.
    select_chapters(opts.chapter.as_deref())?;
    fs::create_dir_all(&opts.out).map_err(io_err(&opts.out))?;
    let staging = opts.out.join(".items-or-relations-staging");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    fs::create_dir(&staging).map_err(io_err(&staging))?;
    let result = build_in(opts, &staging, progress);
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Swap: move the old folders aside, the new ones in, then delete the old ones.
    for name in ["chapters", "book"] {
        let target = opts.out.join(name);
        let old = staging.join(format!("old-{name}"));
        if target.exists() {
            fs::rename(&target, &old).map_err(io_err(&target))?;
        }
        fs::rename(staging.join(name), &target).map_err(io_err(&target))?;
    }
    fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    Ok(report)
}

fn build_in(
    opts: &BuildOptions,
    staging: &Path,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<BuildReport> {
    let computed = compute_all(opts, progress)?;
    let t = Instant::now();
    let pages = render_pages(&computed, opts)?;
    let out_abs = std::path::absolute(&opts.out).map_err(io_err(&opts.out))?;
    let crate_path = notebook::relative_path(
        &out_abs.join("chapters"),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    write_sources(&staging.join("chapters"), &computed, &pages, &crate_path)?;
    let render_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    run_mdbook(staging)?;
    let mdbook_seconds = t.elapsed().as_secs_f64();
    let rows = claim_rows(&computed);
    let tally = crate::claims::tally(&rows);
    Ok(BuildReport {
        out: opts.out.clone(),
        index_html: opts.out.join("book").join("index.html"),
        compute_seconds: computed
            .iter()
            .map(|c| (c.meta.id.to_string(), c.seconds))
            .collect(),
        render_seconds,
        mdbook_seconds,
        tally,
        failing_claims: rows
            .iter()
            .filter(|r| !r.ok)
            .map(|r| r.id.clone())
            .collect(),
    })
}
