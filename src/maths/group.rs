//! The symmetry group `Σ_X` of a training set, its orbits, and the weight matrices it leaves
//! invariant (paper §2, eqs. 3 and 5).
//!
//! For `X ⊂ {0,1}^N` the paper's symmetry group is
//!
//! ```text
//!   Σ_X = { s ∈ S_N : s·X = X }        (as sets; (s·x)_i = x_{s(i)}, see crate::perm)
//! ```
//!
//! A matrix `W ∈ ℝ^{N×N}` is Σ-invariant if `s·W = W` for all `s ∈ Σ`, i.e.
//! `W_{s(i)s(j)} = W_ij` (eq. 3). So `W` must be constant on each orbit of `Σ` acting on index
//! pairs, `(i, j) ↦ (s(i), s(j))`, and conversely any such `W` is invariant: the invariant
//! matrices form a vector space whose dimension is the number of pair orbits, with the orbit
//! indicator matrices as a basis ([`SymmetryGroup::invariant_basis`]). For the paper's
//! `X = {101, 110}`, `Σ_X = {e, (23)}` and the general invariant matrix is eq. 5,
//!
//! ```text
//!   [[a, b, b],
//!    [c, d, e],
//!    [c, e, d]]      (five free parameters).
//! ```
//!
//! # Computing Σ_X without enumerating S_N
//!
//! `|S_10| = 3 628 800`, so filtering `S_N` is wasteful. Instead [`symmetry_group`] assigns
//! `s(0), s(1), …` in increasing order of candidates and prunes by a necessary condition: view
//! `X` as a `|X| × N` bit matrix; if `s·X = X`, then for every `k` the multiset of rows of `X`
//! restricted to the columns `s(0), …, s(k−1)` equals the multiset of rows restricted to the
//! columns `0, …, k−1` (restriction of equal sets of rows to the first `k` coordinates). At
//! `k = N` the condition *is* `s·X = X` (patterns are distinct and `x ↦ s·x` is injective,
//! so equal multisets are equal sets). Two further facts keep the search small:
//! `s·X = X ⇔ s·X^c = X^c` (`s` permutes `{0,1}^N`), so the smaller of `X` and its complement
//! is searched; and if `X` is a union of weight classes it is invariant under all of `S_N`
//! (permutations preserve weight and act transitively on each weight class), so `Σ_X = S_N`
//! is returned directly.

use std::collections::BTreeSet;

use nalgebra::DMatrix;
use rand::RngExt;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
use crate::pattern::{MAX_N, Pattern, PatternSet};
use crate::perm::{Permutation, all_lexicographic};

/// A finite group of permutations of `n` points, stored as its full list of elements in
/// lexicographic order of image lists (so the identity comes first).
#[derive(Clone, Debug, PartialEq)]
pub struct SymmetryGroup {
    n: usize,
    elements: Vec<Permutation>,
}

/// A pattern as a bit mask, bit `j` = `x_j` (0-based), for allocation-free group actions.
fn mask_of(x: &Pattern) -> u16 {
    x.bits()
        .iter()
        .enumerate()
        .fold(0u16, |m, (j, &b)| m | (u16::from(b) << j))
}

/// The pattern of length `n` with bit mask `m`.
fn pattern_of(m: u16, n: usize) -> Pattern {
    Pattern::from_valid_bits((0..n).map(|j| ((m >> j) & 1) as u8).collect())
}

/// `s·x` on bit masks: bit `i` of the result is bit `s(i)` of `m`.
fn act_on_mask(s: &Permutation, m: u16) -> u16 {
    s.images()
        .iter()
        .enumerate()
        .fold(0u16, |acc, (i, &si)| acc | (((m >> si) & 1) << i))
}

/// Binomial coefficient `C(n, k)` for the small `n ≤ MAX_N` used here.
fn binomial(n: usize, k: usize) -> usize {
    (0..k).fold(1, |acc, i| acc * (n - i) / (i + 1))
}

/// Backtracking search for `{ s : s·X = X }` (see the module documentation).
struct Search {
    n: usize,
    /// Number of rows (patterns) searched.
    m: usize,
    /// The patterns as bit masks.
    rows: Vec<u16>,
    /// `target[k][key]`: how many rows have the prefix `x_0 … x_{k−1}` equal to `key`
    /// (read as a binary number, `x_0` most significant).
    target: Vec<Vec<u32>>,
    /// Number of ones in each column of `X`.
    col_weight: Vec<usize>,
    /// `keys[k·m + r]`: prefix key of row `r` over the columns `s(0), …, s(k−1)`.
    keys: Vec<u16>,
    /// Scratch counts over keys; all zero between uses.
    counts: Vec<u32>,
    images: Vec<usize>,
    used: Vec<bool>,
    out: Vec<Permutation>,
}

impl Search {
    fn new(n: usize, rows: Vec<u16>) -> Search {
        let m = rows.len();
        let bit = |r: u16, c: usize| (r >> c) & 1;
        let target = (0..=n)
            .map(|k| {
                let mut t = vec![0u32; 1 << k];
                for &r in &rows {
                    let key = (0..k).fold(0usize, |acc, j| (acc << 1) | usize::from(bit(r, j)));
                    t[key] += 1;
                }
                t
            })
            .collect();
        let col_weight = (0..n)
            .map(|c| rows.iter().filter(|&&r| bit(r, c) == 1).count())
            .collect();
        Search {
            n,
            m,
            rows,
            target,
            col_weight,
            keys: vec![0; (n + 1) * m],
            counts: vec![0; 1 << n],
            images: vec![0; n],
            used: vec![false; n],
            out: Vec::new(),
        }
    }

    // ANCHOR: search
    /// Whether assigning `s(k) = c` keeps the prefix multisets equal; fills `keys` at level
    /// `k + 1` as a side effect.
    fn extend_ok(&mut self, k: usize, c: usize) -> bool {
        let m = self.m;
        let (lower, upper) = self.keys.split_at_mut((k + 1) * m);
        let prev = &lower[k * m..];
        let next = &mut upper[..m];
        for r in 0..m {
            let key = (prev[r] << 1) | ((self.rows[r] >> c) & 1);
            next[r] = key;
            self.counts[usize::from(key)] += 1;
        }
        // Both multisets have m elements, so they are equal iff every key present in the
        // candidate has the target's multiplicity.
        let target = &self.target[k + 1];
        let ok = next
            .iter()
            .all(|&key| self.counts[usize::from(key)] == target[usize::from(key)]);
        for &key in next.iter() {
            self.counts[usize::from(key)] = 0;
        }
        ok
    }

    fn descend(&mut self, k: usize) {
        if k == self.n {
            self.out
                .push(Permutation::from_images_unchecked(self.images.clone()));
            return;
        }
        // Increasing candidates make the elements come out in lexicographic order.
        for c in 0..self.n {
            if self.used[c] || self.col_weight[c] != self.col_weight[k] || !self.extend_ok(k, c) {
                continue;
            }
            self.used[c] = true;
            self.images[k] = c;
            self.descend(k + 1);
            self.used[c] = false;
        }
    }
    // ANCHOR_END: search
}

/// The symmetry group `Σ_X = { s ∈ S_N : s·X = X }` of a pattern set, by pruned backtracking
/// (module documentation). Elements come in lexicographic order, the identity first.
///
/// # Errors
/// [`Error::TooLarge`] if `N > MAX_N`.
pub fn symmetry_group(set: &PatternSet) -> Result<SymmetryGroup> {
    let n = set.n();
    if n > MAX_N {
        return Err(Error::TooLarge { n, max: MAX_N });
    }
    let masks: BTreeSet<u16> = set.patterns().iter().map(mask_of).collect();
    // A union of weight classes is S_N-invariant: Σ_X = S_N without search.
    let mut per_weight = vec![0usize; n + 1];
    for &m in &masks {
        per_weight[m.count_ones() as usize] += 1;
    }
    if per_weight
        .iter()
        .enumerate()
        .all(|(w, &c)| c == 0 || c == binomial(n, w))
    {
        return Ok(SymmetryGroup {
            n,
            elements: all_lexicographic(n),
        });
    }
    // s·X = X ⇔ s·X^c = X^c: search the smaller of the two (fewer rows per pruning test).
    let total = 1u16 << n;
    let rows: Vec<u16> = if 2 * masks.len() > usize::from(total) {
        (0..total).filter(|m| !masks.contains(m)).collect()
    } else {
        masks.into_iter().collect()
    };
    let mut search = Search::new(n, rows);
    search.descend(0);
    Ok(SymmetryGroup {
        n,
        elements: search.out,
    })
}

/// The patterns `y ∉ X` for which `X ∪ {y}` has the same symmetry group as `X`: the set the
/// paper's §3.1.2 says a linear auto-associator generalises to (it does not: it generalises to
/// `span X`, see the linear chapter), in the order of [`Pattern::all`].
///
/// # Errors
/// [`Error::TooLarge`] if `N > MAX_N`, and the errors of building the extended sets.
pub fn symmetry_preserving_extensions(set: &PatternSet) -> Result<Vec<Pattern>> {
    symmetry_preserving_extensions_with_group(set, &symmetry_group(set)?)
}

/// [`symmetry_preserving_extensions`] with `group` = Σ_X already computed.
///
/// Why only a few `y` need a search: for s ∈ Σ_X and y ∉ X, s·y ∉ X (s⁻¹ maps X onto X), so
/// s maps X ∪ {y} onto itself exactly when s·y = y. Hence Σ_X ⊆ Σ_{X∪{y}} iff every element
/// of Σ_X fixes y, i.e. iff y is constant on each orbit of Σ_X on the N positions; and then
/// Σ_{X∪{y}} = Σ_X iff the two orders agree (always when Σ_X = S_N, which nothing exceeds).
/// So a group is searched only for the y fixed by Σ_X, not for every y ∉ X: for X =
/// {0000000000, 1111111111} (Σ_X = S₁₀) none instead of 1022 searches of groups of up to
/// 9! elements. Cost: |Σ_X|·N for the orbits on positions, then one search per fixed y.
///
/// # Errors
/// [`Error::DimensionMismatch`] if `group` does not act on N points; as
/// [`symmetry_preserving_extensions`].
pub fn symmetry_preserving_extensions_with_group(
    set: &PatternSet,
    group: &SymmetryGroup,
) -> Result<Vec<Pattern>> {
    let n = set.n();
    if group.n() != n {
        return Err(Error::DimensionMismatch {
            what: "points the symmetry group acts on".into(),
            expected: n,
            found: group.n(),
        });
    }
    // The orbits of Σ_X on positions, by union-find over every element's i ~ s(i) (until one
    // orbit is left: S₁₀ gets there within its first elements).
    let mut parent: Vec<usize> = (0..n).collect();
    let mut components = n;
    for s in group.elements() {
        if components <= 1 {
            break;
        }
        for i in 0..n {
            let (a, b) = (find(&mut parent, i), find(&mut parent, s.image(i)));
            if a != b {
                parent[a.max(b)] = a.min(b);
                components -= 1;
            }
        }
    }
    let root: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
    let everything = group.order() == (1..=n).product::<usize>();
    let mut out = Vec::new();
    for y in Pattern::all(n)? {
        let bits = y.bits();
        if set.contains(&y) || (0..n).any(|i| bits[i] != bits[root[i]]) {
            continue;
        }
        let keeps = everything || {
            let mut extended = set.patterns().to_vec();
            extended.push(y.clone());
            symmetry_group(&PatternSet::new(extended)?)?.order() == group.order()
        };
        if keeps {
            out.push(y);
        }
    }
    Ok(out)
}

/// Name of the `k`-th free parameter: `a, …, z, a1, …, z1, a2, …`.
fn parameter_name(k: usize) -> String {
    // k % 26 < 26, so the byte is a lower-case ASCII letter.
    let letter = char::from(b'a' + (k % 26) as u8);
    match k / 26 {
        0 => letter.to_string(),
        round => format!("{letter}{round}"),
    }
}

/// Union-find root with path halving.
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl SymmetryGroup {
    /// The group with the given elements (any order, repeats ignored).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if an element does not act on `n` points;
    /// [`Error::InvalidParameter`] if the elements do not form a group (no identity, not
    /// closed under composition, or missing an inverse). The check costs `O(|Σ|² log |Σ|)`.
    pub fn from_elements(n: usize, elements: Vec<Permutation>) -> Result<Self> {
        if let Some(s) = elements.iter().find(|s| s.n() != n) {
            return Err(Error::DimensionMismatch {
                what: format!("permutation {s}"),
                expected: n,
                found: s.n(),
            });
        }
        let mut elements = elements;
        elements.sort();
        elements.dedup();
        let group = SymmetryGroup { n, elements };
        if !group.is_group() {
            let listed: Vec<String> = group.elements.iter().map(|s| s.to_string()).collect();
            return Err(Error::InvalidParameter {
                name: "elements".to_string(),
                value: format!("{{{}}}", listed.join(", ")),
                why: "not a group: it must contain e and be closed under composition and inverses"
                    .to_string(),
            });
        }
        Ok(group)
    }

    /// The full symmetric group `S_n`.
    ///
    /// # Errors
    /// [`Error::TooLarge`] for `n > 8`, as [`Permutation::all`].
    pub fn symmetric(n: usize) -> Result<Self> {
        Ok(SymmetryGroup {
            n,
            elements: Permutation::all(n)?,
        })
    }

    /// The number of points `N` acted on.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The group order `|Σ|`.
    pub fn order(&self) -> usize {
        self.elements.len()
    }

    /// The elements, lexicographic by image list (identity first).
    pub fn elements(&self) -> &[Permutation] {
        &self.elements
    }

    /// Whether `s ∈ Σ` (binary search: the elements are kept sorted).
    pub fn contains(&self, s: &Permutation) -> bool {
        self.elements.binary_search(s).is_ok()
    }

    /// Whether the elements form a group: all act on `n` points, `e ∈ Σ`, `s∘t ∈ Σ` and
    /// `s⁻¹ ∈ Σ` for all `s, t ∈ Σ`. Quadratic in `|Σ|`; meant for tests and small groups.
    pub fn is_group(&self) -> bool {
        self.group_laws_hold_on_first(self.elements.len())
    }

    /// The group laws on the first `k` elements in lexicographic order (all of them when
    /// `k ≥ |Σ|`): they act on `n` points, `e ∈ Σ`, and `s⁻¹ ∈ Σ` and `s∘t ∈ Σ` for all such
    /// `s, t`. Costs k² compositions and binary searches; a report checks a group too large
    /// for [`SymmetryGroup::is_group`] on its first elements this way.
    pub fn group_laws_hold_on_first(&self, k: usize) -> bool {
        let first = &self.elements[..k.min(self.elements.len())];
        first.iter().all(|s| s.n() == self.n)
            && self.contains(&Permutation::identity(self.n))
            && first.iter().all(|s| self.contains(&s.inverse()))
            && first
                .iter()
                .all(|s| first.iter().all(|t| self.contains(&s.compose(t))))
    }

    /// The set of patterns `{ s·x : s ∈ Σ }` as masks.
    fn orbit_masks(&self, x: &Pattern) -> BTreeSet<u16> {
        let m = mask_of(x);
        self.elements.iter().map(|s| act_on_mask(s, m)).collect()
    }

    /// The orbits of `Σ` on the set: the classes of `x ~ y ⇔ y = s·x` for some `s ∈ Σ`,
    /// restricted to the set's members. If `Σ = Σ_X` the set is a union of whole orbits and
    /// these are exactly the orbits. Each orbit lists its members in the set's order; orbits
    /// are ordered by the position of their first member.
    pub fn orbits(&self, set: &PatternSet) -> Vec<Vec<Pattern>> {
        let patterns = set.patterns();
        let mut assigned = vec![false; patterns.len()];
        let mut out = Vec::new();
        for start in 0..patterns.len() {
            if assigned[start] {
                continue;
            }
            // One pass over Σ per orbit (not per pattern) keeps this fast for |Σ| = 10!.
            let orbit = self.orbit_masks(&patterns[start]);
            let mut members = Vec::new();
            for (k, y) in patterns.iter().enumerate() {
                if !assigned[k] && orbit.contains(&mask_of(y)) {
                    assigned[k] = true;
                    members.push(y.clone());
                }
            }
            out.push(members);
        }
        out
    }

    /// The full orbit `Σ·x = { s·x : s ∈ Σ }` of any pattern of length `n`, sorted.
    pub fn orbit(&self, x: &Pattern) -> Vec<Pattern> {
        let mut orbit: Vec<Pattern> = self
            .orbit_masks(x)
            .into_iter()
            .map(|m| pattern_of(m, x.len()))
            .collect();
        orbit.sort();
        orbit
    }

    /// The orbits of `Σ` on index pairs under `(i, j) ↦ (s(i), s(j))`, 0-based. Each orbit is
    /// sorted row-major; orbits are ordered by their first pair, row-major.
    ///
    /// Computed by union-find: uniting `(i, j)` with `(s(i), s(j))` for every `s ∈ Σ` joins
    /// exactly the pairs in one orbit (the relation is already symmetric and transitive on
    /// the group). Since every `s` maps diagonal pairs to diagonal pairs, there are at least
    /// two orbits for `n ≥ 2`; once that minimum is reached the remaining elements cannot
    /// merge anything and the loop stops (this makes `S_10` instant).
    pub fn pair_orbits(&self) -> Vec<Vec<(usize, usize)>> {
        let n = self.n;
        let mut parent: Vec<usize> = (0..n * n).collect();
        let mut components = n * n;
        let minimum = n.min(2);
        for s in &self.elements {
            if components <= minimum {
                break;
            }
            for i in 0..n {
                for j in 0..n {
                    let a = find(&mut parent, i * n + j);
                    let b = find(&mut parent, s.image(i) * n + s.image(j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                        components -= 1;
                    }
                }
            }
        }
        // Number orbits in order of their first pair (row-major scan).
        let mut index_of_root = vec![usize::MAX; n * n];
        let mut out: Vec<Vec<(usize, usize)>> = Vec::new();
        for p in 0..n * n {
            let root = find(&mut parent, p);
            if index_of_root[root] == usize::MAX {
                index_of_root[root] = out.len();
                out.push(Vec::new());
            }
            out[index_of_root[root]].push((p / n, p % n));
        }
        out
    }

    /// The dimension of the space of Σ-invariant `N×N` matrices: the number of pair orbits.
    pub fn invariant_dimension(&self) -> usize {
        self.pair_orbits().len()
    }

    // ANCHOR: invariant_basis
    /// A basis of the invariant matrices: the 0/1 indicator matrix of each pair orbit, in the
    /// order of [`SymmetryGroup::pair_orbits`]. The basis is orthogonal in the Frobenius inner
    /// product (disjoint supports).
    pub fn invariant_basis(&self) -> Vec<DMatrix<f64>> {
        let n = self.n;
        self.pair_orbits()
            .iter()
            .map(|orbit| {
                let mut b = DMatrix::zeros(n, n);
                for &(i, j) in orbit {
                    b[(i, j)] = 1.0;
                }
                b
            })
            .collect()
    }
    // ANCHOR_END: invariant_basis

    /// The general invariant matrix in symbols: entry `(i, j)` holds the parameter name of its
    /// pair orbit (`a, b, …, z, a1, b1, …` in orbit order).
    pub fn invariant_form(&self) -> Vec<Vec<String>> {
        let n = self.n;
        let mut form = vec![vec![String::new(); n]; n];
        for (k, orbit) in self.pair_orbits().iter().enumerate() {
            let name = parameter_name(k);
            for &(i, j) in orbit {
                form[i][j] = name.clone();
            }
        }
        form
    }

    /// [`SymmetryGroup::invariant_form`] as one line, e.g. `"[[a,b,b],[c,d,e],[c,e,d]]"` for
    /// `Σ = {e, (23)}` (the paper's eq. 5).
    pub fn invariant_form_string(&self) -> String {
        let rows: Vec<String> = self
            .invariant_form()
            .iter()
            .map(|row| format!("[{}]", row.join(",")))
            .collect();
        format!("[{}]", rows.join(","))
    }

    /// `max_{s ∈ Σ} ‖W − s·W‖_F`: zero exactly for invariant `W`. A matrix that is not `N×N`
    /// cannot be invariant and gets `+∞`.
    pub fn invariance_defect(&self, w: &DMatrix<f64>) -> f64 {
        let n = self.n;
        if w.nrows() != n || w.ncols() != n {
            return f64::INFINITY;
        }
        // W row by row in one slice, so the loop below indexes plainly (S₁₀ has 3.6 M elements
        // and the report asks this of every trained network). The largest squared norm is
        // taken before the one square root: √ is monotone, so the result is the same.
        let rows: Vec<f64> = (0..n)
            .flat_map(|i| (0..n).map(move |j| w[(i, j)]))
            .collect();
        self.elements
            .iter()
            .map(|s| {
                // ‖W − s·W‖_F² = Σ_ij (W_ij − W_{s(i)s(j)})², without building s·W.
                let image = s.images();
                let mut sum = 0.0;
                for (i, &si) in image.iter().enumerate() {
                    let (row, row_s) = (&rows[i * n..(i + 1) * n], &rows[si * n..(si + 1) * n]);
                    for (&wij, &sj) in row.iter().zip(image) {
                        let d = wij - row_s[sj];
                        sum += d * d;
                    }
                }
                sum
            })
            .fold(0.0, f64::max)
            .sqrt()
    }

    /// Whether `invariance_defect(W) ≤ tol`.
    pub fn is_invariant(&self, w: &DMatrix<f64>, tol: f64) -> bool {
        self.invariance_defect(w) <= tol
    }

    /// The Reynolds operator `R(W) = (1/|Σ|) Σ_{s∈Σ} s·W`.
    ///
    /// `R(W)` is invariant (`t·R(W) = (1/|Σ|) Σ_s (s∘t)·W` and `s ↦ s∘t` is a bijection of
    /// Σ), `R` fixes invariant matrices, and `R` is self-adjoint in the Frobenius inner product
    /// (`⟨s·W, V⟩ = ⟨W, s⁻¹·V⟩` and `s ↦ s⁻¹` is a bijection), so `R` is the orthogonal
    /// projection onto the invariant matrices. Entry-wise, `R(W)_ij` is the mean of `W` over the
    /// pair orbit of `(i, j)`.
    ///
    /// # Panics
    /// If `W` is not `N×N`.
    pub fn symmetrize(&self, w: &DMatrix<f64>) -> DMatrix<f64> {
        let n = self.n;
        assert!(
            w.nrows() == n && w.ncols() == n,
            "symmetrize: W is {}×{}, the group acts on {n} points",
            w.nrows(),
            w.ncols()
        );
        let mut acc = DMatrix::zeros(n, n);
        for s in &self.elements {
            for i in 0..n {
                for j in 0..n {
                    acc[(i, j)] += w[(s.image(i), s.image(j))];
                }
            }
        }
        // A group always has at least the identity; the max guards a hand-built empty list.
        acc / self.order().max(1) as f64
    }

    /// A random invariant matrix `Σ_k c_k B_k` over the [`SymmetryGroup::invariant_basis`],
    /// with independent coefficients `c_k` uniform in `[−1, 1]`.
    pub fn random_invariant(&self, rng: &mut impl rand::Rng) -> DMatrix<f64> {
        let n = self.n;
        self.invariant_basis()
            .iter()
            .fold(DMatrix::zeros(n, n), |acc, b| {
                acc + b * rng.random_range(-1.0..=1.0)
            })
    }
}

impl Serialize for SymmetryGroup {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("SymmetryGroup", 2)?;
        st.serialize_field("order", &self.order())?;
        st.serialize_field("elements", &self.elements)?;
        st.end()
    }
}

#[cfg(test)]
mod tests;
