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
use crate::network::{Activation, Network};
use crate::paper;
use crate::pattern::Pattern;
use crate::train::{self, TrainParams, TrainResult, matrix_from_rows};

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

/// The flow field of Fig. 1 (left).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub network: String,
    pub w: Vec<Vec<f64>>,
    pub lambda3: f64,
    pub trajectories: Vec<Vec<Vec<f64>>>,
    /// Distance to the training plane at step k, for every start (rows = starts).
    pub plane_distance: Vec<Vec<f64>>,
    pub max_distance_at_fixed_step: f64,
    pub fixed_step: usize,
    /// max over starts of |W^k x − (limit predicted by the eigen-decomposition)|
    pub limit_error: f64,
    /// max over starts and steps of | d_k − |λ₃|^k d_0 |, d_k the distance to the plane: the
    /// normal component of W^k x is exactly λ₃^k times that of x.
    pub rate_error: f64,
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
        let w = matrix_from_rows(&run.trained.w)?;
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

/// The seed [`flow_network`] trains with.
pub fn flow_seed(p: &Params) -> u64 {
    flow_params(p).seed
}

/// Iterate the flow network from a grid of starts in [0,1]³ and compare with its spectrum.
pub(super) fn flow(xp: &TrainingSet, p: &Params) -> Result<Flow> {
    let trained = flow_network(p)?;
    let w = trained.weights();
    let lambda3 = xp.describe(&w).lambda3;
    let net = Network::new(w.clone(), Activation::Identity)?;
    let starts = crate::dynamics::grid(p.flow_grid, 0.0, 1.0, 3);
    let unit = xp.normal.normalize();
    let mut trajectories = Vec::new();
    let mut plane_distance = Vec::new();
    let mut max_fixed = 0.0_f64;
    let mut limit_error = 0.0_f64;
    let mut rate_error = 0.0_f64;
    let l3 = lambda3.abs();
    // The limit of W^k x when |λ₃| < 1: the projection onto the plane along the eigenvector
    // of λ₃ (here v = (W − I) n), i.e. x − v (nᵀx)/(nᵀv).
    let v = (&w - DMatrix::identity(3, 3)) * &unit;
    for s in &starts {
        let path = crate::dynamics::iterate(&net, s, p.flow_fixed_steps);
        let d: Vec<f64> = path.iter().map(|x| unit.dot(x).abs()).collect();
        for (k, dk) in d.iter().enumerate() {
            rate_error = rate_error.max((dk - l3.powi(k as i32) * d[0]).abs());
        }
        plane_distance.push(d);
        let end = path.last().cloned().unwrap_or_else(|| s.clone());
        max_fixed = max_fixed.max(unit.dot(&end).abs());
        if unit.dot(&v).abs() > 1e-12 {
            let limit = s - &v * (unit.dot(s) / unit.dot(&v));
            limit_error = limit_error.max((&end - limit).norm());
        }
        trajectories.push(
            path.iter()
                .take(p.flow_steps + 1)
                .map(|x| x.iter().copied().collect())
                .collect(),
        );
    }
    let (set, setup, init) = FLOW_RUN;
    Ok(Flow {
        network: format!(
            "{} on {set} from init {init} (seed {})",
            setup.setup(p).label(),
            flow_params(p).seed
        ),
        w: trained.w,
        lambda3,
        trajectories,
        plane_distance,
        max_distance_at_fixed_step: max_fixed,
        fixed_step: p.flow_fixed_steps,
        limit_error,
        rate_error,
    })
}

/// Table 1's identity column: the loss of every pattern for the grid's SGD networks on X′
/// and for the flow network.
pub(super) fn table1(xp: &TrainingSet, grid: &Grid, flow: &Flow) -> Result<Vec<Table1Row>> {
    let nets: Vec<Network> = PaperInit::ALL
        .iter()
        .map(|&init| {
            let run = grid.get(SetId::XPrime, SetupId::SgdFull, init);
            Network::new(matrix_from_rows(&run.trained.w)?, Activation::Identity)
        })
        .collect::<Result<_>>()?;
    let flow_net = Network::new(matrix_from_rows(&flow.w)?, Activation::Identity)?;
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
