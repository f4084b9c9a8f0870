//! §3.1, "Random initialisations and averages" (L7): means of trained matrices over many
//! seeds against E W∞ = P + E[W₀](I − P), and how far single seeds break the symmetry.

use nalgebra::DMatrix;
use serde::{Serialize, Serializer};

use super::Params;
use super::coordinates::TrainingSet;
use super::grid::{PaperInit, Setup, SetupId, setup_label, train_one};
use super::printed::printed_matrix;
use crate::maths::matrix::Matrix;
use crate::paper;
use crate::train::Init;
use crate::{Result, seeds};

/// The average of trained matrices over many seeds (L7).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Average {
    #[serde(serialize_with = "setup_label")]
    pub setup: Setup,
    pub init: PaperInit,
    pub seeds: usize,
    pub mean: Matrix,
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

/// The chapter's averages, all on X. Serialised as a list in the table's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Averages {
    /// SGD (full batch) from U(0,1), N(0,0.05) and N(0,1): the prediction applies.
    pub sgd_uniform: Average,
    pub sgd_small_normal: Average,
    pub sgd_normal: Average,
    /// Adam on random pairs from N(0,1), the paper's likely setting: no closed-form limit.
    pub adam_normal: Average,
}

impl Averages {
    /// The three SGD averages, one per random initialisation.
    pub fn sgd(&self) -> [&Average; 3] {
        [&self.sgd_uniform, &self.sgd_small_normal, &self.sgd_normal]
    }

    /// All four, in the table's order.
    pub fn iter(&self) -> impl Iterator<Item = &Average> {
        self.sgd().into_iter().chain([&self.adam_normal])
    }
}

impl Serialize for Averages {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// max |printed E Wrnd − P|: how close the paper's average is to the symmetric solution.
pub(super) fn printed_average_gap(x: &TrainingSet) -> f64 {
    (printed_matrix(&paper::E_WRND_SGD) - x.solution_set.projector()).amax()
}

/// Every average of the chapter. Each has its own stream of seeds: an SGD average the
/// initialisation's number, Adam's 99.
pub(super) fn measure(p: &Params, x: &TrainingSet, printed_average_gap: f64) -> Result<Averages> {
    let sgd_full = SetupId::SgdFull.setup(p);
    let sgd =
        |init: PaperInit| average(x, p, &sgd_full, init, p.average_seeds, init.index() as u64);
    let sgd_uniform = sgd(PaperInit::Uniform)?;
    let sgd_small_normal = sgd(PaperInit::SmallNormal)?;
    let mut sgd_normal = sgd(PaperInit::Normal)?;
    // How many seeds would the paper's average need? Its gap to P against our per-seed spread.
    sgd_normal.seeds_for_paper_precision =
        Some((sgd_normal.max_entry_std / printed_average_gap).powi(2));
    // Adam in the paper's (inferred) setting has no closed-form limit; its mean is measured.
    let adam_seeds = (p.average_seeds / 10).max(10);
    let adam_pairs = SetupId::AdamPairs.setup(p);
    let adam_normal = average(x, p, &adam_pairs, PaperInit::Normal, adam_seeds, 99)?;
    Ok(Averages {
        sgd_uniform,
        sgd_small_normal,
        sgd_normal,
        adam_normal,
    })
}

/// The mean of `count` runs of `setup` from `init` on X; `stream` separates the seeds of
/// different averages, so that no two share their draws.
fn average(
    x: &TrainingSet,
    p: &Params,
    setup: &Setup,
    init: PaperInit,
    count: usize,
    stream: u64,
) -> Result<Average> {
    let n = x.patterns.n();
    let mut sum = DMatrix::<f64>::zeros(n, n);
    let mut sum_sq = DMatrix::<f64>::zeros(n, n);
    let mut defects = Vec::with_capacity(count);
    let mut unstable = 0usize;
    for s in 0..count {
        let run = train_one(x, setup, init, seeds::linear_average(p.seed, stream, s))?;
        let w = run.trained.w.0.clone();
        sum_sq += w.component_mul(&w);
        sum += &w;
        defects.push(run.trained.defect);
        if run.trained.lambda3.abs() >= 1.0 {
            unstable += 1;
        }
    }
    let k = count as f64;
    let mean = &sum / k;
    let var = (&sum_sq / k) - mean.component_mul(&mean);
    let max_std = var.iter().map(|v| v.max(0.0).sqrt()).fold(0.0, f64::max);
    let max_se = max_std / k.sqrt();
    // The prediction uses the exact mean of the init distribution, not the sample mean.
    let exact_mean = match init.init() {
        Init::Zeros => DMatrix::zeros(n, n),
        Init::Ones => DMatrix::from_element(n, n, 1.0),
        Init::Uniform { low, high } => DMatrix::from_element(n, n, 0.5 * (low + high)),
        Init::Normal { mean, .. } => DMatrix::from_element(n, n, mean),
    };
    let distance_from_prediction = setup
        .gradient_family
        .then(|| (&mean - x.solution_set.implicit_bias(&exact_mean)).amax());
    let mut sorted = defects.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(Average {
        setup: *setup,
        init,
        seeds: count,
        mean_defect: x.group.invariance_defect(&mean),
        mean: Matrix::from(&mean),
        distance_from_prediction,
        median_defect: sorted.get(sorted.len() / 2).copied().unwrap_or(0.0),
        defects,
        max_standard_error: max_se,
        max_entry_std: max_std,
        unstable_fraction: unstable as f64 / k,
        seeds_for_paper_precision: None,
    })
}
