// The platform's functions are an independent reference here (clippy.toml refuses them in
// the crate's own code).
#![allow(clippy::disallowed_methods)]
use super::*;
use crate::network::Activation;

fn v(x: &[f64]) -> DVector<f64> {
    DVector::from_vec(x.to_vec())
}

fn tanh_net(w: &[f64], n: usize) -> Network {
    Network::new(
        DMatrix::from_row_slice(n, n, w),
        Activation::Tanh { c: 0.0 },
    )
    .unwrap()
}

/// The orbit starts at x₀ and each point is the map of the one before; the flow field is
/// the orbit of every start.
#[test]
fn iterate_and_flow_field_follow_the_map() {
    let net = tanh_net(&[0.5, 1.5, -1.0, 0.8], 2);
    let x0 = v(&[0.3, -0.7]);
    let orbit = iterate(&net, &x0, 4);
    assert_eq!(orbit.len(), 5);
    assert_eq!(orbit[0], x0);
    for k in 1..5 {
        assert_eq!(orbit[k], net.forward(&orbit[k - 1]));
    }
    let starts = [x0.clone(), v(&[1.0, 1.0])];
    let field = flow_field(&net, &starts, 3);
    assert_eq!(field.len(), 2);
    assert_eq!(field[1], iterate(&net, &starts[1], 3));
}

/// p^dim points, evenly spaced, exact ends, first coordinate slowest.
#[test]
fn grid_is_regular_and_lexicographic() {
    let g = grid(4, -1.0, 0.5, 2);
    assert_eq!(g.len(), 16);
    let axis = [-1.0, -0.5, 0.0, 0.5];
    for (k, x) in g.iter().enumerate() {
        assert_eq!(x.len(), 2);
        assert!((x[0] - axis[k / 4]).abs() < 1e-15, "{k}: {x}");
        assert!((x[1] - axis[k % 4]).abs() < 1e-15, "{k}: {x}");
    }
    assert_eq!(g[0], v(&[-1.0, -1.0]));
    assert_eq!(g[15], v(&[0.5, 0.5]));
    // −0.1 + (0.3 − (−0.1)) = 0.30000000000000004 in floating point: the upper end is
    // still exactly 0.3.
    let h = grid(3, -0.1, 0.3, 1);
    assert_eq!(
        h.iter().map(|x| x[0]).collect::<Vec<_>>(),
        [-0.1, h[1][0], 0.3]
    );
    assert!((h[1][0] - 0.1).abs() < 1e-16);
    assert_eq!(grid(1, 2.0, 5.0, 3), vec![v(&[2.0, 2.0, 2.0])]);
    assert!(grid(0, 0.0, 1.0, 2).is_empty());
    assert_eq!(grid(5, 0.0, 1.0, 3).len(), 125);
}

/// A linear network y = Px with P a projector: J_F = P − I is singular, and the
/// pseudo-inverse step lands in one step on Px, the nearest fixed point.
#[test]
fn newton_on_a_projector_lands_on_the_projection() {
    // P projects onto span{(1, 1, 0)/√2, e₃}.
    let p = DMatrix::from_row_slice(3, 3, &[0.5, 0.5, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 1.0]);
    let net = Network::new(p.clone(), Activation::Identity).unwrap();
    let x0 = v(&[1.0, -3.0, 2.0]);
    let x = newton_fixed_point(&net, &x0, 1e-12, 1).unwrap();
    assert!((&x - &p * &x0).amax() < 1e-14, "{x}");
    // Zero steps allowed: only a start that already is a fixed point is accepted.
    assert!(newton_fixed_point(&net, &x0, 1e-12, 0).is_err());
    assert_eq!(
        newton_fixed_point(&net, &(&p * &x0), 1e-12, 0).unwrap(),
        &p * &x0
    );
    // Convergence means ‖F‖ < tol, strictly: with tol = 0 not even an exact fixed point
    // (F = 0) is accepted.
    let exact = v(&[1.0, 1.0, 0.0]);
    assert_eq!(fixed_point_map(&net, &exact).norm(), 0.0);
    assert!(newton_fixed_point(&net, &exact, 0.0, 2).is_err());
    assert!(matches!(
        newton_fixed_point(&net, &v(&[1.0]), 1e-12, 5),
        Err(Error::DimensionMismatch {
            expected: 3,
            found: 1,
            ..
        })
    ));
}

/// x = tanh(2x) has the root 0 and ±x* (x* ≈ 0.9575): Newton from 1 converges
/// quadratically to x*, which solves the equation to rounding; with too few iterations it
/// reports no convergence; a non-finite start fails.
#[test]
fn newton_on_tanh_converges_quadratically() {
    let net = tanh_net(&[2.0], 1);
    let x = newton_fixed_point(&net, &v(&[1.0]), 1e-14, 8).unwrap();
    assert!((x[0] - (2.0 * x[0]).tanh()).abs() < 1e-14 && x[0] > 0.95 && x[0] < 0.96);
    // From 1 the residual goes 4e-2, 5e-4, 1e-7, 6e-15: three steps are needed, two do
    // not do.
    assert!(newton_fixed_point(&net, &v(&[1.0]), 1e-14, 3).is_ok());
    assert!(matches!(
        newton_fixed_point(&net, &v(&[1.0]), 1e-14, 2),
        Err(Error::NoConvergence { iterations: 2, .. })
    ));
    assert!(newton_fixed_point(&net, &v(&[f64::NAN]), 1e-14, 5).is_err());
}

/// Regular J: the LU solution; J = diag(1e3, 1e-10) (pivot ratio 1e-13 < 1e-12): treated
/// as singular, the minimum-norm least-squares solution drops the tiny direction;
/// J = 0: d = 0.
#[test]
fn newton_system_switches_to_least_squares_when_singular() {
    let j = DMatrix::from_row_slice(2, 2, &[2.0, 1.0, 1.0, 3.0]);
    let r = v(&[1.0, 2.0]);
    let d = solve_newton_system(&j, &r).unwrap();
    assert!((&j * &d - &r).amax() < 1e-15);
    let s = DMatrix::from_row_slice(2, 2, &[1e3, 0.0, 0.0, 1e-10]);
    let d = solve_newton_system(&s, &r).unwrap();
    assert!((d[0] - 1e-3).abs() < 1e-18 && d[1].abs() < 1e-12, "{d}");
    // Ratio 1e-11: still regular, the tiny direction is solved.
    let s = DMatrix::from_row_slice(2, 2, &[1e3, 0.0, 0.0, 1e-8]);
    let d = solve_newton_system(&s, &r).unwrap();
    assert!((d[1] - 2e8).abs() < 1e-6, "{d}");
    let d = solve_newton_system(&DMatrix::zeros(2, 2), &r).unwrap();
    assert_eq!(d, v(&[0.0, 0.0]));
    // Regular but badly conditioned: pivots 1 and 1, singular values ≈ 1e7 and 1e-7 (a
    // ratio below 1e-12). LU solves it exactly; the truncated SVD would drop a direction.
    let sheared = DMatrix::from_row_slice(2, 2, &[1.0, 1e7, 0.0, 1.0]);
    let d = solve_newton_system(&sheared, &v(&[0.0, 1.0])).unwrap();
    assert_eq!(d, v(&[-1e7, 1.0]));
}

/// Eigenvalues satisfy Σλ = tr J, Πλ = det J and Σλ² = tr J² (complex arithmetic), on
/// a 4×4 matrix with a complex pair; a rotation has ±i; a triangular matrix its diagonal.
#[test]
fn eigenvalues_match_trace_and_determinant() {
    let j = DMatrix::from_row_slice(
        4,
        4,
        &[
            0.2, -1.3, 0.5, 0.1, 1.1, 0.4, -0.2, 0.7, 0.3, 0.6, -0.8, 0.2, -0.5, 0.1, 0.9, 0.3,
        ],
    );
    let eig = eigenvalues(&j);
    assert_eq!(eig.len(), 4);
    assert!(
        eig.iter().any(|e| e.1.abs() > 1e-3),
        "a complex pair: {eig:?}"
    );
    let (mut sum, mut sq, mut prod) = ((0.0, 0.0), (0.0, 0.0), (1.0, 0.0));
    for &(a, b) in &eig {
        sum = (sum.0 + a, sum.1 + b);
        sq = (sq.0 + a * a - b * b, sq.1 + 2.0 * a * b);
        prod = (prod.0 * a - prod.1 * b, prod.0 * b + prod.1 * a);
    }
    assert!((sum.0 - j.trace()).abs() < 1e-12 && sum.1.abs() < 1e-12);
    assert!((sq.0 - (&j * &j).trace()).abs() < 1e-12 && sq.1.abs() < 1e-12);
    assert!((prod.0 - j.determinant()).abs() < 1e-12 && prod.1.abs() < 1e-12);
    let mut rot = eigenvalues(&DMatrix::from_row_slice(2, 2, &[0.0, -2.0, 2.0, 0.0]));
    rot.sort_by(|a, b| a.1.total_cmp(&b.1));
    assert!(
        (rot[0].0).abs() < 1e-15 && (rot[0].1 + 2.0).abs() < 1e-15,
        "{rot:?}"
    );
    assert!(
        (rot[1].0).abs() < 1e-15 && (rot[1].1 - 2.0).abs() < 1e-15,
        "{rot:?}"
    );
    // 2×2 blocks with a complex pair off the imaginary axis: 1 ± 2i and 2 ± i (trace 4,
    // determinant 5).
    for (m, re, im) in [
        ([1.0, -2.0, 2.0, 1.0], 1.0, 2.0),
        ([3.0, -1.0, 2.0, 1.0], 2.0, 1.0),
    ] {
        let mut e = eigenvalues(&DMatrix::from_row_slice(2, 2, &m));
        e.sort_by(|a, b| a.1.total_cmp(&b.1));
        assert!(
            (e[0].0 - re).abs() < 1e-14 && (e[0].1 + im).abs() < 1e-14,
            "{e:?}"
        );
        assert!(
            (e[1].0 - re).abs() < 1e-14 && (e[1].1 - im).abs() < 1e-14,
            "{e:?}"
        );
    }
    // A 2×2 block with real eigenvalues 3 and −1.
    let mut real = eigenvalues(&DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]));
    real.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!((real[0].0 + 1.0).abs() < 1e-14 && (real[1].0 - 3.0).abs() < 1e-14);
    assert!(real.iter().all(|e| e.1 == 0.0));
    let tri = DMatrix::from_row_slice(3, 3, &[2.0, 5.0, 1.0, 0.0, -1.0, 4.0, 0.0, 0.0, 0.5]);
    let mut d: Vec<f64> = eigenvalues(&tri).iter().map(|e| e.0).collect();
    d.sort_by(f64::total_cmp);
    assert_eq!(d, vec![-1.0, 0.5, 2.0]);
    assert_eq!(
        eigenvalues(&DMatrix::from_element(1, 1, 7.0)),
        vec![(7.0, 0.0)]
    );
    assert!(eigenvalues(&DMatrix::zeros(0, 0)).is_empty());
}

/// Linear maps classify by their eigenvalues: ½I attracts, 2I repels, diag(½, 2) is a
/// saddle, I and diag(½, 1 + 10⁻⁷) are marginal; eigenvalues come sorted by modulus.
#[test]
fn classify_reads_the_moduli() {
    let lin =
        |d: &[f64]| Network::new(DMatrix::from_diagonal(&v(d)), Activation::Identity).unwrap();
    let x = v(&[0.0, 0.0]);
    let class = |d: &[f64]| classify(&lin(d), &x, STABILITY_TOL).stability;
    assert_eq!(class(&[0.5, -0.5]), Stability::Attractor);
    assert_eq!(class(&[2.0, -3.0]), Stability::Repeller);
    assert_eq!(class(&[0.5, 2.0]), Stability::Saddle);
    assert_eq!(class(&[2.0, 0.5]), Stability::Saddle);
    assert_eq!(class(&[1.0, 0.5]), Stability::Marginal);
    assert_eq!(class(&[0.5, 1.0 + 1e-7]), Stability::Marginal);
    assert_eq!(class(&[0.5, 1.0 - 1e-7]), Stability::Marginal);
    assert_eq!(class(&[0.5, 1.0 + 1e-5]), Stability::Saddle);
    assert_eq!(class(&[0.5, 1.0 - 1e-5]), Stability::Attractor);
    assert_eq!(class(&[3.0, 1.0 + 1e-5]), Stability::Repeller);
    let fp = classify(&lin(&[0.5, -2.0]), &v(&[1.0, 1.0]), 1e-6);
    assert_eq!(fp.eigenvalues, vec![(-2.0, 0.0), (0.5, 0.0)]);
    // ‖(0.5, −2) − (1, 1)‖ = √(0.25 + 9).
    assert!((fp.residual - 9.25f64.sqrt()).abs() < 1e-15);
    assert_eq!(fp.x, vec![1.0, 1.0]);
    // ±2 tie in modulus: the positive one first.
    let fp = classify(&lin(&[-2.0, 2.0]), &x, 1e-6);
    assert_eq!(fp.eigenvalues, vec![(2.0, 0.0), (-2.0, 0.0)]);
    // A rotation by 90° scaled by ½: a complex pair, +i part first.
    let rot = Network::new(
        DMatrix::from_row_slice(2, 2, &[0.0, -0.5, 0.5, 0.0]),
        Activation::Identity,
    )
    .unwrap();
    let fp = classify(&rot, &x, 1e-6);
    assert_eq!(fp.stability, Stability::Attractor);
    assert!(fp.eigenvalues[0].1 > 0.0 && fp.eigenvalues[1].1 < 0.0);
}

/// x = tanh(2x) coordinate-wise in N = 2: the fixed points are {−x*, 0, x*}², nine of
/// them: the origin repels (slopes 2), the four corners attract (slope 2(1 − x*²) < 1) and
/// the four edge points are saddles. Found from a 7×7 grid of starts, each once, sorted.
#[test]
fn fixed_points_of_a_diagonal_tanh_network() {
    let net = tanh_net(&[2.0, 0.0, 0.0, 2.0], 2);
    let fps = fixed_points(&net, &grid(7, -1.5, 1.5, 2), 1e-12, 50);
    assert_eq!(fps.len(), 9, "{fps:?}");
    let count = |s| fps.iter().filter(|f| f.stability == s).count();
    assert_eq!(count(Stability::Attractor), 4);
    assert_eq!(count(Stability::Saddle), 4);
    assert_eq!(count(Stability::Repeller), 1);
    assert_eq!(fps[4].stability, Stability::Repeller);
    assert!(fps[4].x.iter().all(|c| c.abs() < 1e-12));
    for w in fps.windows(2) {
        assert!(w[0].x < w[1].x, "sorted: {:?} then {:?}", w[0].x, w[1].x);
    }
    for f in &fps {
        assert!(f.residual < 1e-12);
    }
    // Starts that fail (NaN) are dropped.
    assert!(fixed_points(&net, &[v(&[f64::NAN, 0.0])], 1e-12, 5).is_empty());
}
