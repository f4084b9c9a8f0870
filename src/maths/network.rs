//! Single-layer auto-associative networks y = φ(Wx) without bias and their reconstruction
//! loss: the model of the paper's §2 (eq. 7), with the three activations it studies.
//!
//! Notation used throughout: N is the pattern length, W ∈ ℝ^{N×N}, x ∈ ℝ^N a pattern,
//! z = Wx the pre-activation, ŷ = φ(z) the reconstruction (φ applied element-wise) and
//! φ_W(x) = φ(Wx) the map whose iterates `crate::dynamics` studies.

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A pattern counts as reproduced when every output component is within this distance of the
/// pattern's bit: the output rounds to the pattern ([`Network::reproduces`]).
pub const REPRODUCE_TOL: f64 = 0.5;

/// The element-wise activation φ, in the paper's parametrisation.
///
/// * `Identity`: φ(z) = z (the linear network).
/// * `Tanh { c }`: φ(z) = tanh(z − c), a hyperbolic tangent shifted right by c (evaluated by
///   [`crate::tanh::tanh`], the same bits on every machine).
/// * `Sigmoid { c }`: φ(z) = σ(cz) = 1 / (1 + e^{−cz}), a logistic curve of slope c/4 at 0.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Activation {
    /// φ(z) = z.
    Identity,
    /// φ(z) = tanh(z − c).
    Tanh {
        /// The shift c.
        c: f64,
    },
    /// φ(z) = 1 / (1 + e^{−cz}).
    Sigmoid {
        /// The gain c.
        c: f64,
    },
}

/// The logistic function σ(t) = 1 / (1 + e^{−t}), evaluated so that neither branch overflows:
/// for t ≥ 0 directly, for t < 0 as e^{t} / (1 + e^{t}) (same value, but e^{t} ≤ 1).
pub(crate) fn logistic(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + libm::exp(-t))
    } else {
        let e = libm::exp(t);
        e / (1.0 + e)
    }
}

impl Activation {
    /// φ(z).
    pub fn apply(&self, z: f64) -> f64 {
        self.value_and_slope(z).0
    }

    /// The derivative dφ/dz:
    ///
    /// * identity: 1;
    /// * tanh: d/dz tanh(z − c) = 1 − tanh²(z − c);
    /// * sigmoid: d/dz σ(cz) = c · σ(cz) (1 − σ(cz)).
    pub fn derivative(&self, z: f64) -> f64 {
        self.value_and_slope(z).1
    }

    /// (φ(z), φ'(z)) together, evaluating tanh or exp once; [`Activation::apply`] and
    /// [`Activation::derivative`] are its two halves.
    #[inline]
    pub fn value_and_slope(&self, z: f64) -> (f64, f64) {
        match *self {
            Activation::Identity => (z, 1.0),
            Activation::Tanh { c } => {
                let t = crate::tanh::tanh(z - c);
                (t, 1.0 - t * t)
            }
            Activation::Sigmoid { c } => {
                let s = logistic(c * z);
                (s, c * s * (1.0 - s))
            }
        }
    }

    /// Short lower-case name: `"identity"`, `"tanh"` or `"sigmoid"` (the serde tag).
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Tanh { .. } => "tanh",
            Activation::Sigmoid { .. } => "sigmoid",
        }
    }

    /// The image of φ as an open interval (lo, hi): (−∞, ∞) for the identity, (−1, 1) for tanh
    /// and (0, 1) for the sigmoid. A binary pattern with a 0 or a 1 in it is therefore only
    /// reached in the limit by tanh (for 1) and by the sigmoid (for both), never exactly.
    pub fn range(&self) -> (f64, f64) {
        match self {
            Activation::Identity => (f64::NEG_INFINITY, f64::INFINITY),
            Activation::Tanh { .. } => (-1.0, 1.0),
            Activation::Sigmoid { .. } => (0.0, 1.0),
        }
    }
}

/// A network φ_W(x) = φ(Wx) with a square weight matrix W and no bias.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// The weights W ∈ ℝ^{N×N}; row i holds the weights into unit i.
    pub w: DMatrix<f64>,
    /// The element-wise activation φ.
    pub activation: Activation,
}

impl Network {
    /// A network with weights `w`, which must be square (the map is ℝ^N → ℝ^N).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `w` is not square.
    pub fn new(w: DMatrix<f64>, activation: Activation) -> Result<Self> {
        if w.nrows() != w.ncols() {
            return Err(Error::DimensionMismatch {
                what: format!("columns of the {}x{} weight matrix W", w.nrows(), w.ncols()),
                expected: w.nrows(),
                found: w.ncols(),
            });
        }
        Ok(Network { w, activation })
    }

    /// The pattern length N.
    pub fn n(&self) -> usize {
        self.w.nrows()
    }

    /// The pre-activation z = Wx.
    ///
    /// # Panics
    /// When `x` does not have length N (as every method taking a pattern).
    pub fn preactivation(&self, x: &DVector<f64>) -> DVector<f64> {
        &self.w * x
    }

    /// The reconstruction ŷ = φ(Wx) = φ_W(x).
    pub fn forward(&self, x: &DVector<f64>) -> DVector<f64> {
        let mut z = self.preactivation(x);
        z.apply(|v| *v = self.activation.apply(*v));
        z
    }

    /// Whether the network reproduces the pattern `x` (N components, each 0 or 1): every
    /// component of φ(Wx) lies within [`REPRODUCE_TOL`] of x's, so the output rounds to x.
    pub fn reproduces(&self, x: &DVector<f64>) -> bool {
        (self.forward(x) - x).amax() < REPRODUCE_TOL
    }

    /// The loss of one pattern, eq. 7: ℓ(x) = (1/N) Σ_i (φ(Wx)_i − x_i)².
    pub fn pattern_loss(&self, x: &DVector<f64>) -> f64 {
        let mut pre = DVector::zeros(self.n());
        self.pattern_loss_with(x, &mut pre)
    }

    /// The training loss L(W) = (1/m) Σ_k ℓ(x_k), the mean of eq. 7 over the m items;
    /// 0 for no items.
    pub fn loss(&self, items: &[DVector<f64>]) -> f64 {
        let mut pre = DVector::zeros(self.n());
        self.loss_with(items, &mut pre)
    }

    /// ∂ℓ(x)/∂W for one pattern. With z = Wx, ŷ = φ(z) and ℓ = (1/N) Σ_i (ŷ_i − x_i)²,
    /// the chain rule gives ∂ℓ/∂W_ij = (2/N) (ŷ_i − x_i) φ'(z_i) x_j, i.e.
    ///
    /// ∂ℓ/∂W = (2/N) ((ŷ − x) ⊙ φ'(Wx)) xᵀ.
    pub fn pattern_gradient(&self, x: &DVector<f64>) -> DMatrix<f64> {
        self.gradient(std::slice::from_ref(x))
    }

    /// ∂L/∂W = (1/m) Σ_k ∂ℓ(x_k)/∂W = (2/(N m)) Σ_k δ_k x_kᵀ with
    /// δ_k = (ŷ_k − x_k) ⊙ φ'(Wx_k); the zero matrix for no items.
    pub fn gradient(&self, items: &[DVector<f64>]) -> DMatrix<f64> {
        let n = self.n();
        let mut acc = DMatrix::zeros(n, n);
        if items.is_empty() {
            return acc;
        }
        let mut pre = DVector::zeros(n);
        let mut delta = DVector::zeros(n);
        for x in items {
            self.accumulate_error_outer(x, &mut pre, &mut delta, &mut acc);
        }
        // Scale once at the end (rather than per pattern) so training, which calls the same
        // helper in the same order, reproduces this gradient bit for bit.
        acc *= 2.0 / (n as f64 * items.len() as f64);
        acc
    }

    /// The Jacobian of the map, ∂φ_W/∂x = diag(φ'(Wx)) W: row i of W scaled by φ'(z_i).
    pub fn jacobian(&self, x: &DVector<f64>) -> DMatrix<f64> {
        let z = self.preactivation(x);
        let mut j = self.w.clone();
        for (i, zi) in z.iter().enumerate() {
            let d = self.activation.derivative(*zi);
            j.row_mut(i).scale_mut(d);
        }
        j
    }

    /// ℓ(x) with a caller-provided buffer of length N for Wx (no allocation).
    pub(crate) fn pattern_loss_with(&self, x: &DVector<f64>, pre: &mut DVector<f64>) -> f64 {
        let n = self.n();
        if n == 0 {
            return 0.0;
        }
        self.w.mul_to(x, pre);
        let sum: f64 = pre
            .iter()
            .zip(x.iter())
            .map(|(z, xi)| {
                let e = self.activation.apply(*z) - xi;
                e * e
            })
            .sum();
        sum / n as f64
    }

    /// L(W) with a caller-provided buffer (no allocation); `loss` is this with a fresh buffer,
    /// so the two agree bit for bit.
    pub(crate) fn loss_with(&self, items: &[DVector<f64>], pre: &mut DVector<f64>) -> f64 {
        if items.is_empty() {
            return 0.0;
        }
        let sum: f64 = items.iter().map(|x| self.pattern_loss_with(x, pre)).sum();
        sum / items.len() as f64
    }

    /// acc ← acc + δ xᵀ with δ = (φ(Wx) − x) ⊙ φ'(Wx), the unscaled error signal of one
    /// pattern shared by the gradient (scale 2/(N m)) and the delta rule (scale −lr/m).
    /// `pre` and `delta` are length-N work buffers.
    pub(crate) fn accumulate_error_outer(
        &self,
        x: &DVector<f64>,
        pre: &mut DVector<f64>,
        delta: &mut DVector<f64>,
        acc: &mut DMatrix<f64>,
    ) {
        self.w.mul_to(x, pre);
        for ((d, z), xi) in delta.iter_mut().zip(pre.iter()).zip(x.iter()) {
            let (y, dy) = self.activation.value_and_slope(*z);
            *d = (y - xi) * dy;
        }
        acc.ger(1.0, delta, x, 1.0);
    }
}

#[cfg(test)]
mod tests;
