//! The report's linear section (paper §3.1): the solution family W = P + V(I − P) of the linear
//! auto-associator on the reader's set, its Σ-invariant part, and what every solution
//! reproduces (the binary patterns in span X) beside the paper's symmetry criterion (the
//! patterns y with Σ_{X∪{y}} = Σ_X, [`crate::group::symmetry_preserving_extensions`]), with where they
//! disagree. The maths is [`crate::linear::SolutionSet`]'s.

use nalgebra::DMatrix;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::Result;
use crate::group::{SymmetryGroup, symmetry_preserving_extensions_with_group};
use crate::linear::SolutionSet;
use crate::maths::matrix::Matrix;
use crate::pattern::{Pattern, PatternSet};

/// A pattern counts as reproduced exactly by a linear W when ‖Wy − y‖∞ is below this.
pub const EXACT_TOL: f64 = 1e-9;

/// The linear section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LinearSection {
    /// rank X = dim span X.
    pub rank: usize,
    /// Affine dimension N(N − rank X) of all solutions.
    pub dimension: usize,
    /// Affine dimension of the Σ-invariant solutions.
    pub invariant_dimension: usize,
    /// The orthogonal projector P onto span X: the minimum-norm solution (Σ-invariant).
    pub projector: Matrix,
    /// Patterns outside X in span X: every linear solution reproduces them. Sorted.
    pub span: Vec<String>,
    /// Patterns outside X with Σ_{X∪{y}} = Σ_X: the paper's criterion. Sorted.
    pub criterion: Vec<String>,
    /// In both lists, in `span` only, in `criterion` only.
    pub both: Vec<String>,
    pub span_only: Vec<String>,
    pub criterion_only: Vec<String>,
    /// Check: random solutions W = P + V(I − P), V with entries U(−1, 1), drawn
    /// independently; the patterns outside X that every one of them reproduces exactly
    /// (‖Wy − y‖∞ < [`EXACT_TOL`]). Must equal `span`.
    pub random_members: usize,
    pub reproduced_by_every_member: Vec<String>,
    /// The largest ‖Wx − x‖∞ over X and the random members: each is a solution.
    pub member_residual: f64,
}

fn strings(ps: &[Pattern]) -> Vec<String> {
    let mut v: Vec<String> = ps.iter().map(Pattern::to_string).collect();
    v.sort();
    v
}

/// The linear section for `set`; `members` random solutions checked, drawn from `seed`.
pub fn linear_section(
    set: &PatternSet,
    group: &SymmetryGroup,
    members: usize,
    seed: u64,
) -> Result<LinearSection> {
    let solutions = SolutionSet::new(set, group)?;
    let span = strings(&solutions.generalizes_to(set)?);
    let criterion = strings(&symmetry_preserving_extensions_with_group(set, group)?);
    let both: Vec<String> = span
        .iter()
        .filter(|p| criterion.contains(p))
        .cloned()
        .collect();
    let span_only: Vec<String> = span
        .iter()
        .filter(|p| !criterion.contains(p))
        .cloned()
        .collect();
    let criterion_only: Vec<String> = criterion
        .iter()
        .filter(|p| !span.contains(p))
        .cloned()
        .collect();
    let n = set.n();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let outside: Vec<Pattern> = Pattern::all(n)?
        .into_iter()
        .filter(|p| !set.contains(p))
        .collect();
    let mut every = vec![true; outside.len()];
    let mut residual = 0.0_f64;
    let p = solutions.projector();
    let complement = DMatrix::identity(n, n) - p;
    for _ in 0..members {
        let v = DMatrix::from_fn(n, n, |_, _| rng.random_range(-1.0..1.0));
        let w = p + v * &complement;
        for x in set.vectors() {
            residual = residual.max((&w * &x - &x).amax());
        }
        for (k, y) in outside.iter().enumerate() {
            let y = y.to_vector();
            if (&w * &y - &y).amax() >= EXACT_TOL {
                every[k] = false;
            }
        }
    }
    let reproduced: Vec<Pattern> = outside
        .iter()
        .zip(&every)
        .filter(|(_, e)| **e)
        .map(|(p, _)| p.clone())
        .collect();
    Ok(LinearSection {
        rank: solutions.rank(),
        dimension: solutions.dimension(),
        invariant_dimension: solutions.invariant_dimension(),
        projector: Matrix::from(p),
        span,
        criterion,
        both,
        span_only,
        criterion_only,
        random_members: members,
        reproduced_by_every_member: strings(&reproduced),
        member_residual: residual,
    })
}
