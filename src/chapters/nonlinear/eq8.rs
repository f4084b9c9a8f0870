//! §3.2.1, eq. 8: the paper's nonlinear solutions W_ab + W_c. The printed W_c against
//! Σ-invariance and against training (its loss does not depend on W_ab, and is far above what
//! training reaches), the equation it does satisfy (φ in place of φ⁻¹), and the corrected
//! statement W_ab + W_c(t) for targets t inside the range of φ, with the trained networks read
//! in its terms (N1).

use nalgebra::{DMatrix, DVector};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::grid::{Grid, PaperInit, Setup, TrainingData, TrainingSet};
use super::{ActivationKind, Params};
use crate::Result;
use crate::group::SymmetryGroup;
use crate::linear::SolutionSet;
use crate::maths::matrix::Matrix;
use crate::maths::solve::median;
use crate::network::{Activation, Network};
use crate::paper;
use crate::pattern::PatternSet;

/// Loss of W_ab + W_c on one training set over random invariant linear solutions W_ab.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Eq8Loss {
    pub activation: ActivationKind,
    pub set: TrainingSet,
    pub min: f64,
    pub max: f64,
    /// The median final training loss of our SGD runs with that activation on that set (the
    /// median, not the largest: one run from a bad start may stall, which says nothing about
    /// whether W_ab + W_c solves the task).
    pub trained: f64,
}

/// The corrected eq. 8 for one activation and set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Corrected {
    pub activation: ActivationKind,
    pub set: TrainingSet,
    /// Targets t₀ (for 0) and t₁ (for 1), and the pre-activations g = φ⁻¹(t).
    pub targets: (f64, f64),
    pub levels: (f64, f64),
    /// W_c(t) = (g₁ − g₀ − 1) I + g₀ 𝟙uᵀ.
    pub wc: Matrix,
    /// max |φ(Wx) − t(x)| over the items and random members W_ab, and the largest
    /// distance from invariance of W_ab + W_c(t).
    pub residual: f64,
    pub defect: f64,
}

/// A trained network on X' against the corrected family: its trained columns should read
/// g₀ 𝟙 + (g₁ − g₀) e_j.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormFit {
    pub activation: ActivationKind,
    pub init: PaperInit,
    pub levels: (f64, f64),
    pub targets: (f64, f64),
    pub residual: f64,
}

/// Eq. 8 and its corrected reading.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Eq8 {
    pub tanh_c: f64,
    pub sigmoid_c: f64,
    /// The printed W_c at the chapter's c.
    pub wc_tanh: Matrix,
    pub wc_sigmoid: Matrix,
    pub defect_tanh: f64,
    pub defect_sigmoid: f64,
    pub losses: Vec<Eq8Loss>,
    /// W_c^φ = [[p₁−1,0,0],[p₀,p₁−p₀−1,0],[p₀,0,p₁−p₀−1]] with p = φ(0), φ(1): the matrix for
    /// which W_ab + W_c^φ maps every x ∈ X to φ(x).
    pub pattern_tanh: Matrix,
    pub pattern_sigmoid: Matrix,
    pub pattern_error: f64,
    /// 1-based entries where the printed W_c differs from W_c^φ.
    pub mismatch_tanh: Vec<(usize, usize)>,
    pub mismatch_sigmoid: Vec<(usize, usize)>,
    /// At c = probe_c: entries of the printed tanh W_c that differ from W_c^φ for
    /// φ = tanh(z + c) and for φ = tanh(z − c).
    pub probe_c: f64,
    pub probe_mismatch_plus: Vec<(usize, usize)>,
    pub probe_mismatch_minus: Vec<(usize, usize)>,
    pub corrected: Vec<Corrected>,
    /// max |W_c(t) − W_c^φ with φ(0), φ(1) replaced by g₀, g₁| over the corrected terms on X:
    /// the corrected eq. 8 is the printed pattern with φ⁻¹(t) in place of φ.
    pub corrected_is_pattern: f64,
    pub fits: Vec<FormFit>,
}

/// Random Σ-invariant solutions of the linear task Wx = x on `set` (eq. 6 is exactly this
/// family): symmetrise P + V(I − P) with V random. The average over Σ of solutions is a
/// solution, since s·W maps s·x to s·(Wx) and Σ maps X onto itself.
fn invariant_solutions(
    set: &PatternSet,
    group: &SymmetryGroup,
    k: usize,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<DMatrix<f64>>> {
    let sol = SolutionSet::new(set, group)?;
    let n = set.n();
    let p = sol.projector().clone();
    let q = DMatrix::identity(n, n) - &p;
    Ok((0..k)
        .map(|_| {
            let v = DMatrix::from_fn(n, n, |_, _| rng.random_range(-3.0..3.0));
            group.symmetrize(&(&p + v * &q))
        })
        .collect())
}

/// The 3×3 matrix with rows `m`.
fn matrix_3x3(m: [[f64; 3]; 3]) -> DMatrix<f64> {
    DMatrix::from_fn(3, 3, |i, j| m[i][j])
}

/// W_c^φ with p₀ = φ(0), p₁ = φ(1).
fn pattern_wc(p0: f64, p1: f64) -> DMatrix<f64> {
    let d = p1 - p0 - 1.0;
    matrix_3x3([[p1 - 1.0, 0.0, 0.0], [p0, d, 0.0], [p0, 0.0, d]])
}

fn mismatches(a: &DMatrix<f64>, b: &DMatrix<f64>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..a.nrows() {
        for j in 0..a.ncols() {
            if (a[(i, j)] - b[(i, j)]).abs() > 1e-12 {
                out.push((i + 1, j + 1));
            }
        }
    }
    out
}

/// φ⁻¹(y) for y inside the range of φ.
fn inverse(act: Activation, y: f64) -> f64 {
    match act {
        Activation::Identity => y,
        Activation::Tanh { c } => y.atanh() + c,
        Activation::Sigmoid { c } => libm::log(y / (1.0 - y)) / c,
    }
}

// ANCHOR: corrected_eq8
/// The corrected eq. 8. φ(Wx) = x has no finite solution (tanh never reaches 1, the sigmoid
/// neither 0 nor 1), so ask for targets inside the range: φ(Wx) = t(x) with 0 ↦ t₀, 1 ↦ t₁,
/// i.e. W x = g₀ 𝟙 + (g₁ − g₀) x with g = φ⁻¹(t). With u a vector with uᵀx = 1 on every item
/// and W_ab any linear solution (W_ab x = x),
///
///   W = W_ab + W_c(t),   W_c(t) = (g₁ − g₀ − 1) I + g₀ 𝟙 uᵀ,
///
/// gives W x = x + (g₁ − g₀ − 1) x + g₀ 𝟙 = g₀ 𝟙 + (g₁ − g₀) x. W_c(t) is Σ-invariant when u
/// is (u = e₁ for X, e₂ + e₃ for X').
fn corrected_wc(
    act: Activation,
    t: f64,
    u: &DVector<f64>,
) -> ((f64, f64), (f64, f64), DMatrix<f64>) {
    let targets = match act {
        Activation::Sigmoid { .. } => (1.0 - t, t),
        _ => (0.0, t),
    };
    let (g0, g1) = (inverse(act, targets.0), inverse(act, targets.1));
    let n = u.len();
    let wc =
        DMatrix::identity(n, n) * (g1 - g0 - 1.0) + DVector::from_element(n, g0) * u.transpose();
    (targets, (g0, g1), wc)
}
// ANCHOR_END: corrected_eq8

/// Eq. 8 and its corrected reading. Draws the random linear solutions W_ab from `rng`: first
/// those on X, then those on X'.
pub(super) fn eq8(
    p: &Params,
    data: &TrainingData,
    grid: &Grid,
    rng: &mut ChaCha8Rng,
) -> Result<Eq8> {
    let wc_t = matrix_3x3(paper::eq8_wc_tanh(p.tanh_c));
    let wc_s = matrix_3x3(paper::eq8_wc_sigmoid(p.sigmoid_c));
    let members = Members {
        x: invariant_solutions(&data.x, &data.gx, p.eq8_samples.max(2), rng)?,
        xp: invariant_solutions(&data.xp, &data.gxp, p.eq8_samples.max(2), rng)?,
    };
    let losses = printed_losses(p, data, grid, &members, [&wc_t, &wc_s])?;
    // What the printed W_c does satisfy (up to the entries listed): W_ab + W_c^φ maps x ↦ φ(x).
    let pat = |act: Activation| pattern_wc(act.apply(0.0), act.apply(1.0));
    let (pat_t, pat_s) = (pat(p.tanh()), pat(p.sigmoid()));
    let mut pattern_error = 0.0_f64;
    for (act, wc) in [(p.tanh(), &pat_t), (p.sigmoid(), &pat_s)] {
        for m in &members.x {
            for item in data.x.vectors() {
                let phi = item.map(|v| act.apply(v));
                pattern_error = pattern_error.max(((m + wc) * &item - phi).amax());
            }
        }
    }
    let probe = p.probe_c;
    let printed_probe = matrix_3x3(paper::eq8_wc_tanh(probe));
    let plus = |z: f64| crate::tanh::tanh(z + probe);
    let minus = Activation::Tanh { c: probe };
    let corrected = corrected_terms(p, data, &members)?;
    let corrected_is_pattern = corrected
        .iter()
        .filter(|c| c.set == TrainingSet::X)
        .map(|c| (&*c.wc - pattern_wc(c.levels.0, c.levels.1)).amax())
        .fold(0.0, f64::max);
    Ok(Eq8 {
        tanh_c: p.tanh_c,
        sigmoid_c: p.sigmoid_c,
        defect_tanh: data.gx.invariance_defect(&wc_t),
        defect_sigmoid: data.gx.invariance_defect(&wc_s),
        mismatch_tanh: mismatches(&wc_t, &pat_t),
        mismatch_sigmoid: mismatches(&wc_s, &pat_s),
        wc_tanh: Matrix::from(&wc_t),
        wc_sigmoid: Matrix::from(&wc_s),
        losses,
        pattern_tanh: Matrix::from(pat_t),
        pattern_sigmoid: Matrix::from(pat_s),
        pattern_error,
        probe_c: probe,
        probe_mismatch_plus: mismatches(&printed_probe, &pattern_wc(plus(0.0), plus(1.0))),
        probe_mismatch_minus: mismatches(
            &printed_probe,
            &pattern_wc(minus.apply(0.0), minus.apply(1.0)),
        ),
        corrected,
        corrected_is_pattern,
        fits: form_fits(p, grid)?,
    })
}

/// Random Σ-invariant linear solutions W_ab on X and on X'.
struct Members {
    x: Vec<DMatrix<f64>>,
    xp: Vec<DMatrix<f64>>,
}

impl Members {
    fn on(&self, set: TrainingSet) -> &[DMatrix<f64>] {
        match set {
            TrainingSet::X => &self.x,
            TrainingSet::XPrime => &self.xp,
        }
    }
}

/// The training loss of W_ab + W_c (printed W_c, `wc` = [tanh, sigmoid]) over the random
/// W_ab, per activation and set, beside the largest final loss of our SGD runs there.
fn printed_losses(
    p: &Params,
    data: &TrainingData,
    grid: &Grid,
    members: &Members,
    wc: [&DMatrix<f64>; 2],
) -> Result<Vec<Eq8Loss>> {
    let mut losses = Vec::new();
    for (kind, wc) in ActivationKind::ALL.into_iter().zip(wc) {
        let act = p.activation(kind);
        for set in TrainingSet::ALL {
            let items = data.set(set).0.vectors();
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for m in members.on(set) {
                let l = Network::new(m + wc, act)?.loss(&items);
                lo = lo.min(l);
                hi = hi.max(l);
            }
            let mut finals: Vec<f64> = grid
                .iter()
                .filter(|(k, _)| k.activation == kind && k.set == set && !k.setup.adam())
                .map(|(_, r)| r.final_loss)
                .collect();
            let trained = median(&mut finals);
            losses.push(Eq8Loss {
                activation: kind,
                set,
                min: lo,
                max: hi,
                trained,
            });
        }
    }
    Ok(losses)
}

/// The corrected eq. 8 at t = `target_t` for each activation and set, checked over the
/// random W_ab: how far φ(Wx) is from t(x), and how far W is from Σ-invariance.
fn corrected_terms(p: &Params, data: &TrainingData, members: &Members) -> Result<Vec<Corrected>> {
    let mut corrected = Vec::new();
    for kind in ActivationKind::ALL {
        let act = p.activation(kind);
        for set in TrainingSet::ALL {
            // u with uᵀx = 1 on every item: e₁ on X, e₂ + e₃ on X'.
            let u = match set {
                TrainingSet::X => DVector::from_vec(vec![1.0, 0.0, 0.0]),
                TrainingSet::XPrime => DVector::from_vec(vec![0.0, 1.0, 1.0]),
            };
            let (items, group) = data.set(set);
            let (targets, levels, wc) = corrected_wc(act, p.target_t, &u);
            let mut residual = 0.0_f64;
            let mut defect = 0.0_f64;
            for m in members.on(set) {
                let w = m + &wc;
                defect = defect.max(group.invariance_defect(&w));
                let net = Network::new(w, act)?;
                for item in items.vectors() {
                    let want = item.map(|v| if v > 0.5 { targets.1 } else { targets.0 });
                    residual = residual.max((net.forward(&item) - want).amax());
                }
            }
            corrected.push(Corrected {
                activation: kind,
                set,
                targets,
                levels,
                wc: Matrix::from(&wc),
                residual,
                defect,
            });
        }
    }
    Ok(corrected)
}

/// Trained networks on X' (SGD, full batch): do their trained columns have the corrected
/// form g₀ 𝟙 + (g₁ − g₀) e_j?
fn form_fits(p: &Params, grid: &Grid) -> Result<Vec<FormFit>> {
    let mut fits = Vec::new();
    for (key, r) in grid
        .iter()
        .filter(|(k, _)| k.set == TrainingSet::XPrime && k.setup == Setup::SgdFullBatch)
    {
        let w = r.w.0.clone();
        let g1 = 0.5 * (w[(1, 1)] + w[(2, 2)]);
        let g0 = 0.25 * (w[(0, 1)] + w[(0, 2)] + w[(1, 2)] + w[(2, 1)]);
        let mut residual = 0.0_f64;
        for i in 0..3 {
            for j in 1..3 {
                let want = if i == j { g1 } else { g0 };
                residual = residual.max((w[(i, j)] - want).abs());
            }
        }
        let act = p.activation(key.activation);
        fits.push(FormFit {
            activation: key.activation,
            init: key.init,
            levels: (g0, g1),
            targets: (act.apply(g0), act.apply(g1)),
            residual,
        });
    }
    Ok(fits)
}
