use super::*;

fn p(s: &str) -> Pattern {
    Pattern::parse(s).unwrap()
}

fn set(s: &str) -> PatternSet {
    PatternSet::parse(s).unwrap()
}

fn names(ps: &[Pattern]) -> Vec<String> {
    ps.iter().map(ToString::to_string).collect()
}

/// The paper's X′ = {010, 001}, Σ = {e, (23)}: (23) maps 110 to 101, the unique answer;
/// it fixes 011, which then has no answer.
#[test]
fn x_prime_gives_a_unique_answer_or_none() {
    let inf = infer_rule(&set("010,001"), &p("110")).unwrap();
    assert_eq!(inf.group_order, 2);
    assert_eq!(inf.rules.len(), 1);
    assert_eq!(inf.rules[0].rule.to_cycle_notation(), "(23)");
    assert_eq!(inf.rules[0].image, p("101"));
    assert_eq!(inf.rules_fixing_test, 0);
    assert_eq!(names(&inf.candidates), ["101"]);
    assert_eq!(inf.answer, Some(p("101")));
    assert_eq!(inf.status(), "unique");
    assert!(!inf.rules_truncated);
    assert_eq!((&inf.training, &inf.test), (&set("010,001"), &p("110")));

    let fixed = infer_rule(&set("010,001"), &p("011")).unwrap();
    assert_eq!(fixed.rules_fixing_test, 1);
    assert!(fixed.candidates.is_empty());
    assert_eq!(fixed.answer, None);
    assert_eq!(fixed.status(), "none");
}

/// The unit vectors of length 3 have Σ = S_3 (order 6): the orbit of 100 is the three unit
/// vectors, so two candidates (ambiguous); of the five non-trivial elements only (23)
/// fixes 100. A set with no symmetry has no rule.
#[test]
fn s3_is_ambiguous_and_a_trivial_group_gives_nothing() {
    let inf = infer_rule(&set("100,010,001"), &p("100")).unwrap();
    assert_eq!(inf.group_order, 6);
    assert_eq!(inf.rules.len(), 5);
    assert_eq!(inf.rules_fixing_test, 1);
    assert_eq!(names(&inf.candidates), ["001", "010"]);
    assert_eq!(inf.answer, None);
    assert_eq!(inf.status(), "ambiguous");
    for r in &inf.rules {
        assert_eq!(r.image, r.rule.act_on_pattern(&p("100")));
        assert!(!r.rule.is_identity());
    }

    let none = infer_rule(&set("100,110"), &p("011")).unwrap();
    assert_eq!(none.group_order, 1);
    assert!(none.rules.is_empty() && none.candidates.is_empty());
    assert_eq!(none.status(), "none");
}

/// Listing stops at ELEMENT_LIMIT = 7! non-trivial rules: S_7 (on {1111111}) has 7! − 1
/// of them, all listed; S_8 has 8! − 1 and is truncated to 7!.
#[test]
fn rules_are_truncated_only_beyond_the_limit() {
    let s7 = infer_rule(&set("1111111"), &p("1000000")).unwrap();
    assert_eq!(s7.group_order, 5040);
    assert_eq!(s7.rules.len(), 5039);
    assert!(!s7.rules_truncated);
    assert_eq!(s7.candidates.len(), 6);
    let s8 = infer_rule(&set("11111111"), &p("10000000")).unwrap();
    assert_eq!(s8.group_order, 40320);
    assert_eq!(s8.rules.len(), ELEMENT_LIMIT);
    assert!(s8.rules_truncated);
    // Of the 8! − 1 non-trivial elements, those fixing point 1: 7! − 1.
    assert_eq!(s8.rules_fixing_test, 5039);
}

/// A test item of another length, or a group on another number of points, is refused.
#[test]
fn mismatched_lengths_are_refused() {
    assert!(matches!(
        infer_rule(&set("010,001"), &p("10")),
        Err(Error::LengthMismatch { .. })
    ));
    let other = symmetry_group(&set("1100")).unwrap();
    assert!(matches!(
        infer_with_group(&other, &set("010,001"), &p("110")),
        Err(Error::DimensionMismatch { .. })
    ));
}

/// The symmetries of W: all of S_3 for the identity; {e, (23)} for a generic matrix of the
/// form [[a,b,b],[c,d,e],[c,e,d]]; a perturbation of size δ breaks (23) unless tol ≥ its
/// effect √2·δ (the two entries it swaps differ by δ, and each moves twice).
#[test]
fn weight_symmetries_of_invariant_matrices() {
    let id = DMatrix::<f64>::identity(3, 3);
    assert_eq!(weight_symmetries(&id, 0.0).unwrap().len(), 6);
    let w = DMatrix::from_row_slice(3, 3, &[0.3, 0.7, 0.7, -0.2, 1.1, 0.4, -0.2, 0.4, 1.1]);
    let cycles = |ss: Vec<Permutation>| -> Vec<String> {
        ss.iter().map(Permutation::to_cycle_notation).collect()
    };
    assert_eq!(cycles(weight_symmetries(&w, 1e-12).unwrap()), ["e", "(23)"]);
    let mut v = w.clone();
    v[(1, 0)] += 0.01;
    let defect = (Permutation::parse_cycles("(23)", 3)
        .unwrap()
        .act_on_matrix(&v)
        - &v)
        .norm();
    assert!((defect - 0.01 * 2f64.sqrt()).abs() < 1e-12, "{defect}");
    assert_eq!(cycles(weight_symmetries(&v, 1e-3).unwrap()), ["e"]);
    assert_eq!(
        cycles(weight_symmetries(&v, defect).unwrap()),
        ["e", "(23)"]
    );
    assert!(matches!(
        weight_symmetries(&DMatrix::zeros(2, 3), 0.1),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        weight_symmetries(&DMatrix::zeros(9, 9), 0.1),
        Err(Error::TooLarge { .. })
    ));
}
