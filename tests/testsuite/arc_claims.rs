//! Claims D3 and D4 of the paper's §4 (the ARC example), one test each, named as the claim;
//! the rule inference on training sets whose answers are known by hand; what trained networks
//! do with the test triangle; determinism. Expected values are derived in the doc comments and
//! recomputed here from the library, independently of the chapter module where possible.

use items_or_relations::Error;
use items_or_relations::analyze::{infer_rule, weight_symmetries};
use items_or_relations::chapters::arc::{self, EQUIVARIANCE_TOL, Params};
use items_or_relations::claims::{Verdict, scorecard, spec_of};
use items_or_relations::group::symmetry_group;
use items_or_relations::nalgebra::DMatrix;
use items_or_relations::pattern::{Pattern, PatternSet, paper_x_prime};
use items_or_relations::perm::Permutation;

chapter_fixture!(arc);

fn p(s: &str) -> Pattern {
    Pattern::parse(s).unwrap()
}

fn set(s: &str) -> PatternSet {
    PatternSet::parse(s).unwrap()
}

fn strings(ps: &[Pattern]) -> Vec<String> {
    ps.iter().map(Pattern::to_string).collect()
}

/// D3: with (s·x)_i = x_{s(i)}, the transposition (23) sends (x₁, x₂, x₃) to (x₁, x₃, x₂):
/// 010 ↔ 001, so it maps X' onto itself, and 110 ↦ 101. The paper's (32) is the same
/// permutation. The rotation (231) (2→3→1→2, s(1) = 2, s(2) = 3, s(3) = 1) sends x to
/// (x₂, x₃, x₁): 010 ↦ 100 ∉ X', so it is not a symmetry. Of the six permutations of S₃ only
/// e and (23) keep X' (checked by brute force), so (23) is the only rule and 101 the only
/// answer. Everything is exact (bits), no tolerance.
#[test]
fn d3_the_only_rule_is_23_and_it_maps_110_to_101() {
    let xp = paper_x_prime();
    let swap = Permutation::parse_cycles("(32)", 3).unwrap();
    assert_eq!(swap, Permutation::parse_cycles("(23)", 3).unwrap());
    assert_eq!(swap.act_on_pattern(&p("110")), p("101"));
    let rotation = Permutation::parse_cycles("(231)", 3).unwrap();
    assert_eq!(rotation.to_string(), "(123)");
    assert_eq!(strings(&rotation.act_on_set(&xp)), ["100", "010"]);
    assert!(!xp.same_set(&rotation.act_on_set(&xp)));
    let brute: Vec<Permutation> = Permutation::all(3)
        .unwrap()
        .into_iter()
        .filter(|s| xp.same_set(&s.act_on_set(&xp)))
        .collect();
    assert_eq!(brute, [Permutation::identity(3), swap.clone()]);

    let inf = infer_rule(&xp, &p("110")).unwrap();
    assert_eq!(inf.rules.len(), 1);
    assert_eq!(inf.rules[0].rule, swap);
    assert_eq!(inf.candidates, [p("101")]);
    assert_eq!(inf.answer, Some(p("101")));

    let out = chapter();
    assert_eq!(out.inference, inf);
    assert!(out.rule.is_symmetry && !out.rotation.is_symmetry);
    assert_eq!(out.rotation.printed, "(231)");
    let f = finding("D3");
    assert!(f.holds, "{}", f.ours);
    assert_eq!(f.verdict, Verdict::Reproduced);
}

/// D4: (i) with Σ = {e} the orbit of every t is {t}, so A(t) = ∅ for every test item; (ii) if
/// H ≤ G then H·t ⊆ G·t, so along a chain of nested groups every candidate set can only grow
/// (here strictly for the chain's totals: for N = 3, {e} ⊂ {e,(23)} ⊂ S₃ answers 0, then the 4
/// patterns with x₂ ≠ x₃, then the 6 non-constant patterns, with 0, 4 and 6·2 = 12
/// candidates); (iii) span X is Σ-invariant, so the binary patterns every linear solution
/// reproduces form a union of orbits. The chapter checks (ii) by computing both groups.
#[test]
fn d4_inference_needs_a_nontrivial_group_and_grows_with_it() {
    let out = chapter();
    let trivial: Vec<_> = out.repertoire.iter().filter(|r| r.order == 1).collect();
    assert!(!trivial.is_empty());
    for r in &trivial {
        assert_eq!(r.none, r.tests, "{}: no answers without symmetry", r.name);
    }
    let n3 = &out.chains[0];
    let counts: Vec<(usize, usize, usize)> =
        n3.iter().map(|s| (s.order, s.covered, s.answers)).collect();
    assert_eq!(counts, [(1, 0, 0), (2, 4, 4), (6, 6, 12)]);
    for chain in &out.chains {
        for w in chain.windows(2) {
            assert_eq!(
                w[0].nested_in_next,
                Some(true),
                "{} ⊂ {}",
                w[0].name,
                w[1].name
            );
            assert!(w[0].answers <= w[1].answers);
        }
    }
    // Independently: the orbit of every pattern under {e,(23)} lies in its orbit under S₃.
    let small = symmetry_group(&set("010,001")).unwrap();
    let large = symmetry_group(&set("100,010,001")).unwrap();
    for t in Pattern::all(3).unwrap() {
        let (a, b) = (small.orbit(&t), large.orbit(&t));
        assert!(a.iter().all(|x| b.contains(x)), "{t}");
    }
    assert!(out.repertoire.iter().all(|r| r.linear_closed));
    assert!(out.repertoire.iter().any(|r| r.ambiguous > 0));
    let f = finding("D4");
    assert!(f.holds, "{}", f.ours);
    assert_eq!(f.verdict, Verdict::Reproduced);
}

/// Hand-derived inferences. S₃ moves 110 to every weight-2 pattern: A = {011, 101}. For
/// {1100, 0011} the group (order 8) acts transitively on the four weight-1 patterns: A(1000) =
/// the other three. {100, 110} has Σ = {e}: nothing. The paper's X = {101, 110} has (23), but
/// (23)·011 = 011: a non-trivial rule that fixes t gives no answer. A test item in X gets the
/// other members of its orbit.
#[test]
fn rule_inference_on_sets_with_known_answers() {
    let s3 = infer_rule(&set("100,010,001"), &p("110")).unwrap();
    assert_eq!(s3.group_order, 6);
    assert_eq!(s3.rules.len(), 5);
    assert_eq!(strings(&s3.candidates), ["011", "101"]);
    assert_eq!((s3.answer.clone(), s3.status()), (None, "ambiguous"));
    // (12)·110 = 110: one rule fixes t.
    assert_eq!(s3.rules_fixing_test, 1);

    let blocks = infer_rule(&set("1100,0011"), &p("1000")).unwrap();
    assert_eq!(blocks.group_order, 8);
    assert_eq!(strings(&blocks.candidates), ["0001", "0010", "0100"]);

    let none = infer_rule(&set("100,110"), &p("011")).unwrap();
    assert_eq!(none.group_order, 1);
    assert!(none.rules.is_empty() && none.candidates.is_empty());
    assert_eq!(none.status(), "none");

    let fixed = infer_rule(&set("101,110"), &p("011")).unwrap();
    assert_eq!(fixed.group_order, 2);
    assert_eq!(fixed.rules_fixing_test, 1);
    assert!(fixed.candidates.is_empty());

    let member = infer_rule(&set("010,001"), &p("010")).unwrap();
    assert_eq!(member.answer, Some(p("001")));

    // The dihedral 6-cycle set: 101000 (two 1s at distance 2) has 6 images under D₆ (order
    // 12, each fixed by one reflection), so 5 candidates. The cyclic set: 111000 has 6
    // rotations, all distinct: 5 candidates, one per non-trivial rotation.
    let d6 = infer_rule(
        &set("110000,011000,001100,000110,000011,100001"),
        &p("101000"),
    )
    .unwrap();
    assert_eq!((d6.group_order, d6.candidates.len()), (12, 5));
    let c6 = chapter()
        .examples
        .iter()
        .find(|e| e.name.contains("cyclic"))
        .unwrap();
    assert_eq!(c6.group.order(), 6);
    assert_eq!(c6.inference.candidates.len(), 5);
    assert!(
        c6.group
            .contains(&Permutation::parse_cycles("(123456)", 6).unwrap())
    );

    assert!(matches!(
        infer_rule(&set("010,001"), &p("11")),
        Err(Error::LengthMismatch { .. })
    ));
}

/// The networks on X' and the test triangle. For every network φ_W(110) rounds to 010, not to
/// the answer 101 (an auto-associator reproduces, it does not transform): the loss against
/// 101 is (1/3)‖φ_W(110) − 101‖² ≥ (1/3)(|φ₂ − 0|² + …) with φ₂ ≥ 0.5, so at least 1/12.
/// Gradient descent from W = 0 keeps W invariant under (23) (the gradient of an invariant
/// network is invariant), so φ_W(101) = (23)·φ_W(110) to rounding (1e-12), and the
/// symmetries of W are {e, (23)}, which give the answer 101 when applied to the test item.
/// For full-batch GD from 0 on the linear network, W = P = diag(0, 1, 1) (implicit bias), so
/// φ_W(110) = 010 exactly.
#[test]
fn networks_reproduce_but_do_not_transform_the_test_triangle() {
    let out = chapter();
    assert_eq!(out.networks.len(), 4);
    for n in &out.networks {
        assert_eq!(n.nearest, p("010"), "{}", n.label);
        assert!(n.loss_vs_answer > 1.0 / 12.0, "{}", n.label);
    }
    let from_zero: Vec<_> = out
        .networks
        .iter()
        .filter(|n| n.label.contains("W = 0"))
        .collect();
    assert_eq!(from_zero.len(), 3);
    for n in &from_zero {
        assert!(n.defect < 1e-12, "{}: {}", n.label, n.defect);
        assert!(n.equivariance_gap < EQUIVARIANCE_TOL, "{}", n.label);
        assert_eq!(strings(&n.weight_candidates), ["101"], "{}", n.label);
        let w = n.w.0.clone();
        let syms = weight_symmetries(&w, 1e-9).unwrap();
        assert_eq!(
            syms,
            [
                Permutation::identity(3),
                Permutation::parse_cycles("(23)", 3).unwrap()
            ]
        );
    }
    let sgd = &out.networks[0];
    let p_xp = DMatrix::from_row_slice(3, 3, &[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    assert!((sgd.w.0.clone() - p_xp).amax() < 1e-12);
    assert!((sgd.out_test[1] - 1.0).abs() < 1e-12 && sgd.out_test[0].abs() < 1e-12);
    assert_eq!(strings(&sgd.reproduces), ["000", "001", "010", "011"]);
    // Adam from a random start on random batches breaks the symmetry: no rule in W.
    let adam = &out.networks[1];
    assert!(adam.defect > 1e-3 && adam.equivariance_gap > 1e-3);
    assert!(adam.weight_candidates.is_empty());
    // The sigmoid network reproduces only its training items (N2's pattern, here as a check).
    let sigmoid = out
        .networks
        .iter()
        .find(|n| n.label.contains("sigmoid"))
        .unwrap();
    assert_eq!(strings(&sigmoid.reproduces), ["001", "010"]);
}

/// The ledger entries of this chapter match the registry (no regression once recorded).
#[test]
fn arc_ledger_has_every_claim_and_no_regression() {
    let ids: Vec<&str> = chapter().findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["D3", "D4"]);
    for r in scorecard(&chapter().findings, &["arc"])
        .iter()
        .filter(|r| r.chapter == "arc")
    {
        assert!(r.ok, "{} regressed: {:?}", r.id, r);
    }
    for id in ["D3", "D4"] {
        let spec = spec_of(id).unwrap();
        assert_eq!(spec.expected, Verdict::Reproduced, "{id}");
        assert!(spec.test.is_some_and(|t| t.starts_with("arc_claims::")));
    }
}

/// Bad parameters are refused with the parameter named, not computed. (Determinism is the
/// byte-identical double build in `book_pipeline`.)
#[test]
fn arc_chapter_refuses_an_empty_chain_list() {
    let bad = Params {
        chains: Vec::new(),
        ..Params::default()
    };
    assert!(matches!(
        arc::compute(&bad),
        Err(Error::InvalidParameter { .. })
    ));
}
