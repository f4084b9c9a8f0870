//! Chapter "The atlas": the paper's question asked of every training set. The paper answers
//! "items or relations?" from two hand-picked sets, X = {101, 110} and X′ = {010, 001}; this
//! chapter asks it of every class of non-empty training sets X ⊂ {0,1}^N up to relabelling
//! the positions (79 at N = 3, 3983 at N = 4) and of a uniform sample of the 37 333 247
//! classes at N = 5 ([`crate::maths::classes`]), each studied as
//! [`crate::maths::study::study`] studies a set: span set, criterion set, and identity, tanh
//! and sigmoid networks trained with the paper's settings from several seeds.
//!
//! The per-class rows and their files are in [`rows`] (the `atlas` command writes them shard
//! by shard); the summaries by |Σ_X|, |X| and N, the agreement of the paper's criterion with
//! the span, and the book's claim H2 are here. Pure: `Params` in, `Output` out.

pub mod rows;

use serde::Serialize;

use crate::Result;
use crate::claims::{Finding, Verdict};
use crate::maths::classes::burnside_count;
use crate::maths::study::StudySettings;
use rows::{ActivationRow, AtlasSpec, Row, Selection, compute_rows};

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

/// Rates of one activation's networks over a group of classes. Each rate is over networks
/// (classes × seeds) of the classes where it can be tested.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rates {
    /// Networks reproducing the whole span set, among classes with a non-empty span set.
    pub span: Option<f64>,
    /// Networks reproducing the whole criterion set, among classes with a non-empty one.
    pub criterion: Option<f64>,
    /// Networks reproducing no pattern outside X, over all classes.
    pub items_only: f64,
    /// Mean invariance defect of the trained W.
    pub defect: f64,
}

fn rates(rows: &[&Row], pick: fn(&Row) -> &ActivationRow) -> Rates {
    let ratio = |num: usize, den: usize| (den > 0).then(|| num as f64 / den as f64);
    let with_span: Vec<&&Row> = rows.iter().filter(|r| !r.span_set.is_empty()).collect();
    let with_criterion: Vec<&&Row> = rows
        .iter()
        .filter(|r| !r.criterion_set.is_empty())
        .collect();
    let nets = |rs: &[&&Row]| rs.iter().map(|r| r.seeds).sum::<usize>();
    Rates {
        span: ratio(
            with_span.iter().map(|r| pick(r).span).sum(),
            nets(&with_span),
        ),
        criterion: ratio(
            with_criterion.iter().map(|r| pick(r).criterion).sum(),
            nets(&with_criterion),
        ),
        items_only: ratio(
            rows.iter().map(|r| pick(r).items_only).sum(),
            rows.iter().map(|r| r.seeds).sum(),
        )
        .unwrap_or(0.0),
        defect: if rows.is_empty() {
            0.0
        } else {
            rows.iter().map(|r| pick(r).defect).sum::<f64>() / rows.len() as f64
        },
    }
}

/// The three activations' rates over one group of classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// The group's key: |Σ_X| or |X| (0 for "all classes").
    pub key: usize,
    pub classes: usize,
    /// Classes with a non-empty span set / criterion set.
    pub with_span: usize,
    pub with_criterion: usize,
    pub identity: Rates,
    pub tanh: Rates,
    pub sigmoid: Rates,
}

fn group(key: usize, rows: &[&Row]) -> Group {
    Group {
        key,
        classes: rows.len(),
        with_span: rows.iter().filter(|r| !r.span_set.is_empty()).count(),
        with_criterion: rows.iter().filter(|r| !r.criterion_set.is_empty()).count(),
        identity: rates(rows, |r| &r.identity),
        tanh: rates(rows, |r| &r.tanh),
        sigmoid: rates(rows, |r| &r.sigmoid),
    }
}

fn grouped(rows: &[Row], key: fn(&Row) -> usize) -> Vec<Group> {
    let mut keys: Vec<usize> = rows.iter().map(key).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let members: Vec<&Row> = rows.iter().filter(|r| key(r) == k).collect();
            group(k, &members)
        })
        .collect()
}

/// How the paper's criterion set compares with the span set, over classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    pub equal: usize,
    /// Criterion set strictly inside the span set.
    pub criterion_inside_span: usize,
    /// Span set strictly inside the criterion set.
    pub span_inside_criterion: usize,
    /// Neither contains the other.
    pub neither: usize,
    /// `equal / classes`.
    pub fraction_equal: f64,
}

fn agreement(rows: &[Row]) -> Agreement {
    let inside = |a: &[String], b: &[String]| a.iter().all(|p| b.contains(p));
    let (mut equal, mut c_in_s, mut s_in_c, mut neither) = (0, 0, 0, 0);
    for r in rows {
        let cs = inside(&r.criterion_set, &r.span_set);
        let sc = inside(&r.span_set, &r.criterion_set);
        match (cs, sc) {
            (true, true) => equal += 1,
            (true, false) => c_in_s += 1,
            (false, true) => s_in_c += 1,
            (false, false) => neither += 1,
        }
    }
    Agreement {
        equal,
        criterion_inside_span: c_in_s,
        span_inside_criterion: s_in_c,
        neither,
        fraction_equal: equal as f64 / rows.len().max(1) as f64,
    }
}

/// Whether a class supports "linear networks learn relations, nonlinear ones learn items":
/// testable when its span set is non-empty (else there is nothing to generalise to);
/// supported when most of its linear networks (more than half of the seeds) reproduce the
/// whole span set and most of its sigmoid networks reproduce no pattern outside X. "Most"
/// rather than "all" so that the answer does not hinge on one unlucky seed, nor on K.
pub fn supports_claim(r: &Row) -> Option<bool> {
    (!r.span_set.is_empty())
        .then(|| 2 * r.identity.span > r.seeds && 2 * r.sigmoid.items_only > r.seeds)
}

/// A class where the claim fails, as listed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub set: String,
    pub group_order: usize,
    pub span_set: String,
    /// What failed: the linear networks that missed part of the span set, the sigmoid ones
    /// that reproduced a pattern outside X (with what they all reproduced).
    pub why: String,
    /// The `analyze` command that shows this class's detail.
    pub analyze: String,
}

fn failure(r: &Row) -> Failure {
    let mut why = Vec::new();
    if 2 * r.identity.span <= r.seeds {
        why.push(format!(
            "{} of {} linear networks miss part of the span set",
            r.seeds - r.identity.span,
            r.seeds
        ));
    }
    if 2 * r.sigmoid.items_only <= r.seeds {
        let all = if r.sigmoid.reproduced_by_all.is_empty() {
            String::new()
        } else {
            format!(
                " ({} by all of them)",
                r.sigmoid.reproduced_by_all.join(", ")
            )
        };
        why.push(format!(
            "{} of {} sigmoid networks reproduce patterns outside X{all}",
            r.seeds - r.sigmoid.items_only,
            r.seeds
        ));
    }
    Failure {
        set: r.set.join(", "),
        group_order: r.group_order,
        span_set: r.span_set.join(", "),
        why: why.join("; "),
        analyze: format!("items-or-relations analyze --patterns {}", r.set.join(",")),
    }
}

/// One length N of the atlas.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    pub n: usize,
    /// Classes studied, and all classes at this N (Burnside).
    pub classes: usize,
    pub total_classes: u64,
    /// `None` for every class; the sample's seed otherwise.
    pub sample_seed: Option<u64>,
    pub all: Group,
    pub by_group_order: Vec<Group>,
    pub by_items: Vec<Group>,
    pub agreement: Agreement,
    /// Classes where the claim can be tested (non-empty span set), and where it holds.
    pub testable: usize,
    pub supporting: usize,
    /// The classes where it fails (at most `listed`), and how many there are.
    pub failures: Vec<Failure>,
    pub failure_count: usize,
    /// The largest final training loss of any linear network (how far training got).
    pub max_linear_train_loss: f64,
    /// Every row, for the figures (not in the chapter's JSON: thousands of lines).
    #[serde(skip)]
    pub rows: Vec<Row>,
}

/// The book's claim H2 over every section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClaimSummary {
    pub testable: usize,
    pub supporting: usize,
    pub fraction: f64,
    /// Networks (over all tested classes and seeds) of tanh reproducing the whole span set.
    pub tanh_span: f64,
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

fn section(spec: &AtlasSpec, rows: Vec<Row>, listed: usize) -> Result<Section> {
    let total_classes = burnside_count(spec.n)? as u64;
    let all_refs: Vec<&Row> = rows.iter().collect();
    let testable: Vec<&Row> = rows
        .iter()
        .filter(|r| supports_claim(r).is_some())
        .collect();
    let failing: Vec<&Row> = testable
        .iter()
        .copied()
        .filter(|r| supports_claim(r) == Some(false))
        .collect();
    Ok(Section {
        n: spec.n,
        classes: rows.len(),
        total_classes,
        sample_seed: match spec.selection {
            Selection::All => None,
            Selection::Sample { seed, .. } => Some(seed),
        },
        all: group(0, &all_refs),
        by_group_order: grouped(&rows, |r| r.group_order),
        by_items: grouped(&rows, Row::items),
        agreement: agreement(&rows),
        testable: testable.len(),
        supporting: testable.len() - failing.len(),
        failures: failing.iter().take(listed).map(|r| failure(r)).collect(),
        failure_count: failing.len(),
        max_linear_train_loss: rows
            .iter()
            .map(|r| r.identity.train_loss)
            .fold(0.0, f64::max),
        rows,
    })
}

/// Compute the chapter.
///
/// # Errors
/// Those of the class enumeration and of training (invalid settings).
pub fn compute(p: &Params) -> Result<Output> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut sections = Vec::new();
    for spec in p.specs() {
        let rows = compute_rows(&spec, threads)?;
        sections.push(section(&spec, rows, p.listed)?);
    }
    let testable: usize = sections.iter().map(|s| s.testable).sum();
    let supporting: usize = sections.iter().map(|s| s.supporting).sum();
    let fraction = supporting as f64 / testable.max(1) as f64;
    let (tanh_hits, tanh_nets) = sections
        .iter()
        .flat_map(|s| s.rows.iter())
        .filter(|r| !r.span_set.is_empty())
        .fold((0, 0), |(h, n), r| (h + r.tanh.span, n + r.seeds));
    let claim = ClaimSummary {
        testable,
        supporting,
        fraction,
        tanh_span: tanh_hits as f64 / tanh_nets.max(1) as f64,
        verdict: verdict_of(fraction),
    };
    let findings = vec![h2_finding(&sections, &claim)];
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
fn h2_finding(sections: &[Section], claim: &ClaimSummary) -> Finding {
    let per_n: Vec<String> = sections
        .iter()
        .map(|s| {
            format!(
                "N = {}: {} of {} ({})",
                s.n,
                s.supporting,
                s.testable,
                if s.sample_seed.is_some() {
                    format!("a uniform sample of {} classes", s.classes)
                } else {
                    "every class".to_string()
                }
            )
        })
        .collect();
    let holds = !sections.is_empty()
        && sections
            .iter()
            .all(|s| s.testable > 0 && s.supporting + s.failure_count == s.testable);
    Finding {
        id: "H2".into(),
        ours: format!(
            "holds for {} of {} classes with a non-empty span set ({:.1} %): {}; tanh networks reproduce the whole span set in {:.1} % of cases",
            claim.supporting,
            claim.testable,
            100.0 * claim.fraction,
            per_n.join("; "),
            100.0 * claim.tanh_span
        ),
        tolerance: Some(format!(
            "supported from {:.0} % of classes, not supported below {:.0} %",
            100.0 * SUPPORTED_FROM,
            100.0 * NOT_SUPPORTED_BELOW
        )),
        verdict: claim.verdict,
        reason: Some(
            "A class is tested when its span set is non-empty; it supports the claim when most of its linear networks reproduce its whole span set and most of its sigmoid networks reproduce no pattern outside X.".into(),
        ),
        holds,
    }
}
