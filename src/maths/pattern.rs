//! Binary patterns `x ∈ {0,1}^N` and training sets `X ⊂ {0,1}^N` (paper §2, eq. 4: the sets
//! `X = {101, 110}` and `X' = {010, 001}`).
//!
//! A [`Pattern`] is a word of `N` bits written as in the paper, `x = x_1 x_2 … x_N` (stored
//! 0-based). A [`PatternSet`] is a finite training set of patterns of one common length; it
//! keeps the order in which the patterns were given (so that tables and plots list them as the
//! user did) but is a *set*: a pattern given twice is refused, not merged, because a duplicate
//! in a training set is almost always a typing mistake.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// The longest pattern supported. The group computations are exact (they enumerate Σ_X ⊆ S_N,
/// and |S_10| = 3 628 800), so `N ≤ 10` keeps every computation within seconds.
pub const MAX_N: usize = 10;

/// A binary pattern `x = (x_1, …, x_N) ∈ {0,1}^N`, `1 ≤ N ≤ MAX_N`.
///
/// Ordered lexicographically by its bits, so `000 < 001 < 010 < … < 111`.
/// Serialised as the string of its bits, e.g. `"101"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern(Vec<u8>);

/// Renders arbitrary bytes the way a user would have typed them, for error messages.
fn render_bits(bits: &[u8]) -> String {
    bits.iter().map(|b| b.to_string()).collect()
}

impl Pattern {
    /// Reads a pattern such as `"101"`; surrounding whitespace is ignored.
    ///
    /// # Errors
    /// [`Error::EmptyPattern`] for an empty string, [`Error::NonBinary`] for any character
    /// other than `0`/`1`, [`Error::TooLarge`] if longer than [`MAX_N`].
    pub fn parse(s: &str) -> Result<Pattern> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Error::EmptyPattern);
        }
        let mut bits = Vec::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '0' => bits.push(0),
                '1' => bits.push(1),
                found => {
                    return Err(Error::NonBinary {
                        pattern: s.to_string(),
                        found,
                    });
                }
            }
        }
        if bits.len() > MAX_N {
            return Err(Error::TooLarge {
                n: bits.len(),
                max: MAX_N,
            });
        }
        Ok(Pattern(bits))
    }

    /// Builds a pattern from its bits `x_1, …, x_N`.
    ///
    /// # Errors
    /// As [`Pattern::parse`]; a value above 1 is [`Error::NonBinary`].
    pub fn from_bits(bits: &[u8]) -> Result<Pattern> {
        if bits.is_empty() {
            return Err(Error::EmptyPattern);
        }
        if let Some(&b) = bits.iter().find(|&&b| b > 1) {
            // A single decimal digit is shown as itself; anything larger cannot be one `char`.
            let found = char::from_digit(u32::from(b), 10).unwrap_or('?');
            return Err(Error::NonBinary {
                pattern: render_bits(bits),
                found,
            });
        }
        if bits.len() > MAX_N {
            return Err(Error::TooLarge {
                n: bits.len(),
                max: MAX_N,
            });
        }
        Ok(Pattern(bits.to_vec()))
    }

    /// The length `N`.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false` for a constructed pattern (`N ≥ 1`); provided for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bits `x_1, …, x_N` (index 0 holds `x_1`).
    pub fn bits(&self) -> &[u8] {
        &self.0
    }

    /// The pattern as a real vector `x ∈ ℝ^N` with entries 0.0 and 1.0, the network's input.
    pub fn to_vector(&self) -> DVector<f64> {
        DVector::from_iterator(self.0.len(), self.0.iter().map(|&b| f64::from(b)))
    }

    /// The binary pattern nearest to a point `x ∈ ℝ^N`, and the Euclidean distance
    /// ‖x − pattern‖ to it. Each coordinate is rounded on its own: to 1 from ½ up (a tie goes
    /// to 1), to 0 below ½ (and for NaN, whose distance is then NaN). The book reads network
    /// outputs and fixed points as patterns this way (§2's stability example, §4's test
    /// triangle).
    ///
    /// # Errors
    /// [`Error::EmptyPattern`] for an empty `x`, [`Error::TooLarge`] for `x.len() > MAX_N`.
    pub fn nearest(x: &[f64]) -> Result<(Pattern, f64)> {
        let bits: Vec<u8> = x.iter().map(|&v| u8::from(v >= 0.5)).collect();
        let p = Pattern::from_bits(&bits)?;
        let d = x
            .iter()
            .zip(&bits)
            .map(|(&v, &b)| (v - f64::from(b)).powi(2))
            .sum::<f64>()
            .sqrt();
        Ok((p, d))
    }

    /// All `2^N` patterns of length `N` in lexicographic order `00…0, 00…1, …, 11…1`,
    /// i.e. pattern `k` is the binary expansion of `k` with `x_1` the most significant bit.
    ///
    /// # Errors
    /// [`Error::EmptyPattern`] for `n = 0`, [`Error::TooLarge`] for `n > MAX_N`.
    pub fn all(n: usize) -> Result<Vec<Pattern>> {
        if n == 0 {
            return Err(Error::EmptyPattern);
        }
        if n > MAX_N {
            return Err(Error::TooLarge { n, max: MAX_N });
        }
        Ok((0..1usize << n)
            .map(|k| {
                Pattern(
                    (0..n)
                        .map(|i| u8::from((k >> (n - 1 - i)) & 1 == 1))
                        .collect(),
                )
            })
            .collect())
    }

    /// Crate-internal constructor for bits already known to be a valid pattern.
    pub(crate) fn from_valid_bits(bits: Vec<u8>) -> Pattern {
        debug_assert!(!bits.is_empty() && bits.len() <= MAX_N && bits.iter().all(|&b| b <= 1));
        Pattern(bits)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in &self.0 {
            f.write_str(if b == 1 { "1" } else { "0" })?;
        }
        Ok(())
    }
}

impl FromStr for Pattern {
    type Err = Error;
    fn from_str(s: &str) -> Result<Pattern> {
        Pattern::parse(s)
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Pattern::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A training set `X = {x^1, …, x^K} ⊂ {0,1}^N`: non-empty, one common length `N`, no
/// repeated pattern. Keeps the given order. Serialised as an array of pattern strings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternSet {
    n: usize,
    patterns: Vec<Pattern>,
}

impl PatternSet {
    /// Builds the set, keeping the given order.
    ///
    /// # Errors
    /// [`Error::EmptySet`] for no patterns, [`Error::LengthMismatch`] if a pattern's length
    /// differs from the first one's, [`Error::DuplicatePattern`] if a pattern occurs twice.
    pub fn new(patterns: Vec<Pattern>) -> Result<PatternSet> {
        let Some(first) = patterns.first() else {
            return Err(Error::EmptySet);
        };
        let n = first.len();
        let mut seen = BTreeSet::new();
        for p in &patterns {
            if p.len() != n {
                return Err(Error::LengthMismatch {
                    pattern: p.to_string(),
                    expected: n,
                    found: p.len(),
                });
            }
            if !seen.insert(p) {
                return Err(Error::DuplicatePattern {
                    pattern: p.to_string(),
                });
            }
        }
        Ok(PatternSet { n, patterns })
    }

    /// Reads a comma-separated list such as `"101, 110"`.
    ///
    /// # Errors
    /// [`Error::EmptySet`] for a blank list, [`Error::EmptyPattern`] for an empty item (as in
    /// `"101,,110"`), and everything [`Pattern::parse`] and [`PatternSet::new`] refuse.
    pub fn parse(list: &str) -> Result<PatternSet> {
        if list.trim().is_empty() {
            return Err(Error::EmptySet);
        }
        let patterns = list
            .split(',')
            .map(Pattern::parse)
            .collect::<Result<Vec<_>>>()?;
        PatternSet::new(patterns)
    }

    /// The common pattern length `N`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The number of patterns `|X|`.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Always `false` for a constructed set; provided for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The patterns in the given order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether `x ∈ X`.
    pub fn contains(&self, x: &Pattern) -> bool {
        self.patterns.contains(x)
    }

    /// The patterns as real vectors, in order.
    pub fn vectors(&self) -> Vec<DVector<f64>> {
        self.patterns.iter().map(Pattern::to_vector).collect()
    }

    /// The `N × |X|` matrix whose column `k` is pattern `k`.
    pub fn to_matrix(&self) -> DMatrix<f64> {
        DMatrix::from_fn(self.n, self.patterns.len(), |i, k| {
            f64::from(self.patterns[k].bits()[i])
        })
    }

    /// Set equality with `others`, ignoring order (and any repetition in `others`).
    pub fn same_set(&self, others: &[Pattern]) -> bool {
        let mine: BTreeSet<&Pattern> = self.patterns.iter().collect();
        let theirs: BTreeSet<&Pattern> = others.iter().collect();
        mine == theirs
    }
}

impl fmt::Display for PatternSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (k, p) in self.patterns.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{p}")?;
        }
        f.write_str("}")
    }
}

impl FromStr for PatternSet {
    type Err = Error;
    fn from_str(s: &str) -> Result<PatternSet> {
        PatternSet::parse(s)
    }
}

impl Serialize for PatternSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.patterns.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PatternSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let patterns = Vec::<Pattern>::deserialize(deserializer)?;
        PatternSet::new(patterns).map_err(serde::de::Error::custom)
    }
}

/// The paper's training set `X = {101, 110}` (eq. 4).
pub fn paper_x() -> PatternSet {
    // Infallible by inspection: two distinct binary patterns of the same length 3.
    PatternSet {
        n: 3,
        patterns: vec![
            Pattern::from_valid_bits(vec![1, 0, 1]),
            Pattern::from_valid_bits(vec![1, 1, 0]),
        ],
    }
}

/// The paper's test set `X' = {010, 001}` (eq. 4): disjoint from `X`, yet with the same
/// symmetry group `{e, (23)}`.
pub fn paper_x_prime() -> PatternSet {
    // Infallible by inspection: two distinct binary patterns of the same length 3.
    PatternSet {
        n: 3,
        patterns: vec![
            Pattern::from_valid_bits(vec![0, 1, 0]),
            Pattern::from_valid_bits(vec![0, 0, 1]),
        ],
    }
}

#[cfg(test)]
mod tests;
