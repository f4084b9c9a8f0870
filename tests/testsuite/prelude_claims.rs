//! Claims P1–P5 of the paper's §2 (the analytical prelude), one test each, named as the claim.
//! Each recomputes what it needs from the library and asserts the computed values, and checks
//! that the chapter's ledger entry agrees with what the test itself found.

use items_or_relations::chapters::prelude::compat_error;
use items_or_relations::claims::Verdict;
use items_or_relations::dynamics::Stability;
use items_or_relations::group::symmetry_group;
use items_or_relations::nalgebra::{DMatrix, DVector};
use items_or_relations::network::{Activation, Network};
use items_or_relations::pattern::{Pattern, PatternSet, paper_x, paper_x_prime};
use items_or_relations::perm::Permutation;

chapter_fixture!(prelude);

/// P1: with φ = id, W = I gives φ_W(x) = x exactly, so the loss (eq. 7) is exactly 0 on any
/// set: no tolerance, the arithmetic is exact (x − x = 0 in floating point).
#[test]
fn p1_identity_matrix_solves_any_training_set() {
    for set in [
        "101,110",
        "010,001",
        "1100,0011,1010",
        "000000,111111,101010",
    ] {
        let set = PatternSet::parse(set).unwrap();
        let net = Network::new(DMatrix::identity(set.n(), set.n()), Activation::Identity).unwrap();
        assert_eq!(net.loss(&set.vectors()), 0.0);
    }
    assert_eq!(chapter().identity.max_loss, 0.0);
    assert!(chapter().identity.sets_checked > 100);
    let f = finding("P1");
    assert!(f.holds && f.verdict == Verdict::Reproduced);
}

/// P2: (23)·(1,0,1) = (x₁, x₃, x₂) = (1,1,0) and (23)·(0,1,0) = (0,0,1), so (23) swaps the two
/// items of each set; the other four non-trivial permutations move the 1 in position 1 (X) or
/// change which of positions 2, 3 holds the single 1 in a way that leaves the set (checked by
/// the library against all of S₃). Hence Σ = {e, (23)} and each set is one orbit.
#[test]
fn p2_sigma_of_x_and_x_prime_is_e_and_23() {
    let swap = Permutation::parse_cycles("(32)", 3).unwrap();
    for set in [paper_x(), paper_x_prime()] {
        let g = symmetry_group(&set).unwrap();
        assert_eq!(g.order(), 2);
        assert!(g.contains(&Permutation::identity(3)) && g.contains(&swap));
        let orbits = g.orbits(&set);
        assert_eq!(orbits.len(), 1, "one orbit");
        assert_eq!(orbits[0].len(), 2);
        let brute: Vec<Permutation> = Permutation::all(3)
            .unwrap()
            .into_iter()
            .filter(|s| set.same_set(&s.act_on_set(&set)))
            .collect();
        assert_eq!(brute.len(), 2, "brute force over S_3 agrees");
    }
    assert_eq!(chapter().action.iter().filter(|r| r.fixes_x).count(), 2);
    assert_eq!(
        chapter().action.iter().filter(|r| r.fixes_x_prime).count(),
        2
    );
    assert!(finding("P2").holds);
}

/// P3: for invariant W the identity (s·W)(s·x) = s·(Wx) makes eq. 2 hold up to rounding. Both
/// sides are 3-term dot products of the same numbers in different orders (the permutation is
/// exact): each component differs by at most 2·3u·Σ|wⱼxⱼ| ≤ 6 · 1.1e-16 · 2.9 ≈ 1.9e-15 for
/// the W and points below, the activation adds ≤ 2 ulp (the crate's tanh; slope ≤ 1), and the
/// Euclidean norm over 3 components multiplies by √3: about 4e-15, so 1e-14 here. The chapter's
/// own networks are held to its documented 1e-12, written out as a literal so that loosening
/// the chapter's constant fails this test. For a non-invariant W the error is bounded below by a
/// positive number (here we only need it far above rounding).
#[test]
fn p3_compatible_iff_invariant() {
    let x = paper_x();
    let g = symmetry_group(&x).unwrap();
    let points: Vec<DVector<f64>> = [[0.3, -0.7, 1.9], [1.0, 0.0, 1.0], [0.2, 0.5, 0.1]]
        .iter()
        .map(|p| DVector::from_row_slice(p))
        .collect();
    // An invariant matrix of the form of eq. 5 and a perturbation of it that breaks (23).
    let w = DMatrix::from_row_slice(3, 3, &[0.4, 0.3, 0.3, -0.2, 0.9, 0.1, -0.2, 0.1, 0.9]);
    let mut broken = w.clone();
    broken[(1, 2)] += 0.05;
    for act in [
        Activation::Identity,
        Activation::Tanh { c: 0.5 },
        Activation::Sigmoid { c: 1.0 },
    ] {
        let ok = compat_error(&Network::new(w.clone(), act).unwrap(), &g, &points);
        let bad = compat_error(&Network::new(broken.clone(), act).unwrap(), &g, &points);
        assert!(ok < 1e-14, "{act:?}: invariant W gives error {ok}");
        assert!(bad > 1e-4, "{act:?}: broken W gives error {bad}");
    }
    for c in &chapter().compat {
        assert!(c.invariant_max_error < 1e-12, "{c:?}");
        assert!(c.noninvariant_min_error > 1e-6, "{c:?}");
    }
    assert!(finding("P3").holds);
}

/// P4: the Jacobian at s·x* is P_s J(x*) P_sᵀ, so the spectra agree up to the eigen-solver's
/// rounding (1e-9 is generous for 3×3 matrices of norm ≲ 1). In the example both training
/// items of X' have an attracting fixed point next to them, related by (23).
#[test]
fn p4_stability_is_shared_along_an_orbit() {
    let st = &chapter().stability;
    assert!(st.defect < 1e-9, "trained W stays invariant: {}", st.defect);
    let attractors: Vec<_> = st
        .fixed_points
        .iter()
        .filter(|p| p.point.stability == Stability::Attractor)
        .collect();
    for item in ["010", "001"] {
        let item = Pattern::parse(item).unwrap();
        assert!(
            attractors.iter().any(|p| p.nearest_pattern == item),
            "attractor near {item}"
        );
    }
    for p in &st.fixed_points {
        assert!(p.point.residual < 1e-10);
        assert!(p.spectrum_gap < 1e-9);
        for j in &p.images {
            let j = j.expect("every image of a fixed point is a fixed point");
            assert_eq!(st.fixed_points[j].point.stability, p.point.stability);
        }
    }
    assert!(st.newton_vs_iteration < 1e-6, "Newton and iteration agree");
    assert!(finding("P4").holds);
}

/// P5: Σ = {e,(23)} on 3 points has 5 orbits on index pairs — {(1,1)}, {(1,2),(1,3)},
/// {(2,1),(3,1)}, {(2,2),(3,3)}, {(2,3),(3,2)} — hence eq. 5's five letters.
#[test]
fn p5_invariant_form_is_eq5() {
    let g = symmetry_group(&paper_x()).unwrap();
    assert_eq!(g.invariant_dimension(), 5);
    assert_eq!(g.invariant_form_string(), "[[a,b,b],[c,d,e],[c,e,d]]");
    assert_eq!(chapter().x.invariant_form, chapter().x_prime.invariant_form);
    assert!(finding("P5").holds);
}

/// The whole ledger of this chapter is green and matches the recorded verdicts.
#[test]
fn prelude_ledger_has_every_claim_and_no_regression() {
    let ids: Vec<&str> = chapter().findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["P1", "P2", "P3", "P4", "P5"]);
    let rows = items_or_relations::claims::scorecard(&chapter().findings, &["prelude"]);
    for r in rows.iter().filter(|r| r.chapter == "prelude") {
        assert!(r.ok, "{} regressed: {:?}", r.id, r);
    }
}
