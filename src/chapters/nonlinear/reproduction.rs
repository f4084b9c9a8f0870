//! §3.2.1, Table 1 reproduced: the untrained first column the x₁ = 1 entries record,
//! inferred back from the print; the tanh and sigmoid columns trained forward with it, over
//! several draws of the other columns; and the table traced along training (N3, N5's window).

use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::grid::{
    PaperInit, Setup, TrainingData, first_column_defect, table_losses, train_params,
};
use super::printed_column;
use super::{ActivationKind, Params};
use crate::maths::matrix::Matrix;
use crate::maths::solve::levenberg_marquardt;
use crate::network::{Activation, Network};
use crate::paper;
use crate::pattern::Pattern;
use crate::seeds;
use crate::train::{self, TrainParams, TrainResult};
use crate::{Error, Result};

/// One draw of the initial W in the reproduction of a Table 1 column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Draw {
    pub seed: u64,
    /// The first column inferred from the printed x₁ = 1 entries, given this draw's trained
    /// other columns, and the largest residual of the four equations.
    pub first_column: [f64; 3],
    pub fit_residual: f64,
    /// The eight losses with that column, max |ours − printed| and how many print equal.
    pub table: Vec<f64>,
    pub max_diff: f64,
    pub matching: usize,
}

/// One snapshot of the training trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TracePoint {
    pub step: usize,
    /// W₂₂ and W₃₃ (for tanh with c = 0: the eigenvalues of the Jacobian at the origin).
    pub diag: (f64, f64),
    pub max_diff: f64,
    pub matching: usize,
}

/// The reproduction of one Table 1 column.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reproduction {
    pub activation: ActivationKind,
    pub c: f64,
    pub setting: String,
    pub lr: f64,
    pub steps: usize,
    pub draws: Vec<Draw>,
    /// Index of the draw shown.
    pub best: usize,
    pub draws_all_matching: usize,
    pub initial_w: Matrix,
    pub w: Matrix,
    pub first_column: [f64; 3],
    /// max |W(trained from the init with the inferred column) − W(trained, column replaced)|:
    /// zero because no update touches the first column.
    pub column_independence: f64,
    /// |w − e₁|²/3: what an identity network with the same first column has at x₁ = 1; and
    /// its range when the printed entries are moved within their rounding (±half a unit in
    /// the fourth decimal, `rounding_samples` random draws) before inferring w.
    pub identity_loss: f64,
    pub identity_loss_range: (f64, f64),
    pub defect: f64,
    pub first_column_defect: f64,
    pub table: Vec<f64>,
    pub max_diff: f64,
    pub matching: usize,
    pub trace: Vec<TracePoint>,
    /// First and last traced step at which all eight entries print as in the paper.
    pub window: Option<(usize, usize)>,
    /// The diagonal W₂₂, W₃₃ over that window (min, max).
    pub window_diag: Option<(f64, f64)>,
}

/// Does `ours` print as `printed` with the paper's four decimals?
fn prints_as(ours: f64, printed: f64) -> bool {
    let scale = 10f64.powi(paper::PRINTED_DECIMALS);
    (ours * scale).round() == (printed * scale).round()
}

pub(super) fn compare(table: &[f64], printed: &[f64]) -> (f64, usize) {
    let max_diff = table
        .iter()
        .zip(printed)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let matching = table
        .iter()
        .zip(printed)
        .filter(|(a, b)| prints_as(**a, **b))
        .count();
    (max_diff, matching)
}

// ANCHOR: infer_first_column
/// Infer the first column w of a network trained on X' from the printed losses of the four
/// patterns with x₁ = 1. No item of X' has x₁ = 1, so no update ever touches that column: it
/// is the initial draw, and with the trained columns z_p = W p − W e₁ fixed the losses are
///
///   L_p(w) = (1/N) Σ_i (φ(z_{p,i} + w_i) − p_i)²,
///
/// four equations for three unknowns, solved in the least-squares sense by Levenberg–Marquardt
/// from a few starts in [0, 1]³. Returns w and the largest |L_p(w) − printed_p|.
fn infer_first_column(
    w: &DMatrix<f64>,
    act: Activation,
    targets: &[(DVector<f64>, f64)],
) -> ([f64; 3], f64) {
    let n = w.nrows();
    let mut rest = w.clone();
    rest.column_mut(0).fill(0.0);
    let z: Vec<DVector<f64>> = targets.iter().map(|(x, _)| &rest * x).collect();
    let residuals = |v: &DVector<f64>| -> DVector<f64> {
        DVector::from_iterator(
            targets.len(),
            targets.iter().zip(&z).map(|((x, printed), zp)| {
                (0..n)
                    .map(|i| (act.apply(zp[i] + v[i]) - x[i]).powi(2))
                    .sum::<f64>()
                    / n as f64
                    - printed
            }),
        )
    };
    let jacobian = |v: &DVector<f64>| -> DMatrix<f64> {
        DMatrix::from_fn(targets.len(), n, |k, i| {
            let t = z[k][i] + v[i];
            let (y, dy) = act.value_and_slope(t);
            2.0 / n as f64 * (y - targets[k].0[i]) * dy
        })
    };
    let mut starts = vec![DVector::from_element(n, 0.5)];
    for corner in 0..(1usize << n) {
        starts.push(DVector::from_fn(n, |i, _| {
            if corner >> i & 1 == 1 { 0.75 } else { 0.25 }
        }));
    }
    let v = levenberg_marquardt(&residuals, &jacobian, &starts);
    let fit = residuals(&v).amax();
    ([v[0], v[1], v[2]], fit)
}
// ANCHOR_END: infer_first_column

fn with_first_column(w: &DMatrix<f64>, col: [f64; 3]) -> DMatrix<f64> {
    let mut out = w.clone();
    for (i, c) in col.iter().enumerate() {
        out[(i, 0)] = *c;
    }
    out
}

/// |w − e₁|²/3: the loss at x₁ = 1 of an identity network whose first column is w.
fn identity_loss(w: [f64; 3]) -> f64 {
    ((w[0] - 1.0).powi(2) + w[1].powi(2) + w[2].powi(2)) / 3.0
}

/// The printed entries with x₁ = 1, as (pattern vector, printed loss): what the first column
/// is inferred from.
fn first_column_targets(patterns: &[Pattern], printed: &[f64]) -> Vec<(DVector<f64>, f64)> {
    patterns
        .iter()
        .zip(printed)
        .filter(|(pat, _)| pat.bits().first() == Some(&1))
        .map(|(pat, &v)| (pat.to_vector(), v))
        .collect()
}

/// Reproduce one Table 1 column: train `table_draws` networks by SGD from U(0,1), infer each
/// one's first column from the printed entries, keep the draw closest to the print, retrain it
/// from the init with that column, and trace the table along training.
pub(super) fn reproduce(
    p: &Params,
    kind: ActivationKind,
    data: &TrainingData,
) -> Result<Reproduction> {
    let act = p.activation(kind);
    let (xp, group, patterns) = (&data.xp, &data.gxp, &data.patterns);
    let printed = printed_column(kind);
    let (lr, steps) = p.sgd(act);
    let targets = first_column_targets(patterns, &printed);
    let (draws, trained) = draw_columns(p, kind, data, &targets, &printed)?;
    let best = draws
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.max_diff.total_cmp(&b.1.max_diff))
        .map(|(k, _)| k)
        .ok_or_else(|| {
            Error::invalid(
                "table_draws",
                p.table_draws,
                "the reproduction needs at least one draw",
            )
        })?;
    let (tp, result) = &trained[best];
    let col = draws[best].first_column;
    // Train again from the initial W with the inferred first column: the honest forward run.
    let w0 = with_first_column(&result.initial_w.0.clone(), col);
    let forward = train::train_from(&xp.vectors(), w0.clone(), tp)?;
    let w = forward.weights();
    let column_independence = (&w - with_first_column(&result.weights(), col)).amax();
    let range = rounding_range(p, kind, &result.weights(), &targets, col);
    let net = Network::new(w.clone(), act)?;
    let table = table_losses(&net, patterns);
    let (max_diff, matching) = compare(&table, &printed);
    let trace = training_trace(p, steps, tp, xp.vectors(), w0.clone(), patterns, &printed)?;
    let (window, window_diag) = print_window(&trace, patterns.len());
    Ok(Reproduction {
        activation: kind,
        c: match act {
            Activation::Tanh { c } | Activation::Sigmoid { c } => c,
            Activation::Identity => 0.0,
        },
        setting: format!(
            "{}, learning rate {lr}, {steps} steps, from {} with the inferred first column",
            Setup::SgdFullBatch.label(),
            PaperInit::Uniform.init().label()
        ),
        lr,
        steps,
        draws_all_matching: draws
            .iter()
            .filter(|d| d.matching == patterns.len())
            .count(),
        draws,
        best,
        initial_w: Matrix::from(&w0),
        w: Matrix::from(&w),
        first_column: col,
        column_independence,
        identity_loss: identity_loss(col),
        identity_loss_range: range,
        defect: group.invariance_defect(&w),
        first_column_defect: first_column_defect(group, &w),
        table,
        max_diff,
        matching,
        trace,
        window,
        window_diag,
    })
}

/// The settings and result of one draw's training run.
type TrainedDraw = (TrainParams, TrainResult);

/// `table_draws` networks trained by SGD from U(0,1) on X', each with its first column
/// inferred from `targets` and its table against `printed`; and the runs themselves.
fn draw_columns(
    p: &Params,
    kind: ActivationKind,
    data: &TrainingData,
    targets: &[(DVector<f64>, f64)],
    printed: &[f64],
) -> Result<(Vec<Draw>, Vec<TrainedDraw>)> {
    let act = p.activation(kind);
    let mut draws = Vec::new();
    let mut trained = Vec::new();
    for k in 0..p.table_draws {
        let seed = seeds::nonlinear_table_draw(p.seed, kind.index(), k);
        let tp = train_params(p, act, Setup::SgdFullBatch, PaperInit::Uniform.init(), seed);
        let result = train::train(&data.xp.vectors(), &tp)?;
        let w = result.weights();
        let (col, fit) = infer_first_column(&w, act, targets);
        let net = Network::new(with_first_column(&w, col), act)?;
        let table = table_losses(&net, &data.patterns);
        let (max_diff, matching) = compare(&table, printed);
        draws.push(Draw {
            seed,
            first_column: col,
            fit_residual: fit,
            table,
            max_diff,
            matching,
        });
        trained.push((tp, result));
    }
    Ok((draws, trained))
}

/// The range of |w − e₁|²/3 (starting from the inferred `col`'s) when the printed entries are
/// moved within their rounding before w is inferred from the trained `w`.
fn rounding_range(
    p: &Params,
    kind: ActivationKind,
    w: &DMatrix<f64>,
    targets: &[(DVector<f64>, f64)],
    col: [f64; 3],
) -> (f64, f64) {
    let act = p.activation(kind);
    let mut range = (identity_loss(col), identity_loss(col));
    let mut rng = ChaCha8Rng::seed_from_u64(seeds::nonlinear_rounding(p.seed, kind.index()));
    let half = paper::rounding_tolerance();
    for _ in 0..p.rounding_samples {
        let moved: Vec<(DVector<f64>, f64)> = targets
            .iter()
            .map(|(x, v)| (x.clone(), v + rng.random_range(-half..half)))
            .collect();
        let (c, _) = infer_first_column(w, act, &moved);
        range = (range.0.min(identity_loss(c)), range.1.max(identity_loss(c)));
    }
    range
}

/// The table every `trace_every` steps of the run `tp` from `start`, up to `trace_factor` ×
/// `steps`. Full-batch SGD has no state and draws nothing, so chunks of a run are the run.
fn training_trace(
    p: &Params,
    steps: usize,
    tp: &TrainParams,
    items: Vec<DVector<f64>>,
    start: DMatrix<f64>,
    patterns: &[Pattern],
    printed: &[f64],
) -> Result<Vec<TracePoint>> {
    let mut trace = Vec::new();
    let mut cur = start;
    let mut step = 0;
    let last = (steps as f64 * p.trace_factor) as usize;
    let every = p.trace_every.max(1);
    while step < last {
        let chunk = TrainParams {
            max_steps: every,
            record_every: every,
            ..tp.clone()
        };
        cur = train::train_from(&items, cur, &chunk)?.weights();
        step += every;
        let t = table_losses(&Network::new(cur.clone(), tp.activation)?, patterns);
        let (d, m) = compare(&t, printed);
        trace.push(TracePoint {
            step,
            diag: (cur[(1, 1)], cur[(2, 2)]),
            max_diff: d,
            matching: m,
        });
    }
    Ok(trace)
}

/// The first and last traced step at which all entries print as in the paper, and the range of
/// the diagonal over those steps (both `None` if there is no such step).
type PrintWindow = (Option<(usize, usize)>, Option<(f64, f64)>);

/// The [`PrintWindow`] of `trace`, where a step prints as in the paper if all `full` entries do.
fn print_window(trace: &[TracePoint], full: usize) -> PrintWindow {
    let inside: Vec<&TracePoint> = trace.iter().filter(|t| t.matching == full).collect();
    let window = inside
        .first()
        .zip(inside.last())
        .map(|(a, b)| (a.step, b.step));
    let window_diag = (!inside.is_empty()).then(|| {
        inside
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |acc, t| {
                (
                    acc.0.min(t.diag.0.min(t.diag.1)),
                    acc.1.max(t.diag.0.max(t.diag.1)),
                )
            })
    });
    (window, window_diag)
}
