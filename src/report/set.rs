//! The report's first sections: the training set, its symmetry group Σ_X with its elements and
//! orbits (on X and on all 2^N patterns), and the Σ-invariant matrices (paper §2, eqs. 3–5).
//! Everything here is [`crate::group`]'s; this module only collects it for one set and checks
//! two of its results by an independent route.

use nalgebra::DMatrix;
use serde::Serialize;

use crate::Result;
use crate::analyze::GroupSummary;
use crate::group::SymmetryGroup;
use crate::pattern::{Pattern, PatternSet};

/// Σ_X and its orbits.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSection {
    /// Order and elements as `analyze` gives them (its JSON's fields, flattened here).
    #[serde(flatten)]
    pub summary: GroupSummary,
    /// The orbits of Σ_X on X, as pattern strings (each orbit in the set's order).
    pub orbits_on_x: Vec<Vec<String>>,
    /// The orbits of Σ_X on all 2^N patterns, each sorted, ordered by their first pattern.
    pub orbits_on_patterns: Vec<Vec<String>>,
    /// (orbit size, how many orbits on the patterns have it), by size.
    pub orbit_sizes: Vec<(usize, usize)>,
    /// Check: every listed element maps X onto X (recomputed with `act_on_set`), and the
    /// elements are closed under composition and inversion.
    pub every_element_fixes_x: bool,
    /// How many elements that check covered: all of them up to [`CHECK_LIMIT`], else the
    /// first [`CHECK_LIMIT`] in lexicographic order.
    pub elements_checked: usize,
    /// Check: the identity is in Σ, and s∘t and s⁻¹ are in Σ for every pair s, t of the first
    /// `group_law_checked` elements (all of them up to [`GROUP_LAW_LIMIT`]: the check is
    /// quadratic, and S_10 has 3 628 800 elements).
    pub is_group: bool,
    pub group_law_checked: usize,
}

/// The Σ-invariant matrices W = s·W.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InvariantSection {
    /// The general invariant matrix, one letter per free parameter (entry by entry).
    pub form: Vec<Vec<String>>,
    /// Its number of free parameters: the number of orbits of Σ_X on index pairs.
    pub dimension: usize,
    /// Check: the rank of the Reynolds projections R(E_ij) of the N² unit matrices (the
    /// dimension of the invariant subspace found by linear algebra instead of union-find).
    /// `None` when |Σ|·N⁴ exceeds [`REYNOLDS_BUDGET`] (large groups at N ≥ 9).
    pub reynolds_rank: Option<usize>,
}

/// The most group elements the s·X = X check applies (8! = 40 320).
pub const CHECK_LIMIT: usize = 40_320;

/// The group laws are checked on all pairs of at most this many elements (see
/// [`GroupSection::is_group`]).
pub const GROUP_LAW_LIMIT: usize = 1_000;

/// The most |Σ|·N⁴ operations the Reynolds-rank check spends.
pub const REYNOLDS_BUDGET: usize = 200_000_000;

/// The orbits of `group` on all patterns of length N: each pattern's orbit, computed once per
/// orbit (cost |Σ| per orbit), sorted.
pub fn pattern_orbits(group: &SymmetryGroup) -> Result<Vec<Vec<Pattern>>> {
    let all = Pattern::all(group.n())?;
    let mut seen = vec![false; all.len()];
    let index = |p: &Pattern| {
        p.bits()
            .iter()
            .fold(0usize, |acc, &b| (acc << 1) | usize::from(b))
    };
    let mut out = Vec::new();
    for p in &all {
        if seen[index(p)] {
            continue;
        }
        let orbit = group.orbit(p);
        for q in &orbit {
            seen[index(q)] = true;
        }
        out.push(orbit);
    }
    Ok(out)
}

fn strings(ps: &[Pattern]) -> Vec<String> {
    ps.iter().map(Pattern::to_string).collect()
}

/// The group section for `set` with its group `group`.
pub fn group_section(set: &PatternSet, group: &SymmetryGroup) -> Result<GroupSection> {
    let checked = group.order().min(CHECK_LIMIT);
    let fixes = group
        .elements()
        .iter()
        .take(checked)
        .all(|s| set.same_set(&s.act_on_set(set)));
    let on_patterns = pattern_orbits(group)?;
    let mut sizes = std::collections::BTreeMap::new();
    for o in &on_patterns {
        *sizes.entry(o.len()).or_insert(0usize) += 1;
    }
    Ok(GroupSection {
        summary: GroupSummary::of(group),
        orbits_on_x: group.orbits(set).iter().map(|o| strings(o)).collect(),
        orbits_on_patterns: on_patterns.iter().map(|o| strings(o)).collect(),
        orbit_sizes: sizes.into_iter().collect(),
        every_element_fixes_x: fixes,
        elements_checked: checked,
        is_group: group.group_laws_hold_on_first(GROUP_LAW_LIMIT),
        group_law_checked: group.order().min(GROUP_LAW_LIMIT),
    })
}

/// Numerical rank: singular values above `1e-9` times the largest.
pub(crate) fn rank(m: &DMatrix<f64>) -> usize {
    let sv = m.clone().svd(false, false).singular_values;
    let largest = sv.max();
    if largest <= 0.0 {
        return 0;
    }
    sv.iter().filter(|&&s| s > 1e-9 * largest).count()
}

/// The invariant-matrix section, with the Reynolds-rank cross-check.
pub fn invariant_section(group: &SymmetryGroup) -> InvariantSection {
    let n = group.n();
    let reynolds_rank =
        (group.order().saturating_mul(n.pow(4)) <= REYNOLDS_BUDGET).then(|| reynolds_rank(group));
    InvariantSection {
        form: group.invariant_form(),
        dimension: group.invariant_dimension(),
        reynolds_rank,
    }
}

/// The rank of the N² Reynolds projections R(E_ij), each flattened into a column.
fn reynolds_rank(group: &SymmetryGroup) -> usize {
    let n = group.n();
    // Each R(E_ij), flattened, is one column; their span is the invariant subspace.
    let mut columns = DMatrix::zeros(n * n, n * n);
    for i in 0..n {
        for j in 0..n {
            let mut e = DMatrix::zeros(n, n);
            e[(i, j)] = 1.0;
            let r = group.symmetrize(&e);
            for (k, v) in r.iter().enumerate() {
                columns[(k, i * n + j)] = *v;
            }
        }
    }
    rank(&columns)
}
