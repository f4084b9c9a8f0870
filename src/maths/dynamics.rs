//! The network as a dynamical system x_{t+1} = φ_W(x_t) = φ(Wx_t): iterates, flow fields over a
//! grid of starts, fixed points by Newton's method and their stability from the Jacobian's
//! eigenvalues. This serves the paper's §3.1.2 and §3.2 (the flow fields and attractors of
//! Fig. 1): does the trained network store the items as attractors, or something else?

use nalgebra::{DMatrix, DVector, LU, SVD, Schur};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::network::Network;

/// The stability tolerance [`fixed_points`] passes to [`classify`]: an eigenvalue modulus
/// within 10⁻⁶ of 1 counts as marginal. It is far above the eigenvalue solver's error for
/// these tiny matrices (≈ 10⁻¹⁵ for simple eigenvalues, ≈ √ε ≈ 10⁻⁸ for a defective pair),
/// so an exactly marginal direction (a plane of fixed points) is never mislabelled.
pub const STABILITY_TOL: f64 = 1e-6;

/// Relative size below which a pivot of LU, or a singular value, is treated as zero in
/// Newton's method: J_F is then taken as singular and solved in the least-squares sense.
const SINGULAR_RTOL: f64 = 1e-12;

/// The orbit [x₀, φ_W(x₀), φ_W²(x₀), …, φ_W^steps(x₀)] (steps + 1 points).
pub fn iterate(net: &Network, x0: &DVector<f64>, steps: usize) -> Vec<DVector<f64>> {
    let mut out = Vec::with_capacity(steps + 1);
    out.push(x0.clone());
    let mut x = x0.clone();
    for _ in 0..steps {
        x = net.forward(&x);
        out.push(x.clone());
    }
    out
}

/// The regular grid {low + (high − low)·k/(p − 1) : k = 0, …, p − 1}^dim with p points per axis,
/// in lexicographic order (the first coordinate varies slowest). The ends are exactly `low`
/// and `high`; p = 1 gives the single coordinate `low`, p = 0 no points.
pub fn grid(points_per_axis: usize, low: f64, high: f64, dim: usize) -> Vec<DVector<f64>> {
    let p = points_per_axis;
    if p == 0 {
        return Vec::new();
    }
    let coord = |k: usize| {
        if k == 0 {
            low
        } else if k + 1 == p {
            // Exact upper end: low + (high − low) can differ from high by rounding.
            high
        } else {
            low + (high - low) * (k as f64 / (p - 1) as f64)
        }
    };
    let total = p.pow(u32::try_from(dim).unwrap_or(u32::MAX));
    (0..total)
        .map(|mut idx| {
            // Mixed-radix digits of idx, least significant last, so coordinate 0 is slowest.
            let mut x = DVector::zeros(dim);
            for d in (0..dim).rev() {
                x[d] = coord(idx % p);
                idx /= p;
            }
            x
        })
        .collect()
}

/// The orbit of every start, `steps` iterations each: the flow field of Fig. 1.
pub fn flow_field(net: &Network, starts: &[DVector<f64>], steps: usize) -> Vec<Vec<DVector<f64>>> {
    starts.iter().map(|x0| iterate(net, x0, steps)).collect()
}

/// Local character of a fixed point x* = φ_W(x*), read off the eigenvalues λ of the map's
/// Jacobian J = diag(φ'(Wx*)) W: perturbations along an eigendirection are multiplied by λ per
/// step, so they shrink when |λ| < 1 and grow when |λ| > 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stability {
    /// Every |λ| < 1 − tol: nearby orbits converge to x*.
    Attractor,
    /// Some |λ| < 1 − tol and some |λ| > 1 + tol, none within tol of 1.
    Saddle,
    /// Every |λ| > 1 + tol: nearby orbits leave.
    Repeller,
    /// Some |λ| within tol of 1 (or an eigenvalue could not be computed): linearisation
    /// does not decide, as on a plane of fixed points of a linear network.
    Marginal,
}

/// A fixed point with its linear stability.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FixedPoint {
    /// x*.
    pub x: Vec<f64>,
    /// Eigenvalues (re, im) of the Jacobian at x*, sorted by modulus, largest first.
    pub eigenvalues: Vec<(f64, f64)>,
    /// Classification by the moduli.
    pub stability: Stability,
    /// ‖φ_W(x*) − x*‖₂.
    pub residual: f64,
}

/// F(x) = φ(Wx) − x, whose zeros are the fixed points.
fn fixed_point_map(net: &Network, x: &DVector<f64>) -> DVector<f64> {
    net.forward(x) - x
}

/// Solves J d = r. LU with partial pivoting when J is safely regular; when a pivot is below
/// `SINGULAR_RTOL` times the largest one (J singular, e.g. a linear network with a plane of
/// fixed points), the minimum-norm least-squares solution d = J⁺ r from the SVD instead.
fn solve_newton_system(j: &DMatrix<f64>, r: &DVector<f64>) -> Option<DVector<f64>> {
    let lu = LU::new(j.clone());
    let u = lu.u();
    let pivots = u.diagonal();
    let largest = pivots.amax();
    let smallest = pivots.iter().fold(f64::INFINITY, |a, p| a.min(p.abs()));
    if largest > 0.0
        && smallest > SINGULAR_RTOL * largest
        && let Some(d) = lu.solve(r)
        && d.iter().all(|v| v.is_finite())
    {
        return Some(d);
    }
    let svd = SVD::try_new(j.clone(), true, true, f64::EPSILON, 10_000)?;
    let sigma_max = svd.singular_values.max();
    let d = svd.solve(r, SINGULAR_RTOL * sigma_max).ok()?;
    d.iter().all(|v| v.is_finite()).then_some(d)
}

/// Newton's method for φ_W(x) = x: with F(x) = φ(Wx) − x and J_F(x) = diag(φ'(Wx)) W − I,
/// x ← x − J_F(x)⁻¹ F(x) until ‖F(x)‖₂ < tol. When J_F is singular the step is
/// −J_F⁺ F (SVD pseudo-inverse): for the linear network y = Px with P a projector this lands
/// in one step on Px, the nearest point of the plane of fixed points.
///
/// # Errors
/// [`Error::NoConvergence`] if ‖F‖ is not below `tol` after `max_iter` steps, or the iterate
/// becomes non-finite or the linear system cannot be solved;
/// [`Error::DimensionMismatch`] if `x0` does not have length N.
pub fn newton_fixed_point(
    net: &Network,
    x0: &DVector<f64>,
    tol: f64,
    max_iter: usize,
) -> Result<DVector<f64>> {
    let n = net.n();
    if x0.len() != n {
        return Err(Error::DimensionMismatch {
            what: "Newton start x0".to_string(),
            expected: n,
            found: x0.len(),
        });
    }
    let fail = |iterations: usize, residual: f64| Error::NoConvergence {
        method: "Newton's method for φ_W(x) = x".to_string(),
        iterations,
        residual,
    };
    let mut x = x0.clone();
    for iter in 0..=max_iter {
        let f = fixed_point_map(net, &x);
        let r = f.norm();
        if !r.is_finite() {
            return Err(fail(iter, r));
        }
        if r < tol {
            return Ok(x);
        }
        if iter == max_iter {
            return Err(fail(iter, r));
        }
        let mut j = net.jacobian(&x);
        for i in 0..n {
            j[(i, i)] -= 1.0;
        }
        let d = solve_newton_system(&j, &f).ok_or_else(|| fail(iter, r))?;
        x -= d;
    }
    // The loop returns at iter == max_iter at the latest; this only satisfies the compiler.
    Err(fail(max_iter, f64::NAN))
}

/// Eigenvalues of a real square matrix as (re, im), from the real Schur form T = QᵀJQ:
/// 1×1 diagonal blocks are real eigenvalues, each 2×2 block [[a, b], [c, d]] contributes
/// (a + d)/2 ± √(((a − d)/2)² + bc). NaN entries if the Schur iteration fails.
pub fn eigenvalues(j: &DMatrix<f64>) -> Vec<(f64, f64)> {
    let n = j.nrows();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(j[(0, 0)], 0.0)];
    }
    let Some(schur) = Schur::try_new(j.clone(), f64::EPSILON, 100_000) else {
        return vec![(f64::NAN, f64::NAN); n];
    };
    let (_, t) = schur.unpack();
    let mut out = Vec::with_capacity(n);
    let mut m = 0;
    while m < n {
        if m + 1 < n && t[(m + 1, m)] != 0.0 {
            let (a, b, c, d) = (t[(m, m)], t[(m, m + 1)], t[(m + 1, m)], t[(m + 1, m + 1)]);
            let half_tr = 0.5 * (a + d);
            let half_diff = 0.5 * (a - d);
            let disc = half_diff * half_diff + b * c;
            // Computed by the general quadratic formula rather than assuming a complex pair:
            // a converged 2×2 block can still have real eigenvalues.
            if disc >= 0.0 {
                let s = disc.sqrt();
                out.push((half_tr + s, 0.0));
                out.push((half_tr - s, 0.0));
            } else {
                let s = (-disc).sqrt();
                out.push((half_tr, s));
                out.push((half_tr, -s));
            }
            m += 2;
        } else {
            out.push((t[(m, m)], 0.0));
            m += 1;
        }
    }
    out
}

/// The eigenvalues of the Jacobian of φ_W at `x` (sorted by modulus, largest first) and the
/// resulting [`Stability`] with tolerance `tol` on |λ| − 1, plus the residual ‖φ_W(x) − x‖₂.
/// `x` is normally a fixed point; the function does not require it.
pub fn classify(net: &Network, x: &DVector<f64>, tol: f64) -> FixedPoint {
    let mut eig = eigenvalues(&net.jacobian(x));
    let modulus = |&(re, im): &(f64, f64)| libm::hypot(re, im);
    // Ties in modulus (a complex pair, ±λ) are broken by re then im, both descending, so the
    // order is deterministic.
    eig.sort_by(|a, b| {
        modulus(b)
            .total_cmp(&modulus(a))
            .then(b.0.total_cmp(&a.0))
            .then(b.1.total_cmp(&a.1))
    });
    let moduli: Vec<f64> = eig.iter().map(modulus).collect();
    let stability = if moduli
        .iter()
        .any(|r| !r.is_finite() || (r - 1.0).abs() <= tol)
    {
        Stability::Marginal
    } else if moduli.iter().all(|&r| r < 1.0) {
        Stability::Attractor
    } else if moduli.iter().all(|&r| r > 1.0) {
        Stability::Repeller
    } else {
        Stability::Saddle
    };
    FixedPoint {
        x: x.iter().copied().collect(),
        eigenvalues: eig,
        stability,
        residual: fixed_point_map(net, x).norm(),
    }
}

/// All fixed points Newton's method finds from `starts` (see [`newton_fixed_point`]):
/// failures and non-finite points are dropped, a point within 10⁻⁶ (Euclidean) of one already
/// kept is merged into it (the first found, in start order, is kept), and the result is
/// classified with [`STABILITY_TOL`] and sorted lexicographically by x. Deterministic.
pub fn fixed_points(
    net: &Network,
    starts: &[DVector<f64>],
    tol: f64,
    max_iter: usize,
) -> Vec<FixedPoint> {
    const MERGE_DIST: f64 = 1e-6;
    let mut kept: Vec<DVector<f64>> = Vec::new();
    for x0 in starts {
        let Ok(x) = newton_fixed_point(net, x0, tol, max_iter) else {
            continue;
        };
        if !x.iter().all(|v| v.is_finite()) {
            continue;
        }
        // Quadratic in the number of fixed points, which is small; a sort-and-sweep would miss
        // close pairs that are not neighbours in lexicographic order.
        if kept.iter().all(|k| (k - &x).norm() > MERGE_DIST) {
            kept.push(x);
        }
    }
    let mut out: Vec<FixedPoint> = kept
        .iter()
        .map(|x| classify(net, x, STABILITY_TOL))
        .collect();
    out.sort_by(|a, b| {
        a.x.iter()
            .zip(&b.x)
            .map(|(p, q)| p.total_cmp(q))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    out
}

#[cfg(test)]
mod tests;
