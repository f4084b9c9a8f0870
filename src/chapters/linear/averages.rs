//! Averages of trained matrices over many seeds (L7).

use nalgebra::DMatrix;
use serde::Serialize;

use super::Params;
use super::coordinates::Ctx;
use super::grid::{Setup, train_one};
use crate::Result;
use crate::train::{Init, matrix_from_rows, matrix_rows};

/// The average of trained matrices over many seeds (L7).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Average {
    pub setup: String,
    pub init: String,
    pub seeds: usize,
    pub mean: Vec<Vec<f64>>,
    /// max |mean − prediction| with prediction = P + E\[W₀\](I − P) (GD) or P (Adam, none).
    pub distance_from_prediction: Option<f64>,
    pub mean_defect: f64,
    /// Distribution of the per-seed distance from invariance.
    pub defects: Vec<f64>,
    pub median_defect: f64,
    /// Standard error of the mean's entries, the scale of the expected deviation.
    pub max_standard_error: f64,
    /// Largest standard deviation of an entry across seeds.
    pub max_entry_std: f64,
    /// Fraction of seeds whose third eigenvalue has |λ₃| ≥ 1 (no plane attractor).
    pub unstable_fraction: f64,
    /// Seeds needed for the standard error to reach the paper's printed agreement.
    pub seeds_for_paper_precision: Option<f64>,
}

/// `stream` separates the seeds of different averages, so that no two share their draws.
pub(super) fn average(
    ctx: &Ctx,
    p: &Params,
    setup: &Setup,
    init: Init,
    seeds: usize,
    stream: u64,
) -> Result<Average> {
    let n = ctx.set.n();
    let mut sum = DMatrix::<f64>::zeros(n, n);
    let mut sum_sq = DMatrix::<f64>::zeros(n, n);
    let mut defects = Vec::with_capacity(seeds);
    let mut unstable = 0usize;
    for s in 0..seeds {
        let run = train_one(
            ctx,
            setup,
            init,
            p.seed
                .wrapping_mul(7919)
                .wrapping_add(stream.wrapping_mul(1_000_003))
                .wrapping_add(s as u64),
            "X",
        )?;
        let w = matrix_from_rows(&run.trained.w)?;
        sum_sq += w.component_mul(&w);
        sum += &w;
        defects.push(run.trained.defect);
        if run.trained.lambda3.abs() >= 1.0 {
            unstable += 1;
        }
    }
    let k = seeds as f64;
    let mean = &sum / k;
    let var = (&sum_sq / k) - mean.component_mul(&mean);
    let max_std = var.iter().map(|v| v.max(0.0).sqrt()).fold(0.0, f64::max);
    let max_se = max_std / k.sqrt();
    // The prediction uses the exact mean of the init distribution, not the sample mean.
    let exact_mean = match init {
        Init::Zeros => DMatrix::zeros(n, n),
        Init::Ones => DMatrix::from_element(n, n, 1.0),
        Init::Uniform { low, high } => DMatrix::from_element(n, n, 0.5 * (low + high)),
        Init::Normal { mean, .. } => DMatrix::from_element(n, n, mean),
    };
    let distance_from_prediction = setup
        .gradient_family
        .then(|| (&mean - ctx.sol.implicit_bias(&exact_mean)).amax());
    let mut sorted = defects.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(Average {
        setup: setup.label.clone(),
        init: init.label(),
        seeds,
        mean_defect: ctx.group.invariance_defect(&mean),
        mean: matrix_rows(&mean),
        distance_from_prediction,
        median_defect: sorted.get(sorted.len() / 2).copied().unwrap_or(0.0),
        defects,
        max_standard_error: max_se,
        max_entry_std: max_std,
        unstable_fraction: unstable as f64 / k,
        seeds_for_paper_precision: None,
    })
}
