//! The linear auto-associator (paper §3.1) in closed form, for any training set: the set of all
//! solutions of `W x = x` on X, its Σ-invariant part, the solution gradient descent picks from a
//! given start (its implicit bias), and the binary patterns every solution reproduces.
//!
//! With `X` the N×m matrix of training items, `P` the orthogonal projector onto span X and
//! `r = rank X`, the solutions are exactly
//!
//! ```text
//!     W = P + V (I − P),   V ∈ R^{N×N} arbitrary,
//! ```
//!
//! an affine space of dimension `N (N − r)`: W must be the identity on span X and is free on its
//! orthogonal complement.
//!
//! **Implicit bias.** Every gradient step of the squared loss on a linear network changes W by
//! a sum of terms `(x − Wx) xᵀ` with `x ∈ X`, whose rows lie in span X. So `(W_t − W_0)(I − P)`
//! stays zero along the whole run, whatever the learning rate, batch size, item order or
//! momentum. The limit, if the run converges, is the unique solution with
//! `W (I − P) = W_0 (I − P)`:
//!
//! ```text
//!     W_∞ = P + W_0 (I − P).
//! ```
//!
//! Adam rescales each entry of the gradient separately, which breaks the row-space argument;
//! it is checked numerically, not predicted.

use nalgebra::{DMatrix, DVector};
use serde::Serialize;

use crate::group::SymmetryGroup;
use crate::maths::matrix::Matrix;
use crate::pattern::{Pattern, PatternSet};
use crate::{Error, Result};

/// Rank and projection tolerance: patterns are 0/1, so singular values of X are either 0 or
/// at least of order 1/N; 1e-9 separates them with room.
const RANK_TOL: f64 = 1e-9;

/// The solution set `{ W : W x = x for all x ∈ X }` of a linear auto-associator.
#[derive(Clone, Debug, PartialEq)]
pub struct SolutionSet {
    n: usize,
    rank: usize,
    /// Orthogonal projector onto span X (the minimum-norm solution).
    projector: DMatrix<f64>,
    /// Orthonormal basis of the orthogonal complement of span X.
    normals: Vec<DVector<f64>>,
    /// Dimension of the Σ-invariant solutions (affine dimension).
    invariant_dimension: usize,
}

impl SolutionSet {
    /// The solution set of the training set `set`, and its part invariant under `group`.
    pub fn new(set: &PatternSet, group: &SymmetryGroup) -> Result<SolutionSet> {
        let n = set.n();
        if group.n() != n {
            return Err(Error::DimensionMismatch {
                what: "symmetry group".into(),
                expected: n,
                found: group.n(),
            });
        }
        let x = set.to_matrix();
        // Orthonormal basis of R^N from the symmetric eigen-decomposition of X Xᵀ: the
        // eigenvectors of its nonzero eigenvalues span X, the others its complement. (A symmetric
        // solver keeps the eigenvectors orthonormal even for repeated zero eigenvalues.)
        let eig = nalgebra::SymmetricEigen::new(x.clone() * x.transpose());
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
        let rank = order
            .iter()
            .filter(|&&k| eig.eigenvalues[k] > RANK_TOL)
            .count();
        let mut projector = DMatrix::zeros(n, n);
        let mut normals = Vec::new();
        for (pos, &k) in order.iter().enumerate() {
            let v: DVector<f64> = eig.eigenvectors.column(k).into_owned();
            if pos < rank {
                projector += &v * v.transpose();
            } else {
                normals.push(v);
            }
        }
        // Invariant solutions: P is invariant (span X is Σ-invariant), so they are P + M with M
        // invariant and M X = 0. Count the invariant basis combinations killed by X.
        let basis = group.invariant_basis();
        let rows = n * set.len();
        let mut a = DMatrix::zeros(rows.max(1), basis.len());
        for (k, b) in basis.iter().enumerate() {
            let bx = b * &x;
            for (i, v) in bx.iter().enumerate() {
                a[(i, k)] = *v;
            }
        }
        let sv = a.singular_values();
        let nonzero = sv.iter().filter(|&&s| s > RANK_TOL).count();
        Ok(SolutionSet {
            n,
            rank,
            projector,
            normals,
            invariant_dimension: basis.len() - nonzero,
        })
    }

    pub fn n(&self) -> usize {
        self.n
    }
    /// rank X = dim span X.
    pub fn rank(&self) -> usize {
        self.rank
    }
    /// Affine dimension of the solution set: N (N − rank X).
    pub fn dimension(&self) -> usize {
        self.n * (self.n - self.rank)
    }
    /// Affine dimension of the Σ-invariant solutions.
    pub fn invariant_dimension(&self) -> usize {
        self.invariant_dimension
    }
    /// The orthogonal projector P onto span X.
    pub fn projector(&self) -> &DMatrix<f64> {
        &self.projector
    }
    /// Orthonormal basis of (span X)^⊥.
    pub fn normals(&self) -> &[DVector<f64>] {
        &self.normals
    }

    // ANCHOR: implicit_bias
    /// The solution gradient descent reaches from `w0`: `P + W0 (I − P)`.
    pub fn implicit_bias(&self, w0: &DMatrix<f64>) -> DMatrix<f64> {
        let i = DMatrix::identity(self.n, self.n);
        &self.projector + w0 * (i - &self.projector)
    }
    // ANCHOR_END: implicit_bias

    /// The solution nearest to `w` (Frobenius): `w` with its action on span X replaced by the
    /// identity, `W (I − P) + P`.
    pub fn nearest(&self, w: &DMatrix<f64>) -> DMatrix<f64> {
        self.implicit_bias(w)
    }

    /// Distance of `w` from the solution set, `‖(W − I) P‖_F`.
    pub fn distance(&self, w: &DMatrix<f64>) -> f64 {
        (w - self.nearest(w)).norm()
    }

    /// Is `x` in span X (so that every solution reproduces it)?
    pub fn in_span(&self, x: &DVector<f64>) -> bool {
        (x - &self.projector * x).norm() <= RANK_TOL.sqrt() * x.norm().max(1.0)
    }

    /// The binary patterns outside the training set that every linear auto-associator on it
    /// reproduces exactly: those in span X. Sorted.
    pub fn generalizes_to(&self, set: &PatternSet) -> Result<Vec<Pattern>> {
        Ok(Pattern::all(self.n)?
            .into_iter()
            .filter(|p| !set.contains(p) && self.in_span(&p.to_vector()))
            .collect())
    }
}

/// Eigenvalues of a real matrix as (re, im) pairs, largest real part first (ties: larger
/// imaginary part first), from the real Schur form.
pub fn spectrum(w: &DMatrix<f64>) -> Vec<(f64, f64)> {
    let mut ev = crate::dynamics::eigenvalues(w);
    ev.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    ev
}

/// A short summary of a solution set, for outputs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SolutionSummary {
    pub rank: usize,
    pub dimension: usize,
    pub invariant_dimension: usize,
    pub projector: Matrix,
    pub normals: Vec<Vec<f64>>,
    pub generalizes_to: Vec<Pattern>,
    /// The patterns outside X whose addition keeps Σ_X: what the paper's §3.1.2 says a
    /// linear auto-associator generalises to
    /// ([`symmetry_preserving_extensions`](crate::group::symmetry_preserving_extensions)).
    pub symmetry_criterion: Vec<Pattern>,
}

impl SolutionSet {
    /// The summary of this set for `set`.
    pub fn summary(&self, set: &PatternSet) -> Result<SolutionSummary> {
        Ok(SolutionSummary {
            rank: self.rank,
            dimension: self.dimension(),
            invariant_dimension: self.invariant_dimension,
            projector: Matrix::from(&self.projector),
            normals: self
                .normals
                .iter()
                .map(|v| v.iter().copied().collect())
                .collect(),
            generalizes_to: self.generalizes_to(set)?,
            symmetry_criterion: crate::group::symmetry_preserving_extensions(set)?,
        })
    }
}

#[cfg(test)]
mod tests;
