//! The report's dynamics section (paper §3.1.2, §3.2, Fig. 1): each trained network as the map
//! x ↦ φ(Wx), its fixed points by Newton's method from many starts and their stability from the
//! Jacobian's spectrum ([`crate::dynamics::fixed_points`], the prelude's and the nonlinear
//! chapter's search), and the flow of one network per activation for the figure: in 3-D for
//! N = 3, projected onto the flow's two leading principal directions for N > 3.
//!
//! A linear network (φ = id) has no isolated fixed points when W has the eigenvalue 1 (every
//! trained one has, on span X): its fixed points are the eigenspace ker(W − I), reported by its
//! dimension instead of a list.

use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::Result;
use crate::dynamics::{self, Stability};
use crate::network::{Activation, Network};
use crate::pattern::{Pattern, PatternSet};

/// Newton's tolerance on ‖φ(Wx) − x‖₂ and its iteration cap (as the prelude's search).
pub const NEWTON_TOL: f64 = 1e-12;
pub const NEWTON_ITER: usize = 100;
/// Singular values of W − I below this count as zero (the linear network's fixed space): a
/// trained W solves the task only as far as training got, so its eigenvalue 1 is 1 only to
/// about the square root of its training loss.
pub const FIXED_SPACE_TOL: f64 = 1e-3;
/// A fixed point "is" a pattern when every component is within this of the pattern's bit (a
/// quarter: a point near the middle of the cube is no pattern's).
pub const NEAR_PATTERN: f64 = 0.25;

/// One fixed point of a nonlinear network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixedPointRow {
    pub x: Vec<f64>,
    /// The binary pattern it rounds to (components ≥ 0.5 to 1), and the largest component
    /// distance to it.
    pub nearest: String,
    pub distance: f64,
    pub stability: Stability,
    /// Jacobian eigenvalues (re, im), largest modulus first.
    pub eigenvalues: Vec<(f64, f64)>,
    /// Largest |λ|: the spectral radius of the Jacobian at x*.
    pub spectral_radius: f64,
    pub residual: f64,
    /// Check of an attractor's classification by the map itself ([`recapture`]); `None` for
    /// the other kinds.
    pub recapture: Option<Recapture>,
    /// The check held: every nudged start came back at least as fast as the Jacobian
    /// predicts. False for the other kinds.
    pub recaptures: bool,
}

/// The nudge of [`recapture`]: each start is x* ± 10⁻³ eₖ.
pub const NUDGE: f64 = 1e-3;
/// [`recapture`] iterates at least this many steps (the check's fixed count before it was judged
/// by the Jacobian's rate)…
pub const RECAPTURE_MIN_STEPS: usize = 2_000;
/// …and at most this many: enough for the linearised map to shrink a nudge to
/// [`RECAPTURE_SHRINK`] of its size when ρ ≤ 10^(−3/20000) ≈ 0.99965.
pub const RECAPTURE_MAX_STEPS: usize = 20_000;
/// The shrink factor the steps aim at: a 10⁻³ nudge predicted back within 10⁻⁶ (the check's
/// threshold when it used fixed steps).
pub const RECAPTURE_SHRINK: f64 = 1e-3;
/// How far above the linearised prediction a start may end. The prediction ‖J^K δ‖ is exact
/// for the linearised map, non-normal transients included; it leaves out the map's curvature,
/// whose relative effect on a nudge accumulates to about c·‖δ‖/(1 − ρ) over the whole return
/// (c the size of φ's second derivative through W): ≈ 0.7c for ‖δ‖ = 10⁻³ at ρ = 0.9985, the
/// slowest attractor the check has met, whose nudges in fact end within 1.04 times the
/// prediction (odd parity at N = 5, the report's settings).
/// A factor 10 allows for that and still fails a start that comes back markedly slower than
/// the Jacobian says; the check's second condition fails any start that ends no closer than
/// it began.
pub const RECAPTURE_SLACK: f64 = 10.0;

/// What [`recapture`] found for one fixed point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Recapture {
    /// Steps iterated: ⌈ln [`RECAPTURE_SHRINK`] / ln ρ⌉ within
    /// [[`RECAPTURE_MIN_STEPS`], [`RECAPTURE_MAX_STEPS`]] (the minimum when ρ ≥ 1).
    pub steps: usize,
    /// The largest ‖x_K − x*‖ over the 2N starts, and the largest linearised prediction
    /// ‖J^K δ‖ over them.
    pub distance: f64,
    pub predicted: f64,
    /// The largest ratio of a start's end distance to its bound (≤ 1: within every bound).
    pub worst_ratio: f64,
    /// Every start ended within its bound and closer to x* than it started.
    pub holds: bool,
    /// ρ is so close to 1 that even [`RECAPTURE_MAX_STEPS`] steps are predicted to shrink some
    /// nudge by less than [`RECAPTURE_SHRINK`]: the check then shows that the starts come
    /// back no slower than predicted, not that they are back.
    pub slow: bool,
}

/// A^k by repeated squaring.
fn matrix_power(a: &DMatrix<f64>, mut k: usize) -> DMatrix<f64> {
    let n = a.nrows();
    let mut result = DMatrix::identity(n, n);
    let mut base = a.clone();
    while k > 0 {
        if k & 1 == 1 {
            result = &result * &base;
        }
        k >>= 1;
        if k > 0 {
            base = &base * &base;
        }
    }
    result
}

/// Does the map bring nudged starts back to the fixed point x* at the rate its Jacobian
/// J = diag(φ'(Wx*)) W predicts?
///
/// Each start x₀ = x* + δ, δ = ±[`NUDGE`]·eₖ (all 2N of them), is iterated K steps, with
/// K = ⌈ln s / ln ρ⌉ clamped to [[`RECAPTURE_MIN_STEPS`], [`RECAPTURE_MAX_STEPS`]], ρ the
/// spectral radius of J and s = [`RECAPTURE_SHRINK`]: the steps in which the linearised map
/// x* + J^k δ shrinks a nudge to s of its size. A fixed count of steps (2000, with a fixed
/// threshold 10⁻⁶) failed genuine attractors with ρ near 1: at ρ = 0.9985 the nudge is only
/// at 0.9985²⁰⁰⁰ ≈ 0.05 of its size after 2000 steps. The check holds when every start ends
///
///   ‖x_K − x*‖ ≤ [`RECAPTURE_SLACK`]·‖J^K δ‖ + 2·‖(I − J)⁻¹‖₂·r + 10⁻¹²   and   ‖x_K − x*‖ < ‖δ‖,
///
/// where r = ‖φ(Wx*) − x*‖₂ is Newton's residual: the iteration converges to the map's own
/// fixed point, about ‖(I − J)⁻¹‖·r from x*, and 10⁻¹² covers rounding at the fixed point.
/// The second condition makes a point the flow leaves (a saddle, a repeller, a point that is
/// not fixed) fail however large J^K δ is. The check does not look at the classification: it
/// fails on a saddle by itself. When ρ is so close to 1 that even [`RECAPTURE_MAX_STEPS`]
/// steps are predicted to shrink some nudge by less than s, the result is marked
/// [`Recapture::slow`].
pub fn recapture(net: &Network, x: &[f64]) -> Recapture {
    let n = x.len();
    let star = DVector::from_vec(x.to_vec());
    let j = net.jacobian(&star);
    let rho = dynamics::eigenvalues(&j)
        .iter()
        .map(modulus)
        .fold(0.0_f64, f64::max);
    let steps = if rho > 0.0 && rho < 1.0 {
        let k = (libm::log(RECAPTURE_SHRINK) / libm::log(rho)).ceil();
        // k ≥ 1 here; the clamp keeps the cast in range.
        (k.min(RECAPTURE_MAX_STEPS as f64) as usize).max(RECAPTURE_MIN_STEPS)
    } else {
        RECAPTURE_MIN_STEPS
    };
    let jk = matrix_power(&j, steps);
    let residual = (net.forward(&star) - &star).norm();
    let sigma_min = (DMatrix::identity(n, n) - &j)
        .singular_values()
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let floor = 2.0 * residual / sigma_min + 1e-12;
    let mut out = Recapture {
        steps,
        distance: 0.0,
        predicted: 0.0,
        worst_ratio: 0.0,
        holds: true,
        slow: false,
    };
    for k in 0..n {
        for h in [-NUDGE, NUDGE] {
            let mut y = star.clone();
            y[k] += h;
            for _ in 0..steps {
                y = net.forward(&y);
            }
            let d = (&y - &star).norm();
            let predicted = jk.column(k).norm() * NUDGE;
            let bound = RECAPTURE_SLACK * predicted + floor;
            out.distance = out.distance.max(d);
            out.predicted = out.predicted.max(predicted);
            out.worst_ratio = out.worst_ratio.max(d / bound);
            // NaN (a start that overflowed) fails both comparisons.
            if !(d <= bound && d < NUDGE) {
                out.holds = false;
            }
            if predicted > RECAPTURE_SHRINK * NUDGE {
                out.slow = true;
            }
        }
    }
    out
}

/// The fixed points of one trained network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkDynamics {
    /// "identity", "tanh" or "sigmoid".
    pub activation: String,
    /// Which trained network (its index among that activation's seeds, from 0).
    pub run: usize,
    /// Newton starts: every binary pattern (N ≤ 8) and random points in φ's range.
    pub starts: usize,
    /// Isolated fixed points (nonlinear networks), sorted lexicographically.
    pub fixed_points: Vec<FixedPointRow>,
    pub attractors: usize,
    pub saddles: usize,
    pub repellers: usize,
    pub marginal: usize,
    /// What each training item is, in X's order: the kind of the fixed point within
    /// [`NEAR_PATTERN`] of it ("attractor", "saddle", …), or "not fixed".
    pub item_kinds: Vec<(String, String)>,
    /// The training items that are (within [`NEAR_PATTERN`]) an attracting fixed point.
    pub items_attracting: Vec<String>,
    /// Patterns outside X that are (within [`NEAR_PATTERN`]) an attracting fixed point.
    pub others_attracting: Vec<String>,
    /// The largest Jacobian spectral radius at an attracting fixed point near a training item:
    /// how strongly the weakest-held item attracts (closer to 1: weaker).
    pub item_spectral_radius: Option<f64>,
    /// For φ = id: the number of singular values of W − I below [`FIXED_SPACE_TOL`], the
    /// dimension of the space W leaves (nearly) unchanged, its fixed points.
    pub fixed_space_dimension: Option<usize>,
    /// For φ = id: the eigenvalues of W (re, im), largest modulus first.
    pub linear_spectrum: Option<Vec<(f64, f64)>>,
}

fn modulus(e: &(f64, f64)) -> f64 {
    libm::hypot(e.0, e.1)
}

/// Newton's starts for a network on N points: every binary pattern when N ≤ 8, then `random`
/// points drawn uniformly from φ's range ([0, 1] for φ = id).
pub fn starts(net: &Network, random: usize, seed: u64) -> Result<Vec<DVector<f64>>> {
    let n = net.n();
    let mut out: Vec<DVector<f64>> = if n <= 8 {
        Pattern::all(n)?.iter().map(Pattern::to_vector).collect()
    } else {
        Vec::new()
    };
    let (lo, hi) = match net.activation.range() {
        (a, b) if a.is_finite() && b.is_finite() => (a, b),
        _ => (0.0, 1.0),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..random {
        out.push(DVector::from_fn(n, |_, _| rng.random_range(lo..hi)));
    }
    Ok(out)
}

/// The fixed points of `net` and what they say about the training set `set`.
pub fn network_dynamics(
    net: &Network,
    set: &PatternSet,
    run: usize,
    random_starts: usize,
    seed: u64,
) -> Result<NetworkDynamics> {
    let starts = starts(net, random_starts, seed)?;
    let mut out = NetworkDynamics {
        activation: net.activation.name().to_string(),
        run,
        starts: starts.len(),
        fixed_points: Vec::new(),
        attractors: 0,
        saddles: 0,
        repellers: 0,
        marginal: 0,
        items_attracting: Vec::new(),
        others_attracting: Vec::new(),
        item_spectral_radius: None,
        item_kinds: Vec::new(),
        fixed_space_dimension: None,
        linear_spectrum: None,
    };
    if matches!(net.activation, Activation::Identity) {
        let n = net.n();
        let sv = (&net.w - DMatrix::identity(n, n)).singular_values();
        out.fixed_space_dimension = Some(sv.iter().filter(|&&s| s < FIXED_SPACE_TOL).count());
        let mut spec = dynamics::eigenvalues(&net.w);
        spec.sort_by(|a, b| modulus(b).total_cmp(&modulus(a)).then(b.0.total_cmp(&a.0)));
        out.linear_spectrum = Some(spec);
        return Ok(out);
    }
    for f in dynamics::fixed_points(net, &starts, NEWTON_TOL, NEWTON_ITER) {
        let (nearest, _) = Pattern::nearest(&f.x)?;
        let distance =
            f.x.iter()
                .zip(nearest.bits())
                .fold(0.0_f64, |d, (v, &b)| d.max((v - f64::from(b)).abs()));
        match f.stability {
            Stability::Attractor => out.attractors += 1,
            Stability::Saddle => out.saddles += 1,
            Stability::Repeller => out.repellers += 1,
            Stability::Marginal => out.marginal += 1,
        }
        if f.stability == Stability::Attractor && distance < NEAR_PATTERN {
            let name = nearest.to_string();
            if set.contains(&nearest) {
                let r = f.eigenvalues.first().map_or(f64::NAN, modulus);
                out.item_spectral_radius = Some(out.item_spectral_radius.map_or(r, |m| m.max(r)));
            }
            let list = if set.contains(&nearest) {
                &mut out.items_attracting
            } else {
                &mut out.others_attracting
            };
            if !list.contains(&name) {
                list.push(name);
            }
        }
        let recapture = (f.stability == Stability::Attractor).then(|| recapture(net, &f.x));
        out.fixed_points.push(FixedPointRow {
            recaptures: recapture.as_ref().is_some_and(|r| r.holds),
            recapture,
            spectral_radius: f.eigenvalues.first().map_or(f64::NAN, modulus),
            x: f.x,
            nearest: nearest.to_string(),
            distance,
            stability: f.stability,
            eigenvalues: f.eigenvalues,
            residual: f.residual,
        });
    }
    out.item_kinds = set
        .patterns()
        .iter()
        .map(|p| {
            let name = p.to_string();
            let kind = out
                .fixed_points
                .iter()
                .filter(|f| f.nearest == name && f.distance < NEAR_PATTERN)
                .map(|f| format!("{:?}", f.stability).to_lowercase())
                .next()
                .unwrap_or_else(|| "not fixed".to_string());
            (name, kind)
        })
        .collect();
    out.items_attracting.sort();
    out.others_attracting.sort();
    Ok(out)
}

/// The flow of one network for the figure: trajectories from a grid of starts (5 per axis in
/// [0, 1]³ for N = 3; otherwise the binary patterns and random points, [`flow_starts`]), each
/// `steps` iterations long, in the network's coordinates for N = 3, projected onto the two
/// leading principal directions of all trajectory points for N = 2 and N > 3, and on its line
/// for N = 1 (each point (x₁, 0): one coordinate, the second a constant so that the figure
/// draws every panel in the plane).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub activation: String,
    /// The trajectories, in 3 coordinates (N = 3), 2 projected ones (N = 2 and N > 3), or
    /// (x₁, 0) (N = 1).
    pub trajectories: Vec<Vec<Vec<f64>>>,
    /// For N = 2 and N > 3: the two directions (unit vectors in R^N) and the mean they are
    /// taken about, and the share of the points' variance they hold (1 for N = 1: the line
    /// holds all of it; no directions, no mean).
    pub directions: Option<[Vec<f64>; 2]>,
    pub mean: Option<Vec<f64>>,
    pub explained: Option<f64>,
    /// The fixed points (attractors and saddles) and the training items, in the plot's
    /// coordinates.
    pub attractors: Vec<Vec<f64>>,
    pub saddles: Vec<Vec<f64>>,
    pub items: Vec<Vec<f64>>,
}

/// Starts of the flow figure: a 5×5×5 grid for N = 3; otherwise the binary patterns (at most
/// 64, spread evenly in the order of [`Pattern::all`]) and 40 random points in [0, 1]^N.
fn flow_starts(n: usize, seed: u64) -> Result<Vec<DVector<f64>>> {
    if n == 3 {
        return Ok(dynamics::grid(5, 0.0, 1.0, 3));
    }
    let all = Pattern::all(n)?;
    let stride = all.len().div_ceil(64).max(1);
    let mut out: Vec<DVector<f64>> = all.iter().step_by(stride).map(Pattern::to_vector).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for _ in 0..40 {
        out.push(DVector::from_fn(n, |_, _| rng.random_range(0.0..1.0)));
    }
    Ok(out)
}

/// The flow of `net` for the figure, with the fixed points `dynamics` found.
pub fn flow(
    net: &Network,
    set: &PatternSet,
    found: &NetworkDynamics,
    steps: usize,
    seed: u64,
) -> Result<Flow> {
    let n = net.n();
    let paths = dynamics::flow_field(net, &flow_starts(n, seed)?, steps);
    let pick = |s: Stability| -> Vec<DVector<f64>> {
        found
            .fixed_points
            .iter()
            .filter(|f| f.stability == s)
            .map(|f| DVector::from_vec(f.x.clone()))
            .collect()
    };
    let (attractors, saddles) = (pick(Stability::Attractor), pick(Stability::Saddle));
    let items: Vec<DVector<f64>> = set.vectors();
    let rows = |v: &[DVector<f64>], f: &dyn Fn(&DVector<f64>) -> Vec<f64>| -> Vec<Vec<f64>> {
        v.iter().map(f).collect()
    };
    if n == 3 {
        let id = |x: &DVector<f64>| x.iter().copied().collect::<Vec<f64>>();
        return Ok(Flow {
            activation: net.activation.name().to_string(),
            trajectories: paths.iter().map(|t| rows(t, &id)).collect(),
            directions: None,
            mean: None,
            explained: None,
            attractors: rows(&attractors, &id),
            saddles: rows(&saddles, &id),
            items: rows(&items, &id),
        });
    }
    // N = 1: there is one direction and nothing to project; the line itself.
    if n == 1 {
        let line = |x: &DVector<f64>| vec![x[0], 0.0];
        return Ok(Flow {
            activation: net.activation.name().to_string(),
            trajectories: paths.iter().map(|t| rows(t, &line)).collect(),
            directions: None,
            mean: None,
            explained: Some(1.0),
            attractors: rows(&attractors, &line),
            saddles: rows(&saddles, &line),
            items: rows(&items, &line),
        });
    }
    // Principal directions of every trajectory point (N ≥ 2 here: there are two).
    let points: Vec<&DVector<f64>> = paths.iter().flatten().collect();
    let count = points.len().max(1) as f64;
    let mean = points.iter().fold(DVector::zeros(n), |acc, p| acc + *p) / count;
    let mut cov = DMatrix::zeros(n, n);
    for p in &points {
        let d = *p - &mean;
        cov += &d * d.transpose();
    }
    cov /= count;
    let eig = nalgebra::SymmetricEigen::new(cov);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let total: f64 = eig.eigenvalues.iter().map(|v| v.max(0.0)).sum();
    // Fix each direction's sign (its largest component positive) so the figure is deterministic.
    let direction = |k: usize| -> DVector<f64> {
        let v: DVector<f64> = eig.eigenvectors.column(order[k]).into_owned();
        let big = v
            .iter()
            .copied()
            .fold(0.0_f64, |a, b| if b.abs() > a.abs() { b } else { a });
        if big < 0.0 { -v } else { v }
    };
    let (d1, d2) = (direction(0), direction(1));
    let project = |x: &DVector<f64>| {
        let c = x - &mean;
        vec![c.dot(&d1), c.dot(&d2)]
    };
    Ok(Flow {
        activation: net.activation.name().to_string(),
        trajectories: paths.iter().map(|t| rows(t, &project)).collect(),
        explained: Some(if total > 0.0 {
            (eig.eigenvalues[order[0]].max(0.0) + eig.eigenvalues[order[1]].max(0.0)) / total
        } else {
            1.0
        }),
        directions: Some([d1.iter().copied().collect(), d2.iter().copied().collect()]),
        mean: Some(mean.iter().copied().collect()),
        attractors: rows(&attractors, &project),
        saddles: rows(&saddles, &project),
        items: rows(&items, &project),
    })
}
