// The platform's functions are an independent reference here (clippy.toml refuses them in
// the crate's own code).
#![allow(clippy::disallowed_methods)]
use super::*;

const ACTIVATIONS: [Activation; 3] = [
    Activation::Identity,
    Activation::Tanh { c: 0.4 },
    Activation::Sigmoid { c: 1.7 },
];

fn net(activation: Activation) -> Network {
    let w = DMatrix::from_row_slice(3, 3, &[0.5, -1.2, 0.3, 0.9, 0.2, -0.4, -0.7, 1.1, 0.8]);
    Network::new(w, activation).unwrap()
}

fn items() -> Vec<DVector<f64>> {
    vec![
        DVector::from_vec(vec![1.0, 0.0, 1.0]),
        DVector::from_vec(vec![1.0, 1.0, 0.0]),
        DVector::from_vec(vec![0.0, 1.0, 1.0]),
    ]
}

/// σ against its textbook form, σ(t) + σ(−t) = 1, and no overflow far out on either side
/// (the textbook form e^t/(1 + e^t) gives NaN at t = 800).
#[test]
fn logistic_is_stable_and_symmetric() {
    for t in [-30.0, -3.0, -0.5, 0.0, 0.25, 2.0, 30.0] {
        let s = logistic(t);
        assert!((s - 1.0 / (1.0 + f64::exp(-t))).abs() < 1e-15, "{t}");
        assert!((s + logistic(-t) - 1.0).abs() < 1e-15, "{t}");
    }
    assert_eq!(logistic(800.0), 1.0);
    assert_eq!(logistic(-800.0), 0.0);
    assert_eq!(logistic(0.0), 0.5);
}

/// φ' is the derivative of φ (central differences), the value and slope are the two
/// halves of `value_and_slope`, and the parametrisation is the paper's: tanh(z − c) is 0
/// at z = c, σ(cz) is ½ at 0 with slope c/4.
#[test]
fn activations_values_and_slopes() {
    let h = 1e-6;
    for act in ACTIVATIONS {
        for z in [-2.0, -0.3, 0.0, 0.6, 1.9] {
            let fd = (act.apply(z + h) - act.apply(z - h)) / (2.0 * h);
            assert!((fd - act.derivative(z)).abs() < 1e-8, "{act:?} at {z}");
            assert_eq!(act.value_and_slope(z), (act.apply(z), act.derivative(z)));
        }
    }
    assert_eq!(Activation::Identity.apply(-2.5), -2.5);
    assert_eq!(Activation::Tanh { c: 0.4 }.apply(0.4), 0.0);
    assert_eq!(Activation::Tanh { c: 0.4 }.derivative(0.4), 1.0);
    assert!((Activation::Tanh { c: 0.0 }.apply(1.0) - 1f64.tanh()).abs() < 1e-15);
    let s = Activation::Sigmoid { c: 1.7 };
    assert_eq!(s.apply(0.0), 0.5);
    assert!((s.derivative(0.0) - 1.7 / 4.0).abs() < 1e-15);
    assert!((s.apply(1.0) - 1.0 / (1.0 + f64::exp(-1.7))).abs() < 1e-15);
}

/// Names are the serde tags; every value lies in the open range and the ends are approached.
#[test]
fn names_and_ranges() {
    for act in ACTIVATIONS {
        let json = serde_json::to_value(act).unwrap();
        assert_eq!(json["kind"], act.name());
        let (lo, hi) = act.range();
        for z in [-40.0, -1.0, 0.0, 1.0, 40.0] {
            let y = act.apply(z);
            assert!(
                lo <= y && y <= hi,
                "{act:?}: φ({z}) = {y} outside ({lo}, {hi})"
            );
        }
        assert!((act.apply(-40.0) - lo).abs() < 1e-9 || lo == f64::NEG_INFINITY);
        assert!((act.apply(40.0) - hi).abs() < 1e-9 || hi == f64::INFINITY);
    }
    assert_eq!(
        Activation::Identity.range(),
        (f64::NEG_INFINITY, f64::INFINITY)
    );
    assert_eq!(Activation::Tanh { c: 0.0 }.range(), (-1.0, 1.0));
    assert_eq!(Activation::Sigmoid { c: 1.0 }.range(), (0.0, 1.0));
    let names: std::collections::BTreeSet<&str> = ACTIVATIONS.iter().map(|a| a.name()).collect();
    assert_eq!(names.len(), 3);
}

/// Forward, loss and gradient against their definitions: φ(Wx) element by element, eq. 7
/// summed by hand, L the mean of ℓ, ∂L/∂W by central differences, the Jacobian by central
/// differences of the map.
#[test]
fn forward_loss_gradient_and_jacobian_against_definitions() {
    let h = 1e-6;
    for act in ACTIVATIONS {
        let net = net(act);
        assert_eq!(net.n(), 3);
        let xs = items();
        for x in &xs {
            let y = net.forward(x);
            let z = &net.w * x;
            assert_eq!(net.preactivation(x), z);
            let mut l = 0.0;
            for i in 0..3 {
                assert_eq!(y[i], act.apply(z[i]));
                l += (y[i] - x[i]).powi(2);
            }
            assert!((net.pattern_loss(x) - l / 3.0).abs() < 1e-15);
            assert_eq!(
                net.pattern_gradient(x),
                net.gradient(std::slice::from_ref(x))
            );
            let jac = net.jacobian(x);
            for j in 0..3 {
                let (mut xp, mut xm) = (x.clone(), x.clone());
                xp[j] += h;
                xm[j] -= h;
                let col = (net.forward(&xp) - net.forward(&xm)) / (2.0 * h);
                for i in 0..3 {
                    assert!((col[i] - jac[(i, j)]).abs() < 1e-8, "{act:?} J({i},{j})");
                }
            }
        }
        let mean = xs.iter().map(|x| net.pattern_loss(x)).sum::<f64>() / 3.0;
        assert!((net.loss(&xs) - mean).abs() < 1e-15);
        assert!(net.loss(&xs) > 0.0);
        let g = net.gradient(&xs);
        for i in 0..3 {
            for j in 0..3 {
                let (mut p, mut m) = (net.clone(), net.clone());
                p.w[(i, j)] += h;
                m.w[(i, j)] -= h;
                let fd = (p.loss(&xs) - m.loss(&xs)) / (2.0 * h);
                assert!((fd - g[(i, j)]).abs() < 1e-8, "{act:?} ∂L/∂W({i},{j})");
            }
        }
        assert_eq!(net.loss(&[]), 0.0);
        assert_eq!(net.gradient(&[]), DMatrix::zeros(3, 3));
    }
    // The identity network W = I reproduces every pattern: loss 0.
    let eye = Network::new(DMatrix::identity(3, 3), Activation::Identity).unwrap();
    assert_eq!(eye.loss(&items()), 0.0);
    let empty = Network::new(DMatrix::zeros(0, 0), Activation::Identity).unwrap();
    assert_eq!(empty.pattern_loss(&DVector::zeros(0)), 0.0);
}

#[test]
fn non_square_weights_are_refused() {
    let err = Network::new(DMatrix::zeros(2, 3), Activation::Identity).unwrap_err();
    assert!(matches!(
        err,
        Error::DimensionMismatch {
            expected: 2,
            found: 3,
            ..
        }
    ));
}

/// `reproduces`: the linear network W = g·I maps a pattern's 1s to g and keeps its 0s, so it
/// reproduces every pattern with a 1 exactly when |g − 1| < 1/2 (the output rounds back),
/// not at |g − 1| = 1/2 itself; the all-zero pattern it reproduces for every g.
#[test]
fn reproduces_means_the_output_rounds_to_the_pattern() {
    let x = DVector::from_vec(vec![1.0, 0.0, 1.0]);
    let zero = DVector::zeros(3);
    for (g, holds) in [
        (1.0, true),
        (0.6, true),
        (1.4, true),
        (0.5, false),
        (1.5, false),
        (0.2, false),
        (-1.0, false),
    ] {
        let net = Network::new(DMatrix::identity(3, 3) * g, Activation::Identity).unwrap();
        assert_eq!(net.reproduces(&x), holds, "g = {g}");
        assert!(net.reproduces(&zero), "g = {g}");
    }
}

/// The sigmoid's exponential is `libm::exp` (a pure-Rust port of musl's, so the same bits on
/// every platform), documented as within 1 ulp: checked against 6000 values correctly rounded
/// from 256-bit mpmath (`data/exp_reference.txt`, written by `data/make_exp_reference.py`). exp
/// is positive, so the distance in ulp is the distance between the bit patterns.
#[test]
fn sigmoid_exp_is_within_one_ulp_of_the_correctly_rounded_value() {
    let reference = include_str!("../../../data/exp_reference.txt");
    let mut exact = 0usize;
    let mut total = 0usize;
    for line in reference.lines() {
        let (x, e) = line.split_once(' ').expect("two fields");
        let x = f64::from_bits(u64::from_str_radix(x, 16).expect("hex"));
        let e = u64::from_str_radix(e, 16).expect("hex");
        let ours = libm::exp(x).to_bits();
        assert!(ours.abs_diff(e) <= 1, "exp({x:e}): {ours:x} vs {e:x}");
        exact += usize::from(ours == e);
        total += 1;
    }
    assert_eq!(total, 6000);
    // Most are exact (5643 of 6000 when written; libm promises < 1 ulp, not correct rounding):
    // a check that the file and the function agree in the bulk, not only within the bound.
    assert!(exact * 10 >= total * 9, "{exact} of {total} exact");
    // And the logistic uses it: σ(t) = 1/(1 + e^{−t}) to the bit for t ≥ 0.
    for t in [0.0, 0.5, 1.7, 3.0, 12.0] {
        assert_eq!(logistic(t), 1.0 / (1.0 + libm::exp(-t)));
    }
}
