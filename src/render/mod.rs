//! The rendering stage (feature `book`): chapter outputs → tera templates → markdown with
//! numbered, cross-referenced figures, tables and equations and MathML → an mdBook in HTML.
//!
//! The stage never computes science; it only asks the chapter modules for their `Output` and
//! draws it. A build writes into a staging folder and swaps it in only when everything worked,
//! so a failed build leaves the previous book in place.

mod figures;
pub mod latex;
pub mod markdown;
mod notation;
pub mod notebook;
pub mod output;
pub mod report;
mod sources;
mod tables;
mod templates;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use thiserror::Error;

use crate::chapters::ChapterMeta;
use crate::claims::Tally;
pub use crate::compute::{ComputeError, Computed, Options, claim_rows, compute_all};

/// Why a build failed. Each message names the file, template or label at fault; causes are
/// kept as the error's source, so the binary prints the whole chain.
#[derive(Debug, Error)]
pub enum RenderError {
    #[error(transparent)]
    Compute(#[from] ComputeError),
    /// The output folder (or the staging folder inside it) cannot be created: the user's
    /// `--out` is at fault, not the build.
    #[error("cannot create the output folder {path}")]
    OutputFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing failed mid-build (a full disk, a folder removed under us, …).
    #[error("cannot write to {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An output folder holds something this tool did not write (or that changed since it
    /// wrote it): a build replaces only its own earlier output. The user's files are at stake,
    /// so nothing is touched.
    #[error(
        "{path} was not written by items-or-relations ({why}): move it away or choose another --out; nothing was changed"
    )]
    NotOurs { path: PathBuf, why: String },
    /// Another build holds the output folder's lock.
    #[error(
        "another build is writing into {out}: wait for it to finish or choose another --out; nothing was changed"
    )]
    Busy { out: PathBuf },
    /// The swap failed and undoing it failed too: the message says where the previous output
    /// was left.
    #[error("{failure}; undoing the swap failed too: the previous output is at {path}")]
    SwapUndo {
        failure: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("template {template}: {why}")]
    Template { template: String, why: String },
    #[error("{0}")]
    Markup(String),
    #[error("mdBook failed")]
    Book(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl RenderError {
    /// True when the user's input is at fault (an unknown chapter, an output folder that
    /// cannot be created): exit code 2.
    pub fn is_usage_error(&self) -> bool {
        matches!(
            self,
            RenderError::Compute(ComputeError::UnknownChapter { .. })
                | RenderError::OutputFolder { .. }
                | RenderError::NotOurs { .. }
                | RenderError::Busy { .. }
        )
    }
}

type Result<T> = std::result::Result<T, RenderError>;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> RenderError + '_ {
    move |source| RenderError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn out_err(path: &Path) -> impl Fn(std::io::Error) -> RenderError + '_ {
    move |source| RenderError::OutputFolder {
        path: path.to_path_buf(),
        source,
    }
}

/// What to build and where.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildOptions {
    /// The folder that receives `chapters/` (mdBook source) and `book/` (HTML).
    pub out: PathBuf,
    /// What to compute (quick or full settings, one chapter, the seed).
    pub compute: Options,
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

/// A rendered chapter: its file name, its markdown for the book, and its markdown for the
/// notebook (LaTeX kept, references pointing at the HTML book).
pub struct Page {
    pub meta: &'static ChapterMeta,
    pub file: String,
    pub markdown: String,
    pub notebook_markdown: String,
}

/// Templates → markdown → numbered, resolved, MathML. Pure: no files touched.
pub fn render_pages(computed: &[Computed], opts: &Options) -> Result<Vec<Page>> {
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
/// notebooks' `:dep` line); `opts` are the options the book was computed with (the notebooks'
/// parameters cells repeat them).
pub fn write_sources(
    dir: &Path,
    computed: &[Computed],
    pages: &[Page],
    crate_path: &str,
    opts: &Options,
) -> Result<()> {
    write(&dir.join("SUMMARY.md"), summary(pages).as_bytes())?;
    for p in pages {
        write(&dir.join(&p.file), p.markdown.as_bytes())?;
        if notebook::has_code(&p.notebook_markdown) {
            let notebook_err = |why: String| RenderError::Template {
                template: p.meta.id.to_string(),
                why: format!("notebook: {why}"),
            };
            let c = computed
                .iter()
                .find(|c| c.meta.id == p.meta.id)
                .ok_or_else(|| notebook_err("the chapter was not computed".into()))?;
            let nb = notebook::notebook(c, &p.notebook_markdown, crate_path, opts.quick)
                .map_err(notebook_err)?;
            let text =
                serde_json::to_string_pretty(&nb).map_err(|e| notebook_err(e.to_string()))?;
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
    run_mdbook_titled(root, None)
}

/// [`run_mdbook`] with another title than the book's (the report's).
fn run_mdbook_titled(root: &Path, title: Option<&str>) -> Result<()> {
    let mut config: mdbook_driver::config::Config = templates::BOOK_TOML
        .parse()
        .map_err(|e: anyhow::Error| RenderError::Book(e.context("book.toml").into()))?;
    config.book.src = PathBuf::from("chapters");
    config.build.build_dir = PathBuf::from("book");
    config.build.create_missing = false;
    if let Some(title) = title {
        config.book.title = Some(title.to_string());
    }
    // The repository in the menu bar: Cargo.toml's `repository`, when the package names one
    // (never a guessed address).
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        config
            .set("output.html.git-repository-url", repository)
            .map_err(|e| RenderError::Book(e.context("git-repository-url").into()))?;
    }
    let book = mdbook_driver::MDBook::load_with_config(root, config)
        .map_err(|e| RenderError::Book(e.into()))?;
    book.build().map_err(|e| RenderError::Book(e.into()))
}

/// Build the whole thing: compute, render, write to a staging folder, run mdBook, swap in.
pub fn build(
    opts: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<BuildReport> {
    // Refuse bad input before any work or any file.
    crate::compute::select_chapters(opts.compute.chapter.as_deref())?;
    let report = staged(&opts.out, |staging| build_in(opts, staging, progress))?;
    write_timings(&opts.out, &report)?;
    Ok(report)
}

pub(crate) use output::staged;

/// `OUT/.items-or-relations/timings.json`: how long each stage took. Kept beside the book, not
/// in it, so that two builds of one revision with one seed give byte-identical `chapters/` and
/// `book/`, and in the tool's own folder, so that a build in a repository leaves no stray file.
/// Written to a temporary name and renamed, so it is never half-written.
fn write_timings(out: &Path, report: &BuildReport) -> Result<()> {
    #[derive(Serialize)]
    struct Timings<'a> {
        compute_seconds: &'a [(String, f64)],
        total_compute_seconds: f64,
        render_seconds: f64,
        mdbook_seconds: f64,
    }
    let timings = Timings {
        compute_seconds: &report.compute_seconds,
        total_compute_seconds: report.compute_seconds.iter().map(|(_, s)| s).sum(),
        render_seconds: report.render_seconds,
        mdbook_seconds: report.mdbook_seconds,
    };
    let text = serde_json::to_string_pretty(&timings).map_err(|e| RenderError::Template {
        template: "timings.json".into(),
        why: e.to_string(),
    })?;
    let state = out.join(output::STATE_DIR);
    let (tmp, path) = (state.join(".timings.json.tmp"), state.join("timings.json"));
    write(&tmp, format!("{text}\n").as_bytes())?;
    fs::rename(&tmp, &path).map_err(io_err(&path))
}

fn build_in(
    opts: &BuildOptions,
    staging: &Path,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<BuildReport> {
    let computed = compute_all(&opts.compute, progress)?;
    let t = Instant::now();
    let pages = render_pages(&computed, &opts.compute)?;
    // `build` has created the output folder, so it resolves.
    let crate_path = notebook::dep_path(&opts.out, Path::new(env!("CARGO_MANIFEST_DIR")))
        .map_err(out_err(&opts.out))?;
    write_sources(
        &staging.join("chapters"),
        &computed,
        &pages,
        &crate_path,
        &opts.compute,
    )?;
    let render_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    run_mdbook(staging)?;
    let drawn: std::collections::BTreeMap<&str, &crate::plots::Svg> = computed
        .iter()
        .flat_map(|c| c.figures.iter().map(|(name, svg)| (name.as_str(), svg)))
        .collect();
    figures::inline_book(&staging.join("book"), &drawn)?;
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
