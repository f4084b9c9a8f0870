//! The training grid: every optimiser set-up from every initialisation on both sets.

use nalgebra::DMatrix;
use serde::Serialize;

use super::{
    GD_LOSS_FLOOR, Params,
    coordinates::{Ctx, Described},
};
use crate::Result;
use crate::network::Activation;
use crate::train::{self, Batching, Init, Optimizer, TrainParams, matrix_from_rows};

/// One optimiser set-up of the training grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setup {
    pub label: String,
    pub optimizer: Optimizer,
    pub batching: Batching,
    pub steps: usize,
    /// Does the implicit-bias argument apply (every update a sum of (x − Wx) xᵀ)?
    pub gradient_family: bool,
}

/// The paper's initialisations.
pub fn inits() -> Vec<Init> {
    Init::paper()
}

/// The optimiser set-ups of the training grid.
pub fn setups(p: &Params) -> Vec<Setup> {
    let gd = |label: &str, optimizer, batching| Setup {
        label: label.to_string(),
        optimizer,
        batching,
        steps: p.gd_steps,
        gradient_family: true,
    };
    let sgd = Optimizer::Sgd { lr: p.sgd_lr };
    vec![
        gd(
            "delta rule, online",
            Optimizer::DeltaRule { lr: p.delta_lr },
            Batching::Online { shuffle: false },
        ),
        gd("SGD, full batch", sgd, Batching::Full),
        gd(
            "SGD, online in order",
            sgd,
            Batching::Online { shuffle: false },
        ),
        gd(
            "SGD, online shuffled",
            sgd,
            Batching::Online { shuffle: true },
        ),
        gd(
            "SGD, batches of 2 drawn with replacement",
            sgd,
            Batching::WithReplacement { batch_size: 2 },
        ),
        gd(
            "SGD + momentum, full batch",
            Optimizer::Momentum {
                lr: p.momentum_lr,
                momentum: p.momentum,
            },
            Batching::Full,
        ),
        Setup {
            label: "Adam, full batch".into(),
            optimizer: Optimizer::adam(p.adam_lr),
            batching: Batching::Full,
            steps: p.adam_steps,
            gradient_family: false,
        },
        Setup {
            label: "Adam, online in order".into(),
            optimizer: Optimizer::adam(p.adam_lr),
            batching: Batching::Online { shuffle: false },
            steps: p.adam_steps,
            gradient_family: false,
        },
        Setup {
            label: "Adam, batches of 2 drawn with replacement".into(),
            optimizer: Optimizer::adam(p.adam_lr),
            batching: Batching::WithReplacement { batch_size: 2 },
            steps: p.adam_steps,
            gradient_family: false,
        },
    ]
}

/// One trained network of the grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    pub set: String,
    pub setup: String,
    pub init: String,
    pub seed: u64,
    pub initial_w: Vec<Vec<f64>>,
    pub steps: usize,
    pub final_loss: f64,
    pub trained: Described,
    /// max |W − (P + W₀(I − P))| (entries): the implicit-bias prediction's error.
    pub prediction_error: f64,
    pub gradient_family: bool,
    /// ‖(W − W₀)(I − P)‖_F: how far training moved W off the row space of X.
    pub off_row_space: f64,
    /// Loss curve, thinned for the figure.
    pub loss_curve: Vec<(usize, f64)>,
}

pub(super) fn seed_for(base: u64, set: usize, init: usize) -> u64 {
    base.wrapping_mul(1_000_003)
        .wrapping_add((set as u64) * 100 + init as u64)
}

pub(super) fn thin(curve: &[(usize, f64)], keep: usize) -> Vec<(usize, f64)> {
    if curve.len() <= keep {
        return curve.to_vec();
    }
    let step = curve.len().div_ceil(keep);
    let mut out: Vec<(usize, f64)> = curve.iter().step_by(step).copied().collect();
    if let Some(last) = curve.last()
        && out.last() != Some(last)
    {
        out.push(*last);
    }
    out
}

// ANCHOR: train_one
/// Train one linear network on `ctx`'s set and describe it.
pub(super) fn train_one(
    ctx: &Ctx,
    setup: &Setup,
    init: Init,
    seed: u64,
    set_name: &str,
) -> Result<Run> {
    let params = TrainParams {
        activation: Activation::Identity,
        init,
        optimizer: setup.optimizer,
        batching: setup.batching,
        max_steps: setup.steps,
        // The gradient-descent family converges linearly to an exact solution: stop once the
        // loss is at rounding level. Adam keeps its step length near convergence, so it runs on.
        loss_threshold: setup.gradient_family.then_some(GD_LOSS_FLOOR),
        seed,
        record_every: (setup.steps / 400).max(1),
    };
    let result = train::train(&ctx.set.vectors(), &params)?;
    let w0 = matrix_from_rows(&result.initial_w)?;
    let w = result.weights();
    let predicted = ctx.sol.implicit_bias(&w0);
    let n = ctx.set.n();
    let off = (&w - &w0) * (DMatrix::identity(n, n) - ctx.sol.projector());
    Ok(Run {
        set: set_name.to_string(),
        setup: setup.label.clone(),
        init: init.label(),
        seed,
        initial_w: result.initial_w.clone(),
        steps: result.steps,
        final_loss: result.final_loss,
        trained: ctx.describe(&w),
        prediction_error: (&w - predicted).amax(),
        gradient_family: setup.gradient_family,
        off_row_space: off.norm(),
        loss_curve: thin(&result.loss_curve, 120),
    })
}
// ANCHOR_END: train_one
