//! Penalised training of a network `y = φ(Wx)` (paper §4, the discussion's claim that L1, L2
//! or firing-rate regularisation would help tanh networks generalise but not sigmoid ones).
//! The paper's training code has no penalty term, so this module brings the penalised loss
//! J(W) = L(W) + λ R(W) ([`penalised_objective`]), its gradient ([`penalised_gradient`], held to
//! finite differences by a test), a full-batch gradient-descent loop on it ([`train_penalised`]),
//! the activations it is run with ([`ActivationFamily`]: the paper's two and two paths from the
//! identity to tanh, φ in the formulas), and two closed forms: the limit of training on span X'
//! ([`span_loss_limit`]) and the projector onto span X ([`span_projector`]).
//!
//! Sources: the loss is the paper's eq. 7 (mean over the items); the L1, L2 and firing-rate
//! penalties are those §4's discussion names, and the ½-centred one ([`Penalty::HalfRate`]) the
//! regularisation it says the sigmoid would need; [`span_loss_limit`] answers the question of
//! where, between the linear network (§3.1) and tanh (§3.2), generalisation on span X' is lost.
//!
//! Shapes: `w` is an N×N matrix and every item (or span point) a vector of length N; the
//! functions do not check this, and nalgebra panics on a mismatch. Nothing here returns an
//! error: every input of the right shape has a value (an empty list of items or span points
//! counts as one of loss 0, so J is then λ R(W) and the span loss 0).

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::network::Activation;
use crate::tanh::tanh;

/// The penalty R(W) added to the loss of eq. 7. Serialised as its [`Penalty::label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Penalty {
    /// No penalty (λ is ignored).
    None,
    /// R = Σ_ij W_ij² (weight decay).
    L2,
    /// R = Σ_ij |W_ij| (sparsity).
    L1,
    /// R = (1/m) Σ_k Σ_i y_ki², y_k = φ(W x_k): the mean squared activity on the training items.
    FiringRate,
    /// R = (1/m) Σ_k Σ_i (y_ki − ½)²: activity held near ½, the middle of the sigmoid's range
    /// and of its linear regime; the penalty the paper says the sigmoid would need.
    HalfRate,
}

impl Penalty {
    /// Its name in tables and in the JSON: "none", "L2", "L1", "firing rate", "activity near ½".
    pub fn label(self) -> &'static str {
        match self {
            Penalty::None => "none",
            Penalty::L2 => "L2",
            Penalty::L1 => "L1",
            Penalty::FiringRate => "firing rate",
            Penalty::HalfRate => "activity near ½",
        }
    }

    /// The activity the rate penalties pull towards: 0 (firing rate) or ½; None for the others.
    pub fn rate_centre(self) -> Option<f64> {
        match self {
            Penalty::FiringRate => Some(0.0),
            Penalty::HalfRate => Some(0.5),
            Penalty::None | Penalty::L2 | Penalty::L1 => None,
        }
    }
}

impl Serialize for Penalty {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// The activations penalised training is run with: the paper's two, and two one-parameter
/// paths from the identity to tanh. Serialised with a `kind` tag: `{"kind": "mix", "k": 0.5}`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ActivationFamily {
    /// One of the paper's activations (tanh(z − c), σ(cz), identity).
    Paper { activation: Activation },
    /// φ_k(z) = (1 − k) z + k tanh z: the identity at k = 0, tanh at k = 1.
    Mix { k: f64 },
    /// φ_g(z) = tanh(g z) / g: the identity as g → 0, tanh at g = 1 (slope 1 at 0 for all g).
    Gain { g: f64 },
}

impl ActivationFamily {
    /// (φ(z), φ'(z)).
    pub fn value_and_slope(self, z: f64) -> (f64, f64) {
        match self {
            Self::Paper { activation } => activation.value_and_slope(z),
            Self::Mix { k } => {
                let t = tanh(z);
                ((1.0 - k) * z + k * t, (1.0 - k) + k * (1.0 - t * t))
            }
            Self::Gain { g } => {
                if g == 0.0 {
                    return (z, 1.0);
                }
                let t = tanh(g * z);
                (t / g, 1.0 - t * t)
            }
        }
    }

    /// The weight w* with φ(w*) = 1, if there is one (φ increasing, φ(0) = 0): the diagonal of
    /// the unique solution on span X' (see [`span_loss_limit`]). None when 1 is not in the
    /// range of φ (tanh, and φ_g for g ≥ 1).
    pub fn unit_preimage(self) -> Option<f64> {
        let reachable = match self {
            Self::Paper { activation } => activation.range().1 > 1.0,
            Self::Mix { k } => k < 1.0,
            Self::Gain { g } => g < 1.0,
        };
        if !reachable {
            return None;
        }
        // Bisection on the increasing φ: bracket, then 200 halvings (to rounding).
        let mut hi = 1.0;
        while self.value_and_slope(hi).0 < 1.0 {
            hi *= 2.0;
            if hi > 1e12 {
                return None;
            }
        }
        let mut lo = 0.0;
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.value_and_slope(mid).0 < 1.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(0.5 * (lo + hi))
    }
}

// ANCHOR: objective
/// The penalised objective J(W) = L(W) + λ R(W), with L the mean of eq. 7 over the items:
/// L = (1/m) Σ_k (1/N) Σ_i (φ(W x_k)_i − x_ki)².
pub fn penalised_objective(
    w: &DMatrix<f64>,
    items: &[DVector<f64>],
    phi: ActivationFamily,
    penalty: Penalty,
    lambda: f64,
) -> f64 {
    let (n, m) = (w.nrows() as f64, items.len().max(1) as f64);
    let centre = penalty.rate_centre().unwrap_or(0.0);
    let (mut data, mut rate) = (0.0, 0.0);
    for x in items {
        let z = w * x;
        for (zi, xi) in z.iter().zip(x.iter()) {
            let y = phi.value_and_slope(*zi).0;
            data += (y - xi).powi(2);
            rate += (y - centre).powi(2);
        }
    }
    let r = match penalty {
        Penalty::None => 0.0,
        Penalty::L2 => w.norm_squared(),
        Penalty::L1 => w.iter().map(|v| v.abs()).sum(),
        Penalty::FiringRate | Penalty::HalfRate => rate / m,
    };
    data / (n * m) + lambda * r
}

/// ∂J/∂W: ∂L/∂W_ij = (2/(N m)) Σ_k (y_ki − x_ki) φ'(z_ki) x_kj, plus λ times
/// 2W (L2), sign(W) (L1, a subgradient: 0 at 0), or (2/m) Σ_k (y_ki − c) φ'(z_ki) x_kj with
/// c = 0 (firing rate) or ½ (activity near ½).
pub fn penalised_gradient(
    w: &DMatrix<f64>,
    items: &[DVector<f64>],
    phi: ActivationFamily,
    penalty: Penalty,
    lambda: f64,
) -> DMatrix<f64> {
    let (n, m) = (w.nrows(), items.len().max(1) as f64);
    let mut g = DMatrix::zeros(n, n);
    let data_scale = 2.0 / (n as f64 * m);
    let (rate_scale, centre) = match penalty.rate_centre() {
        Some(c) => (2.0 * lambda / m, c),
        None => (0.0, 0.0),
    };
    for x in items {
        let z = w * x;
        for i in 0..n {
            let (y, dy) = phi.value_and_slope(z[i]);
            let delta = data_scale * (y - x[i]) * dy + rate_scale * (y - centre) * dy;
            for j in 0..n {
                g[(i, j)] += delta * x[j];
            }
        }
    }
    match penalty {
        Penalty::L2 => g += w * (2.0 * lambda),
        Penalty::L1 => g += w.map(|v| if v == 0.0 { 0.0 } else { v.signum() }) * lambda,
        Penalty::None | Penalty::FiringRate | Penalty::HalfRate => {}
    }
    g
}

/// Full-batch gradient descent on J from `w`, `steps` updates of rate `lr`. L1 is applied as
/// a proximal step (soft thresholding, W ← sign(W) max(|W| − η λ, 0)) after the gradient step
/// of the smooth part: it minimises the same J as the subgradient method, whose iterates
/// instead oscillate around 0 by η λ and never reach the exact zeros of the L1 optimum.
pub fn train_penalised(
    mut w: DMatrix<f64>,
    items: &[DVector<f64>],
    phi: ActivationFamily,
    penalty: Penalty,
    lambda: f64,
    lr: f64,
    steps: usize,
) -> DMatrix<f64> {
    let smooth = if penalty == Penalty::L1 {
        Penalty::None
    } else {
        penalty
    };
    for _ in 0..steps {
        let g = penalised_gradient(&w, items, phi, smooth, lambda);
        w -= g * lr;
        if penalty == Penalty::L1 {
            let t = lr * lambda;
            w.apply(|v| *v = v.signum() * (v.abs() - t).max(0.0));
        }
    }
    w
}
// ANCHOR_END: objective

// ANCHOR: span_limit
/// The span loss of the limit of training on X' = {e₂, e₃} for an increasing φ with φ(0) = 0:
/// the data force W x = φ⁻¹(x) on the items, so W₁₂ = W₁₃ = W₂₃ = W₃₂ = 0 and W₂₂ = W₃₃ = w*
/// with φ(w*) = 1. A span point α e₂ + β e₃ then maps to (0, φ(α w*), φ(β w*)) and its loss is
/// (1/3) [(φ(α w*) − α)² + (φ(β w*) − β)²]. 0…0 and 011 are reproduced exactly, for every φ.
/// For tanh w* = ∞ and φ(α w*) → 1 for α > 0.
pub fn span_loss_limit(phi: ActivationFamily, span: &[DVector<f64>]) -> f64 {
    let w_star = phi.unit_preimage();
    let image = |a: f64| match w_star {
        Some(w) => phi.value_and_slope(a * w).0,
        None if a > 0.0 => 1.0,
        None => 0.0,
    };
    let total: f64 = span
        .iter()
        .map(|x| {
            let n = x.len() as f64;
            x.iter().map(|&a| (image(a) - a).powi(2)).sum::<f64>() / n
        })
        .sum();
    total / span.len().max(1) as f64
}
// ANCHOR_END: span_limit

/// The orthogonal projector onto span X, by modified Gram–Schmidt (items whose remainder is
/// below 1e-9 are dependent: entries are 0/1, so independent remainders are of order 1/N).
///
/// Shapes: each item a vector of length `n`; returns the n×n projector P and the rank of X
/// (the number of independent items). Gradient descent on a linear network changes W only by
/// rows in span X, so from W₀ it ends at P + W₀(I − P) (§3.1's implicit bias, on any set).
pub fn span_projector(items: &[DVector<f64>], n: usize) -> (DMatrix<f64>, usize) {
    let mut basis: Vec<DVector<f64>> = Vec::new();
    for x in items {
        let mut v = x.clone();
        for b in &basis {
            v -= b * b.dot(&v);
        }
        let norm = v.norm();
        if norm > 1e-9 {
            basis.push(v / norm);
        }
    }
    let p = basis
        .iter()
        .fold(DMatrix::zeros(n, n), |acc, b| acc + b * b.transpose());
    (p, basis.len())
}

#[cfg(test)]
mod tests;
