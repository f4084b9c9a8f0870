//! Claims D1 and D2 (the paper's §4 discussion), tested in the chapter beyond the paper; the
//! penalised gradient against finite differences; the closed-form limit against training;
//! determinism and the ledger.

use items_or_relations::Error;
use items_or_relations::chapters::beyond::{self, IMPROVEMENT, Params};
use items_or_relations::claims::{Verdict, scorecard, spec_of};
use items_or_relations::group::symmetry_group;
use items_or_relations::maths::penalty::{
    ActivationFamily, Penalty, penalised_gradient, penalised_objective,
};
use items_or_relations::nalgebra::{DMatrix, DVector};
use items_or_relations::network::Activation;
use items_or_relations::pattern::paper_x_prime;

chapter_fixture!(beyond);

/// D1: for a linear network gradient descent changes W only by rows in span X, so from W₀ it
/// ends at P + W₀(I − P): a solution (it is the identity on span X) that depends on W₀, in a
/// family of dimension N(N − rank X) > 0. Every run solves the task at the paper's precision (a
/// loss that prints as 0.0000, < 5e-5); two runs within r of the family (r the set's largest
/// distance from it) are different members when they differ by more than 2r, which the spread
/// of the starts does on every set and Adam against gradient descent on some set. E[W₀] = 0, so
/// the average of n runs is P + W̄₀(I − P), an unbiased estimate of the Σ-invariant P: its
/// entries lie within 5 standard errors of P (as for L7; a chance of 6e-7 per entry to stray
/// further), and so do its invariant-basis coefficients, which are means of entries over an
/// orbit. Gradient descent lands on P + W₀(I − P) to rounding (1e-9; runs stop at loss 1e-28).
/// The groups are recomputed here with `symmetry_group`. Fails if a run does not solve its
/// task, if the runs of a set coincide, if Adam always lands on gradient descent's solution, or
/// if the average does not tend to P.
#[test]
fn d1_solutions_depend_on_start_and_algorithm_and_form_an_infinite_family() {
    let out = chapter();
    let kinds: Vec<&str> = out.groups.iter().map(|g| g.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["dihedral D4", "symmetric S5", "cyclic C4", "dihedral D6"]
    );
    for g in &out.groups {
        let group = symmetry_group(&g.set).unwrap();
        assert_eq!(group.order(), g.group.order(), "{}", g.name);
        assert!((4..=6).contains(&g.n));
        assert!(g.family_dimension > 0 && g.rank < g.n, "{}", g.name);
        assert!(g.max_loss < 5e-5, "{}: {}", g.name, g.max_loss);
        assert!(g.max_implicit_bias_error < 1e-9, "{}", g.name);
        let resolution = 2.0 * g.max_family_distance;
        assert!(g.spread > resolution, "{}", g.name);
        // The average against P, recomputed from the stored matrices.
        let mean = g.mean_w.0.clone();
        let p = g.projector.0.clone();
        let tolerance = 5.0 * g.max_standard_error + 1e-12;
        assert!((&mean - &p).amax() <= tolerance, "{}", g.name);
        for (c, q) in g.coefficients.iter().zip(&g.projector_coefficients) {
            assert!((c - q).abs() <= tolerance, "{}: {c} vs {q}", g.name);
        }
    }
    assert!(
        out.groups
            .iter()
            .any(|g| g.gd_vs_adam > 2.0 * g.max_family_distance)
    );
    let f = finding("D1");
    assert!(f.holds, "{}", f.ours);
    assert_eq!(f.verdict, Verdict::Reproduced);
}

/// D2: tanh's weights grow without bound without a penalty (tanh reaches 1 only in the limit),
/// saturating every span point; a penalty keeps them finite. Expected: every penalty at least
/// halves tanh's span loss at some λ (IMPROVEMENT, a factor 2: a change in kind), none halves
/// the sigmoid's, and the sigmoid's loss on 000 is exactly (1/3)·3·(1/2)² = 1/4 for every W
/// (σ(0) = 1/2), so no penalty can touch it (tolerance: rounding, 1e-15).
#[test]
fn d2_regularisation_helps_tanh_on_the_plane_but_not_the_sigmoid() {
    let out = chapter();
    assert_eq!(out.tanh.best.len(), 3);
    for b in &out.tanh.best {
        assert!(b.span_ratio < 1.0 - IMPROVEMENT, "tanh {:?}", b);
    }
    for b in &out.sigmoid.best {
        assert!(b.span_ratio > 1.0 - IMPROVEMENT, "sigmoid {:?}", b);
        assert!(b.binary_ratio > 0.9, "sigmoid {:?}", b);
    }
    assert!((out.sigmoid_zero_loss - 0.25).abs() < 1e-15);
    for r in &out.sigmoid.rows {
        assert!((r.mean.zero - 0.25).abs() < 1e-15);
    }
    for r in &out.tanh.rows {
        assert_eq!(r.mean.zero, 0.0);
    }
    // Column 1 gets no data gradient: L1 cuts it to exactly 0, L2 decays it.
    for r in out.tanh.rows.iter().filter(|r| r.penalty == Penalty::L1) {
        assert_eq!(r.mean.dead_norm, 0.0);
    }
    let f = finding("D2");
    assert!(f.holds, "{}", f.ours);
    assert_eq!(f.verdict, Verdict::Reproduced);
}

/// The paper's untried remedy for the sigmoid, a penalty holding activity near ½ (D2's
/// discussion): expected to trim the span loss like L1/L2 but not to halve it, and to leave
/// 011 at the loss of the output (0, ½, ½) — training drives W₂₃ → −W₂₂ because the data term
/// and the penalty treat y and 1 − y alike and σ(−a) = 1 − σ(a). Tolerances: 1e-3 on the 011
/// loss (the mirror is reached only asymptotically; the deviation after training is ~1e-4);
/// the firing-rate penalty, which breaks the mirror, must raise the 011 loss by more than 0.1.
#[test]
fn d2_half_centred_activity_penalty_cannot_fix_the_sigmoid() {
    let out = chapter();
    let half: Vec<_> = out
        .sigmoid
        .rows
        .iter()
        .filter(|r| r.penalty == Penalty::HalfRate)
        .collect();
    assert_eq!(half.len(), out.params.lambdas.len());
    assert!(out.tanh.rows.iter().all(|r| r.penalty != Penalty::HalfRate));
    let best = out
        .sigmoid
        .best
        .iter()
        .find(|b| b.penalty == Penalty::HalfRate)
        .expect("the sigmoid sweep has the half-rate penalty");
    assert!(
        best.span_ratio < 0.95,
        "it does trim the span loss: {best:?}"
    );
    assert!(
        best.span_ratio > 1.0 - IMPROVEMENT,
        "but does not halve it: {best:?}"
    );
    assert!((out.sigmoid_sum_at_half - 1.0 / 6.0).abs() < 1e-15);
    for r in &half {
        assert!(
            (r.mean.sum - out.sigmoid_sum_at_half).abs() < 1e-3,
            "λ = {}: 011 loss {}",
            r.lambda,
            r.mean.sum
        );
        assert!((r.mean.zero - 0.25).abs() < 1e-15);
    }
    let rate_worst = out
        .sigmoid
        .rows
        .iter()
        .filter(|r| r.penalty == Penalty::FiringRate)
        .map(|r| r.mean.sum)
        .fold(0.0, f64::max);
    assert!(
        rate_worst > out.sigmoid.rows[0].mean.sum + 0.1,
        "{rate_worst}"
    );
}

/// The penalised gradient against central differences, h = 1e-6: the error of the difference
/// quotient is O(h²·J''') ≈ 1e-12 plus rounding ε·J/h ≈ 1e-10; 1e-7 leaves room. L1 is tested
/// at a W with no zero entry (the subgradient is the gradient there).
#[test]
fn penalised_gradient_matches_finite_differences() {
    let items = paper_x_prime().vectors();
    let w = DMatrix::from_row_slice(3, 3, &[0.3, -0.2, 0.5, 0.1, 1.2, -0.4, -0.7, 0.25, 0.9]);
    let phis = [
        ActivationFamily::Paper {
            activation: Activation::Tanh { c: 0.0 },
        },
        ActivationFamily::Paper {
            activation: Activation::Sigmoid { c: 1.0 },
        },
        ActivationFamily::Mix { k: 0.6 },
        ActivationFamily::Gain { g: 0.7 },
    ];
    let h = 1e-6;
    for phi in phis {
        for penalty in [
            Penalty::None,
            Penalty::L2,
            Penalty::L1,
            Penalty::FiringRate,
            Penalty::HalfRate,
        ] {
            let g = penalised_gradient(&w, &items, phi, penalty, 0.03);
            for i in 0..3 {
                for j in 0..3 {
                    let (mut a, mut b) = (w.clone(), w.clone());
                    a[(i, j)] += h;
                    b[(i, j)] -= h;
                    let fd = (penalised_objective(&a, &items, phi, penalty, 0.03)
                        - penalised_objective(&b, &items, phi, penalty, 0.03))
                        / (2.0 * h);
                    assert!(
                        (fd - g[(i, j)]).abs() < 1e-7,
                        "{phi:?} {penalty:?} ({i},{j})"
                    );
                }
            }
        }
    }
}

/// Where φ(w*) = 1 has a finite solution the trained span loss meets the closed form
/// (span_loss_limit) to 1e-3 (training is finite; slowest near k, g → 1); 000 and 011 are
/// reproduced to 1e-6 for every k < 1.
#[test]
fn trained_path_meets_the_closed_form_limit() {
    let out = chapter();
    assert!(out.path_limit_gap < 1e-3, "{}", out.path_limit_gap);
    for q in out.mix.iter().filter(|q| q.w_star.is_some()) {
        assert!(q.trained.zero < 1e-6 && q.trained.sum < 1e-6, "{:?}", q.phi);
    }
    let spans: Vec<f64> = out.mix.iter().map(|q| q.span_limit).collect();
    assert!(spans.windows(2).all(|w| w[0] <= w[1]), "{spans:?}");
    let _ = DVector::<f64>::zeros(1);
}

/// The ledger entries of this chapter match the registry (no regression once recorded).
#[test]
fn beyond_ledger_has_no_regression() {
    let ids: Vec<&str> = chapter().findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["D1", "D2"]);
    for r in scorecard(&chapter().findings, &["beyond"])
        .iter()
        .filter(|r| r.chapter == "beyond")
    {
        assert!(r.ok, "{} regressed: {:?}", r.id, r);
    }
    for id in ["D1", "D2"] {
        let spec = spec_of(id).unwrap();
        assert_eq!(spec.expected, Verdict::Reproduced, "{id}");
        assert!(spec.test.is_some_and(|t| t.starts_with("beyond_claims::")));
    }
}

/// Bad parameters are refused, not computed. (Determinism is the byte-identical double build
/// in `book_pipeline`.)
#[test]
fn beyond_chapter_refuses_a_negative_penalty() {
    let bad = Params {
        lambdas: vec![-1.0],
        ..Params::default()
    };
    assert!(matches!(
        beyond::compute(&bad),
        Err(Error::InvalidParameter { .. })
    ));
}
