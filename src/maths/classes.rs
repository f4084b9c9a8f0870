//! The classes of training sets: non-empty subsets X ⊂ {0,1}^N up to relabelling the
//! positions, i.e. the orbits of S_N acting on subsets by `s·X = { s·x : x ∈ X }` with
//! `(s·x)_i = x_{s(i)}` (paper §2). Two sets in one class have conjugate symmetry groups and
//! the same answers to the paper's question, so the atlas studies one representative each.
//!
//! # Representation
//! A set is a bit mask over the 2^N patterns, bit k standing for pattern k of
//! [`Pattern::all`] (k's binary expansion, x_1 most significant). Its *sorted form* is the
//! increasing list of its pattern indices. The **canonical representative** of a class is
//! its member whose sorted form is lexicographically smallest among sets of the same size.
//!
//! # Orderly generation (Read 1978; Faradzev 1978)
//! If `S` is canonical, so is `S` without its largest element: were `g·(S∖{max})` smaller,
//! inserting `g(max)` into it could only make `g·S` smaller than `S` too (the first position
//! where the two sorted lists differ moves left or stays). So every canonical set of size
//! k + 1 arises exactly once from a canonical set of size k by adding one pattern larger than
//! all of its own, and [`Classes`] walks that tree depth first, testing each candidate for
//! canonicity, without a table of seen sets and without touching the 2^(2^N) subsets.
//!
//! # Counts
//! The number of classes is `(1/N!) Σ_{s∈S_N} 2^{c(s)}` (Burnside's lemma; `c(s)` is the number
//! of cycles of `s` on the 2^N patterns), minus one for the empty set: 79 at N = 3, 3983 at
//! N = 4, 37 333 247 at N = 5 ([`burnside_count`]; by size, [`burnside_count_by_size`]).
//! The stabiliser of a set is its symmetry group Σ_X, and its class has `N!/|Σ_X|` members.
//!
//! # Sampling
//! [`sample_uniform`] draws a class uniformly: a uniform non-empty subset falls in a class
//! with probability `|class|/(2^{2^N} − 1)`, and accepting it with probability `|Σ_X|/N!`
//! (∝ 1/|class|) leaves every class equally likely.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::pattern::{Pattern, PatternSet};
use crate::perm::Permutation;

/// The largest N the class machinery handles: 2^6 = 64 patterns fit a `u64` mask.
pub const MAX_CLASS_N: usize = 6;

/// S_N acting on subsets of {0,1}^N, as lookup tables: for each permutation, the image of
/// each byte of a mask (so applying one permutation to a mask costs 2^N/8 lookups).
#[derive(Clone, Debug)]
pub struct SubsetAction {
    n: usize,
    patterns: usize,
    bytes: usize,
    /// `tables[g][b][v]`: the image under permutation g of byte b of a mask holding value v.
    tables: Vec<Vec<[u64; 256]>>,
}

impl SubsetAction {
    /// The action of S_N on subsets of {0,1}^N.
    ///
    /// # Errors
    /// [`Error::EmptyPattern`] for N = 0, [`Error::TooLarge`] for N > [`MAX_CLASS_N`].
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::EmptyPattern);
        }
        if n > MAX_CLASS_N {
            return Err(Error::TooLarge {
                n,
                max: MAX_CLASS_N,
            });
        }
        let patterns = 1usize << n;
        let bytes = patterns.div_ceil(8);
        let all = Pattern::all(n)?;
        let index = |p: &Pattern| {
            p.bits()
                .iter()
                .fold(0usize, |k, &b| (k << 1) | usize::from(b))
        };
        let tables = Permutation::all(n)?
            .iter()
            .map(|s| {
                let image: Vec<usize> = all.iter().map(|p| index(&s.act_on_pattern(p))).collect();
                (0..bytes)
                    .map(|b| {
                        std::array::from_fn(|v| {
                            (0..8)
                                .filter(|bit| (v >> bit) & 1 == 1 && 8 * b + bit < patterns)
                                .fold(0u64, |m, bit| m | (1u64 << image[8 * b + bit]))
                        })
                    })
                    .collect()
            })
            .collect();
        Ok(SubsetAction {
            n,
            patterns,
            bytes,
            tables,
        })
    }

    /// N.
    pub fn n(&self) -> usize {
        self.n
    }

    /// N!, the number of permutations.
    pub fn group_order(&self) -> usize {
        self.tables.len()
    }

    /// The image of `mask` under permutation `g` (index into [`Permutation::all`]).
    #[inline]
    pub fn apply(&self, g: usize, mask: u64) -> u64 {
        let t = &self.tables[g];
        let mut out = 0;
        for (b, tb) in t.iter().enumerate().take(self.bytes) {
            out |= tb[((mask >> (8 * b)) & 0xff) as usize];
        }
        out
    }

    /// Whether `mask` is its class's canonical representative, and if so |Σ_X| (the number
    /// of permutations fixing it). Stops at the first permutation giving a smaller set.
    pub fn canonical_stabiliser(&self, mask: u64) -> Option<usize> {
        let mut stab = 0;
        for g in 0..self.tables.len() {
            let image = self.apply(g, mask);
            if image == mask {
                stab += 1;
            } else if smaller(image, mask) {
                return None;
            }
        }
        Some(stab)
    }

    /// |Σ_X|: the number of permutations fixing `mask`.
    pub fn stabiliser_order(&self, mask: u64) -> usize {
        (0..self.tables.len())
            .filter(|&g| self.apply(g, mask) == mask)
            .count()
    }

    /// The canonical representative of `mask`'s class.
    pub fn canonical(&self, mask: u64) -> u64 {
        (0..self.tables.len())
            .map(|g| self.apply(g, mask))
            .fold(mask, |best, m| if smaller(m, best) { m } else { best })
    }

    /// The mask with every pattern (all 2^N bits) set.
    fn full(&self) -> u64 {
        if self.patterns == 64 {
            u64::MAX
        } else {
            (1u64 << self.patterns) - 1
        }
    }
}

/// For two sets of the same size: is `a`'s sorted form lexicographically smaller than `b`'s?
/// That is, does the smallest element of the symmetric difference lie in `a`?
#[inline]
fn smaller(a: u64, b: u64) -> bool {
    let d = a ^ b;
    d != 0 && a & (d & d.wrapping_neg()) != 0
}

/// One class of training sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Class {
    /// The canonical representative as a mask over [`Pattern::all`].
    pub mask: u64,
    /// |Σ_X| of the representative (the stabiliser's order).
    pub group_order: usize,
    /// How many sets the class holds: N!/|Σ_X|.
    pub size: usize,
}

impl Class {
    /// |X|.
    pub fn len(&self) -> usize {
        self.mask.count_ones() as usize
    }

    /// Never true: classes are of non-empty sets.
    pub fn is_empty(&self) -> bool {
        self.mask == 0
    }

    /// The representative as a pattern set, patterns in [`Pattern::all`] order.
    ///
    /// # Errors
    /// [`Error::TooLarge`] for N > [`MAX_CLASS_N`], [`Error::EmptySet`] for an empty mask.
    pub fn set(&self, n: usize) -> Result<PatternSet> {
        mask_to_set(self.mask, n)
    }
}

/// The pattern set with bit mask `mask` over [`Pattern::all`] of length `n`.
///
/// # Errors
/// [`Error::TooLarge`] for `n` > [`MAX_CLASS_N`]; [`Error::EmptySet`] for an empty mask.
pub fn mask_to_set(mask: u64, n: usize) -> Result<PatternSet> {
    if n > MAX_CLASS_N {
        return Err(Error::TooLarge {
            n,
            max: MAX_CLASS_N,
        });
    }
    let all = Pattern::all(n)?;
    PatternSet::new(
        all.into_iter()
            .enumerate()
            .filter(|(k, _)| (mask >> k) & 1 == 1)
            .map(|(_, p)| p)
            .collect(),
    )
}

/// The mask of a pattern set over [`Pattern::all`].
///
/// # Errors
/// [`Error::TooLarge`] for N > [`MAX_CLASS_N`].
pub fn set_to_mask(set: &PatternSet) -> Result<u64> {
    if set.n() > MAX_CLASS_N {
        return Err(Error::TooLarge {
            n: set.n(),
            max: MAX_CLASS_N,
        });
    }
    Ok(set.patterns().iter().fold(0u64, |m, p| {
        let k = p
            .bits()
            .iter()
            .fold(0usize, |k, &b| (k << 1) | usize::from(b));
        m | (1u64 << k)
    }))
}

/// Every class of non-empty subsets of {0,1}^N, by orderly generation (module documentation),
/// depth first: a set comes before its extensions, and extensions in increasing order of the
/// added pattern. Deterministic. An iterator over [`Class`].
pub struct Classes<'a> {
    action: &'a SubsetAction,
    /// Depth-first stack: (canonical set, next pattern index to try adding).
    stack: Vec<(u64, usize)>,
    max_size: usize,
}

impl<'a> Classes<'a> {
    /// All classes.
    pub fn new(action: &'a SubsetAction) -> Self {
        Self::up_to_size(action, action.patterns)
    }

    /// The classes of sets with at most `max_size` patterns (the generator never builds a
    /// larger set, so this is cheap for small sizes at any N).
    pub fn up_to_size(action: &'a SubsetAction, max_size: usize) -> Self {
        Classes {
            action,
            stack: vec![(0, 0)],
            max_size,
        }
    }
}

// ANCHOR: orderly
impl Iterator for Classes<'_> {
    type Item = Class;

    fn next(&mut self) -> Option<Class> {
        let n_fact = self.action.group_order();
        while let Some(top) = self.stack.last_mut() {
            let (set, next) = *top;
            if next >= self.action.patterns || set.count_ones() as usize >= self.max_size {
                self.stack.pop();
                continue;
            }
            top.1 = next + 1;
            let candidate = set | (1u64 << next);
            if let Some(stab) = self.action.canonical_stabiliser(candidate) {
                self.stack.push((candidate, next + 1));
                return Some(Class {
                    mask: candidate,
                    group_order: stab,
                    size: n_fact / stab,
                });
            }
        }
        None
    }
}
// ANCHOR_END: orderly

/// All classes at length `n`, in generation order.
///
/// # Errors
/// As [`SubsetAction::new`].
pub fn all_classes(n: usize) -> Result<Vec<Class>> {
    let action = SubsetAction::new(n)?;
    Ok(Classes::new(&action).collect())
}

/// The number of cycles of each permutation of S_N on the 2^N patterns, in
/// [`Permutation::all`] order.
fn cycle_lengths(n: usize) -> Result<Vec<Vec<usize>>> {
    let all = Pattern::all(n)?;
    Ok(Permutation::all(n)?
        .iter()
        .map(|s| {
            let mut seen = vec![false; all.len()];
            let mut lengths = Vec::new();
            for start in 0..all.len() {
                if seen[start] {
                    continue;
                }
                let mut len = 0;
                let mut k = start;
                while !seen[k] {
                    seen[k] = true;
                    len += 1;
                    let image = s.act_on_pattern(&all[k]);
                    k = all.binary_search(&image).unwrap_or(k);
                }
                lengths.push(len);
            }
            lengths
        })
        .collect())
}

/// The number of classes of non-empty subsets of {0,1}^N by Burnside's lemma:
/// `(1/N!) Σ_s 2^{c(s)} − 1`.
///
/// # Errors
/// [`Error::EmptyPattern`] for N = 0, [`Error::TooLarge`] for N > [`MAX_CLASS_N`].
pub fn burnside_count(n: usize) -> Result<u128> {
    let by_size = burnside_count_by_size(n)?;
    Ok(by_size.iter().skip(1).sum())
}

/// The number of classes of subsets of {0,1}^N of each size k = 0..=2^N, by the weighted
/// form of Burnside's lemma: the sets of size k fixed by s are counted by the coefficient of
/// t^k in `Π_{cycles of s} (1 + t^{len})`.
///
/// # Errors
/// As [`burnside_count`].
pub fn burnside_count_by_size(n: usize) -> Result<Vec<u128>> {
    if n > MAX_CLASS_N {
        return Err(Error::TooLarge {
            n,
            max: MAX_CLASS_N,
        });
    }
    let patterns = 1usize << n;
    let cycles = cycle_lengths(n)?;
    let mut total = vec![0u128; patterns + 1];
    for lengths in &cycles {
        let mut poly = vec![0u128; patterns + 1];
        poly[0] = 1;
        for &len in lengths {
            for k in (len..=patterns).rev() {
                poly[k] += poly[k - len];
            }
        }
        for (t, p) in total.iter_mut().zip(&poly) {
            *t += p;
        }
    }
    let order = cycles.len() as u128;
    Ok(total.into_iter().map(|t| t / order).collect())
}

/// One class drawn uniformly at random (module documentation): uniform non-empty subsets are
/// drawn until one is accepted with probability |Σ_X|/N!; its class is returned.
pub fn draw_uniform(action: &SubsetAction, rng: &mut ChaCha8Rng) -> Class {
    let full = action.full();
    let n_fact = action.group_order();
    loop {
        let mask = rng.random::<u64>() & full;
        if mask == 0 {
            continue;
        }
        let stab = action.stabiliser_order(mask);
        if rng.random_range(0..n_fact) < stab {
            return Class {
                mask: action.canonical(mask),
                group_order: stab,
                size: n_fact / stab,
            };
        }
    }
}

/// `count` distinct classes drawn uniformly at random by [`draw_uniform`] (a class drawn
/// twice is drawn again), sorted by size |X| and then by sorted form. Seeded.
///
/// # Errors
/// [`Error::InvalidParameter`] when `count` exceeds the number of classes.
pub fn sample_uniform(action: &SubsetAction, count: usize, seed: u64) -> Result<Vec<Class>> {
    let total = burnside_count(action.n)?;
    if count as u128 > total {
        return Err(Error::InvalidParameter {
            name: "sample".to_string(),
            value: count.to_string(),
            why: format!("there are only {total} classes at N = {}", action.n),
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut chosen = std::collections::BTreeMap::new();
    while chosen.len() < count {
        let class = draw_uniform(action, &mut rng);
        chosen.entry(class.mask).or_insert(class);
    }
    let mut out: Vec<Class> = chosen.into_values().collect();
    out.sort_by_key(|c| (c.len(), sorted_form(c.mask)));
    Ok(out)
}

/// The increasing list of pattern indices of a mask.
fn sorted_form(mask: u64) -> Vec<u32> {
    (0..64).filter(|k| (mask >> k) & 1 == 1).collect()
}

#[cfg(test)]
mod tests;
