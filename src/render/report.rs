//! The `report` command's build: one training set's report ([`crate::report`]) through the
//! book's own render stage — the tera template `templates/report.md.tera` with the book's
//! filters and macros, numbered figures, tables and equations, LaTeX to MathML, the book's
//! styles and fonts, mdBook — into a one-page book, with its notebook (outputs stored, as the
//! chapters' are) and its data as JSON and CSV. The output folder is written through the same
//! staging and swap as the book ([`super::staged`]): `OUT/chapters/` (the page's source, the
//! notebook `report.ipynb`, `data/`, `figures/`) and `OUT/book/` (the HTML).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::notebook::{self, KnownCell, NotebookSpec, Output as CellOutput};
use super::{RenderError, Result, markdown, out_err, templates, write};
use crate::chapters::ChapterMeta;
use crate::compute::{ComputeError, Computed};
use crate::display;
use crate::report::{self, Params};

/// The report as a one-chapter book: numbered 1, so its labels read "Figure 1.2".
pub static META: ChapterMeta = ChapterMeta {
    id: "report",
    title: "Report",
    section: None,
    number: Some(1),
};

/// What to build and where.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportOptions {
    /// The folder that receives `chapters/` and `book/`.
    pub out: PathBuf,
    pub params: Params,
    /// Built with `Params::quick` (the notebook's parameters cell says so).
    pub quick: bool,
}

/// What a finished report build reports.
#[derive(Clone, Debug, Serialize)]
pub struct ReportBuild {
    pub index_html: PathBuf,
    pub compute_seconds: f64,
    pub render_seconds: f64,
    pub mdbook_seconds: f64,
    /// Checked claims about the set whose checks failed (ids).
    pub failing_claims: Vec<String>,
}

fn compute_err(source: crate::Error) -> RenderError {
    RenderError::Compute(ComputeError::Chapter {
        chapter: "report",
        source,
    })
}

/// The notebook's parameters cell as the build ran it.
pub fn params_cell(params: &Params, quick: bool) -> String {
    let (base, settings) = if quick {
        ("quick", "quick settings (Params::new for the full ones)")
    } else {
        ("new", "the report's full settings")
    };
    let test = match &params.test {
        Some(t) => format!("Some({t:?}.into())"),
        None => "None".to_string(),
    };
    format!(
        "use items_or_relations::report::{{compute, Params}};\n\
         use items_or_relations::{{display, plots}};\n\
         // As built: {settings}. Change any field listed below and rerun the cells below.\n\
         let params = Params {{ test: {test}, seeds: {}, seed: {}, steps: {}, ..Params::{base}({:?}) }};\n\
         display::params(&params)",
        params.seeds, params.seed, params.steps, params.patterns
    )
}

/// The cell that computes the report from the parameters cell.
pub const COMPUTE_CELL: &str = "let out = compute(&params)?;\n\
     let figures = plots::report_figures(&out)?;\n\
     display::findings(&out.findings)";

/// Every code cell the report's template may hold, with the output the kernel gives it.
fn known_cells(c: &Computed, params: &Params, quick: bool) -> Result<Vec<KnownCell>> {
    let findings = CellOutput::of(&display::findings(&c.findings));
    let mut cells = vec![
        KnownCell {
            source: params_cell(params, quick),
            outputs: vec![CellOutput::of(&display::params(&c.data["params"]))],
            figure: None,
        },
        KnownCell {
            source: COMPUTE_CELL.to_string(),
            outputs: vec![findings],
            figure: None,
        },
    ];
    for (name, svg) in &c.figures {
        cells.push(KnownCell {
            source: format!("plots::pick(&figures, {name:?})?"),
            outputs: vec![CellOutput::of(svg)],
            figure: Some(name.clone()),
        });
    }
    Ok(cells)
}

/// Refuse bad input before any file is written: the parser's errors for the patterns and the
/// test item, a test item of the wrong length, N above the maximum.
///
/// # Errors
/// [`crate::Error::NonBinary`], [`crate::Error::EmptySet`], [`crate::Error::LengthMismatch`],
/// [`crate::Error::DuplicatePattern`], [`crate::Error::TooLarge`] and the like.
pub fn validate(params: &Params) -> crate::Result<()> {
    let set = crate::pattern::PatternSet::parse(&params.patterns)?;
    crate::group::symmetry_group(&set)?;
    if let Some(t) = &params.test {
        let t = crate::pattern::Pattern::parse(t)?;
        if t.len() != set.n() {
            return Err(crate::Error::LengthMismatch {
                pattern: t.to_string(),
                expected: set.n(),
                found: t.len(),
            });
        }
    }
    Ok(())
}

/// A CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = header.join(",");
    s.push('\n');
    for r in rows {
        let fields: Vec<String> = r.iter().map(|f| csv_field(f)).collect();
        let _ = writeln!(s, "{}", fields.join(","));
    }
    s
}

/// The report's tables as CSV: (file name, text).
pub fn csv_files(out: &report::Output) -> Vec<(String, String)> {
    let orbit_of = |p: &str| {
        out.group
            .orbits_on_patterns
            .iter()
            .position(|o| o.iter().any(|q| q == p))
            .map_or(String::new(), |k| (k + 1).to_string())
    };
    let yes = |b: bool| if b { "1" } else { "0" }.to_string();
    let mut patterns = Vec::new();
    for orbit in &out.group.orbits_on_patterns {
        for p in orbit {
            patterns.push(p.clone());
        }
    }
    patterns.sort();
    let rows: Vec<Vec<String>> = patterns
        .iter()
        .map(|p| {
            vec![
                p.clone(),
                yes(out.patterns.contains(p)),
                orbit_of(p),
                yes(out.linear.span.contains(p)),
                yes(out.linear.criterion.contains(p)),
            ]
        })
        .collect();
    let mut files = vec![(
        "patterns.csv".to_string(),
        csv(
            &[
                "pattern",
                "in_x",
                "orbit",
                "every_linear_solution_reproduces",
                "paper_criterion",
            ],
            &rows,
        ),
    )];
    let all: Vec<String> = crate::pattern::Pattern::all(out.n)
        .map(|ps| ps.iter().map(|p| p.to_string()).collect())
        .unwrap_or_default();
    let mut net_rows = Vec::new();
    for (k, t) in out.networks.networks.iter().enumerate() {
        let reproduced: Vec<String> = t.reproduced.iter().map(|p| p.to_string()).collect();
        for (p, loss) in all.iter().zip(&t.loss_per_pattern) {
            net_rows.push(vec![
                t.activation.name().to_string(),
                (k / 3).to_string(),
                t.seed.to_string(),
                p.clone(),
                yes(out.patterns.contains(p)),
                format!("{loss:?}"),
                yes(reproduced.contains(p)),
                format!("{:?}", t.invariance_defect),
            ]);
        }
    }
    files.push((
        "networks.csv".to_string(),
        csv(
            &[
                "activation",
                "run",
                "seed",
                "pattern",
                "in_x",
                "loss",
                "reproduced_outside_x",
                "invariance_defect",
            ],
            &net_rows,
        ),
    ));
    let fp_rows: Vec<Vec<String>> = out
        .dynamics
        .iter()
        .flat_map(|d| {
            d.fixed_points.iter().map(move |f| {
                vec![
                    d.activation.clone(),
                    d.run.to_string(),
                    f.x.iter()
                        .map(|v| format!("{v:?}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                    f.nearest.clone(),
                    format!("{:?}", f.distance),
                    format!("{:?}", f.stability).to_lowercase(),
                    format!("{:?}", f.spectral_radius),
                ]
            })
        })
        .collect();
    files.push((
        "fixed_points.csv".to_string(),
        csv(
            &[
                "activation",
                "run",
                "x",
                "nearest_pattern",
                "distance",
                "stability",
                "spectral_radius",
            ],
            &fp_rows,
        ),
    ));
    files
}

/// Build the report: validate, compute, render, write to a staging folder, run mdBook, swap
/// in. `progress(done, total, stage)` reports the steps (the training seeds, then the render
/// and mdBook) as they finish.
pub fn build_report(
    opts: &ReportOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<ReportBuild> {
    validate(&opts.params).map_err(compute_err)?;
    super::staged(&opts.out, |staging| build_in(opts, staging, progress))
}

/// The report rendered in memory: everything the build writes under `OUT/chapters/`, before
/// mdBook turns it into HTML. [`build_report`] writes these files and runs mdBook; a test can
/// check every stage but mdBook without touching the disk.
#[derive(Clone, Debug)]
pub struct RenderedReport {
    /// The computed report.
    pub output: report::Output,
    /// The page's title ([`page_title`]): its chapter's name in `SUMMARY.md`.
    pub title: String,
    /// The files of `OUT/chapters/`: (path relative to it, contents), in the order written.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The figures (name, SVG), inlined into the HTML after mdBook.
    pub figures: Vec<(String, crate::plots::Svg)>,
    pub compute_seconds: f64,
    pub render_seconds: f64,
}

/// The template engine, built once per process: parsing every template of the book takes
/// ~0.2 s, most of a small set's report when many are rendered in one process (a test's sweep).
fn engine() -> Result<&'static tera::Tera> {
    static ENGINE: std::sync::OnceLock<tera::Tera> = std::sync::OnceLock::new();
    if let Some(e) = ENGINE.get() {
        return Ok(e);
    }
    let built = templates::engine()?;
    Ok(ENGINE.get_or_init(|| built))
}

/// The most patterns [`page_title`] names; a larger set is named by its first ones and counted.
pub const TITLE_PATTERNS: usize = 8;

/// The report's title, "Report: X = {…}", naming at most [`TITLE_PATTERNS`] patterns (the
/// rest counted: "Report: X = {00000000, …, 00000111, … (256 patterns)}"). It is the chapter's
/// name in `SUMMARY.md`; the book around it is titled [`BOOK_TITLE`], so that a page's
/// `<title>` (mdBook writes "chapter - book") names the set once.
pub fn page_title(patterns: &[String]) -> String {
    if patterns.len() <= TITLE_PATTERNS {
        format!("Report: X = {{{}}}", patterns.join(", "))
    } else {
        format!(
            "Report: X = {{{}, … ({} patterns)}}",
            patterns[..TITLE_PATTERNS].join(", "),
            patterns.len()
        )
    }
}

/// The title of the one-chapter book around the report: the menu bar's, and the second half
/// of every page's `<title>`.
pub const BOOK_TITLE: &str = "Items or Relations";

/// Compute the report of `opts.params` and render its page, notebook, data and figures in
/// memory. `opts.out` must exist: the notebook's `:dep` line is the crate's path relative to
/// `opts.out/chapters`. `progress` as [`build_report`]'s, without the mdBook step.
///
/// # Errors
/// The computation's errors ([`RenderError::Compute`]), the templates' and the markup's, and
/// [`RenderError::OutputFolder`] when `opts.out` cannot be resolved.
pub fn render_report(
    opts: &ReportOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<RenderedReport> {
    let total = opts.params.seeds + 2;
    progress(0, total, "training");
    let t = Instant::now();
    let out = report::compute_with_progress(&opts.params, &mut |k| {
        progress(k, total, "training");
    })
    .map_err(compute_err)?;
    let figures = crate::plots::report_figures(&out).map_err(compute_err)?;
    let data = serde_json::to_value(&out).map_err(|source| {
        RenderError::Compute(ComputeError::Serialise {
            chapter: "report",
            source,
        })
    })?;
    let computed = Computed {
        meta: &META,
        data,
        findings: out.findings.clone(),
        figures,
        seed: Some(opts.params.seed),
        seconds: t.elapsed().as_secs_f64(),
        output: None,
    };
    let compute_seconds = computed.seconds;
    progress(total - 2, total, "rendering");
    let t = Instant::now();
    let engine = engine()?;
    let cell = params_cell(&opts.params, opts.quick);
    let md = templates::render_report(engine, &computed, &out.claims, &cell, opts.quick)?;
    let page = "report.html";
    let labels = markdown::merge_labels(
        markdown::collect_labels(&md, META.number.unwrap_or(1), page)
            .map_err(RenderError::Markup)?,
    )
    .map_err(RenderError::Markup)?;
    let html_md = markdown::resolve(&md, &labels, page).map_err(RenderError::Markup)?;
    let nb_md = markdown::resolve_for(&md, &labels, page, markdown::Target::Notebook)
        .map_err(RenderError::Markup)?;
    let title = page_title(&out.patterns);
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            "SUMMARY.md".into(),
            format!("# Summary\n\n[{title}](report.md)\n").into_bytes(),
        ),
        ("report.md".into(), html_md.into_bytes()),
    ];
    let crate_path = notebook::dep_path(&opts.out, Path::new(env!("CARGO_MANIFEST_DIR")))
        .map_err(out_err(&opts.out))?;
    let nb_err = |why: String| RenderError::Template {
        template: "report".into(),
        why: format!("notebook: {why}"),
    };
    let note = format!(
        "This notebook was written by `items-or-relations report` with every output in place \
         (seed {}, {}), so it reads completely without a kernel. With the Rust kernel evcxr each \
         cell runs again and recomputes what it shows. The first cell adds the library as a \
         dependency, without the book machinery: only the maths and the plots. The cell after it \
         holds the report's parameters: your patterns and the settings.",
        opts.params.seed,
        if opts.quick {
            "quick settings"
        } else {
            "full settings"
        }
    );
    let nb = notebook::notebook_from(
        NotebookSpec {
            id: "report",
            known: known_cells(&computed, &opts.params, opts.quick)?,
            note,
            try_this: Some(
                "Add a pattern to `patterns` in the parameters cell (or remove one) and run all \
                 cells again: the group, the linear section's two lists and the trained \
                 networks change with the set; the findings table says whether each check \
                 still holds."
                    .to_string(),
            ),
        },
        &nb_md,
        &crate_path,
    )
    .map_err(nb_err)?;
    let text = serde_json::to_string_pretty(&nb).map_err(|e| nb_err(e.to_string()))?;
    files.push(("report.ipynb".into(), format!("{text}\n").into_bytes()));
    let json = serde_json::to_string_pretty(&computed.data).map_err(|e| nb_err(e.to_string()))?;
    files.push(("data/report.json".into(), format!("{json}\n").into_bytes()));
    for (name, text) in csv_files(&out) {
        files.push((Path::new("data").join(name), text.into_bytes()));
    }
    for (name, svg) in &computed.figures {
        files.push((
            Path::new("figures").join(format!("{name}.svg")),
            svg.0.clone().into_bytes(),
        ));
    }
    for (name, bytes) in templates::ASSETS {
        files.push((Path::new("assets").join(name), bytes.to_vec()));
    }
    Ok(RenderedReport {
        output: out,
        title,
        files,
        figures: computed.figures,
        compute_seconds,
        render_seconds: t.elapsed().as_secs_f64(),
    })
}

fn build_in(
    opts: &ReportOptions,
    staging: &Path,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<ReportBuild> {
    let total = opts.params.seeds + 2;
    let r = render_report(opts, progress)?;
    let dir = staging.join("chapters");
    for (path, bytes) in &r.files {
        write(&dir.join(path), bytes)?;
    }
    progress(total - 1, total, "building the HTML");
    let t = Instant::now();
    super::run_mdbook_titled(staging, Some(BOOK_TITLE))?;
    // The figures inline, as in the book, so that they follow the reader's theme.
    let drawn: std::collections::BTreeMap<&str, &crate::plots::Svg> = r
        .figures
        .iter()
        .map(|(name, svg)| (name.as_str(), svg))
        .collect();
    super::figures::inline_book(&staging.join("book"), &drawn)?;
    Ok(ReportBuild {
        index_html: opts.out.join("book").join("index.html"),
        compute_seconds: r.compute_seconds,
        render_seconds: r.render_seconds,
        mdbook_seconds: t.elapsed().as_secs_f64(),
        failing_claims: r
            .output
            .findings
            .iter()
            .filter(|f| !f.holds)
            .map(|f| f.id.clone())
            .collect(),
    })
}
