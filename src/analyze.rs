//! The paper's analysis applied to any training set (the `analyze` command).
//!
//! Why a module of its own: the chapters run the analysis on the paper's sets with the paper's
//! settings; a reader who wants to know what the argument says about *their* patterns needs the
//! same steps behind one call, with every choice stated in the result. [`analyze`] does that:
//! the symmetry group `Σ_X = { s ∈ S_N : s·X = X }`, its orbits, the Σ-invariant matrices, the
//! linear solution set and its generalisation, and three trained networks evaluated on all
//! `2^N` patterns; with a test item, §4's rule inference ([`infer_rule`], in
//! [`crate::maths::inference`], re-exported here).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::Result;
use crate::group::{SymmetryGroup, symmetry_group};
use crate::linear::SolutionSet;
pub use crate::maths::inference::{
    ELEMENT_LIMIT, Inference, RuleImage, infer_rule, infer_with_group, weight_symmetries,
};
use crate::maths::matrix::Matrix;
pub use crate::maths::study::{REPRODUCE_TOL, TrainingSettings};
use crate::network::Activation;
use crate::pattern::{Pattern, PatternSet};
use crate::perm::Permutation;
use crate::train::{self, Batching, Init, Optimizer};

/// The most elements the human-readable report prints.
pub const HUMAN_ELEMENT_LIMIT: usize = 50;

// ---------------------------------------------------------------------------------------------
// The analysis of a training set
// ---------------------------------------------------------------------------------------------

/// `Σ_X` as the analysis reports it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSummary {
    pub order: usize,
    /// Cycle notation, points numbered from 1, the identity as `"e"`; lexicographic order of
    /// the image lists, so `e` comes first. At most [`ELEMENT_LIMIT`] elements.
    pub elements: Vec<String>,
    /// True when `elements` holds only the first [`ELEMENT_LIMIT`] of them.
    pub elements_truncated: bool,
}

impl GroupSummary {
    /// The summary of `group`: its order and its first [`ELEMENT_LIMIT`] elements.
    pub fn of(group: &SymmetryGroup) -> Self {
        GroupSummary {
            order: group.order(),
            elements: group
                .elements()
                .iter()
                .take(ELEMENT_LIMIT)
                .map(Permutation::to_cycle_notation)
                .collect(),
            elements_truncated: group.order() > ELEMENT_LIMIT,
        }
    }
}

/// The linear auto-associator's solution set `{ W : Wx = x ∀x ∈ X }`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinearSummary {
    /// rank X = dim span X.
    pub rank: usize,
    /// Affine dimension N(N − rank X) of all solutions.
    pub dimension: usize,
    /// Affine dimension of the Σ-invariant solutions.
    pub invariant_dimension: usize,
}

/// One trained network and its loss on every pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkReport {
    pub activation: Activation,
    pub settings: String,
    /// Mean loss (eq. 7) over the training set after training.
    pub final_training_loss: f64,
    /// The trained W, row by row.
    pub w: Matrix,
    /// Loss (eq. 7) of every one of the 2^N patterns, keyed by the pattern.
    pub loss: BTreeMap<String, f64>,
    /// The patterns whose output rounds to themselves (every component within
    /// [`REPRODUCE_TOL`]), sorted.
    pub reproduced: Vec<String>,
}

/// The three networks of the analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Networks {
    pub identity: NetworkReport,
    pub tanh: NetworkReport,
    pub sigmoid: NetworkReport,
}

/// The training settings as the analysis reports them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingSummary {
    pub description: String,
    pub optimizer: Optimizer,
    pub batching: Batching,
    pub steps: usize,
    pub init: Init,
    pub seed: u64,
    pub activations: Vec<Activation>,
}

/// Everything [`analyze`] finds about a training set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// Pattern length N.
    pub n: usize,
    /// The patterns in the given order.
    pub patterns: Vec<String>,
    pub symmetry_group: GroupSummary,
    /// The orbits of Σ_X on X, as pattern strings.
    pub orbits: Vec<Vec<String>>,
    /// The general Σ-invariant matrix, one letter per free parameter, e.g.
    /// `[[a,b,b],[c,d,e],[c,e,d]]`.
    pub invariant_form: String,
    /// Its dimension, the number of free parameters.
    pub invariant_dimension: usize,
    pub linear: LinearSummary,
    /// The binary patterns outside X that every linear auto-associator on X reproduces (those
    /// in span X), sorted.
    pub linear_generalizes_to: Vec<String>,
    pub training: TrainingSummary,
    pub networks: Networks,
    /// Rule inference for a test item, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inference: Option<Inference>,
}

fn strings(ps: &[Pattern]) -> Vec<String> {
    ps.iter().map(Pattern::to_string).collect()
}

/// Train one network with `settings` and evaluate it on `all` patterns.
fn train_report(
    set: &PatternSet,
    all: &[Pattern],
    activation: Activation,
    settings: &TrainingSettings,
) -> Result<NetworkReport> {
    let params = settings.params(activation);
    let trained = train::train(&set.vectors(), &params)?;
    let net = trained.network(activation);
    let mut loss = BTreeMap::new();
    let mut reproduced = Vec::new();
    for p in all {
        let x = p.to_vector();
        loss.insert(p.to_string(), net.pattern_loss(&x));
        if net.reproduces(&x) {
            reproduced.push(p.to_string());
        }
    }
    Ok(NetworkReport {
        activation,
        settings: settings.description(),
        final_training_loss: trained.final_loss,
        w: Matrix::from(&trained.weights()),
        loss,
        reproduced,
    })
}

/// The paper's analysis of a training set: symmetry group, orbits, invariant-matrix form,
/// linear solution family, and three trained networks (identity, tanh, sigmoid) evaluated on
/// all 2^N patterns. With a test item, also [`infer_rule`]'s inference.
///
/// # Errors
/// [`Error::LengthMismatch`] for a test item of the wrong length; training errors for invalid
/// `settings` (a learning rate ≤ 0, a batch size of 0, …).
pub fn analyze(
    set: &PatternSet,
    test: Option<&Pattern>,
    settings: &TrainingSettings,
) -> Result<Analysis> {
    let group = symmetry_group(set)?;
    let inference = test.map(|t| infer_with_group(&group, set, t)).transpose()?;
    let solutions = SolutionSet::new(set, &group)?;
    let all = Pattern::all(set.n())?;
    let [id, tanh, sigmoid] = settings.activations();
    let networks = Networks {
        identity: train_report(set, &all, id, settings)?,
        tanh: train_report(set, &all, tanh, settings)?,
        sigmoid: train_report(set, &all, sigmoid, settings)?,
    };
    Ok(Analysis {
        n: set.n(),
        patterns: strings(set.patterns()),
        symmetry_group: GroupSummary::of(&group),
        orbits: group.orbits(set).iter().map(|o| strings(o)).collect(),
        invariant_form: group.invariant_form_string(),
        invariant_dimension: group.invariant_dimension(),
        linear: LinearSummary {
            rank: solutions.rank(),
            dimension: solutions.dimension(),
            invariant_dimension: solutions.invariant_dimension(),
        },
        linear_generalizes_to: strings(&solutions.generalizes_to(set)?),
        training: TrainingSummary {
            description: settings.description(),
            optimizer: settings.optimizer,
            batching: settings.batching,
            steps: settings.steps,
            init: settings.init,
            seed: settings.seed,
            activations: settings.activations().to_vec(),
        },
        networks,
        inference,
    })
}

impl Analysis {
    /// The human-readable report of the `analyze` command.
    pub fn report(&self) -> String {
        let mut s = String::new();
        // Writing into a String cannot fail; the results are ignored for that reason.
        let _ = writeln!(
            s,
            "Training set X = {{{}}}: {} pattern{} of length N = {}",
            self.patterns.join(", "),
            self.patterns.len(),
            if self.patterns.len() == 1 { "" } else { "s" },
            self.n
        );
        let g = &self.symmetry_group;
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Symmetry group Σ_X = {{ s ∈ S_{} : s·X = X }}, (s·x)_i = x_s(i): order {}",
            self.n, g.order
        );
        let shown = g.elements.len().min(HUMAN_ELEMENT_LIMIT);
        let _ = writeln!(
            s,
            "  elements (cycle notation, points numbered from 1){}:",
            if g.order > shown {
                format!(", the first {shown} of {}", g.order)
            } else {
                String::new()
            }
        );
        let _ = writeln!(s, "    {}", g.elements[..shown].join(", "));
        let _ = writeln!(s, "  orbits on X:");
        for o in &self.orbits {
            let _ = writeln!(s, "    {{{}}}", o.join(", "));
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Σ-invariant matrices W = s·W: dimension {} (one letter per free parameter)",
            self.invariant_dimension
        );
        let _ = writeln!(s, "    {}", self.invariant_form);
        let _ = writeln!(s);
        let l = &self.linear;
        let _ = writeln!(s, "Linear auto-associator, all W with Wx = x on X:");
        let _ = writeln!(
            s,
            "  rank X = {}; solutions W = P + V(I − P): dimension {}; Σ-invariant solutions: dimension {}",
            l.rank, l.dimension, l.invariant_dimension
        );
        let _ = writeln!(
            s,
            "  binary patterns outside X that every linear solution reproduces: {}",
            if self.linear_generalizes_to.is_empty() {
                "none".to_string()
            } else {
                // In braces, so that the pattern 0 does not read as a count.
                format!("{{{}}}", self.linear_generalizes_to.join(", "))
            }
        );
        if let Some(inf) = &self.inference {
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "Rule inference for the test item {}{} (candidates: s·t for s ∈ Σ_X, without t itself):",
                inf.test,
                if self.patterns.contains(&inf.test.to_string()) {
                    ", itself an item of X"
                } else {
                    ""
                }
            );
            for r in inf.rules.iter().take(HUMAN_ELEMENT_LIMIT) {
                let _ = writeln!(s, "    {} · {} = {}", r.rule, inf.test, r.image);
            }
            if inf.rules.len() > HUMAN_ELEMENT_LIMIT || inf.rules_truncated {
                let _ = writeln!(
                    s,
                    "    … ({} non-trivial rules in all)",
                    inf.group_order - 1
                );
            }
            let _ = writeln!(
                s,
                "  candidate answers: {} ({})",
                if inf.candidates.is_empty() {
                    "none".to_string()
                } else {
                    strings(&inf.candidates).join(", ")
                },
                match inf.status() {
                    "none" => "no non-trivial rule moves the test item: nothing can be inferred",
                    "unique" => "a unique answer",
                    _ => "ambiguous: the group allows several answers",
                }
            );
        }
        let _ = writeln!(s);
        let nets = [
            ("identity", &self.networks.identity),
            ("tanh", &self.networks.tanh),
            ("sigmoid", &self.networks.sigmoid),
        ];
        let _ = writeln!(
            s,
            "Trained networks y = φ(Wx): {}",
            self.training.description
        );
        let _ = writeln!(
            s,
            "  φ: identity; tanh(z − c) with c = {}; sigmoid 1/(1 + e^(−cz)) with c = {}",
            activation_c(&self.networks.tanh.activation),
            activation_c(&self.networks.sigmoid.activation)
        );
        let _ = writeln!(
            s,
            "  final training loss: {}",
            nets.iter()
                .map(|(name, r)| if r.final_training_loss == 0.0 {
                    format!("{name} 0")
                } else {
                    format!("{name} {:.2e}", r.final_training_loss)
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            s,
            "  loss (eq. 7) per pattern; * = in X, r = output rounds to the pattern:"
        );
        let width = self.n.max(7);
        let _ = writeln!(
            s,
            "  {:<width$}    {:>11} {:>11} {:>11}",
            "pattern", "identity", "tanh", "sigmoid"
        );
        for key in self.networks.identity.loss.keys() {
            let in_x = if self.patterns.contains(key) {
                '*'
            } else {
                ' '
            };
            let mut line = format!("  {key:<width$} {in_x}  ");
            for (_, r) in &nets {
                let v = r.loss.get(key).copied().unwrap_or(f64::NAN);
                let mark = if r.reproduced.contains(key) { 'r' } else { ' ' };
                let _ = write!(line, " {v:>10.4}{mark}");
            }
            let _ = writeln!(s, "{}", line.trim_end());
        }
        s
    }
}

fn activation_c(a: &Activation) -> String {
    match a {
        Activation::Identity => String::new(),
        Activation::Tanh { c } | Activation::Sigmoid { c } => format!("{c}"),
    }
}
