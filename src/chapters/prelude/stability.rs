//! "Analytical prelude", stability is shared along an orbit (P4): a Σ-invariant sigmoid
//! network trained on X', its fixed points, their basins, and their images under the group.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::Params;
use crate::Result;
use crate::dynamics::{self, FixedPoint};
use crate::group::SymmetryGroup;
use crate::maths::matrix::Matrix;
use crate::network::Activation;
use crate::pattern::{Pattern, PatternSet};
use crate::seeds;
use crate::train::{self, Batching, Init, Optimizer, TrainParams};

/// P4: a fixed point of the example network and its partner under the group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrbitFixedPoint {
    pub point: FixedPoint,
    /// Index (into `fixed_points`) of s·x* for each s ∈ Σ, in the group's element order.
    pub images: Vec<Option<usize>>,
    /// Largest difference between this point's Jacobian spectrum and its images' spectra.
    pub spectrum_gap: f64,
    /// Moduli |λ| of the Jacobian's eigenvalues, largest first.
    pub moduli: Vec<f64>,
    /// Nearest binary pattern and the distance to it.
    pub nearest_pattern: Pattern,
    pub distance_to_pattern: f64,
    /// How many of the grid starts the iteration carries to this point.
    pub basin_count: usize,
}

/// P4: an invariant sigmoid network trained on X' and its fixed points.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StabilityExample {
    pub activation: Activation,
    pub lr: f64,
    pub steps: usize,
    pub final_loss: f64,
    pub w: Matrix,
    pub defect: f64,
    pub fixed_points: Vec<OrbitFixedPoint>,
    /// Largest distance between a Newton fixed point and where iteration (500 steps) ends.
    pub newton_vs_iteration: f64,
    /// Trajectories of the grid starts (8 iterations each), for the figure.
    pub trajectories: Vec<Vec<Vec<f64>>>,
}

/// P4: a sigmoid network trained on `set` from W = 0 (so Σ-invariant), its fixed points, and
/// whether the images s·x* of each are fixed points with the same spectrum.
pub(super) fn orbit_stability_example(
    params: &Params,
    set: &PatternSet,
    group: &SymmetryGroup,
) -> Result<StabilityExample> {
    let n = set.n();
    let activation = Activation::Sigmoid {
        c: params.p4_sigmoid_c,
    };
    // Full-batch gradient descent from W = 0: the start is invariant and the gradient of an
    // invariant network is invariant, so every iterate stays invariant (up to rounding).
    let trained = train::train_from(
        &set.vectors(),
        DMatrix::zeros(n, n),
        &TrainParams {
            activation,
            init: Init::Zeros,
            optimizer: Optimizer::Sgd { lr: params.p4_lr },
            batching: Batching::Full,
            max_steps: params.p4_steps,
            loss_threshold: None,
            seed: seeds::chapter(params.seed),
            record_every: params.p4_steps.max(1),
        },
    )?;
    let net = trained.network(activation);
    let starts = dynamics::grid(params.p4_grid, 0.0, 1.0, n);
    let mut search = starts.clone();
    search.extend(set.vectors());
    let fps = dynamics::fixed_points(&net, &search, 1e-12, 100);
    let vectors: Vec<DVector<f64>> = fps.iter().map(|f| DVector::from_vec(f.x.clone())).collect();

    // Where does plain iteration take each grid start? (basins, and Newton vs iteration)
    let mut basin = vec![0usize; fps.len()];
    let mut newton_vs_iteration = 0.0_f64;
    for s in &starts {
        let end = dynamics::iterate(&net, s, 500)
            .pop()
            .unwrap_or_else(|| s.clone());
        if let Some((k, d)) = vectors
            .iter()
            .enumerate()
            .map(|(k, v)| (k, (v - &end).norm()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            && d < 1e-6
        {
            basin[k] += 1;
            newton_vs_iteration = newton_vs_iteration.max(d);
        }
    }

    let mut out = Vec::new();
    for (k, fp) in fps.iter().enumerate() {
        let mut images = Vec::new();
        let mut gap = 0.0_f64;
        for s in group.elements() {
            let image = s.act_on_vector(&vectors[k]);
            let j = vectors.iter().position(|v| (v - &image).norm() < 1e-8);
            if let Some(j) = j {
                for (a, b) in fp.eigenvalues.iter().zip(&fps[j].eigenvalues) {
                    gap = gap.max(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
                }
            } else {
                gap = f64::INFINITY;
            }
            images.push(j);
        }
        let (nearest, dist) = Pattern::nearest(&fp.x)?;
        out.push(OrbitFixedPoint {
            point: fp.clone(),
            images,
            spectrum_gap: gap,
            moduli: fp
                .eigenvalues
                .iter()
                .map(|(re, im)| libm::hypot(*re, *im))
                .collect(),
            nearest_pattern: nearest,
            distance_to_pattern: dist,
            basin_count: basin[k],
        });
    }
    let trajectories = dynamics::flow_field(&net, &starts, 8)
        .into_iter()
        .map(|t| t.into_iter().map(|v| v.iter().copied().collect()).collect())
        .collect();
    Ok(StabilityExample {
        activation,
        lr: params.p4_lr,
        steps: trained.steps,
        final_loss: trained.final_loss,
        defect: group.invariance_defect(&trained.weights()),
        w: Matrix::from(&trained.weights()),
        fixed_points: out,
        newton_vs_iteration,
        trajectories,
    })
}
