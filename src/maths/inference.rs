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
mod tests;
