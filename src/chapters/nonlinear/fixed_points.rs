//! §3.2.2 and Fig. 1: the flow x ↦ φ(Wx) of the reproduction networks from a grid in [0,1]³,
//! their fixed points (Newton's method from the grid and from random starts), stability and
//! basins; for the sigmoid, the line through its two attractors that the iterates reach first
//! (N4); for tanh, the linearisation at the origin against the printed eigenvalues (N5); the
//! same survey for every initialisation; and the linear network of Fig. 1 (left).

use nalgebra::DVector;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::grid::{Grid, PaperInit, Run, RunKey, Setup, TrainingData, TrainingSet};
use super::reproduction::Reproduction;
use super::{ActivationKind, Params, PerActivation};
use crate::Result;
use crate::dynamics::{self, Stability};
use crate::maths::matrix::Matrix;
use crate::maths::solve::{dist, eigenvector, median};
use crate::network::{Activation, Network};
use crate::paper;

/// Newton's tolerance on ‖φ(Wx) − x‖ and its iteration cap; fixed points are checked to 1e-10.
const NEWTON_TOL: f64 = 1e-12;
const NEWTON_ITER: usize = 100;
/// An endpoint of the flow within this distance of a fixed point belongs to its basin.
const BASIN_TOL: f64 = 1e-6;
/// "On the line, not yet at an attractor": line distance below this times attractor distance.
const LINE_RATIO: f64 = 0.2;
/// Fixed points closer than this are one (see `flow`).
const MERGE_DIST: f64 = 1e-3;

/// N5: the tanh network's linearisation at the origin against the printed 2.43.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TanhEigen {
    pub printed: [f64; 2],
    /// Eigenvalues of the Jacobian at 0, largest modulus first.
    pub origin_eigenvalues: Vec<(f64, f64)>,
    /// ‖J e₂ − J₂₂ e₂‖ and ‖J e₃ − J₃₃ e₃‖: are e₂, e₃ (spanning the training plane)
    /// eigenvectors?
    pub eigenvector_residual: f64,
    /// First traced step at which both diagonal entries print as the paper's value, and
    /// whether the whole table still matches there.
    pub step_at_printed: Option<usize>,
    pub table_matches_at_printed: bool,
    /// Adam's diagonal on X' from U(0,1) (random pairs): training longer pushes it up.
    pub adam_diag: (f64, f64),
}

/// A fixed point with its linear stability and basin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixedPointInfo {
    pub x: Vec<f64>,
    pub eigenvalues: Vec<(f64, f64)>,
    pub stability: Stability,
    pub residual: f64,
    pub in_cube: bool,
    /// Grid starts whose iterate at n = flow_fixed_steps is this point.
    pub basin: usize,
    /// Unit eigenvector of the largest eigenvalue when that one is real and > 1.
    pub unstable_direction: Option<Vec<f64>>,
}

/// Distance statistics of the iterates at one step n.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineStat {
    pub n: usize,
    pub line_median: f64,
    pub line_max: f64,
    pub attractor_median: f64,
    pub attractor_max: f64,
}

/// The flow field and fixed points of one network (Fig. 1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub activation: ActivationKind,
    pub network: String,
    pub w: Matrix,
    /// Iterates n = 0..flow_steps of each grid start.
    pub trajectories: Vec<Vec<Vec<f64>>>,
    /// Iterate n = flow_fixed_steps of each grid start.
    pub endpoints: Vec<Vec<f64>>,
    /// Newton starts tried (grid and random) and the fixed points found.
    pub starts: usize,
    pub fixed_points: Vec<FixedPointInfo>,
    /// Largest distance from an endpoint to its nearest fixed point, and how many endpoints
    /// are farther than `BASIN_TOL` from every fixed point (still on their way).
    pub max_endpoint_gap: f64,
    pub unassigned: usize,
    pub origin_eigenvalues: Vec<(f64, f64)>,
    /// For two attractors: distance of the iterates from the line through them and from the
    /// nearest attractor, n = 0..flow_fixed_steps; the angle (degrees) between the saddle's
    /// unstable direction and that line.
    pub line: Vec<LineStat>,
    pub saddle_angle_deg: Option<f64>,
    /// The first n > 0 at which the median distance to that line is below `LINE_RATIO` times
    /// the median distance to the nearest attractor: the iterates are on the line, not yet at
    /// an attractor.
    pub line_first: Option<usize>,
    pub line_ratio: f64,
}

/// Fixed points of the SGD networks on X' for each initialisation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurveyRow {
    pub activation: ActivationKind,
    pub init: PaperInit,
    pub total: usize,
    pub in_cube: usize,
    pub attractors_in_cube: Vec<Vec<f64>>,
    pub saddles_in_cube: usize,
    /// Grid starts that end at the largest basin, and those not yet at any fixed point.
    pub largest_basin: usize,
    pub unassigned: usize,
    /// The untrained W₁₁ (the init's): the multiplier of x₁ near x₁ = 0.
    pub w11: f64,
}

/// The linear network of Fig. 1 (left).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinearFlow {
    pub network: String,
    pub w: Matrix,
    /// Its third eigenvalue, W₁₁ on X′ (the plane attracts when |W₁₁| < 1), its loss at
    /// (1,0,0) (every x₁ = 1 pattern has it: Table 1's identity column), and its training loss.
    pub lambda3: f64,
    pub identity_loss: f64,
    pub final_loss: f64,
    pub trajectories: Vec<Vec<Vec<f64>>>,
}

/// Is x in [0,1]³, up to `MERGE_DIST` (a degenerate fixed point is only found that closely)?
fn in_cube(x: &[f64]) -> bool {
    x.iter()
        .all(|&v| (-MERGE_DIST..=1.0 + MERGE_DIST).contains(&v))
}

// ANCHOR: fixed_points
/// Fixed points of x ↦ φ(Wx): Newton's method from every start, classified by the eigenvalues
/// of the Jacobian diag(φ'(Wx*)) W (see `dynamics::fixed_points`).
fn find_fixed_points(net: &Network, starts: &[DVector<f64>]) -> Vec<dynamics::FixedPoint> {
    // Newton converges only linearly onto a degenerate root (an eigenvalue exactly 1, as
    // when the untrained W₁₁ is 1), stopping up to ~1e-4 short of it from different sides:
    // merge what lies within MERGE_DIST, keeping the first found.
    let mut found: Vec<dynamics::FixedPoint> = Vec::new();
    for q in dynamics::fixed_points(net, starts, NEWTON_TOL, NEWTON_ITER) {
        let x = DVector::from_vec(q.x.clone());
        if found
            .iter()
            .all(|k| dist(&DVector::from_vec(k.x.clone()), &x) > MERGE_DIST)
        {
            found.push(q);
        }
    }
    found
}

/// The basins: for each fixed point, how many endpoints of the flow lie within `BASIN_TOL`
/// of it; how many lie near none (still on their way); the largest distance from an endpoint
/// to its nearest fixed point.
fn basins(points: &[DVector<f64>], endpoints: &[DVector<f64>]) -> (Vec<usize>, usize, f64) {
    let mut basin = vec![0usize; points.len()];
    let mut unassigned = 0usize;
    let mut max_gap = 0.0_f64;
    for e in endpoints {
        let nearest = points
            .iter()
            .enumerate()
            .map(|(k, x)| (k, dist(x, e)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match nearest {
            Some((k, d)) if d < BASIN_TOL => {
                basin[k] += 1;
                max_gap = max_gap.max(d);
            }
            Some((_, d)) => {
                unassigned += 1;
                max_gap = max_gap.max(d);
            }
            None => {
                unassigned += 1;
                max_gap = f64::INFINITY;
            }
        }
    }
    (basin, unassigned, max_gap)
}
// ANCHOR_END: fixed_points

/// Where a trajectory ends: `end` (the iterate after the figure's steps) if it is within
/// `BASIN_TOL` of a fixed point; otherwise the flow goes on, `steps` at a time, up to
/// `SETTLE_ROUNDS` times. A start near the separatrix between two basins lingers near the
/// saddle on it, and how near the figure's grid comes to that surface depends on the draw of
/// the untrained first column: a fixed number of steps would make the basins' count a matter
/// of luck. Only a start exactly on the separatrix stays unassigned (it ends at the saddle).
fn settle(net: &Network, end: DVector<f64>, points: &[DVector<f64>], steps: usize) -> DVector<f64> {
    let near = |x: &DVector<f64>| points.iter().any(|q| dist(q, x) < BASIN_TOL);
    let mut x = end;
    for _ in 0..SETTLE_ROUNDS {
        if near(&x) {
            break;
        }
        x = dynamics::iterate(net, &x, steps).pop().unwrap_or(x);
    }
    x
}

/// At most this many further rounds of `flow_fixed_steps` for a slow trajectory.
const SETTLE_ROUNDS: usize = 40;

/// The flow of one network from the grid (Fig. 1), its fixed points from the grid and from
/// random starts in the range of φ, and the basins of the grid starts.
pub(super) fn flow(
    p: &Params,
    kind: ActivationKind,
    net: &Network,
    description: &str,
    rng: &mut ChaCha8Rng,
) -> Result<Flow> {
    let grid = dynamics::grid(p.flow_grid, 0.0, 1.0, 3);
    let (lo, hi) = match net.activation.range() {
        (a, b) if a.is_finite() && b.is_finite() => (a, b),
        _ => (0.0, 1.0),
    };
    let mut starts = grid.clone();
    for _ in 0..p.random_starts {
        starts.push(DVector::from_fn(3, |_, _| rng.random_range(lo..hi)));
    }
    let found = find_fixed_points(net, &starts);
    let paths: Vec<Vec<DVector<f64>>> = dynamics::flow_field(net, &grid, p.flow_fixed_steps);
    let points: Vec<DVector<f64>> = found
        .iter()
        .map(|f| DVector::from_vec(f.x.clone()))
        .collect();
    let endpoints: Vec<DVector<f64>> = paths
        .iter()
        .map(|path| {
            let end = path.last().cloned().unwrap_or_else(|| DVector::zeros(3));
            settle(net, end, &points, p.flow_fixed_steps)
        })
        .collect();
    let (basin, unassigned, max_gap) = basins(&points, &endpoints);
    let fixed_points: Vec<FixedPointInfo> = found
        .iter()
        .zip(&basin)
        .map(|(f, &b)| describe_fixed_point(net, f, b))
        .collect();
    let (line, saddle_angle_deg) = line_through_attractors(p, &fixed_points, &paths);
    let origin = dynamics::classify(net, &DVector::zeros(3), dynamics::STABILITY_TOL);
    Ok(Flow {
        activation: kind,
        network: description.to_string(),
        w: Matrix::from(&net.w),
        trajectories: paths
            .iter()
            .map(|t| {
                t.iter()
                    .take(p.flow_steps + 1)
                    .map(|x| x.iter().copied().collect())
                    .collect()
            })
            .collect(),
        endpoints: endpoints
            .iter()
            .map(|x| x.iter().copied().collect())
            .collect(),
        starts: starts.len(),
        fixed_points,
        max_endpoint_gap: max_gap,
        unassigned,
        origin_eigenvalues: origin.eigenvalues,
        line_first: line
            .iter()
            .find(|l| l.n > 0 && l.line_median < LINE_RATIO * l.attractor_median)
            .map(|l| l.n),
        line_ratio: LINE_RATIO,
        line,
        saddle_angle_deg,
    })
}

/// A fixed point with its basin of `basin` grid starts, and the unit eigenvector of its
/// largest eigenvalue when that one is real and > 1.
fn describe_fixed_point(net: &Network, f: &dynamics::FixedPoint, basin: usize) -> FixedPointInfo {
    let x = DVector::from_vec(f.x.clone());
    let unstable = f
        .eigenvalues
        .first()
        .filter(|e| e.1 == 0.0 && e.0.abs() > 1.0)
        .and_then(|e| eigenvector(&net.jacobian(&x), e.0))
        .map(|v| v.iter().copied().collect());
    FixedPointInfo {
        in_cube: in_cube(&f.x),
        x: f.x.clone(),
        eigenvalues: f.eigenvalues.clone(),
        stability: f.stability,
        residual: f.residual,
        basin,
        unstable_direction: unstable,
    }
}

/// N4: with exactly two attractors in the cube, the distance of the iterates from the line
/// through them and from the nearest attractor at each n, and the angle (degrees) between a
/// saddle's unstable direction and that line. Empty and `None` otherwise.
fn line_through_attractors(
    p: &Params,
    fixed_points: &[FixedPointInfo],
    paths: &[Vec<DVector<f64>>],
) -> (Vec<LineStat>, Option<f64>) {
    let attractors: Vec<DVector<f64>> = fixed_points
        .iter()
        .filter(|f| f.stability == Stability::Attractor && f.in_cube)
        .map(|f| DVector::from_vec(f.x.clone()))
        .collect();
    let [a, b] = attractors.as_slice() else {
        return (Vec::new(), None);
    };
    let dir = (b - a).normalize();
    let to_line = |x: &DVector<f64>| {
        let v = x - a;
        (&v - &dir * dir.dot(&v)).norm()
    };
    let mut line = Vec::new();
    for n in 0..=p.flow_fixed_steps {
        let mut dl: Vec<f64> = paths.iter().filter_map(|t| t.get(n)).map(to_line).collect();
        let mut da: Vec<f64> = paths
            .iter()
            .filter_map(|t| t.get(n))
            .map(|x| dist(x, a).min(dist(x, b)))
            .collect();
        line.push(LineStat {
            n,
            line_max: dl.iter().copied().fold(0.0, f64::max),
            line_median: median(&mut dl),
            attractor_max: da.iter().copied().fold(0.0, f64::max),
            attractor_median: median(&mut da),
        });
    }
    let saddle_angle_deg = fixed_points
        .iter()
        .filter(|f| f.stability == Stability::Saddle && f.in_cube)
        .find_map(|f| f.unstable_direction.as_ref())
        .map(|v| {
            let v = DVector::from_vec(v.clone());
            libm::acos((v.dot(&dir).abs() / v.norm()).clamp(0.0, 1.0)).to_degrees()
        });
    (line, saddle_angle_deg)
}

/// Fig. 1 (middle, right): the flows of the reproduction networks, the sigmoid's first (the
/// random starts come from `rng` in that order).
pub(super) fn flows(
    p: &Params,
    nets: &PerActivation<Network>,
    reproductions: &PerActivation<Reproduction>,
    rng: &mut ChaCha8Rng,
) -> Result<PerActivation<Flow>> {
    let order = [ActivationKind::Sigmoid, ActivationKind::Tanh];
    PerActivation::try_in_order(order, |kind| {
        let c = match kind {
            ActivationKind::Tanh => p.tanh_c,
            ActivationKind::Sigmoid => p.sigmoid_c,
        };
        let description = format!(
            "{} (c = {c}) network of Table 1: {}",
            kind.name(),
            reproductions.get(kind).setting
        );
        flow(p, kind, nets.get(kind), &description, rng)
    })
}

/// N5: the tanh reproduction network's linearisation at 0 against the printed eigenvalues,
/// along its training trace, and Adam's diagonal for comparison.
pub(super) fn tanh_eigen(
    tanh_net: &Network,
    rt: &Reproduction,
    grid: &Grid,
    data: &TrainingData,
) -> Result<TanhEigen> {
    let origin = dynamics::classify(tanh_net, &DVector::zeros(3), dynamics::STABILITY_TOL);
    let j0 = tanh_net.jacobian(&DVector::zeros(3));
    let eigvec_res = (1..3)
        .map(|k| {
            let col = j0.column(k).clone_owned();
            let mut e = DVector::zeros(3);
            e[k] = j0[(k, k)];
            (col - e).norm()
        })
        .fold(0.0, f64::max);
    let printed_eig = paper::N5_EIGENVALUES;
    let at_printed = rt.trace.iter().find(|t| {
        (t.diag.0 * 100.0).round() == (printed_eig[0] * 100.0).round()
            && (t.diag.1 * 100.0).round() == (printed_eig[1] * 100.0).round()
    });
    let adam = grid.get(RunKey {
        activation: ActivationKind::Tanh,
        set: TrainingSet::XPrime,
        setup: Setup::AdamPairs,
        init: PaperInit::Uniform,
    });
    let adam_w = adam.w.0.clone();
    Ok(TanhEigen {
        printed: printed_eig,
        origin_eigenvalues: origin.eigenvalues,
        eigenvector_residual: eigvec_res,
        step_at_printed: at_printed.map(|t| t.step),
        table_matches_at_printed: at_printed.is_some_and(|t| t.matching == data.patterns.len()),
        adam_diag: (adam_w[(1, 1)], adam_w[(2, 2)]),
    })
}

/// The same analysis for every SGD network on X', one per initialisation (a quarter of the
/// random starts each).
pub(super) fn survey(p: &Params, grid: &Grid, rng: &mut ChaCha8Rng) -> Result<Vec<SurveyRow>> {
    let quiet = Params {
        random_starts: p.random_starts / 4,
        ..p.clone()
    };
    let mut survey = Vec::new();
    for (key, r) in grid
        .iter()
        .filter(|(k, _)| k.set == TrainingSet::XPrime && k.setup == Setup::SgdFullBatch)
    {
        survey.push(survey_row(&quiet, key.activation, key.init, r, rng)?);
    }
    Ok(survey)
}

fn survey_row(
    quiet: &Params,
    kind: ActivationKind,
    init: PaperInit,
    r: &Run,
    rng: &mut ChaCha8Rng,
) -> Result<SurveyRow> {
    let net = Network::new(r.w.0.clone(), quiet.activation(kind))?;
    let f = flow(quiet, kind, &net, "", rng)?;
    let cube: Vec<&FixedPointInfo> = f.fixed_points.iter().filter(|q| q.in_cube).collect();
    Ok(SurveyRow {
        activation: kind,
        init,
        total: f.fixed_points.len(),
        in_cube: cube.len(),
        attractors_in_cube: cube
            .iter()
            .filter(|q| q.stability == Stability::Attractor)
            .map(|q| q.x.clone())
            .collect(),
        saddles_in_cube: cube
            .iter()
            .filter(|q| q.stability == Stability::Saddle)
            .count(),
        largest_basin: f.fixed_points.iter().map(|q| q.basin).max().unwrap_or(0),
        unassigned: f.unassigned,
        w11: net.w[(0, 0)],
    })
}

/// Fig. 1 (left): the linear network the book infers the paper used. Its first column, which
/// no optimiser changes on X′ and which fixes Table 1's identity column, is the one the tanh
/// reproduction infers from the printed table (the paper's identity and tanh networks share it,
/// N3); the rest is trained by full-batch gradient descent with the linear chapter's settings,
/// from the tanh reproduction's initial W.
pub(super) fn linear_chapter_flow_network(p: &Params, rt: &Reproduction) -> Result<LinearFlow> {
    let linear = crate::chapters::linear::Params::default();
    let setup = crate::chapters::linear::SetupId::SgdFull.setup(&linear);
    let tp = crate::train::TrainParams {
        activation: Activation::Identity,
        init: PaperInit::Uniform.init(),
        optimizer: setup.optimizer,
        batching: setup.batching,
        max_steps: setup.steps,
        loss_threshold: Some(crate::chapters::linear::GD_LOSS_FLOOR),
        seed: p.seed,
        record_every: setup.steps.max(1),
    };
    let xp = crate::pattern::paper_x_prime();
    let lin = crate::train::train_from(&xp.vectors(), rt.initial_w.0.clone(), &tp)?;
    let lin_net = lin.network(Activation::Identity);
    let x1 = DVector::from_vec(vec![1.0, 0.0, 0.0]);
    Ok(LinearFlow {
        network: format!(
            "identity network on X', {} (learning rate {}) from the tanh reproduction's initial W, whose first column is inferred from Table 1",
            setup.label(),
            match setup.optimizer {
                crate::train::Optimizer::Sgd { lr } => lr,
                _ => f64::NAN,
            }
        ),
        w: lin.w.clone(),
        lambda3: lin_net.w[(0, 0)],
        identity_loss: lin_net.pattern_loss(&x1),
        final_loss: lin.final_loss,
        trajectories: dynamics::flow_field(
            &lin_net,
            &dynamics::grid(p.flow_grid, 0.0, 1.0, 3),
            p.flow_steps,
        )
        .iter()
        .map(|t| t.iter().map(|v| v.iter().copied().collect()).collect())
        .collect(),
    })
}
