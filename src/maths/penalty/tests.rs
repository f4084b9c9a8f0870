use super::*;

const ALL: [Penalty; 5] = [
    Penalty::None,
    Penalty::L2,
    Penalty::L1,
    Penalty::FiringRate,
    Penalty::HalfRate,
];

fn families() -> Vec<ActivationFamily> {
    vec![
        ActivationFamily::Paper {
            activation: Activation::Identity,
        },
        ActivationFamily::Paper {
            activation: Activation::Tanh { c: 0.3 },
        },
        ActivationFamily::Paper {
            activation: Activation::Sigmoid { c: 2.0 },
        },
        ActivationFamily::Mix { k: 0.4 },
        ActivationFamily::Gain { g: 0.7 },
    ]
}

/// A fixed 3×3 W with no zero entry (L1 is differentiable there) and two items.
fn setup() -> (DMatrix<f64>, Vec<DVector<f64>>) {
    let w = DMatrix::from_row_slice(3, 3, &[0.4, -0.3, 0.2, 0.1, 0.7, -0.5, -0.2, 0.3, 0.6]);
    let items = vec![
        DVector::from_vec(vec![1.0, 0.0, 1.0]),
        DVector::from_vec(vec![1.0, 1.0, 0.0]),
    ];
    (w, items)
}

/// The gradient is the derivative of the objective: central differences (step 1e-6, error
/// O(h²) ≈ 1e-12 times the third derivative) agree to 1e-7 for every penalty and every
/// activation family, λ = 0.3. Objective and gradient are separate code, so a slip in
/// either shows here.
#[test]
fn gradient_matches_finite_differences() {
    let (w, items) = setup();
    let h = 1e-6;
    for phi in families() {
        for penalty in ALL {
            let g = penalised_gradient(&w, &items, phi, penalty, 0.3);
            for i in 0..3 {
                for j in 0..3 {
                    let (mut wp, mut wm) = (w.clone(), w.clone());
                    wp[(i, j)] += h;
                    wm[(i, j)] -= h;
                    let fd = (penalised_objective(&wp, &items, phi, penalty, 0.3)
                        - penalised_objective(&wm, &items, phi, penalty, 0.3))
                        / (2.0 * h);
                    assert!(
                        (fd - g[(i, j)]).abs() < 1e-7,
                        "{phi:?} {penalty:?} ({i},{j}): fd {fd} vs {}",
                        g[(i, j)]
                    );
                }
            }
        }
    }
}

/// Closed forms at W = 0 with the identity: the output is 0, so L is the mean of x_i²
/// (the mean weight of the items), the firing rate R is 0 and the ½-rate R is N/4; with
/// no items J = λ R(W) with R = ‖W‖²_F (L2) or Σ|W_ij| (L1), and 0 without a penalty.
#[test]
fn objective_closed_forms() {
    let (w, items) = setup();
    let id = ActivationFamily::Paper {
        activation: Activation::Identity,
    };
    let zero = DMatrix::zeros(3, 3);
    let mean_weight = 4.0 / 6.0;
    let at_zero = |p| penalised_objective(&zero, &items, id, p, 0.5);
    assert!((at_zero(Penalty::None) - mean_weight).abs() < 1e-15);
    assert!((at_zero(Penalty::FiringRate) - mean_weight).abs() < 1e-15);
    assert!((at_zero(Penalty::HalfRate) - (mean_weight + 0.5 * 0.75)).abs() < 1e-15);
    let l2: f64 = w.iter().map(|v| v * v).sum();
    let l1: f64 = w.iter().map(|v| v.abs()).sum();
    let none = |p| penalised_objective(&w, &[], id, p, 0.5);
    assert!((none(Penalty::L2) - 0.5 * l2).abs() < 1e-15);
    assert!((none(Penalty::L1) - 0.5 * l1).abs() < 1e-15);
    assert_eq!(none(Penalty::None), 0.0);
    // One item, identity, W = I: the data term vanishes; the rates are Σ(x_i − c)².
    let one = [items[0].clone()];
    let eye = DMatrix::identity(3, 3);
    assert_eq!(penalised_objective(&eye, &one, id, Penalty::None, 1.0), 0.0);
    assert!((penalised_objective(&eye, &one, id, Penalty::FiringRate, 1.0) - 2.0).abs() < 1e-15);
    assert!((penalised_objective(&eye, &one, id, Penalty::HalfRate, 1.0) - 0.75).abs() < 1e-15);
    // The L1 subgradient is 0 at 0 (no items, W = 0: nothing moves).
    let g = penalised_gradient(&zero, &[], id, Penalty::L1, 1.0);
    assert_eq!(g, zero);
}

/// The families' ends: Mix at k = 0 and Gain at g → 0 are the identity, Mix at k = 1 and
/// Gain at g = 1 are tanh; Gain's slope at 0 is 1 for every g.
#[test]
fn activation_family_ends() {
    for z in [-2.5, -0.3, 0.0, 0.8, 3.0] {
        let t = tanh(z);
        assert_eq!(
            ActivationFamily::Mix { k: 0.0 }.value_and_slope(z),
            (z, 1.0)
        );
        assert_eq!(
            ActivationFamily::Gain { g: 0.0 }.value_and_slope(z),
            (z, 1.0)
        );
        let (y, dy) = ActivationFamily::Mix { k: 1.0 }.value_and_slope(z);
        assert_eq!((y, dy), (t, 1.0 - t * t));
        let (y, dy) = ActivationFamily::Gain { g: 1.0 }.value_and_slope(z);
        assert_eq!((y, dy), (t, 1.0 - t * t));
        let (y, _) = ActivationFamily::Gain { g: 1e-4 }.value_and_slope(z);
        assert!((y - z).abs() < 1e-7 * (1.0 + z.abs().powi(3)), "{z}: {y}");
    }
    for g in [0.3, 0.7, 1.5] {
        assert_eq!(
            ActivationFamily::Gain { g }.value_and_slope(0.0),
            (0.0, 1.0)
        );
    }
}

/// w* solves φ(w*) = 1 where 1 is in φ's range, and is absent where it is not.
#[test]
fn unit_preimage_solves_phi_equals_one() {
    let reachable = [
        ActivationFamily::Paper {
            activation: Activation::Identity,
        },
        ActivationFamily::Mix { k: 0.5 },
        ActivationFamily::Mix { k: 0.99 },
        ActivationFamily::Gain { g: 0.5 },
        ActivationFamily::Gain { g: 0.95 },
    ];
    for phi in reachable {
        let w = phi.unit_preimage().expect("1 is in the range");
        let (y, dy) = phi.value_and_slope(w);
        // Bisection to rounding: |φ(w*) − 1| is a few ulp times the slope.
        assert!(
            (y - 1.0).abs() < 1e-14 * (1.0 + dy),
            "{phi:?}: φ({w}) = {y}"
        );
        assert!(w > 0.0);
    }
    assert_eq!(
        ActivationFamily::Paper {
            activation: Activation::Identity
        }
        .unit_preimage(),
        Some(1.0)
    );
    for phi in [
        ActivationFamily::Paper {
            activation: Activation::Tanh { c: 0.0 },
        },
        ActivationFamily::Paper {
            activation: Activation::Sigmoid { c: 1.0 },
        },
        ActivationFamily::Mix { k: 1.0 },
        ActivationFamily::Gain { g: 1.0 },
        ActivationFamily::Gain { g: 2.0 },
    ] {
        assert_eq!(phi.unit_preimage(), None, "{phi:?}");
    }
}

/// With no items only the penalty acts, and the iterates have closed forms: L2 shrinks W
/// by (1 − 2ηλ) per step, L1's proximal step soft-thresholds by ηλ per step (exact zeros
/// once |W_ij| ≤ kηλ), and the rate penalties and none leave W as it is.
#[test]
fn penalty_only_training_has_closed_forms() {
    let (w, _) = setup();
    let id = ActivationFamily::Paper {
        activation: Activation::Identity,
    };
    let (lr, lambda, steps) = (0.1, 0.5, 5);
    let l2 = train_penalised(w.clone(), &[], id, Penalty::L2, lambda, lr, steps);
    let shrink = (1.0 - 2.0 * lr * lambda).powi(steps as i32);
    assert!((l2 - &w * shrink).amax() < 1e-15);
    let l1 = train_penalised(w.clone(), &[], id, Penalty::L1, lambda, lr, steps);
    let t = lr * lambda * steps as f64;
    let soft = w.map(|v| v.signum() * (v.abs() - t).max(0.0));
    assert!((&l1 - &soft).amax() < 1e-15, "{l1} vs {soft}");
    // |W_ij| ≤ 0.25 for three entries: exact zeros.
    assert_eq!(l1.iter().filter(|v| **v == 0.0).count(), 3);
    for p in [Penalty::None, Penalty::FiringRate, Penalty::HalfRate] {
        assert_eq!(train_penalised(w.clone(), &[], id, p, lambda, lr, steps), w);
    }
}

/// Without a penalty, gradient descent on the linear network changes W only by rows in
/// span X, so it tends to P + W₀(I − P) (P the projector onto span X): checked after
/// 2000 steps, where the error has shrunk below 1e-9. And each penalised run lowers J.
#[test]
fn linear_descent_ends_at_the_implicit_bias_and_descent_lowers_j() {
    let (w0, items) = setup();
    let id = ActivationFamily::Paper {
        activation: Activation::Identity,
    };
    let (p, rank) = span_projector(&items, 3);
    assert_eq!(rank, 2);
    let w = train_penalised(w0.clone(), &items, id, Penalty::None, 0.0, 0.5, 2000);
    let want = &p + &w0 * (DMatrix::identity(3, 3) - &p);
    assert!((&w - &want).amax() < 1e-9, "{w} vs {want}");
    for phi in families() {
        for penalty in ALL {
            let before = penalised_objective(&w0, &items, phi, penalty, 0.2);
            let w = train_penalised(w0.clone(), &items, phi, penalty, 0.2, 0.05, 20);
            let after = penalised_objective(&w, &items, phi, penalty, 0.2);
            assert!(after < before, "{phi:?} {penalty:?}: {before} -> {after}");
        }
    }
}

/// The projector is symmetric, idempotent, fixes the items and has trace = rank; a
/// dependent item (the sum of two others) does not raise the rank.
#[test]
fn span_projector_is_the_orthogonal_projector() {
    let v = |b: &[f64]| DVector::from_vec(b.to_vec());
    let items = [
        v(&[1.0, 1.0, 0.0, 0.0]),
        v(&[0.0, 1.0, 1.0, 0.0]),
        v(&[1.0, 2.0, 1.0, 0.0]),
    ];
    let (p, rank) = span_projector(&items, 4);
    assert_eq!(rank, 2);
    assert!((&p - p.transpose()).amax() < 1e-15);
    assert!((&p * &p - &p).amax() < 1e-15);
    assert!((p.trace() - 2.0).abs() < 1e-14);
    for x in &items {
        assert!((&p * x - x).amax() < 1e-14);
    }
    // e₄ is orthogonal to every item.
    assert!((&p * v(&[0.0, 0.0, 0.0, 1.0])).amax() < 1e-15);
    let (_, full) = span_projector(&[v(&[1.0, 0.0]), v(&[1.0, 1.0])], 2);
    assert_eq!(full, 2);
}

/// The limit on span X′: the identity reproduces every span point (loss 0); tanh maps a
/// positive coefficient to 1, so α e₂ + β e₃ costs ((1 − α)² + (1 − β)²)/3 for α, β > 0;
/// Mix and Gain lose (φ(α w*) − α)², computed here from w* directly.
#[test]
fn span_loss_limit_closed_forms() {
    let v = |b: &[f64]| DVector::from_vec(b.to_vec());
    let span = [
        v(&[0.0, 1.0, 1.0]),
        v(&[0.0, 2.0, 0.5]),
        v(&[0.0, 0.0, 0.0]),
    ];
    let id = ActivationFamily::Paper {
        activation: Activation::Identity,
    };
    assert!(span_loss_limit(id, &span).abs() < 1e-24);
    let th = ActivationFamily::Paper {
        activation: Activation::Tanh { c: 0.0 },
    };
    let want = (0.0 + (1.0 + 0.25) / 3.0 + 0.0) / 3.0;
    assert!((span_loss_limit(th, &span) - want).abs() < 1e-15);
    let mix = ActivationFamily::Mix { k: 0.5 };
    let w = mix.unit_preimage().unwrap();
    let e = |a: f64| (mix.value_and_slope(a * w).0 - a).powi(2);
    let want = ((e(1.0) * 2.0) / 3.0 + (e(2.0) + e(0.5)) / 3.0 + 0.0) / 3.0;
    assert!((span_loss_limit(mix, &span) - want).abs() < 1e-15);
    assert!(e(2.0) > 1e-3, "the mix is not linear at 2 w*");
    assert_eq!(span_loss_limit(mix, &[]), 0.0);
}

/// Labels are distinct and are the serialised form; the rate penalties pull towards 0 and ½.
#[test]
fn labels_and_rate_centres() {
    let labels: std::collections::BTreeSet<&str> = ALL.iter().map(|p| p.label()).collect();
    assert_eq!(labels.len(), 5);
    for p in ALL {
        assert!(!p.label().is_empty());
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, format!("\"{}\"", p.label()));
    }
    assert_eq!(Penalty::FiringRate.rate_centre(), Some(0.0));
    assert_eq!(Penalty::HalfRate.rate_centre(), Some(0.5));
    for p in [Penalty::None, Penalty::L2, Penalty::L1] {
        assert_eq!(p.rate_centre(), None);
    }
}
