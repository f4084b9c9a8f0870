//! Chapter "Analytical prelude" (paper §2): the symmetric group acting on patterns and
//! matrices, the symmetry group Σ_X of a training set and its orbits, the Σ-invariant matrices
//! (eq. 5), the equivalence of Σ-compatibility and Σ-invariance (eq. 2 ⇔ eq. 3), the shared
//! stability of the points of an orbit, and the trivial solution W = I. Claims P1–P5.
//!
//! The actions, the groups and the compatibility check are here; `stability.rs` holds the
//! orbit-stability example (P4) and `findings.rs` the verdicts. Pure: `Params` in, `Output`
//! out; no files, no templates.

mod findings;
mod stability;

use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::claims::Finding;
use crate::group::{SymmetryGroup, symmetry_group};
use crate::network::{Activation, Network};
use crate::pattern::{Pattern, PatternSet, paper_x, paper_x_prime};
use crate::perm::Permutation;
use crate::{Error, Result, seeds};
use findings::findings;
use stability::orbit_stability_example;

pub use findings::COMPAT_TOL;
pub use stability::{OrbitFixedPoint, StabilityExample};

/// The settings of the chapter. `Default` is the book's setting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Seeds every random draw of the chapter.
    pub seed: u64,
    /// Random matrices per kind (invariant, not invariant) and activation in the P3 check.
    pub p3_matrices: usize,
    /// Random points x per matrix in the P3 check.
    pub p3_points: usize,
    /// Random training sets per length N = 2..=6 in the P1 check.
    pub p1_sets_per_n: usize,
    /// Gain c of the sigmoid network of the P4 example.
    pub p4_sigmoid_c: f64,
    /// Learning rate and steps of its full-batch gradient descent from W = 0.
    pub p4_lr: f64,
    pub p4_steps: usize,
    /// Grid points per axis for the fixed-point search and flow of the P4 example.
    pub p4_grid: usize,
    /// Further training sets whose symmetry groups the chapter tabulates.
    pub other_sets: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            seed: 2024,
            p3_matrices: 200,
            p3_points: 20,
            p1_sets_per_n: 40,
            p4_sigmoid_c: 1.0,
            p4_lr: 5.0,
            p4_steps: 20_000,
            p4_grid: 5,
            other_sets: [
                "100,010,001",
                "1100,0011",
                "1010,0101",
                "100,110",
                "1000,0100,0010,0001",
                "110000,011000,001100,000110,000011,100001",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }
}

impl Params {
    /// A smaller version for quick builds and tests: same structure, fewer random draws.
    pub fn quick() -> Self {
        Params {
            p3_matrices: 30,
            p3_points: 5,
            p1_sets_per_n: 5,
            p4_steps: 5_000,
            ..Params::default()
        }
    }
}

/// One permutation of S_3 acting on both training sets.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionRow {
    pub sigma: Permutation,
    pub image_x: Vec<Pattern>,
    pub fixes_x: bool,
    pub image_x_prime: Vec<Pattern>,
    pub fixes_x_prime: bool,
}

/// Everything the chapter says about one training set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SetAnalysis {
    pub name: String,
    pub patterns: PatternSet,
    pub group: SymmetryGroup,
    pub orbits: Vec<Vec<Pattern>>,
    pub invariant_form: String,
    pub invariant_form_cells: Vec<Vec<String>>,
    pub invariant_dimension: usize,
}

impl SetAnalysis {
    fn of(name: &str, patterns: PatternSet) -> Result<Self> {
        let group = symmetry_group(&patterns)?;
        Ok(SetAnalysis {
            name: name.to_string(),
            orbits: group.orbits(&patterns),
            invariant_form: group.invariant_form_string(),
            invariant_form_cells: group.invariant_form(),
            invariant_dimension: group.invariant_dimension(),
            group,
            patterns,
        })
    }
}

/// P1: the loss of W = I on a family of training sets.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdentityCheck {
    pub sets_checked: usize,
    pub lengths: Vec<usize>,
    /// Largest training loss of the identity network over all sets (exactly 0 expected).
    pub max_loss: f64,
}

/// P3: one random matrix, its distance from invariance and how far φ_W is from compatible.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompatTrial {
    pub activation: String,
    pub invariant: bool,
    /// max_s ‖W − s·W‖_F
    pub defect: f64,
    /// max over s ∈ Σ and the random x of ‖φ_W(s·x) − s·φ_W(x)‖
    pub compat_error: f64,
}

/// P3 summary per activation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompatSummary {
    pub activation: String,
    /// The activation as a LaTeX formula, with its parameter.
    pub formula: String,
    pub invariant_max_error: f64,
    pub noninvariant_min_error: f64,
    pub noninvariant_min_defect: f64,
}

/// The chapter's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Output {
    pub params: Params,
    /// The longest pattern the group computations support.
    pub max_n: usize,
    pub s3: Vec<Permutation>,
    pub action: Vec<ActionRow>,
    pub x: SetAnalysis,
    pub x_prime: SetAnalysis,
    pub others: Vec<SetAnalysis>,
    pub identity: IdentityCheck,
    pub compat_trials: Vec<CompatTrial>,
    pub compat: Vec<CompatSummary>,
    pub stability: StabilityExample,
    pub findings: Vec<Finding>,
}

fn activations() -> [Activation; 3] {
    [
        Activation::Identity,
        Activation::Tanh { c: 0.5 },
        Activation::Sigmoid { c: 1.0 },
    ]
}

// ANCHOR: compat_error
/// max over s ∈ Σ and x ∈ `points` of ‖φ_W(s·x) − s·φ_W(x)‖: zero exactly when φ_W is
/// Σ-compatible on those points (eq. 2).
pub fn compat_error(net: &Network, group: &SymmetryGroup, points: &[DVector<f64>]) -> f64 {
    let mut worst = 0.0_f64;
    for s in group.elements() {
        for x in points {
            let lhs = net.forward(&s.act_on_vector(x));
            let rhs = s.act_on_vector(&net.forward(x));
            worst = worst.max((lhs - rhs).norm());
        }
    }
    worst
}
// ANCHOR_END: compat_error

fn random_matrix(n: usize, rng: &mut ChaCha8Rng) -> DMatrix<f64> {
    DMatrix::from_fn(n, n, |_, _| rng.random_range(-1.0..1.0))
}

/// P3: random matrices, Σ-invariant and not, for each activation, each with its distance from
/// invariance and its compatibility error on random points x ∈ [−1, 2)^N.
fn compatibility_trials(
    params: &Params,
    group: &SymmetryGroup,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<CompatTrial>> {
    let n = group.n();
    let mut trials = Vec::new();
    for act in activations() {
        for invariant in [true, false] {
            for _ in 0..params.p3_matrices {
                let w = if invariant {
                    group.random_invariant(rng)
                } else {
                    random_matrix(n, rng)
                };
                let points: Vec<DVector<f64>> = (0..params.p3_points)
                    .map(|_| DVector::from_fn(n, |_, _| rng.random_range(-1.0..2.0)))
                    .collect();
                let net = Network::new(w.clone(), act)?;
                trials.push(CompatTrial {
                    activation: act.name().to_string(),
                    invariant,
                    defect: group.invariance_defect(&w),
                    compat_error: compat_error(&net, group, &points),
                });
            }
        }
    }
    Ok(trials)
}

/// P1: the training loss of W = I (φ = id) on X, X' and random training sets of lengths 2–6.
fn identity_check(params: &Params, rng: &mut ChaCha8Rng) -> Result<IdentityCheck> {
    let mut sets = vec![paper_x(), paper_x_prime()];
    for n in 2..=6usize {
        let all = Pattern::all(n)?;
        for _ in 0..params.p1_sets_per_n {
            let chosen: Vec<Pattern> = all
                .iter()
                .filter(|_| rng.random::<f64>() < 0.4)
                .cloned()
                .collect();
            if !chosen.is_empty() {
                sets.push(PatternSet::new(chosen)?);
            }
        }
    }
    let mut max_loss = 0.0_f64;
    let mut lengths: Vec<usize> = Vec::new();
    for set in &sets {
        let net = Network::new(DMatrix::identity(set.n(), set.n()), Activation::Identity)?;
        max_loss = max_loss.max(net.loss(&set.vectors()));
        if !lengths.contains(&set.n()) {
            lengths.push(set.n());
        }
    }
    lengths.sort_unstable();
    Ok(IdentityCheck {
        sets_checked: sets.len(),
        lengths,
        max_loss,
    })
}

/// Run the whole chapter.
pub fn compute(params: &Params) -> Result<Output> {
    validate(params)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seeds::chapter(params.seed));
    let x = SetAnalysis::of("X", paper_x())?;
    let x_prime = SetAnalysis::of("X'", paper_x_prime())?;
    let s3 = Permutation::all(3)?;
    let action = s3
        .iter()
        .map(|s| {
            let image_x = s.act_on_set(&x.patterns);
            let image_x_prime = s.act_on_set(&x_prime.patterns);
            ActionRow {
                sigma: s.clone(),
                fixes_x: x.patterns.same_set(&image_x),
                fixes_x_prime: x_prime.patterns.same_set(&image_x_prime),
                image_x,
                image_x_prime,
            }
        })
        .collect();
    let others = params
        .other_sets
        .iter()
        .map(|s| SetAnalysis::of(s, PatternSet::parse(s)?))
        .collect::<Result<Vec<_>>>()?;
    let identity = identity_check(params, &mut rng)?;
    let compat_trials = compatibility_trials(params, &x.group, &mut rng)?;
    let compat = summarise(&compat_trials);
    let stability = orbit_stability_example(params, &x_prime.patterns, &x_prime.group)?;
    let mut out = Output {
        params: params.clone(),
        max_n: crate::pattern::MAX_N,
        s3,
        action,
        x,
        x_prime,
        others,
        identity,
        compat_trials,
        compat,
        stability,
        findings: Vec::new(),
    };
    out.findings = findings(&out)?;
    Ok(out)
}

fn summarise(trials: &[CompatTrial]) -> Vec<CompatSummary> {
    activations()
        .iter()
        .map(|a| {
            let of = |inv: bool| {
                trials
                    .iter()
                    .filter(move |t| t.activation == a.name() && t.invariant == inv)
            };
            CompatSummary {
                activation: a.name().to_string(),
                formula: match a {
                    Activation::Identity => "z".to_string(),
                    Activation::Tanh { c } => format!("\\tanh(z - {c})"),
                    Activation::Sigmoid { c } => format!("1/(1 + e^{{-{c} z}})"),
                },
                invariant_max_error: of(true).map(|t| t.compat_error).fold(0.0, f64::max),
                noninvariant_min_error: of(false)
                    .map(|t| t.compat_error)
                    .fold(f64::INFINITY, f64::min),
                noninvariant_min_defect: of(false).map(|t| t.defect).fold(f64::INFINITY, f64::min),
            }
        })
        .collect()
}

/// Refuse parameters that would make the chapter meaningless.
pub fn validate(params: &Params) -> Result<()> {
    if params.p3_matrices == 0 || params.p3_points == 0 {
        return Err(Error::InvalidParameter {
            name: "p3_matrices/p3_points".into(),
            value: format!("{}/{}", params.p3_matrices, params.p3_points),
            why: "the P3 check needs at least one matrix and one point".into(),
        });
    }
    Ok(())
}
