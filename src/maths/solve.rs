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
mod tests {
    use super::*;

    /// r(v) = (v₀ − 1, v₁ + 2, v₀ + v₁): three equations, two unknowns. Setting the gradient
    /// of ‖r‖² to zero gives 2v₀ + v₁ = 1 and v₀ + 2v₁ = −2, so v = (4/3, −5/3).
    #[test]
    fn levenberg_marquardt_finds_the_least_squares_point() {
        let r = |v: &DVector<f64>| DVector::from_vec(vec![v[0] - 1.0, v[1] + 2.0, v[0] + v[1]]);
        let j = |_: &DVector<f64>| DMatrix::from_row_slice(3, 2, &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
        let v = levenberg_marquardt(&r, &j, &[DVector::zeros(2)]);
        assert!(
            (v[0] - 4.0 / 3.0).abs() < 1e-9 && (v[1] + 5.0 / 3.0).abs() < 1e-9,
            "{v}"
        );
        assert!(levenberg_marquardt(&r, &j, &[]).is_empty());
    }

    /// [[2, 1], [0, 3]] has eigenvalue 3 with eigenvector (1, 1)/√2.
    #[test]
    fn eigenvector_of_a_triangular_matrix() {
        let j = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 0.0, 3.0]);
        let v = eigenvector(&j, 3.0).expect("converges");
        let want = DVector::from_vec(vec![1.0, 1.0]) / 2f64.sqrt();
        assert!(dist(&v, &want) < 1e-12, "{v}");
    }

    #[test]
    fn median_is_the_upper_middle_element() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 3.0);
        assert!(median(&mut []).is_nan());
    }

    /// Minimising atan(v)²: Gauss–Newton's step −atan(v)(1 + v²) overshoots from v = 3 (to
    /// v ≈ −9.5, a higher cost), so only the damping (λ grown until the step is short enough,
    /// then shrunk again) reaches the minimum at 0.
    #[test]
    fn damping_rescues_a_start_where_gauss_newton_diverges() {
        let r = |v: &DVector<f64>| DVector::from_element(1, v[0].atan());
        let j = |v: &DVector<f64>| DMatrix::from_element(1, 1, 1.0 / (1.0 + v[0] * v[0]));
        let gn = 3.0 - 3f64.atan() * 10.0;
        assert!(gn.atan().abs() > 3f64.atan(), "Gauss–Newton overshoots");
        let v = levenberg_marquardt(&r, &j, &[DVector::from_element(1, 3.0)]);
        assert!(v[0].abs() < 1e-15, "{v}");
    }

    /// The number of residual evaluations shows the step control: on a consistent linear
    /// system (exact solution (1, −2), scales 1 to 40 so Marquardt's scaling matters) λ shrinks
    /// after each success and the error falls by a factor ≈ λ per iteration, so it ends
    /// (cost below 1e-32) within 12 evaluations; started at the solution, every trial fails and
    /// λ grows from 1e-3 past 1e12 by factors of 3 (32 trials), then it stops.
    #[test]
    fn step_control_converges_fast_and_stops_when_stuck() {
        use std::cell::Cell;
        let calls = Cell::new(0usize);
        let r = |v: &DVector<f64>| {
            calls.set(calls.get() + 1);
            DVector::from_vec(vec![40.0 * (v[0] - 1.0) + (v[1] + 2.0), 3.0 * (v[1] + 2.0)])
        };
        let j = |_: &DVector<f64>| DMatrix::from_row_slice(2, 2, &[40.0, 1.0, 0.0, 3.0]);
        let v = levenberg_marquardt(&r, &j, &[DVector::from_vec(vec![5.0, 7.0])]);
        assert!(r(&v).norm_squared() < 1e-32, "{v}");
        assert!(
            (v[0] - 1.0).abs() < 1e-15 && (v[1] + 2.0).abs() < 1e-15,
            "{v}"
        );
        let fast = calls.get();
        assert!(fast <= 12, "{fast} evaluations");
        calls.set(0);
        let at = DVector::from_vec(vec![1.0, -2.0]);
        assert_eq!(levenberg_marquardt(&r, &j, std::slice::from_ref(&at)), at);
        // 1 initial + 1 per iteration + 32 trials (λ = 1e-3·3^k < 1e12 for k < 32).
        assert_eq!(calls.get(), 34);
    }

    /// Several starts: r(v) = v² − 1 stalls at v = 0 (zero gradient, cost 1) and converges
    /// from 3 to the root 1; the best end point wins whatever the order, and of two equally
    /// good ones (both roots, cost 0) the first.
    #[test]
    fn the_best_start_wins_and_ties_go_to_the_first() {
        let r = |v: &DVector<f64>| DVector::from_element(1, v[0] * v[0] - 1.0);
        let j = |v: &DVector<f64>| DMatrix::from_element(1, 1, 2.0 * v[0]);
        let s = |x: f64| DVector::from_element(1, x);
        for starts in [[s(0.0), s(3.0)], [s(3.0), s(0.0)]] {
            let v = levenberg_marquardt(&r, &j, &starts);
            assert!((v[0] - 1.0).abs() < 1e-15, "{starts:?}: {v}");
        }
        assert_eq!(levenberg_marquardt(&r, &j, &[s(0.0)]), s(0.0));
        assert_eq!(levenberg_marquardt(&r, &j, &[s(1.0), s(-1.0)]), s(1.0));
        assert_eq!(levenberg_marquardt(&r, &j, &[s(-1.0), s(1.0)]), s(-1.0));
    }

    /// J v = λ v with ‖v‖ = 1 and the entry of largest modulus positive, for each eigenvalue
    /// of a symmetric 3×3 matrix (eigenvalues 1, 2, 4) whose eigenvectors have negative
    /// entries.
    #[test]
    fn eigenvectors_are_unit_and_signed() {
        // Q diag(1, 2, 4) Qᵀ with Q's columns (1, −2, 2)/3, (−2, 1, 2)/3, (2, 2, 1)/3.
        let q =
            DMatrix::from_row_slice(3, 3, &[1.0, -2.0, 2.0, -2.0, 1.0, 2.0, 2.0, 2.0, 1.0]) / 3.0;
        let d = DMatrix::from_diagonal(&DVector::from_vec(vec![1.0, 2.0, 4.0]));
        let m = &q * d * q.transpose();
        for lambda in [1.0, 2.0, 4.0] {
            let v = eigenvector(&m, lambda).unwrap();
            assert!((&m * &v - &v * lambda).amax() < 1e-13, "{lambda}: {v}");
            assert!((v.norm() - 1.0).abs() < 1e-14);
            let big = v.iter().copied().fold(0.0, |a: f64, b| a.max(b.abs()));
            assert!(v.iter().any(|&x| x == big), "{lambda}: {v}");
        }
        let v = eigenvector(&m, 1.0).unwrap();
        assert!((v[1] - 2.0 / 3.0).abs() < 1e-13 && v[0] < 0.0, "{v}");
    }

    #[test]
    fn dist_is_euclidean() {
        let a = DVector::from_vec(vec![1.0, 2.0, 2.0]);
        let b = DVector::from_vec(vec![-2.0, 6.0, 2.0]);
        assert_eq!(dist(&a, &b), 5.0);
        assert_eq!(dist(&a, &a), 0.0);
    }
}
