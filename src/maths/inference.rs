//! Rule inference of the paper's §4 ("ARC as an example"): infer the operations that leave a
//! training set invariant, apply them to a test item; and the symmetries read off a weight
//! matrix.
//!
//! # Rule inference (§4)
//!
//! For a training set `X` and a test item `t`, the rules are the non-trivial elements of
//! `Σ_X`, and the candidate answers are the distinct images of `t` other than `t` itself:
//!
//! ```text
//!   A(t) = { s·t : s ∈ Σ_X } \ {t}  =  (orbit of t under Σ_X) \ {t}.
//! ```
//!
//! `t` is left out on purpose: an ARC answer is a *transformed* test item, and a rule that
//! leaves `t` unchanged tells nothing about what to produce (every set has the rule `e`). So
//! `A(t)` is empty when `Σ_X` is trivial, or when every symmetry fixes `t`; then no answer can
//! be inferred. It has one element (a unique answer) when the orbit of `t` has two, and several
//! (an ambiguous answer) when the group is rich enough to move `t` to several places.

use nalgebra::DMatrix;
use serde::Serialize;

use crate::group::{SymmetryGroup, symmetry_group};
use crate::pattern::{Pattern, PatternSet};
use crate::perm::Permutation;
use crate::{Error, Result};

/// The most group elements a result lists: 5040 = 7!, so every group on at most 7 points is
/// listed whole; for larger groups (S_10 has 3 628 800 elements) the first 5040 in
/// lexicographic order are listed and the result says it is truncated.
pub const ELEMENT_LIMIT: usize = 5040;

/// One rule (a non-trivial symmetry of the training set) applied to the test item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleImage {
    /// `s ∈ Σ_X`, `s ≠ e`, in cycle notation when serialised.
    pub rule: Permutation,
    /// `s·t`.
    pub image: Pattern,
}

/// The result of [`infer_rule`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inference {
    pub training: PatternSet,
    pub test: Pattern,
    /// `|Σ_X|`.
    pub group_order: usize,
    /// The non-trivial elements of `Σ_X` and their action on the test item, in the group's
    /// (lexicographic) order; at most [`ELEMENT_LIMIT`] of them.
    pub rules: Vec<RuleImage>,
    /// True when `rules` lists only the first [`ELEMENT_LIMIT`] non-trivial elements.
    pub rules_truncated: bool,
    /// How many non-trivial rules leave the test item unchanged.
    pub rules_fixing_test: usize,
    /// `A(t) = {s·t : s ∈ Σ_X} \ {t}`, sorted.
    pub candidates: Vec<Pattern>,
    /// The answer when it is unique (exactly one candidate).
    pub answer: Option<Pattern>,
}

impl Inference {
    /// `"none"`, `"unique"` or `"ambiguous"`.
    pub fn status(&self) -> &'static str {
        match self.candidates.len() {
            0 => "none",
            1 => "unique",
            _ => "ambiguous",
        }
    }
}

/// Infer the rules of a training set and apply them to a test item (§4; see the module
/// documentation for the definition of the candidate answers).
///
/// # Errors
/// [`Error::LengthMismatch`] if the test item's length differs from the training set's, and
/// [`Error::TooLarge`] as [`symmetry_group`].
pub fn infer_rule(training: &PatternSet, test: &Pattern) -> Result<Inference> {
    let group = symmetry_group(training)?;
    infer_with_group(&group, training, test)
}

/// [`infer_rule`] with `Σ_X` already computed.
///
/// # Errors
/// [`Error::LengthMismatch`] if the test item's length differs from the training set's, and
/// [`Error::DimensionMismatch`] if the group acts on another number of points.
pub fn infer_with_group(
    group: &SymmetryGroup,
    training: &PatternSet,
    test: &Pattern,
) -> Result<Inference> {
    if test.len() != training.n() {
        return Err(Error::LengthMismatch {
            pattern: test.to_string(),
            expected: training.n(),
            found: test.len(),
        });
    }
    if group.n() != training.n() {
        return Err(Error::DimensionMismatch {
            what: "symmetry group".into(),
            expected: training.n(),
            found: group.n(),
        });
    }
    let nontrivial = group.elements().iter().filter(|s| !s.is_identity());
    let rules: Vec<RuleImage> = nontrivial
        .clone()
        .take(ELEMENT_LIMIT)
        .map(|s| RuleImage {
            rule: s.clone(),
            image: s.act_on_pattern(test),
        })
        .collect();
    let rules_fixing_test = nontrivial
        .filter(|s| s.act_on_pattern(test) == *test)
        .count();
    // The orbit is computed on bit masks inside the group module, so this stays fast for S_10.
    let candidates: Vec<Pattern> = group
        .orbit(test)
        .into_iter()
        .filter(|p| p != test)
        .collect();
    Ok(Inference {
        training: training.clone(),
        test: test.clone(),
        group_order: group.order(),
        rules_truncated: group.order().saturating_sub(1) > rules.len(),
        rules,
        rules_fixing_test,
        answer: match candidates.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        },
        candidates,
    })
}

/// The symmetries of a weight matrix within `tol`: `{ s ∈ S_N : ‖s·W − W‖_F ≤ tol }`, listed
/// by brute force over S_N (so `N ≤ 8`). For a Σ-invariant W this contains Σ: the relation the
/// network learned, read off its weights.
///
/// # Errors
/// [`Error::TooLarge`] for N > 8; [`Error::DimensionMismatch`] if W is not square.
pub fn weight_symmetries(w: &DMatrix<f64>, tol: f64) -> Result<Vec<Permutation>> {
    if w.nrows() != w.ncols() {
        return Err(Error::DimensionMismatch {
            what: "columns of W".into(),
            expected: w.nrows(),
            found: w.ncols(),
        });
    }
    Ok(Permutation::all(w.nrows())?
        .into_iter()
        .filter(|s| (s.act_on_matrix(w) - w).norm() <= tol)
        .collect())
}

/// What a trained network answers for the test item of an [`Inference`] (paper §4, Table 2's
/// question asked of any set): its output φ_W(t), the pattern the output rounds to, and
/// whether that is the test item itself (the network reproduces t), one of the candidate
/// answers A(t) (it applied a rule of the training set), an item of the training set (it
/// completed t to a stored item), or another pattern.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkAnswer {
    /// φ_W(t), N values.
    pub output: Vec<f64>,
    /// The binary pattern φ_W(t) rounds to (components ≥ 0.5 to 1).
    pub answer: Pattern,
    /// "test item", "candidate", "training item" (it completed t to an item of X) or
    /// "other".
    pub kind: &'static str,
    /// (1/N)‖φ_W(t) − t‖², and the smallest (1/N)‖φ_W(t) − a‖² over the candidates a ∈ A(t)
    /// with that candidate (`None` when A(t) is empty).
    pub loss_vs_test: f64,
    pub nearest_candidate: Option<(Pattern, f64)>,
}

/// The answer of `net` to the test item of `inference` (see [`NetworkAnswer`]).
///
/// # Errors
/// [`Error::DimensionMismatch`] if the network's N is not the test item's length.
pub fn network_answer(
    net: &crate::network::Network,
    inference: &Inference,
) -> Result<NetworkAnswer> {
    let t = inference.test.to_vector();
    if net.n() != t.len() {
        return Err(Error::DimensionMismatch {
            what: "network for the test item".into(),
            expected: t.len(),
            found: net.n(),
        });
    }
    let y = net.forward(&t);
    let n = t.len() as f64;
    let loss = |p: &Pattern| (&y - p.to_vector()).norm_squared() / n;
    let (answer, _) = Pattern::nearest(y.as_slice())?;
    let kind = if answer == inference.test {
        "test item"
    } else if inference.candidates.contains(&answer) {
        "candidate"
    } else if inference.training.contains(&answer) {
        "training item"
    } else {
        "other"
    };
    let nearest_candidate = inference
        .candidates
        .iter()
        .map(|a| (a.clone(), loss(a)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    Ok(NetworkAnswer {
        output: y.iter().copied().collect(),
        loss_vs_test: loss(&inference.test),
        answer,
        kind,
        nearest_candidate,
    })
}

#[cfg(test)]
mod tests {
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
}
