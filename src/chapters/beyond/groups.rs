//! "Beyond the paper", other groups and sizes (D1) and the symmetry-adapted basis: many linear
//! networks trained from random starts on training sets whose symmetry groups are cyclic,
//! dihedral and full symmetric; how the solutions differ, and how their average approaches the
//! Σ-invariant projector onto span X.

use nalgebra::DMatrix;
use serde::Serialize;

use super::{Params, inits};
use crate::chapters::named_set::NamedSet;
use crate::group::{SymmetryGroup, symmetry_group};
use crate::linear::SolutionSet;
use crate::maths::matrix::Matrix;
use crate::maths::penalty::span_projector;
use crate::network::{Activation, Network};
use crate::pattern::PatternSet;
use crate::train::{self, Batching, Init, Optimizer, TrainParams};
use crate::{Result, seeds};

/// D1 on one training set: many linear networks from random starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupStudy {
    pub name: String,
    pub set: PatternSet,
    pub n: usize,
    pub group: SymmetryGroup,
    /// "cyclic", "dihedral", "symmetric" or "other", from the group's order and elements.
    pub kind: String,
    pub rank: usize,
    /// Dimension of the solution family N (N − rank) and of its Σ-invariant part.
    pub family_dimension: usize,
    pub invariant_family_dimension: usize,
    /// Largest training loss and distance from the solution set over all runs (GD and Adam).
    pub max_loss: f64,
    pub max_family_distance: f64,
    /// Largest ‖W_GD − (P + W₀(I − P))‖_F: gradient descent lands on the implicit-bias solution.
    pub max_implicit_bias_error: f64,
    /// Mean ‖W_r − W_s‖_F over pairs of GD runs (the solutions differ).
    pub spread: f64,
    /// Mean ‖W_GD − W_Adam‖_F from the same start (the algorithm matters).
    pub gd_vs_adam: f64,
    /// Mean over runs of the invariance defect max_s ‖W − s·W‖_F.
    pub defect_per_seed: f64,
    /// (number of seeds averaged, defect of the average), n = 1, 2, 4, ….
    pub defect_of_mean: Vec<(usize, f64)>,
    /// max |mean − P| over the entries, for the average of all GD runs: it tends to P, since
    /// E W = P + E[W₀](I − P) = P for a zero-mean init.
    pub mean_distance_from_projector: f64,
    /// Largest standard error of an entry of that average (the entries' standard deviation
    /// across runs over √runs): the scale of its expected distance from P.
    pub max_standard_error: f64,
    /// The average of all GD runs and its coefficients in the invariant basis (pair orbits).
    pub mean_w: Matrix,
    pub projector: Matrix,
    pub basis_form: String,
    pub coefficients: Vec<f64>,
    /// The coefficients of the projector P, the limit of the average.
    pub projector_coefficients: Vec<f64>,
}

fn group_kind(g: &SymmetryGroup) -> String {
    let n = g.n();
    let order = g.order();
    let factorial: usize = (1..=n).product();
    if order == factorial {
        return format!("symmetric S{n}");
    }
    // Cyclic: some element generates the whole group (its order is |Σ|).
    let element_order = |s: &crate::perm::Permutation| s.order();
    if g.elements().iter().any(|s| element_order(s) == order) {
        return format!("cyclic C{order}");
    }
    // Dihedral of order 2r: a cyclic subgroup of index 2 and every other element an involution.
    let r = order / 2;
    let has_rotation = g.elements().iter().any(|s| element_order(s) == r);
    let involutions = g
        .elements()
        .iter()
        .filter(|s| element_order(s) == 2)
        .count();
    if order.is_multiple_of(2) && r > 2 && has_rotation && involutions >= r {
        return format!("dihedral D{r}");
    }
    format!("order {order}")
}

/// D1 on every set of `p.group_sets`, in order.
pub(super) fn group_studies(p: &Params) -> Result<Vec<GroupStudy>> {
    p.group_sets.iter().map(|s| group_study(p, s)).collect()
}

// Shown whole in the book, where the study reads top to bottom; split, the listing would
// scatter over several excerpts. The one function in `chapters/` allowed past 100 lines.
#[allow(clippy::too_many_lines)]
// ANCHOR: group_study
fn group_study(p: &Params, spec: &NamedSet) -> Result<GroupStudy> {
    let set = PatternSet::parse(&spec.set)?;
    let n = set.n();
    let group = symmetry_group(&set)?;
    let solutions = SolutionSet::new(&set, &group)?;
    let items = set.vectors();
    let (projector, rank) = span_projector(&items, n);
    let eye = DMatrix::<f64>::identity(n, n);
    // Gradient descent from W₀ changes W only by rows in span X: it ends at P + W₀(I − P).
    let implicit_bias = |w0: &DMatrix<f64>| &projector + w0 * (&eye - &projector);
    let w0s = inits(p, n, p.group_seeds, p.group_std)?;
    let run = |w0: &DMatrix<f64>, optimizer, steps| -> Result<DMatrix<f64>> {
        let params = TrainParams {
            activation: Activation::Identity,
            init: Init::Zeros,
            optimizer,
            batching: Batching::Full,
            max_steps: steps,
            loss_threshold: Some(1e-28),
            seed: seeds::chapter(p.seed),
            record_every: steps.max(1),
        };
        Ok(train::train_from(&items, w0.clone(), &params)?.weights())
    };
    let gd = w0s
        .iter()
        .map(|w0| run(w0, Optimizer::Sgd { lr: p.group_lr }, p.group_steps))
        .collect::<Result<Vec<_>>>()?;
    let adam = w0s
        .iter()
        .take(p.adam_seeds)
        .map(|w0| run(w0, Optimizer::adam(p.adam_lr), p.adam_steps))
        .collect::<Result<Vec<_>>>()?;
    // Average of the first k runs for k = 1, 2, 4, …: its distance from invariance.
    let mut defect_of_mean = Vec::new();
    let mut sum = DMatrix::zeros(n, n);
    for (k, w) in gd.iter().enumerate() {
        sum += w;
        if (k + 1).is_power_of_two() || k + 1 == gd.len() {
            defect_of_mean.push((k + 1, group.invariance_defect(&(&sum / (k + 1) as f64))));
        }
    }
    let mean_w = sum / gd.len().max(1) as f64;
    let basis = group.invariant_basis();
    // The basis is orthogonal with 0/1 entries, so a coefficient is the mean over its orbit.
    let coefficients_of = |w: &DMatrix<f64>| -> Vec<f64> {
        basis
            .iter()
            .map(|b| w.component_mul(b).sum() / b.sum())
            .collect()
    };
    // ANCHOR_END: group_study
    let runs = gd.len().max(1) as f64;
    let max_standard_error = gd
        .iter()
        .fold(DMatrix::zeros(n, n), |acc, w| {
            acc + (w - &mean_w).map(|d| d * d)
        })
        .iter()
        .map(|ss| (ss / runs).sqrt())
        .fold(0.0, f64::max)
        / runs.sqrt();
    let net_loss = |w: &DMatrix<f64>| {
        Network {
            w: w.clone(),
            activation: Activation::Identity,
        }
        .loss(&items)
    };
    let all = gd.iter().chain(&adam);
    let max_loss = all.clone().map(net_loss).fold(0.0, f64::max);
    // Distance from the solution set {W : W P = P}: ‖(W − I) P‖_F.
    let max_family_distance = all
        .map(|w| ((w - &eye) * &projector).norm())
        .fold(0.0, f64::max);
    let max_implicit_bias_error = gd
        .iter()
        .zip(&w0s)
        .map(|(w, w0)| (w - implicit_bias(w0)).norm())
        .fold(0.0, f64::max);
    let gd_vs_adam = adam
        .iter()
        .zip(&gd)
        .map(|(a, g)| (a - g).norm())
        .sum::<f64>()
        / adam.len().max(1) as f64;
    let defect_per_seed =
        gd.iter().map(|w| group.invariance_defect(w)).sum::<f64>() / gd.len().max(1) as f64;
    Ok(GroupStudy {
        name: spec.name.clone(),
        n,
        kind: group_kind(&group),
        rank,
        family_dimension: n * (n - rank),
        invariant_family_dimension: solutions.invariant_dimension(),
        max_loss,
        max_family_distance,
        max_implicit_bias_error,
        spread: mean_pair_distance(&gd),
        gd_vs_adam,
        defect_per_seed,
        defect_of_mean,
        mean_distance_from_projector: (&mean_w - &projector).amax(),
        max_standard_error,
        coefficients: coefficients_of(&mean_w),
        projector_coefficients: coefficients_of(&projector),
        mean_w: Matrix::from(&mean_w),
        projector: Matrix::from(&projector),
        basis_form: group.invariant_form_string(),
        set,
        group,
    })
}

/// Mean ‖W_a − W_b‖_F over the pairs a < b of `ws` (0 for fewer than two).
fn mean_pair_distance(ws: &[DMatrix<f64>]) -> f64 {
    let (mut pair_sum, mut pairs) = (0.0, 0usize);
    for a in 0..ws.len() {
        for b in a + 1..ws.len() {
            pair_sum += (&ws[a] - &ws[b]).norm();
            pairs += 1;
        }
    }
    pair_sum / pairs.max(1) as f64
}
