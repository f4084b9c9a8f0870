//! Chapter "The atlas": the paper's question asked of every training set. The paper answers
//! "items or relations?" from two hand-picked sets, X = {101, 110} and X′ = {010, 001}; this
//! chapter asks it of every class of non-empty training sets X ⊂ {0,1}^N up to relabelling
//! the positions (79 at N = 3, 3983 at N = 4) and of a uniform sample of the 37 333 247
//! classes at N = 5 ([`crate::maths::classes`]), each studied as
//! [`crate::maths::study::study`] studies a set: span set, criterion set, and identity, tanh
//! and sigmoid networks trained with the paper's settings from several seeds.
//!
//! The per-class rows are computed in [`rows`], written, read back and merged in [`files`]
//! (the `atlas` command writes them shard by shard), and summarised per length N in
//! [`summary`] (by |Σ_X| and |X|, the agreement of the paper's criterion with the span set);
//! the book's claim H2 is here. `Params` in, `Output` out; the one input besides `Params` is
//! the merged atlas files `Params::data` names, read row by row.

pub mod files;
pub mod rows;
pub mod summary;

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use serde::Serialize;

use crate::claims::{Finding, Verdict};
use crate::maths::classes::{Class, Classes, SubsetAction, burnside_count, sample_uniform};
use crate::maths::study::StudySettings;
use crate::{Error, Result};
use files::{Header, ShardReader};
use rows::{AtlasSpec, Selection, run_shard};
pub use summary::{Agreement, Failure, Group, Rates, Section, SectionBuilder, supports_claim};

/// A length N studied through a uniform sample of its classes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SampleSpec {
    pub n: usize,
    pub count: usize,
}

/// The chapter's settings. `Default` is the book's: every class at N = 3 and 4, a sample of
/// 120 classes at N = 5, 8 seeds, the paper's training (Adam lr 10⁻³, full batch, 5000 steps,
/// W₀ ~ N(0, 0.05); tanh(z), sigmoid(z)).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Derives the network seeds and the samples' seeds ([`crate::seeds`]).
    pub seed: u64,
    /// Networks per activation and class.
    pub seeds: usize,
    /// Training steps per network.
    pub steps: usize,
    /// Lengths whose every class is studied.
    pub every_class: Vec<usize>,
    /// Lengths studied through a uniform random sample of classes.
    pub samples: Vec<SampleSpec>,
    /// At most this many classes where the claim fails are listed per length.
    pub listed: usize,
    /// Merged atlas files (JSON lines, as `atlas merge` writes them; at most one per N) whose
    /// rows replace the computed section of their N, or add one: the way the full N = 5
    /// atlas, computed on a cluster, enters the book (`--atlas-data FILE`).
    pub data: Vec<PathBuf>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 2024,
            seeds: crate::maths::study::DEFAULT_SEEDS,
            steps: 5_000,
            every_class: vec![3, 4],
            samples: vec![SampleSpec { n: 5, count: 120 }],
            listed: 40,
            data: Vec::new(),
        }
    }
}

impl Params {
    /// A quick look: every class at N = 3, samples of 24 classes at N = 4 and 8 at N = 5,
    /// 2 seeds, the paper's 5000 steps.
    pub fn quick() -> Self {
        Params {
            seeds: 2,
            every_class: vec![3],
            samples: vec![
                SampleSpec { n: 4, count: 24 },
                SampleSpec { n: 5, count: 8 },
            ],
            listed: 20,
            ..Params::default()
        }
    }

    /// The study settings: the paper's training with `steps` and `seeds` seeds.
    pub fn study_settings(&self) -> StudySettings {
        let mut s = StudySettings::paper(crate::seeds::study_seeds(self.seed, self.seeds));
        s.training.steps = self.steps;
        s
    }

    /// The atlas runs the chapter makes, in order of N.
    pub fn specs(&self) -> Vec<AtlasSpec> {
        let mut specs: Vec<AtlasSpec> = self
            .every_class
            .iter()
            .map(|&n| AtlasSpec {
                n,
                selection: Selection::All,
                settings: self.study_settings(),
            })
            .chain(self.samples.iter().map(|s| AtlasSpec {
                n: s.n,
                selection: Selection::Sample {
                    count: s.count,
                    seed: crate::seeds::atlas_sample(self.seed, s.n),
                },
                settings: self.study_settings(),
            }))
            .collect();
        specs.sort_by_key(|s| s.n);
        specs
    }
}

/// The book's claim H2 over every section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimSummary {
    pub testable: usize,
    pub supporting: usize,
    pub fraction: f64,
    /// Fractions of the testable classes where the claim's first half holds (most linear
    /// networks reproduce the span set) and where its second half holds (most sigmoid
    /// networks learn only their items).
    pub linear_fraction: f64,
    pub sigmoid_fraction: f64,
    pub verdict: Verdict,
}

/// The chapter's output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    /// The training settings in one line.
    pub settings: String,
    pub sections: Vec<Section>,
    pub claim: ClaimSummary,
    pub findings: Vec<Finding>,
}

/// A claim that holds for at least this fraction of testable classes is "supported"; below
/// [`NOT_SUPPORTED_BELOW`] it is "not supported"; between, "qualified". The thresholds are the
/// book's reading of "linear networks generalise, nonlinear ones learn items" as a statement
/// about training sets in general: true of nearly all (≥ 95 %), or of at most half.
pub const SUPPORTED_FROM: f64 = 0.95;
pub const NOT_SUPPORTED_BELOW: f64 = 0.5;

/// The verdict of a fraction (see [`SUPPORTED_FROM`]).
pub fn verdict_of(fraction: f64) -> Verdict {
    if fraction >= SUPPORTED_FROM {
        Verdict::Supported
    } else if fraction < NOT_SUPPORTED_BELOW {
        Verdict::NotSupported
    } else {
        Verdict::Qualified
    }
}

/// Opens a merged atlas file and checks its header: a complete file (shard 1 of 1 holding
/// every row of its selection), a length whose classes can be counted, as many classes as
/// its selection names.
///
/// # Errors
/// [`Error::Data`] naming the file and what is wrong.
pub fn open_data(path: &std::path::Path) -> Result<ShardReader<BufReader<File>>> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| Error::Data {
        why: format!("{name}: cannot read ({e})"),
    })?;
    // The file is read twice (its header before anything is computed, its rows in the
    // chapter) and the notebook names it: a pipe or a stream cannot serve.
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(Error::Data {
            why: format!(
                "{name} is not a regular file (it is read twice, and the notebook names it); write it to a file first"
            ),
        });
    }
    let reader = ShardReader::open(&name, BufReader::new(file))?;
    check_header(&name, reader.header())?;
    Ok(reader)
}

fn check_header(name: &str, h: &Header) -> Result<()> {
    let bad = |why: String| Error::Data {
        why: format!("{name}: {why}"),
    };
    if !(h.shard == 1 && h.shards == 1) {
        return Err(bad(format!(
            "shard {} of {}, not a whole atlas; merge the shards first (items-or-relations atlas merge)",
            h.shard, h.shards
        )));
    }
    let total = burnside_count(h.n).map_err(|e| bad(e.to_string()))?;
    let expected = match h.selection {
        Selection::All => total,
        Selection::Sample { count, .. } if count as u128 <= total => count as u128,
        Selection::Sample { count, .. } => {
            return Err(bad(format!(
                "a sample of {count} classes, but there are {total} at N = {}",
                h.n
            )));
        }
    };
    if u128::from(h.classes) != expected || !h.is_complete() {
        return Err(bad(format!(
            "its header lists {} classes and {} rows, but its selection at N = {} has {expected}",
            h.classes, h.rows, h.n
        )));
    }
    Ok(())
}

/// Opens every file of `paths` ([`open_data`]) and checks that no two are of the same N.
///
/// # Errors
/// As [`open_data`], and [`Error::Data`] for two files of one length.
pub fn open_all_data(paths: &[PathBuf]) -> Result<Vec<ShardReader<BufReader<File>>>> {
    let mut readers: Vec<ShardReader<BufReader<File>>> = Vec::new();
    for path in paths {
        let r = open_data(path)?;
        if let Some(other) = readers.iter().find(|o| o.header().n == r.header().n) {
            let why = if other.name() == r.name() {
                format!("{} is given twice", r.name())
            } else {
                format!(
                    "{} and {} are both atlases of N = {}; give one file per length",
                    other.name(),
                    r.name(),
                    r.header().n
                )
            };
            return Err(Error::Data { why });
        }
        readers.push(r);
    }
    Ok(readers)
}

/// Where a section's rows come from.
enum Source {
    Computed(AtlasSpec),
    File(ShardReader<BufReader<File>>),
}

impl Source {
    fn n(&self) -> usize {
        match self {
            Source::Computed(spec) => spec.n,
            Source::File(r) => r.header().n,
        }
    }
}

fn file_name(reader: &ShardReader<BufReader<File>>) -> String {
    std::path::Path::new(reader.name()).file_name().map_or_else(
        || reader.name().to_string(),
        |f| f.to_string_lossy().into_owned(),
    )
}

/// One section, its rows computed (on `threads` threads) or read, each counted in as it comes.
fn section(source: Source, listed: usize, threads: usize) -> Result<Section> {
    match source {
        Source::Computed(spec) => {
            let mut b = SectionBuilder::new(
                spec.n,
                burnside_count(spec.n)? as u64,
                &spec.selection,
                spec.settings.description(),
                None,
                listed,
            );
            run_shard(
                &spec,
                1,
                1,
                threads,
                &mut |r| {
                    b.add(&r);
                    Ok(())
                },
                &|_| {},
            )?;
            Ok(b.finish())
        }
        Source::File(mut reader) => {
            let h = reader.header().clone();
            let mut b = SectionBuilder::new(
                h.n,
                burnside_count(h.n)? as u64,
                &h.selection,
                h.settings.clone(),
                Some(file_name(&reader)),
                listed,
            );
            // Row i must be the i-th class of the header's selection (its representative, |Σ_X|
            // and class size), enumerated or drawn again here: a file whose rows were moved,
            // or whose header names another sample, is refused.
            let action = SubsetAction::new(h.n)?;
            let mut expected: Box<dyn Iterator<Item = Class>> = match h.selection {
                Selection::All => Box::new(Classes::new(&action)),
                Selection::Sample { count, seed } => {
                    Box::new(sample_uniform(&action, count, seed)?.into_iter())
                }
            };
            while let Some(r) = reader.next_row() {
                let r = r?.row;
                let class = expected.next().ok_or_else(|| Error::Data {
                    why: format!(
                        "{}: more rows than its selection has classes",
                        reader.name()
                    ),
                })?;
                let set: Vec<String> = class
                    .set(h.n)?
                    .patterns()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                if set != r.set || class.group_order != r.group_order || class.size != r.class_size
                {
                    return Err(Error::Data {
                        why: format!(
                            "{}: class {} is {{{}}} (|Σ| = {}), not the row's {{{}}} (|Σ| = {}): the rows are not those of the header's selection",
                            reader.name(),
                            r.class,
                            set.join(","),
                            class.group_order,
                            r.set.join(","),
                            r.group_order
                        ),
                    });
                }
                b.add(&r);
            }
            reader.finish()?;
            Ok(b.finish())
        }
    }
}

/// Compute the chapter: each section's rows computed, or read from the file of its N in
/// `p.data`.
///
/// # Errors
/// Those of the class enumeration and of training (invalid settings); [`Error::Data`] for a
/// data file that cannot be read or is not a whole atlas ([`open_data`], [`ShardReader`]).
pub fn compute(p: &Params) -> Result<Output> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let readers = open_all_data(&p.data)?;
    let from_file: Vec<usize> = readers.iter().map(|r| r.header().n).collect();
    let mut sources: Vec<Source> = p
        .specs()
        .into_iter()
        .filter(|s| !from_file.contains(&s.n))
        .map(Source::Computed)
        .chain(readers.into_iter().map(Source::File))
        .collect();
    sources.sort_by_key(Source::n);
    let sections = sources
        .into_iter()
        .map(|s| section(s, p.listed, threads))
        .collect::<Result<Vec<Section>>>()?;
    let testable: usize = sections.iter().map(|s| s.testable).sum();
    let supporting: usize = sections.iter().map(|s| s.supporting).sum();
    let fraction = supporting as f64 / testable.max(1) as f64;
    let of_testable = |k: usize| k as f64 / testable.max(1) as f64;
    let claim = ClaimSummary {
        testable,
        supporting,
        fraction,
        linear_fraction: of_testable(sections.iter().map(|s| s.linear_majority).sum()),
        sigmoid_fraction: of_testable(sections.iter().map(|s| s.sigmoid_majority).sum()),
        verdict: verdict_of(fraction),
    };
    let findings = vec![h2_finding(
        &sections,
        &claim,
        &p.study_settings().description(),
    )];
    Ok(Output {
        params: p.clone(),
        settings: p.study_settings().description(),
        sections,
        claim,
        findings,
    })
}
/// H2: the claim's finding. Its checks: every section has testable classes, and the counts
/// add up (supporting + failing = testable in every section).
fn h2_finding(sections: &[Section], claim: &ClaimSummary, settings: &str) -> Finding {
    let per_n: Vec<String> = sections
        .iter()
        .map(|s| {
            format!(
                "N = {}: {} of {} ({}{})",
                s.n,
                s.supporting,
                s.testable,
                if s.sample_seed.is_some() {
                    format!("a uniform sample of {} classes", s.classes)
                } else {
                    "every class".to_string()
                },
                match &s.source {
                    Some(file) if s.settings != settings => {
                        format!(", read from {file}, trained with: {}", s.settings)
                    }
                    Some(file) => format!(", read from {file}"),
                    None => String::new(),
                }
            )
        })
        .collect();
    let holds = !sections.is_empty()
        && sections
            .iter()
            .all(|s| s.testable > 0 && s.supporting + s.failure_count == s.testable);
    // Rates per length: a sample at one N and every class at another are not one population.
    let tanh: Vec<String> = sections
        .iter()
        .filter_map(|s| {
            s.all
                .tanh
                .span
                .map(|r| format!("{:.1} % at N = {}", 100.0 * r, s.n))
        })
        .collect();
    Finding {
        id: "H2".into(),
        ours: format!(
            "holds for {} of the {} classes studied that have a non-empty span set ({:.1} %): {}; the share of tanh networks that reproduce the whole span set: {}",
            claim.supporting,
            claim.testable,
            100.0 * claim.fraction,
            per_n.join("; "),
            tanh.join(", ")
        ),
        tolerance: Some(format!(
            "supported from {:.0} % of classes, not supported below {:.0} %{}",
            100.0 * SUPPORTED_FROM,
            100.0 * NOT_SUPPORTED_BELOW,
            if sections.iter().any(|s| s.source.is_some()) {
                format!("; {}", crate::claims::FROM_USER_DATA)
            } else {
                String::new()
            }
        )),
        verdict: claim.verdict,
        reason: Some(
            "A class is tested when its span set is non-empty; it supports the claim when most of its linear networks reproduce its whole span set and most of its sigmoid networks reproduce no pattern outside X.".into(),
        ),
        holds,
    }
}
