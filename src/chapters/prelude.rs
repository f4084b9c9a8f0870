//! Chapter "Analytical prelude" (paper §2): the symmetric group acting on patterns and
//! matrices, the symmetry group Σ_X of a training set and its orbits, the Σ-invariant matrices
//! (eq. 5), the equivalence of Σ-compatibility and Σ-invariance (eq. 2 ⇔ eq. 3), the shared
//! stability of the points of an orbit, and the trivial solution W = I. Claims P1–P5.
//!
//! Pure: `Params` in, `Output` out; no files, no templates.

use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::claims::{Finding, Verdict};
use crate::dynamics::{self, FixedPoint, Stability};
use crate::group::{SymmetryGroup, symmetry_group};
use crate::network::{Activation, Network};
use crate::pattern::{Pattern, PatternSet, paper_x, paper_x_prime};
use crate::perm::Permutation;
use crate::train::{self, Batching, Init, Optimizer, TrainParams, matrix_rows};
use crate::{Error, Result, seeds};

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

/// P4: a fixed point of the example network and its partner under the group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrbitFixedPoint {
    pub point: FixedPoint,
    /// Index (into `fixed_points`) of s·x* for each s ∈ Σ, in the group's element order.
    pub images: Vec<Option<usize>>,
    /// Largest difference between this point's Jacobian spectrum and its images' spectra.
    pub spectrum_gap: f64,
    /// Moduli |λ| of the Jacobian's eigenvalues, largest first.
    pub moduli: Vec<f64>,
    /// Nearest binary pattern and the distance to it.
    pub nearest_pattern: Pattern,
    pub distance_to_pattern: f64,
    /// How many of the grid starts the iteration carries to this point.
    pub basin_count: usize,
}

/// P4: an invariant sigmoid network trained on X' and its fixed points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StabilityExample {
    pub activation: Activation,
    pub lr: f64,
    pub steps: usize,
    pub final_loss: f64,
    pub w: Vec<Vec<f64>>,
    pub defect: f64,
    pub fixed_points: Vec<OrbitFixedPoint>,
    /// Largest distance between a Newton fixed point and where iteration (500 steps) ends.
    pub newton_vs_iteration: f64,
    /// Trajectories of the grid starts (8 iterations each), for the figure.
    pub trajectories: Vec<Vec<Vec<f64>>>,
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

/// P4: a sigmoid network trained on `set` from W = 0 (so Σ-invariant), its fixed points, and
/// whether the images s·x* of each are fixed points with the same spectrum.
fn orbit_stability_example(
    params: &Params,
    set: &PatternSet,
    group: &SymmetryGroup,
) -> Result<StabilityExample> {
    let n = set.n();
    let activation = Activation::Sigmoid {
        c: params.p4_sigmoid_c,
    };
    // Full-batch gradient descent from W = 0: the start is invariant and the gradient of an
    // invariant network is invariant, so every iterate stays invariant (up to rounding).
    let trained = train::train_from(
        &set.vectors(),
        DMatrix::zeros(n, n),
        &TrainParams {
            activation,
            init: Init::Zeros,
            optimizer: Optimizer::Sgd { lr: params.p4_lr },
            batching: Batching::Full,
            max_steps: params.p4_steps,
            loss_threshold: None,
            seed: seeds::chapter(params.seed),
            record_every: params.p4_steps.max(1),
        },
    )?;
    let net = trained.network(activation);
    let starts = dynamics::grid(params.p4_grid, 0.0, 1.0, n);
    let mut search = starts.clone();
    search.extend(set.vectors());
    let fps = dynamics::fixed_points(&net, &search, 1e-12, 100);
    let vectors: Vec<DVector<f64>> = fps.iter().map(|f| DVector::from_vec(f.x.clone())).collect();

    // Where does plain iteration take each grid start? (basins, and Newton vs iteration)
    let mut basin = vec![0usize; fps.len()];
    let mut newton_vs_iteration = 0.0_f64;
    for s in &starts {
        let end = dynamics::iterate(&net, s, 500)
            .pop()
            .unwrap_or_else(|| s.clone());
        if let Some((k, d)) = vectors
            .iter()
            .enumerate()
            .map(|(k, v)| (k, (v - &end).norm()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            && d < 1e-6
        {
            basin[k] += 1;
            newton_vs_iteration = newton_vs_iteration.max(d);
        }
    }

    let mut out = Vec::new();
    for (k, fp) in fps.iter().enumerate() {
        let mut images = Vec::new();
        let mut gap = 0.0_f64;
        for s in group.elements() {
            let image = s.act_on_vector(&vectors[k]);
            let j = vectors.iter().position(|v| (v - &image).norm() < 1e-8);
            if let Some(j) = j {
                for (a, b) in fp.eigenvalues.iter().zip(&fps[j].eigenvalues) {
                    gap = gap.max(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
                }
            } else {
                gap = f64::INFINITY;
            }
            images.push(j);
        }
        let (nearest, dist) = Pattern::nearest(&fp.x)?;
        out.push(OrbitFixedPoint {
            point: fp.clone(),
            images,
            spectrum_gap: gap,
            moduli: fp
                .eigenvalues
                .iter()
                .map(|(re, im)| re.hypot(*im))
                .collect(),
            nearest_pattern: nearest,
            distance_to_pattern: dist,
            basin_count: basin[k],
        });
    }
    let trajectories = dynamics::flow_field(&net, &starts, 8)
        .into_iter()
        .map(|t| t.into_iter().map(|v| v.iter().copied().collect()).collect())
        .collect();
    Ok(StabilityExample {
        activation,
        lr: params.p4_lr,
        steps: trained.steps,
        final_loss: trained.final_loss,
        defect: group.invariance_defect(&trained.weights()),
        w: matrix_rows(&trained.weights()),
        fixed_points: out,
        newton_vs_iteration,
        trajectories,
    })
}

// ANCHOR: compute
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
// ANCHOR_END: compute

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

/// Tolerance for "compatible": rounding of a 3×3 product and one activation, a few ulps of
/// values of order 1, so 1e-12 leaves three orders of margin.
pub const COMPAT_TOL: f64 = 1e-12;

fn findings(out: &Output) -> Result<Vec<Finding>> {
    let mut f = Vec::new();
    // P1
    f.push(Finding {
        id: "P1".into(),
        ours: format!(
            "largest training loss of W = I over {} sets (N = {}–{}): {}",
            out.identity.sets_checked,
            out.identity.lengths.first().copied().unwrap_or(0),
            out.identity.lengths.last().copied().unwrap_or(0),
            if out.identity.max_loss == 0.0 {
                "0 (exact)".to_string()
            } else {
                format!("{:e}", out.identity.max_loss)
            }
        ),
        tolerance: Some("exactly 0".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: out.identity.max_loss == 0.0,
    });
    // P2
    let swap = Permutation::transposition(3, 1, 2)?;
    let expected = [Permutation::identity(3), swap];
    let is_e23 = |g: &SymmetryGroup| g.order() == 2 && expected.iter().all(|s| g.contains(s));
    let partitions = |a: &SetAnalysis| {
        let mut members: Vec<Pattern> = a.orbits.iter().flatten().cloned().collect();
        members.sort();
        let mut all = a.patterns.patterns().to_vec();
        all.sort();
        members == all
    };
    f.push(Finding {
        id: "P2".into(),
        ours: format!(
            "Σ_X = {{{}}}, Σ_X' = {{{}}}; orbits {} and {}",
            names(&out.x.group),
            names(&out.x_prime.group),
            orbit_text(&out.x.orbits),
            orbit_text(&out.x_prime.orbits)
        ),
        tolerance: None,
        verdict: Verdict::Reproduced,
        reason: Some(
            "(32) and (23) name the same transposition; we write cycles from their smallest point."
                .into(),
        ),
        holds: is_e23(&out.x.group)
            && is_e23(&out.x_prime.group)
            && partitions(&out.x)
            && partitions(&out.x_prime),
    });
    // P3
    let inv_max = out
        .compat
        .iter()
        .map(|c| c.invariant_max_error)
        .fold(0.0, f64::max);
    let non_min = out
        .compat
        .iter()
        .map(|c| c.noninvariant_min_error)
        .fold(f64::INFINITY, f64::min);
    f.push(Finding {
        id: "P3".into(),
        ours: format!(
            "invariant W: max ‖φ_W(s·x) − s·φ_W(x)‖ = {inv_max:.1e}; non-invariant W: min = {non_min:.3} ({} matrices per kind and activation)",
            out.params.p3_matrices
        ),
        tolerance: Some(format!("compatible means error < {COMPAT_TOL:e}")),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: inv_max < COMPAT_TOL && non_min > 1e3 * COMPAT_TOL,
    });
    // P4
    let st = &out.stability;
    let stable: Vec<&OrbitFixedPoint> = st
        .fixed_points
        .iter()
        .filter(|p| p.point.stability == Stability::Attractor)
        .collect();
    let orbit_ok = st.fixed_points.iter().all(|p| {
        p.images
            .iter()
            .all(|j| j.is_some_and(|j| st.fixed_points[j].point.stability == p.point.stability))
            && p.spectrum_gap < 1e-9
    });
    let items_stable = out
        .x_prime
        .patterns
        .patterns()
        .iter()
        .all(|x| stable.iter().any(|p| &p.nearest_pattern == x));
    f.push(Finding {
        id: "P4".into(),
        ours: format!(
            "{} fixed points of an invariant sigmoid network trained on X' ({} attractors, near {}); every image s·x* is a fixed point of the same type, spectra equal to {:.0e}",
            st.fixed_points.len(),
            stable.len(),
            stable.iter().map(|p| p.nearest_pattern.to_string()).collect::<Vec<_>>().join(" and "),
            st.fixed_points.iter().map(|p| p.spectrum_gap).fold(0.0, f64::max).max(1e-16)
        ),
        tolerance: Some("spectra equal to 1e-9".into()),
        verdict: Verdict::Reproduced,
        reason: None,
        holds: orbit_ok && items_stable && st.defect < 1e-9,
    });
    // P5: the computed symbolic form against the printed eq. 5.
    let printed = crate::claims::spec_of("P5")
        .and_then(|s| s.paper)
        .unwrap_or_default();
    let same = out.x.invariant_form == printed && out.x_prime.invariant_form == printed;
    f.push(Finding {
        id: "P5".into(),
        ours: format!(
            "{} (dimension {})",
            out.x.invariant_form, out.x.invariant_dimension
        ),
        tolerance: None,
        verdict: Verdict::Reproduced,
        reason: None,
        holds: same && out.x.invariant_dimension == 5,
    });
    Ok(f)
}

fn names(g: &SymmetryGroup) -> String {
    g.elements()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn orbit_text(orbits: &[Vec<Pattern>]) -> String {
    orbits
        .iter()
        .map(|o| {
            format!(
                "{{{}}}",
                o.iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
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
