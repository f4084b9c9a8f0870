//! "Beyond the paper", regularisation (D2): the four probes of generalisation off the training
//! items (span points, 0…0, Σx, the patterns no item reaches), and the sweep of the penalties
//! over λ for one activation, from shared initialisations. The penalised loss and its training
//! loop are maths, in [`crate::maths::penalty`].

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use super::Params;
use crate::Result;
use crate::maths::penalty::{ActivationFamily, Penalty, train_penalised};
use crate::pattern::{Pattern, PatternSet};

/// The penalties the paper names (L2, L1, firing rate), swept for both activations.
pub const PAPER_PENALTIES: [Penalty; 3] = [Penalty::L2, Penalty::L1, Penalty::FiringRate];

/// The loss of eq. 7 of one input against a target, (1/N) ‖φ(Wx) − t‖².
pub(super) fn loss_at(
    w: &DMatrix<f64>,
    phi: ActivationFamily,
    x: &DVector<f64>,
    target: &DVector<f64>,
) -> f64 {
    let z = w * x;
    let s: f64 = z
        .iter()
        .zip(target.iter())
        .map(|(zi, ti)| (phi.value_and_slope(*zi).0 - ti).powi(2))
        .sum();
    s / x.len() as f64
}

/// What a trained network does on the four kinds of input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Generalisation {
    /// Mean loss (eq. 7, no penalty) on the training items.
    pub train: f64,
    /// Mean loss on the span points that are not binary.
    pub span: f64,
    /// Loss on 0…0 and on the sum of the training items (011 for X').
    pub zero: f64,
    pub sum: f64,
    /// Mean loss on the patterns with a 1 where no training item has one (x₁ = 1 for X').
    pub outside: f64,
    /// ‖W‖_F, and the norm of the columns no training item reaches (column 1 for X').
    pub w_norm: f64,
    pub dead_norm: f64,
}

/// The probes of generalisation for a training set: span points, 0, Σx, outside patterns.
pub(super) struct Probes {
    pub(super) items: Vec<DVector<f64>>,
    pub(super) span: Vec<DVector<f64>>,
    pub(super) zero: DVector<f64>,
    pub(super) sum: DVector<f64>,
    pub(super) outside: Vec<DVector<f64>>,
    /// Indices j with x_j = 0 for every item: column j of W gets no data gradient.
    pub(super) dead: Vec<usize>,
}

impl Probes {
    /// The patterns with a 1 where no training item has one, as patterns (x₁ = 1 for X').
    pub(super) fn outside_patterns(&self) -> Result<Vec<Pattern>> {
        Ok(Pattern::all(self.zero.len())?
            .into_iter()
            .filter(|x| self.dead.iter().any(|&j| x.bits()[j] == 1))
            .collect())
    }
}

/// The probes of generalisation for `set`: the non-binary points of a `grid`×…×`grid` lattice
/// of coefficients on the items, 0…0, the sum of the items, and the patterns no item reaches.
pub(super) fn probes(set: &PatternSet, grid: usize) -> Result<Probes> {
    let items = set.vectors();
    let n = set.n();
    let dead: Vec<usize> = (0..n)
        .filter(|&j| items.iter().all(|x| x[j] == 0.0))
        .collect();
    // Span points Σ_k c_k x_k, c ∈ {0, 1/(grid−1), …, 1}^m, those that are binary left out
    // (they are 0, the items, their sums: probed separately).
    let m = items.len();
    let steps = grid.max(2);
    let mut span = Vec::new();
    for code in 0..steps.pow(m as u32) {
        let mut x = DVector::zeros(n);
        let mut c = code;
        for item in &items {
            x += item * ((c % steps) as f64 / (steps - 1) as f64);
            c /= steps;
        }
        if x.iter().any(|v| *v != 0.0 && *v != 1.0) {
            span.push(x);
        }
    }
    let sum = items.iter().fold(DVector::zeros(n), |a, x| a + x);
    let outside = Pattern::all(n)?
        .iter()
        .map(Pattern::to_vector)
        .filter(|x| dead.iter().any(|&j| x[j] == 1.0))
        .collect();
    Ok(Probes {
        items,
        span,
        zero: DVector::zeros(n),
        sum,
        outside,
        dead,
    })
}

/// The losses of W on the probes (eq. 7, no penalty), and its norms.
pub(super) fn generalisation(
    w: &DMatrix<f64>,
    phi: ActivationFamily,
    pr: &Probes,
) -> Generalisation {
    let mean = |xs: &[DVector<f64>]| {
        xs.iter().map(|x| loss_at(w, phi, x, x)).sum::<f64>() / xs.len().max(1) as f64
    };
    Generalisation {
        train: mean(&pr.items),
        span: mean(&pr.span),
        zero: loss_at(w, phi, &pr.zero, &pr.zero),
        sum: loss_at(w, phi, &pr.sum, &pr.sum),
        outside: mean(&pr.outside),
        w_norm: w.norm(),
        dead_norm: pr
            .dead
            .iter()
            .map(|&j| w.column(j).norm_squared())
            .sum::<f64>()
            .sqrt(),
    }
}

/// The mean over seeds, field by field.
pub(super) fn mean_of(gs: &[Generalisation]) -> Generalisation {
    let k = gs.len().max(1) as f64;
    let avg = |f: &dyn Fn(&Generalisation) -> f64| gs.iter().map(f).sum::<f64>() / k;
    Generalisation {
        train: avg(&|g| g.train),
        span: avg(&|g| g.span),
        zero: avg(&|g| g.zero),
        sum: avg(&|g| g.sum),
        outside: avg(&|g| g.outside),
        w_norm: avg(&|g| g.w_norm),
        dead_norm: avg(&|g| g.dead_norm),
    }
}

/// One point of the regularisation sweep: the mean over the seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegRow {
    pub penalty: Penalty,
    pub lambda: f64,
    pub mean: Generalisation,
    /// Span loss of the best and worst seed.
    pub span_min: f64,
    pub span_max: f64,
}

/// The sweep for one activation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegSweep {
    pub name: String,
    pub phi: ActivationFamily,
    pub lr: f64,
    /// λ = 0 first, then each penalty over `lambdas`.
    pub rows: Vec<RegRow>,
    /// Per penalty: the best mean span loss and {000, Σx} loss over λ > 0, relative to λ = 0.
    pub best: Vec<BestGain>,
}

/// How much a penalty helps at its best λ.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BestGain {
    pub penalty: Penalty,
    /// One of the penalties the paper names ([`PAPER_PENALTIES`]), which D2 is about.
    pub paper: bool,
    pub lambda: f64,
    pub span: f64,
    /// span(best λ) / span(λ = 0).
    pub span_ratio: f64,
    /// Best over λ of the mean loss on 0…0 and Σx, and its ratio to λ = 0.
    pub binary: f64,
    pub binary_ratio: f64,
    /// The training loss at the λ with the best span loss.
    pub train: f64,
}

/// The sweep for one activation: λ = 0, then every penalty at every λ of `p.lambdas`, each
/// from every initial matrix of `w0s`; and each penalty's best λ.
pub(super) fn reg_sweep(
    p: &Params,
    name: &str,
    phi: ActivationFamily,
    lr: f64,
    penalties: &[Penalty],
    pr: &Probes,
    w0s: &[DMatrix<f64>],
) -> RegSweep {
    let run = |penalty: Penalty, lambda: f64| {
        let gs: Vec<Generalisation> = w0s
            .iter()
            .map(|w0| {
                let w = train_penalised(w0.clone(), &pr.items, phi, penalty, lambda, lr, p.steps);
                generalisation(&w, phi, pr)
            })
            .collect();
        let spans = gs.iter().map(|g| g.span);
        RegRow {
            penalty,
            lambda,
            span_min: spans.clone().fold(f64::INFINITY, f64::min),
            span_max: spans.fold(0.0, f64::max),
            mean: mean_of(&gs),
        }
    };
    let mut rows = vec![run(Penalty::None, 0.0)];
    for &penalty in penalties {
        for &lambda in &p.lambdas {
            rows.push(run(penalty, lambda));
        }
    }
    let base = rows[0].mean.clone();
    let binary = |g: &Generalisation| 0.5 * (g.zero + g.sum);
    let best = penalties
        .iter()
        .filter_map(|&penalty| {
            let mine: Vec<&RegRow> = rows.iter().filter(|r| r.penalty == penalty).collect();
            let b = mine
                .iter()
                .min_by(|a, b| a.mean.span.total_cmp(&b.mean.span))?;
            let bin = mine
                .iter()
                .map(|r| binary(&r.mean))
                .fold(f64::INFINITY, f64::min);
            Some(BestGain {
                penalty,
                paper: PAPER_PENALTIES.contains(&penalty),
                lambda: b.lambda,
                span: b.mean.span,
                span_ratio: b.mean.span / base.span,
                binary: bin,
                binary_ratio: bin / binary(&base),
                train: b.mean.train,
            })
        })
        .collect();
    RegSweep {
        name: name.into(),
        phi,
        lr,
        rows,
        best,
    }
}
