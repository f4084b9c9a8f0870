//! The compute stage: which chapters a build covers, and each one's `Params` → `compute` →
//! `Output`, figures and findings, in reading order. It writes no file and knows no template;
//! the rendering stage (`render`, feature `book`) draws what this stage returns.
//!
//! # Adding a chapter
//! A chapter is a module in [`crate::chapters`] (`Params` with `default()`, `quick()` and a
//! `seed`; `compute(&Params) -> Result<Output>`; `Output: Serialize` with `findings`), its
//! figures in [`crate::plots`], a template `templates/<id>.md.tera`, and ONE line in
//! [`REGISTRY`]. The list of templates is read from the `templates/` folder and the list of
//! source files the book quotes from the `// ANCHOR:` markers under `src/` (both by `build.rs`),
//! so nothing else needs a new entry.

use std::any::Any;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::chapters::{self, ChapterMeta};
use crate::claims::{ClaimRow, Finding};
pub use crate::claims::{Sweep, SweepClaim, SweepSpec};
use crate::plots::{self, Svg};

/// Why the compute stage failed. The cause is kept as the error's source, so the binary prints
/// the whole chain.
#[derive(Debug, Error)]
pub enum ComputeError {
    /// A `--chapter` name that no registry entry has.
    #[error("unknown chapter {name:?}; the chapters are: {known}")]
    UnknownChapter { name: String, known: String },
    /// A chapter's computation (or its figures) failed.
    #[error("chapter {chapter}")]
    Chapter {
        chapter: &'static str,
        #[source]
        source: crate::Error,
    },
    /// A chapter's output could not be turned into JSON for the templates.
    #[error("chapter {chapter}: cannot serialise the output")]
    Serialise {
        chapter: &'static str,
        #[source]
        source: serde_json::Error,
    },
}

/// The compute stage's result type.
pub type Result<T> = std::result::Result<T, ComputeError>;

/// What to compute: every chapter's `Params::default()` (the paper's settings) or
/// `Params::quick()`, with the seed overridden if asked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Fewer random draws and shorter training everywhere: for quick looks and tests.
    pub quick: bool,
    /// Compute only this chapter (plus the entries that are always included).
    pub chapter: Option<String>,
    /// Replace every chapter's default seed.
    pub seed: Option<u64>,
    /// Run this seed sweep for the scorecard ("holds for k of K seeds"); `None`: no sweep.
    pub sweep: Option<SweepSpec>,
    /// Merged atlas files whose rows replace the atlas chapter's computed sections of their
    /// length ([`chapters::atlas::Params::data`]); not used by the seed sweep.
    pub atlas_data: Vec<std::path::PathBuf>,
}

/// Compute the chapters (those `chapter` selects; not the summaries) at every seed of `spec`
/// and merge their findings into the ledger, claim by claim. Seeds run on all cores; the
/// result does not depend on how many. `progress(done, total)` is called as seeds finish.
///
/// # Errors
/// The first seed's error, if any chapter fails to compute.
pub fn sweep(
    chapter: Option<&str>,
    spec: &SweepSpec,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Sweep> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let selected = select_chapters(chapter)?;
    let ids: Vec<&str> = selected.iter().map(|e| e.meta.id).collect();
    // Every entry but the scorecard and the appendix: the chapters, and the summaries that
    // judge claims of their own (the verdict's H1, the errata's checks).
    let judged: Vec<&Entry> = selected
        .iter()
        .copied()
        .filter(|e| !matches!(e.meta.id, "scorecard" | "appendix"))
        .collect();
    let one = |seed: u64| -> Result<Vec<ClaimRow>> {
        let opts = Options {
            quick: spec.quick,
            chapter: None,
            seed: Some(seed),
            sweep: None,
            atlas_data: Vec::new(),
        };
        let done = run_entries(&opts, &judged, &mut |_, _, _| {})?;
        let findings: Vec<Finding> = done.iter().flat_map(|c| c.findings.clone()).collect();
        let mut rows = crate::claims::scorecard(&findings, &ids);
        rows.extend(chapters::errata::rows(&findings, &ids));
        Ok(rows)
    };
    let total = spec.seeds.len();
    let next = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Vec<ClaimRow>>>>> =
        Mutex::new((0..total).map(|_| None).collect());
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(total);
    progress(0, total);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= total {
                        break;
                    }
                    let rows = one(spec.seeds[k]);
                    if let Ok(mut slots) = results.lock() {
                        slots[k] = Some(rows);
                    }
                    progress(finished.fetch_add(1, Ordering::Relaxed) + 1, total);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let mut per_seed = Vec::with_capacity(total);
    for rows in results {
        per_seed.push(rows.unwrap_or_else(|| Ok(Vec::new()))?);
    }
    Ok(Sweep::merge(spec, &per_seed))
}

/// One computed chapter, ready to render.
#[derive(Clone, Debug)]
pub struct Computed {
    pub meta: &'static ChapterMeta,
    /// The chapter's `Output`, serialised (what the template and `data/<id>.json` show).
    pub data: Value,
    pub findings: Vec<Finding>,
    /// (figure name, SVG), in the chapter's order.
    pub figures: Vec<(String, Svg)>,
    /// The seed the chapter's `Params` held, for chapters that draw random numbers.
    pub seed: Option<u64>,
    /// Wall-clock seconds spent computing it (figures included).
    pub seconds: f64,
    /// The chapter's typed `Output`, for the summaries that read it ([`output`]).
    pub output: Option<Arc<dyn Any + Send + Sync>>,
}

/// The typed output of chapter `id` among `done`, if it was computed and has type `T`.
pub fn output<'a, T: 'static>(done: &'a [Computed], id: &str) -> Option<&'a T> {
    done.iter()
        .find(|c| c.meta.id == id)
        .and_then(|c| c.output.as_deref())
        .and_then(|o| o.downcast_ref::<T>())
}

/// What a registry entry's function returns; the stage adds the metadata and the timing.
pub struct Parts {
    pub data: Value,
    pub findings: Vec<Finding>,
    pub figures: Vec<(String, Svg)>,
    pub seed: Option<u64>,
    /// The typed output, for the summaries (`None` for the summaries themselves).
    pub output: Option<Arc<dyn Any + Send + Sync>>,
}

/// How an entry is computed.
#[derive(Clone, Copy)]
pub enum Stage {
    /// From the options alone: a chapter of the paper.
    Chapter(fn(&Options) -> Result<Parts>),
    /// From the options and every entry computed before it (the scorecard reads the findings,
    /// the appendix the seeds and timings). Computed after all `Chapter` entries.
    Summary(fn(&Options, &[Computed]) -> Result<Parts>),
}

/// One chapter of the book: its metadata, whether a one-chapter build still includes it, and
/// how it is computed.
#[derive(Clone, Copy)]
pub struct Entry {
    pub meta: ChapterMeta,
    /// Included in every build, also with `--chapter` (the introduction, the prelude whose
    /// equations later chapters cite, the scorecard, the appendix).
    pub always: bool,
    pub stage: Stage,
}

fn to_value<T: Serialize>(chapter: &'static str, v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|source| ComputeError::Serialise { chapter, source })
}

/// A registry entry for a chapter module `chapters::$id` with figures `$figures`: its `Params`
/// (quick or full, the seed overridden if asked, then `configure(&mut params, options)` if
/// the entry names one), its `compute`, its figures.
macro_rules! chapter {
    ($id:ident, $title:literal, $section:expr, $number:literal, $figures:path, always: $always:literal $(, configure: $configure:path)?) => {
        Entry {
            meta: ChapterMeta {
                id: stringify!($id),
                title: $title,
                section: $section,
                number: Some($number),
            },
            always: $always,
            stage: Stage::Chapter({
                fn run(opts: &Options) -> Result<Parts> {
                    use chapters::$id::{Params, compute};
                    let chapter = stringify!($id);
                    let fail = |source| ComputeError::Chapter { chapter, source };
                    let mut p = if opts.quick {
                        Params::quick()
                    } else {
                        Params::default()
                    };
                    if let Some(seed) = opts.seed {
                        p.seed = seed;
                    }
                    $($configure(&mut p, opts);)?
                    let out = compute(&p).map_err(fail)?;
                    let figures = $figures(&out).map_err(fail)?;
                    Ok(Parts {
                        data: to_value(chapter, &out)?,
                        findings: out.findings.clone(),
                        figures,
                        seed: Some(p.seed),
                        output: Some(std::sync::Arc::new(out)),
                    })
                }
                run
            }),
        }
    };
}

/// Every chapter of the book, in reading order: the one place a chapter is registered.
pub const REGISTRY: &[Entry] = &[
    Entry {
        meta: ChapterMeta {
            id: "intro",
            title: "Introduction: what this edition found",
            section: None,
            number: None,
        },
        always: true,
        stage: Stage::Summary(intro),
    },
    chapter!(prelude, "Analytical prelude", Some("§2"), 1, plots::prelude_figures, always: true),
    chapter!(linear, "The linear auto-associator", Some("§3.1"), 2, plots::linear_figures, always: false),
    chapter!(nonlinear, "The nonlinear auto-associator", Some("§3.2"), 3, plots::nonlinear_figures, always: false),
    chapter!(arc, "The ARC example", Some("§4"), 4, plots::arc_figures, always: false),
    chapter!(beyond, "Beyond the paper", None, 5, plots::beyond_figures, always: false),
    chapter!(atlas, "The atlas: every training set", None, 6, plots::atlas_figures, always: false, configure: atlas_data),
    Entry {
        meta: ChapterMeta {
            id: "verdict",
            title: "Items or relations? The verdict",
            section: Some("§4"),
            number: None,
        },
        always: true,
        stage: Stage::Summary(verdict),
    },
    Entry {
        meta: ChapterMeta {
            id: "errata",
            title: "Errata",
            section: None,
            number: None,
        },
        always: true,
        stage: Stage::Summary(errata),
    },
    Entry {
        meta: ChapterMeta {
            id: "scorecard",
            title: "Replication scorecard",
            section: None,
            number: None,
        },
        always: true,
        stage: Stage::Summary(scorecard),
    },
    Entry {
        meta: ChapterMeta {
            id: "appendix",
            title: "Reproducibility appendix",
            section: None,
            number: None,
        },
        always: true,
        stage: Stage::Summary(appendix),
    },
];

/// The atlas reads the merged atlas files of `--atlas-data`.
fn atlas_data(p: &mut chapters::atlas::Params, opts: &Options) {
    p.data.clone_from(&opts.atlas_data);
}

/// The metadata of every registered chapter, in reading order.
pub fn chapter_metas() -> Vec<ChapterMeta> {
    REGISTRY.iter().map(|e| e.meta).collect()
}

/// The registry entry with this id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    REGISTRY.iter().find(|e| e.meta.id == id)
}

fn intro(opts: &Options, done: &[Computed]) -> Result<Parts> {
    // The chapters of this build only: the introduction links to each one's page, data and
    // notebook, and a one-chapter build writes no other.
    let chapters = select_chapters(opts.chapter.as_deref())?
        .iter()
        .map(|e| e.meta)
        .collect();
    // What this edition found: the verdict chapter's computation (pure and cheap), run here
    // too because the introduction is computed before it.
    let found = verdict_output(done);
    let out = chapters::intro::compute(&chapters::intro::Params {
        chapters,
        found: Some(found),
    });
    Ok(Parts {
        data: to_value("intro", &out)?,
        findings: vec![],
        figures: vec![],
        seed: None,
        output: None,
    })
}

/// The verdict chapter's output from the chapters computed so far.
fn verdict_output(done: &[Computed]) -> chapters::verdict::Output {
    let findings: Vec<Finding> = done.iter().flat_map(|c| c.findings.clone()).collect();
    let computed: Vec<&str> = done.iter().map(|c| c.meta.id).collect();
    chapters::verdict::compute(&chapters::verdict::Params {
        linear: output(done, "linear"),
        nonlinear: output(done, "nonlinear"),
        arc: output(done, "arc"),
        beyond: output(done, "beyond"),
        findings: &findings,
        computed: &computed,
    })
}

fn verdict(_: &Options, done: &[Computed]) -> Result<Parts> {
    let out = verdict_output(done);
    Ok(Parts {
        data: to_value("verdict", &out)?,
        findings: out.findings.clone(),
        figures: vec![],
        seed: None,
        output: None,
    })
}

fn errata(_: &Options, done: &[Computed]) -> Result<Parts> {
    let computed: Vec<&str> = done.iter().map(|c| c.meta.id).collect();
    let out = chapters::errata::compute(&chapters::errata::Params {
        linear: output(done, "linear"),
        nonlinear: output(done, "nonlinear"),
        computed: &computed,
    });
    Ok(Parts {
        data: to_value("errata", &out)?,
        findings: out.findings.clone(),
        figures: vec![],
        seed: None,
        output: None,
    })
}

fn scorecard(opts: &Options, done: &[Computed]) -> Result<Parts> {
    let findings: Vec<Finding> = done.iter().flat_map(|c| c.findings.clone()).collect();
    let sweep = match &opts.sweep {
        Some(spec) => Some(sweep(opts.chapter.as_deref(), spec, &|_, _| {})?),
        None => None,
    };
    let out = chapters::scorecard::compute(&chapters::scorecard::Params {
        findings,
        computed: done.iter().map(|c| c.meta.id.to_string()).collect(),
        sweep,
    });
    Ok(Parts {
        data: to_value("scorecard", &out)?,
        findings: vec![],
        figures: vec![],
        seed: None,
        output: None,
    })
}

fn appendix(opts: &Options, done: &[Computed]) -> Result<Parts> {
    let out = chapters::appendix::compute(&provenance(opts, done));
    Ok(Parts {
        data: to_value("appendix", &out)?,
        findings: vec![],
        figures: vec![],
        seed: None,
        output: None,
    })
}

/// The entries a build covers, in reading order; refuses unknown names.
pub fn select_chapters(only: Option<&str>) -> Result<Vec<&'static Entry>> {
    match only {
        None => Ok(REGISTRY.iter().collect()),
        Some(name) => {
            let wanted = entry(name).ok_or_else(|| ComputeError::UnknownChapter {
                name: name.to_string(),
                known: REGISTRY
                    .iter()
                    .map(|e| e.meta.id)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
            Ok(REGISTRY
                .iter()
                .filter(|e| e.always || e.meta.id == wanted.meta.id)
                .collect())
        }
    }
}

/// Compute every selected entry: the chapters in reading order, then the summaries (which see
/// everything computed before them). `progress(done, total, chapter)` is called before each.
pub fn compute_all(
    opts: &Options,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Vec<Computed>> {
    let selected = select_chapters(opts.chapter.as_deref())?;
    run_entries(opts, &selected, progress)
}

/// Compute `selected` (chapters first, then summaries, each in registry order) and return them
/// in reading order.
fn run_entries(
    opts: &Options,
    selected: &[&'static Entry],
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Vec<Computed>> {
    let total = selected.len();
    let mut done: Vec<Computed> = Vec::with_capacity(total);
    let chapters_first = selected
        .iter()
        .filter(|e| matches!(e.stage, Stage::Chapter(_)))
        .chain(
            selected
                .iter()
                .filter(|e| matches!(e.stage, Stage::Summary(_))),
        );
    for (k, e) in chapters_first.enumerate() {
        progress(k, total, e.meta.id);
        let start = Instant::now();
        let parts = match e.stage {
            Stage::Chapter(run) => run(opts)?,
            Stage::Summary(run) => run(opts, &done)?,
        };
        done.push(Computed {
            meta: &e.meta,
            data: parts.data,
            findings: parts.findings,
            figures: parts.figures,
            seed: parts.seed,
            seconds: start.elapsed().as_secs_f64(),
            output: parts.output,
        });
    }
    progress(total, total, "done");
    // Reading order for the renderer.
    done.sort_by_key(|c| {
        REGISTRY
            .iter()
            .position(|e| e.meta.id == c.meta.id)
            .unwrap_or(usize::MAX)
    });
    Ok(done)
}

/// The facts about this build: versions, revision, seeds. The only I/O of the
/// compute stage (asking git), kept here, out of the chapter modules.
fn provenance(opts: &Options, done: &[Computed]) -> chapters::appendix::Params {
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
                seed: c.seed,
            })
            .collect(),
    }
}

/// The errata checks of a computed book, merged with the errata registry.
pub fn errata_rows(computed: &[Computed]) -> Vec<ClaimRow> {
    let findings: Vec<Finding> = computed.iter().flat_map(|c| c.findings.clone()).collect();
    let ids: Vec<&str> = computed.iter().map(|c| c.meta.id).collect();
    chapters::errata::rows(&findings, &ids)
}

/// The scorecard rows of a computed book.
pub fn claim_rows(computed: &[Computed]) -> Vec<ClaimRow> {
    let findings: Vec<Finding> = computed.iter().flat_map(|c| c.findings.clone()).collect();
    let ids: Vec<&str> = computed.iter().map(|c| c.meta.id).collect();
    crate::claims::scorecard(&findings, &ids)
}
