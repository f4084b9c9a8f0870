//! The matrices printed in §3.1.1 against the closest we obtain (L4).

use nalgebra::DMatrix;
use serde::Serialize;

use super::Params;
use super::coordinates::{Ctx, Described};
use super::grid::{Run, Setup, train_one};
use crate::paper::PrintedMatrix;
use crate::train::{Batching, Init, Optimizer, matrix_from_rows, matrix_rows};
use crate::{Error, Result};

/// A printed matrix against the closest one we obtain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintedComparison {
    pub name: String,
    pub printed: Vec<Vec<f64>>,
    pub printed_described: Described,
    pub ours: Vec<Vec<f64>>,
    pub setting: String,
    /// max |printed − ours| over the entries
    pub distance: f64,
    /// How many settings were tried and how many came within `close` of the printed matrix.
    pub tried: usize,
    pub close: f64,
    pub within_close: usize,
}

pub(super) fn printed_matrix(p: &PrintedMatrix) -> DMatrix<f64> {
    DMatrix::from_fn(3, 3, |i, j| p.rows[i][j])
}

pub(super) fn max_abs_diff(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    (a - b).amax()
}

/// Search Adam's unstated settings for the printed Adam matrices (L4).
pub(super) fn search_adam(
    ctx: &Ctx,
    p: &Params,
    printed: &PrintedMatrix,
    init: Init,
) -> Result<PrintedComparison> {
    let target = printed_matrix(printed);
    let batchings = [
        (Batching::Full, "full batch", 1),
        (Batching::Online { shuffle: false }, "online in order", 1),
        (
            Batching::Online { shuffle: true },
            "online shuffled",
            p.search_seeds,
        ),
        (
            Batching::WithReplacement { batch_size: 1 },
            "single items drawn with replacement",
            p.search_seeds,
        ),
        (
            Batching::WithReplacement { batch_size: 2 },
            "batches of 2 drawn with replacement",
            p.search_seeds,
        ),
    ];
    let close = 0.01;
    let mut best: Option<(f64, DMatrix<f64>, String)> = None;
    let mut tried = 0;
    let mut within = 0;
    for &lr in &p.search_lrs {
        // Enough steps for Adam to settle: about 30 / lr updates.
        let steps = ((30.0 / lr) as usize).clamp(1_000, 100_000);
        for (batching, name, seeds) in batchings {
            for s in 0..seeds {
                let setup = Setup {
                    label: String::new(),
                    optimizer: Optimizer::adam(lr),
                    batching,
                    steps,
                    gradient_family: false,
                };
                let run = train_one(ctx, &setup, init, p.seed.wrapping_add(s as u64), "X")?;
                let w = matrix_from_rows(&run.trained.w)?;
                let d = max_abs_diff(&w, &target);
                tried += 1;
                if d < close {
                    within += 1;
                }
                if best.as_ref().is_none_or(|b| d < b.0) {
                    let setting = format!(
                        "Adam, lr {lr}, {name}, {steps} steps, init {}{}",
                        init.label(),
                        if seeds > 1 {
                            format!(", seed {}", p.seed.wrapping_add(s as u64))
                        } else {
                            String::new()
                        }
                    );
                    best = Some((d, w, setting));
                }
            }
        }
    }
    let (distance, w, setting) = best.ok_or_else(|| Error::InvalidParameter {
        name: "search_lrs".into(),
        value: "[]".into(),
        why: "the Adam search needs at least one learning rate".into(),
    })?;
    Ok(PrintedComparison {
        name: printed.name.to_string(),
        printed: matrix_rows(&target),
        printed_described: ctx.describe(&target),
        ours: matrix_rows(&w),
        setting,
        distance,
        tried,
        close,
        within_close: within,
    })
}

pub(super) fn compare_gd(
    ctx: &Ctx,
    printed: &PrintedMatrix,
    run: &Run,
) -> Result<PrintedComparison> {
    let target = printed_matrix(printed);
    let w = matrix_from_rows(&run.trained.w)?;
    Ok(PrintedComparison {
        name: printed.name.to_string(),
        printed: matrix_rows(&target),
        printed_described: ctx.describe(&target),
        ours: run.trained.w.clone(),
        setting: format!(
            "{} from init {} (any SGD set-up gives the same matrix)",
            run.setup, run.init
        ),
        distance: max_abs_diff(&w, &target),
        tried: 1,
        close: 0.01,
        within_close: usize::from(max_abs_diff(&w, &target) < 0.01),
    })
}
