//! General numerical helpers the chapters use: nonlinear least squares (Levenberg–Marquardt),
//! the eigenvector of a known real eigenvalue, a median and a distance. Small dense problems
//! only (the paper's networks have N = 3); nothing here knows about patterns or networks.
//!
//! §3.2 uses the least-squares solver to read the untrained first column of the paper's
//! networks back out of Table 1, and the eigenvector for the unstable direction of a saddle.

use nalgebra::{DMatrix, DVector, SVD};

/// Minimises ‖r(v)‖² by Levenberg–Marquardt from each of `starts` and returns the best end
/// point (the first of equals).
///
/// Shapes: `residuals` maps a point v ∈ ℝⁿ (n = the length of the first start) to r(v) ∈ ℝᵐ,
/// and `jacobian` to the m×n matrix J = ∂r/∂v. Each iteration solves
/// (JᵀJ + λ diag(JᵀJ)) δ = −Jᵀr, Marquardt's scaling of the damping (diagonal entries below
/// 1e-12 count as 1e-12), and accepts v + δ if it lowers the cost; λ starts at 1e-3, is divided
/// by 3 after a successful step (not below 1e-12) and multiplied by 3 after a failed one. A
/// start ends after 400 iterations, when no λ < 1e12 improves, or when the cost is below 1e-32.
///
/// Errors: none are raised. A non-finite trial cost counts as a failed step, and a singular
/// system as a failed λ. With no starts the result is the empty vector (n is read from the
/// first start).
///
/// Reference: K. Levenberg (1944), D. W. Marquardt (1963); Nocedal & Wright, *Numerical
/// Optimization* (2nd ed.), §10.3.
pub fn levenberg_marquardt(
    residuals: &dyn Fn(&DVector<f64>) -> DVector<f64>,
    jacobian: &dyn Fn(&DVector<f64>) -> DMatrix<f64>,
    starts: &[DVector<f64>],
) -> DVector<f64> {
    let n = starts.first().map_or(0, DVector::len);
    let mut best: Option<(f64, DVector<f64>)> = None;
    for start in starts {
        let mut v = start.clone();
        let mut cost = residuals(&v).norm_squared();
        let mut lambda = 1e-3;
        for _ in 0..400 {
            let r = residuals(&v);
            let j = jacobian(&v);
            let a = j.transpose() * &j;
            let g = j.transpose() * r;
            let mut improved = false;
            while lambda < 1e12 {
                let mut m = a.clone();
                for i in 0..n {
                    m[(i, i)] += lambda * a[(i, i)].max(1e-12);
                }
                let Some(step) = m.lu().solve(&(-&g)) else {
                    lambda *= 3.0;
                    continue;
                };
                let trial = &v + step;
                let c = residuals(&trial).norm_squared();
                if c.is_finite() && c < cost {
                    v = trial;
                    cost = c;
                    lambda = (lambda / 3.0).max(1e-12);
                    improved = true;
                    break;
                }
                lambda *= 3.0;
            }
            if !improved || cost < 1e-32 {
                break;
            }
        }
        if best.as_ref().is_none_or(|b| cost < b.0) {
            best = Some((cost, v));
        }
    }
    best.map_or_else(|| DVector::from_element(n, f64::NAN), |b| b.1)
}

/// Unit eigenvector of a real eigenvalue λ of the square matrix `j`: the right singular vector
/// of J − λI with the smallest singular value, signed so that its entry of largest modulus is
/// positive (the direction is then deterministic).
///
/// Shapes: `j` is n×n, the result has length n. For a simple eigenvalue the result is exact up
/// to the SVD's rounding; for a repeated one it is some unit vector of the eigenspace.
///
/// Errors: `None` if the SVD does not converge (10 000 iterations at tolerance ε).
///
/// Reference: Golub & Van Loan, *Matrix Computations* (4th ed.), §2.4 (the SVD and the null
/// space).
pub fn eigenvector(j: &DMatrix<f64>, lambda: f64) -> Option<DVector<f64>> {
    let n = j.nrows();
    let m = j - DMatrix::identity(n, n) * lambda;
    let svd = SVD::try_new(m, false, true, f64::EPSILON, 10_000)?;
    let v_t = svd.v_t?;
    let k = svd
        .singular_values
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))?
        .0;
    let v: DVector<f64> = v_t.row(k).transpose();
    // Sign convention: largest entry positive, so the direction is deterministic.
    let big = v
        .iter()
        .copied()
        .fold(0.0, |a: f64, b| if b.abs() > a.abs() { b } else { a });
    Some(if big < 0.0 { -v } else { v })
}

/// The upper median of `v`: after sorting `v` in place (by `f64::total_cmp`), the element at
/// index len/2. For an even length that is the upper of the two middle values, not their mean.
/// NaN for an empty slice.
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        f64::NAN
    } else {
        v[v.len() / 2]
    }
}

/// The Euclidean distance ‖a − b‖ of two vectors of the same length (nalgebra panics on
/// vectors of different lengths).
pub fn dist(a: &DVector<f64>, b: &DVector<f64>) -> f64 {
    (a - b).norm()
}

#[cfg(test)]
mod tests;
