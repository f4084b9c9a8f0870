//! §3.1, "The printed matrices" (L4): each trained matrix printed in §3.1.1 beside the
//! closest one we obtain, with the search for Adam's unstated settings; and the printed
//! random-initialisation examples, described in the paper's coordinates.

use nalgebra::DMatrix;
use serde::{Serialize, Serializer};

use super::Params;
use super::coordinates::{Described, SetId, TrainingSet};
use super::grid::{Grid, PaperInit, Run, Setup, SetupId, train_one};
use crate::maths::matrix::Matrix;
use crate::paper::{self, PrintedMatrix};
use crate::train::{Batching, Optimizer};
use crate::{Error, Result, seeds};

/// A printed matrix against the closest one we obtain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintedComparison {
    pub name: String,
    pub printed: Matrix,
    pub printed_described: Described,
    pub ours: Matrix,
    pub setting: String,
    /// max |printed − ours| over the entries
    pub distance: f64,
    /// How many settings were tried and how many came within `close` of the printed matrix.
    pub tried: usize,
    pub close: f64,
    pub within_close: usize,
}

/// The four trained matrices printed in §3.1.1 (all on X), each against ours. Serialised as
/// a list in the paper's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub w0_sgd: PrintedComparison,
    pub w0_adam: PrintedComparison,
    pub w1_sgd: PrintedComparison,
    pub w1_adam: PrintedComparison,
}

impl Printed {
    /// All four, in the paper's order: W0^SGD, W0^ADAM, W1^SGD, W1^ADAM.
    pub fn iter(&self) -> impl Iterator<Item = &PrintedComparison> {
        [&self.w0_sgd, &self.w0_adam, &self.w1_sgd, &self.w1_adam].into_iter()
    }

    /// The two SGD matrices, from W₀ = 0 and W₀ = 1.
    pub fn sgd(&self) -> [&PrintedComparison; 2] {
        [&self.w0_sgd, &self.w1_sgd]
    }

    /// The two Adam matrices, from W₀ = 0 and W₀ = 1.
    pub fn adam(&self) -> [&PrintedComparison; 2] {
        [&self.w0_adam, &self.w1_adam]
    }
}

impl Serialize for Printed {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The printed SGD matrices against the grid's SGD runs on X from W₀ = 0 and W₀ = 1; the
/// printed Adam matrices against the best of a search (W₀ = 0 and W₀ = 1 too).
pub(super) fn compare(p: &Params, x: &TrainingSet, grid: &Grid) -> Result<Printed> {
    let sgd = |init| grid.get(SetId::X, SetupId::SgdFull, init);
    Ok(Printed {
        w0_sgd: compare_gd(x, &paper::W0_SGD, sgd(PaperInit::Zeros))?,
        w0_adam: search_adam(x, p, &paper::W0_ADAM, PaperInit::Zeros)?,
        w1_sgd: compare_gd(x, &paper::W1_SGD, sgd(PaperInit::Ones))?,
        w1_adam: search_adam(x, p, &paper::W1_ADAM, PaperInit::Ones)?,
    })
}

/// The random-initialisation examples and the average printed in §3.1.1, in the paper's
/// coordinates on X.
pub(super) fn examples(x: &TrainingSet) -> Vec<(String, Described)> {
    [paper::WRND_SGD_1, paper::WRND_SGD_2, paper::E_WRND_SGD]
        .iter()
        .map(|m| (m.name.to_string(), x.describe(&printed_matrix(m))))
        .collect()
}

pub(super) fn printed_matrix(p: &PrintedMatrix) -> DMatrix<f64> {
    DMatrix::from_fn(3, 3, |i, j| p.rows[i][j])
}

fn max_abs_diff(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    (a - b).amax()
}

/// The search's name for a batch scheme: [`Batching::label`], but single draws read better
/// as "single items".
fn search_label(batching: Batching) -> String {
    match batching {
        Batching::WithReplacement { batch_size: 1 } => {
            "single items drawn with replacement".to_string()
        }
        _ => batching.label(),
    }
}

/// Search Adam's unstated settings for the printed Adam matrices (L4).
fn search_adam(
    x: &TrainingSet,
    p: &Params,
    printed: &PrintedMatrix,
    init: PaperInit,
) -> Result<PrintedComparison> {
    let target = printed_matrix(printed);
    // Each batch scheme with the number of seeds it is tried with (one if it draws nothing).
    let batchings = [
        (Batching::Full, 1),
        (Batching::Online { shuffle: false }, 1),
        (Batching::Online { shuffle: true }, p.search_seeds),
        (Batching::WithReplacement { batch_size: 1 }, p.search_seeds),
        (Batching::WithReplacement { batch_size: 2 }, p.search_seeds),
    ];
    let close = 0.01;
    let mut best: Option<(f64, DMatrix<f64>, String)> = None;
    let mut tried = 0;
    let mut within = 0;
    for &lr in &p.search_lrs {
        // Enough steps for Adam to settle: about 30 / lr updates.
        let steps = ((30.0 / lr) as usize).clamp(1_000, 100_000);
        for (batching, draws) in batchings {
            for s in 0..draws {
                let setup = Setup::new(Optimizer::adam(lr), batching, steps);
                let seed = seeds::linear_search(p.seed, s);
                let run = train_one(x, &setup, init, seed)?;
                let w = run.trained.w.0.clone();
                let d = max_abs_diff(&w, &target);
                tried += 1;
                if d < close {
                    within += 1;
                }
                if best.as_ref().is_none_or(|b| d < b.0) {
                    let setting = format!(
                        "Adam, lr {lr}, {}, {steps} steps, init {init}{}",
                        search_label(batching),
                        if draws > 1 {
                            format!(", seed {seed}")
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
        printed: Matrix::from(&target),
        printed_described: x.describe(&target),
        ours: Matrix::from(&w),
        setting,
        distance,
        tried,
        close,
        within_close: within,
    })
}

fn compare_gd(x: &TrainingSet, printed: &PrintedMatrix, run: &Run) -> Result<PrintedComparison> {
    let target = printed_matrix(printed);
    let w = run.trained.w.0.clone();
    Ok(PrintedComparison {
        name: printed.name.to_string(),
        printed: Matrix::from(&target),
        printed_described: x.describe(&target),
        ours: run.trained.w.clone(),
        setting: format!(
            "{} from init {} (any SGD set-up gives the same matrix)",
            run.setup.label(),
            run.init
        ),
        distance: max_abs_diff(&w, &target),
        tried: 1,
        close: 0.01,
        within_close: usize::from(max_abs_diff(&w, &target) < 0.01),
    })
}
