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
mod tests {
    use super::*;
    use crate::group::symmetry_group;

    /// Brute force: the canonical forms of all 2^(2^N) subsets, counted. Independent of the
    /// generator (no tree, no canonicity test) and of Burnside.
    fn brute_force(n: usize) -> usize {
        let action = SubsetAction::new(n).unwrap();
        let mut reps = std::collections::BTreeSet::new();
        for mask in 1..(1u64 << (1 << n)) {
            reps.insert(action.canonical(mask));
        }
        reps.len()
    }

    #[test]
    fn class_counts_for_n_up_to_4_agree_three_ways() {
        for n in 1..=4 {
            let generated = all_classes(n).unwrap();
            let burnside = burnside_count(n).unwrap();
            assert_eq!(generated.len() as u128, burnside, "N = {n}");
            assert_eq!(generated.len(), brute_force(n), "N = {n}");
            // The class sizes add up to every non-empty subset.
            let subsets: usize = generated.iter().map(|c| c.size).sum();
            assert_eq!(subsets as u128, (1u128 << (1 << n)) - 1, "N = {n}");
        }
        assert_eq!(burnside_count(3).unwrap(), 79);
        assert_eq!(burnside_count(4).unwrap(), 3983);
    }

    /// At N = 5 the generator is run for sets of up to 5 patterns and for each size compared
    /// with Burnside's count of that size; the total is Burnside's.
    #[test]
    fn n5_generator_agrees_with_burnside_by_size_and_total() {
        let action = SubsetAction::new(5).unwrap();
        let by_size = burnside_count_by_size(5).unwrap();
        let mut counts = [0u128; 6];
        for c in Classes::up_to_size(&action, 5) {
            counts[c.len()] += 1;
        }
        assert_eq!(&counts[1..], &by_size[1..6]);
        assert_eq!(burnside_count(5).unwrap(), 37_333_247);
    }

    /// The stabiliser of a representative is its symmetry group, computed independently by
    /// `group::symmetry_group`'s pruned search.
    #[test]
    fn stabiliser_is_the_symmetry_group() {
        for c in all_classes(4).unwrap() {
            let set = c.set(4).unwrap();
            assert_eq!(symmetry_group(&set).unwrap().order(), c.group_order);
            assert_eq!(set_to_mask(&set).unwrap(), c.mask);
        }
    }

    /// Draws are uniform over classes: 79 000 draws at N = 3 against the uniform
    /// distribution on its 79 classes by Pearson's χ² (78 degrees of freedom; mean 78,
    /// standard deviation 12.5). 160 is beyond the 1e-6 quantile, so a correct sampler fails
    /// with probability below 1e-6 at any seed; drawing sets uniformly without the acceptance
    /// step gives χ² in the tens of thousands (class sizes range from 1 to 6).
    #[test]
    fn draws_are_uniform_over_classes() {
        let action = SubsetAction::new(3).unwrap();
        let index: std::collections::BTreeMap<u64, usize> = all_classes(3)
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, c)| (c.mask, i))
            .collect();
        let mut counts = vec![0usize; index.len()];
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let draws = 1000 * index.len();
        for _ in 0..draws {
            counts[index[&draw_uniform(&action, &mut rng).mask]] += 1;
        }
        let expected = 1000.0;
        let chi2: f64 = counts
            .iter()
            .map(|&c| (c as f64 - expected).powi(2) / expected)
            .sum();
        assert!(chi2 < 160.0, "chi2 = {chi2}");
    }

    /// The sample is seeded, distinct and canonical, and it hits every class at N = 3 when it
    /// asks for all of them.
    #[test]
    fn sampling_is_seeded_distinct_and_canonical() {
        let action = SubsetAction::new(5).unwrap();
        let a = sample_uniform(&action, 20, 7).unwrap();
        assert_eq!(a, sample_uniform(&action, 20, 7).unwrap());
        for c in &a {
            assert!(action.canonical_stabiliser(c.mask).is_some());
        }
        let three = SubsetAction::new(3).unwrap();
        assert_eq!(sample_uniform(&three, 79, 1).unwrap().len(), 79);
        assert!(sample_uniform(&three, 80, 1).is_err());
    }

    /// The index of a pattern in [`Pattern::all`].
    fn index(p: &Pattern) -> usize {
        p.bits().iter().fold(0, |k, &b| (k << 1) | usize::from(b))
    }

    /// The table action against `Permutation::act_on_pattern`, pattern by pattern, on every
    /// subset of {0,1}³ and on sets of {0,1}⁶ reaching the top byte (bits 56–63).
    #[test]
    fn table_action_is_the_action_on_patterns() {
        for n in [3, 6] {
            let action = SubsetAction::new(n).unwrap();
            assert_eq!(action.n(), n);
            let perms = Permutation::all(n).unwrap();
            assert_eq!(action.group_order(), perms.len());
            let all = Pattern::all(n).unwrap();
            let masks: Vec<u64> = if n == 3 {
                (0..256).collect()
            } else {
                vec![
                    0x8000_0000_0000_0001,
                    0xf0f0_0000_1234_5678,
                    u64::MAX,
                    1 << 63 | 1 << 40,
                ]
            };
            for (g, s) in perms
                .iter()
                .enumerate()
                .step_by(if n == 3 { 1 } else { 37 })
            {
                for &mask in &masks {
                    let want = (0..all.len())
                        .filter(|&k| (mask >> k) & 1 == 1)
                        .fold(0u64, |m, k| m | 1 << index(&s.act_on_pattern(&all[k])));
                    assert_eq!(action.apply(g, mask), want, "N = {n}, g = {g}, {mask:#x}");
                }
            }
        }
    }

    /// `smaller` against sorted forms compared as lists, on all pairs of equal-size subsets
    /// of 6 elements; the canonical form is the smallest image.
    #[test]
    fn smaller_compares_sorted_forms() {
        for a in 0u64..64 {
            for b in 0u64..64 {
                if a.count_ones() == b.count_ones() {
                    assert_eq!(
                        smaller(a, b),
                        sorted_form(a) < sorted_form(b),
                        "{a:b} {b:b}"
                    );
                }
            }
        }
        assert_eq!(sorted_form(0b1010_0110), vec![1, 2, 5, 7]);
        assert_eq!(sorted_form(1 << 63), vec![63]);
        let action = SubsetAction::new(3).unwrap();
        for mask in 1u64..256 {
            let images: Vec<u64> = (0..6).map(|g| action.apply(g, mask)).collect();
            let c = action.canonical(mask);
            assert!(images.contains(&c));
            assert!(images.iter().all(|&m| m == c || smaller(c, m)));
            let stab = images.iter().filter(|&&m| m == mask).count();
            assert_eq!(action.stabiliser_order(mask), stab);
            assert_eq!(
                action.canonical_stabiliser(mask),
                (c == mask).then_some(stab),
                "{mask:b}"
            );
        }
    }

    /// Masks and sets convert both ways; sizes, refusals and the class's own accessors.
    #[test]
    fn masks_sets_and_refusals() {
        let set = PatternSet::parse("001,110,111").unwrap();
        let mask = set_to_mask(&set).unwrap();
        assert_eq!(mask, 1 << 1 | 1 << 6 | 1 << 7);
        assert_eq!(mask_to_set(mask, 3).unwrap(), set);
        let six = PatternSet::parse("000001,111111").unwrap();
        assert_eq!(set_to_mask(&six).unwrap(), 1 << 63 | 1 << 1);
        assert_eq!(mask_to_set(1 << 63 | 1 << 1, 6).unwrap(), six);
        assert!(matches!(mask_to_set(0, 3), Err(Error::EmptySet)));
        assert!(matches!(
            mask_to_set(1, 7),
            Err(Error::TooLarge { n: 7, max: 6 })
        ));
        let seven = PatternSet::parse("1111111").unwrap();
        assert!(matches!(
            set_to_mask(&seven),
            Err(Error::TooLarge { n: 7, .. })
        ));
        assert!(matches!(SubsetAction::new(0), Err(Error::EmptyPattern)));
        assert!(matches!(
            SubsetAction::new(7),
            Err(Error::TooLarge { n: 7, .. })
        ));
        assert!(matches!(
            burnside_count_by_size(7),
            Err(Error::TooLarge { .. })
        ));
        let c = Class {
            mask,
            group_order: 2,
            size: 3,
        };
        assert_eq!((c.len(), c.is_empty()), (3, false));
        assert_eq!(c.set(3).unwrap(), set);
        assert!(Class { mask: 0, ..c }.is_empty());
        assert_eq!(SubsetAction::new(3).unwrap().full(), 0xff);
        assert_eq!(SubsetAction::new(6).unwrap().full(), u64::MAX);
    }

    /// Each permutation's cycles on the patterns partition them; the identity has 2^N fixed
    /// points; a transposition of two positions fixes the patterns equal there (half of
    /// them) and swaps the rest in pairs. By size, the classes at N = 2 (patterns 00, 01,
    /// 10, 11; S_2 swaps 01 and 10) are, by hand: ∅; {00}, {11}, {01}; {00, 11}, {00, 01},
    /// {11, 01}, {01, 10}; three of size 3 (complements of size 1); the whole set.
    #[test]
    fn cycles_and_counts_by_size() {
        let cycles = cycle_lengths(3).unwrap();
        assert_eq!(cycles.len(), 6);
        for c in &cycles {
            assert_eq!(c.iter().sum::<usize>(), 8);
        }
        assert_eq!(cycles[0], vec![1; 8]);
        // Permutation::all(3)[1] swaps the last two positions.
        let mut t = cycles[1].clone();
        t.sort();
        assert_eq!(t, vec![1, 1, 1, 1, 2, 2]);
        assert_eq!(burnside_count_by_size(2).unwrap(), vec![1, 3, 4, 3, 1]);
        assert_eq!(burnside_count(2).unwrap(), 11);
        assert_eq!(all_classes(2).unwrap().len(), 11);
        assert_eq!(burnside_count(1).unwrap(), 3);
    }

    /// The sample at N = 6 (the full 64-bit mask): canonical, distinct, sorted by size then
    /// sorted form, each class's size N!/|Σ_X|, and its group order the stabiliser's.
    #[test]
    fn sample_at_n6_is_canonical_and_sorted() {
        let action = SubsetAction::new(6).unwrap();
        let sample = sample_uniform(&action, 4, 3).unwrap();
        assert_eq!(sample.len(), 4);
        for c in &sample {
            assert!(c.mask != 0);
            assert_eq!(action.canonical(c.mask), c.mask);
            assert_eq!(action.stabiliser_order(c.mask), c.group_order);
            assert_eq!(c.size * c.group_order, 720);
        }
        for w in sample.windows(2) {
            let key = |c: &Class| (c.len(), sorted_form(c.mask));
            assert!(key(&w[0]) < key(&w[1]));
        }
        // Drawn classes at N = 3 carry size N!/|Σ_X| too.
        let three = SubsetAction::new(3).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..50 {
            let c = draw_uniform(&three, &mut rng);
            assert!(c.mask != 0 && c.mask <= 0xff);
            assert_eq!(c.size * c.group_order, 6);
            assert_eq!(three.canonical(c.mask), c.mask);
        }
    }
}
