//! Permutations `s ∈ S_N` of the `N` input positions and their actions on patterns, vectors
//! and weight matrices (paper §2, eqs. 2–3).
//!
//! # Conventions
//!
//! A permutation is stored 0-based as its list of images, `images[i] = s(i)`. In cycle
//! notation (input and output) points are numbered from 1, as in the paper: `(23)` swaps the
//! second and third input.
//!
//! Composition is that of maps: `(s∘t)(i) = s(t(i))` ([`Permutation::compose`]).
//!
//! # The actions
//!
//! On a pattern or real vector `x ∈ ℝ^N` and on a matrix `W ∈ ℝ^{N×N}`:
//!
//! ```text
//!   (s·x)_i  = x_{s(i)}                      (act_on_pattern, act_on_vector)
//!   (s·W)_ij = W_{s(i) s(j)}                 (act_on_matrix)
//! ```
//!
//! **Action law.** Writing `y = s·x`, `(t·y)_i = y_{t(i)} = x_{s(t(i))}`, hence
//!
//! ```text
//!   t·(s·x) = (s∘t)·x ,      t·(s·W) = (s∘t)·W ,
//! ```
//!
//! so `x ↦ s·x` is a *right* action of the composition product (a left action of the opposite
//! product `s ⋆ t = t∘s`). For group-theoretic statements in this crate this makes no
//! difference: the set `Σ·x = {s·x : s ∈ Σ}` (an orbit) and the condition `s·W = W ∀s ∈ Σ`
//! (invariance) are the same under either convention, because `Σ` is closed under both
//! products.
//!
//! **Compatibility.** With `k = s(j)` running over all indices as `j` does,
//!
//! ```text
//!   ((s·W)(s·x))_i = Σ_j W_{s(i)s(j)} x_{s(j)} = Σ_k W_{s(i)k} x_k = (W x)_{s(i)} = (s·(W x))_i .
//! ```
//!
//! So `(s·W)(s·x) = s·(W x)`. If `W` is Σ-invariant (`s·W = W`, paper eq. 3) this reads
//! `W(s·x) = s·(W x)`: the linear layer commutes with every symmetry of the training set, and
//! so does the whole network if its non-linearity acts entrywise (paper eq. 2). This is why a
//! Σ-invariant `W` gives a Σ-compatible network (eq. 2 ⇔ eq. 3).
//!
//! **Matrix form.** With `P_s` = [`Permutation::matrix`], `(P_s)_{i,s(i)} = 1` and zero
//! elsewhere, `P_s x = s·x` and `(P_s W P_sᵀ)_ij = Σ_{k,l} (P_s)_{ik} W_{kl} (P_s)_{jl}
//! = W_{s(i)s(j)}`, i.e. `P_s W P_sᵀ = s·W`.

use std::fmt;

use nalgebra::{DMatrix, DVector};
use serde::{Serialize, Serializer};

use crate::error::{Error, Result};
use crate::pattern::{Pattern, PatternSet};

/// The largest `N` for which [`Permutation::all`] lists `S_N` (8! = 40 320 elements).
pub const MAX_ALL_N: usize = 8;

/// A permutation `s` of the points `{0, …, n−1}` (printed as `{1, …, n}`).
///
/// Ordered lexicographically by its image list, so the identity is the smallest element of
/// `S_n`. Serialised as its cycle notation, e.g. `"(23)"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Permutation {
    images: Vec<usize>,
}

impl Permutation {
    /// The permutation `i ↦ images[i]` (0-based).
    ///
    /// # Errors
    /// [`Error::NotAPermutation`] unless `images` lists each of `0, …, n−1` exactly once.
    pub fn new(images: Vec<usize>) -> Result<Self> {
        let n = images.len();
        let mut seen = vec![false; n];
        for &v in &images {
            if v >= n || seen[v] {
                return Err(Error::NotAPermutation { images, n });
            }
            seen[v] = true;
        }
        Ok(Permutation { images })
    }

    /// Crate-internal constructor for image lists already known to be permutations.
    pub(crate) fn from_images_unchecked(images: Vec<usize>) -> Self {
        debug_assert!(Permutation::new(images.clone()).is_ok());
        Permutation { images }
    }

    /// The identity `e` of `S_n`.
    pub fn identity(n: usize) -> Self {
        Permutation {
            images: (0..n).collect(),
        }
    }

    /// The transposition swapping the 0-based points `i` and `j` (the identity if `i = j`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `i` or `j` is not below `n`.
    pub fn transposition(n: usize, i: usize, j: usize) -> Result<Self> {
        for (name, v) in [("i", i), ("j", j)] {
            if v >= n {
                return Err(Error::InvalidParameter {
                    name: name.to_string(),
                    value: v.to_string(),
                    why: format!("a point of a permutation of {n} points is 0-based and below {n}"),
                });
            }
        }
        let mut images: Vec<usize> = (0..n).collect();
        images.swap(i, j);
        Ok(Permutation { images })
    }

    /// The number of points `n`.
    pub fn n(&self) -> usize {
        self.images.len()
    }

    /// `s(i)` (0-based). Points `i ≥ n` are treated as fixed, which embeds `S_n ⊂ S_m` for
    /// `m > n` and keeps this function panic-free.
    pub fn image(&self, i: usize) -> usize {
        self.images.get(i).copied().unwrap_or(i)
    }

    /// The image list `[s(0), …, s(n−1)]`.
    pub fn images(&self) -> &[usize] {
        &self.images
    }

    /// The composition `(self ∘ other)(i) = self(other(i))`.
    ///
    /// Both should have the same `n` (checked in debug builds). In release builds a shorter
    /// permutation is read as fixing the extra points (see [`Permutation::image`]), so the
    /// result has `max(n, m)` points and nothing panics.
    pub fn compose(&self, other: &Self) -> Self {
        debug_assert_eq!(
            self.n(),
            other.n(),
            "composing permutations of different sizes"
        );
        let n = self.n().max(other.n());
        Permutation {
            images: (0..n).map(|i| self.image(other.image(i))).collect(),
        }
    }

    /// The inverse `s⁻¹`, with `s⁻¹(s(i)) = i`.
    pub fn inverse(&self) -> Self {
        let mut images = vec![0; self.n()];
        for (i, &si) in self.images.iter().enumerate() {
            images[si] = i;
        }
        Permutation { images }
    }

    /// Whether `s = e`.
    pub fn is_identity(&self) -> bool {
        self.images.iter().enumerate().all(|(i, &si)| i == si)
    }

    /// The order of `s`: the least `k > 0` with `s^k = e`, i.e. the lcm of its cycle lengths.
    pub fn order(&self) -> usize {
        fn gcd(a: usize, b: usize) -> usize {
            if b == 0 { a } else { gcd(b, a % b) }
        }
        self.cycles()
            .iter()
            .map(Vec::len)
            .fold(1, |acc, len| acc / gcd(acc, len) * len)
    }

    /// The non-trivial cycles (length ≥ 2), 0-based. A cycle `[a, s(a), s(s(a)), …]` starts at
    /// its smallest point; cycles are sorted by that point.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.n()];
        let mut out = Vec::new();
        // Scanning start points upwards makes each cycle start at its smallest point and the
        // cycles come out sorted by it.
        for start in 0..self.n() {
            if seen[start] {
                continue;
            }
            let mut cycle = vec![start];
            seen[start] = true;
            let mut i = self.images[start];
            while i != start {
                seen[i] = true;
                cycle.push(i);
                i = self.images[i];
            }
            if cycle.len() > 1 {
                out.push(cycle);
            }
        }
        out
    }

    /// Cycle notation with points numbered from 1: `"e"`, `"(23)"`, `"(123)"`, `"(12)(34)"`.
    /// For `n ≥ 10` points are separated by commas, `"(1,10)"`, so the text stays unambiguous.
    pub fn to_cycle_notation(&self) -> String {
        let cycles = self.cycles();
        if cycles.is_empty() {
            return "e".to_string();
        }
        let sep = if self.n() >= 10 { "," } else { "" };
        cycles
            .iter()
            .map(|c| {
                let points: Vec<String> = c.iter().map(|p| (p + 1).to_string()).collect();
                format!("({})", points.join(sep))
            })
            .collect()
    }

    /// Reads cycle notation (points numbered from 1) for a permutation of `n` points.
    ///
    /// Accepts `"e"` (identity) and products of disjoint cycles such as `"(23)"`, `"(32)"`
    /// (the same), `"(231)"` (2→3→1→2), `"(12)(34)"`, `"(1,10)"`. Inside a cycle the points
    /// are separated by commas or whitespace; a cycle with no separator, such as `(231)`, is
    /// read digit by digit. Whitespace around cycles is ignored.
    ///
    /// # Errors
    /// [`Error::BadCycleNotation`] on bad syntax, an empty cycle, a point 0 or above `n`, or a
    /// point that occurs twice.
    pub fn parse_cycles(text: &str, n: usize) -> Result<Self> {
        let bad = |why: String| Error::BadCycleNotation {
            text: text.to_string(),
            why,
        };
        let trimmed = text.trim();
        if trimmed == "e" {
            return Ok(Permutation::identity(n));
        }
        if trimmed.is_empty() {
            return Err(bad("nothing to read; write e for the identity".to_string()));
        }
        let mut images: Vec<usize> = (0..n).collect();
        let mut seen = vec![false; n];
        let mut rest = trimmed;
        while !rest.is_empty() {
            let Some(after_open) = rest.strip_prefix('(') else {
                return Err(bad(format!("expected '(' at {rest:?}")));
            };
            let Some(close) = after_open.find(')') else {
                return Err(bad("a '(' is never closed".to_string()));
            };
            let body = &after_open[..close];
            rest = after_open[close + 1..].trim_start();
            let points = parse_cycle_body(body).map_err(&bad)?;
            if points.is_empty() {
                return Err(bad("empty cycle ()".to_string()));
            }
            for &p in &points {
                if p == 0 || p > n {
                    return Err(bad(format!("point {p} is not among the points 1..={n}")));
                }
                if seen[p - 1] {
                    return Err(bad(format!(
                        "point {p} occurs twice; write a product of disjoint cycles"
                    )));
                }
                seen[p - 1] = true;
            }
            // (a b … z) means a→b→…→z→a.
            for (k, &p) in points.iter().enumerate() {
                images[p - 1] = points[(k + 1) % points.len()] - 1;
            }
        }
        Ok(Permutation { images })
    }

    /// All of `S_n` in lexicographic order of the image lists (the identity first).
    ///
    /// # Errors
    /// [`Error::TooLarge`] for `n > 8`: `S_9` already has 362 880 elements, and nothing in the
    /// crate needs the full symmetric group of more points except through
    /// `group::symmetry_group`, which builds it on its own.
    pub fn all(n: usize) -> Result<Vec<Permutation>> {
        if n > MAX_ALL_N {
            return Err(Error::TooLarge { n, max: MAX_ALL_N });
        }
        Ok(all_lexicographic(n))
    }

    /// The pattern `s·x` with `(s·x)_i = x_{s(i)}`.
    ///
    /// # Panics
    /// If `x` is shorter than the points `s` moves (a pattern of the wrong length is a
    /// programming error, as a dimension mismatch is for nalgebra's arithmetic).
    pub fn act_on_pattern(&self, x: &Pattern) -> Pattern {
        debug_assert_eq!(x.len(), self.n(), "pattern length differs from n");
        let bits = x.bits();
        Pattern::from_valid_bits((0..bits.len()).map(|i| bits[self.image(i)]).collect())
    }

    // ANCHOR: actions
    /// The vector `s·x` with `(s·x)_i = x_{s(i)}`.
    ///
    /// # Panics
    /// If `x` is shorter than the points `s` moves.
    pub fn act_on_vector(&self, x: &DVector<f64>) -> DVector<f64> {
        debug_assert_eq!(x.len(), self.n(), "vector length differs from n");
        DVector::from_fn(x.len(), |i, _| x[self.image(i)])
    }

    /// The matrix `s·W` with `(s·W)_ij = W_{s(i) s(j)}`.
    ///
    /// # Panics
    /// If `W` has fewer rows or columns than the points `s` moves.
    pub fn act_on_matrix(&self, w: &DMatrix<f64>) -> DMatrix<f64> {
        debug_assert_eq!((w.nrows(), w.ncols()), (self.n(), self.n()), "W is not n×n");
        DMatrix::from_fn(w.nrows(), w.ncols(), |i, j| {
            w[(self.image(i), self.image(j))]
        })
    }
    // ANCHOR_END: actions

    /// The images `s·x` of the set's patterns, in the set's order.
    pub fn act_on_set(&self, set: &PatternSet) -> Vec<Pattern> {
        set.patterns()
            .iter()
            .map(|x| self.act_on_pattern(x))
            .collect()
    }

    /// The permutation matrix `P_s`, `(P_s)_{i,s(i)} = 1`, so that `P_s x = s·x` and
    /// `P_s W P_sᵀ = s·W`.
    pub fn matrix(&self) -> DMatrix<f64> {
        let n = self.n();
        DMatrix::from_fn(n, n, |i, j| if self.images[i] == j { 1.0 } else { 0.0 })
    }
}

/// Splits the inside of one cycle into its 1-based points (see [`Permutation::parse_cycles`]).
fn parse_cycle_body(body: &str) -> std::result::Result<Vec<usize>, String> {
    let number = |tok: &str| -> std::result::Result<usize, String> {
        if tok.is_empty() || !tok.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{tok:?} is not a point number"));
        }
        tok.parse::<usize>()
            .map_err(|e| format!("{tok:?} is not a point number: {e}"))
    };
    if body.contains(',') {
        return body.split(',').map(|t| number(t.trim())).collect();
    }
    let tokens: Vec<&str> = body.split_whitespace().collect();
    match tokens.as_slice() {
        [] => Ok(Vec::new()),
        [single] => single
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .map(|d| d as usize)
                    .ok_or_else(|| format!("{c:?} is not a digit"))
            })
            .collect(),
        many => many.iter().map(|t| number(t)).collect(),
    }
}

/// `S_n` in lexicographic order, without the size limit of [`Permutation::all`]; used by the
/// group module for the full symmetric group of up to `MAX_N` points.
pub(crate) fn all_lexicographic(n: usize) -> Vec<Permutation> {
    let mut current: Vec<usize> = (0..n).collect();
    let mut out = Vec::new();
    loop {
        out.push(Permutation {
            images: current.clone(),
        });
        // Standard next-permutation step: find the last ascent a[k] < a[k+1], swap a[k] with
        // the last element exceeding it, reverse the tail.
        let Some(k) = (0..n.saturating_sub(1))
            .rev()
            .find(|&k| current[k] < current[k + 1])
        else {
            return out;
        };
        // An element above current[k] exists at k+1, so the search always succeeds; falling
        // back to k+1 keeps the code panic-free.
        let l = (k + 1..n)
            .rev()
            .find(|&l| current[l] > current[k])
            .unwrap_or(k + 1);
        current.swap(k, l);
        current[k + 1..].reverse();
    }
}

impl fmt::Display for Permutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_cycle_notation())
    }
}

impl Serialize for Permutation {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_cycle_notation())
    }
}

#[cfg(test)]
mod tests;
