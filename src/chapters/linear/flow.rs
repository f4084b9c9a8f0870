//! §3.1, "Generalisation: Table 1, identity column" and "The flow field (Fig. 1, left)":
//! linear combinations of the items through every trained network (L10), the losses of
//! Table 1 (L13), and the flow of the paper's likely network onto the training plane (L14).

use nalgebra::DMatrix;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::Params;
use super::coordinates::{SetId, TrainingSet};
use super::grid::{ByInit, Grid, PaperInit, SetupId, run_seed, train_params};
use crate::Result;
use crate::maths::matrix::Matrix;
use crate::network::{Activation, Network};
use crate::paper;
use crate::pattern::Pattern;
use crate::train::{self, TrainParams, TrainResult};

/// One row of Table 1 (identity column).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Table1Row {
    pub pattern: Pattern,
    pub printed: f64,
    /// Our loss from each initialisation (SGD full batch on X′).
    pub ours: ByInit<f64>,
    /// The network of the flow field.
    pub flow_network: f64,
    /// What theory fixes: Some(0) for patterns in span X', None when it depends on the init.
    pub theory: Option<f64>,
}

/// The flow field of Fig. 1 (left), and what L14 checks about it.
///
/// With n̂ the unit normal of the training plane, write a point as x = α n̂ + y (y in the
/// plane); d = |α| is its distance to the plane. For an exact solution W = I + v n̂ᵀ
/// (v = (W − I) n̂) the plane is fixed pointwise, α is multiplied by λ₃ = n̂ᵀW n̂ at every step,
/// and W^k x tends, when |λ₃| < 1, to the point where the line through x along v meets the
/// plane, L(x) = x − v α/(λ₃ − 1). The trained network is a solution only up to its distance r
/// from the solution set, r = ‖(W − I)(I − n̂n̂ᵀ)‖_F, so the checks carry allowances derived
/// from it and from rounding (see [`flow`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub network: String,
    pub w: Matrix,
    pub lambda3: f64,
    /// r: the network's distance from the solution set.
    pub residual: f64,
    /// r_n = ‖n̂ᵀ(W − I)(I − n̂n̂ᵀ)‖ ≤ r: the part of r that leaks points of the plane into its
    /// normal.
    pub normal_leak: f64,
    pub trajectories: Vec<Vec<Vec<f64>>>,
    /// Distance to the training plane at step k = 0..=fixed_step, for every start (rows = starts).
    pub plane_distance: Vec<Vec<f64>>,
    pub max_distance_at_fixed_step: f64,
    pub fixed_step: usize,
    /// e_n = (r_n + ρ) X: what one step may add to | d_{k+1} − |λ₃| d_k |, with
    /// ρ = 3γ₃(‖W‖_F + 2) for rounding and X the largest ‖x_k‖ of every iterate of every start.
    pub rate_allowance: f64,
    /// max over starts and steps of | d_{k+1} − |λ₃| d_k |, to be at most e_n.
    pub rate_error: f64,
    /// e = (r + ρ) X: how far one step may move an iterate's predicted limit.
    pub drift_allowance: f64,
    /// K: the step at which the iteration has converged, the first k at which
    /// (1 − |λ₃|) max d_k ≤ e; `None` when |λ₃| ≥ 1 (the distance does not shrink) or no such
    /// k comes within [`MAX_FLOW_STEPS`].
    pub converged_step: Option<usize>,
    /// max over starts of d_K.
    pub max_distance_at_convergence: f64,
    /// max over starts of ‖W^K x − L(x)‖.
    pub limit_error: f64,
    /// g (d_K + (K + 1) e) with g = ‖v‖/|1 − λ₃|: what r and rounding allow for it.
    pub limit_bound: f64,
}

/// L10: random combinations of the training items, through every trained network of the
/// grid. For an exact solution W v = v; for an approximate one ‖W v − v‖ = ‖(W − I) P v‖ ≤
/// r ‖v‖ with r the distance from the solution set, so the error is measured relative to
/// that bound.
pub(super) fn combination_error(
    x: &TrainingSet,
    xp: &TrainingSet,
    grid: &Grid,
    p: &Params,
    rng: &mut ChaCha8Rng,
) -> Result<f64> {
    let mut combination_error = 0.0_f64;
    for run in grid {
        let set = match run.set {
            SetId::X => x,
            SetId::XPrime => xp,
        };
        let w = run.trained.w.0.clone();
        let items = set.patterns.vectors();
        for _ in 0..(p.combinations / grid.len()).max(3) {
            let v =
                &items[0] * rng.random_range(-3.0..3.0) + &items[1] * rng.random_range(-3.0..3.0);
            let bound = run.trained.residual * v.norm();
            combination_error =
                combination_error.max(((&w * &v - &v).norm() - bound).max(0.0) / v.norm().max(1.0));
        }
    }
    Ok(combination_error)
}

/// The flow network's run in the grid: Adam on random pairs of X′ from U(0,1), the paper's
/// likely setting (L4).
const FLOW_RUN: (SetId, SetupId, PaperInit) =
    (SetId::XPrime, SetupId::AdamPairs, PaperInit::Uniform);

fn flow_params(p: &Params) -> TrainParams {
    let (set, setup, init) = FLOW_RUN;
    train_params(&setup.setup(p), init, run_seed(p, set, init))
}

/// The network of the flow field (Fig. 1, left): the linear network trained by Adam on
/// random pairs of X′ from U(0,1), the grid's run in that setting, with its seed. The
/// nonlinear chapter draws it beside the nonlinear flows of Fig. 1.
///
/// # Errors
/// Those of [`train::train`] for the chapter's learning rate and step count.
pub fn flow_network(p: &Params) -> Result<TrainResult> {
    train::train(&FLOW_RUN.0.patterns().vectors(), &flow_params(p))
}

/// Most steps the flow is iterated in search of convergence: a compute budget (125 starts ×
/// 10⁶ steps take a few seconds), reached only when |λ₃| is within ~3e-5 of 1, where the
/// stopping rule of [`flow`] needs about ln((1 − |λ₃|) d₀/e)/(1 − |λ₃|) steps. The flow
/// network's λ₃ is the untrained entry W₁₁ ~ U(0,1), so that happens for one seed in ~30 000.
pub const MAX_FLOW_STEPS: usize = 1_000_000;

/// γ₃ = 3u/(1 − 3u), u = 2⁻⁵³: Higham's bound on the relative rounding of an inner product of
/// length 3, |fl(aᵀb) − aᵀb| ≤ γ₃ |a|ᵀ|b|.
fn gamma3() -> f64 {
    let u = f64::EPSILON / 2.0;
    3.0 * u / (1.0 - 3.0 * u)
}

/// Iterate the flow network from a grid of starts in [0,1]³ and compare with its spectrum.
///
/// With α_k = n̂ᵀx_k and y_k = x_k − α_k n̂, one computed step x_{k+1} = fl(W x_k) gives
///
/// α_{k+1} − λ₃ α_k = n̂ᵀ(W − I) y_k + n̂ᵀ f_k,  ‖f_k‖ ≤ γ₃ ‖W‖_F ‖x_k‖,
///
/// and |n̂ᵀ(W − I) y_k| ≤ r_n ‖x_k‖. Measuring α_k, α_{k+1} and λ₃ adds a rounding of at most
/// γ₃(‖W‖_F + 2)‖x_k‖ each, so |d_{k+1} − |λ₃| d_k| ≤ e_n = (r_n + ρ) X with
/// ρ = 3γ₃(‖W‖_F + 2) and X the largest ‖x_k‖ of the run: the rate check.
///
/// The limit: L(x) = Q x with Q = I − v n̂ᵀ/(n̂ᵀv), an oblique projector of norm
/// g = ‖v‖/|n̂ᵀv| = ‖v‖/|1 − λ₃|. One step moves L by L(x_{k+1}) − L(x_k) = Q((W − I) y_k + f_k),
/// at most g e with e = (r + ρ) X (‖(W − I) y_k‖ ≤ r ‖x_k‖), and ‖x_K − L(x_K)‖ = g d_K, so
///
/// ‖x_K − L(x_0)‖ ≤ g (d_K + K e) (+ g e for evaluating L and the norm): the limit check.
///
/// K is where the iteration has converged: the first k at which (1 − |λ₃|) max d_k ≤ e (the
/// running e): from there the bound g (d_k + k e) no longer falls, since the next step would
/// bring the iterates closer to their limits by no more than r and rounding may move them.
/// For an exact solution (r = 0) this is where d_k reaches rounding level; for a trained
/// network it is where the remainder meets the slow drift within the plane that r causes.
/// |λ₃| ≥ 1 never converges. The figure's trajectories and distances are kept to
/// `p.flow_fixed_steps`.
pub(super) fn flow(xp: &TrainingSet, p: &Params) -> Result<Flow> {
    let trained = flow_network(p)?;
    let w = trained.weights();
    let described = xp.describe(&w);
    let (lambda3, residual) = (described.lambda3, described.residual);
    let eye = DMatrix::<f64>::identity(3, 3);
    let l3 = lambda3.abs();
    let unit = xp.normal.normalize();
    // The eigenvector of λ₃ for an exact solution: v = (W − I) n̂; L(x) = x − v (n̂ᵀx)/(n̂ᵀv).
    let v = (&w - &eye) * &unit;
    let normal_leak = ((&w - &eye).tr_mul(&unit) - &unit * unit.dot(&v)).norm();
    let nv = unit.dot(&v);
    let g = if nv.abs() > 0.0 {
        v.norm() / nv.abs()
    } else {
        f64::INFINITY
    };
    let round = 3.0 * gamma3() * (w.norm() + 2.0);
    let starts = crate::dynamics::grid(p.flow_grid, 0.0, 1.0, 3);
    let limits: Vec<_> = starts.iter().map(|s| s - &v * (unit.dot(s) / nv)).collect();
    let mut xs = starts.clone();
    let mut next = starts.clone();
    let mut trajectories: Vec<Vec<Vec<f64>>> = vec![Vec::new(); starts.len()];
    let mut plane_distance: Vec<Vec<f64>> = vec![Vec::new(); starts.len()];
    let mut d: Vec<f64> = xs.iter().map(|x| unit.dot(x).abs()).collect();
    let mut x_max = xs.iter().map(|x| x.norm()).fold(0.0, f64::max);
    let mut rate_error = 0.0_f64;
    let mut converged: Option<(usize, f64, f64)> = None;
    let mut k = 0;
    loop {
        for (i, x) in xs.iter().enumerate() {
            if k <= p.flow_steps {
                trajectories[i].push(x.iter().copied().collect());
            }
            if k <= p.flow_fixed_steps {
                plane_distance[i].push(d[i]);
            }
        }
        let d_max = d.iter().copied().fold(0.0, f64::max);
        let e = (residual + round) * x_max;
        if converged.is_none() && l3 < 1.0 && (1.0 - l3) * d_max <= e {
            let limit_error = xs
                .iter()
                .zip(&limits)
                .map(|(x, l)| (x - l).norm())
                .fold(0.0, f64::max);
            converged = Some((k, d_max, limit_error));
        }
        let done = converged.is_some() || l3 >= 1.0 || k >= MAX_FLOW_STEPS;
        if done && k >= p.flow_fixed_steps {
            break;
        }
        for ((x, y), dk) in xs.iter().zip(next.iter_mut()).zip(d.iter_mut()) {
            w.mul_to(x, y);
            let d_next = unit.dot(y).abs();
            rate_error = rate_error.max((d_next - l3 * *dk).abs());
            *dk = d_next;
            x_max = x_max.max(y.norm());
        }
        std::mem::swap(&mut xs, &mut next);
        k += 1;
    }
    let drift_allowance = (residual + round) * x_max;
    // Not converged: the last iterate stands in, so that the numbers say how far it got.
    let (converged_step, max_distance_at_convergence, limit_error, steps) = match converged {
        Some((kc, dk, le)) => (Some(kc), dk, le, kc),
        None => (
            None,
            d.iter().copied().fold(0.0, f64::max),
            xs.iter()
                .zip(&limits)
                .map(|(x, l)| (x - l).norm())
                .fold(0.0, f64::max),
            k,
        ),
    };
    let (set, setup, init) = FLOW_RUN;
    Ok(Flow {
        network: format!(
            "{} on {set} from init {init} (seed {})",
            setup.setup(p).label(),
            flow_params(p).seed
        ),
        w: trained.w,
        lambda3,
        residual,
        normal_leak,
        max_distance_at_fixed_step: plane_distance
            .iter()
            .filter_map(|d| d.last().copied())
            .fold(0.0, f64::max),
        trajectories,
        plane_distance,
        fixed_step: p.flow_fixed_steps,
        rate_allowance: (normal_leak + round) * x_max,
        rate_error,
        drift_allowance,
        converged_step,
        max_distance_at_convergence,
        limit_error,
        limit_bound: g * (max_distance_at_convergence + (steps as f64 + 1.0) * drift_allowance),
    })
}

/// Table 1's identity column: the loss of every pattern for the grid's SGD networks on X′
/// and for the flow network.
pub(super) fn table1(xp: &TrainingSet, grid: &Grid, flow: &Flow) -> Result<Vec<Table1Row>> {
    let nets: Vec<Network> = PaperInit::ALL
        .iter()
        .map(|&init| {
            let run = grid.get(SetId::XPrime, SetupId::SgdFull, init);
            Network::new(run.trained.w.0.clone(), Activation::Identity)
        })
        .collect::<Result<_>>()?;
    let flow_net = Network::new(flow.w.0.clone(), Activation::Identity)?;
    paper::TABLE1
        .iter()
        .map(|(pat, id, _, _)| {
            let pattern = Pattern::parse(pat)?;
            let v = pattern.to_vector();
            Ok(Table1Row {
                theory: xp.solution_set.in_span(&v).then_some(0.0),
                ours: ByInit::from_fn(|init| nets[init.index()].pattern_loss(&v)),
                flow_network: flow_net.pattern_loss(&v),
                printed: *id,
                pattern,
            })
        })
        .collect()
}
