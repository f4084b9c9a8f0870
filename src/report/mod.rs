//! `items-or-relations report`: the paper's analysis of any training set, told as a chapter.
//!
//! The report is a chapter like the book's: [`Params`] (the reader's patterns and the
//! settings) → [`compute`] → [`Output`] (serialisable, with the claims about the set that were
//! checked), its figures in [`crate::plots::report_figures`], its page from
//! `templates/report.md.tera` through the book's render stage (`render::report`, feature
//! `book`). Every section is computed by the same modules the chapters use: the group, orbits
//! and invariant matrices by [`crate::group`] ([`set`]), the linear family and the paper's
//! criterion by [`crate::linear`] and [`crate::group::symmetry_preserving_extensions`]
//! ([`linear`]), the fixed points by [`crate::dynamics`] ([`dynamics`]), the rule inference by
//! [`crate::inference`]. Each section opens with a one-sentence finding computed from its
//! numbers ([`findings`]).

pub mod dynamics;
pub mod findings;
pub mod linear;
pub mod networks;
pub mod set;

use serde::Serialize;

use crate::Result;
use crate::claims::{ClaimRow, Finding};
use crate::group::symmetry_group;
use crate::inference::{Inference, NetworkAnswer, infer_with_group, network_answer};
use crate::maths::study::StudySettings;
use crate::network::Network;
use crate::pattern::{Pattern, PatternSet};

pub use dynamics::{Flow, NetworkDynamics};
pub use findings::Sentences;
pub use linear::LinearSection;
pub use networks::{ActivationSummary, NetworksSection};
pub use set::{GroupSection, InvariantSection};

/// What the report computes, and how. `Params::new` is the command's default, `Params::quick`
/// its `--quick`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// The training set: comma-separated binary patterns of one length N ≤ 10.
    pub patterns: String,
    /// A test item for §4's rule inference, if any.
    pub test: Option<String>,
    /// Trained networks per activation (one seed each).
    pub seeds: usize,
    /// The base seed: initial weights, random solutions, Newton's random starts.
    pub seed: u64,
    /// Training steps per network.
    pub steps: usize,
    /// Random Newton starts per network (besides every binary pattern, for N ≤ 8).
    pub newton_starts: usize,
    /// Random members of the linear solution set checked against span X.
    pub linear_members: usize,
    /// Iterations drawn per trajectory in the flow figure.
    pub flow_steps: usize,
}

impl Params {
    /// The report's settings for `patterns`: 8 seeds, 5000 steps, 200 random Newton starts.
    pub fn new(patterns: &str) -> Params {
        Params {
            patterns: patterns.to_string(),
            test: None,
            seeds: 8,
            seed: 2024,
            steps: 5_000,
            newton_starts: 200,
            linear_members: 20,
            flow_steps: 30,
        }
    }

    /// Quick settings: 3 seeds, 2000 steps, 50 random Newton starts.
    pub fn quick(patterns: &str) -> Params {
        Params {
            seeds: 3,
            steps: 2_000,
            newton_starts: 50,
            linear_members: 8,
            ..Params::new(patterns)
        }
    }
}

/// Everything the report shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    /// Pattern length N and the number 2^N of binary patterns.
    pub n: usize,
    pub total_patterns: usize,
    /// The patterns as given.
    pub patterns: Vec<String>,
    pub group: GroupSection,
    pub invariant: InvariantSection,
    pub linear: LinearSection,
    /// The trained networks ([`crate::maths::study`]).
    pub networks: NetworksSection,
    /// §4's inference for the test item, when one was given.
    pub inference: Option<Inference>,
    /// What each trained network answers for the test item (in the order of
    /// `networks.networks`), when one was given.
    pub answers: Vec<AnswerRow>,
    /// Per activation: how many networks answer with the test item itself, with a candidate,
    /// with a training item, with another pattern.
    pub answer_counts: Vec<AnswerCount>,
    /// The fixed points of every trained nonlinear network and the fixed space of every
    /// linear one, in the order activation × seed.
    pub dynamics: Vec<NetworkDynamics>,
    /// One flow per activation (the first seed's network), for the figure.
    pub flows: Vec<Flow>,
    /// The one-sentence finding that opens each section.
    pub sentences: Sentences,
    /// The claims about this set that were checked, with their checks.
    pub findings: Vec<Finding>,
    /// The same as the badges show them.
    pub claims: Vec<ClaimRow>,
}

/// One trained network's answer to the test item.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerRow {
    pub activation: String,
    pub run: usize,
    pub answer: NetworkAnswer,
}

/// How the networks of one activation answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerCount {
    pub activation: String,
    pub test_item: usize,
    pub candidate: usize,
    pub training_item: usize,
    pub other: usize,
    /// The answers given, each with how many networks gave it, sorted by pattern.
    pub given: Vec<(String, usize)>,
}

/// The report for `params`.
///
/// # Errors
/// The pattern parser's errors for malformed `patterns` or `test` ([`crate::Error`]), a test
/// item of the wrong length ([`crate::Error::LengthMismatch`]), N above 10
/// ([`crate::Error::TooLarge`]), and the training's errors.
pub fn compute(params: &Params) -> Result<Output> {
    compute_with_progress(params, &mut |_| {})
}

/// The study settings of `params`: the paper's training (Adam, lr 10⁻³, full batch, W₀ ~
/// N(0, 0.05), tanh c = 0, sigmoid c = 1) for `params.steps` steps, at `params.seeds` seeds
/// derived from `params.seed` ([`crate::seeds::study_seeds`]).
pub fn study_settings(params: &Params) -> StudySettings {
    let mut s = StudySettings::paper(crate::seeds::study_seeds(params.seed, params.seeds));
    s.training.steps = params.steps;
    s
}

/// [`compute`], calling `progress(k)` after the networks of the k-th seed are trained.
///
/// # Errors
/// As [`compute`].
pub fn compute_with_progress(params: &Params, progress: &mut dyn FnMut(usize)) -> Result<Output> {
    let set = PatternSet::parse(&params.patterns)?;
    let test = params.test.as_deref().map(Pattern::parse).transpose()?;
    if let Some(t) = &test
        && t.len() != set.n()
    {
        return Err(crate::Error::LengthMismatch {
            pattern: t.to_string(),
            expected: set.n(),
            found: t.len(),
        });
    }
    let group = symmetry_group(&set)?;
    let group_section = set::group_section(&set, &group)?;
    let invariant = set::invariant_section(&group);
    let linear = linear::linear_section(
        &set,
        &group,
        params.linear_members,
        crate::seeds::report_linear_members(params.seed),
    )?;
    let inference = test
        .as_ref()
        .map(|t| infer_with_group(&group, &set, t))
        .transpose()?;
    let settings = study_settings(params);
    let study = networks::train(&set, &group, &settings, progress)?;
    let networks = networks::section(&set, &settings, &study);
    let mut dynamics = Vec::new();
    let mut flows = Vec::new();
    for (k, t) in networks.networks.iter().enumerate() {
        let net = Network {
            w: t.weights.0.clone(),
            activation: t.activation,
        };
        let run = k / 3;
        let seed = crate::seeds::report_newton_starts(params.seed, k);
        let d = dynamics::network_dynamics(&net, &set, run, params.newton_starts, seed)?;
        if run == 0 {
            flows.push(dynamics::flow(&net, &set, &d, params.flow_steps, seed)?);
        }
        dynamics.push(d);
    }
    let mut answers = Vec::new();
    if let Some(inf) = &inference {
        for (k, t) in networks.networks.iter().enumerate() {
            let net = Network {
                w: t.weights.0.clone(),
                activation: t.activation,
            };
            answers.push(AnswerRow {
                activation: t.activation.name().to_string(),
                run: k / 3,
                answer: network_answer(&net, inf)?,
            });
        }
    }
    let answer_counts = if inference.is_some() {
        networks
            .summaries
            .iter()
            .map(|s| {
                let of = |kind: &str| {
                    answers
                        .iter()
                        .filter(|a| a.activation == s.activation && a.answer.kind == kind)
                        .count()
                };
                let mut given: std::collections::BTreeMap<String, usize> = Default::default();
                for a in answers.iter().filter(|a| a.activation == s.activation) {
                    *given.entry(a.answer.answer.to_string()).or_insert(0) += 1;
                }
                AnswerCount {
                    given: given.into_iter().collect(),
                    activation: s.activation.clone(),
                    test_item: of("test item"),
                    candidate: of("candidate"),
                    training_item: of("training item"),
                    other: of("other"),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut out = Output {
        params: params.clone(),
        n: set.n(),
        total_patterns: 1usize << set.n(),
        patterns: set.patterns().iter().map(Pattern::to_string).collect(),
        group: group_section,
        invariant,
        linear,
        networks,
        inference,
        answers,
        answer_counts,
        dynamics,
        flows,
        sentences: Sentences::default(),
        findings: Vec::new(),
        claims: Vec::new(),
    };
    out.sentences = findings::sentences(&out);
    out.findings = findings::findings(&out);
    out.claims = findings::rows(&out.findings);
    Ok(out)
}
