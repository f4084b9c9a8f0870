// The platform's functions are an independent reference here (clippy.toml refuses them in
// the crate's own code).
#![allow(clippy::disallowed_methods)]
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
    let q = DMatrix::from_row_slice(3, 3, &[1.0, -2.0, 2.0, -2.0, 1.0, 2.0, 2.0, 2.0, 1.0]) / 3.0;
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
