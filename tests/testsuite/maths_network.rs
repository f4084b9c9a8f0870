//! Integration tests of the mathematics behind the paper's networks (§2 eq. 7), their training
//! (§3.1.1) and their dynamics (§3.1.2, §3.2): every expected value is derived in the test's
//! doc comment, independently of the code under test, and every tolerance is justified there.

use items_or_relations::Error;
use items_or_relations::dynamics::{
    STABILITY_TOL, Stability, classify, fixed_points, flow_field, grid, iterate, newton_fixed_point,
};
use items_or_relations::network::{Activation, Network};
use items_or_relations::train::{
    Batching, Init, Optimizer, TrainParams, matrix_from_rows, matrix_rows, train, train_from,
};
use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// A binary pattern from a string such as `"101"`.
fn pat(s: &str) -> DVector<f64> {
    DVector::from_iterator(s.len(), s.chars().map(|c| if c == '1' { 1.0 } else { 0.0 }))
}

/// The paper's running example X = {101, 110} (N = 3).
fn items_101_110() -> Vec<DVector<f64>> {
    vec![pat("101"), pat("110")]
}

/// The orthogonal projector onto span{101, 110}, written out by hand:
/// with X = [x₁ x₂], XᵀX = [[2, 1], [1, 2]], (XᵀX)⁻¹ = (1/3)[[2, −1], [−1, 2]] and
/// P = X(XᵀX)⁻¹Xᵀ = (1/3)[[2, 1, 1], [1, 2, −1], [1, −1, 2]].
/// (Check: P·101 = (1/3)(3, 0, 3) = 101; P·110 = (1/3)(3, 3, 0) = 110; P·(1, −1, −1) = 0.)
fn projector_101_110() -> DMatrix<f64> {
    DMatrix::from_row_slice(3, 3, &[2.0, 1.0, 1.0, 1.0, 2.0, -1.0, 1.0, -1.0, 2.0]) / 3.0
}

/// Largest absolute entry of a − b.
fn max_abs_diff(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    (a - b).amax()
}

fn params(
    activation: Activation,
    init: Init,
    optimizer: Optimizer,
    batching: Batching,
) -> TrainParams {
    TrainParams {
        activation,
        init,
        optimizer,
        batching,
        max_steps: 10_000,
        loss_threshold: None,
        seed: 7,
        record_every: 1,
    }
}

const ACTIVATIONS: [Activation; 3] = [
    Activation::Identity,
    Activation::Tanh { c: 0.5 },
    Activation::Sigmoid { c: 2.0 },
];

/// A seeded random network and patterns for the derivative checks: W_ij ~ N(0, 0.5²),
/// three random binary patterns of length 4.
fn random_setup(activation: Activation, seed: u64) -> (Network, Vec<DVector<f64>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let w = Init::Normal {
        mean: 0.0,
        std: 0.5,
    }
    .sample(4, &mut rng)
    .unwrap();
    let items = (0..3)
        .map(|_| DVector::from_fn(4, |_, _| f64::from(rng.random_range(0..2u8))))
        .collect();
    (Network::new(w, activation).unwrap(), items)
}

// ---------------------------------------------------------------------------------------------
// network.rs
// ---------------------------------------------------------------------------------------------

/// ∂L/∂W from `Network::gradient` equals the central difference (L(W + hE_ij) − L(W − hE_ij))/2h
/// for every entry, for all three activations.
///
/// Tolerance: the central difference has truncation error (h²/6)|∂³L/∂W_ij³| ≈ 1.7·10⁻¹³·O(1)
/// for h = 10⁻⁶ (L is a smooth composition of O(1) functions, so its third derivatives are
/// O(1)), and rounding error about 2ε|L|/(2h) ≈ 2.2·10⁻¹⁶·|L|/10⁻⁶ ≈ 2·10⁻¹⁰·|L|, with
/// |L| ≤ 4 here (|φ − x| ≤ 2). The sum is below 10⁻⁹; we allow 10⁻⁸ absolute plus 10⁻⁸
/// relative, i.e. the ~10⁻⁸ relative agreement the choice h = 10⁻⁶ can deliver. A wrong
/// factor (2/N, φ', a transpose) would show up at O(10⁻¹).
#[test]
fn gradient_equals_central_finite_differences_for_identity_tanh_and_sigmoid() {
    let h = 1e-6;
    for (s, activation) in ACTIVATIONS.into_iter().enumerate() {
        let (net, items) = random_setup(activation, 100 + s as u64);
        let g = net.gradient(&items);
        for i in 0..4 {
            for j in 0..4 {
                let mut plus = net.clone();
                plus.w[(i, j)] += h;
                let mut minus = net.clone();
                minus.w[(i, j)] -= h;
                let fd = (plus.loss(&items) - minus.loss(&items)) / (2.0 * h);
                let err = (fd - g[(i, j)]).abs();
                assert!(
                    err <= 1e-8 + 1e-8 * g[(i, j)].abs(),
                    "{} W[{i},{j}]: analytic {} vs finite difference {fd} (error {err:e})",
                    activation.name(),
                    g[(i, j)]
                );
            }
        }
    }
}

/// The gradient of the training loss is the mean of the per-pattern gradients, each of which
/// is (2/N)((ŷ − x) ⊙ φ'(Wx))xᵀ written out entry by entry here.
///
/// Tolerance: the two sides add the same O(1) terms in different orders and scalings, so they
/// differ by a few roundings of size ε·O(1) ≈ 10⁻¹⁶; 10⁻¹⁴ leaves a wide margin.
#[test]
fn training_gradient_is_mean_of_explicit_pattern_gradients() {
    for (s, activation) in ACTIVATIONS.into_iter().enumerate() {
        let (net, items) = random_setup(activation, 200 + s as u64);
        let n = net.n() as f64;
        let mut mean = DMatrix::zeros(4, 4);
        for x in &items {
            let z = &net.w * x;
            let explicit = DMatrix::from_fn(4, 4, |i, j| {
                2.0 / n * (activation.apply(z[i]) - x[i]) * activation.derivative(z[i]) * x[j]
            });
            assert!(max_abs_diff(&explicit, &net.pattern_gradient(x)) < 1e-14);
            mean += explicit / items.len() as f64;
        }
        assert!(max_abs_diff(&mean, &net.gradient(&items)) < 1e-14);
    }
}

/// dφ/dz from `Activation::derivative` equals (φ(z + h) − φ(z − h))/2h on a grid of z in
/// [−5, 5], for identity, tanh(z − 0.5) and σ(2z).
///
/// Tolerance: truncation (h²/6)|φ'''| ≤ 10⁻¹²/6·|φ'''| with |φ'''| ≤ 2 for tanh and
/// ≤ c³/8 = 1 for σ(2z); rounding ≈ 2ε·|φ|/(2h) ≈ 2.2·10⁻¹⁰ with |φ| ≤ 1 (≤ 5 for the
/// identity, where the difference is exact up to ≈ 10⁻⁹). 10⁻⁸ holds with margin.
#[test]
fn activation_derivative_equals_central_finite_differences() {
    let h = 1e-6;
    for activation in ACTIVATIONS {
        for k in 0..=100 {
            let z = -5.0 + 0.1 * f64::from(k);
            let fd = (activation.apply(z + h) - activation.apply(z - h)) / (2.0 * h);
            let d = activation.derivative(z);
            assert!(
                (fd - d).abs() < 1e-8,
                "{} at z = {z}: {d} vs {fd}",
                activation.name()
            );
        }
    }
}

/// The paper's parametrisation, checked at points where the value is known exactly:
/// tanh(z − c) vanishes at z = c with slope 1; σ(cz) is 1/2 at 0 with slope c/4; the identity
/// has slope 1. Names are the serde tags and the images are (−∞, ∞), (−1, 1), (0, 1).
/// Exact comparisons: each value is a single correctly rounded operation on exact inputs.
#[test]
fn activations_have_the_papers_parametrisation_names_and_ranges() {
    let tanh = Activation::Tanh { c: 0.5 };
    let sig = Activation::Sigmoid { c: 2.0 };
    assert_eq!(tanh.apply(0.5), 0.0);
    assert_eq!(tanh.derivative(0.5), 1.0);
    assert_eq!(sig.apply(0.0), 0.5);
    assert_eq!(sig.derivative(0.0), 0.5);
    assert_eq!(Activation::Identity.apply(-3.25), -3.25);
    assert_eq!(Activation::Identity.derivative(7.0), 1.0);
    assert_eq!(
        ["identity", "tanh", "sigmoid"],
        ACTIVATIONS.map(|a| a.name())
    );
    assert_eq!(
        Activation::Identity.range(),
        (f64::NEG_INFINITY, f64::INFINITY)
    );
    assert_eq!(tanh.range(), (-1.0, 1.0));
    assert_eq!(sig.range(), (0.0, 1.0));
    // The sigmoid saturates without overflow or NaN far out on either side.
    assert_eq!(sig.apply(-1e6), 0.0);
    assert_eq!(sig.apply(1e6), 1.0);
    assert_eq!(sig.derivative(-1e6), 0.0);
    // Serialised with an internal "kind" tag.
    let json = serde_json::to_string(&tanh).unwrap();
    assert_eq!(json, r#"{"kind":"tanh","c":0.5}"#);
    assert_eq!(serde_json::from_str::<Activation>(&json).unwrap(), tanh);
}

/// With the identity activation and W = I, φ(Wx) = x for every x, so eq. 7 gives loss 0 and
/// gradient 0. This holds exactly in floating point: each (Ix)_i = 1·x_i + Σ_{j≠i} 0·x_j is
/// x_i without rounding, so every error term is exactly 0.
#[test]
fn identity_weights_give_exactly_zero_loss_on_any_patterns() {
    let net = Network::new(DMatrix::identity(4, 4), Activation::Identity).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let normal = Normal::new(0.0, 10.0).unwrap();
    let mut items: Vec<DVector<f64>> = ["0000", "1111", "1010", "0110"].map(pat).to_vec();
    items.extend((0..5).map(|_| DVector::from_fn(4, |_, _| normal.sample(&mut rng))));
    assert_eq!(net.loss(&items), 0.0);
    for x in &items {
        assert_eq!(net.pattern_loss(x), 0.0);
    }
    assert_eq!(net.gradient(&items), DMatrix::zeros(4, 4));
    assert_eq!(net.loss(&[]), 0.0);
}

/// Eq. 7 on a hand example: W = 0 with the identity maps everything to 0, so the loss of x
/// is |x|₁/N (the number of ones over N): 2/3 for 101 and 1/3 for 100, mean 1/2. With
/// tanh(z − c), W = 0 gives ŷ = tanh(−c) everywhere. Exact up to one rounding (10⁻¹⁵).
#[test]
fn pattern_loss_matches_hand_computation() {
    let net = Network::new(DMatrix::zeros(3, 3), Activation::Identity).unwrap();
    assert!((net.pattern_loss(&pat("101")) - 2.0 / 3.0).abs() < 1e-15);
    assert!((net.loss(&[pat("101"), pat("100")]) - 0.5).abs() < 1e-15);
    let c: f64 = 0.5;
    let t = Network::new(DMatrix::zeros(3, 3), Activation::Tanh { c }).unwrap();
    let y = (-c).tanh();
    let expected = ((y - 1.0).powi(2) * 2.0 + y * y) / 3.0;
    assert!((t.pattern_loss(&pat("101")) - expected).abs() < 1e-15);
}

/// The Jacobian diag(φ'(Wx))W of the map equals central differences of φ_W column by column.
/// Tolerance as for the gradient: truncation ≈ 10⁻¹³, rounding ≈ 2·10⁻¹⁰·|φ_W| with
/// |φ_W| ≤ a few; 10⁻⁸.
#[test]
fn jacobian_equals_central_finite_differences() {
    let h = 1e-6;
    for (s, activation) in ACTIVATIONS.into_iter().enumerate() {
        let (net, items) = random_setup(activation, 300 + s as u64);
        let x = &items[0] * 0.7 + DVector::from_element(4, 0.1);
        let j = net.jacobian(&x);
        for col in 0..4 {
            let mut e = DVector::zeros(4);
            e[col] = h;
            let fd = (net.forward(&(&x + &e)) - net.forward(&(&x - &e))) / (2.0 * h);
            for row in 0..4 {
                assert!((fd[row] - j[(row, col)]).abs() < 1e-8);
            }
        }
    }
}

/// A weight matrix must be square (the map is ℝ^N → ℝ^N).
#[test]
fn network_rejects_non_square_weights() {
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

// ---------------------------------------------------------------------------------------------
// train.rs
// ---------------------------------------------------------------------------------------------

/// Full-batch SGD, identity activation, X = {101, 110}, W₀ = 0: the limit is the
/// minimum-norm interpolating solution, the orthogonal projector P = X(XᵀX)⁻¹Xᵀ.
///
/// Derivation: L(W) = (1/(mN))‖(W − I)X‖²_F, so ∇L = (2/(mN))(W − I)XXᵀ and, with
/// D = W − I, D ← D(I − η'XXᵀ), η' = 2η/(mN) = η/3. Split D₀ = D₀P + D₀(I − P): since
/// (I − P)X = 0 the second part never changes, while D₀P(I − η'XXᵀ)ᵗ → 0 because on span X
/// the matrix η'XXᵀ has eigenvalues η'·{3, 1} = {η, η/3} ⊂ (0, 2). Hence
/// W_∞ = I + (W₀ − I)(I − P) = W₀ + (I − W₀)P, which for W₀ = 0 is P (also: every update
/// is (…)Xᵀ, so W stays in the row space {AXᵀ}, and the interpolating W there is P).
/// P is checked both against the hand-written (1/3)[[2,1,1],[1,2,−1],[1,−1,2]] and against
/// X(XᵀX)⁻¹Xᵀ computed with nalgebra.
///
/// With η = 1 the contraction factors are 1 − η = 0 and 1 − η/3 = 2/3, so the loss, which is
/// quadratic in D₀P(…)ᵗ, falls like (2/3)^{2t}: below 10⁻²⁴ after ≈ 70 steps. Tolerance on
/// W: the remaining error is ≈ √(N·L) ≈ 10⁻¹² plus ≈ 70 roundings of the unchanged part
/// (each ≈ 10⁻¹⁶), far below 10⁻¹⁰.
#[test]
fn sgd_full_batch_from_zero_converges_to_orthogonal_projector_onto_span_x() {
    let items = items_101_110();
    let x = DMatrix::from_columns(&items);
    let p_lin = &x * (x.transpose() * &x).try_inverse().unwrap() * x.transpose();
    let p = projector_101_110();
    assert!(max_abs_diff(&p, &p_lin) < 1e-15);

    let mut prm = params(
        Activation::Identity,
        Init::Zeros,
        Optimizer::Sgd { lr: 1.0 },
        Batching::Full,
    );
    prm.loss_threshold = Some(1e-24);
    let res = train(&items, &prm).unwrap();
    assert!(
        res.converged,
        "loss {} after {} steps",
        res.final_loss, res.steps
    );
    assert!(res.final_loss < 1e-20);
    assert!(res.steps < 200);
    assert!(max_abs_diff(&res.weights(), &p) < 1e-10);
    assert_eq!(*res.initial_w, DMatrix::zeros(3, 3));
}

/// Same as above from W₀ = 𝟙𝟙ᵀ (all ones): the limit is W₀ + (I − W₀)P (derivation in the
/// previous test). By hand: 𝟙𝟙ᵀP has every row equal to the column sums of P,
/// (4/3, 2/3, 2/3), so W_∞ = 𝟙𝟙ᵀ + P − 𝟙𝟙ᵀP = [[1/3, 2/3, 2/3], [0, 1, 0], [0, 0, 1]]:
/// rows 2 and 3 become exactly the identity rows, while row 1 keeps the component of its
/// initial value (1, 1, 1) along the null direction (1, −1, −1)/√3 of X. It maps 101 ↦ 101
/// and 110 ↦ 110 but is not the projector: the initialisation is remembered. Tolerances as
/// in the previous test.
#[test]
fn sgd_full_batch_from_ones_converges_to_w0_plus_identity_minus_w0_times_projector() {
    let items = items_101_110();
    let p = projector_101_110();
    let w0 = DMatrix::from_element(3, 3, 1.0);
    let closed_form = &w0 + (DMatrix::identity(3, 3) - &w0) * &p;
    let by_hand = DMatrix::from_row_slice(
        3,
        3,
        &[
            1.0 / 3.0,
            2.0 / 3.0,
            2.0 / 3.0,
            0.0,
            1.0,
            0.0,
            0.0,
            0.0,
            1.0,
        ],
    );
    assert!(max_abs_diff(&closed_form, &by_hand) < 1e-15);

    let mut prm = params(
        Activation::Identity,
        Init::Ones,
        Optimizer::Sgd { lr: 1.0 },
        Batching::Full,
    );
    prm.loss_threshold = Some(1e-24);
    let res = train(&items, &prm).unwrap();
    assert!(res.converged);
    assert!(res.final_loss < 1e-20);
    assert!(max_abs_diff(&res.weights(), &by_hand) < 1e-10);
    assert!(max_abs_diff(&res.weights(), &p) > 0.1);
    // train_from with the same W₀ is the same run.
    let again = train_from(&items, w0, &prm).unwrap();
    assert_eq!(again, res);
}

/// Adam equals a hand-written reference of the update rule for steps 1, 2 and 3:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², W ← W − η(m/(1−β₁ᵗ))/(√(v/(1−β₂ᵗ)) + ε), with g the
/// full-batch gradient (itself checked against finite differences above).
///
/// Tolerance 10⁻¹⁵ relative: the reference performs the same floating-point operations in the
/// same order on the same gradient, so agreement is expected to be exact; the margin only
/// allows for a compiler contracting a multiply-add differently in the two places.
#[test]
fn adam_matches_reference_implementation_for_three_steps() {
    let items = vec![pat("1011"), pat("0110"), pat("1100")];
    let activation = Activation::Tanh { c: 0.5 };
    let init = Init::Normal {
        mean: 0.0,
        std: 0.3,
    };
    let (lr, b1, b2, eps): (f64, f64, f64, f64) = (0.01, 0.9, 0.999, 1e-8);
    let mut prm = params(activation, init, Optimizer::adam(lr), Batching::Full);

    let mut w = init
        .sample(4, &mut ChaCha8Rng::seed_from_u64(prm.seed))
        .unwrap();
    let mut m: DMatrix<f64> = DMatrix::zeros(4, 4);
    let mut v: DMatrix<f64> = DMatrix::zeros(4, 4);
    for t in 1..=3 {
        let g = Network::new(w.clone(), activation)
            .unwrap()
            .gradient(&items);
        for k in 0..16 {
            m[k] = b1 * m[k] + (1.0 - b1) * g[k];
            v[k] = b2 * v[k] + (1.0 - b2) * g[k] * g[k];
            let m_hat = m[k] / (1.0 - b1.powi(t));
            let v_hat = v[k] / (1.0 - b2.powi(t));
            w[k] -= lr * m_hat / (v_hat.sqrt() + eps);
        }
        prm.max_steps = t as usize;
        let got = train(&items, &prm).unwrap().weights();
        for k in 0..16 {
            let scale = w[k].abs().max(got[k].abs());
            assert!(
                (w[k] - got[k]).abs() <= 1e-15 * scale,
                "step {t}, entry {k}: {} vs {}",
                got[k],
                w[k]
            );
        }
    }
}

/// Momentum (PyTorch form) by hand with N = 1, x = (1), identity, W₀ = 0, η = 0.1, μ = 0.9:
/// L(w) = (w − 1)², g = 2(w − 1).
/// Step 1: g₀ = −2, b = g₀ = −2, w₁ = 0 − 0.1·(−2) = 0.2.
/// Step 2: g₁ = 2(0.2 − 1) = −1.6, b = 0.9·(−2) − 1.6 = −3.4, w₂ = 0.2 + 0.34 = 0.54.
/// Losses: L₀ = 1, L₁ = 0.64, L₂ = 0.46² = 0.2116. (Plain SGD would give w₂ = 0.36.)
/// Tolerance 10⁻¹⁴: about ten roundings of numbers ≤ 3.4, each ≤ 2⁻⁵³·4 ≈ 4.4·10⁻¹⁶.
#[test]
fn momentum_matches_hand_computation_for_two_steps() {
    let items = vec![DVector::from_element(1, 1.0)];
    let mut prm = params(
        Activation::Identity,
        Init::Zeros,
        Optimizer::Momentum {
            lr: 0.1,
            momentum: 0.9,
        },
        Batching::Full,
    );
    prm.max_steps = 1;
    let one = train(&items, &prm).unwrap();
    assert!((one.w[(0, 0)] - 0.2).abs() < 1e-14);
    prm.max_steps = 2;
    let two = train(&items, &prm).unwrap();
    assert!((two.w[(0, 0)] - 0.54).abs() < 1e-14);
    let expected = [(0, 1.0), (1, 0.64), (2, 0.2116)];
    assert_eq!(two.loss_curve.len(), 3);
    for ((s, l), (es, el)) in two.loss_curve.iter().zip(expected) {
        assert_eq!(*s, es);
        assert!((l - el).abs() < 1e-14);
    }
    prm.optimizer = Optimizer::Sgd { lr: 0.1 };
    let sgd = train(&items, &prm).unwrap();
    assert!((sgd.w[(0, 0)] - 0.36).abs() < 1e-14);
}

/// The delta rule ΔW = η_Δ((x − ŷ) ⊙ φ'(Wx))xᵀ (batch mean) lacks the gradient's factor 2/N,
/// so it is SGD with learning rate η = η_Δ·N/2. By hand for N = 1, x = (1), w₀ = 0,
/// η_Δ = 0.1: w₁ = 0 + 0.1·(1 − 0) = 0.1, w₂ = 0.1 + 0.1·(1 − 0.1) = 0.19 (tolerance 10⁻¹⁵:
/// three roundings of numbers < 1). For N = 3 (tanh, random init, shuffled online order,
/// same seed so the same order) delta rule with η_Δ = 0.2 and SGD with η = 0.3 agree to
/// 10⁻¹² after 50 steps: they differ only by the rounding of the scalings (≈ 10⁻¹⁶ per step,
/// amplified at most mildly by this contracting iteration).
#[test]
fn delta_rule_is_sgd_with_learning_rate_scaled_by_n_over_2() {
    let one = vec![DVector::from_element(1, 1.0)];
    let mut prm = params(
        Activation::Identity,
        Init::Zeros,
        Optimizer::DeltaRule { lr: 0.1 },
        Batching::Full,
    );
    prm.max_steps = 2;
    assert!((train(&one, &prm).unwrap().w[(0, 0)] - 0.19).abs() < 1e-15);

    let items = items_101_110();
    let mut delta = params(
        Activation::Tanh { c: 0.5 },
        Init::Uniform {
            low: 0.0,
            high: 1.0,
        },
        Optimizer::DeltaRule { lr: 0.2 },
        Batching::Online { shuffle: true },
    );
    delta.max_steps = 50;
    let mut sgd = delta.clone();
    sgd.optimizer = Optimizer::Sgd {
        lr: 0.2 * 3.0 / 2.0,
    };
    let (a, b) = (train(&items, &delta).unwrap(), train(&items, &sgd).unwrap());
    assert!(max_abs_diff(&a.weights(), &b.weights()) < 1e-12);
    assert!(max_abs_diff(&a.weights(), &a.initial_w.0.clone()) > 1e-3);
}

/// One seed determines the run: the same parameters give an identical `TrainResult`
/// (bit for bit: no state outside the seeded generator), and another seed draws another
/// random initial W (two independent 9-entry normal draws coincide with probability 0).
#[test]
fn same_seed_gives_identical_result_and_other_seed_differs() {
    let items = items_101_110();
    let mut prm = params(
        Activation::Sigmoid { c: 2.0 },
        Init::Normal {
            mean: 0.0,
            std: 0.05,
        },
        Optimizer::adam(0.05),
        Batching::WithReplacement { batch_size: 2 },
    );
    prm.max_steps = 300;
    prm.record_every = 25;
    let a = train(&items, &prm).unwrap();
    let b = train(&items, &prm).unwrap();
    assert_eq!(a, b);
    prm.seed = 8;
    let c = train(&items, &prm).unwrap();
    assert_ne!(a.initial_w, c.initial_w);
    assert_ne!(a.w, c.w);
}

/// Online learning, identity activation, X = {101, 110}, W₀ = 0, η = 0.5: each step is
/// W ← W − η(2/N)(Wx − x)xᵀ, which again keeps W in the row space {AXᵀ} and shrinks the
/// error along x by 1 − η(2/N)|x|² = 1 − 0.5·(2/3)·2 = 1/3, so both orders converge, and to
/// the same limit, the projector P (the interpolating W of minimum norm; tolerance as in the
/// full-batch test). The paths differ: the shuffled run visits the items in another order in
/// some epoch (each epoch is [0, 1] or [1, 0] with probability 1/2), so the recorded loss
/// curves are not identical.
#[test]
fn online_fixed_and_shuffled_orders_differ_but_both_converge_to_the_projector() {
    let items = items_101_110();
    let p = projector_101_110();
    let mut fixed = params(
        Activation::Identity,
        Init::Zeros,
        Optimizer::Sgd { lr: 0.5 },
        Batching::Online { shuffle: false },
    );
    fixed.loss_threshold = Some(1e-24);
    let mut shuffled = fixed.clone();
    shuffled.batching = Batching::Online { shuffle: true };
    let a = train(&items, &fixed).unwrap();
    let b = train(&items, &shuffled).unwrap();
    assert!(a.converged && b.converged);
    assert!(a.final_loss < 1e-20 && b.final_loss < 1e-20);
    assert!(max_abs_diff(&a.weights(), &p) < 1e-10);
    assert!(max_abs_diff(&b.weights(), &p) < 1e-10);
    assert_ne!(a.loss_curve, b.loss_curve);
}

/// The unshuffled online order is the given order: after one step from W₀ = 0 only the first
/// item has been seen, and the update from W = 0 is −η(2/N)(0 − x)xᵀ, so W₁ = η(2/N)x₁x₁ᵀ.
/// With x₁ = 101, η = 0.75, N = 3: W₁ = 0.5·x₁x₁ᵀ (had 110 come first, W₁ would differ in
/// four entries by 0.5). Tolerance 10⁻¹⁵: two roundings of 0.75·(2/3).
#[test]
fn online_without_shuffle_uses_items_in_given_order() {
    let items = items_101_110();
    let mut prm = params(
        Activation::Identity,
        Init::Zeros,
        Optimizer::Sgd { lr: 0.75 },
        Batching::Online { shuffle: false },
    );
    prm.max_steps = 1;
    let w1 = train(&items, &prm).unwrap().weights();
    let x1 = &items[0];
    assert!(max_abs_diff(&w1, &(x1 * x1.transpose() * 0.5)) < 1e-15);
}

/// The loss curve holds step 0, every `record_every`-th step and the final step, and stops at
/// the threshold: checked before every step, so a threshold met by W₀ gives 0 steps.
#[test]
fn loss_curve_records_start_every_kth_and_final_step_and_threshold_stops() {
    let items = items_101_110();
    let mut prm = params(
        Activation::Tanh { c: 0.5 },
        Init::Uniform {
            low: 0.0,
            high: 1.0,
        },
        Optimizer::Sgd { lr: 0.1 },
        Batching::Full,
    );
    prm.max_steps = 23;
    prm.record_every = 10;
    let res = train(&items, &prm).unwrap();
    let steps: Vec<usize> = res.loss_curve.iter().map(|p| p.0).collect();
    assert_eq!(steps, vec![0, 10, 20, 23]);
    assert_eq!(res.steps, 23);
    assert!(!res.converged);
    assert_eq!(res.loss_curve.last().unwrap().1, res.final_loss);
    assert_eq!(res.final_loss, res.network(prm.activation).loss(&items));

    prm.loss_threshold = Some(10.0);
    let res = train(&items, &prm).unwrap();
    assert_eq!((res.steps, res.converged), (0, true));
    assert_eq!(res.loss_curve.len(), 1);
    assert_eq!(res.initial_w, res.w);
}

/// Initial matrices are drawn row-major from the run's generator: `Init::sample` equals nine
/// successive N(0, 0.05²) draws laid out row by row (same generator, same distribution
/// object, hence bit-identical), and labels follow the paper.
#[test]
fn init_draws_row_major_and_labels_follow_the_paper() {
    let init = Init::Normal {
        mean: 0.0,
        std: 0.05,
    };
    let w = init.sample(3, &mut ChaCha8Rng::seed_from_u64(11)).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let normal = Normal::new(0.0, 0.05).unwrap();
    let draws: Vec<f64> = (0..9).map(|_| normal.sample(&mut rng)).collect();
    assert_eq!(w, DMatrix::from_row_slice(3, 3, &draws));
    assert_eq!(matrix_rows(&w)[0], draws[0..3].to_vec());
    assert_eq!(matrix_from_rows(&matrix_rows(&w)).unwrap(), w);

    let u = Init::Uniform {
        low: 0.0,
        high: 1.0,
    }
    .sample(5, &mut ChaCha8Rng::seed_from_u64(1))
    .unwrap();
    assert!(u.iter().all(|v| (0.0..1.0).contains(v)));

    assert_eq!(Init::Zeros.label(), "0");
    assert_eq!(Init::Ones.label(), "1");
    assert_eq!(
        Init::Uniform {
            low: 0.0,
            high: 1.0
        }
        .label(),
        "U(0,1)"
    );
    assert_eq!(init.label(), "N(0,0.05)");
    assert_eq!(Optimizer::Sgd { lr: 0.1 }.label(), "SGD (lr=0.1)");
    assert_eq!(Optimizer::adam(0.001).label(), "Adam (lr=0.001)");
}

/// Invalid inputs are refused with the matching error instead of producing NaNs.
#[test]
fn training_rejects_invalid_inputs() {
    let items = items_101_110();
    let ok = params(
        Activation::Identity,
        Init::Zeros,
        Optimizer::Sgd { lr: 0.1 },
        Batching::Full,
    );
    assert_eq!(train(&[], &ok), Err(Error::EmptySet));
    assert!(matches!(
        train(&[pat("101"), pat("11")], &ok),
        Err(Error::DimensionMismatch {
            expected: 3,
            found: 2,
            ..
        })
    ));
    let bad = |f: &dyn Fn(&mut TrainParams)| {
        let mut p = ok.clone();
        f(&mut p);
        matches!(train(&items, &p), Err(Error::InvalidParameter { .. }))
    };
    assert!(bad(&|p| p.optimizer = Optimizer::Sgd { lr: 0.0 }));
    assert!(bad(&|p| p.optimizer = Optimizer::DeltaRule { lr: -1.0 }));
    assert!(bad(&|p| {
        p.optimizer = Optimizer::Momentum {
            lr: 0.1,
            momentum: 1.0,
        }
    }));
    assert!(bad(&|p| {
        p.optimizer = Optimizer::Adam {
            lr: 0.1,
            beta1: 1.0,
            beta2: 0.999,
            eps: 1e-8,
        }
    }));
    assert!(bad(
        &|p| p.batching = Batching::WithReplacement { batch_size: 0 }
    ));
    assert!(bad(&|p| p.record_every = 0));
    assert!(bad(&|p| p.init = Init::Uniform {
        low: 1.0,
        high: 1.0
    }));
    assert!(bad(&|p| p.init = Init::Normal {
        mean: 0.0,
        std: 0.0
    }));
    assert!(matches!(
        train_from(&items, DMatrix::zeros(2, 2), &ok),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        matrix_from_rows(&[vec![1.0, 2.0], vec![3.0]]),
        Err(Error::DimensionMismatch { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// dynamics.rs
// ---------------------------------------------------------------------------------------------

/// A tanh network with several attractors, saddles and a repeller (found below), in the
/// spirit of the trained networks of Fig. 1: strong self-coupling (≈ 2 > 1, so each unit is
/// bistable on its own) plus weak cross-coupling, shift c = 0.2.
fn tanh_network() -> Network {
    let w = DMatrix::from_row_slice(3, 3, &[2.0, 0.3, 0.0, 0.3, 2.0, -0.4, 0.0, 0.5, 1.5]);
    Network::new(w, Activation::Tanh { c: 0.2 }).unwrap()
}

/// `iterate` returns x₀ and then steps images, each φ_W of the previous (exact: the same
/// function applied to the same input); `flow_field` is `iterate` per start.
#[test]
fn iterate_returns_start_and_successive_images() {
    let net = tanh_network();
    let x0 = DVector::from_vec(vec![0.1, -0.4, 0.9]);
    let orbit = iterate(&net, &x0, 12);
    assert_eq!(orbit.len(), 13);
    assert_eq!(orbit[0], x0);
    for k in 0..12 {
        assert_eq!(orbit[k + 1], net.forward(&orbit[k]));
    }
    assert_eq!(iterate(&net, &x0, 0), vec![x0.clone()]);
    let starts = grid(2, 0.0, 1.0, 3);
    let field = flow_field(&net, &starts, 5);
    assert_eq!(field.len(), 8);
    assert_eq!(field[3], iterate(&net, &starts[3], 5));
}

/// 5 points per axis on [0, 1] in 3D: 5³ = 125 points, coordinates {0, 1/4, 1/2, 3/4, 1},
/// lexicographic with the first coordinate slowest: point 0 is (0,0,0), point 1 is
/// (0, 0, 1/4), point 25 is (1/4, 0, 0), point 124 is (1,1,1). All exact (k/4 is dyadic).
#[test]
fn grid_of_five_per_axis_in_3d_has_125_points_with_unit_cube_corners() {
    let g = grid(5, 0.0, 1.0, 3);
    assert_eq!(g.len(), 125);
    assert_eq!(g[0].as_slice(), &[0.0, 0.0, 0.0]);
    assert_eq!(g[1].as_slice(), &[0.0, 0.0, 0.25]);
    assert_eq!(g[25].as_slice(), &[0.25, 0.0, 0.0]);
    assert_eq!(g[124].as_slice(), &[1.0, 1.0, 1.0]);
    assert!(g.iter().all(|x| x.len() == 3));
    assert_eq!(grid(3, -1.0, 1.0, 2).len(), 9);
    assert_eq!(grid(1, 0.3, 1.0, 2), vec![DVector::from_element(2, 0.3)]);
}

/// Newton's method and plain iteration find the same attractor from starts inside its basin
/// and close to it (cube corners within ≈ 0.2 of an attractor, where Newton converges
/// quadratically and iteration linearly).
///
/// Tolerance 10⁻⁸: iteration contracts by the largest |λ| at the attractors, ≤ 0.65, so after
/// 500 steps its error is ≈ 0.65⁵⁰⁰ ≈ 10⁻⁹³, i.e. rounding (≈ 10⁻¹⁶); Newton stops at
/// residual < 10⁻¹², and since I − J is well conditioned there (|λ| ≤ 0.65 gives
/// ‖(I − J)⁻¹‖ ≲ 3), its error is below ≈ 3·10⁻¹². Both lie far inside 10⁻⁸.
#[test]
fn newton_finds_the_fixed_points_that_iteration_reaches() {
    let net = tanh_network();
    for start in [[-1.0, -1.0, -1.0], [1.0, 1.0, 1.0], [1.0, -1.0, -1.0]] {
        let x0 = DVector::from_row_slice(&start);
        let by_iteration = iterate(&net, &x0, 500).pop().unwrap();
        let by_newton = newton_fixed_point(&net, &x0, 1e-12, 50).unwrap();
        assert!(
            (&by_iteration - &by_newton).norm() < 1e-8,
            "from {start:?}: iteration {by_iteration} vs Newton {by_newton}"
        );
        assert_eq!(
            classify(&net, &by_newton, 1e-9).stability,
            Stability::Attractor
        );
    }
}

/// From the 27 points of a 3-per-axis grid on [−1, 1]³, Newton finds a set of fixed points
/// that (a) all have residual < 10⁻¹⁰ (Newton stops at 10⁻¹²), (b) are sorted and pairwise
/// more than 10⁻⁶ apart, (c) contain, classified as attractors, every limit that 500 iterations reach
/// from the same 27 starts (distance < 10⁻⁸, see the previous test), and (d) include
/// non-attracting points (saddles, a repeller): Newton, unlike iteration, sees the unstable
/// fixed points that shape the flow of Fig. 1. The computation is deterministic.
#[test]
fn fixed_points_include_every_attractor_reached_and_have_tiny_residuals() {
    let net = tanh_network();
    let starts = grid(3, -1.0, 1.0, 3);
    let fps = fixed_points(&net, &starts, 1e-12, 50);
    assert!(fps.len() >= 3);
    for f in &fps {
        assert!(f.residual < 1e-10, "{f:?}");
        let x = DVector::from_column_slice(&f.x);
        assert!((net.forward(&x) - &x).norm() < 1e-10);
    }
    for pair in fps.windows(2) {
        assert!(pair[0].x < pair[1].x);
    }
    for (i, a) in fps.iter().enumerate() {
        for b in &fps[i + 1..] {
            let d: f64 = a.x.iter().zip(&b.x).map(|(p, q)| (p - q).powi(2)).sum();
            assert!(d.sqrt() > 1e-6);
        }
    }
    for x0 in &starts {
        let limit = iterate(&net, x0, 500).pop().unwrap();
        let hit = fps.iter().find(|f| {
            let d: f64 =
                f.x.iter()
                    .zip(limit.iter())
                    .map(|(p, q)| (p - q).powi(2))
                    .sum();
            d.sqrt() < 1e-8
        });
        let hit = hit.unwrap_or_else(|| panic!("limit {limit} of {x0} not found by Newton"));
        assert_eq!(hit.stability, Stability::Attractor);
    }
    assert!(fps.iter().any(|f| f.stability == Stability::Saddle));
    assert!(fps.iter().any(|f| f.stability == Stability::Repeller));
    assert_eq!(fixed_points(&net, &starts, 1e-12, 50), fps);
}

/// For a linear map x ↦ Dx with D diagonal, the only relevant fixed point is 0 and the
/// Jacobian is D, so the eigenvalues are its diagonal: diag(0.5, 2, 1) has |λ| = 1 →
/// marginal; diag(0.5, 2, 0.3) → saddle; diag(0.5, −0.2, 0.9) → attractor;
/// diag(2, −3, 1.5) → repeller. Eigenvalues come sorted by modulus, largest first, and are
/// exact (the Schur form of a diagonal matrix is itself), compared to 10⁻¹⁵.
#[test]
fn classification_of_diagonal_linear_maps() {
    let zero = DVector::zeros(3);
    let cases = [
        ([0.5, 2.0, 1.0], Stability::Marginal, [2.0, 1.0, 0.5]),
        ([0.5, 2.0, 0.3], Stability::Saddle, [2.0, 0.5, 0.3]),
        ([0.5, -0.2, 0.9], Stability::Attractor, [0.9, 0.5, -0.2]),
        ([2.0, -3.0, 1.5], Stability::Repeller, [-3.0, 2.0, 1.5]),
    ];
    for (diag, stability, sorted) in cases {
        let net = Network::new(
            DMatrix::from_diagonal(&DVector::from_row_slice(&diag)),
            Activation::Identity,
        )
        .unwrap();
        let fp = classify(&net, &zero, 1e-9);
        assert_eq!(fp.stability, stability, "{diag:?}");
        assert_eq!(fp.residual, 0.0);
        for ((re, im), e) in fp.eigenvalues.iter().zip(sorted) {
            assert!(
                (re - e).abs() < 1e-15 && *im == 0.0,
                "{diag:?}: {:?}",
                fp.eigenvalues
            );
        }
    }
}

/// Complex eigenvalues: A = S B S⁻¹ with B = blockdiag(r·R(θ), 0.5), R(θ) the rotation by
/// θ = 0.7 and S a fixed invertible matrix, has eigenvalues r e^{±iθ} and 0.5. With r = 0.9
/// all moduli are < 1 (attractor: a spiral sink); with r = 1.1 the pair is outside the unit
/// circle and 0.5 inside (saddle). Tolerance 10⁻¹²: the eigenvalues are simple and S is well
/// conditioned, so the backward-stable Schur iteration gives errors of order
/// κ(S)·ε·‖A‖ ≈ 10⁻¹⁵.
#[test]
fn complex_eigenvalue_pairs_are_found_and_classified() {
    let theta: f64 = 0.7;
    let s = DMatrix::from_row_slice(3, 3, &[1.0, 0.2, 0.0, -0.3, 1.0, 0.4, 0.1, 0.0, 1.0]);
    let s_inv = s.clone().try_inverse().unwrap();
    for (r, stability) in [(0.9, Stability::Attractor), (1.1, Stability::Saddle)] {
        let (c, sn) = (r * theta.cos(), r * theta.sin());
        let b = DMatrix::from_row_slice(3, 3, &[c, -sn, 0.0, sn, c, 0.0, 0.0, 0.0, 0.5]);
        let net = Network::new(&s * b * &s_inv, Activation::Identity).unwrap();
        let fp = classify(&net, &DVector::zeros(3), 1e-9);
        assert_eq!(fp.stability, stability);
        let e = &fp.eigenvalues;
        assert!(
            (e[0].0 - c).abs() < 1e-12 && (e[0].1 - sn).abs() < 1e-12,
            "{e:?}"
        );
        assert!(
            (e[1].0 - c).abs() < 1e-12 && (e[1].1 + sn).abs() < 1e-12,
            "{e:?}"
        );
        assert!(
            (e[2].0 - 0.5).abs() < 1e-12 && e[2].1.abs() < 1e-12,
            "{e:?}"
        );
    }
}

/// The linear network y = Px with P the projector onto span{101, 110} has the whole plane
/// span X as fixed points, so J_F = P − I is singular (rank 1) and LU cannot be used. With the
/// pseudo-inverse, the Newton step from x₀ is −(P − I)⁺(P − I)x₀ = −(I − P)x₀ (the
/// projection onto the range of P − I, i.e. onto the normal (1, −1, −1)), landing exactly on
/// Px₀ = the orthogonal projection of x₀ onto the plane. Check: Px = x and x = Px₀ to 10⁻¹²
/// (a few roundings of O(1) values). The Jacobian P has eigenvalues 1, 1, 0 → marginal.
#[test]
fn newton_on_linear_projector_network_uses_svd_fallback_and_lands_on_plane() {
    let p = projector_101_110();
    let net = Network::new(p.clone(), Activation::Identity).unwrap();
    let x0 = DVector::from_vec(vec![0.3, 0.7, -0.2]);
    let x = newton_fixed_point(&net, &x0, 1e-12, 20).unwrap();
    assert!((&p * &x - &x).norm() < 1e-12);
    assert!((&x - &p * &x0).norm() < 1e-12);
    let fp = classify(&net, &x, STABILITY_TOL);
    assert_eq!(fp.stability, Stability::Marginal);
    let moduli: Vec<f64> = fp.eigenvalues.iter().map(|(r, i)| r.hypot(*i)).collect();
    assert!((moduli[0] - 1.0).abs() < 1e-12 && (moduli[1] - 1.0).abs() < 1e-12);
    assert!(moduli[2] < 1e-12);
    // The network that training converges to (tested above) is exactly this P: its "stored
    // items" are not isolated attractors but points of a marginal plane.
    let planes = fixed_points(&net, &grid(3, 0.0, 1.0, 3), 1e-12, 20);
    assert!(planes.iter().all(|f| f.stability == Stability::Marginal));
}

/// Newton reports non-convergence with the last residual instead of returning a non-fixed
/// point: zero iterations allowed from a point that is not fixed.
#[test]
fn newton_reports_no_convergence() {
    let net = tanh_network();
    let err = newton_fixed_point(&net, &DVector::from_element(3, 0.5), 1e-12, 0).unwrap_err();
    assert!(matches!(err, Error::NoConvergence { iterations: 0, residual, .. } if residual > 0.1));
}

/// The shared bias-correction tables give `powi`'s values while they last and exactly 1 after:
/// checked against `powi` at every step up to 200 000 (past the table's end for β = 0.999 at
/// about 41 500 steps, for 0.9 at about 400), including a second request that reuses a table.
#[test]
fn adam_bias_corrections_equal_powi_at_every_step() {
    for beta in [0.0, 0.5, 0.9, 0.999, 0.9999] {
        let steps = 200_000;
        let table = items_or_relations::train::bias_corrections(beta, steps);
        assert!(table.len() <= steps);
        for t in 1..=steps {
            let want = 1.0 - beta.powi(t as i32);
            let got = table.get(t - 1).copied().unwrap_or(1.0);
            assert_eq!(got.to_bits(), want.to_bits(), "β = {beta}, t = {t}");
        }
        let again = items_or_relations::train::bias_corrections(beta, 1000);
        assert_eq!(
            &again[..again.len().min(1000)],
            &table[..again.len().min(1000)]
        );
    }
}
